"""Benchmark the HTTP API and the page over a synthetic database of N events (default 100,000).

    python benchmarks/bench_api.py [--events 100000] [--db /tmp/bench.db] [--requests 40] [--no-browser]
    python benchmarks/bench_api.py --events 1000000 --postgres --no-browser     # a private PostgreSQL server
    python benchmarks/bench_api.py --db postgresql://user@host/dbname ...         # an existing (empty) one

Issue 11's targets on PostgreSQL at 1,000,000 events: /events filtered page p95 <= 200 ms, /stats
p95 <= 300 ms.

Measures (targets from issue 5):
  GET /events, a filtered page of 500       p95 <= 150 ms
  GET /stats                                p95 <= 300 ms
  the page, all N points interactive        <= 3 s in headless Chromium (/usr/bin/chromium)
  page weight (HTML, JS, CSS, basemap)      < 1.5 MB

The events are synthetic (random places around a few country centres), written straight into the
Store's own schema; nothing here is real data. The server is uvicorn on 127.0.0.1 (a free port).
This is a measurement, not a test: it prints figures and exits 0.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conflictatlas.event import ACLED_FIELDS, DISORDER_TYPES, EVENT_TYPES  # noqa: E402
from conflictatlas.store import Store  # noqa: E402

COUNTRIES = [  # name, centre lat, lon, spread (degrees), weight
    ("Ukraine", 48.5, 34.0, 3.0, 30), ("Syria", 35.0, 38.5, 1.6, 14), ("Yemen", 15.5, 45.0, 2.0, 10),
    ("Nigeria", 10.0, 8.0, 3.0, 8), ("Myanmar", 20.0, 96.0, 3.0, 8), ("Mexico", 21.0, -101.0, 4.0, 6),
    ("Democratic Republic of Congo", -2.0, 28.0, 3.0, 6), ("Afghanistan", 34.0, 67.0, 2.5, 4),
    ("Brazil", -15.0, -48.0, 6.0, 4), ("India", 23.0, 79.0, 5.0, 5), ("Iraq", 33.5, 43.5, 2.0, 3),
    ("Somalia", 4.0, 45.5, 2.5, 3), ("Sudan", 14.5, 30.0, 3.0, 3), ("Colombia", 5.0, -74.5, 2.5, 3),
    ("Philippines", 10.5, 123.0, 3.0, 3),
]
TYPE_WEIGHTS = {"Battles": 20, "Explosions/Remote violence": 30, "Violence against civilians": 15,
                "Protests": 25, "Riots": 5, "Strategic developments": 5}


def make_synthetic(db: str, n: int, seed: int = 7) -> None:
    """Write ``n`` synthetic events into the Store schema of ``db`` (a fresh file)."""
    rnd = random.Random(seed)
    st = Store(db)
    cols = ["id", "canonical_key", *ACLED_FIELDS, "date_lo", "date_hi", "confidence", "notes",
            "n_sources", "n_articles", "explanation", "created_at", "updated_at"]
    sql = f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    types, tw = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    cw = [c[4] for c in COUNTRIES]
    start = date(2022, 1, 1)
    rows, fts = [], []
    for i in range(n):
        name, lat0, lon0, spread, _ = rnd.choices(COUNTRIES, cw)[0]
        region = rnd.randrange(12)
        # events cluster around a dozen towns per country
        tlat = lat0 + spread * ((region * 0.37) % 1 - 0.5)
        tlon = lon0 + spread * ((region * 0.61) % 1 - 0.5)
        lat, lon = tlat + rnd.gauss(0, 0.25), tlon + rnd.gauss(0, 0.25)
        t = rnd.choices(types, tw)[0]
        sub = rnd.choice(EVENT_TYPES[t])
        d = (start + timedelta(days=int(rnd.triangular(0, 180, 120)))).isoformat()
        fat = 0 if t in ("Protests", "Strategic developments") else int(rnd.expovariate(0.4)) if rnd.random() < 0.6 else 0
        a1 = f"Military Forces of {name}" if rnd.random() < 0.5 else f"Armed Group {region} ({name})"
        a2 = f"Civilians ({name})" if t == "Violence against civilians" else (f"Protesters ({name})" if t == "Protests" else None)
        notes = f"Synthetic event {i}: {sub.lower()} near town {region} in {name}; {fat} fatalities."
        ev = {"event_date": d, "time_precision": 1, "disorder_type": DISORDER_TYPES[t], "event_type": t,
              "sub_event_type": sub, "actor1": a1, "inter1": "State forces" if a1.startswith("Military") else "Rebel group",
              "actor2": a2, "country": name, "admin1": f"Province {region} of {name}",
              "location": f"Town {region}", "latitude": round(lat, 4), "longitude": round(lon, 4),
              "geo_precision": 1, "fatalities": fat}
        eid = f"SYN-{i:07d}"
        rows.append([eid, eid, *[ev.get(f) for f in ACLED_FIELDS], d, d, 0.5, notes, 1, 1, "[]",
                     "2022-07-01T00:00:00+00:00", "2022-07-01T00:00:00+00:00"])
        fts.append((eid, notes))
        if len(rows) >= 20000:
            _flush(st, sql, rows, fts)
    _flush(st, sql, rows, fts)
    if st.dialect == "postgresql":
        st.db.execute("ANALYZE")
    st.close()


def _flush(st, sql, rows, fts):
    db = st.db
    with db.write():
        db.executemany(sql, rows)
        if db.fts and db.dialect == "sqlite":
            db.executemany("INSERT INTO events_fts (event_id, body) VALUES (?, ?)", fts)
        elif db.fts:
            db.executemany("INSERT INTO events_fts (event_id, body) VALUES (?, to_tsvector('simple', ?))", fts)
    rows.clear()
    fts.clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_get(url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as r:
            r.read()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def report(name: str, xs: list[float], target: float | None = None) -> None:
    verdict = "" if target is None else ("  OK" if p95(xs) <= target else f"  OVER {target:.0f} ms")
    print(f"{name:<52} n={len(xs):<3} median {statistics.median(xs):7.1f} ms   p95 {p95(xs):7.1f} ms{verdict}")


def browser(base: str, n_events: int, shots: str | None) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: playwright is not installed (pip install playwright); skipped")
        return
    if not os.path.exists("/usr/bin/chromium"):
        print("browser: /usr/bin/chromium is missing (apt-get install chromium); skipped")
        return
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for run in range(2):
            page = b.new_page(viewport={"width": 1366, "height": 768})
            sizes: dict[str, int] = {}

            def on_response(resp, sizes=sizes):
                try:
                    sizes[resp.url] = len(resp.body())
                except Exception:
                    pass
            page.on("response", on_response)
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=60000)
            page.wait_for_selector('.ca-cluster, .ca-point', timeout=60000)   # (the CSP forbids eval-based waits)
            ready = (time.perf_counter() - t0) * 1000
            t1 = time.perf_counter()
            page.evaluate("() => { const m = window.conflictatlas.map; m.setZoom(m.getZoom() + 1); return 1; }")
            page.wait_for_timeout(50)
            page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
            zoom_ms = (time.perf_counter() - t1) * 1000
            shown = page.evaluate("window.conflictatlas.shown()")
            sel = page.evaluate("window.conflictatlas.selected()")
            tm = page.evaluate("window.conflictatlas.timings()")
            gz = page.evaluate("""() => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                .map(e => [e.name, e.transferSize, e.decodedBodySize])""")
            own = [(u, t, d) for u, t, d in gz if "/points" not in u and "/events" not in u]
            print(f"page ({'cold' if run == 0 else 'warm'}): {sel} events selected, all {n_events} points "
                  f"interactive in {ready:.0f} ms{'  OK' if ready <= 3000 else '  OVER 3000 ms'}; "
                  f"zoom step {zoom_ms:.0f} ms; markers in view: {shown}; in the page: {tm}")
            if run == 0:
                weight = sum(d for _, _, d in own)
                wire = sum(t for _, t, _ in own)
                pts = [(t, d) for u, t, d in gz if "/points" in u]
                print(f"page weight: {weight / 1024:.0f} KiB decoded, {wire / 1024:.0f} KiB on the wire "
                      f"(HTML, JS, CSS, world basemap; admin1 borders load when zoomed in)"
                      f"{'  OK' if weight < 1.5 * 1024 * 1024 else '  OVER 1.5 MB'}")
                if pts:
                    print(f"data: /points {pts[0][1] / 1024:.0f} KiB decoded, {pts[0][0] / 1024:.0f} KiB on the wire")
                if shots:
                    page.screenshot(path=os.path.join(shots, "bench-100k.png"))
            page.close()
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/conflictatlas-bench.db")
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--screenshots", help="folder for a screenshot of the page")
    ap.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    ap.add_argument("--postgres", action="store_true",
                    help="a private PostgreSQL server in a temporary folder (tests/pgcluster.py), a fresh database")
    a = ap.parse_args()
    cluster = None
    if a.postgres:
        sys.path.insert(0, str(ROOT / "tests"))
        from pgcluster import Cluster
        cluster = Cluster().start()
        a.db = cluster.new_database()
    try:
        run(a)
    finally:
        if cluster is not None:
            cluster.stop()


def run(a) -> None:
    if "://" in a.db:
        t0 = time.perf_counter()
        make_synthetic(a.db, a.events)
        print(f"wrote {a.events} synthetic events in {time.perf_counter() - t0:.1f} s to {a.db}")
    elif not (a.keep and os.path.exists(a.db)):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(a.db + suffix):
                os.remove(a.db + suffix)
        t0 = time.perf_counter()
        make_synthetic(a.db, a.events)
        print(f"wrote {a.events} synthetic events in {time.perf_counter() - t0:.1f} s to {a.db}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "conflictatlas.api:create_app",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                              env={**os.environ, "CONFLICTATLAS_DB": a.db}, cwd=str(ROOT))
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        n = a.requests
        total = json.loads(urllib.request.urlopen(base + "/events?limit=1").read())["total"]
        print(f"server up on {base} with {total} events")
        print("-- GET /events, pages of 500; the first page of a filter also counts the matches (cold),")
        print("   the pages after it reuse that count until the database changes")
        for name, q in [("no filter", ""), ("country=Syria", "country=Syria&"),
                        ("type=Battles + date range", "type=Battles&from=2022-03-01&to=2022-04-30&"),
                        ("actor=Military", "actor=Military&"), ("text=shelling", "text=shelling&")]:
            xs = []
            for k in range(n):
                xs += timed_get(f"{base}/events?{q}limit=500&offset={500 * (k % 20)}", 1)
            report(f"/events {name} (first {xs[0]:.0f} ms)", xs, 150)
        cold = []
        for c in COUNTRIES:
            cold += timed_get(f"{base}/stats?country={urllib.parse.quote(c[0])}", 1)
        cold += timed_get(f"{base}/stats", 1)
        report("/stats cold (16 distinct filters)", cold, 300)
        report("/stats repeated (cached until a write)", timed_get(base + "/stats", n), 300)
        t0 = time.perf_counter()
        urllib.request.urlopen(base + "/points?country=Yemen").read()
        first = (time.perf_counter() - t0) * 1000
        report(f"GET /points (all; first build {first:.0f} ms)", timed_get(base + "/points", 5))
        if not a.no_browser:
            browser(base, total, a.screenshots)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
