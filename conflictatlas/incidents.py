"""incidents: which sentences of a news article tell which incident, and which tell none.

A news article reports one incident, sometimes a few, and tells it over many sentences: the
headline, the lede, the body, a quote, a follow-up statement, the arrests that came after. Around
it sit background history, analysis, quotes about other matters and page furniture (teaser links,
"Most Read" blocks). The events stage finds the sentences that name an event (each a
:class:`Mention`); this module decides, for the whole document, which of them are

- **not incidents**: title lines (headlines, subheads, teaser links, cut-off captions) and teaser
  blocks. A title line only tells an event when nothing in the body does (a bare headline page);
- **history**: dated well before the story's own time ("On March 20, for instance, ..."; "In
  October, authorities rounded up ..."), an aggregate ("have killed 40 since February"), or the
  undated sentence that goes on telling such history. History is kept apart as background;
- **incidents**: the rest, folded. A mention with no date and no place of its own ("The attackers
  also burned shops", "Police detained six people", "Al-Shabab has said it carried out the
  attack") belongs to the incident it is told with. A mention with its own date or place starts a
  new incident only when they differ from every incident told so far (another day, a town more
  than 50 km away), or when the text says it was a separate incident.

Each decision is recorded: ``Group.why`` lists why each sentence joined its incident, and
:func:`set_aside` says why a mention was not taken as an incident. The incident is typed from its
main clause (its first mention that is not a side act), not from an aside.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import asin, cos, radians, sin, sqrt

from . import eventtypes
from .document import Document, Span
from .prefilter import Folded

#: a dated sentence this many days before the story's own date is history
HISTORY_DAYS = 14
#: undated sentences after a history sentence, in its paragraph, that go on telling it (at most)
HISTORY_CARRY = 2
#: a title line (no closing punctuation, its own line) has at most this many words
TITLE_WORDS = 40
#: two precise places farther apart than this (km) are two incidents; regions get REGION_KM
TOWN_KM = 50.0
REGION_KM = 200.0
#: a one-sentence item of a teaser block ("One woman is dead after a crash in Leon County.") is short
TEASER_WORDS = 20

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
#: strategic developments that are acts within an incident (arrests after a clash, a search
#: operation, weapons seized, shops burned during a raid), not incidents of their own
SIDE_ACTS = {"Arrests", "Looting/property destruction", "Disrupted weapons use", "Change to group/activity",
             "Other"}


@dataclass
class Mention:
    sent: int
    guess: eventtypes.TypeGuess
    date: str | None = None
    precision: int | None = None
    date_span: Span | None = None
    place: Span | None = None
    background: bool = False
    title: bool = False
    why: str | None = None


@dataclass
class Group:
    mentions: list[Mention] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)
    absorbed: list[int] = field(default_factory=list)
    #: sentences whose place can be trusted (in the story's country), where the place is read
    place_sents: list[int] = field(default_factory=list)
    #: sentences of the mentions that have a date or a trusted place of their own
    anchored: set[int] = field(default_factory=set)
    #: sentences that give a toll over a period (kept for the date, not for the toll)
    aggregate: set[int] = field(default_factory=set)
    #: dated sentences that name no event but go on telling this incident ("The troops
    #: intervened on Wednesday evening"): its date when none of its mentions gives one
    date_sents: list[int] = field(default_factory=list)
    #: undated sentences right after its mentions that name no event but tell its dead ("Salam
    #: died on the spot."): read with its toll
    toll_sents: list[int] = field(default_factory=list)

    @property
    def sents(self) -> list[int]:
        return sorted({m.sent for m in self.mentions})

    @property
    def lead(self) -> Mention:
        """The incident's main clause, where its type is read (not from an aside): its first
        mention with a date or place of its own that is not a side act (an arrest, a search),
        else its first anchored mention, else its first mention."""
        ordered = sorted(self.mentions, key=lambda m: m.sent)
        if not self.anchored:
            return ordered[0]
        anchored = [m for m in ordered if m.sent in self.anchored]
        main = [m for m in anchored if not side_act(m.guess)]
        return (main or anchored)[0]


def side_act(g: eventtypes.TypeGuess) -> bool:
    return g.event_type == "Strategic developments" and g.sub_event_type in SIDE_ACTS


# -- page structure: title lines and teaser blocks ----------------------------------------------
_CLOSED = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")", ",", ";")
_TEASER_MARK = re.compile(
    r"^\s*(?:most (?:read|popular|viewed|shared)|"
    r"related(?: (?:articles?|stories|news|posts?|content|coverage|reading))?|"
    r"read (?:more|also|next)|also read|more (?:from|on|stories|news|in)\b[^.]{0,30}|see also|recommended(?: for you)?|"
    r"you (?:may|might) (?:also )?(?:like|be interested in)|trending(?: now| stories)?|latest (?:news|stories)|"
    r"top stories|popular (?:now|stories)|on the topic|watch(?: the video| live)?|read|editor'?s picks?)"
    r"\s*(?P<colon>[:|\u2013\u2014-])?", re.I)


def _line_of(doc: Document, s: Span) -> tuple[int, int]:
    """The line (between newlines) the sentence starts on."""
    a = doc.text.rfind("\n", 0, s.start) + 1
    b = doc.text.find("\n", s.start)
    return a, (len(doc.text) if b < 0 else b)


def title_line(doc: Document, i: int) -> bool:
    """A headline, subhead, teaser link or caption title: the sentence is a whole line of its own,
    short, and does not close with a full stop ("Bandits kill nine in Isiolo raid")."""
    s = doc.sentences[i]
    a, b = _line_of(doc, s)
    if doc.text[a:s.start].strip() or doc.text[s.end:b].strip():
        return False
    text = s.text.rstrip()
    return not text.endswith(_CLOSED) and len(text.split()) <= TITLE_WORDS


def _paragraph_breaks(doc: Document) -> list[bool]:
    """For each sentence: does a blank line (or, for title lines, a line break) come before it?"""
    sents = doc.sentences
    out = [True]
    for k in range(1, len(sents)):
        out.append("\n" in doc.text[sents[k - 1].end:sents[k].start])
    return out


def teaser_sentences(doc: Document) -> dict[int, str]:
    """Sentences of teaser blocks: a line "Read: Four held over Lamu raid" is a teaser; a bare
    marker line ("Most Read", "Related", "TRENDING") opens a block of one-line items that lasts
    until a paragraph of two sentences or more."""
    sents = doc.sentences
    out: dict[int, str] = {}
    breaks = _paragraph_breaks(doc)
    k = 0
    while k < len(sents):
        s = sents[k]
        a, b = _line_of(doc, s)
        line = doc.text[a:b].strip()
        m = _TEASER_MARK.match(line) if breaks[k] else None
        if m and m.group("colon") and len(line) > m.end():
            for j in range(k, len(sents)):
                if sents[j].start >= b:
                    break
                out[j] = f"a teaser line ('{line[:40]}')"
            k += 1
            continue
        if m and m.end() >= len(line.rstrip(" :")) and len(line.split()) <= 5:
            j = k + 1
            while j < len(sents):
                ja, jb = _line_of(doc, sents[j])
                in_line = [x for x in range(j, len(sents)) if sents[x].start < jb]
                if not all(title_line(doc, x) or len(sents[x].text.split()) <= TEASER_WORDS for x in in_line) \
                        or (len(in_line) > 1 and not all(title_line(doc, x) for x in in_line)):
                    break            # prose: the body goes on
                for x in in_line:
                    out[x] = f"in the teaser block after '{line[:30]}'"
                j = in_line[-1] + 1
            k = j
            continue
        k += 1
    return out


# -- history ------------------------------------------------------------------------------------
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
#: words that tell an earlier event told for context ("On March 20, for instance, ...")
_HISTORY_CUE = re.compile(
    r"\b(?:earlier|previous(?:ly)?(?! (?:day|night|evening|morning|afternoon))|last (?:year|month|week|" + _MONTHS[3:-1] + r"|spring|summer|autumn|fall|winter)|"
    r"for (?:instance|example)|similar|in the past|ago|since|first (?:announced|imposed|declared|reported)|"
    r"the same (?:town|village|city|area|place|district|site|camp|community))\b", re.I)
#: words that set an event told with a date apart from the story's, even the day before: "The
#: previous major attack ... took place on Sunday"
_OTHER_EVENT_CUE = re.compile(r"\b(?:(?:the |a )?(?:previous|prior|last|earlier) (?:major |deadly |big )?"
                              r"(?:attack|raid|assault|massacre|bombing|blast|clash|incident)|"
                              r"for (?:instance|example)|similar|in the past)\b", re.I)
#: most sentences have neither cue: asked first of their lower-cased text
_HISTORY_CUE_FOLDED = Folded(_HISTORY_CUE)
_OTHER_EVENT_CUE_FOLDED = Folded(_OTHER_EVENT_CUE)
#: a toll or a run of events over a period, not one incident
_AGGREGATE = re.compile(
    r"\b(?:since (?:the (?:start|beginning|outbreak)|" + _MONTHS +
    r"|january 1|the (?:coup|war|invasion|conflict|uprising))|"
    r"in recent (?:days|weeks|months|years)|so far this (?:year|month)|this year alone|"
    r"over the past (?:few )?(?:weeks|months|years))\b", re.I)
_AGGREGATE_FOLDED = Folded(_AGGREGATE)


def _day(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def own_dates(doc: Document, i: int) -> list[Span]:
    """The dates of sentence ``i`` that date what happened, not when it was told."""
    return doc.memo("own_dates", lambda: _own_dates_by_sentence(doc), "dates").get(i, [])


def _own_dates_by_sentence(doc: Document) -> dict[int, list[Span]]:
    by_sent: dict[int, list[Span]] = {}
    for d in doc.layer("dates"):
        if not statement_date(doc, d):
            by_sent.setdefault(d.sent, []).append(d)
    return by_sent


_STATEMENT_AFTER = re.compile(r"\s*(?:statement|announcement|press (?:conference|release|briefing)|"
                              r"news conference|briefing|report|communiqu[eé]|post|interview)\b", re.I)


_STATEMENT_BEFORE = re.compile(r"\b(?:statement|announcement|conference|briefing|report|communiqu[eé]|"
                               r"interview|post)\s+(?:issued\s+|released\s+|published\s+)?(?:on|dated|of)\s*$", re.I)


def statement_date(doc: Document, span: Span) -> bool:
    """True for the date of a statement ("His Thursday statement put the toll at 100"; "in a
    statement on Saturday"; "the army said on Monday"): when the news was told, not when the
    incident happened."""
    from .stages import dates as dates_stage
    if dates_stage.reporting_date(doc, span) or _STATEMENT_BEFORE.search(doc.text[max(0, span.start - 40):span.start]):
        return True
    after = span.end + (2 if doc.text[span.end:span.end + 2] in ("'s", "’s") else 0)
    return bool(_STATEMENT_AFTER.match(doc.text, after))


def story_date(doc: Document, mentions: list[Mention]) -> date | None:
    """The story's own time: the latest day told in the body (from its first event mention on:
    "The troops intervened on Wednesday, March 16"), never after the publication date and never
    the day of a statement; else the publication (anchor) date."""
    anchor = _day(doc.meta.get("anchor_date"))
    body = [m.sent for m in mentions if not m.title]
    if not body:
        return anchor
    days = []
    for i in range(min(body), len(doc.sentences)):
        for d in own_dates(doc, i):
            v = d.value
            if v.get("background") or (v.get("precision") or 1) > 2 or not v.get("date"):
                continue
            day = _day(v.get("end") or v["date"])
            if day is not None and (anchor is None or day <= anchor + timedelta(days=1)):
                days.append(day)
    return max(days) if days else anchor


def _dated_history(doc: Document, i: int, d0: date | None) -> str | None:
    """Why the dates of sentence ``i`` place it in the past, or None."""
    own = [d for d in own_dates(doc, i) if d.value.get("date")]
    if not own:
        return None
    if all(d.value.get("background") for d in own):
        return f"dated as history ('{own[0].text}')"
    if d0 is None:
        return None
    live = [d for d in own if not d.value.get("background")]
    ends = [_day(d.value.get("end") or d.value["date"]) for d in live]
    text = doc.sentences[i].text
    base = doc.sentences[i].start
    # "last month" is the date itself, not a word about it; "earlier this month" still says 'before'
    cue = next((c for c in (_HISTORY_CUE.finditer(text) if _HISTORY_CUE_FOLDED.found(text) else ())
                if not c.group(0).lower().startswith("last ")
                or not any(d.start < base + c.end() and base + c.start() < d.end for d in own)), None)
    if cue and live and all(d.value.get("unit") in ("month", "year") for d in live):
        # "The group came into being earlier this month": a month that holds the story's day,
        # told as what came before
        return f"'{live[0].text}' told as what came before the story ('{cue.group(0)}')"
    other = _OTHER_EVENT_CUE.search(text) if _OTHER_EVENT_CUE_FOLDED.found(text) else None
    if other and ends and all(e is not None and e < d0 for e in ends):
        return f"'{live[0].text}' is before the story's own day ({d0.isoformat()}) and told as another " \
               f"event ('{other.group(0)}')"
    if any(e is not None and e >= d0 - timedelta(days=1) for e in ends):
        return None
    latest = max((e for e in ends if e is not None), default=None)
    if latest is None:
        return None
    first = live[0]
    if first.value.get("unit") in ("month", "year"):
        return f"'{first.text}' is a month before the story's own day ({d0.isoformat()})"
    if latest < d0 - timedelta(days=HISTORY_DAYS):
        return f"'{first.text}' is more than {HISTORY_DAYS} days before the story's own day ({d0.isoformat()})"
    if cue:
        return f"'{first.text}' is before the story's own day ({d0.isoformat()}) and told as history ('{cue.group(0)}')"
    return None


#: a story published before ("As KHARKIV Today reported earlier, ...")
_TOLD_BEFORE = re.compile(r"\bas [^,.]{0,60}?(?:reported|wrote|said) (?:earlier|previously|before)|"
                          r"\b(?:previously|earlier) reported\b", re.I)
_TOLD_BEFORE_FOLDED = Folded(_TOLD_BEFORE)


def _live_date(doc: Document, i: int, d0: date | None) -> bool:
    """Does sentence ``i`` carry a date of the story's own time (within a day of it)?"""
    if d0 is None:
        return False
    for d in own_dates(doc, i):
        end = _day(d.value.get("end") or d.value.get("date"))
        if not d.value.get("background") and end is not None and end >= d0 - timedelta(days=1):
            return True
    return False


