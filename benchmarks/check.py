"""Speed of `buut check` on a synthetic corpus, next to GNU grep with the same word forms (by hand).

    .venv/bin/python benchmarks/check.py [--pages 5000] [--runs 3]

Prints, for the whole corpus:
- MB/s of BUUT's terminology check in one process on one core (glossary loaded once; every page
  checked for its own doelgroep, Markdown-aware, split verbs, compounds, exceptions);
- MB/s of `grep -E -i -c` with the same word forms: for each doelgroep the forms of exactly the
  rules that apply to it (generated forms from `woorden`, the patterns of `vormen` and the stems of
  `scheidbaar`), run over the pages of that doelgroep. grep knows no Markdown, compounds rules or
  exceptions: it is the floor;
- the wall time of `buut check` on one page and on three changed files, as an editor's save or a
  pull request runs it (process start included).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, generate  # noqa: E402

from buut.check.terminology import check_text, compile_rules  # noqa: E402
from buut.load.content import split_front_matter  # noqa: E402
from buut.check.glossary import load_glossary  # noqa: E402


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def doelgroep_of(text: str) -> tuple[str, ...]:
    for audience in ("partners", "amsterdammers"):
        if f"doelgroep: {audience}" in text[:200]:
            return (audience,)
    return ("medewerkers",)


def grep_patterns(rules, doelgroepen) -> list[str]:
    """The word forms the check looks for on pages for these audiences, as grep -E patterns."""
    patterns = []
    for rule in rules:
        if not rule.applies_to(doelgroepen):
            continue
        edge = "" if rule.term.samenstellingen else "\\b"
        patterns += [f"{edge}{word}{edge}" for word in sorted(rule.words)]
        patterns += [f"\\b({form})\\b" for form in rule.term.vormen]
        patterns += [f"\\b({stem})\\b" for stem, _ in rule.term.scheidbaar]
        patterns += [f"\\b{form}\\b" for form in sorted(rule.finite)]
    return patterns


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
            found.extend(check_text(text, path, rules, doelgroep_of(text), body_line or 1))

    buut_seconds = median_time(buut_check, args.runs)

    by_audience = defaultdict(list)
    for path, text in texts:
        by_audience[doelgroep_of(text)].append(path)
    out = ROOT / "benchmarks" / "out"
    commands = []
    for audience, paths in sorted(by_audience.items()):
        words = out / f"woorden-{'-'.join(audience)}.txt"
        words.write_text("\n".join(grep_patterns(rules, audience)) + "\n", encoding="utf-8")
        listing = out / f"bestanden-{'-'.join(audience)}.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        commands.append(f"xargs -a {listing} grep -i -E -c -f {words} > /dev/null")

    def grep_all():
        for command in commands:
            subprocess.run(command, shell=True, check=False)

    grep_seconds = median_time(grep_all, args.runs)

    buut = Path(sys.executable).with_name("buut")
    single = [str(buut), "check", "--root", str(ROOT), "docs/index.md"]
    subprocess.run(single, capture_output=True, cwd=ROOT)  # the first run fills the glossary cache
    single_runs = max(5, args.runs)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    single_seconds = median_time(lambda: subprocess.run(single, capture_output=True, cwd=ROOT), single_runs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    single_cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / single_runs
    changed = [str(f) for f in files[:3]]
    pr_seconds = median_time(
        lambda: subprocess.run([str(buut), "check", "--root", str(ROOT), *changed], capture_output=True), args.runs)

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0))} cores")
    print(f"corpus: {len(files)} pagina's, {megabytes:.1f} MB ({args.runs} runs, mediaan)")
    print(f"buut check (in proces, 1 core): {buut_seconds:.2f} s = {megabytes / buut_seconds:.1f} MB/s, "
          f"{len(found)} meldingen")
    print(f"grep -E -i (zelfde woordvormen en doelgroepen): {grep_seconds:.2f} s = {megabytes / grep_seconds:.1f} MB/s")
    print(f"verhouding buut/grep: {buut_seconds / grep_seconds:.1f}x")
    print(f"buut check op één pagina (docs/index.md, met opstarten): {single_seconds:.2f} s wandtijd, "
          f"{single_cpu:.2f} s processortijd")
    print(f"belasting van de machine (load average, 1 min): {os.getloadavg()[0]:.1f}")
    print(f"buut check op 3 gewijzigde bestanden (pull request, met opstarten): {pr_seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
