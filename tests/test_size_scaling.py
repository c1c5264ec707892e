"""Cost near-linear in a report's size (issue 10, item 3), checked by counting work, not by timing.

The events, actors, numbers and claims stages ask, for each event, about that event's sentences.
Each such question must cost what those sentences hold, not a scan of the whole document: these
tests count the whole-layer scans and whole-text readings for a report and for one four times
as long, and want the same count. ``benchmarks/bench_size.py`` gives the times.
"""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))

import conflictatlas  # noqa: E402
from conflictatlas.document import Document, Span  # noqa: E402
from conflictatlas.stages import actors as actors_stage  # noqa: E402
from conflictatlas.stages import dates as dates_stage  # noqa: E402
from conflictatlas.stages import events as events_stage  # noqa: E402
from conflictatlas.stages import places as places_stage  # noqa: E402

from bench_size import make_report  # noqa: E402

LAYERS = ("dates", "places", "actors", "numbers")


class CountingList(list):
    """A layer that counts how often it is read from end to end."""

    scans = 0

    def __iter__(self):
        CountingList.scans += 1
        return super().__iter__()


@pytest.fixture(scope="module")
def pipe():
    return conflictatlas.load()


def _annotated(pipe, size: int) -> Document:
    """A report of ``size`` characters, through every stage before 'events'."""
    text = make_report(size)
    doc = Document(id=f"r{size}", text=text, raw=text, meta={"format": "text"})
    for name, proc in zip(pipe.names, pipe.stages):
        if name == "events":
            break
        doc = proc(doc)
    for layer in LAYERS:
        doc.spans[layer] = CountingList(doc.spans.get(layer, []))
    return doc


def _work(pipe, size: int, monkeypatch) -> tuple[int, int, int]:
    """(whole-layer scans, whole-text tokenisations, events) of the events and claims stages."""
    doc = _annotated(pipe, size)
    # the place and date pickers belong to other stages, measured in their own tests: here they
    # answer from the sentence index, so that what is counted is this code's own reading
    monkeypatch.setattr(places_stage, "best_place",
                        lambda d, sents, *a, **kw: next(iter(d.in_sents("places", sents)), None))
    monkeypatch.setattr(dates_stage, "event_date", lambda d, sents, *a, **kw: (None, None, None))
    reads = []
    real_tokens = actors_stage.tokens
    monkeypatch.setattr(actors_stage, "tokens",
                        lambda text: reads.append(len(text) == len(doc.text)) or real_tokens(text))
    CountingList.scans = 0
    for name, proc in zip(pipe.names, pipe.stages):
        if name in ("events", "claims"):
            doc = proc(doc)
    assert not doc.meta.get("stage_errors"), doc.meta.get("stage_errors")
    return CountingList.scans, sum(reads), len(doc.events)


def test_work_per_event_does_not_grow_with_the_report(pipe, monkeypatch):
    small_scans, small_reads, small_events = _work(pipe, 12_000, monkeypatch)
    big_scans, big_reads, big_events = _work(pipe, 48_000, monkeypatch)
    assert big_events >= 2 * small_events > 0
    assert big_reads <= 1 and small_reads <= 1          # the whole text is tokenised once at most
    assert big_scans == small_scans, (small_scans, big_scans)


def test_in_sents_follows_the_layer():
    doc = Document(id="d", text="A one. B two. C three.")
    doc.spans["sentences"] = [Span(0, 6, "s", {}, 0, "A one."), Span(7, 13, "s", {}, 1, "B two."),
                              Span(14, 22, "s", {}, 2, "C three.")]
    a = doc.add_span("x", 0, 1)
    c = doc.add_span("x", 14, 15)
    assert doc.in_sents("x", 0) == [a] and doc.in_sents("x", [2, 0]) == [a, c]
    b = doc.add_span("x", 7, 8)                       # the layer grew: the index follows
    assert doc.in_sents("x", [0, 1, 2]) == [a, c, b] and doc.in_sents("x", 1) == [b]
    doc.spans["x"] = [c]                              # replaced: so does the index
    assert doc.in_sents("x", [0, 2]) == [c] and doc.in_sents("nothing", 0) == []


