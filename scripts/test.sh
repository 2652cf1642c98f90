#!/usr/bin/env bash
# Installeer BUUT met alles wat de tests nodig hebben in .venv en draai de tests.
# Extra opties gaan door naar pytest, bijvoorbeeld: bash scripts/test.sh -k check
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
