"""No developer wording on the public site (issue 25): a build check with a planted case per rule."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import page, write

from buut.check import public_wording
from buut.model import BuutError

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


@pytest.mark.parametrize("compiled", [public_wording.COMPILED, public_wording.COMPILED_REGISTER,
                                      public_wording.COMPILED_INTRANET, public_wording.COMPILED_INTRANET_REGISTER])
def test_the_rules_flag_their_own_examples(compiled):
    for rule, pattern in compiled:
        assert all(pattern.search(s) for s in rule.flag) and not any(pattern.search(s) for s in rule.pass_)


# --- One register (u) and no intranet wording on the public site (issue 25 point 5) ---------------

INTRANET_PAGE = """
    titel: Intern
    eigenaar: redactie-intranet
    """


@pytest.mark.parametrize("sentence, found, message", [
    ("Hoe kun je dat aanvragen?", "je", "de publieke site spreekt partners aan met u"),
    ("Jullie contactpersoon helpt daarbij.", "Jullie", "de publieke site spreekt partners aan met u"),
    ("Het format staat op BUUT, bij de werkwijze.", "op BUUT", "een partner kan BUUT niet openen"),
    ("De contactgegevens staan op het sociaal intranet.", "sociaal intranet", "een partner kan het intranet niet openen"),
    ("Het hulpmiddel wordt aangeboden op Kick.", "Kick", "Kick is een systeem van de buurtteams"),
])
def test_informal_register_and_intranet_wording_on_a_public_page_stop_the_build(repo, buut, sentence, found, message):
    path = write(repo, "docs/voor-partners.md", page(PUBLIC_PAGE, f"# Voor partners\n\nWelkom.\n\n{sentence}\n"))
    line = path.read_text(encoding="utf-8").split("\n").index(sentence) + 1
    column = sentence.index(found) + 1
    result = buut("check", str(path), root=repo)
    assert result.exit_code == 1, result.output
    assert f"docs/voor-partners.md:{line}:{column}: fout:" in result.output, result.output
    assert f"'{found}' op de publieke site: {message}" in result.output, result.output


def test_neutral_quoted_or_intern_text_and_intranet_pages_may_say_je(repo, buut):
    public = write(repo, "docs/voor-partners.md", page(PUBLIC_PAGE, """
        # Voor partners

        De Jeugdwet regelt de jeugdhulp; het jeugdteam helpt in juni en juli. Het buurtteam helpt u.
        De training heet "Ken je buurt".

        !!! intern "Op BUUT"
            Je vindt het format op BUUT, bij [de werkwijze](../index.md), op het sociaal intranet.
        """))
    intranet = write(repo, "docs/intern.md", page(INTRANET_PAGE, "# Intern\n\nJe vindt het format op [BUUT](index.md).\n"))
    result = buut("check", str(public), str(intranet), root=repo)
    assert result.exit_code == 0, result.output
    assert "op de publieke site" not in result.output and "op het intranet" not in result.output, result.output


def test_u_on_an_intranet_only_page_is_a_warning_and_on_a_public_page_is_fine(repo, buut):
    intranet = write(repo, "docs/intern.md", page(INTRANET_PAGE, """
        # Intern

        Kunt u dat nagaan? Het zoekvak zegt dan "Bedoelde u dit?".
        """))
    public = write(repo, "docs/voor-partners.md", page(PUBLIC_PAGE, "# Voor partners\n\nHet buurtteam helpt u graag.\n"))
    line = intranet.read_text(encoding="utf-8").split("\n").index('Kunt u dat nagaan? Het zoekvak zegt dan "Bedoelde u dit?".') + 1
    result = buut("check", str(intranet), str(public), root=repo)
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert f"docs/intern.md:{line}:{len('Kunt ') + 1}: waarschuwing:" in result.output, result.output
    assert "'u' op het intranet: het intranet spreekt medewerkers aan met je" in result.output, result.output
    assert result.output.count("op het intranet:") == 1, result.output  # not the quote, not the public page


def test_a_public_partner_in_je_is_an_error_but_its_change_notes_are_not_read(repo, buut):
    path = repo / "partners/amsterdam-extra.yml"
    text = path.read_text(encoding="utf-8")
    assert "tekst: Deze partner staat nieuw op het intranet." in text  # the change notes stay intranet-only
    path.write_text(text.replace("als het buurtteam een Amsterdammer met GGZ", "als je een Amsterdammer met GGZ", 1),
                    encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "als je een" in l)
    result = buut("check", str(path), root=repo)
    assert result.exit_code == 1, result.output
    assert f"partners/amsterdam-extra.yml:{line}:" in result.output and "'je' op de publieke site" in result.output
    assert result.output.count("op de publieke site") == 1, result.output


def test_the_begrippenlijst_is_checked_as_partners_read_it(repo, buut):
    path = repo / "glossary.yml"
    text = path.read_text(encoding="utf-8")
    shown = "dan haalt de professional die erbij."
    assert shown in text
    text = text.replace(shown, "dan haal je die erbij.", 1).replace(  # a definition partners read
        "            - De buurtteammedewerker belt de Amsterdammer terug.\n",
        "            - De buurtteammedewerker belt de Amsterdammer terug.\n            - Je belt de Amsterdammer terug.\n", 1)
    path.write_text(text, encoding="utf-8")  # ... and an example sentence of a rule, which nobody reads on the site
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines, 1) if "dan haal je die erbij." in l)
    column = lines[line - 1].index("je die") + 1
    result = buut("check", root=repo)
    assert result.exit_code == 1, result.output
    assert f"glossary.yml:{line}:{column}: fout:" in result.output and "'je' op de publieke site" in result.output
    assert result.output.count("op de publieke site") == 1, result.output


def test_the_built_public_site_has_no_je_forms_and_no_intranet_references(built_public):
    # the figures a partner meets, counted on the built HTML by the measuring script (independent patterns)
    script = Path(__file__).resolve().parent.parent / "scripts" / "publiek_register.py"
    result = subprocess.run([sys.executable, str(script), str(built_public), "--per-pagina"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "je-vormen 0 (op 0 pagina's), verwijzingen naar het intranet 0 (op 0 pagina's)" in result.stdout, result.stdout
    assert re.search(r"u-vormen [1-9]\d* ", result.stdout), result.stdout  # it did read the pages


@pytest.mark.parametrize("flag, pass_", [
    (("Dat regelt het buurtteam.",), ()),  # a rule that misses its own example
    (("Hoe kun je dat aanvragen?",), ("Heb je vragen?",)),  # a rule that flags a sentence it must leave alone
])
def test_a_rule_that_fails_its_examples_does_not_load(flag, pass_):
    from buut.check.editorial import EditorialRule, _self_test

    broken = EditorialRule("je-vorm", public_wording.REGISTER_RULES[0].pattern, "bericht", flag, pass_)
    with pytest.raises(BuutError, match="redactieregel 'je-vorm'"):
        _self_test((broken,))
