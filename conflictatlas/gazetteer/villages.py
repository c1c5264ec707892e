"""Village tables: the populated places below GeoNames cities500, one table per country, loaded
lazily the first time a report needs that country.

The shipped tables (``conflictatlas/data/villages/<cc>.tsv.gz``, built from Who's On First by
``scripts/build_villages.py``) cover 32 conflict countries; ``conflictatlas gazetteer add FILE``
puts a user's own GeoNames dump or WOF extract into the user cache
(``~/.cache/conflictatlas/villages/<cc>.tsv.gz``), which is read in preference to the shipped
table of that country.

Names are matched three ways, each said in the place's ``why``:

* ``exact``: the folded key (:func:`conflictatlas.gazetteer.names.key`);
* ``variant``: :func:`variant_key`, the spellings news writers vary on: ``Tall``/``Tell``,
  ``Jabal``/``Jebel``, ``Albu``/``Al Bu``/``Abu``, ``Nahiyat``/``Qada'``/``Markaz`` prefixes,
  ``-iyah``/``-iya``, doubled consonants, ``Ein``/``Ayn``;
* ``fuzzy``: the consonant skeleton (:func:`conflictatlas.gazetteer.names.skeleton`), vowels
  ignored (Zanjaliyah / Zinjiliya); used only in the story's own country.

Data from Who's On First (whosonfirst.org), including GeoNames (geonames.org, CC BY 4.0).
"""
from __future__ import annotations

import gzip
import logging
import math
import os
import pickle
import re
import threading
from array import array
from bisect import bisect_left
from hashlib import blake2b
from pathlib import Path

from .names import ADMIN_WORDS, ARTICLES, fold, key, skeleton

log = logging.getLogger("conflictatlas")

#: bump when the indexes built from a table change (names.key, variant_key, skeleton)
INDEX_VERSION = 2
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "villages"
HEADER = "name\talts\tlat\tlon\tfcode\tpop\tadmin1\tadmin2"

#: words of a name mapped to one spelling for the variant key
_WORD_MAP = {}
for _canon, _forms in {
    "tal": "tall tell tel til tallet", "jabal": "jebel jabel djebel jbel jibal gebel", "bu": "albu abu",
    "ayn": "ain ein ayn en aïn", "bayt": "beit bait bet beyt", "dayr": "deir der dair deyr",
    "kafr": "kfar kafar kefr", "umm": "um om oum", "khirbat": "khirbet kherbet khirbit khirbeh",
    "shaykh": "sheikh shaikh sheik shekh shaik", "qasr": "kasr qasar", "wadi": "wady ouadi oued",
    "jisr": "jesr", "qaryat": "qariyat qarya qaryah", "tal'": "",
}.items():
    for _f in _forms.split():
        _WORD_MAP[_f] = _canon
#: prefixes naming the unit, not the place ("Nahiyat al Rashad", "Qada' Sinjar", "Markaz Hit")
_PREFIXES = frozenset({"nahiyat", "nahiyah", "nahiya", "nahia", "nahiyat", "qada", "qadaa", "qadha",
                       "markaz", "mantiqat", "muhafazat", "qadaa"})
_ARTICLES = frozenset({"al", "el", "ad", "ed", "as", "es", "ash", "esh", "ar", "er", "an", "en", "at",
                       "et", "az", "ez", "adh", "ul", "ud", "us", "ut", "l"})
_DOUBLE = re.compile(r"([a-z])\1+")


def variant_key(name: str) -> str:
    """A key that folds the spellings news writers vary on (see the module docstring)."""
    return _variant_of_words(fold(name).split())


def _variant_of_words(words: list[str]) -> str:
    while len(words) > 1 and words[0] in _PREFIXES:
        words = words[1:]
    out = []
    for i, w in enumerate(words):
        if w in _ARTICLES and i + 1 < len(words):
            continue
        if w == "bu" or (w in ("albu", "abu")):
            out.append("bu")
            continue
        out.append(_WORD_MAP.get(w, w) or w)
    s = "".join(out)
    if not s:
        return ""
    s = s.replace("ou", "u").replace("ee", "i").replace("oo", "u").replace("ei", "i")
    s = _DOUBLE.sub(r"\1", s)
    s = _END_IYA.sub("iya", s)
    s = _END_VH.sub(r"\1", s)
    return _END_Y.sub("i", s)        # Kelly / Kelli


