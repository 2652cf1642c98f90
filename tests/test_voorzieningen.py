"""Werkinstructies driven by data (issue 4): schema, references, generated views, macros."""
from __future__ import annotations

import json
import re

import pytest

from buut.build.project import validate_project
from buut.check.validate import WERKINSTRUCTIE_SECTIES

from conftest import PARTNER, ROOT, WERKINSTRUCTIE, write


@pytest.fixture
def proef(repo):
    """The repository copy with one extra werkinstructie and the partner it names."""
    write(repo, "werkinstructies/proefvoorziening.md", WERKINSTRUCTIE)
    write(repo, "partners/proefpartner.yml", PARTNER)
    return repo


def errors(root, rule_prefix=""):
    return [f for f in validate_project(root).errors() if f.rule.startswith(rule_prefix)]


def text_of(html: str) -> str:
    """The visible text of the page's article (tooltips and links removed), spaces normalised."""
    article = html[html.index("<article"):html.index("</article>")]
    return " ".join(re.sub(r"<[^>]+>", " ", article).split()).replace(" .", ".").replace(" ,", ",")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def test_example_werkinstructie_is_valid(proef):
    assert errors(proef) == []
    voorziening = validate_project(proef).voorziening("proefvoorziening")
    assert voorziening.naam == "Proefvoorziening"
    assert [r.wie for r in voorziening.toegang] == ["aanbieder", "buurtteam"]


@pytest.mark.parametrize("old, new, needle, expected", [
    ("soort: maatwerkvoorziening", "soort: maatwerk", "soort: maatwerk", "'maatwerk' is geen geldige waarde"),
    ("vanaf: 2022-01-01", "vanaf: 2022-13-01", "vanaf: 2022-13-01", "geen geldige datum"),
    ("door: gemeente", "door: de gemeente", "door: de gemeente", "geen geldige waarde"),
    ("ondersteuningsplan: true", "ondersteuningsplan: misschien", "ondersteuningsplan:", "ja of nee"),
    ("wettelijke_termijn: 8 weken", "wettelijke_termijn: 8 weken\n  termijn: 8", "  termijn: 8",
     "onbekende sleutel 'termijn'"),
    ("    - wie: buurtteam\n", "    - wie: partner\n", "    - wie: partner", "hoort ook 'partner: <id>'"),
    ("      tot: 2022-01-01", "      tot: 2020-01-01", "    - wie: aanbieder", "moet vóór 'tot'"),
    ("partners: [proefpartner]", "partners: [proefpartnr]", "partners: [proefpartnr]",
     "partner 'proefpartnr' bestaat niet in partners/; bedoelt u 'proefpartner'?"),
    ('werkkader: ["2.5", "2.4.6"]', 'werkkader: ["2.5", "2.4.9"]', "werkkader: [", "'2.4.9' bestaat niet"),
    ('    - stap: "2.4.6"', '    - stap: "2.9"', '    - stap: "2.9"', "stap van het werkproces"),
    ("      partner: proefpartner\n", "      partner: onbekend\n", "      partner: onbekend",
     "partner 'onbekend' bestaat niet"),
])
def test_schema_rejects_bad_data_with_path_and_line(proef, old, new, needle, expected):
    path = proef / "werkinstructies/proefvoorziening.md"
    text = path.read_text().replace(old, new, 1)
    assert text != path.read_text()
    path.write_text(text)
    found = errors(proef)
    assert found, f"geen fout voor {new!r}"
    finding = next((f for f in found if expected in f.message), None)
    assert finding is not None, [f.message for f in found]
    assert finding.path == "werkinstructies/proefvoorziening.md"
    assert finding.line == line_of(text, needle)


def test_missing_voorziening_block_and_misplaced_one(proef):
    path = proef / "werkinstructies/proefvoorziening.md"
    text = path.read_text()
    start, end = text.index("voorziening:\n"), text.index("---\n\n# Proef")
    path.write_text(text[:start] + text[end:])
    assert any("'voorziening' ontbreekt" in f.message for f in errors(proef))
    write(proef, "docs/los.md", "---\ntitel: Los\neigenaar: redactie\nvoorziening:\n  naam: X\n---\n\n# Los\n")
    misplaced = [f for f in errors(proef) if f.path == "docs/los.md"]
    assert [f.line for f in misplaced if "hoort alleen in een werkinstructie" in f.message] == [4]


def test_missing_and_misordered_sections_are_errors(proef):
    path = proef / "werkinstructies/proefvoorziening.md"
    text = path.read_text()
    path.write_text(text.replace("## Let op\n\nNiets bijzonders.\n", ""))
    assert any("mist de sectie '## Let op'" in f.message for f in errors(proef, "werkinstructie"))
    swapped = text.replace("## Wat is het?", "## TIJDELIJK").replace("## Voor wie?", "## Wat is het?") \
        .replace("## TIJDELIJK", "## Voor wie?")
    path.write_text(swapped)
    found = errors(proef, "werkinstructie")
    assert found and "andere volgorde" in found[0].message
    path.write_text(text + "\n## Bron\n\nwerkkader\n")
    found = errors(proef, "werkinstructie")
    assert found and found[0].line == line_of(path.read_text(), "## Bron")


def test_every_werkinstructie_in_the_repository_is_complete_and_resolves():
    project = validate_project(ROOT)
    assert len(project.voorzieningen) >= 19
    problems = [f for f in project.findings if f.rule.startswith(("werkinstructie", "verwijzing", "voorziening"))]
    assert problems == []
    for voorziening in project.voorzieningen:
        assert voorziening.werkkader, voorziening.id
        for ident in voorziening.partners:
            assert project.partner(ident) is not None, (voorziening.id, ident)


