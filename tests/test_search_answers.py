"""Search that answers the questions medewerkers type (issue 16): word forms, questions, synonyms from
the glossary, ranking that does not depend on n, answer cards, clean snippets, one searcher per thread."""
from __future__ import annotations

import re

import threading
from pathlib import Path, PurePosixPath

import pytest

from buut import search
from buut.model import BuutError, FrontMatter, Page
from buut.build.project import glossary_of, load_project
from buut.search.documents import documents
from buut.search.query import MAX_WORDS


@pytest.fixture(scope="module")
def searcher(built_root):
    project = load_project(built_root)
    return search.Searcher(search.index_dir(built_root, "intranet"),
                           search.Planner(project.glossary, project.rules), cache_size=0)


def urls(answer):
    return [hit.url for hit in answer.results]


QUERIES = ["mag iemand zelf kiezen bij welk buurtteam hij zich meldt", "pgb aanvragen", "schuld hulp route 020",
           "wie beslist over de toegang tot hulp bij het huishouden", "hbh", "intake", "klacht indienen"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_order_does_not_depend_on_n(searcher, query):
    longest = urls(searcher.search(query, n=50))
    assert len(longest) >= 10, longest
    for n in (1, 3, 5, 10, 20):
        assert urls(searcher.search(query, n=n)) == longest[:n], n


def test_a_question_finds_its_answer_although_not_every_word_matches(searcher):
    answer = searcher.search("mag iemand zelf kiezen bij welk buurtteam hij zich meldt")
    assert answer.results, answer.message
    assert "vragen-en-antwoorden/#11-" in " ".join(urls(answer)[:3]), urls(answer)


def test_word_forms_are_joined_by_the_lemma(searcher):
    for one, other in (("meldt", "melden"), ("beslist", "beslissen"), ("afspraken", "afspraak"), ("eerste", "eerste")):
        assert searcher.index.stems(one) == searcher.index.stems(other) != [], (one, other)
    assert searcher.index.stems("eerste") != searcher.index.stems("een")  # a lemma that is a stop word is not used
    plan = searcher.planner.plan("mag ik een pgb", searcher.vocabulary)
    assert [group[0] for group in plan.groups] == [("pgb",)]  # "mag" asks, it is not what is asked


def test_question_words_go_before_the_cap(searcher):
    query = " ".join(["wat", "mag", "ik", "eigenlijk", "precies", "doen", "als", "ik", "wil", "weten", "hoe", "je",
                      "kan", "zien", "wanneer", "welke"]) + " waardendriehoek"
    plan = searcher.planner.plan(query, searcher.vocabulary)
    assert len(plan.groups) <= MAX_WORDS
    assert any(("waardendriehoek",) in group for group in plan.groups), plan.groups
    assert "werkkader/2-7-maatwerk/#de-waardendriehoek" in urls(searcher.search(query))[:3]


def test_compounds_only_at_word_boundaries_and_never_for_stop_words(searcher):
    vocabulary = searcher.vocabulary
    assert "alleenstaand" not in vocabulary.compounds("eens")
    assert vocabulary.compounds("eens") == [] and vocabulary.compounds("voor") == []
    assert "schuldhulpverlening" in vocabulary.compounds("hulpverlening")
    for longer in vocabulary.compounds("hulpverlening") + vocabulary.compounds("schuld"):
        assert longer.startswith(("hulpverlening", "schuld")) or longer.endswith("hulpverlening"), longer


def test_abbreviations_and_synonyms_come_from_the_glossary_and_the_own_word_stays(searcher):
    answer = searcher.search("hbh")
    assert "Hulp bij het huishouden" in answer.expanded
    assert answer.results[0].url.startswith("werkinstructies/hulp-bij-het-huishouden/")
    plan = searcher.planner.plan("casemanager", searcher.vocabulary)
    assert plan.groups[0][0] == ("casemanager",) and ("regievoerder",) in plan.groups[0]
    plan = searcher.planner.plan("(L)VB", searcher.vocabulary)
    assert plan.groups[0][0] == ("lvb",)
    flagged = searcher.planner.plan("geïndiceerd", searcher.vocabulary)
    assert flagged.groups[0][0] == ("geindiceerd",) and ("besluit",) in flagged.groups[0]


def test_a_synonym_that_does_not_expand_refuses_the_glossary(repo):
    path = repo / "glossary.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    zoekvoorbeelden: [HbH aanvragen]", "    zoekvoorbeelden: [huishouden]"),
                    encoding="utf-8")
    with pytest.raises(BuutError) as caught:
        glossary_of(repo)
    found = caught.value.findings[0]
    assert "zoeken op 'huishouden'" in found.message and found.line > 1, found


