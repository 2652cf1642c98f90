"""Where the time of `buut build` goes, step by step, on a corpus repository (run by hand).

    .venv/bin/python benchmarks/build.py --pages 1000 --runs 1   # makes benchmarks/out/bouw-1000
    .venv/bin/python benchmarks/build_breakdown.py benchmarks/out/bouw-1000

Prints the seconds of: loading and checking, the intranet, the public site, each search index.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from buut import search
from buut.project import validate_project
from buut.site import build_sites


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/bouw-1000")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    started = time.perf_counter()
    project = validate_project(root)
    print(f"laden en controleren: {time.perf_counter() - started:.1f} s")
    results = []
    for site in ("intranet", "publiek"):
        started = time.perf_counter()
        results += build_sites(project, (site,))
        print(f"site {site}: {time.perf_counter() - started:.1f} s")
    for result in results:
        started = time.perf_counter()
        sections = search.build_index(project, result.site_dir.name, result.site_dir)
        print(f"zoekindex {result.site_dir.name} ({sections} secties): {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
