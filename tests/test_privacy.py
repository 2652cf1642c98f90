"""Privacy lint (issue 7, werkkader §2.6): personal data of Amsterdammers never gets into BUUT."""
from __future__ import annotations

import json

import pytest

from buut.check.privacy import check_privacy, contact_spans, elfproef, free_text_findings, iban_valid
from conftest import PARTNER, write


def rules(text: str, contact=None) -> list[tuple[str, str]]:
    return [(f.rule, f.match) for f in check_privacy(text, "p.md", contact)]


@pytest.mark.parametrize("text, rule, match", [
    ("Het BSN is 111222333.", "privacy.bsn", "111222333"),
    ("BSN 1112.22.333 staat in het dossier", "privacy.bsn", "1112.22.333"),
    ("nummer 111 222 333", "privacy.bsn", "111 222 333"),
    ("Rekening NL91 ABNA 0417 1643 00 van meneer", "privacy.iban", "NL91 ABNA 0417 1643 00"),
    ("rekening NL91ABNA0417164300", "privacy.iban", "NL91ABNA0417164300"),
    ("Ahmed is geboren op 12-03-1985 in Noord.", "privacy.geboortedatum", "12-03-1985"),
    ("Ahmed, geb. 3 mei 1950, woont alleen.", "privacy.geboortedatum", "3 mei 1950"),
    ("Mail jan.jansen@example.nl even.", "privacy.e-mail", "jan.jansen@example.nl"),
    ("Bel haar op 06-12345678.", "privacy.telefoon", "06-12345678"),
    ("Bel 020 123 4567 voor een afspraak.", "privacy.telefoon", "020 123 4567"),
    ("Of +31 6 1234 5678.", "privacy.telefoon", "+31 6 1234 5678"),
])
def test_catches(text, rule, match):
    assert (rule, match) in rules(text)


@pytest.mark.parametrize("text", [
    "Een ongeldig nummer: 123456789.",  # fails the elfproef
    "Postcode 1012 AB, huisnummer 12.",
    "Carolien (34) woont met haar twee kinderen in Noord.",  # a casus: first name and age
    "De buurtteams starten op 1 april 2021.",  # a date without 'geboren'
    "Lees paragraaf 2.4.6 en 3.1.5; 1.234.567 euro; 33 buurtteams.",
    "Rekening NL91ABNA0417164301 is fout.",  # mod-97 fails
    "Zie https://www.amsterdam.nl/ voor meer.",
    "<!-- buut: negeer --> voorbeeld-BSN 111222333",
])
def test_leaves_alone(text):
    assert rules(text) == []


def test_checks_themselves():
    assert elfproef("111222333") and not elfproef("111222334") and not elfproef("000000000")
    assert iban_valid("NL91ABNA0417164300") and iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("NL91ABNA0417164301")


def test_partner_contact_block_may_hold_phone_and_email_but_nothing_else():
    text = PARTNER.replace('telefoon: ""', 'telefoon: "020 123 4567"').replace(
        'e-mail: ""', 'e-mail: "info@example.nl"').replace('notities: ""', 'notities: "bel Piet op 06-12345678"')
    found = check_privacy(text, "partners/proefpartner.yml", contact_spans(text))
    assert [(f.rule, f.match) for f in found] == [("privacy.telefoon", "06-12345678")]
    line = text.split("\n").index('  notities: "bel Piet op 06-12345678"') + 1
    assert found[0].line == line


def test_buut_check_reports_place_and_fails(repo, buut):
    path = write(repo, "werkkader/2-3-regie.md", (repo / "werkkader/2-3-regie.md").read_text(encoding="utf-8")
                 + "\nHet BSN van de bewoner is 111222333.\n")
    line = path.read_text(encoding="utf-8").rstrip("\n").count("\n") + 1
    result = buut("check", "--format", "json", root=repo)
    assert result.exit_code == 1
    found = [f for f in json.loads(result.output) if f["rule"] == "privacy.bsn"]
    assert [(f["path"], f["line"], f["column"]) for f in found] == [("werkkader/2-3-regie.md", line, 27)]


def test_the_content_holds_no_personal_data(buut):
    from conftest import ROOT

    result = buut("check", "--format", "json", root=ROOT)
    assert not [f for f in json.loads(result.output) if f["rule"].startswith("privacy.")]


# -- text from medewerkers (feedback, searches): stricter, and no opt-out (issue 22) -----------------

@pytest.mark.parametrize("text, rule", [
    ("1234-56-782", "privacy.bsn"), ("１２３４５６７８２", "privacy.bsn"), ("1234<b></b>56782", "privacy.bsn"),
    ("1234\u200b56782", "privacy.bsn"), ("<!-- buut: negeer --> 111222333", "privacy.bsn"),
    ("j at gmail dot com", "privacy.e-mail"), ("jan.jansen (at) ziggo (punt) nl", "privacy.e-mail"),
    ("j.jansen [apenstaartje] example [dot] org", "privacy.e-mail"),
    ("+31 (0)6 1234 5678", "privacy.telefoon"), ("0031 6 12 34 56 78", "privacy.telefoon"),
    ("geb 12-03-1980", "privacy.geboortedatum"), ("geboren 3 maart 1975", "privacy.geboortedatum"),
    ("zij is van 12/3/1958", "privacy.geboortedatum"),
    ("Mevrouw Fatima El Amrani", "privacy.naam"), ("mw. De Vries", "privacy.naam"), ("dhr. J. Bakker", "privacy.naam"),
    ("de heer Van den Berg", "privacy.naam"), ("familie Öztürk", "privacy.naam"), ("meneer Jansen", "privacy.naam"),
    ("uit de Kinkerstraat 12", "privacy.adres"), ("Bos en Lommerweg 221a", "privacy.adres"),
    ("Prinsengracht 263-1", "privacy.adres"), ("1053 AB", "privacy.postcode"), ("1053ab", "privacy.postcode"),
])
def test_free_text_must_flag(text, rule):
    assert rule in free_text_findings(text), text


@pytest.mark.parametrize("text", [
    "De termijn van 8 weken klopt niet, het is 6 weken sinds 1 januari 2015.",
    "mevrouw belde over de Wmo en wist niet waar ze terecht kon",
    "De Kinkerstraat valt onder team West", "info at buurtteam dot nl werkt niet",
    "in 2020 is het veranderd", "onderweg 3 keer gebeld", "meneer belde, zie paragraaf 2.4.3",
    "Versie 2.0 van het werkkader uit april 2021", "Stap 2.4.6 mist bij Hulp bij het huishouden",
    "Er staan 700 fte aan buurtteammedewerkers in het overzicht",
])
def test_free_text_must_not_flag(text):
    assert free_text_findings(text) == [], text
