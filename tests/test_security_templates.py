"""Issue 22, points 1 and 2: everything that reaches a template is data, and the CSP cannot be widened
by content.

The attacks are built once, into a small repository (a start page, the vakgroepen and the public home,
with BUUT's own configuration and glossary): a page title with a script, a title with an escaped tag,
front matter that mkdocs used to read further than BUUT (`  ---`), navigation labels and a heading with
markup. Both sites must come out with no script but the fixed list, and in Chromium nothing injected
runs: not on the intranet under the served CSP, not on the public site under its `<meta>` CSP, also when
a script is planted in the built HTML after the sanitiser (a template sink nobody thought of).
Configuration values that could carry markup or a secret are refused with `mkdocs.yml:regel`.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from buut.build import theme_policy
from buut.cli import main
from buut.serve.app import SECURITY_HEADERS, SiteApp
from conftest import ROOT, page, write
from test_browser import LOCAL_HOST, TIMEOUT_MS, start_server

NAV = "\nnav:\n  - Start: index.md\n  - {label}:\n      - vakgroepen/index.md\n      - vakgroepen/*\n"
SCRIPT_TITLE = "Vakgroep <script>window.pwned=1</script>"
ENTITY_TITLE = "Vakgroep &lt;img src=x onerror=window.pwned=2&gt;"
NAV_LABEL = 'Vakgroepen <img src=x onerror="window.pwned=5">'
SECRET = "postgresql://buut:GeheimWachtwoord@db.example:5432/buut"
REPO_URL = "https://git.example/buut/inhoud"


def small_repo(root: Path, label: str = "Vakgroepen") -> Path:
    """BUUT's configuration and glossary with three pages: enough to build both sites in seconds."""
    root.mkdir(parents=True)
    shutil.copy2(ROOT / "glossary.yml", root / "glossary.yml")
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / folder, root / "docs" / folder)
    for name in ("mkdocs.yml", "mkdocs.publiek.yml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        head, nav = text.split("\nnav:\n", 1)
        tail = nav[nav.index("\nextra:"):] if "\nextra:" in nav else ""
        (root / name).write_text(head + NAV.format(label=json.dumps(label)) + tail, encoding="utf-8")
    write(root, "docs/index.md", page("titel: Start\neigenaar: redactie-start", "# Start\n\nWelkom.\n"))
    write(root, "docs/vakgroepen/index.md", page("titel: Vakgroepen\neigenaar: redactie-vakgroepen\n"
                                                 "zichtbaarheid: publiek", "# Vakgroepen\n\nDe vakgroepen.\n"))
    write(root, "publiek/index.md", page("titel: Wijknetwerken\neigenaar: redactie-partners\nzichtbaarheid: publiek\n"
                                         "doelgroep: partners", "# Wijknetwerken\n\nSamenwerken.\n"))
    return root


# The page whose front matter BUUT closes at `  ---` and mkdocs read on to the next `---`: before,
# mkdocs took these body lines as the page's meta (title, description, template, hide, search).
DISAGREEING_PAGE = """\
---
titel: Lijnen
eigenaar: redactie-vakgroepen
zichtbaarheid: publiek
  ---
title: '</title><script>window.pwned=3</script>'
description: '"><script>window.pwned=4</script>'
template: 404.html
hide: [navigation, toc]
search:
  exclude: true
---

# Lijnen

Tekst over de lijnen van de vakgroepen.
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Path:
    """Both sites built from content and configuration that try to put a script into every page."""
    root = small_repo(tmp_path_factory.mktemp("templates") / "repo", label=NAV_LABEL)
    write(root, "docs/vakgroepen/aanval.md", page(
        f"titel: {SCRIPT_TITLE}\neigenaar: redactie-vakgroepen\nzichtbaarheid: publiek",
        f"# {SCRIPT_TITLE}\n\nTekst.\n\n## Kop &lt;img src=x onerror=window.pwned=6&gt;\n\nMeer tekst.\n"))
    write(root, "docs/vakgroepen/entiteit.md", page(
        f'titel: "{ENTITY_TITLE}"\neigenaar: redactie-vakgroepen\nzichtbaarheid: publiek',
        f"# {ENTITY_TITLE}\n\nTekst.\n"))
    (root / "docs/vakgroepen/lijnen.md").write_text(DISAGREEING_PAGE, encoding="utf-8")
    saved = {name: os.environ.get(name) for name in ("BUUT_REPO_URL", "BUUT_DATABASE")}
    os.environ.update(BUUT_REPO_URL=REPO_URL, BUUT_DATABASE=SECRET)  # the documented variable, and a secret
    try:
        result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    assert result.exit_code == 0, result.output
    return root


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def offending(html: str) -> list[str]:
    """Scripts outside the fixed list and event-handler attributes in one output page."""
    found = []
    for element in lxml.html.document_fromstring(html).iter():
        if not isinstance(element.tag, str):
            continue
        found += [f"<{element.tag} {name}=…>" for name in element.attrib if name.lower().startswith("on")]
        if element.tag == "script":
            text, attrs = element.text or "", dict(element.attrib)
            allowed = (attrs == {} and text in theme_policy.fixed_scripts()) \
                or (set(attrs) == {"src"} and re.fullmatch(r"(?!//)[\w./-]+\.js", attrs["src"]) and not text) \
                or (attrs == {"id": "__config", "type": "application/json"} and isinstance(json.loads(text), dict))
            if not allowed:
                found.append(f"<script {attrs}>{text[:60]}")
    return found


@pytest.mark.parametrize("site", ["intranet", "publiek"])
def test_no_page_holds_a_script_outside_the_fixed_list(attacked, site):
    built = pages(attacked / "site" / site)
    assert len(built) >= 5, built  # the three attack pages are public: they are on both sites
    problems = {p.relative_to(attacked).as_posix(): offending(p.read_text(encoding="utf-8")) for p in built}
    assert not {name: found for name, found in problems.items() if found}
    index_file = "search/search_index.json" if site == "intranet" else "zoeken/index.json"  # the public site's own
    search_index = (attacked / "site" / site / index_file).read_text(encoding="utf-8")
    assert "<script" not in search_index and "onerror=" not in search_index.replace("&lt;", "<").split("<img")[0]


@pytest.mark.parametrize("site", ["intranet", "publiek"])
def test_titles_and_nav_labels_reach_the_page_as_text(attacked, site):
    html = (attacked / "site" / site / "vakgroepen" / "aanval" / "index.html").read_text(encoding="utf-8")
    document = lxml.html.document_fromstring(html)
    assert document.findtext(".//title") == f"{SCRIPT_TITLE} - {'BUUT' if site == 'intranet' else 'Wijknetwerken'}"
    nav_texts = [" ".join(a.text_content().split()) for a in document.iterfind(".//nav//a")]
    assert SCRIPT_TITLE in nav_texts and ENTITY_TITLE in nav_texts  # shown as the editor wrote it
    labels = [" ".join(label.text_content().split()) for label in document.iterfind(".//nav//label")]
    assert any(NAV_LABEL in label for label in labels), labels
    assert not offending(html)


@pytest.mark.parametrize("site", ["intranet", "publiek"])
def test_body_lines_never_become_page_meta(attacked, site):
    folder = attacked / "site" / site
    document = lxml.html.document_fromstring((folder / "vakgroepen" / "lijnen" / "index.html").read_text())
    assert document.findtext(".//title").startswith("Lijnen - ")  # not the body's `title:`
    assert document.findtext(".//h1") == "Lijnen"  # not the 404 template
    descriptions = [m.get("content") for m in document.iterfind(".//meta[@name='description']")]
    config = (attacked / ("mkdocs.yml" if site == "intranet" else "mkdocs.publiek.yml")).read_text()
    assert descriptions == [re.search(r"^site_description: (.*)$", config, re.M).group(1)]
    sidebar = document.find(".//div[@data-md-type='navigation']")
    assert sidebar is not None and "hidden" not in sidebar.attrib  # `hide: [navigation]` did nothing
    if site == "intranet":
        locations = [doc["location"] for doc in json.loads((folder / "search" / "search_index.json").read_text())["docs"]]
    else:  # the public site's own search index (buut/search/static.py)
        locations = [s[0] for s in json.loads((folder / "zoeken" / "index.json").read_text())["secties"]]
    assert any(location.startswith("vakgroepen/lijnen/") for location in locations)  # not excluded


def test_public_pages_carry_the_csp_as_meta(attacked):
    for built in pages(attacked / "site" / "publiek"):
        document = lxml.html.document_fromstring(built.read_text(encoding="utf-8"))
        metas = document.xpath("//meta[@http-equiv='Content-Security-Policy']")
        assert [m.get("content") for m in metas] == [theme_policy.csp(meta=True)], built
        assert document.xpath("//head/*")[metas[0].getparent().index(metas[0]) - 1].get("charset") == "utf-8" \
            or metas[0].getparent().index(metas[0]) == 0
    for built in pages(attacked / "site" / "intranet"):
        assert "http-equiv" not in built.read_text(encoding="utf-8")  # the intranet's CSP is the server's header


def test_the_served_csp_is_the_fixed_list_whatever_the_site_holds(attacked):
    header = dict(SECURITY_HEADERS)["Content-Security-Policy"]
    assert header == theme_policy.csp()
    script_src = header.split("script-src", 1)[1].split(";", 1)[0].split()
    assert script_src[0] == "'self'" and set(script_src[1:]) == set(theme_policy.fixed_script_hashes())
    assert len(script_src) == 1 + len(theme_policy.fixed_scripts()) > 1
    developers = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    assert header in developers  # the documented web-server configuration carries the same policy


def test_only_the_documented_variable_fills_repo_url(attacked):
    html = (attacked / "site" / "intranet" / "index.html").read_text(encoding="utf-8")
    assert REPO_URL in html  # BUUT_REPO_URL is used …
    for built in pages(attacked / "site" / "intranet") + pages(attacked / "site" / "publiek"):
        assert "GeheimWachtwoord" not in built.read_text(encoding="utf-8")  # … BUUT_DATABASE never


# What a template sink nobody thought of could write, in the header of a real built page: the
# whole-page sanitiser keeps the page and the theme's scripts, and none of this.
SINKS = [
    "<script>window.pwned=8</script>",
    "<script >window.pwned=8</script>",
    "<SCRIPT>window.pwned=8</SCRIPT>",
    "<script src=//kwaad.example/x.js></script>",
    '<script src="https://kwaad.example/x.js"></script>',
    '<script src="x.js" onload="window.pwned=8"></script>',
    '<script type="module">window.pwned=8</script>',
    '<img src=x onerror="window.pwned=8">',
    '<svg><script>window.pwned=8</script></svg>',
    '<a href="javascript:window.pwned=8">x</a>',
    '<meta http-equiv="refresh" content="0;url=https://kwaad.example">',
    '<base href="https://kwaad.example/">',
    '<iframe srcdoc="<script>window.pwned=8</script>"></iframe>',
    '<div id="__config">{"search": "x.js"}</div>',
    '<script id="__config" type="application/json">{"search": "x.js"}</script>',
    '</title></head><body onload="window.pwned=8">',
    '<textarea></textarea><script>window.pwned=8</script>',
    '<noscript><p title="</noscript><img src=x onerror=window.pwned=8>"></noscript>',
]


@pytest.mark.parametrize("sink", SINKS)
def test_the_whole_page_is_sanitised(sink, attacked):
    built = (attacked / "site" / "publiek" / "vakgroepen" / "index.html").read_text(encoding="utf-8")
    original = built.replace('<meta http-equiv="Content-Security-Policy" content="'
                             f'{theme_policy.csp(meta=True)}">', "")
    injected = original.replace('<header class="md-header', sink + '<header class="md-header', 1)
    assert injected != original
    try:
        cleaned = theme_policy.clean_page(injected, public=True)
    except theme_policy.PageRefused:
        return  # refused outright: the build stops (a second <body>)
    assert not offending(cleaned), sink
    document = lxml.html.document_fromstring(cleaned)
    assert not document.xpath("//meta[@http-equiv='refresh'] | //base | //iframe | //*[@href[starts-with(., "
                              "'javascript')]]"), sink
    assert not document.xpath("//*[contains(@src, 'kwaad') or contains(@href, 'kwaad')]"), sink
    assert len(document.xpath("//*[@id='__config']")) == 1, sink
    assert cleaned == theme_policy.clean_page(cleaned.replace(
        f'<meta http-equiv="Content-Security-Policy" content="{theme_policy.csp(meta=True)}">', ""), public=True)
    assert len(document.xpath("//script")) == len(lxml.html.document_fromstring(built).xpath("//script"))


# -- refused configuration ----------------------------------------------------------------------

ATTACKS = [  # (a line of mkdocs.yml, what replaces it with `#!` on each refused line, what the message says)
    ("repo_url: !ENV [BUUT_REPO_URL, null]", "repo_url: !ENV [BUUT_DATABASE, null]  #!", ["alleen uit BUUT_REPO_URL"]),
    ("edit_uri: !ENV [BUUT_EDIT_URI, null]", "edit_uri: !ENV [BUUT_EDIT_URI, 'javascript:alert(1)']  #!",
     ["'edit_uri' (standaardwaarde van !ENV) moet een http(s)-adres zijn"]),
    ("site_description: Het sociaal intranet van de Amsterdamse buurtteams",
     """site_description: 'x" http-equiv="refresh" content="0;url=https://kwaad.example'  #!""",
     ["'site_description' is gewone tekst"]),
    ("site_name: BUUT", "site_name: BUUT <script>alert(1)</script>  #!", ["'site_name' is gewone tekst"]),
    ("  language: nl", """  language: 'nl" onload="alert(1)'  #!""", ["taal 'nl\" onload"]),
    ("  font: false", """  font: false
  palette:
    - primary: 'red" onload="alert(1)'  #!
    - accent: javascript  #!
    - scheme: 'slate"><script>alert(1)</script>'  #!
    - toggle:  #!
        icon: ../../partials/header
        name: Donker
  logo: javascripts/buut.js  #!
  favicon: plaatjes/bestaat-niet.png  #!
  icon:
    repo: ../../base  #!""", ["'primary: red\" onload", "'accent: javascript' kent het thema niet", "'scheme: slate\"",
                              "icoon '../../partials/header' bestaat niet", "'logo' moet een afbeelding zijn",
                              "'favicon': het bestand docs/plaatjes/bestaat-niet.png bestaat niet",
                              "icoon '../../base' bestaat niet"]),
]


