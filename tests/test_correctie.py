"""The correction route of the public site (issue 25, point 5): "Klopt er iets niet op deze pagina?"
on every page of Wijknetwerken, through nginx to a real `buut serve`, onto the editors' worklist.

One `buut serve` (with login through a proxy, so the route must work without one) serves the whole
module. It believes X-Real-IP from 127.0.0.1 (nginx) and 127.0.0.2 (this test acting as a
proxy); 127.0.0.3 is a peer it must not believe. Linux answers on all of 127.0.0.0/8.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from servers import buut_serve, free_port
from test_browser import BLOCKING_IMPACTS, describe, run_axe
from test_deploy import _certificate, _nginx, _stop, place  # noqa: F401 - place: a folder nginx may read

from buut.build import leakgate, theme_policy
from buut.build.project import load_project
from buut.serve.app import SECURITY_HEADERS

ORIGIN = "https://wijknetwerken.example"
EDITOR = {"X-Forwarded-User": "redacteur", "X-Forwarded-Groups": "redactie"}
PATH = "/api/publiek/feedback"


@pytest.fixture(scope="module")
def server(built_root, tmp_path_factory):
    database = tmp_path_factory.mktemp("correctie") / "buut.sqlite3"
    publiek = free_port()  # where nginx will serve the public site: its pages may send reports
    env = {"BUUT_ORIGIN": f"{ORIGIN},https://127.0.0.1:{publiek}", "BUUT_GROEP_REDACTIE": "redactie",
           "BUUT_SESSION_SECRET": "x" * 40}
    with buut_serve("--no-build", "--auth", "proxy", "--trusted-proxy", "127.0.0.1,127.0.0.2", "--root",
                    str(built_root), "--database", str(database), env=env) as (base, _):
        yield {"port": int(base.rsplit(":", 1)[1]), "database": database, "publiek": publiek}


def request(server, method: str, path: str, body: dict | None = None, source: str = "127.0.0.2",
            headers: dict | None = None) -> tuple[int, dict, dict]:
    """One request from `source` (a loopback address); (status, JSON answer, headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=20, source_address=(source, 0))
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", "Origin": ORIGIN, **(headers or {})}
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else {}), dict(response.getheaders())
    finally:
        connection.close()


def report(server, pagina: str, tekst: str, client: str, organisatie: str | None = None, source="127.0.0.2"):
    body = {"pagina": pagina, "tekst": tekst, **({"organisatie": organisatie} if organisatie is not None else {})}
    return request(server, "POST", PATH, body, source, {"X-Real-IP": client})


def worklist(server) -> list[dict]:
    status, answer, _ = request(server, "GET", "/api/redactie", headers=EDITOR)
    assert status == 200, answer
    return [m for owner in answer["eigenaren"] for m in owner["meldingen"]]


def owner_in_front_matter(root: Path, source: str) -> str:
    return re.search(r"^eigenaar:\s*(\S+)", (root / source).read_text(encoding="utf-8"), re.M).group(1)


def test_every_public_page_offers_the_route_and_keeps_the_fixed_csp(built_root, built_public, built_site):
    pages = sorted(built_public.rglob("index.html"))
    assert len(pages) > 50
    meta_csp = f'<meta http-equiv="Content-Security-Policy" content="{theme_policy.csp(meta=True)}">'
    for path in pages:
        html = path.read_text(encoding="utf-8")
        url = path.parent.relative_to(built_public).as_posix()
        url = "" if url == "." else url + "/"
        assert f'data-buut-correctie="" data-buut-pagina="{url}"' in html, path
        assert "<summary>Klopt er iets niet op deze pagina?</summary>" in html, path
        # without a receiver (files, mkdocs serve) this sentence stays and the form stays hidden
        assert "kunt u geen melding versturen" in html and '<form class="buut-correctie__formulier" hidden' in html
        assert 'src="' in html and "javascripts/correctie.js" in html, path
        assert html.count("Content-Security-Policy") == 1 and meta_csp in html, path
    assert not any("data-buut-correctie" in p.read_text(encoding="utf-8") for p in built_site.rglob("index.html"))
    assert leakgate.verify(built_public, leakgate.internal_of(load_project(built_root))) == []


