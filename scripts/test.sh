#!/usr/bin/env bash
# Installeer BUUT met alles wat de tests nodig hebben in .venv en draai de tests.
# Extra opties gaan door naar pytest, bijvoorbeeld: bash scripts/test.sh -k check
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# De browsertests (tests/test_browser.py) gebruiken Chromium van Debian en axe-core uit npm.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if { [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/oidc-provider/package.json ]; } && ! command -v npm >/dev/null; then missing+=(npm); fi
# De opslagtests (tests/test_store.py, tests/test_feedback.py) starten een eigen PostgreSQL-server op een vrije
# poort, met de programma's van Debian; met BUUT_TEST_POSTGRES_URL gebruiken ze een server die er al is.
if [ -z "${BUUT_TEST_POSTGRES_URL:-}" ] && ! command -v pg_ctl >/dev/null \
    && ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then missing+=(postgresql); fi
# De deploytest (tests/test_deploy.py) start Debians nginx voor twee buut serve-processen.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Installeer eerst (als root): apt-get install ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
# oidc-provider: een echte OpenID-provider op 127.0.0.1 voor de logintests (tests/oidc_provider.mjs).
{ [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/oidc-provider/package.json ]; } \
  || npm ci --no-audit --no-fund --loglevel=error

# Twee werkprocessen (-n): de suite gebruikt beide cores; BUUT_TEST_PROCESSEN=1 draait alles in één.
exec .venv/bin/python -m pytest -n "${BUUT_TEST_PROCESSEN:-2}" --dist worksteal "$@"
