"""`conflictatlas watch`: feeds served by a real local HTTP server (one that changes between polls,
one that fails with 500, one that returns garbage), real folders, a real SQLite database; a
SIGTERM sent to a real watch process; two watch processes on one database."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import conflictatlas
from conflictatlas.store import Store
from conflictatlas.watch import (CLAIM_LEASE_S, WatchState, Watcher, parse_every, read_feed_list)

SENTENCES = [
    "Gunmen killed {n} villagers in Zamfara state on Monday, police said.",
    "Troops clashed with al-Shabaab fighters near Afgooye on Friday, killing {n}.",
    "A roadside bomb killed {n} soldiers near Gao on Thursday, the army said.",
    "Militants attacked an army post in Hawija, Kirkuk, on Sunday; {n} soldiers died.",
]


def entry(i: int) -> str:
    text = SENTENCES[i % len(SENTENCES)].format(n=i + 2) + f" Dispatch number {i}."
    return (f"<item><title>Dispatch {i}</title><link>http://news.test/a/{i}</link><guid>news-{i}</guid>"
            f"<pubDate>Tue, 0{i % 9 + 1} Apr 2025 10:00:00 GMT</pubDate><description>{text}</description></item>")


def rss(ids) -> bytes:
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>Test Wire</title>"
            + "".join(entry(i) for i in ids) + "</channel></rss>").encode()


class FeedServer:
    """A local HTTP server: /feed.xml (content set by the test, with an ETag), /down (500),
    /garbage (an XML content type over bytes that are no feed); it counts the requests."""

    def __init__(self):
        self.feed = rss([0, 1])
        self.page = (b"<html><head><title>Clash near Gao</title></head><body><article><p>Published 2 April 2025."
                     b"</p><p>A roadside bomb killed four soldiers near Gao on Thursday, the army said.</p>"
                     b"</article></body></html>")
        self.page_modified = "Wed, 02 Apr 2025 10:00:00 GMT"
        self.since: list[str | None] = []
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                outer.since.append(self.headers.get("If-Modified-Since"))
                if self.path == "/feed.xml":
                    tag = f'"{hash(outer.feed) & 0xffffffff:x}"'
                    if self.headers.get("If-None-Match") == tag:
                        outer.not_modified += 1
                        self.send_response(304)
                        self.end_headers()
                        return
                    self._send(200, outer.feed, "application/rss+xml", {"ETag": tag})
                elif self.path == "/page.html":
                    self._send(200, outer.page, "text/html; charset=utf-8", {"Last-Modified": outer.page_modified})
                elif self.path == "/down":
                    self._send(500, b"internal error", "text/plain")
                elif self.path == "/garbage":
                    self._send(200, b"\x00\x17{{ not <a> feed ]]" * 40, "application/rss+xml")
                else:
                    self._send(404, b"no", "text/plain")

            def _send(self, code, body, ctype, headers=None):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server():
    s = FeedServer()
    yield s
    s.close()


@pytest.fixture(scope="module")
def pipeline():
    return conflictatlas.load()


class Clock:
    def __init__(self, t: float = 1_750_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def articles(db) -> int:
    """Articles stored in ``db`` (through the store, so on either backend)."""
    with Store(db) as store:
        return store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def write_reports(folder: Path, ids) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (folder / f"r{i:03d}.txt").write_text(
            "Published: 2025-04-02\n\n" + SENTENCES[i % len(SENTENCES)].format(n=i + 2) + f" Report {i} of the desk.")


@pytest.mark.usefixtures("backend")
def test_a_feed_that_changes_is_read_again_only_for_what_is_new(tmp_path, server, pipeline):
    db = tmp_path / "w.db"
    clock = Clock()
    with Store(db) as store:
        w = Watcher(store, [server.url + "/feed.xml"], every=60, pipeline=pipeline, clock=clock)
        first = w.poll_once()
        assert (first.polled, first.new_items, first.failed) == (1, 2, 0)
        assert w.poll_once().polled == 0                 # not due yet
        clock.t += 61
        same = w.poll_once()                             # due; the ETag brings a 304
        assert (same.not_modified, same.new_items) == (1, 0) and server.not_modified == 1
        server.feed = rss([0, 1, 2, 3])                  # two new entries
        clock.t += 61
        more = w.poll_once()
        assert (more.new_items, more.skipped, more.failed) == (2, 2, 0)
        assert more.events_created >= 1
    assert articles(db) == 4


@pytest.mark.usefixtures("backend")
def test_a_source_that_is_down_or_garbage_backs_off_and_the_others_go_on(tmp_path, server, pipeline):
    db = tmp_path / "w.db"
    clock = Clock()
    bad = [server.url + "/down", server.url + "/garbage"]
    with Store(db) as store:
        w = Watcher(store, bad + [server.url + "/feed.xml"], every=60, pipeline=pipeline, clock=clock)
        rep = w.poll_once()
        assert (rep.polled, rep.failed, rep.new_items) == (3, 2, 2)
        assert any("W370" in p and "/down" in p and "500" in p for p in rep.problems)
        assert any("W370" in p and "/garbage" in p and "E374" in p for p in rep.problems)
        state = w.state
        waits = []
        for _ in range(3):                                # each failure in a row doubles the wait
            st = state.source(bad[0])
            waits.append(st["next_poll"] - clock.t)
            clock.t = st["next_poll"]
            w.poll_once()
        assert waits == [60, 120, 240]
        assert state.source(bad[0])["failures"] == 4
        assert state.source(server.url + "/feed.xml")["failures"] == 0
        server.feed = rss([0, 1, 5])                      # the good feed goes on being read
        clock.t += 10_000
        assert w.poll_once().new_items == 1
    assert articles(db) == 3


@pytest.mark.usefixtures("backend")
def test_a_restarted_watcher_ingests_nothing_twice(tmp_path, server, pipeline):
    db = tmp_path / "w.db"
    folder = tmp_path / "inbox"
    write_reports(folder, range(3))
    sources = [str(folder), server.url + "/feed.xml"]
    with Store(db) as store:
        assert Watcher(store, sources, pipeline=pipeline).poll_once().new_items == 5
    server.feed = rss([1, 0])                             # same entries, another order: a new ETag
    write_reports(folder, [3])                            # one file more
    with Store(db) as store:                              # a new process, the same database
        rep = Watcher(store, sources, pipeline=pipeline).poll_once(force=True)
        assert (rep.new_items, rep.skipped) == (1, 2)     # the new file; the feed's two were done
        assert WatchState.for_store(store).counts().get("claimed", 0) == 0
    assert articles(db) == 6
    assert server.hits["/feed.xml"] == 2


@pytest.mark.usefixtures("backend")
def test_a_changed_file_is_read_again_and_a_claim_left_by_a_dead_watcher_is_taken_over(tmp_path, pipeline):
    db = tmp_path / "w.db"
    folder = tmp_path / "inbox"
    write_reports(folder, [0])
    clock = Clock()
    with Store(db) as store:
        w = Watcher(store, [str(folder)], pipeline=pipeline, clock=clock)
        assert w.poll_once().new_items == 1
        (folder / "r000.txt").write_text("Published: 2025-04-03\n\n" + SENTENCES[2].format(n=9))
        dead = WatchState.for_store(store, owner="dead-watcher")
        stale = [p for p in folder.iterdir()][0]
        # another watcher claimed the changed file's report, then died before storing it
        from conflictatlas.sources import read_file
        from conflictatlas.watch import item_key
        doc = next(iter(read_file(stale)))
        assert dead.claim(item_key(str(folder), doc), str(folder), now=clock.t)
        clock.t += 60
        assert w.poll_once(force=True).new_items == 0      # held by the other watcher: left alone
        clock.t += CLAIM_LEASE_S + 1
        assert w.poll_once(force=True).new_items == 1      # the lease ran out: taken over
    assert articles(db) == 2


@pytest.mark.usefixtures("backend")
def test_a_page_url_is_one_item_read_once(tmp_path, server, pipeline):
    db = tmp_path / "w.db"
    with Store(db) as store:
        w = Watcher(store, [server.url + "/page.html"], pipeline=pipeline)
        assert w.poll_once().new_items == 1
        again = w.poll_once(force=True)                  # the same page: Last-Modified sent back, page seen
        assert (again.new_items, again.skipped) == (0, 1)
    assert server.since == [None, server.page_modified]
    with Store(db) as store:
        rows = store.conn.execute("SELECT url FROM articles").fetchall()
    assert [tuple(r) for r in rows] == [(server.url + "/page.html",)]


@pytest.mark.usefixtures("backend")
def test_a_folder_is_stored_in_batches_and_its_files_marked_done(tmp_path, pipeline, monkeypatch):
    from conflictatlas import watch
    monkeypatch.setattr(watch, "BATCH", 2)
    folder = tmp_path / "inbox"
    write_reports(folder, range(5))
    with Store(tmp_path / "w.db") as store:
        w = Watcher(store, [str(folder)], pipeline=pipeline)
        assert w.poll_once().new_items == 5
        assert w.state.counts() == {"done": 10}           # 5 reports, 5 files
        again = w.poll_once(force=True)
        assert (again.new_items, again.skipped) == (0, 0)  # no file read again


def test_feed_list_file_and_every(tmp_path):
    f = tmp_path / "feeds.txt"
    f.write_text("# the desk's feeds\nhttps://a.test/rss  # wire\n\n  inbox/\n#https://off.test/rss\n")
    assert read_feed_list(f) == ["https://a.test/rss", "inbox/"]
    (tmp_path / "empty.txt").write_text("# nothing yet\n")
    with pytest.raises(ValueError, match="E372"):
        read_feed_list(tmp_path / "empty.txt")
    assert [parse_every(x) for x in ("15m", "30s", "2h", "1d", "45")] == [900, 30, 7200, 86400, 45]
    for bad in ("soon", "0m", "-5m", "15 parsecs"):
        with pytest.raises(ValueError, match="E371"):
            parse_every(bad)


def _cli(*args, env=None, **kw):
    return [sys.executable, "-m", "conflictatlas", *args]


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1]) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def test_two_watch_processes_on_one_database_never_ingest_an_item_twice(tmp_path):
    db = tmp_path / "w.db"
    folder = tmp_path / "inbox"
    write_reports(folder, range(12))
    Store(db).close()                                   # the schema, made once before the race
    env = _env(CONFLICTATLAS_TEST_SLOW_MS="40")          # slow transactions: the two overlap
    procs = [subprocess.Popen(_cli("watch", str(folder), "--db", str(db), "--once"), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    new = [int(re.search(r"(\d+) new items", err).group(1)) for _, err in outs]
    assert sum(new) == 12, outs                          # each item ingested by exactly one of them
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 12
        rows = dict(c.execute("SELECT state, COUNT(*) FROM watch_items WHERE item_key LIKE 'item:%' GROUP BY state"))
    assert rows == {"done": 12}


def test_sigterm_stops_after_the_current_article_and_exits_0(tmp_path):
    db = tmp_path / "w.db"
    folder = tmp_path / "inbox"
    write_reports(folder, range(10))
    env = _env(CONFLICTATLAS_TEST_SLOW_MS="400")
    p = subprocess.Popen(_cli("watch", str(folder), "--db", str(db), "--every", "1h"), env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    stored = 0
    while time.monotonic() < deadline and stored < 2:
        time.sleep(0.2)
        if db.exists():
            try:                                         # read the file directly: a Store would open it for writing
                with sqlite3.connect(db) as c:
                    stored = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
    assert stored >= 2, p.stderr.read() if p.poll() is not None else "no article stored in time"
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert "stopped" in err
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        states = dict(c.execute("SELECT state, COUNT(*) FROM watch_items WHERE item_key LIKE 'item:%' GROUP BY state"))
        next_poll = c.execute("SELECT next_poll FROM watch_sources").fetchone()[0]
    assert n < 10                                        # it did stop early
    assert next_poll <= time.time()                      # the folder is still due: the rest is read at once
    assert states == {"done": n}                         # no claim left behind; every stored item done
    again = subprocess.run(_cli("watch", str(folder), "--db", str(db), "--once"), env=_env(),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{10 - n} new items" in again.stderr
    assert articles(db) == 10
