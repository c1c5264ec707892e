#!/usr/bin/env bash
# Score the extractor on the shared news articles (not part of the repo):
#   bash benchmarks/evaluate_articles.sh          (../shared/eval/articles_dev/part_*.jsonl)
# Writes out/articles_dev.jsonl (the three parts together) and out/art_pred.jsonl, prints the
# scorer's table and the throughput on these articles (one core).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
cat ../shared/eval/articles_dev/part_*.jsonl > out/articles_dev.jsonl
.venv/bin/python benchmarks/bench_extract.py out/articles_dev.jsonl -o out/art_pred.jsonl
python3 ../shared/eval/score.py out/articles_dev.jsonl out/art_pred.jsonl
