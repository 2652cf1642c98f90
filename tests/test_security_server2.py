"""`buut serve` and its APIs, second round (issue 22, point 6): only its own host names, one rate
limit for every server process, feedback for the page's own owner, and every malformed request a
Dutch 4xx. Servers listen on 127.0.0.1 only, on a free port; the store runs on SQLite and on a real
PostgreSQL (`database_url`).
"""
from __future__ import annotations

import http.client
import io
import json
import threading
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buut.serve.feedback import FeedbackApi, RateLimit
from buut.serve.app import BASE_HEADERS, SiteApp, create_server
from buut.serve.store import base, open_store

from test_feedback import PAGE, project, searcher  # noqa: F401 - the loaded project and its searcher


def site_app(built_site, project, searcher, store, limit=RateLimit(limit=1000), hosts=()) -> SiteApp:
    app = SiteApp(built_site, searcher, hosts=hosts)
    app.feedback = FeedbackApi.for_project(project, store, searcher, limit=limit)
    return app


@contextmanager
def running(app):
    server = create_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.close()
        thread.join(timeout=10)


def request(port: int, method: str, path: str, host: str | None, body: bytes = b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        connection.close()


def call(app, path, body=None, method="POST", host="localhost", address="10.0.0.1", query="", extra=None):
    """The app as waitress calls it (a browser on this site: Origin and Host agree)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": host,
               "HTTP_ORIGIN": f"http://{host}", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json", "REMOTE_ADDR": address,
               **(extra or {})}
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    data = b"".join(app(environ, start_response))
    return int(answer["status"][:3]), data, answer["headers"]


def stored(store) -> list:
    return store._run("SELECT pagina, eigenaar, soort, tekst FROM feedback", fetch=True)


# -- the Host check (DNS rebinding) ---------------------------------------------------------------------

FOREIGN = ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example:{port}",
           "intranet.example", "[::2]:{port}", "", "127.0.0.1 evil.example"]


@pytest.mark.parametrize("host", FOREIGN)
def test_another_host_name_is_421_for_pages_and_apis(built_site, project, searcher, tmp_path, host):
    """A page on a foreign domain that resolves to this server (DNS rebinding) gets no page, no
    worklist, no search and cannot send feedback: its Host is not one of the server's names."""
    store = open_store(str(tmp_path / "buut.sqlite3"))
    with running(site_app(built_site, project, searcher, store)) as port:
        name = host.format(port=port)
        for method, path, body in (("GET", "/", b""), ("GET", "/api/redactie", b""), ("GET", "/api/zoek?q=intake", b""),
                                   ("POST", "/api/feedback", json.dumps({"pagina": PAGE, "soort": "nuttig"}).encode())):
            status, headers, data = request(port, method, path, name, body,
                                            {"Origin": f"http://{name}", "Content-Type": "application/json"})
            assert status == 421, (path, status, data[:200])
            assert "alleen verzoeken voor zijn eigen adres" in data.decode("utf-8")
            assert b"redactie" not in data and b"<html" not in data.lower()
            for header, value in BASE_HEADERS:
                assert headers[header] == value
            assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert stored(store) == []


def test_own_names_are_answered(built_site, project, searcher, tmp_path, monkeypatch):
    monkeypatch.setenv("BUUT_HOSTS", "intranet.buurtteams.example, Andere.Example")
    store = open_store(str(tmp_path / "buut.sqlite3"))
    with running(site_app(built_site, project, searcher, store)) as port:
        for name in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST.", "intranet.buurtteams.example",
                     f"andere.example:{port}"):
            status, _, data = request(port, "GET", "/api/zoek?q=intake", name)
            assert status == 200 and json.loads(data)["results"], name
            status, _, data = request(port, "POST", "/api/feedback", name,
                                      json.dumps({"pagina": PAGE, "soort": "nuttig"}).encode(),
                                      {"Origin": f"http://{name}", "Content-Type": "application/json"})
            assert status == 201, (name, data)
    assert len(stored(store)) == 5


# -- one rate limit for every server process, keyed on the user ---------------------------------------------

