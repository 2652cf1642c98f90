"""Docs stay honest: every command, option and front-matter key is in the README."""
from __future__ import annotations

import pytest

from buut.cli import main
from buut.content import FRONT_MATTER
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPTIONS = [(name, opt) for name, command in main.commands.items()
           for param in command.params for opt in param.opts if opt.startswith("--")]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name):
    assert f"buut {name}" in README


@pytest.mark.parametrize("name, option", OPTIONS)
def test_every_option_is_documented(name, option):
    assert option in README, f"{option} van buut {name} staat niet in README.md"


@pytest.mark.parametrize("key", list(FRONT_MATTER.fields))
def test_every_front_matter_key_is_documented(key):
    assert f"| `{key}` |" in README


def test_readme_has_exactly_two_setup_commands():
    assert README.count("```bash\nbash scripts/") == 2
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _schema_keys():
    from buut.partners import PARTNER
    from buut.voorzieningen import TOEGANG, VOORZIENING

    return [("voorziening", k) for k in VOORZIENING.fields] + [("partner", k) for k in PARTNER.fields] \
        + [("toegang", k) for k in TOEGANG.fields]


@pytest.mark.parametrize("schema, key", _schema_keys())
def test_every_data_key_is_documented(schema, key):
    assert f"`{key}`" in README, f"sleutel {key} ({schema}) staat niet in README.md"


def test_every_macro_is_documented():
    from buut.macros import MACROS

    assert len(MACROS) >= 5
    for name in MACROS:
        assert "{{ " + name + "(" in README, name
