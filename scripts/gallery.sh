#!/usr/bin/env bash
# Render page images of the example memos into docs/gallery/: the PDF as written, and the
# DOCX as LibreOffice lays it out. Needs pdftoppm and LibreOffice (scripts/install-system-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

dpi="${DPI:-70}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
reports build --out "$tmp" "${@:-data}" >/dev/null
mkdir -p docs/gallery
rm -f docs/gallery/*.png
for pdf in "$tmp"/*.pdf; do
  stem="$(basename "$pdf" .pdf)"
  pdftoppm -r "$dpi" -png "$pdf" "docs/gallery/$stem-pdf"
done
soffice --headless "-env:UserInstallation=file://$tmp/profile" --convert-to pdf \
  --outdir "$tmp/lo" "$tmp"/*.docx >/dev/null 2>&1
for pdf in "$tmp"/lo/*.pdf; do
  stem="$(basename "$pdf" .pdf)"
  pdftoppm -r "$dpi" -png "$pdf" "docs/gallery/$stem-docx"
done
# the timeline chart of the version 2 example, cropped from its PDF page (heading to caption)
python3 - "$tmp/winter-road-safety-2025-11-20.pdf" docs/gallery/winter-road-safety-2025-11-20-timeline <<'PY'
import re, subprocess, sys
pdf, out = sys.argv[1], sys.argv[2]
info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
width = float(re.search(r"Page size:\s+([\d.]+)", info).group(1))
word = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{}</word>'
for page in range(1, pages + 1):
    text = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                          capture_output=True, text=True).stdout
    heading, caption = re.search(word.format("Timeline"), text), re.search(word.format("sequence"), text)
    if heading and caption:
        top, bottom, dpi = float(heading.group(1)) - 8, float(caption.group(2)) + 8, 110
        box = [str(round(v * dpi / 72)) for v in (0, top, width, bottom - top)]
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                        "-x", box[0], "-y", box[1], "-W", box[2], "-H", box[3], "-png", pdf, out],
                       check=True)
        break
PY
# A redline: the example against a revised copy (some words changed, a point added, a
# point dropped), as `reports redline` marks it in the PDF.
revised="$tmp/critical-minerals-revised.yaml"
python3 - data/critical-minerals-2024-02-13.yaml "$revised" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
text = text.replace("Korea at a virtual meeting", "Korea at a video conference")
text = text.replace(
    "  - Korea called for more countries",
    "  - Korea proposed a working group on stockpiles.\n  - Korea called for more countries",
)
start = text.index("  - Korea will stay in close contact")
end = text.index("\n  - ", start + 1) if "\n  - " in text[start + 1 : text.index("\n\n", start)] else text.index("\n\n", start)
text = text[:start] + text[end + 1 :]
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
reports redline data/critical-minerals-2024-02-13.yaml "$revised" --out "$tmp/red" \
  --author "Policy Unit" >/dev/null
pdftoppm -r "$dpi" -png -f 1 -l 1 "$tmp/red/critical-minerals-revised-redline.pdf" \
  docs/gallery/critical-minerals-redline-pdf
ls docs/gallery
