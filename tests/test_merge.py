"""Merging reports of one real event: rules, fatalities, claims, and order independence."""
from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from conflictatlas import Document, Event
from conflictatlas.merge import Report, aggregate, choose_fatalities, compare, fold
from conflictatlas.store import Store

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)

FIX = Path(__file__).parent / "fixtures" / "reports"


def load_articles() -> list[Document]:
    """The invented articles, each with the events a careful extractor reads (hand-coded)."""
    expected = json.loads((FIX / "expected_events.json").read_text())
    docs = []
    for line in (FIX / "reports.jsonl").read_text().splitlines():
        rec = json.loads(line)
        doc = Document(id=rec["id"], text=rec["text"], raw=rec["text"], url=rec["url"], title=rec["title"],
                       outlet=rec["outlet"], published=date.fromisoformat(rec["published"]))
        doc.events = [Event.from_dict(e) for e in expected.get(rec["id"], [])]
        docs.append(doc)
    return docs


def snapshot(store: Store) -> dict:
    """Everything that must not depend on the order of ingest (no timestamps, no history)."""
    out = {}
    for e in store.query_events(limit=None):
        full = store.get_event(e["id"])
        out[e["id"]] = {
            "fields": {k: v for k, v in e.items() if k not in ("updated_at",)},
            "sources": sorted(s["report"] for s in full["sources"]),
            "claims": sorted((c["field"], json.dumps(c["value"]), c["said_by"] or "", c["report"], c["chosen"])
                             for c in full["claims"]),
        }
    return out


def by_type(store: Store) -> dict[str, dict]:
    return {e["event_type"]: store.get_event(e["id"]) for e in store.query_events(limit=None)}


def test_story_gives_exactly_three_events():
    store = Store(":memory:")
    rep = store.ingest_documents(load_articles())
    assert rep.stored == 9 and rep.background == 1
    ev = by_type(store)
    assert sorted(ev) == ["Battles", "Explosions/Remote violence", "Protests"]
    clash, bomb, protest = ev["Battles"], ev["Explosions/Remote violence"], ev["Protests"]
    # five outlets + the follow-up, all behind one event
    assert len(clash["sources"]) == 6
    assert {s["outlet"] for s in clash["sources"]} == {"Kirkuk Now", "Tigris Daily", "Gulf Wire",
                                                       "Northern Voice", "Rafidain Radio"}
    # the follow-up revised the toll from 10 to 14, and the history keeps it
    assert clash["fatalities"] == 14
    assert sorted(c["value"] for c in clash["claims"] if c["field"] == "fatalities") == [10, 10, 10, 11, 12, 14]
    chosen = [c for c in clash["claims"] if c["chosen"]]
    assert [c["said_by"] for c in chosen] == ["a health official"] and chosen[0]["revision"]
    assert clash["location"] == "Hawija" and clash["geo_precision"] == 1
    # the bomb: two outlets, conservative figure, both figures kept with who said them
    assert len(bomb["sources"]) == 2 and bomb["fatalities"] == 2
    assert sorted((c["value"], c["said_by"]) for c in bomb["claims"]) == [(2, "a police source"), (3, "police")]
    # the protest the same day in the same province stays apart; the 2014 history is no event
    assert len(protest["sources"]) == 1 and protest["fatalities"] == 0
    assert store.count_events(date_to="2020-01-01") == 0


def test_revision_is_in_history():
    docs = load_articles()
    store = Store(":memory:")
    store.ingest_documents(d for d in docs if d.id != "kirkuk-now-2")
    assert by_type(store)["Battles"]["fatalities"] == 10
    store.ingest_documents(d for d in docs if d.id == "kirkuk-now-2")
    clash = by_type(store)["Battles"]
    assert clash["fatalities"] == 14
    revised = [h["detail"] for h in clash["history"] if h["action"] == "revised"]
    assert {"field": "fatalities", "old": 10, "new": 14} in revised


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_shuffled_orders_give_the_same_database(seed):
    docs = load_articles()
    ref = Store(":memory:")
    ref.ingest_documents(docs)
    expect = snapshot(ref)
    shuffled = docs[:]
    random.Random(seed).shuffle(shuffled)
    store = Store(":memory:")
    store.ingest_documents(shuffled)
    assert snapshot(store) == expect
    # and ingesting it all again adds nothing
    again = store.ingest_documents(list(reversed(shuffled)))
    assert again.stored == 0 and again.duplicates == len(docs)
    assert snapshot(store) == expect


def _report(key, **kw) -> Report:
    base = dict(event_date="2023-05-14", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
                actor1="Military Forces of Iraq (2022-)", inter1="State forces", country="Iraq", admin1="Kirkuk",
                location="Hawija", latitude=35.3267, longitude=43.7649, geo_precision=1, fatalities=1)
    base.update(kw)
    return Report.build(key, key.split(":")[0], base, "2023-05-15", "outlet")


