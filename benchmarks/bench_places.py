"""Gazetteer load time and memory, and place-resolution speed on one core.

    python benchmarks/bench_places.py [--docs N]

Prints the cold load time (decompress + unpickle + curated features), resident memory after
loading, raw lookups/s, and the places stage's throughput on short invented reports (mentions/s
and ms per text). The texts are generated here from templates, so no data set is needed.
Run it in a fresh process: the load figure is only cold once.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TEMPLATES = [
    "On {d} March 2022, gunmen attacked a checkpoint in {town} ({a2}, {a1}). Two soldiers were killed.",
    "Russian forces shelled {town}, {a1}. Casualties unknown.",
    "Protesters gathered near {town} in {a1} province to demand better services.",
    "An IED exploded 15 km north of {town}, {country}, wounding three civilians.",
    "Clashes erupted between {town} and {town2} in {country} on Sunday.",
    "Police arrested five people in {town} after a rally; officials in {a1} said the situation was calm.",
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=3000)
    args = ap.parse_args()
    rss0 = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    from conflictatlas.gazetteer import load
    g = load()
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    rss1 = rss_mb()
    print(f"gazetteer: {len(g):,} entries, {len(g.exact):,} name keys, {g.features_loaded} curated features")
    print(f"cold load: {load_s:.2f} s wall, {load_cpu:.2f} s CPU   resident memory: {rss1:.0f} MB "
          f"(+{rss1 - rss0:.0f} MB)")

    t0, c0 = time.perf_counter(), time.process_time()
    n_loose = len(g.loose)
    print(f"skeleton index ({n_loose:,} keys) ready (loaded lazily when no curated features force it): {time.perf_counter() - t0:.2f} s wall, "
          f"{time.process_time() - c0:.2f} s CPU; resident memory now {rss_mb():.0f} MB")
    rng = random.Random(0)
    towns = [i for i in range(len(g)) if g.kind[i] == 0 and g.pop[i] > 20000]
    names = [g.name[i] for i in rng.sample(towns, 5000)]
    t0 = time.perf_counter()
    n = 0
    for _ in range(4):
        for nm in names:
            g.ids(nm, loose=True)
            n += 1
    dt = time.perf_counter() - t0
    print(f"lookups: {n / dt:,.0f} names/s (exact + skeleton)")

    from conflictatlas.document import Document, Span
    from conflictatlas.stages.places import PlaceResolver
    from conflictatlas.stages.sentences import split_sentences
    r = PlaceResolver(g)
    docs = []
    for k in range(args.docs):
        i, j = rng.choice(towns), rng.choice(towns)
        text = rng.choice(TEMPLATES).format(
            d=rng.randint(1, 28), town=g.name[i], town2=g.name[j], a1=g.a1[i] or g.name[i],
            a2=g.a2[i] or g.a1[i] or g.name[i], country=g.country_names.get(g.cc[i], g.cc[i]))
        d = Document(id=str(k), text=text)
        d.spans["sentences"] = [Span(s, e, "sentence", {}, x, text[s:e])
                                for x, (s, e) in enumerate(split_sentences(text))]
        docs.append(d)
    r.annotate(docs[0])
    # the village tables are read once per country, the first time a report needs it: timed
    # apart, as the gazetteer load is
    from conflictatlas.gazetteer import villages as V
    t0, c0 = time.perf_counter(), time.process_time()
    from conflictatlas.stages.place_villages import _main_variants, district_members, district_seats
    for cc in V.countries():
        V.villages(cc)
        _main_variants(g, cc)        # the gazetteer's towns of that country by variant key
    district_seats(g)                # the district seats and the register's settlements (Ukraine)
    district_members()
    print(f"village tables ({len(V.countries())} countries, read lazily per country) and district data: "
          f"{time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU for all; "
          f"resident memory now {rss_mb():.0f} MB")
    t0, c0 = time.perf_counter(), time.process_time()
    mentions = 0
    for d in docs:
        d.spans["places"] = []
        r.annotate(d)
        mentions += len(d.layer("places"))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"places stage: {len(docs)} texts, {mentions} resolved mentions in {dt:.2f} s wall "
          f"({cpu:.2f} s CPU) = {mentions / cpu:,.0f} mentions/s, {1000 * cpu / len(docs):.3f} ms/text "
          f"per CPU-second on one core")
    c0 = time.process_time()
    for d in docs:
        r.mentions(d)
    find_cpu = time.process_time() - c0
    res_cpu = max(1e-9, cpu - find_cpu)
    print(f"  of which finding mentions {find_cpu:.2f} s CPU, resolving them {res_cpu:.2f} s CPU = "
          f"{mentions / res_cpu:,.0f} mentions/s resolved")
    print(f"rss after the run: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