def test_two_servers_on_one_database_share_one_limit(built_site, project, searcher, database_url):
    # each its own store and limit, as in two server processes: only the database is shared
    first = site_app(built_site, project, searcher, open_store(database_url), RateLimit(limit=3, window=60))
    second = site_app(built_site, project, searcher, open_store(database_url), RateLimit(limit=3, window=60))
    body = {"pagina": PAGE, "soort": "nuttig"}
    assert [call(app, "/api/feedback", body)[0] for app in (first, second, first)] == [201, 201, 201]
    status, data, headers = call(second, "/api/feedback", body)
    assert status == 429 and "Probeer het over een minuut opnieuw" in json.loads(data)["fout"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert call(first, "/api/feedback", body)[0] == 429
    assert call(first, "/api/feedback", body, address="10.0.0.2")[0] == 201  # another sender goes on
    assert len(stored(open_store(database_url))) == 4


def test_the_limit_follows_the_user_not_the_address(built_site, project, searcher, database_url):
    """Behind the login a user who rotates addresses keeps one bucket, and users behind one proxy
    address each have their own."""
    app = site_app(built_site, project, searcher, open_store(database_url), RateLimit(limit=2, window=60))
    body = {"pagina": PAGE, "soort": "nuttig"}

    def as_user(user, address):
        return call(app, "/api/feedback", body, address=address, extra={"buut.user": user})[0]

    assert [as_user("u-1", f"10.0.1.{n}") for n in range(3)] == [201, 201, 429]
    assert [as_user(f"u-{n}", "10.0.0.9") for n in range(2, 5)] == [201, 201, 201]


def test_the_limit_keeps_no_address_longer_than_its_window(database_url, monkeypatch):
    store = open_store(database_url)
    now = [1_800_000_000.0]
    monkeypatch.setattr(base, "_clock", lambda: now[0])
    assert store.allow_request("adres:192.0.2.77", 1, 60)
    assert not store.allow_request("adres:192.0.2.77", 1, 60)
    rows = store._run("SELECT sleutel, moment FROM beperking", fetch=True)
    assert len(rows) == 1 and "192.0.2.77" not in rows[0][0] and len(rows[0][0]) == 32
    now[0] += 61  # a minute later: another sender's request deletes the old row
    assert store.allow_request("adres:198.51.100.1", 1, 60)
    assert [row[0] for row in store._run("SELECT sleutel FROM beperking", fetch=True)] != [rows[0][0]]
    assert len(store._run("SELECT sleutel FROM beperking", fetch=True)) == 1
    assert store.allow_request("adres:192.0.2.77", 1, 60)  # and the first may send again


# -- feedback on the intranet start page ------------------------------------------------------------------

def test_feedback_on_the_start_page_reaches_its_own_owner(built_site, built_root, project, searcher, tmp_path):
    from buut.load.content import load_content

    owners = {p.path: p.meta.eigenaar for p in load_content(built_root).pages}
    assert owners["docs/index.md"] != owners["publiek/index.md"]  # else this test proves nothing
    store = open_store(str(tmp_path / "buut.sqlite3"))
    app = site_app(built_site, project, searcher, store)
    for pagina in ("/", "", "/index.html"):
        status, data, _ = call(app, "/api/feedback", {"pagina": pagina, "soort": "melding", "tekst": "Klopt niet"})
        assert status == 201, data
    assert {row[1] for row in stored(store)} == {owners["docs/index.md"]}


# -- every malformed request is a Dutch 4xx --------------------------------------------------------------

NESTED = b'{"pagina": ' + b"[" * 5000 + b"]" * 5000 + b"}"
MALFORMED = {
    "diep-genest": ("/api/feedback", NESTED, "te diep genest"),
    "diep-genest-zoekvraag": ("/api/zoekvraag", b'{"vraag": ' + b"{\"a\":" * 2000 + b"1" + b"}" * 2001,
                              "te diep genest"),
    "losse-surrogaat-tekst": ("/api/feedback", b'{"pagina": "%s", "soort": "melding", "tekst": "fout \\ud800"}'
                              % PAGE.encode(), "geen tekst is"),
    "losse-surrogaat-pagina": ("/api/feedback", b'{"pagina": "\\udfff", "soort": "nuttig"}', "geen tekst is"),
    "losse-surrogaat-zoekvraag": ("/api/zoekvraag", b'{"vraag": "\\ud83d"}', "geen tekst is"),
    "groot-getal": ("/api/feedback", b'{"pagina": ' + b"9" * 5000 + b', "soort": "nuttig"}', "geen geldige JSON"),
    "oneindig": ("/api/feedback", b'{"pagina": 1e999999, "soort": "nuttig"}', "'pagina'"),
    "soort-lijst": ("/api/feedback", b'{"pagina": "%s", "soort": ["melding"]}' % PAGE.encode(), "'soort'"),
    "soort-object": ("/api/feedback", b'{"pagina": "%s", "soort": {"a": 1}}' % PAGE.encode(), "'soort'"),
    "tekst-getal": ("/api/feedback", b'{"pagina": "%s", "soort": "melding", "tekst": 12}' % PAGE.encode(), "'tekst'"),
    "pagina-null": ("/api/feedback", b'{"pagina": null, "soort": "nuttig"}', "'pagina'"),
    "geen-utf8": ("/api/feedback", b'{"pagina": "\xff\xfe", "soort": "nuttig"}', "geen geldige JSON"),
    "nul-in-zoekvraag": ("/api/zoekvraag", b'{"vraag": "\\u0000\\u0000"}', "Verwacht"),
    "lijst": ("/api/feedback", b"[1, 2]", "JSON-object"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_json_is_a_dutch_400_and_stores_nothing(built_site, project, searcher, database_url, case):
    store = open_store(database_url)
    app = site_app(built_site, project, searcher, store)
    path, body, message = MALFORMED[case]
    status, data, headers = call(app, path, body)
    assert status == 400, data[:300]
    assert message in json.loads(data)["fout"]
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert stored(store) == [] and store.failed_searches() == []


QUERIES = {
    "/api/zoek": ["q=%ED%A0%80", "q=%ff%fe&n=1e9", "q=intake&n=-1", "q=intake&n=99999999999999999999999",
                  "q=intake&soort=%00", "q=" + "a%00" * 3000, "q=%", "n=&q=&soort=", "q=intake&q=hulp&n=2&n=x",
                  "q=" + "(" * 2000],
    "/api/redactie": ["eigenaar=%00", "eigenaar=%ff", "eigenaar=" + "a" * 5000, "eigenaar=Redactie%20X", "eigenaar=%"],
}


@pytest.mark.parametrize("path,query", [(p, q) for p, qs in QUERIES.items() for q in qs])
def test_odd_query_strings_are_answered_never_500(built_site, project, searcher, tmp_path, path, query):
    app = site_app(built_site, project, searcher, open_store(str(tmp_path / "buut.sqlite3")))
    status, data, _ = call(app, path, method="GET", query=query)
    answer = json.loads(data)
    if path == "/api/zoek":  # every question gets an answer or a Dutch message
        assert status == 200 and isinstance(answer["results"], list), answer
    else:
        assert status == 400 and "kleine letters" in answer["fout"], answer


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(exclude_categories=())),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
FIELDS = st.fixed_dictionaries({}, optional={"pagina": JSON_VALUES | st.sampled_from(["", "/", PAGE, "/x/"]),
                                             "soort": JSON_VALUES | st.sampled_from(["nuttig", "melding"]),
                                             "tekst": JSON_VALUES, "vraag": JSON_VALUES})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/feedback", "/api/zoekvraag"]), body=FIELDS | JSON_VALUES)
def test_any_json_gets_an_answer_never_a_500(built_site, project, searcher, tmp_path, path, body):
    """Whatever JSON arrives (lone surrogates, huge numbers, wrong types), the answer is stored (201),
    not kept (200) or a Dutch refusal with a reason: never a failure of the server."""
    app = site_app(built_site, project, searcher, open_store(str(tmp_path / "buut.sqlite3")))
    raw = json.dumps(body, ensure_ascii=True, allow_nan=True).encode()
    status, data, _ = call(app, path, raw)
    answer = json.loads(data)
    assert status in (200, 201, 400, 422), (status, answer)
    if status >= 400:
        assert answer["fout"] and answer["fout"][0].isupper(), answer
