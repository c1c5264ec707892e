"""numbers: casualty, arrest, abduction and crowd-size counts, read the way ACLED codes them.

Writes the ``numbers`` layer: one span per figure, its value holding

- ``kind``: killed, injured, arrested, abducted, size or other;
- ``count``: the conservative figure (``between 3,000 and 5,000`` -> 3000, ``dozens`` -> 12);
- ``low``, ``high``: the range the text gives (equal for a plain number);
- ``approx``: hedged ("at least", "around", "dozens", "several");
- ``vague``: no number at all ("several", "an unknown number of", "civilians were killed");
- ``negated``: "no one was killed", "no casualties" (count 0);
- ``part``: one part of a total told elsewhere ("including five women", "four ... and six" when
  the ten is told too);
- ``group``: figures of one coordinated phrase ("killing two soldiers and three civilians") share it;
- ``coded``: an ACLED coder's note fixes the figure ("Fatalities coded as 3");
- ``summary``: a total told on its own ("3 fatalities.", "the death toll rose to 12").

:func:`fatalities` turns the layer into ACLED's fatality count for one event, counting every death
once: repeated totals are the same deaths, parts that sum to a stated total are not added again,
and conflicting attributed figures keep the most conservative one (the others become claims).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, NamedTuple

from ..document import Document, Span
from ..pipeline import stage
from ..prefilter import Folded, lower_for_literals

#: figure coded for a plural count with no number ("several", "an unknown number of"): ACLED's
#: codebook codes 3 for low-intensity settings (10 in high-intensity war zones); config
#: ``[numbers] vague_plural`` changes it.
VAGUE_PLURAL = 3

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
# unknown plural counts, by ACLED's conventions; None = VAGUE_PLURAL
_VAGUE = {"dozens": 12, "tens": 10, "scores": 20, "hundreds": 100, "thousands": 1000,
          "several": None, "multiple": None, "many": None, "numerous": None, "some": None,
          "various": None, "few": 3, "couple": 2, "handful": 3}
_MODS = {
    "at least": "low", "at a minimum": "low", "more than": "low", "over": "low", "upwards of": "low",
    "no fewer than": "low", "no less than": "low", "not less than": "low", "just over": "low",
    "a minimum of": "low", "in excess of": "low",
    "up to": "high", "as many as": "high", "at most": "high", "fewer than": "high", "less than": "high",
    "nearly": "high", "almost": "high", "just under": "high", "close to": "high", "under": "high",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "reportedly": "about", "circa": "about",
    "approx": "about", "an approximate": "about",
    "a total of": "total", "total of": "total", "a combined": "total", "a further": "more",
    "another": "more", "an additional": "more", "additional": "more",
}
_MOD_RX = re.compile(r"^(?:" + "|".join(sorted((re.escape(m) for m in _MODS), key=len, reverse=True)) + r")\b")
#: a hedge starts a token with its first word: other tokens need not be joined and searched
_MOD_FIRST = tuple(sorted({m.split(" ")[0] for m in _MODS}))

# triggers: word -> kind. Passive/stative ones take the count before them ("five were killed",
# "two dead"); active ones take it after ("killing five", "abducted two").
_KILL = {"killed", "kills", "kill", "killing", "murdered", "murdering", "executed", "executing",
         "slain", "slaughtered", "massacred", "beheaded", "lynched", "assassinated", "died", "dead",
         "die", "dies", "perished", "fatalities", "fatality", "deaths", "death", "bodies", "body",
         "corpses", "lives", "casualties", "succumbed", "murder", "murders", "assassination", "killings",
         "martyred", "gunned"}
_INJURE = {"injured", "injuring", "injures", "injure", "wounded", "wounding", "wounds", "hurt",
           "injuries", "injury", "maimed"}
_ARREST = {"arrested", "arresting", "arrests", "arrest", "detained", "detaining", "detains",
           "apprehended", "apprehending", "detention", "custody", "detainees", "rounded"}
_ABDUCT = {"abducted", "abducting", "abducts", "kidnapped", "kidnaped", "kidnapping", "kidnaping",
           "hostage", "hostages", "abduction", "abductions", "kidnappings"}
_KIND = {**{w: "killed" for w in _KILL}, **{w: "injured" for w in _INJURE},
         **{w: "arrested" for w in _ARREST}, **{w: "abducted" for w in _ABDUCT}}
# the trigger takes its count after it ("killing 12 civilians", "killed a man")
_ACTIVE = {"killed", "kills", "kill", "killing", "murdered", "murdering", "executed", "executing",
           "slaughtered", "massacred", "beheaded", "lynched", "assassinated", "injured", "injuring",
           "injures", "injure", "wounded", "wounding", "hurt", "maimed", "arrested", "arresting",
           "arrest", "detained", "detaining", "detains", "apprehended", "apprehending", "abducted",
           "abducting", "abducts", "kidnapped", "kidnaped", "kidnapping", "kidnaping", "rounded",
           "lives", "deaths", "death", "bodies", "body", "corpses", "murder", "murders", "assassination",
           "killings", "gunned", "martyred"}
# nouns of people: "a man", "the driver", "one civilian"
_PERSON = set("""man men woman women child children boy boys girl girls person persons people civilian
civilians soldier soldiers officer officers policeman policemen policewoman police militant militants
fighter fighters member members rebel rebels resident residents villager villagers farmer farmers
herder herders student students teacher teachers worker workers trader traders driver drivers
journalist journalists reporter leader leaders chief chiefs commander commanders official officials
mayor councilor councillor councilman guard guards gendarme gendarmes suspect suspects militiaman
militiamen serviceman servicemen trafficker traffickers victim victims individual individuals youth
youths youngster teenager teenagers minor minors baby infant pedestrian pedestrians motorcyclist
businessman businessmen merchant shopkeeper activist activists protester protesters demonstrator
demonstrators migrant migrants refugee refugees passenger passengers employee employees
brother brothers sister son sons daughter father mother wife husband relative relatives cousin
nephew uncle family pastor priest imam cleric doctor nurse judge lawyer politician candidate
attacker attackers assailant assailants gunman gunmen bandit bandits jihadist jihadists terrorist
terrorists insurgent insurgents separatist separatists combatant combatants personnel troops trooper
recruit recruits cadet cadets elder elders pupil pupils prisoner prisoners inmate inmates detainee
detainees hostage hostages abductee abductees agent agents ranger rangers volunteer volunteers
militia militias national nationals citizen citizens local locals colonel captain sergeant lieutenant
general major corporal private marine marines pilot pilots crew security bomber bombers shooter
owner head headman chairman chairperson councilman kidnapper kidnappers thief thieves robber robbers
scholar extortionist ex-combatant operative operatives sympathizer sympathizers supporter supporters
president vice-president governor deputy administrator monk nun cook ruler king queen prince sheikh
emir chieftain warlord informant informer spy collaborator auxiliary cadre cadres lieutenant sultan
secretary minister director manager headteacher principal coordinator representative spokesman
spokesperson delegate lawmaker legislator senator councillor magistrate prosecutor herdsman
herdsmen fisherman fishermen hunter hunters miner miners shepherd pastoralist vendor seller
customer tourist foreigner contractor engineer technician mechanic guardsman bodyguard escort
veteran pensioner widow orphan toddler newborn adolescent teen teenager girlfriend boyfriend
fiance fiancee neighbour neighbor friend colleague companion host guest occupant tenant landlord
resident inhabitant native settler settlers colonist member apprentice trainee intern singer singers
rapper musician musicians artist artists actor actress poet writer blogger photographer preacher
athlete footballer player players coach""".split())
_PRONOUN_ONE = {"he", "she", "him", "her", "himself", "herself"}
_PRONOUN_PL = {"they", "them", "themselves"}
_AUX = {"was", "were", "is", "are", "been", "be", "being", "have", "has", "had", "got", "get",
        "gets", "reportedly", "also", "allegedly", "later", "all", "each", "subsequently",
        "reported", "confirmed", "found", "shot", "left", "were", "both", "eventually",
        "instantly", "immediately", "fatally", "critically", "seriously", "severely", "slightly",
        "lightly", "badly", "then", "initially", "apparently", "as", "result", "a", "the", "of",
        "thought", "believed", "feared", "said", "to", "have", "stabbed", "beaten", "burned",
        "burnt", "hacked", "tortured", "beat", "stoned"}
# words that end a noun phrase: a count does not reach a trigger across them
_STOP = {"in", "on", "at", "near", "during", "after", "before", "while", "when", "who", "which",
         "that", "by", "with", "from", "into", "for", "because", "since", "as", "but", "or",
         "where", "whose", "whom", "than", "if", "said", "says", "say", "to", "attacked",
         "clashed", "opened", "fired", "stormed", "raided", "set", "burned", "destroyed",
         "looted", "seized", "took", "displaced", "fled", "including", "among", "against", "over",
         "across", "between", "under", "along", "through", "toward", "towards", "around", "following"}
_DET = {"the", "a", "an", "his", "her", "their", "its", "our", "this", "that", "these", "those"}
_PART_CUE = re.compile(r"\b(?:including|among\s+(?:them|whom|those|the\s+(?:dead|victims|killed|deceased|injured|wounded))|"
                       r"of\s+(?:them|whom|those)|amongst\s+them|included)\b[^.;]{0,3}$", re.I)
_ADD_CUE = re.compile(r"\b(?:also|another|other|others|additional(?:ly)?|further|more|too|as\s+well|second|"
                      r"separately|separate|besides|in\s+addition)\b", re.I)
_CLAIM = re.compile(r"\b(?:claimed|claims|claim|claiming|according\s+to|alleged|allegedly|said|says|reported|"
                    r"reports|stated|sources?)\b", re.I)
_STRONG_CLAIM = re.compile(r"\b(?:claimed|claims|claim|claiming|according\s+to|sources?|alleged(?:ly)?|"
                           r"unconfirmed|reportedly)\b", re.I)
_SAYER = re.compile(r"\baccording\s+to\s+(?:the\s+)?((?:[A-Z][\w'.-]{0,40}\s*){1,8})|"
                    r"((?:[A-Z][\w'.-]{0,40}\s*){1,4})\s*(?:said|says|claimed|claims|reported|reports|stated|announced)\b")

_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?(?![A-Za-z])|[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|[^\w\s]")
_NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")

_CODED = re.compile(
    r"\b(?:(?:unclear|unknown|unspecified|unidentified|undetermined|estimated)\s+)?(?:number\s+of\s+)?"
    r"(?:fatalities|fatality|casualties|deaths)\b[^.;()]{0,40}?\b(?:coded|estimated|recorded|counted)\s+(?:as|at|to)\s+"
    r"(?P<n>\d+|[a-z]+)\b(?!\s*(?:events?|locations?))|\bcoded\s+as\s+(?P<n2>\d+)\s+(?:fatalities|deaths)\b", re.I)
_SPLIT = re.compile(
    r"\b(?:(?P<n>[\d,]+|[a-z]+(?:-[a-z]+)?)\s+)?(?:reported\s+)?(?:fatalities|deaths|casualties)\s+"
    r"(?:(?:reported|recorded)\s+(?:and\s+)?)?(?:are\s+|were\s+|have\s+been\s+|being\s+)?"
    r"(?:split|spilt|divided|distributed|spread)\s+(?:evenly\s+|equally\s+)?(?:between|across|among|over|into)\s+"
    r"(?P<k>\d+|[a-z]+)\s+(?:events|locations|days|incidents)", re.I)
_SUMMARY = re.compile(r"^\W*(?P<q>[\w,-]+)\s+(?:fatality|fatalities|deaths?|killed|dead)\s*[.,;]?\s*$|"
                      r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|fatalities))\s+(?:[\w'’-]+\s+){0,8}?"
                      r"(?:(?P<rev>(?:has\s+|had\s+)?(?:risen|rose|climbed|increased|jumped)\s+)(?:to\s+)?|"
                      r"(?:to|at|of|reached|is|was|stands\s+at|hit)\s+)(?:at\s+least\s+|some\s+|about\s+)?"
                      r"(?P<q2>\d[\d,]*|[a-z]+(?:-[a-z]+)?)\b", re.I)
_NEG = re.compile(
    r"\b(?:no\s+(?:one|body|people|persons?|civilians?|soldiers?|lives)\s+(?:\w+\s+){0,2}?"
    r"(?P<v1>killed|died|dead|injured|wounded|hurt|lost|harmed|arrested|detained)|"
    r"nobody\s+(?:\w+\s+){0,2}?(?P<v2>killed|died|dead|injured|wounded|hurt|harmed|arrested)|"
    r"(?:no|zero|without(?:\s+any)?|not\s+(?:cause|result\s+in|lead\s+to)\s+any|no\s+reported|no\s+known|"
    r"no\s+immediate(?:\s+reports?\s+of)?|no\s+reports?\s+of(?:\s+any)?|"
    r"did\s+not\s+(?:cause|result\s+in|lead\s+to|leave)(?:\s+any)?|didn't\s+(?:cause|result\s+in)(?:\s+any)?|nor)\s+"
    r"(?:(?:immediate|reported|known|human|further)\s+)?(?P<n>casualt(?:y|ies)|fatalit(?:y|ies)|deaths?|injur(?:y|ies)|"
    r"loss\s+of\s+life|lives\s+lost|arrests?|victims?|one\s+(?:was\s+)?(?:killed|injured|hurt)|one\s+died))\b", re.I)


def parse_number(words: str) -> int | None:
    """'twenty-one' -> 21, '3,000' -> 3000, 'a dozen' -> 12, 'dozens' -> 12; None if not a number."""
    w = words.lower().strip().replace("’", "'")
    if _NUMERIC.match(w):
        return int(w.replace(",", ""))
    w = re.sub(r"^(?:a|an|one)\s+", "a ", w)
    if w in ("a dozen", "dozen"):
        return 12
    if w in ("a score",):
        return 20
    if w in ("a hundred", "hundred"):
        return 100
    if w in ("a thousand", "thousand"):
        return 1000
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    m = re.match(r"^([a-z]+)[- ]([a-z]+)$", w)
    if m and m.group(1) in _TENS and m.group(2) in _UNITS and 0 < _UNITS[m.group(2)] < 10:
        return _TENS[m.group(1)] + _UNITS[m.group(2)]
    if m and m.group(2) in ("hundred", "thousand"):
        base = parse_number(m.group(1))
        if base is not None:
            return base * (100 if m.group(2) == "hundred" else 1000)
    return None


class _Q:
    """A quantity read at a token position."""
    __slots__ = ("i", "j", "low", "high", "count", "approx", "vague")

    def __init__(self, i, j, low, high, count, approx=False, vague=False):
        self.i, self.j, self.low, self.high, self.count = i, j, low, high, count
        self.approx, self.vague = approx, vague


def _num_at(toks: list[str], i: int) -> tuple[int, int, bool] | None:
    """A plain number starting at token i: (value, next index, vague)."""
    if i >= len(toks):
        return None
    t = toks[i]
    if t[:1].isdigit() and _NUMERIC.match(t):
        v = int(t.replace(",", ""))
        j = i + 1
        if j < len(toks) and toks[j] in ("thousand", "million"):
            v *= 1000 if toks[j] == "thousand" else 1000000
            j += 1
        return v, j, False
    if t in _TENS:
        if i + 2 < len(toks) and toks[i + 1] == "-" and toks[i + 2] in _UNITS:
            return _TENS[t] + _UNITS[toks[i + 2]], i + 3, False
        return _TENS[t], i + 1, False
    if "-" in t:
        v = parse_number(t)
        if v is not None:
            return v, i + 1, False
    if t in _UNITS and t != "zero":
        j = i + 1
        v = _UNITS[t]
        if j < len(toks) and toks[j] in ("hundred", "thousand", "dozen"):
            v *= {"hundred": 100, "thousand": 1000, "dozen": 12}[toks[j]]
            j += 1
        return v, j, False
    if t in ("a", "an") and i + 1 < len(toks):
        nx = toks[i + 1]
        if nx == "dozen":
            return 12, i + 2, False
        if nx in ("hundred", "thousand"):
            return (100 if nx == "hundred" else 1000), i + 2, False
        if nx in ("few", "couple", "handful", "number", "score"):
            j = i + 2
            if j < len(toks) and toks[j] == "of":
                j += 1
            return (_VAGUE.get(nx) or 20 if nx == "score" else _VAGUE.get(nx) or VAGUE_PLURAL), j, nx != "score"
        if nx in ("unknown", "unspecified", "unidentified", "undetermined", "undisclosed") and \
                i + 2 < len(toks) and toks[i + 2] == "number":
            j = i + 3 + (1 if i + 3 < len(toks) and toks[i + 3] == "of" else 0)
            return VAGUE_PLURAL, j, True
    if t in ("unknown", "unspecified", "unidentified", "undetermined") and i + 1 < len(toks) and toks[i + 1] == "number":
        j = i + 2 + (1 if i + 2 < len(toks) and toks[i + 2] == "of" else 0)
        return VAGUE_PLURAL, j, True
    if t in _VAGUE and t not in ("few", "couple", "handful", "some"):
        j = i + 1
        if j < len(toks) and toks[j] == "of":
            j += 1
        v = _VAGUE[t]
        return (v if v is not None else VAGUE_PLURAL), j, True
    if t == "dozen":
        return 12, i + 1, False
    if t == "both":
        j = i + 1
        if j < len(toks) and toks[j] == "of":
            j += 1
        return 2, j, False
    return None


#: the words a quantity can start with, besides digits, hyphenated numbers and hedges (see _num_at)
_QUANTITY_FIRST = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_VAGUE) | {
    "a", "an", "unknown", "unspecified", "unidentified", "undetermined", "dozen", "both", "between"}


def _quantity(toks: list[str], i: int) -> _Q | None:
    """A quantity with its hedges and range at token i ('at least 5', 'between 3,000 and 5,000')."""
    t = toks[i]
    if t not in _QUANTITY_FIRST and not t[:1].isdigit() and "-" not in t and not t.startswith(_MOD_FIRST):
        return None         # most tokens: no number can start here (the checks below, made cheap)
    j = i
    mod = None
    m = _MOD_RX.match(" ".join(toks[i:i + 4])) if t.startswith(_MOD_FIRST) else None
    if m:
        mod = _MODS[m.group(0)]
        j = i + len(m.group(0).split())
    between = j < len(toks) and toks[j] == "between"
    if between:
        j += 1
    got = _num_at(toks, j)
    if got is None:
        return None
    v, j2, vague = got
    if mod == "about" and toks[i] == "some" and vague:
        return None
    low = high = v
    if j2 + 1 < len(toks) and toks[j2] in ("-", "–", "to", "or", "and") and (between or toks[j2] != "and"):
        got2 = _num_at(toks, j2 + 1)
        if got2 and not got2[2] and got2[0] >= v:
            high = got2[0]
            j2 = got2[1]
    elif between:
        return None
    count = low
    if mod == "high" and low == high:
        count = high
    approx = (bool(mod) and mod not in ("total", "more")) or vague or low != high
    return _Q(i, j2, low, high, count, approx, vague)


def _killed_or_hurt(toks: list[str], k: int, kind: str) -> bool:
    """"killed or injured", "dead or wounded": one figure for the dead and the hurt together."""
    return kind == "killed" and k + 2 < len(toks) and toks[k + 1] in ("or", "and/or") and \
        _KIND.get(toks[k + 2]) == "injured"


def _kind_at(toks: list[str], k: int) -> str | None:
    t = toks[k]
    kind = _KIND.get(t)
    if kind is None:
        return None
    if t == "lives" and not (k > 0 and toks[k - 1] in ("their", "the", "his", "her", "lost", "claimed")):
        return None
    if t in ("death", "deaths") and k + 1 < len(toks) and toks[k + 1] in (
            "threats", "threat", "squad", "squads", "sentence", "penalty", "anniversary"):
        return None
    if t in ("rounded", "gunned") and not (k + 1 < len(toks) and toks[k + 1] == ("up" if t == "rounded" else "down")):
        return None
    if t == "custody" and not (k > 0 and toks[k - 1] in ("into", "in")):
        return None
    if t == "hurt" and k > 0 and toks[k - 1] in ("to",):
        return None
    if t == "casualties" or _killed_or_hurt(toks, k, kind):
        return "casualties"         # "40 people killed or hurt": dead and wounded together
    prev = toks[k - 1] if k > 0 else ""
    if prev in ("almost", "nearly") or (prev == "to" and k > 1 and toks[k - 2] in (
            "tried", "attempted", "attempt", "attempting", "threatened", "threatening", "plotted", "planned",
            "intended", "wanted", "sought", "vowed", "order", "ordered")):
        return None             # "almost killed him", "threatened to kill"
    return kind


_NONPERSON = set("""cattle livestock cows cow goats goat sheep camels camel animals animal donkeys
donkey horses horse pigs chickens dogs dog elephant elephants buffalo oxen bulls bull houses house homes
vehicles vehicle cars car hideouts hideout positions tanks tank trucks truck weapons households
household motorcycles motorcycle motorbikes motorbike boats boat shells buildings building shops shop
structures huts tents villages locations""".split())
_AFTER_NUM_SKIP = {"%", "percent", "per", "km", "kilometres", "kilometers", "kms", "miles", "meters", "metres",
                   "hours", "hour", "days", "day", "years", "year", "months", "month", "weeks", "week",
                   "minutes", "am", "pm", "times", "lakh", "lakhs", "crore", "crores", "million", "billion",
                   "dollars", "usd", "euros", "mm", "kg", "kilograms", "tons", "tonnes", "rounds",
                   "shells", "rockets", "missiles", "mortars", "bullets", "january", "february", "march",
                   "april", "may", "june", "july", "august", "september", "october", "november", "december",
                   "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                   "o'clock", "st", "nd", "rd", "th", ":", "/"}
_BEFORE_NUM_SKIP = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december", "no", "number", "#", "resolution", "route", "article",
                    "brigade", "battalion", "division", "regiment", "unit", "district", "zone", "sector",
                    "kilometre", "kilometer", "km", "lib", "ib", "rs", "$", "usd", "inr", "ward", "ps",
                    "block", "phase", "level", "grade", "class", "section", "camp", "checkpoint", "post",
                    "highway", "road", "street", "avenue", "kilo", "mile", "aged", "age", "chapter", "gate",
                    "€", "£", "km/h"}
_BODY_ADJ = {"dead", "lifeless", "charred", "burnt", "burned", "decomposed", "mutilated", "beheaded",
             "decapitated", "unidentified", "bullet-riddled", "headless", "other", "more", "human",
             "bound", "naked", "semi-naked", "tortured", "young", "old", "male", "female", "elderly"}
_SUBJ_SINGULAR_TRIG = {"killed", "injured", "wounded", "arrested", "detained", "abducted", "kidnapped",
                       "martyred", "gunned", "kidnaped", "murdered", "executed", "beheaded", "lynched", "assassinated", "hurt",
                       "apprehended", "died", "dead", "slain", "perished", "succumbed", "found"}


_NOT_PERSON_ANT = {"restaurant", "elephant", "giant", "plant", "implant", "pheasant", "pageant", "covenant",
                   "pendant", "pennant", "variant", "constant", "instant", "quadrant", "remnant", "abundant",
                   "relevant", "important", "significant", "dominant", "pregnant", "brilliant", "distant",
                   "ignorant", "arrogant", "elegant", "radiant", "pleasant", "reluctant",
                   "vacant", "hesitant", "resistant", "redundant", "irrelevant", "extravagant", "vigilant",
                   "toxicant", "stagnant", "median", "german", "ottoman", "caiman", "doberman", "talisman", "superman"}


def _is_person(w: str) -> bool:
    w = w[:-2] if w.endswith("'s") or w.endswith("s'") else w
    return w in _PERSON or (w.endswith("s") and w[:-1] in _PERSON) or \
        (len(w) > 5 and w.endswith(("ist", "ian", "man", "men", "ists", "ians", "ant", "ants"))
         and w.rstrip("s") not in _NOT_PERSON_ANT)


def _plural(w: str) -> bool:
    w = w[:-2] if w.endswith("'s") else w
    return (w.endswith("s") and not w.endswith("ss")) or w.endswith(("men", "ren", "ople")) or \
        w in ("police", "security", "personnel", "troops", "crew", "family", "militia", "forces")


def _part_apposition_end(toks: list[str], k: int) -> int | None:
    """``toks[k]`` is a comma opening a part told in apposition ("three people, two of them
    policemen, were killed"): the index of the comma that closes it, else None."""
    q = _quantity(toks, k + 1)
    if q is None or q.j + 1 >= len(toks) or toks[q.j] != "of" or toks[q.j + 1] not in ("them", "whom"):
        return None
    return next((x for x in range(q.j + 2, min(len(toks), q.j + 9)) if toks[x] == ","), None)


def _and_one_person_end(toks: list[str], kinds: list, j: int, noun_phrase_end) -> int | None:
    """After a counted object ending at ``j``: the end of "and a/an/one <person>" that adds one
    more victim ("killing two policemen and a polio worker"), else None."""
    n = len(toks)
    if not (j + 2 < n and toks[j] == "and" and toks[j + 1] in ("a", "an", "one", "another")):
        return None
    hj = noun_phrase_end(j + 2, 4, True)
    if hj > j + 2 and _is_person(toks[hj - 1]) and not _plural(toks[hj - 1]) and not (hj < n and kinds[hj]):
        return hj
    return None


#: capitalised words that open a sentence without naming anyone ("Many died")
_NOT_NAMES = {"many", "some", "others", "all", "both", "none", "most", "few", "they", "he", "she", "it",
              "who", "everyone", "somebody", "someone", "nobody", "each", "several", "hundreds", "dozens",
              "thousands", "scores", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
              "civilians", "people", "this", "that", "these", "those", "which", "one", "another"}


def _before_appositions(toks: list[str], s0: int) -> int:
    """``toks[s0]`` is the comma closing an apposition or two after a subject ("Sidhu, 28, who
    performed as X,"): the index of the subject's last word (``s0`` itself when none is found)."""
    def opening(close: int) -> int | None:
        x = next((x for x in range(close - 1, max(-1, close - 14), -1) if toks[x] in (",", ".", ";", ":")), None)
        return x if x is not None and toks[x] == "," and x > 0 else None

    first = opening(s0)
    if first is None:
        return s0
    k = first
    for _ in range(2):          # ", 28, who performed as X,": the age is an apposition too
        prev = opening(k)
        if prev is None or not (toks[prev + 1] in ("who", "a", "an", "the", "aged") or
                                _NUMERIC.match(toks[prev + 1])):
            break
        k = prev
    return k - 1


def _named_subject(toks: list[str], text: str, offs: list[tuple[int, int]], s0: int) -> bool:
    """Is ``toks[s0]`` the end of a person's name, the subject of "died" ("Salam died")?"""
    w = toks[s0]
    if not text[offs[s0][0]].isupper() or w in _NOT_NAMES or _is_person(w) or w in _UNITS or \
            w in _TENS or not w.isalpha():
        return False
    return s0 == 0 or toks[s0 - 1] not in _DET | {"of", "in", "at", "from", "and"}


#: nouns that take the count after them only with "of" ("the deaths of three men")
_NOMINAL_TRIGGERS = ("lives", "deaths", "death", "bodies", "body", "corpses", "murder", "murders",
                     "assassination", "killings")


class _Sentence:
    """One sentence being read for figures: its tokens and their trigger kinds, and the figures
    found so far (``out``) with the tokens they took (``used``). The readers below share it."""
    __slots__ = ("text", "base", "vague_plural", "toks", "offs", "n", "kinds", "out", "used", "groups",
                 "last_active")

    def __init__(self, text: str, base: int, vague_plural: int):
        found = _token_spans(text)
        toks = [t for t, _, _ in found] if "’" not in text else [t.replace("’", "'") for t, _, _ in found]
        self.text, self.base, self.vague_plural = text, base, vague_plural
        self.toks: list[str] = toks
        self.offs: list[tuple[int, int]] = [(s, e) for _, s, e in found]
        self.n = len(toks)
        self.kinds = _trigger_kinds(toks)
        self.out: list[dict[str, Any]] = []
        self.used: set[int] = set()
        self.groups = 0
        #: the last figure an active trigger took ("killing two soldiers"), for "and three civilians"
        self.last_active: dict[str, Any] | None = None

    def new_group(self) -> int:
        self.groups += 1
        return self.groups

    def emit(self, i0: int, j0: int, kind: str, q: _Q | None, count: int, **extra) -> None:
        """A figure over tokens ``i0:j0``: its value from ``q`` (or ``count`` alone)."""
        offs = self.offs
        s, e = offs[i0][0], offs[j0 - 1][1]
        val = {"kind": kind, "count": count, "low": q.low if q else count, "high": q.high if q else count,
               "approx": bool(q and q.approx) or extra.pop("approx", False), "negated": False,
               "part": False, "vague": bool(q and q.vague) or extra.pop("vague", False)}
        val.update(extra)
        if val["vague"] and q is not None and q.count == VAGUE_PLURAL:
            val["count"] = val["low"] = val["high"] = self.vague_plural
        if _PART_CUE.search(self.text[max(0, s - 40):s]):
            val["part"] = True
        self.out.append({"start": self.base + s, "end": self.base + e, "value": val})
        self.used.update(range(i0, j0))

    def active_trigger(self, k: int) -> bool:
        """Does the trigger at ``k`` take its victims after it ("killing five", "shot dead")?"""
        toks = self.toks
        return bool(self.kinds[k]) and (toks[k] in _ACTIVE or (toks[k] == "dead" and k > 0 and toks[k - 1] == "shot")
                                        or (toks[k] in ("death", "dead") and k > 0 and toks[k - 1] == "to"))

    def noun_phrase_end(self, j: int, limit: int = 4, stop_of: bool = False) -> int:
        """The end of the short noun phrase starting at ``j`` (at most ``limit`` words)."""
        toks, kinds, n = self.toks, self.kinds, self.n
        start = j
        while j < n and j - start < limit and toks[j] not in _STOP and not (stop_of and toks[j] == "of") and \
                toks[j] not in (",", ".", ";", "and", "(", ")", ":", "who", "were", "was") and not kinds[j]:
            j += 1
        return j

    def is_count(self, q: _Q) -> bool:
        """Is ``q`` a count of people, not an age, a time, a year or a label ("route 5")?"""
        toks, n = self.toks, self.n
        if q.j < n and (toks[q.j] in _AFTER_NUM_SKIP or (toks[q.j] == "-" and q.j + 1 < n and
                                                         toks[q.j + 1].startswith(("year", "month", "day", "week")))):
            return False
        if q.j < n and toks[q.j].startswith(("year-old", "years-old")):
            return False
        if q.j + 2 < n and toks[q.j] in ("a", "p") and toks[q.j + 1] == "." and toks[q.j + 2] == "m":
            return False        # "10 a.m."
        if q.i > 0 and toks[q.i - 1] in _BEFORE_NUM_SKIP and _NUMERIC.match(toks[q.i]):
            return False
        if not q.vague and 1900 <= q.low <= 2100 and q.low == q.high and _NUMERIC.match(toks[q.j - 1]) and \
                "," not in toks[q.j - 1]:
            return False
        return True


def _trigger_kinds(toks: list[str]) -> list[str | None]:
    """The trigger kind of each token; "shot dead", "beaten to death" are active triggers of a death."""
    kinds = [_kind_at(toks, k) for k in range(len(toks))]
    for k in range(1, len(toks)):
        if toks[k] == "dead" and toks[k - 1] in ("shot", "beaten", "stabbed", "hacked", "burnt", "burned"):
            kinds[k] = "killed"
        if toks[k] in ("death", "dead") and toks[k - 1] == "to" and k >= 2 and toks[k - 2] in (
                "beat", "beaten", "beating", "stabbed", "stoned", "hacked", "burned", "burnt", "lynched",
                "tortured", "clubbed", "shot", "starved", "trampled", "crushed"):
            kinds[k] = "killed"
            kinds[k - 2] = None
    return kinds


def _sentence_figures(text: str, base: int, vague_plural: int) -> list[dict[str, Any]]:
    """Figures of one sentence: dicts with start/end (document offsets) and a value."""
    s = _Sentence(text, base, vague_plural)
    _counted_figures(s)
    _one_person_figures(s)
    _found_bodies(s)
    return s.out


# -- figures with a number: the count is a subject, an object or one more part ---------------------
def _counted_figures(s: _Sentence) -> None:
    """Each count of people in turn: the subject of a trigger after it ("five were killed"), the
    object of one before it ("killing five"), or one more part of the figure before it."""
    toks, n, used = s.toks, s.n, s.used
    i = 0
    while i < n:
        if i in used:
            i += 1
            continue
        q = _quantity(toks, i)
        if q is None:
            i += 1
            continue
        if not s.is_count(q):
            i = max(q.j, i + 1)
            continue
        nxt = _passive_figure(s, i, q)
        if nxt is None:
            nxt = _active_figure(s, i, q)
        if nxt is None:
            nxt = _coordinated_figure(s, i, q)
        i = nxt if nxt is not None else max(q.j, i + 1)


def _passive_figure(s: _Sentence, i: int, q: _Q) -> int | None:
    """The count as the subject of a passive or stative trigger after it ("five were killed",
    "two soldiers dead"): the next token to read, or None when it is not one."""
    found, coord = _trigger_after_count(s, q)
    if found is None:
        found = _trigger_after_long_subject(s, q)
    if found is None or _victims_follow(s, q, found):
        return None
    kind = s.kinds[found]
    extra = {"trigger": "casualties"} if kind == "casualties" else {}
    kind = "other" if kind == "casualties" else kind
    g = s.new_group()
    starts = [i] + [c.i for c in coord]
    ends = []
    for c in coord:              # each part ends before the ", and" that follows it
        e0 = c.i
        while e0 - 1 > starts[len(ends)] and s.toks[e0 - 1] in (",", "and"):
            e0 -= 1
        ends.append(e0)
    ends.append(found + 1)
    s.emit(i, ends[0], kind, q, q.count, group=g, **extra)
    for c, e0 in zip(coord, ends[1:]):
        s.emit(c.i, e0, kind, c, c.count, group=g, **extra)
    s.used.update(range(i, found + 1))
    _gapped_figure(s, found + 1, kind, g)
    s.last_active = None
    return found + 1


def _trigger_after_count(s: _Sentence, q: _Q) -> tuple[int | None, list[_Q]]:
    """The trigger a short noun phrase after the count reaches ("two militants (suspected TTP)
    were killed", "three people, two of them policemen, were killed", "including ..."), and the
    counts coordinated with the first ("two soldiers and three civilians were killed")."""
    toks, kinds, n = s.toks, s.kinds, s.n
    k, nouns, coord, including = q.j, 0, [], False
    while k < n and k - q.j <= (16 if including else 8 + 4 * len(coord) + 3 * (")" in toks[q.j:k])):
        t = toks[k]
        if kinds[k]:
            if toks[k] in ("body", "bodies", "corpses") and not all(
                    w in _BODY_ADJ or _is_person(w) for w in toks[q.j:k]):
                break
            return k, coord
        if t == "(":       # "two militants (suspected TTP) were killed"
            close = next((x for x in range(k + 1, min(n, k + 10)) if toks[x] == ")"), None)
            if close is None or any(kinds[x] for x in range(k, close)):
                break
            k = close + 1
            continue
        if t == "including" or (t == "," and k + 1 < n and toks[k + 1] in ("including", "among")) or \
                (t == "among" and k + 1 < n and toks[k + 1] in ("them", "whom")):
            including = True
            k += 1
            continue
        if not including and t in (",", "and"):
            k = _past_comma(s, k, coord) if t == "," else _past_and(s, k, coord)
            if k is None:
                break
            continue
        if not including and (t in _STOP or t in (";", ".", ")", ":", "!", "?")):
            break
        if including and t in (";", ".", "(", ")"):
            break
        if not including and k > q.j and t not in ("a", "an", "some") and _quantity(toks, k) is not None:
            break
        if t not in _AUX:
            nouns += 1
        if nouns > 5 and not including:
            break
        k += 1
    return None, coord


def _past_comma(s: _Sentence, k: int, coord: list[_Q]) -> int | None:
    """A comma in the subject: past a part told in apposition, or past one more coordinated count
    (added to ``coord``); None when the comma ends the subject."""
    toks = s.toks
    if k + 1 >= s.n:
        return None
    close = _part_apposition_end(toks, k)
    if close is not None:      # "three people, two of them policemen, were killed"
        return close + 1
    k2 = k + 2 if toks[k + 1] == "and" else k + 1
    q2 = _quantity(toks, k2)
    if q2 is not None and s.is_count(q2) and not q2.vague and toks[k2] not in ("a", "an"):
        coord.append(q2)
        return q2.j
    return None


def _past_and(s: _Sentence, k: int, coord: list[_Q]) -> int | None:
    """An "and" in the subject: past one more count or person (added to ``coord``), or past the
    first verb of "shot and killed"; None when the "and" ends the subject."""
    toks, kinds, n = s.toks, s.kinds, s.n
    q2 = _quantity(toks, k + 1)
    if q2 is not None and s.is_count(q2) and not q2.vague:
        coord.append(q2)
        return q2.j
    if k + 2 < n and toks[k + 1] in ("a", "an", "another", "his", "her", "their"):
        hj = s.noun_phrase_end(k + 2, 4, stop_of=True)
        if hj > k + 2 and _is_person(toks[hj - 1]) and not _plural(toks[hj - 1]):
            coord.append(_Q(k + 1, hj, 1, 1, 1))
            return hj
    if k + 1 < n and kinds[k + 1] and k > 0 and toks[k - 1] in ("shot", "stabbed", "beaten",
                                                                 "attacked", "hacked", "tortured"):
        return k + 1
    return None


def _trigger_after_long_subject(s: _Sentence, q: _Q) -> int | None:
    """"seven civilians in different districts of the city were killed": a longer subject, as
    long as a passive verb closes it before any comma, number or other trigger."""
    toks, kinds, n = s.toks, s.kinds, s.n
    k = q.j
    while k < n and k - q.j <= 12 and toks[k] not in (",", ";", ".", ":") and not kinds[k] and \
            (k == q.j or _quantity(toks, k) is None or toks[k] in ("a", "an", "the")):
        if toks[k] in ("were", "was", "are", "been") and k > q.j:
            kk = k + 1
            while kk < n and toks[kk] in ("reportedly", "also", "allegedly", "later", "all", "shot",
                                          "and", "subsequently", "fatally", "been", "then", "found"):
                kk += 1
            if kk < n and kinds[kk] and toks[kk] not in ("body", "bodies", "corpses", "lives", "casualties"):
                return kk
            return None
        if toks[k] in ("who", "which", "that", "and"):
            return None
        k += 1
    return None


def _victims_follow(s: _Sentence, q: _Q, found: int) -> bool:
    """Is the count the doer, not the victims ("three gunmen killed a man"), or not people at all
    ("two houses were burned")? The victims, if any, follow the trigger."""
    toks, n = s.toks, s.n
    between = toks[q.j:found]
    subject_of_active = (
        s.active_trigger(found) and toks[found] not in ("bodies", "body", "corpses", "deaths", "death", "lives")
        and not any(b in ("were", "was", "been", "are", "is", "be") for b in between)
        and found + 1 < n and (toks[found + 1] in _DET or _quantity(toks, found + 1) is not None or
                               _is_person(toks[found + 1]) or toks[found + 1] in _PRONOUN_ONE | _PRONOUN_PL))
    head = [w for w in between if w not in _AUX]
    nonperson = head and any(w in _NONPERSON for w in head) and not any(_is_person(w) for w in head)
    return bool(subject_of_active or nonperson or (q.vague and not head and s.kinds[found] != "killed"))


def _gapped_figure(s: _Sentence, kk: int, kind: str, g: int) -> None:
    """Gapping after a passive figure ending before ``kk``: "four were killed and six on Saturday"."""
    toks, n = s.toks, s.n
    if kk + 1 < n and toks[kk] == "and":
        q2 = _quantity(toks, kk + 1)
        if q2 is not None and s.is_count(q2):
            nxt = toks[q2.j] if q2.j < n else "."
            if nxt in ("on", "in", "at", "near", ",", ".", ";", "during", "yesterday", "today",
                       "while", "when", "last", "this", "overnight", "earlier", "later"):
                s.emit(kk + 1, q2.j, kind, q2, q2.count, group=g)


def _active_figure(s: _Sentence, i: int, q: _Q) -> int | None:
    """The count as the object of an active trigger right before it ("killing 12 civilians",
    "killed at least five"): the next token to read, or None when it is not one."""
    trig = _active_trigger_before(s, i)
    if trig is None:
        return None
    toks = s.toks
    kind = s.kinds[trig]
    j = s.noun_phrase_end(q.j)
    head = toks[q.j:j]
    if not (j > q.j or toks[i] not in ("a", "an")):
        return None
    if not (head and any(w in _NONPERSON for w in head)):
        g = s.new_group()
        s.emit(i, j, kind, q, q.count, group=g)
        one = _and_one_person_end(toks, s.kinds, j, s.noun_phrase_end)
        if one is not None and one not in s.used:   # "killing two policemen and a polio worker"
            s.emit(j + 1, one, kind, None, 1, person=True, group=g)
            j = one
        s.last_active = {"kind": kind, "group": g, "end": j, "noun": head[-1] if head else None}
    return max(j, i + 1)


def _active_trigger_before(s: _Sentence, i: int) -> int | None:
    """The active trigger before the count at ``i``, past hedges and determiners ("killed at least
    the two", "killing himself and four policemen"); a noun trigger only with "of"."""
    toks, kinds, n = s.toks, s.kinds, s.n
    k = i - 1
    while k >= 0 and not kinds[k]:
        if toks[k] in _DET | {"at", "least", "another", "also", "up", "of", "more", "than", "over", "some",
                              "about", "around", "nearly", '"', "“", "'", "‘", "a", "total", "further",
                              "additional", "down"}:
            k -= 1
        elif toks[k] == "and" and k >= 2 and toks[k - 1] in ("himself", "herself", "him", "her", "them"):
            k -= 2      # "killing himself and four policemen", "killing him and 2 of his relatives"
        else:
            break
    trig = k if k >= 0 and s.active_trigger(k) else None
    if trig is not None and toks[trig] in _NOMINAL_TRIGGERS and \
            not (trig + 1 < n and toks[trig + 1] == "of") and toks[trig - 1] != "to":
        return None
    return trig


def _coordinated_figure(s: _Sentence, i: int, q: _Q) -> int | None:
    """The count as one more part of the active figure before it ("killing two soldiers and three
    civilians", "8 in A and 7 in B"): the next token to read, or None when it is not one."""
    last = s.last_active
    toks, kinds, n = s.toks, s.kinds, s.n
    if last is None or not (i >= 1 and toks[i - 1] in ("and", ",") and 0 <= i - 1 - last["end"] <= 7) or \
            any(kinds[x] or toks[x] in (";", ".", ":") for x in range(last["end"], i)):
        return None
    j = s.noun_phrase_end(q.j)
    head = toks[q.j:j]
    if j < n and kinds[j]:
        return q.j    # "... and three were injured": its own figure
    if head and (any(_is_person(w) for w in head) or head[-1] == last["noun"]) and \
            (i - 1 - last["end"] <= 1 or head[-1] == last["noun"] or _is_person(head[-1])):
        s.emit(i, j, last["kind"], q, q.count, group=last["group"])
        s.out[-1]["value"]["part"] = s.out[-1]["value"]["part"] or s.out[-2]["value"]["part"]
        last["end"] = j
        return j
    return None


# -- one person without a number: "a man was killed", "killed a man", "He was shot dead" -----------
def _one_person_figures(s: _Sentence) -> None:
    """Each trigger no count took: one victim as its object ("killed a man") or its subject ("a
    man was killed", "Salam died")."""
    toks, kinds, used = s.toks, s.kinds, s.used
    for k in range(s.n):
        kind = kinds[k]
        if not kind or kind == "casualties" or k in used:
            continue
        t = toks[k]
        if s.active_trigger(k) and k + 1 < s.n and (t not in _NOMINAL_TRIGGERS or toks[k + 1] == "of") and \
                _object_of_trigger(s, k, kind):
            continue
        if t in _SUBJ_SINGULAR_TRIG or (t == "death" and k > 0 and toks[k - 1] == "to"):
            _subject_of_trigger(s, k, kind)


def _object_of_trigger(s: _Sentence, k: int, kind: str) -> bool:
    """One victim after the active trigger at ``k`` ("killed him", "killed a man", "the killing of
    the council member", "killed commander Yusuf Ali"). True when the trigger is settled (a figure
    read, or none to read), False when its subject may still be one."""
    toks, kinds = s.toks, s.kinds
    t = toks[k]
    j = k + 1
    if toks[j] == "of":
        if t in ("killing", "death", "murder", "assassination", "deaths", "killings", "lives") or \
                (k > 0 and toks[k - 1] in _DET):
            j += 1       # "the killing of the council member"
        else:
            return True
    if toks[j] in ("and", "or") and j + 1 < s.n and kinds[j + 1]:
        return True    # "killed and injured two": the later trigger reads the count
    if j in s.used:
        return True
    if toks[j] in _PRONOUN_ONE:
        s.emit(j, j + 1, kind, None, 1, person=True)
        _more_objects(s, j + 1, kind)
        return True
    if toks[j] in ("a", "an", "one", "another", "the", "his", "her"):
        return _one_object(s, j, kind)
    if toks[j] not in _STOP and toks[j] not in (",", ".", ";", "and", "(", ")") and not kinds[j]:
        return _titled_object(s, j, kind)
    return False


def _one_object(s: _Sentence, j: int, kind: str) -> bool:
    """"killed a man", "killed the driver and his co-driver": one person (and more) from ``j``."""
    toks, n = s.toks, s.n
    jj = s.noun_phrase_end(j + 1, 4, stop_of=True)
    head = toks[j + 1:jj]
    if head and not _plural(head[-1]) and head[-1] not in _NONPERSON and \
            (toks[j] in ("a", "an", "one", "another") or _is_person(head[-1])) and \
            (toks[j] in ("a", "an", "one", "another") or jj >= n or
             toks[jj] in ("of", ",", ".", "and", "in", "at", "who", "near", "on", "during", "while", ";")):
        s.emit(j, jj, kind, None, 1, person=True)
        _more_objects(s, jj, kind)
        return True
    return False


def _titled_object(s: _Sentence, j: int, kind: str) -> bool:
    """"killed pro-government commander Yusuf Ali": a bare title, then a name."""
    toks, n = s.toks, s.n
    jj = s.noun_phrase_end(j, 4, stop_of=True)
    titles = [x for x in range(j, jj) if _is_person(toks[x]) and not _plural(toks[x])]
    if titles and not any(_plural(toks[x]) or toks[x] in _NONPERSON for x in range(j, titles[0])) \
            and (titles[0] + 1 >= n or s.text[s.offs[titles[0] + 1][0]].isupper() or
                 toks[titles[0] + 1] in (",", ".", "in", "at", "near", "on", "during", "and", "of")):
        s.emit(j, titles[0] + 1, kind, None, 1, person=True)
        return True
    return False


def _more_objects(s: _Sentence, j: int, kind: str) -> None:
    """'killed a driver and his co-driver', 'killed her and her husband', '... and 40 of his soldiers'."""
    toks, kinds, n = s.toks, s.kinds, s.n
    g = s.out[-1]["value"].setdefault("group", s.new_group())
    while True:
        if j < n and toks[j] == "of":        # "the leader of the unit and ..."
            j = s.noun_phrase_end(j + 1, 5, stop_of=True)
        if not (j + 1 < n and toks[j] == "and") or (j + 1) in s.used:
            return
        q2 = _quantity(toks, j + 1)
        if q2 is not None and toks[j + 1] not in ("a", "an"):
            if not s.is_count(q2):
                return
            e2 = s.noun_phrase_end(q2.j, 4)
            if e2 < n and kinds[e2]:
                return
            s.emit(j + 1, max(e2, q2.j), kind, q2, q2.count, group=g)
            j = max(e2, q2.j)
            continue
        if toks[j + 1] in ("a", "an", "one", "another", "his", "her", "their", "the") and j + 2 < n:
            hj = s.noun_phrase_end(j + 2, 4, stop_of=True)
            if hj > j + 2 and _is_person(toks[hj - 1]) and not _plural(toks[hj - 1]) and \
                    not (hj < n and kinds[hj]):
                s.emit(j + 1, hj, kind, None, 1, person=True, group=g)
                j = hj
                continue
        return


#: words between a subject and its trigger ("was reportedly shot and killed", "have been found dead")
_SUBJECT_TO_TRIGGER = {"reportedly", "also", "allegedly", "later", "subsequently", "shot", "and", "fatally",
                       "critically", "seriously", "severely", "then", "eventually", "beaten", "stabbed",
                       "burned", "burnt", "tortured", "hacked", "found", "being", "been", "got", "lightly",
                       "slightly", "to", "be", "have", "believed", "feared", "as", "lynched", "instantly",
                       "immediately", "taken", "away"}


def _subject_of_trigger(s: _Sentence, k: int, kind: str) -> None:
    """One victim (or a few) before the passive trigger at ``k``: "a man was killed", "He was shot
    dead", "a woman and her child died", "soldiers were killed"."""
    toks = s.toks
    t = toks[k]
    if t == "found" and not (k + 1 < s.n and toks[k + 1] == "dead"):
        return
    b = k - 1
    while b >= 0 and toks[b] in _SUBJECT_TO_TRIGGER:
        b -= 1
    if b < 1 and t not in ("died", "succumbed"):
        return
    aux = toks[b] if b >= 0 else ""
    if aux in ("was", "is", "has", "had"):
        s0 = b - 1
    elif t in ("died", "dead", "perished", "succumbed"):
        s0 = b
    else:
        _plural_subject(s, k, kind, b - 1, aux)
        return
    if s0 > 0 and toks[s0] == "," and aux in ("was", "is", "has", "had"):
        s0 = _before_appositions(toks, s0)   # "Sidhu, 28, who sang as X, was gunned down"
    if s0 < 0 or s0 in s.used:
        return
    subj = toks[s0]
    if t in ("died", "perished", "succumbed"):
        nps = _singular_chain(s, s0)
        if len(nps) > 1:        # "a woman and her child died"
            s.emit(nps[0], k + 1, kind, None, len(nps), person=True)
            return
    if (_is_person(subj) and not _plural(subj)) or subj in ("he", "she", "body"):
        _singular_subject(s, k, kind, s0)
    elif subj not in ("who", "whom", "which", "that"):   # "relatives of a man who was killed": told about
        _subject_further_back(s, k, kind, s0, aux, s0 == b)


def _plural_subject(s: _Sentence, k: int, kind: str, s0: int, aux: str) -> None:
    """"a soldier and a militant were killed" (one each), "civilians were killed" (a vague plural)."""
    toks = s.toks
    if aux in ("were", "are", "have") and toks[k] in ("killed", "murdered", "executed", "died", "dead",
                                                      "beheaded", "lynched", "massacred", "slain", "injured",
                                                      "wounded", "arrested", "abducted", "kidnapped"):
        nps = _singular_chain(s, s0)
        if nps:
            s.emit(nps[0], k + 1, kind, None, len(nps), person=True)
        elif s0 >= 0 and s0 not in s.used and (_is_person(toks[s0]) or toks[s0] in _PRONOUN_PL) and \
                _plural(toks[s0]) and kind == "killed":
            s.emit(s0, k + 1, kind, None, s.vague_plural, vague=True, approx=True)


def _singular_chain(s: _Sentence, s0: int) -> list[int]:
    """Starts of 'a soldier and a militant' ending at s0 (each one person); [] if not such a chain."""
    toks, kinds = s.toks, s.kinds
    starts: list[int] = []
    end = s0
    while end >= 0:
        st = end
        while st >= 0 and end - st < 4 and toks[st] not in ("a", "an", "one", "another", "his", "her", "the") \
                and toks[st] not in (",", ".", ";", "and", "(", ")") and not kinds[st]:
            st -= 1
        if st < 0 or toks[st] not in ("a", "an", "one", "another", "his", "her", "the") or \
                not _is_person(toks[end]) or _plural(toks[end]) or st in s.used:
            break
        starts.insert(0, st)
        if st >= 2 and toks[st - 1] == "and":
            end = st - 2
            continue
        break
    return starts if len(starts) > 1 else []


def _singular_subject(s: _Sentence, k: int, kind: str, s0: int) -> None:
    """The subject ending at ``s0`` is one person, "he"/"she" or a body: "the driver was killed",
    "his body was found"."""
    toks, kinds, used = s.toks, s.kinds, s.used
    t, subj = toks[k], toks[s0]
    if subj == "body" and s0 <= 0:
        return
    st = s0
    while st - 1 >= 0 and s0 - st < 3 and toks[st - 1] not in _STOP and toks[st - 1] not in \
            (",", ".", ";", "and", "(", ")") and not kinds[st - 1] and (st - 1) not in used:
        st -= 1
        if toks[st] in _DET or toks[st] == "one":
            break
    if subj == "body" and not (st < s0 and (toks[st] in ("a", "an", "his", "her") or _is_person(toks[s0 - 1]))):
        return
    s.emit(st, k + 1, "killed" if t in ("found", "death") else kind, None, 1, person=True)


def _subject_further_back(s: _Sentence, k: int, kind: str, s0: int, aux: str, bare: bool) -> None:
    """The word before the trigger is no person: "a soldier from the Egyptian forces was killed"
    (the head noun sits further back), or a name ("Salam died", "X was gunned down"). ``bare``:
    nothing stands between the subject and the trigger."""
    toks, kinds, used = s.toks, s.kinds, s.used
    t = toks[k]
    d = s0
    while d >= 0 and s0 - d < 12 and toks[d] not in (",", ";", ".", "and", "(", ")", "who", "which") \
            and not kinds[d]:
        if toks[d] in ("a", "an", "one", "the") and d + 1 <= s0:
            hj = s.noun_phrase_end(d + 1, 3, stop_of=True)
            h = toks[d + 1:hj]
            if h and not _plural(h[-1]) and h[-1] not in _NONPERSON and \
                    (_is_person(h[-1]) or toks[d] in ("a", "an")) and \
                    (hj > s0 or toks[hj] in ("from", "of", "in", "with", "at", "on", "near")):
                if not any(x in used for x in range(d, k + 1)):
                    s.emit(d, k + 1, kind, None, 1, person=True)
                break
        d -= 1
    if k not in used and _named_subject(toks, s.text, s.offs, s0) and (
            (t in ("died", "perished", "succumbed") and bare) or
            (aux in ("was", "is") and t in ("killed", "murdered", "assassinated", "gunned", "slain"))):
        s.emit(s0, k + 1, kind, None, 1, person=True, named=True)   # "Salam died", "X was gunned down"


def _found_bodies(s: _Sentence) -> None:
    """A body found: "a man's body was found", "his body was recovered", "the body of a woman"."""
    toks, used, n = s.toks, s.used, s.n
    for k in range(1, n - 1):
        if toks[k] == "body" and k not in used and toks[k + 1] in ("was", "is", "has", "had") and \
                any(w in ("found", "discovered", "recovered", "retrieved", "dumped") for w in toks[k + 2:k + 5]):
            st = k - 1
            while st > 0 and k - st < 3 and toks[st] not in _DET and toks[st] not in (",", ".", ";", "and"):
                st -= 1
            if toks[st] in ("a", "an", "his", "her") or toks[k - 1].endswith("'s"):
                if not any(x in used for x in range(st, k + 1)):
                    s.emit(st, k + 1, "killed", None, 1, person=True)
    for k in range(n - 2):
        if toks[k] in ("body",) and toks[k + 1] == "of" and k + 2 < n and toks[k + 2] in ("a", "an", "one") \
                and (k + 2) not in used and k not in used:
            jj = s.noun_phrase_end(k + 3, 3)
            if jj > k + 3 and _is_person(toks[jj - 1]):
                s.emit(k, jj, "killed", None, 1, person=True)


def m_end(out: list[dict[str, Any]], base: int) -> int:
    return out[-1]["end"] - base


#: words one of which every match of _CODED, of _SPLIT holds: a sentence without any is not searched
_CODED_WORDS = ("coded", "estimated", "recorded", "counted")
_SPLIT_WORDS = ("split", "spilt", "divided", "distributed", "spread")


def _coded(sent: str, base: int, doc_text: str) -> list[dict[str, Any]]:
    out = []
    low = lower_for_literals(sent)
    for m in (_CODED.finditer(sent) if low is None or any(w in low for w in _CODED_WORDS) else ()):
        raw = m.group("n") or m.group("n2")
        v = parse_number(raw)
        if v is None:
            continue
        out.append({"start": base + m.start(), "end": base + m.end(),
                    "value": {"kind": "killed", "count": v, "low": v, "high": v, "approx": False,
                              "negated": False, "part": False, "vague": False, "coded": True}})
    if out:
        m = re.search(r"\bsplit\s+(?:evenly\s+|equally\s+)?(?:between|across|among|over|into)\s+(?:the\s+)?"
                      r"(?P<k>\d+|[a-z]+)\s+(?:events|locations|days|incidents|villages|places|areas)",
                      sent[m_end(out, base):], re.I)
        k = parse_number(m.group("k")) if m else None
        if k:
            out[-1]["value"]["split"] = k
            out[-1]["value"]["split_total"] = out[-1]["value"]["count"]
    for m in (_SPLIT.finditer(sent) if low is None or any(w in low for w in _SPLIT_WORDS) else ()):
        k = parse_number(m.group("k"))
        if not k:
            continue
        total = parse_number(m.group("n").replace(",", "")) if m.group("n") else None
        out.append({"start": base + m.start(), "end": base + m.end(),
                    "value": {"kind": "killed", "count": None, "low": None, "high": None, "approx": True,
                              "negated": False, "part": False, "vague": False, "split": k,
                              "split_total": total}})
    return out


def _negations(sent: str, base: int) -> list[dict[str, Any]]:
    out = []
    for m in _NEG.finditer(sent) if _NEG_FOLDED.found(sent) else ():
        word = (m.group("v1") or m.group("v2") or m.group("n") or "").lower()
        if word.startswith(("injur", "wound", "hurt", "harm")) or "injured" in word or "hurt" in word:
            kinds = ["injured"]
        elif word.startswith(("arrest", "detain")):
            kinds = ["arrested"]
        elif word.startswith(("casualt", "victim")):
            kinds = ["killed", "injured"]
        else:
            kinds = ["killed"]
        for kind in kinds:
            out.append({"start": base + m.start(), "end": base + m.end(),
                        "value": {"kind": kind, "count": 0, "low": 0, "high": 0, "approx": False,
                                  "negated": True, "part": False, "vague": False}})
    return out


def _summaries(sent: str, base: int, figures: list[dict[str, Any]]) -> None:
    m = _SUMMARY.search(sent) if _SUMMARY_FOLDED.found(sent) else None
    if not m:
        return
    s, e = base + m.start(), base + m.end()
    if m.group("q2"):
        v = parse_number(m.group("q2"))
        if v is not None and not any(f["start"] < e and s < f["end"] for f in figures):
            figures.append({"start": s, "end": e, "value": {
                "kind": "killed", "count": v, "low": v, "high": v, "approx": False, "negated": False,
                "part": False, "vague": False, "summary": True,
                **({"revised": True} if m.group("rev") else {})}})
            return
    for f in figures:
        if f["value"]["kind"] == "killed" and f["start"] < e and s < f["end"]:
            f["value"]["summary"] = True


_EARLIER_TOLL = re.compile(r"\b(?:earlier|initially|at\s+first|first|previously|preliminary|original(?:ly)?|"
                           r"an\s+early)\b[^.;]{0,60}\b(?:toll|reported|reports?|said|says|given|gave|put|"
                           r"figures?|counts?|estimated?|announced|stated)\b[^.;]{0,40}$", re.I)
_EARLIER_AFTER = re.compile(r"^\W{0,3}(?:[\w-]+\s+){0,3}?(?:first|initially|earlier|previously)\s+"
                            r"(?:reported|given|announced|put|said)\b", re.I)


def _mark_superseded(sent: str, base: int, figures: list[dict[str, Any]]) -> None:
    """A death toll told as an earlier report ("SANA had earlier given a toll of 13", "at first,
    officials reported three deaths", "the 10 dead first reported"): ``superseded``, so that a
    later, higher figure for the same deaths replaces it rather than losing to it."""
    for f in figures:
        v = f["value"]
        if v["kind"] != "killed" or v.get("coded") or v.get("negated"):
            continue
        s, e = f["start"] - base, f["end"] - base
        if _EARLIER_TOLL.search(sent[:s]) or _EARLIER_AFTER.search(sent[e:]):
            v["superseded"] = True
            v.pop("summary", None)
            v.pop("revised", None)


def _without_superseded(spans: list[Span]) -> list[Span]:
    """Drop the earlier tolls that a figure as high or higher, not itself an earlier toll, replaces."""
    current = [int(s.value["count"]) for s in spans if not s.value.get("superseded")]
    if not current:
        return spans
    top = max(current)
    return [s for s in spans if not s.value.get("superseded") or int(s.value["count"]) > top]


_SIZE_NOUN = {"people", "protesters", "demonstrators", "residents", "students", "workers", "supporters",
              "members", "women", "farmers", "teachers", "activists", "villagers", "persons", "traders",
              "drivers", "youths", "doctors", "nurses", "employees", "participants", "marchers",
              "individuals", "locals", "citizens", "motorcyclists", "pensioners", "retirees", "miners",
              "vendors", "parents", "relatives", "inhabitants", "followers", "fishermen", "taxi",
              "health", "civil", "university", "opposition", "mothers", "men", "veterans", "lawyers"}
_SIZE_CUE = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ied|ies)|march(?:ed|es)?|gather\w*|sit-in|"
                       r"strik(?:e|ed|ing)|picket\w*|assembl\w*|block(?:ed|aded)?|took\s+to\s+the\s+streets)\b", re.I)
