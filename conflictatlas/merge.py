"""Merging reports of one real event into one event.

A *report* is one :class:`~conflictatlas.event.Event` as one article tells it. The store keeps
every report and groups the reports of one real event under one event id. This module holds the
rules, free of any database:

* :func:`compare` decides whether two reports can tell the same event, from compatible types,
  dates within a day (wider when the precision is coarse; two exact days that differ are two
  events, as ACLED codes them), places that agree (same place, within a distance, or one inside
  the other) and compatible actors, and says why in words. It also says when two reports can
  *never* be the same event (``cannot``), which stops a vague report from chaining two different
  events together. Two reports of one article are never one event: the extractor kept them apart.
* :func:`aggregate` builds the event's ACLED fields from all its reports, in an order-independent
  way, with ACLED's fatality rule: the most conservative credible figure, unless a later report
  revises the toll. Every figure is kept as a claim with who said it.
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from bisect import insort
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable

from .event import ACLED_FIELDS, DISORDER_TYPES

# -- settings (general, not tuned to any data set) -----------------------------------------------
#: largest gap in days between two reports' date windows for a match
DATE_GAP_DAYS = 1
#: half-width in days of the date window a report's precision gives (1 day, 2 week, 3 month)
PRECISION_WINDOW = {1: (0, 0), 2: (3, 6), 3: (15, 30)}
#: largest distance in km between two points for a match, by the coarser geo_precision
POINT_KM = {1: 25.0, 2: 50.0, 3: 100.0}
#: two differently named places closer than this are one spot (geocoder noise)
SAME_SPOT_KM = 2.0
#: two similar names (spelling variants) farther apart than this are different places
SPELLING_KM = 10.0
#: beyond this distance two pinned reports can never be the same event
NEVER_KM = 150.0
#: event types that one event may be coded as by different reports
TYPE_FAMILIES = (
    frozenset({"Battles", "Explosions/Remote violence"}),
    frozenset({"Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
)
GENERIC_ACTOR = re.compile(
    r"^(unidentified|unknown|civilians|protesters|rioters|gunmen|armed men|militants|"
    r"armed group|security forces)\b", re.I)
STATE_FORCES = re.compile(r"^(military|police|security|armed|naval|air) forces ")
#: words in a fatality sentence that mark a revised toll
REVISION_CUE = re.compile(
    r"\b(ros(e|en)|risen|climb(ed|s)?|increas(ed|es)|jump(ed|s)?|revis(ed|es|ion)|updat(ed|es)|"
    r"now stands|has reached|reached|mounted|grew|grown|lowered|corrected|new toll|final toll|"
    r"later died|died of (their|his|her) (wounds|injuries)|succumbed)\b", re.I)
#: claim flags that mark a figure as not credible (hedged, rumoured, disputed)
NOT_CREDIBLE = ("hedged", "unconfirmed", "rumor", "rumour", "disputed")


@functools.lru_cache(maxsize=1 << 16)
def fold(s: str | None) -> str:
    """Lower case, no accents, no parenthesised suffix, no 'al-' article, single spaces."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"\b(a[lnrdstz])[-\s]", "", s)
    s = re.sub(r"\b(province|governorate|district|region|state|city|town|village|of|the)\b", " ", s)
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def parse_day(s: Any) -> date | None:
    if not s:
        return None
    if isinstance(s, date):
        return s
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _int(v: Any) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Report:
    """One event as one article tells it, with the features the merge rules read."""

    key: str                       # "<article id>:<index>", stable for the same article text
    article_id: str
    data: dict[str, Any]           # Event.to_dict()
    published: date | None = None
    outlet: str | None = None
    # derived
    date_lo: date | None = None
    date_hi: date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    lat: float | None = None
    lon: float | None = None
    geo_precision: int = 3
    named: frozenset[str] = field(default_factory=frozenset)
    inters: frozenset[str] = field(default_factory=frozenset)
    #: everything :func:`compare` reads but the key and article: reports alike in it compare alike
    signature: tuple = field(default=(), repr=False, compare=False)
    sig_hash: int = field(default=0, repr=False, compare=False)
    _figures: list | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, key: str, article_id: str, data: dict[str, Any], published: Any = None,
              outlet: str | None = None) -> "Report":
        r = cls(key, article_id, data, parse_day(published), outlet)
        d = parse_day(data.get("event_date")) or r.published
        prec = _int(data.get("time_precision")) or (1 if data.get("event_date") else 2)
        if d is not None:
            before, after = PRECISION_WINDOW.get(prec, (0, 0))
            if not data.get("event_date"):        # only the publication date: the days before it
                before, after = 2, 0
            r.date_lo, r.date_hi = d - timedelta(days=before), d + timedelta(days=after)
        r.event_type = data.get("event_type") or None
        r.sub_event_type = data.get("sub_event_type") or None
        r.country = fold(data.get("country"))
        r.admin1 = fold(data.get("admin1"))
        r.admin2 = fold(data.get("admin2"))
        r.location = fold(data.get("location"))
        lat, lon = data.get("latitude"), data.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            r.lat, r.lon = float(lat), float(lon)
        r.geo_precision = _int(data.get("geo_precision")) or 3
        if r.location and r.location == r.country or (not r.location and not r.admin1):
            # a whole country is no place for merging (a country's centroid says nothing)
            r.location = r.admin1 = r.admin2 = ""
            r.lat = r.lon = None
        names = set()
        for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
            for part in str(data.get(k) or "").split(";"):
                part = part.strip()
                if part and not GENERIC_ACTOR.match(part):
                    # one country's army, police and security forces: one state actor for merging
                    f = STATE_FORCES.sub("state forces ", fold(part))
                    if f:
                        names.add(f)
        r.named = frozenset(names)
        r.inters = frozenset(x for x in (data.get("inter1"), data.get("inter2")) if x)
        r.signature = (r.date_lo, r.date_hi, r.event_type, r.sub_event_type, r.country, r.admin1, r.admin2,
                       r.location, r.lat, r.lon, r.geo_precision, r.named, r.inters,
                       *(str(data.get(k) or "") for k in ("event_date", "time_precision", "country",
                                                          "location", "admin1", "admin2")))
        r.sig_hash = hash(r.signature)
        return r

    @functools.cached_property
    def has_place(self) -> bool:
        return bool(self.location or self.admin1 or self.lat is not None)

    @functools.cached_property
    def regional(self) -> bool:
        """A place no finer than a region (geo_precision 3, or no town named)."""
        if self.lat is None and not self.location:
            return True
        return self.geo_precision >= 3 or (not self.location and bool(self.admin1))

    @functools.cached_property
    def vague(self) -> bool:
        """No place finer than a region: such a report is tied to an event only when it matches
        that event alone (see Store.reconcile_vague)."""
        return not self.has_place or bool(self.regional)

    @functools.cached_property
    def extent(self) -> int:
        """How wide the place is: 3 a first-level region, 2 a district or area, 1 a town."""
        if not self.location or self.location == self.admin1:
            return 3
        if self.geo_precision >= 3:
            return 2
        return 1


