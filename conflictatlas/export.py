"""Exports of the event database: ACLED CSV, GeoJSON, JSONL and Parquet.

Each format is a writer registered with :func:`exporter`, the same way a plugin adds one:
``@exporter("name", suffix=".ext")`` on a function ``(events: Iterable[dict], out: BinaryIO)``.
:func:`export_events` streams the events a :class:`~conflictatlas.store.Store` query matches.

The ACLED CSV has ACLED's columns in ACLED's order (the layout of ACLED's current exports, with
text actor types and a text ``interaction``), so it loads into tools built for ACLED data.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from typing import Any, BinaryIO, Callable, Iterable

from .errors import ConflictAtlasError, Errors
from .event import ACLED_FIELDS

#: ACLED's export columns, in ACLED's order.
ACLED_CSV_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

EXPORTERS: dict[str, tuple[Callable[[Iterable[dict], BinaryIO], int], str]] = {}


def exporter(name: str, suffix: str):
    """Register ``fn(events, out) -> count`` as export format ``name``."""

    def deco(fn):
        EXPORTERS[name] = (fn, suffix)
        return fn

    return deco


def export_events(store, fmt: str, out: BinaryIO, **filters) -> int:
    """Write the events matching ``filters`` to the binary stream ``out``; returns the count."""
    if fmt not in EXPORTERS:
        raise ConflictAtlasError(Errors.E053.format(fmt=fmt, choices=", ".join(sorted(EXPORTERS))))
    fn, _ = EXPORTERS[fmt]
    return fn(_with_sources(store, store.iter_events(**filters)), out)


def _with_sources(store, events: Iterable[dict]) -> Iterable[dict]:
    for e in events:
        full = store.get_event(e["id"]) or e
        yield full


def _iso_numeric(country: str | None) -> int | None:
    if not country:
        return None
    try:
        import pycountry
        c = pycountry.countries.lookup(country)
        return int(c.numeric)
    except (ImportError, LookupError, AttributeError, ValueError):
        return None


def _region(country: str | None) -> str | None:
    """ACLED's region for a country, from its UN sub-region (coarse, where known)."""
    if not country:
        return None
    try:
        import pycountry
        a2 = pycountry.countries.lookup(country).alpha_2
    except (ImportError, LookupError):
        return None
    for region, codes in _REGIONS.items():
        if a2 in codes:
            return region
    return None


_REGIONS = {
    "Middle East": "AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "Northern Africa": "DZ LY MA SD TN EH",
    "Western Africa": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "Middle Africa": "AO CF CG CM CD GA GQ ST TD",
    "Eastern Africa": "BI DJ ER ET KE KM MG MU MW MZ RE RW SC SO SS TZ UG YT ZM ZW",
    "Southern Africa": "BW LS NA SZ ZA",
    "South Asia": "AF BD BT IN LK MV NP PK",
    "Southeast Asia": "BN ID KH LA MM MY PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Caucasus and Central Asia": "AM AZ GE KG KZ TJ TM UZ",
    "Europe": "AD AL AT BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GI GR HR HU IE IS IT LI LT LU LV MC "
              "MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM UA VA XK",
    "Caribbean": "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",
    "Central America": "BZ CR GT HN MX NI PA SV",
    "South America": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
    "North America": "BM CA GL PM US",
    "Oceania": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
}
_REGIONS = {k: set(v.split()) for k, v in _REGIONS.items()}