def test_configuration_values_that_could_carry_markup_or_secrets_are_refused(tmp_path, buut):
    """One build with every attack at once: each is refused on its own line, exit 2, nothing built."""
    root = small_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for old, new, _ in ATTACKS:
        assert old in text, old
        text = text.replace(old, new, 1)
    config.write_text(text, encoding="utf-8")
    refused_lines = {number for number, line in enumerate(text.split("\n"), 1) if "#!" in line}
    messages = [message for _, _, found in ATTACKS for message in found]
    assert len(refused_lines) == len(messages)
    result = buut("build", root=root)
    assert result.exit_code == 2, result.output
    reported = set()
    for message in messages:
        found = re.search(rf"mkdocs\.yml:(\d+):1: fout: [^\n]*{re.escape(message)}", result.output)
        assert found, (message, result.output)
        reported.add(int(found.group(1)))
    assert reported == refused_lines, result.output  # each on the line where it was written
    assert "Traceback" not in result.output and not (root / "site" / "intranet").exists()


@pytest.mark.parametrize("value", ["javascript:alert(1)", "//kwaad.example/x", "https://x.example/\"><script>"])
def test_an_environment_value_gets_the_url_check(value, tmp_path, buut, monkeypatch):
    root = small_repo(tmp_path / "repo")
    monkeypatch.setenv("BUUT_REPO_URL", value)
    result = buut("build", root=root)
    assert result.exit_code == 2, result.output
    line = (root / "mkdocs.yml").read_text().split("\n").index("repo_url: !ENV [BUUT_REPO_URL, null]") + 1
    assert f"mkdocs.yml:{line}:1: fout: 'repo_url' (uit BUUT_REPO_URL) moet een http(s)-adres zijn" in result.output


