"""Scale-out ratio: `extract` over a JSONL file with 1 worker and with N workers.

    .venv/bin/python benchmarks/bench_scale.py ../shared/eval/acled_2022h1.jsonl [--workers 2] [--ray]

Prints texts/s for each and the speed-up. The outputs are checked to be identical. A benchmark,
not a test: it depends on the machine's free cores.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from conflictatlas.scale import extract_scaled  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--ray", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for workers, backend in ((1, "process"), (args.workers, "ray" if args.ray else "process")):
            out = os.path.join(tmp, f"{backend}-{workers}.jsonl")
            t0 = time.perf_counter()
            rep = extract_scaled([args.input], out, workers=workers, backend=backend)
            dt = time.perf_counter() - t0
            runs.append((out, dt))
            print(f"{backend:7} workers={workers:<3} {rep.documents} texts in {dt:6.1f} s = {rep.documents / dt:7.1f} texts/s"
                  " (includes each worker's start and gazetteer load)")
        same = filecmp.cmp(runs[0][0], runs[1][0], shallow=False)
        print(f"speed-up: {runs[0][1] / runs[1][1]:.2f}x   outputs identical: {same}")


if __name__ == "__main__":
    main()
