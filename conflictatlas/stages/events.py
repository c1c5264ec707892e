"""events: event mentions -> ACLED-shaped :class:`~conflictatlas.event.Event` records.

The stage finds the sentences that tell an event (``eventtypes.classify_sentences``), folds them
into the incidents the article reports (``conflictatlas.incidents``: title lines, teasers and
history set apart; asides folded into the incident they are told with), types each incident
from its main clause, and assembles its arguments from the other stages: the date (``dates.event_date``), the place
(``places.best_place``), the actors (``actors.pick_actors``) and the fatalities
(``numbers.fatalities``). Every field keeps its evidence. A short report (a wire brief or a
coder's note) tells one event and is read as a whole.

When one sentence gives a toll in parts tied to different days ("four were killed, and six on
Saturday"), ACLED codes one event per day: the group is split per day and the parts are not added
to the total twice.
"""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from .. import eventtypes
from .. import incidents as incidents_mod
from ..incidents import Group, Mention
from ..document import Document, Span
from ..event import DISORDER_TYPES, Event
from ..pipeline import stage
from ..prefilter import lower_for_literals
from . import actors as actors_stage
from . import dates as dates_stage
from . import numbers as numbers_stage
from . import places as places_stage

log = logging.getLogger("conflictatlas")

#: a one-paragraph text this short (characters) and with this few sentences tells one event
SHORT_CHARS = 900
SHORT_SENTS = 6
#: sentences whose best guess scores below this are not event mentions in a long article
MIN_SCORE = 0.35
#: a group of mentions takes no new mention this many sentences after its last one (a news
#: report has 10-60 sentences; this bounds the cost of grouping in a very long text)
GROUP_WINDOW = 200

_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}


def _headline(text: str, i: int) -> bool:
    """A title line ("Fuel protest turns chaotic in Nairobi CBD"): it sums up the story told
    below it, so it is no event mention of its own."""
    return i == 0 and not text.rstrip().endswith((".", "!", "?", '"', "”", "'")) and len(text.split()) <= 16


def _continuation(doc: Document, group: "Group") -> list[int]:
    """Sentences right after the group's main clause, in the same paragraph, that tell no other
    event: "Police fired tear gas to disperse them." goes on telling the protest before it."""
    own = set(group.sents)
    taken = group.taken - own
    out = []
    i = group.lead.sent + 1
    sents = doc.sentences
    # it stops at a paragraph break, at another event, and at a dated sentence (a new time is a
    # new story, or history: "The group overran much of Iraq in 2014")
    while i < len(sents) and i not in taken and (not doc.in_sents("dates", i) or i in own) \
            and "\n\n" not in doc.text[sents[i - 1].end:sents[i].start]:
        out.append(i)
        i += 1
    return out


def group_guess(doc: Document, group: "Group") -> eventtypes.TypeGuess:
    """The type of a demonstration read from its main clause and the sentences that go on telling
    it: its cues are often told across sentences ("residents protested ... police lobbed teargas
    at them"). Asides told further on (a quote, an arrest) do not retype it."""
    lead = group.lead.guess
    if lead.event_type not in ("Protests", "Riots"):
        # how a demonstration went (police intervened, it turned violent) is often told in the
        # next sentence; for other types a wider reading mostly picks up asides
        return lead
    sents = [group.lead.sent] + _continuation(doc, group)
    if len(sents) < 2:
        return lead
    joined = eventtypes.classify(" ".join(doc.sentences[i].text for i in sorted(sents)))
    same = joined is not None and (joined.event_type == lead.event_type
                                   or {joined.event_type, lead.event_type} <= {"Protests", "Riots"})
    if not same:
        return lead
    return eventtypes.TypeGuess(joined.event_type, joined.sub_event_type, joined.disorder_type,
                                joined.civilian_targeting, max(joined.score, lead.score), lead.trigger,
                                joined.why + " (read over the main clause and the sentences after it)")


_CROWD_EXTRA_RX = re.compile(r"\b(?:squatters|mourners|marchers|rallyists|strikers)\b")
_CLAUSE_CUT_RX = re.compile(r"[,;:]")
_THROWS_RX = re.compile(r"\b(?:stoned|stoning|stone-?pelt\w*|(?:threw|hurled|pelted|lobbed) (?:\w+ ){0,3}?"
                        r"(?:stones?|rocks?|bricks?|bottles?|molotov\w*|petrol bombs?|projectiles?|objects)|"
                        r"torched|set (?:\w+ ){0,4}?(?:ablaze|alight|on fire))")


