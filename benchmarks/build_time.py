"""Median wall time of `buut build` on this repository (run by hand; not a test).

    .venv/bin/python benchmarks/build_time.py [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    buut = Path(sys.executable).with_name("buut")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([str(buut), "build", "--root", str(ROOT)], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    pages = sum(1 for _ in (ROOT / "site" / "intranet").rglob("index.html"))
    print(f"buut build: mediaan {statistics.median(times):.2f} s over {args.runs} runs "
          f"(min {min(times):.2f} s, max {max(times):.2f} s), {pages} HTML-pagina's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
