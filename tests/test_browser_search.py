"""Answer cards in the browser: a query that clearly names a voorziening, partner or begrip shows a card
with its key data as the first result of the intranet's search box (issue 16).

Debian's Chromium, driven by Playwright as in tests/test_browser.py (same requirements; without them
these tests fail, they do not skip). Playwright's sync API runs one instance per thread and
tests/test_browser.py keeps its own open for the whole session, so each check here drives Chromium
in a child process (`CHECK` below) against the intranet that this process serves.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_browser import AXE, AXE_TAGS, BLOCKING_IMPACTS, CHROMIUM, CHROMIUM_ARGS, WIDTHS, sites  # noqa: F401

CHECK = r"""
import json, sys
from playwright.sync_api import sync_playwright

base, query, width, chromium, axe, args, tags, tests = sys.argv[1:9]
sys.path.insert(0, tests)
from test_browser import run_search
viewport = json.loads(width)
mobile = viewport["width"] < 600
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=json.loads(args))
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(base + "/", wait_until="load")
    page.wait_for_load_state("networkidle")
    run_search(page, query)
    page.wait_for_load_state("networkidle")
    try:  # the answer to the whole query, not to what was typed so far, may come in a moment later
        page.locator(".buut-zoek .buut-kaart").first.wait_for(state="visible", timeout=5_000)
    except Exception:
        pass  # no card: the test decides whether that is right
    first = page.locator(".buut-zoek .md-search-result__item").first
    cards = page.locator(".buut-zoek .buut-kaart")
    found = {"first_is_card": "buut-kaart" in (first.get_attribute("class") or ""), "cards": cards.count(),
             "results": page.locator(".buut-zoek .md-search-result__item").count()}
    if cards.count():
        found["text"] = cards.first.inner_text()
        found["href"] = cards.first.locator("a.md-search-result__link").get_attribute("href")
    page.evaluate(open(axe, encoding="utf-8").read())  # through DevTools: the site's CSP stays on
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", json.loads(tags))
    found["violations"] = [{"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:3]}
                           for v in result["violations"]]
    browser.close()
print(json.dumps(found))
"""


def search_in_browser(base: str, query: str, width: str = "desktop") -> dict:
    for needed, how in ((CHROMIUM, "`apt-get install chromium`"), (AXE, "`npm ci`")):
        if not needed.is_file():
            pytest.fail(f"{needed} ontbreekt; installeer het met {how} (bash scripts/test.sh doet dat).", pytrace=False)
    done = subprocess.run([sys.executable, "-c", CHECK, base, query, json.dumps(WIDTHS[width]), str(CHROMIUM), str(AXE),
                           json.dumps(CHROMIUM_ARGS), json.dumps(AXE_TAGS), str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("width", WIDTHS)
def test_a_query_naming_a_voorziening_shows_its_card_first(sites, width):
    found = search_in_browser(sites["intranet"], "hbh aanvragen", width)
    assert found["first_is_card"], f"de antwoordkaart is niet het eerste resultaat: {found}"
    text = found["text"]
    assert "voorziening" in text.lower() and "Hulp bij het huishouden" in text, text
    assert "Wie beslist" in text and "Beschikking" in text and "8 weken" in text, text
    assert found["href"] == sites["intranet"] + "/werkinstructies/hulp-bij-het-huishouden/"
    serious = [v for v in found["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not serious, f"axe vindt bij de antwoordkaart: {serious}"


def test_a_deprecated_term_shows_what_to_write_instead(sites):
    found = search_in_browser(sites["intranet"], "intake")
    text = found.get("text", "")
    assert found["first_is_card"] and "begrip" in text.lower(), found
    assert "Schrijf liever" in text and "eerste gesprek" in text, text


def test_a_query_that_names_nothing_gets_no_card(sites):
    found = search_in_browser(sites["intranet"], "schuld hulp route 020")
    assert found["results"] > 0 and found["cards"] == 0, found
