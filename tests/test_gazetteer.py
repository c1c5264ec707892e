"""The gazetteer: name folding, lookups, curated features, the file format."""
from __future__ import annotations

import pytest

from conflictatlas.gazetteer import Gazetteer, load, read
from conflictatlas.gazetteer.build import clean_admin
from conflictatlas.gazetteer.matcher import find_mentions
from conflictatlas.gazetteer.names import admin_hint, is_latin, key, skeleton

ROWS = [
    {"name": "Iraq", "kind": "country", "cc": "IQ", "lat": 33.0, "lon": 43.5, "population": 40_000_000},
    {"name": "Al Anbar", "kind": "admin1", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.4, "lon": 42.0,
     "population": 1_500_000, "alt_names": ["Anbar"]},
    {"name": "Salah Al Din", "kind": "admin1", "cc": "IQ", "admin1": "Salah Al Din", "lat": 34.5,
     "lon": 43.7, "population": 1_000_000, "alt_names": ["Salah ad Din Governorate"]},
    {"name": "Ramadi", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.42, "lon": 43.30,
     "population": 220_000},
    {"name": "Al Qā’im", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 34.37,
     "lon": 41.09, "population": 70_000},
    {"name": "Police", "kind": "populated", "cc": "PL", "admin1": "Zachodniopomorskie", "lat": 53.55,
     "lon": 14.57, "population": 33_000},
]


@pytest.fixture()
def gaz():
    return Gazetteer.from_rows(ROWS, {"IQ": "Iraq", "PL": "Poland"})


def test_key_folds_articles_accents_apostrophes_and_spaces():
    assert key("Thar Thar") == key("Tharthar")
    assert key("al-Qaim") == key("Al Qa'im") == key("Al Qā’im")
    assert key("Salah ad Din Governorate") == key("Salah al-Din")
    assert key("Anbar province") == key("Al Anbar")
    assert key("") == ""


def test_skeleton_joins_transliterations():
    forms = ["Salaheddine", "Salahuddin", "Salah al-Din", "Saladin"]
    assert len({skeleton(key(f)) for f in forms}) == 1
    assert skeleton(key("Deir ez-Zor")) == skeleton(key("Deir al-Zour"))
    assert skeleton(key("Severodonetsk")) == skeleton(key("Sievierodonetsk"))
    assert skeleton(key("Mosul")) != skeleton(key("Basra"))
    assert skeleton("abc") == ""          # too short to be trusted


def test_helpers():
    assert admin_hint("Hit district") and not admin_hint("Hit")
    assert is_latin("Ramādī") and not is_latin("الرمادي")
    assert clean_admin("Departement de Seine-Saint-Denis") == "Seine-Saint-Denis"
    assert clean_admin("Northern Region") == "Northern"
    assert clean_admin("Distrito Federal") == "Distrito Federal"


def test_lookup_exact_loose_and_filters(gaz):
    assert [e.name for e in gaz.lookup("Al Qaim")] == ["Al Qā’im"]
    got = gaz.lookup("Salaheddine")                   # only through the skeleton
    assert got and got[0].name == "Salah Al Din" and got[0].kind == "admin1"
    assert gaz.lookup("Salaheddine", loose=False) == []
    assert gaz.lookup("Ramadi", country="Iraq")[0].admin1 == "Al Anbar"
    assert gaz.lookup("Ramadi", country="PL") == []
    assert gaz.lookup("Anbar", kind="populated") == []
    assert gaz.country_code("Iraq") == "IQ"


