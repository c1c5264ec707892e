"""Ingest benchmark: N texts as separate reports into a fresh SQLite database, then again.

    python benchmarks/bench_ingest.py ../shared/eval/acled_2022h1.jsonl            # real pipeline
    python benchmarks/bench_ingest.py FILE --limit 2000                            # a sample
    python benchmarks/bench_ingest.py FILE --events gold                           # merge check
    python benchmarks/bench_ingest.py --retellings 3000 --distinct 4               # many retellings, few events
    python benchmarks/bench_ingest.py ... --postgres                                # into a private PostgreSQL server
    python benchmarks/bench_ingest.py ... --db postgresql://user@host/dbname        # into an existing (empty) one

Targets (issue 4): >= 80 reports/s end to end on one core; the second run of the same ingest
adds zero rows and takes under a tenth of the time.

``--events gold`` skips extraction and stores each row's coded event instead (the rows of an
ACLED file are distinct events), to measure the store alone and how many distinct events the
merge rules wrongly join (false merges). ``--events none`` stores articles without events.
Nothing from the input is written anywhere but the temporary database.

``--retellings N --distinct K`` needs no input: N invented articles (distinct texts, hand-coded
events) retell K events, and the store's rate is printed for each tenth of them: it must stay
flat (issue 10, item 22: it fell from 111/s at 400 reports to 33/s at 3,000).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conflictatlas.event import ACLED_FIELDS, Event  # noqa: E402
from conflictatlas.store import Store  # noqa: E402


class GoldPipeline:
    """Each row's coded event as the extraction (for measuring the store and the merge)."""

    def __init__(self, gold: dict[str, dict]):
        self.gold = gold

    def pipe(self, docs, batch_size=64):
        from conflictatlas.document import Evidence
        for doc in docs:
            g = self.gold.get(doc.id)
            if g:
                ev = Event(**{k: g.get(k) for k in ACLED_FIELDS}, notes=doc.text[:300])
                ev.evidence["fatalities"] = [Evidence(doc.id, doc.text[:300], 0, 0, "")]
                doc.events = [ev]
            yield doc


class NoEvents:
    def pipe(self, docs, batch_size=64):
        yield from docs


TOWNS = [("Hawija", 35.3267, 43.7649, "Kirkuk"), ("Daquq", 35.1415, 44.4514, "Kirkuk"),
         ("Tuz Khurmatu", 34.8833, 44.6333, "Salah al-Din"), ("Dibis", 35.6469, 44.0675, "Kirkuk"),
         ("Baiji", 34.9292, 43.4931, "Salah al-Din"), ("Samarra", 34.1959, 43.8857, "Salah al-Din")]


def retellings(n: int, distinct: int):
    """N invented articles retelling ``distinct`` clashes, each with its hand-coded event."""
    from datetime import date
    from conflictatlas.document import Document, Evidence
    for i in range(n):
        town, lat, lon, admin1 = TOWNS[i % distinct % len(TOWNS)]
        fat = 5 + i % 3
        text = (f"Report {i}: militants attacked an army post in {town} on Sunday, killing {fat} soldiers, "
                f"source {i * 7919 % 100003} said.")
        doc = Document(id=f"r{i}", text=text, raw=text, published=date(2023, 5, 15), outlet=f"Outlet {i % 40}")
        ev = Event(event_date="2023-05-14", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
                   actor1="Military Forces of Iraq (2022-)", inter1="State forces", actor2="Islamic State (Iraq)",
                   inter2="Rebel group", country="Iraq", admin1=admin1, location=town, latitude=lat, longitude=lon,
                   geo_precision=1, fatalities=fat, notes=text)
        ev.evidence["fatalities"] = [Evidence(doc.id, text, 0, 0, "")]
        doc.events = [ev]
        yield doc


