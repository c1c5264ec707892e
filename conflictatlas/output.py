"""Output records: the scorer's contract (``{"id", "events": [...]}``) plus evidence."""
from __future__ import annotations

from typing import Any

from .document import Document


#: ACLED's time_precision in words
PRECISION_WORDS = {1: "the day", 2: "within the week", 3: "within the month"}


def shorten(text: str | None, width: int) -> str:
    """``text`` on one line, cut at the last whole word within ``width`` characters, with "…"."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[:width]
    if text[width] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def scorer_record(doc: Document, evidence: bool = True) -> dict[str, Any]:
    """One output line: ACLED-named fields per event, most salient first, with evidence."""
    events = []
    for ev in doc.events:
        d = ev.to_dict() if evidence else ev.acled()
        events.append(d)
    rec: dict[str, Any] = {"id": doc.id, "events": events}
    if doc.language in ("es", "fr", "pt"):
        rec["language"] = doc.language        # not English: see W310 (stages/article.language_notice)
    if doc.published:
        rec["published"] = doc.published.isoformat()
        if doc.meta.get("published_source"):
            rec["published_source"] = doc.meta["published_source"]     # input, html-meta, header, ...
    if evidence:
        if doc.meta.get("background_events"):
            rec["background_events"] = [e.to_dict() for e in doc.meta["background_events"]]
        if doc.meta.get("claims"):
            rec["claims"] = doc.meta["claims"]
        if doc.meta.get("speakers"):
            rec["speakers"] = doc.meta["speakers"]
        if doc.meta.get("not_incidents"):
            # event mentions an article's reading set aside (headlines, teasers, summaries), and why
            rec["not_incidents"] = doc.meta["not_incidents"]
        if doc.meta.get("story"):
            rec["story"] = doc.meta["story"]
        if doc.meta.get("stage_errors"):
            rec["errors"] = doc.meta["stage_errors"]
    return rec
