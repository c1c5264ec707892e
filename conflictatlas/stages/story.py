"""story: the country, and the province where it is clear, that a report is set in.

One reading of the whole document, ``doc.meta["story"] = {"country", "countries", "admin1",
"why", "weight"}``, that the places stage weighs every candidate against: a town named like one
in Peru is not placed in Peru in a story set in Iraq, and a common word that is also somewhere's
name ("Ramadan", "Mine", "Hit", "Xinhua") is placed only where the text uses it as a place.

Each piece of evidence votes for a country:

* a place name spreads its weight over the countries it could be in, by kind and population (as
  the places stage's document vote does): a country 3, a province 2, a city of 100,000 people or a
  capital 1.5, another place 1, a lone word with nothing marking it as a place 0.3, a common word
  that is also a place name 0.3 after a locative cue and else 0; x1.5 in the headline and after a
  locative cue ("in", "near", "the town of"); a country named as an origin, a topic or the
  modifier of an institution ("refugees from Ukraine", "solidarity with Ukraine", "the US
  embassy") counts a third; each further mention of a name counts less (1, 1/2, 1/3...);
* a nationality ("Iraqi troops", "the Syrian regime"): 1 each, at most 3 a country;
* an actor tied to a country ("Hezbollah", "Houthis", "SSPDF"): 1 each, at most 3 a country,
  spread over the countries it is active in;
* the dateline ("ERBIL, Kurdistan Region -", ``doc.meta["dateline"]`` when an earlier stage set
  it): 1.5, a weak hint, never by itself the place of an event.

``countries`` gives each country's weight relative to the strongest (1.0). A country of at least
:data:`FIT` fits the story; the places stage (:func:`score_candidate`, :func:`keep_place`) raises
candidates in the story's countries, lowers those outside it that nothing next to them places
there, and drops a small place or a common word that only an outside reading explains.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Document
from ..gazetteer import load as load_gazetteer
from ..gazetteer.matcher import _is_cap, tokens
from ..gazetteer.names import fold, key
from ..pipeline import stage
from ..prefilter import Folded

_DATA = Path(__file__).resolve().parent.parent / "data"
COMMON_WORDS_FILE = _DATA / "common_place_words.txt"

#: a country at least this strong, relative to the story's first, fits the story
FIT = 0.25
#: the story's first country needs this much evidence before places are judged against it
CONFIDENT = 2.0
#: score added to a candidate in the story's countries (times its relative weight)
BONUS = 0.5
#: score taken from a candidate outside them that nothing next to it places there
PENALTY = 1.0
#: an outside reading is kept without local evidence only for a place this large
PROMINENT_POP = 100_000

_W_COUNTRY, _W_ADMIN1, _W_CITY, _W_PLACE, _W_LONE = 3.0, 2.0, 1.5, 1.0, 0.3
_W_NATIONALITY, _W_ACTOR, _W_DATELINE, _MOST_A_COUNTRY = 1.0, 1.0, 1.5, 3.0
_HEADLINE, _LOCATIVE, _ASIDE = 1.5, 1.5, 1.0 / 3.0
_KIND_PRIOR = (0.3, 0.15, 0.0, 1.2, 0.45)    # populated, admin1, admin2, country, feature (as places)

#: a cue before a name that uses it as a place ("in Hit", "the town of Mine", "outside Ramadan",
#: "gunmen attacked Hit")
_CUE_BEFORE = re.compile(
    r"\b(?:in|at|near|nearby|outside|inside|around|into|across|throughout|towards?|outskirts\s+of|"
    r"attacked|shelled|stormed|captured|recaptured|seized|raided|struck|bombed|targeted|entered|"
    r"reached|overran|besieged|coded\s+(?:to|as|at|in)|"
    r"vicinity\s+of|(?:town|city|village|district|province|region|governorate|area|state|county|"
    r"camp|suburb|neighbou?rhood|countryside)\s+of)\s+(?:the\s+)?$", re.I)
_CUE_BEFORE_FOLDED = Folded(_CUE_BEFORE)
#: a unit word after a name ("Hit district", "Ramadan village", "Camp town")
_CUE_AFTER = re.compile(r"[ -](?:village|town|city|district|sub-?district|province|governorate|region|"
                        r"county|area|camp|neighbou?rhood|municipality|township|state|oblast)\b", re.I)
_IN_PAREN_LIST = re.compile(r"\([^()\n]*,\s*$")
_PAIR_GAP = re.compile(r"\s*(?:,|\(|,?\s*(?:in|of)(?:\s+the)?)\s*")
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
#: "ERBIL, Kurdistan Region -", "MOGADISHU (Reuters) -", "Kabul, Afghanistan (AP) -"
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z'’.-]{2,}(?:[ -][A-Z][A-Z'’.-]+){0,3}|"
    r"[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,2}(?=(?:,[^,\n()]{2,40})?\s*\())"
    r"(?:,\s*(?P<region>[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,3}))?"
    r"\s*(?:\((?P<agency>[^()\n]{2,40})\))?\s*[-–—:]\s")


@dataclass
class _Tally:
    """Votes per country (ISO code) and per (country, admin1), with the reasons behind them."""

    w: dict[str, float] = field(default_factory=dict)
    a1: dict[tuple[str, str], float] = field(default_factory=dict)
    why: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, cc: str, w: float, what: str) -> None:
        if not cc or w <= 0:
            return
        self.w[cc] = self.w.get(cc, 0.0) + w
        reasons = self.why.setdefault(cc, {})
        reasons[what] = reasons.get(what, 0.0) + w


# -- evidence ---------------------------------------------------------------------------------
_COMMON: frozenset | None = None


def common_place_words() -> frozenset:
    """Folded words that are also place names but mostly mean something else (the data file)."""
    global _COMMON
    if _COMMON is None:
        words = set()
        try:
            for line in COMMON_WORDS_FILE.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    words.add(fold(line))
        except OSError:
            pass
        _COMMON = frozenset(words)
    return _COMMON


_RUN = re.compile(r"[\w-]+")
#: id(text) -> (text, its runs): the texts asked about last, up to _RUNS_TEXTS texts and _RUNS_CHARS
#: characters in all (the story and places stages each ask about every document of a batch in turn)
_RUNS: dict[int, tuple[str, dict[str, list[int]]]] = {}
_RUNS_CHARS = 2_000_000
_RUNS_TEXTS = 256


def _lower_runs(text: str) -> dict[str, list[int]]:
    """Where each all-lower-case run of word characters and hyphens starts in ``text`` (the
    texts last asked about are kept)."""
    got = _RUNS.get(id(text))
    if got is not None and got[0] is text:
        return got[1]
    runs: dict[str, list[int]] = {}
    for m in _RUN.finditer(text):
        w = m.group()
        if w.islower():
            at = runs.get(w)
            if at is None:
                runs[w] = [m.start()]
            else:
                at.append(m.start())
    kept = len(text) + sum(len(t) for t, _ in _RUNS.values())
    for key in list(_RUNS):         # the oldest go first, as the characters kept allow
        if kept <= _RUNS_CHARS and len(_RUNS) < _RUNS_TEXTS:
            break
        old = _RUNS.pop(key, None)
        kept -= len(old[0]) if old else 0
    _RUNS[id(text)] = (text, runs)
    return runs


def common_word(text: str, start: int, end: int) -> bool:
    """A one-word name that is a common word: in the list ("Ramadan", "Xinhua", "Camp"), or
    written in lower case elsewhere in the same text ("a mine exploded" ... "Mine")."""
    name = text[start:end]
    if " " in name:
        return False
    if fold(name) in common_place_words():
        return True
    low = name.lower()
    if low == name:
        return False
    if _RUN.fullmatch(low):
        # the lower-case words of the text, indexed once per text (a scan per mention grows
        # with the square of a report's size)
        # (as the scan below: not at the text's very start or end)
        return any(0 < at and at + len(low) < len(text) and not locative_cue(text, at, at + len(low))
                   for at in _lower_runs(text).get(low, ()))
    at = text.find(low)
    while at >= 0:
        end = at + len(low)
        before, after = text[at - 1:at] if at else "", text[end:end + 1]
        if not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_") \
                and not locative_cue(text, at, end):
            return True       # "a mine exploded"; but "in lamu region" is the place, carelessly written
        at = text.find(low, at + 1)
    return False


def locative_cue(text: str, start: int, end: int) -> bool:
    """The text uses the name as a place: "in X", "near X", "the town of X", "X district"."""
    return _CUE_BEFORE_FOLDED.found(text[max(0, start - 40):start]) or bool(_CUE_AFTER.match(text, end))


def capitalised_as_name(text: str, start: int, end: int) -> bool:
    """Its capital letter says it is a name: not the first word of a sentence and not a word of a
    headline in title case or capitals."""
    before = text[:start].rstrip(" \t\"“'‘(")
    if not before or before[-1] in ".!?:;\n—–-":
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    words = [w for w in _TITLE_WORD.findall(line) if len(w) > 3]
    if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
        return False          # "Gunmen Kill Four In Mine Attack": a title-case headline
    return True


def unmarked_common_word(text: str, start: int, end: int) -> str:
    """Why a common word that is also a place name is not taken as one here ('' if the text
    marks it as a place: a capital that says "name" and a locative cue, or a parenthesis after
    it, "Hit (Anbar)"), whatever the story."""
    if not common_word(text, start, end) or text[end:end + 2].lstrip().startswith("("):
        return ""
    if not capitalised_as_name(text, start, end):
        return "a common word, capitalised only as a sentence's first word"
    if not locative_cue(text, start, end):
        return "a common word with nothing marking it as a place"
    return ""


def _prior(g, i: int) -> float:
    return _KIND_PRIOR[g.kind[i]] + math.log10(g.pop[i] + 1) / 7.0 + (
        0.15 if g.fcode[i] in ("PPLC", "PPLA") else 0.0)


def _reading(g, i: int, k: str) -> float:
    """How likely one reading of a name is, before any context: kind, population, seat of
    government, and its own name rather than an alternate one ("Bari", not Barrie)."""
    return _prior(g, i) + (0.25 if k and key(g.name[i]) == k else 0.0)


def _spread(g, ids, k: str = "") -> dict[str, float]:
    """A name's vote over the countries it could be in (softmax of the best reading there)."""
    best: dict[str, float] = {}
    for i in ids:
        p = _reading(g, i, k)
        if p > best.get(g.cc[i], -1.0):
            best[g.cc[i]] = p
    w = {c: math.exp(6.0 * p) for c, p in best.items()}
    tot = sum(w.values()) or 1.0
    return {c: v / tot for c, v in w.items()}


