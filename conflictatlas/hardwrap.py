"""Hard-wrapped plain text: join the lines of a paragraph that a mail client, a ``.txt`` export
or a wire feed broke at a fixed width, keep the lines that are real structure.

E-mail bulletins and wire copy arrive as lines of 60-80 characters ("... in an attack blamed
on\\nAl-Shabaab, in which ..."). The sentence splitter ends a sentence at a line break before a
capital, so such a sentence would fall in two and lose its actor or its toll. Headlines,
datelines, bylines, lists and page furniture are line structure and keep their breaks.

A break inside a paragraph (a single newline, no blank line) is a wrap when:

- its paragraph is wrapped: most of the paragraph's breaks come after a *full* line, that is a
  line the next word would not have fitted on (greedy filling at the width ``W``, which nine in
  ten lines with a next line reach at most, ``W`` 35-160, with some slack for fillers that are
  not greedy; a paragraph of three breaks or more has a next line that starts lower-case),
  and the document has at least two full lines, many of them stopping mid-sentence (a text
  with a paragraph a line has full lines too, but they end sentences) and a quarter of them
  before a lower-case word (prose goes on with one; a list of headlines never does);
  and this break comes after a full line and before no stand-alone line (a short line that
  is not the last of its paragraph: only a paragraph's last line may be short), list item,
  header field ("Subject: ..."), byline or dateline, not after a headline-like first line;
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
_FIELD = re.compile(r"^[A-Z][\w-]*(?: [A-Z][\w-]*)?:\s")   # "Subject: ...", "Photo Credit: ..."
_BYLINE = re.compile(r"^By\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}(?:,.{0,40})?$")
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\-]{2,}(?:\s+[A-Z][A-Z'’.\-]+){0,3},?(?:\s+[\w,. ]{0,40}?)?\s*"
    r"(?:\([^()\n]{1,30}\))?\s*[-–—]{1,2}\s")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")          # "Al-" + "Shabaab": a word broken at its hyphen
_LAST_WORD = re.compile(r"([A-Za-z]+)$")
_FIRST_WORD = re.compile(r"\S+")
_SENTENCE_END = tuple(".!?\"”’…")
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
    width = _width(lines, breaks)
    full = {i for i in breaks if _is_full(lines, i, width)} if _MIN_WIDTH <= width <= _MAX_WIDTH else set()
    wrapped = _wrapped_breaks(lines, breaks, full) if _document_is_wrapped(lines, full) else set()
    headline = _headline_line(lines)
    joins = [i for i in breaks if i != headline
             and (i in wrapped or len(lines[i][2]) >= _GOES_ON_MIN)
             and _is_wrap(lines, i, width, i in wrapped)]
    if not joins:
        return text, None
    return _join(text, lines, joins), {"width": width, "wrapped_lines": len(wrapped),
                                        "joined_lines": len(joins)}


def _width(lines, breaks: list[int]) -> int:
    """The width the text was wrapped at: the length that nine in ten lines with a next line
    reach at most (one long line of a header or a menu does not set it)."""
    lengths = sorted(len(lines[i][2]) for i in breaks)
    return lengths[int(0.9 * (len(lengths) - 1))]


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


def _document_is_wrapped(lines, full: set[int]) -> bool:
    """At least two full lines, at a width text is wrapped at, and many of them stopping
    mid-sentence (text with a paragraph a line has full lines too, but they end sentences)."""
    open_ended = sum(not lines[i][2].endswith(_SENTENCE_END) for i in full)
    return len(full) >= 2 and open_ended >= 0.4 * len(full) \
        and sum(_goes_on_lower(lines, i) for i in full) >= 0.25 * len(full)


def _goes_on_lower(lines, i: int) -> bool:
    """The next line starts lower-case: prose wrapped at random words does that most of the
    time, a list of headlines or teaser links never."""
    return lines[i + 1][2][:1].islower()


def _wrapped_breaks(lines, breaks: list[int], full: set[int]) -> set[int]:
    """The full lines of the paragraphs that are wrapped: most of their line breaks come after
    a full line (a block of page furniture or a list beside them is not)."""
    out: set[int] = set()
    run: list[int] = []
    for i in breaks + [-2]:
        if run and i != run[-1] + 1:
            in_full = [k for k in run if k in full]
            if len(in_full) >= 0.6 * len(run) \
                    and (len(run) < 3 or any(_goes_on_lower(lines, k) for k in run)):
                out.update(in_full)
            run = []
        run.append(i)
    return out


def _is_wrap(lines, i: int, width: int, full_in_wrapped: bool) -> bool:
    """Line ``i`` is wrapped into the next: a full line of a wrapped paragraph or a line that
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
    """The next line stands on its own: a list item, a header field ("Subject: ..."), a byline,
    a dateline, or a short line that is not the last of its paragraph."""
    nxt = lines[i + 1][2]
    if _LIST_ITEM.match(nxt) or _FIELD.match(nxt) or _BYLINE.match(nxt) or _DATELINE.match(nxt):
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
