#!/usr/bin/env bash
# Install the fonts the example memos need (Korean and symbol fallbacks, and Liberation for
# LibreOffice's rendering of the DOCX) and, unless --fonts-only, the system tools the tests
# use (LibreOffice, poppler, qpdf, pandoc), when missing. Needs root (or sudo) and apt-get;
# elsewhere it says what to install and carries on.
set -euo pipefail

want=()
if [ "${1:-}" != "--fonts-only" ]; then
  command -v soffice >/dev/null 2>&1 || want+=(libreoffice-writer-nogui)
  command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
  command -v qpdf >/dev/null 2>&1 || want+=(qpdf)
  # pandoc writes the third kind of reference document the tests use
  command -v pandoc >/dev/null 2>&1 || want+=(pandoc)
  # git: review finds the version a DOCX was built from; init's pre-commit test
  command -v git >/dev/null 2>&1 || want+=(git)
  fc-list 2>/dev/null | grep -q "Liberation Sans" || want+=(fonts-liberation2)
fi
have_font() { fc-list 2>/dev/null | grep -qi "$1" || ls /usr/share/fonts/truetype/*/"$2" >/dev/null 2>&1; }
have_font "NanumGothic" NanumGothic.ttf || want+=(fonts-nanum)
# the Korean report form sets its body in NanumMyeongjo (also in fonts-nanum)
have_font "NanumMyeongjo" NanumMyeongjo.ttf || want+=(fonts-nanum)
have_font "DejaVu Sans" DejaVuSans.ttf || want+=(fonts-dejavu-core)
[ ${#want[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-tools: no apt-get; please install: ${want[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-system-tools: not root; please install: ${want[*]}" >&2
    exit 0
  fi
fi
echo "install-system-tools: installing ${want[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${want[@]}"