@dataclass
class Match:
    """The outcome of comparing two reports."""

    same: bool           # may be the same event
    cannot: bool         # can never be the same event
    score: float
    reasons: list[str]
    weak: bool = False   # matched without a place or by a region: the vague side joins only a sole match
    a_vague: bool = False  # in a weak match, the first report is the vague side

    def why(self) -> str:
        return "; ".join(self.reasons)


def _inside(x: str, y: str) -> bool:
    """One place name holds the other as whole words ('donetsk' in 'donetsk kirovskyi')."""
    if len(x) > len(y):
        x, y = y, x
    return len(x) >= 3 and f" {x} " in f" {y} "


def _similar(x: str, y: str) -> bool:
    """Spelling variants of one name (Batifa / Batufa, Mayadin / Mayadeen)."""
    from difflib import SequenceMatcher
    return min(len(x), len(y)) >= 4 and x[0] == y[0] and SequenceMatcher(None, x, y).ratio() >= 0.85


def _actors_overlap(a: frozenset[str], b: frozenset[str]) -> str | None:
    for x in sorted(a):
        for y in sorted(b):
            if x == y or (len(x) > 3 and len(y) > 3 and (x in y or y in x)):
                return x
            tx, ty = set(x.split()), set(y.split())
            if len(tx & ty) / max(1, len(tx | ty)) >= 0.6:
                return x
    return None