def _name_weight(doc: Document, g, m, top: int) -> float:
    """How much one place name says about the story, before spreading."""
    text = doc.text
    kind = g.kind[top]
    cue = locative_cue(text, m.start, m.end)
    if kind == 3:
        from .places import _aside
        w = _W_COUNTRY * (_ASIDE if _aside(text, m.start, m.end, True) else 1.0)
        cue = False
    elif kind == 1:
        w = _W_ADMIN1
    elif (kind == 0 and g.pop[top] >= PROMINENT_POP) or g.fcode[top] == "PPLC":
        w = _W_CITY
    elif " " not in m.text and common_word(text, m.start, m.end):
        # the story judges such a word; it must not make the story
        w, cue = (_W_LONE if cue else 0.0), False
    elif " " in m.text or cue:
        w = _W_PLACE
    else:
        w = _W_LONE
    if cue:
        w *= _LOCATIVE
    if _in_headline(doc, m.start):
        w *= _HEADLINE
    return w


def _readings(doc: Document, g, ms) -> list[tuple]:
    """Each usable name with its readings (at most 25); a name and the province or country named
    right after it ("ERBIL, Kurdistan Region", "Lima (Peru)", "Ramadi in Anbar") keep only the
    readings of the countries both can be in, when there are such; the last name of a
    parenthesis that can be a province or a country is the province ("(Magama, Niger)")."""
    from .places import _demonyms
    out = []
    for m in ms:
        if not m.ids or m.org or m.loose:
            continue
        if fold(m.text) in _demonyms() and not any(g.kind[i] in (1, 3) for i in m.ids[:3]):
            continue          # "German workers"
        out.append([m, tuple(m.ids[:25])])
    text = doc.text
    for r in out:
        m, ids = r
        if _IN_PAREN_LIST.search(text, max(0, m.start - 60), m.start) and any(g.kind[i] == 3 for i in ids) \
                and any(g.kind[i] in (1, 2) for i in ids):
            r[1] = tuple(i for i in ids if g.kind[i] != 3)    # "(Magama, Niger)": Niger State
    for a, b in zip(out, out[1:]):
        if _PAIR_GAP.fullmatch(text, a[0].end, b[0].start):
            both = {g.cc[i] for i in a[1]} & {g.cc[i] for i in b[1]}
            if both:
                a[1] = tuple(i for i in a[1] if g.cc[i] in both)
                b[1] = tuple(i for i in b[1] if g.cc[i] in both)
    return out