def crowd_throws(sentence: str) -> bool:
    """The sentence tells a crowd doing a rioter's act ("the squatters stoned them", "protesters
    hurled rocks at the officers"): the clause before the act names a crowd. Forces that "set the
    tents on fire" or demonstrators "scuffling with police" do not turn a protest into a riot."""
    low = sentence.lower()
    act = _THROWS_RX.search(low)
    if act is None:
        return False
    before = _CLAUSE_CUT_RX.split(low[:act.start()])[-1]
    return bool(eventtypes._CROWD_RX.search(before) or _CROWD_EXTRA_RX.search(before))


_FORCE_ON_CROWD = ("Protest with intervention", "Excessive force against protesters")


def met_with_force(doc: Document, group: "Group", guess: eventtypes.TypeGuess) -> eventtypes.TypeGuess:
    """A peaceful protest that another sentence of the same incident shows broken up ("security
    personnel swooped on the protest camp and detained more than 600 people") is a protest with
    intervention (or with excessive force when it killed): that sentence, read with the main
    clause, types it so. Only a sentence that names the forces is read."""
    if (guess.event_type, guess.sub_event_type) != ("Protests", "Peaceful protest"):
        return guess
    lead = doc.sentences[group.lead.sent].text
    for m in sorted(group.mentions, key=lambda m: m.sent):
        text = doc.sentences[m.sent].text
        if m.sent == group.lead.sent or not eventtypes._ARMED_RX.search(text.lower()):
            continue
        joined = eventtypes.classify(lead + " " + text)
        if joined is not None and joined.event_type == "Protests" and joined.sub_event_type in _FORCE_ON_CROWD:
            return _made_specific(guess, joined, m.sent)
        cue = eventtypes._RX["intervene"].search(text.lower())
        if cue is not None and not crowd_throws(text):
            # "officers set the tents on fire and detained dozens": the forces' acts, not a riot
            by = eventtypes.TypeGuess("Protests", "Protest with intervention", guess.disorder_type, None,
                                      guess.score, guess.trigger, f"'{cue.group(0)}' by the forces -> "
                                      "Protest with intervention")
            return _made_specific(guess, by, m.sent)
    return guess


def turned_violent(doc: Document, group: "Group", guess: eventtypes.TypeGuess) -> eventtypes.TypeGuess:
    """A demonstration that another sentence of the same incident shows turning violent ("the
    squatters stoned the officers") is a riot: read with the main clause, that sentence types the
    demonstration as a violent one. Only a sentence that tells an act of violence itself is read."""
    if guess.event_type != "Protests":
        return guess
    lead = doc.sentences[group.lead.sent].text
    for m in sorted(group.mentions, key=lambda m: m.sent):
        if m.sent == group.lead.sent or m.guess.event_type not in _VIOLENT \
                or not crowd_throws(doc.sentences[m.sent].text):
            continue
        joined = eventtypes.classify(lead + " " + doc.sentences[m.sent].text)
        if joined is not None and joined.event_type == "Riots" and joined.sub_event_type == "Violent demonstration":
            return _made_specific(guess, joined, m.sent)
    return guess


_DAYS_AFTER = re.compile(r"^\W{0,3}(?P<n>a|one|two|three|four|\d)\s+days?\s+after\b|^\W{0,3}the\s+day\s+after\b",
                         re.I)


def day_before_act(doc: Document, i: int, guess: eventtypes.TypeGuess, d: str | None,
                   span: Span | None) -> str | None:
    """The day of the act a sentence tells when its date is the day of something after it:
    "on Saturday, April 23, a day after rebels bombed a restaurant" tells a bombing on the 22nd
    (the date is the photo's or the statement's). Only when the act is told after "a day after";
    "police arrested two men on Monday, a day after the attack" keeps Monday for the arrest."""
    if d is None or span is None or span.sent != i or guess.trigger is None or not doc.sentences:
        return d
    sent = doc.sentences[i]
    rest = doc.text[span.end:sent.start + guess.trigger[0]]
    m = _DAYS_AFTER.match(rest)
    if not m:
        return _previous_day(doc.text[span.end:sent.end], d)
    n = numbers_stage.parse_number(m.group("n")) if m.group("n") and m.group("n").lower() not in ("a",) else 1
    try:
        return (date.fromisoformat(d) - timedelta(days=n or 1)).isoformat()
    except ValueError:
        return d


