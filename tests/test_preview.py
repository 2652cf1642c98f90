"""`mkdocs serve`, the editors' preview, rebuilds on every kind of edit (issue 18): a page, a partner, a
data file (a team) and the glossary. Each edit must show up in the served page.

Runs the real `mkdocs serve` on a copy of the content, on a free port on 127.0.0.1.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

MKDOCS = Path(sys.executable).parent / "mkdocs"
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(repo, tmp_path):
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen([str(MKDOCS), "serve", "-a", f"127.0.0.1:{port}"], cwd=repo, stdout=log,
                                  stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            yield repo, f"http://127.0.0.1:{port}", server, log_path
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_for(base: str, path: str, text: str, server, log_path: Path) -> None:
    started = time.monotonic()
    while time.monotonic() - started < TIMEOUT:
        assert server.poll() is None, "mkdocs serve stopte:\n" + log_path.read_text(encoding="utf-8")[-3000:]
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"{path} toont na {TIMEOUT:.0f} s nog niet '{text}':\n" + log_path.read_text(encoding="utf-8")[-3000:])


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_mkdocs_serve_rebuilds_on_every_kind_of_edit(served):
    repo, base, server, log = served
    wait_for(base, "/werkkader/2-3-regie/", "Regie-ondersteuning", server, log)
    edits = [
        ("pagina", "/werkkader/2-3-regie/", lambda: replace(
            repo / "werkkader/2-3-regie.md", "## Formele regie\n", "## Formele regie\n\nEen zin om te zien of de voorvertoning meekomt.\n"),
         "Een zin om te zien of de voorvertoning meekomt."),
        ("partner", "/partners/wpi/", lambda: replace(
            repo / "partners/wpi.yml", "  WPI is de partner van het buurtteam", "  WPI is de vaste partner van het buurtteam"),
         "is de vaste partner van het buurtteam"),
        ("gegevensbestand", "/teams/oost/", lambda: replace(
            repo / "teams/oost.yml", 'bereikbaarheid: ""', "bereikbaarheid: Op werkdagen tot vijf uur bereikbaar."),
         "Op werkdagen tot vijf uur bereikbaar."),
        ("begrippenlijst", "/begrippenlijst/", lambda: replace(
            repo / "glossary.yml", "definitie: Iedereen die in een buurtteam werkt;", "definitie: Iedereen die bij een buurtteam werkt;"),
         "Iedereen die bij een buurtteam werkt;"),
    ]
    for kind, path, edit, expected in edits:
        time.sleep(1)  # a save a moment after the previous build, as an editor does
        edit()
        wait_for(base, path, expected, server, log)
