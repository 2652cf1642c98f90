"""The public site's search against lunr, the theme's search it replaced (run by hand).

    .venv/bin/python benchmarks/search_public.py

Runs every labelled query of `benchmarks/zoekvragen_publiek.yml` through

- BUUT's static search (`docs/javascripts/zoeken-publiek.js` over `zoeken/index.json`), typed into
  the header's search box of the built public site (`site/publiek/`, build it first), and
- mkdocs-material's own search (lunr with `lunr-languages`, `lang: nl` with the stemmer pipeline,
  as `mkdocs.publiek.yml` had it before): a copy of the repository is built with that search
  plugin put back, and the query is typed into the theme's search box, so the theme's own worker
  and query handling run,

both in Debian Chromium driven by Playwright, on 127.0.0.1 (no request leaves the machine). Prints
the reciprocal rank of each query for both, MRR@10 per kind of query and in all. The ranks count
the result links in the order shown (a section counts for its page when the answer is a page), as
`benchmarks/search_relevance.py` does for the intranet.
"""
from __future__ import annotations

import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

LABELLED = yaml.safe_load((ROOT / "benchmarks" / "zoekvragen_publiek.yml").read_text(encoding="utf-8"))
# What mkdocs.publiek.yml said before the static search replaced the theme's (issue 24, point 6).
LUNR_PLUGIN = """  - search:
      lang: nl
      pipeline: [stemmer, stopWordFilter, trimmer]
"""
LUNR_FEATURES = "    - search.suggest\n    - search.highlight\n"


def ours(page, base: str, query: str) -> list[str]:
    """The result links of BUUT's static search, as shown under the header's search box."""
    page.goto(base + "/")
    page.focus(".buut-pzoek .md-search__input")
    page.keyboard.type(query, delay=10)
    page.wait_for_function("query => document.querySelector('.buut-pzoek__resultaten')?.dataset.vraag === query",
                           arg=query, timeout=20_000)  # the answer to the whole query, not to a part typed
    from search_relevance import link_urls

    return link_urls(page.eval_on_selector_all(".buut-pzoek__resultaten a.md-search-result__link",
                                               "links => links.map(a => a.href)"))


def lunr_site(folder: Path) -> Path:
    """A copy of the repository built with the theme's lunr search, as the public site had it."""
    from click.testing import CliRunner
    from conftest import copy_repo

    from buut.cli import main

    root = copy_repo(folder / "repo")
    config = root / "mkdocs.publiek.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("      site: publiek\n", "      site: publiek\n" + LUNR_PLUGIN, 1)
    text = text.replace("    - navigation.footer\n", "    - navigation.footer\n" + LUNR_FEATURES, 1)
    text = "".join(line for line in text.splitlines(keepends=True) if "zoeken-publiek.js" not in line)
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    if result.exit_code != 0:
        sys.exit(f"De kopie met lunr bouwt niet:\n{result.output}")
    site = root / "site" / "publiek"
    if not (site / "search" / "search_index.json").is_file():
        sys.exit("De kopie met lunr heeft geen search/search_index.json")
    return site


def serve(site: Path):
    import waitress.server

    from buut.serve.app import SiteApp

    server = waitress.server.create_server(SiteApp(site), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", server


def main() -> None:
    from playwright.sync_api import sync_playwright
    from search_relevance import CHROMIUM, FLAGS, material_results
    from test_relevance import reciprocal_rank

    site = ROOT / "site" / "publiek"
    if not (site / "zoeken" / "index.json").is_file():
        sys.exit("Bouw eerst de sites: .venv/bin/buut build")
    with tempfile.TemporaryDirectory() as folder:
        print("De publieke site met lunr bouwen (een kopie van de repository) …", file=sys.stderr)
        old = lunr_site(Path(folder))
        base, server = serve(site)
        old_base, old_server = serve(old)
        outside, rows = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:"))
                    else None)
            for item in LABELLED:
                rows.append((item["vraag"], item.get("vorm", "trefwoorden"),
                             reciprocal_rank(ours(page, base, item["vraag"]), item["antwoord"]),
                             reciprocal_rank(material_results(page, old_base, item["vraag"]), item["antwoord"])))
            browser.close()
        server.close()
        old_server.close()
    print(f"{len(rows)} gelabelde zoekvragen voor de publieke site (benchmarks/zoekvragen_publiek.yml)\n")
    print("| zoekvraag | vorm | BUUT statisch | lunr |")
    print("|---|---|---|---|")
    per_kind = defaultdict(list)
    for query, kind, new, old_rank in rows:
        print(f"| {query} | {kind} | {new:.2f} | {old_rank:.2f} |")
        per_kind[kind].append((new, old_rank))
        per_kind["alle"].append((new, old_rank))
    print("\n| vorm | n | BUUT statisch | lunr |")
    print("|---|---|---|---|")
    for kind, pairs in per_kind.items():
        print(f"| {kind} | {len(pairs)} | {sum(p[0] for p in pairs) / len(pairs):.3f} | "
              f"{sum(p[1] for p in pairs) / len(pairs):.3f} |")
    new_mrr = sum(r[2] for r in rows) / len(rows)
    old_mrr = sum(r[3] for r in rows) / len(rows)
    print(f"\nMRR@10: BUUT statisch {new_mrr:.3f}, lunr {old_mrr:.3f}, verschil {new_mrr - old_mrr:+.3f}")
    print(f"Verzoeken naar een andere host: {len(outside)}")


if __name__ == "__main__":
    main()
