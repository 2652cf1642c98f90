"""The public site's own search in the browser (issue 24, point 6): the header's search box searches
`zoeken/index.json` with `javascripts/zoeken-publiek.js`, without a server of its own.

Debian's Chromium (the session's one browser, tests/chromium.py) on the built public site served as
plain files, as nginx serves it. Each query is typed as a partner would; the page's
Content-Security-Policy (the `<meta>` of the public site) stays on and must block nothing.
"""
from __future__ import annotations

import json

import pytest
from test_browser import BLOCKING_IMPACTS, TIMEOUT_MS, run_axe, sites  # noqa: F401 - the served sites

RESULTS = ".buut-pzoek__resultaten"


@pytest.fixture(scope="module")
def public_tab(browser, sites):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page, sites["publiek"], problems
    context.close()


def ask(page, base: str, query: str, path: str = "werkkader/") -> dict:
    """Type the query into the header's search box of a public page; what the results show."""
    page.goto(f"{base}/{path}", wait_until="load")
    box = page.locator(".buut-pzoek .md-search__input")
    box.click()
    box.press_sequentially(query, delay=15)
    # the answer to the whole question (one to what was typed so far may come first)
    page.wait_for_function("([selector, query]) => document.querySelector(selector)?.dataset.vraag === query",
                           arg=[RESULTS, query])
    return page.evaluate("""selector => {
        const box = document.querySelector(selector);
        return {meta: box.querySelector('.md-search-result__meta').textContent,
                links: [...box.querySelectorAll('a.md-search-result__link')].map(a => a.getAttribute('href')),
                headings: [...box.querySelectorAll('.md-search-result__article h1')].map(h => h.textContent),
                texts: [...box.querySelectorAll('.md-search-result__article p')].map(p => p.textContent),
                elements: box.querySelectorAll('.md-search-result__article *').length};
    }""", RESULTS)


def test_a_typo_finds_the_page_and_offers_the_correction(public_tab):
    page, base, problems = public_tab
    shown = ask(page, base, "schuldhlup")
    assert "Bedoelde u: schuldhulp?" in shown["meta"], shown["meta"]
    assert shown["links"] and shown["links"][0].endswith("/werkkader/2-8-integrale-schuldhulp/"), shown["links"][:3]
    assert shown["headings"][0] == "2.8 Integrale schuldhulp"
    blocking = [(v["id"], v["impact"]) for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []  # the open search box and its results, as for the intranet's
    assert problems == []


def test_an_everyday_word_from_the_glossary_finds_its_begrip(public_tab):
    page, base, problems = public_tab
    shown = ask(page, base, "huisuitzetting")  # the content says woningontruiming
    assert any(link.endswith("begrippenlijst/#woningontruiming") for link in shown["links"][:3]), shown["links"][:5]
    assert not any("huisuitzetting" in text.lower() for text in shown["texts"])  # found by the synonym only
    assert problems == []


def test_another_word_form_finds_the_section(public_tab):
    page, base, problems = public_tab
    shown = ask(page, base, "daklozen")  # the content says dakloos
    assert "Niets gevonden" not in shown["meta"] and "Bedoelde" not in shown["meta"], shown["meta"]
    assert any("dakloos" in text for text in shown["texts"]), shown["texts"][:3]
    assert problems == []


def test_a_word_nobody_wrote_says_so_in_dutch(public_tab):
    page, base, problems = public_tab
    shown = ask(page, base, "qwxzv")
    assert shown["meta"] == "Niets gevonden. Probeer andere of minder woorden." and shown["links"] == []
    assert problems == []


def test_text_from_the_index_is_shown_as_text_never_as_html(public_tab, built_public):
    """An index whose texts hold markup (as if a page's text said so) shows that markup as letters."""
    page, base, problems = public_tab
    index = json.loads((built_public / "zoeken" / "index.json").read_text(encoding="utf-8"))
    first = next(i for i, s in enumerate(index["secties"]) if s[0] == "werkkader/2-8-integrale-schuldhulp/")
    index["secties"][first][1] = '<img src="x" id="ingevoegd">Schuldhulp'
    index["secties"][first][3] = "<b>vet</b> schuldhulp " + index["secties"][first][3]
    page.route("**/zoeken/index.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(index, ensure_ascii=False)))
    try:
        shown = ask(page, base, "schuldhulp", path="visie/")  # another page: the index is loaded anew
    finally:
        page.unroute("**/zoeken/index.json")
    assert '<img src="x" id="ingevoegd">Schuldhulp' in shown["headings"]
    assert any(text.startswith("<b>vet</b>") for text in shown["texts"])
    assert page.locator("#ingevoegd").count() == 0 and shown["elements"] == 2 * len(shown["headings"])
    assert problems == []
