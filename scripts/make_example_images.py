"""Draw the images of the winter road-safety example (data/winter-roads/): an invented
emblem and a bar chart of its invented figures. Run again after changing the figures; the
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
READINESS = [("North", 96), ("East", 88), ("Central", 92), ("South", 71), ("West", 64)]


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


def chart() -> None:
    """Horizontal bars: readiness per region against the 85 % target."""
    width, height = 1600, 760
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    left, right, top, row = 260, width - 120, 110, 112
    scale = (right - left) / 100
    for pct in range(0, 101, 20):
        x = left + pct * scale
        draw.line((x, top - 20, x, top + row * len(READINESS)), fill=LIGHT, width=3)
        draw.text((x, top + row * len(READINESS) + 30), f"{pct}%", font=font(34),
                  fill=GREY, anchor="mm")  # fmt: skip
    for i, (region, pct) in enumerate(READINESS):
        y = top + i * row + 20
        colour = ACCENT if pct >= 85 else (196, 98, 45)
        draw.rectangle((left, y, left + pct * scale, y + row - 44), fill=colour)
        draw.text((left - 24, y + (row - 44) / 2), region, font=font(40), fill=NAVY, anchor="rm")
        draw.text((left + pct * scale + 16, y + (row - 44) / 2), f"{pct}%", font=font(38, True),
                  fill=NAVY, anchor="lm")  # fmt: skip
    target = left + 85 * scale
    draw.line((target, top - 30, target, top + row * len(READINESS)), fill=NAVY, width=6)
    draw.text((target, top - 40), "target 85%", font=font(34, True), fill=NAVY, anchor="md")
    img.save(OUT / "readiness.png", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    emblem()
    chart()
