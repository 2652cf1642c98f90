"""`buut serve` stays up and answers right (issue 13): idle sockets, concurrent searches, odd requests.

The servers here listen on 127.0.0.1 only, on a free port, and every loop is bounded.
"""
from __future__ import annotations

import gzip
import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from buut import search
from buut.build.project import load_project
from buut.serve.app import BASE_HEADERS, SiteApp, create_server


@pytest.fixture(scope="module")
def server(built_root):
    searcher = search.Searcher.open(search.index_dir(built_root, "intranet"), load_project(built_root))
    searcher.cache_size = 0  # every answer is searched, none remembered
    app = SiteApp(built_root / "site" / "intranet", searcher)
    running = create_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield running.effective_port
    running.close()


def get(port: int, path: str, headers: dict | None = None, timeout: float = 10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()  # names: any case
    finally:
        connection.close()


def test_many_idle_connections_do_not_lock_users_out(server):
    idle = []
    try:
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", server), timeout=5))
        time.sleep(0.5)  # waitress has accepted them all by now
        started = time.monotonic()
        status, _, body = get(server, "/", timeout=10)  # waitress' default: no answer for ~2 minutes
        waited = time.monotonic() - started
        assert status == 200 and b'lang="nl"' in body, waited
    finally:
        for connection in idle:
            connection.close()


QUERIES = ["schuldhulp", "pgb", "eerste gesprek", "dagbesteding", "veilig thuis", "regie", "privacy",
           "wmo", "buurtteam", "mantelzorg", "ondersteuningsplan", "huiselijk geweld", "okt", "wijkagent",
           "inkomen", "jeugd", "woonurgentie", "beschermd wonen", "casus", "toegang", "netwerk", "school",
           "schulden", "budget", "werkproces", "vraagverheldering", "maatwerk", "opvang", "vervoer", "huishouden"]


def test_concurrent_searches_never_fail(server):
    """16 clients, distinct queries, the answer cache off: every answer is a real answer."""
    failures, answered = [], []

    def client(number: int):
        for round_ in range(12):
            query = f"{QUERIES[(number + round_) % len(QUERIES)]} {QUERIES[(number * 7 + round_) % len(QUERIES)]}"
            status, _, body = get(server, "/api/zoek?q=" + quote(query))
            data = json.loads(body)
            answered.append(query)
            if status != 200 or (data.get("message") or "").startswith("Zoeken lukt nu niet"):
                failures.append((query, status, data.get("message")))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(client, range(16)))
    assert len(answered) == 16 * 12
    assert failures == []


@pytest.mark.parametrize("path", ["/" + "a" * 300, "/werkkader/" + quote("é" * 200) + "/", "/" + "x/" * 2000,
                                  "/%ff%fe", "/" + quote("naam\x01")])
def test_long_or_odd_paths_are_404(server, path):
    status, headers, _ = get(server, path)
    assert status == 404
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_waitress_own_errors_carry_the_security_headers(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nee\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.startswith("HTTP/1.1 400")
    for name, value in BASE_HEADERS:
        assert f"{name}: {value}" in head
    assert "Content-Security-Policy: default-src 'self'" in head


def test_static_files_have_validators_and_304(server):
    status, headers, _ = get(server, "/werkkader/")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(server, "/werkkader/", {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(server, "/werkkader/", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(server, "/werkkader/", {"If-None-Match": '"iets-anders"'})[0] == 200


def test_compressed_sitemap_says_it_is_compressed(server):
    status, headers, body = get(server, "/sitemap.xml.gz")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("application/xml")
    assert b"<urlset" in gzip.decompress(body)


def test_csp_allows_only_the_theme_inline_scripts(server, built_root):
    _, headers, _ = get(server, "/")
    script_src = headers["Content-Security-Policy"].split("script-src", 1)[1].split(";", 1)[0]
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src


def test_a_failure_inside_buut_is_a_dutch_500_with_headers(built_root):
    app = SiteApp(built_root / "site" / "intranet")

    def broken(environ):
        raise RuntimeError("kapot")

    app.routes["/api/kapot"] = broken
    answer = {}
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/kapot"},
                        lambda status, headers: answer.update(status=status, headers=dict(headers))))
    assert answer["status"].startswith("500") and "Er ging iets mis" in body.decode()
    assert answer["headers"]["X-Frame-Options"] == "DENY"
    assert b"kapot" not in body and b"Traceback" not in body
