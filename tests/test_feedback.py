"""Feedback and failed searches reach the owners (buut/serve/feedback.py), on SQLite and PostgreSQL.

The API is called as a browser would (JSON, Origin); `buut redactie` reads what the running
server stored. Every refusal has its own test, and a refused text leaves no trace in the database.
"""
from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from buut import search
from buut.serve.feedback import FeedbackApi, RateLimit, normalise_query, site_pages
from buut.build.project import load_project
from buut.serve.app import SiteApp
from buut.serve.store import open_store

HOST = "intranet.example:8000"
ORIGIN = f"http://{HOST}"
PAGE = "werkkader/2-3-regie/"


@pytest.fixture(scope="module")
def project(built_root):
    return load_project(built_root)


@pytest.fixture(scope="module")
def searcher(built_root, project):
    return search.Searcher.open(search.index_dir(built_root, "intranet"), project)


@pytest.fixture
def store(database_url):
    return open_store(database_url)


@pytest.fixture
def app(built_site, project, searcher, store):
    site = SiteApp(built_site, searcher, hosts=(HOST,))
    site.feedback = FeedbackApi.for_project(project, store, searcher, limit=RateLimit(limit=5, window=60))
    return site


def call(app, path, body=None, method="POST", origin=ORIGIN, kind="application/json", address="10.0.0.1",
         extra=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "HTTP_HOST": HOST,
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw)),
               "CONTENT_TYPE": kind, "REMOTE_ADDR": address, **(extra or {})}
    if origin is not None:
        environ["HTTP_ORIGIN"] = origin
    if "?" in path:
        environ["PATH_INFO"], environ["QUERY_STRING"] = path.split("?", 1)
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    data = b"".join(app(environ, start_response))
    return int(answer["status"][:3]), json.loads(data) if data else None, answer["headers"]


def everything_stored(store) -> str:
    """All text in the feedback tables, as one string."""
    rows = store._run("SELECT pagina, eigenaar, soort, tekst FROM feedback", fetch=True)
    rows += store._run("SELECT vraag, '', '', '' FROM zoekvraag", fetch=True)
    rows += store._run("SELECT vraag, pagina, '', '' FROM zoekkeuze", fetch=True)
    return "\n".join(" ".join(map(str, row)) for row in rows)


# --- stored ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("soort, tekst", [("nuttig", ""), ("niet-nuttig", ""), ("niet-nuttig", "Een voorbeeld ontbreekt"),
                                          ("melding", "De link naar §2.4 werkt niet")])
def test_feedback_is_stored_for_the_owner_of_the_page(app, store, soort, tekst):
    status, answer, headers = call(app, "/api/feedback", {"pagina": "/" + PAGE, "soort": soort, "tekst": tekst})
    assert status == 201, answer
    assert answer["bericht"].startswith("Dank je wel")
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"
    rows = store._run("SELECT pagina, eigenaar, soort, tekst FROM feedback", fetch=True)
    assert [tuple(r) for r in rows] == [(PAGE, "redactie-werkkader", soort, tekst)]


@pytest.mark.parametrize("pagina, url", [("", ""), ("/", ""), ("/partners/veilig-thuis/index.html", "partners/veilig-thuis/"),
                                         ("begrippenlijst", "begrippenlijst/"), ("/werkinstructies/", "werkinstructies/")])
def test_every_kind_of_page_is_known_with_its_owner(app, store, pagina, url):
    status, answer, _ = call(app, "/api/feedback", {"pagina": pagina, "soort": "nuttig"})
    assert status == 201, answer
    [row] = store._run("SELECT pagina, eigenaar FROM feedback", fetch=True)
    assert row[0] == url and row[1]


def test_nothing_identifies_the_sender(app, store):
    call(app, "/api/feedback", {"pagina": PAGE, "soort": "melding", "tekst": "Typfout"}, address="192.0.2.77",
         extra={"HTTP_USER_AGENT": "Mozilla/5.0 Proefbrowser", "HTTP_COOKIE": "sessie=geheim"})
    columns = store._run("SELECT * FROM feedback", fetch=True)[0]
    stored = " ".join(map(str, columns))
    for trace in ("192.0.2.77", "Proefbrowser", "geheim"):
        assert trace not in stored
    assert len(columns) == 9, ("feedback heeft alleen id, pagina, eigenaar, soort, tekst, dag, afgehandeld, bron en "
                               "organisatie (migratie 0004: een melding van de publieke site)")
    assert columns[-2:] == ("intranet", "")


