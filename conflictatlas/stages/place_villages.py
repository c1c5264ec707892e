"""Villages in the places stage: names the main gazetteer lacks (or reads as a namesake abroad),
looked up in the village table of the story's country (:mod:`conflictatlas.gazetteer.villages`).

A village is taken only where the text supports a place there:

* **cue**: a locative word before the name ("in", "near", "shelled"...), a unit word after it
  ("X village", "X area", "X axis"), or an admin context ("X town in Ar Raqqa countryside",
  "X (Aleppo)");
* **country**: the story's country (``doc.meta["story"]["country"]`` when a story stage set it,
  else the country most resolved places lie in, :func:`story_country`);
* **admin fit**: when the name comes with a province or district, the village must lie there;
  a spelling variant needs that fit, a fuzzy (consonant skeleton) match needs it too;
* **rank**: admin fit, nearness to the other places of the report, then feature code (seats
  first) and population; two namesakes the text cannot tell apart leave the name unplaced.

Each decision is written into the place's ``why`` (and ``village``: how the name matched,
why it won or lost), so ``conflictatlas places`` shows it.
"""
from __future__ import annotations

import logging
import math
import re
import sys
from difflib import SequenceMatcher

from ..gazetteer import KINDS
from ..gazetteer.matcher import COMMON_WORDS, TYPE_WORDS
from ..gazetteer.names import fold, key, skeleton
from ..gazetteer.villages import variant_key, villages

log = logging.getLogger("conflictatlas")

_CUE_BEFORE = re.compile(
    r"\b(in|at|near|nearby|from|to|of|outside|inside|around|into|toward|towards|through|across|via|"
    r"between|reach|reached|entered|left|attacked|shelled|stormed|captured|seized|raided|struck|"
    r"hit|bombed|targeted|on|and)\s+(?:the\s+)?(?:(?:village|town|area|city|hamlet|outskirts|"
    r"countryside|vicinity|road|axis|farms?)\s+(?:of\s+)?)?$", re.I)
#: unit words after a name that say "a place": "X village", "X area", "X axis"
_PLACE_WORDS = {w for w, k in TYPE_WORDS.items() if k in ("populated", "area", "admin3")} | {
    "axis", "frontline", "frontlines", "front", "farms", "badia", "plain", "hill", "valley"}
#: one or two capitalised words (and an article) right before a mention: a longer name
_LONGER = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’-]+[ -]){1,2}(?:(?:al|el|ad|as|ash|ar|an|at|az)[ -])?$")
#: a capitalised run (with Arabic articles and connectors) that may name a village
_RUN = re.compile(r"(?<![\w'’.-])((?:(?:al|el|ad|as|ash|ar|an|at|az)[ -])?[A-Z][\w'’]+(?:-[\w'’]+)*"
                  r"(?:[ -](?:(?:al|el|ad|as|ash|ar|an|at|az|bin|abu|um|umm|wa)[ -])?[A-Z][\w'’]+(?:-[\w'’]+)*){0,3})")
_STRONG_BEFORE = re.compile(
    r"\b(in|at|near|between|outside|inside|into|toward|towards|reached|entered|stormed|shelled|captured|"
    r"raided|(?:outskirts|vicinity|village|town|area|countryside|road to) of)\s+(?:the\s+)?$", re.I)
#: ACLED's "(coded to X)", "[coded as X]", "(coded X)": the coder's own pick of the place
_CODED_BEFORE = re.compile(r"\bcoded\s+(?:(?:to|as|at|in)\s+)?(?:the\s+)?$", re.I)
_BETWEEN_AND = re.compile(r"\bbetween\s+(?:the\s+)?[A-Z][\w'’ -]{1,40}?\s+and\s+(?:the\s+)?$")
_PAREN_ALT = re.compile(r"\s*\(([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})\)")
_PROVINCE_WORDS = frozenset({"province", "governorate", "region", "state", "oblast", "prefecture"})
_DISTRICT_WORDS = frozenset({"district", "township", "raion", "rayon", "county", "lga", "tehsil",
                             "subdivision", "department", "municipality", "qada", "cercle"})
_CUE_WORDS = frozenset("in at near from to of on and between into outside inside around".split())
_MATCH_COST = {"exact": 0.0, "variant": 0.2, "fuzzy": 0.7}
_SEATS = ("PPLA", "PPLA2", "PPLA3", "PPLC")
#: a town of the main gazetteer this large, with no district from any source, is taken as the
#: seat of its own district rather than given the district of the villages around it
_SEAT_TOWN_POP = 10_000


def story_country(doc, res, g) -> str:
    """ISO2 of the country the report is about: the story stage's pick when there is one, else
    the country most of the resolved places lie in (a country named outright counts half)."""
    story = doc.meta.get("story") if isinstance(doc.meta, dict) else None
    votes = _place_votes(res, g)
    if isinstance(story, dict) and story.get("country"):
        cc = g.country_iso.get(fold(str(story["country"]))) or g.country_code(str(story["country"]))
        if cc and not _places_say_otherwise(cc, votes, story, g):
            return cc
    if not votes:
        return ""
    best = max(votes.values())
    top = sorted(c for c, v in votes.items() if v == best)
    return top[0] if len(top) == 1 else ""


