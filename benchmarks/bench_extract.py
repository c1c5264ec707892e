"""Throughput of `extract` over a JSONL file of reports, on one core.

    .venv/bin/python benchmarks/bench_extract.py ../shared/eval/acled_2022h1.jsonl [--limit N] [-o PRED.jsonl]

Prints texts per second (pipeline load excluded and reported apart), per-stage time and peak
resident memory. A benchmark, not a test: machines here are noisy, run it twice.

For issue 8's article target (>= 100 articles/s of 2-5 KB on one core) without the evaluation
data, ``benchmarks/bench_articles.py`` writes its own articles and reports the same figures.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("-o", "--output")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})   # one core
    except (AttributeError, OSError):
        pass
    import conflictatlas
    from conflictatlas.output import scorer_record
    from conflictatlas.sources import Problem

    t0 = time.perf_counter()
    pipe = conflictatlas.load()
    # warm the lazy loaders (gazetteer, actor dictionary) so load time is reported apart
    pipe(conflictatlas.Document(id="warm", text="Police fired tear gas at protesters in Nairobi on 2 May 2022."))
    load_s = time.perf_counter() - t0
    pipe.timings.clear()
    out = open(args.output, "w", encoding="utf-8") if args.output else None
    n = events = 0
    t1 = time.perf_counter()
    for item in conflictatlas.extract_sources([args.input], pipeline=pipe, batch_size=args.batch_size):
        if isinstance(item, Problem):
            continue
        rec = scorer_record(item, evidence=out is not None)
        events += len(rec["events"])
        if out:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
        if args.limit and n >= args.limit:
            break
    dt = time.perf_counter() - t1
    if out:
        out.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"texts: {n}  events: {events}")
    print(f"pipeline load: {load_s:.2f} s")
    print(f"throughput: {n / dt:.1f} texts/s  ({dt:.1f} s)")
    print(f"peak memory: {peak_mb:.0f} MB")
    total = sum(pipe.timings.values()) or 1
    for k, v in pipe.timings.items():
        print(f"  {k:10} {v:7.2f} s  {100 * v / total:5.1f}%  {1000 * v / max(n, 1):.2f} ms/text")


if __name__ == "__main__":
    main()
