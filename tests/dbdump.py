"""A SQLite event database as plain data, for tests that compare two runs row for row."""
from __future__ import annotations

import sqlite3
from pathlib import Path

#: columns that differ between two runs of the same input
TIMESTAMPS = frozenset({"ingested_at", "created_at", "updated_at", "at", "done_at", "last_ok"})


def dump(db: Path | str) -> dict:
    """Every row of every table except timestamps, in a stable order."""
    con = sqlite3.connect(db)
    out = {}
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'events_fts%' AND name != 'sqlite_sequence'")]
    for t in tables:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in TIMESTAMPS]
        out[t] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr)
    out["fts"] = sorted(con.execute("SELECT event_id, body FROM events_fts").fetchall())
    con.close()
    return out
