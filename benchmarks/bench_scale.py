"""Scale-out table: `extract` (or `ingest`) with 1, 2, 4, ... workers on the machine it runs on.

    .venv/bin/python benchmarks/bench_scale.py ../shared/eval/acled_2022h1.jsonl --workers 1 2 4 8 16
    .venv/bin/python benchmarks/bench_scale.py --synthetic 3000 --workers 1 2          # invented short reports
    .venv/bin/python benchmarks/bench_scale.py INPUT --ingest --workers 1 2            # into a SQLite store
    .venv/bin/python benchmarks/bench_scale.py INPUT --ray --workers 2                 # Ray (local cluster)

Each worker count runs in a fresh process, which times two things apart:

- the whole run (process start, pipeline and gazetteer load, extraction, output): what a user waits;
- the parallel phase alone (the pipeline already loaded): what more workers can speed up, and the
  CPU seconds all its processes spent in it (driver and workers): when that stays flat as workers
  are added, the work is not inflated by the parallel run, and an efficiency below 100% comes from
  cores that were not free (other programs) or from the machine's memory bandwidth.

It prints texts/s, speed-up over 1 worker and parallel efficiency (speed-up / workers) for both,
and checks that every worker count gives byte-identical output (``extract``) or the same database,
every row of every table but timestamps (``--ingest``). The library runs no more local workers
than the cores the 1-minute load average leaves free, and the runs before raise it: each run
waits (up to 2 minutes) until enough cores are free again, and the table says how many workers
ran. ``--as-asked`` runs the workers asked for at once, whatever the load.
A benchmark, not a test: it depends on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

TEMPLATES = [
    "Gunmen killed {n} villagers in Zamfara state on Monday, police said.",
    "Police fired tear gas at protesters in Nairobi on Tuesday; {n} were arrested.",
    "Troops clashed with al-Shabaab fighters near Afgooye on Friday, killing {n}.",
    "A roadside bomb killed {n} soldiers near Gao on Thursday, the army said.",
    "Militants attacked an army post in Hawija, Kirkuk, on Sunday; {n} soldiers died.",
]

#: the child: loads the pipeline, then runs extract_scaled / ingest_scaled; prints its timings as JSON
CHILD = r"""
import json, resource, sys, time
def cpu():
    return sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
               for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
t0 = time.perf_counter()
from conflictatlas import scale
args = json.loads(sys.argv[1])
if args["as_asked"]:
    scale.free_cores = scale.usable_cores
scale._warm(scale._pipeline(None, None))
t1, c1 = time.perf_counter(), cpu()
rep = scale.ScaleReport()
if args["ingest"]:
    from conflictatlas.store import Store
    with Store(args["out"]) as store:
        got = scale.ingest_scaled(store, [args["input"]], workers=args["workers"], backend=args["backend"],
                                  scale_report=rep)
    n = got.read
else:
    rep = scale.extract_scaled([args["input"]], args["out"], workers=args["workers"], backend=args["backend"])
    n = rep.documents
t2, c2 = time.perf_counter(), cpu()
print(json.dumps({"load": t1 - t0, "run": t2 - t1, "cpu": c2 - c1, "texts": n, "workers": rep.workers,
                  "shards": rep.shards}))
"""


def synthetic(path: str, n: int) -> None:
    """``n`` short invented reports, one JSONL line each."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = TEMPLATES[i % len(TEMPLATES)].format(n=i % 9 + 2) + f" Report {i}."
            f.write(json.dumps({"id": f"s{i}", "text": text, "published": "2025-05-10"}) + "\n")


def fingerprint(path: str, ingest: bool) -> str:
    """A hash of the output: the file's bytes, or every database row but timestamps."""
    h = hashlib.sha256()
    if not ingest:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    import sqlite3
    con = sqlite3.connect(path)
    stamps = {"ingested_at", "created_at", "updated_at", "at", "done_at", "last_ok"}
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'events_fts%' "
                            "AND name != 'sqlite_sequence' ORDER BY name"):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in stamps]
        for row in sorted(map(repr, con.execute(f"SELECT {', '.join(cols)} FROM {t}"))):
            h.update(row.encode())
    con.close()
    return h.hexdigest()


