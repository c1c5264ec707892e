"""Scale-out ratio: `extract` over a JSONL file with 1 worker and with N workers.

    .venv/bin/python benchmarks/bench_scale.py ../shared/eval/acled_2022h1.jsonl [--workers 2] [--ray]
    .venv/bin/python benchmarks/bench_scale.py --synthetic 3000 --workers 4      # invented short reports

Runs `conflictatlas extract` as a fresh process once alone and once per --workers value, and
prints texts/s for each and the speed-up. The outputs are checked to be identical. A benchmark,
not a test: it depends on the machine's free cores.
"""
from __future__ import annotations

import argparse
import filecmp
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


def synthetic(path: str, n: int) -> None:
    """``n`` short invented reports, one JSONL line each."""
    import json
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = TEMPLATES[i % len(TEMPLATES)].format(n=i % 9 + 2) + f" Report {i}."
            f.write(json.dumps({"id": f"s{i}", "text": text, "published": "2025-05-10"}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input", nargs="?")
    ap.add_argument("--synthetic", type=int, default=0, help="no input: this many invented short reports")
    ap.add_argument("--workers", type=int, nargs="+", default=[os.cpu_count() or 2])
    ap.add_argument("--ray", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            args.input = os.path.join(tmp, "synthetic.jsonl")
            synthetic(args.input, args.synthetic)
        elif not args.input:
            ap.error("give an input JSONL file, or --synthetic N")
        runs = []
        variants = [(1, [])] + [(w, ["--workers", str(w)]) for w in args.workers] + \
            ([(args.workers[-1], ["--ray"])] if args.ray else [])
        for workers, flags in variants:
            out = os.path.join(tmp, f"out-{len(runs)}.jsonl")
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "conflictatlas", "extract", args.input, "-o", out, "-q",
                                *flags], capture_output=True, text=True)
            dt = time.perf_counter() - t0
            runs.append((out, dt))
            n = sum(1 for _ in open(out, encoding="utf-8"))
            print(f"{' '.join(flags) or 'one process':14} {n} texts in {dt:6.1f} s = {n / dt:7.1f} texts/s "
                  f"(a fresh process: start, pipeline and gazetteer load included)  {r.stderr.strip().splitlines()[-1]}")
        base = runs[0]
        for (out, dt), (workers, flags) in zip(runs[1:], variants[1:]):
            same = filecmp.cmp(base[0], out, shallow=False)
            print(f"{' '.join(flags):14} speed-up {base[1] / dt:.2f}x over one process   outputs identical: {same}")


if __name__ == "__main__":
    main()
