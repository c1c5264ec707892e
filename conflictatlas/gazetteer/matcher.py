"""Find place-name mentions in text by direct gazetteer lookup (longest match first).

spaCy misses many place names ("Tawileh", "Minakulu"), so every run of capitalised words (with
lower-case connectors: "Rio de Janeiro", "Deir ez-Zor", "al-Qaim") up to six words long is looked
up; the longest run that is a gazetteer name wins. Common capitalised English words that are also
somewhere a village ("Police", "Monday", "Security") are skipped unless spaCy calls them a place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import ARTICLES, fold, key, skeleton

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’]*\w)?(?:[-‐](?:[\w'’]*\w))*|\d+")
_CONNECT = frozenset({"de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le",
                      "les", "el", "al", "ad", "ed", "ez", "az", "as", "ash", "ar", "an", "en", "of",
                      "the", "sur", "am", "im", "an", "der", "den", "y", "e", "i", "bin", "ibn",
                      "bani", "beni", "abu", "ul", "um", "umm", "na", "ng", "sa", "san", "and", "in",
                      "upon", "on", "sur", "sous", "bei", "ob", "nad", "pod"})
_MAX_WORDS = 6
#: abbreviations that end with a dot inside names ("St. Gallen", "Mt. Kenya")
_ABBREV = frozenset({"St", "Ste", "Mt", "Ft", "Pt", "Sta", "Sto", "Sv", "Sf", "Ban", "Kg"})
#: a spelling variant found in running text must be a unit or a town of this size at least
LOOSE_MIN_POP = 100_000
_DEMONYM = re.compile(r"(ian|ean|ese|ish|ist|ite|ans|ists|ites|i)$")

#: capitalised words too common in news to be taken as a place unless spaCy says so
COMMON_WORDS = frozenset("""
january february march april may june july august september october november december monday
tuesday wednesday thursday friday saturday sunday today yesterday tonight police army forces force
military security government president minister ministry state states national party people
council court union university hospital school church mosque market bank station airport road
street bridge camp centre center city town village district province region county north south
east west northern southern eastern western central upper lower new old great grand little
saint st mount lake river sea gulf island islands valley hill hills border coast capital
commander general colonel officer soldiers troops rebels militants fighters gunmen protesters
demonstrators workers students farmers residents locals members unknown unidentified several
many some all no one two three four five six seven eight nine ten first second third last next
during after before since around about over under near between among against according however
also although while where when who what which reported report reports said says source sources
media news press agency office department committee movement front alliance coalition group
groups brigade brigades battalion division regiment unit units mission international islamic
democratic republic republican popular liberation revolutionary federal royal presidential
civil civilian civilians women men children family families youth tribe tribal clan local
the a an and or but in on at of for to from by with as is was were are be been this that these
those it its he she they his her their there here then than so such not only very more most
other another each every both either neither any just even still again once may might can could
would should will shall must do does did done has have had having being police's army's
hamas hezbollah taliban isis isil daesh wagner al-shabaab shabaab boko haram
christ god allah prophet imam sheikh mr mrs dr lt gen col maj capt sgt
fatalities fatality casualties casualty killed injured wounded arrested dead death deaths
clashes clash attack attacks strike strikes shelling explosion explosions protest protests
rally rallies march marches riot riots demonstration demonstrations violence conflict war
day days week weeks month months year years hour hours morning evening night afternoon
size unclear coded tags note notes total estimated approximately
human rights watch amnesty red cross crescent un nato eu au ecowas
mayor governor administration regional operations command municipal prison jail stadium square
park port base headquarters palace parliament embassy consulate office forces' general's let lets
justice defense defence interior foreign affairs finance education health labor labour
hall halls courthouse avenue boulevard plaza molotov
""".split())

#: "(Colombo, Western)": unit names that are also common words, taken only as context
_DIRECTIONAL = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                          "western", "central", "upper", "lower", "centre", "center", "capital",
                          "coast", "lakes", "plateau", "sahel", "delta", "rivers", "niger", "borno"})

#: words after a name that make it a place of that kind ("Hit district", "Kani township")
TYPE_WORDS = {
    "village": "populated", "town": "populated", "city": "populated", "hamlet": "populated",
    "settlement": "populated", "locality": "populated", "neighborhood": "populated",
    "neighbourhood": "populated", "quarter": "populated", "suburb": "populated", "camp": "populated",
    "area": "area", "countryside": "admin", "outskirts": "populated", "ward": "admin3",
    "district": "admin", "subdistrict": "admin", "sub-district": "admin", "sub-county": "admin3",
    "subcounty": "admin3", "township": "admin", "tehsil": "admin", "block": "admin3",
    "subdivision": "admin", "division": "admin", "municipality": "admin", "commune": "admin",
    "county": "admin", "province": "admin", "governorate": "admin", "region": "admin",
    "state": "admin", "oblast": "admin", "department": "admin", "prefecture": "admin",
    "raion": "admin", "rayon": "admin", "hromada": "admin3", "nahiya": "admin3", "qada": "admin",
    "lga": "admin", "parish": "admin3", "barangay": "admin3", "circle": "admin3", "mandal": "admin3",
    "taluk": "admin3", "taluka": "admin3", "upazila": "admin3", "union": "admin3",
    "axis": "area", "farms": "area", "crossing": "area", "checkpoint": "area",
}
#: words after a name that make the name part of an organisation ("Levant Front", "Diyala Brigade")
ORG_WORDS = frozenset("""front brigade brigades battalion battalions forces force movement council army police
party union committee command operations division regiment militia militias group groups
liberation operation room fighters revolutionaries guard guards corps organization organisation
federation association university airlines airways times post news tv radio agency club fc
alliance congress coalition league network council institute foundation company corporation
""".split())


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    ids: tuple = ()
    loose: bool = False            # matched by the consonant skeleton only
    type_word: str = ""            # "district", "village"... right after the name
    type_end: int = -1             # end offset of the type word
    entity: str = ""               # spaCy label covering it, if any
    ctx: list = field(default_factory=list)   # indices of mentions that locate this one
    in_paren: bool = False         # inside "( ... )" right after another mention
    coded: bool = False            # "(coded to X)": ACLED's own pick
    org: bool = False              # part of an organisation's name: context, not a location
    owner: int = -1                # the mention whose parenthesis holds this one


def _is_cap(word: str) -> bool:
    c = word[0]
    if c.isupper():
        return True
    # al-Qaim, el-Fasher, ad-Dawr
    head, sep, tail = word.partition("-")
    return bool(sep) and head.lower() in ARTICLES and tail[:1].isupper()


def tokens(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        w, s, e = m.group(0), m.start(), m.end()
        if len(w) > 3 and w[-2] in "'’" and w[-1] in "sS" and not re.search(r"\bSt\.? $", text[max(0, s - 4):s]):
            w, e = w[:-2], e - 2          # "Kharkiv's mayor" (but "St. John's" is a name)
        out.append((s, e, w))
    return out


def find_mentions(text: str, gaz, toks: list | None = None, loose: bool = True) -> list[Mention]:
    """Longest gazetteer-name matches over runs of capitalised words, left to right."""
    toks = toks if toks is not None else tokens(text)
    out: list[Mention] = []
    n = len(toks)
    i = 0
    exact = gaz.exact
    caps = [w[0].isupper() or ("-" in w and _is_cap(w)) for _, _, w in toks]     # _is_cap, inlined
    while i < n:
        if not caps[i]:
            i += 1
            continue
        s0, e0, w0 = toks[i]
        # the run: following tokens joined by one space or hyphen, capitalised or connectors
        j = i
        run_end = i
        while j + 1 < n and j + 1 - i < _MAX_WORDS:
            gap = text[toks[j][1]:toks[j + 1][0]]
            if gap not in (" ", "-", " - ", "‐") and not (gap == ". " and toks[j][2] in _ABBREV):
                break
            w = toks[j + 1][2]
            if not (caps[j + 1] or w.lower() in _CONNECT or w.isdigit()):
                break
            j += 1
            if caps[j] or w.isdigit():
                run_end = j
        found = None
        for k in range(run_end, i - 1, -1):
            if not (caps[k] or (k > i and toks[k][2].isdigit())) or (k > i and toks[k][2].lower() in ARTICLES):
                continue
            span = text[s0:toks[k][1]]
            kk = key(span)
            if not kk:
                continue
            hit = exact.get(kk)
            if hit is None:
                continue
            ids = (hit,) if isinstance(hit, int) else hit
            if k > i and all(fold(t[2]) in COMMON_WORDS for t in toks[i:k + 1]) and not any(
                    gaz.kind[x] in (1, 3) for x in ids[:5]):
                continue          # "No To", "New Life"; but "West Bank", "Red Sea" are units
            if k == i and fold(span) in COMMON_WORDS and not (
                    fold(span) in _DIRECTIONAL and text[max(0, s0 - 2):s0].strip() in ("(", ",")):
                continue
            found = (k, ids)
            break
        if found and found[0] > i and found[0] < run_end and caps[found[0] + 1] \
                and text[toks[found[0]][1]:toks[found[0] + 1][0]] == " " \
                and _continues_name(toks[found[0] + 1][2]):
            found = None          # "San Luis" in "San Luis Talpa": the name is a longer, unknown one
        if found and found[0] == i and not _single_ok(text, toks, i) and not (
                w0.isupper() and 2 <= len(w0) <= 5 and any(gaz.kind[x] in (1, 3) for x in found[1][:3])):
            found = None
        inside = i > 0 and text[toks[i - 1][1]:s0] in (" ", "-") and caps[i - 1]
        if not found and loose and not inside and fold(w0) not in COMMON_WORDS and not w0.isupper() \
                and not _DEMONYM.search(toks[run_end][2].lower()):
            # a spelling variant ("Salaheddine"): the whole capitalised run by its skeleton;
            # the places stage keeps it only in the country the rest of the document is in
            span = text[s0:toks[run_end][1]]
            kk = key(span)
            if len(kk) >= 6:
                sk = skeleton(kk)
                hit = gaz.loose.get(sk) if sk else None
                ids = () if hit is None else (hit,) if isinstance(hit, int) else hit
                # only units and towns big enough to have many spellings
                ids = tuple(x for x in ids if gaz.kind[x] in (1, 2, 3) or gaz.pop[x] >= LOOSE_MIN_POP)
                if ids:
                    out.append(Mention(s0, toks[run_end][1], span, ids, loose=True))
                    i = run_end + 1
                    continue
        if found:
            k, ids = found
            m = Mention(s0, toks[k][1], text[s0:toks[k][1]], ids)
            if k + 1 < n and text[toks[k][1]:toks[k + 1][0]] == " " and toks[k + 1][2].lower() in ORG_WORDS:
                m.org = True          # "Anbar Police", "Security Belt forces": context, not a location
            out.append(m)
            i = k + 1
        else:
            i += 1
    return out


def _single_ok(text: str, toks: list, i: int) -> bool:
    """May one capitalised word alone be a place? Not an acronym ('APC', 'NHS', 'PARNAS'), not
    under three letters, and not the first or inner word of a longer capitalised name ('Kongo
    Trading Center', 'Animal Save Movement', 'Chamber of Representatives')."""
    s0, e0, w = toks[i]
    if len(w) < 3 or (w.isupper() and len(w) <= 8) or (len(w) <= 5 and any(c.isupper() for c in w[1:])):
        return False          # 'APC', 'NHS', 'PaP'
    if w[-1] in "'’":
        return False          # "the 'Hurricane' launcher"
    n = len(toks)
    if i + 1 < n and text[e0:toks[i + 1][0]] == " ":
        nxt = toks[i + 1][2]
        if _is_cap(nxt) and fold(nxt) not in COMMON_WORDS and nxt.lower() not in TYPE_WORDS \
                and nxt.lower() not in ORG_WORDS:
            return False
        if nxt.lower() in ("of", "de", "del", "la", "du", "des", "al", "el", "ad", "ash", "as", "ar",
                           "ez", "bin", "ibn", "abu", "um", "umm") and i + 2 < n and _is_cap(toks[i + 2][2]):
            return False
    if i > 0 and text[toks[i - 1][1]:s0] == " ":
        prev = toks[i - 1][2]
        if _is_cap(prev) and fold(prev) not in COMMON_WORDS and not _sentence_start(text, toks, i - 1):
            return False
    return True


def _continues_name(word: str) -> bool:
    """A capitalised word after a place name that makes it part of a longer name."""
    w = word.lower()
    return fold(word) not in COMMON_WORDS and w not in TYPE_WORDS and w not in ORG_WORDS


def _sentence_start(text: str, toks: list, i: int) -> bool:
    if i == 0:
        return True
    gap = text[toks[i - 1][1]:toks[i][0]]
    return any(c in gap for c in ".!?:;\n")
