"""Watching sources: RSS/Atom feeds, web pages and folders polled on a schedule, what is new ingested.

    from conflictatlas.store import Store
    from conflictatlas.watch import Watcher
    with Store("events.db") as store:
        w = Watcher(store, ["https://example.org/feed.xml", "inbox/"], every=900)
        w.poll_once()          # one round: every source that is due
        w.run()                # rounds until w.stop() (the command calls it on SIGTERM / SIGINT)

All state lives in the database (:class:`WatchState`, one small table per job), so a watcher
restarted goes on where it stopped, and two watchers on one database never ingest one item twice:
each item (a feed entry, a file's report) is *claimed* with one atomic ``INSERT ... ON CONFLICT DO
NOTHING`` on its key before it is extracted; only the watcher whose insert went in works on it. A
claim left by a watcher that died is taken over after :data:`CLAIM_LEASE_S`.

A source that is down or returns garbage is logged and backed off (the wait doubles with each
failure in a row, up to :data:`MAX_BACKOFF_FACTOR` times ``every``); the other sources go on.
Feeds are asked with ``If-None-Match`` / ``If-Modified-Since``, so an unchanged feed costs a
``304``. Stopping (:meth:`Watcher.stop`) lets the item being stored finish (each article is one
transaction) and gives back the claims of those not yet stored.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import Errors

log = logging.getLogger("conflictatlas")

#: a claim older than this (seconds) whose watcher never finished it is taken over
CLAIM_LEASE_S = 600
#: the longest back-off, in multiples of the polling interval
MAX_BACKOFF_FACTOR = 16
#: reports stored per store call when a folder has many new files
BATCH = 64
#: what one fetch may read (MB) and how long it may take (s)
FETCH_MAX_MB, FETCH_TIMEOUT_S = 20.0, 30.0
USER_AGENT = "conflictatlas-watch/0.1 (+https://github.com/conflictatlas)"

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.I)
_UNIT_S = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_every(value: str | float | int) -> float:
    """'15m' -> 900.0 seconds ('30s', '2h', '1d'; a bare number is seconds)."""
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = _EVERY.match(str(value))
        if not m:
            raise ValueError(Errors.E371.format(value=value))
        seconds = float(m.group(1)) * _UNIT_S[(m.group(2) or "s").lower()]
    if seconds <= 0:
        raise ValueError(Errors.E371.format(value=value))
    return seconds


def read_feed_list(path: str | os.PathLike) -> list[str]:
    """The sources in a feed list file: one URL or folder per line; blank lines and ``#`` comments
    (whole lines, or after the source) are skipped."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if line and not line.startswith("#"):
            out.append(line)
    if not out:
        raise ValueError(Errors.E372.format(file=path))
    return out


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class WatchState:
    """The watcher's state in the event database, in portable SQL (SQLite and PostgreSQL):

    - ``watch_sources``: per source, the feed's ETag / Last-Modified, failures in a row, the last
      error and when it is next due;
    - ``watch_items``: every item (feed entry, report of a file, file stamp) claimed or done, by
      a unique key: the claim is the insert.

    Takes a DB-API connection in autocommit mode (the store's), or a storage layer object with a
    ``dialect`` and an ``execute`` that takes ``?`` placeholders itself; every statement stands alone.
    """

    #: the migration the store appends to its list (plain types both dialects read alike)
    MIGRATION = [
        """CREATE TABLE IF NOT EXISTS watch_sources (
            source TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT, last_ok TEXT, next_poll BIGINT NOT NULL DEFAULT 0)""",
        """CREATE TABLE IF NOT EXISTS watch_items (
            item_key TEXT PRIMARY KEY, source TEXT NOT NULL, state TEXT NOT NULL, owner TEXT,
            claimed_at BIGINT NOT NULL, done_at TEXT)""",
    ]
    SQL = {
        "source": "SELECT etag, last_modified, failures, next_poll FROM watch_sources WHERE source = ?",
        "add_source": "INSERT INTO watch_sources (source) VALUES (?) ON CONFLICT DO NOTHING",
        "ok": ("UPDATE watch_sources SET etag = ?, last_modified = ?, failures = 0, last_error = NULL, "
               "last_ok = ?, next_poll = ? WHERE source = ?"),
        "failed": ("UPDATE watch_sources SET failures = failures + 1, last_error = ?, next_poll = ? "
                   "WHERE source = ?"),
        "claim": ("INSERT INTO watch_items (item_key, source, state, owner, claimed_at) "
                  "VALUES (?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING"),
        "take_over": ("UPDATE watch_items SET owner = ?, claimed_at = ? "
                      "WHERE item_key = ? AND state = 'claimed' AND claimed_at < ?"),
        "done": "UPDATE watch_items SET state = 'done', done_at = ? WHERE item_key = ? AND owner = ?",
        "release": "DELETE FROM watch_items WHERE item_key = ? AND owner = ? AND state = 'claimed'",
        "is_done": "SELECT 1 FROM watch_items WHERE item_key = ? AND state = 'done'",
        "counts": "SELECT state, COUNT(*) FROM watch_items GROUP BY state",
    }

    def __init__(self, conn, owner: str | None = None):
        self.conn = conn
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        takes_qmark = type(conn).__module__.startswith("sqlite3") or hasattr(conn, "dialect")
        self._mark = "?" if takes_qmark else "%s"

    @classmethod
    def for_store(cls, store, owner: str | None = None) -> "WatchState":
        """The state in ``store``'s database (through its storage layer where it has one)."""
        db = getattr(store, "db", None)
        return cls(db if db is not None and hasattr(db, "dialect") else store.conn, owner)

    def _run(self, name: str, params: tuple = ()) -> Any:
        sql = self.SQL[name] if self._mark == "?" else self.SQL[name].replace("?", self._mark)
        cur = self.conn.execute(sql, params)
        if getattr(self.conn, "autocommit", True) is False:       # a psycopg connection not in autocommit
            self.conn.commit()
        return cur

    # -- sources ------------------------------------------------------------------------------------
    def source(self, source: str) -> dict:
        """{'etag', 'last_modified', 'failures', 'next_poll'} of ``source`` (registered if new)."""
        self._run("add_source", (source,))
        row = self._run("source", (source,)).fetchone()
        return {"etag": row[0], "last_modified": row[1], "failures": row[2], "next_poll": row[3]}

    def polled(self, source: str, etag: str | None, last_modified: str | None, next_poll: float) -> None:
        self._run("ok", (etag, last_modified, _now_iso(), int(next_poll), source))

    def failed(self, source: str, why: str, next_poll: float) -> None:
        self._run("failed", (why[:500], int(next_poll), source))

    # -- items --------------------------------------------------------------------------------------
    def claim(self, key: str, source: str, now: float | None = None) -> bool:
        """True when this watcher now holds ``key``: its insert went in, or the claim it found was
        left unfinished for longer than :data:`CLAIM_LEASE_S` and this watcher took it over."""
        now = int(time.time() if now is None else now)
        if self._run("claim", (key, source, self.owner, now)).rowcount == 1:
            return True
        return self._run("take_over", (self.owner, now, key, now - CLAIM_LEASE_S)).rowcount == 1

    def done(self, key: str) -> None:
        self._run("done", (_now_iso(), key, self.owner))

    def release(self, key: str) -> None:
        """Give back a claim whose item was not stored (stopped, or it failed)."""
        self._run("release", (key, self.owner))

    def is_done(self, key: str) -> bool:
        return self._run("is_done", (key,)).fetchone() is not None

    def counts(self) -> dict[str, int]:
        return {state: n for state, n in self._run("counts").fetchall()}


