"""`ingest --workers N` / `--ray`: extraction in parallel, writes in one writer in input order; the
database ends exactly as after a one-process ingest (every row of every table, timestamps aside)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dbdump import dump

from conflictatlas import scale
from conflictatlas.scale import ScaleReport, ingest_scaled
from conflictatlas.store import Store

REPORTS = [
    "Gunmen killed {n} villagers in Zamfara state on Monday, police said.",
    "Troops clashed with al-Shabaab fighters near Afgooye on Friday, killing {n}.",
    "A roadside bomb killed {n} soldiers near Gao on Thursday, the army said.",
    "Police fired tear gas at protesters in Nairobi on Tuesday; {n} were arrested.",
    "Militants attacked an army post in Hawija, Kirkuk, on Sunday; {n} soldiers died.",
]


@pytest.fixture()
def inputs(tmp_path):
    """Reports that merge across files (retellings of one clash by other outlets), exact
    duplicates, a malformed line, an empty file, an undated report."""
    d = tmp_path / "in"
    d.mkdir()
    lines = [json.dumps({"id": f"r{i}", "text": REPORTS[i % 5].format(n=i % 4 + 2) + f" Desk note {i}.", "published": "2025-05-1" + str(i % 3),
                         "outlet": f"Outlet {i % 4}"}) for i in range(37)]
    lines[9] = '{"id": "broken", '
    lines[20] = lines[3]                                   # an exact duplicate, later in the same file
    (d / "a.jsonl").write_text("\n".join(lines) + "\n")
    (d / "b.txt").write_text("Published: 2025-05-11\n\nTroops clashed with al-Shabaab fighters near Afgooye "
                             "on Friday, killing 3, residents said.")
    (d / "c.txt").write_text("Gunmen killed 4 villagers in Zamfara state on Monday.")      # no date
    (d / "empty.txt").write_bytes(b"")
    return d



def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1]) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _one_process(inputs, tmp_path) -> tuple[dict, str]:
    db = tmp_path / "one.db"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(inputs), "--db", str(db)],
                       capture_output=True, text=True, env=_env())
    assert r.returncode == 1, r.stderr                         # the broken line and the empty file
    return dump(db), r.stderr


def test_worker_processes_give_the_database_of_one_process(inputs, tmp_path, monkeypatch):
    expected, _ = _one_process(inputs, tmp_path)
    assert len(expected["articles"]) == 37 and len(expected["events"]) >= 5
    monkeypatch.setattr(scale, "free_cores", lambda: 2)
    monkeypatch.setattr(scale, "MIN_REPORTS_PER_WORKER", 10)   # a small input, run on workers all the same
    sr = ScaleReport()
    with Store(tmp_path / "par.db") as store:
        rep = ingest_scaled(store, [inputs], workers=2, shard_size=6, published="2025-05-20", scale_report=sr)
    assert sr.workers == 2 and sr.shards >= 6
    assert rep.read == 38 and rep.stored == 37 and rep.duplicates == 1 and rep.failed == 2
    assert any("W011" in p.message and p.severity == "warning" for p in rep.problems)   # own date over --published
    with Store(tmp_path / "par2.db") as store:
        ingest_scaled(store, [inputs], workers=2, shard_size=6)
    assert dump(tmp_path / "par2.db") == expected


def test_cli_ingest_workers(inputs, tmp_path):
    expected, serial_err = _one_process(inputs, tmp_path)
    db = tmp_path / "cli.db"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(inputs), "--db", str(db),
                        "--workers", "2"], capture_output=True, text=True, env=_env())
    assert r.returncode == 1 and "line 10" in r.stderr and "empty.txt" in r.stderr
    assert dump(db) == expected
    # the same warnings as one process (the undated report), in any order
    assert sorted(x for x in r.stderr.splitlines() if x.startswith(("warning", "error"))) == \
        sorted(x for x in serial_err.splitlines() if x.startswith(("warning", "error")))
    again = subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(inputs), "--db", str(db),
                            "--workers", "2"], capture_output=True, text=True, env=_env())
    assert "0 stored, 38 already in the database" in again.stderr and dump(db) == expected


def test_ray_gives_the_database_of_one_process(inputs, tmp_path):
    pytest.importorskip("ray", reason="Ray is the optional `scale` extra")
    expected, _ = _one_process(inputs, tmp_path)
    with Store(tmp_path / "ray.db") as store:
        rep = ingest_scaled(store, [inputs], workers=2, backend="ray", shard_size=6)
    assert rep.stored == 37 and rep.failed == 2
    assert dump(tmp_path / "ray.db") == expected
