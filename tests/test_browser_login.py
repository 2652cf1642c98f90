"""`buut serve --auth oidc` end to end in Chromium against a real OpenID provider on 127.0.0.1: npm's
oidc-provider (tests/oidc_provider.mjs, installed by `npm ci` like axe-core) with its development login
form. Login as a medewerker and as an editor, handling a report from the Redactie page, logout at BUUT
and at the provider, and a session that expires.

BUUT is opened as http://localhost:PORT: Chromium keeps a `Secure` cookie over plain http only for
localhost. Like the other browser tests these fail without Chromium, Node or the npm packages.
"""
from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import waitress

from buut.serve import login
from buut import search
from buut.serve.feedback import FeedbackApi
from buut.serve.login import Login, LoginSettings
from buut.build.project import load_project
from buut.serve.app import SiteApp
from buut.serve.store import open_store
from test_browser_feedback import tab  # noqa: F401 - the browser tab fixture
from test_browser import LOCAL_HOST, ROOT

PROVIDER = ROOT / "tests" / "oidc_provider.mjs"
SECRET = "een-geheim-van-de-tests-" + "x" * 24


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store("sqlite:///" + str(tmp_path_factory.mktemp("login-browser-db") / "buut.sqlite3"))


@pytest.fixture(scope="module")
def oidc(built_root, store, tmp_path_factory):
    """BUUT with --auth oidc and the provider it uses."""
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").is_file():
        pytest.fail("oidc-provider ontbreekt: draai `npm ci` in de repository (bash scripts/test.sh doet dat).",
                    pytrace=False)
    holder: list = []  # BUUT starts first: the provider must know its redirect URI
    server = waitress.create_server(lambda environ, start: holder[0](environ, start), host=LOCAL_HOST, port=0,
                                    threads=4, ident="BUUT")
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://localhost:{server.effective_port}"
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "OIDC_CLIENT_ID": "buut", "OIDC_CLIENT_SECRET": "geheim-van-de-client",
           "OIDC_REDIRECT_URIS": base + login.CALLBACK_PATH, "OIDC_LOGOUT_URIS": base + login.LOGGED_OUT_PATH}
    with open(log, "w") as errors:
        provider = subprocess.Popen(["node", str(PROVIDER)], stdout=subprocess.PIPE, stderr=errors, text=True,
                                    env=env, cwd=ROOT)
    first = []
    reader = threading.Thread(target=lambda: first.append(provider.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    if not first or not first[0].startswith("PORT "):
        provider.kill()
        pytest.fail(f"de OpenID-provider startte niet: {Path(log).read_text()[-2000:]}", pytrace=False)
    issuer = f"http://127.0.0.1:{int(first[0].split()[1])}"
    project = load_project(built_root)
    searcher = search.Searcher.open(search.index_dir(built_root, "intranet"), project)
    app = SiteApp(built_root / "site" / "intranet", searcher)
    app.feedback = FeedbackApi.for_project(project, store, searcher)
    settings = LoginSettings.from_env("oidc", env={
        "BUUT_OIDC_ISSUER": issuer, "BUUT_OIDC_CLIENT_ID": "buut", "BUUT_OIDC_CLIENT_SECRET": "geheim-van-de-client",
        "BUUT_SESSION_SECRET": SECRET, "BUUT_GROEP_REDACTIE": "grp-redactie"})
    holder.append(Login(app, settings))
    yield {"buut": base, "issuer": issuer}
    provider.terminate()
    provider.wait(timeout=30)
    server.close()


@pytest.fixture
def page(tab):
    """tab of test_browser_feedback.py (records requests and script errors), kept on this machine: the
    provider's own pages ask for a web font elsewhere."""
    tab.set_default_timeout(20_000)
    tab.context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname
                      in ("localhost", LOCAL_HOST) else route.abort())
    return tab


def log_in(page, base: str, account: str, path: str = "/werkkader/"):
    """Open a page of BUUT, get the provider's login form, log in, and land on the page."""
    page.goto(base + path)
    page.locator("input[name=login]").fill(account)
    page.locator("input[name=password]").fill("wat-dan-ook")
    page.locator("button[type=submit]").click()
    page.wait_for_url(base + path)


def api_status(page, path: str) -> int:
    return page.evaluate("p => fetch(p, {headers: {Accept: 'application/json'}}).then(r => r.status)", path)


def session_cookie(page) -> dict | None:
    found = [c for c in page.context.cookies() if c["name"] == login.SESSION_COOKIE]
    return found[0] if found else None


def test_a_medewerker_logs_in_reads_pages_and_not_the_worklist(oidc, page):
    log_in(page, oidc["buut"], "medewerker1")
    assert urlsplit(page.url).hostname == "localhost" and page.locator("article h1").count() == 1
    assert any(url.startswith(oidc["issuer"] + "/auth") for url in page.requests)  # through the provider
    cookie = session_cookie(page)
    assert cookie and (cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (True, True, "Lax")
    assert api_status(page, "/api/zoek?q=intake") == 200
    assert api_status(page, "/api/redactie") == 403
    response = page.goto(oidc["buut"] + "/redactie/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Alleen voor redacteuren").count() == 1


def test_an_editor_handles_a_report_on_the_redactie_page(oidc, page, store):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Het telefoonnummer van de GGD klopt niet")
    log_in(page, oidc["buut"], "redacteur1", "/redactie/")
    item = page.locator("[data-buut-redactie] li", has_text="klopt niet")
    button = item.get_by_role("button", name=f"Melding {ident} afgehandeld")
    button.focus()  # a button like any other: the keyboard works (axe checks the page in test_browser_feedback.py)
    page.keyboard.press("Enter")
    item.get_by_text(f"Melding {ident} is afgehandeld.").wait_for()
    assert ident not in [m.id for m in store.reports()]
    assert item.get_by_role("button").count() == 0
    assert not page.errors, page.errors


def test_logout_ends_the_session_here_and_at_the_provider(oidc, page):
    log_in(page, oidc["buut"], "redacteur1")
    assert session_cookie(page) is not None
    page.goto(oidc["buut"] + login.LOGOUT_PATH)
    assert page.url.startswith(oidc["issuer"] + "/session/end")
    page.locator("button[name=logout][value=yes]").click()  # the provider's own confirmation
    page.wait_for_url(oidc["buut"] + login.LOGGED_OUT_PATH + "?*")  # with the provider's state
    assert page.get_by_role("heading", name="Uitgelogd").count() == 1
    assert session_cookie(page) is None
    assert api_status(page, "/api/zoek?q=intake") == 401
    page.goto(oidc["buut"] + "/werkkader/")  # the provider asks for a login again
    assert urlsplit(page.url).port == urlsplit(oidc["issuer"]).port
    assert page.locator("input[name=login]").count() == 1


def test_an_expired_session_is_refused_and_logs_in_again(oidc, page):
    log_in(page, oidc["buut"], "redacteur1")
    first = session_cookie(page)
    data = login.unsign(SECRET.encode(), "sessie", first["value"])
    assert data["sub"] == "redacteur1" and data["grp"] == ["grp-redactie"] and data["exp"] > time.time()
    assert api_status(page, "/api/redactie") == 200
    # Eight hours later: the same signed session, past its end (the browser would still send a copy of it).
    expired = login.sign(SECRET.encode(), "sessie", {**data, "exp": int(time.time()) - 1})
    page.context.add_cookies([{**first, "value": expired}])
    assert api_status(page, "/api/redactie") == 401
    page.requests.clear()
    page.goto(oidc["buut"] + "/werkkader/")
    page.wait_for_url(oidc["buut"] + "/werkkader/")  # the provider still knows the user: straight back
    assert any(url.startswith(oidc["issuer"] + "/auth") for url in page.requests)
    assert session_cookie(page)["value"] not in (first["value"], expired)
    assert api_status(page, "/api/redactie") == 200
