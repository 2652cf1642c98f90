"""The terminology check on text as editors write it (issue 17): per kind, cases that must be
flagged and cases that must stay quiet, through `check_files` as `buut check FILE` runs it."""
from __future__ import annotations

import pytest

from buut.build.project import check_files, load_rules
from conftest import ROOT


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT)


def check(tmp_path, rules, text: str, doelgroep: str | None = "medewerkers", name: str = "notitie.md"):
    """Matched words at warning level or above, for a loose file (front matter added unless None)."""
    if doelgroep is not None:
        text = f"---\ntitel: Test\neigenaar: redactie-test\ndoelgroep: {doelgroep}\n---\n\n{text}\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [f.match for f in check_files(ROOT, [path], rules)
            if f.level.english != "suggestion" and not f.rule.startswith(("frontmatter", "schema"))]


# --- 1. A loose file's front matter is never dropped ---------------------------------------------

@pytest.mark.parametrize("front, body, expected", [
    ("titel: Brief\ndoelgroep: amsterdammers", "Na uw aanmelding belt het team.", ["aanmelding"]),
    ("doelgroep: amsterdammers", "De beschikking volgt snel.", ["beschikking"]),
    ("titel: X\ndoelgroep: [amsterdammers]", "Als cliënt krijgt u een brief.", ["cliënt"]),
    ("titel: X\ndoelgroep: amsterdammers\nonbekend: ja", "Eerst is er een vraagverhelderingsgesprek.",
     ["vraagverhelderingsgesprek"]),
    ("titel: X\ndoelgroep: partners", "Iedere klant is welkom.", ["klant"]),
    ("titel: X\ndoelgroep: medewerkers", "Na de aanmelding loopt de termijn.", []),
    ("titel: X\ndoelgroep: amsterdammers", "Na het eerste contactmoment belt het team.", []),
    ("titel: X\ndoelgroep: partners", "De regievoerder belt u.", []),
    ("titel: X\ndoelgroep: partners", "Uw cliënt kan ook zelf bellen.", []),
    ("titel: X\ndoelgroep: onbekend", "De beschikking volgt snel.", []),  # no valid doelgroep: medewerkers
])
def test_loose_file_with_incomplete_front_matter_keeps_its_doelgroep(tmp_path, rules, front, body, expected):
    assert check(tmp_path, rules, f"---\n{front}\n---\n\n{body}\n", doelgroep=None) == expected


def test_loose_file_front_matter_problems_are_reported(tmp_path, rules):
    path = tmp_path / "los.md"
    path.write_text("---\ntitel: X\ndoelgroep: amsterdammers\n---\n\nTekst.\n", encoding="utf-8")
    messages = [f.message for f in check_files(ROOT, [path], rules)]
    assert any("eigenaar" in m for m in messages), messages


def test_loose_file_without_front_matter_is_a_page_for_medewerkers(tmp_path, rules):
    assert check(tmp_path, rules, "# Notitie\n\nDe aanmelding is binnen.\n", doelgroep=None) == []
    assert check(tmp_path, rules, "# Notitie\n\nWe plannen een intake.\n", doelgroep=None) == ["intake"]


# --- 2. Compounds in any position and inflections from the lemma ---------------------------------

@pytest.mark.parametrize("text, expected", [
    ("De groepsintake begint om tien uur.", ["groepsintake"]),
    ("Het intakeformulier ligt klaar.", ["intakeformulier"]),
    ("Na het herintakegesprek is alles duidelijk.", ["herintakegesprek"]),
    ("Stuur de doorverwijsbrief naar de huisarts.", ["doorverwijsbrief"]),
    ("De doorverwezen Amsterdammer belt terug.", ["doorverwezen"]),
    ("De doorverwijzende instantie belt zelf.", ["doorverwijzende"]),
    ("Het bleek dat de collega haar doorverwees.", ["doorverwees"]),
    ("Alle opschalingen worden besproken.", ["opschalingen"]),
    ("De afgeschaalde inzet is voldoende.", ["afgeschaalde"]),
    ("Die keukentafelgesprekken kosten tijd.", ["keukentafelgesprekken"]),
    ("De geïndiceerde uren staan in het plan.", ["geïndiceerde"]),
    ("Het behandelplannetje is klaar.", ["behandelplannetje"]),
])
def test_compounds_and_inflections_are_found(tmp_path, rules, text, expected):
    assert check(tmp_path, rules, text) == expected


