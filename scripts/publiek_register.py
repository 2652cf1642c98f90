"""Count what a partner reads on the built public site that is not meant for partners.

    python3 scripts/publiek_register.py [site/publiek] [--per-pagina]

Reads the text of every page's article (what a partner reads, after `buut build`) and prints the
number of informal forms of address (je, jij, jou, jouw, jullie, jezelf), of references to the
intranet ("op BUUT", "zie BUUT", "intranet", Kick) and of every mention of the name BUUT, next to
the formal forms (u, uw) for scale. The patterns here are
deliberately simpler than the build check in `buut/check/public_wording.py`: this is an independent
measurement of the output, not a second check (it also counts "je" where the check would not,
for instance in a quoted title).
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import lxml.html

JE = re.compile(r"\b(?:je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)
U = re.compile(r"\b(?:u|uw|uzelf)\b", re.IGNORECASE)
INTRANET = re.compile(r"\b(?:op|zie|via|naar|in)\s+(?:het\s+)?(?:(?:sociaal\s+)?intranet\s*,?\s+)?BUUT\b"
                      r"|\bintranet\b|\bKick\b")
BUUT = re.compile(r"\bBUUT\b")


def article_text(path: Path) -> str:
    tree = lxml.html.fromstring(path.read_bytes())
    return " ".join(" ".join(a.itertext()) for a in tree.xpath("//article"))


def main(argv: list[str]) -> int:
    per_page = "--per-pagina" in argv
    args = [a for a in argv if not a.startswith("--")]
    site = Path(args[0] if args else "site/publiek")
    if not (site / "index.html").is_file():
        print(f"{site}: geen gebouwde site (eerst: buut build)", file=sys.stderr)
        return 2
    totals: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":
            continue
        text = article_text(path)
        counts = {"je": len(JE.findall(text)), "intranet": len(INTRANET.findall(text)),
                  "buut": len(BUUT.findall(text)), "u": len(U.findall(text))}
        totals.update(counts)
        pages.update({name for name, count in counts.items() if count})
        if per_page and (counts["je"] or counts["intranet"]):
            print(f"  {path.relative_to(site)}: je {counts['je']}, intranet {counts['intranet']}, BUUT {counts['buut']}")
    print(f"{site}: je-vormen {totals['je']} (op {pages['je']} pagina's), "
          f"verwijzingen naar het intranet {totals['intranet']} (op {pages['intranet']} pagina's), "
          f"de naam BUUT {totals['buut']} (op {pages['buut']} pagina's), "
          f"u-vormen {totals['u']} (op {pages['u']} pagina's)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
