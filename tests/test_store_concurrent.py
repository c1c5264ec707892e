"""Several writers at once into one PostgreSQL database: 4 processes over shuffled, overlapping
shares of the inputs end with exactly the events, sources, claims and row counts of one process;
a writer killed mid-transaction leaves no partial article behind, and running its share again
ends as the clean run.

The inputs are invented: clashes in three countries, retold by up to four outlets with differing
tolls, reports placed only at province level (tied at the end of an ingest), and reports that
name a town but no country (joinable from any country's window: the merge locks their events).
Each child process is this file run as a script.

Needs PostgreSQL (see conftest.py); ``CONFLICTATLAS_TEST_PG=0`` skips this module.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

COUNTRIES = {
    "Iraq": [("Hawija", "Kirkuk", 35.3267, 43.7649), ("Daquq", "Kirkuk", 35.1415, 44.4514),
             ("Baiji", "Salah al-Din", 34.9292, 43.4931)],
    "Syria": [("Mayadin", "Deir ez-Zor", 35.0206, 40.4517), ("Hajin", "Deir ez-Zor", 34.6936, 40.8308),
              ("Tadmur", "Homs", 34.5600, 38.2800)],
    "Mali": [("Gao", "Gao", 16.2666, -0.0400), ("Menaka", "Menaka", 15.9182, 2.4022),
             ("Douentza", "Mopti", 15.0026, -2.9498)],
}
ACTORS = {"Iraq": ("Military Forces of Iraq (2022-)", "Islamic State (Iraq)"),
          "Syria": ("Military Forces of Syria (2000-)", "Islamic State (Syria)"),
          "Mali": ("Military Forces of Mali (2021-)", "JNIM: Group for Support of Islam and Muslims")}
OUTLETS = ["Kirkuk Now", "Desert Wire", "Sahel Daily", "Northern Voice"]
FILLER = ["Residents described heavy gunfire for hours.", "Roads into the area were closed overnight.",
          "A local official confirmed the figures by telephone.", "Hospitals asked for blood donors."]


def plan() -> dict[str, tuple[str, dict]]:
    """id -> (text, the event the stand-in extraction gives it)."""
    out = {}
    for k in range(24):
        country = list(COUNTRIES)[k % 3]
        town, admin1, lat, lon = COUNTRIES[country][(k // 3) % 3]
        day = f"2023-06-{1 + k // 3:02d}"
        a1, a2 = ACTORS[country]
        for j in range(1 + k % 4):
            fat = 2 + k % 5 + j
            ev = dict(event_date=day, time_precision=1, event_type="Battles", sub_event_type="Armed clash",
                      actor1=a1, inter1="State forces", actor2=a2, inter2="Rebel group", country=country,
                      admin1=admin1, location=town, latitude=lat, longitude=lon, geo_precision=1, fatalities=fat)
            text = f"{OUTLETS[j]} report {k}-{j}: militants fought soldiers near {town} on {day}; {fat} killed. {FILLER[j]}"
            out[f"c{k}-{j}"] = (text, ev)
        if k % 5 == 0:            # the same clash told at province level only
            vague = {**ev, "location": admin1, "geo_precision": 3, "fatalities": fat + 10}
            out[f"v{k}"] = (f"Province wire {k}: fighting in {admin1} province on {day}, {fat + 10} dead.", vague)
        if k % 7 == 3:            # a town, but no country
            bare = {**ev, "country": None, "admin1": None, "fatalities": fat + 20}
            out[f"n{k}"] = (f"Agency flash {k}: clashes at {town} on {day}, {fat + 20} dead, no more details.", bare)
    return out


class PlanPipeline:
    """The invented inputs' events, by document id (a stand-in for the extraction stages)."""

    def pipe(self, docs, batch_size=8):
        from conflictatlas import Event
        table = plan()
        for doc in docs:
            doc.events = [Event(**table[doc.id][1], notes=table[doc.id][0])]
            yield doc


def write_jsonl(path: Path, ids: list[str]) -> Path:
    table = plan()
    path.write_text("".join(json.dumps({"id": i, "text": table[i][0], "published": "2023-06-20"}) + "\n" for i in ids))
    return path


def child(url: str, src: str) -> None:
    from conflictatlas.store import Store
    with Store(url) as s:
        rep = s.ingest_paths([src], pipeline=PlanPipeline(), progress=False)
    print(json.dumps(rep.to_dict()))


