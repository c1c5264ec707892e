"""The seed article (../shared/eval/seed/article.txt), read from the file as it is, page furniture
included: every row of the table in its README holds. The article is not in this repo."""
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "seed" / "article.txt"
pytestmark = pytest.mark.skipif(not SEED.exists(), reason=f"the seed article is not at {SEED}")


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def rec(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.jsonl"
    subprocess.run([sys.executable, "-m", "conflictatlas", "extract", str(SEED), "--published", "2024-03-11",
                    "-o", str(out)], check=True)
    lines = out.read_text().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_two_clashes_six_on_saturday_and_four(rec):
    fights = [e for e in rec["events"] if e["event_type"] == "Battles"]
    assert len(fights) == 2, [(e["event_date"], e["event_type"], e["fatalities"]) for e in rec["events"]]
    by_toll = {e["fatalities"]: e for e in fights}
    assert set(by_toll) == {6, 4}
    six, four = by_toll[6], by_toll[4]
    assert six["event_date"] == "2024-03-09" and six["sub_event_type"] == "Armed clash"
    assert four["event_date"] in ("2024-03-09", "2024-03-10") and four["time_precision"] == 2
    for e in fights:
        assert e["country"] == "Iraq"
        assert km((e["latitude"], e["longitude"]), (33.85, 43.35)) <= 50      # Wadi al-Tharthar
        assert "Tharthar" in (e["location"] or "")
        assert e["actor1"].startswith("Military Forces of Iraq") and e["inter1"] == "State forces"
        assert e["actor2"].startswith("Islamic State") and e["inter2"] == "Rebel group"


def test_ten_dead_in_total_never_twenty(rec):
    total = sum(e["fatalities"] or 0 for e in rec["events"])
    assert total == 10


def test_no_battle_on_the_launch_day_and_no_history_as_news(rec):
    for e in rec["events"]:
        assert not (e["event_date"] == "2024-03-04" and e["event_type"] == "Battles")
        assert e["event_date"][:4] == "2024"
    for b in rec.get("background_events", []):
        assert b["event_date"] is None or b["event_date"][:4] in ("2014", "2017", "2019")


def test_nothing_from_the_related_content_teasers(rec):
    blob = json.dumps(rec["events"])
    assert "Tabriz" not in blob and "Iran" not in blob and "2025" not in blob


def test_un_strength_figure_is_a_claim_not_an_event(rec):
    claims = rec.get("claims", [])
    assert any(c.get("low") == 3000 and c.get("high") == 5000 for c in claims), claims
    assert all(e["fatalities"] not in (3000, 5000) for e in rec["events"])


def test_the_pmf_commander_is_a_named_speaker_for_the_pmf(rec):
    people = {p["name"]: p for p in rec.get("speakers", [])}
    assert "Qassem Mosleh" in people, rec.get("speakers")
    assert "Popular Mobilization Forces" in people["Qassem Mosleh"]["actor"]
    assert "Anbar" in people["Qassem Mosleh"]["role"]


def test_the_seed_in_the_database_sums_to_ten_killed(tmp_path):
    db = tmp_path / "seed.db"
    subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(SEED), "--published", "2024-03-11",
                    "--db", str(db), "-q"], check=True)
    from conflictatlas.store import Store
    with Store(db) as store:
        assert store.stats()["fatalities"] == 10
        battles = store.query_events(event_type="Battles", limit=None)
        assert sorted(e["fatalities"] for e in battles) == [4, 6]
