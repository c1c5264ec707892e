"""Throughput of the pipeline on news articles of 2-5 KB, on one core, from articles written here.

    .venv/bin/python benchmarks/bench_articles.py [--n 300] [--seed 1] [--repeat 3] [--dump ARTICLES.jsonl]

issue 8's target: >= 100 articles/s on one core, <= 1 GB. The articles are assembled from the
paragraphs below (headline, dateline, byline, lede, casualty and claim paragraphs, quotes,
background, teaser links and page furniture) with places, actors, figures and dates drawn by a
seeded generator, so that the figure can be reproduced without the evaluation data. Prints
articles per second of wall-clock and of CPU time (the CPU figure is the steadier one on a busy
machine), time per stage and peak resident memory; the best of ``--repeat`` runs is reported.
A benchmark, not a test: no figure here is asserted anywhere.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

PLACES = [("Maiduguri", "Borno", "Nigeria"), ("Kharkiv", "Kharkiv", "Ukraine"), ("Mogadishu", "Banadir", "Somalia"),
          ("Goma", "North Kivu", "Democratic Republic of Congo"), ("Kirkuk", "Kirkuk", "Iraq"),
          ("Peshawar", "Khyber Pakhtunkhwa", "Pakistan"), ("Gao", "Gao", "Mali"), ("Sittwe", "Rakhine", "Myanmar"),
          ("Culiacan", "Sinaloa", "Mexico"), ("Kandahar", "Kandahar", "Afghanistan"), ("Beni", "North Kivu",
          "Democratic Republic of Congo"), ("Mosul", "Nineveh", "Iraq")]
ATTACKERS = ["gunmen", "suspected militants", "fighters of the Islamic State", "al-Shabaab militants",
             "armed men on motorcycles", "members of a local militia", "unidentified attackers", "rebels"]
VICTIMS = ["villagers", "soldiers", "police officers", "farmers", "civilians", "worshippers", "traders",
           "members of a village defence group"]
WEAPONS = ["opened fire on", "stormed a checkpoint near", "detonated a roadside bomb near", "attacked",
           "fired mortar shells at", "raided"]
OFFICIALS = [("Ahmed Yusuf", "police spokesman"), ("Maria Kovalenko", "regional governor"),
             ("Ibrahim Diallo", "local official"), ("John Mwangi", "army spokesman"), ("Fatima Bello", "state commissioner")]
OUTLETS = ["(AFP)", "(Reuters)", "(AP)", "-", "—"]
MONTHS = ["January", "February", "March", "April", "May", "June"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "seven", "nine", "12", "15", "at least 20", "more than 30"]

FURNITURE = ["Share this article", "Follow us on Twitter", "Advertisement", "Sign up for our newsletter",
             "Copyright 2022. All rights reserved.", "Read more: Drone Swarms and the New Front Line",
             "Related: Talks on the ceasefire resume in the capital", "Most read", "Comments are closed."]
BACKGROUND = [
    "The region has seen repeated attacks since 2015, when the insurgency spread beyond its stronghold.",
    "Analysts say the group has grown stronger in rural districts where the state has little presence.",
    "Last year the government announced a new offensive, but residents say little has changed.",
    "Thousands of people have fled their homes in recent months, according to the United Nations.",
    "The army has deployed additional troops to the area and set up checkpoints on the main roads.",
    "Local leaders have called on the authorities to do more to protect farming communities.",
    "The violence has also disrupted markets and schools across the province, aid groups say.",
    "In a separate incident last month, a bomb blast at a market killed several people in a nearby town.",
]

MORE = BACKGROUND + [
    "Earlier, on {day} {mon}, {n} {vic} were killed when {att} attacked a convoy near {city}, in {region}.",
    "In {city}, residents said {att} had warned them to leave, and {n} families left on {wd}.",
    "\"The situation is very tense,\" a resident of {city} said by telephone, asking not to be named.",
    "The United Nations said {n} {vic} had been killed in {region} since the start of the year.",
    "Security forces said they had killed {n} militants in an operation near {city} on {wd}.",
    "A spokesman for the regional government said schools in {city} would stay closed this week.",
]


def article(rng: random.Random, k: int) -> dict:
    """One article of about 2-5 KB."""
    city, region, country = rng.choice(PLACES)
    att, vic, act = rng.choice(ATTACKERS), rng.choice(VICTIMS), rng.choice(WEAPONS)
    n_dead, n_hurt = rng.choice(NUMBERS), rng.choice(NUMBERS)
    month = rng.randrange(len(MONTHS))
    day = rng.randrange(1, 28)
    pub = f"2022-{month + 1:02d}-{day:02d}"
    wd = WEEKDAYS[rng.randrange(7)]
    name, role = rng.choice(OFFICIALS)
    town = rng.choice(["Kawuri", "Dalori", "Bulo Marer", "Mutwanga", "Hawija", "Tirah", "Ansongo", "Buthidaung"])
    paras = [
        f"{n_dead.capitalize()} {vic} killed in attack near {city}",
        rng.choice(["By Staff Reporter", "By our correspondent", "By Amina Okafor and Tom Reed"]),
        f"Published {day} {MONTHS[month]} 2022",
        f"{city.upper()}, {country} {rng.choice(OUTLETS)} {att.capitalize()} {act} the village of {town} in "
        f"{region} on {wd}, killing {n_dead} {vic} and wounding {n_hurt} others, officials said.",
        f"The attack began at around 9 pm, when the {att} arrived in several vehicles and {act} homes and a "
        f"market, witnesses told reporters. Some residents fled into the bush and returned only the next morning.",
        f"\"We counted {n_dead} bodies and took the wounded to the hospital in {city},\" {role} {name} said. "
        f"\"Security forces have been deployed to the area and an investigation has begun.\"",
        f"No group has claimed responsibility for the attack, but {rng.choice(ATTACKERS)} have carried out similar "
        f"raids in {region} in recent weeks.",
        f"On {rng.choice(WEEKDAYS)}, {rng.choice(NUMBERS)} people were abducted on the road between {city} and "
        f"{town}, according to local media, and police arrested {rng.choice(NUMBERS)} suspects.",
    ]
    rng.shuffle(BACK := list(BACKGROUND))
    paras += BACK[:rng.randrange(2, 7)]
    paras.append(f"Protesters gathered in {city} on {rng.choice(WEEKDAYS)} to demand better protection; police "
                 f"fired tear gas to disperse the crowd of about {rng.choice(['200', '500', 'a thousand'])} people.")
    paras += rng.sample(FURNITURE, rng.randrange(3, 7))
    text = "\n\n".join(paras)
    target = rng.randrange(2000, 5000)
    while len(text.encode()) < target:
        c2, r2, _ = rng.choice(PLACES)
        text += "\n\n" + rng.choice(MORE).format(city=c2, region=r2, n=rng.choice(NUMBERS), att=rng.choice(ATTACKERS),
                                                  vic=rng.choice(VICTIMS), wd=rng.choice(WEEKDAYS),
                                                  mon=MONTHS[month], day=max(1, day - rng.randrange(1, 5)))
    while len(text.encode()) > 5000:
        text = text[:text.rindex("\n\n")]
    return {"id": f"bench-{k}", "text": text, "published": pub}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dump", help="also write the articles as JSONL here")
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})   # one core
    except (AttributeError, OSError):
        pass
    rng = random.Random(args.seed)
    items = [article(rng, k) for k in range(args.n)]
    sizes = sorted(len(a["text"].encode()) for a in items)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for a in items:
                f.write(json.dumps(a, ensure_ascii=False) + "\n")
    import conflictatlas

    t0 = time.perf_counter()
    pipe = conflictatlas.load()
    pipe(conflictatlas.Document(id="warm", text="Police fired tear gas at protesters in Nairobi on 2 May 2022."))
    load_s = time.perf_counter() - t0
    best = None
    for _ in range(max(1, args.repeat)):
        pipe.timings.clear()
        docs = [conflictatlas.Document(id=a["id"], text=a["text"], published=date.fromisoformat(a["published"]))
                for a in items]
        w0, c0 = time.perf_counter(), time.process_time()
        events = sum(len(d.events) for d in pipe.pipe(docs))
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        if best is None or cpu < best[1]:
            best = (wall, cpu, events, dict(pipe.timings))
    wall, cpu, events, timings = best
    n = len(items)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {n} ({sizes[0]}-{sizes[-1]} bytes, median {sizes[n // 2]})  events: {events}")
    print(f"pipeline load: {load_s:.2f} s")
    print(f"throughput: {n / wall:.1f} articles/s wall, {n / cpu:.1f} articles/s CPU (best of {args.repeat})")
    print(f"peak memory: {peak_mb:.0f} MB")
    total = sum(timings.values()) or 1
    for k, v in timings.items():
        print(f"  {k:10} {v:7.2f} s  {100 * v / total:5.1f}%  {1000 * v / n:.2f} ms/article")


if __name__ == "__main__":
    main()
