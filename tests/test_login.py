"""Login and roles (buut/serve/login.py) on a real server on 127.0.0.1: `--auth proxy` with oauth2-proxy's headers,
the signed session of `--auth oidc` as any server process sees it, `--auth none`, and the settings.

The OpenID Connect flow itself runs in Chromium against a real provider: tests/test_browser_login.py.
"""
from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from buut.serve import login
from buut import search
from buut.serve.feedback import FeedbackApi
from buut.serve.login import Login, LoginSettings
from buut.build.project import load_project
from buut.serve.app import SiteApp
from buut.serve.store import open_store
from test_browser import start_server

SECRET = "s" * 40
REDACTIE = "grp-redactie"
ENV = {"BUUT_GROEP_REDACTIE": f"andere-groep, {REDACTIE}", "BUUT_SESSION_SECRET": SECRET,
       "BUUT_EIGENAAR_GROEPEN": "Redactie werkinstructies=grp-wi; redactie-partners=grp-partners"}
MEDEWERKER = {"X-Forwarded-User": "m.jansen", "X-Forwarded-Email": "m.jansen@example.org",
              "X-Forwarded-Groups": "grp-alle-medewerkers"}
EDITOR = {"X-Forwarded-User": "r.devries", "X-Forwarded-Groups": f"grp-alle-medewerkers,{REDACTIE},grp-wi"}


@pytest.fixture(scope="module")
def project(built_root):
    return load_project(built_root)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store("sqlite:///" + str(tmp_path_factory.mktemp("login-db") / "buut.sqlite3"))


@pytest.fixture(scope="module")
def serving(built_root, project, store):
    """Start BUUT behind the login with the given mode, trusted proxies and settings; yields a starter."""
    searcher = search.Searcher.open(search.index_dir(built_root, "intranet"), project)
    servers = []

    def start(mode: str, trusted=("127.0.0.1",), env=ENV) -> str:
        app = SiteApp(built_root / "site" / "intranet", searcher)
        app.feedback = FeedbackApi.for_project(project, store, searcher)
        base, server = start_server(Login(app, LoginSettings.from_env(mode, trusted, env=env)))
        servers.append(server)
        return base

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def proxy(serving):
    return serving("proxy")