@pytest.mark.parametrize("text", [
    "Let op de vochtintake van ouderen.",  # an exception in glossary.yml
    "Zij deed een ex-intake.",  # 'ex' is shorter than samenstellingen.min_deel
    "Het indicatieadvies komt later.",
    "Zij heeft een verwijzing van de huisarts.",
    "De klantmanager en de klantbegeleider van WPI sluiten aan.",
    "Schuldhulpverlening valt onder het buurtteam.",
    "De burgemeester en de burgerraad zijn uitgenodigd.",
])
def test_compounds_and_derivations_that_are_right_stay_quiet(tmp_path, rules, text):
    assert check(tmp_path, rules, text) == []


# --- 3. Separable verbs within the clause ----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("De collega verwijst de vader met zijn drie kinderen en de oma na een lang gesprek over alles "
     "wat er speelt door.", ["verwijst … door"]),
    ("Wij verwijzen hem door voor schuldhulp.", ["verwijzen … door"]),
    ("Zij verwees de Amsterdammer door aan het OKT.", ["verwees … door"]),
    ("Het team schaalt de zaak af zonder overleg.", ["schaalt … af"]),
    ("We willen niemand zomaar door moeten verwijzen.", ["door … verwijzen"]),
    ("Het is niet de bedoeling om haar door te verwijzen.", ["door … verwijzen"]),
])
def test_separable_verbs_are_found_within_the_clause(tmp_path, rules, text, expected):
    assert check(tmp_path, rules, text) == expected


@pytest.mark.parametrize("text", [
    "Dit verwijst door zijn opbouw naar het werkkader.",
    "De tekst verwijst naar de regels. Door de drukte lukt het niet.",
    "De tekst verwijst naar de regels; door de drukte lukt het niet.",
    "We schalen op basis van de vraag.",
    "Door te verwijzen naar eerdere afspraken blijft het kort.",
    "Hij legt het uit door te verwijzen naar het werkkader.",
])
def test_door_as_preposition_and_fixed_expressions_stay_quiet(tmp_path, rules, text):
    assert check(tmp_path, rules, text) == []


# --- 4. False alarms: fixed expressions, names, quoted mentions ------------------------------------

@pytest.mark.parametrize("text, doelgroep, expected", [
    ("Er staat een laptop tot uw beschikking.", "amsterdammers", []),
    ("De gemeente stelt een ruimte ter beschikking.", "amsterdammers", []),
    ("De aanmelding voor de workshop sluit maandag.", "amsterdammers", []),
    ("Er zijn veel voorzieningen in de buurt, zoals een park.", "amsterdammers", []),
    ("We zeggen niet meer 'intake' en ook niet “doorverwijzen”.", "medewerkers", []),
    ("De algemene voorziening is vrij toegankelijk.", "amsterdammers", []),
    ("Het gesprek heet niet 'keukentafelgesprek' maar eerste gesprek.", "medewerkers", []),
    ("Zij zei: 'we doen eerst een intake'.", "medewerkers", ["intake"]),  # a quoted sentence still uses it
    ("U krijgt een beschikking van de gemeente.", "amsterdammers", ["beschikking"]),
    ("Na uw aanmelding bij het buurtteam belt men u.", "amsterdammers", ["aanmelding"]),
    ("De regisseur belt de Amsterdammer.", "medewerkers", ["regisseur"]),
    ("Het buurteam is dicht op feestdagen.", "medewerkers", ["buurteam"]),
])
def test_fixed_expressions_names_and_quoted_mentions(tmp_path, rules, text, doelgroep, expected):
    assert check(tmp_path, rules, text, doelgroep) == expected