def test_a_partners_report_reaches_the_worklist_with_owner_and_label(server, built_root, buut):
    tekst = "Het adres van dit buurtteam is verhuisd naar de overkant"
    status, answer, headers = report(server, "/werkkader/2-6-privacy/", tekst, "198.51.100.1",
                                     organisatie="Wijkcentrum De Proef")
    assert status == 201, answer
    assert answer["bericht"].startswith("Dank u wel. Uw melding is doorgegeven aan de redactie")
    assert headers["Content-Security-Policy"] == dict(SECURITY_HEADERS)["Content-Security-Policy"]
    [stored] = [m for m in worklist(server) if m["tekst"] == tekst]
    assert stored["eigenaar"] == owner_in_front_matter(built_root, "werkkader/2-6-privacy.md")
    assert stored["pagina"] == "werkkader/2-6-privacy/"
    assert (stored["bron"], stored["herkomst"], stored["organisatie"]) == \
        ("publiek", "van de publieke site", "Wijkcentrum De Proef")
    text = buut("redactie", "--database", str(server["database"]), root=built_root)
    assert text.exit_code == 0, text.output
    assert f"[van de publieke site, organisatie: Wijkcentrum De Proef]: {tekst}" in text.output
    # the public start page is the public site's own, with its own owner
    status, answer, _ = report(server, "", "Op de startpagina mist een uitleg", "198.51.100.1")
    assert status == 201, answer
    [home] = [m for m in worklist(server) if m["tekst"] == "Op de startpagina mist een uitleg"]
    assert home["eigenaar"] == owner_in_front_matter(built_root, "publiek/index.md")
    titel = re.search(r"^titel:\s*\"?(.*?)\"?$", (built_root / "publiek/index.md").read_text(), re.M).group(1)
    assert home["titel"] == titel


def test_personal_data_is_refused_and_nothing_is_stored(server):
    for tekst, organisatie, said in [("Bel mevrouw even op 06-12345678", None, "een telefoonnummer"),
                                     ("Het adres klopt niet", "mevrouw Jansen", "een naam")]:
        status, answer, _ = report(server, "werkkader/2-6-privacy/", tekst, "198.51.100.2", organisatie)
        assert status == 422, answer
        assert answer["fout"].startswith(f"Uw tekst lijkt {said}") and "Er is niets opgeslagen" in answer["fout"]
        assert "BUUT" not in answer["fout"]
        assert not [m for m in worklist(server) if m["tekst"] == tekst]


def test_an_intranet_page_or_another_site_is_refused(server, built_site, built_public):
    intranet_only = sorted(p.parent.relative_to(built_site).as_posix() + "/"
                           for p in built_site.glob("werkinstructies/*/index.html")
                           if not (built_public / p.parent.relative_to(built_site)).exists())
    assert intranet_only
    status, answer, _ = report(server, intranet_only[0], "Dit klopt niet", "198.51.100.3")
    assert status == 400 and "staat niet op Wijknetwerken" in answer["fout"], answer
    status, answer, _ = request(server, "POST", PATH, {"pagina": "", "tekst": "Hallo"}, "127.0.0.2",
                                {"Origin": "https://elders.example", "X-Real-IP": "198.51.100.3"})
    assert status == 403 and "Wijknetwerken" in answer["fout"], answer


def test_the_rate_limit_counts_per_partner_address_and_believes_only_a_trusted_proxy(server):
    def send(client: str, source: str) -> int:
        return report(server, "", "Telt mee voor de limiet", client, source=source)[0]

    statuses = [send("198.51.100.4", "127.0.0.2") for _ in range(11)]
    assert statuses[:10] == [201] * 10 and statuses[10] == 429, statuses
    assert send("198.51.100.5", "127.0.0.2") == 201  # another partner behind the same proxy
    # a peer that is no trusted proxy: its X-Real-IP does not count, its own address does
    statuses = [send(f"203.0.113.{n}", "127.0.0.3") for n in range(11)]
    assert statuses[:10] == [201] * 10 and statuses[10] == 429, statuses
    status, answer, _ = report(server, "", "Nog een", "203.0.113.99", source="127.0.0.3")
    assert status == 429 and answer["fout"].startswith("U hebt in korte tijd veel berichten gestuurd")


