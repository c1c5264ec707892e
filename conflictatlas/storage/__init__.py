"""The persistence layer of the event database: one implementation per dialect.

* :mod:`.schema`: the migrations (an ordered list) and every statement by name, written once;
* :mod:`.base`: :class:`Database`, what every dialect offers (statements by name, write
  transactions with named locks, migrations, full-text search, case-folded comparisons);
* :mod:`.sqlite` and :mod:`.postgres`: each dialect's own SQL, in one module each.

:func:`open_database` picks the dialect from the target: a ``postgresql://`` URL, else a SQLite
file path (``sqlite:///path`` and ``:memory:`` too). Merge decisions live above this layer
(:mod:`conflictatlas.merging`); :class:`conflictatlas.store.Store` is the public way in.
"""
from __future__ import annotations

from .base import Database
from .postgres import URL_PREFIXES
from .schema import MIGRATIONS, SCHEMA_VERSION, SQL

__all__ = ["Database", "MIGRATIONS", "SCHEMA_VERSION", "SQL", "open_database", "is_postgres"]


def is_postgres(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL database (a ``postgresql://`` URL)."""
    return str(target).startswith(URL_PREFIXES)


def open_database(target: str, migrations: list[list[str]] | None = None) -> Database:
    """Connect to ``target`` and bring its schema up to date."""
    target = str(target)
    if is_postgres(target):
        from .postgres import PostgresDatabase
        db: Database = PostgresDatabase(target)
    else:
        from .sqlite import SQLiteDatabase
        if target.startswith("sqlite:///"):
            target = target[len("sqlite:///"):]
        db = SQLiteDatabase(target)
    try:
        db.migrate(MIGRATIONS if migrations is None else migrations)
    except BaseException:
        db.conn.close()
        raise
    return db