_PREVIOUS_DAY = re.compile(r"\b(?:died|killed|dead|wounded|injured|attacked|struck|happened|took place|occurred)"
                           r"\s+(?:on\s+)?(?:the\s+(?:previous|preceding)\s+day|a\s+day\s+earlier|the\s+day\s+before)"
                           r"(?=\s*[.,;)]|\s*$)", re.I)


def _previous_day(after: str, d: str) -> str:
    """"Police on Tuesday detained four over the raid, in which six people died the previous
    day": the act told after the sentence's date was the day before it."""
    if not _PREVIOUS_DAY.search(after):
        return d
    try:
        return (date.fromisoformat(d) - timedelta(days=1)).isoformat()
    except ValueError:
        return d


def find_mentions(doc: Document) -> list[Mention]:
    """Sentences that tell an event, each with its own date and place where it has them."""
    sents = doc.sentences
    guesses = eventtypes.classify_sentences([s.text for s in sents])
    placed = places_stage.scene_sentences(doc)
    out = []
    for i, g in enumerate(guesses):
        if g is None or g.score < MIN_SCORE or not_conflict(sents[i].text) or _headline(sents[i].text, i):
            continue
        d, prec, dspan = dates_stage.event_date(doc, [i])
        d = day_before_act(doc, i, g, d, dspan)
        own_dates = incidents_mod.own_dates(doc, i)
        background = bool(own_dates) and all(s.value.get("background") for s in own_dates)
        m = Mention(i, g, d if own_dates else None, prec, dspan,
                    places_stage.best_place(doc, [i]) if i in placed else None, background)
        out.append(m)
    return out


#: strategic developments that belong to the fighting told beside them ("troops raided hideouts
#: and seized weapons"): part of that event, as ACLED codes them, not events of their own
_SIDE_ACTS = {"Disrupted weapons use", "Other"}


def absorb_side_acts(groups: list[Group]) -> list[Group]:
    """An incident that is only weapons seized (or another side act) on the day and at the place
    of a violent incident is part of it."""
    violent = [g for g in groups if g.lead.guess.event_type in _VIOLENT and not g.mentions[0].background]
    out = []
    for g in groups:
        lead = g.lead
        if lead.guess.event_type == "Strategic developments" and lead.guess.sub_event_type in _SIDE_ACTS:
            host = next((v for v in violent if all(
                incidents_mod.dates_agree(m, o) and incidents_mod.places_agree(
                    m.place.value if m.place else None, o.place.value if o.place else None)
                for m in g.mentions for o in v.mentions)), None)
            if host is not None:
                host.absorbed = host.absorbed + [m.sent for m in g.mentions]
                continue
        out.append(g)
    return out


