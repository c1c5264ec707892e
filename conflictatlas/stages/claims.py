"""claims: who says it, how sure they are, and what is history rather than news.

For each event the stage reads its evidence sentences for an attribution ("the army said in a
statement", "according to state media", "a security source told AFP") and hedges ("reportedly",
"allegedly", "unconfirmed"), and records them on the event. Events told as background history
are taken out of ``doc.events`` and kept in ``doc.meta["background_events"]``. Figures that are
statements about strength or totals rather than incidents ("IS has between 3,000 and 5,000
fighters", a UN report) are kept as attributed document claims in ``doc.meta["claims"]``.
"""
from __future__ import annotations

import re

from ..document import Document
from ..pipeline import stage

_SOURCE = (r"(?:the |a |an )?(?:(?:state|local|official|state-run|state-owned|pro-government|opposition)\s+"
           r"(?:media|television|tv|news agency|radio)|(?:army|military|ministry|police|government|"
           r"interior ministry|defen[cs]e ministry|joint operations command|spokesman|spokesperson|"
           r"security source|official|officials|authorities|witnesses|residents|medics|hospital|"
           r"the united nations|the un|un|ocha|reuters|afp|ap|the group|rebels|militants|activists|"
           r"observatory|syrian observatory for human rights|sohr)[\w\s'’-]{0,40}?)")
_SAID = re.compile(
    r"(?P<src>" + _SOURCE + r")\s+(?:said|says|declared|announced|reported|stated|claimed|told|confirmed|"
    r"conveyed|informed|added|noted|insisted|counted)\b", re.I)
_ACCORDING = re.compile(r"\baccording to\s+(?P<src>[^,.;]{3,60})", re.I)
_IN_STATEMENT = re.compile(r"\b(?P<src>[A-Z][\w'’ -]{2,50}?)\s+(?:said|declared|announced|stated)\s+in\s+a\s+statement", re.I)
_HEDGE = re.compile(r"\b(reportedly|allegedly|unconfirmed|purportedly|claim(?:ed|s)\s+(?:that|to\s+have)|"
                    r"it is believed|rumou?red|"
                    r"could not be (?:independently )?verified|unverified|as reported)\b", re.I)
_STRENGTH = re.compile(r"\b(fighters|members|troops|militants)\b.{0,40}\b(across|in total|strength|estimated)\b|"
                       r"\bhas\s+(?:an estimated\s+|about\s+|around\s+|some\s+)?[\"“]?(?:between\s+)?[\d,]+", re.I)


def attribution(sentence: str) -> str | None:
    """The speaker a sentence attributes its content to, or None."""
    for rx in (_IN_STATEMENT, _ACCORDING, _SAID):
        m = rx.search(sentence)
        if m:
            return " ".join(m.group("src").split()).strip(" ,.'\"“”")
    return None


def hedged(sentence: str) -> bool:
    return bool(_HEDGE.search(sentence))


@stage("claims", requires=("events",), assigns=("claims",))
def make_claims(config):
    """Attributions, hedges, background history and document-level claims."""

    def claims(doc: Document) -> Document:
        kept, background = [], []
        for ev in doc.events:
            sents = {e.sentence for lst in ev.evidence.values() for e in lst}
            said_by = None
            hedge = False
            for s in sorted(sents):
                said_by = said_by or attribution(s)
                hedge = hedge or hedged(s)
            if said_by:
                ev.extra["said_by"] = said_by
            for c in ev.claims:
                # each figure is attributed by its own sentence, not by the event's lead
                if not c.get("said_by") and c.get("sentence"):
                    c["said_by"] = attribution(c["sentence"])
            if hedge:
                ev.extra["hedged"] = True
                ev.confidence = round(ev.confidence * 0.85, 3)
            (background if ev.background else kept).append(ev)
        doc.events = kept
        if background:
            doc.meta["background_events"] = background
        # figures no event counted: statements of strength, totals, other tolls, with who said them
        cited = {(e.start, e.end) for ev in kept + background for e in ev.evidence.get("fatalities", [])}
        doc_claims = []
        for n in doc.layer("numbers"):
            if (n.start, n.end) in cited or n.value.get("negated"):
                continue
            s = doc.sentences[n.sent].text if 0 <= n.sent < len(doc.sentences) else ""
            if n.value.get("kind") in ("other", "size") and not (_STRENGTH.search(s) or attribution(s)):
                continue
            doc_claims.append({"value": n.value.get("count"), "low": n.value.get("low"),
                               "high": n.value.get("high"), "kind": n.value.get("kind"),
                               "said_by": attribution(s), "sentence": s,
                               "start": n.start, "end": n.end, "text": n.text})
        if doc_claims:
            doc.meta["claims"] = doc_claims
        return doc

    return claims