def _in_headline(doc: Document, start: int) -> bool:
    """In the first sentence, when that sentence is a line of its own (a headline, not the first
    sentence of a one-paragraph note)."""
    if not doc.sentences:
        return False
    first = doc.sentences[0]
    return first.start <= start < first.end and doc.text[first.end:first.end + 1] in ("\n", "")\
        and len(doc.sentences) > 1


def _place_votes(doc: Document, g, tally: _Tally, toks) -> None:
    from .places import raw_mentions
    ms = raw_mentions(doc, g, toks)
    doc.meta["_raw_mentions"] = (doc.text, g, ms)      # the places stage takes them from here
    seen: dict[str, int] = {}
    for m, ids in _readings(doc, g, ms):
        k = key(m.text)
        top = max(ids, key=lambda i: _reading(g, i, k))
        seen[k] = seen.get(k, 0) + 1
        w = _name_weight(doc, g, m, top) / seen[k]
        if w <= 0:
            continue
        spread = _spread(g, ids, k)
        for c, share in spread.items():
            tally.add(c, w * share, f"'{m.text}'")
        # the provinces it points to, for the story's admin1
        best_in: dict[str, int] = {}
        for i in ids:
            if g.kind[i] in (0, 1, 2, 4) and g.a1[i] and (
                    g.cc[i] not in best_in or _prior(g, i) > _prior(g, best_in[g.cc[i]])):
                best_in[g.cc[i]] = i
        for c, i in best_in.items():
            a1w = w * spread.get(c, 0.0) * (1.5 if g.kind[i] == 1 else 1.0)
            tally.a1[(c, g.a1[i])] = tally.a1.get((c, g.a1[i]), 0.0) + a1w