def build_event(doc: Document, sents: list[int] | None, guess: eventtypes.TypeGuess,
                date_override: tuple[str, int, Span | None] | None = None,
                fatal_override: tuple[int, list[Span]] | None = None,
                place_sents: list[int] | None = None) -> Event:
    ev = Event(event_type=guess.event_type, sub_event_type=guess.sub_event_type,
               disorder_type=guess.disorder_type or DISORDER_TYPES.get(guess.event_type),
               civilian_targeting=guess.civilian_targeting, confidence=guess.score)
    ev.sources = [doc.id]
    ev.extra["type_why"] = guess.why
    idx = sents if sents is not None else list(range(len(doc.sentences)))
    if guess.trigger is not None and sents is not None and len(sents) == 1 and doc.sentences:
        s = doc.sentences[sents[0]]
        ev.cite("event_type", doc.evidence(Span(s.start + guess.trigger[0], s.start + guess.trigger[1],
                                               "trigger", {}, sents[0], s.text[guess.trigger[0]:guess.trigger[1]])))
    elif guess.trigger is not None and sents is None:
        a, b = guess.trigger
        ev.cite("event_type", doc.evidence(Span(a, b, "trigger", {}, doc.sentence_index(a), doc.text[a:b])))

    # date
    d, prec, dspan = date_override or dates_stage.event_date(doc, sents)
    ev.event_date, ev.time_precision = d, prec
    ev.extra["date_why"] = dates_stage.date_reason(doc, dspan, d)
    if dspan is not None and d and dspan.value.get("date") and d < dspan.value["date"] and \
            _DAYS_AFTER.match(doc.text[dspan.end:dspan.end + 40]):
        ev.extra["date_why"] += f"; the act was the day(s) before it ('{dspan.text}, a day after ...'): {d}"
    if dspan is not None:
        ev.cite("event_date", doc.evidence(dspan))

    # place
    place = places_stage.best_place(doc, place_sents) if place_sents else None
    if place is None:
        place = places_stage.best_place(doc, sents)
    if place is None and sents is not None:
        place = places_stage.best_place(doc, None)
    if place is not None and sents is not None and not is_short_report(doc):
        place = places_stage.near_town(doc, place, sorted(set(sents) | set(place_sents or ()))) or place
    if place is not None:
        v = place.value
        ev.country, ev.admin1, ev.admin2, ev.admin3 = v.get("country"), v.get("admin1"), v.get("admin2"), v.get("admin3")
        ev.location = places_stage.location_name(v.get("name"))
        ev.latitude, ev.longitude = v.get("lat"), v.get("lon")
        ev.geo_precision = v.get("geo_precision")
        for f in ("location", "latitude", "longitude", "country", "admin1"):
            ev.cite(f, doc.evidence(place))
        ev.extra["place_why"] = v.get("why")

    # actors
    picked = actors_stage.pick_actors(doc, idx, ev.event_type, ev.sub_event_type, ev.country, admin1=ev.admin1)
    for f in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2"):
        setattr(ev, f, picked.get(f))
    if picked.get("why"):
        ev.extra["actor_why"] = picked["why"]
    for f, span in (picked.get("evidence") or {}).items():
        if span is not None:
            ev.cite(f, doc.evidence(span))
    if place is None:
        ev.country, why = places_stage.country_fallback(doc)
        if ev.country is None and picked.get("country"):
            ev.country, why = picked["country"], f"no place resolved; country from the actors ({picked['country']})"
        ev.extra["place_why"] = why
        if ev.country:
            centroid = places_stage.country_centroid(ev.country)
            if centroid:
                # a country centroid only because nothing better exists: said, and precision 3
                ev.latitude, ev.longitude = centroid
                ev.location, ev.geo_precision = ev.country, 3
                ev.extra["place_why"] = why + "; point is the country centroid"

    # fatalities
    if fatal_override is not None:
        n, spans = fatal_override
        claims: list[dict] = []
    else:
        n, spans, claims = numbers_stage.fatalities(doc, sents)
    if guess.sub_event_type == "Suicide bomb" and sents is not None and not is_short_report(doc):
        n, why = with_suicide_attackers(doc, sents, n, spans)
        if why:
            ev.extra["fatalities_why"] = why
    ev.fatalities = n
    for s in spans:
        ev.cite("fatalities", doc.evidence(s))
        if s.value.get("revised"):
            ev.extra["revised"] = True          # "the toll rose to 12": merge lets it update the event
    for c in claims:
        ev.claims.append({"field": "fatalities", **c})
    ev.notes = notes_from(doc.sentences[i].text for i in idx[:3]) if doc.sentences else doc.text[:500]
    return ev


def notes_from(sentences) -> str:
    """The event's notes: its first sentences, a headline given its full stop (else it runs into
    the next sentence: "...in Diyala The Iraqi army")."""
    out = []
    for s in sentences:
        s = " ".join(s.split())
        if s and s[-1] not in ".!?\"'”’)":
            s += "."
        out.append(s)
    return " ".join(x for x in out if x)


#: a verb of death between two figures: each figure has its own clause ("four were killed, and six ...")
_OWN_PREDICATE = re.compile(r"\b(?:killed|died|dead|slain|lost their lives|perished|shot dead)\b", re.I)


def split_by_day(doc: Document, group: Group) -> tuple[int, list[tuple[str, int, Span | None, int, list[Span]]]] | None:
    """Per-day parts of one toll: (sentence, [(date, precision, date span, count, count spans)]), or None.

    Applies when a sentence of the group gives killed counts as parts ("four ... and six on
    Saturday") and a date is told for some part but not all: the dated part is its own event, the
    undated rest keeps the group's date at week precision.
    """
    numbers = [s for s in doc.in_sents("numbers", group.sents) if s.value.get("kind") == "killed"
               and not s.value.get("negated")]
    for sent in group.sents:
        parts = [s for s in numbers if s.sent == sent]
        if len(parts) < 2:
            continue
        dates = [s for s in doc.in_sents("dates", sent) if not s.value.get("background")]
        if not dates:
            continue
        if not _OWN_PREDICATE.search(doc.text[parts[0].start:parts[-1].start]):
            continue        # "Eight women and three men died late Monday": one total, not parts
        tied: dict[int, Span] = {}
        for i, p in enumerate(parts):
            nxt = parts[i + 1].start if i + 1 < len(parts) else doc.sentences[sent].end
            for d in dates:
                if p.end <= d.start < nxt and d.start - p.end <= 40:
                    tied[i] = d
        if not tied or len(tied) == len(parts):
            continue
        others = [m.sent for m in group.mentions if m.sent != sent]
        if others:
            group_date, group_prec, group_span = dates_stage.event_date(doc, others)
        else:   # nothing else dates the toll: the report's own day, at week precision
            anchor = doc.meta.get("anchor_date")
            group_date, group_span = anchor, None
        out = []
        for i, p in enumerate(parts):
            c = int(p.value.get("count") or 0)
            if i in tied:
                d = tied[i]
                out.append((d.value["date"], d.value.get("precision") or 1, d, c, [p]))
            else:
                out.append((group_date, 2, group_span, c, [p]))
        return sent, out
    return None


