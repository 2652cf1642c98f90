"""Real browser: both sites in Chromium (Playwright), as a person with a mouse, a keyboard or a phone sees them.

Every kind of page, at desktop and at mobile width, is checked for:
- accessibility with axe-core (WCAG 2.1 A and AA): no violation of impact serious or critical;
- `<html lang="nl">`, a skip link that Tab reaches and shows, and a visible keyboard focus;
- no request to another host than 127.0.0.1 (the site promises that; see README), and no script error.
Search is checked by typing in the search box of the intranet, which asks BUUT's `/api/zoek`.

The intranet is served by BUUT's own WSGI app (with search), the public site as static files, both by
waitress on 127.0.0.1. One Chromium for the whole session; each page is opened once per width.

Needs Debian's Chromium at /usr/bin/chromium and `npm ci` (axe-core in node_modules/);
`bash scripts/test.sh` installs both. Without them these tests fail, they do not skip.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import waitress

from buut import search
from buut.build.project import load_project
from buut.serve.app import SiteApp

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Without the background-networking flags Chromium calls Google's hosts at start; no sandbox: CI runs as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "mobiel": {"width": 375, "height": 740}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
LOCAL_HOST = "127.0.0.1"
SEARCH_QUERY = "intake"  # a term BUUT does not use: the answer explains it ("In BUUT heet dit ...")
TIMEOUT_MS = 10_000


@dataclass
class Visit:
    """What one page showed at one width: the requests it made, script errors, axe's violations."""
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    lang: str = ""


# --- servers and browser ---------------------------------------------------------------------------

def start_server(app) -> tuple[str, object]:
    server = waitress.create_server(app, host=LOCAL_HOST, port=0, threads=4, ident="BUUT")
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://{LOCAL_HOST}:{server.effective_port}", server


@pytest.fixture(scope="session")
def sites(built_root):
    """Base URLs of the running intranet (with /api/zoek) and public site."""
    project = load_project(built_root)
    searcher = search.Searcher.open(search.index_dir(built_root, "intranet"), project)
    intranet, intranet_server = start_server(SiteApp(built_root / "site" / "intranet", searcher))
    publiek, publiek_server = start_server(SiteApp(built_root / "site" / "publiek"))
    yield {"intranet": intranet, "publiek": publiek}
    intranet_server.close()
    publiek_server.close()


# The `browser` fixture (one Chromium for the whole session, shared with other browser tests) is in
# tests/chromium.py, made available by conftest.py.


class Tab:
    """One browser page at one width, reused for every visit; it records into the current Visit."""

    def __init__(self, context):
        self.page = context.new_page()
        self.visit = Visit("")
        self.page.on("request", lambda request: self.visit.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.visit.errors.append(str(error)))
        # the server's Content-Security-Policy must block nothing the site itself needs
        self.page.on("console", lambda message: self.visit.errors.append(message.text)
                     if message.type == "error" and "Content Security Policy" in message.text else None)

    def open(self, url: str) -> Visit:
        self.visit = Visit(url)
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: {response.status if response else 'geen antwoord'}"
        self.page.wait_for_load_state("networkidle")
        return self.visit


@pytest.fixture(scope="session")
def tabs(browser):
    """A Tab per width, each in its own browser context."""
    result = {}
    for width, viewport in WIDTHS.items():
        mobile = width == "mobiel"
        context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="nl-NL")
        context.set_default_timeout(TIMEOUT_MS)
        result[width] = Tab(context)
    yield result
    for tab in result.values():
        tab.page.context.close()


# --- the kinds of page -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def page_paths(built_root):
    """Path of each kind of page, by site. The werkinstructie and partner are the first of the content
    (werkinstructies/ also holds generated overviews, so the content says which pages are werkinstructies)."""
    project = load_project(built_root)
    voorzieningen = sorted(p.path for p in project.content.pages if p.meta.voorziening is not None)
    assert voorzieningen, "geen werkinstructie in werkinstructies/: niets om in de browser te testen"
    werkinstructie = "/werkinstructies/" + Path(voorzieningen[0]).stem + "/"
    partners = sorted(p.id for p in project.partners)
    assert partners, "geen partner in partners/: niets om in de browser te testen"
    partner = f"/partners/{partners[0]}/"
    paths = {
        "intranet-start": ("intranet", "/"),
        "werkkader": ("intranet", "/werkkader/2-4-werkproces/"),
        "werkinstructie": ("intranet", werkinstructie),
        "partner": ("intranet", partner),
        "begrippenlijst": ("intranet", "/begrippenlijst/"),
        "zoekresultaten": ("intranet", "/"),
        "publiek-start": ("publiek", "/"),
    }
    for kind, (site, path) in paths.items():
        built = built_root / "site" / site / path.strip("/") / "index.html"
        assert built.is_file(), f"{kind}: {site}{path} is niet gebouwd"
    return paths


