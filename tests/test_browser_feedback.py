"""The intranet as people use it, in Chromium: feedback by keyboard, the Redactie page (reports first,
filters, folded open points), Wijzigingen and the stale-page notice, failed searches,
owner and last change on every kind of page, the Dutch 404 page and no sideways scrolling at 320 px.

The site is built from a copy of the repository with a git history (so "Laatst gewijzigd" has a date) and
served by BUUT's own app with search and feedback into a fresh SQLite store. Like tests/test_browser.py
(whose Chromium set-up this file reuses), these tests fail without Chromium or axe-core; they never skip.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from buut import search
from buut.cli import main
from buut.serve.feedback import FeedbackApi
from buut.build.project import load_project
from buut.serve.app import SiteApp
from buut.serve.store import open_store
from conftest import copy_repo
from test_browser import BLOCKING_IMPACTS, LOCAL_HOST, describe, run_axe, start_server

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
GIT_DATE = "2026-03-04T12:00:00"
STALE = "2026-01-01"


@pytest.fixture(scope="module")
def git_root(tmp_path_factory):
    """A copy of the repository committed to git on 4 March 2026, and built."""
    root = copy_repo(tmp_path_factory.mktemp("feedback-site") / "repo")
    visie = root / "docs" / "visie.md"  # one page past its review date: the stale-page notice
    visie.write_text(re.sub(r"herzien_voor: \S+", f"herzien_voor: {STALE}", visie.read_text(encoding="utf-8"), 1),
                     encoding="utf-8")
    env = {"GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(root),
           "PATH": os.environ["PATH"]}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "Add the content of BUUT"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store("sqlite:///" + str(tmp_path_factory.mktemp("feedback-db") / "buut.sqlite3"))


@pytest.fixture(scope="module")
def site(git_root, store):
    project = load_project(git_root)
    searcher = search.Searcher.open(search.index_dir(git_root, "intranet"), project)
    app = SiteApp(git_root / "site" / "intranet", searcher)
    app.feedback = FeedbackApi.for_project(project, store, searcher)
    base, server = start_server(app)
    yield base
    server.close()


@pytest.fixture(scope="module")
def pages(git_root):
    """One page of every kind on the intranet, by kind."""
    project = load_project(git_root)
    werkinstructie = sorted(p.path for p in project.content.pages if p.meta.voorziening is not None)[0]
    partner = sorted(project.partners, key=lambda p: p.id)[0]
    return {
        "start": "/", "werkkader": "/werkkader/2-4-werkproces/",
        "werkinstructie": "/werkinstructies/" + Path(werkinstructie).stem + "/",
        "partner": f"/partners/{partner.id}/", "begrippenlijst": "/begrippenlijst/",
        "overzicht (gegenereerd)": "/werkinstructies/", "partneroverzicht (gegenereerd)": "/partners/",
        "pagina in docs": "/vragen-en-antwoorden/",
    }


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def open_page(tab, url, status=200):
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.status == status, f"{url}: {response.status if response else '-'}"
    tab.wait_for_load_state("networkidle")


def assert_clean(tab):
    """0 serious axe violations, 0 requests to other hosts, 0 script errors."""
    blocking = [v for v in run_axe(tab) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core op {tab.url}:\n{describe(blocking)}"
    outside = [u for u in tab.requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != LOCAL_HOST]
    assert not outside, f"{tab.url} vraagt iets op bij een andere host: {outside}"
    assert not tab.errors, f"{tab.url}: scriptfouten: {tab.errors}"


def rows(store, soort=None):
    found = store._run("SELECT pagina, soort, tekst FROM feedback", fetch=True)
    return [tuple(r) for r in found if soort is None or r[1] == soort]


# --- feedback --------------------------------------------------------------------------------------

def tab_to(tab, selector, limit=200):
    """Press Tab until the focus is on `selector` (as a keyboard user gets there)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} is met Tab niet te bereiken")


def test_yes_by_keyboard_is_stored_and_announced(site, tab, store):
    open_page(tab, site + "/werkkader/2-3-regie/")
    form = tab.locator("[data-buut-feedback]")
    assert form.is_visible(), "het feedbackformulier verschijnt niet"
    assert form.locator("legend").inner_text() == "Was deze pagina nuttig?"
    tab_to(tab, "[data-soort=nuttig]")
    tab.keyboard.press("Enter")
    status = tab.locator(".buut-feedback__status")
    status.filter(has_text="Dank je wel").wait_for()
    assert status.get_attribute("role") == "status"
    assert ("werkkader/2-3-regie/", "nuttig", "") in rows(store)
    assert_clean(tab)