_END_IYA = re.compile(r"(iy|i|y)(ah|eh|a|e|h)$")
_END_VH = re.compile(r"([aeiou])h$")
_END_Y = re.compile(r"(?<=[^aeiou])y$")
_FOLD = getattr(fold, "__wrapped__", fold)          # uncached: 300,000 names would flush the cache
_SKEL = getattr(skeleton, "__wrapped__", skeleton)


def _three_keys(name: str) -> tuple[str, str, str]:
    """(key, variant key, skeleton) of a name, folding it once; the same as
    :func:`conflictatlas.gazetteer.names.key`, :func:`variant_key` and ``skeleton(key)``."""
    words = _FOLD(name).split()
    if not words:
        return "", "", ""
    kept = [w for w in words if w not in ARTICLES] or words
    kept = [w for w in kept if w not in ADMIN_WORDS] or kept
    k = "".join(kept)
    return k, _variant_of_words(words), _SKEL(k)


def _hash(k: str) -> int:
    """A 64-bit hash of a key, the same in every process (Python's own hash of a str is not)."""
    return int.from_bytes(blake2b(k.encode(), digest_size=8).digest(), "little", signed=True)


class KeyIndex:
    """key -> row ids, as two flat arrays (64-bit key hashes, sorted, and the rows): about 12
    bytes a key where a dict of str keys takes about 100, so that the 32 shipped tables fit in
    memory. A lookup is a binary search; the rows of a key come in table order."""

    __slots__ = ("h", "ids")

    def __init__(self, pairs: list[tuple[int, int]] = ()):
        pairs = sorted(set(pairs))
        self.h = array("q", [p[0] for p in pairs])
        self.ids = array("i", [p[1] for p in pairs])

    def __len__(self) -> int:
        return len(self.h)

    def get(self, k: str) -> tuple:
        if not k:
            return ()
        x = _hash(k)
        lo = bisect_left(self.h, x)
        hi = lo
        while hi < len(self.h) and self.h[hi] == x:
            hi += 1
        return tuple(self.ids[lo:hi])

    def __getstate__(self):
        return (self.h, self.ids)

    def __setstate__(self, state):
        self.h, self.ids = state


def _ids(d: KeyIndex, k: str) -> tuple:
    return d.get(k)


