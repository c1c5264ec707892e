"""What every dialect of the event database offers: one connection, statements by name, write
transactions, migrations, full-text search and the few expressions dialects spell differently.

Other modules run their own small SQL through :meth:`Database.execute` with ``?`` placeholders
(the dialect turns them into its driver's; :attr:`Database.placeholder` says which that is) and
open a write transaction with :meth:`Database.write`. Portable SQL is what both SQLite (>= 3.24)
and PostgreSQL accept: ``INSERT ... ON CONFLICT DO NOTHING``, ``CAST(x AS BIGINT)``, no
``rowid``, subqueries in FROM with an alias.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from ..errors import ConflictAtlasError, Errors
from .schema import FTS_MARKER, SQL

log = logging.getLogger("conflictatlas")


class Database:
    """One connection to the event database. Subclasses: :class:`~.sqlite.SQLiteDatabase`,
    :class:`~.postgres.PostgresDatabase`."""

    #: "sqlite" or "postgresql"
    dialect = ""
    #: the placeholder the driver takes (statements given to :meth:`execute` use ``?``)
    placeholder = "?"
    #: statements this dialect spells its own way (merged over :data:`schema.SQL`)
    SQL_OVERRIDES: dict[str, str] = {}

    def __init__(self, target: str):
        self.target = target
        self.sql = {**SQL, **self.SQL_OVERRIDES}
        self.mutex = threading.RLock()          # one transaction at a time on this connection
        self.fts = False
        self.conn: Any = None

    # -- statements ---------------------------------------------------------------------------------
    def execute(self, sql: str, args: Sequence[Any] = ()):
        """Run one statement (``?`` placeholders); returns a cursor (iterate it, or fetchone())."""
        return self.conn.execute(self._native(sql), args)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of arguments."""
        rows = list(rows)
        if rows:
            self.conn.executemany(self._native(sql), rows)

    def run(self, name: str, args: Sequence[Any] = ()):
        """Run the named statement of :data:`schema.SQL` (as this dialect spells it)."""
        return self.execute(self.sql[name], args)

    def one(self, name: str, args: Sequence[Any] = ()):
        """The first row of the named statement, or None."""
        return self.run(name, args).fetchone()

    def _native(self, sql: str) -> str:
        return sql

    # -- transactions -------------------------------------------------------------------------------
    #: whether several processes may write at once (then write transactions take named locks)
    concurrent = False

    @contextmanager
    def write(self, locks: Iterable[str] = (), shared: Iterable[str] = ()) -> Iterator["Database"]:
        """A write transaction: committed when the block ends, rolled back when it raises.
        ``locks`` name what the transaction decides over (merge windows), ``shared`` what it
        only must not see change under it; a dialect with several writers at once holds each
        lock (exclusive, or shared with other holders of the shared ones) until the commit.
        The shared ones are taken first, then the exclusive ones in sorted order."""
        with self.mutex:
            self._begin(sorted(set(shared)), sorted(set(locks)))
            try:
                yield self
                self.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def lock(self, names: Iterable[str]) -> None:
        """Take more exclusive locks inside the open write transaction (held to its end)."""

    def _begin(self, shared: list[str], locks: list[str]) -> None:
        raise NotImplementedError

    def is_retryable(self, exc: BaseException) -> bool:
        """Whether ``exc`` ended a transaction that may simply be run again (a deadlock between
        two writers, which the server broke by aborting one)."""
        return False

    def _rollback(self) -> None:
        self.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        raise NotImplementedError

    def is_conflict(self, exc: BaseException) -> bool:
        """Whether ``exc`` is a unique-key conflict (another writer stored the same row first)."""
        return False

    # -- schema ---------------------------------------------------------------------------------------
    def ddl(self, stmt: str) -> str:
        """A migration statement in this dialect's spelling."""
        return stmt

    def fts_ddl(self) -> list[str]:
        """The statements that make this dialect's full-text index (empty: none)."""
        return []

    def has_fts(self) -> bool:
        raise NotImplementedError

    def migrate(self, migrations: list[list[str]]) -> None:
        """Apply the migrations the database lacks, each in its own transaction."""
        latest = len(migrations)
        with self.mutex, self._migration_lock():
            self.execute(self.ddl("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"))
            have = self.one("version")[0] or 0
            if have > latest:
                raise ConflictAtlasError(Errors.E050.format(
                    db=self.display_name, why=f"schema version {have} is newer than this conflictatlas ({latest}); upgrade it"))
            for v in range(have + 1, latest + 1):
                with self.write():
                    for stmt in migrations[v - 1]:
                        if stmt == FTS_MARKER:
                            self._make_fts()
                        elif not stmt.startswith("CREATE TABLE IF NOT EXISTS schema_version"):
                            self.execute(self.ddl(stmt))
                    self.run("set_version", (v,))
        self.fts = self.has_fts()

    @contextmanager
    def _migration_lock(self):
        yield

    def _make_fts(self) -> None:
        for stmt in self.fts_ddl():
            self.execute(stmt)

    @property
    def schema_version(self) -> int:
        return self.one("version")[0]

    # -- full-text search -----------------------------------------------------------------------------
    def fts_put(self, event_id: str, body: str) -> None:
        raise NotImplementedError

    def fts_delete(self, event_id: str) -> None:
        raise NotImplementedError

    def fts_clause(self, words: list[str]) -> tuple[str, list[Any]]:
        """A WHERE clause (over events ``e``) that holds the events whose text has every word."""
        raise NotImplementedError

    # -- expressions ------------------------------------------------------------------------------------
    def nocase_eq(self, column: str) -> str:
        """``column`` equals the placeholder's value, case folded."""
        return f"{column} = ? COLLATE NOCASE"

    def like(self, column: str) -> str:
        """``column`` matches the placeholder's LIKE pattern (``\\`` escapes), case folded."""
        return f"{column} LIKE ? ESCAPE '\\'"

    def grouped(self, where: str, args: list, exprs: dict[str, str]) -> dict[str, list[tuple]]:
        """For each named expression over events ``e``: (value, events, fatalities) per value
        among the events ``where`` holds (unordered)."""
        out = {}
        for name, expr in exprs.items():
            sql = (f"SELECT {expr} AS k, COUNT(*) AS n, CAST(COALESCE(SUM(e.fatalities),0) AS BIGINT) AS f "
                   f"FROM events e{where} GROUP BY {expr}")
            out[name] = [tuple(r) for r in self.execute(sql, args)]
        return out

    # -- life ----------------------------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        """The database as it may be shown (no password)."""
        return self.target

    def checkpoint(self, truncate: bool = False) -> None:
        """Make what is committed durable in the main file (SQLite's WAL); a no-op elsewhere."""

    def close(self) -> None:
        self.conn.close()

    def info(self) -> dict[str, Any]:
        """What this database is and can do: backend, where, schema version, full-text search,
        spatial columns."""
        return {"backend": self.dialect, "database": self.display_name, "schema_version": self.schema_version}
