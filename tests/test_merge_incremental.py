"""Event summaries kept report by report give exactly the fields and claims of a rebuild from
all the reports, in any order; the database an incremental ingest leaves equals a rebuild."""
from __future__ import annotations

import json
import random
from datetime import date

import pytest

from conflictatlas import Document, Event
from conflictatlas.merge import EventSummary, Report, aggregate
from conflictatlas.store import Store

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)

BASE = dict(event_date="2023-05-14", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
            actor1="Military Forces of Iraq (2022-)", inter1="State forces", actor2="Islamic State (Iraq)",
            inter2="Rebel group", country="Iraq", admin1="Kirkuk", location="Hawija", latitude=35.3267,
            longitude=43.7649, geo_precision=1)


def variant(i: int) -> dict:
    """Retellings that disagree: tolls (some hedged, some revised, some zero and unstated),
    precision of date and place, actors, notes, confidence."""
    d = dict(BASE, fatalities=[5, 7, 0, 12, 5][i % 5], confidence=[0.5, 0.8, 0.3][i % 3],
             notes=f"Retelling {i} of the Hawija clash" + "." * (i % 4))
    if i % 4 == 1:
        d.update(location="Hawija district", geo_precision=2, admin2="Al-Hawija")
    if i % 6 == 2:
        d.update(actor2="Unidentified Armed Group (Iraq)", inter2="Political militia")
    if i % 7 == 3:
        d.update(time_precision=2, assoc_actor_1="Tribal fighters (Iraq)")
    claims = []
    if i % 5 == 1:
        claims.append({"field": "fatalities", "value": 9, "said_by": "a medic", "hedged": True,
                       "sentence": "reportedly nine died"})
    if i % 8 == 5:
        claims.append({"field": "fatalities", "value": 14, "said_by": "the governor",
                       "sentence": "the toll rose to 14"})
    if i % 9 == 4:
        claims.append({"field": "actor1", "value": "army", "said_by": "residents", "sentence": "the army came"})
    d["claims"] = claims
    if i % 5 != 2:
        d["evidence"] = {"fatalities": [{"source": f"r{i}", "sentence": f"{d['fatalities']} killed", "start": 0,
                                         "end": 1, "text": str(d["fatalities"])}]}
    return d


def reports(n: int) -> list[Report]:
    return [Report.build(f"A-{i * 7919 % 1000:04d}:0", f"A-{i * 7919 % 1000:04d}", variant(i),
                         date(2023, 5, 15 + i % 3), f"Outlet {i}") for i in range(n)]


def _claims(claims: list[dict]) -> list[str]:
    return sorted(json.dumps(c, sort_keys=True, default=str) for c in claims)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_summary_in_any_order_gives_the_rebuild(seed):
    reps = reports(40)
    want_fields, want_claims, want_why = aggregate(reps)
    shuffled = reps[:]
    random.Random(seed).shuffle(shuffled)
    s = EventSummary()
    for r in shuffled:
        s.add(r)
    fields, why = s.fields()
    assert fields == want_fields and why == want_why
    assert _claims(s.claims(fields["fatalities"])) == _claims(want_claims)


def _check_against_rebuild(store: Store) -> None:
    for e in store.query_events(limit=None):
        full = store.get_event(e["id"])
        members = store.merger.event_reports(e["id"])
        fields, claims, why = aggregate(members)
        assert {k: e[k] for k in fields if k in e} == {k: fields[k] for k in fields if k in e}
        assert full["explanation"][:-1] == why
        got = sorted((c["field"], json.dumps(c["value"]), c["report"], c["chosen"], c["credible"], c["revision"])
                     for c in full["claims"])
        assert got == sorted((c["field"], json.dumps(c["value"]), c["report"], bool(c["chosen"]), bool(c["credible"]),
                              bool(c["revision"])) for c in claims)
    q = store.db.execute
    kinds = sorted(tuple(r) for r in q("SELECT event_id, sig, n FROM event_kinds"))
    assert kinds == sorted(tuple(r) for r in q("SELECT event_id, sig, COUNT(*) FROM event_sources GROUP BY event_id, sig"))


def test_incremental_events_equal_a_rebuild_from_all_their_reports():
    """After every report: the first an unstated zero, then told tolls, a revision, hedged figures."""
    store = Store(":memory:")
    docs = []
    for i in range(40):
        text = f"Retelling {i}: fighting near Hawija on Sunday; outlet {i} counts the dead, source {i * 31}."
        d = Document(id=f"r{i}", text=text, raw=text, published=date(2023, 5, 15 + i % 3), outlet=f"Outlet {i}")
        d.events = [Event.from_dict(variant(i))]
        docs.append(d)
    first = docs.pop(2)                             # fatalities 0, no evidence: not a told figure
    random.Random(5).shuffle(docs)
    for d in [first] + docs:
        store.ingest_documents([d])
        _check_against_rebuild(store)
    assert store.count_events() == 1