# words that make a short report a conflict report even when no rule could type it
_CONFLICT_CUES = re.compile(
    r"\b(?:protest\w*|demonstrat\w+|rall(?:y|ied)|march(?:ed|es)?|strike|sit-in|blocked|riot\w*|mob|clash\w*|"
    r"attack\w*|kill\w*|shot|shell\w*|projectiles?|explosions?|bomb\w*|militants?|rebels?|insurgents?|"
    r"gunmen|troops|soldiers|forces|police|army|arrest\w*|detain\w*|abduct\w*|kidnap\w*|looted|"
    r"torched|burn(?:ed|t)|stones?|seized|captured|fatalit\w+|casualt\w+|wounded|injured)\b", re.I)


# sport uses the words of violence ("beat", "attack", "shot", "clash"): a match result, or two
# words of the game in one text, mark a sports story ("fans protested" alone is still a protest)
_SCORE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\s+(?:win|victory|defeat|draw|loss|lead)\b|"
                    r"\b(?:beat|defeated|thrashed|edged|drew with|lost to)\s+[A-Z][\w .'-]{1,40}?\s+\d{1,2}\s?[-–]\s?\d{1,2}\b")
_GAME_WORDS = re.compile(r"\b(goals?|scored|striker|midfielder|goalkeeper|defender|kick-?off|half-?time|"
                         r"penalty|league leaders|the break|full-?time|hat-?trick|fixture|standings)\b", re.I)


#: every word of the game holds one of these: a text without any is not searched for them
_GAME_STEMS = ("goal", "scored", "striker", "midfielder", "kick", "half", "penalty", "league leaders",
               "the break", "full", "hat", "fixture", "standings")


def not_conflict(text: str) -> bool:
    """True for a sports story: a match result, or two words of the game."""
    if _SCORE.search(text):
        return True
    low = lower_for_literals(text)
    if low is not None and not any(w in low for w in _GAME_STEMS):
        return False
    return len({m.group(1).lower() for m in _GAME_WORDS.finditer(text)}) >= 2


_TOLL_OF = re.compile(r"\btoll\s+(?:from|in|of)\s+(?:the\s+)?(?P<what>[^,.;]{3,80}?)\s+(?:has\s+|had\s+)?"
                      r"(?:risen|rose|climbed|increased|jumped|reached|stands|stood)\b", re.I)


def toll_guess(text: str) -> eventtypes.TypeGuess | None:
    """A follow-up that only revises a toll ("the death toll from Sunday's car bombing in Kabul
    has risen to 12") is typed by the event it names."""
    m = _TOLL_OF.search(text)
    if not m:
        return None
    g = eventtypes.classify(f"The {m.group('what')} killed people.")
    if g is None:
        return None
    return eventtypes.TypeGuess(g.event_type, g.sub_event_type, g.disorder_type, g.civilian_targeting,
                                g.score * 0.9, (m.start("what"), m.end("what")),
                                f"a revised toll of an event named as '{m.group('what')}': {g.why}")


def untyped_guess(doc: Document) -> eventtypes.TypeGuess | None:
    """A short report that talks of conflict (two cue words or more) and gives a date, but that
    no rule could type: kept as a low-confidence "Strategic developments / Other" event, flagged
    ``untyped``, so its date, place and actors are not lost. Anything else gives no event."""
    cues = {m.group(0).lower() for m in _CONFLICT_CUES.finditer(doc.text)}
    if len(cues) < 2 or not doc.layer("dates"):
        return None
    return eventtypes.TypeGuess("Strategic developments", "Other", "Strategic developments", None, 0.15,
                                None, "no rule typed it; conflict words: " + ", ".join(sorted(cues)[:5]))