_SIZE_TAG = re.compile(r"\[size=(?P<s>[^\]]*)\]", re.I)
_SIZE_CUE_FOLDED = Folded(_SIZE_CUE)
#: most sentences deny no casualty and sum none up: asked first of their lower-cased text
_NEG_FOLDED = Folded(_NEG)
_SUMMARY_FOLDED = Folded(_SUMMARY)


_LAST_TOKENS: tuple = ("", [])


def _token_spans(sent: str) -> list[tuple[str, int, int]]:
    """The lower-cased tokens of a sentence with their offsets; the last sentence's are kept (the
    figures, sizes and other counts of one sentence are read one after the other)."""
    global _LAST_TOKENS
    last = _LAST_TOKENS
    if last[0] is sent:
        return last[1]
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(sent)]
    _LAST_TOKENS = (sent, toks)
    return toks


def _tokens_and_taken(sent: str, figures: list[dict[str, Any]]):
    """(lower-cased tokens with offsets, the words alone, the spans already read as figures)."""
    toks = list(_token_spans(sent))
    return toks, [t[0] for t in toks], [(f["start"], f["end"]) for f in figures]


def _sizes(sent: str, base: int, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not _SIZE_CUE_FOLDED.found(sent):
        return []
    out = []
    toks, words, taken = _tokens_and_taken(sent, figures)
    i = 0
    while i < len(words):
        q = _quantity(words, i)
        if q is None:
            i += 1
            continue
        j = q.j
        while j < len(words) and j - q.j < 3 and words[j] not in _SIZE_NOUN and words[j] not in _STOP \
                and words[j] not in (",", ".", ";"):
            j += 1
        if j < len(words) and words[j] in _SIZE_NOUN and (q.low < 1900 or q.low > 2100 or "," in words[q.j - 1]):
            s, e = base + toks[i][1], base + toks[j][2]
            if not any(s < te and ts < e for ts, te in taken):
                out.append({"start": s, "end": e, "value": {
                    "kind": "size", "count": q.count, "low": q.low, "high": q.high, "approx": q.approx,
                    "negated": False, "part": False, "vague": q.vague}})
            i = j + 1
            continue
        i = q.j
    return out


#: a word or digit without which a sentence holds no quantity (see _num_at): a sentence without
#: one is not tokenised again (ASCII letters, as the tokens are; a digit of any script)
_MAYBE_NUMBER = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(sorted(
    set(_UNITS) | set(_TENS) | set(_VAGUE) | {"dozen", "both", "hundred", "thousand", "number", "score"},
    key=len, reverse=True)) + r")", re.I | re.A)