# -- every stage but places and dates: work (Python lines run) grows with the text, not faster ----
_OTHERS = ("stages/places.py", "stages/dates.py", "/gazetteer/")


def _lines_run(fn, where: str) -> int:
    """How many Python lines ``fn()`` runs in conflictatlas files, places and dates aside (a count
    of work that does not depend on the machine's speed or load)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        f = frame.f_code.co_filename
        if where in f and not any(o in f for o in _OTHERS):
            return local
        return None

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def _stage_work(pipe, stage: str, size: int, monkeypatch) -> int:
    text = make_report(size)
    doc = Document(id=f"w{size}", text=text, raw=text, meta={"format": "text"})
    monkeypatch.setattr(places_stage, "best_place",
                        lambda d, sents, *a, **kw: next(iter(d.in_sents("places", sents)), None))
    monkeypatch.setattr(dates_stage, "event_date", lambda d, sents, *a, **kw: (None, None, None))
    for name, proc in zip(pipe.names, pipe.stages):
        if name == stage:
            return _lines_run(lambda: proc(doc), "conflictatlas")
        doc = proc(doc)
    raise AssertionError(f"no stage {stage}")


@pytest.mark.parametrize("stage", ["clean", "sentences", "entities", "actors", "numbers", "events", "claims"])
def test_stage_work_grows_linearly(pipe, stage, monkeypatch):
    small = _stage_work(pipe, stage, 12_000, monkeypatch)
    big = _stage_work(pipe, stage, 96_000, monkeypatch)          # eight times the text
    assert big <= 8 * 1.15 * small, (stage, small, big, round(big / small, 2))


def test_pipeline_times_each_stage_in_cpu_and_wall_seconds(pipe):
    pipe.timings.clear()
    pipe.cpu_timings.clear()
    pipe(Document(id="t", text="Gunmen killed two farmers near Gao on Monday, officials said."))
    assert set(pipe.cpu_timings) == set(pipe.timings) == set(pipe.names)
    assert all(v >= 0 for v in pipe.cpu_timings.values())


def test_taken_ranges_answer_as_a_scan_would():
    import random
    rng = random.Random(7)
    ranges = [(a, a + rng.randint(1, 30)) for a in (rng.randint(0, 2000) for _ in range(300))]
    taken = actors_stage._Taken(ranges)
    for _ in range(3000):
        s = rng.randint(0, 2100)
        e = s + rng.randint(1, 40)
        assert taken.overlaps(s, e) == any(a < e and s < b for a, b in ranges), (s, e)
    assert not actors_stage._Taken([]).overlaps(0, 10)


def test_unknown_group_names_are_read_in_linear_work(pipe, monkeypatch):
    """named_groups checks each capitalised name against the dictionary's matches by bisection."""
    def work(size):
        doc = _annotated(pipe, size)
        taken = [(s.start, s.end) for s in doc.layer("actors") if s.value.get("kind") != "named"]
        return _lines_run(lambda: actors_stage.named_groups(doc, taken, actors_stage.load_dictionary("")),
                          "stages/actors.py")
    small, big = work(12_000), work(96_000)
    assert big <= 8 * 1.15 * small, (small, big, round(big / small, 2))


def test_memo_is_read_again_only_when_its_layer_changes():
    doc = Document(id="d", text="A one. B two.")
    calls = []
    read = lambda: calls.append(1) or len(doc.layer("x"))          # noqa: E731
    assert doc.memo("n", read, "x") == 0 and doc.memo("n", read, "x") == 0 and len(calls) == 1
    doc.add_span("x", 0, 1)                                            # the layer grew
    assert doc.memo("n", read, "x") == 1 and len(calls) == 2
    doc.spans["x"] = [Span(7, 8, "", {}, 1, "B")]                      # replaced, same length
    assert doc.memo("n", read, "x") == 1 and len(calls) == 3
