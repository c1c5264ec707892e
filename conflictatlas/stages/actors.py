"""actors: actor mentions -> canonical ACLED actor and type (layer ``actors``), and who did what to whom.

The stage finds every alias of the actor dictionary (:mod:`conflictatlas.actors`) in the text and
writes one span per mention with ``name``, ``type``, ``country``, ``generic``, ``alias`` and
``kind`` (plus ``assoc``: an associated-actor label such as "Students (Kenya)", and
``alternatives``: other actors the alias could name). A generic mention ("police", "gunmen") takes
its country from a demonym before it ("Kenyan police"), else from the places in its sentence, else
from the document's most frequent place country.

:func:`pick_actors` chooses actor1/actor2 for one event by ACLED's conventions: protesters and
rioters lead their events, civilians are the target of violence against civilians, the attacker
comes first in battles and explosions (active "X attacked Y", passive "Y was attacked by X",
"clashes between X and Y"), and a state's forces acting outside their own country are
"External/Other forces".
"""
from __future__ import annotations

import json
import os
import re
from bisect import bisect_left
from collections import Counter
from pathlib import Path

from ..actors import DATA, ActorDictionary, ActorFileError, Match, choose, fold, key_of, load_dictionary, tokens
from ..document import Document, Span
from ..errors import Errors
from ..pipeline import stage
from ..prefilter import Folded, lower_for_literals, lower_pattern
from . import roles

_CONVENTIONS_FILE = DATA / "actors_conventions.json"
_KIND_WORD = {"communal": "Communal", "ethnic": "Ethnic", "tribal": "Tribal", "clan": "Clan"}
_ARMED_TYPES = ("State forces", "Rebel group", "Political militia", "Identity militia", "External/Other forces")

_DET = r"(?:(?:the|a|an|some|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|" \
       r"thirty|forty|fifty|dozens?|scores|hundreds|at\s+least|more\s+than|several|many|suspected|presumed|" \
       r"alleged|unidentified|unknown|" \
       r"armed|local|its|their|his|her|members?\s+of|elements?\s+of|\d+|(?-i:[A-Z][\w'-]*))\s+)*"
_BY = re.compile(r"\bby\s+" + _DET + r"$", re.I)
_PATIENT_VERBS = (
    r"(?:killed|killing|kills|attacked|attacking|attacks|abducted|abducting|kidnapped|kidnapping|shot|shooting|"
    r"targeted|targeting|ambushed|ambushing|arrested|arresting|detained|detaining|beat|beating|injured|injuring|"
    r"wounded|wounding|raided|raiding|stormed|storming|fired\s+(?:at|on|upon)|firing\s+(?:at|on|upon)|shelled|"
    r"shelling|struck|striking|hit|against|assaulted|assaulting|tortured|torturing|executed|executing|seized|"
    r"dispersed|dispersing|intercepted|repelled|repulsed|confronted|engaged|clashed\s+with|clashes\s+with|"
    r"fighting\s+with|fought|fought\s+with|exchanged\s+fire\s+with|on|at|robbed|looted|burned|burnt|lynched|"
    r"harassed|threatened|abused|raped|stabbed|hacked|bombed|bombing|shelled|pelted|stoned|chased|ousted|"
    r"expelled|captured|capturing|carrying|transporting|took\s+control\s+of|overran|displaced|rescued|freed|released|near|toward|"
    r"towards|into|of)")
_PATIENT_BEFORE = re.compile(r"\b" + _PATIENT_VERBS + r"\s+" + _DET + r"$", re.I)
#: where a match of _PATIENT_BEFORE may start, in the lower-cased text: the search tries only there
_PATIENT_HEADS = re.compile(lower_pattern(r"\b(?=" + _PATIENT_VERBS + r"\s)"))
_PATIENT_AFTER = re.compile(
    r"^[\w\s,'-]{0,25}?\b(?:was|were|had\s+been|has\s+been|have\s+been|got|being|is|are)\s+(?:\w+ly\s+)?"
    r"(?:killed|shot|attacked|abducted|kidnapped|injured|wounded|arrested|detained|beaten|targeted|ambushed|"
    r"assaulted|tortured|executed|hit|struck|stabbed|hacked|lynched|raped|harassed|threatened|robbed|found|"
    r"captured|dispersed|fired|shelled|bombed|burned|burnt|murdered|slain|abused|rescued|freed|released)\b"
    # "an army vehicle struck an IED": the vehicle's side is hit
    r"|^\s+(?:(?:vehicle|convoy|patrol|truck|car|bus|tank)s?\s+)?(?:struck|hit|ran\s+over|drove\s+over|stepped\s+on|"
    r"set\s+off)\s+(?:an?|the|two|several)\s+(?:\w+\s+){0,2}?(?:IEDs?|mines?|landmines?|explosives?|"
    r"explosive\s+devices?|roadside\s+bombs?|bombs?)\b"
    # a headline's short passive: "15 soldiers killed in attack on army bus"
    r"|^\s+(?:\w+\s+)?(?:killed|dead|wounded|injured|abducted|kidnapped|hurt|slain|shot\s+dead)\s+(?:in|as|by|after|"
    r"at|near|during|when|on|while|and)\b",
    re.I)
# "the stronghold of the rebels", "near an army post": the place is told by the group, it is not hit
_AMONG_DEAD = re.compile(r"^[\w\s,'-]{0,25}?\b(?:was|were|are|is)\s+(?:also\s+)?among\s+(?:those\s+|the\s+)?"
                         r"(?:killed|dead|victims|casualties|wounded|injured|people\s+killed)\b", re.I)
_WEAK_TARGET = re.compile(r"\b(?:(?:stronghold|bastion|heartland|territory|capital|region|areas?)\s+(?:\w+\s+)?of|near|"
                          r"toward|towards|held\s+by|controlled\s+by)\s+" + _DET + r"$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+" + _DET + r"$", re.I)
_NOT_A_FORCE = re.compile(r"^[\s-]*(?:coup|coups|rule|takeover|government|regime|junta|council|leadership|leaders?|"
                          r"chief|chiefs|spokesman|spokesperson|court|courts|tribunal|prosecutor|hospital|academy|"
                          r"college|school|budget|spending|service\s+law|conscription)\b", re.I)
_MEMBERS_OF = re.compile(r"\b(?:members?|elements?|fighters?|militants?|cadres?|combatants?|operatives?|gunmen|"
                         r"soldiers?|troops|units?|commanders?|leaders?)\s+(?:of|from)\s+(?:the\s+|an?\s+)?$", re.I)
_MEMBERS_OF_FOLDED = Folded(_MEMBERS_OF)
# "a pavilion built by the military", "a town held by the rebels": the actor owns, not acts
_BY_OWNER = re.compile(r"\b(?:owned|built|constructed|erected|run|operated|controlled|held|used|manned|guarded|"
                       r"occupied|administered|staffed|founded|formed|established|backed|supported|sponsored|funded|"
                       r"armed|trained|installed|set\s+up|planted|laid|left|placed|abandoned|declared|designated|"
                       r"recognised|recognized|organi[sz]ed|announced|issued|imposed)\s+by\s+" + _DET + r"$", re.I)


_CONVENTIONS_READ: dict = {}


def _conventions() -> dict:
    """ACLED's actor conventions (read-only), parsed again only when the file changes (every
    event asks)."""
    try:
        stamp = os.stat(_CONVENTIONS_FILE).st_mtime_ns
    except FileNotFoundError:
        return {}
    if _CONVENTIONS_READ.get("stamp") != stamp:
        with open(_CONVENTIONS_FILE, encoding="utf-8") as f:
            _CONVENTIONS_READ.update(stamp=stamp, data=json.load(f))
    return _CONVENTIONS_READ["data"]