def history_sentences(doc: Document, d0: date | None) -> tuple[dict[int, str], set[int]]:
    """(sentences that tell history, each with the reason; sentences that give an aggregate over
    a period but also name the story's incident by its date: "Friday's shooting brings to 15 the
    number killed in recent weeks"). The undated sentences right after a history sentence, in the
    same paragraph (HISTORY_CARRY at most), go on telling it."""
    out: dict[int, str] = {}
    aggregate: set[int] = set()
    depth: dict[int, int] = {}          # sentences since the dated history sentence told
    breaks = _paragraph_breaks(doc)
    for i, s in enumerate(doc.sentences):
        why = _dated_history(doc, i, d0)
        if why is None:
            told = _TOLD_BEFORE.search(s.text) if _TOLD_BEFORE_FOLDED.found(s.text) else None
            if told:
                why = f"retells an earlier report ('{told.group(0)}')"
        if why is None:
            agg = _AGGREGATE.search(s.text) if _AGGREGATE_FOLDED.found(s.text) else None
            if agg and _live_date(doc, i, d0):
                aggregate.add(i)
            elif agg:
                why = f"an aggregate over a period ('{agg.group(0)}'), not one incident"
        if why is None and i > 0 and depth.get(i - 1, HISTORY_CARRY) < HISTORY_CARRY and not breaks[i] \
                and not own_dates(doc, i):
            why = f"goes on telling the history of sentence {i - 1}"
            depth[i] = depth[i - 1] + 1
        elif why:
            depth[i] = 0
        if why:
            out[i] = why
    return out, aggregate


