"""glossary.yml: faithful, validated, and every rule proven by its own examples."""
from __future__ import annotations

import pytest

from buut.check.terminology import compile_rules, verify_examples
from buut.check.glossary import TERM, load_glossary, parse_glossary
from buut.model import BuutError
from conftest import ROOT

GLOSSARY = load_glossary(ROOT / "glossary.yml")
RULES = list(compile_rules(GLOSSARY))

GROUPS = ["buurtteammedewerker", "regievoerder", "voorzieningen", "amsterdammer", "ondersteuning",
          "eerste-contactmoment", "eerste-gesprek", "ondersteuningsplan", "iemand-erbij-halen", "besluit"]


# Begrippen that the werkkader explains in its text, not in its begrippenlijst (issue 24: search and cards).
FROM_THE_TEXT = ["algemene-voorziening", "maatwerkvoorziening", "bereikbaarheid", "woningontruiming"]


def test_all_ten_groups_of_the_begrippenlijst():
    assert [b.id for b in GLOSSARY.begrippen] == GROUPS + FROM_THE_TEXT


@pytest.mark.parametrize("term, rol", [
    ("intake", "niet gebruiken"), ("doorverwijzen", "niet gebruiken"), ("keukentafelgesprek", "niet gebruiken"),
    ("cliënt", "ook wel"), ("beschikking", "ook wel"), ("klant", "ook wel"), ("aanmelding", "ook wel"),
    ("vraagverhelderingsgesprek", "ook wel"), ("besluit", "gebruiken"), ("eerste gesprek", "gebruiken"),
    ("klanthouder", "niet gebruiken"), ("behandelplan", "niet gebruiken"), ("producten", "niet gebruiken"),
    ("perspectiefplan", "ook wel"), ("trajecthouder", "ook wel"), ("indiceren", "niet gebruiken"),
])
def test_terms_have_their_role(term, rol):
    assert {t.term: t.rol for b, t in GLOSSARY.terms() if b}[term] == rol


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_passes_its_own_examples(rule):
    assert len(rule.term.voorbeelden) >= 2
    assert verify_examples([rule]) == []


def _broken(text: str) -> list[str]:
    with pytest.raises(BuutError) as caught:
        parse_glossary(text)
    return [f"{f.path}:{f.line}: {f.message}" for f in caught.value.findings]


BASE = """begrippen:
  - id: test
    naam: Test
    termen:
      - term: goed
        rol: gebruiken
"""


def test_unknown_key_names_the_line():
    assert _broken(BASE + "        kleur: rood\n") == [
        "glossary.yml:7: 'begrippen': item 1: 'termen': item 1: onbekende sleutel 'kleur' in een term; "
        f"toegestaan: {', '.join(TERM.fields)}"]


def test_wrong_type_names_the_line():
    [message] = _broken(BASE + "        vormen: intake\n")
    assert message.startswith("glossary.yml:7: ") and "moet een lijst zijn" in message


def test_bad_role_names_the_line():
    [message] = _broken(BASE.replace("rol: gebruiken", "rol: soms"))
    assert message.startswith("glossary.yml:6: ") and "'soms' is geen geldige waarde" in message


def test_yaml_syntax_error_names_the_line():
    [message] = _broken(BASE + "        definitie: [open\n")
    assert message.startswith("glossary.yml:8: ") or message.startswith("glossary.yml:7: ")


def _load(tmp_path, text):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return load_glossary(path)


def test_failing_example_refuses_the_glossary(tmp_path):
    text = BASE + """      - term: intake
        rol: niet gebruiken
        vormen: ['intake']
        voorbeelden:
          fout: ['Het intakegesprek duurt lang.']
          goed: ['Het eerste gesprek duurt lang.']
"""
    with pytest.raises(BuutError) as caught:
        _load(tmp_path, text)
    [finding] = caught.value.findings
    assert finding.line == 7
    assert "'intake' (test/intake)" in finding.message and "Het intakegesprek duurt lang." in finding.message


def test_rule_without_examples_is_refused(tmp_path):
    text = BASE + "      - term: intake\n        rol: niet gebruiken\n        vormen: ['intake']\n"
    with pytest.raises(BuutError) as caught:
        _load(tmp_path, text)
    assert "heeft voorbeelden nodig" in caught.value.findings[0].message


def test_broken_pattern_is_refused_with_its_entry(tmp_path):
    text = BASE + """      - term: intake
        rol: niet gebruiken
        vormen: ['intake(']
        voorbeelden: {fout: [intake], goed: [gesprek]}
"""
    with pytest.raises(BuutError) as caught:
        _load(tmp_path, text)
    finding = caught.value.findings[0]
    assert finding.line == 9 and "ongeldig patroon 'intake('" in finding.message


def test_broken_glossary_stops_check_and_build_with_exit_2(repo, buut):
    glossary = repo / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "- We plannen een intake met mevrouw.", "- We plannen een gesprek met mevrouw."), encoding="utf-8")
    for command in ("check", "build"):
        result = buut(command, root=repo)
        assert result.exit_code == 2, result.output
        assert "glossary.yml:" in result.output and "We plannen een gesprek met mevrouw." in result.output


def test_the_begrippenlijst_page_is_alphabetical_whatever_the_order_of_glossary_yml():
    import re

    from buut.render.begrippen import alphabetical, begrippenlijst_markdown

    names = re.findall(r"^## (.+?) \{ #[\w-]+ \}$", begrippenlijst_markdown(GLOSSARY), re.M)
    names = [n for n in names if n != "Schrijfwijze"]
    assert sorted(names, key=alphabetical) == names and len(names) == len(GLOSSARY.begrippen)
    assert [b.naam for b in GLOSSARY.begrippen] != names  # the file keeps its own order; the page sorts
    assert "glossary.yml" not in begrippenlijst_markdown(GLOSSARY)