def test_yes_keeps_the_focus_shows_the_choice_and_counts_once_per_browser(site, tab, store):
    url = site + "/werkkader/2-6-privacy/"
    open_page(tab, url)
    tab_to(tab, "[data-soort=nuttig]")
    tab.keyboard.press("Enter")
    status = tab.locator(".buut-feedback__status")
    status.filter(has_text="Je antwoord: Ja").wait_for()
    assert tab.evaluate("document.activeElement.getAttribute('data-soort')") == "nuttig"  # not the top of the page
    assert tab.locator("[data-soort=nuttig]").get_attribute("aria-pressed") == "true"
    assert tab.locator("[data-soort=niet-nuttig]").get_attribute("aria-pressed") == "false"
    assert_clean(tab)
    votes = rows(store).count(("werkkader/2-6-privacy/", "nuttig", ""))
    assert votes == 1
    open_page(tab, url)  # the same browser, later: the choice is shown, and a second vote is not sent
    status.filter(has_text="Je antwoord op deze pagina: Ja").wait_for()
    assert tab.locator("[data-soort=nuttig]").get_attribute("aria-pressed") == "true"
    tab.locator("[data-soort=niet-nuttig]").click()
    status.filter(has_text="Je stem telt één keer").wait_for()
    assert rows(store).count(("werkkader/2-6-privacy/", "nuttig", "")) == 1
    assert ("werkkader/2-6-privacy/", "niet-nuttig", "") not in rows(store)


def test_report_by_keyboard_reaches_the_owner(site, tab, store):
    open_page(tab, site + "/werkkader/2-3-regie/")
    tab_to(tab, ".buut-feedback__open")
    assert tab.locator(".buut-feedback__open").inner_text().strip() == "Meld een fout of aanvulling"
    tab.keyboard.press("Enter")
    assert tab.locator(".buut-feedback__open").get_attribute("aria-expanded") == "true"
    assert tab.evaluate("document.activeElement.id") == "buut-feedback-tekst", "de focus gaat niet naar het tekstvak"
    label = tab.evaluate("document.activeElement.labels[0].textContent")
    assert "Wat klopt er niet" in label
    tab.keyboard.type("De link naar stap 2.4.3 werkt niet")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    tab.locator(".buut-feedback__status").filter(has_text="doorgegeven aan de redactie werkkader").wait_for()
    assert ("werkkader/2-3-regie/", "melding", "De link naar stap 2.4.3 werkt niet") in rows(store)
    assert tab.evaluate("document.activeElement.matches('.buut-feedback__open')"), "na versturen staat de focus nergens"
    assert_clean(tab)


def test_no_asks_what_was_missing(site, tab, store):
    open_page(tab, site + "/begrippenlijst/")
    tab.locator("[data-soort=niet-nuttig]").click()
    tab.locator(".buut-feedback__melding label").filter(has_text="Wat miste je").wait_for()
    assert ("begrippenlijst/", "niet-nuttig", "") in rows(store)
    assert_clean(tab)


def test_personal_data_in_the_form_is_refused_and_not_stored(site, tab, store):
    open_page(tab, site + "/werkkader/2-3-regie/")
    tab.locator(".buut-feedback__open").click()
    tab.locator("#buut-feedback-tekst").fill("Bel mevrouw op 06-12345678")
    tab.locator(".buut-feedback button[type=submit]").click()
    status = tab.locator(".buut-feedback__status")
    status.filter(has_text="telefoonnummer").wait_for()
    assert "Er is niets opgeslagen" in status.inner_text()
    assert not any("12345678" in r[2] for r in rows(store))
    assert tab.evaluate("document.activeElement.id") == "buut-feedback-tekst"


def test_a_failed_search_typed_in_the_search_box_is_counted(site, tab, store):
    open_page(tab, site + "/")
    tab.locator("input.md-search__input").click()
    tab.keyboard.type("kwantumfysica", delay=30)
    tab.wait_for_function("() => document.querySelector('.buut-zoek') !== null")
    tab.keyboard.press("Enter")
    tab.wait_for_timeout(500)
    assert "kwantumfysica" in [q.vraag for q in store.failed_searches()]
    assert any("/api/zoekvraag" in u for u in tab.requests)


