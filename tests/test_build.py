"""`buut build`: the intranet builds, holds the whole werkkader, and fails safely."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import page

# Every section of the werkkader 2.0 that issue #2 names, with its number visible in a heading.
WERKKADER_SECTIONS = (
    ["1.1", "1.2", "1.3"]
    + [f"2.{n}" for n in range(1, 9)]
    + [f"2.4.{n}" for n in range(1, 9)]
    + [f"2.8.{n}" for n in range(1, 6)]
    + ["3.1"] + [f"3.1.{n}" for n in range(1, 10)]
    + [f"4.1.{n}" for n in range(1, 5)] + ["4.2", "5.1", "5.2"]
)
WERKKADER_PAGES = ["voorwoord", "inleiding"]


def headings(site: Path) -> list[str]:
    found = []
    for html in (site / "werkkader").rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        found += [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", text, re.S)]
    return found


@pytest.mark.parametrize("number", WERKKADER_SECTIONS)
def test_every_werkkader_section_is_present_with_its_number(built_site, number):
    pattern = re.compile(rf"^\s*{re.escape(number)}\s+\S")
    assert any(pattern.match(h) for h in headings(built_site)), f"§{number} ontbreekt als kop"


@pytest.mark.parametrize("name", WERKKADER_PAGES)
def test_voorwoord_and_inleiding_are_built(built_site, name):
    assert (built_site / "werkkader" / name / "index.html").is_file()


def test_casussen_are_marked_as_examples(built_site):
    text = "".join(p.read_text(encoding="utf-8") for p in built_site.rglob("*.html"))
    for name in ("Carolien", "Mehmet", "Angela", "Elias"):
        assert re.search(rf'class="admonition example"[^>]*>\s*<p class="admonition-title">Casus: {name}', text), name


def test_werkproces_diagram_has_eight_steps_without_scripts(built_site):
    html = (built_site / "werkkader" / "2-4-werkproces" / "index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="buut-werkproces".*?</figure>', html, re.S).group(0)
    assert len(re.findall(r'<li class="buut-stap">', figure)) == 8
    for n in range(1, 9):
        assert f"2.4.{n}" in figure
    assert "<script" not in figure


def test_site_is_dutch_with_stemming_search(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in html
    config = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert config["lang"] == ["nl"]
    assert "stemmer" in config["pipeline"]


class _Resources(HTMLParser):
    """Collects every URL the page would load or link to."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:  # what the browser loads: a link (<a href>) to another site is not loaded
            if value and (name in ("src", "srcset", "action", "poster", "data") or name == "href" and tag != "a"):
                self.urls.append(value)


