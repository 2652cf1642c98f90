#!/usr/bin/env bash
# Taalcontrole op de inhoud die een pull request verandert, als GitHub-annotaties.
#
#   bash scripts/pr-check.sh [--root MAP] [--format github|text|json] [BASIS]
#
# BASIS is de tak waar het pull request in moet (standaard origin/main). Het script vergelijkt
# BASIS...HEAD in de git-repository van de huidige map (of van --root) en geeft de gewijzigde
# inhoud aan `buut check`:
#   - pagina's (*.md) in werkkader/, werkinstructies/, partners/, docs/ en publiek/, en
#     partners/*.yml: alleen die bestanden;
#   - glossary.yml of een ander YAML-bestand in die mappen (zoals werkkader/werkproces.yml):
#     alle inhoud, want een nieuwe term of een ander werkproces raakt elke pagina.
# Afsluitcode: die van buut check (0 schoon, 1 fouten, 2 onbruikbaar); 0 zonder gewijzigde inhoud.
# Welke buut: $BUUT, anders .venv/bin/buut van de repository of van dit script, anders buut op PATH.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=""
format="github"
base="origin/main"
while (($#)); do
    case "$1" in
        --root) root="${2:?--root heeft een map nodig}"; shift 2 ;;
        --format) format="${2:?--format heeft github, text of json nodig}"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "pr-check: onbekende optie $1" >&2; exit 2 ;;
        *) base="$1"; shift ;;
    esac
done

cd "${root:-.}"
cd "$(git rev-parse --show-toplevel)"

if [[ -n "${BUUT:-}" ]]; then
    buut="$BUUT"
elif [[ -x .venv/bin/buut ]]; then
    buut=".venv/bin/buut"
elif [[ -x "$script_dir/../.venv/bin/buut" ]]; then
    buut="$script_dir/../.venv/bin/buut"
else
    buut="buut"
fi
if ! command -v "$buut" >/dev/null; then
    echo "pr-check: buut niet gevonden; draai eerst bash scripts/start.sh (of zet BUUT=/pad/naar/buut)." >&2
    exit 2
fi

if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    echo "pr-check: onbekende basis $base (is de tak opgehaald? in GitHub Actions: fetch-depth: 0)." >&2
    exit 2
fi
# -z: bestandsnamen precies zoals ze zijn (spaties, letters met accenten). Eerst naar een
# lijst, zodat een mislukte git diff het script stopt in plaats van "niets gewijzigd" te melden.
changed=()
list="$(mktemp)"
git diff -z --name-only --diff-filter=ACMR "$base...HEAD" -- >"$list"
mapfile -d '' changed <"$list"
rm -f "$list"

pages=()
whole=""
for file in "${changed[@]}"; do
    case "$file" in
        werkkader/*.md|werkinstructies/*.md|partners/*.md|docs/*.md|publiek/*.md|partners/*.yml)
            pages+=("$file") ;;
        glossary.yml|werkkader/*.yml|werkinstructies/*.yml|docs/*.yml|publiek/*.yml)
            whole="$file" ;;
    esac
done

if [[ -n "$whole" ]]; then
    echo "pr-check: $whole is gewijzigd; alle inhoud wordt gecontroleerd." >&2
    exec "$buut" check --format "$format"
fi
if ((${#pages[@]} == 0)); then
    echo "pr-check: geen gewijzigde inhoud om te controleren (vergeleken met $base)." >&2
    exit 0
fi
echo "pr-check: ${#pages[@]} gewijzigd(e) bestand(en) controleren (vergeleken met $base)." >&2
exec "$buut" check --format "$format" -- "${pages[@]}"
