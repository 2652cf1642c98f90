"""Serve, the feedback store: what medewerkers report back, in SQLite or PostgreSQL.

Callers use only this interface:

    store = open_store(url)                  # None: BUUT_DATABASE, else the SQLite default
    store.record_feedback(pagina, eigenaar, soort, tekst) -> id
    store.record_failed_search(vraag)
    store.reports(eigenaar) / store.ratings(eigenaar) / store.failed_searches(limit)
    store.mark_handled(id) -> bool

One SQL schema (`migrations/NNNN_*.sql`, applied in order and recorded in `schema_versie`) runs
on both backends; the backends differ only in how they connect and in the placeholder style.
The database is created on first use. Nothing here knows about pages or HTTP: `buut/serve/feedback.py`
checks input and privacy before anything reaches the store.
"""
from __future__ import annotations

import os
from pathlib import Path

from buut.serve.store.base import Melding, Store, StoreError, Waardering, Zoekvraag, describe, migrations

DATABASE_ENV = "BUUT_DATABASE"
DEFAULT_PATH = ".buut/buut.sqlite3"  # in the repository, outside site/ (never served)


def database_url(url: str | None, root: Path) -> str:
    """The database to use: the given URL or path, else $BUUT_DATABASE, else the SQLite default."""
    url = url or os.environ.get(DATABASE_ENV) or str(root / DEFAULT_PATH)
    if url.startswith(("postgresql://", "postgres://")) or url.startswith("sqlite:///"):
        return url
    if "://" in url:
        raise StoreError(f"onbekende database '{url.split('://')[0]}://'; gebruik een pad, sqlite:///pad of "
                         "postgresql://…")
    path = Path(url)
    return "sqlite:///" + str(path if path.is_absolute() else (root / path))


def open_store(url: str | None = None, root: Path | None = None, pool_size: int = 0) -> Store:
    """Open (and on first use create) the store at `url`; see `database_url`. `pool_size` > 0: keep
    up to that many PostgreSQL connections open for a server (SQLite needs no pool)."""
    root = (root or Path.cwd()).resolve()
    url = database_url(url, root)
    if url.startswith("sqlite:///"):
        from buut.serve.store.sqlite import SqliteStore

        path = Path(url[len("sqlite:///"):])
        if Path(os.path.realpath(path)).is_relative_to(root / "site"):
            raise StoreError(f"de database {path} komt (via een symbolische koppeling) in site/ terecht, waar alles "
                             "wordt geserveerd; zet haar buiten site/ (standaard: .buut/buut.sqlite3, geen koppeling)")
        return SqliteStore(path)
    from buut.serve.store.postgres import PostgresStore

    return PostgresStore(url, pool_size)


__all__ = ["DATABASE_ENV", "Melding", "migrations", "Store", "StoreError", "Waardering", "Zoekvraag", "database_url",
           "describe", "open_store"]