def test_compare_rules():
    a = _report("a:0")
    # two exact days that differ are two events (ACLED codes one event per place and day)
    next_day = compare(a, _report("b:0", event_date="2023-05-15"))
    assert not next_day.same and next_day.cannot and "different days" in next_day.why()
    far = compare(a, _report("b:0", event_date="2023-05-17"))
    assert not far.same and "different days" in far.why()
    far_week = compare(a, _report("b:0", event_date="2023-05-24", time_precision=2))
    assert not far_week.same and "days apart" in far_week.why()
    # a week-precise date within a day of an exact one may still be the same event
    assert compare(a, _report("b:0", event_date="2023-05-15", time_precision=2)).same
    # a coarse date (a month) reaches further
    assert compare(a, _report("b:0", event_date="2023-05-01", time_precision=3)).same
    # another town 60 km away the same day: a different event, never to be chained
    m = compare(a, _report("b:0", location="Daquq", latitude=35.1415, longitude=44.4514))
    assert not m.same and m.cannot
    # one place inside the other: the province holds the town
    m = compare(a, _report("b:0", location="Kirkuk", admin2=None, latitude=35.47, longitude=44.39, geo_precision=3))
    assert m.same and "lies in Kirkuk" in m.why()
    # a spelling variant of the same town
    assert compare(a, _report("b:0", location="Al-Hawijah", latitude=35.33, longitude=43.77)).same
    # different types that cannot be one event; compatible ones at the same spot can
    assert compare(a, _report("b:0", event_type="Protests", sub_event_type="Peaceful protest")).cannot
    assert compare(a, _report("b:0", event_type="Explosions/Remote violence")).same
    # two named armed groups with nothing in common
    m = compare(_report("a:0", actor2="Islamic State (Iraq)"),
                _report("b:0", actor1="PKK: Kurdistan Workers Party", actor2="Military Forces of Turkey"))
    assert not m.same and "different named actors" in m.why()
    # a report without a place: within its own article, or across articles only weakly, with the
    # same type, day and a shared named actor
    nowhere = dict(location=None, admin1=None, latitude=None, longitude=None)
    m = compare(a, _report("b:0", **nowhere))
    assert m.same and m.weak and "no place told" in m.why()
    assert not compare(a, _report("b:0", **nowhere, actor1="Unidentified Armed Group (Iraq)")).same
    assert not compare(a, _report("b:0", **nowhere, event_date="2023-05-15")).same
    # events the extractor kept apart within one article are never one event
    own = compare(a, _report("a:1", location=None, admin1=None, latitude=None, longitude=None))
    assert not own.same and own.cannot and "same article" in own.why()
    assert not compare(a, _report("b:0", country="Syria")).same


def test_events_one_article_keeps_apart_stay_apart():
    """The extractor kept '6 killed on Saturday' and '4 killed on Sunday' apart: the store keeps
    them apart too, and no death is lost (10 in all)."""
    doc = Document(id="two-days", text="Six were killed on Saturday near Hawija, and four on Sunday.",
                   published=date(2023, 5, 15))
    common = dict(event_date="2023-05-13", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
                  actor1="Military Forces of Iraq (2022-)", inter1="State forces", country="Iraq", admin1="Kirkuk",
                  location="Hawija", latitude=35.3267, longitude=43.7649, geo_precision=1, fatalities=6)
    doc.events = [Event(**common), Event(**{**common, "event_date": "2023-05-14", "time_precision": 2,
                                          "fatalities": 4})]
    store = Store(":memory:")
    store.ingest_documents([doc])
    events = store.query_events()
    assert sorted(e["fatalities"] for e in events) == [4, 6]
    assert store.stats()["fatalities"] == 10
    # the same day and place too: two events of one article are never merged with each other
    same = Document(id="same-day", text="Ten killed near Hawija. Four more died in a second clash.",
                    published=date(2023, 5, 15))
    same.events = [Event(**{**common, "fatalities": 10}), Event(**{**common, "fatalities": 4})]
    store = Store(":memory:")
    store.ingest_documents([same])
    assert store.stats()["fatalities"] == 14
    # a retelling in another article joins one of them, never both
    other = Document(id="other", text="Ten killed near Hawija on Saturday.", published=date(2023, 5, 15),
                     outlet="B")
    other.events = [Event(**{**common, "fatalities": 10})]
    store.ingest_documents([other])
    assert store.count_events() == 2
    assert all(len({s["article_id"] for s in store.get_event(e["id"])["sources"]})
               == len(store.get_event(e["id"])["sources"]) for e in store.query_events())