def request(base: str, path: str, headers=None, method="GET", body=None):
    """(status, headers, text) of one request, sent as is (no normalising of the path)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    send = dict(headers or {})
    if data is not None:
        send.setdefault("Content-Type", "application/json")
    connection.request(method, path, body=data, headers=send)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


# --- no identity --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/werkkader/2-4-werkproces/", "/assets/javascripts/../../index.html"])
def test_a_page_without_a_user_is_401_in_dutch(proxy, path):
    status, headers, text = request(proxy, path)
    assert status == 401, text
    assert headers["content-type"].startswith("text/html") and '<html lang="nl">' in text
    assert "Je bent niet ingelogd" in text and "Content-Security-Policy" in {k.title() for k in headers}


@pytest.mark.parametrize("path", ["/api/zoek?q=intake", "/api/redactie", "/api/feedback"])
def test_the_api_without_a_user_is_401_json(proxy, path):
    status, headers, text = request(proxy, path)
    assert status == 401, text
    assert headers["content-type"].startswith("application/json")
    assert json.loads(text)["fout"].startswith("Je bent niet ingelogd")


def test_a_forged_user_from_an_untrusted_address_is_401(serving):
    base = serving("proxy", trusted=("192.0.2.10", "10.1.0.0/16"))  # the test client (127.0.0.1) is not one
    for path in ("/", "/api/zoek?q=intake", "/redactie/"):
        status, _, text = request(base, path, EDITOR)
        assert status == 401, f"{path}: {status} {text[:200]}"


def test_groups_without_a_user_are_401(proxy):
    status, _, _ = request(proxy, "/", {"X-Forwarded-Groups": REDACTIE, "X-Forwarded-Email": "a@example.org"})
    assert status == 401


def test_health_paths_need_no_login(proxy):
    for path in login.OPEN_PATHS:
        status, _, text = request(proxy, path)
        assert status != 401, f"{path}: {text[:200]}"


# --- medewerker ---------------------------------------------------------------------------------------

def test_a_medewerker_reads_pages_and_searches(proxy):
    status, _, text = request(proxy, "/werkkader/2-4-werkproces/", MEDEWERKER)
    assert status == 200 and "<article" in text
    status, _, text = request(proxy, "/api/zoek?q=intake", MEDEWERKER)
    assert status == 200 and json.loads(text)["results"]


@pytest.mark.parametrize("path", ["/redactie/", "/redactie", "/redactie/index.html", "//redactie/", "/./redactie/",
                                  "/%72edactie/", "/%2572edactie/", "/werkkader/../redactie/", "/api/redactie",
                                  "/api/redactie/", "/api//redactie", "/api/redactie?eigenaar=redactie-partners"])
def test_a_medewerker_gets_403_on_the_redactie_page_and_api(proxy, path):
    status, headers, text = request(proxy, path, MEDEWERKER)
    assert status == 403, f"{path}: {status}"
    assert "alleen voor redacteuren" in text


def test_a_medewerker_cannot_handle_a_report(proxy, store):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Een medewerker probeert dit")
    status, _, _ = request(proxy, login.HANDLE_PATH, {**MEDEWERKER, "Origin": proxy}, "POST", {"id": ident})
    assert status == 403
    assert ident in [m.id for m in store.reports()]


# --- editor -------------------------------------------------------------------------------------------

def worklist(base, who=EDITOR):
    status, _, text = request(base, "/api/redactie", who)
    assert status == 200, text
    return json.loads(text)


def test_an_editor_gets_the_redactie_page_and_the_worklist(proxy, store):
    store.record_feedback("partners/", "redactie-partners", "melding", "Het adres van een partner mist")
    status, _, text = request(proxy, "/redactie/", EDITOR)
    assert status == 200 and "data-buut-redactie" in text
    lijst = worklist(proxy)
    assert "Het adres van een partner mist" in json.dumps(lijst, ensure_ascii=False)
    assert lijst["afhandelen"]["pad"] == "api/redactie/afhandelen" and len(lijst["afhandelen"]["token"]) > 20


def test_an_editor_handles_a_report_with_the_csrf_token(proxy, store):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Dit is opgelost")
    token = worklist(proxy)["afhandelen"]["token"]
    headers = {**EDITOR, "Origin": proxy, "X-BUUT-CSRF": token}
    status, _, text = request(proxy, login.HANDLE_PATH, headers, "POST", {"id": ident})
    assert status == 200, text
    assert json.loads(text)["bericht"] == f"Melding {ident} is afgehandeld."
    assert ident not in [m.id for m in store.reports()]
    status, _, text = request(proxy, login.HANDLE_PATH, headers, "POST", {"id": ident})  # not open any more
    assert status == 404 and "geen open melding" in json.loads(text)["fout"]


@pytest.mark.parametrize("csrf", [None, "", "verkeerd", "other-user"])
def test_handling_without_or_with_a_wrong_csrf_token_is_403(proxy, store, csrf):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Nog niet afgehandeld")
    headers = {**EDITOR, "Origin": proxy}
    if csrf == "other-user":  # a real token, of another editor's session
        csrf = worklist(proxy, {**EDITOR, "X-Forwarded-User": "iemand.anders"})["afhandelen"]["token"]
    if csrf is not None:
        headers["X-BUUT-CSRF"] = csrf
    status, _, text = request(proxy, login.HANDLE_PATH, headers, "POST", {"id": ident})
    assert status == 403, text
    assert "controlecode" in json.loads(text)["fout"]
    assert ident in [m.id for m in store.reports()]


def test_handling_from_another_site_is_403_even_with_the_token(proxy, store):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Van een andere site")
    token = worklist(proxy)["afhandelen"]["token"]
    headers = {**EDITOR, "Origin": "https://aanvaller.example", "X-BUUT-CSRF": token}
    status, _, _ = request(proxy, login.HANDLE_PATH, headers, "POST", {"id": ident})
    assert status == 403
    assert ident in [m.id for m in store.reports()]


def test_an_owners_editors_see_their_own_worklist_first(proxy, store):
    store.record_feedback("partners/", "redactie-partners", "melding", "Voor de redactie partners")
    store.record_feedback("werkinstructies/", "redactie-werkinstructies", "melding", "Voor de werkinstructies")
    first = worklist(proxy)["eigenaren"][0]  # EDITOR is in grp-wi: "Redactie werkinstructies=grp-wi"
    assert (first["eigenaar"], first["eigen"]) == ("redactie-werkinstructies", True)
    partners_editor = {**EDITOR, "X-Forwarded-Groups": f"{REDACTIE},grp-partners"}
    lijst = worklist(proxy, partners_editor)["eigenaren"]
    assert lijst[0]["eigenaar"] == "redactie-partners"
    assert [o["eigen"] for o in lijst].count(True) == 1


# --- oidc: the signed session cookie ------------------------------------------------------------------

@pytest.fixture(scope="module")
def oidc_servers(serving):
    """Two server processes' worth of BUUT with --auth oidc and the same BUUT_SESSION_SECRET
    (the provider is never asked: these requests carry a session already)."""
    env = {**ENV, "BUUT_OIDC_ISSUER": "http://127.0.0.1:9", "BUUT_OIDC_CLIENT_ID": "buut"}
    return serving("oidc", env=env), serving("oidc", env=env)


def cookie(data: dict, secret: str = SECRET) -> dict:
    return {"Cookie": f"{login.SESSION_COOKIE}={login.sign(secret.encode(), 'sessie', data)}"}


def test_a_session_cookie_is_accepted_by_every_server(oidc_servers):
    session = cookie({"sub": "r.devries", "grp": [REDACTIE], "sid": "abc", "exp": time.time() + 60})
    for base in oidc_servers:
        status, _, text = request(base, "/api/redactie", session)
        assert status == 200, text


@pytest.mark.parametrize("case", ["expired", "other-secret", "tampered", "garbage"])
def test_a_bad_session_cookie_gives_no_access(oidc_servers, case):
    data = {"sub": "r.devries", "grp": [REDACTIE], "sid": "abc", "exp": time.time() + 60}
    if case == "expired":
        headers = cookie({**data, "exp": time.time() - 1})
    elif case == "other-secret":
        headers = cookie(data, "x" * 40)
    elif case == "tampered":  # a medewerker's cookie with the editors' group written in
        value = login.sign(SECRET.encode(), "sessie", {**data, "grp": []})
        payload, mac = value.split(".")
        forged = login._b64(json.dumps({**data}, separators=(",", ":")).encode())
        headers = {"Cookie": f"{login.SESSION_COOKIE}={forged}.{mac}"}
    else:
        headers = {"Cookie": f"{login.SESSION_COOKIE}=%%%.."}
    status, _, text = request(oidc_servers[0], "/api/redactie", headers)
    assert status == 401, text


def test_without_a_session_a_page_goes_to_the_provider_and_unreachable_is_503(oidc_servers):
    status, headers, text = request(oidc_servers[0], "/werkkader/")  # the issuer (port 9) does not answer
    assert status == 503, text
    assert "inlogdienst" in text and '<html lang="nl">' in text


# --- none ---------------------------------------------------------------------------------------------

def test_without_login_the_redactie_page_stays_and_handling_from_the_page_is_refused(serving, store):
    base = serving("none")
    status, _, _ = request(base, "/redactie/")
    assert status == 200
    lijst = worklist(base, {})
    assert "afhandelen" not in lijst
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Lokaal afhandelen")
    status, _, text = request(base, login.HANDLE_PATH, {"Origin": base, "X-BUUT-CSRF": "x"}, "POST", {"id": ident})
    assert status == 403 and "buut redactie afhandelen" in json.loads(text)["fout"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_without_login_refuses_another_address(buut, built_root):
    result = buut("serve", "--no-build", "--host", "0.0.0.0", "--port", "8123", root=built_root)
    assert result.exit_code == 2, result.output
    assert "--zonder-login-op-netwerk" in result.output and "alleen op deze machine" in result.output


def test_serve_without_login_on_the_network_warns(built_root, tmp_path):
    command = [sys.executable, "-c", "from buut.cli import main; main()", "serve", "--no-build", "--host", "0.0.0.0", "--port",
               str(free_port()), "--zonder-login-op-netwerk", "--database", str(tmp_path / "db.sqlite3"),
               "--root", str(built_root)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("Waarschuwing") or "BUUT draait op" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert any(line.startswith("Waarschuwing: BUUT draait zonder inloggen op 0.0.0.0") for line in lines), lines


@pytest.mark.parametrize("args, env, message", [
    (["--auth", "oidc"], {}, "--auth oidc heeft BUUT_OIDC_ISSUER, BUUT_OIDC_CLIENT_ID, BUUT_SESSION_SECRET nodig"),
    (["--auth", "oidc"], {"BUUT_OIDC_ISSUER": "https://login.example", "BUUT_OIDC_CLIENT_ID": "b",
                          "BUUT_SESSION_SECRET": "kort"}, "BUUT_SESSION_SECRET is te kort"),
    (["--auth", "proxy", "--trusted-proxy", "127.0.0.1,proxy.example"], {}, "'proxy.example' is geen IP-adres"),
    (["--auth", "proxy"], {"BUUT_EIGENAAR_GROEPEN": "redactie-partners"}, "moet de vorm 'eigenaar=groep' hebben"),
])
def test_unusable_login_settings_exit_2_in_dutch(built_root, monkeypatch, buut, args, env, message):
    for name in ("BUUT_OIDC_ISSUER", "BUUT_OIDC_CLIENT_ID", "BUUT_SESSION_SECRET", "BUUT_EIGENAAR_GROEPEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = buut("serve", "--no-build", *args, root=built_root)
    assert result.exit_code == 2, result.output
    assert "Inloggen is niet goed ingesteld: " in result.output and message in result.output
