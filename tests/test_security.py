"""Every pull request is hostile (issue 13): content is data, never code; nothing internal leaks.

Each attack is written the way an attacker would, through a file in the repository. The payload
must not run, must not reach `site/publiek`, or must be refused with a Dutch `path:line` message
— never a traceback, a hang or a changed site.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import textwrap
from pathlib import Path

import pytest

from buut.build import leakgate
from buut.load import policy
from buut.render import public
from conftest import page, write

REGIE = "werkkader/2-3-regie.md"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")):
        h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def append(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(root: Path, relative: str, needle: str) -> int:
    lines = (root / relative).read_text(encoding="utf-8").split("\n")
    return next(i for i, text in enumerate(lines, 1) if needle in text)


# -- 1. macros: parsed and allow-listed, never executed ------------------------------------------

ESCAPES = [
    '{{ cycler.__init__.__globals__.os.popen("touch PWNED").read() }}',
    "{{ config }}",
    "{{ self.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ voorziening.__globals__ }}",
    "{{ toegang_tabel.__call__() }}",
    "{{ namespace() }}",
    "{{ range(10) }}",
    "{% for x in 'abc' %}{{ x }}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'macros.html' as m %}",
    "{% extends 'base.html' %}",
    "{% set x = 1 %}",
    "{% macro m() %}x{% endmacro %}",
    "{{ 'a' * 100000000 }}",
    "{{ partner(config) }}",
    "{{ voorziening(*args) }}",
    '{{ voorziening("dagbesteding") | upper }}',
    "{{ toegang_tabel }}",
    "{{ environ }}",
    "{{ kapot(",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_macro_escapes_are_refused_with_the_line(payload, repo, buut, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    append(repo, REGIE, f"\nGewone tekst.\n\n{payload}\n")
    result = buut("check", root=repo)
    assert result.exit_code == 1, result.output
    line = line_of(repo, REGIE, payload[:12])
    assert re.search(rf"{REGIE}:{line}:1: fout: (niet toegestaan|onbekende macro|macro)", result.output), result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "PWNED").exists() and not (repo / "PWNED").exists()


def test_a_page_cannot_call_macros_without_end(repo, buut):
    append(repo, REGIE, "\n" + "{{ toegang_tabel() }}\n" * 5000)
    result = buut("check", str(repo / REGIE), root=repo)
    assert result.exit_code == 1 and "te veel macro's op één pagina (5000; hoogstens 100)" in result.output


def test_code_in_a_page_never_runs_during_the_build(built_copy, buut, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "UITGEVOERD"
    before = digest(built_copy / "site")
    append(built_copy, REGIE, f'\n{{{{ cycler.__init__.__globals__.os.popen("touch {marker}").read() }}}}\n')
    result = buut("build", root=built_copy)
    assert result.exit_code == 1 and "niet toegestaan" in result.output, result.output
    assert not marker.exists()
    assert digest(built_copy / "site") == before


def test_allowed_macros_and_raw_text_still_work(repo, build_intranet):
    write(repo, "docs/macro.md", page("titel: Macro\neigenaar: redactie", """\
        # Macro

        Dagbesteding: {{ voorziening("dagbesteding", "naam") }}; letterlijk {% raw %}{{ config }}{% endraw %}.
        """))  # a Jinja comment is refused (tests/test_security_provenance.py)
    build_intranet(repo)
    html = (repo / "site/intranet/macro/index.html").read_text()
    assert "Dagbesteding: Dagbesteding" in html and "letterlijk {{ config }}" in html


# -- 2. the public site cannot leak ---------------------------------------------------------------

# Every way Python-Markdown (and raw HTML) accepts to write an internal part, each with a canary.
INTERN_WAYS = {
    "plain": '!!! intern "Alleen intern"\n    KANARIE-PLAIN\n',
    "no-space": "!!!intern\n    KANARIE-NOSPACE\n",
    "capital": "!!! Intern\n    KANARIE-CAPITAL\n",
    "second-class": '!!! warning intern "Let op"\n    KANARIE-SECONDCLASS\n',
    "details": "??? intern\n    KANARIE-DETAILS\n",
    "details-open": "???+ intern\n    KANARIE-DETAILSOPEN\n",
    "blockquote": "> !!! intern\n>     KANARIE-BLOCKQUOTE\n",
    "list-item": "- punt\n\n    !!! intern\n        KANARIE-LISTITEM\n",
    "definition": "Begrip\n:   uitleg\n\n    !!! intern\n        KANARIE-DEFINITION\n",
    "footnote": "Zin met voetnoot[^geheim].\n\n[^geheim]: Openbare voetnoot.\n\n    !!! intern\n        KANARIE-FOOTNOTE\n",
    "attr-list": "KANARIE-ATTRLIST alinea\n{: .intern }\n",
    "html-div": '<div class="intern" markdown>\nKANARIE-HTMLDIV\n</div>\n',
    "html-span": 'Tekst <span class="Intern">KANARIE-HTMLSPAN</span> verder.\n',
    "heading-in-block": "!!! intern\n    ### KANARIE-HEADINGINBLOCK\n\n    tekst\n",
    "comment": "<!-- KANARIE-COMMENT -->\n",
    "raw-link": '<a href="../kanarie-interne-pagina/">Deze linktekst</a> blijft als tekst.\n',  # the address goes
}


def canary(name: str) -> str:
    return f"KANARIE-{name.upper().replace('-', '')}"


@pytest.fixture(scope="module")
def leak_build(tmp_path_factory):
    from click.testing import CliRunner

    from buut.cli import main
    from conftest import copy_repo

    root = copy_repo(tmp_path_factory.mktemp("lek") / "repo")
    write(root, "docs/kanarie-interne-pagina.md", page("titel: Interne kanariepagina\neigenaar: redactie",
                                                      "# Interne kanariepagina\n\nKANARIE-INTERNE-PAGINA\n"))
    body = "\n".join(f"## Manier {name}\n\n{text}" for name, text in INTERN_WAYS.items())
    append(root, "docs/visie.md", "\n" + body + "\n## Na de kanaries\n\nDe publieke tekst gaat door.\n")
    (root / "docs" / "bijlagen").mkdir()
    (root / "docs/bijlagen/intern.txt").write_text("KANARIE-BIJLAGE")
    append(root, "docs/kanarie-interne-pagina.md", "\n[bijlage](bijlagen/intern.txt)\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_no_way_of_writing_intern_reaches_the_public_site(leak_build):
    from test_publiek import all_text

    text = all_text(leak_build / "site" / "publiek")
    leaked = [name for name in INTERN_WAYS if canary(name) in text]
    assert leaked == []
    for planted in ("KANARIE-INTERNE-PAGINA", "KANARIE-BIJLAGE", "kanarie-interne-pagina"):
        assert planted not in text
    html = (leak_build / "site/publiek/visie/index.html").read_text()
    assert "De publieke tekst gaat door." in html and "Deze linktekst blijft als tekst." in html
    assert "Openbare voetnoot." in html and 'class="footnote"' in html  # footnotes survive
    assert not (leak_build / "site/publiek/bijlagen").exists()  # an asset only an internal page uses


def test_the_intranet_keeps_what_is_internal(leak_build):
    from test_publiek import all_text

    text = all_text(leak_build / "site" / "intranet")
    for name in INTERN_WAYS:
        if name not in ("comment", "raw-link"):  # comments are dropped everywhere: never meant for readers
            assert canary(name) in text, name
    assert 'href="../kanarie-interne-pagina/">Deze linktekst' in (leak_build / "site/intranet/visie/index.html").read_text()
    assert "KANARIE-COMMENT" not in text


def test_leak_gate_refuses_what_the_filter_does_not_know(built_copy, buut, monkeypatch):
    """A new way to write internal text, simulated by a filter that misses it: the gate refuses."""
    before = digest(built_copy / "site")
    append(built_copy, "docs/visie.md", '\n!!! intern\n    KANARIE-ONBEKEND\n')
    from markdown.extensions import Extension

    class KeepEverything(Extension):
        def extendMarkdown(self, md):
            pass

    monkeypatch.setattr(public, "InternBlocks", KeepEverything)  # the parser keeps the block …
    monkeypatch.setattr(public, "filter_html", lambda html, url, internal: html)  # … and so does the filter
    result = buut("build", root=built_copy)
    assert result.exit_code == 1, result.output
    assert "lekcontrole" in result.output and "visie/index.html" in result.output and "intern" in result.output
    assert digest(built_copy / "site") == before  # nothing swapped in


def test_leak_gate_refuses_internal_links_and_stray_files(built_copy, buut, monkeypatch):
    append(built_copy, "docs/visie.md", '\nZie <a href="../werkinstructies/toegang/">de toegang</a>.\n')
    monkeypatch.setattr(public, "filter_html", lambda html, url, internal: html)
    monkeypatch.setattr(leakgate, "prune", lambda site_dir: [])
    (built_copy / "docs/los.txt").write_text("een bestand waar niemand naar verwijst")
    result = buut("build", root=built_copy)
    assert result.exit_code == 1, result.output
    assert "werkinstructies/toegang" in result.output
    assert "los.txt: bestand waar geen publieke pagina naar verwijst" in result.output


def test_gate_on_a_hand_made_site(tmp_path):
    site = tmp_path / "site"
    write(site, "index.html", '<html><head><title>Start</title></head><body><article>'
                              '<p>Tekst <!-- x --></p><div class="INTERN">y</div>'
                              '<a href="geheim/">z</a></article></body></html>')
    write(site, "plaatje.png", "x")
    leaks = leakgate.verify(site, leakgate.Internal(frozenset({"geheim/"}), frozenset({"Geheim"})))
    kinds = sorted(leak.what.split(" ")[0] for leak in leaks)
    assert any("klasse 'intern'" in leak.what for leak in leaks)
    assert any("HTML-opmerking" in leak.what for leak in leaks)
    assert any("/geheim/" in leak.what for leak in leaks)
    assert any(leak.path == "plaatje.png" for leak in leaks), kinds


# -- 3. content is data: no links out, no scripts --------------------------------------------------

def test_symlinks_are_refused(built_copy, buut):
    before = digest(built_copy / "site")
    os.symlink("/etc/passwd", built_copy / "docs/wachtwoorden.txt")
    os.symlink("/etc", built_copy / "werkkader/etc")
    result = buut("build", root=built_copy)
    assert result.exit_code == 1
    assert "docs/wachtwoorden.txt:1:1: fout:" in result.output and "symbolische koppeling" in result.output
    assert "werkkader/etc:1:1: fout:" in result.output
    assert digest(built_copy / "site") == before
    assert "root:" not in (built_copy / "site/intranet/index.html").read_text()


RAW_HTML = """
<script>alert("KANARIE-SCRIPT")</script>
<img src="x.png" onerror="alert('KANARIE-ONERROR')">
<a href="javascript:alert('KANARIE-JSLINK')">klik</a> en [markdown](javascript:alert('KANARIE-MDJS'))
<iframe src="https://example.org/"></iframe><style>body{display:none}</style>
<form action="https://example.org/"><input name="KANARIE-FORM"></form>
<svg onload="alert(1)"><circle r="1"/></svg>
<p style="background:url(https://example.org/x.png)">tekst</p>
"""


def test_raw_html_is_sanitised(repo, buut):
    write(repo, "docs/html.md", page("titel: Html\neigenaar: redactie\nzichtbaarheid: publiek", "# Html\n" + RAW_HTML))
    result = buut("build", root=repo)
    assert result.exit_code == 0, result.output
    for site in ("intranet", "publiek"):
        html = (repo / f"site/{site}/html/index.html").read_text()
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        for bad in ("<script", "onerror", "javascript:", "<iframe", "<style", "KANARIE-FORM", "<circle",
                    "onload", "example.org"):
            assert bad not in article, (site, bad)
        assert "klik" in article and "tekst" in article


def test_glossary_definitions_put_no_addresses_in_tooltips(repo, buut):
    glossary = repo / "glossary.yml"
    text = glossary.read_text()
    first = re.search(r"        definitie: (.+)\n", text)
    text = text.replace(first.group(0), first.group(0).replace(
        first.group(1), "Zie [de toegang](werkinstructies/toegang.md) voor meer."), 1)
    term = re.search(r"      - term: (.+)\n        rol: gebruiken\n        definitie: Zie", text)
    assert term, "geen term met definitie gevonden"
    text = text.replace(term.group(0), term.group(0).replace("rol: gebruiken", "rol: gebruiken\n        tooltip: true"))
    glossary.write_text(text)
    # the tooltip holds the link's text, never its address
    from buut.check.glossary import parse_glossary
    from buut.render import abbreviations

    tooltip = abbreviations(parse_glossary(text))[term.group(1).strip()]
    assert tooltip == "Zie de toegang voor meer.", tooltip
    # and a file name in a definition, which partners read on the public begrippenlijst, stops the build
    line = text[:text.index("Zie [de toegang]")].count("\n") + 1
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output
    assert f"glossary.yml:{line}:" in result.output and "werkinstructies/toegang.md" in result.output, result.output
    assert not (repo / "site/publiek").exists()


@pytest.mark.parametrize("config_change, refused", [
    ("hooks:\n  - kwaad.py\n", "hooks"),
    ("plugins:\n  - buut\n  - search\n  - kwaad\n", "plugin"),
    ("markdown_extensions:\n  - pymdownx.snippets\n", "pymdownx.snippets"),
    ("markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: x\n          class: x\n"
     "          format: !!python/name:os.system\n", "niet toegestaan"),
    ("extra_javascript:\n  - https://example.org/x.js\n", "andere host"),
])
def test_configuration_cannot_run_code(config_change, refused, repo, buut):
    config = repo / "mkdocs.yml"
    text = config.read_text()
    key = config_change.split(":", 1)[0]
    text = re.sub(rf"(?ms)^{key}:\n(?:[ -].*\n)*", "", text) + "\n" + config_change
    config.write_text(text)
    result = buut("build", root=repo)
    assert result.exit_code == 2, result.output
    assert "mkdocs.yml" in result.output and refused in result.output


# -- 4. bounded work for every input ---------------------------------------------------------------

def test_yaml_alias_bomb_is_refused_at_once(repo, buut):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(11)]
    write(repo, "docs/bom.md", "---\ntitel: Bom\neigenaar: redactie\n" + "\n".join(bomb) + "\n---\n\n# Bom\n")
    result = buut("check", str(repo / "docs/bom.md"), root=repo)
    assert result.exit_code == 1
    assert "docs/bom.md:5:" in result.output and "verwijzing" in result.output


def test_deep_yaml_is_refused(repo, buut):
    write(repo, "docs/diep.md", "---\ntitel: Diep\neigenaar: redactie\nx: " + "[" * 10000 + "]" * 10000
          + "\n---\n\n# Diep\n")
    result = buut("check", str(repo / "docs/diep.md"), root=repo)
    assert result.exit_code == 1 and "docs/diep.md:4:" in result.output and "te diep genest" in result.output


@pytest.mark.parametrize("levels, shape", [(5000, "markers"), (10000, "markers"), (5000, "quote"), (600, "indent"),
                                           (2000, "html")])
def test_deep_markdown_is_an_error_not_a_crash(levels, shape, repo, buut):
    if shape == "indent":
        body = "\n".join("  " * i + "- punt" for i in range(levels))
    elif shape == "quote":
        body = ">" * levels + " citaat"
    elif shape == "html":
        body = '<div markdown="1">\n' * levels + "tekst\n" + "</div>\n" * levels
    else:
        body = "- " * levels + "punt"
    write(repo, "docs/diep.md", page("titel: Diep\neigenaar: redactie", "# Diep\n\n" + body + "\n"))
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output[-500:]
    assert re.search(r"docs/diep\.md:\d+:1: fout: te diep genest", result.output), result.output[-300:]
    assert "Traceback" not in result.output


def test_markdown_depth_counts_containers():
    assert policy.markdown_depth("tekst")[0] == 0
    assert policy.markdown_depth("- a\n    - b\n        - c")[0] == 5
    assert policy.markdown_depth("> > - 1. x")[0] == 4
    assert policy.markdown_depth("a\n" + ">" * 40)[1] == 2


# -- 6. the smaller defects ------------------------------------------------------------------------

def test_two_pages_with_one_address_collide(repo, buut):
    write(repo, "docs/visie/index.md", page("titel: Visie twee\neigenaar: redactie", "# Visie twee\n"))
    result = buut("check", root=repo)
    assert result.exit_code == 1
    assert re.search(r"docs/visie(\.md|/index\.md):1:1: fout: deze pagina krijgt hetzelfde adres \(/visie/\)",
                     result.output)
    assert "docs/visie/index.md" in result.output and "docs/visie.md" in result.output


def test_capitalised_md_is_not_silently_ignored(repo, buut):
    write(repo, "docs/Hoofdletters.MD", page("titel: H\neigenaar: redactie", "# H\n"))
    result = buut("check", root=repo)
    assert result.exit_code == 1 and "docs/Hoofdletters.MD:1:1: fout:" in result.output and "'.MD'" in result.output


@pytest.mark.parametrize("body, message", [
    ("# Een andere kop\n", "is niet gelijk aan de titel"),
    ("Geen kop.\n", "ontbreekt"),
    ("# Titel\n\n# Tweede\n", "tweede kop"),
])
def test_the_heading_matches_the_title(body, message, repo, buut):
    write(repo, "docs/kop.md", page("titel: Titel\neigenaar: redactie", body))
    result = buut("check", str(repo / "docs/kop.md"), root=repo)
    assert result.exit_code == 1 and "docs/kop.md:" in result.output and message in result.output


def test_heading_in_code_is_not_a_title(repo, buut):
    write(repo, "docs/kop.md", page("titel: Titel\neigenaar: redactie", "# Titel\n\n```bash\n# commentaar\n```\n"))
    result = buut("check", str(repo / "docs/kop.md"), root=repo)
    assert result.exit_code == 0, result.output


def test_duplicate_key_names_the_earlier_line(repo, buut):
    write(repo, "docs/dubbel.md", "---\ntitel: Dubbel\neigenaar: redactie\ntitel: Weer\n---\n\n# Dubbel\n")
    result = buut("check", str(repo / "docs/dubbel.md"), root=repo)
    assert result.exit_code == 1
    assert "docs/dubbel.md:4:1: fout: sleutel 'titel' staat er twee keer in (eerder op regel 2)" in result.output


def test_built_sites_are_world_readable_and_stale_staging_is_cleaned(repo, buut):
    (repo / "site").mkdir()
    stale = repo / "site/.intranet-bouw-oud123"
    (stale / "x").mkdir(parents=True)
    old_umask = os.umask(0o077)
    try:
        assert buut("build", root=repo).exit_code == 0
    finally:
        os.umask(old_umask)
    assert not stale.exists()
    for site in ("intranet", "publiek"):
        folder = repo / "site" / site
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
        assert stat.S_IMODE((folder / "index.html").stat().st_mode) == 0o644
        assert stat.S_IMODE((folder / "werkkader").stat().st_mode) == 0o755


def test_policy_module_documents_itself():
    doc = textwrap.dedent(policy.__doc__)
    for word in ("symbolic links", "aliases", "nh3", "RE2", "leak", "mkdocs.yml"):
        assert word.lower() in doc.lower(), word


# -- found in the attacker's review ------------------------------------------------------------------

def test_mkdocs_yml_cannot_run_code_while_it_is_read(repo, buut, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "UITGEVOERD"
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "extra:\n", f'extra:\n  pwn: !!python/object/apply:os.system ["touch {marker}"]\n'))
    result = buut("build", root=repo)
    assert result.exit_code == 2, result.output
    assert "mkdocs.yml:" in result.output and "niet toegestaan" in result.output
    assert not marker.exists()


@pytest.mark.parametrize("file, old, new, refused", [
    ("mkdocs.publiek.yml", "site_description: Samenwerken met de Amsterdamse buurtteams",
     "site_description: !ENV [GEHEIM_TOKEN, geen]", "omgevingsvariabele"),
    ("mkdocs.publiek.yml", "edit_uri: null", 'edit_uri: null\ncopyright: "<script>alert(1)</script>"', "geen HTML"),
    ("mkdocs.publiek.yml", "docs_dir: publiek", "docs_dir: partners", "altijd 'publiek'"),
    ("mkdocs.publiek.yml", "INHERIT: mkdocs.yml", "INHERIT: /etc/buut.yml", "INHERIT"),
    ("mkdocs.yml", "font: false", "font:\n    text: Roboto", "andere host"),
    ("mkdocs.yml", "generator: false", "generator: false\n  analytics:\n    provider: google", "analytics"),
    ("mkdocs.yml", "repo_url: !ENV [BUUT_REPO_URL, null]", 'repo_url: "javascript://x/%0aalert(1)"', "http(s)"),
    ("mkdocs.yml", "strict: true", "strict: true\nhooks: [kwaad.py]", "hooks"),
])
def test_configuration_is_an_allow_list(file, old, new, refused, repo, buut):
    path = repo / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    result = buut("build", root=repo)
    assert result.exit_code == 2, result.output
    assert f"{file}:" in result.output and refused in result.output


@pytest.mark.parametrize("name", ["bijlagen/notulen.html", "assets/javascripts/bundle.js", "plaatje.svg",
                                  "gegevens.yml", "assets/images/favicon.png", "scripts/los.js"])
def test_only_pictures_and_documents_go_into_the_site(name, repo, buut):
    write(repo, f"docs/{name}", "<script>alert(1)</script>")
    result = buut("check", root=repo)
    assert result.exit_code == 1
    assert f"docs/{name}:1:1: fout:" in result.output


ATTACK_PAGE = """\
# Aanval

