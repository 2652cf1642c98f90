"""Search that knows the begrippenlijst (issue 6): engine, query understanding, CLI, API, hostile input."""
from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buut import search
from buut.build.project import load_project
from buut.serve.app import BASE_HEADERS, SiteApp


@pytest.fixture(scope="module")
def searcher(built_root):
    return search.Searcher.open(search.index_dir(built_root, "intranet"), load_project(built_root))


def urls(answer):
    return [hit.url for hit in answer.results]


def test_sections_are_the_unit_of_search(searcher):
    answer = searcher.search("regiecheck")
    top = answer.results[0]
    assert top.url == "werkkader/2-4-werkproces/#243-regiecheck"
    assert top.section == "2.4.3 Regiecheck" and top.kind == "werkkader"


def test_deprecated_term_is_expanded_and_the_answer_says_so(searcher):
    answer = searcher.search("intake")
    assert "eerste gesprek" in answer.expanded
    assert "In BUUT heet dit ‘eerste gesprek’" in answer.hints
    assert answer.results and any("eerste gesprek" in (h.snippet + h.section).lower() for h in answer.results[:3])
    split = searcher.search("wanneer verwijs ik door")
    assert any("erbij halen" in term or "toeleiden" in term for term in split.expanded)


def test_context_terms_are_added_for_a_preferred_term(searcher):
    answer = searcher.search("regievoerder")
    assert "contactpersoon" in answer.expanded


def test_typo_gets_a_correction_and_results(searcher):
    answer = searcher.search("schuldhulpverlning")
    assert answer.corrected == "schuldhulpverlening"
    assert answer.results and "schuldhulp" in answer.results[0].url + answer.results[0].section.lower()
    assert searcher.search("schuldhulpverlening").corrected is None


def test_compounds_are_found_from_their_parts(searcher):
    for query in ("hulpverlening", "schuld hulp"):
        answer = searcher.search(query, n=20)
        assert any("schuldhulpverlening" in (h.section + " " + h.snippet).lower() for h in answer.results), query


def test_diacritics_are_folded(searcher):
    with_trema = urls(searcher.search("cliëntondersteuning"))
    without = urls(searcher.search("clientondersteuning"))
    assert with_trema and with_trema[:3] == without[:3]


def test_stemming_finds_other_forms(searcher):
    for one, other in (("afspraak", "afspraken"), ("gesprek", "gesprekken"), ("schuld", "schulden")):
        first = {url.split("#")[0] for url in urls(searcher.search(one, n=50))}
        second = {url.split("#")[0] for url in urls(searcher.search(other, n=50))}
        assert len(first & second) >= 0.8 * min(len(first), len(second)) > 0, (one, other)


def test_kind_facet(searcher):
    answer = searcher.search("eerste gesprek", soort="begrip")
    assert answer.results and {h.kind for h in answer.results} == {"begrip"}
    bad = searcher.search("eerste gesprek", soort="onzin")
    assert bad.results == [] and "Onbekende soort" in bad.message


def test_empty_and_stopword_queries_get_a_message(searcher):
    for query in ("", "   ", "de het een", "!!!"):
        answer = searcher.search(query)
        assert answer.results == [] and answer.message


def test_cli_json_shape(built_root, buut):
    result = buut("zoek", "--json", "-n", "3", "intake", root=built_root)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"query", "corrected", "expanded", "results"}
    assert data["query"] == "intake" and data["corrected"] is None and "eerste gesprek" in data["expanded"]
    assert 1 <= len(data["results"]) <= 3
    for hit in data["results"]:
        assert set(hit) == {"title", "section", "url", "kind", "snippet", "score"}
        assert not hit["url"].startswith("/") and isinstance(hit["score"], float)
    text = buut("zoek", "--soort", "begrip", "eerste", "gesprek", root=built_root)
    assert "[begrip]" in text.output and "[werkkader]" not in text.output


def test_public_index_holds_only_public_pages(built_root, buut):
    data = json.loads(buut("zoek", "--json", "--publiek", "-n", "50", "partner", root=built_root).output)
    assert data["results"]
    assert not any(h["url"].startswith(("werkinstructies/", "partners/volledigheid")) for h in data["results"])


def call(app, path, query="", method="GET"):
    status_headers = {}

    def start_response(status, headers):
        status_headers["status"], status_headers["headers"] = status, dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, start_response))
    return status_headers["status"], status_headers["headers"], body


