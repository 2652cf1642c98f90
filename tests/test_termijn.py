"""Termijnen (issue 25): a wettelijke termijn needs its unit, and prose that names another one is flagged."""
from __future__ import annotations

import re

from conftest import ROOT

WERKINSTRUCTIE = "werkinstructies/hulp-bij-het-huishouden.md"


def edit(repo, old, new, count=1):
    path = repo / WERKINSTRUCTIE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def line_of(path, fragment):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if fragment in line)


def test_a_termijn_without_unit_is_refused_with_file_and_line(repo, buut):
    path = edit(repo, "  wettelijke_termijn: 8 weken", "  wettelijke_termijn: 6")
    result = buut("check", str(path), root=repo)
    assert result.exit_code == 1, result.output
    line = line_of(path, "wettelijke_termijn: 6")
    assert re.search(rf"{re.escape(WERKINSTRUCTIE)}:{line}:\d+: fout: .*wettelijke_termijn.*'6'.*"
                     r"aantal met een eenheid, zoals '8 weken'", result.output), result.output
    assert "Traceback" not in result.output


def test_a_termijn_with_unit_is_shown_on_the_page(repo, buut):
    path = edit(repo, "  wettelijke_termijn: 8 weken", "  wettelijke_termijn: 8 weken")
    assert buut("check", str(path), root=repo).exit_code == 0


def test_prose_that_names_another_termijn_than_the_data_is_a_warning(repo, buut):
    path = edit(repo, "  wettelijke_termijn: 8 weken", "  wettelijke_termijn: 6 weken")
    result = buut("check", str(path), root=repo)
    line = line_of(path, "mag het niet langer duren dan 8 weken")
    assert (f"{WERKINSTRUCTIE}:{line}:" in result.output and "waarschuwing: \"8 weken\"" in result.output
            and "'6 weken'" in result.output), result.output
    assert result.exit_code == 0  # a warning: the editor decides which one is right
    edit(repo, "mag het niet langer duren dan 8 weken", "mag het niet langer duren dan zes weken")
    assert "waarschuwing:" not in buut("check", str(path), root=repo).output  # "zes weken" is 6 weken


def test_other_amounts_outside_sentences_about_the_wettelijke_termijn_are_fine(repo, buut):
    path = repo / "werkinstructies/schuldhulpverlening.md"  # "binnen twee weken een eerste gesprek"
    result = buut("check", str(path), root=repo)
    assert "waarschuwing:" not in result.output and result.exit_code == 0, result.output


def test_buut_own_werkinstructies_agree_with_their_data(buut):
    result = buut("check", "--format", "json", *[str(p) for p in sorted((ROOT / "werkinstructies").glob("*.md"))],
                  root=ROOT)
    assert "redactie.termijn" not in result.output, result.output