def _kept_apart_by_the_extractor(a: Report, b: Report) -> Match | None:
    """Two reports of one article are two events: the extractor already folded what one article
    tells of one event into one report, so what it kept apart stays apart."""
    if a.article_id == b.article_id:
        return Match(False, True, 0, [f"same article ({a.article_id}): the extractor kept them apart"])
    return None


def _different_exact_days(a: Report, b: Report) -> Match | None:
    """Two reports dated to the day, on different days, are two events (ACLED: one event per
    place and day), however close the days."""
    da, db = a.data.get("event_date"), b.data.get("event_date")
    if not (da and db) or da == db:
        return None
    if (_int(a.data.get("time_precision")) or 1) == 1 and (_int(b.data.get("time_precision")) or 1) == 1:
        return Match(False, True, 0, [f"different days ({da} / {db})"])
    return None


def compare_memo(a: Report, b: Report, memo: dict) -> Match:
    """:func:`compare`, computed once per kind of pair in ``memo``: two pairs whose reports have
    the same signatures, the same article relation and the same key order compare alike. A
    thousand retellings of one event cost a few comparisons, not a thousand."""
    k = (a.sig_hash, b.sig_hash, a.article_id == b.article_id, a.key < b.key)
    hit = memo.get(k)
    if hit is not None and hit[1] == a.signature and hit[2] == b.signature:
        return hit[0]
    m = compare(a, b)
    memo[k] = (m, a.signature, b.signature)
    return m


