"""What a newcomer types: folders with nothing to read, a mistyped path. Each says what happened."""
from __future__ import annotations

import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "conflictatlas", *args], capture_output=True, text=True)


def test_an_empty_folder_is_an_error_that_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    for cmd in (["extract", str(tmp_path / "empty"), "-o", str(tmp_path / "o.jsonl")],
                ["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "e.db")]):
        r = run(*cmd)
        assert r.returncode == 1, r.stderr
        assert "no report files" in r.stderr and "empty" in r.stderr


def test_a_folder_of_pdfs_and_pngs_names_what_was_skipped(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "report.pdf").write_bytes(b"%PDF-1.4")
    (d / "map.png").write_bytes(b"\x89PNG")
    r = run("extract", str(d), "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1
    assert "2 files skipped" in r.stderr and ".pdf" in r.stderr and ".png" in r.stderr
    assert "no report files" in r.stderr


def test_skipped_files_beside_reports_are_a_warning(tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "a.txt").write_text("Gunmen killed two villagers in Zamfara on Monday.")
    (d / "scan.pdf").write_bytes(b"%PDF-1.4")
    r = run("extract", str(d), "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 0, r.stderr
    assert "1 file skipped" in r.stderr and "scan.pdf" in r.stderr and "1 reports" in r.stderr


def test_places_with_a_mistyped_path_says_no_such_file(tmp_path):
    r = run("places", str(tmp_path / "nothere.txt"))
    assert r.returncode != 0 and "no such file" in r.stderr and "E016" in r.stderr
    r = run("places", "nothere.txt")
    assert r.returncode != 0 and "no such file" in r.stderr
