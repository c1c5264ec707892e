#!/usr/bin/env bash
# Set up a fresh machine (Python 3.11 + pip): a venv in .venv with conflictatlas and its extras.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[ner,server,parquet,scale,postgres,test]'