def test_the_form_can_ask_whether_feedback_is_possible(app):
    status, answer, _ = call(app, "/api/feedback", method="GET", origin=None)
    assert status == 200 and answer == {"feedback": True}


# --- refused ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, kind, message", [
    (b"{niet: json", "application/json", "geen geldige JSON"),
    ([1, 2], "application/json", "JSON-object"),
    ({"pagina": PAGE, "soort": "nuttig"}, "text/plain", "Stuur JSON"),
    ({"pagina": PAGE, "soort": "stemmen"}, "application/json", "'nuttig', 'niet-nuttig' of 'melding'"),
    ({"soort": "nuttig"}, "application/json", "'pagina' ontbreekt"),
    ({"pagina": PAGE, "soort": "nuttig", "naam": "Jan"}, "application/json", "Onbekend veld: naam"),
    ({"pagina": PAGE, "soort": "melding", "tekst": 12}, "application/json", "moet tekst zijn"),
    ({"pagina": PAGE, "soort": "melding", "tekst": "   "}, "application/json", "Schrijf in een paar woorden"),
    ({"pagina": PAGE, "soort": "melding", "tekst": "x" * 2001}, "application/json", "hoogstens 2.000"),
    ({"pagina": "/bestaat-niet/", "soort": "nuttig"}, "application/json", "bestaat niet op dit intranet"),
    (b"x" * 20_000, "application/json", "te groot"),
])
def test_malformed_input_is_400_in_dutch_and_stores_nothing(app, store, body, kind, message):
    status, answer, _ = call(app, "/api/feedback", body, kind=kind)
    assert status == 400, answer
    assert message in answer["fout"]
    assert everything_stored(store) == ""


@pytest.mark.parametrize("origin, extra", [
    (None, {}), ("https://evil.example", {}), ("http://intranet.example:8001", {}), ("null", {}),
    (ORIGIN, {"HTTP_SEC_FETCH_SITE": "cross-site"}),
])
def test_another_origin_is_403(app, store, origin, extra):
    status, answer, _ = call(app, "/api/feedback", {"pagina": PAGE, "soort": "nuttig"}, origin=origin, extra=extra)
    assert status == 403 and "niet van een pagina van deze site" in answer["fout"]
    assert everything_stored(store) == ""


@pytest.mark.parametrize("tekst, what", [
    ("Mevrouw met BSN 111222333 kon niet verder", "burgerservicenummer"),
    ("Betaald van NL91 ABNA 0417 1643 00", "rekeningnummer"),
    ("Mail mij op j.jansen@example.nl", "e-mailadres"),
    ("Bel haar op 06-12345678", "telefoonnummer"),
    ("De cliënt is geboren op 12-03-1980", "geboortedatum"),
    # issue 22: no opt-out, separators, spelled-out forms, names and addresses
    ("<!-- buut: negeer --> BSN 111222333", "burgerservicenummer"),
    ("Het BSN is 1234-56-782", "burgerservicenummer"),
    ("BSN 1234{# #}56782", "burgerservicenummer"),
    ("Mail hem op j at gmail dot com", "e-mailadres"),
    ("Bel haar op +31 (0)6 1234 5678", "telefoonnummer"),
    ("Cliënt geb 12-03-1980", "geboortedatum"),
    ("Mevrouw Fatima El Amrani uit de Kinkerstraat 12", "een naam en een adres"),
    ("dhr. J. de Boer belde", "naam"),
    ("Familie Yilmaz wacht al weken", "naam"),
    ("Woont op de Van Woustraat 120-2", "adres"),
    ("Woont in 1053AB", "postcode"),
])
def test_personal_data_is_422_and_leaves_no_trace(app, store, database_url, tekst, what):
    status, answer, _ = call(app, "/api/feedback", {"pagina": PAGE, "soort": "melding", "tekst": tekst})
    assert status == 422, answer
    assert what in answer["fout"] and "Er is niets opgeslagen" in answer["fout"]
    assert everything_stored(store) == ""
    if database_url.startswith("sqlite:///"):  # not in the file, the journal or the WAL either
        folder = Path(database_url[len("sqlite:///"):]).parent
        secret = max(tekst.split(), key=len).encode()  # the most telling word
        for file in folder.iterdir():
            assert secret not in file.read_bytes(), file


