"""places: place mentions -> gazetteer candidates -> one resolved place each (layer ``places``).

Mentions come from direct gazetteer matches over capitalised runs, spaCy GPE/LOC/FAC entities,
and names followed by a parenthesis or a unit word ("Kyun Hpyar village (Kani township, ...)").
Each mention's candidates are scored by

* a prior: population (log scale) and kind (countries and admin units first);
* its own context: "(admin2, admin1)" right after it, "X, Luhansk", "X district of Y",
  "(coded to X)";
* the document: countries named, admin1/admin2 units any other mention can be, and a vote over
  countries that every mention could lie in (so Anbar in one sentence makes Ramadi-in-Anbar
  likely in the next);
* transliteration: exact-key matches beat skeleton matches ("Salaheddine" ~ "Salah al-Din").

Cues around the mention set the precision: "near X", "outskirts of X", "40 km north of X"
(the point is moved), "between A and B" (midpoint); admin2 -> 2, admin1/feature -> 3; a country
centroid is used only when nothing better exists, and ``why`` says so.
"""
from __future__ import annotations

import logging
import math
import re

from ..document import Document, Span
from ..gazetteer import KINDS, load as load_gazetteer
from ..gazetteer.matcher import _DIRECTIONAL, COMMON_WORDS, ORG_WORDS, _continues_name, TYPE_WORDS, Mention, find_mentions, tokens
from ..gazetteer.names import fold, key, skeleton
from ..pipeline import stage
from .story import FIT as STORY_FIT, confident as story_confident, keep_place, score_candidate, story_fit, \
    unmarked_common_word
from .place_villages import VillagePicker, own_district

log = logging.getLogger("conflictatlas")

_KIND_PRIOR = (0.3, 0.15, 0.0, 1.2, 0.45)    # populated, admin1, admin2, country, feature
_NEAR = re.compile(r"\b(near|nearby|outside|outskirts of|vicinity of|close to|around|surroundings of|"
                   r"environs of|suburbs of|countryside of|periphery of|edge of|road to|road between|"
                   r"on the road to|en route to|area of|areas of|direction of)\s+(the\s+)?$", re.I)
_OFFSET = re.compile(r"(\d+(?:[.,]\d+)?)\s*(km|kms|kilometers|kilometres|kilometer|kilometre|miles?|mi)\s+"
                     r"(?:to the\s+)?(north|south|east|west|north-?east|north-?west|south-?east|"
                     r"south-?west|n|s|e|w|ne|nw|se|sw)(?:ern)?\s+of\s+(?:the\s+)?(?:\w+\s+of\s+)?$", re.I)
#: "about 10km from Isiolo town", "5 miles outside Goma": a place the scene is near
_DISTANCE_FROM = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:km|kms|kilomet(?:er|re)s?|miles?)\s+(?:away\s+)?"
                            r"(?:from|outside|of)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$", re.I)
_NEAR_TOWN_KM = 30
_LOCATIVE = re.compile(r"\b(in|at|near|from|to|of|outside|inside|around|into|toward|towards|through|"
                       r"across|via|over|throughout|within|reach|reached|entered|left|attacked|shelled|"
                       r"stormed|captured|seized|raided|struck|hit|bombed|targeted)\s+(the\s+)?$", re.I)
_REFERENCE = re.compile(r"\b(north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
                        r"northern|southern|eastern|western)\s+of\s+(the\s+)?(city\s+of\s+|town\s+of\s+)?$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(the\s+)?$", re.I)
_CODED = re.compile(r"\s*[(\[]?\s*(?:location\s+)?(?:changed\s+as\s+|coded\s+(?:to|as|at|in)\s+(?:the\s+)?)", re.I)
_UNIT_AFTER = re.compile(r"[ -]?(" + "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True))
                         + r")\b", re.I)
_NAME_BEFORE = re.compile(r"([A-Z][\w'’.-]{0,40}(?:[ -](?:(?:al|el|ad|ash|as|de|del|da|do|of)[ -])?[A-Z0-9][\w'’.-]{0,40}){0,3})"
                          r"(?:[ -](" + "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True))
                          + r"))?\s*\((?!size=)", re.U)
_UNIT_WORDS = r"(?:village|town|city|area|camp|district|township|sub-county|subcounty|neighbou?rhood|settlement|locality|subdistrict|sub-district|hamlet|axis|suburb|quarter|ward|commune|municipality|countryside)"
_NAME_RX = r"(?P<name>\b(?:(?:al|el|ad|as|ash|ar)[- ])?[A-Z][\w'’]{0,40}(?:-[\w'’]{1,40}){0,4}(?:[ -](?:(?:al|el|ad|ash|as|ar|ez|de|del|da|do|bin|abu|um)[ -])?[A-Z0-9][\w'’]{0,40}(?:-[\w'’]{1,40}){0,4}){0,3})"
_NAME_TYPE = re.compile(_NAME_RX + r" " + _UNIT_WORDS + r"\b")
_TYPE_OF_NAME = re.compile(r"\b(?:the )?" + _UNIT_WORDS + r" of " + _NAME_RX)
_NEXT_WORD = re.compile(r" ([A-Z][\w'’-]*)")
_DIRECTIONAL_PAREN = re.compile(r"\(\s*(north|south|east|west|upper|lower|central|middle|old|new|[ivx]+|\d+)\s*\)\s*", re.I)
_DASH_PART = re.compile(r"\s+-\s+[^()\[\],.;]{1,40}?(?=\s*[(\[])")
_NAME_COMMA = re.compile(r"(?<![\w'’-])" + _NAME_RX + r", ")
_NOT_NAMES = {"on", "in", "the", "around", "as", "at", "a", "an", "this", "that", "its", "his", "her",
              "their", "one", "same", "whole", "entire", "old", "new", "border", "military", "nearby",
              "which", "residential", "rural", "urban", "local", "central", "eastern", "western",
              "northern", "southern", "refugee", "idp", "displacement", "control", "security"}
_DIRS = {"n": 0, "north": 0, "ne": 45, "northeast": 45, "north-east": 45, "e": 90, "east": 90,
         "se": 135, "southeast": 135, "south-east": 135, "s": 180, "south": 180, "sw": 225,
         "southwest": 225, "south-west": 225, "w": 270, "west": 270, "nw": 315, "northwest": 315,
         "north-west": 315}
_MAX_CANDS = 25
#: between a feature and the province named with it: "Hamrin mountains in Diyala province"
_SPAN_GAP = re.compile(r"\s*(?:mountains?|range|hills|desert|valley|river|marshes|area|region|basin|plain)?"
                       r"\s*(?:,|\bin\b|\bof\b|\bin the\b|-|\(|\bnear\b)\s*", re.I)
_ADMIN2_WORDS = frozenset({"district", "county", "raion", "rayon", "qada", "tehsil", "township",
                           "municipality", "department", "prefecture", "lga", "subdivision", "division"})
_F_LOOSE, _F_CTX, _F_COUNTRY, _F_A1, _F_TOWN, _F_STORY, _F_AWAY = 1, 2, 4, 8, 16, 32, 64


def _why(flags: int, a1: str) -> str:
    out = []
    if flags & _F_LOOSE:
        out.append("spelling variant")
    if flags & _F_CTX:
        out.append("named with its region")
    if flags & _F_COUNTRY:
        out.append("country named")
    if flags & _F_A1:
        out.append(f"{a1} named in the document")
    if flags & _F_TOWN:
        out.append("the town, not the unit of that name")
    if flags & _F_STORY:
        out.append("in the story's countries")
    if flags & _F_AWAY:
        out.append("outside the story's countries, placed by the text next to it")
    return ", ".join(out)
_SKIP_LABELS = {"PERSON", "NORP", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL",
                "CARDINAL", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _trim_name(start: int, name: str) -> tuple[int, str]:
    """Drop leading common words ('In Dagon Myothit' -> 'Dagon Myothit'); '' if nothing is left."""
    while name:
        first, _, rest = name.partition(" ")
        f = fold(first)
        if f in COMMON_WORDS or f in _NOT_NAMES:
            if not rest:
                return start, ""
            start += len(first) + 1
            name = rest
            continue
        break
    return start, name


def _org_like(name: str) -> bool:
    """'Kenya Kwanza Alliance', 'Amani National Congress': an organisation, not a place."""
    words = fold(name).split()
    return bool(words) and (words[-1] in ORG_WORDS or any(w in ("party", "alliance", "congress",
                                                                "movement", "union", "front") for w in words))


def km(la1, lo1, la2, lo2) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (la1, lo1, la2, lo2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def offset_point(lat, lon, dist_km, bearing_deg):
    r = 6371.0
    b = math.radians(bearing_deg)
    la1, lo1 = math.radians(lat), math.radians(lon)
    la2 = math.asin(math.sin(la1) * math.cos(dist_km / r) + math.cos(la1) * math.sin(dist_km / r) * math.cos(b))
    lo2 = lo1 + math.atan2(math.sin(b) * math.sin(dist_km / r) * math.cos(la1),
                           math.cos(dist_km / r) - math.sin(la1) * math.sin(la2))
    return round(math.degrees(la2), 5), round((math.degrees(lo2) + 540) % 360 - 180, 5)


# missions and bodies tied to one country: they say where, not who
_MISSIONS = {"OSCE SMM": "Ukraine", "SMM": "Ukraine", "MONUSCO": "Democratic Republic of Congo",
             "MINUSMA": "Mali", "UNMISS": "South Sudan", "UNAMA": "Afghanistan", "AMISOM": "Somalia",
             "ATMIS": "Somalia", "MINUSCA": "Central African Republic", "UNIFIL": "Lebanon",
             "UNAMI": "Iraq", "UNSMIL": "Libya", "UNITAMS": "Sudan", "UNISFA": "Sudan",
             "MINURSO": "Western Sahara", "UNFICYP": "Cyprus", "UNDOF": "Syria", "KFOR": "Kosovo",
             "APF": "Nepal", "FARDC": "Democratic Republic of Congo", "FANB": "Venezuela",
             "SEDENA": "Mexico", "AFP": "Philippines", "NPA": "Philippines", "BSF": "India",
             "CRPF": "India", "TTP": "Pakistan", "FDLR": "Democratic Republic of Congo"}
_MISSIONS_RX = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in _MISSIONS), key=len, reverse=True)) + r")\b")


