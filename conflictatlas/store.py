"""The event database: articles, the events they tell, their sources, claims and history.

One class, :class:`Store`, is the only way in or out of the database, and all its SQL lives in
this module, so that a PostgreSQL backend can follow behind the same methods. SQLite (standard
library, WAL, one writer) is the default: one file at ``$CONFLICTATLAS_DB`` or
``~/.local/share/conflictatlas/events.db``.

Ingest is idempotent and transactional per article: an article already stored (same URL, same
text, or a near-duplicate text with the same figures) adds nothing, and each article with all its
events is written in one transaction, so a run killed midway and run again ends exactly as one
clean run. Reports of one real event are merged into one event (rules in :mod:`conflictatlas.merge`).
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import ConflictAtlasError, Errors
from .event import ACLED_FIELDS
from .merge import Report, aggregate, compare_memo
from .watch import WatchState

log = logging.getLogger("conflictatlas")

SCHEMA_VERSION = 4
ENV_DB = "CONFLICTATLAS_DB"
ENV_SLOW = "CONFLICTATLAS_TEST_SLOW_MS"   # test hook: pause inside each article's transaction

#: filters every query method takes
FILTERS = ("country", "admin1", "event_type", "actor", "date_from", "date_to", "text")


def default_db_path() -> Path:
    """``$CONFLICTATLAS_DB``, else ``$XDG_DATA_HOME/conflictatlas/events.db`` (~/.local/share)."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "conflictatlas" / "events.db"


# -- SQL: every statement the store runs is here ------------------------------------------------

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
    ],
    # version 2: the full-text index is brought up to date in batches, not in every article's transaction
    [
        "CREATE TABLE IF NOT EXISTS fts_pending (event_id TEXT PRIMARY KEY)",
    ],
    # version 3: reports with a vague place (a region, none) are tied to events after each ingest
    [
        "CREATE TABLE IF NOT EXISTS vague_pending (report_key TEXT PRIMARY KEY)",
    ],
    # version 4: what `conflictatlas watch` has polled and claimed (conflictatlas/watch.py)
    WatchState.MIGRATION,
]
FTS_DDL = "CREATE VIRTUAL TABLE events_fts USING fts5(event_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')"


def _fts_rowid(event_id: str) -> int:
    """A stable integer key for an event's row in the full-text index."""
    return int(hashlib.sha1(event_id.encode()).hexdigest()[:15], 16)


