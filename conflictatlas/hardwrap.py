"""Hard-wrapped plain text: join the lines of a paragraph that a mail client, a ``.txt`` export
or a wire feed broke at a fixed width, keep the lines that are real structure.

E-mail bulletins and wire copy arrive as lines of 60-80 characters ("... in an attack blamed
on\\nAl-Shabaab, in which ..."). The sentence splitter ends a sentence at a line break before a
capital, so such a sentence would fall in two and lose its actor or its toll. Headlines,
datelines, bylines, lists and page furniture are line structure and keep their breaks.

A break inside a paragraph (a single newline, no blank line) is a wrap when:

- the document is wrapped: at least two such breaks, most of them after a *full* line, that is
  a line the next word would not have fitted on (greedy filling at the width ``W``, the longest
  line that has a next line, with some slack for fillers that are not greedy), ``W`` 35-160;
  and this break comes after a full line and before no stand-alone line (a short line that
  is not the last of its paragraph: only a paragraph's last line may be short), list item,
  byline or dateline, not after a headline-like first line;
- or a line of 30 characters or more plainly goes on in the next one (it ends with a comma, a
  hyphen between letters or a word such as "the", "of", "on", or the next line starts
  lower-case), whatever the document, unless the next line is structure. (A headline may end
  on "killed" or "says"; it does not end on "the" or "on".)

A wrap becomes a space, so the text keeps its length; only a word broken at its hyphen
("Al-\\nShabaab") is joined without one. ``clean`` does this before any span is made, so every
offset points into the joined text (``doc.text``), as all offsets point after ``clean``.
"""
from __future__ import annotations

import re

#: words a sentence does not end on: a line ending with one goes on in the next line
_GOES_ON_WORDS = frozenset(
    "a an the of in on at by to for from with into onto over under near and or but nor than as "
    "that which who whom whose when where while after before since during against between "
    "including its their his her our your this these those some several about around "
    "least".split())
_LIST_ITEM = re.compile(r"^(?:[-*•·▪◦–—]\s|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
_BYLINE = re.compile(r"^By\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}(?:,.{0,40})?$")
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\-]{2,}(?:\s+[A-Z][A-Z'’.\-]+){0,3},?(?:\s+[\w,. ]{0,40}?)?\s*"
    r"(?:\([^()\n]{1,30}\))?\s*[-–—]{1,2}\s")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")          # "Al-" + "Shabaab": a word broken at its hyphen
_LAST_WORD = re.compile(r"([A-Za-z]+)$")
_FIRST_WORD = re.compile(r"\S+")
_FINAL = tuple(".!?:;,\"”’')]…")
_MIN_WIDTH, _MAX_WIDTH = 35, 160
_GOES_ON_MIN = 30                 # a shorter line is not taken to go on by its last word alone
_LONG_LINE = re.compile(r"[^\n]{%d}" % _GOES_ON_MIN)


def unwrap(text: str) -> tuple[str, dict | None]:
    """``text`` with its hard wraps joined, and what was decided (None when nothing was)."""
    if "\n" not in text or not _LONG_LINE.search(text):     # no line long enough to be wrapped
        return text, None
    lines = _lines(text)
    breaks = [i for i in range(len(lines) - 1) if lines[i][2] and lines[i + 1][2]]
    if not breaks:
        return text, None
    width = max(len(lines[i][2]) for i in breaks)
    full = {i for i in breaks if _is_full(lines, i, width)} if _MIN_WIDTH <= width <= _MAX_WIDTH else set()
    wrapped = _document_is_wrapped(len(breaks), len(full), width)
    if not wrapped:           # only lines that plainly go on are joined; they are >= 30 long
        breaks = [i for i in breaks if len(lines[i][2]) >= _GOES_ON_MIN]
    headline = _headline_line(lines)
    joins = [i for i in breaks if i != headline and _is_wrap(lines, i, width, wrapped and i in full)]
    if not joins:
        return text, None
    return _join(text, lines, joins), {"width": width, "wrapped_document": wrapped,
                                        "joined_lines": len(joins)}


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of every line."""
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, start + len(line), line.strip()))
        start += len(line) + 1
    return out


def _next_chunk(line: str) -> int:
    """Length of the first word of a line, as a filler would have tried to fit it."""
    m = _FIRST_WORD.match(line)
    return len(m.group(0)) if m else 0


def _is_full(lines, i: int, width: int) -> bool:
    """The next line's first word would not have fitted on line ``i`` (some slack: not every
    filler is greedy)."""
    return len(lines[i][2]) + 1 + _next_chunk(lines[i + 1][2]) > width - max(4, width // 8)


def _document_is_wrapped(n_breaks: int, n_full: int, width: int) -> bool:
    """At least two line breaks inside paragraphs, most after a full line, at a width that text
    is wrapped at."""
    return n_breaks >= 2 and _MIN_WIDTH <= width <= _MAX_WIDTH and n_full >= 0.6 * n_breaks


def _is_wrap(lines, i: int, width: int, full_in_wrapped: bool) -> bool:
    """Line ``i`` is wrapped into the next: a full line of a wrapped document or a line that
    plainly goes on, unless the next line stands on its own."""
    wants = full_in_wrapped or _goes_on(lines[i][2], lines[i + 1][2])
    return wants and not _is_structure(lines, i, width)


def _goes_on(line: str, nxt: str) -> bool:
    """The line stops mid-clause: a comma, a word broken at a hyphen, a function word, or a
    next line that starts lower-case."""
    if len(line) < _GOES_ON_MIN:
        return False
    if line.endswith(",") or _HYPHEN_END.search(line[-2:]) or nxt[:1].islower():
        return True
    last = _LAST_WORD.search(line)
    return bool(last) and last.group(1).lower() in _GOES_ON_WORDS


def _is_structure(lines, i: int, width: int) -> bool:
    """The next line stands on its own: a list item, a byline, a dateline, or a short line
    that is not the last of its paragraph."""
    nxt = lines[i + 1][2]
    if _LIST_ITEM.match(nxt) or _BYLINE.match(nxt) or _DATELINE.match(nxt):
        return True
    not_last = i + 2 < len(lines) and lines[i + 2][2]
    return bool(not_last) and len(nxt) < 0.5 * width


def _headline_line(lines) -> int:
    """Index of the text's first line when it reads as a headline (no final punctuation, its
    longer words capitalised, a capitalised line next), else -1. Only the first line: further
    down a paragraph's first line is as often a sentence full of names ("the Kaduna State
    Police Public Relations")."""
    i = next((k for k, ln in enumerate(lines) if ln[2]), len(lines) - 1)
    if i + 1 >= len(lines):
        return -1
    line, nxt = lines[i][2], lines[i + 1][2]
    if line.endswith(_FINAL) or not nxt[:1].isupper():
        return -1
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return i if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words) else -1


def _join(text: str, lines, joins: list[int]) -> str:
    chars = list(text)
    hyphen_joins = []
    for i in joins:
        nl = lines[i][1]
        if _HYPHEN_END.search(lines[i][2][-2:]) and lines[i + 1][2][:1].isalpha() \
                and text[nl - 1] == "-":
            hyphen_joins.append(nl)
        else:
            chars[nl] = " "
    for nl in reversed(hyphen_joins):            # "Al-\nShabaab": the word, whole again
        del chars[nl]
    return "".join(chars)
