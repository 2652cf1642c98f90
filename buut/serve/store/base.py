"""What both backends share: the records, the queries and the migrations.

A backend supplies `_connect()` (a context manager yielding a DB-API connection inside one
transaction), `_lock(cursor)` (serialise migrations between processes), `PARAM` (its placeholder)
and `ID` (its auto-numbered primary key). Queries are written once, with `?` placeholders.
"""
from __future__ import annotations

import datetime as dt
import os
import hashlib
import re
import secrets
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import resources

SOORTEN = ("nuttig", "niet-nuttig", "melding")  # kinds of feedback
BRONNEN = ("intranet", "publiek")  # where feedback came from: a medewerker, or a partner on the public site

# How long feedback and failed searches are kept: rows older than this many days are deleted at every
# write and when a server starts (`Store.purge`). A report is meant to be handled within weeks; a year
# keeps the "nuttig" counts of a full review cycle (herzien_voor) and nothing longer.
RETENTION_ENV = "BUUT_BEWAARTERMIJN_DAGEN"
DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    """The retention period in days, from $BUUT_BEWAARTERMIJN_DAGEN (default 365)."""
    value = os.environ.get(RETENTION_ENV, "").strip()
    if not value:
        return DEFAULT_RETENTION_DAYS
    if not value.isdigit() or not 1 <= int(value) <= 3650:
        raise StoreError(f"{RETENTION_ENV}={value!r}: geef een aantal dagen van 1 tot en met 3650")
    return int(value)


class StoreError(Exception):
    """The database cannot be used (unreachable, unreadable, a newer schema): a Dutch message."""


class _Record:
    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Melding(_Record):
    """A report of an error or a gap (or a "niet nuttig" with a remark) about one page."""

    id: int
    pagina: str
    eigenaar: str
    soort: str
    tekst: str
    dag: str
    bron: str = "intranet"  # "publiek": sent by a partner from the public site (migration 0004)
    organisatie: str = ""  # the organisation a partner named, if any


@dataclass(frozen=True)
class Waardering(_Record):
    """How often one page was found useful and not useful."""

    pagina: str
    eigenaar: str
    nuttig: int
    niet_nuttig: int


@dataclass(frozen=True)
class Zoekvraag(_Record):
    """A normalised search without a full match, and how often it was asked."""

    vraag: str
    aantal: int
    eerst: str
    laatst: str


