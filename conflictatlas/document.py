"""The Document and its spans.

A :class:`Document` carries a report's text and metadata through the pipeline. Stages add
annotations to it as :class:`Span` objects in named layers (``doc.spans["dates"]``...), every
one with character offsets into ``doc.text``, so that each extracted value can point at the
sentence it came from.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable


@dataclass
class Span:
    """A stretch of ``doc.text`` ``[start, end)`` with a label and a value.

    ``value`` holds what a stage read from the span (a date, a resolved place, a count...);
    ``sent`` is the index of the sentence that holds the span, or -1 before sentences exist.
    """

    start: int
    end: int
    label: str = ""
    value: dict[str, Any] = field(default_factory=dict)
    sent: int = -1
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label, "text": self.text,
                "sent": self.sent, "value": self.value}


@dataclass
class Evidence:
    """Where a value came from: the source document, the sentence and the character span."""

    source: str
    sentence: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "sentence": self.sentence, "start": self.start,
                "end": self.end, "text": self.text}


@dataclass
class Document:
    id: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    path: str | None = None
    raw: str | None = None               # the text as read, before cleaning
    spans: dict[str, list[Span]] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)   # list[conflictatlas.event.Event]
    meta: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # layer name -> (the layer's list, its length, sentence -> positions): see in_sents
    _by_sent: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)
    # the sentence the last sentence_index call found: spans are mostly added in text order
    _last_sent: int = field(default=0, repr=False, compare=False)
    # name -> (the layers' lists and lengths it was read from, the value): see memo
    _memo: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)

    # -- spans -------------------------------------------------------------------------------
    def add_span(self, layer: str, start: int, end: int, label: str = "",
                 value: dict[str, Any] | None = None) -> Span:
        span = Span(start, end, label, value or {}, self.sentence_index(start), self.text[start:end])
        self.spans.setdefault(layer, []).append(span)
        return span

    def layer(self, name: str) -> list[Span]:
        return self.spans.get(name, [])

    def in_sents(self, name: str, sents: int | Iterable[int]) -> list[Span]:
        """The spans of layer ``name`` in sentence ``sents`` (one index, or several), in layer order.

        An index by sentence, built once per layer and rebuilt when the layer changes, so that
        asking for one event's spans costs what they number, not what the document holds (a
        scan of the whole layer for each event grows with the square of a report's size)."""
        spans = self.spans.get(name, [])
        got = self._by_sent.get(name)
        if got is None or got[0] is not spans or got[1] != len(spans):
            by: dict[int, list[int]] = {}
            for k, sp in enumerate(spans):
                by.setdefault(sp.sent, []).append(k)
            got = self._by_sent[name] = (spans, len(spans), by)
        by = got[2]
        if isinstance(sents, int):
            return [spans[k] for k in by.get(sents, ())]
        return [spans[k] for k in sorted(k for s in set(sents) for k in by.get(s, ()))]

    def memo(self, name: str, build: Callable[[], Any], *layers: str) -> Any:
        """``build()``, computed once per document and again only when one of ``layers`` changes
        (another list, or one that grew): what every event of a report asks for ("the places named
        as an aside", "the dates that can date an event") is read once, not once per event."""
        state = [(self.spans.get(n), len(self.spans.get(n, ()))) for n in layers]
        got = self._memo.get(name)
        if got is None or any(a is not b or la != lb for (a, la), (b, lb) in zip(got[0], state)):
            got = self._memo[name] = (state, build())      # the lists are kept: no id is reused
        return got[1]

    @property
    def sentences(self) -> list[Span]:
        return self.spans.get("sentences", [])

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence that holds character ``offset`` (-1 if none)."""
        sents = self.spans.get("sentences")
        if not sents:
            return -1
        for i in (self._last_sent, self._last_sent + 1):      # where the last span was, or the next
            if 0 <= i < len(sents) and sents[i].start <= offset < sents[i].end:
                self._last_sent = i
                return i
        lo, hi = 0, len(sents) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = sents[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                self._last_sent = mid
                return mid
        return max(0, min(lo, len(sents) - 1)) if lo < len(sents) else len(sents) - 1

    def sentence_text(self, index: int) -> str:
        sents = self.sentences
        if 0 <= index < len(sents):
            return sents[index].text
        return self.text

    def evidence(self, span: Span) -> Evidence:
        return Evidence(self.id, self.sentence_text(span.sent), span.start, span.end, span.text)

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(" ".join(self.text.split()).lower().encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "published": self.published.isoformat() if self.published else None,
            "url": self.url, "title": self.title, "outlet": self.outlet, "language": self.language,
            "text": self.text,
            "spans": {k: [s.to_dict() for s in v] for k, v in self.spans.items()},
            "events": [e.to_dict() for e in self.events],
        }