def compare(a: Report, b: Report) -> Match:
    """Can reports ``a`` and ``b`` tell the same real event? Returns a :class:`Match`."""
    apart = _kept_apart_by_the_extractor(a, b) or _different_exact_days(a, b)
    if apart is not None:
        return apart
    reasons: list[str] = []
    score = 0.0
    weak = inside = day_apart = a_vague = False
    # type
    strong_place_needed = False
    if a.event_type and b.event_type:
        if a.event_type == b.event_type:
            if (a.event_type == "Strategic developments" and a.sub_event_type and b.sub_event_type
                    and a.sub_event_type != b.sub_event_type):
                return Match(False, True, 0, [f"different strategic developments ({a.sub_event_type} / {b.sub_event_type})"])
            reasons.append(f"same type ({a.event_type})")
            score += 2
        elif frozenset({a.event_type, b.event_type}) in TYPE_FAMILIES:
            reasons.append(f"compatible types ({a.event_type} / {b.event_type})")
            strong_place_needed = True
            score += 1
        else:
            return Match(False, True, 0, [f"different types ({a.event_type} / {b.event_type})"])
    # date
    if a.date_lo and b.date_lo:
        gap = max((a.date_lo - b.date_hi).days, (b.date_lo - a.date_hi).days, 0)
        if gap > DATE_GAP_DAYS:
            return Match(False, True, 0,
                         [f"dates {gap} days apart ({a.data.get('event_date')} / {b.data.get('event_date')})"])
        da, db = a.data.get("event_date"), b.data.get("event_date")
        day_apart = gap > 0
        reasons.append(f"same date ({da})" if da == db else f"dates within {max(gap, 1)} day(s) ({da} / {db})")
        score += 1
    else:
        return Match(False, False, 0, ["a date is missing"])
    # place
    if a.country and b.country and a.country != b.country:
        return Match(False, True, 0, [f"different countries ({a.data.get('country')} / {b.data.get('country')})"])
    if not (a.has_place and b.has_place):
        # no place told: only the same type, the same day and a shared named actor will do
        same_day = a.date_lo and b.date_lo and a.date_lo <= b.date_hi and b.date_lo <= a.date_hi
        if not (a.country and b.country and a.event_type and a.event_type == b.event_type and same_day
                and a.named and b.named and _actors_overlap(a.named, b.named)):
            return Match(False, False, 0, reasons + ["a place is missing"])
        weak = True
        a_vague = not a.has_place
        reasons.append("no place told: same type, day and actors")
    else:
        dist = None
        if a.lat is not None and b.lat is not None:
            dist = haversine_km(a.lat, a.lon, b.lat, b.lon)
        if dist is not None and dist > NEVER_KM:
            return Match(False, True, 0, [f"{dist:.0f} km apart"])
        place_ok, strong, cannot_place = False, False, False
        la, lb = a.data.get("location"), b.data.get("location")
        if a.location and a.location == b.location and (dist is None or dist <= POINT_KM[3]):
            place_ok, strong = True, True
            reasons.append(f"same place ({la})")
        elif a.location and b.location and not (a.regional or b.regional):
            # two named places: one event has one place (ACLED codes one event per place and day)
            if _inside(a.location, b.location) and (dist is None or dist <= POINT_KM[1]):
                place_ok = True
                reasons.append(f"one place inside the other ({la} / {lb})")
            elif _similar(a.location, b.location) and (dist is None or dist <= SPELLING_KM):
                place_ok, strong = True, True
                reasons.append(f"same place, spelled differently ({la} / {lb})")
            elif dist is not None and dist <= SAME_SPOT_KM and max(a.geo_precision, b.geo_precision) == 1:
                place_ok, strong = True, True
                reasons.append(f"{dist:.1f} km apart ({la} / {lb})")
            else:
                cannot_place = dist is None or dist > SPELLING_KM
        elif dist is not None and not (a.regional or b.regional) and \
                dist <= POINT_KM.get(max(a.geo_precision, b.geo_precision), 25.0):
            place_ok, strong = True, dist <= SAME_SPOT_KM
            reasons.append(f"{dist:.1f} km apart ({la or 'a point'} / {lb or 'a point'})")
        elif a.regional or b.regional:
            # one place inside the other: a region that holds the other's place
            outer, inner = (a, b) if (a.extent, a.key) > (b.extent, b.key) else (b, a)
            a_vague = outer is a
            if outer.admin2 and outer.admin2 == inner.admin2 and (outer.location in ("", outer.admin2)):
                place_ok = True
                reasons.append(f"{inner.data.get('location') or inner.data.get('admin2')} lies in {outer.data.get('admin2')}")
                inside = True
            elif outer.admin1 and outer.admin1 == inner.admin1 and (
                    not outer.admin2 or outer.location in ("", outer.admin1) or outer.geo_precision >= 3):
                place_ok = True
                reasons.append(f"{inner.data.get('location') or inner.data.get('admin1')} lies in {outer.data.get('admin1')}")
                inside = True
        if not place_ok:
            cannot = cannot_place or bool(a.admin1 and b.admin1 and a.admin1 != b.admin1
                                          and not (a.regional or b.regional))
            return Match(False, cannot, 0, [f"places differ ({la or a.data.get('admin1')} / {lb or b.data.get('admin1')})"])
        if strong_place_needed and not strong:
            return Match(False, False, 0, reasons + ["types differ and places are not the same spot"])
        score += 2 if strong else 1
    # actors
    both_sides = False
    if a.named and b.named:
        shared = _actors_overlap(a.named, b.named)
        if shared is None:
            return Match(False, True, 0, reasons + ["different named actors"])
        rest = _actors_overlap(a.named - {shared}, b.named - {shared}) if len(a.named) > 1 and len(b.named) > 1 else None
        both_sides = rest is not None and rest != shared
        reasons.append(f"shared actors ({shared}; {rest})" if both_sides else f"shared actor ({shared})")
        score += 2 if both_sides else 1
    elif inside:
        # a region holds many events: only a named actor both tell ties a town's report to it
        return Match(False, False, 0, reasons + ["no named actor in common"])
    elif day_apart:
        # a day apart with no named actor in common: as likely the next day's event at that place
        return Match(False, False, 0, reasons + ["a day apart and no named actor in common"])
    elif a.inters and b.inters and not (a.inters & b.inters):
        return Match(False, False, 0, reasons + ["actor types differ"])
    if inside and day_apart and not both_sides:
        return Match(False, False, 0, reasons + ["a region's report a day apart"])
    # a region or an unnamed place holds many events: such a link joins only a sole candidate
    weak = weak or inside
    return Match(True, False, score - (1.5 if weak else 0), reasons, weak, weak and a_vague)


# -- aggregation ---------------------------------------------------------------------------------

def _ev_sentence(data: dict[str, Any], fld: str) -> str:
    for e in (data.get("evidence") or {}).get(fld) or []:
        if e.get("sentence"):
            return e["sentence"]
    return ""