def acled_row(e: dict[str, Any]) -> dict[str, Any]:
    """One event as an ACLED CSV row (dict keyed by :data:`ACLED_CSV_COLUMNS`)."""
    row = {c: None for c in ACLED_CSV_COLUMNS}
    for f in ACLED_FIELDS:
        row[f] = e.get(f)
    row["event_id_cnty"] = e.get("id")
    row["year"] = int(e["event_date"][:4]) if e.get("event_date") else None
    inter = [x for x in (e.get("inter1"), e.get("inter2")) if x]
    row["interaction"] = "-".join(inter) if len(inter) == 2 else (f"{inter[0]} only" if inter else None)
    row["iso"] = _iso_numeric(e.get("country"))
    row["region"] = _region(e.get("country"))
    outlets = sorted({s.get("source") or s.get("outlet") or "" for s in e.get("sources", [])} - {""})
    row["source"] = "; ".join(outlets) or None
    row["notes"] = e.get("notes")
    row["fatalities"] = e.get("fatalities") if e.get("fatalities") is not None else 0
    row["tags"] = None
    ts = e.get("updated_at")
    try:
        row["timestamp"] = int(datetime.fromisoformat(ts).timestamp()) if ts else None
    except ValueError:
        row["timestamp"] = None
    return row


#: a cell that starts with one of these is a formula to a spreadsheet (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a string that a spreadsheet would run as a formula
    ("=HYPERLINK(...)", "+1+1", "@SUM(A1)") gets a leading ``'``, as OWASP advises. Numbers, and
    strings that are plain numbers ("-1.68"), stay as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cells(row: dict[str, Any]) -> list[Any]:
    """An :func:`acled_row` as the cells of one CSV line, in :data:`ACLED_CSV_COLUMNS` order."""
    return [safe_cell(row[c]) for c in ACLED_CSV_COLUMNS]


@exporter("acled-csv", ".csv")
def write_acled_csv(events: Iterable[dict], out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    w = csv.writer(text)
    w.writerow(ACLED_CSV_COLUMNS)
    n = 0
    for e in events:
        w.writerow(csv_cells(acled_row(e)))
        n += 1
    text.flush()
    text.detach()
    return n


def _compact(e: dict) -> dict:
    """An event for JSONL/GeoJSON: ACLED fields, id, sources (no full evidence), claims, history."""
    d = {k: v for k, v in e.items() if k not in ("sources",)}
    d["sources"] = [{k: s.get(k) for k in ("article_id", "source", "url", "title", "outlet", "published",
                                           "sentence", "merge_reason")} for s in e.get("sources", [])]
    return d


@exporter("jsonl", ".jsonl")
def write_jsonl(events: Iterable[dict], out: BinaryIO) -> int:
    n = 0
    for e in events:
        out.write((json.dumps(e, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
        n += 1
    return n


@exporter("geojson", ".geojson")
def write_geojson(events: Iterable[dict], out: BinaryIO) -> int:
    out.write(b'{"type": "FeatureCollection", "features": [\n')
    n = 0
    for e in events:
        if e.get("latitude") is None or e.get("longitude") is None:
            continue
        props = _compact(e)
        props.pop("history", None)
        feat = {"type": "Feature", "id": e["id"],
                "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
                "properties": props}
        out.write(((",\n" if n else "") + json.dumps(feat, ensure_ascii=False, default=str)).encode("utf-8"))
        n += 1
    out.write(b"\n]}\n")
    return n


@exporter("parquet", ".parquet")
def write_parquet(events: Iterable[dict], out: BinaryIO) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConflictAtlasError(Errors.E031.format(package="pyarrow", feature="Parquet export",
                                                    extra="parquet")) from None
    rows = [acled_row(e) for e in events]
    types = {"year": pa.int32(), "time_precision": pa.int8(), "iso": pa.int32(), "latitude": pa.float64(),
             "longitude": pa.float64(), "geo_precision": pa.int8(), "fatalities": pa.int32(),
             "timestamp": pa.int64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in ACLED_CSV_COLUMNS])
    cols = {c: [r[c] for r in rows] for c in ACLED_CSV_COLUMNS}
    for c in ("assoc_actor_1", "assoc_actor_2", "civilian_targeting", "source_scale", "tags"):
        cols[c] = [None if v is None else str(v) for v in cols[c]]
    table = pa.Table.from_pydict(cols, schema=schema)
    pq.write_table(table, out)
    return len(rows)
