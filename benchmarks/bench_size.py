"""How extraction time grows with the size of ONE report (issue 10, item 3).

    .venv/bin/python benchmarks/bench_size.py                  # 100 KB, 256 KB, 512 KB, 1 MB
    .venv/bin/python benchmarks/bench_size.py --sizes 100,256 --profile 256   # + cProfile of 256 KB

Each report is one plain-text document built from varied, news-like paragraphs (a seeded
generator below: no evaluation data). It is run through the default pipeline once per size, and
the pipeline's own per-stage timing is printed for each size, with the ratio of the largest size
to the smallest. The figures are CPU seconds of this process (``Pipeline.cpu_timings``): on a
shared, loaded machine wall time (``Pipeline.timings``) says more about the neighbours. Near-linear cost gives a ratio near the size ratio
(1 MB / 100 KB = 10.24); the target is <= 10x for the whole pipeline and for each stage.
A benchmark, not a test: the machines here are noisy, run it twice.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

# -- a generator of news-like paragraphs ---------------------------------------------------------
PLACES = ["Mosul", "Kirkuk", "Tikrit", "Baquba", "Ramadi", "Fallujah", "Basra", "Erbil", "Aden",
          "Taiz", "Marib", "Hodeidah", "Goma", "Beni", "Bunia", "Maiduguri", "Kano", "Kaduna",
          "Mogadishu", "Kismayo", "Baidoa", "Gao", "Mopti", "Timbuktu", "Kabul", "Kandahar",
          "Herat", "Jalalabad", "Khartoum", "El Fasher", "Nyala", "Juba", "Malakal", "Bamenda",
          "Homs", "Idlib", "Aleppo", "Deir ez-Zor", "Sirte", "Benghazi", "Misrata", "Quetta",
          "Peshawar", "Kharkiv", "Donetsk", "Kherson", "Cabo Delgado", "Pemba", "Ouagadougou"]
REGIONS = ["Nineveh province", "Diyala governorate", "Anbar province", "North Kivu", "Ituri",
           "Borno state", "Lower Shabelle", "Darfur", "Upper Nile", "Helmand province",
           "the Northwest region", "Idlib governorate", "Balochistan", "the Donetsk region"]
ACTORS = ["gunmen", "militants", "suspected Islamic State fighters", "al-Shabaab fighters",
          "government troops", "the army", "police", "a local militia", "armed herders",
          "rebels of the M23 movement", "Houthi forces", "unidentified attackers",
          "the Rapid Support Forces", "security forces", "a drone", "separatist fighters"]
VICTIMS = ["civilians", "villagers", "soldiers", "police officers", "farmers", "worshippers",
           "students", "traders", "displaced people", "fishermen", "members of a family"]
VERBS = ["killed", "attacked", "ambushed", "abducted", "wounded", "shelled", "raided",
         "opened fire on", "clashed with", "detained"]
WEAPONS = ["an improvised explosive device", "mortar rounds", "a car bomb", "small arms",
           "an air strike", "a roadside bomb", "rocket fire", "a suicide bomber"]
SOURCES = ["a local official said", "police said", "residents told reporters",
           "the military said in a statement", "a hospital source said", "witnesses said",
           "according to a spokesman", "the United Nations said"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15",
           "at least 20", "dozens of", "more than 30"]
BACKGROUND = [
    "The region has seen repeated violence since {year}, when the conflict began.",
    "Aid agencies have warned that food prices in {place} have doubled this year.",
    "The government has promised to restore order, but few believe it can.",
    "Talks between the two sides stalled last month after a dispute over prisoners.",
    "Thousands of families have fled to camps near {place}, where conditions are poor.",
    "Analysts say the group has grown stronger as troops were moved elsewhere.",
    "Schools in the district have been closed since {month}.",
]


def _paragraph(rng: random.Random) -> str:
    place, other = rng.sample(PLACES, 2)
    actor, victims, verb = rng.choice(ACTORS), rng.choice(VICTIMS), rng.choice(VERBS)
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2015, 2024)
    n = rng.choice(NUMBERS)
    kind = rng.randrange(5)
    if kind == 0:
        s = (f"On {rng.choice(DAYS)}, {actor} {verb} {n} {victims} in {place}, {rng.choice(REGIONS)}, "
             f"{rng.choice(SOURCES)}. ")
        s += f"The attack came a day after {rng.choice(ACTORS)} used {rng.choice(WEAPONS)} near {other}. "
    elif kind == 1:
        s = (f"{n.capitalize()} {victims} were killed and {rng.choice(NUMBERS)} others wounded when "
             f"{rng.choice(WEAPONS)} struck a market in {place} on {day} {month} {year}, "
             f"{rng.choice(SOURCES)}. ")
        s += f"No group has claimed responsibility, though {actor} operate in the area. "
    elif kind == 2:
        s = (f"Hundreds of {victims} protested in {place} on {month} {day} against the killing of "
             f"{rng.choice(NUMBERS)} people by {actor} near {other} earlier in the week. ")
        s += f"Police fired tear gas to disperse them, {rng.choice(SOURCES)}. "
    elif kind == 3:
        s = (f"Fighting between {actor} and {rng.choice(ACTORS)} around {place} continued for a "
             f"{rng.choice(['second', 'third', 'fourth'])} day on {rng.choice(DAYS)}, "
             f"{rng.choice(SOURCES)}, with {n} fighters reported dead. ")
        s += f"The road from {place} to {other} remains closed. "
    else:
        s = (f"In a separate incident in {rng.choice(REGIONS)}, {actor} {verb} a convoy carrying "
             f"supplies to {place}, killing {n} {victims}. ")
    s += rng.choice(BACKGROUND).format(year=year, place=other, month=month)
    return s


def make_report(size: int, seed: int = 10) -> str:
    """A plain-text report of about ``size`` characters: varied paragraphs, blank-line separated."""
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size:
        p = _paragraph(rng)
        parts.append(p)
        n += len(p) + 2
    return "\n\n".join(parts)[:size]


# -- the benchmark -----------------------------------------------------------------------------------
#: functions timed on their own too (module, name, label): the place and date pickers are called
#: from the events stage, so their cost shows in its time; these lines tell it apart
HELPERS = (("conflictatlas.stages.places", "best_place", "events:best_place"),
           ("conflictatlas.stages.dates", "event_date", "events:dates.event_date"),
           ("conflictatlas.stages.dates", "_find", "dates:_find"))
_HELPER_TIME: dict[str, float] = {}


def _time_helpers() -> None:
    """Wrap each of :data:`HELPERS` so that its own time adds up in ``_HELPER_TIME``."""
    import functools
    import importlib
    for mod_name, fn_name, label in HELPERS:
        mod = importlib.import_module(mod_name)
        fn = getattr(mod, fn_name, None)
        if fn is None or getattr(fn, "_timed", False):
            continue

        def timed(*a, _fn=fn, _label=label, **kw):
            t0 = time.process_time()
            try:
                return _fn(*a, **kw)
            finally:
                _HELPER_TIME[_label] = _HELPER_TIME.get(_label, 0.0) + time.process_time() - t0
        functools.update_wrapper(timed, fn)
        timed._timed = True
        setattr(mod, fn_name, timed)


def _stand_in_pickers() -> None:
    """Replace the place and date pickers by plain look-ups (the first place, no date) in the
    event's sentences, to measure the rest of the events stage on its own. Not the real answers."""
    from conflictatlas.stages import dates, places
    places.best_place = lambda doc, sents=None, *a, **kw: (
        next(iter(doc.in_sents("places", sents)), None) if sents is not None else None)
    dates.event_date = lambda doc, sents=None, *a, **kw: (None, None, None)