def item_key(source: str, doc) -> str:
    """An item's key: its source, its id (entry id or URL) and its text, hashed. An entry whose
    text changes is a new item (the store decides whether it tells anything new)."""
    body = doc.raw if doc.raw is not None else doc.text
    h = hashlib.sha1()
    for part in (source, doc.url or doc.id or "", body):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return "item:" + h.hexdigest()


@dataclass
class Fetched:
    """What a poll of a URL brought: nothing new (``not_modified``) or the body and its validators."""

    not_modified: bool = False
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


def fetch(url: str, etag: str | None = None, last_modified: str | None = None,
          timeout: float = FETCH_TIMEOUT_S, max_mb: float = FETCH_MAX_MB) -> Fetched:
    """GET ``url`` with the validators of the last poll; raises OSError (urllib's errors are
    OSErrors) for a network failure or an HTTP error status, ValueError for a body over ``max_mb``."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if etag:
        req.add_header("If-None-Match", etag)
    if last_modified:
        req.add_header("If-Modified-Since", last_modified)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:   # noqa: S310 (user-given URL)
            body = resp.read(int(max_mb * 1048576) + 1)
            if len(body) > max_mb * 1048576:
                raise ValueError(f"the response is over {max_mb} MB")
            return Fetched(body=body, content_type=resp.headers.get("Content-Type", ""),
                           etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(not_modified=True, etag=etag, last_modified=last_modified)
        raise


def url_documents(url: str, got: Fetched, published=None) -> Iterator:
    """The reports in a fetched body: a feed's entries, or the page itself. A body that is neither
    (binary, not text, a feed that does not parse) raises ValueError: the poll failed."""
    from .document import Document
    from .sources import Problem, decode, read_feed_text, _meta
    try:
        text = decode(got.body, url)
    except ValueError as exc:
        raise ValueError(Errors.E374.format(source=url, why=exc)) from None
    ctype = got.content_type.split(";")[0].strip().lower()
    head = text[:1000].lstrip().lower()
    if "xml" in ctype or "rss" in ctype or "atom" in ctype or head.startswith(("<?xml", "<rss", "<feed")):
        items = list(read_feed_text(text, url, published))
        if items and all(isinstance(x, Problem) for x in items) and items[0].line is None:
            raise ValueError(Errors.E374.format(source=url, why=items[0].message))
        yield from items
        return
    if ctype in ("text/html", "application/xhtml+xml", "text/plain") and text.strip():
        fmt = "text" if ctype == "text/plain" else "html"
        yield Document(id=url, text=text, url=url, path=url, raw=text, meta=_meta({"format": fmt}, published))
        return
    raise ValueError(Errors.E374.format(source=url, why=f"content type '{ctype or 'none'}' is not a feed or a page"))


@dataclass
class PollReport:
    """What one round did."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0            # items this watcher claimed and stored
    skipped: int = 0              # items done before, or claimed by another watcher
    stored: int = 0               # articles the store kept (not duplicates of stored ones)
    events_created: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.polled} sources polled ({self.not_modified} unchanged, {self.failed} failed): "
                f"{self.new_items} new items, {self.skipped} seen before; {self.stored} articles stored, "
                f"{self.events_created} new events")