_DEMONYM_TABLES: dict[int, dict[str, str]] = {}


def _nationality_votes(doc: Document, g, tally: _Tally, toks) -> None:
    from .places import PlaceResolver
    if id(g) not in _DEMONYM_TABLES:
        _DEMONYM_TABLES.clear()
        _DEMONYM_TABLES[id(g)] = {w: cc for w, cc in PlaceResolver(g).demonym_table()[1].items()
                                  if not g.country_code(w)}     # "Iran" is a place mention already
    table = _DEMONYM_TABLES[id(g)]
    got: dict[str, float] = {}
    for _s, _e, w in toks:
        if not w[:1].isupper():
            continue
        cc = table.get(w.lower())
        if cc and got.get(cc, 0.0) < _MOST_A_COUNTRY:
            got[cc] = got.get(cc, 0.0) + _W_NATIONALITY
            tally.add(cc, _W_NATIONALITY, f"'{w}'")


_ACTOR_INDEX: dict[tuple[str, int], tuple[dict, set, int]] = {}


def _actor_index(user_file: str, g) -> tuple[dict, set, int]:
    """Names of actors tied to countries ("Hezbollah", "SSPDF", "Houthi rebels"), as lower-case
    word tuples -> ISO codes, with every proper prefix, from the actor dictionary."""
    if (user_file, id(g)) not in _ACTOR_INDEX:
        from ..actors import load_dictionary
        index: dict[tuple, set] = {}
        unbound: set = set()        # also the name of an actor of no one country ("IS")
        prefixes: set = set()
        for a in load_dictionary(user_file).actors:
            codes = {g.country_code(c) for c in (a.countries or (a.country,)) if c} - {None}
            if a.generic or a.kind == "external" or not codes:
                codes = set()
            for alias in (a.name,) + a.aliases:
                words = tuple(w.lower() for _s, _e, w in tokens(alias))
                if not words or not _is_cap(alias.split()[0]) or g.country_code(alias):
                    continue
                if not codes or "{country}" in alias:
                    unbound.add(words)
                    continue
                index.setdefault(words, set()).update(codes)
                prefixes.update(words[:q] for q in range(1, len(words)))
        for words in unbound:
            index.pop(words, None)
        _ACTOR_INDEX[(user_file, id(g))] = (index, prefixes, max((len(k) for k in index), default=1))
    return _ACTOR_INDEX[(user_file, id(g))]