def test_two_exact_days_across_articles_are_two_events():
    """Hawija on the 13th and Hawija on the 14th, told by two outlets: two events."""
    def doc(i, day):
        d = Document(id=f"d{i}", text=f"report {i} of {day}", published=date(2023, 5, 15), outlet=f"o{i}")
        d.events = [Event(**{**_report("x:0").data, "event_date": day})]
        return d
    store = Store(":memory:")
    store.ingest_documents([doc(1, "2023-05-13"), doc(2, "2023-05-14"), doc(3, "2023-05-14")])
    assert sorted(e["n_sources"] for e in store.query_events()) == [1, 2]


def test_vague_report_does_not_chain_two_events():
    """A province-level report may match two towns' events; it must not glue them together."""
    store = Store(":memory:")
    docs = []
    for i, kw in enumerate([dict(location="Hawija"),
                            dict(location="Daquq", latitude=35.1415, longitude=44.4514),
                            dict(location="Kirkuk", latitude=35.47, longitude=44.39, geo_precision=3)]):
        d = Document(id=f"d{i}", text=f"report {i}", published=date(2023, 5, 15), outlet=f"o{i}")
        d.events = [Event(**{**_report("x:0").data, **kw})]
        docs.append(d)
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        store = Store(":memory:")
        store.ingest_documents(docs[i] for i in order)
        places = sorted(sorted(s["extracted"]["location"] for s in store.get_event(e["id"])["sources"])
                        for e in store.query_events())
        # it matches two events: too vague to join either, whatever the order
        assert places == [["Daquq"], ["Hawija"], ["Kirkuk"]]
    # with one of the two events only, it joins it; and a later second event takes it out again
    store = Store(":memory:")
    store.ingest_documents([docs[0], docs[2]])
    assert store.count_events() == 1
    store.ingest_documents([docs[1]])
    assert store.count_events() == 3
    history = [h["action"] for e in store.query_events() for h in store.get_event(e["id"])["history"]]
    assert "detached" in history


def test_placeless_report_joins_only_a_unique_match():
    def doc(i, **kw):
        d = Document(id=f"p{i}", text=f"placeless {i}", published=date(2023, 5, 15), outlet=f"o{i}")
        d.events = [Event(**{**_report("x:0").data, **kw})]
        return d
    hawija = doc(1)
    daquq = doc(2, location="Daquq", latitude=35.1415, longitude=44.4514)
    nowhere = doc(3, location=None, admin1=None, latitude=None, longitude=None)
    s = Store(":memory:")
    s.ingest_documents([hawija, nowhere])
    assert s.count_events() == 1                                  # one candidate: joined
    s = Store(":memory:")
    s.ingest_documents([hawija, daquq, nowhere])
    assert s.count_events() == 3                                  # two candidates: left alone


def test_fatality_rule():
    claims = [dict(value=10, credible=True, explicit=True, revision=False, published="2023-05-14"),
              dict(value=12, credible=True, explicit=True, revision=False, published="2023-05-14"),
              dict(value=3, credible=False, explicit=True, revision=False, published="2023-05-14")]
    assert choose_fatalities(claims)[0] == 10                  # the rumoured 3 is not credible
    claims.append(dict(value=15, credible=True, explicit=True, revision=True, published="2023-05-16"))
    val, why = choose_fatalities(claims)
    assert val == 15 and "revised" in why
    # a figure nobody stated (no evidence) gives way to a stated one
    assert choose_fatalities([dict(value=0, credible=True, explicit=False, revision=False, published=None),
                              dict(value=4, credible=True, explicit=True, revision=False, published=None)])[0] == 4


def test_a_retelling_with_a_lower_toll_gives_the_conservative_figure():
    """Across articles the lower credible figure wins."""
    base = _report("x:0").data
    doc = Document(id="one", text="Ten killed near Hawija.", published=date(2023, 5, 15), outlet="A")
    doc.events = [Event(**{**base, "fatalities": 10})]
    other = Document(id="other", text="Eight killed near Hawija, police said.", published=date(2023, 5, 15), outlet="B")
    other.events = [Event(**{**base, "fatalities": 8})]
    s = Store(":memory:")
    s.ingest_documents([doc])
    assert s.query_events()[0]["fatalities"] == 10
    s.ingest_documents([other])
    assert [e["fatalities"] for e in s.query_events()] == [8]


def test_aggregate_is_order_independent():
    reps = [_report("a:0", fatalities=5), _report("b:0", fatalities=7, location="Al-Hawija", geo_precision=2),
            _report("c:0", fatalities=5, actor2="Islamic State (Iraq)", inter2="Rebel group")]
    first = aggregate(reps)[0]
    assert aggregate(list(reversed(reps)))[0] == first
    assert first["fatalities"] == 5 and first["location"] == "Hawija" and first["actor2"] == "Islamic State (Iraq)"


def test_fold():
    assert fold("Al-Hawija District") == "hawija"
    assert fold("Military Forces of Iraq (2022-)") == "military forces iraq"