def salience(ev: Event) -> tuple:
    return (ev.event_type in _VIOLENT, ev.fatalities or 0, ev.confidence)


def is_short_report(doc: Document) -> bool:
    """A one-paragraph text of at most SHORT_CHARS characters and SHORT_SENTS sentences (a wire
    brief, a coder's note): it tells one event."""
    return len(doc.text) <= SHORT_CHARS and len(doc.sentences) <= SHORT_SENTS and "\n\n" not in doc.text.strip()


def extract_events(doc: Document) -> list[Event]:
    eventtypes.forget_cues()
    if not doc.sentences:
        return []
    if doc.language in eventtypes.FOREIGN_LANGUAGES:
        # the English cues read a Spanish text by chance ("protesta"); its own cue list first
        events = extract_foreign(doc)
        if events:
            return events
    return extract_short_report(doc) if is_short_report(doc) else extract_article(doc)


#: a report not in English is typed from its headline and lede: this many sentences
FOREIGN_LEDE_SENTS = 3


def extract_foreign(doc: Document) -> list[Event]:
    """A report in Spanish, French or Portuguese: one event typed from its opening with a small cue list (``eventtypes.classify_foreign``), dated
    and placed as a short report is, flagged with its language and low confidence."""
    lede_end = doc.sentences[min(len(doc.sentences), FOREIGN_LEDE_SENTS) - 1].end
    guess = eventtypes.classify_foreign(doc.text[:lede_end], doc.language)
    if guess is None or not_conflict(doc.text[:lede_end]):
        return []
    ev = build_event(doc, None, guess)
    ev.extra["language"] = doc.language
    return [ev]


def extract_short_report(doc: Document) -> list[Event]:
    """A short report tells one event, typed over the whole text and again once the actor types
    are known."""
    if not_conflict(doc.text):
        return []
    guess = eventtypes.classify(doc.text) or toll_guess(doc.text) or untyped_guess(doc)
    if guess is None:
        return []
    ev = build_event(doc, None, guess)
    # who acted on whom settles arrest vs abduction and attack vs armed clash
    again = eventtypes.classify(doc.text, actor_types=(ev.inter1, ev.inter2))
    if again is not None and (again.event_type, again.sub_event_type) != (guess.event_type, guess.sub_event_type):
        ev = build_event(doc, None, again)
        ev.extra["type_revised"] = f"{guess.sub_event_type} -> {again.sub_event_type} given actor types"
    return [ev]


def extract_article(doc: Document) -> list[Event]:
    """A longer article: its mentions folded into incidents (``conflictatlas.incidents``), one
    event per incident (or per day of a toll told in parts); history kept as background."""
    events: list[Event] = []
    mentions = find_mentions(doc)
    live, past = incidents_mod.incidents(doc, mentions)
    taken = {m.sent for m in mentions}
    groups = absorb_side_acts(live) + past
    for group in groups:
        group.taken = taken
    for group in groups:
        events.extend(incident_events(doc, group))
    events.sort(key=salience, reverse=True)
    return events


_WHERE_RX = re.compile(r",\s+where\s[^;]*$")


def dated_elsewhere(doc: Document, span: Span | None) -> bool:
    """A date told in a "where" clause is the day of what happened at that other place: "the gunmen
    came from Nasko, where three policemen were killed on Tuesday, and were heading to Bangi"
    does not date the fighting at Bangi."""
    if span is None or not (0 <= span.sent < len(doc.sentences)):
        return False
    s0 = doc.sentences[span.sent].start
    return bool(_WHERE_RX.search(doc.text[s0:span.start]))


def incident_date(doc: Document, group: Group) -> tuple[str | None, int | None, Span | None] | None:
    """The incident's date: the day its main clause gives, else the first day another of its
    mentions gives, else the first date of a sentence that goes on telling it ("The troops
    intervened on Wednesday evening"); never the day a statement was made. None: the dates
    stage's reading of all its sentences."""
    for precision in (1, 2):
        dated = [m for m in sorted(group.mentions, key=lambda m: m.sent) if m.date and m.precision == precision
                 and (m.sent == group.lead.sent or not dated_elsewhere(doc, m.date_span))]
        if dated:
            m = next((x for x in dated if x.sent == group.lead.sent), dated[0])
            return m.date, m.precision, m.date_span
    for i in group.date_sents:
        d, prec, span = dates_stage.event_date(doc, [i])
        if span is not None and span.sent == i and not incidents_mod.statement_date(doc, span):
            return d, prec, span
    d, prec, span = dates_stage.event_date(doc, group.sents)
    if span is not None and (incidents_mod.statement_date(doc, span) or span.value.get("unit") == "year"):
        # a statement's day, or a bare year ("LG polls 2022"): the report's own day, precision 2
        anchor = doc.meta.get("anchor_date")
        return (anchor, 2, None) if anchor else (None, None, None)
    return None


