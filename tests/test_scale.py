"""Scale-out: the same pipeline over shards in worker processes (and on Ray when installed) gives
the same output, line for line, as one process."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflictatlas.scale import extract_scaled, make_shards
from conflictatlas.sources import Problem

REPORTS = [
    "Gunmen killed {n} villagers in Zamfara state on Monday, police said.",
    "Police fired tear gas at protesters in Nairobi on Tuesday; {n} were arrested.",
    "Troops clashed with al-Shabaab fighters near Afgooye on Friday, killing {n}.",
]


@pytest.fixture()
def inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    lines = [json.dumps({"id": f"r{i}", "text": REPORTS[i % 3].format(n=i % 7 + 1), "published": "2025-05-10"})
             for i in range(23)]
    lines[11] = '{"id": "broken", '
    (d / "many.jsonl").write_text("\n".join(lines) + "\n")
    (d / "one.txt").write_text("Published: 2025-05-10\n\nA roadside bomb killed two soldiers near Gao on Thursday.")
    (d / "empty.txt").write_bytes(b"")
    return d


def _single(inputs, tmp_path):
    out = tmp_path / "single.jsonl"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "extract", str(inputs), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    return out.read_text().splitlines()


def test_shards_keep_line_numbers(inputs):
    shards = list(make_shards([inputs], shard_size=5))
    jsonl = [s for s in shards if not isinstance(s, Problem) and s.kind == "jsonl"]
    assert [s.first_line for s in jsonl] == [1, 6, 11, 16, 21]
    assert [s.index for s in shards if not isinstance(s, Problem)] == list(range(len(shards)))


def test_worker_processes_match_one_process(inputs, tmp_path, monkeypatch):
    from conflictatlas import scale
    monkeypatch.setattr(scale, "free_cores", lambda: 2)
    monkeypatch.setattr(scale, "MIN_REPORTS_PER_WORKER", 5)    # a small input, run on workers all the same
    expected = _single(inputs, tmp_path)
    out = tmp_path / "par.jsonl"
    seen = []
    rep = extract_scaled([inputs], out, workers=2, shard_size=5, on_problem=seen.append)
    assert out.read_text().splitlines() == expected
    assert rep.documents == 23 and rep.failed == 2 and rep.workers == 2
    msgs = sorted(p["message"] for p in seen)
    assert any("many.jsonl, line 12" in m for m in msgs) and any("empty.txt" in m for m in msgs)


def test_cli_workers_option(inputs, tmp_path):
    expected = _single(inputs, tmp_path)
    out = tmp_path / "cli.jsonl"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "extract", str(inputs), "-o", str(out),
                        "--workers", "2"], capture_output=True, text=True)
    assert r.returncode == 1 and "line 12" in r.stderr and "empty.txt" in r.stderr
    assert out.read_text().splitlines() == expected
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "extract", str(inputs), "--workers", "2"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "-o" in r.stderr


def test_ray_backend_matches_one_process(inputs, tmp_path):
    pytest.importorskip("ray", reason="Ray is the optional `scale` extra")
    expected = _single(inputs, tmp_path)
    out = tmp_path / "ray.jsonl"
    rep = extract_scaled([inputs], out, workers=2, backend="ray", shard_size=5)
    assert out.read_text().splitlines() == expected and rep.failed == 2
