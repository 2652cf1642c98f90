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

from buut import login, search
from buut.feedback import FeedbackApi
from buut.login import Login, LoginSettings
from buut.project import load_project
from buut.serve import SiteApp
from buut.store import open_store
from test_browser import AXE, AXE_TAGS, BLOCKING_IMPACTS, LOCAL_HOST, ROOT, describe

PROVIDER = ROOT / "tests" / "oidc_provider.mjs"
SHORT_SESSION = 4  # seconds of BUUT's session on the second server, for the expiry test
SECRET = "een-geheim-van-de-tests-" + "x" * 24


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store("sqlite:///" + str(tmp_path_factory.mktemp("login-browser-db") / "buut.sqlite3"))


@pytest.fixture(scope="module")
def oidc(built_root, store, tmp_path_factory):
    """Two BUUT servers with --auth oidc (a normal and a 4-second session) and the provider they use."""
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").is_file():
        pytest.fail("oidc-provider ontbreekt: draai `npm ci` in de repository (bash scripts/test.sh doet dat).",
                    pytrace=False)
    holders: list[list] = []
    servers = []
    for _ in range(2):  # start first: the provider must know BUUT's redirect URIs
        holder: list = []
        server = waitress.create_server(lambda environ, start, h=holder: h[0](environ, start), host=LOCAL_HOST,
                                        port=0, threads=4, ident="BUUT")
        threading.Thread(target=server.run, daemon=True).start()
        holders.append(holder)
        servers.append(server)
    bases = [f"http://localhost:{server.effective_port}" for server in servers]
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "OIDC_CLIENT_ID": "buut", "OIDC_CLIENT_SECRET": "geheim-van-de-client",
           "OIDC_REDIRECT_URIS": ",".join(b + login.CALLBACK_PATH for b in bases),
           "OIDC_LOGOUT_URIS": ",".join(b + login.LOGGED_OUT_PATH for b in bases)}
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
    for holder, seconds in zip(holders, ("28800", str(SHORT_SESSION))):
        app = SiteApp(built_root / "site" / "intranet", searcher)
        app.feedback = FeedbackApi.for_project(project, store, searcher)
        settings = LoginSettings.from_env("oidc", env={
            "BUUT_OIDC_ISSUER": issuer, "BUUT_OIDC_CLIENT_ID": "buut", "BUUT_OIDC_CLIENT_SECRET": "geheim-van-de-client",
            "BUUT_SESSION_SECRET": SECRET, "BUUT_GROEP_REDACTIE": "grp-redactie", "BUUT_SESSION_SECONDS": seconds})
        holder.append(Login(app, settings))
    yield {"buut": bases[0], "kort": bases[1], "issuer": issuer}
    provider.terminate()
    provider.wait(timeout=30)
    for server in servers:
        server.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    context.set_default_timeout(20_000)
    # the provider's own pages ask for a web font elsewhere: nothing leaves this machine
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname
                  in ("localhost", LOCAL_HOST) else route.abort())
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def log_in(tab, base: str, account: str, path: str = "/werkkader/"):
    """Open a page of BUUT, get the provider's login form, log in, and land on the page."""
    tab.goto(base + path)
    tab.locator("input[name=login]").fill(account)
    tab.locator("input[name=password]").fill("wat-dan-ook")
    tab.locator("button[type=submit]").click()
    tab.wait_for_url(base + path)


def api_status(tab, path: str) -> int:
    return tab.evaluate("p => fetch(p, {headers: {Accept: 'application/json'}}).then(r => r.status)", path)


def session_cookie(tab) -> dict | None:
    found = [c for c in tab.context.cookies() if c["name"] == login.SESSION_COOKIE]
    return found[0] if found else None


def test_a_medewerker_logs_in_reads_pages_and_not_the_worklist(oidc, tab):
    log_in(tab, oidc["buut"], "medewerker1")
    assert urlsplit(tab.url).hostname == "localhost" and tab.locator("article h1").count() == 1
    assert any(url.startswith(oidc["issuer"] + "/auth") for url in tab.requests)  # through the provider
    cookie = session_cookie(tab)
    assert cookie and (cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (True, True, "Lax")
    assert api_status(tab, "/api/zoek?q=intake") == 200
    assert api_status(tab, "/api/redactie") == 403
    response = tab.goto(oidc["buut"] + "/redactie/")
    assert response.status == 403
    assert tab.get_by_role("heading", name="Alleen voor redacteuren").count() == 1


def test_an_editor_handles_a_report_on_the_redactie_page(oidc, tab, store):
    ident = store.record_feedback("partners/", "redactie-partners", "melding", "Het telefoonnummer van de GGD klopt niet")
    log_in(tab, oidc["buut"], "redacteur1", "/redactie/")
    item = tab.locator("[data-buut-redactie] li", has_text="klopt niet")
    button = item.get_by_role("button", name=f"Melding {ident} afgehandeld")
    button.click()
    item.get_by_text(f"Melding {ident} is afgehandeld.").wait_for()
    assert ident not in [m.id for m in store.reports()]
    tab.evaluate(AXE.read_text(encoding="utf-8"))  # axe on the worklist with its buttons (the page: elsewhere)
    found = tab.evaluate("tags => axe.run(document.querySelector('[data-buut-redactie]'), "
                         "{runOnly: {type: 'tag', values: tags}})", AXE_TAGS)["violations"]
    blocking = [v for v in found if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)
    assert not tab.errors, tab.errors


def test_logout_ends_the_session_here_and_at_the_provider(oidc, tab):
    log_in(tab, oidc["buut"], "redacteur1")
    assert session_cookie(tab) is not None
    tab.goto(oidc["buut"] + login.LOGOUT_PATH)
    assert tab.url.startswith(oidc["issuer"] + "/session/end")
    tab.locator("button[name=logout][value=yes]").click()  # the provider's own confirmation
    tab.wait_for_url(oidc["buut"] + login.LOGGED_OUT_PATH + "?*")  # with the provider's state
    assert tab.get_by_role("heading", name="Uitgelogd").count() == 1
    assert session_cookie(tab) is None
    assert api_status(tab, "/api/zoek?q=intake") == 401
    tab.goto(oidc["buut"] + "/werkkader/")  # the provider asks for a login again
    assert urlsplit(tab.url).port == urlsplit(oidc["issuer"]).port
    assert tab.locator("input[name=login]").count() == 1


def test_an_expired_session_is_refused_and_logs_in_again(oidc, tab):
    log_in(tab, oidc["kort"], "redacteur1")
    first = session_cookie(tab)
    assert api_status(tab, "/api/redactie") == 200
    time.sleep(first["expires"] - time.time() + 0.5 if first["expires"] > 0 else SHORT_SESSION + 0.5)
    tab.context.add_cookies([{**first, "expires": time.time() + 600}])  # the browser would still send it
    assert api_status(tab, "/api/redactie") == 401
    tab.requests.clear()
    tab.goto(oidc["kort"] + "/werkkader/")
    tab.wait_for_url(oidc["kort"] + "/werkkader/")  # the provider still knows the user: straight back
    assert any(url.startswith(oidc["issuer"] + "/auth") for url in tab.requests)
    assert session_cookie(tab)["value"] != first["value"]
    assert api_status(tab, "/api/redactie") == 200