def run(sizes_kb: list[int], profile_kb: int | None = None, stand_ins: bool = False) -> dict[int, dict[str, float]]:
    import conflictatlas
    pipe = conflictatlas.load()
    if stand_ins:
        _stand_in_pickers()
    _time_helpers()
    pipe(conflictatlas.Document(id="warm", text="Police fired tear gas at protesters in Nairobi on 2 May 2022."))
    results: dict[int, dict[str, float]] = {}
    for kb in sizes_kb:
        text = make_report(kb * 1024)
        doc = conflictatlas.Document(id=f"size-{kb}", text=text, raw=text, meta={"format": "text"})
        pipe.timings.clear()
        pipe.cpu_timings.clear()
        _HELPER_TIME.clear()
        prof = None
        if profile_kb == kb:
            import cProfile
            prof = cProfile.Profile()
            prof.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        out = pipe(doc)
        wall, total = time.perf_counter() - t0, time.process_time() - c0
        if prof is not None:
            import pstats
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        results[kb] = {**pipe.cpu_timings, **_HELPER_TIME, "total": total}
        if "events" in results[kb]:        # the events stage without the place and date pickers
            results[kb]["events:own"] = results[kb]["events"] - sum(
                v for k, v in _HELPER_TIME.items() if k.startswith("events:"))
        print(f"{kb:>5} KB: {total:7.2f} s CPU ({wall:.2f} s wall), {len(out.events)} events  "
              + "  ".join(f"{k} {v:.2f}" for k, v in results[kb].items() if k != "total"), flush=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,256,512,1024", help="Sizes in KB, comma-separated.")
    ap.add_argument("--profile", type=int, help="cProfile the run of this size (KB).")
    ap.add_argument("--stand-in-pickers", action="store_true",
                    help="Replace places.best_place and dates.event_date by plain look-ups, to time the "
                         "rest of the events stage on its own (the events found are then not the real ones).")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    res = run(sizes, args.profile, args.stand_in_pickers)
    lo, hi = sizes[0], sizes[-1]
    if lo == hi:
        return
    print(f"\nratio {hi} KB / {lo} KB (size ratio {hi / lo:.2f}; target <= 10x for 1 MB / 100 KB):")
    for name in res[hi]:
        a, b = res[lo].get(name, 0.0), res[hi][name]
        ratio = b / a if a > 1e-4 else float("nan")
        print(f"  {name:<24} {a:8.3f} s -> {b:8.3f} s   x{ratio:.1f}")


if __name__ == "__main__":
    main()
