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
ls docs/gallery
