"""Kill an ingest midway with SIGKILL, run it again: the database ends as after one clean run.

The child process is this file run as a script: it ingests a folder of 43 invented reports
with a pause inside each article's transaction (CONFLICTATLAS_TEST_SLOW_MS), so that the
kill lands in the middle of the run and, most likely, of a transaction.
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dbdump import dump

PLACES = {  # name: (admin1, lat, lon)
    "Hawija": ("Kirkuk", 35.3267, 43.7649), "Daquq": ("Kirkuk", 35.1415, 44.4514),
    "Tuz Khurmatu": ("Salah al-Din", 34.8886, 44.6326), "Baiji": ("Salah al-Din", 34.9292, 43.4931),
    "Sinjar": ("Nineveh", 36.3209, 41.8766), "Makhmur": ("Erbil", 35.7750, 43.5800),
    "Kirkuk province": ("Kirkuk", 35.4681, 44.3922),          # a vague, province-level place
}
LINE = re.compile(r"on (\d{4}-\d{2}-\d{2}), (?:fighters|militants|gunmen) .*? near ([A-Z][\w ]+?),.*? (\d+) (?:people )?(?:were )?killed")


class TemplatePipeline:
    """Reads the invented reports' one fixed sentence shape; a stand-in for the extraction stages."""

    def pipe(self, docs, batch_size=8):
        from conflictatlas import Event
        for doc in docs:
            m = LINE.search(doc.text)
            if m:
                admin1, lat, lon = PLACES[m.group(2)]
                vague = m.group(2).endswith(" province")
                doc.events = [Event(event_date=m.group(1), time_precision=1, event_type="Battles",
                                    sub_event_type="Armed clash", actor1="Military Forces of Iraq (2022-)",
                                    inter1="State forces", actor2="Islamic State (Iraq)", inter2="Rebel group",
                                    country="Iraq", admin1=admin1, location=admin1 if vague else m.group(2),
                                    latitude=lat, longitude=lon, geo_precision=3 if vague else 1,
                                    fatalities=int(m.group(3)), notes=m.group(0))]
            yield doc


def write_reports(folder: Path) -> int:
    """43 invented reports about 17 clashes; many clashes are retold by 2-4 outlets, three only
    at province level (two of them tie to that day's clash in the province, one to none)."""
    folder.mkdir(parents=True, exist_ok=True)
    outlets = ["Kirkuk Now", "Tigris Daily", "Gulf Wire", "Northern Voice"]
    verbs = ["clashed with the army", "attacked an army post", "fought soldiers", "ambushed a patrol"]
    towns = [p for p in PLACES if not p.endswith(" province")]
    n = 0
    for k, day in ((0, "2023-06-01"), (1, "2023-06-02"), (2, "2023-06-03")):
        text = (f"Wire report {k}: on {day}, militants of Islamic State clashed with the army near Kirkuk province, "
                f"officials said; {3 + k} people were killed.")
        (folder / f"region-{k}.txt").write_text(text)
        n += 1
    for k in range(16):
        place = towns[k % len(towns)]
        day = f"2023-06-{1 + k:02d}"
        for j in range(1 + (k % 4)):
            if n >= 43:
                break
            who = ["fighters", "militants", "gunmen"][j % 3]
            text = (f"{outlets[j]} report {k}-{j}: on {day}, {who} of Islamic State {verbs[j]} near {place}, "
                    f"officials said; {2 + k % 5 + j} people were killed. Residents described heavy gunfire "
                    f"for several hours and roads were closed.")
            (folder / f"report-{n:02d}.txt").write_text(text)
            n += 1
    return n



def child(db: str, folder: str) -> None:
    from conflictatlas.store import Store
    rep = Store(db).ingest_paths([folder], pipeline=TemplatePipeline(), progress=False)
    print(rep.summary())


def _articles(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_midway_and_rerun(tmp_path):
    folder = tmp_path / "reports"
    total = write_reports(folder)
    assert total == 43
    env = dict(os.environ, CONFLICTATLAS_TEST_SLOW_MS="40")
    db = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, __file__, str(db), str(folder)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _articles(db) < 12 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    stored = _articles(db)
    assert 0 < stored < total, "the kill should land midway"
    # run again, to the end
    done = subprocess.run([sys.executable, __file__, str(db), str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{stored} already in the database" in done.stdout
    # one clean run
    clean = tmp_path / "clean.db"
    subprocess.run([sys.executable, __file__, str(clean), str(folder)], check=True, capture_output=True)
    a, b = dump(db), dump(clean)
    assert len(b["articles"]) == total and len(b["events"]) == 17      # two province-level reports tied
    assert not b["vague_pending"] and not b["fts_pending"]
    assert a == b
    # and a third run adds nothing
    again = subprocess.run([sys.executable, __file__, str(db), str(folder)], capture_output=True, text=True)
    assert f"{total} already in the database" in again.stdout
    assert dump(db) == b


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    child(sys.argv[1], sys.argv[2])
