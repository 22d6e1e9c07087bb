#!/usr/bin/env bash
# On a fresh machine: install the fonts the example memos need, install reports, and build
# every fact base in data/ into output/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-tools.sh --fonts-only
python3 -m pip install --quiet --disable-pip-version-check -e .
reports build "$@"
