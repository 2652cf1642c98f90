"""Docs stay honest: every command, option, key and macro is documented where its reader looks.

The README is for a newcomer (what BUUT is, the two set-up commands, where to read on). Editors read
the handbook on the intranet (`docs/handboek/`, checked like every page); developers read
DEVELOPERS.md. Each fact is looked for in the document of the reader who needs it.
"""
from __future__ import annotations

import re

import pytest

from buut.cli import main
from buut.load.content import FRONT_MATTER
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DEVELOPERS = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
HANDBOEK_DIR = ROOT / "docs" / "handboek"
HANDBOEK = "\n".join(p.read_text(encoding="utf-8") for p in sorted(HANDBOEK_DIR.glob("*.md")))
OPTIONS = [(name, opt) for name, command in main.commands.items()
           for param in command.params for opt in param.opts if opt.startswith("--")]
README_MAX_LINES = 120


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_for_developers_and_editors(name):
    assert f"buut {name}" in DEVELOPERS, f"buut {name} staat niet in DEVELOPERS.md"
    assert f"buut {name}" in HANDBOEK, f"buut {name} staat niet in het handboek (docs/handboek/)"


@pytest.mark.parametrize("name, option", OPTIONS)
def test_every_option_is_documented(name, option):
    assert option in DEVELOPERS, f"{option} van buut {name} staat niet in DEVELOPERS.md"


@pytest.mark.parametrize("key", list(FRONT_MATTER.fields))
def test_every_front_matter_key_is_in_the_handbook(key):
    assert f"| `{key}` |" in HANDBOEK, f"front-matter-sleutel {key} staat niet in de tabel van het handboek"


def _schema_keys():
    from buut.load.partners import PARTNER
    from buut.load.teams import TEAM
    from buut.load.voorzieningen import TOEGANG, VOORZIENING

    return [("voorziening", k) for k in VOORZIENING.fields] + [("partner", k) for k in PARTNER.fields] \
        + [("toegang", k) for k in TOEGANG.fields] + [("team", k) for k in TEAM.fields]


@pytest.mark.parametrize("schema, key", _schema_keys())
def test_every_data_key_is_in_the_handbook(schema, key):
    assert f"`{key}`" in HANDBOEK, f"sleutel {key} ({schema}) staat niet in het handboek (docs/handboek/)"


def test_every_macro_is_in_the_handbook():
    from buut.render.macros import MACROS

    assert len(MACROS) >= 5
    for name in MACROS:
        assert "{{ " + name + "(" in HANDBOEK, name


def test_readme_is_short_and_has_exactly_two_setup_commands():
    assert len(README.splitlines()) <= README_MAX_LINES
    assert README.count("```bash\nbash scripts/") == 2
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_points_every_reader_on():
    for target in ("DEVELOPERS.md", "CONTRIBUTING.md", "docs/handboek/", "Over BUUT"):
        assert target in README, target


def test_readme_links_resolve():
    for document in ("README.md", "DEVELOPERS.md", "CONTRIBUTING.md"):
        text = (ROOT / document).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (ROOT / target).exists(), f"{document}: link naar {target} bestaat niet"


def test_the_handbook_is_an_intranet_page_under_over_buut():
    from buut.render.lifecycle import OVER_PAGES

    assert "handboek/index.md" in [uri for uri, _titel, _what in OVER_PAGES]
    index = (HANDBOEK_DIR / "index.md").read_text(encoding="utf-8")
    for page in sorted(HANDBOEK_DIR.glob("*.md")):
        assert page.name == "index.md" or f"]({page.name})" in index, f"{page.name} staat niet in de index"
        front_matter = page.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert "zichtbaarheid" not in front_matter, f"{page.name}: het handboek is intern"


def test_the_handbook_passes_the_check_like_every_page(buut):
    pages = [str(p) for p in sorted(HANDBOEK_DIR.glob("*.md"))]
    result = buut("check", *pages, root=ROOT)
    assert result.exit_code == 0, result.output