_ANY_DIGIT = re.compile(r"\d")


def _others(sent: str, base: int, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Counts of people tied to no casualty word ("between 3,000 and 5,000 fighters", "200 troops"):
    kind ``other``, for strength claims and the like."""
    if not _ANY_DIGIT.search(sent) and not _MAYBE_NUMBER.search(sent):
        return []
    out = []
    toks, words, taken = _tokens_and_taken(sent, figures)
    i = 0
    while i < len(words):
        if words[i] in ("a", "an", "one", "some", "the"):
            i += 1
            continue
        q = _quantity(words, i)
        if q is None:
            i += 1
            continue
        j = q.j
        while j < len(words) and j - q.j < 3 and not _is_person(words[j]) and words[j] not in _STOP \
                and words[j] not in (",", ".", ";", "(", ")", "-"):
            j += 1
        raw = words[q.j - 1]
        if j < len(words) and _is_person(words[j]) and _plural(words[j]) and \
                (q.vague or q.low >= 2) and not (1900 <= q.low <= 2100 and "," not in raw and raw.isdigit()):
            s, e = base + toks[i][1], base + toks[j][2]
            if not any(s < te and ts < e for ts, te in taken):
                out.append({"start": s, "end": e, "value": {
                    "kind": "other", "count": q.count, "low": q.low, "high": q.high, "approx": q.approx,
                    "negated": False, "part": False, "vague": q.vague, "what": words[j]}})
            i = j + 1
            continue
        i = max(q.j, i + 1)
    return out


def size_from_tag(tag: str) -> dict[str, Any] | None:
    """ACLED's ``[size=...]`` note: 'around 80' -> count 80; 'no report' -> None."""
    t = tag.strip().lower()
    if not t or "no report" in t or t in ("unknown", "n/a"):
        return None
    toks = [m.group(0).lower() for m in _TOKEN.finditer(t)]
    for i in range(len(toks)):
        q = _quantity(toks, i)
        if q is not None:
            return {"kind": "size", "count": q.count, "low": q.low, "high": q.high, "approx": q.approx,
                    "vague": q.vague}
    return None


_ELSEWHERE = re.compile(r"\(?\bcoded\s+(?:separately|elsewhere|as\s+a\s+separate\s+event)\b|"
                        r"\b(?:fatalities|deaths|casualties)\s+(?:are\s+|were\s+|have\s+been\s+)?coded\s+(?:to|in|under)\s+"
                        r"(?:the\s+|a\s+|another\s+)?[^.;)]{0,60}?\bevents?\b", re.I)
_PROTEST = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ied|ies)|march(?:ed|es|ing)|(?-i:march)|gathered|"
                      r"sit-in|vigil|(?:on|general|hunger)\s+strike|picket\w*|commemorat\w*)\b", re.I)
