"""The werkkader as one document, printed: Chromium's own print-to-PDF, read back with pypdf (issue 18).

The page is served by BUUT's app as in tests/test_browser.py (Debian's Chromium through Playwright; without
it these tests fail, they do not skip). What a medewerker who prints or saves it as PDF must get: every
chapter, each from a new page, no menu, search, feedback or footer, the address of every link that leaves
the document, and the links inside the document still working.
"""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from test_browser import AXE, AXE_TAGS, BLOCKING_IMPACTS, WIDTHS, sites  # noqa: F401

from buut.build.project import load_project
from buut.render import werkkader_document

URL = "/werkkader/document/"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def printed(browser, sites, built_root):
    """The page as Chromium shows it and as it prints it: texts from the screen, the PDF's pages."""
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="nl-NL")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(sites["intranet"]) else None)
    page.goto(sites["intranet"] + URL, wait_until="networkidle")
    # on a busy machine "networkidle" can come while the long page is still being parsed: wait for buut.js
    page.locator(".buut-print-knop").wait_for()
    page.wait_for_function("() => document.readyState === 'complete'")
    screen = page.evaluate("""() => {
        const article = document.querySelector('.md-content article').innerText;
        const nav = [...document.querySelectorAll('.md-header, .md-sidebar .md-nav__link, .md-footer, .buut-feedback legend')]
            .map(e => e.innerText.trim()).filter(t => t.length > 3);
        return {article, nav,
                chapters: [...document.querySelectorAll('h2.buut-hoofdstuk')].map(h => h.innerText.replace('¶', '').trim()),
                inside: document.querySelectorAll('article a[href^="#"]:not(.headerlink)').length,
                leaving: [...document.querySelectorAll('article a[data-buut-adres]')].map(a => a.dataset.buutAdres),
                dangling: [...document.querySelectorAll('article a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
                    .filter(id => id && !document.getElementById(decodeURIComponent(id))),
                steps: [...document.querySelectorAll('.buut-werkproces a')].map(a => a.getAttribute('href')),
                tocs: [...document.querySelectorAll('.md-sidebar--secondary, article h2, article h3, article h4')]
                    .filter(e => e.getClientRects().length > 0 && (e.matches('.md-sidebar')
                            || e.innerText.replace('¶', '').trim() === 'Inhoud'))
                    .map(e => e.className || e.tagName),
                kernwaarden: (() => {
                    const start = document.getElementById('2-1-kernwaarden');
                    const table = [...document.querySelectorAll('article table')]
                        .find(t => start && (start.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING));
                    return table ? [...table.querySelectorAll('th, td')].map(c => c.innerText) : [];
                })()};
    }""")
    step = page.locator(".buut-werkproces a").nth(5)
    step.click()
    screen["step_target"] = page.evaluate("""() => {
        const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        return target ? {hash: location.hash, text: target.innerText, top: target.getBoundingClientRect().top} : null;
    }""")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button = page.get_by_role("button", name="Print of bewaar als PDF")
    button.click()
    screen["print_calls"] = page.evaluate("() => window.printed")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    screen["violations"] = [(v["id"], [n["target"] for n in v["nodes"]][:3], [n.get("failureSummary", "")[:200] for n in v["nodes"]][:2])
                            for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    pdf = page.pdf(format="A4", print_background=False)
    context.close()
    reader = PdfReader(io.BytesIO(pdf))
    pages = [squeeze(p.extract_text() or "") for p in reader.pages]
    links = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])]
    chapters = [c.meta.titel for c in werkkader_document.chapters(load_project(built_root))]
    return {"screen": screen, "pages": pages, "links": links, "chapters": chapters, "outside": outside}


def test_every_chapter_is_in_the_pdf_in_order_each_on_a_new_page(printed):
    chapters, pages = printed["chapters"], printed["pages"]
    assert len(chapters) >= 20 and printed["screen"]["chapters"] == chapters
    starts = []
    for titel in chapters:
        found = [i for i, text in enumerate(pages) if text.startswith(squeeze(titel))]
        assert found, f"hoofdstuk '{titel}' begint geen bladzijde van de PDF"
        starts.append(found[0])
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_the_pdf_has_no_navigation_search_feedback_or_footer(printed):
    text = " ".join(printed["pages"])
    article = squeeze(printed["screen"]["article"])
    only_navigation = {squeeze(t) for t in printed["screen"]["nav"] if squeeze(t) not in article}
    assert len(only_navigation) >= 5, only_navigation  # the menu has items the document does not contain
    leaked = sorted(t for t in only_navigation if t in text)
    assert not leaked, leaked
    for screen_only in ("Was deze pagina nuttig", "Print of bewaar als PDF", "Zoeken", "Over BUUT"):
        assert screen_only not in text, screen_only


def test_links_that_leave_the_document_print_their_address_and_anchors_stay_links(printed):
    screen = printed["screen"]
    assert screen["inside"] >= 20  # the table of contents and links between chapters
    leaving = [a for a in screen["leaving"] if "/werkinstructies/" in a or "/werkwijze/" in a]
    assert leaving, screen["leaving"][:5]
    text = "".join(" ".join(printed["pages"]).split())  # an address may wrap over lines
    for address in leaving[:10]:
        assert address in text, address
    internal = [a for a in printed["links"] if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(internal) >= 20, "de links binnen het document werken niet meer in de PDF"


def test_the_button_prints_and_the_page_is_accessible(printed):
    assert printed["screen"]["print_calls"] == 1
    assert printed["screen"]["violations"] == []
    assert printed["outside"] == []


def test_the_document_is_intranet_only(built_root):
    assert (built_root / "site/intranet/werkkader/document/index.html").is_file()
    assert not (built_root / "site/publiek/werkkader/document").exists()
    public_text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                            for p in (built_root / "site/publiek").rglob("*.html"))
    assert werkkader_document.TITEL not in public_text


def test_every_link_inside_the_document_lands_on_a_heading(printed):
    screen = printed["screen"]
    assert screen["dangling"] == []
    assert len(screen["steps"]) == 8 and all(h.startswith("#2-4-werkproces--24") for h in screen["steps"])
    target = screen["step_target"]  # the sixth step of the figure, clicked
    assert target is not None and target["hash"] == screen["steps"][5], target
    assert target["text"].startswith("2.4.6") and 0 <= target["top"] < WIDTHS["desktop"]["height"], target


def test_the_document_has_one_table_of_contents(printed):
    assert printed["screen"]["tocs"] == ["buut-inhoud"]


def test_the_kernwaarden_table_is_not_clipped_in_the_pdf(printed):
    """Each cell of the table prints whole: every pair of neighbouring words is in the PDF (a word cut off
    at the paper's edge, "mogelij" for "mogelijk regie", is not)."""
    cells = printed["screen"]["kernwaarden"]
    assert len(cells) >= 16, cells  # 4 columns, a header and three kernwaarden
    printed_text = "".join("".join(page.split()) for page in printed["pages"])
    pairs = [a + b for cell in cells for line in cell.split("\n") for a, b in zip(line.split(), line.split()[1:])]
    assert len(pairs) > 50
    missing = [pair for pair in pairs if pair not in printed_text]
    assert not missing, missing