# a capitalised name ending in a group word: "Hamza Brigade", "Al Fath Al Mubeen Operation Room"
_NAMED = re.compile(
    r"\b((?:[A-Z][\w'’.-]{0,40}\s+(?:(?:al|of|the|for|and|de|du|la|el|wa|wal|des|del)\s+)?){1,6}"
    r"(?:Army|Front|Brigades?|Movement|Forces?|Militia|Battalion|Regiment|Operation\s+Room|Cartel|Gang|Corps)s?)\b")
_REBEL_NAME = re.compile(r"Liberation|Rebel|Revolutionary|Resistance|Mujahideen|\b(?:Army|Front|Forces|Corps|"
                         r"Operation\s+Room|Movement)$")
_BACKED = re.compile(r"^(?:pro|anti)-|-(?:backed|led|affiliated|aligned|allied|supported|sponsored)$", re.I)
_NAMED_STOP = {"The", "On", "In", "At", "A", "An", "Around", "About", "As", "After", "Before", "During", "Near",
               "When", "While", "Both", "Two", "Three", "Several", "Unidentified", "Unknown", "Suspected", "Armed"}


class _Taken:
    """Character ranges already taken, asked "does [start, end) overlap one?" in log time (a scan
    of every range for each candidate name grows with the square of the text)."""

    def __init__(self, ranges: list[tuple[int, int]]):
        ranges = sorted(ranges)
        self.starts = [a for a, _ in ranges]
        self.reach: list[int] = []          # the furthest end among the ranges up to here
        for _, b in ranges:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end)  # the ranges that begin before ``end``...
        return k > 0 and self.reach[k - 1] > start   # ...one of which ends after ``start``


def named_groups(doc: Document, taken: list[tuple[int, int]], d: ActorDictionary) -> list[Span]:
    """Spans for armed groups the dictionary does not know, read from their capitalised names."""
    out = []
    used = _Taken(taken)
    for m in _NAMED.finditer(doc.text):
        start, end = m.start(1), m.end(1)
        words = m.group(1).split()
        while words and (words[0] in _NAMED_STOP or _BACKED.search(words[0])):
            start += len(words[0]) + 1
            words = words[1:]
        if len(words) < 2 or used.overlaps(start, end):
            continue
        if any(key_of(" ".join(words[:q])) in d.demonyms for q in range(1, min(4, len(words)))):
            continue
        name = " ".join(words)
        # armed opposition names ("... Liberation Army", "... Front", "Al Sham Corps", "... Operation Room")
        # are rebel groups; a local "... Force", "... Brigade", gang or cartel is a political militia
        typ = "Rebel group" if _REBEL_NAME.search(name) else "Political militia"
        out.append(Span(start, end, typ, {"name": name, "type": typ, "country": None, "generic": False,
                                          "alias": name, "kind": "named", "assoc": None, "alternatives": [],
                                          "modifier": None}, doc.sentence_index(start), doc.text[start:end]))
    return out


class ActorStage:
    def __init__(self, dictionary: ActorDictionary):
        self.d = dictionary

    def __call__(self, doc: Document) -> Document:
        places = doc.layer("places")
        by_sent: dict[int, list[str]] = {}
        for p in places:
            c = (p.value or {}).get("country")
            if c:
                by_sent.setdefault(p.sent, []).append(c)
        counts = Counter(c for cs in by_sent.values() for c in cs)
        doc_country = counts.most_common(1)[0][0] if counts else doc.meta.get("country")
        day = _doc_day(doc)
        out = []
        for m in _coordinated(self.d, doc.text, self.d.match(doc.text)):
            sent = doc.sentence_index(m.start)
            ctx = doc_country or (by_sent.get(sent) or [None])[0]
            value = describe(self.d, m, ctx, day, places_spans=places)
            if value is None:
                if not any(m.key in a.local for a in m.candidates):
                    continue
                # a local alias ("coalition") with no country yet: kept for pick_actors to read in context
                value = {"name": None, "type": None, "country": None, "generic": False, "alias": m.alias,
                         "kind": "unresolved", "assoc": None, "alternatives": sorted({a.name for a in m.candidates}),
                         "modifier": m.modifier}
            span = Span(m.start, m.end, value["type"] or value["kind"].upper(), value, sent, doc.text[m.start:m.end])
            span.value["match"] = self.d.ref(m)   # to re-read the mention with the event's country
            out.append(span)
        out += named_groups(doc, [(x.start, x.end) for x in out], self.d)
        out += roles.country_agents(doc, self.d, [(x.start, x.end) for x in out])
        out += roles.bare_occupiers(doc, out)
        out.sort(key=lambda x: x.start)
        doc.meta["actors_country"] = doc_country
        # "(AFP) -", "told AFP": the news agency, not the Philippine armed forces
        doc.spans["actors"] = [x for x in out if not roles.agency_mention(doc, x)]
        return doc


_AND = re.compile(r"([A-Z][\w'-]*)\s*(?:,|and|or|&)\s*$")


def _coordinated(d: ActorDictionary, text: str, matches: list[Match]) -> list[Match]:
    """Split "Ukrainian and Russian forces" into the forces of both countries."""
    out = []
    for m in matches:
        if m.country:
            g = _AND.search(text[max(0, m.start - 40):m.start])
            if g:
                c = d.demonyms.get(key_of(g.group(1)))
                if c and c != m.country:
                    s = m.start - (len(text[max(0, m.start - 40):m.start]) - g.start(1))
                    out.append(Match(s, s + len(g.group(1)), g.group(1), m.candidates, c, None, m.key))
        out.append(m)
    return out


_TWO_SIDES = re.compile(r"\b(?:clash(?:ed|es)?|fought|fight(?:ing)?|brawl|exchanged\s+fire|between|two\s+groups|"
                        r"rival|each\s+other|one\s+another|internal|infighting|among\s+themselves)\b", re.I)


_COUNTER = re.compile(r"\bcounter[- ]?(?:demonstrat\w*|protest\w*|rall\w*|march\w*)", re.I)
_DISPLACED = re.compile(r"\b(?:displace\w*|evacuat\w*|fled|flee\w*|refugees|returnees|relocated)\b", re.I)


_TWO_SIDES_STRONG = re.compile(r"\b(?:clash(?:ed|es)?\s+(?:ensued\s+|occurr?ed\s+|erupted\s+|broke\s+out\s+)?between|"
                               r"each\s+other|one\s+another|rival|two\s+groups|clashed\s+with\s+(?:\w+\s+){0,3}"
                               r"(?:supporters|cadres|members|workers|activists|group|students|youths|residents|villagers))",
                               re.I)


_VAGUE_FORCES = re.compile(r"^(?:\w+\s+)?(?:security\s+(?:forces|personnel|agents|officers)|state\s+forces|forces|"
                           r"government\s+forces|law\s+enforcement)$", re.I)


_ARRESTED = re.compile(r"\b(?:arrested|detained|captured|apprehended|nabbed|rounded\s+up|attacked|burned|burnt|"
                       r"torched|looted|destroyed|seized|raided|demolished|dismantled|ransacked|occupied|besieged|"
                       r"disarmed|intercepted|shot\s+down)\s+(?:\S+\s+){0,8}$", re.I)


def _event_day(doc: Document, sents: list[int] | None) -> str | None:
    for sp in (doc.in_sents("dates", sents) if sents else doc.layer("dates")):
        v = sp.value or {}
        if v.get("date") and not v.get("background"):
            return str(v["date"])[:10]
    return None