KINDS = ["intranet-start", "werkkader", "werkinstructie", "partner", "begrippenlijst", "zoekresultaten",
         "publiek-start"]
PAGE_KINDS = [k for k in KINDS if k != "zoekresultaten"]


def run_search(page, query: str) -> None:
    """Type the query in the header's search box (behind the search button at mobile width)."""
    toggle = page.locator("label.md-header__button[for='__search']")  # the search button: mobile only
    if toggle.is_visible():
        toggle.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=30)
    page.locator(".buut-zoek .md-search-result__item").first.wait_for(state="visible")


def run_axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through the DevTools protocol: the site's CSP stays on
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return result["violations"]


@pytest.fixture(scope="session")
def visit(sites, page_paths, tabs):
    """visit(kind, width) -> Visit: the page opened (once) with axe run on it; search typed for zoekresultaten."""
    seen: dict[tuple[str, str], Visit] = {}

    def open_kind(kind: str, width: str) -> Visit:
        if (kind, width) not in seen:
            site, path = page_paths[kind]
            tab = tabs[width]
            record = tab.open(sites[site] + path)
            if kind == "zoekresultaten":
                run_search(tab.page, SEARCH_QUERY)
            record.lang = tab.page.evaluate("document.documentElement.lang")
            record.violations = run_axe(tab.page)
            seen[kind, width] = record
        return seen[kind, width]

    return open_kind


# --- the tests -------------------------------------------------------------------------------------

def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5})" if len(v["nodes"]) > 5 else ""
        why = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ")
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}\n    {targets}{more}\n    {why}\n    {v['helpUrl']}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_serious_violations(visit, kind, width):
    violations = visit(kind, width).violations
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core op {visit(kind, width).url} ({width}):\n{describe(blocking)}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_request_leaves_localhost(visit, kind, width):
    record = visit(kind, width)
    assert record.requests, f"{record.url}: geen enkel verzoek gezien; de meting werkt niet"
    outside = [url for url in record.requests
               if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != LOCAL_HOST]
    assert not outside, f"{record.url} ({width}) vraagt iets op bij een andere host:\n" + "\n".join(outside)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_script_errors(visit, kind, width):
    record = visit(kind, width)
    assert not record.errors, f"{record.url} ({width}): scriptfouten:\n" + "\n".join(record.errors)


def test_html_lang_is_nl(visit):
    for kind in KINDS:
        for width in WIDTHS:
            record = visit(kind, width)
            assert record.lang == "nl", f"{record.url} ({width}): <html lang=\"{record.lang}\">"


# --- keyboard --------------------------------------------------------------------------------------

