"""What an ingest says it did is what it did: counts of its own, whoever else writes at the time."""
from __future__ import annotations

from datetime import date

import pytest

from conflictatlas import Document, Event
from conflictatlas.store import Store

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)

BASE = dict(event_date="2023-05-14", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
            actor1="Military Forces of Iraq (2022-)", inter1="State forces", country="Iraq", admin1="Kirkuk",
            location="Hawija", latitude=35.3267, longitude=43.7649, geo_precision=1, fatalities=1)
TOWNS = {"Hawija": (35.3267, 43.7649), "Daquq": (35.1415, 44.4514), "Tuz Khurmatu": (34.8833, 44.6333),
         "Dibis": (35.6469, 44.0675), "Kirkuk city": (35.4681, 44.3922)}


def doc(i: int, town: str, day: str = "2023-05-14", outlet: str = "o") -> Document:
    d = Document(id=f"{outlet}{i}", text=f"{outlet} report {i}: a clash at {town} on {day}.",
                 published=date(2023, 5, 15), outlet=outlet)
    lat, lon = TOWNS[town]
    d.events = [Event(**{**BASE, "location": town, "latitude": lat, "longitude": lon, "event_date": day})]
    return d


def test_two_concurrent_ingests_each_count_their_own_events(tmp_path):
    db = tmp_path / "e.db"
    first, second = Store(db), Store(db)
    mine = [doc(1, "Hawija"), doc(2, "Daquq")]
    theirs = [doc(1, "Tuz Khurmatu", outlet="p"), doc(2, "Dibis", outlet="p"), doc(3, "Kirkuk city", outlet="p")]
    reports = {}

    def interleaved():
        # the other run stores its three events while this one is under way
        reports["second"] = second.ingest_documents(theirs)
        yield from mine

    reports["first"] = first.ingest_documents(interleaved())
    assert reports["second"].events_created == 3
    assert reports["first"].events_created == 2
    assert first.count_events() == 5


def test_merges_count_as_updates_not_new_events(tmp_path):
    s = Store(tmp_path / "e.db")
    assert s.ingest_documents([doc(1, "Hawija"), doc(2, "Daquq")]).events_created == 2
    again = s.ingest_documents([doc(3, "Hawija", outlet="q")])        # a retelling: joins Hawija
    assert again.events_created == 0 and again.events_updated == 1


@pytest.mark.sqlite_only
def test_after_ingest_the_db_file_alone_holds_everything(tmp_path):
    """Copying events.db without events.db-wal must not give an empty database."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    db = tmp_path / "events.db"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(root / "examples" / "reports"),
                        "--db", str(db), "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    wal = Path(str(db) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy" / "events.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)                     # the .db alone
    with Store(db) as s:
        stored = s.count_events()
    with Store(copy) as s:
        assert stored > 0 and s.count_events() == stored


@pytest.mark.sqlite_only
def test_library_ingest_checkpoints_too(tmp_path):
    db = tmp_path / "e.db"
    s = Store(db)
    s.ingest_documents([doc(1, "Hawija"), doc(2, "Daquq")])
    import shutil
    shutil.copy(db, tmp_path / "copy.db")     # while the store is still open
    with Store(tmp_path / "copy.db") as c:
        assert c.count_events() == 2
    s.close()
