"""Speed of `buut check` on a synthetic corpus, next to GNU grep with the same word list (by hand).

    .venv/bin/python benchmarks/check.py [--pages 5000] [--runs 3]

Prints, for the whole corpus: MB/s of BUUT's check on one core (glossary loaded once, every page
checked with every rule, Markdown-aware), MB/s of `grep -E -i -r` with the glossary's word forms as
one alternation (the floor: no Markdown, no audiences, no split verbs), and the wall time of
`buut check` on three changed files, as a pull request runs it (process start included).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, generate  # noqa: E402

from buut.check import check_text, compile_rules  # noqa: E402
from buut.content import split_front_matter  # noqa: E402
from buut.glossary import load_glossary  # noqa: E402


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = generate(args.pages, ROOT / "benchmarks" / "out" / f"corpus-{args.pages}")
    files = sorted(corpus.rglob("*.md"))
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    megabytes = sum(len(t.encode()) for _, t in texts) / 1e6
    rules = compile_rules(load_glossary(ROOT / "glossary.yml"))

    found = []

    def buut_check():
        found.clear()
        for path, text in texts:
            _, _, body_line = split_front_matter(text)
            doelgroep = ("partners",) if "doelgroep: partners" in text[:200] else ("medewerkers",)
            found.extend(check_text(text, path, rules, doelgroep, body_line or 1))

    buut_seconds = median_time(buut_check, args.runs)

    words = ROOT / "benchmarks" / "out" / "woorden.txt"
    forms = [v for r in rules for v in r.term.vormen]
    words.write_text("\n".join(f"\\b({v})\\b" for v in forms) + "\n", encoding="utf-8")
    grep = ["grep", "-r", "-i", "-E", "-c", "-f", str(words), str(corpus)]
    grep_seconds = median_time(lambda: subprocess.run(grep, capture_output=True, check=False), args.runs)

    changed = [str(f) for f in files[:3]]
    buut = Path(sys.executable).with_name("buut")
    pr_seconds = median_time(
        lambda: subprocess.run([str(buut), "check", "--root", str(ROOT), *changed], capture_output=True), args.runs)

    print(f"corpus: {len(files)} pagina's, {megabytes:.1f} MB ({args.runs} runs, mediaan)")
    print(f"buut check (in proces, 1 core): {buut_seconds:.2f} s = {megabytes / buut_seconds:.1f} MB/s, "
          f"{len(found)} meldingen")
    print(f"grep -E -i (zelfde woordvormen): {grep_seconds:.2f} s = {megabytes / grep_seconds:.1f} MB/s")
    print(f"verhouding buut/grep: {buut_seconds / grep_seconds:.1f}x")
    print(f"buut check op 3 gewijzigde bestanden (pull request, met opstarten): {pr_seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