def _doc_day(doc: Document) -> str | None:
    a = doc.meta.get("anchor_date") or doc.published
    if a is None:
        return None
    return a.isoformat() if hasattr(a, "isoformat") else str(a)[:10]


def describe(d: ActorDictionary, m: Match, country: str | None, day: str | None,
             places_spans: list[Span] | None = None) -> dict | None:
    """The span value for a match in context (None if no actor fits there)."""
    got = choose(m, country, day)
    assoc = choose(m, country, day, assoc=True)
    if got is None and assoc is None:
        return None
    value: dict = {"assoc": assoc[0].resolve(assoc[1]) if assoc else None,
                   "alternatives": sorted({a.name for a in m.candidates} - ({got[0].name} if got else set())),
                   "modifier": m.modifier}
    if got is None:
        value.update(name=None, type=None, country=assoc[1], generic=True, alias=m.alias, kind="assoc")
        return value
    actor, ctry = got
    name, typ, kind = actor.resolve(ctry), actor.type, actor.kind
    if actor.generic and kind in ("state", "police", "government") and ctry:
        fixed = d.by_name.get({"state": "Military Forces of ", "police": "Police Forces of ",
                               "government": "Government of "}[kind] + ctry)
        name = fixed.name if fixed else name
        for pre in ("Military Forces of the ", "Police Forces of the ", "Government of the "):
            fixed = d.by_name.get(pre + ctry)
            if fixed and fixed.kind == kind:
                name = fixed.name
    if m.modifier and kind in _KIND_WORD or (m.modifier and kind == "unidentified" and m.key[-1:] in
                                             (("militia",), ("militiamen",), ("militias",))):
        is_place = any(p.start <= m.start < p.end or m.start <= p.start < m.start + len(m.modifier)
                       for p in places_spans or ()) or key_of(m.modifier) in d.demonyms
        said = [w for w in ("communal", "ethnic", "tribal", "clan") if w in m.key]
        word = _KIND_WORD[said[0]] if said else ("Communal" if is_place else "Ethnic")
        name = f"{m.modifier} {word} Militia" + (f" ({ctry})" if ctry else "")
        typ, kind = "Identity militia", word.lower()
    value.update(name=name, type=typ, country=ctry, generic=actor.generic, alias=m.alias, kind=kind)
    return value


def inter_of(value: dict, event_country: str | None) -> str | None:
    """ACLED's inter code name for an actor in an event: foreign state forces are External/Other."""
    typ = value.get("type")
    if typ == "State forces" and event_country and value.get("country") and value["country"] != event_country:
        return "External/Other forces"
    return typ


# -- choosing actors for one event ----------------------------------------------------------------

def _role(doc: Document, span: Span) -> str:
    """The mention's part in its clause: "claim" (claimed or was blamed for the attack), "by"
    (passive agent), "agent", "between", "patient", "assoc" (backs or accompanies a side), "other"."""
    role = span.value.get("role")
    if role is None:        # read once: every event of the report asks again
        role = span.value["role"] = _clause_role(doc, span)
    return role


#: a mention that tells the news ("a military officer said", "police told reporters")
_TELLS = re.compile(r"^(?:\s+(?:spokesm[ae]n|spokeswoman|spokesperson|officials?|sources?|commanders?))?"
                    r"\s+(?:said|says|told|confirmed|reported|added|stated|"
                    r"(?:called|calls|described|describes|termed|branded|labell?ed|dubbed)(?!\s+(?:in|up|on|out)\b))\b",
                    re.I)
#: ... unless it tells its own act ("the army said it had killed ten militants")
_TELLS_OWN_ACT = re.compile(r"^(?:\s+\w+){0,2}?\s+(?:said|says|stated|reported|added|confirmed)\s+(?:that\s+)?"
                            r"(?:it|they|its|their)\b", re.I)


def _clause_role(doc: Document, span: Span) -> str:
    sent = doc.sentences[span.sent] if 0 <= span.sent < len(doc.sentences) else None
    s0 = sent.start if sent else 0
    before = doc.text[max(s0, span.start - 80):span.start]
    after = doc.text[span.end:span.end + 60]
    if span.value.get("role_why"):          # a country read as the state acting ("launched by Russia")
        return "by"
    strong = roles.clause_role(doc, span)
    if strong:
        span.value["role_why"] = strong[1]
        return "claim" if strong[0] == "claimant" else strong[0]
    assoc = roles.assoc_of(doc, span)
    if assoc:
        span.value["role_why"] = assoc
        return "assoc"
    if _NOT_A_FORCE.match(after) and span.value.get("type") == "State forces":
        return "other"            # "denouncing the military coup", "under army rule": not the force acting
    if _TELLS.match(after) and not _TELLS_OWN_ACT.match(after):
        return "other"            # "..., a military officer said": who tells it, not who did it
    low = before.lower()        # "by" and "between" can match only where the lower-cased words are
    if "by" in low and _BY.search(before):
        if _BY_OWNER.search(before) and not re.search(r"\b(?:planted|laid|placed|left)\s+by", before, re.I):
            return "other"
        return "by"
    if "between" in low and _BETWEEN.search(before):
        return "between"
    if _PATIENT_AFTER.search(after):
        return "patient"
    # "suspected members of the FARC set fire ...": the group acts
    mo = _MEMBERS_OF.search(before) if _MEMBERS_OF_FOLDED.found(before) else None
    if mo and not _patient_before(before[:mo.start()]):
        return "agent"
    if _patient_before(before):
        return "patient"
    return "agent" if span.value.get("kind") not in ("civilians",) else "patient?"


# "On March 17 the occupiers abducted ...": a date after "on"/"at", not the object of an attack
_DATE_AFTER_PREP = re.compile(r"^(?:on|at)\s+(?:the\s+)?(?:(?:January|February|March|April|May|June|July|August|"
                              r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
                              r"Saturday|Sunday)\b|\d)", re.I)


# what property destruction does to a thing ("hurled molotovs through the windows of the ... office")
_HIT_BEFORE = re.compile(r"\b(?:threw|thrown|hurled|attacked|burned|burnt|torched|set\s+fire\s+to|set\s+on\s+fire|"
                         r"looted|destroyed|vandali[sz]ed|damaged|ransacked|targeted|smashed|stormed|raided)\b", re.I)


def _hit_in_clause(doc: Document, span: Span) -> bool:
    s0 = doc.sentences[span.sent].start if 0 <= span.sent < len(doc.sentences) else 0
    return bool(_HIT_BEFORE.search(doc.text[max(s0, span.start - 100):span.start]))


def _patient_before(before: str) -> bool:
    m = _search_patient_before(before)
    return bool(m) and not _DATE_AFTER_PREP.match(m.group(0))


def _search_patient_before(before: str) -> re.Match | None:
    """``_PATIENT_BEFORE.search(before)``, tried only where one of its verbs starts (a case-blind
    search tries its long alternation at every position)."""
    low = lower_for_literals(before)
    if low is None:
        return _PATIENT_BEFORE.search(before)
    for head in _PATIENT_HEADS.finditer(low):
        m = _PATIENT_BEFORE.match(before, head.start())
        if m:
            return m
    return None


def _resolve_in_event(d: ActorDictionary, doc: Document, span: Span, country: str | None, day: str | None) -> dict | None:
    r = span.value.get("match")
    if not r:
        return span.value
    try:
        m = d.unref(span.start, span.end, span.text, r)
    except (IndexError, KeyError):
        return span.value
    return describe(d, m, country, day, doc.layer("places"))


