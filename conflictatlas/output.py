"""Output records: the scorer's contract (``{"id", "events": [...]}``) plus evidence."""
from __future__ import annotations

from typing import Any

from .document import Document


def scorer_record(doc: Document, evidence: bool = True) -> dict[str, Any]:
    """One output line: ACLED-named fields per event, most salient first, with evidence."""
    events = []
    for ev in doc.events:
        d = ev.to_dict() if evidence else ev.acled()
        events.append(d)
    rec: dict[str, Any] = {"id": doc.id, "events": events}
    if doc.published:
        rec["published"] = doc.published.isoformat()
    if evidence:
        if doc.meta.get("background_events"):
            rec["background_events"] = [e.to_dict() for e in doc.meta["background_events"]]
        if doc.meta.get("claims"):
            rec["claims"] = doc.meta["claims"]
        if doc.meta.get("speakers"):
            rec["speakers"] = doc.meta["speakers"]
        if doc.meta.get("story"):
            rec["story"] = doc.meta["story"]
        if doc.meta.get("stage_errors"):
            rec["errors"] = doc.meta["stage_errors"]
    return rec
