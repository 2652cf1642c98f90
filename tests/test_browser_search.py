"""Answer cards in the browser: a query that clearly names a voorziening, partner or begrip shows a card
with its key data as the first result of the intranet's search box (issue 16).

Uses the servers, Chromium and helpers of tests/test_browser.py (same requirements: Debian's Chromium and
`npm ci` for axe-core; without them these tests fail, they do not skip).
"""
from __future__ import annotations

import pytest
from test_browser import BLOCKING_IMPACTS, WIDTHS, browser, fresh, page_paths, run_axe, run_search, sites, tabs  # noqa: F401


@pytest.mark.parametrize("width", WIDTHS)
def test_a_query_naming_a_voorziening_shows_its_card_first(fresh, sites, width):
    page = fresh("zoekresultaten", width)
    run_search(page, "hbh aanvragen")
    card = page.locator(".buut-zoek .buut-kaart").first
    card.wait_for(state="visible")
    first = page.locator(".buut-zoek .md-search-result__item").first
    assert "buut-kaart" in first.get_attribute("class"), "de antwoordkaart is niet het eerste resultaat"
    text = card.inner_text()
    assert "voorziening" in text.lower() and "Hulp bij het huishouden" in text, text
    assert "Wie beslist" in text and "Beschikking" in text and "8 weken" in text, text
    link = card.locator("a.md-search-result__link")
    assert link.get_attribute("href") == sites["intranet"] + "/werkinstructies/hulp-bij-het-huishouden/"
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not serious, f"axe vindt bij de antwoordkaart: {serious}"
    page.keyboard.press("Escape")


def test_a_deprecated_term_shows_what_to_write_instead(fresh):
    page = fresh("zoekresultaten", "desktop")
    run_search(page, "intake")
    card = page.locator(".buut-zoek .buut-kaart").first
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "begrip" in text.lower() and "Schrijf liever" in text and "eerste gesprek" in text, text


def test_a_query_that_names_nothing_gets_no_card(fresh):
    page = fresh("zoekresultaten", "desktop")
    run_search(page, "schuld hulp route 020")
    assert page.locator(".buut-zoek .md-search-result__item").count() > 0
    assert page.locator(".buut-zoek .buut-kaart").count() == 0
