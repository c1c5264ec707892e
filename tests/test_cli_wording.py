"""What the CLI prints reads as English: claims, cut evidence, date precision, source names."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import conflictatlas
from conflictatlas.commands.extract import _table_lines

ROOT = Path(__file__).resolve().parents[1]
LONG = ("Four soldiers were killed and six others were wounded when gunmen attacked an army checkpoint "
        "on the road between the two towns late on Sunday night, a security official said on Monday.")


def _rec():
    ev = {"event_date": "2024-03-09", "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
          "location": "Hawija", "country": "Iraq", "latitude": 35.3, "longitude": 43.7, "geo_precision": 1,
          "actor1": "Military Forces of Iraq", "inter1": "State forces", "fatalities": 4,
          "evidence": {"fatalities": [{"sentence": LONG}]}, "extra": {}}
    week = {**ev, "event_date": "2024-03-10", "time_precision": 2}
    return {"id": "r1", "events": [ev, week],
            "claims": [{"value": 4, "low": 4, "high": 4, "kind": "killed", "said_by": "The group",
                        "text": "four soldiers died"},
                       {"value": 3000, "low": 3000, "high": 5000, "kind": "other", "said_by": "the United Nations",
                        "text": "between 3,000 and 5,000 fighters"}]}


def test_claims_read_as_a_sentence():
    lines = "\n".join(_table_lines(_rec()))
    assert "died killed" not in lines and "said by The group" not in lines
    assert 'claim: 4 killed ("four soldiers died"), according to the group' in lines
    assert 'claim: 3,000-5,000 ("between 3,000 and 5,000 fighters"), according to the United Nations' in lines


def test_date_precision_is_said_in_words():
    lines = "\n".join(_table_lines(_rec()))
    assert "(p1)" not in lines and "(p2)" not in lines
    assert "2024-03-09 (the day)" in lines and "2024-03-10 (within the week)" in lines


def test_evidence_is_cut_at_a_word():
    ev_line = next(l for l in _table_lines(_rec()) if "evidence:" in l)
    quoted = ev_line.split('"')[1]
    assert quoted.endswith("…") and len(quoted) < len(LONG)
    assert LONG.startswith(quoted[:-1].rstrip()) and LONG[len(quoted[:-1].rstrip())] == " "


def run(*args):
    return subprocess.run([sys.executable, "-m", "conflictatlas", *args], capture_output=True, text=True)


def test_a_text_file_is_named_by_its_file_name(tmp_path):
    db = tmp_path / "e.db"
    assert run("ingest", str(ROOT / "examples" / "reports" / "hamrin-army-statement.txt"), "--db", str(db),
               "-q").returncode == 0
    listed = run("events", "--db", str(db), "--json").stdout.splitlines()
    eid = listed[0].split('"id": "')[1].split('"')[0]
    shown = run("events", "show", eid, "--db", str(db)).stdout
    assert "1. hamrin-army-statement.txt" in shown
    out = run("export", "--db", str(db), "--format", "acled-csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and rows[0]["source"] == "hamrin-army-statement.txt"


def test_an_outlet_when_known_wins_over_the_file_name(tmp_path):
    f = tmp_path / "wire.jsonl"
    f.write_text('{"id": "w1", "outlet": "Kirkuk Now", "published": "2023-05-15", '
                 '"text": "Gunmen killed two villagers in Hawija, Kirkuk, on Sunday."}\n')
    db = tmp_path / "e.db"
    assert run("ingest", str(f), "--db", str(db), "-q").returncode == 0
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", str(db)).stdout)))
    assert rows and rows[0]["source"] == "Kirkuk Now"


def test_an_html_headline_is_not_run_into_the_first_sentence():
    raw = (ROOT / "examples" / "reports" / "hamrin-state-tv.html").read_text()
    doc = conflictatlas.extract(raw, published="2025-02-12", format="html")
    sentences = [doc.text[s.start:s.end] for s in doc.sentences]
    assert not any("Diyala The Iraqi" in s or "Diyala\nThe Iraqi" in s for s in sentences), sentences[:3]
    assert doc.events and "Diyala The Iraqi" not in doc.events[0].notes
    assert doc.events[0].notes.startswith("Security forces kill Daesh terrorists in Diyala. The Iraqi army")
