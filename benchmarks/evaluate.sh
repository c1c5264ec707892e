#!/usr/bin/env bash
# Score the extractor on the shared human-coded data (not part of the repo):
#   bash benchmarks/evaluate.sh [GOLD.jsonl]      (default ../shared/eval/acled_2022h1.jsonl)
# Writes out/pred.jsonl and prints the scorer's table; also the Iraq+Syria subset.
set -euo pipefail
cd "$(dirname "$0")/.."
GOLD=${1:-../shared/eval/acled_2022h1.jsonl}
mkdir -p out
.venv/bin/python benchmarks/bench_extract.py "$GOLD" -o out/pred.jsonl
python3 ../shared/eval/score.py "$GOLD" out/pred.jsonl
if [ "$GOLD" = "../shared/eval/acled_2022h1.jsonl" ]; then
  python3 - <<'PY'
import json
rows = [l for l in open("../shared/eval/acled_2022h1.jsonl") if json.loads(l)["gold"]["country"] in ("Iraq", "Syria")]
open("out/gold_iq_sy.jsonl", "w").writelines(rows)
PY
  echo "--- Iraq and Syria rows"
  python3 ../shared/eval/score.py out/gold_iq_sy.jsonl out/pred.jsonl
fi
