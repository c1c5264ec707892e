"""PostgreSQL (psycopg 3): a database several processes write at once.

Everything PostgreSQL-only lives here: the types of the migrations (BIGINT, DOUBLE PRECISION,
byte-wise ``COLLATE "C"`` text so that sorting and equality match SQLite's), case-insensitive
indexes on ``lower(column)``, the full-text index (a ``tsvector`` column with a GIN index, the
``simple`` configuration, accents removed with ``unaccent`` where the extension can be made),
and the advisory locks that let several writers share the merge.

PostGIS: where the extension is available it is reported by :meth:`PostgresDatabase.info`; the
store's filters are by name and date, so events keep plain latitude/longitude columns either way
(logged once at open).
"""
from __future__ import annotations

import hashlib
import logging
import re
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import ConflictAtlasError, Errors
from .base import Database

log = logging.getLogger("conflictatlas")

URL_PREFIXES = ("postgres://", "postgresql://", "postgresql+psycopg://")
_MIGRATION_LOCK = "schema migration"


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a name."""
    h = int.from_bytes(hashlib.blake2b(f"conflictatlas:{name}".encode(), digest_size=8).digest(), "big")
    return h - (1 << 64) if h >= (1 << 63) else h


class Row:
    """A result row readable by position and by column name (as sqlite3.Row)."""

    __slots__ = ("values", "names")

    def __init__(self, values, names: dict[str, int]):
        self.values, self.names = values, names

    def __getitem__(self, k):
        return self.values[self.names[k]] if isinstance(k, str) else self.values[k]

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor):
    names = {c.name: i for i, c in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class PostgresDatabase(Database):
    dialect = "postgresql"
    placeholder = "%s"

    def __init__(self, url: str):
        super().__init__(url)
        try:
            import psycopg
        except ImportError:
            raise ConflictAtlasError(Errors.E050.format(
                db=self.display_name, why="psycopg is not installed: pip install 'conflictatlas[postgres]'")) from None
        self._psycopg = psycopg
        if url.startswith("postgresql+psycopg://"):
            url = "postgresql://" + url[len("postgresql+psycopg://"):]
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise ConflictAtlasError(Errors.E050.format(
                db=self.display_name, why=f"cannot connect to PostgreSQL: {str(exc).strip()}")) from None
        self._native_cache: dict[str, str] = {}
        self.unaccent = False
        self.postgis = False

    def _native(self, sql: str) -> str:
        out = self._native_cache.get(sql)
        if out is None:
            out = self._native_cache[sql] = sql.replace("%", "%%").replace("?", "%s")
        return out

    def executemany(self, sql, rows):
        rows = list(rows)
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self._native(sql), rows)

    # -- transactions -------------------------------------------------------------------------------
    concurrent = True

    def _begin(self, shared, locks):
        self.conn.execute("BEGIN")
        for name in shared:
            self.conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (lock_key(name),))
        self.lock(locks)

    def lock(self, names) -> None:
        for name in names:                      # sorted by the caller: no two writers wait on each other
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(name),))

    def is_retryable(self, exc: BaseException) -> bool:
        return isinstance(exc, (self._psycopg.errors.DeadlockDetected, self._psycopg.errors.SerializationFailure))

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except self._psycopg.Error:              # the connection is gone: the server rolled back
            pass

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def is_conflict(self, exc: BaseException) -> bool:
        return isinstance(exc, self._psycopg.errors.UniqueViolation)

    @contextmanager
    def _migration_lock(self):
        key = lock_key(_MIGRATION_LOCK)           # two processes opening a new database: one migrates
        self.conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def migrate(self, migrations):
        try:
            super().migrate(migrations)
        except self._psycopg.Error as exc:
            raise ConflictAtlasError(Errors.E050.format(db=self.display_name, why=str(exc).strip())) from None
        self.unaccent = bool(self.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'").fetchone())
        self.postgis = bool(self.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone())
        if not self.postgis:
            log.info("PostGIS is not installed on %s: events keep plain latitude/longitude columns", self.display_name)

    # -- schema ---------------------------------------------------------------------------------------
    def ddl(self, stmt: str) -> str:
        """SQLite's spelling of a migration in PostgreSQL's: 64-bit integers, double precision,
        byte-wise text, identity keys, ``lower(column)`` for case-insensitive indexes."""
        s = stmt.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
        s = re.sub(r"\bINTEGER\b", "BIGINT", s)
        s = re.sub(r"\bREAL\b", "DOUBLE PRECISION", s)
        s = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', s)
        s = re.sub(r"(\w+) COLLATE NOCASE", r"lower(\1)", s)
        if s.startswith("CREATE INDEX"):          # SQLite sorts empty values first: descending, last
            s = re.sub(r"(\w+) DESC\b(?! NULLS)", r"\1 DESC NULLS LAST", s)
        return s

    def _make_fts(self) -> None:
        self.execute("SAVEPOINT unaccent")
        try:
            self.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            self.execute("RELEASE SAVEPOINT unaccent")
        except self._psycopg.Error as exc:
            self.execute("ROLLBACK TO SAVEPOINT unaccent")
            log.info("no unaccent extension (%s): full-text search keeps accents", str(exc).strip())
        self.execute('CREATE TABLE events_fts (event_id TEXT COLLATE "C" PRIMARY KEY, body tsvector NOT NULL)')
        self.execute("CREATE INDEX events_fts_body ON events_fts USING GIN (body)")

    def has_fts(self) -> bool:
        return bool(self.execute("SELECT to_regclass('events_fts') IS NOT NULL").fetchone()[0])

    # -- full-text search -----------------------------------------------------------------------------
    def _text(self) -> str:
        return "unaccent(?)" if self.unaccent else "?"

    def fts_put(self, event_id: str, body: str) -> None:
        self.execute(f"INSERT INTO events_fts (event_id, body) VALUES (?, to_tsvector('simple', {self._text()})) "
                     "ON CONFLICT (event_id) DO UPDATE SET body = excluded.body", (event_id, body))

    def fts_delete(self, event_id: str) -> None:
        self.execute("DELETE FROM events_fts WHERE event_id = ?", (event_id,))

    def fts_clause(self, words):
        return (f"e.id IN (SELECT event_id FROM events_fts WHERE body @@ plainto_tsquery('simple', {self._text()}))",
                [" ".join(words)])

    # -- expressions ------------------------------------------------------------------------------------
    def nocase_eq(self, column: str) -> str:
        return f"lower({column}) = lower(?)"

    def like(self, column: str) -> str:
        return f"{column} ILIKE ? ESCAPE '\\'"

    def grouped(self, where, args, exprs):
        """One scan for every grouping (GROUPING SETS)."""
        items = list(exprs.items())
        cols = ", ".join(f"{expr} AS k{i}, GROUPING({expr}) AS g{i}" for i, (_, expr) in enumerate(items))
        sets = ", ".join(f"({expr})" for _, expr in items)
        sql = (f"SELECT {cols}, COUNT(*) AS n, CAST(COALESCE(SUM(e.fatalities),0) AS BIGINT) AS f "
               f"FROM events e{where} GROUP BY GROUPING SETS ({sets})")
        out: dict[str, list[tuple]] = {name: [] for name, _ in items}
        for r in self.execute(sql, args):
            for i, (name, _) in enumerate(items):
                if r[2 * i + 1] == 0:
                    out[name].append((r[2 * i], r["n"], r["f"]))
                    break
        return out

    # -- life ----------------------------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        return _masked(self.target)

    def close(self) -> None:
        self.conn.close()

    def info(self) -> dict[str, Any]:
        d = super().info()
        d["full_text"] = "tsvector (simple" + (", unaccent)" if self.unaccent else ")")
        d["spatial"] = ("latitude/longitude columns (PostGIS available, not used: no spatial filter yet)" if self.postgis
                        else "latitude/longitude columns (PostGIS not installed)")
        d["server"] = self.conn.info.server_version
        return d
