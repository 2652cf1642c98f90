"""The deployment recipe of deploy/ on loopback: nginx (Debian's) with TLS in front of two
`buut serve` processes that share one PostgreSQL and serve one release.

8 clients read pages, search and send reports for 20 s; halfway one server is killed. Every
accepted report is stored exactly once, no page or search that begins after the killed process is
gone fails (nginx moves to the other server; a response already on its way when the process died
breaks off, at most one per client), and 2,000 slow connections to nginx do not keep a normal
request waiting for more than 2 s.
The figures are printed (pytest -s) and kept on the Prestaties page.
"""
from __future__ import annotations

import http.client
import json
import os
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from servers import buut_serving, free_port, get

from buut.serve.app import SiteApp
from postgres import fresh_schema

pytestmark = pytest.mark.deploy

CLIENTS, SECONDS, SLOW = 8, 20.0, 2000
SEARCHES = ["pgb aanvragen", "intake", "schuldhulpverlening", "wie beslist over huishoudelijke hulp", "okt", "privacy"]


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        pytest.fail("nginx ontbreekt: installeer Debians nginx (bash scripts/test.sh doet dat).", pytrace=False)
    return found


@pytest.fixture
def place():
    """A folder that nginx' worker user may read (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="buut-deploy-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


class Client(threading.Thread):
    """One medewerker over one kept-alive HTTPS connection: pages, searches and now and then a report."""

    def __init__(self, number: int, port: int, context: ssl.SSLContext, pages: list[str], stop: float, log: list):
        super().__init__(daemon=True)
        self.number, self.port, self.context, self.pages, self.stop, self.log = number, port, context, pages, stop, log
        self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                self.connection = None
                # nginx closed a kept-alive connection between two requests: that is no failure of
                # a request, so a GET is sent again on a new connection (a browser does the same).
                if attempt == 2 or method != "GET" or not isinstance(error, (http.client.RemoteDisconnected,
                                                                              ConnectionResetError, BrokenPipeError)):
                    return None, repr(error).encode()

    def run(self):
        number = 0
        origin = f"https://127.0.0.1:{self.port}"
        while time.monotonic() < self.stop:
            number += 1
            started = time.monotonic()
            if number % 5 == 0:
                text = f"Proefmelding {self.number}-{number} uit de meerserverstest"
                body = json.dumps({"pagina": "/", "soort": "melding", "tekst": text}).encode()
                status, answer = self.request("POST", "/api/feedback", body,
                                              {"Content-Type": "application/json", "Origin": origin})
                kind = "melding"
            elif number % 2:
                status, answer = self.request("GET", self.pages[(self.number + number) % len(self.pages)])
                kind, text = "pagina", None
            else:
                query = SEARCHES[(self.number + number) % len(SEARCHES)].replace(" ", "+")
                status, answer = self.request("GET", f"/api/zoek?q={query}&n=5")
                kind, text = "zoeken", None
                if status == 200 and not json.loads(answer)["results"]:
                    status = "leeg"
            if status is None:
                text = answer.decode(errors="replace")  # what went wrong, for the message of the test
            self.log.append((started, time.monotonic(), kind, status, text))
        if self.connection is not None:
            self.connection.close()


def _slow_connections(port: int, count: int) -> list[socket.socket]:
    """Connections that start a TLS handshake and then say nothing more (a slow client, or an attack)."""
    held = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"\x16\x03\x01")  # the first bytes of a TLS record, never finished
        held.append(sock)
    return held


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def test_nginx_two_servers_and_postgresql_survive_a_killed_server_and_slow_clients(built_root, postgres_server, place,
                                                                                     buut):
    nginx = _nginx()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < SLOW + 512:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, SLOW + 1024), hard))
    releases = place / "releases"
    made = buut("release", "--map", str(releases), root=built_root)
    assert made.exit_code == 0, made.output
    release = (releases / "current").resolve()
    cert, key = _certificate(place)
    intranet, publiek = free_port(), free_port()
    database = fresh_schema(postgres_server)
    env = {"BUUT_DATABASE": database, "BUUT_ORIGIN": f"https://127.0.0.1:{intranet}", "BUUT_DATABASE_POOL": "4"}
    ports = [free_port(), free_port()]

    with ExitStack() as stack:
        servers = stack.enter_context(buut_serving([["--release", str(releases), "--root", str(built_root)]] * 2,
                                                   env, ports))
        for base, _ in servers:
            for _ in range(300):
                if get(base + "/readyz", timeout=5)[0] == 200:
                    break
                time.sleep(0.2)
            assert get(base + "/readyz")[0] == 200, f"{base} wordt niet klaar"

        for folder in ("logs", "temp"):
            (place / folder).mkdir()
        root_user = os.geteuid() == 0
        rendered = buut("nginx", *[a for port in ports for a in ("--server", f"127.0.0.1:{port}")],
                        "--release", str(releases), "--cert", str(cert), "--sleutel", str(key),
                        "--intranet", f"127.0.0.1:{intranet}", "--publiek", f"127.0.0.1:{publiek}",
                        "--gebruiker", "nobody nogroup" if root_user else os.environ.get("USER", "nobody"),
                        "--pid", str(place / "nginx.pid"), "--logs", str(place / "logs"), "--temp", str(place / "temp"))
        assert rendered.exit_code == 0, rendered.output
        config = place / "nginx.conf"
        config.write_text(rendered.output, encoding="utf-8")
        checked = subprocess.run([nginx, "-t", "-q", "-p", str(place), "-c", str(config)], capture_output=True,
                                 text=True, timeout=60)
        assert checked.returncode == 0, checked.stderr
        proxy = subprocess.Popen([nginx, "-p", str(place), "-c", str(config), "-g", "daemon off;"],
                                 stderr=subprocess.PIPE)
        stack.callback(_stop, proxy)
        context = ssl.create_default_context(cafile=str(cert))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", intranet), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        # The public site: files of the release, with the same headers as buut serve would send.
        public = http.client.HTTPSConnection("127.0.0.1", publiek, context=context, timeout=10)
        public.request("GET", "/")
        answer = public.getresponse()
        assert answer.status == 200 and b'<html lang="nl"' in answer.read()
        for name, value in SiteApp(release / "publiek").security_headers():
            assert answer.getheader(name) == value, name
        assert answer.getheader("Strict-Transport-Security") == "max-age=31536000"
        public.close()

        pages = sorted("/" + str(p.parent.relative_to(release / "intranet")).replace(".", "").strip("/") + "/"
                       for p in (release / "intranet").glob("*/index.html"))
        pages = [p.replace("//", "/") for p in pages][:12] + ["/"]
        log: list = []
        began = time.monotonic()
        clients = [Client(n, intranet, context, pages, began + SECONDS, log) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        time.sleep(SECONDS / 2)
        killed_at = time.monotonic()
        servers[0][1].send_signal(signal.SIGKILL)
        servers[0][1].wait(timeout=30)
        gone_at = time.monotonic()  # a request nginx had already begun to answer from it may break off
        for client in clients:
            client.join(timeout=SECONDS + 60)

        reads = [entry for entry in log if entry[2] in ("pagina", "zoeken")]
        # A response that was on its way when the process died cannot be finished by anyone: nginx
        # has sent its headers already. Every request that began after the process was gone must work.
        in_flight = [entry for entry in reads if entry[0] < gone_at and entry[1] >= killed_at]
        failed = [entry for entry in reads if entry[3] != 200 and entry not in in_flight]
        broken_off = [entry for entry in in_flight if entry[3] != 200]
        after = [entry for entry in reads if entry[0] >= gone_at]
        accepted = [entry[4] for entry in log if entry[2] == "melding" and entry[3] == 201]
        refused = [entry for entry in log if entry[2] == "melding" and entry[3] != 201]

        import psycopg

        with psycopg.connect(database) as connection:
            stored = dict(connection.execute("SELECT tekst, count(*) FROM feedback GROUP BY tekst").fetchall())

        # 2,000 connections that never finish their handshake, and a medewerker who just wants a page.
        held = _slow_connections(intranet, SLOW)
        waits = []
        for _ in range(5):
            started = time.monotonic()
            normal = http.client.HTTPSConnection("127.0.0.1", intranet, context=context, timeout=30)
            normal.request("GET", "/werkkader/")
            status = normal.getresponse().status
            waits.append((time.monotonic() - started, status))
            normal.close()
        still_open = 0
        for sock in held:
            sock.setblocking(False)
            try:
                still_open += sock.recv(1) != b""
            except BlockingIOError:
                still_open += 1
            except OSError:
                pass
            sock.close()

        # A request larger than any form sends: nginx refuses it on its announced length, before
        # reading the body (so only the headers are sent here).
        too_big = http.client.HTTPSConnection("127.0.0.1", intranet, context=context, timeout=10)
        too_big.putrequest("POST", "/api/feedback")
        too_big.putheader("Content-Type", "application/json")
        too_big.putheader("Content-Length", "100000")
        too_big.endheaders()
        big_status = too_big.getresponse().status
        too_big.close()

    durations = [end - start for start, end, *_ in reads]
    print(f"\nmeerserverstest: {len(log)} verzoeken in {SECONDS:.0f} s ({len(reads)} pagina's en zoekvragen, "
          f"{len(accepted)} meldingen aangenomen, {len(refused)} geweigerd), {len(after)} lezen na het stoppen van "
          f"een server, waarvan {len([e for e in after if e[3] != 200])} mislukt; p95 {_p95(durations) * 1000:.0f} ms; "
          f"mediaan {sorted(durations)[len(durations) // 2] * 1000:.0f} ms; {still_open} trage verbindingen open, "
          f"normaal verzoek in {max(w for w, _ in waits):.2f} s; {len(broken_off)} van {len(in_flight)} verzoeken "
          f"onderweg tijdens het stoppen afgebroken")
    assert not failed, (f"{len(failed)} pagina's of zoekvragen mislukten (server gestopt na "
                        f"{killed_at - began:.1f} s), bijvoorbeeld {[(e[0] - began, *e[2:]) for e in failed[:3]]}")
    assert len(broken_off) <= CLIENTS, broken_off  # one request per client at most was on its way
    assert len(after) > 50, "na het stoppen van een server kwamen te weinig verzoeken door"
    assert accepted, "geen enkele melding aangenomen"
    for text in accepted:
        assert stored.get(text) == 1, f"{text!r} is {stored.get(text, 0)} keer opgeslagen"
    assert all(count == 1 for count in stored.values()), "een melding staat dubbel in de database"
    assert still_open >= SLOW * 0.95, f"nginx hield maar {still_open} van de {SLOW} trage verbindingen open"
    assert all(status == 200 and wait <= 2.0 for wait, status in waits), waits
    assert big_status == 413


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGQUIT)  # nginx: finish what is in progress, then stop
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