def test_api_answers_with_the_same_json(built_root, searcher):
    app = SiteApp(built_root / "site" / "intranet", searcher)
    status, headers, body = call(app, "/api/zoek", "q=intake&n=2")
    assert status == "200 OK" and headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["expanded"] and len(data["results"]) == 2
    assert call(app, "/api/zoek", "q=eerste+gesprek&soort=begrip")[2].count(b'"kind": "begrip"') >= 1
    for name, value in BASE_HEADERS:
        assert headers[name] == value
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]
    # without a searcher there is no API: the page falls back to the built-in search
    assert call(SiteApp(built_root / "site" / "intranet"), "/api/zoek", "q=intake")[0].startswith("404")


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
    st.sampled_from(['"', '"intake', "AND OR NOT", "*", "?", "hulp*", "a" * 10_000, "\x00\x01\x1b[31m", "🙂🙂",
                     "(", ")", "[x", "title:intake", "~2", "^3", "\\", "%", "%00", "+-&&||"]),
), n=st.one_of(st.integers(-5, 100), st.sampled_from(["abc", "", "1e9"])))
def test_any_query_gets_200_and_json(built_root, searcher, query, n):
    from urllib.parse import urlencode

    app = SiteApp(built_root / "site" / "intranet", searcher)
    status, _, body = call(app, "/api/zoek", urlencode({"q": query, "n": n}))
    assert status == "200 OK"
    data = json.loads(body)
    assert isinstance(data["results"], list)
    assert data["results"] or data["message"]


def test_real_server_serves_api_and_refuses_escapes(built_root, searcher):
    import waitress.server

    app = SiteApp(built_root / "site" / "intranet", searcher)
    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/api/zoek?q=%22intake%20AND%20*") as response:
            assert response.status == 200 and json.loads(response.read())["query"] == '"intake AND *'
        for path in ("/../pyproject.toml", "/%2e%2e/pyproject.toml", "/werkkader/..%2f..%2fREADME.md",
                     "/%2e%2e%2f%2e%2e%2fetc/passwd"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(base + path)
            assert error.value.code == 404, path
        with urllib.request.urlopen(base + "/") as response:
            assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    finally:
        server.close()


def test_rebuilding_swaps_the_index_under_a_running_searcher(built_root, tmp_path):
    from buut.search.documents import Doc

    target = tmp_path / "index"
    docs = [Doc("a/", "Eerste", "", "een proeftekst over kanaries", "pagina", ("medewerkers",))]
    search.write_index(docs, target)
    running = search.Searcher.open(target, load_project(built_root))
    assert urls(running.search("kanaries")) == ["a/"]
    search.write_index(docs + [Doc("b/", "Tweede", "", "nog meer kanaries", "pagina", ("medewerkers",))], target)
    assert sorted(urls(running.search("kanaries"))) == ["a/", "b/"]
    assert [p.name for p in tmp_path.iterdir()] == ["index"]  # no staging folder left behind


def test_answer_cache_gives_the_same_answers(built_root):
    project = load_project(built_root)
    folder = search.index_dir(built_root, "intranet")
    plain = search.Searcher(folder, search.Planner(project.glossary, project.rules), cache_size=0)
    cached = search.Searcher(folder, search.Planner(project.glossary, project.rules), cache_size=2)
    for query in ("intake", "pgb", "intake", "schuld", "pgb"):
        assert cached.search(query).to_dict() == plain.search(query).to_dict()
    assert len(cached._cache) == 2
    assert cached.search("pgb") is cached.search("pgb")
    assert plain.search("pgb") is not plain.search("pgb")


def test_ranking_rules_on_plain_results():
    from buut.search import _collapse, _rerank
    from buut.search.query import Plan

    def hit(url, section, score):
        return {"url": url, "section": section, "title": "T", "score": score}

    # a heading that is the query is lifted; a Bron section weighs half
    plan = Plan(groups=[[("schuldhulpverlening",)]])
    ranked = _rerank([hit("a/#x", "Samenwerken in de schuldhulpverlening", 10.0), hit("b/#y", "Schuldhulpverlening", 8.0),
                      hit("c/#bron", "Bron", 9.0)], plan)
    assert [r["url"] for r in ranked] == ["b/#y", "a/#x", "c/#bron"]
    assert ranked[-1]["score"] == 4.5
    # two sections per page first; the page's further sections move to the end, none is lost
    collapsed = _collapse([hit("p/#1", "", 9), hit("p/#2", "", 8), hit("p/#3", "", 7), hit("q/#1", "", 6)])
    assert [r["url"] for r in collapsed] == ["p/#1", "p/#2", "q/#1", "p/#3"]
