#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then lint, type-check and test,
# measuring the coverage of src/reports (a plain `python -m pytest` skips that, and is faster).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-tools.sh
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m ruff check src tests bench
python3 -m ruff format --check src tests bench
python3 -m mypy
python3 -m pytest --cov --cov-report=term "$@"
