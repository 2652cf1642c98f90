"""The editors' worklist collects open points from the data, per owner (buut/render/worklist.py)."""
from __future__ import annotations

from buut.render import worklist
from buut.build.project import validate_project
from conftest import page, write


def test_open_points_of_a_page_reach_its_owner_and_not_the_page(repo):
    write(repo, "docs/proef.md", page("""
        titel: Proef
        eigenaar: redactie-proef
        herzien_voor: 2099-01-01
        open_punten:
          - Telefoonnummer van het spreekuur opvragen.
        """, "# Proef\n\nTekst.\n"))
    project = validate_project(repo)
    assert not project.errors(), project.errors()
    points = worklist.open_points(project, "redactie-proef")
    assert [(p.soort, p.tekst, p.pad) for p in points] == [
        (worklist.OPEN_PUNT, "Telefoonnummer van het spreekuur opvragen.", "docs/proef.md")]
    assert "Telefoonnummer" not in project.content.page("proef.md").body


def test_voorziening_partner_and_review_points_are_collected(repo):
    project = validate_project(repo)
    points = worklist.open_points(project)
    kinds = {p.soort for p in points}
    assert {worklist.OPEN_PUNT, worklist.PARTNERGEGEVENS} <= kinds
    dagbesteding = [p for p in points if p.pad == "werkinstructies/dagbesteding.md"]
    assert dagbesteding and all(p.eigenaar == "redactie-werkinstructies" for p in dagbesteding)
    grouped = worklist.per_eigenaar(points)
    assert all(p.eigenaar == owner for owner, items in grouped.items() for p in items)


def test_open_punten_must_be_a_list_of_text(repo, buut):
    write(repo, "docs/proef.md", page("""
        titel: Proef
        eigenaar: redactie-proef
        open_punten: 12
        """, "# Proef\n"))
    result = buut("check", root=repo)
    assert result.exit_code == 1
    assert "docs/proef.md:" in result.output and "open_punten" in result.output
