"""SQLite: one file (standard library, WAL, one writer at a time), FTS5 for full-text search.

Everything SQLite-only lives here: the pragmas, ``BEGIN IMMEDIATE``, the write-ahead log's
checkpoints, the FTS5 table (keyed by a stable integer per event).
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import ConflictAtlasError, Errors
from .base import Database

log = logging.getLogger("conflictatlas")

FTS_DDL = "CREATE VIRTUAL TABLE events_fts USING fts5(event_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')"


def _fts_rowid(event_id: str) -> int:
    """A stable integer key for an event's row in the full-text index."""
    return int(hashlib.sha1(event_id.encode()).hexdigest()[:15], 16)


class SQLiteDatabase(Database):
    dialect = "sqlite"
    placeholder = "?"

    def __init__(self, path: str):
        super().__init__(path)
        if path != ":memory:":
            try:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConflictAtlasError(Errors.E050.format(db=path, why=exc)) from None
            path = str(Path(path).expanduser())
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self.conn.row_factory = sqlite3.Row
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")      # WAL: durable at checkpoints, never corrupt
            self.conn.execute("PRAGMA wal_autocheckpoint=10000")  # fewer, larger checkpoints: fast per-article commits
            self.conn.execute("PRAGMA cache_size=-65536")         # 64 MB page cache
            self.conn.execute("PRAGMA temp_store=MEMORY")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise ConflictAtlasError(Errors.E050.format(db=path, why=exc)) from None

    def migrate(self, migrations):
        try:
            super().migrate(migrations)
        except sqlite3.DatabaseError as exc:
            raise ConflictAtlasError(Errors.E050.format(db=self.path, why=exc)) from None

    def _begin(self, shared, locks):
        self.conn.execute("BEGIN IMMEDIATE")        # the one writer: the file's write lock

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def is_conflict(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.IntegrityError)

    def fts_ddl(self):
        return [FTS_DDL]

    def _make_fts(self) -> None:
        try:
            self.execute(FTS_DDL)
        except sqlite3.OperationalError:
            log.info("SQLite has no FTS5: text search falls back to LIKE")

    def has_fts(self) -> bool:
        return bool(self.execute("SELECT 1 FROM sqlite_master WHERE name='events_fts'").fetchone())

    def fts_put(self, event_id: str, body: str) -> None:
        self.execute("INSERT INTO events_fts (rowid, event_id, body) VALUES (?, ?, ?)", (_fts_rowid(event_id), event_id, body))

    def fts_delete(self, event_id: str) -> None:
        self.execute("DELETE FROM events_fts WHERE rowid = ?", (_fts_rowid(event_id),))

    def fts_clause(self, words):
        return ("e.id IN (SELECT event_id FROM events_fts WHERE events_fts MATCH ?)",
                [" AND ".join('"' + w.replace('"', "") + '"' for w in words)])

    def checkpoint(self, truncate: bool = False) -> None:
        """Copy the write-ahead log into the database file (``truncate``: and empty the log,
        waiting for readers)."""
        if self.path != ":memory:" and not self.conn.in_transaction:
            with self.mutex:
                self.conn.execute(f"PRAGMA wal_checkpoint({'TRUNCATE' if truncate else 'PASSIVE'})").fetchone()

    def close(self) -> None:
        """Empty the write-ahead log into the file, then close: the ``.db`` alone holds everything."""
        try:
            self.checkpoint(truncate=True)
        except sqlite3.Error as exc:              # a reader still busy: its next close will do it
            log.debug("checkpoint at close skipped: %s", exc)
        self.conn.close()

    def info(self) -> dict[str, Any]:
        d = super().info()
        d["full_text"] = "FTS5 (unicode61, diacritics removed)" if self.fts else "none (LIKE)"
        d["spatial"] = "latitude/longitude columns"
        return d
