"""roles: who did what to whom, read from the clause, and who acted alongside whom.

Helpers the actors stage (:func:`conflictatlas.stages.actors.pick_actors`) calls when it picks an
event's actor1 and actor2. Each returns its reason with its answer, and the reason goes into the
event's ``extra["actor_why"]``.

* :func:`clause_role` reads the words around one actor mention: "X claimed responsibility",
  "at the hands of X", "carried out by X", "blamed on X" make X the one who acted.
* :func:`claimants` finds, anywhere in a report, the group that claimed an attack or was named as
  its author ("Al-Shabaab said it carried out the attacks", "a bombing claimed by the BLA"): the
  claimant is actor1 of the attack, whatever the sentence that tells the attack says.
* :func:`country_agents` reads a country named as the one who acts ("a missile launched by
  Russia", "Israel struck ...") as that state's military forces.
* :func:`lead_agents` gives the armed actor that acts in the headline or the first sentences, for
  an event whose own sentences name no one who acted ("an airstrike hit the hospital").
* :func:`assoc_of` reads support and company: "backed by X", "alongside X", "supported by X",
  "with the help of X" make X an associated actor of the side it qualifies.
* :func:`agency_mention` tells a news agency ("(AFP)", "told AFP") from an armed force that shares
  its initials (the Armed Forces of the Philippines).

It is rule-based, so the default install needs no parser model (spaCy's small English model is an
extra); the patterns below cover the clause shapes that decided the roles in the development
articles.
"""
from __future__ import annotations

import re

from .. import eventtypes
from ..document import Document, Span
from ..prefilter import Folded, lower_for_literals

#: determiners and modifiers between a cue and the actor ("claimed by the little-known ...")
_DET = r"(?:(?:the|a|an|some|suspected|presumed|alleged|unidentified|unknown|armed|its|their|" \
       r"(?-i:[A-Z][\w'-]*))\s+)*"

# "X claimed responsibility", "X has since said it carried out the attacks", "X were suspected"
_CLAIM_AFTER = re.compile(
    r"^[\s,]*(?:(?:\w+\s+){0,3}?(?:group|militants?|fighters|rebels|insurgents)\s+)?(?:,[^,]{0,60},\s*)?"
    r"(?:(?:that|which|who)\s+)?(?:has|have|had|later|since|quickly|swiftly|reportedly|also|subsequently|\s)*"
    r"(?:claimed\s+(?!that\b|to\s+have\s+(?:killed|destroyed|shot))|took\s+responsibility|"
    r"accepted\s+responsibility|admitted\s+(?:responsibility|carrying|to\s+carrying)|"
    r"said\s+(?:(?:on|in|via|through)\s+[^,.;]{0,40}?\s+)?(?:that\s+)?(?:it|they)\s+(?:was|were|had)?\s*"
    r"(?:responsible|carried\s+out|behind|conducted|staged)|"
    r"(?:was|were|is|are)\s+(?:suspected|blamed|believed\s+to\s+(?:be|have\s+been)\s+behind|"
    r"responsible\s+for))", re.I)
# "claimed by X", "blamed on X", "at the hands of X", "carried out by X", "launched by X"
_CLAIM_BEFORE = re.compile(
    r"\b(?:claimed\s+by|blamed\s+on|attributed\s+to|responsibility\s+(?:was\s+)?claimed\s+by|"
    r"(?:blames|blamed|blaming|accused|accuses|accusing))\s+" + _DET + r"$", re.I)
# "the suspect is thought to belong to the TLP", "gunmen believed to be members of the BLA" (the attacker's
# group; "five men believed to belong to a cartel were killed" tells of victims)
_BELONG_BEFORE = re.compile(
    r"(?:thought|believed|said|suspected|alleged|reported|known)\s+to\s+(?:belong\s+to|be\s+(?:a\s+)?members?\s+of|"
    r"be\s+(?:from|affiliated\s+with|linked\s+to|loyal\s+to)|have\s+(?:links|ties)\s+(?:to|with))\s+" + _DET + r"$",
    re.I)
