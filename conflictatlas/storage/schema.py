"""The event database's tables and statements, written once for every dialect.

``MIGRATIONS`` is an ordered list: migration *n* (1-based) brings a database to schema version
*n*. Append a new list of statements to add a version; never edit an applied one. Statements are
written in SQLite's spelling; each dialect (:mod:`.sqlite`, :mod:`.postgres`) turns them into its
own (types, case-insensitive indexes) in one function, ``ddl``.

``SQL`` holds every statement the store and the merge run, by name, with ``?`` placeholders and
SQL both SQLite (>= 3.24) and PostgreSQL accept; a dialect replaces the few it must
(``SQL_OVERRIDES`` in its module).
"""
from __future__ import annotations

from ..event import ACLED_FIELDS
from ..watch import WatchState

_EV_COLS = ", ".join(f"{f} {'REAL' if f in ('latitude', 'longitude') else 'INTEGER' if f in ('time_precision', 'geo_precision', 'fatalities') else 'TEXT'}"
                     for f in ACLED_FIELDS)

MIGRATIONS: list[list[str]] = [
    # version 1
    [
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY, doc_id TEXT, url TEXT, title TEXT, outlet TEXT, published TEXT,
            language TEXT, path TEXT, text TEXT NOT NULL, raw_hash TEXT NOT NULL, text_hash TEXT,
            simhash INTEGER, numbers TEXT, n_events INTEGER DEFAULT 0, n_background INTEGER DEFAULT 0,
            notes TEXT, ingested_at TEXT)""",
        "CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL",
        "CREATE UNIQUE INDEX articles_raw_hash ON articles(raw_hash)",
        "CREATE INDEX articles_text_hash ON articles(text_hash)",
        "CREATE TABLE article_bands (band INTEGER NOT NULL, article_id TEXT NOT NULL)",
        "CREATE INDEX article_bands_band ON article_bands(band)",
        f"""CREATE TABLE events (
            id TEXT PRIMARY KEY, canonical_key TEXT NOT NULL, {_EV_COLS},
            date_lo TEXT, date_hi TEXT, confidence REAL, notes TEXT, n_sources INTEGER,
            n_articles INTEGER, explanation TEXT, created_at TEXT, updated_at TEXT)""",
        "CREATE INDEX events_country ON events(country COLLATE NOCASE, event_date)",
        "CREATE INDEX events_admin1 ON events(admin1 COLLATE NOCASE)",
        "CREATE INDEX events_type ON events(event_type COLLATE NOCASE)",
        "CREATE INDEX events_date ON events(event_date)",
        "CREATE INDEX events_actor1 ON events(actor1 COLLATE NOCASE)",
        "CREATE INDEX events_actor2 ON events(actor2 COLLATE NOCASE)",
        """CREATE TABLE event_sources (
            report_key TEXT PRIMARY KEY, event_id TEXT NOT NULL, article_id TEXT NOT NULL,
            idx INTEGER NOT NULL, published TEXT, outlet TEXT, event_type TEXT, country TEXT,
            date_lo TEXT, date_hi TEXT, data TEXT NOT NULL, sentence TEXT, merge_reason TEXT)""",
        "CREATE INDEX event_sources_event ON event_sources(event_id)",
        "CREATE INDEX event_sources_article ON event_sources(article_id)",
        "CREATE INDEX event_sources_window ON event_sources(country, date_lo)",
        """CREATE TABLE claims (
            event_id TEXT NOT NULL, report_key TEXT NOT NULL, article_id TEXT, field TEXT,
            value TEXT, said_by TEXT, sentence TEXT, chosen INTEGER, credible INTEGER,
            revision INTEGER, published TEXT)""",
        "CREATE INDEX claims_event ON claims(event_id)",
        """CREATE TABLE event_history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, article_id TEXT,
            action TEXT NOT NULL, detail TEXT, at TEXT)""",
        "CREATE INDEX event_history_event ON event_history(event_id)",
        "CREATE TABLE event_aliases (alias TEXT PRIMARY KEY, event_id TEXT NOT NULL)",
        "CREATE INDEX event_aliases_event ON event_aliases(event_id)",
        "-- full-text index",        # each dialect makes its own (FTS5 / tsvector): Database.fts_ddl
    ],
    # version 2: the full-text index is brought up to date in batches, not in every article's transaction
    [
        "CREATE TABLE IF NOT EXISTS fts_pending (event_id TEXT PRIMARY KEY)",
    ],
    # version 3: reports with a vague place (a region, none) are tied to events after each ingest
    [
        "CREATE TABLE IF NOT EXISTS vague_pending (report_key TEXT PRIMARY KEY)",
    ],
    # version 4: merges that cost the same however many reports an event holds. Reports alike in
    # everything the merge rules read share a signature (a kind: compared once); event_kinds
    # counts each event's reports by kind, with the window the kind sits in; an event row carries
    # the revision of its set of reports (a summary kept in memory holds while it is the same).
    [
        "ALTER TABLE event_sources ADD COLUMN sig TEXT",
        "UPDATE event_sources SET sig = report_key",        # stored before signatures: a kind of its own
        "CREATE INDEX event_sources_kind ON event_sources(event_id, sig, report_key)",
        "ALTER TABLE events ADD COLUMN rev TEXT",
        """CREATE TABLE event_kinds (event_id TEXT NOT NULL, sig TEXT NOT NULL, country TEXT, date_lo TEXT,
            date_hi TEXT, n INTEGER NOT NULL, PRIMARY KEY (event_id, sig))""",
        """INSERT INTO event_kinds (event_id, sig, country, date_lo, date_hi, n)
            SELECT event_id, sig, MIN(country), MIN(date_lo), MIN(date_hi), COUNT(*) FROM event_sources GROUP BY event_id, sig""",
        "CREATE INDEX event_kinds_window ON event_kinds(country, date_lo)",
        # pages newest first straight from an index (PostgreSQL's own order of empty dates needs its own)
        "CREATE INDEX events_date_id ON events(event_date DESC, id)",
        "CREATE INDEX events_country_date_id ON events(country COLLATE NOCASE, event_date DESC, id)",
    ],
    # version 5: what `conflictatlas watch` has polled and claimed (conflictatlas/watch.py)
    WatchState.MIGRATION,
]
#: the placeholder statement in a migration where the dialect creates its full-text index
FTS_MARKER = "-- full-text index"

SCHEMA_VERSION = len(MIGRATIONS)

SQL = {
    "version": "SELECT MAX(version) FROM schema_version",
    "set_version": "INSERT INTO schema_version(version) VALUES (?)",
    "article_by_url": "SELECT id FROM articles WHERE url = ?",
    "article_by_hash": "SELECT id FROM articles WHERE raw_hash = ? OR text_hash = ?",
    "band_candidates": "SELECT DISTINCT a.id, a.simhash, a.numbers FROM article_bands b JOIN articles a ON a.id = b.article_id WHERE b.band IN (?, ?, ?, ?)",
    "article_text": "SELECT text FROM articles WHERE id = ?",
    "insert_article": """INSERT INTO articles (id, doc_id, url, title, outlet, published, language, path,
        text, raw_hash, text_hash, simhash, numbers, n_events, n_background, notes, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "insert_band": "INSERT INTO article_bands (band, article_id) VALUES (?, ?)",
    "same_article": "SELECT report_key, event_id FROM event_sources WHERE article_id = ?",
    "event_report_keys": "SELECT report_key, event_id FROM event_sources WHERE event_id = ?",
    "insert_source": """INSERT INTO event_sources (report_key, event_id, article_id, idx, published, outlet,
        event_type, country, date_lo, date_hi, data, sentence, merge_reason, sig) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    # the kinds of report (signatures) in a window, and in an event
    "window_kinds": """SELECT event_id, sig FROM event_kinds
        WHERE country IN (?, '') AND date_lo >= ? AND date_lo <= ? AND date_hi >= ?""",
    "window_any_kinds": "SELECT event_id, sig FROM event_kinds WHERE date_lo >= ? AND date_lo <= ? AND date_hi >= ?",
    "event_kinds": "SELECT sig FROM event_kinds WHERE event_id = ?",
    "kind_first": "SELECT MIN(report_key) FROM event_sources WHERE event_id = ? AND sig = ? AND article_id <> ?",
    "kind_first_after": """SELECT MIN(report_key) FROM event_sources
        WHERE event_id = ? AND sig = ? AND article_id <> ? AND report_key > ?""",
    "kind_ends": "SELECT MIN(report_key), MAX(report_key) FROM event_sources WHERE event_id = ? AND sig = ?",
    "group_keys": "SELECT report_key FROM event_sources WHERE event_id = ? AND sig = ? AND article_id <> ?",
    "kind_add": """INSERT INTO event_kinds (event_id, sig, country, date_lo, date_hi, n) VALUES (?, ?, ?, ?, ?, 1)
        ON CONFLICT (event_id, sig) DO UPDATE SET n = event_kinds.n + 1""",
    "kind_sub": "UPDATE event_kinds SET n = n - 1 WHERE event_id = ? AND sig = ?",
    "kind_empty": "DELETE FROM event_kinds WHERE event_id = ? AND sig = ? AND n <= 0",
    "kinds_move": """INSERT INTO event_kinds (event_id, sig, country, date_lo, date_hi, n)
        SELECT ?, sig, country, date_lo, date_hi, n FROM event_kinds WHERE event_id = ?
        ON CONFLICT (event_id, sig) DO UPDATE SET n = event_kinds.n + excluded.n""",
    "kinds_drop": "DELETE FROM event_kinds WHERE event_id = ?",
    "events_share_article": """SELECT 1 FROM event_sources a JOIN event_sources b ON a.article_id = b.article_id
        WHERE a.event_id = ? AND b.event_id = ? LIMIT 1""",
    "move_sources": "UPDATE event_sources SET event_id = ? WHERE event_id = ?",
    "event_row": "SELECT * FROM events WHERE id = ?",
    "event_exists": "SELECT 1 FROM events WHERE id = ?",
    "canonical_key": "SELECT canonical_key FROM events WHERE id = ?",
    "delete_event": "DELETE FROM events WHERE id = ?",
    "delete_claims": "DELETE FROM claims WHERE event_id = ?",
    "choose_claims": """UPDATE claims SET chosen = CASE WHEN value = ? THEN 1 ELSE 0 END
        WHERE event_id = ? AND field = 'fatalities'""",
    "event_has_countryless": "SELECT 1 FROM event_sources WHERE event_id = ? AND country = '' LIMIT 1",
    "insert_claim": """INSERT INTO claims (event_id, report_key, article_id, field, value, said_by, sentence,
        chosen, credible, revision, published) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
    "move_history": "UPDATE event_history SET event_id = ? WHERE event_id = ?",
    "insert_history": "INSERT INTO event_history (event_id, article_id, action, detail, at) VALUES (?,?,?,?,?)",
    "alias_resolve": "SELECT event_id FROM event_aliases WHERE alias = ?",
    "insert_alias": """INSERT INTO event_aliases (alias, event_id) VALUES (?, ?)
        ON CONFLICT (alias) DO UPDATE SET event_id = excluded.event_id""",
    "move_aliases": "UPDATE event_aliases SET event_id = ? WHERE event_id = ?",
    "vague_mark": "INSERT INTO vague_pending (report_key) VALUES (?) ON CONFLICT DO NOTHING",
    "vague_pending": "SELECT report_key FROM vague_pending ORDER BY report_key LIMIT ?",
    "vague_done": "DELETE FROM vague_pending WHERE report_key = ?",
    "source_row": "SELECT report_key, event_id, article_id, data, published, outlet, merge_reason, sig FROM event_sources WHERE report_key = ?",
    "move_one_source": "UPDATE event_sources SET event_id = ?, merge_reason = ? WHERE report_key = ?",
    "fts_mark": "INSERT INTO fts_pending (event_id) VALUES (?) ON CONFLICT DO NOTHING",
    "fts_pending": "SELECT event_id FROM fts_pending LIMIT ?",
    "fts_any": "SELECT 1 FROM fts_pending LIMIT 1",
    "fts_done": "DELETE FROM fts_pending WHERE event_id = ?",
    "fts_fields": """SELECT e.notes, e.location, e.admin1, e.admin2, e.country, e.actor1, e.actor2,
        e.assoc_actor_1, e.assoc_actor_2, e.event_type, e.sub_event_type FROM events e WHERE e.id = ?""",
    "fts_sentences": "SELECT sentence FROM event_sources WHERE event_id = ?",
    "event_sources_full": """SELECT s.report_key, s.article_id, s.idx, s.sentence, s.merge_reason, s.data,
        a.url, a.title, a.outlet, a.published, a.path, a.doc_id FROM event_sources s JOIN articles a ON a.id = s.article_id
        WHERE s.event_id = ? ORDER BY a.published NULLS FIRST, s.report_key""",
    "event_claims": "SELECT * FROM claims WHERE event_id = ? ORDER BY field NULLS FIRST, published NULLS FIRST, report_key",
    "event_history": "SELECT article_id, action, detail, at FROM event_history WHERE event_id = ? ORDER BY seq",
    "event_aliases": "SELECT alias FROM event_aliases WHERE event_id = ? ORDER BY alias",
    "article_row": "SELECT * FROM articles WHERE id = ? OR doc_id = ? OR url = ? LIMIT 1",
    "article_events": "SELECT DISTINCT event_id FROM event_sources WHERE article_id = ? ORDER BY event_id",
    "count_articles": "SELECT COUNT(*) FROM articles",
    "last_change": "SELECT MAX(seq) FROM event_history",
}

#: the tables :meth:`Store.counts` counts
COUNTED_TABLES = ("articles", "events", "event_sources", "claims", "event_history")