_HINTS: dict = {}


def _resolver() -> "PlaceResolver":
    if "r" not in _HINTS:
        _HINTS["r"] = PlaceResolver(load_gazetteer())
    return _HINTS["r"]


def country_centroid(country: str) -> tuple[float, float] | None:
    """The gazetteer's point for a country (its GeoNames centre), or None."""
    g = _resolver().g
    for i in g.ids(country):
        if g.kind[i] == 3:
            return float(g.lat[i]), float(g.lon[i])
    return None


def country_fallback(doc: Document) -> tuple[str | None, str]:
    """The country a document is about when no place in it resolves, and why.

    The story's country (stages/story.py) when it is clearly told; else from the countries of the
    actors it names ("Military Forces of Nepal"), then demonyms and country-bound missions. None
    when nothing points anywhere.
    """
    st = doc.meta.get("story") or {}
    if st.get("country") and (story_confident(st) or st.get("dateline")):
        # a dateline says where the report was filed: a better hint than the demonym of a force
        # that struck across a border ("ERBIL - Turkish drones struck ...")
        return st["country"], f"no place resolved; the story's country ({st['why']})"
    counts: dict[str, float] = {}
    for a in doc.layer("actors"):
        c = a.value.get("country")
        if c:
            # a state's own forces say where far better than a group that spans borders
            w = 3.0 if a.value.get("type") == "State forces" else 1.0
            counts[c] = counts.get(c, 0.0) + w
    for cc, v in _resolver().country_hints(doc.text).items():
        name = _resolver().g.country_names.get(cc, cc)
        counts[name] = counts.get(name, 0.0) + 2.0 * v
    if counts:
        best = max(counts, key=lambda c: (counts[c], c))
        return best, f"no place resolved; country from the actors, demonyms and missions named ({best})"
    return None, "no place resolved and nothing names a country"


_POSSESSIVE = re.compile(r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)['’]s\s+(?:(?:northern|southern|eastern|western|"
                         r"central|north|south|east|west)(?:-?\w+)?\s+)?(?:(?:town|city|village|province|"
                         r"region|district|governorate)\s+of\s+)?$")
_QUOTES = frozenset("'\"‘’“”«»")
#: words of a facility's name after a place name ("Alexandra Park", "City Hall")
_FACILITY = frozenset("""hall halls courthouse square avenue boulevard plaza garden gardens farmers
tower towers mall cinema theatre theater library museum cathedral temple gate
""".split())
_DEMONYMS: set | None = None
_AFTER_CONNECTOR = re.compile(r"(?<![.!?:;\n] )\b([A-Z][\w'’-]+) (?:du|des|of) $")
_QUOTE_OPEN = re.compile(r"(?:^|[\s(])['‘\"“]([^'’\"”\n]{0,40})$")


#: prepositions a sentence may open with before a place ("In Kandahar, ...", "Near Goma, ...")
_OPENING_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "around", "from", "across", "elsewhere"}


def _opens_with_preposition(text: str, start: int, pre: list[str]) -> bool:
    """Is the capitalised run that holds a place name only a sentence's opening preposition and the
    name ("In Nawab Shah", "Elsewhere in Kandhkot")? Runs of capitalised words read a sentence's
    first word as part of a name; a preposition there is no part of it."""
    if not pre or not all(w in _OPENING_PREPOSITIONS for w in pre):
        return False
    before = text[max(0, start - 3):start].strip()
    return not before or before[-1] in ".!?:;\"'“”\n"


#: "on the Ayeyarwady,", "along the Benue river": a province named after its river, told as the river
_ALONG_THE = re.compile(r"\b(?:on|along|alongside|across|banks\s+of|bank\s+of|crossed|crossing)\s+the\s+$", re.I)
_RIVER_END = re.compile(r"\s*(?:[,.;:)]|(?:river|River)\b)")


def _river_of_a_province(g, text: str, m) -> bool:
    """Is the name of a province told as a river: after "on the", "along the" and ending the phrase
    ("a village on the Ayeyarwady, ...", "along the Benue River")? "strikes on the Donetsk region"
    and "on the Donetsk and Luhansk fronts" are the provinces."""
    if not m.ids or not any(g.kind[i] == 1 for i in m.ids[:3]):
        return False
    return bool(_ALONG_THE.search(text, max(0, m.start - 20), m.start)) and bool(_RIVER_END.match(text, m.end))


def _in_quoted_title(text: str, start: int, end: int) -> bool:
    """The span lies inside a short quoted phrase ("the 'Look up' march")."""
    if not _QUOTE_OPEN.search(text[max(0, start - 42):start]):
        return False
    rest = text[end:end + 40]
    for i, ch in enumerate(rest):
        if ch in "'’\"”":
            return not rest[i + 1:i + 2].isalpha()
        if ch in "\n.;(":
            return False
    return False