def test_abbreviations_get_a_tooltip_on_the_site(built_site):
    html = (built_site / "werkinstructies" / "maatschappelijke-opvang-en-beschermd-wonen" / "index.html").read_text()
    assert '<abbr title="maatschappelijke opvang en beschermd wonen">MO/BW</abbr>' in html


@pytest.mark.parametrize("query, soort, titel, label", [
    ("pgb aanvragen", "voorziening", "Persoonsgebonden budget", "Wie beslist"),
    ("wie beslist over de toegang tot hulp bij het huishouden", "voorziening", "Hulp bij het huishouden", "Beschikking"),
    ("okt", "partner", "Ouder- en Kindteams (OKT)", "Wat"),
    ("intake", "begrip", "intake", "Schrijf liever"),
])
def test_a_query_that_clearly_names_something_gets_its_card(searcher, query, soort, titel, label):
    card = searcher.search(query).to_dict()["card"]
    assert card and card["soort"] == soort and card["titel"] == titel, card
    assert label in [v["label"] for v in card["velden"]] and all(v["tekst"] for v in card["velden"]), card


@pytest.mark.parametrize("query", ["schuld hulp", "wat doet het buurtteam als iemand meer ondersteuning nodig heeft",
                                   "huiselijk geweld veiligheid"])
def test_a_query_that_names_nothing_gets_no_card(searcher, query):
    assert searcher.search(query).card is None


def test_the_public_index_has_no_card_of_an_internal_page(built_root):
    project = load_project(built_root)
    public = search.Searcher.open(search.index_dir(built_root, "publiek"), project)
    card = public.search("hbh aanvragen").card
    assert card is None or card.soort != "voorziening"


def test_top_results_have_a_snippet_and_no_file_paths_or_footers(searcher):
    for query in QUERIES + ["wijzigingen", "laatst gewijzigd", "schuldhulp"]:
        for hit in searcher.search(query).results:
            assert hit.snippet.strip(), (query, hit.url)
            assert not hit.section.endswith((".md", ".yml")), (query, hit.section)
            # the footer itself ("Laatst gewijzigd op 1 december 2026 · eerdere wijzigingen"), not a page
            # that explains it (the handbook does)
            assert not re.search(r"Laatst gewijzigd op \d{1,2} \w+ \d{4}", hit.snippet), (query, hit.snippet)


def test_footers_file_path_headings_and_empty_sections_are_not_indexed(tmp_path):
    html = """<html><body><article class="md-content__inner">
      <h1>Wijzigingen</h1><p>Wat er veranderde.</p>
      <h2 id="per-pagina">Per pagina</h2>
      <h3 id="schuldhulp">werkinstructies/schuldhulp.md</h3><p>12 maart 2026 (versie abc123)</p>
      <h3 id="inhoud">Inhoud</h3><p>Gewone tekst.</p>
      <div class="buut-gewijzigd"><p>Laatst gewijzigd op 1 maart 2026 · eerdere wijzigingen</p></div>
      <p data-search-exclude>Niet zoeken.</p>
    </article></body></html>"""
    (tmp_path / "wijzigingen").mkdir()
    (tmp_path / "wijzigingen" / "index.html").write_text(html, encoding="utf-8")
    page = Page("wijzigingen.md", PurePosixPath("wijzigingen.md"), FrontMatter(titel="Wijzigingen", eigenaar="x"), "", 1)
    docs = documents(tmp_path, [page])
    assert [(d.url, d.section) for d in docs] == [("wijzigingen/", ""), ("wijzigingen/#inhoud", "Inhoud")]
    assert docs[1].parent == "Per pagina"  # the empty heading is searched with what follows it
    assert all("gewijzigd" not in d.body and "Niet zoeken" not in d.body for d in docs)


def test_one_searcher_serves_many_threads(searcher):
    expected = {q: urls(searcher.search(q)) for q in QUERIES}
    failures = []

    def client(number: int):
        for i in range(12):
            query = QUERIES[(number + i) % len(QUERIES)]
            got = urls(searcher.search(query))
            if got != expected[query]:
                failures.append((query, got))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:2]
