"""claims: who says it, how sure they are, and what is history rather than news.

For each event the stage reads its evidence sentences for an attribution ("the army said in a
statement", "according to state media", "a security source told AFP") and hedges ("reportedly",
"allegedly", "unconfirmed"), and records them on the event. Events told as background history
are taken out of ``doc.events`` and kept in ``doc.meta["background_events"]``. Figures that are
statements about strength or totals rather than incidents ("IS has between 3,000 and 5,000
fighters", a UN report) are kept as attributed document claims in ``doc.meta["claims"]``, and the
named people quoted, with their role and the actor they speak for, in ``doc.meta["speakers"]``.
"""
from __future__ import annotations

import re

from ..document import Document
from ..pipeline import stage
from ..prefilter import lower_for_literals

_SOURCE = (r"(?:the |a |an )?(?:(?:state|local|official|state-run|state-owned|pro-government|opposition)\s+"
           r"(?:media|television|tv|news agency|radio)|(?:army|military|ministry|police|government|"
           r"interior ministry|defen[cs]e ministry|joint operations command|spokesman|spokesperson|"
           r"security source|official|officials|authorities|witnesses|residents|medics|hospital|"
           r"the united nations|the un|un|ocha|reuters|afp|ap|the group|rebels|militants|activists|"
           r"observatory|syrian observatory for human rights|sohr)[\w\s'’-]{0,40}?)")
_SAID_VERBS = ("said", "says", "declared", "announced", "reported", "stated", "claimed", "told", "confirmed",
               "conveyed", "informed", "added", "noted", "insisted", "counted")
_SAID = re.compile(r"(?P<src>" + _SOURCE + r")\s+(?:" + "|".join(_SAID_VERBS) + r")\b", re.I)
_ACCORDING = re.compile(r"\baccording to\s+(?P<src>[^,.;]{3,60})", re.I)
_IN_STATEMENT = re.compile(r"\b(?P<src>[A-Z][\w'’ -]{2,50}?)\s+(?:said|declared|announced|stated)\s+in\s+a\s+statement", re.I)
#: words one of which each pattern's matches hold: a sentence without any is not searched
_ATTRIBUTIONS = ((_IN_STATEMENT, ("statement",)), (_ACCORDING, ("according to",)), (_SAID, _SAID_VERBS))
_HEDGE_WORDS = ("reportedly", "allegedly", "unconfirmed", "purportedly", "claim", "it is believed", "rumo",
                "could not be", "unverified", "as reported")
_HEDGE = re.compile(r"\b(reportedly|allegedly|unconfirmed|purportedly|claim(?:ed|s)\s+(?:that|to\s+have)|"
                    r"it is believed|rumou?red|"
                    r"could not be (?:independently )?verified|unverified|as reported)\b", re.I)
_STRENGTH = re.compile(r"\b(fighters|members|troops|militants)\b.{0,40}\b(across|in total|strength|estimated)\b|"
                       r"\bhas\s+(?:an estimated\s+|about\s+|around\s+|some\s+)?[\"“]?(?:between\s+)?[\d,]+", re.I)


_ROLE_WORDS = ("commander", "spokes", "minister", "governor", "official", "chief", "head", "director", "leader",
               "general", "colonel", "brigadier", "major", "captain", "mayor", "president", "secretary", "envoy",
               "ambassador", "representative", "adviser", "advisor", "officer", "deputy", "emir", "sheikh")
_ROLE = r"(?:commander|spokes(?:man|woman|person)|minister|governor|official|chief|head|director|leader|" \
        r"general|colonel|brigadier|major|captain|mayor|president|prime minister|secretary|envoy|ambassador|" \
        r"representative|adviser|advisor|officer|deputy|emir|sheikh)"
_PERSON = r"(?P<name>(?:[A-Z][a-z'’-]+|al-[A-Z][a-z'’-]+)(?:\s+(?:[A-Z][a-z'’-]+|al-[A-Z][a-z'’-]+|bin|ibn|abu|el)){1,3})"
_VERB_WORDS = ("said", "says", "expressed", "stated", "told", "declared", "announced", "added", "confirmed",
               "explained", "warned", "noted")