def bench_retellings(n: int, distinct: int, db: str | None = None) -> int:
    docs = list(retellings(n, distinct))
    store = Store(db or os.path.join(tempfile.mkdtemp(prefix="bench_ingest_"), "events.db"))
    step = max(1, n // 10)
    rates = []
    for i in range(0, n, step):
        c = time.process_time()
        store.ingest_documents(docs[i:i + step])
        rates.append(len(docs[i:i + step]) / max(1e-9, time.process_time() - c))
        print(f"reports {i + 1:5d}-{min(n, i + step):5d}: {rates[-1]:6.0f} reports per CPU-second")
    print(f"{n} retellings -> {store.count_events()} events; last tenth at {rates[-1] / rates[0]:.2f}x the "
          f"first tenth's rate (flat = 1)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?", help="JSONL with id and text per line (e.g. ../shared/eval/acled_2022h1.jsonl)")
    ap.add_argument("--retellings", type=int, default=0, help="no input: this many invented retellings")
    ap.add_argument("--distinct", type=int, default=4, help="of this many events (with --retellings)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N rows")
    ap.add_argument("--events", choices=["pipeline", "gold", "none"], default="pipeline")
    ap.add_argument("--db", help="database file or postgresql:// URL (default: a fresh temporary file)")
    ap.add_argument("--postgres", action="store_true",
                    help="a private PostgreSQL server in a temporary folder (tests/pgcluster.py), a fresh database")
    args = ap.parse_args()
    if not args.postgres:
        return run(ap, args)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from pgcluster import Cluster
    with Cluster() as cluster:
        args.db = cluster.new_database()
        return run(ap, args)


def run(ap, args) -> int:
    if args.retellings:
        return bench_retellings(args.retellings, args.distinct, args.db)
    if not args.input:
        ap.error("give an input JSONL file, or --retellings N")

    tmp = tempfile.mkdtemp(prefix="bench_ingest_")
    src = Path(tmp) / "reports.jsonl"
    gold = {}
    n = 0
    with open(args.input, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
        for line in f:
            if args.limit and n >= args.limit:
                break
            rec = json.loads(line)
            out.write(json.dumps({"id": rec["id"], "text": rec["text"], "published": rec.get("published")}) + "\n")
            if "gold" in rec:
                gold[rec["id"]] = rec["gold"]
            n += 1
    db = args.db or os.path.join(tmp, "events.db")
    if args.events == "pipeline":
        import conflictatlas
        t = time.perf_counter()
        pipeline = conflictatlas.load()
        print(f"pipeline loaded in {time.perf_counter() - t:.1f}s (not counted): {' -> '.join(pipeline.names)}")
    else:
        pipeline = GoldPipeline(gold) if args.events == "gold" else NoEvents()

    store = Store(db)
    t, c = time.perf_counter(), time.process_time()
    first = store.ingest_paths([src], pipeline=pipeline, progress=False)
    t1, c1 = time.perf_counter() - t, time.process_time() - c
    counts1 = store.counts()
    t = time.perf_counter()
    second = store.ingest_paths([src], pipeline=pipeline, progress=False)
    t2 = time.perf_counter() - t
    counts2 = store.counts()

    print(f"first run : {first.summary()}")
    print(f"second run: {second.summary()}")
    print(f"rows      : {counts1}")
    rate = n / t1 if t1 else 0.0
    cpu_rate = n / c1 if c1 else 0.0
    stages = getattr(pipeline, "timings", {}) or {}
    if stages:
        total = sum(stages.values())
        print("pipeline stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
              + f"; store and reading {t1 - total:.1f}s of {t1:.1f}s")
    print(f"CPU time first run: {c1:.1f}s = {cpu_rate:.1f} reports per CPU-second (one core, whatever the machine load)")
    added = sum(counts2[k] - counts1[k] for k in counts1)
    print(f"reports/s end to end (first run): {rate:.1f}   target >= 80   {'OK' if rate >= 80 else 'MISS'}")
    print(f"second run: {added} rows added, {t2:.2f}s = {t2 / t1:.3f} of the first   "
          f"target 0 rows and < 0.1   {'OK' if added == 0 and t2 < 0.1 * t1 else 'MISS'}")
    if args.events == "gold":
        ev = counts1["events"]
        stored = first.reports
        print(f"merge on distinct coded events: {stored} reports -> {ev} events; "
              f"false merges {stored - ev} ({(stored - ev) / max(1, stored):.2%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
