"""A throw-away PostgreSQL server for the store tests, and one fresh schema per test.

Set BUUT_TEST_POSTGRES_URL to use a server you already have. Otherwise the session starts its own
from Debian's `postgresql` binaries (bash scripts/test.sh installs them) on a free local port, in a
temporary folder, as user `nobody` when the tests run as root (PostgreSQL refuses to run as root),
and removes it afterwards. Without PostgreSQL the tests fail: they never skip.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

URL_ENV = "BUUT_TEST_POSTGRES_URL"


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


class Unavailable(Exception):
    pass


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server: $BUUT_TEST_POSTGRES_URL, or one started for this session."""
    given = os.environ.get(URL_ENV)
    if given:
        yield given
        return
    try:
        with throwaway_server() as url:
            yield url
    except Unavailable as error:
        pytest.fail(str(error), pytrace=False)


@contextmanager
def throwaway_server():
    """Start PostgreSQL in a temporary folder on a free port; stop and remove it afterwards."""
    binaries = _binaries()
    if binaries is None:
        raise Unavailable("PostgreSQL ontbreekt: geen pg_ctl gevonden. Installeer het met `apt-get install postgresql` "
                          f"(bash scripts/test.sh doet dat) of zet {URL_ENV}.")
    folder = Path(tempfile.mkdtemp(prefix="buut-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody", "nogroup")
    port = _free_port()
    try:
        subprocess.run(_as_user([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                 "--no-sync", "-E", "UTF8", "--locale=C"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_user([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                                 "-t", "60", "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
                                 "-c fsync=off -c max_connections=50", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").is_file() else ""
        shutil.rmtree(folder, ignore_errors=True)
        output = getattr(error, "stderr", b"") or b""
        raise Unavailable(f"PostgreSQL start niet: {error}\n{output.decode(errors='replace')}\n{log}") from None
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_schema(server_url: str) -> str:
    """A URL whose connections use a new, empty schema: every test starts from nothing."""
    import psycopg

    schema = "test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in server_url else "?"
    return f"{server_url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A new, empty database: an SQLite file, or a schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "db" / "buut.sqlite3")
        return
    server = request.getfixturevalue("postgres_server")
    url = fresh_schema(server)
    yield url
    import psycopg

    schema = url.rsplit("search_path%3D", 1)[1]
    with psycopg.connect(server, autocommit=True) as connection:  # leave a given server as it was
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
