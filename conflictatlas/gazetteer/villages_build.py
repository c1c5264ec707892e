"""Building village tables: from the Who's On First extract (``scripts/build_villages.py``, for
the shipped tables) or from a user's own GeoNames country dump or WOF extract
(``conflictatlas gazetteer add FILE``, into the user cache).

Data from Who's On First (whosonfirst.org), including GeoNames (geonames.org, CC BY 4.0).
"""
from __future__ import annotations

import csv
import gzip
import io
import math
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from .build import _good_alt
from .names import is_latin, key

csv.field_size_limit(10 ** 9)
WOF_COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
               "feature_class", "feature_code", "country_code", "admin1_code", "admin2_code",
               "population")


def _code(v: str) -> str:
    """'6.0' -> '6', '99358.0' -> '99358', '' -> ''."""
    v = (v or "").strip()
    return v[:-2] if v.endswith(".0") else v


def _rows(path: Path):  # the WOF extract's TSV
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")


_CYR = dict(zip("абвгґдезиійклмнопрстуфыэъь'’", ["a", "b", "v", "h", "g", "d", "e", "z", "y", "i", "i",
                                                   "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
                                                   "y", "e", "", "", "", ""]))
_CYR.update({"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ё": "e", "ї": "i",
             "є": "ie", "ю": "iu", "я": "ia"})