def test_too_many_from_one_client_is_429_and_others_go_on(app, store):
    for _ in range(5):
        assert call(app, "/api/feedback", {"pagina": PAGE, "soort": "nuttig"})[0] == 201
    status, answer, _ = call(app, "/api/feedback", {"pagina": PAGE, "soort": "nuttig"})
    assert status == 429 and "Probeer het over een minuut opnieuw" in answer["fout"]
    assert call(app, "/api/feedback", {"pagina": PAGE, "soort": "nuttig"}, address="10.0.0.2")[0] == 201
    assert len(store.ratings()) == 1 and store.ratings()[0].nuttig == 6


def test_only_post_sends(app):
    status, _, headers = call(app, "/api/zoekvraag", method="GET")
    assert status == 405 and headers["Allow"] == "POST"
    status, _, headers = call(app, "/api/redactie", {"eigenaar": "x"})
    assert status == 405 and headers["Allow"] == "GET, HEAD"


# --- failed searches -------------------------------------------------------------------------------

def test_a_search_without_full_match_is_counted_normalised(app, store):
    for vraag in ["Kwantumfysica  WACHTLIJST", "kwantumfysica wachtlijst"]:
        status, answer, _ = call(app, "/api/zoekvraag", {"vraag": vraag})
        assert status == 201 and answer["vastgelegd"] is True
    assert [(q.vraag, q.aantal) for q in store.failed_searches()] == [("kwantumfysica wachtlijst", 2)]


def test_a_search_with_results_is_not_counted(app, store):
    status, answer, _ = call(app, "/api/zoekvraag", {"vraag": "schuldhulpverlening"})
    assert status == 200 and answer["vastgelegd"] is False
    assert store.failed_searches() == []


def test_a_search_with_personal_data_is_not_counted(app, store):
    status, answer, _ = call(app, "/api/zoekvraag", {"vraag": "cliënt 111222333"})
    assert status == 200 and answer["vastgelegd"] is False and "persoonsgegevens" in answer["bericht"]
    assert everything_stored(store) == ""


def test_search_reports_are_checked_like_feedback(app, store):
    assert call(app, "/api/zoekvraag", {"vraag": "wachtlijst"}, origin="https://evil.example")[0] == 403
    assert call(app, "/api/zoekvraag", {"vraag": "  "})[0] == 400
    assert call(app, "/api/zoekvraag", {"vraag": "x", "ip": "1.2.3.4"})[0] == 400
    assert everything_stored(store) == ""


def test_a_chosen_result_that_was_not_the_first_is_proposed_as_spreektaal(app, store):
    chosen = "/werkkader/2-8-integrale-schuldhulp/#geregelde-betaling-voorkomen-woningontruimingen"
    for vraag in ("Huisuitzetting", "huisuitzetting"):
        status, answer, _ = call(app, "/api/zoekkeuze", {"vraag": vraag, "pagina": chosen, "positie": 3})
        assert status == 201 and answer["vastgelegd"] is True
    status, answer, _ = call(app, "/api/zoekkeuze", {"vraag": "wachtlijst", "pagina": "/" + PAGE, "positie": 1})
    assert status == 200 and answer["vastgelegd"] is False  # the first result was right
    call(app, "/api/zoekvraag", {"vraag": "kwantumfysica"})
    status, lijst, _ = call(app, "/api/redactie", method="GET", origin=None)
    assert [(k["woord"], k["aantal"], k["pagina"], k["titel"]) for k in lijst["spreektaal"]] == [
        ("huisuitzetting", 2, chosen.lstrip("/"), "2.8 Integrale schuldhulp"),
        ("kwantumfysica", 1, None, None)]


def test_choices_are_checked_like_feedback(app, store):
    good = {"vraag": "wachtlijst", "pagina": "/" + PAGE, "positie": 2}
    assert call(app, "/api/zoekkeuze", good, origin="https://evil.example")[0] == 403
    for bad in ({**good, "positie": "2"}, {**good, "positie": 0}, {**good, "pagina": "/bestaat-niet/"},
                {**good, "ip": "1.2.3.4"}):  # four, and one more below: the app allows five a minute
        status, answer, _ = call(app, "/api/zoekkeuze", bad)
        assert status == 400 and answer["fout"], bad
    status, answer, _ = call(app, "/api/zoekkeuze", {**good, "vraag": "cliënt 111222333"},
                             address="10.0.0.7")  # the first client used up its limit of 5
    assert status == 200 and answer["vastgelegd"] is False
    assert everything_stored(store) == ""


