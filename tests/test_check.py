"""`buut check`: precise, Dutch-aware terminology findings with the place and what to write."""
from __future__ import annotations

import json

import pytest

from buut.check.terminology import check_text, compile_rules
from buut.check.glossary import load_glossary
from conftest import ROOT, page


@pytest.fixture(scope="module")
def rules():
    return compile_rules(load_glossary(ROOT / "glossary.yml"))


def found(rules, text, doelgroep="medewerkers"):
    """The matched words of every finding at warning level or above."""
    return [f.match for f in check_text(text, "t.md", rules, (doelgroep,)) if f.level.english != "suggestion"]


@pytest.mark.parametrize("text, match", [
    ("Alle intakes zijn gedaan.", "intakes"),
    ("Er waren drie intakegesprekken.", "intakegesprekken"),
    ("Zij is doorverwezen naar WPI.", "doorverwezen"),
    ("Na de doorverwijzing hoort het team niets.", "doorverwijzing"),
    ("Hij is geïndiceerd voor dagbesteding.", "geïndiceerd"),
    ("Hij is geindiceerd voor dagbesteding.", "geindiceerd"),
    ("Bij twijfel opschalen.", "opschalen"),
    ("De ondersteuning is afgeschaald.", "afgeschaald"),
    ("Het team regelt het op- en afschalen.", "op- en afschalen"),
])
def test_inflections_and_derived_forms(rules, text, match):
    assert found(rules, text) == [match]


@pytest.mark.parametrize("text, match", [
    ("De regievoerder verwijst mevrouw door naar de schuldhulp.", "verwijst … door"),
    ("Wij verwijzen de Amsterdammer door naar het OKT.", "verwijzen … door"),
    ("Zij verwijst hem\ndoor.", "verwijst … door"),
    ("Het is niet de bedoeling hem door te verwijzen.", "door … verwijzen"),
])
def test_separable_verbs_split_over_the_sentence(rules, text, match):
    assert found(rules, text) == [match]


@pytest.mark.parametrize("text", [
    "Wij verwijzen naar paragraaf 2.6 voor de privacyregels.",
    "Hij heeft een verwijzing van de huisarts.",
    "De regievoerder verwijst naar het plan. Door de afspraken is alles helder.",
    "Dit verwijst door zijn ervaring naar een andere aanpak.",
])
def test_referring_to_a_paragraph_or_a_medical_referral_is_fine(rules, text):
    assert found(rules, text) == []


@pytest.mark.parametrize("text", [
    "Onafhankelijke cliëntondersteuning is er voor iedereen.",
    "De klantmanager van WPI sluit aan.",
    "Het indicatieorgaan adviseert over het Pgb.",
    "Dit is een indicatief bedrag.",
    "De burgemeester opent het buurtteam.",
    "De Amsterdammer krijgt Hulp bij het huishouden.",
    "De Amsterdammer krijgt Hulp bij het\nhuishouden.",
    "Schuldhulpverlening hoort bij het buurtteam.",
    "Wijkzorg werkt in de buurt.",
])
def test_compounds_and_names_with_a_discouraged_part_are_fine(rules, text):
    assert found(rules, text, "amsterdammers") == []
    assert check_text(text, "t.md", rules, ("medewerkers",)) == []


@pytest.mark.parametrize("text, match, suggestion", [
    ("Het buurteam is open.", "buurteam", "buurtteam"),
    ("Buurteams Amsterdam werkt samen.", "Buurteams", "buurtteam"),
    ("Het Ouder en Kindteam sluit aan.", "Ouder en Kindteam", "Ouder- en Kindteam"),
    ("Het vraagverhelderinggesprek volgt.", "vraagverhelderinggesprek", "vraagverhelderingsgesprek"),
    ("De client is bekend.", "client", "cliënt"),
])
def test_near_misses_of_preferred_spellings(rules, text, match, suggestion):
    findings = [f for f in check_text(text, "t.md", rules) if f.rule.startswith("schrijfwijze/")]
    assert [(f.match, f.suggestions[0]) for f in findings] == [(match, suggestion)]


def test_diacritics_are_folded_for_audience_terms(rules):
    assert found(rules, "Met de client maken we afspraken.", "amsterdammers") == ["client", "client"]
    assert found(rules, "Met de cliënt maken we afspraken.", "amsterdammers") == ["cliënt"]


MARKDOWN = page("""
    titel: Een intake-pagina
    eigenaar: test
    doelgroep: medewerkers
    """, """
    # Kop met intake

    - lijstpunt met intake
    | kolom | intake in tabel |
    |---|---|
    | a | b |

    !!! note "Titel met intake"
        Tekst met intake in een kader.

    Een [link met intake](intake.md) en `intake` in code, https://example.org/intake en
    <!-- een opmerking met intake --> en www.intake.nl.

    ```
    intake in een codeblok
    ```

    <!-- buut: negeer --> Hier noemen we intake met opzet.

    <!-- buut: negeer-start -->
    Ook hier: intake.
    <!-- buut: negeer-einde -->
    """)


def test_markdown_prose_is_checked_and_code_urls_comments_are_not(rules):
    findings = check_text(MARKDOWN, "t.md", rules, ("medewerkers",), body_line=6)
    lines = MARKDOWN.split("\n")
    places = [(lines[f.line - 1].strip()[:20].strip(), f.match) for f in findings]
    assert places == [
        ("titel: Een intake-pa", "intake-pagina"),
        ("# Kop met intake", "intake"),
        ("- lijstpunt met inta", "intake"),
        ("| kolom | intake in", "intake"),
        ('!!! note "Titel met', "intake"),
        ("Tekst met intake in", "intake"),
        ("Een [link met intake", "intake"),
    ]


