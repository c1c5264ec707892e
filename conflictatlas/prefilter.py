"""Skip a regex that cannot match a text, by the letters its matches must start with.

Many patterns here are long alternations of words behind a word-start guard
(``(?<![\\w-])(?:killed|shot|...)``). Python's ``re`` tries every alternative at every position of
the text, so each search costs the same whether or not one of the words is there. This module
reads a pattern's parse tree once and lists the strings (up to four characters) that any of its
matches must start with; a text whose word starts hold none of them cannot match, and the search
is skipped. The answer is exact: a skipped search would have found nothing.
"""
from __future__ import annotations

import re

try:                                    # Python 3.11+
    from re import _constants as _c     # type: ignore[attr-defined]
    from re import _parser as _p        # type: ignore[attr-defined]
except ImportError:                     # pragma: no cover - older Pythons
    import sre_constants as _c          # type: ignore[no-redef]
    import sre_parse as _p              # type: ignore[no-redef]

#: how many leading characters the prefixes hold
DEPTH = 4
#: a character class larger than this is not spelled out (the prefix stops before it)
_MAX_CLASS = 12
#: a prefix set larger than this is cut to shorter prefixes
_MAX_SET = 4000
_ZERO_WIDTH = {_c.ASSERT, _c.ASSERT_NOT, _c.AT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_WORD_START_RX = re.compile(r"(?<![\w-])(?=(.{1,%d}))" % DEPTH, re.S)
#: stands for any digit (``\\d``) in a prefix; such a prefix is tested against the text's word
#: starts with their digits replaced by it (and its own literal digits too). A letter, so that a
#: digit read as it is still a word character; a rare one (a text holding it is only searched more)
DIGIT = "\ua66e"
_DIGIT_RX = re.compile(r"\d")
#: the only characters outside ASCII that re.I matches to an ASCII letter (İ ı ſ, Kelvin sign)
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def lower_for_literals(text: str) -> str | None:
    """``text.lower()`` when a case-blind (re.I) search for ASCII words finds them exactly where
    the lower-cased words occur in it; None for a text holding one of ``FOLDS_TO_ASCII``."""
    if text.isascii() or not FOLDS_TO_ASCII.search(text):
        return text.lower()
    return None


def _class_chars(items) -> set[str] | None:
    """The characters a ``[...]`` class matches, or None when it is negated, a category or big."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:
            out.update(chr(x) for x in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            out.add(DIGIT)
        else:
            return None
    return out if len(out) <= _MAX_CLASS else None


def _prefixes(items: list, k: int) -> set[str]:
    """Strings of at most ``k`` characters such that every match of ``items`` starts with one of
    them (a shorter string says less, never something false)."""
    if k == 0 or not items:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op is _c.LITERAL:
        return {chr(av) + s for s in _prefixes(rest, k - 1)}
    if op in _ZERO_WIDTH:
        return _prefixes(rest, k)
    if op is _c.IN:
        chars = _class_chars(av)
        if chars is None:
            return {""}
        tails = _prefixes(rest, k - 1)
        return {ch + s for ch in chars for s in tails}
    if op is _c.SUBPATTERN:
        if av[1] or av[2]:                  # inline flags ((?i:...)) change what a letter matches
            return {""}
        return _prefixes(list(av[-1]) + rest, k)
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            out |= _prefixes(list(alt) + rest, k)
        return out
    if op in _REPEATS:
        lo, _hi, sub = av
        once = _prefixes(list(sub), k)      # the first round, cut where the sub-pattern ends
        return once | _prefixes(rest, k) if lo == 0 else once
    return {""}


def start_prefixes(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Per length 1..DEPTH, the strings a match of ``pattern`` must start with, then per length
    those holding a ``DIGIT`` (their digits all read as ``DIGIT``); None when some match may start
    with anything (the pattern is then always searched)."""
    try:
        tree = _p.parse(pattern, 0)
    except re.error:
        return None
    found = _prefixes(list(tree), DEPTH)
    while len(found) > _MAX_SET:
        found = {s[:-1] for s in found}
    if "" in found:
        return None
    plain = {s for s in found if DIGIT not in s}
    masked = {_DIGIT_RX.sub(DIGIT, s) for s in found if DIGIT in s}
    return tuple(frozenset(s for s in group if len(s) == n) for group in (plain, masked)
                 for n in range(1, DEPTH + 1))


class WordStarts:
    """The first one to DEPTH characters at each word start of a text (where ``(?<![\\w-])``
    holds), to test a pattern's :func:`start_prefixes` against (each length's set made when a
    pattern first needs it)."""

    __slots__ = ("text", "heads", "grams")

    def __init__(self, text: str):
        self.text = text
        self.heads = _WORD_START_RX.findall(text)      # the first DEPTH characters at each word start
        self.grams: list[set[str] | None] = [None] * (2 * DEPTH)

    def may_match(self, prefixes: tuple[frozenset[str], ...] | None) -> bool:
        """False only when no match of the pattern can start at a word start of the text."""
        if prefixes is None:
            return True
        grams = self.grams
        for n, want in enumerate(prefixes):
            if not want:
                continue
            have = grams[n]
            if have is None:
                heads = self.heads if n < DEPTH else _WORD_START_RX.findall(_DIGIT_RX.sub(DIGIT, self.text))
                size = n % DEPTH + 1
                have = grams[n] = {h[:size] for h in heads} if size < DEPTH else set(heads)
            if not want.isdisjoint(have):
                return True
        return False


def lower_pattern(pattern: str) -> str | None:
    """The pattern with its literal letters lower-cased, to search a lower-cased text without
    re.I (escapes and group names kept); None for inline flags or named characters. On a text
    that :func:`lower_for_literals` lower-cases, it matches exactly where the case-blind pattern
    matches the text, with the same groups."""
    if "\\N" in pattern or re.search(r"\(\?[a-zA-Z-](?<!P)", pattern):
        return None
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif pattern.startswith(("(?P<", "(?P="), i):
            j = pattern.index(">" if pattern[i + 3] == "<" else ")", i)
            out.append(pattern[i:j + 1])
            i = j + 1
        else:
            out.append(c.lower())
            i += 1
    return "".join(out)


class PrefixIndex:
    """Many patterns' :func:`start_prefixes` turned around: prefix -> the names of the patterns
    that may start with it. :meth:`possible` tells, from one pass over a text's word starts, every
    pattern whose ``WordStarts.may_match`` would be True (the same answer, asked once per text
    rather than once per pattern)."""

    __slots__ = ("plain", "masked", "always", "lengths")

    def __init__(self, prefixes: dict[str, tuple[frozenset[str], ...] | None]):
        self.plain: dict[str, set[str]] = {}
        self.masked: dict[str, set[str]] = {}
        self.always = frozenset(name for name, p in prefixes.items() if p is None)
        for name, groups in prefixes.items():
            for n, want in enumerate(groups or ()):
                index = self.plain if n < DEPTH else self.masked
                for s in want:
                    index.setdefault(s, set()).add(name)
        # the prefix lengths worth looking up, plain and masked
        self.lengths = (sorted({len(s) for s in self.plain}), sorted({len(s) for s in self.masked}))

    def possible(self, text: str) -> set[str]:
        """The names whose pattern may match ``text`` (searched as ``WordStarts`` reads it)."""
        out = set(self.always)
        self._add(out, self.plain, self.lengths[0], _WORD_START_RX.findall(text))
        if self.masked:
            masked = _DIGIT_RX.sub(DIGIT, text)
            if DIGIT in masked:         # else no masked prefix (each holds DIGIT) can be there
                self._add(out, self.masked, self.lengths[1], _WORD_START_RX.findall(masked))
        return out

    @staticmethod
    def _add(out: set[str], index: dict[str, set[str]], lengths: list[int], heads: list[str]) -> None:
        get = index.get
        for h in set(heads):
            for n in lengths:
                if n > len(h):
                    break
                names = get(h[:n])
                if names:
                    out |= names


class Folded:
    """A case-blind (re.I) pattern asked only whether it matches: searched, where that is exact, as
    its lower-case twin (:func:`lower_pattern`) over the lower-cased text (:func:`lower_for_literals`).
    Python's ``re`` compares a case-blind letter through a case table, and tries each case-blind
    alternative in full where a plain one is skipped on its first letter: the twin is several times
    faster on long alternations of words."""

    __slots__ = ("rx", "low")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        lp = lower_pattern(rx.pattern) if rx.flags & re.I else None
        self.low = re.compile(lp, rx.flags & ~re.I) if lp is not None else None

    def found(self, text: str) -> bool:
        """``rx.search(text) is not None``."""
        if self.low is not None:
            low = lower_for_literals(text)
            if low is not None:
                return self.low.search(low) is not None
        return self.rx.search(text) is not None