def pick_actors(doc: Document, sents: list[int] | None, event_type: str | None, sub_event_type: str | None,
                country: str | None, dictionary: ActorDictionary | None = None, admin1: str | None = None) -> dict:
    """actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2 (+ "evidence", "country", and "why":
    the reasons for the choice) for one event (``admin1``: its province, for the conventions named
    by province)."""
    d = dictionary or load_dictionary(doc.meta.get("actors_dictionary", ""))
    out = _pick_actors(doc, sents, event_type, sub_event_type, country, d)
    _unidentified_by_province(out, admin1)
    _add_supporters(doc, out, out.pop("_assoc"))
    _add_allies(doc, out, out.pop("_found"))
    for n in ("1", "2"):
        if out.get(f"actor{n}") and not any(w.startswith(f"actor{n}:") for w in out["why"]):
            out["why"].append(f"actor{n}: {out[f'actor{n}']} (ACLED's default for a {event_type or 'event'} "
                              f"with no such actor named)")
    out["why"] = "; ".join(out["why"]) or None
    return out


def _unidentified_by_province(out: dict, admin1: str | None) -> None:
    """An unidentified armed perpetrator in a province where ACLED names it after the province
    ("gunmen" raiding a village in Katsina: Katsina Communal Militia (Nigeria))."""
    country = out.get("country")
    rule = (_conventions().get("unidentified_by_admin1") or {}).get(country or "")
    if not rule or admin1 not in rule["admin1"]:
        return
    plain = f"Unidentified Armed Group ({country})"
    for n in ("1", "2"):
        if out.get(f"actor{n}") == plain:
            out[f"actor{n}"] = rule["name"].replace("{admin1}", admin1).replace("{country}", country)
            out[f"inter{n}"] = rule["type"]
            out["why"].append(f"actor{n} then: {out[f'actor{n}']} (ACLED names an unidentified armed group "
                              f"in {admin1} after the state)")


def _add_supporters(doc: Document, out: dict, assoc_found: list) -> None:
    """"backed by X", "alongside X": X joins the associated actors of the side it qualifies (the
    nearest actor told before it in its sentence; actor1's side when none)."""
    for span, v, _ in assoc_found:
        # an armed actor by its name; a group of people by its label ("alongside teachers": Teachers)
        name = v.get("name") if v.get("type") in _ARMED_TYPES else v.get("assoc")
        if not name or name in (out.get("actor1"), out.get("actor2")):
            continue
        ev2 = out["evidence"].get("actor2")
        side = "2" if ev2 is not None and ev2.sent == span.sent and ev2.start < span.start and not (
            out["evidence"].get("actor1") is not None and ev2.start < out["evidence"]["actor1"].start < span.start) \
            else "1"
        have = out.get(f"assoc_actor_{side}")
        if have and name in have.split("; "):
            continue
        out[f"assoc_actor_{side}"] = f"{have}; {name}" if have else name
        out["why"].append(f"assoc_actor_{side}: {name} ({span.value.get('role_why')})")


def _demonym_led(d: ActorDictionary, text: str) -> bool:
    words = text.split()
    return len(words) > 1 and any(key_of(" ".join(words[:q])) in d.demonyms for q in range(1, len(words)))


def _demonym_led_forces(d: ActorDictionary, doc: Document) -> list:
    """A state's forces named with their demonym ("Zionist troops"), read once per document and
    again only when the actors layer changes (every event of the report asks)."""
    return doc.memo("demonym_led_forces", lambda: [
        sp for sp in doc.layer("actors") if (sp.value or {}).get("type") == "State forces"
        and sp.value.get("kind") == "state" and sp.value.get("country") and _demonym_led(d, sp.text)], "actors")


def _corefer_forces(d: ActorDictionary, doc: Document, found: list) -> list:
    """"Zionist troops entered the village ... The army said soldiers had gone in": a bare "army" or
    "soldiers" told after a foreign state's forces named with their demonym (within three sentences,
    with no other state's forces named between) is those forces, not the event country's."""
    named = _demonym_led_forces(d, doc)
    if not named:
        return found
    out = []
    for s, v, r in found:
        if v.get("generic") and v.get("kind") == "state" and v.get("type") == "State forces" \
                and not v.get("modifier") and not _demonym_led(d, s.text):
            # a later sentence's subject ("The army said ..."), not "military infrastructure" beside it
            prev = [q for q in named if 0 < s.sent - q.sent <= 3] if r in ("agent", "by") and not \
                re.match(r"\s+(?:infrastructure|positions?|bases?|targets?|facilit\w+|equipment|vehicles?)\b",
                         doc.text[s.end:s.end + 20], re.I) else []
            if prev and prev[-1].value["country"] != v.get("country"):
                q = prev[-1]
                v = dict(v, name=q.value["name"], country=q.value["country"])
                s.value["role_why"] = f"'{s.text}' refers back to '{q.text}'"
        out.append((s, v, r))
    return out


def _base(name: str | None) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name or "").strip().lower()


def _add_allies(doc: Document, out: dict, found: list) -> None:
    """Forces acting with actor1 are its associated actors, as ACLED lists them: the same state's
    other forces ("Police, Army and CRPF threw a cordon"), or a group named with it in one subject
    ("the KNLA and the KRF attacked")."""
    ev1 = out["evidence"].get("actor1")
    if ev1 is None or not out.get("actor1"):
        return
    v1 = ev1.value or {}
    state1 = v1.get("country") if v1.get("type") == "State forces" else None
    for span, v, r in found:
        name = v.get("name")
        if not name or name in (out.get("actor1"), out.get("actor2")) or r not in ("agent", "by", "between") \
                or v.get("type") not in _ARMED_TYPES or v.get("kind") in ("government", "party") or _unnamed(v):
            continue
        if span.sent != ev1.sent or _aftermath(doc, span) or _base(name) == _base(out["actor1"]):
            continue        # acting in actor1's own sentence, and not actor1 under another dated name
        same_state = state1 is not None and v.get("type") == "State forces" and v.get("country") == state1
        joined = span.sent == ev1.sent and re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?",
                                                         doc.text[min(span.end, ev1.end):max(span.start, ev1.start)])
        if not (same_state or joined):
            continue
        have = out.get("assoc_actor_1")
        if have and name in have.split("; "):
            continue
        out["assoc_actor_1"] = f"{have}; {name}" if have else name
        out["why"].append(f"assoc_actor_1: {name} ('{span.text}' acts with actor1"
                          f"{', the same state' if same_state else ''})")


def _story_agents(d: ActorDictionary, doc: Document, sents: list[int], found: list, event_type: str | None,
                  country: str | None, day: str | None, why: list[str]) -> list:
    """An attack told in an article without a strong author in its own sentences takes the group that
    claimed it (anywhere in the report), else the armed actor acting in the report's lead."""
    if event_type not in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
        return found
    armed = [x for x in found if x[1].get("type") in _ARMED_TYPES and x[1].get("kind") != "government"]
    acting = [x for x in armed if x[2] in ("by", "agent", "between", "claim")]
    strong = [x for x in acting if not (x[1].get("generic") and x[1].get("type") != "State forces")]
    if any(x[2] == "claim" for x in strong):
        # "two gunmen shot dead a sergeant; the PDF claimed the attack": the claimant, not the gunmen
        weak = {id(x) for x in acting if x not in strong}
        if weak:
            why.append("the group that claimed the attack stands for the generic attackers")
        return [x for x in found if id(x) not in weak]
    keep = set(sents)
    extra = []
    for sp, reason in roles.claimants(doc):
        if sp.sent in keep:
            continue
        v = _resolve_in_event(d, doc, sp, country, day)
        if v and v.get("name") and v.get("type") in _ARMED_TYPES and v.get("type") != "State forces" \
                and not _unnamed(v):
            extra.append((sp, v, "claim"))
            why.append(f"author from another sentence: {v['name']} ({reason})")
            break
    if not extra and not acting:
        for sp, reason in roles.lead_agents(doc, event_type, keep):
            v = _resolve_in_event(d, doc, sp, country, day)
            r = _role(doc, sp)
            if v and v.get("name") and v.get("type") in _ARMED_TYPES and v.get("kind") != "government" \
                    and r in ("by", "agent", "claim") and not _aftermath(doc, sp):
                extra.append((sp, v, "by"))
                why.append(f"author from the lead: {v['name']} ({reason})")
                break
    if not extra:
        return found
    if strong:
        return found + extra
    # the claimant or the lead's author stands for the generic "gunmen" of the event's sentences
    weak = {id(x) for x in acting}
    return [x for x in found if id(x) not in weak] + extra