def test_built_html_references_no_external_host(built_site):
    offenders = []
    for html in built_site.rglob("*.html"):
        parser = _Resources()
        parser.feed(html.read_text(encoding="utf-8"))
        offenders += [(html.relative_to(built_site), u) for u in parser.urls if re.match(r"^(https?:)?//", u)]
    for css in built_site.rglob("*.css"):
        offenders += [(css.relative_to(built_site), u)
                      for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8"))]
    assert offenders == []


def test_front_matter_errors_give_exit_1_with_path_and_line(repo, buut):
    (repo / "werkkader" / "2-6-privacy.md").write_text(page(
        """
        titel: "2.6 Privacy"
        eigenaar: redactie-werkkader
        versie: "2.0"
        bron: "werkkader §2.6"
        doelgroep: iedereen
        zichtbaarheid: geheim
        """, "# 2.6 Privacy\n"), encoding="utf-8")
    (repo / "docs" / "kapot.md").write_text("---\ntitel: [niet gesloten\neigenaar: x\n---\n# x\n", encoding="utf-8")
    (repo / "docs" / "zonder-eigenaar.md").write_text("---\ntitel: Iets\n---\n# Iets\n", encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output
    assert "werkkader/2-6-privacy.md:6:1: fout: 'doelgroep': item 1: 'iedereen' is geen geldige waarde" in result.output
    assert "werkkader/2-6-privacy.md:7:1: fout: 'zichtbaarheid': 'geheim' is geen geldige waarde" in result.output
    assert re.search(r"docs/kapot\.md:[23]:\d+: fout: ", result.output), result.output
    assert "docs/zonder-eigenaar.md:1:1: fout: verplichte sleutel 'eigenaar' ontbreekt" in result.output


def test_failed_build_leaves_previous_site_untouched(built_copy, buut):
    repo = built_copy
    site = repo / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (repo / "werkkader" / "2-3-regie.md").write_text(
        (repo / "werkkader" / "2-3-regie.md").read_text(encoding="utf-8") + "\nWe plannen een intake.\n",
        encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 1
    assert "De vorige sites blijven staan" in result.output
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in site.iterdir()) == [".bouw.lock", ".zoekindex", "intranet", "publiek"]  # no staging left behind
    assert sorted(p.name for p in (site / ".zoekindex").iterdir()) == ["intranet", "publiek"]


def test_generator_failure_also_leaves_site_untouched(built_copy, buut):
    repo = built_copy
    index = repo / "site" / "intranet" / "index.html"
    before = index.read_bytes()
    path = repo / "werkkader" / "2-3-regie.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n{{ bestaat_niet() }}\n", encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output
    assert "2-3-regie.md" in result.output and "bestaat_niet" in result.output
    assert index.read_bytes() == before


def test_broken_link_fails_the_build(repo, buut):
    path = repo / "werkkader" / "2-3-regie.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nZie [dit](bestaat-niet.md).\n", encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 1
    assert "bestaat-niet.md" in result.output


def test_unusable_config_gives_exit_2(repo, buut):
    (repo / "mkdocs.yml").write_text("site_name: BUUT\ntheme:\n  name: bestaat-niet\nplugins: [buut]\n",
                                     encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 2, result.output
    assert "mkdocs.yml" in result.output


def test_begrippenlijst_page_is_generated_from_glossary(repo, build_intranet):
    glossary = repo / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "Iedereen die in een buurtteam werkt;", "Testzin-7f3a iedereen die in een buurtteam werkt;"),
        encoding="utf-8")
    build_intranet(repo)
    html = (repo / "site" / "intranet" / "begrippenlijst" / "index.html").read_text(encoding="utf-8")
    assert "Testzin-7f3a" in html
    assert "</svg></span> Niet gebruiken" in html and "</svg></span> Gebruiken" in html  # icon and word
    assert not {"✖", "✔", "➕"} & set(html), "tekens die in veel lettertypen ontbreken"


def test_key_terms_get_tooltips_from_the_glossary(built_site):
    html = (built_site / "werkkader" / "2-3-regie" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="De persoon die de formele stappen[^"]*">regievoerder</abbr>', html)
    glossary_page = (built_site / "begrippenlijst" / "index.html").read_text(encoding="utf-8")
    assert "<abbr" not in glossary_page


def test_edit_link_follows_configured_repo_url(repo, build_intranet, built_site, monkeypatch):
    # the shared site is built without BUUT_REPO_URL: no edit link
    assert "/edit/" not in (built_site / "werkkader" / "2-3-regie" / "index.html").read_text(encoding="utf-8")
    page_html = repo / "site" / "intranet" / "werkkader" / "2-3-regie" / "index.html"
    monkeypatch.setenv("BUUT_REPO_URL", "https://git.example.invalid/buut")
    monkeypatch.setenv("BUUT_EDIT_URI", "edit/main/")
    build_intranet(repo)
    assert 'href="https://git.example.invalid/buut/edit/main/werkkader/2-3-regie.md"' in page_html.read_text(
        encoding="utf-8")


def test_mkdocs_serve_watches_content_outside_docs(repo):
    from mkdocs.config import load_config

    config = load_config(config_file=str(repo / "mkdocs.yml"))
    plugin = config.plugins["buut"]
    plugin.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

        def get_app(self):
            return None

        def set_app(self, app):  # the preview shows a failed rebuild in the page (preview_display)
            self.app = app

    server = plugin.on_serve(Server(), config=config, builder=None)
    assert {Path(p).name for p in server.watched} >= {"werkkader", "glossary.yml"}


def test_build_sites_accepts_a_relative_root(repo, monkeypatch):
    from buut.build.project import validate_project
    from buut.build.site import build_sites

    monkeypatch.chdir(repo.parent)
    results = build_sites(validate_project(Path(repo.name)), ("publiek",))
    assert (repo / "site" / "publiek" / "index.html").is_file()
    assert results[0].site_dir.resolve() == (repo / "site" / "publiek").resolve()
