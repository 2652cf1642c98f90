"""The partner registry (issue 5): schema, generated pages, intranet-only fields."""
from __future__ import annotations

import re

import pytest

from buut.model import STADSDELEN
from buut.build.project import validate_project

from conftest import PARTNER, ROOT, write


def text_of(html: str) -> str:
    article = html[html.index("<article"):html.index("</article>")]
    return " ".join(re.sub(r"<[^>]+>", " ", article).split())


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.fixture
def proef(repo):
    write(repo, "partners/proefpartner.yml", PARTNER)
    return repo


def partner_errors(root):
    return [f for f in validate_project(root).errors() if f.path.startswith("partners/")]


def test_example_partner_is_valid(proef):
    assert partner_errors(proef) == []
    partner = validate_project(proef).partner("proefpartner")
    assert partner.naam == "Proefpartner" and partner.stadsdelen == ("oost",) and partner.publiek


@pytest.mark.parametrize("old, new, needle, expected", [
    ("aanbod:", "aanbood:", "aanbood:", "onbekende sleutel 'aanbood' in een partner; bedoelt u 'aanbod'?"),
    ("omschrijving: Een partner om mee te testen.", "omschrijving: [een, lijst]", "omschrijving:",
     "moet tekst zijn"),
    ("aanbod:\n  - proefaanbod", "aanbod: proefaanbod", "aanbod:", "moet een lijst zijn"),
    ('  telefoon: ""', '  telefoon: "020-12345"', "telefoon:", "geen geldig telefoonnummer"),
    ('  e-mail: ""', '  e-mail: "info@"', "e-mail:", "geen geldig e-mailadres"),
    ('  website: ""', '  website: "www.voorbeeld.nl"', "website:", "geen geldig webadres"),
    ("domein: [sociale-basis]", "domein: [sociale basis]", "domein:", "'sociale basis' is geen geldige waarde"),
    ("stadsdelen: [oost]", "stadsdelen: [oostzaan]", "stadsdelen:", "'oostzaan' is geen geldige waarde"),
    ('werkkader: ["3.1.2"]', 'werkkader: ["3.1.12"]', "werkkader:", "werkkaderparagraaf '3.1.12' bestaat niet"),
    ("naam: Proefpartner\n", "naam: Proefpartner\nteams_bij_start: 3\n", "teams_bij_start",
     "hoort alleen bij domein 'buurtteams'"),
    ("naam: Proefpartner\n", "naam: Proefpartner\nnaam: Nogmaals\n", "naam: Nogmaals", "staat er twee keer in"),
    ("  notities: \"\"", "\tnotities: \"\"", "notities", "tab"),
])
def test_schema_errors_name_file_and_line(proef, old, new, needle, expected):
    path = proef / "partners/proefpartner.yml"
    text = path.read_text().replace(old, new, 1)
    assert text != path.read_text()
    path.write_text(text)
    found = partner_errors(proef)
    finding = next((f for f in found if expected in f.message), None)
    assert finding is not None, [f.message for f in found]
    assert finding.path == "partners/proefpartner.yml"
    assert finding.line == line_of(text, needle)


def test_valid_contact_values_pass(proef):
    path = proef / "partners/proefpartner.yml"
    path.write_text(path.read_text()
                    .replace('  website: ""', '  website: "https://www.voorbeeld.nl/pad"')
                    .replace('  telefoon: ""', '  telefoon: "020 123 4567"')
                    .replace('  e-mail: ""', '  e-mail: "info@voorbeeld.nl"'))
    assert partner_errors(proef) == []


@pytest.mark.parametrize("number, valid", [
    ("020 123 4567", True), ("+31 20 123 4567", True), ("0800 1234", True), ("14 020", True),
    ("06-12345678", True), ("020-12345", False), ("12345", False), ("+32 2 123 45 67", False), ("bel ons", False),
])
def test_phone_numbers(number, valid):
    from buut.load.schema import Phone

    assert Phone.valid(number) is valid


def test_duplicate_partners_and_bad_file_names(proef):
    write(proef, "partners/proefpartner-kopie.yml", PARTNER)
    found = partner_errors(proef)
    pair = {"partners/proefpartner-kopie.yml", "partners/proefpartner.yml"}
    assert any("dubbele partner" in f.message and f.path in pair
               and (pair - {f.path}).pop() in f.message for f in found), [f.message for f in found]
    write(proef, "partners/Proef_Partner.yml", PARTNER.replace("Proefpartner", "Andere"))
    assert any(f.path == "partners/Proef_Partner.yml" and "geen geldig id" in f.message for f in partner_errors(proef))
    write(proef, "partners/derde.yaml", PARTNER)
    assert any(f.path == "partners/derde.yaml" and ".yml" in f.message for f in partner_errors(proef))


def test_intern_text_is_checked_for_medewerkers_public_text_for_partners(proef):
    path = proef / "partners/proefpartner.yml"
    path.write_text(path.read_text().replace("  - een proefsituatie", "  - een cliënt met een beschikking")
                    .replace('  notities: ""', '  notities: "cliënt en beschikking zijn hier prima"'))
    findings = [f for f in validate_project(proef).findings if f.path == "partners/proefpartner.yml"]
    lines = {f.line for f in findings}
    text = path.read_text()
    assert line_of(text, "een cliënt met een beschikking") in lines
    assert line_of(text, "notities:") not in lines