SQL = {
    "version": "SELECT MAX(version) FROM schema_version",
    "set_version": "INSERT INTO schema_version(version) VALUES (?)",
    "has_fts": "SELECT 1 FROM sqlite_master WHERE name='events_fts'",
    "article_by_url": "SELECT id FROM articles WHERE url = ?",
    "article_by_hash": "SELECT id FROM articles WHERE raw_hash = ? OR text_hash = ?",
    "band_candidates": "SELECT DISTINCT a.id, a.simhash, a.numbers FROM article_bands b JOIN articles a ON a.id = b.article_id WHERE b.band IN (?, ?, ?, ?)",
    "article_text": "SELECT text FROM articles WHERE id = ?",
    "insert_article": """INSERT INTO articles (id, doc_id, url, title, outlet, published, language, path,
        text, raw_hash, text_hash, simhash, numbers, n_events, n_background, notes, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "insert_band": "INSERT INTO article_bands (band, article_id) VALUES (?, ?)",
    "window": """SELECT report_key, event_id FROM event_sources
        WHERE country IN (?, '') AND date_lo >= ? AND date_lo <= ? AND date_hi >= ?""",
    "same_article": "SELECT report_key, event_id FROM event_sources WHERE article_id = ?",
    "event_report_keys": "SELECT report_key, event_id FROM event_sources WHERE event_id = ?",
    "insert_source": """INSERT INTO event_sources (report_key, event_id, article_id, idx, published, outlet,
        event_type, country, date_lo, date_hi, data, sentence, merge_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
    "move_sources": "UPDATE event_sources SET event_id = ? WHERE event_id = ?",
    "event_row": "SELECT * FROM events WHERE id = ?",
    "delete_event": "DELETE FROM events WHERE id = ?",
    "delete_claims": "DELETE FROM claims WHERE event_id = ?",
    "insert_claim": """INSERT INTO claims (event_id, report_key, article_id, field, value, said_by, sentence,
        chosen, credible, revision, published) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
    "move_history": "UPDATE event_history SET event_id = ? WHERE event_id = ?",
    "insert_history": "INSERT INTO event_history (event_id, article_id, action, detail, at) VALUES (?,?,?,?,?)",
    "alias_resolve": "SELECT event_id FROM event_aliases WHERE alias = ?",
    "insert_alias": "INSERT OR REPLACE INTO event_aliases (alias, event_id) VALUES (?, ?)",
    "move_aliases": "UPDATE event_aliases SET event_id = ? WHERE event_id = ?",
    "delete_fts": "DELETE FROM events_fts WHERE rowid = ?",
    "vague_mark": "INSERT OR IGNORE INTO vague_pending (report_key) VALUES (?)",
    "vague_pending": "SELECT report_key FROM vague_pending ORDER BY report_key LIMIT ?",
    "vague_done": "DELETE FROM vague_pending WHERE report_key = ?",
    "source_row": "SELECT report_key, event_id, article_id, data, published, outlet, merge_reason FROM event_sources WHERE report_key = ?",
    "move_one_source": "UPDATE event_sources SET event_id = ?, merge_reason = ? WHERE report_key = ?",
    "fts_mark": "INSERT OR IGNORE INTO fts_pending (event_id) VALUES (?)",
    "fts_pending": "SELECT event_id FROM fts_pending LIMIT ?",
    "fts_any": "SELECT 1 FROM fts_pending LIMIT 1",
    "fts_done": "DELETE FROM fts_pending WHERE event_id = ?",
    "fts_body": """SELECT e.notes, e.location, e.admin1, e.admin2, e.country, e.actor1, e.actor2,
        e.assoc_actor_1, e.assoc_actor_2, e.event_type, e.sub_event_type,
        (SELECT group_concat(s.sentence, ' ') FROM event_sources s WHERE s.event_id = e.id)
        FROM events e WHERE e.id = ?""",
    "insert_fts": "INSERT INTO events_fts (rowid, event_id, body) VALUES (?, ?, ?)",
    "event_sources_full": """SELECT s.report_key, s.article_id, s.idx, s.sentence, s.merge_reason, s.data,
        a.url, a.title, a.outlet, a.published, a.path, a.doc_id FROM event_sources s JOIN articles a ON a.id = s.article_id
        WHERE s.event_id = ? ORDER BY a.published, s.report_key""",
    "event_claims": "SELECT * FROM claims WHERE event_id = ? ORDER BY field, published, report_key",
    "event_history": "SELECT article_id, action, detail, at FROM event_history WHERE event_id = ? ORDER BY seq",
    "event_aliases": "SELECT alias FROM event_aliases WHERE event_id = ? ORDER BY alias",
    "article_row": "SELECT * FROM articles WHERE id = ? OR doc_id = ? OR url = ? LIMIT 1",
    "article_events": "SELECT DISTINCT event_id FROM event_sources WHERE article_id = ? ORDER BY event_id",
}


# -- helpers ----------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text or "")
    return " ".join(text.lower().split())


def content_hash(text: str) -> str:
    """SHA-256 of the text with case and spacing folded: the same article gives the same hash."""
    return hashlib.sha256(_norm(text).encode("utf-8")).hexdigest()


_WORD = re.compile(r"[^\W_]+", re.U)
_NUM = re.compile(r"\b\d+(?:[.,]\d+)?\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                  r"dozens?|scores?|hundreds?|thousands?|twenty|thirty|forty|fifty)\b", re.I)


NEAR_DUP_JACCARD = 0.9


def shingles(text: str) -> set[str]:
    """Word 3-shingles of the folded text."""
    words = _WORD.findall(_norm(text))
    return {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


_LANE = 24                                            # bits per counter lane
_SPREAD = [sum(((b >> j) & 1) << (_LANE * j) for j in range(8)) for b in range(256)]


def simhash(text: str, grams: set[str] | None = None) -> int:
    """64-bit SimHash over word 3-shingles (near-duplicate texts differ in few bits).

    The 64 bit counters run in parallel as lanes of one big integer (8 table look-ups per
    shingle instead of 64 bit tests)."""
    grams = shingles(text) if grams is None else grams
    total = 0
    for sh in grams:
        h = hashlib.blake2b(sh.encode("utf-8"), digest_size=8).digest()
        for k in range(8):
            total += _SPREAD[h[k]] << (_LANE * 8 * k)
    half = len(grams)
    mask = (1 << _LANE) - 1
    v = 0
    for i in range(64):
        if ((total >> (_LANE * i)) & mask) * 2 > half:
            v |= 1 << i
    return v - (1 << 64) if v >= (1 << 63) else v   # as a signed SQLite integer


def _bands(sig: int) -> list[int]:
    u = sig & ((1 << 64) - 1)
    return [(i << 16) | ((u >> (16 * i)) & 0xFFFF) for i in range(4)]


_NAME = re.compile(r"\b[A-Z][\w'-]+")


def names(text: str) -> set[str]:
    """Capitalised words: a copy may add a byline, but never swaps one place or name for another."""
    return set(_NAME.findall(re.sub(r"<[^>]+>", " ", text or "")))


def numbers_signature(text: str) -> str:
    """The figures a text tells, in order: a near-duplicate with other figures is an update."""
    return " ".join(m.group(0).lower() for m in _NUM.finditer(_norm(text)))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@functools.lru_cache(maxsize=1 << 16)
def _descending(key: str) -> tuple[int, ...]:
    """A sort key under which the smaller string ranks higher (ties go to the first report)."""
    return tuple(-ord(ch) for ch in key)


def _json_value(v: Any) -> str:
    """A claim's value as stored (JSON); a plain int, the common case, without the encoder."""
    return str(v) if type(v) is int else json.dumps(v, ensure_ascii=False, default=str)


def _plain_text(v: Any) -> str | None:
    """A metadata value as SQLite can store it: a string, a number as text, anything else None."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    return None


def _plain_metadata(doc) -> None:
    """A Document from a library user may carry an outlet of 5 or a title list: store text only."""
    for k in ("url", "title", "outlet", "language", "path"):
        if hasattr(doc, k):
            setattr(doc, k, _plain_text(getattr(doc, k)))
    doc.id = _plain_text(doc.id) if isinstance(doc.id, (str, int, float)) else str(doc.id)


def source_name(outlet: str | None, path: str | None, url: str | None, doc_id: str | None) -> str | None:
    """What to call an article's source (ACLED's ``source``): its outlet when known, else the
    file it was read from, else its web host, else its id."""
    if outlet:
        return outlet
    if path and not str(path).startswith(("http://", "https://")):
        return os.path.basename(str(path)) or None
    if url:
        from urllib.parse import urlsplit
        host = urlsplit(url).hostname
        if host:
            return host[4:] if host.startswith("www.") else host
    return doc_id


def _iso(d: Any) -> str | None:
    if d is None:
        return None
    return d.isoformat() if isinstance(d, date) else str(d)


@dataclass
class IngestReport:
    """What one ingest did: counts, problems (bad inputs), and the time it took."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    reports: int = 0
    background: int = 0
    events_created: int = 0       # net: events this run's own transactions added (minus those it merged away)
    events_updated: int = 0
    vague_moved: int = 0          # reports with a vague place tied to (or taken from) an event
    problems: list[Any] = field(default_factory=list)    # sources.Problem records
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        """Inputs that could not be read (warnings, e.g. a legacy encoding read anyway, excluded)."""
        return sum(1 for p in self.problems if getattr(p, "severity", "error") != "warning")

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        """The counts, and each problem as {"path", "line", "message"} (for JSON output)."""
        return {"read": self.read, "stored": self.stored, "duplicates": self.duplicates,
                "failed": self.failed, "reports": self.reports, "background": self.background,
                "events_created": self.events_created, "events_updated": self.events_updated,
                "vague_moved": self.vague_moved,
                "seconds": round(self.seconds, 3),
                "problems": [{"path": p.path, "line": p.line, "message": p.message,
                              "severity": getattr(p, "severity", "error")} for p in self.problems]}

    def summary(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        return (f"{self.read} articles read: {self.stored} stored, {self.duplicates} already in the database, "
                f"{self.failed} failed; {self.reports} event reports ({self.background} background history "
                f"not coded) -> {self.events_created} new events, {self.events_updated} updated, "
                f"{self.vague_moved} vague-place reports (re)assigned; "
                f"{self.seconds:.1f}s ({rate:.0f} articles/s)")


def _like_escape(s: str) -> str:
    """``s`` for a LIKE pattern that matches ``s`` itself: ``%`` and ``_`` are not wildcards here."""
    return str(s).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Store:
    """The event database (SQLite by default): ingest, merge, query.

    ``Store(path_or_url)`` opens (and creates or migrates) the database: a file path, a
    ``sqlite:///path`` URL, ``":memory:"``, or None for :func:`default_db_path`.
    """

    def __init__(self, path_or_url: str | os.PathLike | None = None):
        target = path_or_url if path_or_url not in (None, "") else default_db_path()
        s = str(target)
        if s.startswith(("postgres://", "postgresql://", "postgresql+")):
            raise ConflictAtlasError(Errors.E050.format(
                db=s, why="PostgreSQL is not supported yet; use a SQLite file path (--db events.db)"))
        if s.startswith("sqlite:///"):
            s = s[len("sqlite:///"):]
        self.path = s
        if s != ":memory:":
            try:
                Path(s).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConflictAtlasError(Errors.E050.format(db=s, why=exc)) from None
            s = str(Path(s).expanduser())
        try:
            self.conn = sqlite3.connect(s, isolation_level=None, check_same_thread=False, timeout=30)
            self.conn.row_factory = sqlite3.Row
            if s != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")      # WAL: durable at checkpoints, never corrupt
            self.conn.execute("PRAGMA wal_autocheckpoint=10000")  # fewer, larger checkpoints: fast per-article commits
            self.conn.execute("PRAGMA cache_size=-65536")         # 64 MB page cache
            self.conn.execute("PRAGMA temp_store=MEMORY")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._lock = threading.RLock()          # one writer
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise ConflictAtlasError(Errors.E050.format(db=s, why=exc)) from None
        self.fts = bool(self.conn.execute(SQL["has_fts"]).fetchone())
        self._cache: dict[str, Report] = {}
        self._net = 0        # events added minus events removed in the open transaction

    # -- lifecycle ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Move what the write-ahead log holds into the database file, then close the connection:
        a command that ends leaves a ``.db`` that holds everything (copy it alone and nothing is
        lost)."""
        try:
            self.checkpoint(truncate=True)
        except sqlite3.Error as exc:              # a reader still busy: its next close will do it
            log.debug("checkpoint at close skipped: %s", exc)
        self.conn.close()

    def checkpoint(self, truncate: bool = False) -> None:
        """Copy the write-ahead log into the database file (``truncate``: and empty the log,
        waiting for readers). Done at the end of every ingest and at close."""
        if self.path != ":memory:" and not self.conn.in_transaction:
            with self._lock:
                self.conn.execute(f"PRAGMA wal_checkpoint({'TRUNCATE' if truncate else 'PASSIVE'})").fetchone()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        with self._lock:
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            have = self.conn.execute(SQL["version"]).fetchone()[0] or 0
            if have > SCHEMA_VERSION:
                raise ConflictAtlasError(Errors.E050.format(
                    db=self.path, why=f"schema version {have} is newer than this conflictatlas ({SCHEMA_VERSION}); upgrade it"))
            for v in range(have + 1, SCHEMA_VERSION + 1):
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    for stmt in MIGRATIONS[v - 1]:
                        if not stmt.startswith("CREATE TABLE IF NOT EXISTS schema_version"):
                            self.conn.execute(stmt)
                    if v == 1:
                        try:
                            self.conn.execute(FTS_DDL)
                        except sqlite3.OperationalError:
                            log.info("SQLite has no FTS5: text search falls back to LIKE")
                    self.conn.execute(SQL["set_version"], (v,))
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        return self.conn.execute(SQL["version"]).fetchone()[0]

    # -- ingest -------------------------------------------------------------------------------------
    def known_article(self, doc, near: bool = True, sig: int | None = None) -> str | None:
        """The id of a stored article that ``doc`` repeats, else None: the same URL, the same
        text, or (with ``near``) a near-duplicate text (3-shingle Jaccard >= 0.9) that tells the
        same figures and names no other place or person (a byline may be added); a retelling
        with other figures is an update, and one with another place another story."""
        if doc.url:
            row = self.conn.execute(SQL["article_by_url"], (doc.url,)).fetchone()
            if row:
                return row[0]
        raw = doc.raw if doc.raw is not None else doc.text
        row = self.conn.execute(SQL["article_by_hash"], (content_hash(raw), content_hash(doc.text))).fetchone()
        if row:
            return row[0]
        if not near:
            return None
        sig = simhash(doc.text) if sig is None else sig
        nums = numbers_signature(doc.text)
        mine = None
        for aid, other, other_nums in self.conn.execute(SQL["band_candidates"], _bands(sig)):
            if nums != other_nums or bin((sig ^ other) & ((1 << 64) - 1)).count("1") > 8:
                continue
            mine = mine if mine is not None else (shingles(doc.text), names(doc.text))
            text = self.conn.execute(SQL["article_text"], (aid,)).fetchone()[0]
            theirs, their_names = shingles(text), names(text)
            if len(mine[0] & theirs) >= NEAR_DUP_JACCARD * len(mine[0] | theirs) and \
                    (mine[1] <= their_names or their_names <= mine[1]):
                return aid
        return None

    def ingest_paths(self, paths: Iterable[str | os.PathLike], pipeline=None, progress: bool = True,
                     published: date | None = None, max_mb: float = 20.0,
                     max_report_mb: float | None = None) -> IngestReport:
        """Read files, folders, JSONL and RSS/Atom feeds, skip articles already stored (before
        running the pipeline), extract the rest and store them. Returns an :class:`IngestReport`."""
        from .sources import Problem, read_sources
        rep = IngestReport()
        t0 = time.perf_counter()
        bar = _progress(progress)

        def fresh() -> Iterator:
            for item in read_sources(paths, published=published, max_mb=max_mb, max_report_mb=max_report_mb):
                if isinstance(item, Problem):
                    rep.problems.append(item)
                    log.info("%s", item.message)      # the caller reports problems
                    if item.severity != "warning":    # a warning's document follows it
                        bar.update(1)
                    continue
                rep.read += 1
                if self.known_article(item, near=False):
                    rep.duplicates += 1
                    bar.update(1)
                    continue
                yield item

        try:
            docs = fresh()
            first = next(docs, None)          # load the pipeline only when something is new
            if first is not None:
                if pipeline is None:
                    from . import _default_pipeline
                    pipeline = _default_pipeline()
                for doc in pipeline.pipe(itertools.chain([first], docs)):
                    self._ingest_one(doc, rep)
                    _note_report_date(doc, rep)
                    bar.update(1)
        finally:
            bar.close()
            rep.vague_moved += self.reconcile_vague(rep=rep)
            self.flush_search_index()
            self.checkpoint()
        rep.seconds = time.perf_counter() - t0
        return rep

    def ingest_documents(self, docs: Iterable[Any]) -> IngestReport:
        """Store processed Documents (with ``.events``); Problem records are counted, not stored."""
        from .sources import Problem
        rep = IngestReport()
        t0 = time.perf_counter()
        for doc in docs:
            if isinstance(doc, Problem):
                rep.problems.append(doc)
                continue
            rep.read += 1
            self._ingest_one(doc, rep)
        rep.vague_moved += self.reconcile_vague(rep=rep)
        self.flush_search_index()
        self.checkpoint()
        rep.seconds = time.perf_counter() - t0
        return rep

    def _ingest_one(self, doc, rep: IngestReport) -> None:
        slow = float(os.environ.get(ENV_SLOW) or 0) / 1000.0
        _plain_metadata(doc)
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            self._net = 0
            try:
                sig = simhash(doc.text)
                if self.known_article(doc, sig=sig):
                    self.conn.execute("ROLLBACK")
                    rep.duplicates += 1
                    return
                updated = self._store_article(doc, rep, sig)
                if slow:
                    time.sleep(slow)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                self._cache.clear()
                raise
        rep.stored += 1
        if rep.stored % 2000 == 0:
            self.flush_search_index()             # search keeps up during long ingests
        rep.events_created += self._net          # this transaction's own: no one else wrote meanwhile
        rep.events_updated += updated

    def _store_article(self, doc, rep: IngestReport, sig: int) -> int:
        """Store one article and place its reports; returns how many existing events it updated."""
        raw = doc.raw if doc.raw is not None else doc.text
        raw_hash = content_hash(raw)
        aid = "A-" + raw_hash[:16]
        events = [e for e in (doc.events or [])]
        background = [e for e in events if getattr(e, "background", False)]
        background += list((getattr(doc, "meta", None) or {}).get("background_events") or [])
        news = [e for e in events if not getattr(e, "background", False)]
        notes = "; ".join(doc.meta.get("stage_errors", [])) if getattr(doc, "meta", None) else ""
        self.conn.execute(SQL["insert_article"], (
            aid, doc.id, doc.url, doc.title, doc.outlet, _iso(doc.published), doc.language, doc.path,
            doc.text, raw_hash, content_hash(doc.text), sig, numbers_signature(doc.text), len(news),
            len(background), notes or None, _now()))
        for b in _bands(sig):
            self.conn.execute(SQL["insert_band"], (b, aid))
        rep.background += len(background)
        touched: set[str] = set()
        for i, ev in enumerate(news):
            rep.reports += 1
            data = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
            r = Report.build(f"{aid}:{i}", aid, data, doc.published, doc.outlet or doc.title or doc.id)
            new_id, was_new = self._place(r)
            if not was_new:
                touched.add(new_id)
        return len(touched)

    def _candidates(self, r: Report) -> list[Report]:
        rows = list(self.conn.execute(SQL["same_article"], (r.article_id,)))
        if r.country and r.date_lo:
            from datetime import timedelta
            lo = (r.date_lo - timedelta(days=62)).isoformat()
            hi = (r.date_hi + timedelta(days=2)).isoformat()
            low_edge = (r.date_lo - timedelta(days=2)).isoformat()
            rows += list(self.conn.execute(SQL["window"], (r.country, lo, hi, low_edge)))
        # (key, event id) first; each report's data is read and parsed only when not cached
        out, seen = [], set()
        cache = self._cache
        for key, eid in rows:
            if key in seen:
                continue
            seen.add(key)
            rep = cache.get(key)
            if rep is None:
                rep = self._report(self.conn.execute(SQL["source_row"], (key,)).fetchone())
            rep.event_id = eid  # type: ignore[attr-defined]
            out.append(rep)
        return out

    def _report(self, row) -> Report:
        rep = self._cache.get(row["report_key"])
        if rep is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            rep = Report.build(row["report_key"], row["article_id"], json.loads(row["data"]),
                               row["published"], row["outlet"])
            self._cache[row["report_key"]] = rep
        rep.event_id = row["event_id"]  # type: ignore[attr-defined]
        return rep

    def _place(self, r: Report) -> tuple[str, bool]:
        """Put report ``r`` in an event (merging the events it joins); returns (event id, new?).

        Only strong links join here: two reports with specific places, or two reports of one
        article. A report with a vague place (a region, none) starts alone and is tied to the
        event it alone matches by :meth:`reconcile_vague` at the end of the ingest."""
        by_event: dict[str, list[tuple[Report, Any]]] = {}
        memo: dict = {}
        for c in self._candidates(r):
            m = compare_memo(r, c, memo)
            by_event.setdefault(c.event_id, []).append((c, m))
            if m.same and m.weak:
                for x in (r, c):
                    if x.vague:
                        self._mark_vague(x)
        linked = []
        for eid, pairs in by_event.items():
            if any(m.cannot for c, m in pairs if not c.vague or c.article_id == r.article_id):
                continue
            good = [(m.score, c.key, c, m) for c, m in pairs if m.same and not m.weak]
            if good:
                best = max(good, key=lambda t: (t[0], _descending(t[1])))
                members = [c for c, _ in pairs]
                linked.append((best[0], min(c.key for c in members), eid, best[2], best[3]))
        linked.sort(key=lambda t: (-t[0], t[1]))
        chosen: list[tuple] = []
        chosen_reports: list[Report] = [r]
        for item in linked:
            members = self._event_reports(item[2])
            if any(compare_memo(x, y, memo).cannot for x in members for y in chosen_reports
                   if not ((x.vague and x.article_id != y.article_id) or (y.vague and x.article_id != y.article_id))):
                continue
            chosen.append(item)
            chosen_reports.extend(members)
        for x in chosen_reports:            # ties of vague reports to the joined events are checked again
            if x.vague and x is not r:
                self._mark_vague(x)
        if r.vague:
            self._mark_vague(r)
        data = r.data
        sentence = data.get("notes") or ""
        if chosen:
            best = chosen[0]
            reason = f"joined {best[3].key.split(':')[0]} ({best[3].outlet or '?'}): {best[4].why()}"
        else:
            reason = "first report of this event"
        self.conn.execute(SQL["insert_source"], (
            r.key, "pending", r.article_id, int(r.key.rsplit(":", 1)[1]), _iso(r.published), r.outlet,
            r.event_type, r.country, _iso(r.date_lo), _iso(r.date_hi),
            json.dumps(data, ensure_ascii=False, default=str), sentence, reason))
        old_ids = [c[2] for c in chosen]
        reports = chosen_reports
        new_id = "CA-" + hashlib.sha1(min(x.key for x in reports).encode()).hexdigest()[:12]
        old_rows = {eid: self.conn.execute(SQL["event_row"], (eid,)).fetchone() for eid in old_ids}
        for eid in old_ids:
            if eid != new_id:
                self.conn.execute(SQL["move_sources"], (new_id, eid))
                self.conn.execute(SQL["move_history"], (new_id, eid))
                self.conn.execute(SQL["move_aliases"], (new_id, eid))
                self.conn.execute(SQL["insert_alias"], (eid, new_id))
                self._net -= self.conn.execute(SQL["delete_event"], (eid,)).rowcount
                self.conn.execute(SQL["delete_claims"], (eid,))
                if self.fts:
                    self.conn.execute(SQL["fts_mark"], (eid,))
        self.conn.execute(SQL["move_sources"], (new_id, "pending"))
        for x in reports:
            x.event_id = new_id  # type: ignore[attr-defined]
        self._cache[r.key] = r
        self._write_event(new_id, reports, r, old_rows, reason, chosen)
        return new_id, not chosen

    def _mark_vague(self, x: Report) -> None:
        self.conn.execute(SQL["vague_mark"], (x.key,))

    def reconcile_vague(self, batch: int = 2000, rep: IngestReport | None = None) -> int:
        """Tie each pending report with a vague place (a province, none) to the one event with
        specific places it matches; when it matches none or several, it stays apart (grouped with
        other vague reports it matches). Runs at the end of every ingest, in its own transactions;
        the result depends only on what is stored, not on the order of arrival. Returns how many
        reports moved (and adds the events it made or merged away to ``rep.events_created``)."""
        moved = 0
        with self._lock:
            while True:
                self.conn.execute("BEGIN IMMEDIATE")
                self._net = 0
                try:
                    keys = [row[0] for row in self.conn.execute(SQL["vague_pending"], (batch,))]
                    for key in keys:
                        moved += self._reconcile_one(key)
                        self.conn.execute(SQL["vague_done"], (key,))
                    self.conn.execute("COMMIT")
                    if rep is not None:
                        rep.events_created += self._net
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    self._cache.clear()
                    raise
                if len(keys) < batch:
                    return moved

    def _reconcile_one(self, key: str) -> int:
        row = self.conn.execute(SQL["source_row"], (key,)).fetchone()
        if row is None:
            return 0
        w = self._report(row)
        home = w.event_id
        members = [x for x in self._event_reports(home) if x.key != w.key]
        specific: dict[str, tuple] = {}
        vague_homes: dict[str, tuple] = {}
        blocked: set[str] = set()
        groups: dict[str, list[Report]] = {}
        for c in self._candidates(w):
            if c.key != w.key:
                groups.setdefault(c.event_id, []).append(c)
        memo: dict = {}
        for eid, cs in groups.items():
            ms = [(c, compare_memo(w, c, memo)) for c in cs]
            if any(m.cannot for c, m in ms if not c.vague or c.article_id == w.article_id):
                blocked.add(eid)
                continue
            good = [(m.score, c.key, c, m) for c, m in ms if m.same]
            if not good:
                continue
            best = max(good, key=lambda t: (t[0], _descending(t[1])))
            if any(not c.vague for _, _, c, _ in good):
                specific[eid] = best
            elif all(x.vague for x in self._event_reports(eid)):
                vague_homes[eid] = best
        home_specific = any(not x.vague for x in members)
        if len(specific) == 1:
            target = next(iter(specific))
            why = specific[target]
        elif members and not home_specific:
            return 0                                   # apart, with vague reports it matches
        elif vague_homes:
            target = min(vague_homes, key=lambda e: (self._canonical(e), e))
            why = vague_homes[target]
        else:
            target, why = None, None
        if target == home or (target is None and not members):
            return 0
        if why is not None:
            reason = f"joined {why[2].key.split(':')[0]} ({why[2].outlet or '?'}): {why[3].why()}"
        elif len(specific) > 1:
            reason = f"apart: its place is vague and it matches {len(specific)} events"
        else:
            reason = "first report of this event"
        self.conn.execute(SQL["move_one_source"], ("pending", reason, key))
        now = _now()
        if members:
            left = self._rewrite(home, members, w.article_id)
            self.conn.execute(SQL["insert_history"], (left, w.article_id, "detached",
                                                      json.dumps({"report": key, "why": reason}), now))
        if target is None:
            new = self._rewrite(None, [w], w.article_id, pending=True)
            action = "created"
        else:
            new = self._rewrite(target, self._event_reports(target) + [w], w.article_id, pending=True)
            action = "source_added"
        if home and not members and home != new:
            self._retire(home, new)
        self.conn.execute(SQL["insert_history"], (new, w.article_id, action,
                                                  json.dumps({"report": key, "why": reason}), now))
        return 1

    def _canonical(self, eid: str) -> str:
        row = self.conn.execute("SELECT canonical_key FROM events WHERE id = ?", (eid,)).fetchone()
        return row[0] if row else ""

    def _retire(self, old: str, new: str) -> None:
        """Event ``old`` is now (part of) ``new``: move its history and aliases, keep its id as an alias."""
        if old == new:
            return
        self.conn.execute(SQL["move_sources"], (new, old))
        self.conn.execute(SQL["move_history"], (new, old))
        self.conn.execute(SQL["move_aliases"], (new, old))
        self.conn.execute(SQL["insert_alias"], (old, new))
        self._net -= self.conn.execute(SQL["delete_event"], (old,)).rowcount
        self.conn.execute(SQL["delete_claims"], (old,))
        if self.fts:
            self.conn.execute(SQL["fts_mark"], (old,))

    def _rewrite(self, old: str | None, reports: list[Report], article_id: str, pending: bool = False) -> str:
        """Rebuild an event from ``reports`` (renaming it when its first report changed)."""
        new = "CA-" + hashlib.sha1(min(x.key for x in reports).encode()).hexdigest()[:12]
        prev = self.conn.execute(SQL["event_row"], (old,)).fetchone() if old else None
        if old and old != new:
            self._retire(old, new)
        if pending:
            self.conn.execute(SQL["move_sources"], (new, "pending"))
        for x in reports:
            x.event_id = new  # type: ignore[attr-defined]
        self._store_event(new, reports, prev, article_id)
        return new

    def _put_event_row(self, eid: str, reports: list[Report], created_at: str, now: str) -> dict:
        """Write the event row and its claims from ``reports``; returns the aggregated fields."""
        fields, claims, why = aggregate(reports)
        dlo = min((x.date_lo for x in reports if x.date_lo), default=None)
        dhi = max((x.date_hi for x in reports if x.date_hi), default=None)
        explanation = why + [f"{len(reports)} report(s) from {len({x.article_id for x in reports})} article(s)"]
        self._net -= self.conn.execute(SQL["delete_event"], (eid,)).rowcount - 1     # +1: written below
        cols = ["id", "canonical_key", *ACLED_FIELDS, "date_lo", "date_hi", "confidence", "notes",
                "n_sources", "n_articles", "explanation", "created_at", "updated_at"]
        vals = [eid, min(x.key for x in reports), *[fields.get(f) for f in ACLED_FIELDS], _iso(dlo), _iso(dhi),
                fields["confidence"], fields["notes"], len(reports), len({x.article_id for x in reports}),
                json.dumps(explanation, ensure_ascii=False), created_at, now]
        self.conn.execute(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals)
        self.conn.execute(SQL["delete_claims"], (eid,))
        self.conn.executemany(SQL["insert_claim"], [(
            eid, c["report"], c["article_id"], c["field"], _json_value(c["value"]),
            c["said_by"], c["sentence"], int(bool(c["chosen"])), int(bool(c["credible"])),
            int(bool(c["revision"])), c["published"]) for c in claims])
        if self.fts:
            self.conn.execute(SQL["fts_mark"], (eid,))
        return fields

    def _store_event(self, eid: str, reports: list[Report], prev, article_id: str) -> None:
        now = _now()
        fields = self._put_event_row(eid, reports, prev["created_at"] if prev else now, now)
        if prev is not None:
            for f in ACLED_FIELDS:
                old, new = prev[f], fields.get(f)
                if old != new and not (old in (None, "") and new in (None, "")):
                    self.conn.execute(SQL["insert_history"], (
                        eid, article_id, "revised",
                        json.dumps({"field": f, "old": old, "new": new}, ensure_ascii=False, default=str), now))

    def _event_reports(self, event_id: str) -> list[Report]:
        """Every report of an event; the data of each is read and parsed only when not cached."""
        out = []
        for key, eid in self.conn.execute(SQL["event_report_keys"], (event_id,)):
            rep = self._cache.get(key)
            if rep is None:
                rep = self._report(self.conn.execute(SQL["source_row"], (key,)).fetchone())
            rep.event_id = eid  # type: ignore[attr-defined]
            out.append(rep)
        return out

    def _write_event(self, eid: str, reports: list[Report], r: Report, old_rows: dict, reason: str,
                     chosen: list) -> None:
        prev = old_rows.get(eid) or (next(iter(old_rows.values())) if old_rows else None)
        now = _now()
        created_at = min((row["created_at"] for row in old_rows.values() if row), default=now)
        fields = self._put_event_row(eid, reports, created_at, now)
        # history
        hist = self.conn.execute
        if not chosen:
            hist(SQL["insert_history"], (eid, r.article_id, "created",
                                         json.dumps({"report": r.key, "why": reason}, ensure_ascii=False), now))
            return
        hist(SQL["insert_history"], (eid, r.article_id, "source_added",
                                     json.dumps({"report": r.key, "why": reason}, ensure_ascii=False), now))
        for item in chosen:
            if item[2] != eid:
                hist(SQL["insert_history"], (eid, r.article_id, "merged",
                                             json.dumps({"from": item[2], "why": item[4].why()}, ensure_ascii=False), now))
        if prev is not None:
            for f in ACLED_FIELDS:
                old, new = prev[f], fields.get(f)
                if old != new and not (old in (None, "") and new in (None, "")):
                    hist(SQL["insert_history"], (eid, r.article_id, "revised",
                                                 json.dumps({"field": f, "old": old, "new": new}, ensure_ascii=False, default=str), now))

    def flush_search_index(self, batch: int = 5000) -> int:
        """Bring the full-text index up to date with the events changed since the last flush
        (done at the end of every ingest and before a text query); returns how many."""
        if not self.fts:
            return 0
        done = 0
        with self._lock:
            while True:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    ids = [r[0] for r in self.conn.execute(SQL["fts_pending"], (batch,))]
                    for eid in ids:
                        self.conn.execute(SQL["delete_fts"], (_fts_rowid(eid),))
                        row = self.conn.execute(SQL["fts_body"], (eid,)).fetchone()
                        if row is not None:
                            body = " ".join(str(x) for x in row if x)
                            self.conn.execute(SQL["insert_fts"], (_fts_rowid(eid), eid, body))
                        self.conn.execute(SQL["fts_done"], (eid,))
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                done += len(ids)
                if len(ids) < batch:
                    return done

    # -- reads ----------------------------------------------------------------------------------------
    def _where(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
               date_to=None, text=None) -> tuple[str, list[Any]]:
        clauses, args = [], []
        if country:
            clauses.append("e.country = ? COLLATE NOCASE")
            args.append(country)
        if admin1:
            clauses.append("e.admin1 = ? COLLATE NOCASE")
            args.append(admin1)
        if event_type:
            clauses.append("(e.event_type = ? COLLATE NOCASE OR e.sub_event_type = ? COLLATE NOCASE)")
            args += [event_type, event_type]
        if actor:
            like = f"%{_like_escape(actor)}%"
            clauses.append("(e.actor1 LIKE ? ESCAPE '\\' OR e.actor2 LIKE ? ESCAPE '\\' "
                           "OR e.assoc_actor_1 LIKE ? ESCAPE '\\' OR e.assoc_actor_2 LIKE ? ESCAPE '\\')")
            args += [like] * 4
        if date_from:
            clauses.append("e.event_date >= ?")
            args.append(_iso(date_from))
        if date_to:
            clauses.append("e.event_date <= ?")
            args.append(_iso(date_to))
        if text:
            words = [w for w in re.findall(r"[^\W_]+", str(text)) if w]
            if self.fts and words:
                if self.conn.execute(SQL["fts_any"]).fetchone():
                    self.flush_search_index()
                clauses.append("e.id IN (SELECT event_id FROM events_fts WHERE events_fts MATCH ?)")
                args.append(" AND ".join('"' + w.replace('"', "") + '"' for w in words))
            else:
                for w in words or [str(text)]:
                    clauses.append("(e.notes LIKE ? ESCAPE '\\' OR e.location LIKE ? ESCAPE '\\' "
                                   "OR e.actor1 LIKE ? ESCAPE '\\' OR e.actor2 LIKE ? ESCAPE '\\')")
                    args += [f"%{_like_escape(w)}%"] * 4
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def query_events(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
                     date_to=None, text=None, limit: int | None = 100, offset: int = 0) -> list[dict]:
        """Events matching the filters (newest first): ACLED fields plus id, confidence, notes,
        n_sources, n_articles. ``limit=None`` returns all."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        sql = f"SELECT e.* FROM events e{where} ORDER BY e.event_date DESC, e.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        return [self._event_dict(row) for row in self.conn.execute(sql, args)]

    def iter_events(self, **filters) -> Iterator[dict]:
        """Every event matching the filters, oldest first, streamed (for exports)."""
        where, args = self._where(**filters)
        for row in self.conn.execute(f"SELECT e.* FROM events e{where} ORDER BY e.event_date, e.id", args):
            yield self._event_dict(row)

    def point_rows(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
                   date_to=None, text=None) -> list[tuple]:
        """Compact rows for a map, one per matching event: (id, latitude, longitude, event_date,
        event_type, country, admin1, actor1, actor2, assoc_actor_1, assoc_actor_2, fatalities)."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        sql = ("SELECT e.id, e.latitude, e.longitude, e.event_date, e.event_type, e.country, e.admin1, "
               f"e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2, e.fatalities FROM events e{where} "
               "ORDER BY e.event_date, e.id")
        return [tuple(r) for r in self.conn.execute(sql, args)]

    def count_events(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
                     date_to=None, text=None) -> int:
        """How many events match the filters."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        return self.conn.execute(f"SELECT COUNT(*) FROM events e{where}", args).fetchone()[0]

    @staticmethod
    def _event_dict(row) -> dict:
        d = {"id": row["id"]}
        for f in ACLED_FIELDS:
            d[f] = row[f]
        d.update(confidence=row["confidence"], notes=row["notes"], n_sources=row["n_sources"],
                 n_articles=row["n_articles"], updated_at=row["updated_at"])
        return d

    def resolve_id(self, event_id: str) -> str | None:
        """The current id of an event (ids of events merged into another still resolve)."""
        if self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
            return event_id
        row = self.conn.execute(SQL["alias_resolve"], (event_id,)).fetchone()
        return row[0] if row else None

    def get_event(self, event_id: str) -> dict | None:
        """One event with its sources (article, sentence, evidence), claims, the merge
        explanation and its history; None if unknown. Old ids of merged events resolve."""
        eid = self.resolve_id(event_id)
        if eid is None:
            return None
        row = self.conn.execute(SQL["event_row"], (eid,)).fetchone()
        d = self._event_dict(row)
        d["created_at"] = row["created_at"]
        d["explanation"] = json.loads(row["explanation"] or "[]")
        sources = []
        for s in self.conn.execute(SQL["event_sources_full"], (eid,)):
            data = json.loads(s["data"])
            sources.append({
                "report": s["report_key"], "article_id": s["article_id"], "url": s["url"],
                "title": s["title"], "outlet": s["outlet"], "published": s["published"],
                "source": source_name(s["outlet"], s["path"], s["url"], s["doc_id"]),
                "sentence": s["sentence"], "merge_reason": s["merge_reason"],
                "extracted": {f: data.get(f) for f in ACLED_FIELDS},
                "evidence": data.get("evidence") or {},
            })
        d["sources"] = sources
        d["claims"] = [{"field": c["field"], "value": json.loads(c["value"]) if c["value"] else None,
                        "said_by": c["said_by"], "sentence": c["sentence"], "article_id": c["article_id"],
                        "report": c["report_key"], "published": c["published"], "chosen": bool(c["chosen"]),
                        "credible": bool(c["credible"]), "revision": bool(c["revision"])}
                       for c in self.conn.execute(SQL["event_claims"], (eid,))]
        d["history"] = [{"article_id": h["article_id"], "action": h["action"],
                         "detail": json.loads(h["detail"]) if h["detail"] else None, "at": h["at"]}
                        for h in self.conn.execute(SQL["event_history"], (eid,))]
        d["aliases"] = [a[0] for a in self.conn.execute(SQL["event_aliases"], (eid,))]
        return d

    def get_article(self, article_id: str) -> dict | None:
        """One stored article (by its id, its document id or its URL) with the ids of its events."""
        row = self.conn.execute(SQL["article_row"], (article_id, article_id, article_id)).fetchone()
        if row is None:
            return None
        d = {k: row[k] for k in ("id", "doc_id", "url", "title", "outlet", "published", "language",
                                 "path", "text", "n_events", "n_background", "ingested_at")}
        d["events"] = [r[0] for r in self.conn.execute(SQL["article_events"], (row["id"],))]
        return d

    def stats(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
              date_to=None, text=None) -> dict:
        """Counts and fatalities of the matching events, in total and by month, event_type,
        admin1 and actor (actor1 and actor2): {"events", "fatalities", "by_month": [{key,
        events, fatalities}], ...}."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        tot = self.conn.execute(f"SELECT COUNT(*), COALESCE(SUM(e.fatalities),0), COUNT(DISTINCT e.country) FROM events e{where}", args).fetchone()
        out: dict[str, Any] = {"events": tot[0], "fatalities": tot[1], "countries": tot[2]}
        groups = {"by_month": "substr(e.event_date, 1, 7)", "by_event_type": "e.event_type",
                  "by_admin1": "e.admin1", "by_country": "e.country"}
        for name, expr in groups.items():
            sql = (f"SELECT {expr} AS k, COUNT(*) AS n, COALESCE(SUM(e.fatalities),0) AS f FROM events e{where} "
                   f"GROUP BY k ORDER BY {'k' if name == 'by_month' else 'n DESC, k'}")
            out[name] = [{"key": r["k"], "events": r["n"], "fatalities": r["f"]} for r in self.conn.execute(sql, args)]
        sql = (f"SELECT k, COUNT(*) AS n, COALESCE(SUM(f),0) AS f FROM ("
               f"SELECT e.actor1 AS k, e.fatalities AS f FROM events e{where} UNION ALL "
               f"SELECT e.actor2 AS k, e.fatalities AS f FROM events e{where}) WHERE k IS NOT NULL "
               f"GROUP BY k ORDER BY n DESC, k LIMIT 50")
        out["by_actor"] = [{"key": r["k"], "events": r["n"], "fatalities": r["f"]} for r in self.conn.execute(sql, args + args)]
        out["articles"] = self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return out

    def counts(self) -> dict[str, int]:
        """Rows per table (articles, events, event_sources, claims, event_history)."""
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "events", "event_sources", "claims", "event_history")}


# -- small pieces for ingest_paths -----------------------------------------------------------------

class _NoBar:
    def update(self, n=1):
        pass

    def close(self):
        pass


def _progress(enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(unit=" articles", file=sys.stderr, desc="ingest", dynamic_ncols=True)


def _note_report_date(doc: Any, rep: "IngestReport") -> None:
    """A warning when a report has no date and something in it stays undated (W010), or when its
    own date won over --published (W011): the CLI prints it like any other problem."""
    from .sources import Problem
    from .stages.article import date_notice
    got = date_notice(doc)
    if got and got[1]:
        rep.problems.append(Problem(doc.path or doc.id, got[1], severity="warning"))
