"""Hostile input files: an oversized report, fields of the wrong type, JSON nested to death, one
bad byte in a JSONL file, HTML nested past the parser's depth. Each bad report gets one message
naming its file and line; every good report of the same file is kept."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import conflictatlas
from conflictatlas.document import Document
from conflictatlas.sources import Problem, read_sources
from conflictatlas.store import Store

GOOD = "Gunmen killed five villagers in Zamfara on Monday, police said."


def _read(paths, **kw):
    items = list(read_sources([str(p) for p in paths], **kw))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Problem)]


def _line(i, text=GOOD, **kw):
    return json.dumps({"id": f"r{i}", "text": text, **kw}) + "\n"


def run(*args):
    return subprocess.run([sys.executable, "-m", "conflictatlas", *args], capture_output=True, text=True)


# -- 4: a per-report size cap, the rest kept -----------------------------------------------------

def test_an_oversized_jsonl_line_is_skipped_by_name_and_the_rest_kept(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text(_line(1) + _line(2, "word " * 300_000) + _line(3))      # line 2: ~1.5 MB
    docs, problems = _read([f], max_report_mb=1)
    assert [d.id for d in docs] == ["r1", "r3"]
    assert len(problems) == 1 and problems[0].line == 2
    msg = problems[0].message
    assert "mixed.jsonl, line 2" in msg and "1" in msg and "--max-report-mb" in msg


def test_the_per_report_cap_has_a_default_well_below_the_file_limit(tmp_path):
    f = tmp_path / "big.jsonl"
    f.write_text(_line(1) + _line(2, "word " * 1_000_000) + _line(3))    # line 2: ~5 MB, file under 20 MB
    docs, problems = _read([f])
    assert [d.id for d in docs] == ["r1", "r3"] and [p.line for p in problems] == [2]


def test_an_oversized_text_file_is_one_report_over_the_cap(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x " * (600 * 1024))                                   # ~1.2 MB
    docs, problems = _read([big], max_report_mb=1)
    assert docs == [] and len(problems) == 1 and "--max-report-mb" in problems[0].message


def test_cli_extract_and_ingest_keep_the_good_lines(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text(_line(1) + _line(2, "word " * 300_000) + _line(3))
    out = tmp_path / "out.jsonl"
    r = run("extract", str(f), "-o", str(out), "--max-report-mb", "1")
    assert r.returncode == 1 and "line 2" in r.stderr
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["r1", "r3"]
    r = run("ingest", str(f), "--db", str(tmp_path / "e.db"), "--max-report-mb", "1", "-q")
    assert r.returncode == 1 and "line 2" in r.stderr
    with Store(tmp_path / "e.db") as s:
        assert s.counts()["articles"] == 1           # r1 and r3 tell the same text: one article


# -- 5: fields that are not strings -------------------------------------------------------------

def test_non_string_outlet_title_url_are_dropped_with_a_warning(tmp_path):
    f = tmp_path / "odd.jsonl"
    f.write_text(_line(1, outlet=5, title=["a", "list"]) + _line(2, "Troops clashed with rebels in Gao.",
                                                                 url={"x": 1}, language=7))
    docs, problems = _read([f])
    assert [d.id for d in docs] == ["r1", "r2"]
    assert docs[0].outlet is None and docs[0].title is None and docs[1].url is None and docs[1].language is None
    assert all(p.severity == "warning" for p in problems)
    assert {p.line for p in problems} == {1, 2} and any("'outlet'" in p.message for p in problems)


def test_ingest_survives_non_string_fields(tmp_path):
    f = tmp_path / "odd.jsonl"
    f.write_text(_line(1, outlet=5, title={"t": 1}) + _line(2, "Troops clashed with rebels in Gao.", outlet="Wire"))
    r = run("ingest", str(f), "--db", str(tmp_path / "e.db"), "-q")
    assert r.returncode == 0, r.stderr
    assert "ProgrammingError" not in r.stderr and "line 1" in r.stderr
    with Store(tmp_path / "e.db") as s:
        assert s.counts()["articles"] == 2


def test_store_coerces_what_a_library_user_passes():
    doc = conflictatlas.extract(GOOD, published="2025-05-06")
    doc.outlet, doc.title = 5, ["x"]                                      # type: ignore[assignment]
    with Store(":memory:") as s:
        assert s.ingest_documents([doc]).stored == 1


# -- 6: JSON nested to death ---------------------------------------------------------------------

def test_deeply_nested_json_is_one_bad_line(tmp_path):
    f = tmp_path / "deep.jsonl"
    f.write_text(_line(1) + "[" * 100_000 + "\n" + '{"id": "r3", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + _line(4))
    docs, problems = _read([f])
    assert [d.id for d in docs] == ["r1", "r4"]
    assert [p.line for p in problems] == [2, 3] and all("nested" in p.message for p in problems)


def test_deeply_nested_json_list_file(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000)
    docs, problems = _read([f])
    assert docs == [] and len(problems) == 1 and "nested" in problems[0].message


def test_cli_extract_and_ingest_on_deep_json(tmp_path):
    f = tmp_path / "deep.jsonl"
    f.write_text("[" * 100_000 + "\n" + _line(2))
    r = run("extract", str(f), "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1 and "RecursionError" not in r.stderr and "line 1" in r.stderr
    assert len((tmp_path / "o.jsonl").read_text().splitlines()) == 1
    r = run("ingest", str(f), "--db", str(tmp_path / "e.db"), "-q")
    assert r.returncode == 1 and "RecursionError" not in r.stderr and "line 1" in r.stderr


# -- 7: one bad byte: that line, not the whole file ------------------------------------------------

def test_one_bad_byte_spoils_one_line_only(tmp_path):
    f = tmp_path / "mixed.jsonl"
    good = '{"id": "r1", "text": "Le général a dit que cinq soldats ont été tués à Gao."}\n'.encode("utf-8")
    bad = b'{"id": "r2", "text": "Caf\xe9 attacked"}\n'                    # one cp1252 byte
    f.write_bytes(good + bad + '{"id": "r3", "text": "Soldats tués à Kidal."}\n'.encode("utf-8"))
    docs, problems = _read([f])
    by_id = {d.id: d for d in docs}
    assert "général" in by_id["r1"].text and "tués" in by_id["r3"].text        # not garbled
    assert len(problems) == 1 and problems[0].line == 2 and "line 2" in problems[0].message
    # the bad line is read as cp1252 and said so (a warning), or skipped: never garbles the others
    assert problems[0].severity == "warning" and by_id["r2"].text == "Café attacked"


# -- 8: HTML nested past the parser's depth ---------------------------------------------------------

def test_html_nested_past_the_parser_depth_keeps_its_text(tmp_path):
    for depth in (300, 100_000):
        raw = "<html><body>" + "<div>" * depth + f"<p>{GOOD}</p>" + "</div>" * depth + "</body></html>"
        doc = conflictatlas.extract(raw, published="2025-05-06", format="html")
        assert GOOD in doc.text, depth
        assert "<div>" not in doc.text


def test_api_ingest_refuses_deep_json_with_a_400(tmp_path):
    import pytest
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient
    from conflictatlas.api import create_app
    Store(tmp_path / "e.db").close()
    client = TestClient(create_app(tmp_path / "e.db", token="t0ken"), raise_server_exceptions=False)
    r = client.post("/ingest", content=b"[" * 100_000, headers={"Authorization": "Bearer t0ken",
                                                                "Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert "nested" in r.text
