"""Precision and recall of `buut check` per kind of case, at warning and error level (by hand).

    .venv/bin/python benchmarks/check_quality.py [--cases benchmarks/taalcontrole_meting.yml]
                                                 [--root .] [--code .]

Each case (see the cases file) becomes a Markdown file outside the content folders, with front
matter for its doelgroep (a `doelgroep` case brings its own, incomplete, front matter). One run
of `buut check --format json --min-level warning` checks them all. A finding counts as right when
its matched text is one the case expects; precision = right / found, recall = right / expected.

`--code DIR --root DIR` measure another version, for example the one before issue 17:

    git archive f637d12 | tar -x -C /tmp/buut-voor
    .venv/bin/python benchmarks/check_quality.py --code /tmp/buut-voor --root /tmp/buut-voor
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def case_file(case: dict) -> str:
    if "bestand" in case:
        return case["bestand"]
    doelgroep = case.get("doelgroep", "medewerkers")
    return f"---\ntitel: Meting\neigenaar: redactie-test\ndoelgroep: {doelgroep}\n---\n\n{case['tekst']}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "benchmarks" / "taalcontrole_meting.yml")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--code", type=Path, default=ROOT, help="map met de buut-code die je meet")
    parser.add_argument("--fouten", action="store_true", help="toon elk geval dat niet klopt")
    args = parser.parse_args()
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, case in enumerate(cases):
            path = Path(folder) / f"geval-{number:03d}.md"
            path.write_text(case_file(case), encoding="utf-8")
            paths.append(str(path))
        env = dict(os.environ, PYTHONPATH=str(args.code.resolve()))
        result = subprocess.run(
            [sys.executable, "-c", "from buut.cli import main; main()", "check", "--format", "json",
             "--min-level", "warning", "--root", str(args.root.resolve()), *paths],
            capture_output=True, text=True, env=env, cwd=folder)
        if result.returncode == 2:
            print(result.stderr)
            return 2
        findings = json.loads(result.stdout or "[]")
    found = defaultdict(list)
    for finding in findings:
        if finding["rule"].startswith(("frontmatter", "schema")):
            continue  # about the file, not about a word
        found[Path(finding["path"]).name].append(finding["match"].lower())
    totals = defaultdict(lambda: [0, 0, 0])  # right, found, expected
    for number, case in enumerate(cases):
        expected = [e.lower() for e in case["verwacht"]]
        got = found.get(f"geval-{number:03d}.md", [])
        right = sum(1 for e in expected if e in got)
        if args.fouten and (right < len(expected) or len(got) > right):
            print(f"{case['soort']}: verwacht {expected}, gevonden {got}: {case.get('tekst') or case['bestand']!r}")
        for key, value in (("right", right), ("found", len(got)), ("expected", len(expected))):
            totals[case["soort"]][("right", "found", "expected").index(key)] += value
    print(f"{'soort':<14} {'precisie':>9} {'recall':>7}   (goed / gevonden / verwacht)")
    overall = [0, 0, 0]
    for kind, (right, got, expected) in totals.items():
        overall = [a + b for a, b in zip(overall, (right, got, expected))]
        print(f"{kind:<14} {right / got if got else 1:>9.2f} {right / expected if expected else 1:>7.2f}"
              f"   ({right} / {got} / {expected})")
    right, got, expected = overall
    print(f"{'totaal':<14} {right / got if got else 1:>9.2f} {right / expected if expected else 1:>7.2f}"
          f"   ({right} / {got} / {expected})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