def _places_say_otherwise(cc: str, votes: dict[str, float], story: dict, g) -> bool:
    """'Russian forces shelled Mala Shestirnya, Kherson': the story's country (read from
    'Russian') has no resolved place, and all the places lie in one other country that the
    story also weighs: the places' country is the scene."""
    if not votes or votes.get(cc):
        return False
    others = {c for c, v in votes.items() if v >= 1.0}
    if len(others) != 1:
        return False
    other = g.country_names.get(next(iter(others)), "")
    return bool(other) and (story.get("countries") or {}).get(other, 0) > 0


def _place_votes(res, g) -> dict[str, float]:
    """ISO2 -> the weight of the resolved places that lie in it."""
    votes: dict[str, float] = {}
    for m, scored in res:
        if not scored or m.loose:
            continue
        i = scored[0][1]
        c = g.cc[i]
        # a province says more than a town; a town found by one of its alternate names
        # ("Murad" for Murud) less; a country named outright half
        w = 0.5 if g.kind[i] == 3 else 1.5 if g.kind[i] in (1, 2) else 1.0
        if g.kind[i] in (0, 4) and key(g.name[i]) != key(m.text):
            w = 0.4
        votes[c] = votes.get(c, 0.0) + w + (0.5 if m.in_paren else 0.0)
    return votes


#: Myanmar's news romanisation writes the long a as "ar" ("Ywar Thar", "Yinmarbin") where
#: GeoNames writes "a" ("Ywatha", "Yinmabin")
_BURMESE_AR = re.compile(r"(?<=[A-Za-z])ar(?![aeiouyAEIOUY'’-])")


def local_spelling(name: str, cc: str) -> str:
    """The name as the gazetteer of that country spells it where the news writes it another
    way ('' when no rule applies): Myanmar's "ar" for the long a."""
    if cc == "MM":
        alt = _BURMESE_AR.sub("a", name)
        return alt if alt != name else ""
    return ""


