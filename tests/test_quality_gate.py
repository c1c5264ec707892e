"""Quality gate: extraction scored on the shared human-coded ACLED sample must stay above the
floors pinned in benchmarks/eval_baseline.json (measure, pin, never loosen silently).

The data lives outside the repo (../shared/eval); the test reads it where CI lays it.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "acled_2022h1.jsonl"
BASELINE = json.loads((ROOT / "benchmarks" / "eval_baseline.json").read_text())

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not GOLD.exists(), reason=f"the shared eval data is not at {EVAL}")]


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    pred = tmp_path_factory.mktemp("gate") / "pred.jsonl"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_extract.py"), str(GOLD), "-o", str(pred)],
                   check=True, capture_output=True)
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), str(GOLD), str(pred), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.mark.parametrize("field", sorted(BASELINE["acled_2022h1"]["floors"]))
def test_field_stays_above_its_floor(scores, field):
    floor = BASELINE["acled_2022h1"]["floors"][field]
    got = scores.get(field, scores["accuracy"].get(field))
    if field == "point_error_km_median":
        assert got <= floor, f"{field}: {got} > ceiling {floor}"
    else:
        assert got >= floor, f"{field}: {got} < floor {floor}"