def _claim_sentence(c: dict[str, Any]) -> str:
    """The sentence (or at least the words) a claim was read from."""
    ev = c.get("evidence")
    if isinstance(ev, dict):
        return ev.get("sentence") or ev.get("text") or ""
    if isinstance(ev, list) and ev and isinstance(ev[0], dict):
        return ev[0].get("sentence") or ev[0].get("text") or ""
    return c.get("sentence") or c.get("span_text") or c.get("text") or ""


def figure_claims(r: Report) -> list[dict[str, Any]]:
    """The fatality figure(s) one report gives, as claims with who said them (fresh dicts; read
    once per report)."""
    if r._figures is None:
        r._figures = _figure_claims(r)
    return [dict(c) for c in r._figures]


def _figure_claims(r: Report) -> list[dict[str, Any]]:
    d = r.data
    out = []
    seen = set()
    for c in d.get("claims") or []:
        if c.get("field") != "fatalities" or not isinstance(c.get("value"), (int, float)):
            continue
        credible = not any(c.get(k) for k in NOT_CREDIBLE) and c.get("credible", True) is not False
        out.append({"field": "fatalities", "value": int(c["value"]),
                    "said_by": c.get("said_by") or r.outlet, "sentence": _claim_sentence(c),
                    "credible": credible})
        seen.add(int(c["value"]))
    fat = d.get("fatalities")
    explicit = bool((d.get("evidence") or {}).get("fatalities"))
    extra = d.get("extra") or {}
    if isinstance(fat, (int, float)) and int(fat) not in seen:
        out.append({"field": "fatalities", "value": int(fat), "said_by": extra.get("said_by") or r.outlet,
                    "sentence": _ev_sentence(d, "fatalities"),
                    "credible": not any(extra.get(k) for k in NOT_CREDIBLE), "explicit": explicit,
                    "own": True})
    for c in out:
        c.setdefault("explicit", True)
        c["revision"] = bool(c["sentence"] and REVISION_CUE.search(c["sentence"])) or \
            bool((d.get("extra") or {}).get("revised"))
        c["report"] = r.key
        c["article_id"] = r.article_id
        c["published"] = r.published.isoformat() if r.published else None
    return out


def choose_fatalities(claims: list[dict[str, Any]]) -> tuple[int | None, str]:
    """ACLED's rule: the most conservative credible figure; a later revision replaces it."""
    figures = [c for c in claims if c["credible"]] or claims
    explicit = [c for c in figures if c.get("explicit")]
    figures = explicit or figures
    if not figures:
        return None, "no figure reported"
    first_pub = min((c["published"] or "9999") for c in figures)
    revisions = [c for c in figures if c["revision"] and (c["published"] or "") > first_pub]
    if revisions:
        last = max(c["published"] for c in revisions)
        latest = [c for c in revisions if c["published"] == last]
        val = min(c["value"] for c in latest)
        return val, f"revised toll reported on {last}: {val}"
    # one article's own figures are parts or restatements of its total: take its largest;
    # figures attributed to different speakers compete: each counts
    per_article: dict[str, int] = {}
    competing = []
    for c in figures:
        if c.get("own"):
            per_article[c["article_id"]] = max(per_article.get(c["article_id"], c["value"]), c["value"])
        else:
            competing.append(c["value"])
    values = list(per_article.values()) + competing
    val = min(values)
    n = len(set(values))
    return val, ("the most conservative of %d credible figures" % n) if n > 1 else "one figure reported"


def _vote(values: Iterable[Any]) -> Any:
    """Most frequent non-empty value; ties go to the smallest (order-independent)."""
    c = Counter(v for v in values if v not in (None, ""))
    if not c:
        return None
    best = max(c.values())
    return sorted((v for v, n in c.items() if n == best), key=str)[0]


PLACE_KEYS = ("country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision")


def _vote_counts(counts: Counter) -> Any:
    """:func:`_vote` over a Counter of values already counted."""
    c = {v: n for v, n in counts.items() if v not in (None, "") and n > 0}
    if not c:
        return None
    best = max(c.values())
    return sorted((v for v, n in c.items() if n == best), key=str)[0]


