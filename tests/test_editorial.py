"""Pages answer: no talk about sources for readers, every "op BUUT" links somewhere (buut/check/editorial.py)."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from buut.check import editorial
from buut.model import BuutError
from buut.build.project import validate_project
from conftest import ROOT, page, write


def findings_of(repo, rule):
    return [f for f in validate_project(repo).findings if f.rule == rule]


def test_source_audit_sentence_in_a_page_is_reported_with_path_and_line(repo, buut):
    write(repo, "docs/proef.md", page("""
        titel: Proef
        eigenaar: redactie-proef
        open_punten:
          - De bronnen zeggen niet hoe vaak het overleg is.
        """, """
        # Proef

        Het overleg is elke week.
        Hoe lang het duurt, zeggen de bronnen niet.
        """))
    result = buut("check", root=repo)
    assert result.exit_code == 1, result.output
    assert "docs/proef.md:11:" in result.output and "bronnenpraat" in result.output
    # the same words in open_punten (front matter) are editorial work, not reported
    assert "docs/proef.md:5:" not in result.output


@pytest.mark.parametrize("sentence", [
    "Wat dagbesteding inhoudt, beschrijven de bronnen niet.",
    "Het werkkader noemt geen begindatum.",
    "Wie er in het overleg zitten, zegt het werkkader niet.",
    "Dat staat niet letterlijk in het werkkader.",
])
def test_each_kind_of_source_audit_phrase_is_flagged(sentence):
    found = editorial.check_text(f"# Titel\n\nEerst iets. {sentence}\n", "x.md")
    assert [(f.line, f.rule) for f in found] == [(3, editorial.RULE_BRONNENPRAAT)], found


def test_werkinstructie_data_is_checked_but_its_open_points_are_not(repo):
    path = repo / "werkinstructies" / "dagbesteding.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    toelichting: komt automatisch,", "    toelichting: de bronnen zeggen niet wanneer; komt automatisch,")
    path.write_text(text, encoding="utf-8")
    found = findings_of(repo, editorial.RULE_BRONNENPRAAT)
    line = next(i for i, t in enumerate(text.split("\n"), 1) if "de bronnen zeggen niet wanneer" in t)
    assert ("werkinstructies/dagbesteding.md", line) in [(f.path, f.line) for f in found]
    assert all("open_punten" not in f.path for f in found) and len(found) <= 2  # the page, and the table made from it


def test_partner_notes_are_checked_but_partner_open_points_are_not(repo):
    path = repo / "partners" / "regenbooggroep.yml"
    text = path.read_text(encoding="utf-8").replace('  notities: ""', "  notities: De bronnen noemen geen namen.")
    path.write_text(text + "  - De bronnen zeggen niet wie het is.\n" if "open_punten:" in text else text,
                    encoding="utf-8")
    found = findings_of(repo, editorial.RULE_BRONNENPRAAT)
    assert [(f.path, f.line) for f in found] == [
        ("partners/regenbooggroep.yml", next(i for i, t in enumerate(text.split("\n"), 1) if "notities:" in t))]


def test_unlinked_reference_to_buut_is_reported_and_a_linked_one_is_not(repo, buut):
    write(repo, "docs/proef.md", page("""
        titel: Proef
        eigenaar: redactie-proef
        """, """
        # Proef

        Het format staat op [BUUT](werkwijze/casuistiekbespreking.md).
        De toolbox staat op BUUT, bij de [toolbox](werkwijze/toolbox-vraagverheldering.md).
        De lijst met maatwerkcoaches staat op
        BUUT.
        """))
    result = buut("check", root=repo)
    assert result.exit_code == 1
    messages = [line for line in result.output.splitlines() if "docs/proef.md" in line]
    assert len(messages) == 1 and messages[0].startswith("docs/proef.md:10:"), messages
    assert "zonder link" in messages[0]


def test_a_rule_that_misses_its_own_example_does_not_load():
    broken = replace(editorial.RULES[0], pattern=r"\bnooit-gevonden\b")
    with pytest.raises(BuutError, match="vindt zijn eigen voorbeeld niet"):
        editorial._self_test((broken,))
    overreaching = replace(editorial.RULES[0], pattern=r"\bbron")
    with pytest.raises(BuutError, match="ten onrechte"):
        editorial._self_test((overreaching,))


def test_buuts_own_content_passes_both_checks():
    project = validate_project(ROOT)
    found = [f for f in project.findings if f.rule in (editorial.RULE_BRONNENPRAAT, editorial.RULE_BUUT_LINK)]
    assert found == [], "\n".join(f"{f.path}:{f.line}: {f.message}" for f in found)
    assert project.errors() == []


def _paragraphs(html: str) -> list[str]:
    article = html[html.index("<article"):html.index("</article>")]
    return re.findall(r"<(?:p|li|td)\b.*?</(?:p|li|td)>", article, re.S)


def test_built_intranet_has_no_source_talk_and_every_buut_reference_links(built_site):
    checked = 0
    for path in built_site.rglob("index.html"):
        if {"redactie", "handboek"} & set(path.relative_to(built_site).parts):
            continue  # the editors' worklist lists open points, their handbook quotes the rules, on purpose
        for block in _paragraphs(path.read_text(encoding="utf-8")):
            text = " ".join(re.sub(r"<[^>]+>", " ", block).split())
            assert not re.search(r"\bde bronnen\b|\bwat de bronnen\b", text, re.I), (path, text)
            if editorial.BUUT_REFERENCE.search(text):
                checked += 1
                assert "<a " in block, (path, text)
    assert checked >= 15  # the werkkader's references, each with its link


def test_checking_one_file_applies_the_editorial_rules_as_the_build_does(repo, buut):
    """An editor who checks only the page they changed sees what would stop the build."""
    write(repo, "docs/proef.md", page("""
        titel: Proef
        eigenaar: redactie-proef
        """, """
        # Proef

        De lijst met maatwerkcoaches staat op BUUT.
        """))
    partner = repo / "partners" / "regenbooggroep.yml"
    partner.write_text(partner.read_text(encoding="utf-8").replace(
        '  notities: ""', "  notities: De bronnen noemen geen namen."), encoding="utf-8")
    whole = buut("check", root=repo)
    one = buut("check", str(repo / "docs/proef.md"), str(partner), root=repo)
    assert one.exit_code == whole.exit_code == 1
    wanted = [line for line in whole.output.splitlines() if line.startswith(("docs/proef.md:", "partners/regenbooggroep"))]
    assert len(wanted) == 2
    assert [line for line in one.output.splitlines() if ": fout:" in line] == wanted
