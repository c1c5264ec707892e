"""Costs that must not grow with the input: merge comparisons per retelling, and the scale-out plan
(no more workers than cores or shards, several shards per worker). Counted, never timed."""
from __future__ import annotations

import json
from datetime import date

from conflictatlas import Document, Event, merge
from conflictatlas import scale
from conflictatlas.store import Store

BASE = dict(event_date="2023-05-14", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
            actor1="Military Forces of Iraq (2022-)", inter1="State forces", actor2="Islamic State (Iraq)",
            inter2="Rebel group", country="Iraq", admin1="Kirkuk", location="Hawija", latitude=35.3267,
            longitude=43.7649, geo_precision=1, fatalities=5)


def retellings(n: int):
    for i in range(n):
        text = f"Retelling {i}: militants attacked an army post in Hawija on Sunday, killing five soldiers."
        d = Document(id=f"r{i}", text=text, raw=text, published=date(2023, 5, 15), outlet=f"Outlet {i}")
        d.events = [Event(**BASE)]
        yield d


def test_retellings_of_one_event_cost_a_bounded_number_of_comparisons(monkeypatch):
    calls = {"n": 0}
    real = merge.compare

    def counting(a, b):
        calls["n"] += 1
        return real(a, b)

    monkeypatch.setattr(merge, "compare", counting)
    from conflictatlas import store as store_module
    monkeypatch.setattr(store_module, "compare", counting, raising=False)
    store = Store(":memory:")
    counts = []
    for chunk in range(3):
        before = calls["n"]
        store.ingest_documents(list(retellings(300))[chunk * 100:(chunk + 1) * 100])
        counts.append(calls["n"] - before)
    assert store.count_events() == 1
    # the 100 retellings after 200 others cost no more comparisons than the first 100
    assert counts[2] <= counts[0] + 10, counts
    assert counts[2] <= 5 * 100, counts


def test_retellings_of_one_event_read_and_aggregate_a_bounded_number_of_reports(monkeypatch):
    """Joining an event reads a few reports of each kind and adds one report to the event's
    summary; rebuilding it from every report happens only when its first report changes."""
    from conflictatlas import merge as merge_module
    built, added = {"n": 0}, {"n": 0}
    real_build, real_add = merge_module.Report.build.__func__, merge_module.EventSummary.add

    def counting_build(cls, *a, **kw):
        built["n"] += 1
        return real_build(cls, *a, **kw)

    def counting_add(self, r):
        added["n"] += 1
        return real_add(self, r)

    monkeypatch.setattr(merge_module.Report, "build", classmethod(counting_build))
    monkeypatch.setattr(merge_module.EventSummary, "add", counting_add)
    store = Store(":memory:")
    store.merger.cache.clear()
    docs = list(retellings(300))
    costs = []
    for chunk in range(3):
        store.merger.forget()                 # nothing kept: what is read comes from the database
        before = (built["n"], added["n"])
        store.ingest_documents(docs[chunk * 100:(chunk + 1) * 100])
        costs.append((built["n"] - before[0], added["n"] - before[1]))
    assert store.count_events() == 1
    # a whole rebuild (after forget) is one pass over the event; the rest costs a few per report
    for k, (reads, adds) in enumerate(costs):
        assert reads <= 100 * 4 + 10, costs
        assert adds <= 100 * 3 + 2 * 100 * (k + 1), costs      # rebuilding every time: ~25,000 for the third


def test_plan_never_runs_more_workers_than_cores_or_shards(monkeypatch):
    monkeypatch.setattr(scale, "free_cores", lambda: 2)
    workers, size = scale.plan(3000, 4)
    assert workers == 2 and 3000 / size >= 2 * scale.SHARDS_PER_WORKER - 1
    assert scale.plan(10, 8) == (1, scale.MIN_SHARD)            # too little work: one process
    assert scale.plan(scale.MIN_REPORTS_PER_WORKER * 2 - 1, 8)[0] == 1   # not enough for a second worker
    monkeypatch.setattr(scale, "free_cores", lambda: 16)
    assert scale.plan(scale.MIN_REPORTS_PER_WORKER * 5, 16)[0] == 5
    workers, size = scale.plan(100_000, 2)
    assert workers == 2 and size == scale.MAX_SHARD
    assert scale.plan(3000, 16, backend="ray")[0] == 16         # a cluster has its own cores


def test_busy_cores_are_not_free(monkeypatch):
    import os
    monkeypatch.setattr(scale, "usable_cores", lambda: 4)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.2, 3.0, 3.0))
    assert scale.free_cores() == 1 and scale.plan(3000, 4)[0] == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.1, 0.0, 0.0))
    assert scale.free_cores() == 4 and scale.plan(3000, 4)[0] == 4


def test_extract_scaled_reports_the_workers_it_ran(tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "free_cores", lambda: 2)
    monkeypatch.setattr(scale, "MIN_REPORTS_PER_WORKER", 10)   # a small input, run on workers all the same
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"x{i}", "text": "Troops clashed with rebels near Gao on Monday."})
                           + "\n" for i in range(40)))
    rep = scale.extract_scaled([src], tmp_path / "out.jsonl", workers=8)
    assert rep.workers == 2 and rep.shards >= 2 and rep.documents == 40
    rep = scale.extract_scaled([src], tmp_path / "out1.jsonl", workers=8, shard_size=100)
    assert rep.workers == 1 and rep.shards == 1                 # one shard: no worker started
    assert (tmp_path / "out.jsonl").read_text() == (tmp_path / "out1.jsonl").read_text()