FOCUS_STOPS = 8  # the header, the navigation and the start of the content
FOCUS_STATE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const part = e.getClientRects()[0] || box;  // a link that wraps: its bounding box also holds other text
  const top = document.elementFromPoint(part.left + part.width / 2, part.top + part.height / 2);
  const name = (e.getAttribute("aria-label") || e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return {
    what: e.tagName.toLowerCase() + (e.classList.length ? "." + [...e.classList].join(".") : "") + ` "${name}"`,
    indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
    on_screen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
               && box.left < innerWidth && box.top < innerHeight,
    on_top: !!top && (top === e || e.contains(top)),
    covered_by: top && !(top === e || e.contains(top)) ? top.outerHTML.slice(0, 80) : null,
    skip_link: e.matches("a.md-skip"),
    href: e.getAttribute("href"),
  };
}"""


def focus_state(page) -> dict:
    """Where the focus is and whether a person sees it. Material fades its overlays (search, menu) in
    and out in .25 s: something that covers the focus is measured again once that is over."""
    state = page.evaluate(FOCUS_STATE)
    assert state is not None, "Tab zette de focus nergens (document.body)"
    if not state["on_top"]:
        page.wait_for_timeout(400)
        state = page.evaluate(FOCUS_STATE)
    return state


@pytest.fixture(scope="session")
def fresh(sites, page_paths, tabs):
    """fresh(kind, width) -> Page: the page opened anew, focus at the start, for keyboard tests."""
    def open_fresh(kind: str, width: str):
        site, path = page_paths[kind]
        tabs[width].open(sites[site] + path)
        return tabs[width].page
    return open_fresh


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_skip_link_is_the_first_tab_stop(fresh, kind, width):
    page = fresh(kind, width)
    page.keyboard.press("Tab")
    state = focus_state(page)
    assert state["skip_link"], f"{page.url} ({width}): eerste Tab-stop is {state['what']}, niet 'Ga naar inhoud'"
    assert state["on_screen"] and state["on_top"], f"{page.url} ({width}): de skiplink blijft onzichtbaar na Tab"
    assert state["indicator"], f"{page.url} ({width}): de skiplink heeft geen zichtbare focus"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == state["href"], \
        f"{page.url} ({width}): Enter op de skiplink gaat niet naar {state['href']}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_keyboard_focus_is_visible(fresh, kind, width):
    page = fresh(kind, width)
    problems = []
    for stop in range(1, FOCUS_STOPS + 1):
        page.keyboard.press("Tab")
        state = focus_state(page)
        missing = [what for what, ok in (("geen focusrand", state["indicator"]), ("buiten beeld", state["on_screen"]),
                                         (f"bedekt door {state['covered_by']}", state["on_top"])) if not ok]
        if missing:
            problems.append(f"Tab {stop}: {state['what']}: {', '.join(missing)}")
    assert not problems, f"{page.url} ({width}):\n" + "\n".join(problems)


@pytest.mark.parametrize("kind", ["intranet-start", "werkkader"])  # the menu opens at the top, or in a section
def test_menu_opens_with_the_keyboard_on_a_phone(fresh, kind):
    page = fresh(kind, "mobiel")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('label[for=__drawer]')"):
            break
    else:
        pytest.fail("de knop Menu is met Tab niet te bereiken")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Menu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked"), "Enter op Menu opent het menu niet"
    page.wait_for_timeout(300)  # the drawer slides in
    problems, inside = [], 0
    for stop in range(1, FOCUS_STOPS + 1):
        page.keyboard.press("Tab")
        if not page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"):
            break  # past the last link of the menu (Material keeps no focus trap: see docs/toegankelijkheid.md)
        inside += 1
        state = focus_state(page)
        if not (state["on_screen"] and state["on_top"] and state["indicator"]):
            problems.append(f"Tab {stop}: {state['what']} is niet te zien (bedekt door {state['covered_by']})")
    assert inside >= 2, f"{page.url}: na Enter op Menu komt Tab niet in het menu"
    assert not problems, f"{page.url}, menu open:\n" + "\n".join(problems)
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked"), "Escape sluit het menu niet"
    assert page.evaluate("document.activeElement.matches('label[for=__drawer]')"), "na Escape staat de focus niet op Menu"


# --- search ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_search_by_typing_shows_results_from_the_api(fresh, tabs, sites, width):
    page = fresh("zoekresultaten", width)
    run_search(page, SEARCH_QUERY)
    asked = tabs[width].visit.requests
    assert any(f"/api/zoek?q={SEARCH_QUERY}" in url for url in asked), f"het zoekvak vroeg /api/zoek niet: {asked}"
    meta = page.locator(".buut-zoek__meta").inner_text()
    assert "In BUUT heet dit" in meta, meta
    first = page.locator(".buut-zoek .md-search-result__link").first
    assert first.is_visible() and first.inner_text().strip(), "het eerste resultaat is niet te zien"
    href = first.get_attribute("href")
    assert href.startswith(sites["intranet"] + "/"), href
    # By keyboard, as in Material's own search: arrow down to the first result, Enter opens it.
    page.keyboard.press("ArrowDown")
    state = focus_state(page)
    assert page.evaluate("document.activeElement.closest('.buut-zoek') !== null"), \
        f"pijl omlaag gaat niet naar de resultaten maar naar {state['what']}"
    assert state["indicator"] and state["on_screen"] and state["on_top"], f"focus op het resultaat niet te zien: {state}"
    page.keyboard.press("Enter")
    page.wait_for_url(href.split("#")[0] + "**")
    assert page.locator("h1").first.is_visible()