def incident_toll(doc: Document, group: Group) -> tuple[int, list[Span]] | None:
    """The incident's toll without the sentences that count over a period ("brings to 15 the
    number killed in recent weeks"), and with the sentences right after it that tell its dead
    and name no event ("Salam died on the spot."); None when there are neither (the usual
    reading)."""
    if not group.aggregate and not group.toll_sents:
        return None
    own = [i for i in group.sents if i not in group.aggregate]
    n, spans, _ = numbers_stage.fatalities(doc, own)
    if n == 0 and group.toll_sents:
        # its mentions count no dead: the sentences right after them may ("Salam died on the spot.")
        n, spans, _ = numbers_stage.fatalities(doc, sorted(set(own) | set(group.toll_sents)))
    elif not group.aggregate:
        return None
    return n, spans


_BOMBERS = re.compile(r"\b(?P<n>two|three|four|2|3|4)\s+(?:\w+\s+)?(?:suicide\s+)?bombers\b", re.I)
_BOMBER_COUNTED = re.compile(r"\b(?:bombers?|attackers?|assailants?)\b[^.;]{0,40}\b(?:killed|dead|died|among)\b|"
                             r"\b(?:including|among\s+them|among\s+the\s+dead)\b[^.;]{0,30}\b(?:bombers?|attackers?)\b|"
                             r"\b(?:blew|blowing)\s+(?:him|her|them)sel(?:f|ves)\s+up\b", re.I)


def with_suicide_attackers(doc: Document, sents: list[int], n: int, spans: list[Span]) -> tuple[int, str | None]:
    """ACLED counts the suicide bombers among a suicide bombing's dead; a report's toll mostly
    counts the victims only ("48 people killed", and elsewhere "a suicide bomber set off his
    explosives"). Adds the bombers (one unless the text says "two suicide bombers") when the
    report counts some dead and does not say it counted the bombers."""
    if n <= 0:
        return n, None
    text = " ".join(doc.sentences[i].text for i in sents)
    if _BOMBER_COUNTED.search(text) or any(_BOMBER_COUNTED.search(doc.sentence_text(s.sent)) for s in spans):
        return n, None
    m = _BOMBERS.search(text)
    k = numbers_stage.parse_number(m.group("n")) if m else 1
    return n + (k or 1), f"{n} killed + {k or 1} suicide bomber(s), whom ACLED counts among the dead"


#: sub-types that only say "a bomb went off", and the more specific ones another sentence may tell
_GENERIC_SUBS = {"Remote explosive/landmine/IED": ("Suicide bomb",)}


def refine_sub_type(group: Group, guess: eventtypes.TypeGuess) -> eventtypes.TypeGuess:
    """Another sentence of the same incident may make the main clause more specific, never change
    what it tells: a bombing told as "a bomb went off" and as "the bomber set off his explosives"
    is a suicide bombing; an attack told as "three people were killed" and as "gunmen killed two
    policemen" hit an armed target, which ACLED codes as an armed clash."""
    for m in sorted(group.mentions, key=lambda m: m.sent):
        g = m.guess
        if g.event_type == guess.event_type and g.sub_event_type in _GENERIC_SUBS.get(guess.sub_event_type, ()):
            return _made_specific(guess, g, m.sent)
        if guess.sub_event_type == "Attack" and g.sub_event_type == "Armed clash" \
                and "against an armed target" in g.why:
            return _made_specific(guess, g, m.sent)
    return guess


def _made_specific(guess: eventtypes.TypeGuess, by: eventtypes.TypeGuess, sent: int) -> eventtypes.TypeGuess:
    return eventtypes.TypeGuess(by.event_type, by.sub_event_type, by.disorder_type, by.civilian_targeting,
                                guess.score, guess.trigger, f"{guess.why}; made specific by sentence {sent}: {by.why}")


