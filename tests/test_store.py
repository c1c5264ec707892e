"""The event database: schema, idempotent ingest, queries, the CLI commands."""
from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import conflictatlas
from conflictatlas import Document, Event
from conflictatlas.errors import ConflictAtlasError
from conflictatlas.store import SCHEMA_VERSION, Store, default_db_path

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)

FIX = Path(__file__).parent / "fixtures" / "reports"
EXPECTED = json.loads((FIX / "expected_events.json").read_text())
BY_URL = {json.loads(l)["url"]: json.loads(l)["id"] for l in (FIX / "reports.jsonl").read_text().splitlines()}


class StubPipeline:
    """Stands in for the extraction stages: the hand-coded events of each invented article."""

    def __init__(self):
        self.seen = 0

    def pipe(self, docs, batch_size=64):
        for doc in docs:
            self.seen += 1
            key = doc.id if doc.id in EXPECTED else BY_URL.get(doc.url or "", doc.id)
            doc.events = [Event.from_dict(e) for e in EXPECTED.get(key, [])]
            yield doc


@pytest.fixture
def store():
    s = Store(":memory:")
    s.ingest_paths([FIX / "reports.jsonl"], pipeline=StubPipeline(), progress=False)
    return s


@pytest.mark.sqlite_only
def test_schema(tmp_path):
    db = tmp_path / "x" / "events.db"
    s = Store(db)
    assert s.schema_version == SCHEMA_VERSION
    names = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "events", "event_sources", "claims", "event_history", "schema_version"} <= names
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    assert Store(f"sqlite:///{db}").schema_version == SCHEMA_VERSION      # reopen: no second migration


@pytest.mark.sqlite_only
def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "events.db"
    Store(db).close()
    con = sqlite3.connect(db)
    con.execute("INSERT INTO schema_version VALUES (99)")
    con.commit()
    con.close()
    with pytest.raises(ConflictAtlasError, match="newer"):
        Store(db)