# "there was no immediate claim of responsibility from IS", "denied it was behind"
_NO_CLAIM = re.compile(r"\b(?:no\s+(?:immediate\s+)?claim|not\s+(?:yet\s+)?(?:been\s+)?claimed|denied|deny|denies|"
                       r"did\s+not\s+claim|has\s+not\s+claimed|nobody|no\s+one|no\s+(?:\w+\s+)?group)\b", re.I)

# "five men believed to belong to a cartel were killed": the group of the victims, not of the attackers
_VICTIM_AFTER = re.compile(r"^[^.;]{0,60}?\b(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?(?:killed|shot|found|"
                           r"murdered|abducted|kidnapped|wounded|injured|executed|arrested|detained)\b", re.I)
_VICTIM_BEFORE = re.compile(r"\b(?:victims?|dead|deceased|bodies|body|killed|slain)\b[^.;]{0,40}$", re.I)

# a sentence without one of these words carries none of the cues above
_ANY_CUE = re.compile(r"claim|responsib|blam|accus|suspect|behind|hands|\bby\b|belong|affiliat|linked|loyal|ties|"
                      r"links|members?\s+of|attributed|admitt|said\s+(?:it|they)|carried\s+out|\bto\s+be\b", re.I)
_ANY_CUE_FOLDED = Folded(_ANY_CUE)

# "M23 claimed FDLR groups were involved": a claim about others, not of the attack
_CLAIMED_CLAUSE = re.compile(r"^\s*(?:that\b|(?:[\w'-]+\s+){1,4}(?:was|were|is|are|had|have|has)\b)", re.I)

# "at the hands of X", "launched by X": the agent, even where the actors stage reads a place word
_AGENT_BEFORE = re.compile(r"\b(?:at\s+the\s+hands\s+of|launched\s+by|fired\s+by|carried\s+out\s+by|"
                           r"perpetrated\s+by|committed\s+by|conducted\s+by|staged\s+by)\s+" + _DET + r"$", re.I)

_ATTACK_VERB = r"(?:launched|fired|struck|strikes|shelled|shells|bombed|bombs|bombarded|attacked|attacks|" \
               r"hit|hits|targeted|targets|pounded|invaded|raided|killed|kills)"
# "Israel struck ...", "Russia has launched ...": the country acts (a place would take a preposition)
_COUNTRY_ACTS = r"\s+(?:has\s+|have\s+|had\s+|again\s+|also\s+|then\s+|reportedly\s+)*" + _ATTACK_VERB + r"\b"
_PLACE_PREP = re.compile(r"\b(?:in|from|of|to|into|at|on|across|near|inside|over|toward|towards|against|"
                         r"with|and|or|between|for|by\s+(?:way\s+of)?)\s+(?:the\s+)?$", re.I)

# "backed by X", "alongside X", "supported by X", "with the help of X", "X-backed"
_ASSOC_BEFORE = re.compile(r"\b(?:backed|supported|assisted|aided|accompanied|reinforced|joined)\s+by\s+" + _DET +
                           r"$|\b(?:alongside|together\s+with|in\s+coordination\s+with|in\s+cooperation\s+with|"
                           r"with\s+the\s+(?:help|support|backing|assistance)\s+of)\s+" + _DET + r"$", re.I)

_AGENCY = {"afp", "ap", "dpa", "ani", "pti", "ians", "upi", "efe", "ansa", "kyodo", "xinhua", "tass", "ria",
           "sana", "irna", "isna", "kuna", "wafa", "apa", "aa", "ina", "sputnik"}
_AGENCY_BEFORE = re.compile(r"(?:\(|\btold\s+|\bto\s+|\bvia\s+|\bfor\s+|\bby\s+|\bcontacted\s+by\s+|©\s*)$", re.I)
_AGENCY_AFTER = re.compile(r"^(?:\s*\)|\s*/|\s*-\s|\s+(?:news|photo|reporters?|correspondents?|journalists?|"
                           r"reported|reports|said|says|learned|understands|tally|count|"
                           r"that|was|has|could|on\b|in\b|video|staff))", re.I)