def _actor_votes(doc: Document, g, tally: _Tally, toks, user_file: str = "") -> None:
    """Actors tied to a country ("Hezbollah", "al-Shabaab"), the longest name at each word."""
    index, prefixes, longest = _actor_index(user_file, g)
    got: dict[str, float] = {}
    words = [w.lower() for _s, _e, w in toks]
    i, n = 0, len(toks)
    while i < n:
        if not _is_cap(toks[i][2]):
            i += 1
            continue
        found = None
        for L in range(1, min(longest, n - i) + 1):
            k = tuple(words[i:i + L])
            if k in index:
                found = (L, index[k])
            if k not in prefixes:
                break
        if not found:
            i += 1
            continue
        L, codes = found
        alias = doc.text[toks[i][0]:toks[i + L - 1][1]]
        for cc in sorted(codes):
            w = _W_ACTOR / len(codes)
            if got.get(cc, 0.0) < _MOST_A_COUNTRY:
                got[cc] = got.get(cc, 0.0) + w
                tally.add(cc, w, f"'{alias}'")
        i += L


def find_dateline(text: str) -> dict | None:
    """A dateline in the first lines ("ERBIL, Kurdistan Region -", "MOGADISHU (Reuters) -",
    "Kabul, Afghanistan (AP) -"): {"place", "region", "agency", "start", "end"}, or None."""
    mt = _DATELINE.search(text[:600])
    if not mt:
        return None
    return {"place": mt.group("place"), "region": mt.group("region"), "agency": mt.group("agency"),
            "start": mt.start("place"), "end": mt.end()}


def _dateline_votes(doc: Document, g, tally: _Tally) -> str:
    """The dateline's country, a weak hint: the article stage's reading when there is one."""
    dl = doc.meta.get("dateline") or find_dateline(doc.text)
    if not isinstance(dl, dict):
        return ""
    country = dl.get("country")
    if country:
        cc = g.country_code(country)
        if cc:
            tally.add(cc, _W_DATELINE, f"dateline {country}")
            return str(country)
    for part in (dl.get("region"), dl.get("place")):
        ids = g.ids(part) if part else ()
        if ids and (part == dl.get("place") or any(g.kind[i] == 3 for i in ids[:3])):
            for c, share in _spread(g, ids[:25], key(part)).items():
                tally.add(c, _W_DATELINE * share, f"dateline {part}")
            return str(part)
    return ""