_VERB = r"(?:" + "|".join(_VERB_WORDS) + r")"
# "PMF operations commander in the Anbar province Qassem Mosleh expressed ..."
# "..., killing two, regional governor Oleh Syniehubov said": the role starts after the last comma or quote
_SPEAKER_BEFORE = re.compile(r"(?:^|[,;:\"“”]\s*)(?P<role>[^.;:,\"“”]{0,90}?\b" + _ROLE + r"\b[^.;:,\"“”]{0,60}?)\s+" +
                             _PERSON + r"\s+" + _VERB + r"\b")
# "... , said Yehia Rasool, spokesman for the army" / "Yehia Rasool, the army's spokesman, said"
_SPEAKER_AFTER = re.compile(r"\b" + _VERB + r"\s+" + _PERSON + r",\s+(?:the\s+|a\s+)?(?P<role>[^.;]{0,80}?\b" + _ROLE + r"\b[^.;,]{0,60})")
_SPEAKER_APPOS = re.compile(_PERSON + r",\s+(?:the\s+|a\s+)?(?P<role>[^.;,]{0,80}?\b" + _ROLE + r"\b[^.;,]{0,60}),\s+" + _VERB + r"\b")


def speakers(doc: Document) -> list[dict]:
    """Named people quoted in the report, with their role and the actor they speak for:
    {"name", "role", "actor", "sentence", "start", "end"}."""
    out, seen = [], set()
    for sent in doc.sentences:
        if not (any(w in sent.text for w in _VERB_WORDS) and any(w in sent.text for w in _ROLE_WORDS)):
            continue                     # every speaker pattern needs both words (case as written)
        for rx in (_SPEAKER_BEFORE, _SPEAKER_AFTER, _SPEAKER_APPOS):
            m = rx.search(sent.text)
            if not m:
                continue
            name = m.group("name").strip()
            if name in seen:
                break
            seen.add(name)
            role_start = sent.start + m.start("role")
            role_end = sent.start + m.end("role")
            actor = next((a.value.get("name") for a in doc.in_sents("actors", sent.sent)
                          if role_start <= a.start and a.end <= role_end
                          and a.value.get("type") not in ("Civilians", "Protesters", "Rioters")), None)
            out.append({"name": name, "role": " ".join(m.group("role").split()), "actor": actor,
                        "sentence": sent.text, "start": sent.start + m.start("name"),
                        "end": sent.start + m.end("name")})
            break
    return out


def attribution(sentence: str) -> str | None:
    """The speaker a sentence attributes its content to, or None."""
    low = lower_for_literals(sentence)
    for rx, words in _ATTRIBUTIONS:
        if low is not None and not any(w in low for w in words):
            continue
        m = rx.search(sentence)
        if m:
            return " ".join(m.group("src").split()).strip(" ,.'\"“”")
    return None


def hedged(sentence: str) -> bool:
    low = lower_for_literals(sentence)
    if low is not None and not any(w in low for w in _HEDGE_WORDS):
        return False
    return bool(_HEDGE.search(sentence))


@stage("claims", requires=("events",), assigns=("claims",))
def make_claims(config):
    """Attributions, hedges, background history and document-level claims."""

    def claims(doc: Document) -> Document:
        said: dict[str, str | None] = {}

        def attributed(sentence: str) -> str | None:    # each sentence read once per document
            if sentence not in said:
                said[sentence] = attribution(sentence)
            return said[sentence]

        kept, background = [], []
        for ev in doc.events:
            sents = {e.sentence for lst in ev.evidence.values() for e in lst}
            said_by = None
            hedge = False
            for s in sorted(sents):
                said_by = said_by or attributed(s)
                hedge = hedge or hedged(s)
            if said_by:
                ev.extra["said_by"] = said_by
            for c in ev.claims:
                # each figure is attributed by its own sentence, not by the event's lead
                if not c.get("said_by") and c.get("sentence"):
                    c["said_by"] = attributed(c["sentence"])
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
            if n.value.get("kind") in ("other", "size") and not (_STRENGTH.search(s) or attributed(s)):
                continue
            doc_claims.append({"value": n.value.get("count"), "low": n.value.get("low"),
                               "high": n.value.get("high"), "kind": n.value.get("kind"),
                               "said_by": attributed(s), "sentence": s,
                               "start": n.start, "end": n.end, "text": n.text})
        if doc_claims:
            doc.meta["claims"] = doc_claims
        people = speakers(doc)
        if people:
            doc.meta["speakers"] = people
        return doc

    return claims