def test_features_loader_tolerates_bad_rows(tmp_path, gaz, caplog):
    csv = tmp_path / "f.csv"
    csv.write_text(
        "id,name,alt_names,kind,country,admin1,admin2,lat,lon,geo_precision,source,note\n"
        "lake-x,Lake Tharthar,Tharthar Lake|Buhayrat ath Tharthar,lake,Iraq,Al Anbar,,33.9,43.2,3,test,\n"
        "bad,Nowhere,,hill,Iraq,,,abc,43,3,test,\n"
        "far,Faraway,,hill,Iraq,,,95,43,3,test,\n", encoding="utf-8")
    n = gaz.add_features(csv)
    assert n == 1
    e = gaz.lookup("Thar Thar Lake")[0]
    assert e.kind == "feature" and e.cc == "IQ" and e.precision == 3 and e.source == "curated:lake-x"
    assert gaz.lookup("Tharthar")[0].name == "Lake Tharthar"     # the bare name finds it too
    assert "line 3" in caplog.text


def test_save_and_read_roundtrip(tmp_path, gaz):
    p = tmp_path / "g.bin"
    gaz.save(p)
    g2 = read(p)
    assert len(g2) == len(gaz)
    assert g2.lookup("Ramadi")[0].lat == pytest.approx(33.42)
    g3 = load(p, curated=False)
    assert g3 is load(p, curated=False)                        # a cached singleton


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="E040"):
        read(tmp_path / "nope.bin")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a gazetteer")
    with pytest.raises(FileNotFoundError, match="rebuild it"):
        read(bad)


def test_matcher_longest_match_and_common_words(gaz):
    text = "Police said gunmen attacked Ramadi and al-Qaim; the Anbar Police Chief was there."
    got = [(m.text, m.org) for m in find_mentions(text, gaz)]
    # 'Police' the word is no place; 'Anbar Police' is an organisation: context, not a location
    assert got == [("Ramadi", False), ("al-Qaim", False), ("Anbar", True)]


def test_geonames_dump_reader_keeps_towns_and_features(tmp_path):
    from conflictatlas.gazetteer.build import read_geonames_dump
    row = "\t".join
    p = tmp_path / "XX.txt"
    p.write_text("\n".join([
        row(["1", "Tell Example", "Tell Example", "Tal Example,Tell Ekzampl", "36.1", "41.2", "P", "PPL",
             "SY", "", "01", "", "", "", "120", "", "300", "Asia/Damascus", "2020-01-01"]),
        row(["2", "Wadi Example", "Wadi Example", "", "35.5", "40.9", "H", "WAD", "SY", "", "01", "",
             "", "", "0", "", "300", "Asia/Damascus", "2020-01-01"]),
        row(["3", "Hotel Example", "Hotel Example", "", "35.5", "40.9", "S", "HTL", "SY", "", "01", "",
             "", "", "0", "", "300", "Asia/Damascus", "2020-01-01"]),
        "broken line"]) + "\n", encoding="utf-8")
    rows = list(read_geonames_dump(p))
    assert [(r["name"], r["fcode"]) for r in rows] == [("Tell Example", "PPL"), ("Wadi Example", "WAD")]
    assert rows[0]["alternatenames"] == ["Tal Example", "Tell Ekzampl"] and rows[0]["population"] == 120


def test_admin_names_split_units_by_nearest_seat():
    from conflictatlas.gazetteer.build import _seat_points, read_admin_names
    amap = read_admin_names()
    split = amap[("CD", key("Eastern"))]           # GeoNames' Orientale, split in 2015
    assert isinstance(split, list) and "Ituri" in [u[0] for u in split]
    assert amap[("IQ", key("Anbar"))][0] == "Al Anbar"        # a plain renaming stays a pair
    cities = {"1": {"name": "Bunia", "countrycode": "CD", "latitude": "1.56", "longitude": "30.25",
                    "population": 700_000},
              "2": {"name": "Kisangani", "countrycode": "CD", "latitude": "0.52", "longitude": "25.19",
                    "population": 1_000_000}}
    units = _seat_points({("CD", "eastern"): [("Ituri", [], ["Bunia", "Nowhere"]),
                                              ("Tshopo", [], ["Kisangani"]),
                                              ("Lost", [], ["Nowhere"])]}, cities)
    got = {u[0]: u[2] for u in units[("CD", "eastern")]}
    assert got == {"Ituri": [(1.56, 30.25)], "Tshopo": [(0.52, 25.19)]}    # seatless units dropped