def _km(la1, lo1, la2, lo2) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (la1, lo1, la2, lo2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


class VillagePicker:
    """Village readings for the mentions of one document (``pick(idx)``)."""

    def __init__(self, resolver, doc, res):
        self.r = resolver
        self.g = resolver.g
        self.doc = doc
        self.res = res
        self.cc = story_country(doc, res, self.g)
        self.table = villages(self.cc) if self.cc else None
        self.text_a2 = ""
        g = self.g
        # the provinces the report names in its country, and the points of its resolved places
        self.doc_a1 = set()
        self.points = []
        self._grid: dict[tuple, list] = {}      # the points on a 1-degree grid: a report of
        #                                           thousands of places stays linear
        for m, scored in res:
            if not scored or m.loose:
                continue
            i = scored[0][1]
            if g.cc[i] != self.cc:
                continue
            if g.kind[i] in (0, 1, 2, 4) and g.a1[i]:
                self.doc_a1.add(g.a1[i])
            if g.kind[i] in (0, 4):
                self.points.append((m.start, g.lat[i], g.lon[i]))
                cell = self._grid.setdefault((int(g.lat[i] // 1), int(g.lon[i] // 1)), {})
                starts = cell.setdefault((g.lat[i], g.lon[i]), [])
                if len(starts) < 2:
                    starts.append(m.start)      # one place named a thousand times is one point

    # -- when to try ---------------------------------------------------------------------------
    def _wanted(self, m, scored) -> str:
        """Why a village reading is worth trying for this mention ('' when not)."""
        g = self.g
        if m.org or m.coded:
            return ""
        if not scored:
            return "not in the gazetteer"
        s0, i0, flags = scored[0]
        if g.cc[i0] != self.cc and g.kind[i0] != 3 and not (flags & 2):
            return f"the gazetteer's '{g.name[i0]}' lies in another country"
        if m.loose and g.kind[i0] in (0, 4):
            return "the gazetteer matched only a spelling variant"
        return ""

    def _cue(self, m) -> str:
        text = self.doc.text
        if m.type_word and m.type_word in _PLACE_WORDS:
            return f"'{m.type_word}' after it"
        nxt = re.match(r"\s+(\w+)", text[m.end:m.end + 20])
        if nxt and nxt.group(1).lower() in _PLACE_WORDS | {"towns", "villages", "areas"}:
            return f"'{nxt.group(1)}' after it"
        mt = _CUE_BEFORE.search(text, max(0, m.start - 40), m.start)
        if mt:
            return f"'{mt.group(0).strip()}' before it"
        if m.ctx:
            return "named with its region"
        if m.in_paren and m.owner >= 0:
            return "the other spelling of the place before it"
        return ""

    def _gazetteer_variant(self, m, name: str) -> dict | None:
        """A town of the story's country in the main gazetteer whose variant key is the name's,
        in a province the text names with it or in the report (one such town, or namesakes
        within 25 km of each other): its value, or None."""
        g = self.g
        ids = _main_variants(g, self.cc).get(variant_key(name), ())
        if not ids:
            return None
        _ccs, ctx_a1, _a2, _pts = self._context(m)
        want = {a for c, a in ctx_a1 if c == self.cc} or self.doc_a1
        ids = [i for i in ids if g.a1[i] in want]
        if not ids or any(_km(g.lat[i], g.lon[i], g.lat[ids[0]], g.lon[ids[0]]) > 25 for i in ids[1:]):
            return None
        e = g.entry(ids[0])
        return {
            "name": m.text, "country": e.country, "admin1": e.admin1 or None, "admin2": e.admin2 or None,
            "admin3": None, "lat": e.lat, "lon": e.lon, "geo_precision": 1, "kind": "populated",
            "source": e.source, "score": 1.0,
            "why": (f"populated '{e.name}' in {e.admin1}: variant match of '{name}' in the story's "
                    f"country ({e.country}), in a province named; {self._cue(m)}"),
            "candidates": [], "entry": e.name, "placed_at": None,
            "village": {"match": "variant", "entry": e.name, "fit": True},
        }

    def _nearest_point_km(self, lat: float, lon: float, skip_start: int) -> float | None:
        """km to the nearest other resolved place of the report within about 80 km, or None."""
        ci, cj = int(lat // 1), int(lon // 1)
        best = None
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for (la, lo), starts in self._grid.get((ci + di, cj + dj), {}).items():
                    if starts == [skip_start]:
                        continue
                    d = _km(lat, lon, la, lo)
                    if best is None or d < best:
                        best = d
        return best if best is not None and best < 80 else None

    def _strong_cue(self, m) -> bool:
        """A cue strong enough for a name no other source knew: a unit word after it, or a
        locative word before it ("and" only in "between A and B")."""
        text = self.doc.text
        if m.type_word in _PLACE_WORDS:
            return True
        nxt = re.match(r"[ -]+(\w+)", text[m.end:m.end + 20])
        if nxt and nxt.group(1).lower() in _PLACE_WORDS | {"towns", "villages", "areas"}:
            return True
        mt = _STRONG_BEFORE.search(text, max(0, m.start - 40), m.start)
        if mt or self._coded(m):
            return True
        return bool(_BETWEEN_AND.search(text, max(0, m.start - 80), m.start))

    def _coded(self, m) -> bool:
        """'(coded to Yuai)': the name is ACLED's own pick of the event's place."""
        return bool(_CODED_BEFORE.search(self.doc.text, max(0, m.start - 30), m.start))

    def _context(self, m):
        """(country, admin1s, admin2s, points) of the places that locate this mention."""
        g = self.g
        a1s, a2s, pts, ccs = set(), set(), [], set()
        self.text_a2 = ""
        for j in m.ctx:
            cm, cs = self.res[j]
            if not cs or cm.loose:
                continue
            if self.g.kind[cs[0][1]] in (0, 4) and self.g.cc[cs[0][1]] != self.cc:
                continue          # "Edine (Edin)": a small namesake abroad locates nothing
            if not self.text_a2 and (cm.type_word in _DISTRICT_WORDS or self.g.kind[cs[0][1]] == 2):
                # the text's own district: "(Monywa township, ...)", "(Jabal Habashy, Taizz)"
                self.text_a2 = cm.text if cm.type_word in _DISTRICT_WORDS else self.g.a2[cs[0][1]]
            top = cs[0][0]
            for s, i, _f in cs:
                if s < top - 1.0:
                    break
                ccs.add(g.cc[i])
                if g.kind[i] in (1, 2, 0, 4) and g.a1[i]:
                    a1s.add((g.cc[i], g.a1[i]))
                if g.kind[i] == 2:
                    a2s.add((g.cc[i], g.a2[i]))
                if g.kind[i] in (0, 1, 2, 4):
                    pts.append((g.lat[i], g.lon[i], g.kind[i]))
        return ccs, a1s, a2s, pts

    def _inside_longer_name(self, m) -> bool:
        """'Ahrar al Sham': capitalised words that are no common word run into the mention."""
        mt = _LONGER.search(self.doc.text, max(0, m.start - 40), m.start)
        if not mt:
            return False
        words = [w for w in fold(mt.group(0)).split() if w not in ("al", "el", "ad", "as", "ash", "ar", "an", "at", "az")]
        return bool(words) and not any(w in COMMON_WORDS or w in _CUE_WORDS for w in words)

    def _longer_name(self, m):
        """'Sheikh Isa village': the name with the capitalised words before the mention, when
        the table knows it (the mention lost 'Sheikh' as a common word). (name, found) or
        (m.text, None)."""
        mt = _LONGER.search(self.doc.text, max(0, m.start - 40), m.start)
        if not mt:
            return m.text, None
        name = mt.group(0) + m.text
        found = [f for f in self.table.find(name, fuzzy=False)]
        return (name, found) if found else (m.text, None)

    # -- the pick ------------------------------------------------------------------------------
    def pick(self, idx: int) -> tuple[dict | None, str]:
        """(value, note): a village reading for mention ``idx``, or None with a note saying why
        a village was not taken ('' when none was tried)."""
        m, scored = self.res[idx]
        return self._pick(m, scored)

    def extra(self) -> list[tuple]:
        """Names no other source found, read as villages: a capitalised run after a locative
        word or before a unit word ("between Dabiq and Sandaf villages", "on the Kafr Khasher
        frontlines", "near Tanf") that the story country's table holds exactly or as a variant,
        in a province the report names or within 30 km of one of its places. [(Mention, value)]."""
        if self.table is None:
            return []
        from ..gazetteer.matcher import Mention
        from .places import _Spans
        text = self.doc.text
        taken = _Spans([(m.start, max(m.end, m.type_end)) for m, _s in self.res])
        labels = {(e.start, e.end): e.label for e in self.doc.layer("entities") if e.label in ("PERSON", "NORP")}
        ents = _Spans(list(labels))
        out = []
        for mt in _RUN.finditer(text):
            s, e = mt.start(1), mt.end(1)
            if taken.overlaps(s, e) or any(b - a > e - s or labels[(a, b)] == "NORP"
                                           for a, b in ents.containing(s, e)):
                continue          # "Ahmed Dabiq": a longer name (a model's label on the bare name is no proof)
            words = fold(mt.group(1)).split()
            if not words or all(w in COMMON_WORDS or w in _CUE_WORDS for w in words) or len(key(mt.group(1))) < 4:
                continue
            nxt = re.match(r"[ -]+([A-Za-z]+)", text[e:e + 20])
            unit = nxt.group(1).lower() if nxt else ""
            m = Mention(s, e, mt.group(1))
            if unit in TYPE_WORDS:
                m.type_word = unit
                m.type_end = e + nxt.end()
            if self._inside_longer_name(m) or not self._strong_cue(m):
                continue
            value, _note = self._pick(m, [], need_fit=True)
            if value is not None:
                value["why"] += "; found as a village name only (no other source knew it)"
                value["village"]["extra"] = True
                if self._coded(m):
                    value["village"]["coded"] = True
                    value["why"] += "; the coder's own pick ('coded to')"
                out.append((m, value))
                taken.add(s, e)
        return out

    def district_seat(self, name: str, admin1: str) -> tuple[float, float, str] | None:
        """(lat, lon, seat) of a district the main gazetteer lacks, by the village table of the
        story's country: a district seat (GeoNames PPLA2) of that name in the province, else the
        one place of that name there (exact or variant spelling; namesakes over 25 km apart
        leave it unknown)."""
        t = self.table
        if t is None or not admin1:
            return None
        k = key(name)
        for la, lo, a1, a2 in t.seats:
            if a1 == admin1 and key(a2) == k:
                return la, lo, a2
        rows = [i for i, how in t.find(name, fuzzy=False) if t.a1[i] == admin1]
        if not rows:
            return None
        rows.sort(key=lambda i: (t.fcode[i] not in _SEATS, -t.pop[i]))
        if t.fcode[rows[0]] not in _SEATS and any(
                _km(t.lat[rows[0]], t.lon[rows[0]], t.lat[j], t.lon[j]) > 25 for j in rows[1:]):
            return None
        i = rows[0]
        return t.lat[i], t.lon[i], t.name[i]

    def place_at_district_seats(self, spans: list) -> int:
        """'Salamabila (Kabambare, Maniema)' with neither name in the main gazetteer: both were
        placed at the province; the district's seat from the village table (its name) is nearer
        the scene, so both move there at precision 2, and ``why`` says so. Returns how many
        places moved."""
        moved = 0
        for idx, sp in enumerate(spans):
            if sp is None or sp.value.get("placed_at") != "admin1":
                continue
            m = self.res[idx][0]
            if m.in_paren:
                continue
            for j in m.ctx:
                dj = spans[j] if j < len(spans) else None
                cm = self.res[j][0]
                if dj is None or not cm.in_paren or dj.value.get("placed_at") != "admin1" \
                        or cm.type_word in _PROVINCE_WORDS:
                    continue
                seat = self.district_seat(cm.text, sp.value.get("admin1") or "")
                if seat is None:
                    continue
                for v in (sp.value, dj.value):
                    v["lat"], v["lon"] = seat[0], seat[1]
                    v["geo_precision"], v["placed_at"] = 2, "admin2"
                    v["why"] += (f"; placed at {seat[2]}, the seat of its district {cm.text} "
                                 f"(Who's On First), not at the province")
                moved += 1
                break
        return moved

    def mark_context(self, m, value: dict, spans: list) -> bool:
        """'shelled Staryi Bykiv, Chernihiv': a village found by :meth:`extra` followed by ', '
        and a place of the same province (the province, or its town of that name) has that
        place as its context, as a name the matcher found would: the village gets
        ``has_context``, the place ``context``. True when marked."""
        sep = re.match(r"\s*,\s*", self.doc.text[m.end:m.end + 6])
        if not sep or not value.get("admin1"):
            return False
        at = m.end + sep.end()
        for sp in spans:
            if sp is None or sp.start != at:
                continue
            v = sp.value
            if v.get("admin1") == value["admin1"] and (v.get("kind") == "admin1" or (
                    v.get("kind") == "populated" and key(v.get("entry") or "") == key(value["admin1"]))):
                v["context"] = True
                value["has_context"] = True
                value["why"] += f"; named with its province, {sp.text}"
                return True
        return False

    def _pick(self, m, scored, need_fit: bool = False) -> tuple[dict | None, str]:
        if self.table is None:
            return None, ""
        want = self._wanted(m, scored)
        if not want:
            return None, ""
        k = key(m.text)
        if not k or fold(m.text) in COMMON_WORDS or m.entity == "PERSON":
            return None, ""
        if m.type_word in _PROVINCE_WORDS:
            return None, ""       # "Diyala province": a unit, not a village of that name
        if m.in_paren and m.owner >= 0 and len(self.res[m.owner][0].ctx) >= 2:
            return None, ""       # "(Hayran, Hajjah)": ACLED's district and province, not a village
        t = self.table
        name, found = self._longer_name(m)
        if found is None:
            found = t.find(m.text)
            if found and self._inside_longer_name(m):
                return None, f"village '{t.name[found[0][0]]}' not taken: part of a longer name"
            if not found and "-" in m.text.strip("-"):
                # "Ash Shula-Sokhneh axis", "Dashishah-Tuwaymin road": the first place named
                part = m.text.split("-")[0].strip()
                if part[:1].isupper() and len(key(part)) >= 4:
                    found = t.find(part, fuzzy=False)
                    if found:
                        name = part
            if not found or found[0][1] == "fuzzy":
                # "Edine (Edin) area", "Mervanos (Mirwanis)": the other spelling in the parenthesis
                alt = _PAREN_ALT.match(self.doc.text, m.end)
                if alt and any(self.g.cc[i] == self.cc or self.g.kind[i] in (1, 2, 3)
                               for i in self.g.ids(alt.group(1))[:25]):
                    alt = None    # "(Oyo)": a province, or a town of the country, is context
                alt_found = t.find(alt.group(1), fuzzy=not found) if alt else []
                if alt_found:
                    name, found = alt.group(1), alt_found
        if not found or found[0][1] == "fuzzy":
            # "Yinmarbin" / "Yinmabin": a spelling of the country's own romanisation
            alt = local_spelling(name, self.cc)
            alt_found = t.find(alt, fuzzy=False) if alt else []
            if alt_found:
                name, found = alt, [(i, "variant") for i, _how in alt_found]
        if need_fit:
            found = [f for f in found if f[1] != "fuzzy"]
        if (not found or found[0][1] == "fuzzy") and not need_fit and self._cue(m):
            # "Ein Issa": a town the gazetteer holds under another spelling ("'Ayn 'Isa")
            hit = self._gazetteer_variant(m, name)
            if hit is not None:
                return hit, ""
        if not found:
            return None, ""
        k = key(name)
        cue = self._cue(m)
        if not cue:
            return None, f"village '{t.name[found[0][0]]}' not taken: nothing in the text marks a place"
        ccs, ctx_a1, ctx_a2, ctx_pts = self._context(m)
        if ccs and self.cc not in ccs:
            return None, f"village '{t.name[found[0][0]]}' not taken: the name is placed in another country"
        ctx_a1 = {a for c, a in ctx_a1 if c == self.cc}
        ctx_a2 = {a for c, a in ctx_a2 if c == self.cc}
        # a town or district named with it: the village lies within 150 km of it
        ctx_near = [(la, lo) for la, lo, kd in ctx_pts if kd in (0, 2)]
        cands = []
        for i, how in found:
            d_ctx = min((_km(t.lat[i], t.lon[i], la, lo) for la, lo in ctx_near), default=None)
            if d_ctx is not None and d_ctx > 150:
                cands.append((-99.0, i, how, [f"{how} match", "over 150 km from the place named with it"], False))
                continue
            s = math.log10(t.pop[i] + 1) / 7.0 - _MATCH_COST[how]
            notes = [f"{how} match" + (f" of '{name}', the name written with it" if name != m.text else "")]
            fit = False
            if ctx_a1:
                if t.a1[i] in ctx_a1:
                    s += 3.0
                    fit = True
                    notes.append(f"in {t.a1[i]}, named with it")
                elif any(_km(t.lat[i], t.lon[i], la, lo) < 40 for la, lo, kd in ctx_pts if kd != 1):
                    s += 2.0
                    fit = True
                    notes.append("by the place named with it")
                else:
                    notes.append(f"lies in {t.a1[i]}, not in the province named with it")
                    cands.append((-99.0, i, how, notes, False))
                    continue
                if ctx_a2 and t.a2[i] in ctx_a2:
                    s += 1.0
            elif t.a1[i] in self.doc_a1:
                s += 1.0
                fit = how != "fuzzy"      # a fuzzy match needs more than the province
                notes.append(f"in {t.a1[i]}, named in the report")
            d = self._nearest_point_km(t.lat[i], t.lon[i], m.start)
            if d is not None:
                if d < 30:
                    s += 1.0
                    fit = True
                    notes.append(f"{d:.0f} km from another place of the report")
                elif d < 80:
                    s += 0.5
            if not fit and self.doc_a1 and t.a1[i] not in self.doc_a1:
                notes.append(f"lies in {t.a1[i]}; the report names {', '.join(sorted(self.doc_a1))}")
                cands.append((-99.0, i, how, notes, False))
                continue
            if d_ctx is not None and d_ctx < 60:
                # of namesakes in the district named, the one nearest its town
                s += 1.5 * (1 - d_ctx / 60)
                notes.append(f"{d_ctx:.0f} km from the place named with it")
            if t.fcode[i] in _SEATS:
                s += 0.3
            if how == "fuzzy":
                # the closer spelling first ("Edine": Edin before Hadaynah); a distant one never
                sim = SequenceMatcher(None, variant_key(name), variant_key(t.name[i])).ratio()
                if sim < 0.55:
                    cands.append((-99.0, i, how, notes + [f"spelling too far from '{t.name[i]}'"], False))
                    continue
                s += sim - 1.0
            if how != "exact" and not fit:
                notes.append(f"a {how} match needs a province or a nearby place named with it")
                cands.append((-99.0, i, how, notes, False))
                continue
            cands.append((s, i, how, notes, fit))
        cands.sort(key=lambda c: -c[0])
        ok = [c for c in cands if c[0] > -99.0]
        if not ok:
            return None, f"village '{t.name[cands[0][1]]}' not taken: " + cands[0][3][-1]
        if ok[0][2] == "fuzzy" and len(ok) > 3:
            return None, (f"village '{t.name[ok[0][1]]}' not taken: {len(ok)} places there are spelt "
                          f"about like it")
        best = ok[0]
        if len(ok) > 1:
            rival = ok[1]
            d = _km(t.lat[best[1]], t.lon[best[1]], t.lat[rival[1]], t.lon[rival[1]])
            if d > 25 and best[0] - rival[0] < 0.5:
                if not (best[4] and rival[4]):
                    return None, (f"village '{t.name[best[1]]}' not taken: {len(ok)} places of that name in "
                                  f"{self.g.country_names.get(self.cc, self.cc)} and nothing to tell them apart")
                # namesakes in the province named: the first (seat, population, then the data's
                # order), at precision 2, and said
                n_same = sum(1 for c in ok if c[4] and best[0] - c[0] < 0.5)
                best = (best[0], best[1], best[2], best[3] + [
                    f"one of {n_same} places of that name there; nothing in the text tells them apart"],
                    best[4], True)
        if not best[4] and (need_fit or (scored and want.startswith("the gazetteer matched"))):
            return None, f"village '{t.name[best[1]]}' not taken: no province or place supports it"
        return self._value(m, scored, best, cands, want, cue), ""

    def _value(self, m, scored, best, cands, want, cue) -> dict:
        g, t = self.g, self.table
        s, i, how, notes, _fit = best[:5]
        tw = TYPE_WORDS.get(m.type_word, "") if m.type_word else ""
        prec = 2 if tw in ("area", "admin", "admin3") or m.type_word in ("axis", "countryside") else 1
        if len(best) > 5:
            prec = 2              # one of several namesakes
        country = g.country_names.get(self.cc, self.cc)
        why = [f"village '{t.name[i]}' (Who's On First) in {t.a1[i] or country}: {', '.join(notes)}",
               f"tried because {want}; {cue}"]
        if how == "fuzzy":
            why.append("fuzzy match: the spelling differs, check the point")
        lost = []
        for s2, j, how2, notes2, *_f in cands:
            if j == i:
                continue
            lost.append({"name": t.name[j], "country": country, "admin1": t.a1[j], "kind": "village",
                         "lat": t.lat[j], "lon": t.lon[j], "score": round(s2, 3),
                         "why_lost": ", ".join(notes2)})
        for s2, j, _f in (scored or [])[:3]:
            lost.append({"name": g.name[j], "country": g.country_names.get(g.cc[j], g.cc[j]),
                         "admin1": g.a1[j], "kind": KINDS[g.kind[j]], "lat": g.lat[j],
                         "lon": g.lon[j], "score": round(s2, 3), "why_lost": want})
        if len(cands) > 1 or scored:
            why.append(f"beat {len(lost)} other candidate(s)")
        return {
            "name": m.text, "country": country, "admin1": t.a1[i] or None,
            "admin2": self.text_a2 or (None if district_seats(g).get(self.cc) else t.a2[i]) or None,
            "admin3": None, "lat": t.lat[i], "lon": t.lon[i], "geo_precision": prec,
            "kind": "populated", "source": f"wof:{self.cc.lower()}:{t.name[i]}",
            "score": round(s, 3), "why": "; ".join(why), "candidates": lost[:6], "entry": t.name[i],
            "placed_at": None, "village": {"match": how, "entry": t.name[i], "fit": bool(best[4])},
        }

    def admin2(self, value: dict) -> tuple[str, str] | None:
        """A district for a place: from the curated district seats of its country
        (``data/district_seats.csv``: districts redrawn since GeoNames, such as Ukraine's raions
        of 2020, which replace the gazetteer's old ones), else, when it has none, from the
        village table of its country. Returns (admin2, how) or None."""
        g = self.g
        if value.get("lat") is not None and not value.get("admin2") and (
                value.get("kind") == "admin1" or value.get("placed_at") == "admin1"):
            return self._seat_at_point(value)
        if value.get("kind") not in ("populated", "feature") or value.get("placed_at") \
                or value.get("lat") is None or value.get("geo_precision", 3) > 2:
            return None
        cc = g.country_iso.get(fold(value.get("country") or ""))
        if not cc:
            return None
        seats = district_seats(g).get(cc)
        if seats:
            a1 = value.get("admin1") or ""
            listed = _listed_district(cc, a1, value, seats)
            if listed:
                return listed
            best = None
            for la, lo, s1, s2, town in seats:
                if a1 and s1 != a1:
                    continue
                d = _km(value["lat"], value["lon"], la, lo)
                if best is None or d < best[0]:
                    best = (d, s2, town)
            if best is not None and best[0] > 10 and key(value.get("name") or "") == key(a1):
                return None       # Baghdad, Damascus: a capital whose city districts are no seats here
            if best is not None and best[0] <= 120:
                return best[1], f"district of the nearest district seat, {best[2]}"
            return None
        if value.get("admin2"):
            return None
        t = villages(cc)
        if t is None:
            return None
        town = self._main_town(value, cc)
        if town is not None and g.pop[town] >= _SEAT_TOWN_POP:
            # a town of that size is its district's seat: its villages around carry the
            # neighbouring districts' names as often as its own
            return None
        return t.admin2_near(value["lat"], value["lon"], value.get("admin1") or "")

    def _main_town(self, value: dict, cc: str) -> int | None:
        """The main gazetteer's town a place value was read as (by its source id), or None."""
        src = str(value.get("source") or "")
        if not src.startswith("geonames:") or value.get("kind") != "populated" or value.get("village"):
            return None
        g = self.g
        for i in g.ids(value.get("entry") or ""):
            if g.src[i] == src and g.cc[i] == cc:
                return i
        return None


    def _seat_at_point(self, value: dict) -> tuple[str, str] | None:
        """'Dar'a', 'near Maaret al Naasan, Idleb': a province (or a place placed at its
        province) is given the point of its main town; when that point is a district seat of
        the curated list (within 3 km), the district is that seat's, so that admin2 and the point
        agree. (admin2, how) or None."""
        cc = self.g.country_iso.get(fold(value.get("country") or ""))
        a1 = value.get("admin1") or ""
        if not cc or not a1:
            return None
        best = None
        lat, lon = value["lat"], value["lon"]
        for la, lo, s1, s2, town in district_seats(self.g).get(cc, ()):
            if abs(la - lat) < 0.03 and abs(lo - lon) < 0.05 and s1 == a1:
                d = _km(lat, lon, la, lo)
                if d <= 3 and (best is None or d < best[0]):
                    best = (d, s2, town)
        if best is not None:
            return best[1], f"the point is {best[2]}, the seat of the district"
        if district_seats(self.g).get(cc):
            return None
        # the province's own town ("point of the town Gao"): its district from GeoNames, else,
        # as for any town no source gives a district, the district named after it
        g = self.g
        for i in g.ids(value.get("entry") or ""):
            if g.kind[i] == 0 and g.cc[i] == cc and g.a1[i] == a1 \
                    and abs(g.lat[i] - value["lat"]) < 1e-6 and abs(g.lon[i] - value["lon"]) < 1e-6:
                if g.a2[i]:
                    return g.a2[i], f"the point is the town {g.name[i]}, in that district"
                return g.name[i], (f"the point is the town {g.name[i]}; no source gives its district, "
                                   f"taken as the seat of a district named after it")
        return None


def own_district(g, value: dict) -> bool:
    """A town of the main gazetteer that no source gives a district (no admin2 in GeoNames, none
    from the text, no district seats of its country): taken as the seat of a district named
    after it, as most districts are (Iran's counties, Turkey's districts, Mexico's
    municipalities); said in the ``why``. Not for villages, areas or points placed at a unit.
    True when the admin2 was set."""
    if value.get("admin2") or value.get("kind") != "populated" or value.get("placed_at") \
            or value.get("village") or value.get("geo_precision") != 1 \
            or not str(value.get("source") or "").startswith("geonames:"):
        return False
    cc = g.country_iso.get(fold(value.get("country") or ""))
    if not cc or district_seats(g).get(cc) or not value.get("entry"):
        return False
    value["admin2"] = value["entry"]
    value["why"] += (f"; admin2 {value['entry']}: no source gives its district, taken as the seat "
                     f"of a district named after it")
    return True


def _listed_district(cc: str, a1: str, value: dict, seats: list[tuple]) -> tuple[str, str] | None:
    """The district an official register lists the place in (``data/district_members.tsv.gz``,
    Ukraine's KATOTTG): by its gazetteer name, else the name written, exact key first, then the
    consonant skeleton; of namesakes in several districts of the province, the district whose
    seat lies nearest the point, and only when one is within 30 km of it. (admin2, how) or None."""
    members = district_members().get(cc)
    if not members or not a1:
        return None
    for how, fn in (("", key), (" (spelt about like it)", lambda n: "~" + skeleton(key(n)) if skeleton(key(n)) else "")):
        for name in (value.get("entry"), value.get("name")):
            k = fn(name or "")
            found = members.get((a1, k)) if k else None
            if not found:
                continue
            found = set(found) if isinstance(found, tuple) else {found}
            if len(found) == 1:
                a2 = next(iter(found))
                return a2, f"the register lists {name} in {a2}{how}"
            near = sorted((_km(value["lat"], value["lon"], la, lo), s2) for la, lo, s1, s2, _t in seats
                          if s1 == a1 and s2 in found)
            if near and near[0][0] <= 30:
                return near[0][1], (f"the register lists {len(found)} places named {name} in {a1}; "
                                    f"{near[0][1]} has the nearest seat{how}")
    return None


_MEMBERS: dict[str, dict] = {}


def district_members() -> dict[str, dict]:
    """ISO2 -> {(admin1, key, or '~' + skeleton, of a settlement): admin2, or a tuple of them} from
    ``data/district_members.tsv.gz`` (built by ``scripts/build_district_seats.py``), read once."""
    if _MEMBERS:
        return _MEMBERS
    import gzip
    from ..gazetteer import DATA_DIR
    out: dict[str, dict] = {}
    try:
        with gzip.open(DATA_DIR / "district_members.tsv.gz", "rt", encoding="utf-8") as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) != 4 or line.startswith("#") or c[0] == "iso2":
                    continue
                d = out.setdefault(c[0], {})
                a1, a2 = sys.intern(c[1]), sys.intern(c[2])
                k = key(c[3])
                sk = skeleton(k)
                for kk in (k, "~" + sk if sk else ""):
                    if not kk:
                        continue
                    old = d.get((a1, kk))
                    if old is None:
                        d[(a1, kk)] = a2          # one district: the name itself, no set
                        continue
                    olds = old if isinstance(old, tuple) else (old,)
                    if a2 not in olds:
                        d[(a1, kk)] = olds + (a2,)
    except OSError as exc:
        log.debug("district members not read: %s", exc)
    _MEMBERS.update(out or {"": {}})
    return _MEMBERS


_SEATS_CACHE: dict[int, dict] = {}
_VARIANTS_CACHE: dict[tuple, dict] = {}


def _main_variants(g, cc: str) -> dict[str, tuple]:
    """variant key -> the gazetteer's towns of one country (by their own name), built once."""
    k = (id(g), cc)
    hit = _VARIANTS_CACHE.get(k)
    if hit is None:
        out: dict[str, list] = {}
        for i in range(len(g)):
            if g.cc[i] == cc and g.kind[i] == 0:
                v = variant_key(g.name[i])
                if v:
                    out.setdefault(v, []).append(i)
        hit = _VARIANTS_CACHE[k] = {v: tuple(ids) for v, ids in out.items()}
    return hit


def district_seats(g) -> dict[str, list[tuple]]:
    """ISO2 -> [(lat, lon, admin1, admin2, seat)] from ``data/district_seats.csv``; a seat is
    looked up in the gazetteer in its province (a seat not found there is skipped)."""
    hit = _SEATS_CACHE.get(id(g))
    if hit is not None:
        return hit
    import csv
    from ..gazetteer import DATA_DIR
    out: dict[str, list[tuple]] = {}
    try:
        with open(DATA_DIR / "district_seats.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        rows = []
    for r in rows:
        cc, a1 = (r.get("iso2") or "").upper(), r.get("admin1") or ""
        found = None
        for name in (r.get("seat") or "").split("|"):
            for i in g.ids(name):
                if g.cc[i] == cc and g.kind[i] == 0 and (not a1 or g.a1[i] == a1):
                    found = i
                    break
            if found is not None:
                break
        if found is None:
            # a seat below cities500: the village table of the country
            t = villages(cc)
            hit = next(((i, n) for n in (r.get("seat") or "").split("|") if t is not None
                        for i, how in t.find(n, fuzzy=False) if not a1 or t.a1[i] == a1), None)
            if hit is None:
                log.debug("district seat %s (%s) not found", r.get("seat"), r.get("admin2"))
                continue
            i = hit[0]
            out.setdefault(cc, []).append((t.lat[i], t.lon[i], t.a1[i], r["admin2"], t.name[i]))
            continue
        out.setdefault(cc, []).append((g.lat[found], g.lon[found], g.a1[found], r["admin2"], g.name[found]))
    _SEATS_CACHE[id(g)] = out
    return out