class Villages:
    """The villages of one country: columns, three name indexes and the district seats."""

    def __init__(self, cc: str, path: Path):
        self.cc = cc
        self.path = path
        self.name: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.pop = array("q")
        self.fcode: list[str] = []
        self.a1: list[str] = []
        self.a2: list[str] = []
        self.exact = KeyIndex()
        self.variant = KeyIndex()
        self.fuzzy = KeyIndex()
        self.seats: list[tuple[float, float, str, str]] = []
        self._grid: dict[tuple, list[int]] = {}
        if not self._read_index():
            self._read()
            self._write_index()

    _FIELDS = ("name", "lat", "lon", "pop", "fcode", "a1", "a2", "exact", "variant", "fuzzy", "seats", "_grid")

    def _index_path(self) -> Path:
        """The built indexes, cached per table (keyed by the table's size and time)."""
        st = self.path.stat()
        return cache_root() / f"villages-v{INDEX_VERSION}" / f"{self.cc.lower()}-{st.st_size}-{int(st.st_mtime)}.pkl"

    def _read_index(self) -> bool:
        try:
            with open(self._index_path(), "rb") as f:
                data = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
            return False
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return False
        for k in self._FIELDS:
            setattr(self, k, data[k])
        return True

    def _write_index(self) -> None:
        """Cache the indexes (a second process reads them in a tenth of the time); a cache that
        cannot be written is no error."""
        try:
            p = self._index_path()
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_name(p.name + f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump({"version": INDEX_VERSION, **{k: getattr(self, k) for k in self._FIELDS}},
                            f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(p)
        except OSError as exc:
            log.debug("village index for %s not cached: %s", self.cc, exc)

    def _read(self) -> None:
        strings: dict[str, str] = {}
        ex: list[tuple[int, int]] = []
        va: list[tuple[int, int]] = []
        fu: list[tuple[int, int]] = []
        with gzip.open(self.path, "rt", encoding="utf-8") as f:
            head = f.readline().rstrip("\n")
            if head != HEADER:
                raise ValueError(f"{self.path}: not a village table (header {head[:60]!r})")
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) < 8:
                    continue
                try:
                    lat, lon, pop = float(c[2]), float(c[3]), int(c[5] or 0)
                except ValueError:
                    continue
                a1 = strings.setdefault(c[6], c[6])
                a2 = strings.setdefault(c[7], c[7])
                if c[4] == "SEAT":
                    self.seats.append((lat, lon, a1, a2))
                    continue
                i = len(self.name)
                self.name.append(c[0])
                self.lat.append(lat)
                self.lon.append(lon)
                self.pop.append(pop)
                self.fcode.append(strings.setdefault(c[4], c[4]))
                self.a1.append(a1)
                self.a2.append(a2)
                if a2:
                    self._grid.setdefault((int(lat * 10 // 1), int(lon * 10 // 1)), []).append(i)
                names = [c[0]] + [a for a in c[1].split("|") if a]
                ks, vs, fs = set(), set(), set()
                for n in names:
                    k, v, f = _three_keys(n)
                    if not k:
                        continue
                    ks.add(k)
                    vs.add(v)
                    fs.add(f)
                for pairs, keys in ((ex, ks), (va, vs), (fu, fs)):
                    pairs.extend((_hash(k), i) for k in keys if k)
        self.exact, self.variant, self.fuzzy = KeyIndex(ex), KeyIndex(va), KeyIndex(fu)

    def __len__(self) -> int:
        return len(self.name)

    def find(self, name: str, fuzzy: bool = True) -> list[tuple[int, str]]:
        """(row, how) for a name: exact matches, else variant ones, else (``fuzzy``) skeleton
        ones; ``how`` is 'exact', 'variant' or 'fuzzy'."""
        k = key(name)
        if not k:
            return []
        hit = _ids(self.exact, k)
        if hit:
            return [(i, "exact") for i in hit]
        hit = _ids(self.variant, variant_key(name))
        if hit:
            return [(i, "variant") for i in hit]
        if fuzzy and len(k) >= 5:
            sk = skeleton(k)
            if sk:
                return [(i, "fuzzy") for i in _ids(self.fuzzy, sk)]
        return []

    def admin2_near(self, lat: float, lon: float, admin1: str) -> tuple[str, str] | None:
        """The district of a point: that of the nearest village within about 15 km carrying one
        from the data (same admin1), else the nearest district seat of the admin1 within 60 km.
        Returns (admin2, how) or None."""
        ci, cj = int(lat * 10 // 1), int(lon * 10 // 1)
        best = None
        coslat = math.cos(math.radians(lat))
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for i in self._grid.get((ci + di, cj + dj), ()):
                    if admin1 and self.a1[i] != admin1:
                        continue
                    d = (self.lat[i] - lat) ** 2 + ((self.lon[i] - lon) * coslat) ** 2
                    if best is None or d < best[0]:
                        best = (d, i)
        if best is not None and best[0] ** 0.5 * 111 <= 15:
            return self.a2[best[1]], f"district of the nearest village, {self.name[best[1]]}"
        seat = None
        for la, lo, s1, s2 in self.seats:
            if admin1 and s1 != admin1:
                continue
            d = (la - lat) ** 2 + ((lo - lon) * coslat) ** 2
            if seat is None or d < seat[0]:
                seat = (d, s2)
        if seat is not None and seat[0] ** 0.5 * 111 <= 60:
            return seat[1], f"district of the nearest district seat, {seat[1]}"
        return None


_LOCK = threading.Lock()
_TABLES: dict[str, Villages | None] = {}


def cache_root() -> Path:
    from . import cache_dir
    return cache_dir()


def user_dir() -> Path:
    return cache_root() / "villages"


def table_path(cc: str) -> Path | None:
    """The village table of a country: the user's own (``gazetteer add``) first, else shipped."""
    cc = cc.lower()
    for d in (user_dir(), SHIPPED_DIR):
        p = d / f"{cc}.tsv.gz"
        if p.exists():
            return p
    return None


def countries() -> list[str]:
    """ISO2 codes (upper case) of the countries with a village table."""
    out = set()
    for d in (SHIPPED_DIR, user_dir()):
        if d.is_dir():
            out.update(p.name[:2].upper() for p in d.glob("??.tsv.gz"))
    return sorted(out)


def villages(cc: str) -> Villages | None:
    """The village table of a country (ISO2), loaded on first use; None when there is none."""
    cc = (cc or "").upper()
    if len(cc) != 2:
        return None
    t = _TABLES.get(cc, False)
    if t is not False:
        return t
    with _LOCK:
        if cc in _TABLES:
            return _TABLES[cc]
        p = table_path(cc)
        t = None
        if p is not None:
            try:
                t = Villages(cc, p)
            except (OSError, ValueError, EOFError) as exc:
                log.warning("village table %s not loaded: %s", p, exc)
        _TABLES[cc] = t
        return t


def clear_cache() -> None:
    with _LOCK:
        _TABLES.clear()