def _pick_actors(doc: Document, sents: list[int] | None, event_type: str | None, sub_event_type: str | None,
                 country: str | None, d: ActorDictionary) -> dict:
    conv = _conventions()
    day = _event_day(doc, sents) or _doc_day(doc)
    country = country or doc.meta.get("actors_country")
    keep = set(sents) if sents else None
    spans = doc.in_sents("actors", keep) if keep is not None else list(doc.layer("actors"))

    def resolve_all(ctry):
        out_ = []
        for span in spans:
            v = _resolve_in_event(d, doc, span, ctry, day)
            if v is None or (v.get("name") is None and v.get("kind") == "unresolved"):
                continue
            op = (conv.get("foreign_forces_as") or {}).get(ctry or "", {}).get(v.get("country") or "")
            if op and v.get("type") == "State forces" and v.get("kind") == "state":
                v = dict(v, name=op, type="External/Other forces", generic=False)   # US forces in Syria
            out_.append((span, v, _role(doc, span)))
        return out_

    found: list[tuple[Span, dict, str]] = resolve_all(country)
    if not country:
        cs = Counter(v.get("country") for _, v, _ in found if v.get("country") and not v.get("generic"))
        cs.update(v.get("country") for _, v, _ in found if v.get("country") and v.get("generic")
                  and v.get("kind") in ("state", "police"))
        country = cs.most_common(1)[0][0] if cs else None
        if country and any((sp.value or {}).get("kind") == "unresolved" for sp in spans):
            found = resolve_all(country)     # a local alias ("AFF", "coalition") read with that country
    found = _corefer_forces(d, doc, _same_unit(found))
    why: list[str] = []
    assoc_found = [x for x in found if x[2] == "assoc"]
    found = [x for x in found if x[2] != "assoc"]
    if sents is not None:
        found = _story_agents(d, doc, sents, found, event_type, country, day, why)

    def generic(kind_name: str) -> str:
        return _template(d, kind_name, country)

    et = event_type or ""
    sub = sub_event_type or ""
    out: dict = {"actor1": None, "assoc_actor_1": None, "inter1": None, "actor2": None,
                 "assoc_actor_2": None, "inter2": None, "evidence": {}, "country": country,
                 "why": why, "_assoc": assoc_found, "_found": found}

    armed = [(s, v, r) for s, v, r in found if v.get("type") in _ARMED_TYPES]
    if et != "Strategic developments":   # a government acts through its forces, except in these
        armed = [x for x in armed if x[1].get("kind") != "government"]
    # "JNIM militants attacked ... the militants fled": a generic non-state word after a named group is that group
    named = [x for x in armed if x[1].get("type") not in ("State forces",)
             and x[1].get("kind") not in ("party", "unidentified", "external")
             and not str(x[1].get("name", "")).startswith("Unidentified")]
    # ("armed men (assumed Darfur communal militia)" too), unless the named group is the one attacked
    # and the generic one says it is unknown ("unknown gunmen attacked a QSD position")
    if named:
        agent_named = any(x[2] != "patient" for x in named)
        armed = [x for x in armed if not (x[1].get("generic") and x[1].get("kind") == "unidentified" and
                                          (agent_named or not _UNKNOWN.search(x[1].get("alias") or "")))]
    agents = [x for x in armed if x[2] in ("by", "agent", "between", "claim")]
    # civilians are patients by default ("patient?"); an explicit cue ("attacked X") makes it sure
    explicit_civ = [s for s, v, r in found if v.get("type") == "Civilians" and r == "patient"]
    found = [(s, v, "patient" if r == "patient?" else r) for s, v, r in found]
    armed = [(s, v, "patient" if r == "patient?" else r) for s, v, r in armed]
    patients = [x for x in armed if x[2] == "patient"]
    civ = [x for x in found if x[1].get("kind") == "civilians" or x[1].get("type") == "Civilians"]
    assoc = []
    for s, v, r in found:
        if v.get("assoc") and v["assoc"] not in assoc and r != "patient":
            assoc.append(v["assoc"])

    def put(slot: str, item: tuple[Span, dict, str] | None, name: str | None = None, typ: str | None = None):
        n = slot[-1]
        if item is not None:
            s, v, r = item
            out[f"actor{n}"] = v["name"]
            out[f"inter{n}"] = inter_of(v, country)
            if out[f"inter{n}"] == "External/Other forces" and v.get("type") == "State forces" \
                    and not v.get("generic") and not v.get("role_why") and not _mentions(d, doc.text, country) \
                    and not any(w.get("country") == country and not w.get("generic") for _, w, _ in found):
                # a named state actor ("the Houthis", "the Taliban") in a text that never names the
                # event's country: that country is the doubtful part, not the actor's home
                out[f"inter{n}"] = "State forces"
            out["evidence"][f"actor{n}"] = s
            out["evidence"][f"inter{n}"] = s
            said = s.value.get("role_why") or {"by": "the agent of a passive verb", "agent": "acts in its clause",
                                               "between": "one side of 'between X and Y'",
                                               "patient": "acted on in its clause"}.get(r, r)
            why.append(f"actor{n}: {v['name']} ('{s.text}', {said})")
        elif name:
            out[f"actor{n}"], out[f"inter{n}"] = name, typ

    def unidentified() -> str:
        by_country = conv.get("unidentified_default", {})
        tpl = by_country.get(country or "", "Unidentified Armed Group ({country})")
        cues = conv.get("gang_cues")
        if country not in by_country and cues and _gang_context(cues, _event_text(doc, sents)):
            tpl = "Unidentified Gang ({country})"
        return tpl.replace("{country}", country) if country else tpl.replace(" ({country})", "")

    ordered = _claimant_first(_order(agents, patients), why)
    if et == "Protests":
        put("1", None, generic("Protesters ({country})"), "Protesters")
        prot = [x for x in found if x[1].get("type") == "Protesters"]
        if prot:
            out["evidence"]["actor1"] = prot[0][0]
        if assoc:
            out["assoc_actor_1"] = "; ".join(assoc[:3])
        if _COUNTER.search(_event_text(doc, sents)):
            out["actor2"], out["inter2"] = generic("Protesters ({country})"), "Protesters"
        if sub in ("Protest with intervention", "Excessive force against protesters"):
            st = [x for x in ordered if x[1].get("type") in ("State forces", "External/Other forces")]
            st.sort(key=lambda x: x[1].get("kind") != "police")     # crowd control is police work first
            put("2", st[0] if st else None, generic("Police Forces of {country}"), "State forces")
            if st and _VAGUE_FORCES.match(st[0][1].get("alias") or "") and st[0][1].get("generic"):
                out["actor2"] = generic("Police Forces of {country}")   # crowd control is police work
                why.append(f"actor2 then: {out['actor2']} ('{st[0][0].text}' at a demonstration: crowd control "
                           f"is police work)")
        return out
    if et == "Riots":
        put("1", None, generic("Rioters ({country})"), "Rioters")
        if assoc:
            out["assoc_actor_1"] = "; ".join(assoc[:3])
        st = [x for x in ordered if x[1].get("type") in _ARMED_TYPES and x[1].get("kind") != "party"]
        hit = [x for x in st if x[2] == "patient"]
        if sub == "Mob violence":
            st = hit
        if st:
            put("2", st[0])
        elif _TWO_SIDES_STRONG.search(_event_text(doc, sents)) or (
                _TWO_SIDES.search(_event_text(doc, sents)) and not explicit_civ):
            out["actor2"], out["inter2"] = generic("Rioters ({country})"), "Rioters"
        elif sub == "Mob violence" or civ:
            put("2", civ[0] if civ and civ[0][1].get("type") == "Civilians" else None,
                generic("Civilians ({country})"), "Civilians")
            if out["actor2"] is None:
                out["actor2"], out["inter2"] = generic("Civilians ({country})"), "Civilians"
        return out
    if et == "Violence against civilians":
        perp = [x for x in ordered if x[2] != "patient" and not _aftermath(doc, x[0])] or \
               [x for x in ordered if not _aftermath(doc, x[0])]
        put("1", perp[0] if perp else None, unidentified(), "Political militia")
        if perp and perp[0][1].get("kind") == "unidentified" and perp[0][1].get("generic") \
                and perp[0][1]["name"].startswith("Unidentified Armed Group"):
            out["actor1"] = unidentified()
            if out["actor1"] != perp[0][1]["name"]:
                why.append(f"actor1 then: {out['actor1']} (the name ACLED gives an unidentified perpetrator here)")
        out["actor2"], out["inter2"] = generic("Civilians ({country})"), "Civilians"
        if civ:
            out["evidence"]["actor2"] = civ[0][0]
        return out
    if et == "Battles":
        text = _event_text(doc, sents)
        if _RIVALS.search(text):    # "two rival groups clashed ... police arrived and found": not a side
            ordered = [x for x in ordered if not _aftermath(doc, x[0])]
        else:   # "Police officials confirmed ... gunmen killed two policemen": the police's side is where it is hit
            ordered = [x for x in ordered if not (_aftermath(doc, x[0]) and any(
                y is not x and y[1]["name"] == x[1]["name"] and not _aftermath(doc, y[0]) for y in ordered))]
        first = ordered[0] if ordered else None
        rest = [x for x in ordered[1:] if x[1]["name"] != (first[1]["name"] if first else None)]
        rest.sort(key=lambda x: _same_side(first, x, country))     # the other side, not an ally
        rest = _target_first(first, rest)
        same = [x for x in ordered[1:] if first and x[1]["name"] == first[1]["name"]]
        if first and rest and _swap_sides(doc, sents, first, rest[0], country, conv):
            first, rest = rest[0], [first] + rest[1:]
        put("1", first, unidentified(), "Political militia")
        if rest:
            put("2", rest[0])
        elif same or (first and (first[2] == "between" or _TWO_SIDES.search(_event_text(doc, sents))
                                 and re.search(r"internal|infighting|each other|one another|among themselves|rival|"
                                               r"two groups|two factions", _event_text(doc, sents), re.I))):
            put("2", (same or [first])[0])
        elif first is None and _RIVALS.search(text):
            out["actor2"], out["inter2"] = out["actor1"], out["inter1"]
        elif first and inter_of(first[1], country) == "State forces":
            out["actor2"], out["inter2"] = unidentified(), "Political militia"
        else:
            out["actor2"], out["inter2"] = generic("Military Forces of {country}"), "State forces"
        return out
    if et == "Explosions/Remote violence":
        attackers = [x for x in ordered if x[2] != "patient"]
        first = attackers[0] if attackers else None
        if first is None and ordered and ordered[0][1].get("type") in ("State forces", "External/Other forces"):
            out["actor1"], out["inter1"] = unidentified(), "Political militia"
        elif first is None:
            if sub in ("Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"):
                out["actor1"], out["inter1"] = generic("Military Forces of {country}"), "State forces"
            else:
                out["actor1"], out["inter1"] = unidentified(), "Political militia"
        else:
            put("1", first)
        targets = [x for x in ordered if x is not first and x[1]["name"] != out["actor1"]]
        if civ and _hurt(doc, sents):   # "killed four pupils in ... the stronghold of the rebels": the pupils
            targets = [x for x in targets if not _WEAK_TARGET.search(doc.text[max(0, x[0].start - 50):x[0].start])]
            # "a legislator was one of 48 people killed ... members of the security forces were among those
            # killed": the blast hit people; the forces among them are associated with the target
            among = [x for x in targets if _AMONG_DEAD.match(doc.text[x[0].end:x[0].end + 60])]
            targets = [x for x in targets if x not in among]
            for x in among:
                have = out["assoc_actor_2"]
                if x[1]["name"] not in (have or "").split("; "):
                    out["assoc_actor_2"] = f"{have}; {x[1]['name']}" if have else x[1]["name"]
                    why.append(f"assoc_actor_2: {x[1]['name']} ('{x[0].text}' among the dead)")
        targets = _not_bystanders(targets, bool(civ) or _hurt(doc, sents), why)
        targets.sort(key=lambda x: _same_side(first, x, country))
        targets = _target_first(first, targets)
        if targets:
            put("2", targets[0])
        elif civ:
            out["actor2"], out["inter2"] = generic("Civilians ({country})"), "Civilians"
            out["evidence"]["actor2"] = civ[0][0]
        elif _hurt(doc, sents):     # "injuring a 12-year-old", "wounded two road workers": people, not fighters
            out["actor2"], out["inter2"] = generic("Civilians ({country})"), "Civilians"
        return out
    # Strategic developments and anything else: the acting party, then its object
    if sub == "Other" and civ and _DISPLACED.search(_event_text(doc, sents)):
        out["actor1"], out["inter1"] = generic("Civilians ({country})"), "Civilians"
        out["evidence"]["actor1"] = civ[0][0]
        return out
    first = ordered[0] if ordered else None
    if sub == "Arrests":
        st = [x for x in ordered if x[1].get("type") == "State forces"] or \
            [x for x in ordered if x[2] != "patient" and x[1].get("kind") not in ("party", "government")
             and x[1].get("type") in _ARMED_TYPES]     # "QSD forces detained three men"
        first = st[0] if st else None
        put("1", first, generic("Police Forces of {country}"), "State forces")
    elif sub == "Disrupted weapons use" and first is not None and first[1].get("type") not in ("State forces",
                                                                                              "External/Other forces"):
        # weapons seized or defused: the forces that did it act, the group whose weapons they were
        # is acted on ("34 guns belonging to the NPA were seized ..., the army said")
        forces = [x for x in ordered if x[1].get("type") in ("State forces", "External/Other forces")
                  and x[1].get("kind") != "government"] or _seizing_forces(d, doc, armed, country, day)
        if forces:
            first = forces[0]
            why.append(f"actor1: {first[1]['name']} (weapons seized or defused: the forces named act)")
        put("1", first)
    elif sub == "Looting/property destruction" and first is not None and first[2] == "patient" \
            and _hit_in_clause(doc, first[0]):
        # "Molotov cocktails were thrown at the military enlistment office": the army's property is hit;
        # who did it is unknown
        out["actor1"], out["inter1"] = unidentified(), "Political militia"
        why.append(f"actor1: {out['actor1']} (no one named acting; '{first[0].text}' is what was hit)")
        put("2", first)
        return out
    elif first is not None:
        put("1", first)
    elif civ and sub in ("Looting/property destruction", "Other"):
        out["actor1"], out["inter1"] = unidentified(), "Political militia"
    others = [x for x in ordered if x is not first and x[1]["name"] != out["actor1"]]
    if sub in ("Non-violent transfer of territory", "Disrupted weapons use", "Headquarters or base established",
               "Agreement"):
        rest = others
    else:   # arrested party members are civilians; a group only when it is the one arrested, looted...
        rest = [x for x in others if x[1].get("kind") != "party" and x[1].get("kind") != "government" and (
            x[2] == "by" or _ARRESTED.search(doc.text[max(0, x[0].start - 60):x[0].start])
            or (sub == "Looting/property destruction" and x[2] == "patient" and _hit_in_clause(doc, x[0])))
            and not _ACCUSED.search(doc.text[max(0, x[0].start - 50):x[0].start])
            and not _same_side(first, x, country)]
    if rest:
        put("2", rest[0])
    elif sub == "Non-violent transfer of territory" and out["inter1"] not in (None, "State forces"):
        out["actor2"], out["inter2"] = generic("Military Forces of {country}"), "State forces"
    elif civ or sub in ("Arrests", "Looting/property destruction"):
        out["actor2"], out["inter2"] = generic("Civilians ({country})"), "Civilians"
        if civ:
            out["evidence"]["actor2"] = civ[0][0]
    return out


