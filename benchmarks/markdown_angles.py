"""How long Python-Markdown takes for a page with many '<' (raw HTML), and how many a real page has.

    .venv/bin/python benchmarks/markdown_angles.py [--counts 500,1000,2000,4000]

Why `policy.MAX_ANGLE_BRACKETS` is what it is: the parsing is quadratic in '<'. Uses the Markdown
extensions of mkdocs.yml (without emoji, which needs the theme). A measurement, not a test.
"""
from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
              "pymdownx.details", "pymdownx.superfences"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="500,1000,2000,4000")
    args = parser.parse_args()
    pages = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    most = max(pages, key=lambda p: (ROOT / p).read_text(encoding="utf-8").count("<"))
    print(f"meeste '<' op een pagina van deze repository: {(ROOT / most).read_text(encoding='utf-8').count('<')} "
          f"({most})")
    for count in (int(c) for c in args.counts.split(",")):
        text = "Zie <a " * count
        started = time.perf_counter()
        markdown.markdown(text, extensions=EXTENSIONS)
        print(f"{count:>6} keer '<a ' ({len(text) / 1000:.0f} kB): {time.perf_counter() - started:.2f} s", flush=True)


if __name__ == "__main__":
    main()