def test_every_werkinstructie_page_shows_every_section(built_site):
    project = validate_project(ROOT)
    for voorziening in project.voorzieningen:
        html = (built_site / "werkinstructies" / voorziening.id / "index.html").read_text()
        for section in WERKINSTRUCTIE_SECTIES + ("Bron",):
            assert re.search(rf"<h2[^>]*>{re.escape(section)}", html), (voorziening.id, section)
        assert "In het kort" in html
        assert voorziening.naam in html


def toegang_rows(site, page="werkkader/2-5-toegang-en-toeleiding"):
    html = (site / page / "index.html").read_text()
    table = html[html.index("<table"):html.index("</table>")]
    return table


def test_toegang_table_is_produced_from_the_data(proef, build_intranet):
    build_intranet(proef)
    table = toegang_rows(proef / "site" / "intranet")
    assert "Proefvoorziening" in table and "mits overlegd met het buurtteam" in table
    path = proef / "werkinstructies/proefvoorziening.md"
    path.write_text(path.read_text().replace("mits overlegd met het buurtteam", "alleen op dinsdag")
                    .replace("naam: Proefvoorziening", "naam: Gewijzigde voorziening"))
    build_intranet(proef)
    table = toegang_rows(proef / "site" / "intranet")
    assert "Gewijzigde voorziening" in table and "alleen op dinsdag" in table
    assert "mits overlegd met het buurtteam" not in table
    # the same data, on the generated page and in the header of the werkinstructie
    assert "alleen op dinsdag" in toegang_rows(proef / "site" / "intranet", "werkinstructies/toegang")


def test_dated_rules_are_shown_as_expired_or_current(proef, build_intranet, monkeypatch):
    monkeypatch.setenv("BUUT_DATUM", "2021-06-01")
    build_intranet(proef)
    text = text_of((proef / "site/intranet/werkinstructies/proefvoorziening/index.html").read_text())
    kort = text[text.index("In het kort"):text.index("Wat is het?")]
    assert "1 april 2021" in kort and "geldt nog niet" in text
    monkeypatch.setenv("BUUT_DATUM", "2026-11-24")
    build_intranet(proef)
    text = text_of((proef / "site/intranet/werkinstructies/proefvoorziening/index.html").read_text())
    kort = text[text.index("In het kort"):text.index("Wat is het?")]
    assert "het buurtteam" in kort and "1 april 2021" not in kort
    assert "(verlopen)" in text


def test_real_dagbesteding_rule_comes_from_data(built_site):
    table = toegang_rows(built_site)
    row = next(r for r in table.split("<tr>") if "Dagbesteding" in r)
    assert "1 april 2021" in row and "1 januari 2022" in row and "netwerkoverleg" in row


def test_overview_werkproces_and_partner_backlinks(proef, build_intranet):
    build_intranet(proef)
    site = proef / "site" / "intranet"
    overview = text_of((site / "werkinstructies/index.html").read_text())
    assert "Proefvoorziening" in overview and "Per soort" in overview and "Per beslisser" in overview
    werkproces = text_of((site / "werkinstructies/werkproces/index.html").read_text())
    assert "Proefvoorziening : Leg de inzet vast in het ondersteuningsplan." in werkproces
    werkkader = text_of((site / "werkkader/2-4-werkproces/index.html").read_text())
    assert "Leg de inzet vast in het ondersteuningsplan." in werkkader
    partner = (site / "partners/proefpartner/index.html").read_text()
    assert "In de werkinstructies" in partner and "../../werkinstructies/proefvoorziening/" in partner


def test_macros_show_data_inline_and_fail_on_unknown_names(proef, buut, build_intranet):
    write(proef, "docs/macro.md", """\
        ---
        titel: Macro
        eigenaar: redactie
        ---

        # Macro

        Beschikking: {{ voorziening("proefvoorziening", "beschikking") }}.
        Termijn: {{ voorziening("proefvoorziening", "termijn") }}.
        Letterlijk: {% raw %}{{ niet uitvoeren }}{% endraw %}
        """)
    build_intranet(proef)
    html = text_of((proef / "site/intranet/macro/index.html").read_text())
    assert "de gemeente geeft de beschikking af" in html and "Termijn: 8 weken" in html
    assert "{{ niet uitvoeren }}" in html
    before = (proef / "site/intranet/macro/index.html").read_text()
    page = proef / "docs/macro.md"
    page.write_text(page.read_text().replace('voorziening("proefvoorziening", "termijn")', "onbekende_macro()"))
    result = buut("build", root=proef)
    assert result.exit_code == 1
    assert "macro.md" in result.output and "onbekende_macro" in result.output
    assert (proef / "site/intranet/macro/index.html").read_text() == before  # old site untouched
    page.write_text(page.read_text().replace("onbekende_macro()", 'voorziening("bestaat-niet")'))
    result = buut("build", root=proef)
    assert result.exit_code == 1 and "bestaat-niet" in result.output


def test_handbook_example_werkinstructie_builds(repo, buut):
    readme = (ROOT / "docs/handboek/werkinstructie.md").read_text()
    match = re.search(r"<!-- voorbeeld: (werkinstructies/[\w-]+\.md) -->\n```markdown\n(.*?)\n```", readme, re.S)
    assert match, "het handboek mist het voorbeeld van een werkinstructie"
    write(repo, match.group(1), match.group(2) + "\n")
    result = buut("check", "--format", "json", root=repo)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [] or all(f["level"] != "error" for f in json.loads(result.output))
    assert buut("build", root=repo).exit_code == 0
    slug = match.group(1).removesuffix(".md")
    assert (repo / "site/intranet" / slug / "index.html").is_file()