def _seizing_forces(d: ActorDictionary, doc: Document, armed: list, country: str | None, day: str | None) -> list:
    """Who seized a group's weapons when no clause of the incident says: the forces that tell it
    ("the seizure of the NPA's guns ..., a military official said"), else the first forces the
    report names ("soldiers combed the area after residents tipped them off")."""
    def forces(items):
        return [x for x in items if x[1].get("type") in ("State forces", "External/Other forces")
                and x[1].get("kind") not in ("government", "party")]
    told = forces(armed)
    if told:
        return told
    report = []
    for span in doc.layer("actors"):
        v = _resolve_in_event(d, doc, span, country, day)
        if v is not None and v.get("name"):
            report.append((span, dict(v, role_why="names the forces elsewhere in the report"), "other"))
    return forces(report)[:1]


_AFTER_RESPONSE = re.compile(r"^\W*(?:\w+\s+){0,4}?(?:arrested|detained|apprehended|investigat\w*|said|say|says|"
                             r"confirmed|described|stated|told|added|announced|sealed\s+off|cordoned|registered|"
                             r"rushed|reached|shifted|"
                             r"launched|opened|responded|arrived|found|recovered|rescued|are\s+investigating|"
                             r"suspect\w*|believe\w*|reported|intervened|dispersed|"
                             r"took\s+(?:\w+\s+){0,3}?into\s+custody|"
                             r"nabbed|caught|traced|tracked\s+down)\b", re.I)
