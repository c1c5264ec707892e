"""The event database: articles, the events they tell, their sources, claims and history.

One class, :class:`Store`, is the only way in or out of the database. It stands on two layers:

* persistence (:mod:`conflictatlas.storage`): the migrations, every statement by name, and one
  implementation per dialect, SQLite (the default: standard library, WAL, one writer; one file at
  ``$CONFLICTATLAS_DB`` or ``~/.local/share/conflictatlas/events.db``) and PostgreSQL (a
  ``postgresql://`` URL; several writers at once);
* merge decisions (:mod:`conflictatlas.merging`, with the rules in :mod:`conflictatlas.merge`):
  which event a report joins, where a vague report belongs, what an event holds.

Ingest is idempotent and transactional per article: an article already stored (same URL, same
text, or a near-duplicate text with the same figures) adds nothing, and each article with all its
events is written in one transaction, so a run killed midway and run again ends exactly as one
clean run.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import ConflictAtlasError, Errors
from .event import ACLED_FIELDS
from .merge import Report
from .merging import ALL_WINDOWS, Merger, iso as _iso, merge_locks, now_iso as _now
from .storage import MIGRATIONS, SCHEMA_VERSION, SQL, Database, open_database  # noqa: F401 (re-exported)
from .storage.schema import COUNTED_TABLES

log = logging.getLogger("conflictatlas")

ENV_DB = "CONFLICTATLAS_DB"
ENV_SLOW = "CONFLICTATLAS_TEST_SLOW_MS"   # test hook: pause inside each article's transaction
RETRIES = 5          # an article's transaction run again after a deadlock between writers

#: filters every query method takes
FILTERS = ("country", "admin1", "event_type", "actor", "date_from", "date_to", "text")


def default_db() -> str:
    """The database when none is named: ``$CONFLICTATLAS_DB`` (a path or a ``postgresql://``
    URL), else :func:`default_db_path`."""
    env = os.environ.get(ENV_DB)
    if env and "://" in env:
        return env
    return str(default_db_path())


def default_db_path() -> Path:
    """``$CONFLICTATLAS_DB``, else ``$XDG_DATA_HOME/conflictatlas/events.db`` (~/.local/share)."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "conflictatlas" / "events.db"



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


def article_id(doc) -> str:
    """A stored article's id: ``A-`` and the hash of its raw text."""
    return "A-" + content_hash(doc.raw if doc.raw is not None else doc.text)[:16]


def _split_events(doc) -> tuple[list, list]:
    """A document's events as (news, background history, not coded as new events)."""
    events = list(doc.events or [])
    background = [e for e in events if getattr(e, "background", False)]
    background += list((getattr(doc, "meta", None) or {}).get("background_events") or [])
    return [e for e in events if not getattr(e, "background", False)], background


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


def _by_key(row: tuple) -> tuple:
    """Groups by their value, the empty value first."""
    return (row[0] is not None, row[0] if row[0] is not None else "")


def _by_count(row: tuple) -> tuple:
    """Groups by count, largest first; ties by value, the empty value first."""
    return (-row[1], *_by_key(row))


def _like_escape(s: str) -> str:
    """``s`` for a LIKE pattern that matches ``s`` itself: ``%`` and ``_`` are not wildcards here."""
    return str(s).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")



