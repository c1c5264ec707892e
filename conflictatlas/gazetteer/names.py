"""Name folding for gazetteer keys: one function used when building and when looking up.

``key(name)`` folds accents, case, apostrophes, hyphens, Arabic articles (al-, ad-, ez-...) and
administrative words (province, governorate, oblast...) and drops the spaces, so that
"Thar Thar" = "Tharthar", "al-Qaim" = "Al Qa'im" and "Salah ad Din Governorate" = "Salah al-Din".
``skeleton(key)`` is a looser consonant skeleton for transliteration variants
("Salaheddine" / "Salahuddin" / "Salah al-Din", "Deir ez-Zor" / "Deir al-Zour",
"Severodonetsk" / "Sievierodonetsk"); it is only consulted when the exact key finds nothing.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLES = frozenset({"al", "el", "ad", "ed", "as", "es", "ash", "esh", "ar", "er", "an", "en",
                      "at", "et", "az", "ez", "adh", "al", "ul", "ud", "us", "ut", "az"})
#: words naming a kind of administrative unit; dropped from keys, remembered as hints
ADMIN_WORDS = frozenset({
    "province", "provinces", "governorate", "governorates", "district", "districts", "region",
    "regions", "oblast", "oblasts", "county", "counties", "municipality", "department", "departement",
    "muhafazat", "muhafazah", "wilayat", "wilaya", "prefecture", "state", "states", "division",
    "subdistrict", "sub", "nahiya", "nahia", "qada", "qadaa", "raion", "rayon", "raioni", "tehsil",
    "township", "parish", "territory", "commune", "canton", "emirate", "voivodeship", "mayorality",
    "oblast'", "krai", "kray", "okrug", "respublika", "lga",
})
_APOS = re.compile(r"['’‘ʼʻ`´]")
_NONALNUM = re.compile(r"[^a-z0-9]+")
_OBLAST_ADJ = re.compile(r"(s'?ka|s'?kyi|s'?kyy|s'?kiy|skaya|s'ka)$")


_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                          "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ð": "d", "þ": "th",
                          "ħ": "h", "ŧ": "t"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case ASCII: accents stripped, apostrophes removed, other punctuation -> space."""
    if text.isascii():
        s = text.lower()
    else:
        s = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
        s = s.encode("ascii", "ignore").decode("ascii").lower()
    s = _APOS.sub("", s)
    return _NONALNUM.sub(" ", s).strip()


@lru_cache(maxsize=200_000)
def key(name: str) -> str:
    """The exact lookup key of a name ('' when nothing is left)."""
    words = fold(name).split()
    if not words:
        return ""
    kept = [w for w in words if w not in ARTICLES]
    if kept:
        words = kept
    kept = [w for w in words if w not in ADMIN_WORDS]
    if kept:
        words = kept
    return "".join(words)


def admin_hint(name: str) -> bool:
    """True when the name carries an administrative word ('Hit district', 'Anbar province')."""
    return any(w in ADMIN_WORDS for w in fold(name).split())


_SKEL_SUBS = (("ph", "f"), ("q", "k"), ("ck", "k"), ("c", "k"), ("w", "v"), ("z", "s"),
              ("dh", "d"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("sh", "s"), ("j", "y"),
              ("x", "ks"), ("h", ""))
_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=200_000)
def skeleton(k: str) -> str:
    """A loose form of a key: consonant digraphs folded, 'h' dropped, every vowel run -> 'a',
    doubled letters collapsed and a final vowel dropped ('' when under 4 letters)."""
    if len(k) < 4:
        return ""
    s = k
    for a, b in _SKEL_SUBS:
        s = s.replace(a, b)
    s = _VOWELS.sub("a", s)
    out: list[str] = []
    for ch in s:
        if not out or ch != out[-1]:
            out.append(ch)
    if len(out) > 1 and out[-1] == "a":
        out.pop()
    sk = "".join(out)
    return sk if len(sk) >= 4 else ""


def is_latin(name: str) -> bool:
    """True when a name is written in Latin script (other scripts are not kept)."""
    for c in name:
        if c.isalpha() and ord(c) > 0x24F and not (0x1E00 <= ord(c) <= 0x1EFF):
            return False
    return True