# -- in Chromium --------------------------------------------------------------------------------

PLANTED = "<script>window.pwned=7</script>"


def static_server(folder: Path) -> tuple[str, object]:
    """A plain static web server (Python's own) without any security header: only the page's own
    `<meta>` CSP protects it, as on a host that serves the public site as files."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{LOCAL_HOST}:{server.server_address[1]}", server


def visit(browser, url: str) -> dict:
    """Open a page; what ran, what the CSP blocked, and whether the theme's own scripts ran."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    blocked = []
    tab.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        response = tab.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        tab.wait_for_load_state("networkidle")
        return {"pwned": tab.evaluate("window.pwned === undefined ? null : window.pwned"), "blocked": blocked,
                "theme": tab.evaluate("typeof __md_get === 'function' && document.querySelector('.md-search') !== null"),
                "scripts": tab.evaluate("[...document.scripts].map(s => s.src || s.textContent.slice(0, 40))")}
    finally:
        context.close()


def plant(folder: Path, relative: str) -> None:
    """A script in the built HTML after every check: what a template sink nobody thought of would do."""
    target = folder / relative
    html = target.read_text(encoding="utf-8")
    target.write_text(html.replace("</head>", PLANTED + "</head>", 1), encoding="utf-8")


def test_nothing_injected_runs_on_the_served_intranet(attacked, browser, tmp_path):
    site = tmp_path / "intranet"
    shutil.copytree(attacked / "site" / "intranet", site)
    plant(site, "vakgroepen/index.html")
    base, server = start_server(SiteApp(site))
    try:
        for path in ("vakgroepen/aanval/", "vakgroepen/entiteit/", "vakgroepen/lijnen/"):
            seen = visit(browser, f"{base}/{path}")
            assert seen["pwned"] is None and seen["theme"] and not seen["blocked"], (path, seen)
        seen = visit(browser, f"{base}/vakgroepen/")
        assert seen["pwned"] is None and seen["theme"], seen  # the planted script did not run …
        assert seen["blocked"], seen  # … the served CSP refused it (before, the server hashed it in)
    finally:
        server.close()


def test_nothing_injected_runs_on_the_public_site_served_as_plain_files(attacked, browser, tmp_path):
    site = tmp_path / "publiek"
    shutil.copytree(attacked / "site" / "publiek", site)
    plant(site, "vakgroepen/index.html")
    base, server = static_server(site)
    try:
        for path in ("vakgroepen/aanval/", "vakgroepen/lijnen/"):
            seen = visit(browser, f"{base}/{path}")
            assert seen["pwned"] is None and seen["theme"] and not seen["blocked"], (path, seen)
        seen = visit(browser, f"{base}/vakgroepen/")
        assert seen["pwned"] is None and seen["theme"] and seen["blocked"], seen  # the <meta> CSP refused it
    finally:
        server.shutdown()
        server.server_close()