def test_nginx_passes_only_the_public_report_to_buut_serve_and_a_partner_sends_one_in_two_clicks(
        server, built_root, built_public, buut, place, browser):
    nginx = _nginx()
    releases = place / "releases"
    made = buut("release", "--map", str(releases), root=built_root)
    assert made.exit_code == 0, made.output
    cert, key = _certificate(place)
    intranet, publiek = free_port(), server["publiek"]
    for folder in ("logs", "temp"):
        (place / folder).mkdir()
    rendered = buut("nginx", "--server", f"127.0.0.1:{server['port']}", "--release", str(releases), "--cert", str(cert),
                    "--sleutel", str(key), "--intranet", f"127.0.0.1:{intranet}", "--publiek", f"127.0.0.1:{publiek}",
                    "--gebruiker", "nobody nogroup" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
                    "--pid", str(place / "nginx.pid"), "--logs", str(place / "logs"), "--temp", str(place / "temp"))
    assert rendered.exit_code == 0, rendered.output
    config = place / "nginx.conf"
    config.write_text(rendered.output, encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-q", "-p", str(place), "-c", str(config)], capture_output=True, text=True,
                             timeout=60)
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen([nginx, "-p", str(place), "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", publiek), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        def ask(method: str, path: str, body: dict | None = None) -> tuple[int, list, bytes]:
            connection = http.client.HTTPSConnection("127.0.0.1", publiek, context=context, timeout=20)
            try:
                connection.request(method, path, body=json.dumps(body).encode() if body else None,
                                   headers={"Content-Type": "application/json", "Origin": ORIGIN,
                                            "X-Real-IP": "192.0.2.66"})
                response = connection.getresponse()
                return response.status, response.getheaders(), response.read()
            finally:
                connection.close()

        def fixed_headers(headers: list) -> None:
            for name, value in SECURITY_HEADERS:  # each once: buut serve's own are hidden by nginx
                assert [v for n, v in headers if n.lower() == name.lower()] == [value], name

        status, headers, _ = ask("GET", "/api/feedback")  # "can a report be sent here?": nginx itself
        assert status == 204
        fixed_headers(headers)
        tekst = "Via nginx: de openingstijden op deze pagina kloppen niet meer"
        status, headers, body = ask("POST", "/api/feedback", {"pagina": "teams/", "tekst": tekst})
        assert status == 201, body
        fixed_headers(headers)
        assert [m["herkomst"] for m in worklist(server) if m["tekst"] == tekst] == ["van de publieke site"]
        assert ask("PUT", "/api/feedback", {"pagina": "teams/", "tekst": tekst})[0] == 405
        assert ask("POST", "/api/publiek/feedback", {"pagina": "teams/", "tekst": tekst})[0] == 403  # files only
        assert ask("POST", "/api/redactie/afhandelen", {"id": 1})[0] == 403
        walk_the_route(browser, f"https://127.0.0.1:{publiek}", built_public, server)
    finally:
        _stop(proxy)


def walk_the_route(browser, site: str, files: Path, server) -> None:
    """A partner on a partner page: click 1 opens the form, click 2 sends; the same page opened as a
    file says that sending is not possible there."""
    context = browser.new_context(locale="nl-NL", ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(site + "/partners/regenbooggroep/", wait_until="networkidle")
        assert "Klopt er iets niet op deze pagina?" in page.locator(".buut-melden").inner_text()
        page.get_by_text("Klopt er iets niet op deze pagina?", exact=True).click()  # click 1
        tekst = "De website van deze organisatie is www.regenbooggroep.nl"
        page.get_by_label("Wat klopt er niet, of wat ontbreekt er?").fill(tekst)
        page.get_by_label("Uw organisatie (niet verplicht)").fill("Regenbooggroep")
        page.get_by_role("button", name="Versturen").click()  # click 2
        status = page.locator(".buut-correctie__status")
        status.get_by_text("Dank u wel.").wait_for()
        assert "Uw melding is doorgegeven aan de redactie" in status.inner_text()
        [stored] = [m for m in worklist(server) if m["tekst"] == tekst]
        assert (stored["pagina"], stored["herkomst"], stored["organisatie"]) == \
            ("partners/regenbooggroep/", "van de publieke site", "Regenbooggroep")
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, describe(blocking)

        # the editor's Redactie page on the intranet (the test's browser passes the proxy's identity)
        editor = browser.new_context(locale="nl-NL", extra_http_headers=EDITOR)
        try:
            redactie = editor.new_page()
            redactie.goto(f"http://127.0.0.1:{server['port']}/redactie/", wait_until="networkidle")
            item = redactie.locator(f"li[data-melding-id='{stored['id']}']")
            assert item.locator(".buut-herkomst").inner_text() == "van de publieke site (Regenbooggroep)"
            assert tekst in item.inner_text() and item.get_attribute("data-buut-eigenaar") == stored["eigenaar"]
        finally:
            editor.close()

        page.goto((files / "partners" / "regenbooggroep" / "index.html").as_uri())
        page.get_by_text("Klopt er iets niet op deze pagina?", exact=True).click()
        assert page.get_by_text("kunt u geen melding versturen").is_visible()
        assert not page.get_by_role("button", name="Versturen").is_visible()
    finally:
        context.close()
