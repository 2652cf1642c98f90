"""The start page for medewerkers (issue 25, point 4), in Chromium with axe: search first, then the ways
in to werkinstructies, teams, wie schakel ik in, begrippen and what changed; nothing about git.

Uses the sites of tests/test_browser.py (the intranet served with its search API); fails without
Chromium or axe-core, never skips.
"""
from __future__ import annotations

import pytest
from test_browser import BLOCKING_IMPACTS, WIDTHS, describe, run_axe, sites  # noqa: F401

WAYS_IN = {"werkinstructies/": "Werkinstructies", "teams/": "Teams", "partners/wie-schakel-ik-in/": "Wie schakel ik in",
           "begrippenlijst/": "Begrippen", "wijzigingen/": "Wat is er veranderd"}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_start_page_puts_search_first_and_leads_to_every_part(browser, sites, width):
    context = browser.new_context(viewport=WIDTHS[width], locale="nl-NL", is_mobile=width == "mobiel")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(sites["intranet"] + "/", wait_until="networkidle")
        box = page.get_by_label("Waar zoek je naar?")
        box.wait_for()
        seen = page.evaluate("""() => {
            const article = document.querySelector('.md-content article');
            const search = article.querySelector('.buut-startzoek');
            const first = article.querySelector('.grid.cards a');
            const h1 = article.querySelector('h1'), text = article.querySelector('p');
            return {searchFirst: !!(search && first && (search.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)),
                    h1: getComputedStyle(h1).color, text: getComputedStyle(text).color,
                    links: [...article.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.innerText.trim()]),
                    words: article.innerText};
        }""")
        assert seen["searchFirst"]
        assert seen["h1"] == seen["text"], seen  # the title in the text colour, not light grey
        for target, label in WAYS_IN.items():
            href = next((h for h, t in seen["links"] if h.rstrip("/").endswith(target.rstrip("/")) and label in t), None)
            assert href is not None, (target, seen["links"])
            assert page.request.get(sites["intranet"] + "/" + target).status == 200
        for developer_word in ("git", "pull request", "redacteur"):
            assert developer_word not in seen["words"].lower(), developer_word
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, describe(blocking)
        box.fill("pgb aanvragen")
        box.press("Enter")
        page.locator(".buut-zoek .md-search-result__item").first.wait_for(state="visible")
        assert page.locator("input.md-search__input").input_value() == "pgb aanvragen"
    finally:
        context.close()


def test_git_and_editing_are_on_over_buut(sites, browser):
    context = browser.new_context(locale="nl-NL")
    try:
        text = context.request.get(sites["intranet"] + "/over-buut/").text()
        assert "pull request" in text and "git" in text
    finally:
        context.close()


def test_public_team_pages_and_the_correction_route_for_partners(browser, sites):
    """From a partner page without contact data to a buurtteam's website in two clicks, all in *u*."""
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(sites["publiek"] + "/partners/regenbooggroep/", wait_until="networkidle")
        route = page.locator(".buut-melden")
        assert "uw stadsdeel" in route.inner_text() and "je " not in route.inner_text()
        route.get_by_role("link", name="buurtteams per stadsdeel").click()  # click 1
        page.wait_for_url("**/teams/")
        assert page.locator("h1").inner_text().startswith("Buurtteams per stadsdeel")
        websites = page.locator("article a[href^='http']")
        assert websites.count() == 7, websites.count()  # one per stadsdeel: click 2 leaves the site
        assert websites.first.get_attribute("href") == "http://www.buurtteamamsterdam.nl"
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, describe(blocking)
        page.locator("article").get_by_role("link", name="Buurtteams Oost").click()
        page.wait_for_url("**/teams/oost/")
        text = page.locator("article").inner_text()
        for fact in ("Buurtteamorganisatie Oost", "Aantal buurtteams bij de start (1 april 2021): 4",
                     "op werkdagen van 09.00 tot 17.00 uur", "Zo bereikt u"):
            assert fact in text, fact
        assert page.locator("article a[href='http://www.buurtteamamsterdam.nl']").count() == 1
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, describe(blocking)
    finally:
        context.close()