def agency_mention(doc: Document, span: Span) -> bool:
    """A wire agency named as the source ("(AFP) -", "told AFP", "AFP reported"), not a force."""
    if span.text.strip().lower() not in _AGENCY:
        return False
    if doc.meta.get("actors_country") == "Philippines" and span.text.strip().upper() == "AFP" \
            and re.match(r"^\s+(?:troops|soldiers|units?|forces)", doc.text[span.end:span.end + 20]):
        return False
    before = doc.text[max(0, span.start - 25):span.start]
    after = doc.text[span.end:span.end + 25]
    return bool(_AGENCY_BEFORE.search(before) or _AGENCY_AFTER.match(after))


def _sentence_memo(doc: Document, name: str) -> dict:
    """A dict of answers about the document's sentences, kept while its sentences stay the same."""
    return doc.memo(name, dict, "sentences")


def clause_role(doc: Document, span: Span) -> tuple[str, str] | None:
    """The role the clause gives one actor mention, when a strong cue tells it: ("claimant", why)
    or ("by", why); None leaves the reading to the actors stage's own patterns. Read once per
    mention (each event of the report asks again about the mentions of its sentences)."""
    seen = _sentence_memo(doc, "roles_clause")
    key = (span.start, span.end, span.sent, span.text)
    if key not in seen:
        seen[key] = _read_clause_role(doc, span)
    return seen[key]


def _claim_denied(doc: Document, s0: int, s1: int) -> bool:
    """'No group has claimed the attack': no mention of the sentence is its author (read once per
    sentence, in the document's clause memo)."""
    seen = _sentence_memo(doc, "roles_clause")
    key = ("denied", s0, s1)
    if key not in seen:
        whole = doc.text[s0:s1]
        seen[key] = bool(_NO_CLAIM.search(whole) and re.search(r"claim|responsib|behind", whole, re.I))
    return seen[key]


def _read_clause_role(doc: Document, span: Span) -> tuple[str, str] | None:
    sent = doc.sentences[span.sent] if 0 <= span.sent < len(doc.sentences) else None
    s0 = sent.start if sent else 0
    s1 = sent.end if sent else len(doc.text)
    before = doc.text[max(s0, span.start - 80):span.start]
    after = doc.text[span.end:min(s1, span.end + 150)]
    cues = _sentence_memo(doc, "roles_cues")
    if span.sent not in cues:       # most sentences carry no cue at all: read each sentence once
        cues[span.sent] = _ANY_CUE_FOLDED.found(doc.text[s0:s1])
    if not cues[span.sent] or _claim_denied(doc, s0, s1):
        return None
    m = _CLAIM_BEFORE.search(before)
    if not m and not _VICTIM_AFTER.match(after) and not _VICTIM_BEFORE.search(before):
        m = _BELONG_BEFORE.search(before)
    if m:
        cue = " ".join(m.group(0).split()[-8:])
        return "claimant", f"'{cue} {span.text}': named as the author of the attack"
    m = _AGENT_BEFORE.search(before)
    if m:
        return "by", f"'{' '.join(m.group(0).split()[:4])} {span.text}': the one who acted"
    m = _CLAIM_AFTER.match(after)
    if m and not _CLAIMED_CLAUSE.match(after[m.end():]):
        return "claimant", f"'{span.text} {' '.join(m.group(0).split())}': claimed or blamed for the attack"
    return None


def agent_before(doc: Document, span: Span) -> bool:
    """'at the hands of X', 'launched by X', 'carried out by X': X acted."""
    sent = doc.sentences[span.sent] if 0 <= span.sent < len(doc.sentences) else None
    s0 = sent.start if sent else 0
    return bool(_AGENT_BEFORE.search(doc.text[max(s0, span.start - 80):span.start]))


def claimants(doc: Document) -> list[tuple[Span, str]]:
    """Armed actors the report names as the authors of an attack, in text order, with the reason
    (read once per document: every event of the report asks)."""
    return doc.memo("roles_claimants", lambda: _claimants(doc), "actors")