def test_redactie_page_puts_reports_first_with_filters_and_folded_points(site, tab, store):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Stadsdeel Noord ontbreekt in het overzicht")
    open_page(tab, site + "/redactie/")
    report = tab.locator(f"[data-melding-id='{ident}']")
    report.wait_for()
    assert "Stadsdeel Noord ontbreekt" in report.inner_text()
    assert re.match(r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                    r"december) \d{4}, nummer", report.inner_text()), report.inner_text()
    board = tab.locator("[data-buut-redactie]")
    assert board.get_by_role("heading", name=re.compile("^Zoekvragen zonder volledig resultaat")).count() == 1
    first_point = tab.locator("details.buut-werkpunten").first
    assert report.bounding_box()["y"] < first_point.bounding_box()["y"] < 3000, "meldingen staan bovenaan"
    assert tab.locator("details.buut-werkpunten[open]").count() == 0, "open punten zijn per pagina ingeklapt"
    toc = tab.locator(".md-sidebar--secondary a.md-nav__link")
    assert {"Meldingen en zoekvragen", "Open punten"} <= {t.strip() for t in toc.all_inner_texts()}
    tab.locator(".md-sidebar--secondary a[href='#eigenaar-redactie-werkkader']").click()
    assert tab.evaluate("location.hash") == "#eigenaar-redactie-werkkader"
    assert tab.locator("#eigenaar-redactie-werkkader").is_visible()
    assert_clean(tab)

    tab.select_option("#buut-filter-eigenaar", "redactie-werkkader")
    visible = tab.locator("article li[data-buut-soort]:visible")
    owners = set(tab.evaluate("""() => Array.from(document.querySelectorAll('article li[data-buut-soort]'))
        .filter(li => !li.closest('[hidden]')).map(li => li.closest('[data-buut-eigenaar]')
        ? li.closest('[data-buut-eigenaar]').getAttribute('data-buut-eigenaar') : '')"""))
    assert owners == {"redactie-werkkader"}, owners
    assert tab.locator("details.buut-werkpunten:visible").count() == tab.locator(
        "details.buut-werkpunten[data-buut-eigenaar='redactie-werkkader']").count()
    headings = tab.locator("h3[data-buut-eigenaar]:visible").all_inner_texts()
    assert len(headings) == 1 and headings[0].startswith("Redactie werkkader ("), headings
    assert not report.is_visible(), "een melding van een andere eigenaar is weggefilterd"
    tab.select_option("#buut-filter-eigenaar", "")
    tab.select_option("#buut-filter-soort", "tijdgebonden zin")
    shown = tab.locator("details.buut-werkpunten:visible")
    assert shown.count() >= 3
    titles = shown.locator("summary").all_inner_texts()
    assert any(t.startswith("3.1.7 Samenwerking met expertisenetwerken") for t in titles), titles
    shown.first.locator("summary").click()
    assert "tijdgebonden zin" in shown.first.locator("li:visible").first.inner_text()
    assert visible.count() >= 1 and "punten zichtbaar" in tab.locator(".buut-filters__telling").inner_text()
    assert_clean(tab)


def test_redactie_page_without_javascript_is_a_plain_list(site, browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/redactie/", wait_until="load")
        assert page.locator("select").count() == 0
        assert page.locator("details.buut-werkpunten").count() > 50
        assert page.locator("details.buut-werkpunten[hidden]").count() == 0
        assert "buut redactie" in page.locator("[data-buut-redactie]").inner_text()
    finally:
        context.close()


# --- upkeep visible ----------------------------------------------------------------------------------

def test_owner_and_last_change_on_every_kind_of_page(site, tab, pages):
    missing = []
    for kind, path in pages.items():
        open_page(tab, site + path)
        upkeep = tab.locator(".buut-beheer")
        text = upkeep.inner_text() if upkeep.count() else ""
        if "Beheer: Redactie " not in text or "Laatst gewijzigd op 4 maart 2026" not in text:
            missing.append(f"{kind} ({path}): {text!r}")
    assert not missing, "eigenaar of laatste wijziging ontbreekt:\n" + "\n".join(missing)


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 375, "height": 740}], ids=["desktop", "375px"])
def test_wijzigingen_tells_readers_what_changed_never_commit_messages(site, tab, viewport):
    tab.set_viewport_size(viewport)
    open_page(tab, site + "/wijzigingen/")
    recent = tab.locator("#recente-wijzigingen + ul > li")
    first = recent.first.inner_text()
    assert first.startswith("1 december 2026, "), first
    assert 20 <= recent.count() <= 30
    article = tab.locator("article").inner_text()
    assert "Add the content of BUUT" not in article and "&#x27;" not in article and "&#39;" not in article
    assert tab.locator("span[lang=en]").count() == 0
    feeds = tab.locator("head link[rel=alternate][type='application/atom+xml']")
    assert feeds.count() == 4
    for href in feeds.evaluate_all("links => links.map(l => l.href)"):
        response = tab.request.get(href)
        assert response.status == 200 and response.text().startswith('<?xml version="1.0" encoding="utf-8"?>'), href
    tab.get_by_role("link", name="Wijzigingen in de werkinstructies").click()
    tab.wait_for_url("**/feeds/werkinstructies.xml")
    tab.go_back()
    tab.wait_for_load_state("networkidle")
    assert_clean(tab)