#: a word each of _PROTEST's alternatives holds: a sentence whose lower-cased text has none is not searched
_PROTEST_WORDS = ("protest", "demonstrat", "rall", "march", "gathered", "sit-in", "vigil", "strike", "picket",
                  "commemorat")


def _protest_search(sent: str) -> re.Match | None:
    """``_PROTEST.search(sent)``, skipped where the lower-cased sentence holds none of its words."""
    low = lower_for_literals(sent)
    if low is not None and not any(w in low for w in _PROTEST_WORDS):
        return None
    return _PROTEST.search(sent)
_CAUSE = re.compile(r"\b(?:against|over|after|following|for|tribute|anniversary|memory|justice|condemn\w*|"
                    r"denounc\w*|mourn\w*|commemorat\w*|demand\w*|return|solidarity|vigil|funeral|remember\w*|"
                    r"honou?r\w*|killing\s+of|death\s+of|deaths\s+of)\b", re.I)


_ACCUSED = re.compile(r"\b(?:suspected|accused|convicted|charged|guilty|responsible|wanted|blamed|arrested|"
                      r"detained|sentenced|tried|jailed)\s+(?:of|for|with|in)\b[^,;]{0,40}$", re.I)
_AFTER = re.compile(r"\b(?:after|following|over|in\s+(?:retaliation|revenge|response|reprisal)\s+(?:for|to)|"
                    r"to\s+(?:avenge|protest|denounce|condemn|mourn)|avenging)\s+(?:[^\s,;.()]+\s+){0,6}$", re.I)


