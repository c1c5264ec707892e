#!/usr/bin/env python3
"""Build the shipped village tables from Who's On First extracts.

    python scripts/build_villages.py [--src ../shared/data/wof] [--countries iq,sy,...]

Reads ``places_<cc>.tsv.gz`` (WOF live localities with GeoNames columns, see the README there)
and writes ``conflictatlas/data/villages/<cc>.tsv.gz``: one row per populated place that the
main gazetteer (GeoNames cities500) does not already hold, with ACLED's admin1 spelling and an
admin2 name, and the district seats of the country (for the admin2 of any place there).

Columns of the output (tab-separated, gzip, first line a header):
``name, alts, lat, lon, fcode, pop, admin1, admin2`` where ``alts`` are the Latin-script
alternate names (``|``-separated, one per folded key) and a seat row has ``fcode`` ``SEAT``.

The admin1 of a village: the admin1 that the main gazetteer gives the towns sharing its
GeoNames admin1 code (by vote), else that of the nearest main-gazetteer town. Its admin2: the
name of the district seat (PPLA2) carrying its admin2 code, else the main gazetteer's vote for
that code, else left empty (the places stage then takes the nearest seat's district).

Run it where the WOF extract and the built gazetteer are available; the output is committed, so
a fresh clone needs neither (``bash scripts/setup.sh`` installs the package with it).
Data from Who's On First (whosonfirst.org), including GeoNames (geonames.org, CC BY 4.0).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictatlas.gazetteer import load  # noqa: E402
from conflictatlas.gazetteer.build import _good_alt  # noqa: E402
from conflictatlas.gazetteer.names import fold, is_latin, key  # noqa: E402

#: the first batch of the WOF extract: the conflict countries the issue asks for
DEFAULT_COUNTRIES = "iq,sy,ye,sd,ss,so,af,mm,ng,ml,bf,cd,et,ua,ps,lb,ly"
OUT_DIR = ROOT / "conflictatlas" / "data" / "villages"
csv.field_size_limit(10 ** 9)


def _code(v: str) -> str:
    """'6.0' -> '6', '99358.0' -> '99358', '' -> ''."""
    v = (v or "").strip()
    return v[:-2] if v.endswith(".0") else v


def _rows(path: Path):
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
    CC = cc.upper()
    rows = list(_rows(src / f"places_{cc}.tsv.gz"))
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


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--src", default=str(ROOT.parent / "shared" / "data" / "wof"),
                   help="folder with places_<cc>.tsv.gz (default ../shared/data/wof)")
    p.add_argument("--countries", default=DEFAULT_COUNTRIES, help="ISO2 codes, comma-separated")
    p.add_argument("--out", default=str(OUT_DIR))
    a = p.parse_args(argv)
    src, out_dir = Path(a.src), Path(a.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    g = load(curated=False)
    by_gid = {}
    for i, s in enumerate(g.src):
        if s.startswith("geonames:"):
            by_gid[int(s[9:])] = i
    total = 0
    for cc in [c.strip().lower() for c in a.countries.split(",") if c.strip()]:
        rows, stats = build_country(cc, src, g, by_gid)
        path = out_dir / f"{cc}.tsv.gz"
        # mtime=0: the same input gives the same bytes
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(("name\talts\tlat\tlon\tfcode\tpop\tadmin1\tadmin2\n").encode())
            for r in rows:
                gz.write(("\t".join(r) + "\n").encode("utf-8"))
        size = path.stat().st_size
        total += size
        print(f"{cc}: {dict(stats)}  {size / 1e6:.2f} MB")
    print(f"total {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
