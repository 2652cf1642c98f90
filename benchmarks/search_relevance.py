"""Relevance side by side: BUUT's search versus mkdocs-material's own search (run by hand).

    .venv/bin/python benchmarks/search_relevance.py

Runs every labelled query of `tests/zoekvragen.yml` through

- BUUT's search (`/api/zoek`, the whoosh index with the begrippenlijst), and
- mkdocs-material's built-in search (lunr, `lang: nl` with the stemmer pipeline), typed into the
  search box of the built intranet in Debian Chromium driven by Playwright,

and prints MRR@10 of both, with the queries where they differ. The site is served on 127.0.0.1
without the API, so the page uses the built-in search; no request leaves the machine.
Needs `/usr/bin/chromium` (apt-get install -y chromium) and the `playwright` package.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def material_results(page, base: str, query: str) -> list[str]:
    page.goto(base + "/")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta') && "
                           "!/initialiseren/i.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=20_000)
    page.focus(".md-search__input")  # the search button is only shown on narrow screens
    page.keyboard.type(query, delay=10)  # material listens to key events; fill() is not seen
    page.wait_for_function("() => !/Typ om|initialiseren/i.test("
                           "document.querySelector('.md-search-result__meta').textContent)", timeout=20_000)
    page.wait_for_timeout(300)  # let the last keystroke's answer replace the previous one
    return link_urls(page.eval_on_selector_all(".md-search-result__list a.md-search-result__link",
                                               "links => links.map(a => a.href)"))


def link_urls(hrefs: list[str]) -> list[str]:
    """The result links as site addresses ("werkkader/2-3-regie/#formele-regie"), each once, in order."""
    urls = []
    for href in hrefs:
        parsed = urlparse(href)
        url = parsed.path.lstrip("/") + (f"#{parsed.fragment}" if parsed.fragment else "")
        if url not in urls:
            urls.append(url)
    return urls


def main() -> None:
    import waitress.server
    from playwright.sync_api import sync_playwright
    from test_relevance import LABELLED, reciprocal_rank

    from buut import search
    from buut.build.project import load_project
    from buut.serve.app import SiteApp

    site = ROOT / "site" / "intranet"
    if not (site / "index.html").is_file():
        sys.exit("Bouw eerst het intranet: .venv/bin/buut build")
    searcher = search.Searcher.open(search.index_dir(ROOT, "intranet"), load_project(ROOT))
    server = waitress.server.create_server(SiteApp(site), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    outside = []
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        for item in LABELLED:
            ours = reciprocal_rank([h.url for h in searcher.search(item["vraag"]).results], item["antwoord"])
            theirs = reciprocal_rank(material_results(page, base, item["vraag"]), item["antwoord"])
            rows.append((item["vraag"], ours, theirs))
        browser.close()
    server.close()
    buut_mrr = sum(r[1] for r in rows) / len(rows)
    material_mrr = sum(r[2] for r in rows) / len(rows)
    print(f"{len(rows)} gelabelde zoekvragen (tests/zoekvragen.yml)\n")
    print("| zoekvraag | BUUT | mkdocs-material |")
    print("|---|---|---|")
    for query, ours, theirs in rows:
        if abs(ours - theirs) > 1e-9:
            print(f"| {query} | {ours:.2f} | {theirs:.2f} |")
    print(f"| **MRR@10** | **{buut_mrr:.3f}** | **{material_mrr:.3f}** |")
    print(f"\nVerzoeken naar een andere host: {len(outside)}")


if __name__ == "__main__":
    main()
