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
ARTICLES = sorted((EVAL / "articles_dev").glob("part_*.jsonl"))
BASELINE = json.loads((ROOT / "benchmarks" / "eval_baseline.json").read_text())

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not GOLD.exists(), reason=f"the shared eval data is not at {EVAL}")]


def _score(gold: Path, tmp: Path) -> dict:
    """Extract ``gold``'s texts and score them with the shared scorer (its --json line)."""
    pred = tmp / "pred.jsonl"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_extract.py"), str(gold), "-o", str(pred)],
                   check=True, capture_output=True)
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), str(gold), str(pred), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return _score(GOLD, tmp_path_factory.mktemp("gate"))


@pytest.mark.parametrize("field", sorted(BASELINE["acled_2022h1"]["floors"]))
def test_field_stays_above_its_floor(scores, field):
    floor = BASELINE["acled_2022h1"]["floors"][field]
    got = scores.get(field, scores["accuracy"].get(field))
    if field == "point_error_km_median":
        assert got <= floor, f"{field}: {got} > ceiling {floor}"
    else:
        assert got >= floor, f"{field}: {got} < floor {floor}"


# -- news articles: the set users feed the tool (events matched one to one by the scorer) ---------
@pytest.fixture(scope="module")
def article_scores(tmp_path_factory):
    if not ARTICLES:
        pytest.skip(f"the shared articles are not at {EVAL / 'articles_dev'}")
    d = tmp_path_factory.mktemp("gate_articles")
    gold = d / "articles.jsonl"
    gold.write_text("".join(p.read_text() for p in ARTICLES))
    return _score(gold, d)


@pytest.mark.parametrize("field", sorted(BASELINE["articles_dev"]["floors"]))
def test_article_field_stays_above_its_floor(article_scores, field):
    floor = BASELINE["articles_dev"]["floors"][field]
    if field.startswith("events_"):
        got = article_scores["events"][field.removeprefix("events_")]
    else:
        got = article_scores.get(field, article_scores.get("accuracy", {}).get(field))
    assert got >= floor, f"articles {field}: {got} < floor {floor}"
