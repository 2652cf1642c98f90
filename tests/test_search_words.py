"""Search in the medewerker's own words (issue 24): everyday words as data with their source, the
section that explains a begrip, pages for editors last, answer cards that are right, honest counts."""
from __future__ import annotations

import json

import pytest

from buut.check.glossary import parse_glossary
from buut.model import BuutError
from buut.serve.app import SiteApp
from conftest import ROOT, write
from test_search import call
from test_search_answers import searcher, urls  # noqa: F401 - the module's searcher fixture

EDITOR_PAGES = ("handboek/", "prestaties/", "toegankelijkheid/", "redactie/", "wijzigingen/", "over-buut/")


# --- spreektaal: data with a source, checked on load ---

def test_an_everyday_word_without_its_source_is_refused():
    text = (ROOT / "glossary.yml").read_text(encoding="utf-8").replace(
        "          - woord: huisuitzetting\n            bron:", "          - woord: huisuitzetting\n            herkomst:", 1)
    with pytest.raises(BuutError) as refused:
        parse_glossary(text)
    messages = " ".join(f"{f.path}:{f.line}: {f.message}" for f in refused.value.findings)
    assert "glossary.yml:" in messages and "bron" in messages, messages


def test_one_everyday_word_for_two_partners_is_refused(repo, buut):
    for name in ("markant", "sigra"):
        path = repo / "partners" / f"{name}.yml"
        write(repo, f"partners/{name}.yml", path.read_text(encoding="utf-8").rstrip("\n")
              + "\nspreektaal:\n  - woord: steunpunt\n    bron: werkkader §3.1.9\n")
    result = buut("check", root=repo)
    assert result.exit_code == 1, result.output
    assert "partners/sigra.yml:1:1: fout: spreektaal 'steunpunt' staat ook bij" in result.output, result.output


@pytest.mark.parametrize("query, answer", [
    ("huisuitzetting", "werkkader/2-8-integrale-schuldhulp/#geregelde-betaling-voorkomen-woningontruimingen"),
    ("openingstijden buurtteam", "werkkader/1-wat-doet-een-buurtteam/#wat-betekent-dit-in-de-praktijk"),
    ("jongerenpunt aanmelden", "partners/wpi/"),  # a partner's everyday word (werkkader §3.1.3)
    ("nachtopvang", "werkinstructies/maatschappelijke-opvang-en-beschermd-wonen/"),  # a voorziening's
    ("licht verstandelijke beperking", "vakgroepen/lvb/"),  # a description of an abbreviation
])
def test_everyday_words_find_what_they_mean(searcher, query, answer):
    found = urls(searcher.search(query, n=3))
    assert any(url.startswith(answer) if answer.endswith("/") else url == answer for url in found), found


def test_two_concepts_rank_the_section_that_explains_both(searcher):
    found = urls(searcher.search("verschil maatwerkvoorziening algemene voorziening"))
    assert found[0] == "werkkader/2-5-toegang-en-toeleiding/#toegang", found


# --- audiences ---

@pytest.mark.parametrize("query", ["openingstijden buurtteam", "buurtteam open", "huisuitzetting",
                                   "klacht indienen", "feedback geven"])
def test_pages_for_editors_come_after_the_pages_for_medewerkers(searcher, query):
    found = urls(searcher.search(query, n=50))
    editors = [i for i, url in enumerate(found) if url.startswith(EDITOR_PAGES)]
    others = [i for i, url in enumerate(found) if not url.startswith(EDITOR_PAGES)]
    assert others, found
    assert not editors or min(editors) > max(others), found


@pytest.mark.parametrize("query, page", [("handboek taalcontrole", "handboek/"), ("werklijst", "handboek/werklijst/"),
                                         ("prestaties van buut", "prestaties/")])
def test_a_query_that_asks_for_editors_gets_their_pages(searcher, query, page):
    found = urls(searcher.search(query, n=3))
    assert found[0].startswith(page), found


# --- answer cards ---

def test_a_voorziening_beats_a_begrip_of_the_same_words(searcher):
    card = searcher.search("huishoudelijke hulp").card
    assert (card.soort, card.titel) == ("voorziening", "Hulp bij het huishouden"), card


def test_algemene_voorziening_has_its_own_card(searcher):
    for query in ("algemene voorziening", "algemene voorzienig"):
        card = searcher.search(query).card
        assert (card.soort, card.titel) == ("begrip", "algemene voorziening"), (query, card)
        text = " ".join(t for _, t in card.velden)
        assert "formeel besluit" in text and "zonder" in text and "sociale basis" in text, text
    card = searcher.search("maatwerkvoorziening").card
    assert card.titel == "maatwerkvoorziening" and "beschikking" in " ".join(t for _, t in card.velden)


def test_no_banner_repeats_the_query(searcher):
    answer = searcher.search("cliënt is ontevreden klacht")
    assert answer.hints == [], answer.hints
    assert searcher.search("intake").hints  # a word BUUT does not use still gets its hint


def test_a_spelling_suggestion_only_when_it_changes_the_results(searcher):
    assert searcher.search("schuldhulpverlning").corrected == "schuldhulpverlening"
    for query in ("jongerenpunt aanmelden", "jongerenpunten aanmelden"):
        assert searcher.search(query).corrected is None, query


def test_a_card_needs_the_whole_query(searcher):
    assert searcher.search("schuld hulp").card is None or searcher.search("schuld hulp").card.soort != "begrip"
    assert searcher.search("verschil maatwerkvoorziening algemene voorziening").card is None


# --- counts and paging ---

def test_counts_are_honest_and_the_next_results_can_be_seen(built_root, searcher):
    app = SiteApp(built_root / "site" / "intranet", searcher)
    first = json.loads(call(app, "/api/zoek", "q=ondersteuning&n=5")[2])
    assert first["total"] > 10 and len(first["results"]) == 5 and first["offset"] == 0, first["total"]
    second = json.loads(call(app, "/api/zoek", "q=ondersteuning&n=5&vanaf=5")[2])
    ten = [hit["url"] for hit in json.loads(call(app, "/api/zoek", "q=ondersteuning&n=10")[2])["results"]]
    assert [hit["url"] for hit in first["results"] + second["results"]] == ten
    assert second["offset"] == 5 and second["total"] == first["total"]
    bad = json.loads(call(app, "/api/zoek", "q=ondersteuning&vanaf=x")[2])
    assert bad["offset"] == 0 and bad["results"]


def test_the_cli_says_eerste_n_van_total_only_when_there_are_more(built_root, buut, searcher):
    total = searcher.search("ondersteuning").total
    result = buut("zoek", "ondersteuning", "-n", "3", root=built_root)
    assert result.exit_code == 0 and f"Eerste 3 van {total}:" in result.output, result.output
    result = buut("zoek", "ondersteuning", "-n", "3", "--vanaf", "3", root=built_root)
    assert f"Resultaat 4–6 van {total}:" in result.output and "\n 4. " in result.output, result.output
    few = searcher.search("waardendriehoek", n=50)
    assert few.total == len(few.results) and few.count_text() == f"{few.total} resultaten"