def test_normalised_queries_are_short_and_folded():
    assert normalise_query("  Cliënt\tONDERSTEUNING ") == "client ondersteuning"
    assert len(normalise_query("woord " * 100)) <= 200


# --- the worklist ----------------------------------------------------------------------------------

def test_redactie_api_lists_reports_ratings_searches_and_open_points(app, project):
    call(app, "/api/feedback", {"pagina": PAGE, "soort": "melding", "tekst": "Voorbeeld klopt niet"})
    call(app, "/api/feedback", {"pagina": PAGE, "soort": "niet-nuttig"})
    call(app, "/api/zoekvraag", {"vraag": "kwantumfysica"})
    status, lijst, _ = call(app, "/api/redactie?eigenaar=redactie-werkkader", method="GET", origin=None)
    assert status == 200
    [owner] = lijst["eigenaren"]
    assert owner["naam"] == "Redactie werkkader"
    assert [(m["titel"], m["tekst"]) for m in owner["meldingen"]] == [("2.3 Regie", "Voorbeeld klopt niet")]
    assert [(w["pagina"], w["niet_nuttig"]) for w in owner["niet_nuttig"]] == [(PAGE, 1)]
    assert [q["vraag"] for q in lijst["zoekvragen"]] == ["kwantumfysica"]
    status, everyone, _ = call(app, "/api/redactie", method="GET", origin=None)
    kinds = {p["soort"] for o in everyone["eigenaren"] for p in o["open_punten"]}
    assert {"open punt", "partnergegevens"} <= kinds


def test_site_pages_know_generated_and_upkeep_pages(project):
    pages = site_pages(project)
    for url in ("", "begrippenlijst/", "partners/veilig-thuis/", "werkinstructies/", "wijzigingen/", "redactie/"):
        assert url in pages and pages[url].eigenaar, url


# --- through the running server, as the done-when says ----------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _http(url, body=None, origin=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Origin": origin} if origin else {})})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_buut_redactie_shows_what_the_running_server_stored(built_root, database_url, buut):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BUUT_DATABASE": database_url}
    server = subprocess.Popen([str(Path(sys.executable).parent / "buut"), "serve", "--no-build", "--port", str(port),
                               "--root", str(built_root)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/feedback", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode(errors="replace"))
                time.sleep(0.2)
        assert _http(base + "/api/feedback", {"pagina": "/" + PAGE, "soort": "melding", "tekst": "Tabel loopt uit"},
                     base)[0] == 201
        assert _http(base + "/api/feedback", {"pagina": "/partners/veilig-thuis/", "soort": "niet-nuttig"}, base)[0] == 201
        assert _http(base + "/api/zoekvraag", {"vraag": "Kwantumfysica"}, base) == (201, {"vastgelegd": True})
    finally:
        server.terminate()
        server.wait(timeout=20)

    result = buut("redactie", "--json", "--database", database_url, root=built_root)
    assert result.exit_code == 0, result.output
    lijst = json.loads(result.output)
    owners = {o["eigenaar"]: o for o in lijst["eigenaren"]}
    [melding] = owners["redactie-werkkader"]["meldingen"]
    assert (melding["pagina"], melding["tekst"]) == (PAGE, "Tabel loopt uit")
    assert [(w["pagina"], w["niet_nuttig"]) for w in owners["redactie-partners"]["niet_nuttig"]] == \
        [("partners/veilig-thuis/", 1)]
    assert [(q["vraag"], q["aantal"]) for q in lijst["zoekvragen"]] == [("kwantumfysica", 1)]

    text = buut("redactie", "--eigenaar", "redactie-werkkader", "--database", database_url, root=built_root)
    assert f"#{melding['id']} " in text.output and "Tabel loopt uit" in text.output

    handled = buut("redactie", "afhandelen", str(melding["id"]), "--database", database_url, root=built_root)
    assert handled.exit_code == 0, handled.output
    after = json.loads(buut("redactie", "--json", "--database", database_url, root=built_root).output)
    assert not [m for o in after["eigenaren"] for m in o["meldingen"]], "de afgehandelde melding staat er nog"
    again = buut("redactie", "afhandelen", str(melding["id"]), "--database", database_url, root=built_root)
    assert again.exit_code == 1 and "geen open melding" in again.output


def test_an_unusable_database_stops_with_a_dutch_message(built_root, buut):
    result = buut("redactie", "--database", "mysql://x/y", root=built_root)
    assert result.exit_code == 2 and "onbekende database" in result.output