def test_start_page_shows_the_latest_changes(site, tab):
    open_page(tab, site + "/")
    items = tab.locator("#wat-is-er-veranderd + ul > li")
    assert items.count() == 5 and items.first.inner_text().startswith("1 december 2026, ")  # docs/index.md asks 5
    tab.get_by_role("link", name="Alle wijzigingen").click()
    tab.wait_for_url("**/wijzigingen/")


def test_a_stale_page_says_so_and_whom_to_ask(site, tab):
    open_page(tab, site + "/visie/")
    notice = tab.locator("article .admonition.warning")
    assert notice.locator(".admonition-title").inner_text().strip() == "Deze pagina is aan herziening toe"
    text = notice.inner_text()
    assert "uiterlijk 1 januari 2026" in text and "vraag het dan aan de eigenaar, de redactie werkkader" in text
    assert "Meld een fout of aanvulling" in text
    assert tab.locator(".buut-beheer").inner_text().count("Herziening was gepland vóór 1 januari 2026") == 1
    assert_clean(tab)
    open_page(tab, site + "/werkkader/2-3-regie/")
    assert tab.locator("article .admonition.warning").count() == 0
    assert "Gecontroleerd tot 1 mei 2027" in tab.locator(".buut-beheer").inner_text()


def test_developer_pages_are_out_of_the_menu_and_in_the_over_buut_corner(site, tab):
    open_page(tab, site + "/")
    menu = tab.locator(".md-sidebar--primary .md-nav--primary").inner_text()
    for name in ("Prestaties", "Redactie"):
        assert name not in menu, f"{name} staat in het menu van de medewerkers"
    tab.locator(".md-footer a.buut-over").click()
    tab.wait_for_url("**/over-buut/")
    links = tab.locator("article a").all_inner_texts()
    assert {"Redactie", "Prestaties", "Toegankelijkheid"} <= set(links)
    assert_clean(tab)


# --- everyday defects --------------------------------------------------------------------------------

def test_the_404_page_is_dutch_with_search_and_sections(site, tab):
    open_page(tab, site + "/bestaat-niet/", status=404)
    assert tab.evaluate("document.documentElement.lang") == "nl"
    assert tab.locator("h1").inner_text() == "Pagina niet gevonden"
    assert "Not found" not in tab.locator("article").inner_text()
    sections = tab.locator(".buut-404-onderdelen a").all_inner_texts()
    assert {"Werkkader 2.0", "Werkinstructies", "Partners", "Begrippenlijst"} <= set(sections)
    assert_clean(tab)
    tab.locator("#buut-404-vraag").fill("schuldhulp")
    tab.locator("#buut-404-vraag").press("Enter")
    tab.wait_for_url("**/?q=schuldhulp")
    tab.locator(".buut-zoek .md-search-result__item").first.wait_for(state="visible")


@pytest.mark.parametrize("extra", ["/wijzigingen/", "/redactie/", "/over-buut/", "/bestaat-niet/"])
def test_no_page_scrolls_sideways_at_320px(site, browser, pages, extra):
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True, locale="nl-NL")
    page = context.new_page()
    too_wide = []
    paths = list(pages.values()) + [extra] if extra == "/wijzigingen/" else [extra]
    for path in paths:
        page.goto(site + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            too_wide.append(f"{path}: {width} px breed")
    context.close()
    assert not too_wide, "de pagina schuift zijwaarts bij 320 px (WCAG 1.4.10):\n" + "\n".join(too_wide)
