"""Where the work of `buut build` goes, stage by stage, on one core (run by hand).

    .venv/bin/python benchmarks/build.py --pages 1000 --runs 1   # makes benchmarks/out/bouw-1000
    .venv/bin/python benchmarks/build_breakdown.py benchmarks/out/bouw-1000

Prints the seconds of each stage run one after the other: loading, the checks, the intranet, the
public site (with its leak gate, also shown on its own), each search index. `buut build` runs them
on two cores (DEVELOPERS.md, "Bouwen op twee cores"): this process loads and builds the intranet,
a second one checks, builds the public site and indexes both sites while the intranet is built;
its wall time is about the longer of those two columns (printed last).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from buut.build import leakgate
from buut import search
from buut.build.project import load_project, validate_project
from buut.build.site import build_sites


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/bouw-1000")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    seconds = {}
    started = time.perf_counter()
    load_project(root)
    seconds["laden"] = time.perf_counter() - started
    started = time.perf_counter()
    project = validate_project(root)
    seconds["controles"] = time.perf_counter() - started - seconds["laden"]  # validate loads again
    gate = leakgate.gate

    def timed_gate(*args):
        begun = time.perf_counter()
        try:
            return gate(*args)
        finally:
            seconds["lekcontrole"] = time.perf_counter() - begun

    leakgate.gate = timed_gate
    results = []
    for site in ("intranet", "publiek"):
        started = time.perf_counter()
        results += build_sites(project, (site,), parallel=False)
        seconds[f"site {site}"] = time.perf_counter() - started
    for result in results:
        started = time.perf_counter()
        sections = search.build_index(project, result.site_dir.name, result.site_dir)
        seconds[f"zoekindex {result.site_dir.name} ({sections} secties)"] = time.perf_counter() - started
    for stage, spent in seconds.items():
        print(f"{stage}: {spent:.1f} s")
    first = seconds["laden"] + seconds["site intranet"]
    second = sum(spent for stage, spent in seconds.items() if stage not in ("laden", "site intranet", "lekcontrole"))
    print(f"\nop twee cores: hoofdproces (laden, intranet) {first:.1f} s; tweede proces (controles, publieke site, "
          f"beide zoekindexen) {second:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