def _where(counts: Counter, keep) -> Counter:
    """The counts of the pairs ``(a, b)`` for which ``keep(a)``, by ``b``."""
    out: Counter = Counter()
    for (a, b), n in counts.items():
        if keep(a):
            out[b] += n
    return out


def key_bits(key: str) -> int:
    """64 bits of a report key; an event's revision is the XOR of its reports' (any order)."""
    return int(hashlib.blake2b(key.encode(), digest_size=8).hexdigest(), 16)


class FigureTier:
    """One of the sets of figures :func:`choose_fatalities` may decide from (all, the credible,
    the explicit, both), summarised so that a figure more costs the same however many there are."""

    def __init__(self) -> None:
        self.n = 0
        self.first_pub = "9999"
        self.revised: dict[Any, Any] = {}            # published -> lowest revised value that day
        self.per_article: dict[str, Any] = {}        # an article's own figures: the largest
        self.values: Counter = Counter()             # per-article largest and competing figures

    def add(self, c: dict[str, Any]) -> None:
        self.n += 1
        pub = c["published"]
        self.first_pub = min(self.first_pub, pub or "9999")
        if c["revision"]:
            have = self.revised.get(pub)
            self.revised[pub] = c["value"] if have is None else min(have, c["value"])
        if c.get("own"):
            aid = c["article_id"]
            old = self.per_article.get(aid)
            new = c["value"] if old is None else max(old, c["value"])
            if old is not None:
                self.values[old] -= 1
                if not self.values[old]:
                    del self.values[old]
            self.per_article[aid] = new
            self.values[new] += 1
        else:
            self.values[c["value"]] += 1

    def choose(self) -> tuple[Any, str]:
        """:func:`choose_fatalities` over this tier's figures."""
        pubs = [p for p in self.revised if (p or "") > self.first_pub]
        if pubs:
            last = max(pubs)
            val = self.revised[last]
            return val, f"revised toll reported on {last}: {val}"
        val = min(self.values)
        n = len(self.values)
        return val, ("the most conservative of %d credible figures" % n) if n > 1 else "one figure reported"