_BEFORE_RESPONSE = re.compile(r"\b(?:arrested|detained|apprehended|investigated|rescued|found|recovered)\s+by\s+"
                              r"(?:the\s+)?$|\baccording\s+to\s+(?:the\s+)?$|"
                              # "gunned down on Sunday, a day after state police cut his security": another act
                              r"\b(?:a|one|two|three|several|\d+)\s+(?:hours?|days?|weeks?)\s+(?:after|before)\s+"
                              r"(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)


_VIOLENT_ACT = re.compile(r"\b(?:beat|beaten|beating|shot|shoot|killed|tortured|attacked|abducted|raped|stabbed|"
                          r"assaulted|whipped|flogged|opened\s+fire|fired|executed|burned|burnt|looted|raided)\b", re.I)


_THEN_VIOLENT = re.compile(r"^\s*(?:,\s*|and\s+|then\s+|later\s+)+(?:\w+\s+)?(?:beat|beaten|shot|killed|tortured|"
                           r"attacked|abducted|raped|stabbed|assaulted|whipped|flogged|opened\s+fire|fired|executed|"
                           r"burned|burnt|looted|raided)\b", re.I)


def _aftermath(doc: Document, span: Span) -> bool:
    """State forces that arrest, investigate or report after an attack are not its perpetrator."""
    if span.value.get("type") != "State forces":
        return False
    m = _AFTER_RESPONSE.search(doc.text[span.end:span.end + 60])
    if m and (_VIOLENT_ACT.search(doc.text[span.end:span.end + m.end() + 6]) or   # "opened fire"
              _THEN_VIOLENT.match(doc.text[span.end + m.end():span.end + m.end() + 40])):
        m = None          # "soldiers beat and arrested a man", "police detained and tortured a blogger"
    return bool(m or _BEFORE_RESPONSE.search(doc.text[max(0, span.start - 40):span.start]))


_UNKNOWN = re.compile(r"\b(?:unknown|unidentified|unnamed|unspecified)\b", re.I)
_INITIATED = re.compile(r"\b(?:initiated|attacked|ambushed|opened\s+fire|launched|raided|stormed|assaulted|"
                        r"fired\s+(?:at|on|upon)|targeted|attempted|tried)\b", re.I)
_SYMMETRIC_WITH = re.compile(r"\b(?:exchanged\s+(?:heavy\s+)?fire|clash(?:ed|es)?|fought|engaged\s+in\s+(?:a\s+)?"
                             r"(?:gun\s*fight|firefight|shoot-?out)|shoot-?out|gunfight|firefight)\s+with\s+", re.I)


def _state_of(v: dict, country: str | None) -> str | None:
    """The state an actor belongs to (its country for state forces), else None."""
    return v.get("country") if v.get("type") == "State forces" and v.get("country") else None


def _same_side(first, x, country) -> int:
    """1 when ``x`` is the same state's forces as ``first`` (the army and the police of one country fight
    on one side: "army and police exchanged fire with TTP militants"), else 0; used as a sort key."""
    if first is None:
        return 0
    a, b = _state_of(first[1], country), _state_of(x[1], country)
    # two named state actors of one country can be rivals (the Houthis' and the government's forces)
    return int(a is not None and a == b and bool(first[1].get("generic") or x[1].get("generic")))


def _swap_sides(doc: Document, sents, first, second, country, conv: dict) -> bool:
    """Whether ACLED lists the second side first when the text names both sides symmetrically.

    "clashes between Ukrainian and Russian forces": a foreign state's forces fighting a state's
    own forces are listed first; where the conventions list the country under ``battle_state_first``
    (Brazil: "a trafficker exchanged fire with military police"), the state's forces come first unless
    the other side plainly started it."""
    text = _event_text(doc, sents)
    i1, i2 = inter_of(first[1], country), inter_of(second[1], country)
    if first[2] == "between" or second[2] == "between" or _SYMMETRIC_WITH.search(text):
        a, b = sorted((first[0], second[0]), key=lambda sp: sp.start)
        pair = re.search(r"\bbetween\s+(?:the\s+)?$", doc.text[max(0, a.start - 30):a.start]) and \
            re.fullmatch(r"\s*(?:\w+\s+){0,2}?(?:and|&)\s+(?:the\s+)?", doc.text[a.end:b.start])
        if i1 == "State forces" and i2 == "External/Other forces" and pair:
            return True
        if country in conv.get("battle_state_first", ()) and i2 == "State forces" and i1 != "State forces" \
                and _SYMMETRIC_WITH.search(text) and not _INITIATED.search(text):
            return True
    return False


_RIVALS = re.compile(r"\b(?:rival|two\s+(?:armed\s+|criminal\s+|rival\s+)?(?:groups|gangs|factions|cartels)|"
                     r"one\s+another|each\s+other|among\s+themselves|infighting|"
                     r"between\s+(?:unknown|unidentified)\s+(?:shooters|gunmen|armed))\b", re.I)


def _target_first(first, rest):
    """The side the first actor acts on comes before a second actor that acts alongside it:
    "the KNLA and the KRF attacked a police station" -> KNLA vs police, not KNLA vs KRF."""
    if not first or not rest or first[2] == "patient" or rest[0][2] == "patient":
        return rest
    hit = [x for x in rest if x[2] == "patient" and not _same_side(first, x, None)]
    if not hit:
        return rest
    return [hit[0]] + [x for x in rest if x is not hit[0]]


# "detained three men accused of belonging to IS": the men arrested are civilians, not the group
_ACCUSED = re.compile(r"\b(?:accus\w*|suspected|suspicion|charged|allegations?|charges)\s+(?:\w+\s+){0,2}?(?:of|with)\s+"
                      r"(?:\w+\s+){0,3}?(?:belonging|being|links?|ties|affiliation|collaborat\w*|membership|"
                      r"supporting|working|dealing)\b[^.]*$", re.I)


#: (text, dictionary, {country: answer, None: the text's folded tokens and where each occurs})
#: of the last text _mentions read: it is asked once per event, always of the whole document, so
#: the document is read once, not once per event
_MENTIONS_SEEN: tuple[str, object, dict] | None = None


def _mentions(d: ActorDictionary, text: str, country: str | None) -> bool:
    """Whether ``text`` names ``country`` or uses one of its demonyms ("Iraqi", "DRC")."""
    global _MENTIONS_SEEN
    if not country:
        return False
    seen = _MENTIONS_SEEN
    if seen is None or seen[0] is not text or seen[1] is not d:
        seen = _MENTIONS_SEEN = (text, d, {})
    answers = seen[2]
    if country not in answers:
        if None not in answers:
            answers[None] = _token_positions(text)
        answers[country] = _names_country(d, *answers[None], country)
    return answers[country]


def _token_positions(text: str) -> tuple[tuple[str, ...], dict[str, list[int]]]:
    """The folded tokens of ``text``, and where each token occurs."""
    toks = tuple(fold(t) for _, _, t in tokens(text))
    where: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        where.setdefault(t, []).append(i)
    return toks, where


def _names_country(d: ActorDictionary, toks: tuple[str, ...], where: dict[str, list[int]], country: str) -> bool:
    """Whether the folded tokens ``toks`` hold one of the keys of ``country``."""
    for k in _country_keys(d).get(country, ()):
        L = len(k)
        if any(toks[i:i + L] == k for i in where.get(k[0], ())):
            return True
    return False


def _country_keys(d: ActorDictionary) -> dict:
    got = getattr(d, "_country_keys", None)
    if got is None:
        got = {}
        for k, c in d.demonyms.items():
            got.setdefault(c, set()).add(k)
        for c in list(got):
            got[c].add(key_of(c))
        d._country_keys = got
    return got


_VICTIM_WAS = re.compile(r"\b(?:victims?|who|he|she|man|woman|deceased|target)\b[^.]{0,30}\b(?:was|is|were|had\s+been|"
                         r"being|as)\s+(?:\w+\s+){0,6}$", re.I)


def _gang_context(cues: str, text: str) -> bool:
    """A gang cue that tells of the attackers, not of the victim ("the victim was a drug dealer")."""
    for m in re.finditer(cues, text, re.I):
        if m.group(0).lower().startswith("drive") or not _VICTIM_WAS.search(text[max(0, m.start() - 60):m.start()]):
            return True
    return False


def _hurt(doc: Document, sents) -> bool:
    """Whether the event's sentences tell of people killed or injured (the numbers layer)."""
    return any((sp.value or {}).get("kind") in ("killed", "injured") and ((sp.value or {}).get("count") or 0) > 0
               and not (sp.value or {}).get("negated")
               for sp in (doc.in_sents("numbers", sents) if sents else doc.layer("numbers")))


def _same_unit(found):
    """A plain "police" told after "military police" in the same event is that unit."""
    units = [(s, v) for s, v, _ in found if v.get("type") == "State forces" and not v.get("generic")
             and v.get("kind") == "police" and v.get("country")]
    if not units:
        return found
    out = []
    for s, v, r in found:
        if v.get("generic") and v.get("kind") == "police" and v.get("type") == "State forces":
            near = [(s2, v2) for s2, v2 in units if v2.get("country") == v.get("country") and s2.start != s.start]
            if near:
                before = [u for u in near if u[0].start < s.start]
                u = (before[-1] if before else near[0])[1]
                v = dict(v, name=u["name"], generic=False)
        out.append((s, v, r))
    return out


def _event_text(doc: Document, sents: list[int] | None) -> str:
    if not sents or not doc.sentences:
        return doc.text
    return " ".join(doc.sentences[i].text for i in sents if 0 <= i < len(doc.sentences))


def _unnamed(v: dict) -> bool:
    """"a cartel", "gunmen": a claim or blame that names no group."""
    return v.get("kind") == "unidentified" or str(v.get("name") or "").startswith(("Unidentified", "Sole Perpetrator"))


def _not_bystanders(targets: list, people_hurt: bool, why: list[str]) -> list:
    """The targets of a bombing or shelling that people were hurt in: a force told only acting in
    its own clauses ("police examined the site", "police described it as a gas blast") is no
    target when none is told hit; the people hurt are (ACLED's Civilians)."""
    if not people_hurt or any(x[2] == "patient" for x in targets):
        return targets
    kept = [x for x in targets if x[2] not in ("agent", "by", "claim")]
    if len(kept) < len(targets):
        why.append("actor2: no force told hit; the forces named only act (investigate, speak) in their clauses")
    return kept


def _claimant_first(ordered: list, why: list[str]) -> list:
    """The group that claimed the attack leads, unless another named non-state group is told acting
    ("ADF elements attacked ... IS claimed the event": ACLED keeps the ADF)."""
    claim = [x for x in ordered if x[2] == "claim" and x[1].get("type") != "State forces" and not _unnamed(x[1])]
    if not claim:
        return ordered
    names = {x[1]["name"] for x in claim}
    rival = [x for x in ordered if x[2] in ("agent", "by") and x[1]["name"] not in names
             and x[1].get("type") in _ARMED_TYPES and x[1].get("type") != "State forces" and not x[1].get("generic")]
    if rival:
        return ordered
    why.append(f"{claim[0][1]['name']} leads: it claimed the attack")
    return claim[:1] + [x for x in ordered if x is not claim[0]]


def _order(agents, patients):
    """Agents before patients; within each, named actors before generic ones, then text order."""
    def key(x):
        return x[0].start
    seen, out = set(), []
    for x in sorted(agents, key=key) + sorted(patients, key=key):
        k = (x[1]["name"], x[2])
        if k in seen:
            continue
        seen.add(k)
        out.append(x)
    return out


def _template(d: ActorDictionary, name: str, country: str | None) -> str:
    """A generic actor's name in ``country``, using the generated state names ("the Philippines")."""
    if name.startswith(("Military Forces of", "Police Forces of")) and country:
        base = name.replace("{country}", country)
        alt = name.replace("{country}", "the " + country)
        return alt if alt in d.by_name else base
    if not country:
        return name.replace(" of {country}", "").replace(" ({country})", "")
    return name.replace("{country}", country)


@stage("actors", requires=("sentences", "entities"), assigns=("actors",))
def make_actors(config):
    """Actor mentions from the editable dictionary (names, aliases, ACLED types)."""
    user = config.get("actors", "dictionary", "") or ""
    if user and not Path(user).exists():
        raise ActorFileError(Errors.E060.format(path=user))
    d = load_dictionary(str(user))
    proc = ActorStage(d)

    def run(doc: Document) -> Document:
        doc.meta["actors_dictionary"] = str(user)
        return proc(doc)

    return run