def _claimants(doc: Document) -> list[tuple[Span, str]]:
    out = []
    for sp in doc.layer("actors"):
        v = sp.value or {}
        if v.get("type") in (None, "Civilians", "Protesters", "Rioters") or v.get("kind") == "government":
            continue
        got = clause_role(doc, sp)
        if got and got[0] == "claimant":
            out.append((sp, got[1]))
    return out


def _country_names(d) -> frozenset:
    got = getattr(d, "_roles_country_names", None)
    if got is None:
        got = frozenset(c for c in d.demonyms.values() if c and len(c) > 3)
        d._roles_country_names = got
    return got


def _military_name(d, country: str) -> str | None:
    for name in (f"Military Forces of {country}", f"Military Forces of the {country}"):
        if name in d.by_name:
            return name
    return None


_CAPS = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}"
# "launched by Russia": the cue, then capitalised words (the country among them)
_BY_COUNTRY = re.compile(r"(?i:\b(?:at\s+the\s+hands\s+of|launched\s+by|fired\s+by|carried\s+out\s+by|"
                         r"perpetrated\s+by|committed\s+by|conducted\s+by|staged\s+by)\s+(?:the\s+)?)"
                         r"(?P<c>" + _CAPS + r")")
# "Israel struck", "on Monday Russia launched": capitalised words, then the verb
_COUNTRY_THEN_ACTS = re.compile(r"(?<![\w'-])(?P<c>" + _CAPS + r")(?=(?i:" + _COUNTRY_ACTS + r"))")
#: the case-blind parts of the two above, to be found in the lower-cased text first (most reports
#: have neither, and a case-blind search over a whole report is slow in re)
_BY_COUNTRY_CUE = re.compile(r"\b(?:at\s+the\s+hands\s+of|launched\s+by|fired\s+by|carried\s+out\s+by|"
                             r"perpetrated\s+by|committed\s+by|conducted\s+by|staged\s+by)\s+")
_COUNTRY_ACTS_CUE = re.compile(_COUNTRY_ACTS)


def country_agents(doc: Document, d, taken: list[tuple[int, int]]) -> list[Span]:
    """Spans for a country named as the one who acts: "launched by Russia", "Israel struck".

    The country stands for its military forces (ACLED codes a state's strikes to them). The cue is
    found first and the words beside it looked up, so a report is read once, not once per country."""
    names = _country_names(d)
    out, seen = [], set()

    def add(start: int, end: int, why: str) -> None:
        country = doc.text[start:end]
        name = _military_name(d, country)
        if name is None or (start, end) in seen or any(a < end and start < b for a, b in taken):
            return
        seen.add((start, end))
        sent = doc.sentence_index(start)
        out.append(Span(start, end, "State forces",
                        {"name": name, "type": "State forces", "country": country, "generic": False,
                         "alias": country, "kind": "state", "assoc": None, "alternatives": [],
                         "modifier": None, "role_why": why}, sent, country))

    low = lower_for_literals(doc.text)
    for m in _BY_COUNTRY.finditer(doc.text) if low is None or _BY_COUNTRY_CUE.search(low) else ():
        words = m.group("c").split()
        for k in range(len(words), 0, -1):           # the longest leading name: "United States Navy"
            if " ".join(words[:k]) in names:
                start = m.start("c")
                end = start + re.match(r"\S+(?:\s+\S+){%d}" % (k - 1), m.group("c")).end()
                cue = " ".join(doc.text[m.start():m.start("c")].split())
                add(start, end, f"'{cue} {doc.text[start:end]}': the state acted")
                break
    for m in _COUNTRY_THEN_ACTS.finditer(doc.text) if low is None or _COUNTRY_ACTS_CUE.search(low) else ():
        words = m.group("c").split()
        for k in range(len(words), 0, -1):           # the longest trailing name: "On Monday Israel"
            cand = " ".join(words[-k:])
            if cand not in names:
                continue
            end = m.end("c")
            start = end - len(cand)
            if doc.text[start:end] != cand:
                break
            sent = doc.sentence_index(start)
            s0 = doc.sentences[sent].start if 0 <= sent < len(doc.sentences) else 0
            before = doc.text[max(s0, start - 60):start]
            if _PLACE_PREP.search(before) or re.search(r"'s?\s*$|\bof\s+$", before):
                break                                 # "rockets fired from Lebanon hit ..."
            verb = re.match(_COUNTRY_ACTS, doc.text[end:end + 40], re.I).group(0).split()[-1]
            add(start, end, f"'{cand} {verb}': the state acted")
            break
    return out