def _demonyms() -> set:
    """Nationality adjectives and nouns ("German", "Ukrainians"), folded."""
    global _DEMONYMS
    if _DEMONYMS is None:
        import json as _json
        from ..actors import DEMONYMS_FILE
        try:
            raw = _json.loads(DEMONYMS_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        out = set()
        for w, country in raw.items():
            f = fold(w)
            if " " in f or f == fold(country):
                continue
            out.add(f)
            out.add(f + "s")
        _DEMONYMS = out
    return _DEMONYMS


_DISCOURSE = frozenset("""meanwhile however separately earlier later elsewhere yesterday today tonight
overnight nevertheless nonetheless moreover furthermore additionally afterwards subsequently previously
recently initially finally eventually also instead thereafter then still now here there again""".split())


def _discourse_word(text: str, m) -> bool:
    """A one-word mention that opens a sentence and is an adverb ("Recently,", "Meanwhile,")."""
    word = text[m.start:m.end]
    if " " in word:
        return False
    before = text[:m.start].rstrip()
    opens = not before or before[-1] in ".!?\n\"“:;"
    w = word.lower()
    return opens and (w in _DISCOURSE or (w.endswith("ly") and len(w) > 4))


class _Spans:
    """Spans sorted by start, for the spans that contain an offset range and for overlap tests
    in logarithmic time (a document with thousands of capitalised words stays linear)."""

    def __init__(self, spans):
        self.spans = sorted(spans, key=lambda sp: (sp[0], sp[1]))
        self.starts = [sp[0] for sp in self.spans]
        self.max_len = max((sp[1] - sp[0] for sp in self.spans), default=0)

    def containing(self, start: int, end: int):
        import bisect
        i = bisect.bisect_right(self.starts, start)
        out = []
        while i > 0:
            i -= 1
            sp = self.spans[i]
            if sp[0] < start - self.max_len:
                break
            if sp[0] <= start and end <= sp[1]:
                out.append(sp)
        return out[::-1]

    def overlaps(self, start: int, end: int) -> bool:
        import bisect
        i = bisect.bisect_left(self.starts, end)
        while i > 0:
            i -= 1
            sp = self.spans[i]
            if sp[0] < start - self.max_len:
                return False
            if sp[0] < end and start < sp[1]:
                return True
        return False

    def add(self, start: int, end: int) -> None:
        import bisect
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.spans.insert(i, (start, end))
        self.max_len = max(self.max_len, end - start)


def raw_mentions(doc: Document, g, toks: list | None = None) -> list[Mention]:
    """The gazetteer's direct matches over the text, before this stage's filters. Found once a
    document: the story stage finds them first and leaves them here (``doc.meta``), unchanged."""
    kept = doc.meta.pop("_raw_mentions", None)
    if kept is not None and kept[0] is doc.text and kept[1] is g:
        return kept[2]
    return find_mentions(doc.text, g, toks if toks is not None else tokens(doc.text))


def _local_country(text: str, m: Mention, g) -> str:
    """The country written right before a name, as its owner ("Peru's Lima"): its ISO code."""
    mt = _POSSESSIVE.search(text, max(0, m.start - 40), m.start)
    return (g.country_code(mt.group(1)) or "") if mt else ""


def _against_story(g, fit: dict, cc: str, s: float, flags: int, text: str, m: Mention) -> tuple[float, int]:
    """One candidate scored against the story's geography (stages/story.py): raised in the
    story's countries, lowered outside them unless its own context places it there."""
    local = bool(flags & _F_CTX) or bool(m.ctx) or _local_country(text, m, g) == cc
    d = score_candidate(fit, cc, local)
    if d > 0:
        flags |= _F_STORY
    elif local and fit.get(cc, 0.0) < STORY_FIT:
        flags |= _F_AWAY
    return s + d, flags


def _story_gate(doc: Document, g, fit: dict, m: Mention, scored: list) -> list:
    """A mention's winner kept, or [] when the story says it is no place here (a common word, a
    small place elsewhere that nothing next to it places there); the reason goes to
    ``doc.meta["places_dropped"]``."""
    s0, i0, flags = scored[0]
    local = bool(flags & _F_CTX) or bool(m.ctx) or m.in_paren or bool(_local_country(doc.text, m, g))
    why = keep_place(doc, g, fit, m.start, m.end, i0, local)
    if not why:
        return scored
    _dropped(doc, m.text, m.start, why, g.name[i0], g.country_names.get(g.cc[i0], g.cc[i0]))
    return []


def _dropped(doc: Document, name: str, start: int, why: str, entry: str = "", country: str = "") -> None:
    """A name not taken as a place, and why, kept in ``doc.meta["places_dropped"]``."""
    doc.meta.setdefault("places_dropped", []).append(
        {"name": name, "start": start, "entry": entry or None, "country": country or None, "why": why})


#: a court case's name: "Roe v. Wade", "Texas vs. Johnson" (its parties are no places)
_CASE_PARTY_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+vs?\.\s+$")
_CASE_PARTY_AFTER = re.compile(r"\s+vs?\.\s+[A-Z]")


class PlaceResolver:
    """Finds and resolves the place mentions of one document (``resolve(doc)``)."""

    def __init__(self, gaz, use_villages: bool = True):
        self.g = gaz
        self.use_villages = use_villages
        self._prior: dict[int, float] = {}
        self._demonyms: tuple[re.Pattern, dict[str, str]] | None = None

    def country_hints(self, text: str) -> dict[str, float]:
        """Weak country votes from demonyms ("Burkinabe army", "Nepali police") and country-bound
        missions ("OSCE SMM", "MONUSCO"): 0.5 each, at most 1.0 a country. Used only when no place
        resolves (see :func:`country_fallback`): as votes between same-named places they hurt
        ("Ukrainian refugees arrived in Slovakia")."""
        rx, table = self.demonym_table()
        hints: dict[str, float] = {}
        if rx is None:
            return hints
        for m in rx.finditer(text):
            cc = table.get(m.group(1).lower())
            if cc:
                hints[cc] = min(1.0, hints.get(cc, 0.0) + 0.5)
        for m in _MISSIONS_RX.finditer(text):
            cc = self.g.country_code(_MISSIONS[m.group(1).upper()])
            if cc:
                hints[cc] = min(1.0, hints.get(cc, 0.0) + 0.5)
        return hints

    def demonym_table(self) -> tuple[re.Pattern | None, dict[str, str]]:
        """The nationality adjectives ("Burkinabe", "Nepali") as one pattern, and their countries."""
        if self._demonyms is None:
            import json as _json
            from ..actors import DEMONYMS_FILE
            table: dict[str, str] = {}
            try:
                raw = _json.loads(DEMONYMS_FILE.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raw = {}
            for word, country in raw.items():
                # adjectives only: country names are matched as place mentions already
                if " " in word or "'" in word or word.endswith(("ia", "land", "stan")) or len(word) < 4:
                    continue
                cc = self.g.country_code(country)
                if cc:
                    table[word] = cc
            words = sorted(table, key=len, reverse=True)
            rx = re.compile(r"\b(" + "|".join(re.escape(w.title()) for w in words) + r")\b") if words else None
            self._demonyms = (rx, table)
        return self._demonyms

    # -- mentions ---------------------------------------------------------------------------------
    def mentions(self, doc: Document) -> list[Mention]:
        text = doc.text
        g = self.g
        ms = raw_mentions(doc, g)
        ents = [e for e in doc.layer("entities")]
        by_pos = {(e.start, e.end): e for e in ents}
        ent_index = _Spans(by_pos)
        # spaCy labels on the direct matches; names inside a PERSON are not places
        keep = []
        for m in ms:
            lab = ""
            ent_len = 0
            around = [by_pos[sp] for sp in ent_index.containing(m.start, m.end)]
            for e in around:
                lab = e.label
                ent_len = e.end - e.start
                if lab in _PLACE_LABELS:
                    break
            m.entity = lab
            if self._not_a_place(text, m, around):
                continue
            why = unmarked_common_word(text, m.start, m.end)
            if why:
                _dropped(doc, m.text, m.start, why)
                continue          # "during Ramadan", "Xinhua reported", "Ali, a farmer"
            if lab in _SKIP_LABELS and not any(g.kind[i] in (1, 3) or g.pop[i] >= 50000 for i in m.ids[:5]) \
                    and not text[m.end:m.end + 2].lstrip().startswith("(") \
                    and (ent_len > m.end - m.start or not _LOCATIVE.search(text, max(0, m.start - 12), m.start)):
                continue
            keep.append(m)
        ms = keep
        covered = _Spans([(m.start, m.end) for m in ms])

        def free(s, e):
            return not covered.overlaps(s, e)

        # spaCy places the gazetteer did not match exactly: try the skeleton
        for e in ents:
            if e.label in _PLACE_LABELS and free(e.start, e.end):
                nxt = _NEXT_WORD.match(text, e.end)
                if nxt and _continues_name(nxt.group(1)):
                    continue      # "Jadid" of "Jadid Bakkara": part of a longer, unknown name
                name = re.sub(r"^(the|The)\s+", "", e.text).strip()
                k = key(name)
                ids = g.ids_for_key(k) or g.ids_for_skeleton(skeleton(k))
                m = Mention(e.start + (len(e.text) - len(name)), e.end, name, ids, loose=bool(ids) and not g.ids_for_key(k),
                            entity=e.label)
                ms.append(m)
                covered.add(m.start, m.end)
        def add_named(start: int, raw: str, min_variant: int) -> None:
            """A name the patterns say is a place, even when the gazetteer lacks it; a spelling
            variant (skeleton key) only for names of at least ``min_variant`` letters."""
            s, name = _trim_name(start, raw)
            e = s + len(name)
            if not name or not free(s, e) or name.isupper() or _org_like(name):
                return
            if fold(name) in _demonyms():
                return            # "the central Mexican city of Celaya": a nationality, never the place
            k = key(name)
            ids = g.ids_for_key(k)
            loose = False
            if not ids and len(k) >= min_variant:
                ids = g.ids_for_skeleton(skeleton(k))
                loose = bool(ids)
            ms.append(Mention(s, e, name, ids, loose=loose))
            covered.add(s, e)

        # "Name (..." and "Name village (..."
        for mt in _NAME_BEFORE.finditer(text):
            add_named(mt.start(1), mt.group(1).rstrip("."), 0)
        # "Fleifel town in Idleb", "the village of Doaligou" (a variant is kept only where the
        # document's provinces are)
        for rx in (_NAME_TYPE, _TYPE_OF_NAME):
            for mt in rx.finditer(text):
                add_named(mt.start("name"), mt.group("name"), 5)
        # "Pachuca de Soto, Hidalgo": an unknown name before a comma and a province or country
        for o in list(ms):
            if o.loose or not o.ids or not any(g.kind[i] in (1, 3) for i in o.ids[:5]):
                continue
            mt = _NAME_COMMA.search(text, max(0, o.start - 60), o.start)
            if mt and mt.end() == o.start:
                s, name = _trim_name(mt.start("name"), mt.group("name"))
                e = s + len(name)
                if name and free(s, e) and not any(ch.isdigit() for ch in name) and not name.isupper() \
                        and not _org_like(name):
                    ms.append(Mention(s, e, name, g.ids_for_key(key(name))))
                    covered.add(s, e)
        ms.sort(key=lambda m: m.start)
        # unit words after the name, parentheses and comma context
        for idx, m in enumerate(ms):
            mt = _UNIT_AFTER.match(text, m.end)
            if mt:
                m.type_word = mt.group(1).lower()
                m.type_end = mt.end()
        self._attach_context(text, ms)
        ms[:] = [m for m in ms if m.in_paren or fold(m.text) not in _DIRECTIONAL]
        # context indices changed: attach again on the kept list
        for m in ms:
            m.ctx = []
            m.in_paren = False
            m.owner = -1
            m.coded = False
        self._attach_context(text, ms)
        for m in ms:
            if len(m.ids) > _MAX_CANDS:
                keep = m.ids[:_MAX_CANDS]
                if m.ctx:
                    # "Concepcion (Tucuman)", "Santa Ana, Francisco Morazan": the small namesake in
                    # the province named with it is kept, however many larger ones there are
                    want = {(g.cc[i], g.a1[i]) for j in m.ctx for i in ms[j].ids[:_MAX_CANDS]
                            if g.kind[i] in (1, 2)}
                    if want:
                        keep = keep + tuple(i for i in m.ids[_MAX_CANDS:]
                                            if (g.cc[i], g.a1[i]) in want)[:10]
                m.ids = keep
        return ms

    def _not_a_place(self, text: str, m: Mention, ents) -> bool:
        """A direct match that names a thing, not a place: a quoted word ('Grad' rockets, the
        'Hurricane' launcher), part of a brand ("Ver.di"), a nationality ("German workers"), or a
        place's name inside a longer name whose other words are common ones ("City Hall", "Young
        Farmers", "Alexandra Park") -- unless a province, a country or a city of 500,000 reads so."""
        if " " not in m.text:
            before, after = text[max(0, m.start - 1):m.start], text[m.end:m.end + 1]
            if before in _QUOTES and after in _QUOTES:
                return True
            if after == "." and text[m.end + 1:m.end + 2].isalpha():
                return True
            if fold(m.text) in _demonyms() and not any(self.g.kind[i] in (1, 3) for i in m.ids[:3]):
                return True
        if _river_of_a_province(self.g, text, m):
            return True           # "a riverside village on the Ayeyarwady": the river, not the region
        if _CASE_PARTY_BEFORE.search(text, max(0, m.start - 40), m.start) or _CASE_PARTY_AFTER.match(text, m.end):
            return True           # "Roe v. Wade", "Brown v. Board": the parties of a court case
        g = self.g
        if any(g.kind[i] in (1, 3) or g.pop[i] >= 500_000 for i in m.ids[:8]):
            return False
        if _in_quoted_title(text, m.start, m.end):
            return True           # "the 'Look up' march", "a 'Bans Off Our Bodies' rally"
        mc = _AFTER_CONNECTOR.search(text[max(0, m.start - 40):m.start])
        if mc and fold(mc.group(1)) not in COMMON_WORDS and " " not in m.text:
            return True           # "Champ du Glacis", "Mosque of Omar": a longer name
        for e in ents:
            if e.start <= m.start and m.end <= e.end and (e.end - e.start) > (m.end - m.start):
                pre = fold(text[e.start:m.start]).split()
                post = fold(text[m.end:e.end]).split()
                if not pre and not post:
                    return False
                if not post and _opens_with_preposition(text, e.start, pre):
                    return False          # "In Nawab Shah, voting ...": the capitalised "In" is no name
                if any(w in TYPE_WORDS or w in _DIRECTIONAL for w in post):
                    return False          # "Tawileh Town", "Kobani North"
                if all(w in COMMON_WORDS or w in ORG_WORDS or w in _FACILITY for w in pre + post) \
                        and not any(w in _DIRECTIONAL for w in pre):
                    return True
                if pre and not post and pre[-1] in COMMON_WORDS and pre[-1] not in _DIRECTIONAL:
                    return True           # 'New York City Hall'
        return False

    def _attach_context(self, text: str, ms: list[Mention]) -> None:
        n = len(ms)
        for idx, m in enumerate(ms):
            if m.in_paren and m.owner >= 0 and m.owner != idx and ms[m.owner].ctx and idx in ms[m.owner].ctx:
                continue          # already context of another place
            end = m.type_end if m.type_end > 0 else m.end
            dirp = _DIRECTIONAL_PAREN.match(text, end + (1 if text[end:end + 1] == " " else 0))
            if dirp:
                # "(South)" is part of the name: the unit word and the context come after it
                end = dirp.end()
                mt = _UNIT_AFTER.match(text, end - 1 if text[end - 1:end] == " " else end)
                if mt:
                    m.type_word = mt.group(1).lower()
                    end = m.type_end = mt.end()
            dash = _DASH_PART.match(text, end)
            if dash and dash.end() > end:
                end = dash.end()  # "Sao Goncalo - Ipiiba (Rio de Janeiro)": the parenthesis is X's too
            rest = text[end:end + 3]
            j = idx + 1
            if rest.lstrip()[:1] in ("(", "["):
                # every mention inside the following parenthesis (or two) is context
                p0 = end + rest.index(rest.lstrip()[:1])
                p1 = text.find(")" if text[p0] == "(" else "]", p0)
                if p1 < 0:
                    continue
                coded = _CODED.match(text, p0)
                spans = [(p0, p1)]
                nxt = text[p1 + 1:p1 + 4].lstrip()
                if nxt.startswith("("):
                    q0 = text.index("(", p1 + 1)
                    q1 = text.find(")", q0)
                    if q1 > 0:
                        spans.append((q0, q1))
                while j < n and ms[j].start < spans[-1][1]:
                    o = ms[j]
                    if o.start > p0:
                        o.in_paren = True
                        o.owner = idx
                        if coded and spans[0][0] < o.start < spans[0][1] and not any(
                                ms[x].coded for x in m.ctx):
                            o.coded = True
                        m.ctx.append(j)
                    j += 1
                m.ctx = list(dict.fromkeys(m.ctx))
                for t, x in enumerate(m.ctx):
                    if not ms[x].ctx:
                        ms[x].ctx = [y for y in m.ctx[t + 1:] if not ms[y].coded]
                coded_m = [x for x in m.ctx if ms[x].coded]
                for x in coded_m:
                    ms[x].ctx = [y for y in m.ctx if y != x and not ms[y].coded]
            else:
                # "Severodonetsk, Luhansk" / "X district of Y" / "X in Y province"; a country
                # is never placed by what follows it ("the Parliament of Norway in Oslo")
                country = not m.loose and any(self.g.kind[i] == 3 for i in m.ids[:2])
                while j < n:
                    o = ms[j]
                    gap = text[end:o.start]
                    sub_town = (TYPE_WORDS.get(m.type_word) in ("populated", "area", "admin3") and m.type_word not in (
                        "town", "city") or (m.type_word and o.type_word in ("city", "town"))) \
                        and re.fullmatch(r"\s*,?\s*(in|of|in the|of the)\s*", gap)
                    if country and re.search(r"\b(in|of)\b", gap):
                        break
                    if re.fullmatch(r"\s*(,|,?\s*(in|of|in the|of the)|-)\s*", gap) and (sub_town or (
                            self._is_admin_like(o) and self._rank(o, True) > self._rank(m, False))):
                        m.ctx.append(j)
                        if o.owner < 0:
                            o.owner = idx
                            o.in_paren = True
                        end = o.type_end if o.type_end > 0 else o.end
                        j += 1
                        continue
                    break

    def _support(self, ids, i: int, c: str, a1: str, a2: str, same_ok: bool = False) -> float:
        """How well one context mention (its readings: id -> how far each trails the best one)
        agrees with candidate ``i``."""
        g = self.g
        kind, cc_, a1_, a2_ = g.kind, g.cc, g.a1, g.a2
        best = 0.0
        for j, lag in ids.items():
            if cc_[j] != c or (j == i and not same_ok):
                continue
            kj = kind[j]
            if j == i:
                v = 3.0           # "Bahawalpur city (Bahawalpur, Punjab)": named again as its district
            elif kj == 3:
                v = 2.0
            elif kj == 1 and a1_[j] == a1:
                v = 3.0
            elif kj == 2 and a1_[j] == a1:
                v = 3.0 + (1.0 if a2_[j] == a2 else 0.0)
            elif kj in (0, 4) and a1_[j] == a1 and a1:
                v = 2.0
            else:
                v = 1.0
            v -= lag
            if v > best:
                best = v
                if best >= 4.0:
                    break
        return best

    _RANKS = (0, 2, 1, 3, 0)

    def _rank(self, m: Mention, top: bool) -> int:
        """0 town, 1 admin2, 2 admin1, 3 country: the highest (``top``) or lowest reading."""
        ranks = [self._RANKS[self.g.kind[i]] for i in m.ids[:_MAX_CANDS]]
        tw = TYPE_WORDS.get(m.type_word, "")
        if tw == "admin":
            ranks.append(1)
        if not ranks:
            return 0
        return max(ranks) if top else min(ranks)

    def _is_admin_like(self, m: Mention) -> bool:
        g = self.g
        return any(g.kind[i] in (1, 2, 3) for i in m.ids[:_MAX_CANDS]) or m.type_word in (
            "district", "province", "governorate", "region", "state", "county", "oblast")

    # -- scoring ----------------------------------------------------------------------------------
    def resolve(self, doc: Document) -> list[tuple[Mention, list[tuple[float, int, str]]]]:
        g = self.g
        ms = self.mentions(doc)
        kind, cc_, a1_, a2_, pop = g.kind, g.cc, g.a1, g.a2, g.pop
        # spelling variants count only in the country the exactly matched names point to
        exact_votes: dict[str, float] = {}
        for m in ms:
            if not m.loose:
                for c in {cc_[i] for i in m.ids}:
                    exact_votes[c] = exact_votes.get(c, 0.0) + (2.0 if m.in_paren else 1.0)
        top_cc = {c for c, v in exact_votes.items() if v == max(exact_votes.values())} if exact_votes else set()
        if not top_cc:
            # nothing matched exactly: a misspelt province ("Saging region") may still set the country
            unit_cc = {cc_[i] for m in ms if m.loose for i in m.ids if kind[i] in (1, 3)}
            if len(unit_cc) == 1:
                top_cc = unit_cc
        named_a1 = {(cc_[i], a1_[i]) for m in ms if not m.loose for i in m.ids if kind[i] == 1 and cc_[i] in top_cc}
        named_cc = {c for c, _a in named_a1}
        for m in ms:
            if m.loose:
                # and, where the document names provinces there, in one of them
                m.ids = tuple(i for i in m.ids if cc_[i] in top_cc and (
                    cc_[i] not in named_cc or (cc_[i], a1_[i]) in named_a1)) if len(key(m.text)) >= 6 else ()
        # document context: each mention spreads one vote over the countries it could be in
        mvotes: list[dict[str, float]] = []
        doc_a1: dict[tuple, set] = {}
        doc_a2: dict[tuple, set] = {}
        explicit_cc: set[str] = set()
        for mi, m in enumerate(ms):
            best_c: dict[str, float] = {}
            for i in m.ids:
                k = kind[i]
                c = cc_[i]
                p = _KIND_PRIOR[k] + math.log10(pop[i] + 1) / 7.0
                if p > best_c.get(c, -1.0):
                    best_c[c] = p
                if k == 1:
                    doc_a1.setdefault((c, a1_[i]), set()).add(mi)
                elif k == 2:
                    doc_a2.setdefault((c, a1_[i], a2_[i]), set()).add(mi)
                elif k == 3 and not m.loose and len(m.ids) <= 3 and not _aside(doc.text, m.start, m.end, True):
                    explicit_cc.add(c)
            if m.loose or not best_c or (kind[m.ids[0]] == 3 and _aside(doc.text, m.start, m.end, True)):
                mvotes.append({})
                continue
            w = {c: math.exp(3.0 * p) for c, p in best_c.items()}
            tot = sum(w.values())
            mvotes.append({c: v / tot for c, v in w.items()})
        # one vote per distinct name: "Athens - Central Athens" names one place, not two
        votes: dict[str, float] = {}
        mkeys = [key(m.text) for m in ms]
        key_votes: dict[str, dict] = {}
        for mi, mv in enumerate(mvotes):
            if mv and mkeys[mi] not in key_votes:
                key_votes[mkeys[mi]] = mv
                for c, v in mv.items():
                    votes[c] = votes.get(c, 0.0) + v
        fit = story_fit(doc, g)
        # per unit, the distinct names of the mentions that can be it (and those read as units):
        # asked per candidate, so a long report with one province named a thousand times stays linear
        a1_sum: dict[tuple, tuple] = {}
        a2_sum: dict[tuple, set] = {}

        def a1_summary(c, a1):
            hit = a1_sum.get((c, a1))
            if hit is None:
                members = doc_a1.get((c, a1), ())
                hit = a1_sum[(c, a1)] = ({mkeys[j] for j in members},
                                         {j for j in members if TYPE_WORDS.get(ms[j].type_word) == "admin"})
            return hit if hit[0] else None

        def a2_summary(c, a1, a2):
            hit = a2_sum.get((c, a1, a2))
            if hit is None:
                hit = a2_sum[(c, a1, a2)] = {mkeys[j] for j in doc_a2.get((c, a1, a2), ())}
            return hit

        resolved: dict[int, list] = {}
        for mi in range(len(ms) - 1, -1, -1):
            m = ms[mi]
            # context mentions come later in the text and are resolved first: use their pick
            ctx_groups = []
            for j in m.ctx:
                sj = resolved.get(j)
                if sj:
                    top_s = sj[0][0]
                    # each reading with how far it trails the winner there: "(Cordoba)" read as
                    # Spain's province must not outvote it read as Argentina's
                    ctx_groups.append({t[1]: 2.0 * (top_s - t[0]) for t in sj if t[0] >= top_s - 1.0})
            scored = []
            prior = self._prior
            fcode = g.fcode
            base = 0.0
            if m.loose:
                base -= 0.8
            tk = TYPE_WORDS.get(m.type_word, "") if m.type_word else ""
            last_ctx = m.in_paren and m.owner >= 0 and bool(ms[m.owner].ctx) and ms[m.owner].ctx[-1] == mi
            own_votes = key_votes.get(mkeys[mi]) or mvotes[mi]
            mk = mkeys[mi]
            mk_sk = skeleton(mk)
            town_word = m.type_word in ("city", "town")
            for i in m.ids:
                k = kind[i]
                c, a1 = cc_[i], a1_[i]
                flags = _F_LOOSE if m.loose else 0
                s = prior.get(i)
                if s is None:
                    s = prior[i] = _KIND_PRIOR[k] + math.log10(pop[i] + 1) / 7.0 + (
                        0.15 if fcode[i] in ("PPLC", "PPLA") else 0.0)
                s += base
                nk = key(g.name[i])
                if nk == mk or skeleton(nk) == mk_sk:
                    s += 0.25             # its own name, not an alternate one ("Bahawalnagar")
                if k == 1 or k == 2:
                    if m.type_word in ("city", "town", "village"):
                        s -= 0.6          # "Amara city" is no region
                    elif m.in_paren and not m.coded:
                        s += 0.8          # "(Dori, Seno)": names in the parenthesis are units
                        if k == 1 and last_ctx:
                            s += 0.5      # "(Texas)", "(Oyam, Northern)": the last one is the province
                    if tk == "admin":
                        s += 0.6
                elif k == 0 and tk == "populated":
                    s += 0.4
                # own context: the parenthesis or the ", Luhansk" after it
                if ctx_groups:
                    sup = 0.0
                    a2 = a2_[i]
                    for cm in ctx_groups:
                        sup += self._support(cm, i, c, a1, a2, town_word)
                    if sup:
                        s += min(sup, 7.0)
                        flags |= _F_CTX
                # document context: the votes of the other mentions
                v = votes.get(c, 0.0) - own_votes.get(c, 0.0)
                if v > 0:
                    s += 0.6 * min(v, 2.0)
                if c in explicit_cc:
                    s += 1.0
                    flags |= _F_COUNTRY
                # support from a province or district named by a *different* name: the same
                # name read as a town and as a county ("Athens", "Athens") proves nothing
                if k != 1:
                    other = a1_summary(c, a1)
                    if other and (other[0] - {mk} or other[1] - {mi}):
                        s += 0.8
                        flags |= _F_A1
                if k != 2 and doc_a2:
                    a2 = a2_[i]
                    other2 = a2_summary(c, a1, a2) if a2 else None
                    if other2 and other2 - {mk}:
                        s += 0.5
                if fit:
                    s, flags = _against_story(g, fit, c, s, flags, doc.text, m)
                scored.append((s, i, flags))
            scored.sort(key=lambda t: -t[0])
            if scored and m.ctx:
                # its own context names another country or province: the name is some other place
                # the readings of the context that won there ("Hebron, West Bank" is in
                # Palestine, whatever Hebron, Kentucky says)
                ctx_ids = [i for j in m.ctx if not ms[j].loose and resolved.get(j)
                           for t0 in (resolved[j][0][0],) for s2, i, _f in resolved[j] if s2 >= t0 - 1.0]
                ctx_cc = {cc_[i] for i in ctx_ids}
                if len(ctx_cc) > 2:
                    ctx_cc = set()        # "(South Eastern)": too common a name to overrule
                ctx_a1 = {(cc_[i], a1_[i]) for i in ctx_ids if kind[i] == 1}
                if ctx_cc and not any(cc_[t[1]] in ctx_cc for t in scored):
                    # none in the country named with it: some other place -- unless it lies by the
                    # place or province named (borders differ: Jerusalem, coded to the West Bank)
                    pts = [i for i in ctx_ids if kind[i] in (0, 1)]
                    dist = {t[1]: min((km(g.lat[t[1]], g.lon[t[1]], g.lat[j], g.lon[j]) for j in pts),
                                      default=1e9) for t in scored[:5]}
                    scored = sorted((t for t in scored[:5] if dist[t[1]] < 60), key=lambda t: dist[t[1]])
                elif ctx_a1 and not any((cc_[t[1]], a1_[t[1]]) in ctx_a1 for t in scored
                                        if kind[t[1]] != 1):
                    # none lies in the province named with it (by name, or near its centre,
                    # since town-to-province links in the data are not perfect)
                    a1_pts = [j for jm in m.ctx if not ms[jm].loose for j in ms[jm].ids if kind[j] == 1
                              and (cc_[j], a1_[j]) in ctx_a1]
                    near = any(km(g.lat[t[1]], g.lon[t[1]], g.lat[j], g.lon[j]) < 60
                               for t in scored[:5] for j in a1_pts)
                    if not near and all(kind[t[1]] in (0, 4) for t in scored[:1]):
                        scored = []
                elif TYPE_WORDS.get(m.type_word) in ("populated", "area", "admin3") or (
                        m.type_word and any(ms[j].type_word in ("city", "town") for j in m.ctx)):
                    # "Liberty City neighborhood of Miami": must lie near the town that locates it
                    towns = [resolved[j][0][1] for j in m.ctx if resolved.get(j)
                             and kind[resolved[j][0][1]] in (0, 2)]     # "the Casale area of Brindisi"
                    if towns and not any(km(g.lat[t[1]], g.lon[t[1]], g.lat[w], g.lon[w]) < 60 or (
                            kind[w] == 2 and (cc_[t[1]], a1_[t[1]], a2_[t[1]]) == (cc_[w], a1_[w], a2_[w]))
                                         for t in scored for w in towns):
                        scored = []
            if scored and not m.in_paren and TYPE_WORDS.get(m.type_word) not in ("admin", "admin3"):
                # "Mykolaiv", "Aleppo": a town named like its province is the town
                s0, i0, w0 = scored[0]
                if kind[i0] in (1, 2):
                    for t in scored[1:]:
                        i = t[1]
                        if kind[i] == 0 and cc_[i] == cc_[i0] and a1_[i] == a1_[i0] and s0 - t[0] < 1.5:
                            scored.remove(t)
                            scored.insert(0, (s0, i, w0 | _F_TOWN))
                            break
            unit = m.type_word or (fold(m.text).rsplit(" ", 1)[-1] if " " in m.text else "")
            if scored and unit in _ONE_COUNTRY_UNITS:
                # "Shiroro LGA": a unit only one country has
                scored = [t for t in scored if cc_[t[1]] == _ONE_COUNTRY_UNITS[unit]]
            if scored:
                scored = _story_gate(doc, g, fit, m, scored)
            resolved[mi] = scored
        return [(m, resolved[mi]) for mi, m in enumerate(ms)]

    # -- spans ----------------------------------------------------------------------------------
    def annotate(self, doc: Document) -> Document:
        g = self.g
        text = doc.text
        res = self.resolve(doc)
        spans: list[Span | None] = []
        vil = VillagePicker(self, doc, res) if self.use_villages else None
        for idx, (m, scored) in enumerate(res):
            value, vnote = vil.pick(idx) if vil is not None else (None, "")
            if value is not None:
                pass
            elif scored:
                s, i, flags = scored[0]
                value = self._value(m, i, s, _why(flags, g.a1[i]), scored)
            else:
                # not in the gazetteer: place it by its context ("(Oyam, Northern)"), unless it
                # is a sentence-opening adverb ("Recently, Iraq's army said...")
                ctx = [res[j] for j in m.ctx if res[j][1]] if not _discourse_word(text, m) else []
                exact_cc = {g.cc[cs[0][1]] for cm, cs in ctx if not cm.loose}
                if exact_cc:
                    # a spelling variant counts only in the country the exact names point to
                    ctx = [c for c in ctx if not c[0].loose or g.cc[c[1][0][1]] in exact_cc]
                if ctx:
                    # the country most of the context agrees on, then its most specific unit
                    agree: dict[str, float] = {}
                    for _cm, cs in ctx:
                        top = cs[0][0]
                        seen = set()
                        w = 0.5 if _cm.loose else 1.0      # a spelling variant says less
                        mk = key(_cm.text)
                        for sc, i, _f in cs:
                            c = g.cc[i]
                            if c not in seen and sc >= top - 2.0:
                                seen.add(c)
                                # and so does an obscure alternate name ("Jung" for Rong'an)
                                nk = key(g.name[i])
                                wi = w if nk == mk or skeleton(nk) == skeleton(mk) else 0.6 * w
                                agree[c] = agree.get(c, 0.0) + wi + (0.1 if i == cs[0][1] else 0.0)
                    win = max(agree, key=agree.get)
                    best = None
                    for cm, cs in ctx:
                        pick = next((t for t in cs if g.cc[t[1]] == win), None)
                        if pick is None:
                            continue
                        rank = {0: 3, 4: 3, 2: 2, 1: 1, 3: 0}[g.kind[pick[1]]]
                        if best is None or rank > best[0]:
                            best = (rank, pick, cs)
                    _, (s, i, _f), cs = best
                    value = self._value(m, i, s - 1.0, "", [(s, i, _f)] + [t for t in cs if t[1] != i],
                                        unresolved=True)
            if value is None:
                spans.append(None)
                continue
            if vnote:
                value["why"] += "; " + vnote
            text_a2 = self._admin2_from_text(m, res, value) if not value.get("admin2") or value.get("village") else None
            if text_a2:
                value["admin2"] = text_a2     # the text's own district wins
            elif vil is not None:
                a2 = vil.admin2(value)
                if a2:
                    value["admin2"] = a2[0]
                    value["why"] += f"; admin2 {a2[0]}: {a2[1]}"
            if not value.get("admin2"):
                own_district(g, value)
            value["context"] = bool(m.in_paren or m.org)
            value["coded"] = m.coded
            value["has_context"] = bool(m.ctx)
            value["type"] = m.type_word
            value["mention"] = idx
            sp = doc.add_span("places", m.start, m.end, value["kind"], value)
            spans.append(sp)
        self._province_named_wins(text, res, spans)
        if vil is not None:
            vil.place_at_district_seats(spans)
            for m, value in vil.extra():
                value.update({"context": False, "coded": bool(value["village"].get("coded")), "has_context": False,
                              "type": m.type_word, "mention": -1})
                a2 = None if value.get("admin2") else vil.admin2(value)
                if a2:
                    value["admin2"] = a2[0]
                    value["why"] += f"; admin2 {a2[0]}: {a2[1]}"
                vil.mark_context(m, value, spans)
                doc.add_span("places", m.start, m.end, value["kind"], value)
            if "places" in doc.spans:
                doc.spans["places"].sort(key=lambda sp: sp.start)
        # cues that change the point or the precision
        for idx, (m, _scored) in enumerate(res):
            sp = spans[idx]
            if sp is None:
                continue
            v = sp.value
            before = text[max(0, m.start - 60):m.start]
            mo = _OFFSET.search(before)
            if mo and v["lat"] is not None:
                d = float(mo.group(1).replace(",", "."))
                if mo.group(2).lower().startswith("mi"):
                    d *= 1.609
                bearing = _DIRS.get(mo.group(3).lower().replace("-", ""), _DIRS.get(mo.group(3).lower()))
                if bearing is not None and d < 500:
                    v["lat"], v["lon"] = offset_point(v["lat"], v["lon"], d, bearing)
                    v["geo_precision"] = max(v["geo_precision"], 2)
                    v["why"] += f"; moved {mo.group(0).strip()} {v['name']}"
                    continue
            if _REFERENCE.search(before) and not m.ctx:
                # "the Tarmiyah district north of Baghdad": Baghdad only locates the place
                v["reference"] = True
                v["geo_precision"] = max(v["geo_precision"], 2)
                v["why"] += "; a reference point ('north of')"
                continue
            if _NEAR.search(before):
                v["geo_precision"] = max(v["geo_precision"], 2)
                v["why"] += "; 'near' the place"
            elif _near_cue(text, m.start):
                v["geo_precision"] = max(v["geo_precision"], 2)
                v["why"] += f"; '{_near_cue(text, m.start)}' the place"
            if _BETWEEN.search(before):
                for j in range(idx + 1, min(idx + 3, len(res))):
                    other = spans[j]
                    if other is None:
                        continue
                    gap = text[m.end:other.start]
                    if re.fullmatch(r"[\w\s,'-]{0,30}\band\s+(the\s+)?", gap):
                        ov = other.value
                        if km(v["lat"], v["lon"], ov["lat"], ov["lon"]) < 150:
                            v["lat"] = round((v["lat"] + ov["lat"]) / 2, 5)
                            v["lon"] = round((v["lon"] + ov["lon"]) / 2, 5)
                            v["geo_precision"] = max(v["geo_precision"], 2)
                            v["why"] += f"; midpoint between {v['name']} and {ov['name']}"
                            v["between"] = j
                        break
        return doc

    def _province_named_wins(self, text: str, res, spans) -> None:
        """A feature that spans provinces takes the province the text names with it: "the Hamrin
        mountains in Diyala province" is in Diyala (the curated point lies in Salah Al Din); the
        point moves to the town of that province nearest the feature's point."""
        g = self.g
        for idx, sp in enumerate(spans):
            if sp is None or sp.value.get("kind") != "feature" or sp.value.get("placed_at"):
                continue
            v = sp.value
            m = res[idx][0]
            for j in range(idx + 1, min(idx + 3, len(res))):
                o, oscored = res[j]
                gap = text[m.end:o.start]
                if not _SPAN_GAP.fullmatch(gap) or not oscored or spans[j] is None:
                    continue
                k = oscored[0][1]
                if g.kind[k] != 1 or g.country_names.get(g.cc[k], g.cc[k]) != v.get("country") \
                        or g.a1[k] == v.get("admin1"):
                    break
                town = self._nearest_town(g.cc[k], g.a1[k], v["lat"], v["lon"])
                old = v.get("admin1")
                v["admin1"], v["admin2"] = g.a1[k], None
                v["why"] += f"; the text names it in {g.a1[k]} (the feature spans provinces; its point is in {old})"
                if town is not None:
                    v["lat"], v["lon"] = town[0], town[1]
                    v["admin2"] = town[3] or None
                    v["why"] += f"; point: the place of {g.a1[k]} nearest it, {town[2]}"
                break

    def _nearest_town(self, cc: str, a1: str, lat: float, lon: float,
                      max_km: float = 200.0) -> tuple[float, float, str, str] | None:
        """(lat, lon, name, admin2) of the town or village of a province nearest a point."""
        from ..gazetteer.villages import villages
        g = self.g
        best = None
        for i in range(len(g)):
            if g.kind[i] == 0 and g.cc[i] == cc and g.a1[i] == a1:
                d = km(lat, lon, g.lat[i], g.lon[i])
                if d <= max_km and (best is None or d < best[0]):
                    best = (d, (g.lat[i], g.lon[i], g.name[i], g.a2[i]))
        t = villages(cc)
        for i in range(len(t) if t is not None else 0):
            if t.a1[i] == a1:
                d = km(lat, lon, t.lat[i], t.lon[i])
                if d <= max_km and (best is None or d < best[0]):
                    best = (d, (t.lat[i], t.lon[i], t.name[i], t.a2[i]))
        return best[1] if best else None

    def _value(self, m: Mention, i: int, s: float, why: str, scored, unresolved=False) -> dict:
        g = self.g
        e = g.entry(i)
        kind = e.kind
        if e.precision is not None:
            prec = e.precision
        else:
            prec = {"populated": 1, "admin2": 2, "admin1": 3, "country": 3, "feature": 3}[kind]
        tw = TYPE_WORDS.get(m.type_word, "")
        reasons = []
        placed_at = None
        if unresolved:
            prec = max(2, prec)
            reasons.append(f"'{m.text}' is not in the gazetteer; placed at its context "
                           f"{e.name} ({kind})")
            placed_at = kind
            name = m.text
            kind_out = "populated" if tw in ("populated", "", "area") else "admin2"
        else:
            name = m.text if kind != "country" else e.name
            kind_out = kind
            if kind == "populated" and tw in ("admin", "admin3", "area"):
                prec = 2
            reasons.append(f"{kind} '{e.name}'" + (f" ({why})" if why else ""))
            if len(scored) > 1:
                reasons.append(f"beat {len(scored) - 1} other candidate(s)")
            else:
                reasons.append("only candidate")
        if kind == "country":
            reasons.append("country centroid: nothing more specific was found")
        # an admin unit named like its main town: ACLED codes the town's point
        lat, lon = e.lat, e.lon
        if kind in ("admin2", "admin1") and (not unresolved or kind == "admin2"):
            town = self._town_named(e)
            if town is not None:
                lat, lon = g.lat[town], g.lon[town]
                reasons.append(f"point of the town {g.name[town]}")
        cands = []
        for s2, j, _ in scored[1:6]:
            cands.append({"name": g.name[j], "country": g.country_names.get(g.cc[j], g.cc[j]),
                          "admin1": g.a1[j], "kind": KINDS[g.kind[j]], "lat": g.lat[j],
                          "lon": g.lon[j], "score": round(s2, 3)})
        return {
            "name": name, "country": e.country, "admin1": e.admin1 or None,
            "admin2": e.admin2 or None, "admin3": None, "lat": lat, "lon": lon,
            "geo_precision": prec, "kind": kind_out, "source": e.source, "score": round(s, 3),
            "why": "; ".join(reasons), "candidates": cands, "entry": e.name,
            "placed_at": placed_at,
        }

    def _admin2_from_text(self, m: Mention, res, value) -> str | None:
        """admin2 from the text when the gazetteer has none: "Hit district" is its own district;
        in "(Oyam, Northern)" the part before the province is the district; a "district" named
        with it outranks its own "township" ("Taze township (Shwebo district, Sagaing region)":
        the township is the third level, the district the second)."""
        if m.type_word != "district":
            for j in m.ctx:
                cm = res[j][0]
                if cm.type_word == "district" and value["kind"] in ("populated", "admin2"):
                    return cm.text
        if m.type_word in _ADMIN2_WORDS and value["kind"] in ("populated", "admin2"):
            return m.text
        paren = [j for j in m.ctx if res[j][0].in_paren]
        if len(paren) >= 2:
            last = res[paren[-1]]
            if last[1] and self.g.kind[last[1][0][1]] == 1 and self.g.a1[last[1][0][1]] == value.get("admin1"):
                return res[paren[-2]][0].text
        return None

    def _town_named(self, e) -> int | None:
        g = self.g
        best = None
        for j in g.ids(e.name):
            if g.kind[j] == 0 and g.cc[j] == e.cc and g.a1[j] == e.admin1 and (
                    e.kind == "admin1" or g.a2[j] == e.admin2):
                if km(g.lat[j], g.lon[j], e.lat, e.lon) < 150 and (best is None or g.pop[j] > g.pop[best]):
                    best = j
        return best


# -- the event location -----------------------------------------------------------------------
#: unit words that only one country uses: a name with one lies in that country
_ONE_COUNTRY_UNITS = {"lga": "NG", "upazila": "BD"}

_SPECIFIC = {"populated": 1.0, "feature": 0.9, "admin2": 0.6, "admin1": 0.3, "country": 0.0}


_ORIGIN = re.compile(r"\b(?:from|fled|fleeing|deported to|returned to|migrants? of|refugees? of|based in|"
                     r"exiled in|in exile in)\s+(?:the\s+)?$", re.I)
_MODIFIER_NEXT = re.compile(
    r"\s*(?:'s\s+)?(?:supreme\s+court|court|embassy|consulate|government|president|prime\s+minister|"
    r"parliament|congress|senate|forces|army|troops|military|authorities|ambassador|decision|invasion|war|"
    r"regime|officials?|sanctions|policy|policies|border\s+guards?|navy|air\s+force|-backed|-led)\b", re.I)
#: a country as the topic of a protest or statement: "against Russia's invasion of Ukraine"
_TOPIC = re.compile(r"\b(?:invasion\s+of|war\s+(?:in|on|against)|solidarity\s+with|(?:in\s+)?support\s+(?:of|for|to)|"
                    r"occupation\s+of|aggression\s+(?:against|on)|backed\s+by|supported\s+by|sponsored\s+by|"
                    r"funded\s+by|armed\s+by|allied\s+(?:to|with)|loyal\s+to)\s+(?:the\s+)?$", re.I)

#: a politician's seat: "sits in parliament for the Polonnaruwa District", "the MP for Bury", "a
#: senator representing Kano": whom the person represents, not where anything happened
_SEAT = re.compile(r"\b(?:(?:sits?|sat|elected)\s+(?:in\s+(?:the\s+)?(?:parliament|congress|assembly|senate)\s+)?for|"
                   r"(?:MPs?|lawmakers?|legislators?|senators?|congress(?:wo)?man|member\s+of\s+parliament|"
                   r"constituency)\s+(?:for|of)|represent(?:s|ed|ing))\s+(?:the\s+)?$", re.I)

#: a province or town as the owner of an office: "Guanajuato's security minister", "Kano's governor"
_OFFICIAL_OF = re.compile(r"['’]s\s+(?:[a-z]+\s+){0,2}(?:minister|governor|mayor|police\s+chief|"
                          r"prosecutor|spokes(?:man|woman|person)|commissioner|government|authorities|officials?)\b")

#: where the sources of a report are, or where its wounded and dead were taken: "Local sources in
#: Idlib confirmed", "our correspondent in Gao", "brought to the hospital in Saada" (a protest
#: "outside the hospital in Halba" is at the hospital)
_SOURCES_IN = re.compile(r"\b(?:(?:sources?|correspondents?|reporters?|journalists?)\s+(?:based\s+)?in|"
                         r"(?:taken|brought|rushed|admitted|transferred|evacuated|flown|airlifted)\s+(?:to|in|at)\s+"
                         r"(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,3}(?:hospitals?|clinics?|morgues?|mortuary|"
                         r"medical\s+cent(?:er|re)s?)\s+(?:in|at|of|near))\s+(?:the\s+)?$", re.I)


def _aside(text: str, start: int, end: int, is_country: bool) -> bool:
    """A place named as an origin ("refugees from Ukraine"), a politician's seat ("the MP for
    Bury"), a country as the modifier of an
    institution ("the US supreme court decision") or as the topic ("against the invasion of
    Ukraine", "militias backed by Iran"): where someone came from, who acted or what it was
    about, not where it happened."""
    if _ORIGIN.search(text[max(0, start - 25):start]) and not _DISTANCE_FROM.search(text[max(0, start - 40):start]) \
            or text[end:end + 6].lower() == "-based":
        return True           # "refugees from Ukraine", "a gangster based in Canada", "London-based"
                              # (not "10km from Isiolo town": a distance, no origin)
    if _SEAT.search(text[max(0, start - 50):start]) or _SOURCES_IN.search(text[max(0, start - 80):start]):
        return True           # "the MP for Polonnaruwa", "sources in Idlib", "the hospital in Saada"
    if is_country and _TOPIC.search(text[max(0, start - 30):start]):
        return True
    if not is_country and _OFFICIAL_OF.match(text, end):
        return True           # "Guanajuato's security minister said": who spoke, not where
    return is_country and bool(_MODIFIER_NEXT.match(text[end:end + 25]))


def _not_the_scene(doc: Document, p: Span) -> bool:
    return _aside(doc.text, p.start, p.end, p.value.get("kind") == "country")


_BRIEF_SENTENCES = 6




def _places_index(doc: Document, places) -> tuple[set, dict, dict, list]:
    """What every call of :func:`best_place` on one document shares, computed once per document
    (the events stage asks per sentence: scanning every place each time was quadratic): the
    places named as an aside, the weight of each country (its places), the places of each sentence,
    and the places that are no aside."""
    return doc.memo("places_index", lambda: _read_places_index(doc, places), "places")


def _read_places_index(doc: Document, places) -> tuple[set, dict, dict, list]:
    weight: dict[str, float] = {}
    aside = {id(p) for p in places if _not_the_scene(doc, p)}
    by_sent: dict[int, list[int]] = {}
    for n, p in enumerate(places):
        by_sent.setdefault(p.sent, []).append(n)
        if id(p) in aside:
            continue
        c = p.value.get("country") or ""
        weight[c] = weight.get(c, 0) + (0.5 if p.value.get("kind") == "country" else 1.0)
    scene = [p for p in places if id(p) not in aside]
    return aside, weight, by_sent, scene


#: a unit word written after a name ("Lamu County", "Warrap State", "Wetlet Township"): ACLED's
#: location is the name itself ("City" and "Town" are often part of it: "Quezon City")
_UNIT_SUFFIX = re.compile(r"\s+(?:(?:Sub[- ]?)?County|State|District|Township|Province|Region|Governorate|"
                          r"Division|Municipality|Village|Payam|Tehsil|Sub-?district)$")


def location_name(name: str | None) -> str | None:
    """The event's location as ACLED names it: the place's name without a unit word after it."""
    if not name:
        return name
    short = _UNIT_SUFFIX.sub("", name)
    return short if short and short[:1].isupper() else name


def scene_sentences(doc: Document) -> set[int]:
    """The sentences that name a place other than as an aside ("refugees from Ukraine", "sources
    in Idlib", "the hospital in Saada"): the sentences with a place of their own."""
    places = doc.layer("places")
    return {p.sent for p in _places_index(doc, places)[3]} if places else set()


def best_place(doc: Document, sents: list[int] | None = None) -> Span | None:
    """The single best event location among ``doc.layer('places')``.

    Prefers places in the given sentences, then the most specific credible place (a town over its
    district over its province over the country), ACLED's "(coded to X)" and places followed by
    their admin context, and places in the country most of the document agrees on.
    """
    places = doc.layer("places")
    if not places:
        return None
    aside, weight, by_sent, scene = _places_index(doc, places)
    if sents is None:
        pool = list(places)
    else:
        pool = [places[k] for k in sorted(k for s in set(sents) for k in by_sent.get(s, ()))] or list(places)
    if all(id(p) in aside for p in pool):
        # "fighters of militias backed by Iran": an aside is no event's place while the story
        # has a scene elsewhere
        pool = scene or pool
    # the document's country: the country of most resolved places
    main_cc = max(weight, key=weight.get) if weight else ""
    st = doc.meta.get("story") or {}
    if st.get("country") in weight and story_confident(st) and len(doc.sentences) > _BRIEF_SENTENCES:
        # an article: the story's country, read from more than its places, over the places named
        # in passing (a brief names its scene plainly, and the country it is about may be another)
        main_cc = st["country"]
    coded = [p for p in pool if p.value.get("coded")]
    if coded:
        return coded[0]
    best, best_s = None, -1e9
    # a town named with its own context ("Al Quds - Anata (Al Quds, West Bank)")
    has_town = any(p.value.get("kind") in ("populated", "feature") and not p.value.get("placed_at")
                   and not p.value.get("context") and p.value.get("has_context") for p in pool)
    order = 0
    for p in pool:
        v = p.value
        s = _SPECIFIC.get(v.get("kind"), 0.5) * 2.0
        if not v.get("context") and v.get("kind") != "country":
            s -= 0.5 * min(order, 3)      # reports name the event's place first
            order += 1
        if v.get("kind") == "country":
            s -= 1.5          # a country centroid only when nothing else was found
        if v.get("kind") == "populated" and TYPE_WORDS.get(v.get("type") or "") in ("admin", "admin3"):
            s -= 0.6          # "Tedim township": a unit around the town
        if v.get("context"):
            s -= 1.5          # "(Oyam, Northern)" locates another place
        if v.get("placed_at") in ("admin1", "admin2", "country") and has_town:
            s -= 0.6          # an unknown name placed at its province: a named town is better
        if v.get("reference"):
            s -= 1.0          # "north of Baghdad"
        if id(p) in aside:
            s -= 1.5          # "refugees from Ukraine", "the US supreme court"
        has_ctx = v.get("has_context")
        if has_ctx:
            s += 1.2
        elif (v.get("village") or {}).get("extra"):
            s -= 0.5          # a name only a village table knew: weaker than a named place
        elif (v.get("village") or {}).get("fit"):
            s += 0.6          # a village the report's provinces or places locate
        if (v.get("country") or "") == main_cc:
            s += 0.5
        s += min(2.0, v.get("score", 0.0)) * 0.3
        if s > best_s:
            best, best_s = p, s
    if best is not None and best.value.get("kind") == "feature" and best.value.get("geo_precision") == 3:
        # "Zap region (Al Amadiya district)": a wide area with the district named after it is
        # coded to the district (its seat), as ACLED does
        for p in pool:
            v = p.value
            if v.get("context") and v.get("type") in _ADMIN2_WORDS and v.get("kind") in ("populated", "admin2") \
                    and p.sent == best.sent and 0 <= p.start - best.end <= 60:
                return p
    return best


def _near_cue(text: str, start: int) -> str:
    """The words that say the scene is near the place starting at ``start`` ("near", "about 10km
    from"), or ""."""
    before = text[max(0, start - 60):start]
    mt = _NEAR.search(before)
    if mt:
        return mt.group(1)
    mt = _DISTANCE_FROM.search(before)
    if mt and float(mt.group(1).replace(",", ".")) <= _NEAR_TOWN_KM:
        return mt.group(0).strip()
    return ""


def _coarse(v: dict) -> str:
    """Why a chosen place's point says little, or "": an unknown name put at its province's or
    district's point ("Burat, Isiolo"), or a village the tables know only by a spelling variant."""
    if v.get("placed_at") in ("admin1", "admin2"):
        return f"'{v.get('name')}' is placed only at its {v['placed_at']}"
    if (v.get("village") or {}).get("match") in ("variant", "fuzzy"):
        return f"'{v.get('name')}' is a village known only by a {v['village']['match']} spelling"
    return ""


def near_town(doc: Document, place: Span, sents: list[int]) -> Span | None:
    """The town an incident is said to be near ("about 10km from Isiolo town", "the Lodda camp near
    Fataki"), in the same province, where the place chosen for it is coarse (see :func:`_coarse`):
    a copy of that town's span whose ``why`` says so, or None. A village known only by spelling
    gives way only to a town of its own sentence that lies more than ``_NEAR_VILLAGE_KM`` from it."""
    v = place.value
    why = _coarse(v)
    if not why or v.get("lat") is None:
        return None
    village = not v.get("placed_at")
    # the incident's sentences and the two after each (a scene is often located a line later)
    near_sents = {place.sent} if village else {t + k for t in set(sents) | {place.sent} for k in (0, 1, 2)}
    aside, _w, by_sent, _scene = _places_index(doc, doc.layer("places"))
    places = doc.layer("places")
    for n in sorted(k for t in near_sents for k in by_sent.get(t, ())):
        q = places[n]
        w = q.value
        if q is place or id(q) in aside or w.get("kind") != "populated" or w.get("placed_at") \
                or (w.get("village") or {}).get("match", "exact") != "exact" or w.get("lat") is None \
                or (w.get("country"), w.get("admin1")) != (v.get("country"), v.get("admin1")) \
                or not _near_cue(doc.text, q.start):
            continue
        if village and km(v["lat"], v["lon"], w["lat"], w["lon"]) <= _NEAR_VILLAGE_KM:
            continue
        out = dict(w)
        out["why"] = f"{why}; the report places the scene near {w.get('name')}: {w.get('why')}"
        return Span(q.start, q.end, q.label, out, q.sent, q.text)
    return None


#: a village matched by spelling that lies farther than this from the town the report says it is
#: near is taken to be a namesake
_NEAR_VILLAGE_KM = 20


@stage("places", requires=("sentences", "entities"), assigns=("places",))
def make_places(config):
    """Place names -> gazetteer candidates -> resolved place with precision and reasons."""
    path = config.get("places", "gazetteer", "") or None
    feats = config.get("places", "curated", "") or None
    state: dict = {}

    def places(doc: Document) -> Document:
        if "r" not in state:
            state["r"] = PlaceResolver(load_gazetteer(path, feats),
                                       bool(config.get("places", "villages", True)))
            _HINTS.setdefault("r", state["r"])
        doc.spans["places"] = []
        resolver = state["r"]
        resolver.annotate(doc)
        return doc

    return places
