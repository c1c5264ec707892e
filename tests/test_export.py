"""Exports: ACLED CSV (ACLED's columns, ACLED's order), GeoJSON, JSONL, Parquet."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conflictatlas.errors import ConflictAtlasError
from conflictatlas.export import ACLED_CSV_COLUMNS, EXPORTERS, acled_row, export_events
from conflictatlas.store import Store
from test_store import FIX, StubPipeline

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)


@pytest.fixture(scope="module")
def store():
    s = Store(":memory:")
    s.ingest_paths([FIX / "reports.jsonl"], pipeline=StubPipeline(), progress=False)
    return s


def _export(store, fmt, **filters) -> bytes:
    buf = io.BytesIO()
    export_events(store, fmt, buf, **filters)
    return buf.getvalue()


def test_acled_columns_in_acled_order():
    assert ACLED_CSV_COLUMNS[:4] == ("event_id_cnty", "event_date", "year", "time_precision")
    for a, b in [("actor1", "assoc_actor_1"), ("inter2", "interaction"), ("iso", "region"), ("country", "admin1"),
                 ("latitude", "longitude"), ("source", "source_scale"), ("notes", "fatalities"), ("tags", "timestamp")]:
        assert ACLED_CSV_COLUMNS.index(a) + 1 == ACLED_CSV_COLUMNS.index(b)
    assert len(ACLED_CSV_COLUMNS) == len(set(ACLED_CSV_COLUMNS)) == 31


def test_acled_csv(store):
    rows = list(csv.DictReader(io.StringIO(_export(store, "acled-csv").decode("utf-8"))))
    assert len(rows) == 3
    assert list(rows[0].keys()) == list(ACLED_CSV_COLUMNS)
    clash = next(r for r in rows if r["event_type"] == "Battles")
    assert clash["fatalities"] == "14" and clash["year"] == "2023" and clash["iso"] == "368"
    assert clash["region"] == "Middle East" and clash["interaction"] == "State forces-Rebel group"
    assert clash["source"].count(";") == 4                  # five outlets
    assert float(clash["latitude"]) == pytest.approx(35.3267)
    # filters apply
    only = list(csv.DictReader(io.StringIO(_export(store, "acled-csv", event_type="Protests").decode())))
    assert [r["sub_event_type"] for r in only] == ["Peaceful protest"]


def test_geojson_and_jsonl(store):
    gj = json.loads(_export(store, "geojson"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 3
    f = gj["features"][0]
    assert f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2
    lon, lat = f["geometry"]["coordinates"]
    assert lon == f["properties"]["longitude"] and lat == f["properties"]["latitude"]
    lines = _export(store, "jsonl").decode().splitlines()
    recs = [json.loads(x) for x in lines]
    assert len(recs) == 3 and all(r["sources"] and "claims" in r for r in recs)
    clash = next(r for r in recs if r["event_type"] == "Battles")
    assert any(c["chosen"] and c["value"] == 14 for c in clash["claims"])


def test_parquet(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")       # an optional extra
    out = tmp_path / "e.parquet"
    with open(out, "wb") as f:
        assert export_events(store, "parquet", f) == 3
    table = pq.read_table(out)
    assert table.column_names == list(ACLED_CSV_COLUMNS)
    assert sorted(table.column("fatalities").to_pylist()) == [0, 2, 14]


def test_unknown_format(store):
    with pytest.raises(ConflictAtlasError, match="E053"):
        export_events(store, "xlsx", io.BytesIO())
    assert set(EXPORTERS) >= {"acled-csv", "geojson", "jsonl", "parquet"}


def test_acled_row_without_place_or_actors():
    row = acled_row({"id": "CA-1", "event_date": "2023-01-02", "country": None, "fatalities": None})
    assert row["fatalities"] == 0 and row["iso"] is None and row["interaction"] is None and row["year"] == 2023


def test_cli_export(tmp_path):
    from conflictatlas.cli import main
    db = tmp_path / "e.db"
    s = Store(db)
    s.ingest_paths([FIX / "reports.jsonl"], pipeline=StubPipeline(), progress=False)
    s.close()
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "acled-csv", "-o", str(out),
                                  "--country", "Iraq", "--from", "2023-05-01"])
    assert r.exit_code == 0, r.output
    assert out.read_text().splitlines()[0] == ",".join(ACLED_CSV_COLUMNS)
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "geojson"])
    assert json.loads(r.stdout)["type"] == "FeatureCollection"
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--from", "June 5"])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_parquet_without_pyarrow_says_what_to_install(store, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ConflictAtlasError, match=r"conflictatlas\[parquet\]"):
        export_events(store, "parquet", io.BytesIO())