Publieke tekst met GEHEIMAFK en een voetnoot[^geheim] en een [link][ref] en ![plaatje][imgref].

!!! intern
    *[GEHEIMAFK]: LEAK-ABBR interne afkorting

    [^geheim]: LEAK-FOOTNOTE interne voetnoot

    [ref]: https://example.org "LEAK-REFTITLE"

    [imgref]: https://example.org/p.png "LEAK-IMGTITLE"

    Geheim LEAK-BODY.

!!! intern
    Interne tekst met bron[^bron].

Publieke tekst <span id="anker"></span>.

!!! intern
    ## LEAK-TOCHEADING { #anker }

[^bron]: LEAK-HONEST-FOOTNOTE interne bron

<div id="__config">{"base": "https://example.org"}</div>
<img src="https://example.org/pixel.png" alt="pixel">
"""


def test_what_markdown_collects_from_intern_blocks_stays_internal(repo, buut):
    write(repo, "docs/aanval.md", page("titel: Aanval\neigenaar: redactie\nzichtbaarheid: publiek", ATTACK_PAGE))
    result = buut("build", root=repo)
    assert result.exit_code == 0, result.output
    from test_publiek import all_text

    text = all_text(repo / "site/publiek")
    assert [leak for leak in re.findall(r"LEAK-[A-Z-]+", text)] == []
    html = (repo / "site/publiek/aanval/index.html").read_text()
    assert "Publieke tekst met GEHEIMAFK" in html and 'id="__config">{' not in html
    assert "example.org/pixel.png" not in html
    assert "LEAK-HONEST-FOOTNOTE" in all_text(repo / "site/intranet")


def test_definitions_inside_an_intern_html_block_are_refused(repo, buut):
    write(repo, "docs/def.md", page("titel: Def\neigenaar: redactie", """\
        # Def

        <div class="intern" markdown>
        *[AFK]: geheime uitleg
        </div>
        """))
    result = buut("check", str(repo / "docs/def.md"), root=repo)
    assert result.exit_code == 1 and "docs/def.md:9:1: fout:" in result.output, result.output


def test_too_many_link_brackets_are_refused(repo, buut):
    write(repo, "docs/haken.md", page("titel: Haken\neigenaar: redactie", "# Haken\n\n" + "[" * 5000 + "\n"))
    result = buut("check", str(repo / "docs/haken.md"), root=repo)
    assert result.exit_code == 1 and "te veel haken [" in result.output