def _mark_context(doc: Document, bounds: list[tuple[int, int]], figures: list[dict[str, Any]]) -> None:
    """Deaths told as the cause of a protest, coded to another event, or in history: not this event's."""
    text = doc.text
    background_sents: set[int] = set()
    dated: dict[int, list[bool]] = {}
    for sp in doc.layer("dates"):
        dated.setdefault(sp.sent, []).append(bool(sp.value.get("background")))
    for si, flags in dated.items():
        if all(flags):
            background_sents.add(si)
    protest_seen = False
    starts = [f["start"] for f in figures]          # figures come sorted by start
    for si, (s, e) in enumerate(bounds):
        sent = text[s:e]
        inside = [f for f in figures[bisect_left(starts, s):bisect_left(starts, e)]
                  if f["value"]["kind"] in ("killed", "injured")]
        p = _protest_search(sent)
        if not inside:
            protest_seen = protest_seen or bool(p)
            continue
        m = _ELSEWHERE.search(sent)
        if m:
            for f in inside:
                if f["start"] < s + m.start() + 5 and not f["value"].get("coded"):
                    f["value"]["context"] = "coded elsewhere"
        for f in inside:
            before = text[s:f["start"]]
            if not f["value"].get("coded") and (_ACCUSED.search(before) or _AFTER.search(before)):
                f["value"].setdefault("context", "cause or accusation")
        if p or protest_seen:
            # deaths a protest is about ("rallied against the killing of two students")
            for f in inside:
                start = s + p.end() if p and s + p.start() < f["start"] else s
                if (p is None or s + p.start() < f["start"] or protest_seen) and \
                        _CAUSE.search(text, start, f["start"]) and not f["value"].get("coded"):
                    f["value"]["context"] = "cause of a protest"
        protest_seen = protest_seen or bool(p)
        if si in background_sents:
            for f in inside:
                if not f["value"].get("coded"):
                    f["value"].setdefault("context", "background")