# -- folding mentions into incidents ------------------------------------------------------------
#: the text says it is another incident ("in a separate incident", "meanwhile"); "said separately"
#: is another statement, not another incident
_SEPARATE = re.compile(r"\b(?:separate (?:incident|attack|raid|clash|shooting|blast|explosion)s?|"
                       r"in another (?:incident|attack)|another incident|meanwhile|elsewhere)\b", re.I)


def _km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = map(radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = sin((la2 - la1) / 2) ** 2 + cos(la1) * cos(la2) * sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * asin(min(1.0, sqrt(h)))


def story_countries(doc: Document) -> set[str]:
    """The countries the story is set in: the one most places of the document lie in, and any
    other named by at least two different place names and a third as often. A country reached by one word only
    ("Ramadan" placed in Ukraine, twice; a gangster "based in Canada") is no setting of the story."""
    count: Counter = Counter()
    names: dict[str, set[str]] = {}
    for p in doc.layer("places"):
        c = p.value.get("country")
        if c:
            count[c] += 1
            names.setdefault(c, set()).add((p.value.get("name") or p.text).lower())
    if not count:
        return set()
    top = count.most_common(1)[0][1]
    return {k for k, n in count.items() if n == top or (len(names[k]) >= 2 and 3 * n >= top)}


def _place(m: Mention, countries: set[str]) -> dict | None:
    """The mention's own place when it can be trusted: in one of the story's countries, and more
    than a country (a country named in a sentence is mostly its topic: "support for Ukraine")."""
    if m.place is None or m.place.value.get("kind") == "country":
        return None
    v = m.place.value
    if countries and v.get("country") and v["country"] not in countries:
        return None
    return v


#: "the attack", "the blast", "Friday's raid": an event named again, told before
_BACK_REFERENCE = re.compile(r"(?:\b(?:the|this|that|these|those|its|their)|['’]s)\s+(?:\w+\s+){0,2}$", re.I)
#: nouns that name an event ("the attack"), as opposed to verbs that tell one ("the squatters stoned")
_EVENT_NOUN = re.compile(
    r"(?:attack|blast|explosion|bombing|raid|killing|shooting|assault|ambush|clash|fighting|violence|"
    r"incident|protest|demonstration|rally|march|curfew|operation|massacre|abduction|kidnapping|arrest|"
    r"unrest|riot|strike|airstrike|air strike|shelling|deployment|operation|offensive|fire)(?:e?s)?\b", re.I)
#: a claim of responsibility, a condemnation, an inquiry: words about an incident told already
_ABOUT_IT = re.compile(r"\b(?:claim(?:ed|s)? (?:responsibility|the (?:attack|bombing|killing)s?)|"
                       r"(?:said|says) it (?:was behind|carried out)|behind the (?:attack|bombing|blast|killing)|"
                       r"condemn(?:ed|s)? the|investigat\w+|no (?:group|one) has (?:said|claimed))", re.I)


_QUOTE_OPEN = re.compile(r"[\u201c\"]")


def in_quote(doc: Document, m: Mention) -> bool:
    """Is the word that typed the mention inside a quotation ("We heard gunshots everywhere," a
    witness said)? A quote colours the incident it is told with; it opens no incident."""
    if m.guess.trigger is None:
        return False
    text = doc.sentences[m.sent].text
    before = text[:m.guess.trigger[0]]
    if "\u201c" in text or "\u201d" in text:
        return before.count("\u201c") > before.count("\u201d")
    return before.count('"') % 2 == 1


def refers_back(doc: Document, m: Mention) -> str | None:
    """Why the mention names an incident told before rather than a new one, or None: a claim of
    responsibility or a condemnation, or a trigger told as a definite reference ("the attack")."""
    text = doc.sentences[m.sent].text
    about = _ABOUT_IT.search(text)
    if about:
        return f"words about an incident told already ('{about.group(0)}')"
    if m.guess.trigger is not None and _EVENT_NOUN.match(text, m.guess.trigger[0]):
        before = text[max(0, m.guess.trigger[0] - 40):m.guess.trigger[0]]
        if _BACK_REFERENCE.search(before):
            return f"'{text[m.guess.trigger[0]:m.guess.trigger[1]]}' named as an event told before"
    return None


def places_agree(a: dict | None, b: dict | None) -> bool:
    """Unknown places agree; two precise towns agree within TOWN_KM, anything coarser within
    REGION_KM; with no coordinates, places agree when the countries do; two different names
    that the gazetteer does not know are two places."""
    if a is None or b is None:
        return True
    if a.get("placed_at") and b.get("placed_at"):
        # two names the gazetteer does not know, both put at their province's point: the point
        # says nothing; two different names are two places ("Bobo-Sunkia", "Widhu Majembeni")
        na, nb = (a.get("name") or "").lower(), (b.get("name") or "").lower()
        if na and nb and na not in nb and nb not in na:
            return False
    if "country" in (a.get("kind"), b.get("kind")):
        return not (a.get("country") and b.get("country") and a["country"] != b["country"])
    if a.get("kind") == "admin1" and b.get("admin1") == a.get("admin1") or \
            b.get("kind") == "admin1" and a.get("admin1") == b.get("admin1"):
        return True
    if a.get("lat") is None or b.get("lat") is None:
        return not (a.get("country") and b.get("country") and a["country"] != b["country"])
    precise = a.get("geo_precision") == 1 and b.get("geo_precision") == 1 \
        and not a.get("relative") and not b.get("relative")
    return _km(a, b) <= (TOWN_KM if precise else REGION_KM)


def _interval(m: Mention) -> tuple[date, date] | None:
    """The days the mention's own date covers ("over the weekend": Saturday to Sunday)."""
    d = _day(m.date)
    if d is None:
        return None
    v = m.date_span.value if m.date_span is not None else {}
    first, last = _day(v.get("date")), _day(v.get("end"))
    if first is None or last is None or not first <= d <= last:
        return d, d
    return first, last


def dates_agree(a: Mention, b: Mention) -> bool:
    """Unknown dates agree; known ones when the days they cover come within a day of each other
    ("over the weekend" and "on Monday" agree, "on Tuesday" does not)."""
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return True
    gap = max((ib[0] - ia[1]).days, (ia[0] - ib[1]).days, 0)
    return gap <= 1


def types_agree(m: eventtypes.TypeGuess, lead: eventtypes.TypeGuess) -> bool:
    """One incident can hold these two types without sharing a date or a place: the same type;
    two kinds of violence; a demonstration and the riot it turned into; a side act (arrests, a
    search) within a violent event or a demonstration."""
    if m.event_type == lead.event_type:
        return True
    if m.event_type in VIOLENT and lead.event_type in VIOLENT:
        return True
    if {m.event_type, lead.event_type} == {"Protests", "Riots"}:
        return True
    return side_act(m) and lead.event_type in VIOLENT | {"Protests"}


@dataclass
class _Incident:
    group: Group
    countries: set[str]
    #: the distinct dates and trusted places its mentions give (each checked once)
    days: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    #: its main clause so far (``Group.lead``, kept as mentions come in text order)
    lead: Mention | None = None

    def add(self, m: Mention, anchored: bool) -> None:
        cur = self.lead
        if cur is None or anchored and (cur.sent not in self.group.anchored
                                        or side_act(cur.guess) and not side_act(m.guess)):
            self.lead = m
        if _interval(m) is not None:
            self.days.setdefault(_interval(m), m)
        p = _place(m, self.countries)
        if p is not None:
            self.places.setdefault((p.get("name"), p.get("lat"), p.get("lon"), p.get("kind")), p)

    def agrees(self, m: Mention) -> tuple[bool, bool]:
        """(no anchor disagrees, some anchor is shared) between ``m`` and this incident."""
        pm = _place(m, self.countries)
        if m.date is not None and not all(dates_agree(m, o) for o in self.days.values()):
            return False, False
        if pm is not None and not all(places_agree(pm, p) for p in self.places.values()):
            return False, False
        shared = (m.date is not None and bool(self.days)) or (pm is not None and bool(self.places))
        return True, shared


def _back_host(inc: _Incident, m: Mention, place: dict) -> bool:
    """Can a definite reference that names its own place ("the raid on the Widhu area") be to
    this incident: every place it gives fits, and its type can be the incident's."""
    return all(places_agree(place, p) for p in inc.places.values()) and types_agree(m.guess, inc.lead.guess)


def _host_for_aside(incidents: list[_Incident], m: Mention, prev: dict[int, _Incident],
                    breaks: list[bool]) -> _Incident:
    """The incident an anchorless mention belongs to: the one told just before it in the same
    paragraph; else the first incident of the same event type; else the story's main (first)
    incident."""
    j = m.sent
    while j > 0 and not breaks[j]:
        j -= 1
        if j in prev:
            return prev[j]
    same = [inc for inc in incidents if inc.lead.guess.event_type == m.guess.event_type]
    return (same or incidents)[0]


def _host_for_anchored(incidents: list[_Incident], m: Mention) -> tuple[_Incident | None, bool]:
    """The incident whose date and place agree with the mention's own, and that shares one of
    them or can hold its type; an incident of the same type first. (incident or None, shared)"""
    best, best_key = None, None
    for k, inc in enumerate(incidents):
        ok, shared = inc.agrees(m)
        lead = inc.lead.guess
        if not ok or not (shared or types_agree(m.guess, lead)):
            continue
        if m.guess.event_type in VIOLENT and lead.event_type == "Strategic developments":
            continue        # an act of violence is no part of a curfew or an agreement told that day
        key = (m.guess.event_type == lead.event_type, types_agree(m.guess, lead), shared, -k)
        if best_key is None or key > best_key:
            best, best_key = inc, key
    return best, bool(best_key and best_key[2])


_SPECIFIC = {"populated": 0, "feature": 0, "admin3": 1, "admin2": 1, "admin1": 2, "country": 3}


def incident_place_sents(group: Group, countries: set[str]) -> list[int]:
    """Where to read the incident's place: the sentence of its most specific trusted place (a
    town over its district over its province), the main clause first among equals."""
    lead = group.lead
    placed = [m for m in group.mentions if _place(m, countries) is not None]
    if not placed:
        return []
    best = min(placed, key=lambda m: (_specificity(m.place.value), m.place.value.get("geo_precision") or 3,
                                      m is not lead, m.sent))
    return [best.sent]


def _specificity(v: dict) -> int:
    """How specific a place is, 0 for a town: a wide feature ("the Negev Desert", a mountain range,
    precision 3) is no more specific than a province, a reference point ("west of Idlib") than a
    district."""
    if v.get("kind") == "feature" and v.get("geo_precision") == 3:
        return _SPECIFIC["admin1"]
    if v.get("reference"):
        return max(1, _SPECIFIC.get(v.get("kind"), 1))      # "west of Idlib": an area beside the town
    return _SPECIFIC.get(v.get("kind"), 1)


def _why_new(incidents: list[_Incident], m: Mention, sep: re.Match | None) -> str:
    """Why a mention opens an incident of its own, after others."""
    if not incidents:
        return ""
    if sep is not None:
        return f" (told as separate: '{sep.group(0)}')"
    if any(inc.agrees(m)[0] for inc in incidents):
        return f" (its own date or place, and another kind of event: {m.guess.event_type})"
    return " (another date or place)"


#: an incident takes no new mention after this many sentences without one: a news report is far
#: shorter, and in a long compilation it keeps folding linear in the text
OPEN_WINDOW = 100


def _still_open(incidents: list[_Incident], sent: int) -> list[_Incident]:
    """The incidents told within :data:`OPEN_WINDOW` sentences before sentence ``sent``."""
    return [inc for inc in incidents if sent - inc.group.mentions[-1].sent <= OPEN_WINDOW]


def fold(doc: Document, mentions: list[Mention]) -> list[Group]:
    """Fold the body's mentions (text order) into incidents; see the module's docstring."""
    countries = story_countries(doc)
    breaks = _paragraph_breaks(doc)
    incidents: list[_Incident] = []
    where: dict[int, _Incident] = {}
    open_, pruned_at = incidents, 0
    for m in sorted(mentions, key=lambda x: x.sent):
        if m.sent - pruned_at >= OPEN_WINDOW // 4:
            open_, pruned_at = _still_open(open_, m.sent), m.sent
        anchored = m.date is not None or _place(m, countries) is not None
        text = doc.sentences[m.sent].text
        sep = _SEPARATE.search(text)
        back = refers_back(doc, m) if open_ else None
        if back is None and open_ and in_quote(doc, m):
            back = "told in a quote"
        host, why = None, None
        if open_ and sep is None:
            pm = _place(m, countries)
            named_here = pm is not None and not (back or "").startswith(("words about", "told in a quote"))
            if back and (m.date is None or any(dates_agree(m, o) for inc in open_ for o in inc.days.values())) \
                    and (not named_here or any(_back_host(inc, m, pm) for inc in open_)):
                host = _host_for_aside(open_, m, where, breaks)
                if named_here and not _back_host(host, m, pm):
                    # "the raid on <another village>": the incident it names is one whose place fits
                    host = next(inc for inc in open_ if _back_host(inc, m, pm))
                why = f"sentence {m.sent}: {back}"
                anchored = False
            elif not anchored:
                host = _host_for_aside(open_, m, where, breaks)
                why = f"sentence {m.sent}: no date or place of its own, part of the incident it is told with"
            else:
                host, shared = _host_for_anchored(open_, m)
                why = f"sentence {m.sent}: same day or place as the incident" if shared else \
                    f"sentence {m.sent}: fits the incident's date and place ({m.guess.event_type})"
        if host is None:
            g = Group([m])
            g.why.append(f"sentence {m.sent}: opens an incident{_why_new(open_, m, sep)}")
            host = _Incident(g, countries)
            incidents.append(host)
            if open_ is not incidents:
                open_.append(host)
        else:
            host.group.mentions.append(m)
            host.group.why.append(why)
        host.add(m, anchored)
        if anchored:
            host.group.anchored.add(m.sent)
        where[m.sent] = host
    for inc in incidents:
        inc.group.place_sents = incident_place_sents(inc.group, countries)
    return [inc.group for inc in incidents]


def group_history(mentions: list[Mention]) -> list[Group]:
    """History told in several sentences: greedy, a mention joins the first group whose type,
    dates and places agree (each distinct date and place of a group checked once)."""
    groups: list[tuple[Group, dict]] = []
    open_, pruned_at = groups, 0
    for m in sorted(mentions, key=lambda x: x.sent):
        if m.sent - pruned_at >= OPEN_WINDOW // 4:
            open_ = [(g, seen) for g, seen in open_ if m.sent - g.mentions[-1].sent <= OPEN_WINDOW]
            pruned_at = m.sent
        pm = m.place.value if m.place else None
        key = (m.guess.event_type, m.guess.sub_event_type, _interval(m), pm and pm.get("name"))
        for g, seen in open_:
            if all(types_agree(m.guess, o.guess) and dates_agree(m, o) and places_agree(
                    pm, o.place.value if o.place else None) for o in seen.values()):
                g.mentions.append(m)
                g.why.append(f"sentence {m.sent}: the same past event")
                seen.setdefault(key, m)
                break
        else:
            groups.append((Group([m], [f"sentence {m.sent}: history ({m.why})"]), {key: m}))
            if open_ is not groups:
                open_.append(groups[-1])
    return [g for g, _ in groups]


def incidents(doc: Document, mentions: list[Mention]) -> tuple[list[Group], list[Group]]:
    """(incidents, history groups) of an article; mentions set aside go to ``doc.meta``."""
    teasers = teaser_sentences(doc)
    aside: list[dict] = []
    body: list[Mention] = []
    titles: list[Mention] = []
    for m in mentions:
        if m.sent in teasers:
            aside.append({"sentence": doc.sentences[m.sent].text, "why": teasers[m.sent]})
        elif title_line(doc, m.sent):
            m.title = True
            titles.append(m)
        else:
            body.append(m)
    d0 = story_date(doc, body)
    hist, aggregate = history_sentences(doc, d0)
    live, past = [], []
    for m in body:
        if m.background or m.sent in hist:
            m.background = True
            m.why = hist.get(m.sent) or "dated as history"
            past.append(m)
        else:
            live.append(m)
    if not live and titles:
        # a page whose body tells no incident: its headline does
        head = titles[0]
        head.why = "only the headline tells the incident"
        live = [head]
        titles = titles[1:]
    for m in titles:
        aside.append({"sentence": doc.sentences[m.sent].text, "why": "a title line (headline, subhead or teaser)"})
    if aside:
        doc.meta.setdefault("not_incidents", []).extend(aside)
    if d0 is not None:
        doc.meta["story_date"] = d0.isoformat()
    groups = fold(doc, live) if live else []
    for g in groups:
        g.aggregate = {m.sent for m in g.mentions} & aggregate
    _dated_followers(doc, groups, {m.sent for m in mentions} | set(hist) | set(teasers))
    _toll_followers(doc, groups, {m.sent for m in mentions} | set(hist) | set(teasers))
    groups = set_aside_summaries(doc, groups)
    return groups, group_history(past)


def _dated_followers(doc: Document, groups: list[Group], skip: set[int]) -> None:
    """For each incident, the dated sentences after its first one and before the next incident
    that name no event, are no history and date no statement."""
    starts = sorted(min(g.sents) for g in groups)
    for g in groups:
        first = min(g.sents)
        nxt = next((x for x in starts if x > first), len(doc.sentences))
        g.date_sents = [i for i in range(first + 1, nxt) if i not in skip
                        and any(not d.value.get("background") for d in own_dates(doc, i))]


#: how far after one of its mentions a sentence that names no event may still tell its dead
TOLL_FOLLOW = 3


def _toll_followers(doc: Document, groups: list[Group], skip: set[int]) -> None:
    """For each incident, the undated sentences that name no event, follow one of its mentions
    within TOLL_FOLLOW sentences (before the next incident) and tell deaths ("Salam died on the
    spot.", "He was dead on arrival."): the incident's toll is read over them too."""
    starts = sorted(min(g.sents) for g in groups)
    for g in groups:
        first = min(g.sents)
        nxt = next((x for x in starts if x > first), len(doc.sentences))
        own = set(g.sents)
        g.toll_sents = [i for i in range(first + 1, nxt) if i not in skip
                        and any(j in own for j in range(i - TOLL_FOLLOW, i))
                        and not own_dates(doc, i) and _tells_deaths(doc, i)]


def _tells_deaths(doc: Document, i: int) -> bool:
    return any(s.value.get("kind") == "killed" and not s.value.get("context") and not s.value.get("negated")
               and not s.value.get("vague") for s in doc.in_sents("numbers", [i]))


def set_aside_summaries(doc: Document, groups: list[Group]) -> list[Group]:
    """An undated incident told above incidents of its type that are told with their dates: above
    two or more it is a summary of them ("two more recruitment offices have been set alight"
    above the two dated accounts) and is set aside, with the reason, in
    ``doc.meta["not_incidents"]``; above one it is that incident's lede, folded into it."""
    dated = [g for g in groups if any(m.date for m in g.mentions)]
    first_dated = min((min(m.sent for m in g.mentions if m.date) for g in dated), default=-1)
    is_dated = {id(g) for g in dated}
    # id(dated group) -> its lead's type, read once (and again once a lede folds into it): reading
    # every dated group's lead for every group grows with the square of a report's size
    kinds: dict[int, tuple] = {}

    def kind(h: Group) -> tuple:
        k = kinds.get(id(h))
        if k is None:
            k = kinds[id(h)] = (h.lead.guess.event_type, h.lead.guess.sub_event_type)
        return k

    out = []
    for g in groups:
        if id(g) in is_dated:       # (an undated group is never changed below, a dated one stays dated)
            out.append(g)
            continue
        lead = g.lead.guess
        told = [h for h in dated if kind(h) == (lead.event_type, lead.sub_event_type)]
        if not told or min(g.sents) >= first_dated:
            out.append(g)
        elif len(told) == 1:
            _fold_lede(g, told[0])
            kinds.pop(id(told[0]), None)
        else:
            doc.meta.setdefault("not_incidents", []).append(
                {"sentence": doc.sentences[g.lead.sent].text,
                 "why": "an undated summary of incidents told below with their dates"})
    return out


def _fold_lede(lede: Group, into: Group) -> None:
    """An undated lede joins the one incident of its type told below with its date."""
    into.mentions.extend(lede.mentions)
    into.why.extend(lede.why)
    into.why.append(f"sentences {', '.join(map(str, lede.sents))}: the undated lede of this incident")
    into.place_sents = into.place_sents or lede.place_sents
    into.aggregate |= lede.aggregate
    into.date_sents = sorted(set(into.date_sents) | set(lede.date_sents))
    into.toll_sents = sorted(set(into.toll_sents) | set(lede.toll_sents))


__all__ = ["Mention", "Group", "incidents", "fold", "title_line", "teaser_sentences", "history_sentences",
           "story_date", "story_countries", "statement_date", "own_dates", "side_act", "types_agree",
           "places_agree", "dates_agree"]
