"""The feedback store (buut/serve/store/): the same tests on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from buut.serve.store import StoreError, database_url as resolve_url, migrations, open_store
from buut.serve.store.base import migrations as migration_files


def test_feedback_is_stored_and_read_back_per_owner(database_url):
    store = open_store(database_url)
    first = store.record_feedback("werkkader/2-6-privacy/", "redactie-werkkader", "melding", "Link naar §2.4 werkt niet")
    second = store.record_feedback("partners/veilig-thuis/", "redactie-partners", "melding", "Adres ontbreekt")
    store.record_feedback("werkkader/2-6-privacy/", "redactie-werkkader", "niet-nuttig")
    store.record_feedback("werkkader/2-6-privacy/", "redactie-werkkader", "niet-nuttig", "Geen voorbeeld")
    store.record_feedback("werkkader/2-6-privacy/", "redactie-werkkader", "nuttig")
    assert first != second
    reports = store.reports("redactie-werkkader")
    assert [(r.pagina, r.soort, r.tekst) for r in reports] == [
        ("werkkader/2-6-privacy/", "melding", "Link naar §2.4 werkt niet"),
        ("werkkader/2-6-privacy/", "niet-nuttig", "Geen voorbeeld")]
    assert {r.eigenaar for r in store.reports()} == {"redactie-werkkader", "redactie-partners"}
    [rating] = store.ratings("redactie-werkkader")
    assert (rating.pagina, rating.nuttig, rating.niet_nuttig) == ("werkkader/2-6-privacy/", 1, 2)
    assert store.ratings("redactie-partners") == []


def test_failed_searches_are_counted_most_frequent_first(database_url):
    store = open_store(database_url)
    for query in ["pgb aanvragen", "wmo vervoer", "pgb aanvragen", "pgb aanvragen", "wmo vervoer", "huurschuld"]:
        store.record_failed_search(query)
    assert [(q.vraag, q.aantal) for q in store.failed_searches()] == [
        ("pgb aanvragen", 3), ("wmo vervoer", 2), ("huurschuld", 1)]
    assert len(store.failed_searches(limit=1)) == 1


def test_a_handled_report_leaves_the_list(database_url):
    store = open_store(database_url)
    ident = store.record_feedback("werkkader/", "redactie-werkkader", "melding", "Typfout in de inleiding")
    assert [r.id for r in store.reports()] == [ident]
    assert store.mark_handled(ident) is True
    assert store.reports() == []
    assert store.mark_handled(ident) is False, "een tweede keer afhandelen meldt dat er niets open staat"
    assert store.mark_handled(ident + 1000) is False


def test_a_restart_loses_nothing(database_url):
    store = open_store(database_url)
    ident = store.record_feedback("werkkader/", "redactie-werkkader", "melding", "Blijft dit staan?")
    store.record_failed_search("ggz wachttijd")
    del store
    again = open_store(database_url)
    assert [r.id for r in again.reports()] == [ident]
    assert [q.vraag for q in again.failed_searches()] == ["ggz wachttijd"]
    assert again.version() == migration_files()[-1][0]


def test_concurrent_writers_lose_nothing(database_url):
    open_store(database_url)  # create the schema once, as `buut serve` does at start
    writers, each = 8, 15
    errors = []

    def write(number):
        try:
            store = open_store(database_url)
            for i in range(each):
                store.record_feedback("werkkader/", "redactie-werkkader", "melding", f"schrijver {number} melding {i}")
                store.record_failed_search("samen zoeken")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    store = open_store(database_url)
    assert len(store.reports()) == writers * each
    assert store.failed_searches()[0].aantal == writers * each


def test_migrations_are_numbered_and_applied_once(database_url):
    numbers = [n for n, _, _ in migration_files()]
    assert numbers == list(range(1, len(numbers) + 1)), "migraties zijn doorlopend genummerd vanaf 0001"
    store = open_store(database_url)
    assert store.migrate() == numbers[-1]
    assert store.migrate() == numbers[-1]
    rows = store._run("SELECT versie FROM schema_versie", fetch=True)
    assert sorted(r[0] for r in rows) == numbers


def test_a_newer_schema_is_refused_with_a_dutch_message(database_url):
    store = open_store(database_url)
    store._run("INSERT INTO schema_versie (versie, naam, toegepast) VALUES (999, 'toekomst', '2099-01-01')")
    with pytest.raises(StoreError, match="schemaversie 999.*werk BUUT bij"):
        open_store(database_url)


def test_unknown_soort_is_refused(database_url):
    with pytest.raises(ValueError):
        open_store(database_url).record_feedback("werkkader/", "redactie-werkkader", "stemmen")


# --- SQLite specifics ------------------------------------------------------------------------------

def test_sqlite_is_created_on_first_use_in_wal_mode_outside_the_site(tmp_path, monkeypatch):
    monkeypatch.delenv("BUUT_DATABASE", raising=False)
    url = resolve_url(None, tmp_path)
    path = Path(url[len("sqlite:///"):])
    assert not path.exists()
    assert "site" not in path.relative_to(tmp_path).parts, "de database mag nooit in een geserveerde map staan"
    open_store(None, tmp_path)
    assert path.is_file()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BUUT_DATABASE", str(tmp_path / "elders" / "feedback.db"))
    open_store(None, tmp_path / "repo").record_failed_search("proef")
    assert (tmp_path / "elders" / "feedback.db").is_file()


def test_an_unknown_database_scheme_is_a_dutch_error(tmp_path):
    with pytest.raises(StoreError, match="onbekende database 'mysql://'"):
        open_store("mysql://localhost/buut", tmp_path)


def test_an_unreachable_postgres_is_a_dutch_error(tmp_path):
    with pytest.raises(StoreError, match="niet bereikbaar"):
        open_store("postgresql://postgres@127.0.0.1:9/buut?connect_timeout=2", tmp_path)


def test_migrations_name_is_exported():
    assert migrations is migration_files


def test_what_is_past_the_retention_period_is_deleted(database_url, monkeypatch):
    """Issue 22: reports and failed searches are kept 365 days ($BUUT_BEWAARTERMIJN_DAGEN), no longer."""
    store = open_store(database_url)
    store.record_feedback("werkkader/2-6-privacy/", "redactie-werkkader", "melding", "Oude melding")
    store.record_failed_search("oude zoekvraag")
    store._run("UPDATE feedback SET dag = ?", ("2025-12-01",))
    store._run("UPDATE zoekvraag SET eerst = ?, laatst = ?", ("2025-12-01", "2025-12-01"))
    assert [r.tekst for r in store.reports()] == ["Oude melding"]  # reading deletes nothing
    store.record_feedback("werkkader/2-6-privacy/", "redactie-werkkader", "melding", "Nieuwe melding")
    assert [r.tekst for r in store.reports()] == ["Nieuwe melding"]
    assert store.failed_searches() == []
    store.record_failed_search("nieuwe zoekvraag")
    monkeypatch.setenv("BUUT_BEWAARTERMIJN_DAGEN", "30")
    assert store.purge(today=dt.date.today() + dt.timedelta(days=31)) == 2
    assert store.reports() == [] and store.failed_searches() == []
    monkeypatch.setenv("BUUT_BEWAARTERMIJN_DAGEN", "nooit")
    with pytest.raises(StoreError, match="BUUT_BEWAARTERMIJN_DAGEN"):
        store.purge()