class Store:
    """The event database: ingest, merge, query.

    ``Store(path_or_url)`` opens (and creates or migrates) the database: a SQLite file path, a
    ``sqlite:///path`` URL, ``":memory:"``, a ``postgresql://user@host/dbname`` URL, or None for
    ``$CONFLICTATLAS_DB`` / :func:`default_db_path`.
    """

    def __init__(self, path_or_url: str | os.PathLike | None = None):
        target = path_or_url if path_or_url not in (None, "") else default_db()
        s = str(target)
        if s.startswith("sqlite:///"):
            s = s[len("sqlite:///"):]
        self.db: Database = open_database(s)
        self.path = s if self.db.dialect == "sqlite" else self.db.display_name
        self.merger = Merger(self.db)

    @property
    def conn(self):
        """The driver's connection (sqlite3 or psycopg); prefer :attr:`db` (``db.execute`` takes
        ``?`` placeholders on every dialect)."""
        return self.db.conn

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.db.dialect

    @property
    def fts(self) -> bool:
        return self.db.fts

    def info(self) -> dict[str, Any]:
        """What the database is: backend, where, schema version, full-text search, spatial
        columns (PostGIS or not), counts of rows."""
        return {**self.db.info(), "rows": self.counts()}

    def last_change(self) -> int:
        """A number that grows with every change any writer makes to events (the last history
        row): a reader's cache of counts and pages is stale when it moved."""
        return self.db.one("last_change")[0] or 0

    # -- lifecycle ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection. SQLite first moves what the write-ahead log holds into the
        database file: a command that ends leaves a ``.db`` that holds everything."""
        self.db.close()

    def checkpoint(self, truncate: bool = False) -> None:
        """SQLite: copy the write-ahead log into the database file (``truncate``: and empty the
        log, waiting for readers). Done at the end of every ingest and at close."""
        self.db.checkpoint(truncate)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        return self.db.schema_version

    # -- ingest -------------------------------------------------------------------------------------
    def known_article(self, doc, near: bool = True, sig: int | None = None) -> str | None:
        """The id of a stored article that ``doc`` repeats, else None: the same URL, the same
        text, or (with ``near``) a near-duplicate text (3-shingle Jaccard >= 0.9) that tells the
        same figures and names no other place or person (a byline may be added); a retelling
        with other figures is an update, and one with another place another story."""
        if doc.url:
            row = self.db.one("article_by_url", (doc.url,))
            if row:
                return row[0]
        raw = doc.raw if doc.raw is not None else doc.text
        row = self.db.one("article_by_hash", (content_hash(raw), content_hash(doc.text)))
        if row:
            return row[0]
        if not near:
            return None
        sig = simhash(doc.text) if sig is None else sig
        nums = numbers_signature(doc.text)
        mine = None
        for aid, other, other_nums in list(self.db.run("band_candidates", _bands(sig))):
            if nums != other_nums or bin((sig ^ other) & ((1 << 64) - 1)).count("1") > 8:
                continue
            mine = mine if mine is not None else (shingles(doc.text), names(doc.text))
            text = self.db.one("article_text", (aid,))[0]
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
            self._finish(rep)
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
        self._finish(rep)
        rep.seconds = time.perf_counter() - t0
        return rep

    def _finish(self, rep: IngestReport) -> None:
        """The end of every ingest: vague reports tied, the search index brought up to date, the
        SQLite log checkpointed."""
        rep.vague_moved += self.reconcile_vague(rep=rep)
        self.flush_search_index()
        self.checkpoint()

    def _ingest_one(self, doc, rep: IngestReport) -> None:
        _plain_metadata(doc)
        news, background = _split_events(doc)
        reports = self._reports(doc, news)
        merger = self.merger
        for attempt in range(RETRIES + 1):
            try:
                updated = self._write_article(doc, reports, len(background))
                break
            except BaseException as exc:
                merger.forget()
                if self.db.is_conflict(exc) and self.known_article(doc, near=False):
                    updated = None                # another writer stored the same article meanwhile
                    break
                if attempt < RETRIES and self.db.is_retryable(exc):
                    log.info("article %s: %s; writing it again", doc.id, type(exc).__name__)
                    continue
                raise
        if updated is None:
            rep.duplicates += 1
            return
        rep.stored += 1
        rep.reports += len(reports)
        rep.background += len(background)
        if rep.stored % 2000 == 0:
            self.flush_search_index()             # search keeps up during long ingests
        rep.events_created += merger.net          # this transaction's own: no one else wrote meanwhile
        rep.events_updated += updated

    def _write_article(self, doc, reports: list[Report], n_background: int) -> int | None:
        """One article's transaction: None when it is already stored, else how many existing
        events it updated. Holds its countries' merge windows (several writers on PostgreSQL)."""
        slow = float(os.environ.get(ENV_SLOW) or 0) / 1000.0
        locks, shared = merge_locks(reports)
        with self.db.write(locks=locks, shared=shared):
            self.merger.net = 0
            sig = simhash(doc.text)
            if self.known_article(doc, sig=sig):
                return None
            updated = self._store_article(doc, reports, n_background, sig)
            if slow:
                time.sleep(slow)
        return updated

    @staticmethod
    def _reports(doc, news: list) -> list[Report]:
        aid = article_id(doc)
        out = []
        for i, ev in enumerate(news):
            data = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
            out.append(Report.build(f"{aid}:{i}", aid, data, doc.published, doc.outlet or doc.title or doc.id))
        return out

    def _store_article(self, doc, reports: list[Report], n_background: int, sig: int) -> int:
        """Store one article and place its reports; returns how many existing events it updated."""
        raw = doc.raw if doc.raw is not None else doc.text
        raw_hash = content_hash(raw)
        aid = article_id(doc)
        notes = "; ".join(doc.meta.get("stage_errors", [])) if getattr(doc, "meta", None) else ""
        self.db.run("insert_article", (
            aid, doc.id, doc.url, doc.title, doc.outlet, _iso(doc.published), doc.language, doc.path,
            doc.text, raw_hash, content_hash(doc.text), sig, numbers_signature(doc.text), len(reports),
            n_background, notes or None, _now()))
        self.db.executemany(self.db.sql["insert_band"], [(b, aid) for b in _bands(sig)])
        touched: set[str] = set()
        for r in reports:
            new_id, was_new = self.merger.place(r)
            if not was_new:
                touched.add(new_id)
        return len(touched)

    def reconcile_vague(self, batch: int = 2000, rep: IngestReport | None = None) -> int:
        """Tie each pending report with a vague place to the one event with specific places it
        matches (see :meth:`conflictatlas.merging.Merger.reconcile_vague`); returns how many moved."""
        return self.merger.reconcile_vague(batch, rep)

    def flush_search_index(self, batch: int = 5000) -> int:
        """Bring the full-text index up to date with the events changed since the last flush
        (done at the end of every ingest and before a text query); returns how many."""
        db = self.db
        if not db.fts:
            return 0
        done = 0
        while True:
            with db.write(locks=[ALL_WINDOWS]):
                ids = [r[0] for r in db.run("fts_pending", (batch,))]
                for eid in ids:
                    db.fts_delete(eid)
                    row = db.one("fts_fields", (eid,))
                    if row is not None:
                        sentences = [s[0] for s in db.run("fts_sentences", (eid,))]
                        db.fts_put(eid, " ".join(str(x) for x in [*row, " ".join(x for x in sentences if x)] if x))
                    db.run("fts_done", (eid,))
            done += len(ids)
            if len(ids) < batch:
                return done

    def _where(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
               date_to=None, text=None) -> tuple[str, list[Any]]:
        clauses, args = [], []
        db = self.db
        if country:
            clauses.append(db.nocase_eq("e.country"))
            args.append(country)
        if admin1:
            clauses.append(db.nocase_eq("e.admin1"))
            args.append(admin1)
        if event_type:
            clauses.append(f"({db.nocase_eq('e.event_type')} OR {db.nocase_eq('e.sub_event_type')})")
            args += [event_type, event_type]
        if actor:
            like = f"%{_like_escape(actor)}%"
            clauses.append("(" + " OR ".join(db.like(f"e.{c}") for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")) + ")")
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
                if self.db.one("fts_any"):
                    self.flush_search_index()
                clause, more = db.fts_clause(words)
                clauses.append(clause)
                args += more
            else:
                for w in words or [str(text)]:
                    clauses.append("(" + " OR ".join(db.like(f"e.{c}") for c in ("notes", "location", "actor1", "actor2")) + ")")
                    args += [f"%{_like_escape(w)}%"] * 4
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def query_events(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
                     date_to=None, text=None, limit: int | None = 100, offset: int = 0) -> list[dict]:
        """Events matching the filters (newest first): ACLED fields plus id, confidence, notes,
        n_sources, n_articles. ``limit=None`` returns all."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        sql = f"SELECT e.* FROM events e{where} ORDER BY e.event_date DESC NULLS LAST, e.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        return [self._event_dict(row) for row in self.db.execute(sql, args)]

    def iter_events(self, **filters) -> Iterator[dict]:
        """Every event matching the filters, oldest first, streamed (for exports)."""
        where, args = self._where(**filters)
        for row in self.db.execute(f"SELECT e.* FROM events e{where} ORDER BY e.event_date NULLS FIRST, e.id", args):
            yield self._event_dict(row)

    def point_rows(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
                   date_to=None, text=None) -> list[tuple]:
        """Compact rows for a map, one per matching event: (id, latitude, longitude, event_date,
        event_type, country, admin1, actor1, actor2, assoc_actor_1, assoc_actor_2, fatalities)."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        sql = ("SELECT e.id, e.latitude, e.longitude, e.event_date, e.event_type, e.country, e.admin1, "
               f"e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2, e.fatalities FROM events e{where} "
               "ORDER BY e.event_date NULLS FIRST, e.id")
        return [tuple(r) for r in self.db.execute(sql, args)]

    def count_events(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
                     date_to=None, text=None) -> int:
        """How many events match the filters."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        return self.db.execute(f"SELECT COUNT(*) FROM events e{where}", args).fetchone()[0]

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
        if self.db.one("event_exists", (event_id,)):
            return event_id
        row = self.db.one("alias_resolve", (event_id,))
        return row[0] if row else None

    def get_event(self, event_id: str) -> dict | None:
        """One event with its sources (article, sentence, evidence), claims, the merge
        explanation and its history; None if unknown. Old ids of merged events resolve."""
        eid = self.resolve_id(event_id)
        if eid is None:
            return None
        row = self.db.one("event_row", (eid,))
        d = self._event_dict(row)
        d["created_at"] = row["created_at"]
        d["explanation"] = json.loads(row["explanation"] or "[]")
        sources = []
        for s in self.db.run("event_sources_full", (eid,)):
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
                       for c in self.db.run("event_claims", (eid,))]
        d["history"] = [{"article_id": h["article_id"], "action": h["action"],
                         "detail": json.loads(h["detail"]) if h["detail"] else None, "at": h["at"]}
                        for h in self.db.run("event_history", (eid,))]
        d["aliases"] = [a[0] for a in self.db.run("event_aliases", (eid,))]
        return d

    def get_article(self, article_id: str) -> dict | None:
        """One stored article (by its id, its document id or its URL) with the ids of its events."""
        row = self.db.one("article_row", (article_id, article_id, article_id))
        if row is None:
            return None
        d = {k: row[k] for k in ("id", "doc_id", "url", "title", "outlet", "published", "language",
                                 "path", "text", "n_events", "n_background", "ingested_at")}
        d["events"] = [r[0] for r in self.db.run("article_events", (row["id"],))]
        return d

    def stats(self, country=None, admin1=None, event_type=None, actor=None, date_from=None,
              date_to=None, text=None) -> dict:
        """Counts and fatalities of the matching events, in total and by month, event_type,
        admin1 and actor (actor1 and actor2): {"events", "fatalities", "by_month": [{key,
        events, fatalities}], ...}."""
        where, args = self._where(country, admin1, event_type, actor, date_from, date_to, text)
        g = self.db.grouped(where, args, {
            "by_month": "substr(e.event_date, 1, 7)", "by_event_type": "e.event_type", "by_admin1": "e.admin1",
            "by_country": "e.country", "actor1": "e.actor1", "actor2": "e.actor2"})
        out: dict[str, Any] = {"events": sum(n for _, n, _ in g["by_country"]),
                               "fatalities": sum(f for _, _, f in g["by_country"]),
                               "countries": sum(1 for k, _, _ in g["by_country"] if k is not None)}
        for name in ("by_month", "by_event_type", "by_admin1", "by_country"):
            rows = sorted(g[name], key=_by_key if name == "by_month" else _by_count)
            out[name] = [{"key": k, "events": n, "fatalities": f} for k, n, f in rows]
        actors: dict[str, list[int]] = {}
        for k, n, f in g["actor1"] + g["actor2"]:
            if k is not None:
                tally = actors.setdefault(k, [0, 0])
                tally[0] += n
                tally[1] += f
        rows = sorted(((k, n, f) for k, (n, f) in actors.items()), key=_by_count)[:50]
        out["by_actor"] = [{"key": k, "events": n, "fatalities": f} for k, n, f in rows]
        out["articles"] = self.db.one("count_articles")[0]
        return out

    def counts(self) -> dict[str, int]:
        """Rows per table (articles, events, event_sources, claims, event_history)."""
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in COUNTED_TABLES}


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
    """A warning when a report has no date and something in it stays undated (W010), when its
    own date won over --published (W011), or when it is not in English (W310): the CLI prints it
    like any other problem."""
    from .sources import Problem
    from .stages.article import date_notice, language_notice
    got = date_notice(doc)
    if got and got[1]:
        rep.problems.append(Problem(doc.path or doc.id, got[1], severity="warning"))
    foreign = language_notice(doc)              # W310: a report not in English, read only in part
    if foreign:
        rep.problems.append(Problem(doc.path or doc.id, foreign, severity="warning"))
