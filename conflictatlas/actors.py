"""The actor dictionary: canonical ACLED-style names, aliases and actor types, and a fast matcher.

The shipped dictionary is ``data/actors.jsonl`` (built by ``data/build_actors.py`` from pycountry,
a demonym table and the hand-curated ``data/actors_curated.jsonl``); a user file given as
``[actors] dictionary`` in the config is read on top of it. One actor a line::

    {"name": "PMF: Popular Mobilization Forces", "aliases": ["PMF", "Hashd al-Shaabi", ...],
     "type": "State forces", "country": "Iraq", "kind": "state", "source": "Wikipedia: ..."}

Optional keys: ``generic`` (the name holds ``{country}``, filled with the event's country:
"Protesters ({country})"), ``assoc`` (a label for associated actors: "Students ({country})"),
``countries`` + ``local`` (aliases that only count where the event's country is one of
``countries``: "coalition" is Operation Restoring Hope in Yemen), ``modifier_only`` (aliases that
only count after a demonym: "Russian forces", "Israeli airstrikes"), ``from``/``until`` (ISO dates
the entry is valid for: the Taliban are a rebel group until August 2021, the state after).

Matching is on folded word tokens (case, accents and punctuation ignored), longest alias first.
An alias token written in capitals ("IS", "AA", "PDF") only matches capitals in the text.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable
from .errors import Errors


DATA = Path(__file__).parent / "data"
ACTORS_FILE = DATA / "actors.jsonl"
DEMONYMS_FILE = DATA / "demonyms.json"
ACTOR_TYPES = ("State forces", "Rebel group", "Political militia", "Identity militia",
               "Rioters", "Protesters", "Civilians", "External/Other forces")

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_MAX_MODIFIER = 4      # tokens in a demonym or country name ("Democratic Republic of Congo")


class ActorFileError(ValueError):
    """A dictionary line that cannot be used; the message names the file and line."""


def fold(s: str) -> str:
    if s.isascii():                    # NFKD leaves ASCII as it is
        return s.lower()
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` as (start, end, surface)."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def key_of(alias: str) -> tuple[str, ...]:
    return tuple(fold(t) for _, _, t in tokens(alias))


@dataclass(frozen=True)
class Actor:
    name: str
    type: str
    country: str | None = None
    kind: str = ""
    source: str = ""
    aliases: tuple[str, ...] = ()
    generic: bool = False
    assoc: bool = False
    countries: tuple[str, ...] = ()
    local: frozenset = frozenset()          # folded alias keys valid only in ``countries``
    modifier_only: frozenset = frozenset()  # folded alias keys valid only after a demonym
    valid_from: str | None = None
    valid_until: str | None = None
    priority: int = 0                       # 1 for a user's file: it wins ties with the shipped one

    def resolve(self, country: str | None) -> str:
        """The name with ``{country}`` filled ("Protesters (Kenya)")."""
        if not self.generic:
            return self.name
        if not country:
            return self.name.replace(" of {country}", "").replace(" ({country})", "").replace("{country}", "").strip()
        return self.name.replace("{country}", country)

    def valid_on(self, day: str | None) -> bool:
        if not day:
            return self.valid_until is None
        return (self.valid_from is None or day >= self.valid_from) and \
               (self.valid_until is None or day < self.valid_until)

    def active_in(self, country: str | None) -> bool:
        return bool(country) and (country == self.country or country in self.countries)


@dataclass
class Match:
    start: int
    end: int
    alias: str                       # the surface text matched (modifier included)
    candidates: list[Actor]          # every actor this alias can name, resolved later by context
    country: str | None = None       # from a demonym before the alias ("Kenyan police")
    modifier: str | None = None      # a capitalised name before a group word ("Fulani", "Katsina")
    key: tuple[str, ...] = ()
    upper: tuple[bool, ...] = ()


@dataclass
class ActorDictionary:
    actors: list[Actor] = field(default_factory=list)
    demonyms: dict[tuple[str, ...], str] = field(default_factory=dict)
    index: dict[tuple[str, ...], list[tuple[Actor, tuple[bool, ...]]]] = field(default_factory=dict)
    max_len: int = 1
    by_name: dict[str, Actor] = field(default_factory=dict)
    pos: dict[int, int] = field(default_factory=dict)
    prefixes: set = field(default_factory=set)   # every proper prefix of an alias key, to stop early

    def ref(self, m: Match) -> dict:
        """A JSON-friendly record of a match, to rebuild it later with :meth:`unref`."""
        return {"c": [self.pos[id(a)] for a in m.candidates], "k": list(m.key), "dem": m.country,
                "mod": m.modifier}

    def unref(self, start: int, end: int, alias: str, r: dict) -> Match:
        return Match(start, end, alias, [self.actors[i] for i in r["c"]], r.get("dem"), r.get("mod"),
                     tuple(r.get("k") or ()))

    # -- building ------------------------------------------------------------------------------
    def add(self, actor: Actor) -> None:
        self.pos[id(actor)] = len(self.actors)
        self.actors.append(actor)
        self.by_name.setdefault(actor.name, actor)
        for alias in (actor.name,) + actor.aliases:
            toks = tokens(alias)
            if not toks:
                continue
            k = tuple(fold(t) for _, _, t in toks)
            upper = tuple(t.isupper() and len(t) <= 6 for _, _, t in toks)
            if "{country}" in alias or k in ((), ("country",)):
                continue
            for q in range(1, len(k)):
                self.prefixes.add(k[:q])
            slot = self.index.setdefault(k, [])
            if all(a is not actor for a, _ in slot):
                slot.append((actor, upper))
            self.max_len = max(self.max_len, len(k))

    @classmethod
    def load(cls, paths: Iterable[str | Path] = (), shipped: bool = True) -> "ActorDictionary":
        d = cls()
        with open(DEMONYMS_FILE, encoding="utf-8") as f:
            for word, country in json.load(f).items():
                d.demonyms[key_of(word)] = country
        files = ([(ACTORS_FILE, 0)] if shipped else []) + [(Path(p), 1) for p in paths if p]
        for path, priority in files:
            for actor in read_actor_file(path, priority):
                d.add(actor)
        return d

    # -- matching ------------------------------------------------------------------------------
    def match(self, text: str) -> list[Match]:
        """Longest non-overlapping alias matches in ``text``, left to right."""
        toks = tokens(text)
        folded = [fold(t) for _, _, t in toks]
        starts = [t[0] for t in toks]
        out: list[Match] = []
        i, n = 0, len(toks)
        while i < n:
            found = None
            # the lengths at which an alias ends here, found by walking the prefix set
            lengths, L = [], 1
            while i + L <= n:
                k = tuple(folded[i:i + L])
                if k in self.index:
                    lengths.append(L)
                if k not in self.prefixes:
                    break
                L += 1
            for L in reversed(lengths):
                k = tuple(folded[i:i + L])
                slot = self.index.get(k)
                if not slot:
                    continue
                surf = [t for _, _, t in toks[i:i + L]]
                cands = [a for a, up in slot
                         if all(not u or s.isupper() or (s[:-1].isupper() and s[-1] == "s")
                                for u, s in zip(up, surf))]
                if not cands:
                    continue
                # a match never spans a comma or a semicolon ("military, police" is two actors)
                if L > 1 and any(c in text[toks[j][1]:toks[j + 1][0]] for j in range(i, i + L - 1) for c in ",;:"):
                    continue
                # a generic capitalised head inside an unknown proper name ("Royal Dragon Army")
                if all(a.generic for a in cands) and i > 0 and surf[0][:1].isupper() and \
                        toks[i - 1][2][:1].isupper() and text[toks[i - 1][1]:toks[i][0]] == " " and \
                        (folded[i - 1],) not in self.demonyms and not any(
                            tuple(folded[i - q:i]) in self.demonyms for q in range(2, min(_MAX_MODIFIER, i) + 1)):
                    continue
                # "anti-Houthi forces", "non-IS groups": against that actor, not that actor
                if _STANCE.search(text[max(0, toks[i][0] - 6):toks[i][0]]):
                    continue
                found = (L, cands, k)
                break
            if not found:
                i += 1
                continue
            L, cands, k = found
            start, end = toks[i][0], toks[i + L - 1][1]
            # "Turkish army warplanes", "Myanmar military troops": one mention, not two
            if out and all(a.generic for a in cands) and text[out[-1].end:start] == " " and \
                    any(a.kind in ("state", "police") for a in out[-1].candidates) and \
                    any(a.kind in ("state", "police") for a in cands):
                out[-1].end, out[-1].alias = end, text[out[-1].start:end]
                i += L
                continue
            m = Match(start, end, text[start:end], cands, key=k)
            self._modifier(text, toks, folded, i, m, starts)
            out.append(m)
            i += L
        return out

    def _modifier(self, text, toks, folded, i, m: Match, starts: list[int]) -> None:
        """Read a demonym or a capitalised group name just before the match (or "forces from Chad")."""
        if not any(a.generic or a.modifier_only for a in m.candidates):
            return
        self._country_after(text, toks, folded, m, starts)
        if m.country:
            return
        for L in range(min(_MAX_MODIFIER, i), 0, -1):
            k = tuple(folded[i - L:i])
            country = self.demonyms.get(k)
            if not country:
                continue
            s = toks[i - L][0]
            # "Niger militiamen" in Nigeria: a place's militia ("Niger Communal Militia"), not a country's
            if k == key_of(country) and not any(a.kind in ("state", "police", "government") for a in m.candidates):
                break
            # "pro-Russian", "anti-Turkish", "Russian-backed": not the forces of that country
            before = text[max(0, s - 5):s].lower()
            gap = text[toks[i - 1][1]:toks[i][0]]
            if re.search(r"(pro|anti|non|ex)-?\s*$", before) or "-" in gap:
                return
            if any(c.isupper() for c in text[s:toks[i - 1][1]]):
                m.country, m.start, m.alias = country, s, text[s:m.end]
                return
        # a capitalised word before a communal/ethnic/clan/tribal word: "Fulani militia"
        if i > 0 and any(a.kind in ("communal", "ethnic", "tribal", "clan") or
                         (a.kind == "unidentified" and k_is_militia(m.key)) for a in m.candidates):
            j = i
            while j > 0 and toks[j - 1][2][:1].isupper() and i - j < 3 and \
                    text[toks[j - 1][1]:toks[j][0]].strip(" -") == "":
                j -= 1
            if j < i and toks[j][2].lower() not in _NOT_GROUPS:
                m.modifier = text[toks[j][0]:toks[i - 1][1]]
                m.start, m.alias = toks[j][0], text[toks[j][0]:m.end]


    def _country_after(self, text, toks, folded, m: Match, starts: list[int]) -> None:
        """A state's forces named by the country after them: "military forces from South Sudan",
        "troops of Chad" (a country name, capitalised, after "from" or "of")."""
        if not any(a.generic and a.kind in ("state", "police") for a in m.candidates):
            return
        j = bisect.bisect_left(starts, m.end)     # the first token at or after the match's end
        j = j if j < len(toks) else None
        if j is None or j + 1 >= len(toks) or folded[j] not in ("from", "of") or \
                text[m.end:toks[j][0]] != " ":
            return
        k = j + 1
        if folded[k] == "the" and k + 1 < len(toks):
            k += 1
        for L in range(min(_MAX_MODIFIER, len(toks) - k), 0, -1):
            country = self.demonyms.get(tuple(folded[k:k + L]))
            key = tuple(folded[k:k + L])
            # the country's name ("South Sudan", "DRC"), not an adjective ("of Iranian origin")
            if country and toks[k][2][:1].isupper() and (key == key_of(country) or toks[k][2].isupper()):
                m.country, m.end, m.alias = country, toks[k + L - 1][1], text[m.start:toks[k + L - 1][1]]
                return


_STANCE = re.compile(r"\b(?:anti|non)-$", re.I)


def k_is_militia(k: tuple[str, ...]) -> bool:
    return bool(k) and k[-1] in ("militia", "militiamen", "militias")


_NOT_GROUPS = {"the", "a", "an", "on", "in", "at", "two", "three", "several", "some", "unidentified",
               "unknown", "suspected", "armed", "local", "rival", "other", "presumed", "alleged",
               "around", "about", "islamist", "jihadist", "pro", "anti", "and", "of", "by", "from",
               "when", "after", "as", "while", "with", "his", "her", "their", "its", "this", "that",
               "these", "those", "one", "many", "no", "all", "both", "it", "they", "he", "she", "we"}


def jsonl_records(path: Path):
    """(line number, record) for each line of a dictionary file; ``#`` and ``//`` lines and
    blank lines are comments. A line that is no JSON raises :class:`ActorFileError`."""
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise ActorFileError(Errors.E061.format(path=path, line=n, why=f"not a JSON object ({exc.msg}).")) from None


def read_actor_file(path: str | Path, priority: int = 0) -> list[Actor]:
    """Parse one dictionary file (JSONL; ``#`` lines are comments)."""
    path = Path(path)
    if not path.exists():
        raise ActorFileError(Errors.E060.format(path=path))
    out = []
    for n, rec in jsonl_records(path):
        if not isinstance(rec, dict) or not rec.get("name"):
            raise ActorFileError(Errors.E061.format(path=path, line=n, why='each line needs at least a "name".'))
        typ = rec.get("type")
        if typ not in ACTOR_TYPES:
            raise ActorFileError(Errors.E062.format(path=path, line=n, type=typ, name=rec["name"],
                                                    types=", ".join(ACTOR_TYPES)))
        aliases = rec.get("aliases") or []
        if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
            raise ActorFileError(Errors.E061.format(path=path, line=n,
                                                    why=f'"aliases" of \'{rec["name"]}\' must be a list of strings.'))
        out.append(Actor(
            name=rec["name"], type=typ, country=rec.get("country"), kind=rec.get("kind", ""),
            source=rec.get("source", str(path.name)), aliases=tuple(aliases),
            generic=bool(rec.get("generic")) or "{country}" in rec["name"], assoc=bool(rec.get("assoc")),
            countries=tuple(rec.get("countries") or ()),
            local=frozenset(key_of(a) for a in rec.get("local") or ()),
            modifier_only=frozenset(key_of(a) for a in rec.get("modifier_only") or ()),
            valid_from=rec.get("from"), valid_until=rec.get("until"), priority=priority))
    return out


def choose(m: Match, country: str | None = None, day: str | None = None,
           assoc: bool = False) -> tuple[Actor, str | None] | None:
    """Pick the actor a match names in context: (actor, country) or None.

    ``country`` is the event's (or document's) country, ``day`` its ISO date. A demonym before the
    alias ("Turkish forces") sets the actor's country. Local aliases need their country; entries
    out of their date range are dropped; a specific entry beats a generic template.
    """
    best, best_score = None, -1.0
    for a in m.candidates:
        if a.assoc != assoc:
            continue
        if m.key in a.modifier_only and not m.country:
            continue
        if m.key in a.local and not a.active_in(country):
            continue
        if not a.valid_on(day):
            if day or a.valid_until is None:
                continue
        score = 1.0
        if a.generic:
            score = 0.5
            if m.country and a.kind in ("state", "police"):
                score = 2.0          # "Kenyan police" is the Kenyan police, whatever a fixed entry says
        if m.key in a.local:
            score += 1.5
        if a.active_in(country):
            score += 0.3
        if m.country and a.country and a.country != m.country and not a.generic:
            score -= 0.8
        if country and a.country and not a.generic and not a.active_in(country) and a.kind != "external" \
                and a.type != "External/Other forces":
            score -= 0.5
        if a.valid_from:
            score += 0.1
        score += 0.05 * a.priority
        if score > best_score:
            best, best_score = a, score
    if best is None:
        return None
    if best.generic:
        return best, (m.country or country)
    return best, best.country


@lru_cache(maxsize=8)
def load_dictionary(user_file: str = "") -> ActorDictionary:
    """The shipped dictionary plus an optional user file, cached per file name."""
    return ActorDictionary.load([user_file] if user_file else [])