class EventSummary:
    """What an event's fields are computed from, kept report by report: counts of every value the
    votes read, the best place per (precision, name), the figures the fatality rule reads, the
    longest note, the confidence factors. Adding a report costs the same however many the event
    holds (:meth:`add`), and :meth:`fields` gives exactly what :func:`aggregate` gives for all
    the reports added, in any order."""

    def __init__(self) -> None:
        self.n = 0
        self.first_key: str | None = None
        self.articles: set[str] = set()
        self.c: dict[str, Counter] = {}
        self.place_pick: dict[tuple, tuple] = {}
        self.assoc: dict[str, set] = {"assoc_actor_1": set(), "assoc_actor_2": set()}
        self.tiers = {k: FigureTier() for k in ((False, False), (True, False), (False, True), (True, True))}
        self.told_values: Counter = Counter()
        self.all_values: Counter = Counter()
        self.fig_claims: list[dict] = []              # every figure claim, in the order added
        self.other_claims: list[dict] = []
        self.n_told = 0
        self.told_began = False                       # the last add brought the first told figure
        self.other_fat_values: set = set()
        self.conf: list[tuple[str, float]] = []
        self.note: tuple[int, str] | None = None
        self.dlo: date | None = None
        self.dhi: date | None = None
        self.rev = 0
        self.last_figs: list[dict] = []               # the claims the last report added
        self.last_others: list[dict] = []

    def _count(self, name: str, value: Any) -> None:
        c = self.c.get(name)
        if c is None:
            c = self.c[name] = Counter()
        c[value] += 1

    def counts(self, name: str) -> Counter:
        return self.c.get(name) or Counter()

    def add(self, r: Report) -> None:
        d = r.data
        self.n += 1
        self.first_key = r.key if self.first_key is None else min(self.first_key, r.key)
        self.articles.add(r.article_id)
        self.rev ^= key_bits(r.key)
        if r.date_lo and (self.dlo is None or r.date_lo < self.dlo):
            self.dlo = r.date_lo
        if r.date_hi and (self.dhi is None or r.date_hi > self.dhi):
            self.dhi = r.date_hi
        self._add_fields(r, d)
        self._add_claims(r, d)
        insort(self.conf, (r.key, 1.0 - min(0.95, float(d.get("confidence") or 0.5))))
        note = (d.get("notes") or "").strip()
        if note and (self.note is None or (-len(note), note) < self.note):
            self.note = (-len(note), note)

    def _add_fields(self, r: Report, d: dict) -> None:
        count = self._count
        count("type_sub", (d.get("event_type"), d.get("sub_event_type")))
        count("type", d.get("event_type"))
        count("disorder", d.get("disorder_type"))
        if d.get("event_date"):
            count("dated", (d.get("time_precision") or 3, d.get("event_date")))
        if d.get("location") or d.get("latitude") is not None or d.get("admin1"):
            gp = d.get("geo_precision") or 3
            loc = fold(d.get("location")) or fold(d.get("admin1"))
            count("placed", (gp, loc))
            rank = ((str(d.get("location")), str(d.get("latitude"))), r.key)
            have = self.place_pick.get((gp, loc))
            if have is None or rank < have[0]:
                self.place_pick[(gp, loc)] = (rank, {k: d.get(k) for k in PLACE_KEYS})
        for k in PLACE_KEYS:
            count("all_" + k, d.get(k))
        a1, a2 = d.get("actor1"), d.get("actor2")
        if a1:
            count("actor1", a1)
        count("a1_inter1", (a1, d.get("inter1")))
        count("inter1", d.get("inter1"))
        if a2:
            count("a1_a2", (a1, a2))
            count("actor2", a2)
        count("a2_inter2", (a2, d.get("inter2")))
        for k, parts in self.assoc.items():
            parts.update(p.strip() for p in str(d.get(k) or "").split(";") if p.strip())
        count("civ", d.get("civilian_targeting"))
        count("fat", d.get("fatalities"))

    def _add_claims(self, r: Report, d: dict) -> None:
        figs = figure_claims(r)
        told_before = self.n_told
        for c in figs:
            cred, expl = bool(c["credible"]), bool(c.get("explicit"))
            for (need_cred, need_expl), tier in self.tiers.items():
                if (cred or not need_cred) and (expl or not need_expl):
                    tier.add(c)
            self.all_values[c["value"]] += 1
            if c.get("explicit") or c["value"]:
                self.n_told += 1
                self.told_values[c["value"]] += 1
        others = []
        for c in d.get("claims") or []:
            if c.get("field") == "fatalities" and isinstance(c.get("value"), (int, float)):
                continue
            others.append({"field": c.get("field") or "", "value": c.get("value"),
                           "said_by": c.get("said_by") or r.outlet, "sentence": _claim_sentence(c),
                           "credible": True, "explicit": True, "revision": False, "chosen": False,
                           "report": r.key, "article_id": r.article_id,
                           "published": r.published.isoformat() if r.published else None})
            if (c.get("field") or "") == "fatalities":
                self.other_fat_values.add(c.get("value"))
        self.told_began = not told_before and self.n_told > 0 and bool(self.fig_claims)
        self.fig_claims.extend(figs)
        self.other_claims.extend(others)
        self.last_figs, self.last_others = figs, others

    def fields(self) -> tuple[dict[str, Any], list[str]]:
        """The event's ACLED fields (with confidence and notes) and the explanation of its figure."""
        ev: dict[str, Any] = {}
        ev["event_type"] = _vote_counts(self.counts("type"))
        ev["sub_event_type"] = _vote_counts(_where(self.counts("type_sub"), lambda t: t == ev["event_type"]))
        ev["disorder_type"] = DISORDER_TYPES.get(ev["event_type"] or "", _vote_counts(self.counts("disorder")))
        self._date(ev)
        self._place(ev)
        self._actors(ev)
        for k, parts in self.assoc.items():
            ev[k] = "; ".join(sorted(parts)) or None
        ev["civilian_targeting"] = _vote_counts(self.counts("civ"))
        why = self._fatalities(ev)
        conf = math.prod((f for _, f in self.conf), start=1.0)
        ev["confidence"] = round(1.0 - conf, 3)
        ev["notes"] = self.note[1] if self.note else ""
        for k in ACLED_FIELDS:
            ev.setdefault(k, None)
        return ev, why

    def _date(self, ev: dict) -> None:
        dated = self.counts("dated")
        if not dated:
            ev["event_date"], ev["time_precision"] = None, None
            return
        best = min(p for p, _ in dated)
        c = _where(dated, lambda p: p == best)
        top = max(c.values())
        ev["event_date"] = sorted(x for x, n in c.items() if n == top)[0]
        ev["time_precision"] = best

    def _place(self, ev: dict) -> None:
        placed = self.counts("placed")
        if placed:
            gp = min(g for g, _ in placed)
            loc = _vote_counts(_where(placed, lambda g: g == gp))
            pick = self.place_pick.get((gp, loc)) if loc is not None else None
            if pick is None:
                raise IndexError("no report holds the chosen place")
            ev.update(pick[1])
        else:
            for k in PLACE_KEYS:
                ev[k] = _vote_counts(self.counts("all_" + k))
        if not ev.get("country"):
            ev["country"] = _vote_counts(self.counts("all_country"))

    def _actors(self, ev: dict) -> None:
        a1c = self.counts("actor1")
        named = Counter({a: n for a, n in a1c.items() if not GENERIC_ACTOR.match(a)})
        a1 = _vote_counts(named or a1c)
        ev["actor1"] = a1
        ev["inter1"] = _vote_counts(_where(self.counts("a1_inter1"), lambda a: a == a1)) if a1 else \
            _vote_counts(self.counts("inter1"))
        a2c = _where(self.counts("a1_a2"), lambda a: a == a1) if a1 else Counter(self.counts("actor2"))
        if not a2c:
            a2c = Counter({b: n for b, n in self.counts("actor2").items() if b != a1})
        named2 = Counter({b: n for b, n in a2c.items() if not GENERIC_ACTOR.match(b)})
        a2 = _vote_counts(named2 or a2c)
        ev["actor2"] = a2
        ev["inter2"] = _vote_counts(_where(self.counts("a2_inter2"), lambda b: b == a2)) if a2 else None

    def choose_fatalities(self) -> tuple[Any, str]:
        """:func:`choose_fatalities` over every figure added: the credible ones if any, of those
        the explicit ones if any."""
        t = self.tiers
        if not t[(False, False)].n:
            return None, "no figure reported"
        cred = t[(True, False)].n > 0
        tier = t[(cred, True)] if t[(cred, True)].n else t[(cred, False)]
        return tier.choose()

    def _fatalities(self, ev: dict) -> list[str]:
        fat, fat_why = self.choose_fatalities()
        ev["fatalities"] = fat if fat is not None else _vote_counts(self.counts("fat"))
        told = set(self.told_values if self.n_told else self.all_values)
        vals = sorted(told | self.other_fat_values)
        if len(vals) > 1:
            return [f"fatalities {ev['fatalities']}: {fat_why} (figures told: {', '.join(map(str, vals))})"]
        if vals:
            return [f"fatalities {ev['fatalities']}: {fat_why}"]
        return []

    def claims(self, fatalities: Any) -> list[dict[str, Any]]:
        """Every claim of the event as stored: the figures (chosen: the event's figure; a zero
        nobody stated only when it is all there is) and the other attributed claims."""
        figs = [dict(c, chosen=c["value"] == fatalities) for c in self.fig_claims]
        told = [c for c in figs if c.get("explicit") or c["value"]]
        return (told if told else figs) + [dict(c) for c in self.other_claims]

    def last_claims(self, fatalities: Any) -> list[dict[str, Any]]:
        """The claims the last :meth:`add` brought, as :meth:`claims` would store them (while
        some figure is told, as it was before that add)."""
        figs = [dict(c, chosen=c["value"] == fatalities) for c in self.last_figs]
        if self.n_told:
            figs = [c for c in figs if c.get("explicit") or c["value"]]
        return figs + [dict(c) for c in self.last_others]


def aggregate(reports: list[Report]) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """ACLED fields for an event from all its reports -> (fields, claims, explanation)."""
    s = summarize(reports)
    ev, why = s.fields()
    return ev, s.claims(ev["fatalities"]), why


def summarize(reports: list[Report]) -> EventSummary:
    """The :class:`EventSummary` of all ``reports``."""
    s = EventSummary()
    for r in sorted(reports, key=lambda r: r.key):
        s.add(r)
    return s
