"""Teams as data (teams/*.yml), their pages, and the pages the werkkader promises."""
from __future__ import annotations

import re

import pytest

from buut.render import worklist
from buut.model import STADSDELEN
from buut.build.project import validate_project
from conftest import ROOT, write


def text_of(html: str) -> str:
    article = html[html.index("<article"):html.index("</article>")]
    return " ".join(re.sub(r"<[^>]+>", " ", article).split())


def test_one_team_file_per_stadsdeel_with_a_known_organisation():
    project = validate_project(ROOT)
    assert sorted(t.stadsdeel for t in project.teams) == sorted(STADSDELEN)
    for team in project.teams:
        organisatie = project.partner(team.buurtteamorganisatie)
        assert organisatie is not None and team.stadsdeel in organisatie.stadsdelen
        assert organisatie.contact.website == "http://www.buurtteamamsterdam.nl"  # werkkader, voorwoord


@pytest.mark.parametrize("change, message", [
    (("stadsdeel: oost", "stadsdeel: oostelijk"), "'oostelijk'"),
    (("buurtteamorganisatie: buurtteam-oost", "buurtteamorganisatie: buurtteam-bestaat-niet"), "bestaat niet in partners/"),
    (("buurtteamorganisatie: buurtteam-oost", "buurtteamorganisatie: buurtteam-west"), "werkt niet in stadsdeel 'oost'"),
    (("contacten: {}", "contacten:\n  wijkagent:\n    telefoon: geen nummer"), "geen nummer"),
    (("contacten: {}", "contacten:\n  buurtvader: {}"), "onbekende sleutel 'buurtvader'"),
])
def test_bad_team_data_is_reported_at_its_line(repo, buut, change, message):
    path = repo / "teams" / "oost.yml"
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    result = buut("check", root=repo)
    assert result.exit_code == 1, result.output
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                if t.startswith(change[1].split(":")[0]))
    hits = [m for m in result.output.splitlines() if m.startswith("teams/oost.yml:") and message in m]
    assert hits, result.output
    assert int(hits[0].split(":")[1]) >= line


def test_empty_team_fields_go_to_the_worklist_not_to_the_page(repo, buut):
    path = repo / "teams" / "oost.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "contacten: {}", "contacten:\n  wijkagent:\n    naam: Wijkagent Dapperbuurt\n    telefoon: 0900-8844")
        .replace("spreeklocaties: []", "spreeklocaties: [Huis van de Wijk (proef)]"), encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 0, result.output
    assert "Werklijst van de redactie" in result.output
    assert re.search(r"redactie-teams: \d+ \(", result.output), result.output
    site = repo / "site" / "intranet"
    oost = text_of((site / "teams/oost/index.html").read_text(encoding="utf-8"))
    assert "Wijkagent Dapperbuurt" in oost and "Huis van de Wijk (proef)" in oost
    assert "Locaties" not in oost and "klantmanager" not in oost.lower()  # empty: no box
    assert "09.00 tot 17.00 uur" in oost and "Aantal buurtteams bij de start (1 april 2021): 4" in oost
    assert "Deze pagina wordt nog aangevuld" in oost
    overview = text_of((site / "teams/index.html").read_text(encoding="utf-8"))
    assert "33 buurtteams" in overview and "Buurtteams Nieuw-West" in overview
    points = worklist.open_points(validate_project(repo), worklist.EIGENAAR_TEAMS)
    oost_gaps = next(p for p in points if p.pad == "teams/oost.yml" and p.soort == worklist.TEAMGEGEVENS)
    assert "locaties" in oost_gaps.tekst and "wijkagent" not in oost_gaps.tekst
    assert "vaste klantmanager van wpi" in oost_gaps.tekst


def test_unknown_soort_is_shown_neutrally_and_current_rule_comes_first(built_site):
    kort = text_of((built_site / "werkinstructies/sociaal-raadsliedenwerk/index.html").read_text())
    assert "Soort: nog niet vastgelegd" in kort
    toegang = (built_site / "werkinstructies/toegang/index.html").read_text()
    toegang = toegang[toegang.index("<table"):]
    row = next(r for r in toegang.split("<tr>") if "Dagbesteding" in r)
    assert row.index("netwerkoverleg") < row.index("1 april 2021")  # today's rule first, then expired
    huiselijk = next(r for r in toegang.split("<tr>") if "huiselijk geweld" in r)
    assert "toeleiding" in huiselijk and "maatwerkvoorziening" in huiselijk  # route and soort apart
    mobw = next(r for r in toegang.split("<tr>") if "beschermd wonen" in r)
    assert "toeleiding" in mobw and "nog niet vastgelegd" in mobw


def test_partner_without_contact_data_offers_a_way_to_report_it(built_site):
    page = text_of((built_site / "partners/regenbooggroep/index.html").read_text())
    assert "Contactgegevens doorgeven" in page and "Contact ¶" not in page
    team = text_of((built_site / "partners/buurtteam-oost/index.html").read_text())
    assert "http://www.buurtteamamsterdam.nl" in team


PROMISED = ["werkwijze/toolbox-vraagverheldering", "werkwijze/casuistiekbespreking", "werkwijze/ondersteuningsplan",
            "werkwijze/regievoering", "werkwijze/maatwerkcoaches", "werkwijze/leren-en-ontwikkelen",
            "werkwijze/klachtenregeling", "werkwijze/schema-woonvragen", "werkinstructies/minimaatwerkbudget-en-maatwerkbudget",
            "teams", "vakgroepen", "vakgroepen/ggz", "vakgroepen/schulden", "vakgroepen/veiligheid-in-het-huishouden"]


@pytest.mark.parametrize("uri", PROMISED)
def test_promised_pages_exist_and_are_in_the_navigation(built_site, uri):
    html = (built_site / uri / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    assert 'md-nav__link--active' in nav, f"{uri} staat niet in de navigatie"


@pytest.mark.parametrize("query, expected", [
    ("toolbox vraagverheldering", "werkwijze/toolbox-vraagverheldering/"),
    ("maatwerkcoach", "werkwijze/maatwerkcoaches/"),
    ("klachtenregeling", "werkwijze/klachtenregeling/"),
    ("buurtteams oost", "teams/oost/"),
])
def test_promised_pages_are_found_by_search(built_root, buut, query, expected):
    import json

    result = buut("zoek", *query.split(), "--json", root=built_root)
    assert result.exit_code == 0, result.output
    urls = [hit["url"] for hit in json.loads(result.output)["results"]]
    assert any(url.startswith(expected) for url in urls[:5]), urls