def state(url: str) -> dict:
    """What must not depend on who wrote what, or in which order."""
    from test_merge import snapshot
    from conflictatlas.store import Store
    with Store(url) as s:
        out = {"events": snapshot(s), "counts": {k: v for k, v in s.counts().items() if k != "event_history"}}
        out["pending"] = [r[0] for r in s.db.execute("SELECT COUNT(*) FROM vague_pending UNION ALL SELECT COUNT(*) FROM fts_pending")]
        out["search"] = sorted(e["id"] for e in s.query_events(text="militants", limit=None))
    return out


def consistent(url: str) -> None:
    """No partial article: each article's reports are all stored, each in an existing event."""
    from conflictatlas.store import Store
    with Store(url) as s:
        q = s.db.execute
        assert q("SELECT COUNT(*) FROM event_sources WHERE event_id = 'pending'").fetchone()[0] == 0
        assert q("SELECT COUNT(*) FROM articles a WHERE a.n_events <> "
                 "(SELECT COUNT(*) FROM event_sources s WHERE s.article_id = a.id)").fetchone()[0] == 0
        assert q("SELECT COUNT(*) FROM event_sources s WHERE NOT EXISTS "
                 "(SELECT 1 FROM events e WHERE e.id = s.event_id)").fetchone()[0] == 0
        assert q("SELECT COUNT(*) FROM events e WHERE NOT EXISTS "
                 "(SELECT 1 FROM event_sources s WHERE s.event_id = e.id)").fetchone()[0] == 0
        kinds = sorted(tuple(r) for r in q("SELECT event_id, sig, n FROM event_kinds"))
        assert kinds == sorted(tuple(r) for r in q("SELECT event_id, sig, COUNT(*) FROM event_sources GROUP BY event_id, sig"))


@pytest.fixture
def pg(request):
    if os.environ.get("CONFLICTATLAS_TEST_PG") == "0":
        pytest.skip("CONFLICTATLAS_TEST_PG=0: PostgreSQL tests turned off on this machine")
    cluster = request.getfixturevalue("pg_cluster")
    return cluster


def _spawn(url: str, src: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, url, str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **env})


def _shares(ids: list[str], n: int, seed: int) -> list[list[str]]:
    """n shuffled shares; every input in two of them (so writers race to store the same article)."""
    rnd = random.Random(seed)
    shares: list[list[str]] = [[] for _ in range(n)]
    for i, x in enumerate(ids):
        shares[i % n].append(x)
        shares[(i + 1 + rnd.randrange(n - 1)) % n].append(x)
    for s in shares:
        rnd.shuffle(s)
    return shares


def _reference(pg, tmp_path) -> tuple[list[str], dict]:
    ids = list(plan())
    ref = pg.new_database()
    child(ref, str(write_jsonl(tmp_path / "all.jsonl", ids)))
    expect = state(ref)
    assert len(expect["events"]) == 24 and expect["counts"]["articles"] == len(ids)
    assert not any(expect["pending"])
    return ids, expect


def test_four_writers_over_shuffled_inputs_give_the_one_process_database(pg, tmp_path):
    ids, expect = _reference(pg, tmp_path)
    for seed in (1, 2):
        url = pg.new_database()
        procs = [_spawn(url, write_jsonl(tmp_path / f"share{seed}-{i}.jsonl", share))
                 for i, share in enumerate(_shares(ids, 4, seed))]
        reps = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            reps.append(json.loads(out.strip().splitlines()[-1]))
        assert sum(r["stored"] for r in reps) == len(ids)               # every article stored once
        assert sum(r["duplicates"] for r in reps) == len(ids)           # its second copy: a duplicate
        consistent(url)
        assert state(url) == expect


def test_a_writer_killed_mid_transaction_leaves_nothing_partial(pg, tmp_path):
    ids, expect = _reference(pg, tmp_path)
    url = pg.new_database()
    from conflictatlas.store import Store
    Store(url).close()                                # the schema, before anyone polls it
    shares = _shares(ids, 4, 7)
    srcs = [write_jsonl(tmp_path / f"share-{i}.jsonl", s) for i, s in enumerate(shares)]
    victim = _spawn(url, srcs[0], CONFLICTATLAS_TEST_SLOW_MS="60")     # a pause inside each transaction
    others = [_spawn(url, s) for s in srcs[1:]]
    import psycopg
    deadline = time.monotonic() + 120
    while victim.poll() is None and time.monotonic() < deadline:
        with psycopg.connect(url) as con:
            mine = con.execute("SELECT COUNT(*) FROM articles WHERE doc_id = ANY(%s)", (shares[0],)).fetchone()[0]
        if mine >= 5:
            break
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL, victim.stderr.read()
    for p in others:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    consistent(url)                                   # the killed transaction left nothing behind
    again = _spawn(url, srcs[0])                      # its share again, to the end
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    consistent(url)
    assert state(url) == expect


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    child(sys.argv[1], sys.argv[2])