def wait_for_cores(workers: int, limit_s: float = 120.0) -> None:
    """Wait (up to ``limit_s``) until the 1-minute load average leaves ``workers`` cores free: the
    runs before this one raise it, and the library runs no more workers than free cores."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from conflictatlas.scale import free_cores
    t0 = time.monotonic()
    while free_cores() < workers and time.monotonic() - t0 < limit_s:
        time.sleep(5)


def run_one(input_path: str, out: str, workers: int, backend: str, ingest: bool, as_asked: bool) -> dict:
    args = dict(input=input_path, out=out, workers=workers, backend=backend, ingest=ingest, as_asked=as_asked)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"workers={workers} failed:\n{r.stderr[-3000:]}")
    got = json.loads(r.stdout.strip().splitlines()[-1])
    got["wall"] = wall
    got["asked"] = workers
    got["fingerprint"] = fingerprint(out, ingest)
    return got


def table(runs: list[dict]) -> list[str]:
    base = runs[0]
    head = ("| workers (ran) | texts | whole run s | texts/s | speed-up | efficiency | parallel phase s | texts/s "
            "| speed-up | efficiency | CPU s (all processes) | output identical |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for r in runs:
        w = r["workers"]
        s_all, s_run = base["wall"] / r["wall"], base["run"] / r["run"]
        lines.append(f"| {r['asked']} ({w}) | {r['texts']} | {r['wall']:.1f} | {r['texts'] / r['wall']:,.0f} | "
                     f"{s_all:.2f} | {s_all / w:.0%} | {r['run']:.1f} | {r['texts'] / r['run']:,.0f} | "
                     f"{s_run:.2f} | {s_run / w:.0%} | {r['cpu']:.1f} | {r['fingerprint'] == base['fingerprint']} |")
    return lines


def backend_of(args, workers: int) -> str:
    return "ray" if args.ray and workers > 1 else "process"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?")
    ap.add_argument("--synthetic", type=int, default=0, help="no input: this many invented short reports")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 2])
    ap.add_argument("--ray", action="store_true", help="run the shards on a local Ray cluster")
    ap.add_argument("--ingest", action="store_true", help="ingest into a SQLite store instead of extract")
    ap.add_argument("--as-asked", action="store_true", help="run the workers asked for, free cores or not")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the worker counts this many times, interleaved, and keep each one's fastest run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            args.input = os.path.join(tmp, "synthetic.jsonl")
            synthetic(args.input, args.synthetic)
        elif not args.input:
            ap.error("give an input JSONL file, or --synthetic N")
        counts = sorted(set([1] + args.workers))
        best: dict[int, dict] = {}
        for rnd in range(args.repeat):
            for w in counts:
                out = os.path.join(tmp, f"out-{w}-{rnd}." + ("db" if args.ingest else "jsonl"))
                if not args.as_asked and backend_of(args, w) == "process":
                    wait_for_cores(w)
                got = run_one(args.input, out, w, backend_of(args, w), args.ingest, args.as_asked)
                print(f"workers {w}: {got['workers']} ran, {got['shards']} shards, whole run {got['wall']:.1f}s "
                      f"(load {got['load']:.1f}s), parallel phase {got['run']:.1f}s, CPU {got['cpu']:.1f}s",
                      file=sys.stderr)
                if w not in best or got["wall"] < best[w]["wall"]:
                    best[w] = got
                os.unlink(out)
        runs = [best[w] for w in counts]
        print(f"{'ingest' if args.ingest else 'extract'}{' on Ray' if args.ray else ''}, {os.cpu_count()} CPUs "
              f"({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} usable), "
              f"load average {os.getloadavg()[0]:.1f} at the end\n")
        print("\n".join(table(runs)))
        if any(r["fingerprint"] != runs[0]["fingerprint"] for r in runs):
            sys.exit("outputs differ between worker counts")


if __name__ == "__main__":
    main()