@pytest.mark.sqlite_only
def test_default_path_and_an_unreachable_postgres(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLICTATLAS_DB", str(tmp_path / "mine.db"))
    assert default_db_path() == tmp_path / "mine.db"
    assert Store().path == str(tmp_path / "mine.db")
    monkeypatch.delenv("CONFLICTATLAS_DB")
    assert default_db_path().parts[-3:] == ("share", "conflictatlas", "events.db") or \
        default_db_path().name == "events.db"
    monkeypatch.setenv("CONFLICTATLAS_DB", "postgresql://nobody@127.0.0.1:1/events")   # a URL, not a path
    with pytest.raises(ConflictAtlasError, match=r"E050.*cannot connect to PostgreSQL"):
        Store()


def test_ingest_is_idempotent_before_the_pipeline(store):
    before = store.counts()
    stub = StubPipeline()
    rep = store.ingest_paths([FIX / "reports.jsonl"], pipeline=stub, progress=False)
    assert rep.stored == 0 and rep.duplicates == 9
    assert stub.seen == 0                       # skipped before extraction
    assert store.counts() == before
    # the same articles from a feed (same URLs) add nothing either
    rep = store.ingest_paths([FIX / "feed.xml"], pipeline=StubPipeline(), progress=False)
    assert rep.read == 2 and rep.duplicates == 2 and store.counts() == before


def test_duplicates_by_text_and_near_text():
    s = Store(":memory:")
    text = ("Gunmen killed three shepherds near the village of Tel Afar on Monday, police said. "
            "The attackers fled towards the desert and a search operation is under way. Local elders "
            "condemned the killing and asked the provincial council to send more patrols to the grazing "
            "areas west of the town, where herders have been threatened by armed men for several weeks. "
            "The families of the victims buried them in the village cemetery on Monday evening.")
    s.ingest_documents([Document(id="a", text=text, url="https://a.example/1")])
    # the same text under another URL
    rep = s.ingest_documents([Document(id="b", text=text.upper(), url="https://b.example/9")])
    assert rep.duplicates == 1
    # a near-duplicate (wire copy with a new tagline) telling the same figures
    rep = s.ingest_documents([Document(id="c", text=text + " (Reporting desk)")])
    assert rep.duplicates == 1
    # a retelling with another figure is an update, not a duplicate
    rep = s.ingest_documents([Document(id="d", text=text.replace("three", "five"))])
    assert rep.stored == 1
    assert s.counts()["articles"] == 2


def test_problems_are_counted_never_stored(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad.jsonl").write_text('{"text": "ok one"}\nnot json\n')
    s = Store(":memory:")
    rep = s.ingest_paths([tmp_path, tmp_path / "missing.txt"], pipeline=StubPipeline(), progress=False)
    assert rep.failed == 3 and not rep.ok
    assert rep.stored == 1 and s.counts()["articles"] == 1
    assert any("missing.txt" in p.message for p in rep.problems)


def test_query_filters(store):
    assert store.count_events() == 3
    assert store.count_events(country="iraq") == 3
    assert store.count_events(country="Syria") == 0
    assert store.count_events(admin1="Kirkuk", event_type="Protests") == 1
    assert store.count_events(event_type="Armed clash") == 1               # a sub-event type works too
    assert store.count_events(actor="Islamic State") == 1
    assert store.count_events(date_from="2023-05-14", date_to="2023-05-14") == 3
    assert store.count_events(date_from=date(2023, 5, 15)) == 0
    hits = store.query_events(text="teachers salaries")
    assert [h["event_type"] for h in hits] == ["Protests"]
    assert store.query_events(limit=2, offset=2)[0]["id"] == store.query_events(limit=None)[2]["id"]


def test_get_event_explains_the_merge(store):
    clash = store.query_events(event_type="Battles")[0]
    e = store.get_event(clash["id"])
    assert e["n_sources"] == 6 and e["n_articles"] == 6
    reasons = [s["merge_reason"] for s in e["sources"]]
    assert sum(r.startswith("first report") for r in reasons) == 1
    assert any("lies in Kirkuk" in r for r in reasons)                   # the province-level report
    assert all(s["sentence"] for s in e["sources"])
    assert any("fatalities 14" in x for x in e["explanation"])
    assert e["history"][0]["action"] == "created"
    assert store.get_event("CA-nope") is None


def test_get_article_and_stats(store):
    a = store.get_article("https://kirkuk-now.example/2023/05/16/hawija-toll")
    assert a["outlet"] == "Kirkuk Now" and a["published"] == "2023-05-16" and len(a["events"]) == 1
    assert store.get_article(a["id"])["doc_id"] == "kirkuk-now-2"
    hist = store.get_article("tigris-daily-2")
    assert hist["n_events"] == 1 and hist["n_background"] == 1
    st = store.stats(country="Iraq")
    assert st["events"] == 3 and st["fatalities"] == 16
    assert st["by_month"] == [{"key": "2023-05", "events": 3, "fatalities": 16}]
    assert {r["key"] for r in st["by_event_type"]} == {"Battles", "Protests", "Explosions/Remote violence"}
    assert st["by_admin1"][0] == {"key": "Kirkuk", "events": 3, "fatalities": 16}
    assert any(r["key"] == "Islamic State (Iraq)" for r in st["by_actor"])


def test_event_ids_are_stable(store):
    other = Store(":memory:")
    other.ingest_paths([FIX / "reports.jsonl"], pipeline=StubPipeline(), progress=False)
    assert sorted(e["id"] for e in store.query_events()) == sorted(e["id"] for e in other.query_events())
    assert all(e["id"].startswith("CA-") for e in store.query_events())


def test_merged_event_ids_still_resolve():
    """Two events joined later by a report: the absorbed id keeps pointing at the event."""
    s = Store(":memory:")
    base = dict(event_date="2023-05-14", time_precision=1, event_type="Battles", country="Iraq",
                admin1="Kirkuk", actor1="Military Forces of Iraq (2022-)", fatalities=2)
    d1 = Document(id="z1", text="first", published=date(2023, 5, 15), outlet="A")
    d1.events = [Event(**base, location="Hawija", latitude=35.3267, longitude=43.7649, geo_precision=1)]
    d0 = Document(id="a0", text="zero", published=date(2023, 5, 15), outlet="B")
    d0.events = [Event(**base, location="Hawija", latitude=35.33, longitude=43.77, geo_precision=1)]
    s.ingest_documents([d1])
    first_id = s.query_events()[0]["id"]
    s.ingest_documents([d0])
    assert s.count_events() == 1
    assert s.get_event(first_id)["n_sources"] == 2


def _cli(args, monkeypatch):
    monkeypatch.setattr(conflictatlas, "_default_pipeline", lambda: StubPipeline())
    from conflictatlas.cli import main
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_cli_ingest_events_show(tmp_path, monkeypatch):
    db = str(tmp_path / "e.db")
    r = _cli(["ingest", str(FIX / "reports.jsonl"), "--db", db, "-q"], monkeypatch)
    assert r.exit_code == 0, r.output
    r = _cli(["events", "--db", db, "--type", "Battles", "--json"], monkeypatch)
    ev = json.loads(r.stdout.splitlines()[0])
    assert ev["fatalities"] == 14
    r = _cli(["events", "show", ev["id"], "--db", db], monkeypatch)
    out = r.stdout
    assert "Sources (6)" in out and "Claims:" in out and "said by a health official" in out
    assert "lies in Kirkuk" in out and "revised  fatalities: 10 -> 14" in out
    r = _cli(["events", "--db", db, "--country", "Iraq", "--admin1", "Kirkuk"], monkeypatch)
    assert len(r.stdout.splitlines()) == 3
    r = _cli(["events", "show", "CA-missing", "--db", db], monkeypatch)
    assert r.exit_code == 1 and "E051" in r.output


def test_cli_ingest_fails_on_bad_input(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "ok.txt").write_text("Protesters blocked a road in Basra on 4 June 2023.")
    r = _cli(["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "e.db")], monkeypatch)
    assert r.exit_code == 1 and "E010" in r.output and "1 stored" in r.output


@pytest.mark.slow
def test_end_to_end_through_the_real_pipeline(tmp_path):
    """Folder + local RSS feed -> real extraction -> database; a second run adds nothing."""
    pipeline = conflictatlas.load()
    db = tmp_path / "e2e.db"
    s = Store(db)
    rep = s.ingest_paths([FIX / "folder", FIX / "feed.xml"], pipeline=pipeline, progress=False)
    assert rep.ok and rep.stored == 4
    feed_article = s.get_article("https://kirkuk-now.example/2023/05/14/hawija-clash")
    assert feed_article["outlet"] == "Kirkuk Now" and feed_article["published"] == "2023-05-14"
    assert s.count_events(country="Iraq") >= 1
    for e in s.query_events(limit=None):
        full = s.get_event(e["id"])
        assert full["sources"] and all(src["article_id"] for src in full["sources"])
        assert full["history"][0]["action"] == "created"
    before = s.counts()
    again = s.ingest_paths([FIX / "folder", FIX / "feed.xml"], pipeline=pipeline, progress=False)
    assert again.stored == 0 and again.duplicates == 4 and s.counts() == before


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import sys
    from conflictatlas.store import _progress
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert type(_progress(True)).__name__ == "_NoBar"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = _progress(True)
    assert type(bar).__name__ == "tqdm"
    bar.close()
    assert type(_progress(False)).__name__ == "_NoBar"          # --quiet


def test_point_rows_for_the_map(store):
    rows = store.point_rows(country="Iraq")
    assert len(rows) == 3 and all(len(r) == 12 for r in rows)
    ids = {r[0] for r in rows}
    assert ids == {e["id"] for e in store.query_events()}
    assert store.point_rows(event_type="Protests")[0][4] == "Protests"


@pytest.mark.slow
def test_real_extraction_in_any_order_gives_one_database():
    """Whatever the extractor reads, the merged database does not depend on the order of ingest."""
    import random
    from test_merge import snapshot
    docs = [d for d in conflictatlas.extract_sources([FIX / "clusters.jsonl", FIX / "reports.jsonl"])
            if isinstance(d, Document)]
    assert len(docs) == 33
    ref = Store(":memory:")
    ref.ingest_documents(docs)
    expect = snapshot(ref)
    assert 0 < len(expect) <= sum(len(d.events) for d in docs)
    for seed in (11, 12, 13):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        s = Store(":memory:")
        s.ingest_documents(shuffled)
        assert snapshot(s) == expect


@pytest.mark.sqlite_only
def test_an_older_database_is_migrated(tmp_path):
    from conflictatlas.store import MIGRATIONS
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    for stmt in MIGRATIONS[0]:
        con.execute(stmt)
    con.execute("INSERT INTO schema_version VALUES (1)")
    con.commit()
    con.close()
    s = Store(db)
    assert s.schema_version == SCHEMA_VERSION
    assert s.conn.execute("SELECT name FROM sqlite_master WHERE name = 'fts_pending'").fetchone()
    s.ingest_documents([Document(id="x", text="A new article after the upgrade.")])
    assert s.counts()["articles"] == 1


@pytest.mark.sqlite_only
def test_read_commands_on_a_missing_database_say_so_and_create_nothing(tmp_path):
    import subprocess, sys
    db = tmp_path / "nowhere" / "events.db"
    for args in (["events"], ["events", "show", "CA-x"], ["export", "--format", "jsonl"]):
        r = subprocess.run([sys.executable, "-m", "conflictatlas", *args, "--db", str(db)], capture_output=True, text=True)
        assert r.returncode == 1 and "E054" in r.stderr, (args, r.stderr)
    assert not db.parent.exists()


@pytest.mark.sqlite_only
def test_a_legacy_encoding_is_a_warning_not_a_failed_input(tmp_path):
    import subprocess, sys
    d = tmp_path / "in"
    d.mkdir()
    (d / "latin.txt").write_bytes("Published: 2025-05-06\n\nSoldats et rebelles à Bouaké: des affrontements lundi, "
                                  "deux morts selon la police.".encode("cp1252"))
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(d), "--db", str(tmp_path / "e.db"), "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "latin.txt" in r.stderr


def test_events_info_names_the_backend_and_what_it_can_do(tmp_path, backend):
    from conflictatlas.cli import main
    db = tmp_path / "e.db"
    with Store(db) as s:
        s.ingest_paths([FIX / "reports.jsonl"], pipeline=StubPipeline(), progress=False)
        assert s.count_events(text="Hawija") >= 1                 # the dialect's own full-text search
    r = CliRunner().invoke(main, ["events", "info", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["backend"] == backend and d["schema_version"] == SCHEMA_VERSION and d["rows"]["articles"] == 9
    if backend == "postgresql":
        assert d["full_text"].startswith("tsvector") and "PostGIS" in d["spatial"]
    else:
        assert d["full_text"].startswith("FTS5")


def test_stats_are_the_counts_of_the_events_themselves(tmp_path):
    """Every grouping of stats() against a count made here from the events listed (one scan per
    dialect or several: the same numbers, the same order)."""
    from collections import defaultdict
    s = Store(tmp_path / "e.db")
    docs = []
    for i in range(30):
        text = f"Report {i}: clashes in town {i % 4} killed {i % 5} people on day {i % 9}."
        d = Document(id=f"s{i}", text=text, raw=text, published=date(2023, 1 + i % 3, 10))
        d.events = [Event(event_date=f"2023-0{1 + i % 3}-{1 + i % 9:02d}", time_precision=1,
                          event_type=["Battles", "Protests", "Riots"][i % 3], country=["Iraq", "Syria"][i % 2],
                          admin1=[f"Prov {i % 3}", None][i % 7 == 0], location=f"Town {i}", latitude=30 + i / 10,
                          longitude=40 + i / 10, geo_precision=1, actor1=[f"Group {i % 4}", None][i % 6 == 0],
                          actor2=[None, "Civilians (Iraq)"][i % 2], fatalities=i % 5)]
        docs.append(d)
    s.ingest_documents(docs)
    for filters in ({}, {"country": "iraq"}, {"event_type": "Battles"}):
        evs = s.query_events(limit=None, **filters)
        st = s.stats(**filters)
        assert st["events"] == len(evs) and st["fatalities"] == sum(e["fatalities"] or 0 for e in evs)
        for name, key in (("by_month", lambda e: (e["event_date"] or "")[:7] or None), ("by_event_type", lambda e: e["event_type"]),
                          ("by_admin1", lambda e: e["admin1"]), ("by_country", lambda e: e["country"])):
            tally = defaultdict(lambda: [0, 0])
            for e in evs:
                tally[key(e)][0] += 1
                tally[key(e)][1] += e["fatalities"] or 0
            rows = [(k, n, f) for k, (n, f) in tally.items()]
            order = (lambda r: (r[0] is not None, r[0] or "")) if name == "by_month" else \
                (lambda r: (-r[1], r[0] is not None, r[0] or ""))
            assert st[name] == [{"key": k, "events": n, "fatalities": f} for k, n, f in sorted(rows, key=order)], name
        actors = defaultdict(lambda: [0, 0])
        for e in evs:
            for a in (e["actor1"], e["actor2"]):
                if a is not None:
                    actors[a][0] += 1
                    actors[a][1] += e["fatalities"] or 0
        want = sorted(((k, n, f) for k, (n, f) in actors.items()), key=lambda r: (-r[1], r[0]))[:50]
        assert st["by_actor"] == [{"key": k, "events": n, "fatalities": f} for k, n, f in want]
