"""No developer wording on the public site (issue 25): a build check with a planted case per rule."""
from __future__ import annotations

import pytest
from conftest import page, write

from buut import public_wording

PUBLIC_PAGE = """
    titel: Voor partners
    eigenaar: redactie-intranet
    zichtbaarheid: publiek
    doelgroep: partners
    """


@pytest.mark.parametrize("sentence, found", [
    ("Bron: raadsvoorstel 2019 (via issue 5).", "(via issue 5)"),
    ("Deze pagina wordt gemaakt uit glossary.yml.", "glossary.yml"),
    ("Een wijziging stelt u voor met een pull request.", "pull request"),
])
def test_developer_wording_on_a_public_page_stops_the_build(repo, buut, sentence, found):
    path = write(repo, "docs/voor-partners.md", page(PUBLIC_PAGE, f"# Voor partners\n\nWelkom.\n\n{sentence}\n"))
    line = path.read_text(encoding="utf-8").split("\n").index(sentence) + 1
    result = buut("check", str(path), root=repo)
    assert result.exit_code == 1, result.output
    assert f"docs/voor-partners.md:{line}:" in result.output and f"'{found}' op de publieke site" in result.output
    if found == "glossary.yml":  # the build refuses it as well (once: a build takes a while)
        built = buut("build", root=repo)
        assert built.exit_code == 1 and f"docs/voor-partners.md:{line}:" in built.output, built.output
        assert f"'{found}' op de publieke site" in built.output


def test_the_same_words_in_an_intern_block_or_on_an_intranet_page_are_fine(repo, buut):
    intern = write(repo, "docs/voor-partners.md", page(PUBLIC_PAGE, """
        # Voor partners

        Welkom.

        !!! intern "Voor de redactie"
            Deze pagina komt uit een pull request (via issue 5).
        """))
    intranet = write(repo, "docs/intern.md", page("titel: Intern\neigenaar: redactie-intranet\n",
                                                 "# Intern\n\nDe inhoud staat in git, zie issue 5.\n"))
    result = buut("check", str(intern), str(intranet), root=repo)
    assert "publiek.ontwikkelaarstaal" not in result.output and "op de publieke site" not in result.output, result.output


def test_a_public_partner_file_is_checked_but_not_its_intern_part(repo, buut):
    path = repo / "partners/straatalliantie.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('bron: "raadsvoorstel 2019;', 'bron: "raadsvoorstel 2019 (via issue 5);', 1)
                    .replace("  notities: >-\n", "  notities: >-\n    Zie issue 5.\n", 1), encoding="utf-8")
    result = buut("check", str(path), root=repo)
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if l.startswith("bron:"))
    assert result.exit_code == 1 and f"partners/straatalliantie.yml:{line}:" in result.output, result.output
    assert result.output.count("op de publieke site") == 1, result.output


def test_the_rules_flag_their_own_examples():
    for rule, pattern in public_wording.COMPILED:
        assert all(pattern.search(s) for s in rule.flag) and not any(pattern.search(s) for s in rule.pass_)