class Watcher:
    """Polls ``sources`` (feed or page URLs, folders, files) and ingests what is new into ``store``.

    ``every``: seconds between polls of one source. ``pipeline``: the extraction pipeline
    (the default one, loaded when first needed). ``clock`` / ``fetcher`` are for tests and
    embedding (``time.time``, :func:`fetch`)."""

    def __init__(self, store, sources: Iterable[str], every: float = 900.0, pipeline=None,
                 published=None, owner: str | None = None, clock: Callable[[], float] = time.time,
                 fetcher: Callable[..., Fetched] = fetch):
        self.store = store
        self.sources = list(dict.fromkeys(str(s) for s in sources))
        if not self.sources:
            raise ValueError(Errors.E373)
        self.every = float(every)
        self.pipeline = pipeline
        self.published = published
        self.state = WatchState.for_store(store, owner)
        self.clock = clock
        self.fetcher = fetcher
        self._stop = threading.Event()

    # -- the loop ----------------------------------------------------------------------------------
    def stop(self) -> None:
        """Ask the watcher to stop: the item being stored finishes, the rest waits for next time."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, on_round: Callable[[PollReport], None] | None = None) -> None:
        """Poll rounds until :meth:`stop`; between rounds, sleep until the next source is due."""
        while not self.stopping:
            rep = self.poll_once()
            if on_round:
                on_round(rep)
            if self.stopping:
                break
            self._stop.wait(max(1.0, self.next_due() - self.clock()))

    def next_due(self) -> float:
        """When the earliest source is next due (epoch seconds)."""
        return min(self.state.source(s)["next_poll"] for s in self.sources)

    def poll_once(self, force: bool = False) -> PollReport:
        """One round: poll each source that is due (``force``: each one not backed off after a
        failure) and ingest its new items. A source that fails is logged and backed off; the
        others go on."""
        rep = PollReport()
        for source in self.sources:
            if self.stopping:
                break
            st = self.state.source(source)
            now = self.clock()
            due = st["next_poll"] <= now or (force and not st["failures"])
            if due:
                self._poll_source(source, st, rep)
        return rep

    def _poll_source(self, source: str, st: dict, rep: PollReport) -> None:
        rep.polled += 1
        try:
            etag, modified = self._ingest_source(source, st, rep)
        except Exception as exc:            # noqa: BLE001 (one source's failure must not stop the others)
            if not isinstance(exc, (OSError, ValueError)):
                log.debug("poll of %s failed", source, exc_info=True)
            self._back_off(source, st, exc, rep)
            return
        if self.stopping:              # stopped midway: the source stays due, read again at the next start
            return
        self.state.polled(source, etag, modified, self.clock() + self.every)

    def _back_off(self, source: str, st: dict, exc: Exception, rep: PollReport) -> None:
        """A failed poll: logged, and the source waits ``every`` x 2^(failures so far), capped."""
        failures = st["failures"] + 1
        delay = self.every * min(2 ** (failures - 1), MAX_BACKOFF_FACTOR)
        why = str(exc) or type(exc).__name__
        msg = Errors.W370.format(source=source, why=why, n=failures, delay=_duration(delay))
        log.warning("%s", msg)
        rep.failed += 1
        rep.problems.append(msg)
        self.state.failed(source, why, self.clock() + delay)

    # -- one source --------------------------------------------------------------------------------
    def _ingest_source(self, source: str, st: dict, rep: PollReport) -> tuple[str | None, str | None]:
        """Read ``source``, claim its new items, extract and store them; returns the validators."""
        if source.startswith(("http://", "https://")):
            got = self.fetcher(source, st["etag"], st["last_modified"])
            if got.not_modified:
                rep.not_modified += 1
                return got.etag, got.last_modified
            self._ingest_groups(source, [(None, url_documents(source, got, self.published))], rep)
            return got.etag, got.last_modified
        path = Path(source).expanduser()
        if not path.exists():
            raise FileNotFoundError(Errors.E016.format(path=source))
        self._ingest_files(source, [path] if path.is_file() else _report_files(path), rep)
        return None, None

    def _ingest_files(self, source: str, files: Iterable[Path], rep: PollReport) -> None:
        """The new or changed files of a folder (a file is keyed by its path, size and time), read and
        stored in batches of about BATCH reports: one store call per batch, not per file."""
        from .sources import read_file
        groups: list[tuple[str, list]] = []
        for f in files:
            if self.stopping:
                break
            stat = f.stat()
            stamp = f"file:{hashlib.sha1(f'{f.resolve()}|{stat.st_size}|{stat.st_mtime_ns}'.encode()).hexdigest()}"
            if self.state.is_done(stamp) or not self.state.claim(stamp, source, self.clock()):
                continue                           # read before, or another watcher is reading it now
            groups.append((stamp, list(read_file(f, published=self.published))))
            if sum(len(items) for _, items in groups) >= BATCH:
                self._ingest_groups(source, groups, rep)
                groups = []
        self._ingest_groups(source, groups, rep)

    def _ingest_groups(self, source: str, groups: list[tuple[str | None, Iterable]], rep: PollReport) -> None:
        """Claim the new documents of each group (a file, keyed by ``stamp``; or a fetched URL's items,
        stamp None), extract them and store each in its own transaction. A file is marked done when
        all its items are; else (stopped midway, an item held by another watcher) its claim is given
        back, like the claims of the items not stored."""
        claimed: list[tuple[str, Any]] = []
        open_items: dict[str | None, int] = {}        # stamp -> items claimed elsewhere or not stored yet
        owner: dict[str, str | None] = {}
        stored: set[str] = set()
        finished = False
        try:
            for stamp, items in groups:
                open_items[stamp] = 0
                for key, doc, held in self._claims(source, items, rep):
                    if held:
                        open_items[stamp] += 1     # another watcher has it: not done until it says so
                    else:
                        claimed.append((key, doc))
                        owner[key] = stamp
            if claimed:
                out = self.store.ingest_documents(self._stored_one_by_one(claimed, stored))
                rep.stored += out.stored
                rep.events_created += out.events_created
            finished = True
        finally:
            rep.new_items += len(stored)
            for key, _ in claimed:
                if key not in stored:
                    self.state.release(key)
                    open_items[owner[key]] += 1
            for stamp, _ in groups:
                if stamp is not None:
                    (self.state.done if finished and open_items.get(stamp) == 0 else self.state.release)(stamp)

    def _claims(self, source: str, items: Iterable, rep: PollReport) -> Iterator[tuple[str, Any, bool]]:
        """(key, document, held elsewhere) for each document of ``items`` not done before, claimed
        here unless held elsewhere; Problems are logged."""
        from .sources import Problem
        for it in items:
            if isinstance(it, Problem):
                if it.severity != "warning":
                    log.warning("%s", it.message)
                    rep.problems.append(it.message)
                continue
            key = item_key(source, it)
            if self.state.is_done(key):
                rep.skipped += 1
            elif self.state.claim(key, source, self.clock()):
                yield key, it, False
            else:
                rep.skipped += 1
                yield key, it, True

    def _stored_one_by_one(self, claimed: list[tuple[str, Any]], stored: set[str]) -> Iterator:
        """The extracted documents, handed to the store one at a time; each is marked done once the
        store asks for the next (its transaction is committed by then). Stops early when asked."""
        if self.pipeline is None:
            from . import _default_pipeline
            self.pipeline = _default_pipeline()
        docs = self.pipeline.pipe([d for _, d in claimed], batch_size=8)
        for (key, _), doc in zip(claimed, docs):
            if self.stopping:
                return
            yield doc
            self.state.done(key)
            stored.add(key)


def _report_files(folder: Path) -> Iterator[Path]:
    from .sources import iter_files, Problem
    for f in iter_files([folder]):
        if not isinstance(f, Problem):
            yield f


def _duration(seconds: float) -> str:
    """900 -> '15m', 7200 -> '2h', 45 -> '45s'."""
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= n and seconds % n == 0:
            return f"{int(seconds // n)}{unit}"
    return f"{seconds:g}s" if seconds < 60 else f"{seconds / 60:.1f}m"