#: a "sentence" with more figures than this is a table or a list (or hostile text): skipped, which
#: also keeps the stage's cost bounded
MAX_NUMBERS_PER_SENTENCE = 40
_DIGIT_RUN = re.compile(r"\d+")


def annotate(doc: Document, vague_plural: int = VAGUE_PLURAL) -> list[Span]:
    """Add the ``numbers`` layer to ``doc``."""
    doc.spans["numbers"] = []
    sents = doc.sentences or []
    bounds = [(s.start, s.end) for s in sents] or [(0, len(doc.text))]
    figures_all: list[dict[str, Any]] = []
    next_group = 0
    for s, e in bounds:
        sent = doc.text[s:e]
        if len(_DIGIT_RUN.findall(sent)) > MAX_NUMBERS_PER_SENTENCE:
            continue            # a table or a list of figures, not a report of casualties
        figs = _sentence_figures(sent, s, vague_plural)
        next_group = _renumber_groups(figs, next_group)
        figures_all.extend(_with_other_figures(doc, sent, s, figs))
    figures_all.sort(key=lambda f: (f["start"], f["end"]))
    _mark_context(doc, bounds, figures_all)
    _mark_parts_of_told_totals(figures_all)
    _mark_parts_after_total(figures_all)
    for f in figures_all:
        v = f["value"]
        v.pop("group_sum", None)
        doc.add_span("numbers", f["start"], f["end"], v["kind"], v)
    raw = doc.raw or ""
    m = _SIZE_TAG.search(raw)
    if m:
        got = size_from_tag(m.group("s"))
        doc.meta["reported_size"] = got["count"] if got else None
    return doc.spans["numbers"]