_CYR_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def cyrillic_to_latin(name: str) -> str:
    """Ukraine's official romanisation (2010), as ACLED and the news write Ukrainian places:
    'Штепівка' -> 'Shtepivka', 'Ясинувата' -> 'Yasynuvata'; '' when not Cyrillic."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in name):
        return ""
    out = []
    for i, ch in enumerate(name):
        lo = ch.lower()
        start = i == 0 or not name[i - 1].isalpha()
        t = _CYR_START.get(lo) if start else None
        t = t if t is not None else _CYR.get(lo, ch if ch.isascii() else "")
        out.append(t.capitalize() if ch.isupper() else t)
    s = "".join(out)
    return s if is_latin(s) else ""


def _latin_name(r: dict) -> str:
    for n in (r.get("asciiname"), r.get("name"), r.get("wof_name")):
        if n and is_latin(n) and key(n):
            return n.replace("`", "'")
    for n in (r.get("name"), r.get("wof_name")):
        t = cyrillic_to_latin(n or "")
        if t and key(t):
            return t
    return ""


class _Near:
    """Nearest point on a 0.25-degree grid."""

    def __init__(self):
        self.cells = defaultdict(list)

    def add(self, lat, lon, item):
        self.cells[(int(lat * 4 // 1), int(lon * 4 // 1))].append((lat, lon, item))

    def nearest(self, lat, lon, rings=8):
        ci, cj = int(lat * 4 // 1), int(lon * 4 // 1)
        best = None
        for r in range(rings + 1):
            for di in range(-r, r + 1):
                for dj in range(-r, r + 1):
                    if max(abs(di), abs(dj)) != r:
                        continue
                    for la, lo, it in self.cells.get((ci + di, cj + dj), ()):
                        d = (la - lat) ** 2 + ((lo - lon) * math.cos(math.radians(lat))) ** 2
                        if best is None or d < best[0]:
                            best = (d, it)
            if best is not None and r >= 1:
                return best[1]
        return best[1] if best else None


def build_country(cc: str, src: Path, g, by_gid: dict[int, int]) -> tuple[list[list[str]], dict]:
    """Table rows for one country from ``src/places_<cc>.tsv.gz`` (the WOF extract)."""
    return table_rows(cc, list(_rows(src / f"places_{cc}.tsv.gz")), g, by_gid)


def table_rows(cc: str, rows: list[dict], g, by_gid: dict[int, int]) -> tuple[list[list[str]], dict]:
    """Village table rows (see :data:`conflictatlas.gazetteer.villages.HEADER`) for the
    populated places ``rows`` (dicts with the WOF extract's / GeoNames' columns) of one country;
    places the main gazetteer holds (by GeoNames id) are left out, district seats kept."""
    CC = cc.upper()
    a1_votes: dict[str, Counter] = defaultdict(Counter)
    a2_votes: dict[tuple, Counter] = defaultdict(Counter)
    seats: dict[tuple, str] = {}
    near = _Near()
    for i in range(len(g)):
        if g.cc[i] == CC and g.kind[i] == 0 and g.a1[i]:
            near.add(g.lat[i], g.lon[i], i)
    for r in rows:
        gid = int(r["geonameid"]) if r["geonameid"].strip().isdigit() else None
        c1, c2 = _code(r["admin1_code"]), _code(r["admin2_code"])
        if gid in by_gid:
            i = by_gid[gid]
            if g.a1[i] and c1:
                a1_votes[c1][g.a1[i]] += 1
            if g.a2[i] and c2:
                a2_votes[(c1, c2)][g.a2[i]] += 1
        if r["feature_code"] == "PPLA2" and c2:
            seats[(c1, c2)] = _latin_name(r)
    # a code whose towns disagree (a province split since GeoNames coded it: the DRC's
    # Orientale, Myanmar's Shan) says nothing: the nearest town decides
    a1_of = {c: v.most_common(1)[0][0] for c, v in a1_votes.items()
             if v.most_common(1)[0][1] >= 0.9 * sum(v.values())}
    a2_of = {c: v.most_common(1)[0][0] for c, v in a2_votes.items()}
    out: list[list[str]] = []
    stats = Counter()
    for r in rows:
        try:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        except ValueError:
            stats["bad point"] += 1
            continue
        name = _latin_name(r)
        if not name:
            stats["no Latin name"] += 1
            continue
        c1, c2 = _code(r["admin1_code"]), _code(r["admin2_code"])
        a1 = a1_of.get(c1, "")
        if not a1:
            j = near.nearest(lat, lon)
            a1 = g.a1[j] if j is not None else ""
        a2 = seats.get((c1, c2)) or a2_of.get((c1, c2), "") if c2 else ""
        fcode = r["feature_code"] or "PPL"
        gid = int(r["geonameid"]) if r["geonameid"].strip().isdigit() else None
        if r["feature_code"] == "PPLA2":
            # every district seat, known or not: the admin2 of the places around it
            out.append([name, "", f"{lat:.4f}", f"{lon:.4f}", "SEAT", "0", a1, a2 or name])
            stats["seats"] += 1
        if gid in by_gid:
            stats["in the main gazetteer"] += 1
            continue
        seen = {key(name)}
        alts = []
        raw = [r.get("name") or "", r.get("wof_name") or ""] + (r.get("alternatenames") or "").split(",")
        for a in raw + [cyrillic_to_latin(x) for x in raw]:
            a = a.strip().replace("`", "'")
            if not a or not _good_alt(a):
                continue
            k = key(a)
            if k and k not in seen:
                seen.add(k)
                alts.append(a.replace("|", " ").replace("\t", " "))
        pop = r.get("population") or "0"
        out.append([name, "|".join(alts), f"{lat:.4f}", f"{lon:.4f}", fcode,
                    str(int(float(pop or 0))), a1, a2])
        stats["villages"] += 1
        stats["with admin2 from the data"] += bool(a2)
    return out, stats



def read_places(path: str | Path):
    """Populated places (dicts with :data:`WOF_COLUMNS`) of a GeoNames dump (``IQ.txt``,
    ``IQ.zip``: the 19-column geoname table; feature class P only) or of a WOF extract
    (``places_iq.tsv[.gz]``, with a header line). Raises ValueError for anything else."""
    path = Path(path)
    if path.suffix == ".zip":
        zf = zipfile.ZipFile(path)
        names = [n for n in zf.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
        if not names:
            raise ValueError("no .txt file in the zip")
        handles = [io.TextIOWrapper(zf.open(n), encoding="utf-8", newline="") for n in names]
    elif path.suffix == ".gz":
        handles = [gzip.open(path, "rt", encoding="utf-8", newline="")]
    else:
        handles = [open(path, encoding="utf-8", newline="")]
    n_ok = 0
    for fh in handles:
        with fh:
            first = fh.readline()
            if first.startswith("geonameid\tname\tasciiname"):
                rd = csv.DictReader(fh, fieldnames=first.rstrip("\n").split("\t"), delimiter="\t",
                                    quoting=csv.QUOTE_NONE, escapechar="\\")
                for r in rd:
                    n_ok += 1
                    yield r
                continue
            for line in _chain([first] if first else [], fh):
                c = line.rstrip("\n").split("\t")
                if len(c) < 15:
                    raise ValueError("neither a GeoNames dump (19 tab-separated columns) nor a WOF extract")
                if c[6] != "P":
                    continue
                n_ok += 1
                yield dict(zip(WOF_COLUMNS, (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8],
                                             c[10], c[11], c[14])))


def _chain(first, rest):
    yield from first
    yield from rest


def by_geonameid(g) -> dict[int, int]:
    """GeoNames id -> entry of the main gazetteer."""
    out = {}
    for i, s in enumerate(g.src):
        if s.startswith("geonames:"):
            try:
                out[int(s[9:])] = i
            except ValueError:
                pass
    return out


def write_table(path: Path, rows: list[list[str]]) -> int:
    """Write a village table (gzip, mtime 0: the same rows give the same bytes); returns bytes."""
    from .villages import HEADER
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9,
                                                mtime=0) as gz:
        gz.write((HEADER + "\n").encode())
        for r in rows:
            gz.write(("\t".join(r) + "\n").encode("utf-8"))
    tmp.replace(path)
    return path.stat().st_size


def read_table(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        f.readline()
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def add_files(files, g=None) -> dict[str, dict]:
    """Add the populated places of GeoNames dumps or WOF extracts to the user's village tables
    (``~/.cache/conflictatlas/villages/<cc>.tsv.gz``), on top of the shipped table of each
    country; returns {cc: {"added": n, "total": n, "path": ...}}."""
    from . import load
    from .villages import SHIPPED_DIR, clear_cache, user_dir
    g = g or load()
    gid = by_geonameid(g)
    per_cc: dict[str, list[dict]] = defaultdict(list)
    for f in files:
        for r in read_places(f):
            cc = (r.get("country_code") or "").strip().upper()
            if len(cc) == 2:
                per_cc[cc].append(r)
    out = {}
    for cc, rows in sorted(per_cc.items()):
        new, _stats = table_rows(cc.lower(), rows, g, gid)
        path = user_dir() / f"{cc.lower()}.tsv.gz"
        base = path if path.exists() else SHIPPED_DIR / f"{cc.lower()}.tsv.gz"
        old = read_table(base) if base.exists() else []
        seen = {(key(r[0]), r[2][:5], r[3][:5], r[4] == "SEAT") for r in old}
        added = [r for r in new if (key(r[0]), r[2][:5], r[3][:5], r[4] == "SEAT") not in seen]
        write_table(path, old + added)
        out[cc] = {"added": len(added), "total": len(old) + len(added), "path": str(path)}
    clear_cache()
    return out
