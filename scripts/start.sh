#!/usr/bin/env bash
# Installeer BUUT in .venv (als dat nog niet is gebeurd) en start het intranet op http://127.0.0.1:8000/.
# Extra opties gaan door naar `buut serve`, bijvoorbeeld: bash scripts/start.sh --port 8080
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/buut serve "$@"