# --- 5. Markdown as a CommonMark parser reads it ----------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Voorbeeld:\n\n    status = intake\n", []),  # indented code block
    ("Lees [de instructie][intake].\n\n[intake]: https://intranet.voorbeeld.nl/intake\n", []),
    ("Zie voorbeeld.nl/intake/formulier voor meer.\n", []),
    ("```text\nintake\n```\n", []),
    ("Gebruik `intake` als veldnaam.\n", []),
    ("<!-- intake -->\nTekst.\n", []),
    ("!!! tip \"Eerste gesprek\"\n\n    | Stap | Wat |\n    |---|---|\n    | 1 | Plan de intake |\n", ["intake"]),
    ("| a | b |\n|---|---|\n| x | Na de intake |\n", ["intake"]),
    ("Zie ook.[^1]\n\n[^1]: Vroeger heette dit de intake.\n", ["intake"]),
    ("- punt\n\n    Na de intake volgt het plan.\n", ["intake"]),
    ("# Na de intake\n\nTekst.\n", ["intake"]),
    ("Lees [over de intake](https://voorbeeld.nl/pagina).\n", ["intake"]),
])
def test_prose_is_what_the_markdown_parser_calls_text(tmp_path, rules, text, expected):
    assert check(tmp_path, rules, text) == expected


def test_quoted_yaml_values_are_not_mentions(tmp_path, rules):
    text = '---\ntitel: "Intake"\neigenaar: e\n---\n\nWe zeggen niet meer: "intake".\n'
    assert check(tmp_path, rules, text, doelgroep=None) == ["Intake"]


def test_addresses_in_partner_files_are_not_prose(tmp_path, rules):
    from buut.check.terminology import check_partner

    text = "naam: Proef\ncontact:\n  website: https://www.voorbeeld.nl/intake\nomschrijving: 'Intake'\n"
    assert [f.match for f in check_partner(text, "partners/p.yml", rules, publiek=True)] == ["Intake"]


def test_findings_keep_line_and_column_in_admonitions_and_tables(tmp_path, rules):
    path = tmp_path / "p.md"
    path.write_text("---\ntitel: T\neigenaar: e\n---\n\n!!! note\n\n    | a | b |\n    |---|---|\n"
                    "    | x | Na de intake |\n", encoding="utf-8")
    finding = next(f for f in check_files(ROOT, [path], rules) if f.match == "intake")
    assert (finding.line, finding.column) == (10, 17)


# --- 6. Professionals: partners read what professionals say to each other ---------------------------

@pytest.mark.parametrize("text, expected", [
    ("Bij de aanmelding van uw cliënt belt het buurtteam u.", []),
    ("Wij voeren het vraagverhelderingsgesprek samen met u.", []),
    ("De cliënten van uw organisatie kunnen bellen.", []),
    ("De regievoerder houdt u op de hoogte.", []),
    ("De beschikking volgt na het besluit.", ["beschikking"]),  # only within the gemeente
    ("Iedere klant krijgt een contactpersoon.", ["klant"]),  # only between colleagues
    ("De intake doen we samen.", ["intake"]),
    ("De klanthouder belt u.", ["klanthouder"]),
    ("Het behandelplan maken we samen.", ["behandelplan"]),
    ("Na de aanmelding bij het buurtteam krijgt u bericht.", []),
])
def test_terms_between_professionals_fit_partner_pages(tmp_path, rules, text, expected):
    assert check(tmp_path, rules, text, "partners") == expected


# --- 7. Privacy: functional mailboxes are not personal data -----------------------------------------

@pytest.mark.parametrize("address, flagged", [
    ("info@voorbeeld.nl", False),
    ("team.west@voorbeeld.nl", False),
    ("secretariaat-noord@voorbeeld.nl", False),
    ("buurtteam.zuidoost@voorbeeld.nl", False),
    ("noreply@voorbeeld.nl", False),
    ("helpdesk@voorbeeld.nl", False),
    ("j.jansen@voorbeeld.nl", True),
    ("jan.jansen@voorbeeld.nl", True),
    ("fatima1988@gmail.com", True),
    ("p.info@voorbeeld.nl", True),  # an initial: a person
    ("postma@voorbeeld.nl", True),
])
def test_functional_mailboxes_are_not_personal_data(tmp_path, address, flagged):
    from buut.check.privacy import check_privacy

    findings = check_privacy(f"Mail naar {address} voor vragen.\n", "p.md")
    assert bool(findings) is flagged, findings