@dataclass(frozen=True)
class Zoekkeuze(_Record):
    """A search whose chosen result was not the first: the page people meant, and how often."""

    vraag: str
    pagina: str
    aantal: int
    laatst: str


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, SQL) of every migration, in order."""
    folder = resources.files(__package__) / "migrations"
    found = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


def statements(sql: str) -> list[str]:
    """The statements of a migration file (no semicolons inside strings in our migrations)."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class Store:
    PARAM = "?"
    ID = "INTEGER PRIMARY KEY"
    where: str = ""  # where the database is, for messages

    # --- backend ---------------------------------------------------------------------------------

    @contextmanager
    def _connect(self):  # pragma: no cover - every backend has its own
        raise NotImplementedError
        yield

    def _lock(self, cursor) -> None:
        """Hold a lock that keeps other processes from migrating at the same time."""

    def _sql(self, query: str) -> str:
        return query.replace("?", self.PARAM) if self.PARAM != "?" else query

    def _run(self, query: str, params=(), fetch: bool = False):
        with self._connect() as connection:
            cursor = connection.cursor()
            cursor.execute(self._sql(query), tuple(params))
            return cursor.fetchall() if fetch else cursor.rowcount

    # --- schema ----------------------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply the migrations this database does not have yet; returns the schema version."""
        known = migrations()
        with self._connect() as connection:
            cursor = connection.cursor()
            self._lock(cursor)
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_versie (versie INTEGER PRIMARY KEY, "
                           "naam TEXT NOT NULL, toegepast TEXT NOT NULL)")
            cursor.execute("SELECT versie FROM schema_versie")
            done = {row[0] for row in cursor.fetchall()}
            newest = max((n for n, _, _ in known), default=0)
            if done and max(done) > newest:
                raise StoreError(f"de database in {self.where} heeft schemaversie {max(done)}, deze BUUT kent "
                                 f"er {newest}: werk BUUT bij")
            for number, name, sql in known:
                if number in done:
                    continue
                for statement in statements(sql.replace("{ID}", self.ID)):
                    cursor.execute(statement)
                cursor.execute(self._sql("INSERT INTO schema_versie (versie, naam, toegepast) VALUES (?, ?, ?)"),
                               (number, name, _today()))
            self._purge(cursor)  # a server that starts forgets what is past the retention period
            return newest

    def purge(self, today: dt.date | None = None) -> int:
        """Delete feedback and failed searches older than the retention period; returns rows deleted."""
        with self._connect() as connection:
            return self._purge(connection.cursor(), today)

    def _purge(self, cursor, today: dt.date | None = None) -> int:
        cutoff = ((today or dt.date.today()) - dt.timedelta(days=retention_days())).isoformat()
        cursor.execute(self._sql("DELETE FROM feedback WHERE dag < ?"), (cutoff,))
        deleted = max(cursor.rowcount, 0)
        cursor.execute(self._sql("DELETE FROM zoekvraag WHERE laatst < ?"), (cutoff,))
        return deleted + max(cursor.rowcount, 0)

    def _write(self, query: str, params=(), fetch: bool = False):
        """One write, and in the same transaction the deletion of what is past the retention period."""
        with self._connect() as connection:
            cursor = connection.cursor()
            cursor.execute(self._sql(query), tuple(params))
            result = cursor.fetchall() if fetch else cursor.rowcount
            self._purge(cursor)
            return result

    def ping(self) -> None:
        """Ask the database one trivial question; raises StoreError when it does not answer."""
        self._run("SELECT 1", fetch=True)

    def close(self) -> None:
        """Give back what the store holds open (a connection pool); a closed store is not used again."""

    def version(self) -> int:
        rows = self._run("SELECT MAX(versie) FROM schema_versie", fetch=True)
        return rows[0][0] or 0

    # --- writing ---------------------------------------------------------------------------------

    def record_feedback(self, pagina: str, eigenaar: str, soort: str, tekst: str = "", bron: str = "intranet",
                        organisatie: str = "") -> int:
        """Store one piece of feedback; returns its id. The caller has checked text and page."""
        if soort not in SOORTEN:
            raise ValueError(f"onbekende soort {soort!r}")
        if bron not in BRONNEN:
            raise ValueError(f"onbekende bron {bron!r}")
        rows = self._write("INSERT INTO feedback (pagina, eigenaar, soort, tekst, dag, bron, organisatie) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           (pagina, eigenaar, soort, tekst, _today(), bron, organisatie), fetch=True)
        return int(rows[0][0])

    def record_failed_search(self, vraag: str) -> None:
        """Count one search without a full match (`vraag` already normalised and checked)."""
        today = _today()
        self._write("INSERT INTO zoekvraag (vraag, aantal, eerst, laatst) VALUES (?, 1, ?, ?) "
                    "ON CONFLICT (vraag) DO UPDATE SET aantal = zoekvraag.aantal + 1, laatst = excluded.laatst",
                    (vraag, today, today))

    def allow_request(self, sender: str, limit: int, window: float) -> bool:
        """Count one request of `sender` unless it sent `limit` in the last `window` seconds.

        Every server process on this database shares the count. Only a keyed hash of `sender` is
        written, and every row older than the window is deleted here, so none stays longer."""
        key = hashlib.blake2b(sender.encode("utf-8", "surrogatepass"), key=self._secret(), digest_size=16).hexdigest()
        now = int(_clock() * 1000)
        since = now - int(window * 1000)
        with self._connect() as connection:
            cursor = connection.cursor()
            self._lock_rate(cursor)
            cursor.execute(self._sql("DELETE FROM beperking WHERE moment <= ?"), (since,))
            cursor.execute(self._sql("SELECT COUNT(*) FROM beperking WHERE sleutel = ?"), (key,))
            if cursor.fetchone()[0] >= limit:
                return False
            cursor.execute(self._sql("INSERT INTO beperking (sleutel, moment) VALUES (?, ?)"), (key, now))
            return True

    def _lock_rate(self, cursor) -> None:
        """Serialise rate-limit counts between processes (SQLite: its write lock already does)."""

    def _secret(self) -> bytes:
        """The key of the sender hashes, made once per database (see migration 0002)."""
        if getattr(self, "_rate_secret", None) is None:
            self._run("INSERT INTO beperking_geheim (id, geheim) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
                      (secrets.token_hex(32),))
            self._rate_secret = bytes.fromhex(self._run("SELECT geheim FROM beperking_geheim WHERE id = 1",
                                                        fetch=True)[0][0])
        return self._rate_secret

    def record_choice(self, vraag: str, pagina: str) -> None:
        """Count one search whose chosen result was not the first (both already normalised and checked)."""
        today = _today()
        self._run("INSERT INTO zoekkeuze (vraag, pagina, aantal, eerst, laatst) VALUES (?, ?, 1, ?, ?) "
                  "ON CONFLICT (vraag, pagina) DO UPDATE SET aantal = zoekkeuze.aantal + 1, laatst = excluded.laatst",
                  (vraag, pagina, today, today))

    def mark_handled(self, ident: int) -> bool:
        """Mark a report as handled; False when there is no open report with that id."""
        return self._run("UPDATE feedback SET afgehandeld = ? WHERE id = ? AND afgehandeld IS NULL "
                         "AND (soort = 'melding' OR tekst <> '')", (_today(), int(ident))) == 1

    # --- reading ---------------------------------------------------------------------------------

    def reports(self, eigenaar: str | None = None) -> list[Melding]:
        """Open reports (and "niet nuttig" with a remark), oldest first."""
        query = ("SELECT id, pagina, eigenaar, soort, tekst, dag, bron, organisatie FROM feedback "
                 "WHERE afgehandeld IS NULL "
                 "AND (soort = 'melding' OR tekst <> '')")
        params: tuple = ()
        if eigenaar is not None:
            query, params = query + " AND eigenaar = ?", (eigenaar,)
        return [Melding(*row) for row in self._run(query + " ORDER BY id", params, fetch=True)]

    def ratings(self, eigenaar: str | None = None) -> list[Waardering]:
        """Per page: how often useful and not useful; pages with the most "niet nuttig" first."""
        query = ("SELECT pagina, eigenaar, SUM(CASE WHEN soort = 'nuttig' THEN 1 ELSE 0 END), "
                 "SUM(CASE WHEN soort = 'niet-nuttig' THEN 1 ELSE 0 END) FROM feedback "
                 "WHERE soort IN ('nuttig', 'niet-nuttig')")
        params: tuple = ()
        if eigenaar is not None:
            query, params = query + " AND eigenaar = ?", (eigenaar,)
        rows = self._run(query + " GROUP BY pagina, eigenaar", params, fetch=True)
        found = [Waardering(p, e, int(n), int(nn)) for p, e, n, nn in rows]
        return sorted(found, key=lambda w: (-w.niet_nuttig, w.nuttig, w.pagina))

    def failed_searches(self, limit: int = 20) -> list[Zoekvraag]:
        """The most frequent searches without a full match."""
        rows = self._run("SELECT vraag, aantal, eerst, laatst FROM zoekvraag ORDER BY aantal DESC, laatst DESC, "
                         "vraag LIMIT ?", (int(limit),), fetch=True)
        return [Zoekvraag(*row) for row in rows]

    def choices(self, limit: int = 20) -> list[Zoekkeuze]:
        """The most frequent searches whose chosen result was not the first."""
        rows = self._run("SELECT vraag, pagina, aantal, laatst FROM zoekkeuze ORDER BY aantal DESC, laatst DESC, "
                         "vraag, pagina LIMIT ?", (int(limit),), fetch=True)
        return [Zoekkeuze(*row) for row in rows]


_clock = time.time  # the rate limit's clock: shared by every server process (tests move it)


def _today() -> str:
    return dt.date.today().isoformat()


def describe(url: str) -> str:
    """Where the store is, for messages: a path, or a PostgreSQL URL without its password."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{parts.username + '@' if parts.username else ''}{host}" \
           f"{':' + str(parts.port) if parts.port else ''}{parts.path}"
