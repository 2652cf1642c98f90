"""Patterns that editors write run under RE2: no pattern can hang `buut check`, and what RE2
cannot run safely (backreferences, lookaround) is refused when the glossary loads."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import copy_repo, write

# Generous: RE2 finishes in well under a second; Python's re would take longer than the age of the
# universe on the text below. A regression fails here instead of hanging the suite.
TIMEOUT = 120


def add_term(root, lines: list[str]) -> int:
    """Add a term to the first begrip of glossary.yml; returns the line of its first pattern."""
    path = root / "glossary.yml"
    text = path.read_text(encoding="utf-8")
    anchor = "    termen:\n"
    at = text.index(anchor) + len(anchor)
    path.write_text(text[:at] + "".join(f"      {line}\n" for line in lines) + text[at:], encoding="utf-8")
    return text[:at].count("\n") + 1 + next(i for i, line in enumerate(lines) if "vormen" in line)


def run_check(root, *paths):
    return subprocess.run([sys.executable, "-c", "from buut.cli import main; main()", "check", "--root", str(root), *map(str, paths)],
                          capture_output=True, text=True, timeout=TIMEOUT)


def nested_term(pattern: str) -> list[str]:
    return ["- term: proefwoord", "  rol: niet gebruiken", f"  vormen: ['{pattern}']",
            "  voorbeelden: {fout: [Het aaab staat hier.], goed: [Het aaaa staat hier.]}"]


@pytest.mark.parametrize("pattern", ["(a+)+b", "(a|a)*b", "(a*)*b"])
def test_nested_quantifiers_finish_and_find_the_right_word(tmp_path, pattern):
    root = copy_repo(tmp_path / "repo")
    add_term(root, nested_term(pattern))
    evil = "a" * 5000 + "c"
    page = write(root, "notities/proef.md", f"# Proef\n\n{evil}\n\nHet aaab staat hier.\n")
    result = run_check(root, page)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "notities/proef.md:5:5: fout" in result.stdout, result.stdout
    assert result.stdout.count("proefwoord") <= 1 and result.stdout.count("notities/proef.md:") == 1


def test_nested_quantifiers_in_the_whole_project_check(tmp_path):
    root = copy_repo(tmp_path / "repo")
    add_term(root, nested_term("(a+)+b"))
    write(root, "docs/proef.md", "---\ntitel: Proef\neigenaar: redactie\n---\n\n# Proef\n\n" + "a" * 5000 + "c\n")
    result = run_check(root)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("pattern, reason", [
    (r"(intake)\1", "terugverwijzing"),
    ("(?<!voedsel)intake", "vooruit- of terugkijken"),
    ("intake(?=gesprek)", "vooruit- of terugkijken"),
    ("intake(?!s)", "vooruit- of terugkijken"),
])
def test_patterns_re2_cannot_run_are_refused_with_file_line_and_entry(tmp_path, pattern, reason):
    root = copy_repo(tmp_path / "repo")
    line = add_term(root, ["- term: proefwoord", "  rol: niet gebruiken", f"  vormen: ['{pattern}']",
                           "  voorbeelden: {fout: [intake], goed: [gesprek]}"])
    page = write(root, "notities/proef.md", "# Proef\n\nGewone tekst.\n")
    result = run_check(root, page)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"glossary.yml:{line}:" in result.stderr, result.stderr
    assert "term 'proefwoord'" in result.stderr and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("key", ["uitzonderingen", "scheidbaar"])
def test_exceptions_and_separable_verbs_are_checked_too(tmp_path, key):
    root = copy_repo(tmp_path / "repo")
    value = "[{patroon: '(?<=x)y', voorbeeld: y}]" if key == "uitzonderingen" else "[{stam: '(v)\\1', partikel: door}]"
    line = add_term(root, ["- term: proefwoord", "  rol: niet gebruiken", "  vormen: [proefwoord]",
                           f"  {key}: {value}", "  voorbeelden: {fout: [proefwoord], goed: [gesprek]}"]) + 1
    result = run_check(root, write(root, "notities/proef.md", "# Proef\n"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"glossary.yml:{line}:" in result.stderr and "ongeldig patroon" in result.stderr, result.stderr


PLAN_QUERY = """
import sys
from pathlib import Path
from buut.build.project import load_project
from buut.search.query import Planner, Vocabulary

project = load_project(Path(sys.argv[1]))
planner = Planner(project.glossary, project.rules)
planner.plan("a" * 190 + "c aaab", Vocabulary({"aaab": 1}), correct=False)
print("klaar")
"""


def test_the_search_planner_runs_the_same_rules_without_hanging(tmp_path):
    root = copy_repo(tmp_path / "repo")
    add_term(root, nested_term("(a+)+b"))
    result = subprocess.run([sys.executable, "-c", PLAN_QUERY, str(root)], capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0 and "klaar" in result.stdout, result.stderr
