"""Issue 22, point 3: provenance, not markers.

Each attack is planted the way an editor or attacker would, in a public page. It must be refused
with a Dutch `path:line` message, or be absent from `site/publiek` and from the public search
index — and present on the intranet, so that a test that finds nothing has planted something. A
last test lets one intern block through the filter and sees the provenance gate refuse the build.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from buut.build import leakgate, provenance
from buut.load import policy
from buut.cli import main
from buut.render import public
from conftest import copy_repo, page, write
from test_publiek import all_text

PUBLIC_PAGE = "docs/herkomst.md"
FRONT = "titel: Herkomst\neigenaar: redactie\nzichtbaarheid: publiek"

# name -> Markdown that hides one canary word (one word: the search index finds it whole)
ATTACKS = {
    # the sanitiser unwraps these elements, and their class with them
    "section": '<section class="intern">\n\nKanariesection staat hier.\n\n</section>\n',
    "aside": '<aside class="intern">Kanarieaside</aside>\n',
    "article": '<article class="intern" markdown>\n\nKanariearticle in Markdown.\n\n</article>\n',
    # lxml moves content out of these
    "h3": '<h3 class="intern"><p>Kanarieh3</p></h3>\n',
    "b": '<p>Voor <b class="intern"><div>Kanarieb</div></b> na.</p>\n',
    "table": '<table class="intern">Kanarietable<tr><td>Kanariecel</td></tr></table>\n',
    # the class written as the HTML parser allows it
    "spaces": '<div class = "intern" markdown>\n\nKanariespaces\n\n</div>\n',
    "two-lines": '<div\n  class="intern" markdown>\n\nKanarietwolines\n\n</div>\n',
    "entity": '<div class="&#105;ntern">Kanarieentity</div>\n',
    "unquoted": "<span class=INTERN>Kanarieunquoted</span> naast publieke tekst.\n",
    "unclosed-at-end": "",  # placed last, below
    # intern text in a heading, and so in the table of contents
    "heading-span": '## Publieke kop <span class="intern">Kanarieheadingspan</span>\n\nTekst.\n',
    "heading-whole": "## Kanarieheadingwhole {: .intern }\n\nTekst.\n",
    "heading-in-html": '<div class="intern" markdown>\n\n## Kanarieheadinginhtml\n\n</div>\n',
}
# definitions inside intern HTML blocks: refused by `buut check`; with that check off, still absent
DEFINITIONS = {
    "footnote": ('<div class = "intern" markdown>\n\n[^geheim]: Kanariefootnote\n\n</div>\n\n'
                 "Zin met een voetnoot[^geheim].\n"),
    "abbreviation": ('<div\n  class="intern" markdown>\n\n*[PUBLIEKAFK]: Kanarieabbr\n\n</div>\n\n'
                     "PUBLIEKAFK staat in de tekst.\n"),
    "reference": ('<blockquote class="intern" markdown>\n\n[geheimref]: https://kanarieref.example/\n\n'
                  "</blockquote>\n\nEen [link][geheimref] in de tekst.\n"),
}


def canary(name: str) -> str:
    return {"unclosed-at-end": "Kanarieunclosed", "footnote": "Kanariefootnote", "abbreviation": "Kanarieabbr",
            "reference": "kanarieref.example"}.get(name) or "Kanarie" + name.replace("-", "")


def attack_page() -> str:
    body = "# Herkomst\n\nPublieke tekst voor de aanvallen.\n\n"
    for name, markdown in {**ATTACKS, **DEFINITIONS}.items():
        if markdown:
            body += f"## Aanval {name}\n\n{markdown}\n"
    body += "## Slot\n\nPublieke tekst na de aanvallen.\n\n<div class=\"intern\">\nKanarieunclosed\n"
    return page(FRONT, body)


def search(root, word: str, publiek: bool) -> dict:
    """`buut zoek --json` on the intranet or the public index: the answer without the question."""
    result = CliRunner().invoke(main, ["zoek", "--json", *(["--publiek"] if publiek else []), word,
                                       "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    answer.pop("query", None)
    return answer


@pytest.fixture(scope="module")
def attack_build(tmp_path_factory):
    """One build with every attack planted; the check on definitions is switched off (as if it
    missed a variant), so that what the filter does with them is seen."""
    root = copy_repo(tmp_path_factory.mktemp("herkomst") / "repo")
    write(root, PUBLIC_PAGE, attack_page())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(policy, "_definitions_in_intern_html", lambda text, path, first_line: [])
        result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def site_texts(attack_build) -> dict[str, str]:
    return {site: all_text(attack_build / "site" / site) for site in ("intranet", "publiek")}


@pytest.mark.parametrize("name", [*ATTACKS, *DEFINITIONS])
def test_intern_content_is_absent_from_the_public_site(site_texts, name):
    assert canary(name) in site_texts["intranet"], "not planted"
    assert canary(name).lower() not in site_texts["publiek"].lower()  # ids and anchors too


def test_public_text_around_the_attacks_stays(attack_build):
    html = (attack_build / "site/publiek/herkomst/index.html").read_text()
    for kept in ("Publieke tekst voor de aanvallen.", "Publieke tekst na de aanvallen.", "naast publieke tekst",
                 "Voor ", "Publieke kop", "PUBLIEKAFK staat in de tekst."):
        assert kept in html, kept
    assert 'title="Kanarieabbr"' not in html and "kanarieref" not in html


def test_the_table_of_contents_holds_only_public_headings(attack_build):
    html = (attack_build / "site/publiek/herkomst/index.html").read_text()
    toc = html[html.index('md-nav--secondary'):html.index("</nav>", html.index('md-nav--secondary'))]
    assert "Publieke kop" in toc and "Aanval heading-whole" in toc
    assert "kanarie" not in toc.lower()


def test_intern_content_is_absent_from_the_public_search_index(attack_build):
    for word in ("Kanariesection", "Kanarieheadingwhole", "Kanariefootnote"):
        intranet = search(attack_build, word, publiek=False)
        assert intranet["results"] and not intranet.get("corrected"), f"{word} not on the intranet index"
        assert word.lower() not in json.dumps(search(attack_build, word, publiek=True)).lower(), word


def test_intern_content_is_absent_from_the_static_search_index(attack_build):
    """The public site's own search index (zoeken/index.json) holds no canary, yet the page's public text."""
    index = (attack_build / "site/publiek/zoeken/index.json").read_text(encoding="utf-8")
    assert "Publieke tekst na de aanvallen." in index
    for name in [*ATTACKS, *DEFINITIONS]:
        assert canary(name).lower() not in index.lower(), name


# -- refused with path:line ---------------------------------------------------------------------

# name -> (body from line 9 of the file, line of the message, words in it)
INDENTATION = {
    "no-body": ("Tekst.\n\n!!! intern\n\nDeze zin springt niet in.\n", 11, "leeg"),
    "no-body-at-end": ("Tekst.\n\n??? intern \"Alleen intern\"\n", 11, "leeg"),
    "two-spaces": ("Tekst.\n\n!!! intern\n  Twee spaties.\n", 12, "springt 2 spaties in"),
    "one-space-after-blank": ("Tekst.\n\n???+ Intern\n\n Eén spatie.\n", 13, "springt 1 spatie in"),
    "three-spaces-in-list": ("- punt\n\n    !!! warning intern\n       Drie.\n", 12, "springt 3 spaties in"),
    "in-quote": ("> !!! intern\n>   Twee in een citaat.\n", 10, "springt 2 spaties in"),
    "part-of-heading": ("## Andere kop *Kanarieheadingattr*{: .intern }\n", 9, "een deel van een kop"),
}


@pytest.mark.parametrize("name", INDENTATION)
def test_intern_block_without_its_text_is_an_error(name, repo, buut):
    body, line, words = INDENTATION[name]
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\n" + body))
    result = buut("check", str(repo / PUBLIC_PAGE), root=repo)
    assert result.exit_code == 1, result.output
    assert f"{PUBLIC_PAGE}:{line}:1: fout:" in result.output and words in result.output, result.output


def test_intern_block_with_its_text_indented_four_spaces_is_fine(repo, buut):
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\n!!! intern\n\n    Vier spaties.\n\n"
                                         "```\n!!! intern\n```\n\n> !!! intern\n>     Goed.\n"))
    result = buut("check", str(repo / PUBLIC_PAGE), root=repo)
    assert "intern-kader" not in result.output and "interne kader" not in result.output, result.output


def test_build_stops_on_an_intern_block_indented_two_spaces(repo, buut):
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\n!!! intern\n  Kanarietwee\n"))
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output
    assert f"{PUBLIC_PAGE}:10:1: fout: de tekst onder het interne kader (regel 9) springt 2 spaties" in result.output
    assert not (repo / "site/publiek").exists() or "Kanarietwee" not in all_text(repo / "site/publiek")


@pytest.mark.parametrize("body, line", [
    ("BSN 1234{# #}56782 staat hier.\n", 9),
    ("Een regel.\n\n{#\nverborgen tekst die niemand controleert\n#}\n", 11),
    ("Tekst {#- met een streepje -#} erachter.\n", 9),
])
def test_jinja_comments_are_refused(body, line, repo, buut):
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\n" + body))
    result = buut("check", str(repo / PUBLIC_PAGE), root=repo)
    assert result.exit_code == 1, result.output
    assert f"{PUBLIC_PAGE}:{line}:1: fout: een Jinja-opmerking" in result.output, result.output


def test_jinja_comment_written_literally_in_raw_is_allowed(repo, buut):
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\nLetterlijk {% raw %}{# dit #}{% endraw %}.\n"))
    result = buut("check", str(repo / PUBLIC_PAGE), root=repo)
    assert "Jinja-opmerking" not in result.output, result.output


@pytest.mark.parametrize("name", DEFINITIONS)
def test_definitions_in_every_spelling_of_an_intern_block_are_refused(name, repo, buut):
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\n" + DEFINITIONS[name]))
    lines = (repo / PUBLIC_PAGE).read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if canary(name) in text)
    result = buut("check", str(repo / PUBLIC_PAGE), root=repo)
    assert result.exit_code == 1, result.output
    assert f"{PUBLIC_PAGE}:{line}:1: fout: een voetnoot, afkorting of verwijzing" in result.output, result.output


# -- the leak gate's addresses ------------------------------------------------------------------

ADDRESSES = ["..\\werkinstructies\\dagbesteding\\", "werkinstructies\\dagbesteding\\index.md",
             "werkinstructies/dagbesteding?stap=1", "/werkinstructies/dagbesteding#stap-1",
             "werkinstructies/dagbesteding/?x=1#y", "../../../werkinstructies/dagbesteding/"]


@pytest.mark.parametrize("text", ADDRESSES + ["zie ../werkinstructies/dagbesteding?stap=1."])
def test_address_variants_in_the_text_are_found_by_the_gate(text, tmp_path):
    internal = leakgate.Internal(frozenset({"werkinstructies/dagbesteding/"}), frozenset())
    write(tmp_path / "site", "index.html", f"<html><body><article><p>{text}</p></article></body></html>")
    assert [leak.what for leak in leakgate.verify(tmp_path / "site", internal)] == \
        ["adres van een interne pagina in de tekst"]


@pytest.mark.parametrize("href", ADDRESSES)
def test_address_variants_in_a_link_are_found_by_the_gate(href, tmp_path):
    internal = leakgate.Internal(frozenset({"werkinstructies/dagbesteding/"}), frozenset())
    write(tmp_path / "site", "index.html", f'<html><body><a href="{href}">x</a></body></html>')
    assert [leak.what for leak in leakgate.verify(tmp_path / "site", internal)] == \
        ["verwijzing naar de interne pagina /werkinstructies/dagbesteding/"]


def test_a_question_mark_after_a_word_is_no_address(tmp_path):
    write(tmp_path / "site", "index.html", "<html><body><p>Wat zijn werkinstructies? Zie de huishouden/?x.</p>"
                                           "</body></html>")
    leaks = leakgate.verify(tmp_path / "site", leakgate.Internal(frozenset({"werkinstructies/"}), frozenset()))
    assert leaks == []


def test_a_link_written_with_backslashes_loses_its_address(tmp_path):
    html = public.filter_html('<p>Zie <a href="..\\werkinstructies\\dagbesteding\\">de instructie</a>.</p>',
                              "publiek/", {"werkinstructies/dagbesteding/"})
    assert html == "<p>Zie de instructie.</p>"


# -- the provenance gate ------------------------------------------------------------------------

def test_provenance_refuses_what_no_public_source_says(tmp_path):
    """On a hand-made site: an intern footnote, tooltip, link and heading that lost their marker."""
    markdown = ("# Start\n\nPublieke zin[^1] met AFK en een [link](https://publiek.example/).\n\n"
                "[^1]: Publieke voetnoot.\n*[AFK]: Publieke uitleg\n\n"
                '!!! intern\n    ## Geheime kop\n    *[AFK2]: Geheime uitleg\n\n'
                '<section class = "intern">\nGeheime sectie\n</section>\n')
    site = tmp_path / "site"
    write(site, "index.html", """\
        <html><head><title>Start - Wijknetwerken</title></head><body>
        <nav class="md-nav md-nav--secondary"><a href="#geheime-kop">Geheime kop</a></nav>
        <article><h1>Start</h1><p>Publieke zin<sup><a class="footnote-ref" href="#fn:1">1</a></sup> met
        <abbr title="Publieke uitleg">AFK</abbr> en <abbr title="Geheime uitleg">AFK2</abbr> en een
        <a href="https://publiek.example/">link</a> of <a href="https://geheim.example/">link</a>.</p>
        <p>Geheime sectie</p></article></body></html>""")
    write(site, "search/search_index.json", json.dumps({"docs": [
        {"location": "", "title": "Start", "text": "<p>Publieke zin</p>"},
        {"location": "#geheime-kop", "title": "Geheime index", "text": ""}]}))
    found = provenance.check(site, provenance.Sources({"index.html": markdown}, ("Start",), "Wijknetwerken"))
    texts = sorted({item.text for item in found})
    assert texts == ["AFK2", "Geheime index", "Geheime kop", "Geheime sectie", "Geheime uitleg",
                     "https://geheim.example/"], found
    assert {item.path for item in found} == {"index.html", "search/search_index.json"}
    assert "niet uit een publiek deel van de bron" in str(found[0])


def test_provenance_checks_the_static_search_index(tmp_path):
    """zoeken/index.json: each section's text must be its page's; each word and stem must come from
    the public text or the glossary (`search_words`). What no public source says is found, and so is
    public text in another order than its page's."""
    from buut.search.static import stems

    site = tmp_path / "site"
    write(site, "index.html", """\
        <html><head><title>Start - Wijknetwerken</title></head><body><article><h1>Start</h1>
        <p>Het buurtteam helpt bij schulden.</p><div class="note">Een noot</div><p>Bel ons gerust.</p>
        </article></body></html>""")
    index = {"secties": [["", "Start", "", "Het buurtteam helpt bij schulden. Bel ons gerust.", 1.0, []],
                         ["", "Start", "", "Geheime werkwijze voor medewerkers", 1.0, []],
                         ["", "Start", "", "Bel ons gerust. Het buurtteam helpt bij schulden.", 1.0, []]],  # reordered
             "woorden": {"schulden": list(stems("schulden")), "huisuitzetting": [], "geheimwoord": []},
             "postings": {stems("schulden")[0]: [0, 1.0], "kanariestam": [0, 1.0]},
             "samenstellingen": {}, "stamzinnen": {},
             "uitbreidingen": {"huisuitzetting": [[[list(stems("woningontruiming")), 1.0]]]},
             "stopwoorden": ["de"]}
    write(site, "zoeken/index.json", json.dumps(index))
    sources = provenance.Sources({"index.html": "# Start\n\nHet buurtteam helpt bij schulden.\n\nEen noot\n\nBel ons gerust.\n"},
                                 ("Start",), "Wijknetwerken", ("huisuitzetting", "woningontruiming"))
    found = provenance.check(site, sources)
    assert sorted(item.text for item in found) == ["Bel ons gerust. Het buurtteam helpt bij schulden.",
                                                   "Geheime werkwijze voor medewerkers", "geheimwoord", "kanariestam"]
    assert {item.path for item in found} == {"zoeken/index.json"}


def test_provenance_gate_refuses_a_canary_the_filter_lets_through(repo, buut, monkeypatch):
    """A way to write intern content the filter does not know, simulated by switching both of its
    steps off for a page: nh3 then unwraps the <section> and its class, so no marker is left, and
    only the provenance gate stands between the canary and the public site."""
    write(repo, PUBLIC_PAGE, page(FRONT, "# Herkomst\n\nPublieke tekst.\n\n"
                                         '<section class="intern">\n\nKanariegate\n\n</section>\n'))
    monkeypatch.setattr(public, "without_intern", lambda text: text)
    monkeypatch.setattr(public, "filter_html", lambda html, url, internal: html)
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output
    assert "lekcontrole" in result.output
    assert "herkomst/index.html: tekst die niet uit een publiek deel van de bron komt: 'Kanariegate'" in result.output
    assert not (repo / "site/publiek").exists()  # nothing swapped in