def test_registry_has_the_partners_of_the_werkkader():
    project = validate_project(ROOT)
    assert [f for f in project.errors() if f.path.startswith("partners/")] == []
    ids = {p.id for p in project.partners}
    assert len([p for p in project.partners if "buurtteams" not in p.domein]) >= 40
    for ident in ("ouder-en-kindteams", "wpi", "kredietbank-amsterdam", "veilig-thuis", "markant", "sigra",
                  "mee-amstel-en-zaan", "clientenbelang-amsterdam", "straatalliantie", "indicatieorgaan",
                  "centrale-toegang-mo-bw", "wmo-helpdesk", "woon"):
        assert ident in ids, ident
    teams = {p.stadsdelen[0]: p.teams_bij_start for p in project.partners if "buurtteams" in p.domein}
    assert teams == {"oost": 4, "zuidoost": 3, "noord": 4, "centrum": 4, "zuid": 4, "nieuw-west": 6, "west": 8}
    assert set(teams) == set(STADSDELEN)


def test_generated_partner_pages(proef, buut):
    result = buut("build", root=proef)
    assert result.exit_code == 0, result.output
    site = proef / "site" / "intranet"
    page = text_of((site / "partners/proefpartner/index.html").read_text())
    assert "Proefpartner" in page and "proefaanbod" in page and "een proefsituatie" in page
    assert "Contactgegevens doorgeven" in page
    assert "Intern: alleen voor medewerkers" not in page  # nothing internal recorded: no empty box
    domeinen = text_of((site / "partners/index.html").read_text())
    assert "Sociale basis" in domeinen and "Proefpartner" in domeinen
    stadsdelen = (site / "partners/stadsdelen/index.html").read_text()
    oost = stadsdelen[stadsdelen.index('id="oost"'):]
    assert "Proefpartner" in oost.split("<h2")[0]
    index = text_of((site / "partners/wie-schakel-ik-in/index.html").read_text())
    assert "Een proefsituatie: Proefpartner" in index
    report = text_of((site / "partners/volledigheid/index.html").read_text())
    assert "Proefpartner" in report and "website, telefoon, e-mail, adres" in report
    assert "Partners zonder volledige, gecontroleerde contactgegevens" in result.output


def test_verified_contact_leaves_the_completeness_report(proef, build_intranet):
    path = proef / "partners/proefpartner.yml"
    path.write_text(path.read_text()
                    .replace('  website: ""', '  website: "https://www.voorbeeld.nl"')
                    .replace('  telefoon: ""', '  telefoon: "020 123 4567"')
                    .replace('  e-mail: ""', '  e-mail: "info@voorbeeld.nl"')
                    .replace('  adres: ""', '  adres: "Voorbeeldstraat 1"\n  geverifieerd_op: 2026-11-01'))
    from buut.render.partners import volledigheid

    project = validate_project(proef)
    assert "proefpartner" not in {p.id for p, _ in volledigheid(project)}
    build_intranet(proef)
    page = text_of((proef / "site/intranet/partners/proefpartner/index.html").read_text())
    assert "020 123 4567" in page and "Gecontroleerd op 1 november 2026" in page


def test_ids_in_a_partner_file_are_not_checked_as_text():
    from buut.check.terminology import check_partner, compile_rules
    from buut.check.glossary import load_glossary
    from conftest import ROOT

    rules = compile_rules(load_glossary(ROOT / "glossary.yml"))
    text = PARTNER.replace("domein: [sociale-basis]", "domein: [clientondersteuning]").replace(
        "omschrijving: Een partner om mee te testen.", "omschrijving: Doet een intake.")
    found = [(f.line, f.match) for f in check_partner(text, "partners/p.yml", rules, publiek=True)]
    assert (3, "clientondersteuning") not in found
    assert (4, "intake") in found  # the text next to it still is


def test_list_items_at_column_zero_belong_to_their_key():
    from buut.check.terminology import check_partner, compile_rules
    from buut.check.glossary import load_glossary
    from conftest import ROOT

    rules = compile_rules(load_glossary(ROOT / "glossary.yml"))
    text = PARTNER.replace("domein: [sociale-basis]", "domein:\n- clientondersteuning").replace(
        "intern:\n", "intern:\n  notities: x\n", 0)
    assert [f.match for f in check_partner(text, "partners/p.yml", rules, publiek=True)] == []


def test_wie_schakel_ik_in_is_grouped_by_theme_not_by_first_letter():
    from buut.model import DOMEINEN
    from buut.build.project import load_project
    from buut.render.partners import _situation_key, index_markdown

    project = load_project(ROOT)
    markdown = index_markdown(project, "intranet")
    themes = re.findall(r"^## (.+?) \{ #([\w-]+) \}$", markdown, re.M)
    assert len(themes) >= 8 and all(len(label) > 1 for label, _ in themes)  # no A, B, O, V
    assert [d for _, d in themes] == [d for d in DOMEINEN if d in {d for _, d in themes}]  # werkkader order
    for label, domein in themes:
        section = markdown.split(f"{{ #{domein} }}", 1)[1].split("\n## ", 1)[0]
        items = [line[2:] for line in section.split("\n") if line.startswith("- ")]
        named = {p.label for p in project.partners if domein in p.domein and p.wanneer_inschakelen}
        assert items and {re.search(r"\[([^\]]+)\]\([^)]*\)$", i).group(1) for i in items} == named, label
        assert items == sorted(items, key=_situation_key)  # "als" and "bij" do not decide the order