def _renumber_groups(figs: list[dict[str, Any]], next_group: int) -> int:
    """Make a sentence's group ids unique in the document (after ``next_group``); the last one used."""
    renum: dict[int, int] = {}
    for f in figs:
        g = f["value"].get("group")
        if g is not None:
            if g not in renum:
                next_group += 1
                renum[g] = next_group
            f["value"]["group"] = renum[g]
    return next_group


def _with_other_figures(doc: Document, sent: str, s: int, figs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A sentence's figures with its coder's notes and denials (which replace a figure of their kind
    they overlap), summary tolls, earlier tolls, crowd sizes and other counts of people."""
    extras = _coded(sent, s, doc.text) + _negations(sent, s)
    for extra in extras:
        figs = [f for f in figs if not (f["start"] < extra["end"] and extra["start"] < f["end"]
                                        and f["value"]["kind"] == extra["value"]["kind"])]
    figs.extend(extras)
    _summaries(sent, s, figs)
    _mark_superseded(sent, s, figs)
    figs.extend(_sizes(sent, s, figs))
    figs.extend(_others(sent, s, figs))
    return figs


def _mark_parts_of_told_totals(figures_all: list[dict[str, Any]]) -> None:
    """Groups whose parts sum to a figure told elsewhere are parts ("four ... and six" + "10")."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for f in figures_all:
        g = f["value"].get("group")
        if g is not None:
            groups.setdefault(g, []).append(f)
    by_value: dict[tuple, list[dict[str, Any]]] = {}
    for f in figures_all:
        by_value.setdefault((f["value"]["kind"], f["value"]["count"]), []).append(f)
    for g, members in groups.items():
        if len(members) < 2:
            continue
        kind = members[0]["value"]["kind"]
        total = sum(m["value"]["count"] or 0 for m in members)
        others = [f for f in by_value.get((kind, total), ()) if f["value"].get("group") != g]
        if others:
            for m in members:
                m["value"]["part"] = True
            for o in others:            # the total those parts make up, told elsewhere
                o["value"]["parts_group"] = g


def _mark_parts_after_total(figures_all: list[dict[str, Any]]) -> None:
    """Figures told after a total that add up to it are its parts ("7 killed ... three in one
    blast ... four in the other")."""
    killed = [f for f in figures_all if f["value"]["kind"] == "killed" and not f["value"]["negated"]
              and f["value"]["count"] and not f["value"].get("coded") and not f["value"].get("part")]
    for x, tot in enumerate(killed):
        t = tot["value"]["count"]
        y = x + 1
        while y < len(killed) and killed[y]["value"]["count"] == t:
            y += 1              # the same total told again
        run, acc = [], 0
        for f in killed[y:y + 6]:
            acc += f["value"]["count"]
            run.append(f)
            if acc >= t:
                break
        if acc == t and len(run) >= 2 and len({f["value"].get("group") for f in run}) > 1:
            for f in run:
                f["value"]["part"] = True
            for f in killed[x:y]:
                f["value"]["parts_group"] = run[0]["value"].get("group")


@stage("numbers", requires=("sentences",), assigns=("numbers",))
def make_numbers(config):
    """Casualty, arrest, abduction and crowd-size counts (ACLED's conservative reading)."""
    vague = config.get("numbers", "vague_plural", VAGUE_PLURAL) if config is not None else VAGUE_PLURAL

    def numbers(doc: Document) -> Document:
        annotate(doc, int(vague))
        return doc

    return numbers


# -- the event's fatality count -----------------------------------------------------------------
def _sayer(sentence: str) -> str | None:
    m = _SAYER.search(sentence)
    if not m:
        return None
    return (m.group(1) or m.group(2) or "").strip() or None


class _Total(NamedTuple):
    """The deaths one sentence tells: its figures (``whole``), whether one is a summary toll, whether
    a cue adds them to others ("also", "another"), and who says so (None when no one is cited)."""
    sent: int
    total: int
    whole: list[Span]
    summary: bool
    additive: bool
    said: str | None


def count(doc: Document, kind: str = "killed", sents: list[int] | None = None) -> tuple[int | None, list[Span], list[dict]]:
    """The conservative total of ``kind`` figures told in ``sents`` (all when None), each death once."""
    spans = [s for s in (doc.in_sents("numbers", sents) if sents is not None else doc.layer("numbers"))
             if s.value.get("kind") == kind]
    if not spans:
        return None, [], []
    # 1. a coder's note fixes it
    coded = [s for s in spans if s.value.get("coded")]
    if coded:
        return _coded_count(coded[-1])
    spans = [s for s in spans if not s.value.get("context")]
    splits = [s for s in spans if s.value.get("split")]
    real = [s for s in spans if s.value.get("count") is not None and not s.value.get("split")]
    positive = _without_superseded([s for s in real if not s.value.get("negated")])
    negated = [s for s in real if s.value.get("negated")]
    if not positive:
        return _count_without_figures(splits, negated)
    # 2. sentence totals: a coordinated group sums, parts ("including five women") do not count
    claims: list[dict] = []
    totals = _sentence_totals(doc, positive, negated, claims)
    if not totals:
        return None, [], []
    # 3. the totals of the sentences together: repeated, claimed, partial or added
    result, support = _combine_totals(doc, totals, claims)
    if splits and result:
        k = int(splits[-1].value["split"])
        tot = splits[-1].value.get("split_total") or result
        if k > 0:
            return _share(tot, k), support + [splits[-1]], claims
    return result, support, claims


def _coded_count(c: Span) -> tuple[int, list[Span], list[dict]]:
    """A coder's note fixes the count ("Fatalities coded as 3"), shared when split over events."""
    if c.value.get("split"):
        return _share(int(c.value["count"]), int(c.value["split"])), [c], []
    return int(c.value["count"]), [c], []


def _count_without_figures(splits: list[Span], negated: list[Span]) -> tuple[int | None, list[Span], list[dict]]:
    """No positive figure: a split total's share, else 0 when denied ("no one was killed"), else None."""
    if splits and splits[-1].value.get("split_total"):
        sp = splits[-1]
        return _share(int(sp.value["split_total"]), int(sp.value["split"])), [sp], []
    if splits:
        return None, splits, []
    return (0, negated[:1], []) if negated else (None, [], [])


def _sentence_totals(doc: Document, positive: list[Span], negated: list[Span], claims: list[dict]) -> list[_Total]:
    """Each sentence's total, in order; precise figures, when any, put vague ones aside. Figures
    a sentence sets aside as claims go to ``claims``."""
    by_sent: dict[int, list[Span]] = {}
    for s in positive:
        by_sent.setdefault(s.sent, []).append(s)
    precise = [s for s in positive if not s.value.get("vague")]
    totals: list[_Total] = []
    for si in sorted(by_sent):
        ss = by_sent[si]
        if precise:
            ss = [s for s in ss if not s.value.get("vague")] or []
            if not ss:
                continue
        whole = [s for s in ss if not s.value.get("part") or not _total_told(s, positive)]
        if whole:
            totals.append(_sentence_total(doc, si, whole, negated, claims))
    return totals


def _sentence_total(doc: Document, si: int, whole: list[Span], negated: list[Span], claims: list[dict]) -> _Total:
    """The deaths sentence ``si`` tells with the figures ``whole``."""
    sent_text = doc.sentence_text(si)
    total = sum(int(s.value["count"]) for s in whole)
    if _told_twice(doc, whole):
        total = int(whole[0].value["count"])
    summary = any(s.value.get("summary") for s in whole)
    if summary:             # "killed seven, bringing the death toll to 12": the toll is the total
        whole = [s for s in whole if s.value.get("summary")]
        total = max(int(s.value["count"]) for s in whole)
    additive = any(_ADD_CUE.search(doc.text, max(0, x.start - 12), x.end) for x in whole)
    said = (_sayer(sent_text) or "") if _CLAIM.search(sent_text) else None
    if said is not None and any(x.sent == si for x in negated):
        # "sources reported no casualties, while one source claimed 70 were killed"
        claims.extend({"value": int(x.value["count"]), "span_text": x.text} for x in whole)
        whole = [x for x in negated if x.sent == si][:1]
        total = 0
    if len(whole) > 1 and not summary:
        total = _lower_of_two_sources(doc, whole, total, claims)
    return _Total(si, total, whole, summary, additive, said)


def _told_twice(doc: Document, whole: list[Span]) -> bool:
    """In one sentence, the same figure twice is one figure ("killed 5 ... the 5 dead")."""
    vals = [int(s.value["count"]) for s in whole]
    return len(vals) > 1 and len(set(vals)) == 1 and len({s.value.get("group") or id(s) for s in whole}) > 1 \
        and not any(_ADD_CUE.search(doc.text, max(0, x.start - 12), x.end) for x in whole[1:]) and (vals[0] > 1 or any(
            "bod" in s.text.lower() or "corpse" in s.text.lower() or s.text.lower() in ("him", "her")
            for s in whole))


def _lower_of_two_sources(doc: Document, whole: list[Span], total: int, claims: list[dict]) -> int:
    """"Four were killed; the police claim two were killed": one sentence, two sources. The lower
    figure is the total, the others become claims; ``total`` when the sentence is not such."""
    first, last = min(whole, key=lambda x: x.start), max(whole, key=lambda x: x.start)
    if first.value.get("group") == last.value.get("group") or \
            not _STRONG_CLAIM.search(doc.text, first.end, last.start):
        return total
    by_group: dict[Any, int] = {}
    for x in whole:
        key = x.value.get("group") or id(x)
        by_group[key] = by_group.get(key, 0) + int(x.value["count"])
    total = min(by_group.values())
    claims.extend({"value": v, "span_text": last.text} for v in by_group.values() if v != total)
    return total


def _combine_totals(doc: Document, totals: list[_Total], claims: list[dict]) -> tuple[int, list[Span]]:
    """The count over the sentences: the last summary toll when there is one; else the first total,
    with each later one dropped as told again or as a part, kept as a claim, taken as the new
    overall total ("10 in all"), or added."""
    summaries = [t for t in totals if t.summary]
    if summaries:
        return summaries[-1].total, summaries[-1].whole
    strong = {t.sent: bool(_STRONG_CLAIM.search(doc.sentence_text(t.sent))) for t in totals}
    result, support = totals[0].total, list(totals[0].whole)
    seen = [result]
    for si, total, whole, summary, additive, said in totals[1:]:
        if total in seen and not (additive and total != result):
            continue           # the same deaths told again ("10 killed" ... "the 10 dead")
        if said is not None and not additive and (
                total > result or (strong[si] and any(strong[x.sent] for x in support))):
            # a figure someone gives for the same fighting: a claim; keep the lower figure.
            # (A smaller figure is a claim only when both are attributed: "X claimed two
            # killed ... other sources reported one"; else it is a part of those counted.)
            claims.append({"value": total, "span_text": whole[0].text, **_where(doc, whole[0]),
                           **({"said_by": said} if said else {})})
            if total < result:
                claims.append({"value": result, "span_text": support[0].text, **_where(doc, support[0])})
                result, support = total, list(whole)
            seen.append(total)
            continue
        if total < result and not additive:
            seen.append(total)     # a smaller figure without 'also': part of those counted
            continue
        if total > result and not additive and sum(seen) <= total and any(
                w in doc.sentence_text(si).lower() for w in ("total", "toll", "in all", "altogether",
                                                             "overall", "bringing")):
            result, support = total, list(whole)   # "3 soldiers ... 10 in all"
            seen.append(total)
            continue
        result += total
        support.extend(whole)
        seen.append(total)
    return result, support


def _total_told(part: Span, spans: list[Span]) -> bool:
    """Is the total that ``part`` belongs to among ``spans``? (else the part counts on its own)"""
    g = part.value.get("group")
    group_sum = sum(int(s.value["count"] or 0) for s in spans if g is not None and s.value.get("group") == g) \
        or int(part.value["count"] or 0)
    return any(not s.value.get("part") and s.value.get("group", -1) != g and int(s.value["count"] or 0) >= group_sum
               for s in spans if s.value.get("count") is not None)


def _share(total: int, k: int) -> int:
    """ACLED spreads a total over k events evenly, rounding half up, at least 1 each."""
    return max(1, int(total / k + 0.5)) if total > 0 else 0


def _where(doc: Document, span: Span) -> dict:
    """The evidence of a claim: its character span and sentence."""
    return {"start": span.start, "end": span.end, "sentence": doc.sentence_text(span.sent)}


def fatalities(doc: Document, sents: list[int] | None = None) -> tuple[int, list[Span], list[dict]]:
    """ACLED's fatality count for an event told in ``sents`` (all sentences when None).

    Returns ``(count, supporting spans, claims)``; count is 0 when no death is reported.
    """
    n, support, claims = count(doc, "killed", sents)
    return (n or 0), support, claims


__all__ = ["make_numbers", "annotate", "fatalities", "count", "parse_number", "size_from_tag",
           "VAGUE_PLURAL"]
