"""The embedded default: one SQLite file, in WAL mode so readers never wait for the writer."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from buut.serve.store.base import Store, StoreError

BUSY_MS = 10_000  # how long a writer waits for another writer before giving up


class SqliteStore(Store):
    def __init__(self, path: Path):
        self.path = Path(path)
        self.where = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")  # stays set in the file
            finally:
                connection.close()
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"de database {self.path} is niet te openen: {error}") from None
        self.migrate()

    @contextmanager
    def _connect(self):
        # One connection per operation: cheap for SQLite, and safe with waitress' threads.
        connection = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            connection.execute("BEGIN IMMEDIATE")  # take the write lock up front: no upgrade deadlocks
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"de database {self.path} gaf een fout: {error}") from None
        finally:
            connection.close()
