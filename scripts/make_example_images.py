"""Draw the images of the winter road-safety example (data/winter-roads/): an invented
emblem and a schematic map of its invented regions (the figures themselves are a chart
block, drawn by reports). Run again after changing the figures; the
PNGs are committed so a build needs no drawing.

    python scripts/make_example_images.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "winter-roads"
FONTS = ROOT / "src" / "reports" / "templates" / "fonts"
NAVY, ACCENT, GREY, LIGHT = (31, 58, 95), (46, 110, 158), (90, 98, 110), (225, 231, 239)

# Gritting-stock readiness by region (per cent of target), as stated in the fact base.
READINESS = [("North", 96), ("East", 89), ("Central", 92), ("South", 71), ("West", 64)]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def emblem() -> None:
    """A plain roundel: an illustration, not any real authority's emblem."""
    size = 400
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, size - 8, size - 8), fill=NAVY)
    draw.ellipse((40, 40, size - 40, size - 40), outline="white", width=10)
    # a road receding to the horizon, with a centre line
    draw.polygon([(130, 270), (270, 270), (214, 100), (186, 100)], fill="white")
    for y in (118, 160, 208):
        draw.rectangle((197, y, 203, y + 24), fill=NAVY)
    draw.text((size / 2, 310), "ILLUSTRATION", font=font(24, True), fill="white", anchor="mm")
    img.save(OUT / "emblem.png", optimize=True)


def regions() -> None:
    """A schematic map of the five regions, shaded by readiness (not a real country)."""
    width, height = 1200, 900
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    shapes = {
        "North": [(380, 60), (820, 60), (880, 300), (600, 340), (330, 300)],
        "West": [(150, 320), (330, 300), (450, 560), (320, 760), (110, 620)],
        "Central": [(330, 300), (600, 340), (700, 560), (450, 560)],
        "East": [(600, 340), (880, 300), (1060, 520), (900, 640), (700, 560)],
        "South": [(450, 560), (700, 560), (900, 640), (760, 850), (380, 850), (320, 760)],
    }
    shortfall = (231, 160, 110)
    for name, points in shapes.items():
        ready = dict(READINESS)[name] >= 85
        draw.polygon(points, fill=LIGHT if ready else shortfall, outline=NAVY, width=5)
        x = sum(p[0] for p in points) / len(points)
        y = sum(p[1] for p in points) / len(points)
        draw.text((x, y - 22), name, font=font(44, True), fill=NAVY, anchor="mm")
        draw.text((x, y + 28), f"{dict(READINESS)[name]}%", font=font(38), fill=NAVY, anchor="mm")
    draw.rectangle((40, 40, 80, 80), fill=shortfall, outline=NAVY, width=3)
    draw.text((95, 60), "below target", font=font(32), fill=GREY, anchor="lm")
    img.save(OUT / "regions.png", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    emblem()
    regions()