def test_front_matter_keys_are_not_checked(rules):
    text = page("titel: Goed\neigenaar: intake-team\n", "# Goed\n")
    assert check_text(text, "t.md", rules, body_line=5) == []


def test_columns_point_at_the_word(rules):
    [finding] = check_text("Wij plannen een intake.", "t.md", rules)
    assert (finding.line, finding.column, finding.end_column) == (1, 17, 23)


@pytest.mark.parametrize("term, doelgroep, flagged", [
    ("De cliënt belt.", "medewerkers", False),
    ("De cliënt belt.", "partners", False),  # partners are professionals (issue 17)
    ("De cliënt belt.", "amsterdammers", True),
    ("De cliënt belt.", "amsterdammers", True),
    ("De beschikking komt per post.", "medewerkers", False),
    ("De beschikking komt per post.", "amsterdammers", True),
    ("De aanmelding is binnen.", "medewerkers", False),
    ("De aanmelding is binnen.", "amsterdammers", True),
])
def test_audience_rules_follow_the_page_doelgroep(rules, term, doelgroep, flagged):
    assert bool(found(rules, term, doelgroep)) is flagged


# --- the command -----------------------------------------------------------------------------

def write(tmp_path, name, doelgroep, body):
    path = tmp_path / name
    path.write_text(page(f"titel: T\neigenaar: test\ndoelgroep: {doelgroep}\n", body), encoding="utf-8")
    return path


def test_exit_codes(tmp_path, buut):
    clean = write(tmp_path, "goed.md", "medewerkers", "# T\n\nWe hebben een eerste gesprek.\n")
    warning = write(tmp_path, "let-op.md", "amsterdammers", "# T\n\nDe cliënt belt.\n")
    error = write(tmp_path, "fout.md", "medewerkers", "# T\n\nWe plannen een intake.\n")
    assert buut("check", str(clean), root=ROOT).exit_code == 0
    assert buut("check", str(warning), root=ROOT).exit_code == 0
    assert buut("check", str(error), root=ROOT).exit_code == 1
    assert buut("check", str(tmp_path / "bestaat-niet.md"), root=ROOT).exit_code == 2


def test_text_output_names_place_and_replacement(tmp_path, buut):
    path = write(tmp_path, "fout.md", "medewerkers", "# T\n\nWe plannen een intake.\n")
    result = buut("check", str(path), root=ROOT)
    assert f'{path}:9:16: fout: "intake" → gebruik "eerste gesprek" (' in result.output


def test_json_shape(tmp_path, buut):
    path = write(tmp_path, "fout.md", "amsterdammers", "# T\n\nDe cliënt krijgt een intake.\n")
    result = buut("check", "--format", "json", str(path), root=ROOT)
    data = json.loads(result.output)
    assert [set(item) for item in data] == [{"path", "line", "column", "end_column", "level", "match",
                                             "suggestions", "message", "rule"}] * 2
    assert [(d["match"], d["level"], d["suggestions"]) for d in data] == [
        ("cliënt", "warning", ["Amsterdammer"]), ("intake", "error", ["eerste gesprek"])]


def test_github_annotations(tmp_path, buut):
    path = write(tmp_path, "fout.md", "medewerkers", "# T\n\nWe plannen een intake.\n")
    result = buut("check", "--format", "github", str(path), root=ROOT)
    assert result.output.startswith(f"::error file={path},line=9,col=16,endColumn=22,")
    assert 'gebruik "eerste gesprek"' in result.output


def test_min_level_filters_output_not_exit_code(tmp_path, buut):
    path = write(tmp_path, "mix.md", "amsterdammers", "# T\n\nDe cliënt krijgt zorg en een intake.\n")
    errors_only = buut("check", "--format", "json", "--min-level", "error", str(path), root=ROOT)
    everything = buut("check", "--format", "json", "--min-level", "suggestion", str(path), root=ROOT)
    assert [d["match"] for d in json.loads(errors_only.output)] == ["intake"]
    assert [d["match"] for d in json.loads(everything.output)] == ["cliënt", "zorg", "intake"]
    assert errors_only.exit_code == everything.exit_code == 1


def test_buut_own_content_has_no_errors(buut):
    result = buut("check", "--format", "json", "--min-level", "error", root=ROOT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_the_summary_says_how_to_see_hidden_meldingen(tmp_path, buut):
    path = write(tmp_path, "mix.md", "amsterdammers", "# T\n\nDe cliënt krijgt zorg.\n")
    result = buut("check", str(path), root=ROOT)
    assert "zorg" not in result.output.split("\n", 1)[0]
    summary = result.output.strip().split("\n")[-1]
    assert summary == (f"0 fouten, 1 waarschuwing, 1 suggestie (niet getoond). Zie ook de suggesties met: "
                       f"buut check {path} --min-level suggestion")
    shown = buut(*summary.split(": ", 1)[1].split()[1:], root=ROOT)  # the command it names, as written
    assert '"zorg"' in shown.output and shown.output.strip().endswith("0 fouten, 1 waarschuwing, 1 suggestie.")
