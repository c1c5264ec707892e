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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictatlas.gazetteer import load  # noqa: E402
from conflictatlas.gazetteer.villages_build import build_country, by_geonameid, write_table  # noqa: E402

#: the first batch of the WOF extract and the smaller half of the second (Pakistan, Iran, Nepal left out)
DEFAULT_COUNTRIES = ("iq,sy,ye,sd,ss,so,af,mm,ng,ml,bf,cd,et,ua,ps,lb,ly,"
                     "ke,cf,ec,ht,td,cm,ne,eg,mz,ve,co,ph,bd,pe,tr")
OUT_DIR = ROOT / "conflictatlas" / "data" / "villages"


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
    by_gid = by_geonameid(g)
    total = 0
    for cc in [c.strip().lower() for c in a.countries.split(",") if c.strip()]:
        rows, stats = build_country(cc, src, g, by_gid)
        size = write_table(out_dir / f"{cc}.tsv.gz", rows)
        total += size
        print(f"{cc}: {dict(stats)}  {size / 1e6:.2f} MB")
    print(f"total {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
