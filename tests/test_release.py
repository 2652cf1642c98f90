"""Health endpoints, releases as a read-only artefact, and the PostgreSQL pool of a server."""
from __future__ import annotations

import json
import shlex
import shutil
import threading
import time
from pathlib import Path

from servers import buut_serve, get

from buut.serve.store import open_store
from postgres import fresh_schema


def test_a_release_server_answers_health_and_turns_with_current(built_root, tmp_path, buut):
    releases, db = tmp_path / "releases", tmp_path / "db"
    env = {"BUUT_DATABASE": str(db / "buut.sqlite3")}
    with buut_serve("--release", str(releases), "--root", str(built_root), env=env) as (base, _):
        # Alive, but nothing to serve yet: not ready, and pages say why in Dutch.
        assert get(base + "/healthz")[0] == 200
        status, headers, body = get(base + "/readyz")
        assert status == 503 and headers["Retry-After"] == "5"
        assert json.loads(body)["redenen"] == ["De zoekindex is niet geopend."]
        status, _, body = get(base + "/")
        assert status == 503 and "nog geen release" in body.decode()

        first = buut("release", "--map", str(releases), root=built_root)
        assert first.exit_code == 0, first.output
        status, headers, body = get(base + "/readyz")
        assert (status, json.loads(body)) == (200, {"status": "klaar"})
        assert headers["Cache-Control"] == "no-store" and "default-src 'self'" in headers["Content-Security-Policy"]
        assert get(base + "/")[0] == 200
        search = json.loads(get(base + "/api/zoek?q=pgb&n=1")[2])
        assert search["results"] and search["card"]["titel"] == "Persoonsgebonden budget"

        time.sleep(1.1)  # a release is named by the second it was published
        second = buut("release", "--map", str(releases), root=built_root)
        assert second.exit_code == 0, second.output
        newest = (releases / "current").resolve()
        page = newest / "intranet" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>Tweede release</p></main>"),
                        encoding="utf-8")
        assert b"Tweede release" in get(base + "/")[2]
        back = buut("release", "--terug", "--map", str(releases), root=built_root)
        assert back.exit_code == 0 and first.output.split()[1] in back.output, back.output
        assert b"Tweede release" not in get(base + "/")[2]

        # The store goes away: still alive, no longer ready, with the reason.
        shutil.rmtree(db)
        assert get(base + "/healthz")[0] == 200
        status, _, body = get(base + "/readyz")
        assert status == 503 and json.loads(body)["redenen"] == ["De database voor feedback antwoordt niet."]
        assert get(base + "/readyz", method="POST")[0] == 405


def test_a_release_needs_a_build_and_going_back_needs_an_earlier_one(tmp_path, buut):
    made = buut("release", "--map", str(tmp_path / "releases"), root=tmp_path)
    assert made.exit_code == 2 and "Geen release gemaakt: er is geen volledige build" in made.output
    back = buut("release", "--terug", "--map", str(tmp_path / "releases"), root=tmp_path)
    assert back.exit_code == 2 and "geen eerdere release" in back.output


def test_nginx_config_needs_a_release(tmp_path, buut):
    result = buut("nginx", "--server", "127.0.0.1:8001", "--release", str(tmp_path), "--cert", "c.pem",
                  "--sleutel", "k.pem")
    assert result.exit_code == 2 and "publiceer eerst een release" in result.output


def _connections(server: str) -> int:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        return connection.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'buut serve'"
                                  ).fetchone()[0]


def test_a_server_store_keeps_its_postgresql_connections_in_a_pool(postgres_server):
    before = _connections(postgres_server)
    store = open_store(fresh_schema(postgres_server), pool_size=3)
    ids, errors = [], []

    def write(writer: int):
        try:
            for number in range(10):
                ids.append(store.record_feedback("", "redactie-werkkader", "melding", f"schrijver {writer} bericht {number}"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(ids)) == 80 and len(store.reports()) == 80
    assert 1 <= _connections(postgres_server) - before <= 3, "8 schrijvers delen hoogstens 3 verbindingen"
    store.close()
    assert _connections(postgres_server) == before


DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_the_systemd_unit_runs_buut_serve_with_options_it_has():
    from buut.cli import serve

    unit = (DEPLOY / "systemd" / "buut@.service").read_text(encoding="utf-8")
    [command] = [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith("ExecStart=")]
    program, subcommand, *args = shlex.split(command.replace("%i", "8001"))
    assert program.endswith("/.venv/bin/buut") and subcommand == "serve"
    context = serve.make_context("serve", args)  # an unknown or malformed option raises here
    assert context.params["port"] == 8001 and context.params["host"] == "127.0.0.1"
    assert str(context.params["releases"]) == "/srv/buut/releases"


def test_every_setting_of_the_environment_file_is_on_the_operators_page():
    page = (DEPLOY.parent / "docs" / "handboek" / "beheer.md").read_text(encoding="utf-8")
    example = (DEPLOY / "systemd" / "buut.env.example").read_text(encoding="utf-8")
    names = [line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")]
    assert names and all(f"`{name}`" in page for name in names), names