def typed_by_actors(doc: Document, group: Group, guess: eventtypes.TypeGuess) -> Event:
    """The incident's event; once its actor types are known, its main clause is typed again (who
    acted on whom settles attack vs armed clash, arrest vs abduction), as for a short report."""
    def build(g: eventtypes.TypeGuess) -> Event:
        return build_event(doc, group.sents, g, incident_date(doc, group), incident_toll(doc, group),
                           place_sents=group.place_sents or None)

    ev = build(guess)
    again = eventtypes.classify(doc.sentences[group.lead.sent].text, actor_types=(ev.inter1, ev.inter2))
    plain = eventtypes.classify(doc.sentences[group.lead.sent].text)
    if again is not None and "; actors " in again.why and guess.sub_event_type != again.sub_event_type \
            and plain is not None and plain.event_type == guess.event_type:
        revised = build(again)
        revised.extra["type_revised"] = f"{guess.sub_event_type} -> {again.sub_event_type} given actor types"
        return revised
    return ev


def incident_events(doc: Document, group: Group) -> list[Event]:
    """The event(s) of one incident: typed from its main clause; split per day when its toll is
    told in parts on different days; history marked as background."""
    lead = group.lead
    lead = Mention(lead.sent, refine_sub_type(group, met_with_force(doc, group, turned_violent(
                       doc, group, group_guess(doc, group)))),
                   lead.date, lead.precision,
                   lead.date_span, lead.place, lead.background)
    if group.mentions[0].background:
        ev = build_event(doc, group.sents, lead.guess)
        ev.background = True
        ev.extra["history_why"] = group.mentions[0].why
        return [ev]
    out = []
    parts = split_by_day(doc, group) if lead.guess.event_type in _VIOLENT else None
    if parts:
        sent, parts = parts
        for d, prec, dspan, n, spans in parts:
            ev = build_event(doc, group.sents, lead.guess, (d, prec, dspan), (n, spans), [sent])
            ev.extra["split"] = "one toll told in parts on different days: one event per day"
            out.append(ev)
    else:
        out.append(typed_by_actors(doc, group, lead.guess))
    demolition = demolition_event(doc, group)
    acts = sorted({m.sent for m in group.mentions if incidents_mod.side_act(m.guess) and m.sent != group.lead.sent
                   and (demolition is None or m.sent not in demolition.extra["demolition_sents"])}
                  | set(group.absorbed))
    for ev in out:
        ev.extra["incident_why"] = list(group.why)
        if acts:
            # arrests, a search, weapons seized, shops burned: acts within this incident
            ev.extra["part_of_this_event"] = [doc.sentences[i].text for i in acts]
    if demolition is not None:
        out.append(demolition)
    return out


_DEMOLISH = re.compile(r"demoli|bulldoz", re.I)
#: who demolishes as an act of its own: the state's forces or authorities ("militants also
#: demolished a shrine" during a raid is part of the raid)
_AUTHORITIES_RX = re.compile(r"\b(?:soldiers?|troops?|army|military|police|policem[ae]n|gendarme\w*|forces|"
                             r"security personnel|authorities|municipality|council|government)\b", re.I)


def demolition_event(doc: Document, group: Group) -> Event | None:
    """A demolition told within a violent incident is an event of its own, as ACLED codes it:
    forces that go in to demolish a home and kill someone in the clashes that follow did two
    things (the demolition is what they came for, not an aside like "the attackers also burned
    shops"). Only a sentence that tells the demolition itself (its own type is property
    destruction, its cue a demolition) and names the forces or authorities makes one; it takes
    the incident's day and place."""
    if group.lead.guess.event_type not in _VIOLENT:
        return None
    told = [m for m in sorted(group.mentions, key=lambda m: m.sent)
            if m.sent != group.lead.sent and m.guess.sub_event_type == "Looting/property destruction"
            and m.guess.trigger is not None
            and _DEMOLISH.search(doc.sentences[m.sent].text[m.guess.trigger[0]:m.guess.trigger[1]])
            and _AUTHORITIES_RX.search(doc.sentences[m.sent].text)]
    if not told:
        return None
    first = told[0]
    ev = build_event(doc, [first.sent], first.guess, incident_date(doc, group), (0, []),
                     place_sents=group.place_sents or None)
    ev.extra["incident_why"] = [f"sentence {first.sent}: a demolition told within the incident of sentence "
                                f"{group.lead.sent}: an event of its own"]
    ev.extra["demolition_sents"] = [m.sent for m in told]
    return ev


@stage("events", requires=("sentences", "dates", "places", "actors", "numbers"), assigns=("events",))
def make_events(config):
    """Assemble ACLED-shaped events from the other stages' layers."""

    def events(doc: Document) -> Document:
        doc.events = extract_events(doc)
        return doc

    return events