# -- the reading ------------------------------------------------------------------------------
def infer_story(doc: Document, g, user_actors: str = "") -> dict | None:
    """The story's country, its weight and the other countries it touches; None if nothing in
    the document points anywhere."""
    tally = _Tally()
    toks = tokens(doc.text)
    _place_votes(doc, g, tally, toks)
    _nationality_votes(doc, g, tally, toks)
    _actor_votes(doc, g, tally, toks, user_actors)
    _dateline_votes(doc, g, tally)
    if not tally.w:
        return None
    top_cc = max(tally.w, key=lambda c: (tally.w[c], c))
    top = tally.w[top_cc]
    rel = {c: round(v / top, 3) for c, v in sorted(tally.w.items(), key=lambda t: (-t[1], t[0])) if v / top >= 0.05}
    name = g.country_names.get
    reasons = sorted(tally.why[top_cc].items(), key=lambda t: (-t[1], t[0]))[:4]
    why = f"{name(top_cc, top_cc)}: " + ", ".join(f"{r} {v:.1f}" for r, v in reasons)
    admin1 = _story_admin1(tally, top_cc)
    if admin1:
        why += f"; province {admin1}"
    return {"country": name(top_cc, top_cc), "countries": {name(c, c): v for c, v in rel.items()},
            "admin1": admin1, "weight": round(top, 2), "evidence": len(tally.why[top_cc]), "why": why,
            "dateline": any(r.startswith("dateline") for r in tally.why[top_cc])}


def _story_admin1(tally: _Tally, cc: str) -> str | None:
    """The province most of the story's places lie in, when they clearly agree."""
    votes = {a: v for (c, a), v in tally.a1.items() if c == cc}
    if not votes:
        return None
    best = max(votes, key=lambda a: (votes[a], a))
    if votes[best] >= 1.5 and votes[best] >= 0.6 * sum(votes.values()):
        return best
    return None


# -- the places stage's questions -------------------------------------------------------------
def confident(st: dict | None) -> bool:
    """The story is told clearly enough to judge places by: weight of at least :data:`CONFIDENT`
    from two or more different names, nationalities, actors or the dateline (one ambiguous name
    alone does not set a story: "Alexandra Park in Hastings")."""
    return bool(st) and st.get("weight", 0.0) >= CONFIDENT and st.get("evidence", 0) >= 2


def story_fit(doc: Document, g) -> dict[str, float]:
    """{ISO code: weight relative to the story's first country}, empty when the story is unknown
    or too weakly told to judge places by."""
    st = doc.meta.get("story")
    if not confident(st):
        return {}
    out = {}
    for name, rel in st.get("countries", {}).items():
        cc = g.country_iso.get(fold(name)) or g.country_code(name)
        if cc:
            out[cc] = rel
    return out


def score_candidate(fit: dict[str, float], cc: str, local: bool) -> float:
    """A candidate against the story: raised in the story's countries (by their weight), lowered
    outside them unless the text next to it places it there ("Lima, Peru")."""
    rel = fit.get(cc, 0.0)
    if rel >= FIT:
        return BONUS * rel
    return 0.0 if local else -PENALTY


def keep_place(doc: Document, g, fit: dict[str, float], start: int, end: int, i: int,
               local: bool) -> str:
    """'' to keep a mention resolved to entry ``i``, else why it is not taken as a place.

    A common word that is also a place name needs a capital that says "name", a locative cue and
    a country that fits the story; a place outside the story's countries needs local evidence
    (its province or country named with it) unless it is a country or a large city.
    """
    text = doc.text
    in_story = not fit or fit.get(g.cc[i], 0.0) >= FIT
    if not local and common_word(text, start, end):
        why = unmarked_common_word(text, start, end)
        if why:
            return why
        if not in_story:
            return "a common word, and its place lies outside the story's countries"
    if in_story or local:
        return ""
    kind = g.kind[i]
    if kind == 3 or (kind == 0 and g.pop[i] >= PROMINENT_POP) or g.fcode[i] == "PPLC":
        return ""
    return "outside the story's countries, with nothing next to it placing it there"


@stage("story", requires=("sentences",), assigns=("story",))
def make_story(config):
    """The story's country and province from the whole document (doc.meta["story"])."""
    path = config.get("places", "gazetteer", "") or None
    feats = config.get("places", "curated", "") or None
    user = config.get("actors", "dictionary", "") or ""

    state: dict = {}

    def story(doc: Document) -> Document:
        if "g" not in state:
            state["g"] = load_gazetteer(path, feats)
        st = infer_story(doc, state["g"], user if user and Path(user).exists() else "")
        if st:
            doc.meta["story"] = st
        else:
            doc.meta.pop("story", None)
        return doc

    return story