_OCCUPIERS = re.compile(r"\b(?:the\s+)?(?P<w>occupiers|invaders|occupying\s+forces|occupation\s+forces|"
                        r"invading\s+forces|occupation\s+troops)\b", re.I)


def bare_occupiers(doc: Document, spans: list[Span]) -> list[Span]:
    """"Russian occupiers seized the village head ... the occupiers abducted another": a bare
    "the occupiers"/"the invaders" is the state forces the report names that way (once named with
    their demonym, and only one state's forces so named)."""
    named = [sp for sp in spans if (sp.value or {}).get("type") == "State forces" and sp.value.get("country")
             and _OCCUPIERS.search(sp.text)]
    if not named or len({sp.value["country"] for sp in named}) != 1:
        return []
    taken = [(sp.start, sp.end) for sp in spans]
    out = []
    for m in _OCCUPIERS.finditer(doc.text):
        a, b = m.start("w"), m.end("w")
        if any(x < b and a < y for x, y in taken):
            continue
        ref = named[0]
        value = {k: v for k, v in ref.value.items() if k not in ("match", "role", "role_why")}
        value.update(alias=m.group("w"), generic=True,
                     refers_to=f"'{m.group('w')}' is the '{ref.text}' named in the report")
        out.append(Span(a, b, "State forces", value, doc.sentence_index(a), doc.text[a:b]))
    return out


def assoc_of(doc: Document, span: Span) -> str | None:
    """Why ``span`` is an associated actor ("backed by X"), or None."""
    sent = doc.sentences[span.sent] if 0 <= span.sent < len(doc.sentences) else None
    s0 = sent.start if sent else 0
    before = doc.text[max(s0, span.start - 70):span.start]
    low = lower_for_literals(before)        # each of its cues holds "by", "with" or "alongside"
    m = _ASSOC_BEFORE.search(before) if low is None or "by" in low or "with" in low or "alongside" in low else None
    if m:
        return f"'{' '.join(m.group(0).split()[:4])} {span.text}': acts in support"
    return None


_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


_ACTS_AFTER = re.compile(r"^\s+(?:(?:have|has|had|reportedly|allegedly|also)\s+)*(?:" + _ATTACK_VERB[3:-1] +
                         r"|stormed|shot|ambushed|abducted|kidnapped|executed|massacred)\b", re.I)


def _violent_sentence(doc: Document, i: int) -> bool:
    seen = _sentence_memo(doc, "roles_violent")
    if i not in seen:
        g = eventtypes.classify(doc.sentences[i].text)
        seen[i] = g is not None and g.event_type in _VIOLENT
    return seen[i]


def lead_sentences(doc: Document) -> list[int]:
    """The headline and the first sentences: where a news report says who did it."""
    return list(range(min(3, len(doc.sentences))))


def lead_agents(doc: Document, event_type: str | None, exclude: set[int]) -> list[tuple[Span, str]]:
    """Armed actors acting in the report's lead sentences, when those sentences tell violence
    of a kind compatible with the event's ("Russian forces struck the maternity hospital")."""
    if event_type not in _VIOLENT:
        return []
    out = []
    for i in lead_sentences(doc):
        if i in exclude:
            continue
        text = doc.sentences[i].text
        violent = _violent_sentence(doc, i)
        for sp in doc.in_sents("actors", i):
            # "Russian forces struck the maternity hospital": the lead tells who struck
            if (violent or _ACTS_AFTER.match(doc.text[sp.end:sp.end + 40])):
                out.append((sp, f"named as acting in the report's lead: '{text[:80]}'"))
    return out
