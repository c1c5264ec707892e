"""Ingest benchmark: N texts as separate reports into a fresh SQLite database, then again.

    python benchmarks/bench_ingest.py ../shared/eval/acled_2022h1.jsonl            # real pipeline
    python benchmarks/bench_ingest.py FILE --limit 2000                            # a sample
    python benchmarks/bench_ingest.py FILE --events gold                           # merge check

Targets (issue 4): >= 80 reports/s end to end on one core; the second run of the same ingest
adds zero rows and takes under a tenth of the time.

``--events gold`` skips extraction and stores each row's coded event instead (the rows of an
ACLED file are distinct events), to measure the store alone and how many distinct events the
merge rules wrongly join (false merges). ``--events none`` stores articles without events.
Nothing from the input is written anywhere but the temporary database.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="JSONL with id and text per line (e.g. ../shared/eval/acled_2022h1.jsonl)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N rows")
    ap.add_argument("--events", choices=["pipeline", "gold", "none"], default="pipeline")
    ap.add_argument("--db", help="database file (default: a fresh temporary file)")
    args = ap.parse_args()

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
