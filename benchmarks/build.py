"""`buut build` versus a plain mkdocs-material build of the same Markdown (run by hand; not a test).

    .venv/bin/python benchmarks/build.py [--pages 100,1000,5000] [--runs 3]

For each N, `benchmarks/corpus.py` makes a whole repository in `benchmarks/out/bouw-N/`: BUUT's own
content and configuration plus N generated pages and N/10 generated partners. Then, each `--runs`
times, in a fresh process:

- `buut build`: validation, the terminology and privacy checks, generated pages, both sites (intranet
  and public) and both search indexes;
- `mkdocs build -f mkdocs-plain.yml`: mkdocs-material alone on the same Markdown (docs/, werkkader/,
  werkinstructies/), one site, its built-in search index, no BUUT plugin.

It prints the median wall time, the peak resident memory of the process, the ratio BUUT/plain, and
the growth t(5000)/t(1000), and the size of the `search_index.json` that every browser downloads
for mkdocs-material's built-in search. Timings depend on the machine and its load: compare ratios in one run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, generate_repo  # noqa: E402

BIN = Path(sys.executable).parent


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command, read with wait4."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} faalde:\n{stderr.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(command: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    results = [run(command, cwd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = {}
    for pages in (int(p) for p in args.pages.split(",")):
        repo = generate_repo(pages, pages // 10, ROOT / "benchmarks" / "out" / f"bouw-{pages}")
        buut = measure([str(BIN / "buut"), "build", "--root", str(repo)], repo, args.runs)
        plain = measure([str(BIN / "mkdocs"), "build", "-q", "-f", "mkdocs-plain.yml"], repo, args.runs)
        rows[pages] = (buut, plain)
        print(f"N={pages}: buut {buut[0]:.1f} s, plain {plain[0]:.1f} s", flush=True)
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.runs} runs (mediaan)\n")
    print("| pagina's | buut build | piekgeheugen | mkdocs-material alleen | piekgeheugen | verhouding "
          "| search_index.json |")
    print("|---|---|---|---|---|---|---|")
    for pages, ((bt, bm), (pt, pm)) in rows.items():
        index = ROOT / "benchmarks" / "out" / f"bouw-{pages}" / "site" / "intranet" / "search" / "search_index.json"
        print(f"| {pages} | {bt:.1f} s | {bm:.0f} MiB | {pt:.1f} s | {pm:.0f} MiB | {bt / pt:.2f}× "
              f"| {index.stat().st_size / 2**20:.1f} MiB |")
    if 1000 in rows and 5000 in rows:
        print(f"\ngroei t(5000)/t(1000): buut {rows[5000][0][0] / rows[1000][0][0]:.2f}, "
              f"plain {rows[5000][1][0] / rows[1000][1][0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
