"""dates: time expressions -> date, end, precision, anchored on the publication date.

Writes the ``dates`` layer: one span per time expression, its value holding

- ``date``: ``YYYY-MM-DD``, the first day the expression covers;
- ``end``: the last day (same as ``date`` for a single day);
- ``precision``: ACLED's time precision, 1 a day, 2 a range of up to two weeks, 3 a month or more;
- ``year``; ``unit`` (day, range, week, month, year);
- ``relative``: resolved against the anchor ("on Saturday", "yesterday", "last month");
- ``background``: history told as background ("in 2014", "since 2017", a date months before the anchor);
- ``approx``: the text hedges the day ("Around 26 June", "on or around", "(as reported)").

``doc.meta["anchor_date"]`` is the publication date when known, else the most recent explicit full
date in the text (with a year), else absent. Expressions that need an anchor and have none are
skipped. The parser is a handful of compiled regular expressions (tens of microseconds a text);
no ``dateparser`` ("and six on Saturday" is not June).

:func:`event_date` picks the date of an event told in some sentences, the way ACLED codes it.
"""
from __future__ import annotations

import bisect
import calendar
import re
from datetime import date, timedelta
from functools import partial
from typing import Any

from ..document import Document, Span
from ..pipeline import stage
from ..prefilter import Folded, lower_for_literals, lower_pattern

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6}
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "a": 1, "an": 1, "a couple of": 2, "few": 3, "a few": 3,
             "several": 3}

#: days after the anchor that an undated "10 March" may still fall on (embargoed/late-dated copy)
FUTURE_SLACK_DAYS = 7
#: a date ending this many days before the publication date is background history, not news
BACKGROUND_DAYS = 180

_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DASH = r"\s*(?:-|–|—|to|until|till|and|through)\s*"

# Order matters: earlier patterns win over overlapping later ones.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # 3-5 May 2022 / between 3 and 5 May / 28 February - 2 March 2022 / from 3 to 5 May
    ("range_dm", re.compile(
        rf"\b(?:(?P<between>between|from)\s+)?(?P<d1>{_DAY})(?:\s+(?:of\s+)?(?P<m1>{_MON}))?(?:,?\s+(?P<y1>{_YEAR}))?"
        rf"{_DASH}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})(?:,?\s+(?P<y2>{_YEAR}))?(?!\d)", re.I)),
    # May 3-5, 2022 / March 28 - April 2
    ("range_md", re.compile(
        rf"\b(?:(?P<between>between|from)\s+)?(?P<m1>{_MON})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?"
        rf"{_DASH}(?:(?P<m2>{_MON})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?(?!\d)", re.I)),
    # New Year's Day (2022), the first day of the new year(, 2022), New Year's Eve
    ("new_year", re.compile(
        rf"\b(?:(?:the\s+)?first\s+day\s+of\s+(?:the\s+)?new\s+year|new\s+year['’]?s\s+day|"
        rf"(?P<eve>new\s+year['’]?s\s+eve))(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?\b", re.I)),
    # 2022-03-09, 2022/03/09, 2022.3.9
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])(?![\d.]?\d)")),
    # 26/03/2022, 26.03.2022, 26-03-2022: in the document's order (``doc.meta["date_order"]``, read
    # by the article stage), unless only the other order makes sense
    ("numeric", re.compile(r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d/])")),
    # (Saturday,) 26 June 2022 / 26th of June
    ("dm", re.compile(
        rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])",
        re.I)),
    # (Saturday,) June 26(, 2022)
    ("md", re.compile(
        rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<m>{_MON})\s+(?P<d>{_DAY})(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])",
        re.I)),
    # early/mid/late March (2022), end of March, the beginning of March
    ("part_month", re.compile(
        rf"\b(?P<part>early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
        rf"the\s+start\s+of|start\s+of|the\s+middle\s+of|middle\s+of)[\s-]+(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    # (in) March 2022 / (in) March
    ("month", re.compile(
        rf"\b(?P<prep>in|during|since|by|until|throughout|of|from|last|this|early|late)?\s*(?P<m>{_MON})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?\b(?!\s*\d)", re.I)),
    ("hours", re.compile(r"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous|preceding)\s+"
                         r"(?:(?P<n>24|48|72|twenty-four|forty-eight|seventy-two)\s+(?P<hu>hours)|"
                         r"(?P<dn>\d|two|three|four|five|six|seven|few|several)\s+(?P<du>days))\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a|an|a couple of|a few|few|several)"
                       r"\s+(?P<u>day|week|month|year)s?\s+(?:ago|earlier|before|prior)\b", re.I)),
    ("weekday", re.compile(
        rf"\b(?:(?P<pre>on|last|this\s+past|past|early|late|since|by|until|overnight(?:\s+(?:into|on|to))?)\s+)?(?P<wd>{_WD})"
        rf"(?:\s+(?P<part>night|morning|afternoon|evening))?\b", re.I)),
    ("rel_day", re.compile(r"\b(?P<w>the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night|"
                           r"this\s+(?:morning|afternoon|evening)|overnight|earlier\s+today)\b", re.I)),
    ("rel_span", re.compile(r"\b(?P<w>(?:earlier|later)\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)|"
                            r"(?:last|past|previous|the\s+previous|the\s+past)\s+(?:week|month|year)|"
                            r"(?:over\s+|during\s+|at\s+)?(?:the|last|this\s+past|this)\s+weekend|"
                            r"(?:the\s+)?weekend\s+of)\b", re.I)),
    # in 2014 / since 2017 / in the 1990s
    ("year", re.compile(rf"\b(?:(?P<prep>in|since|during|by|until|from|of|early|late|mid|the)[\s-]+)?"
                        rf"(?P<y>{_YEAR})(?P<s>s)?\b", re.I)),
]

_NAME_BEFORE = re.compile(r"\b[A-Z][A-Za-z]*[ \t]+$")
_APPROX_BEFORE = re.compile(r"(?:\baround|\babout|\bcirca|\bor\s+around|\bapproximately|\bon\s+or\s+about)\s*$", re.I)
_PAREN_AFTER = re.compile(r"\s*,?\s*\((?P<what>as reported|week of|weekend of|month of|between[^)]*|from[^)]*)\)", re.I)
# a 'month' match that is a word, not a month: "may", "march" (verb), "sept"...
_AMBIGUOUS_MONTH = {"may", "mar", "jan", "jun", "jul", "aug", "oct", "dec", "sep", "march", "sept", "nov",
                    "feb", "apr"}


def _mon(s: str | None) -> int | None:
    if not s:
        return None
    return MONTHS.get(s.lower().rstrip("."))


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _infer_year(m: int, d: int, anchor: date | None, default_year: int | None) -> int | None:
    """Year for a date given without one: the anchor's, unless that puts it well after the anchor."""
    if anchor is None:
        return default_year
    y = anchor.year
    got = _safe(y, m, min(d, calendar.monthrange(y, m)[1]))
    if got and got > anchor + timedelta(days=FUTURE_SLACK_DAYS):
        y -= 1
    return y


def _num(s: str) -> int:
    s = s.lower()
    if s.isdigit():
        return int(s)
    return _NUMWORDS.get(s, {"twenty-four": 24, "forty-eight": 48, "seventy-two": 72}.get(s, 1))


def _value(d1: date, d2: date, precision: int | None = None, relative: bool = False,
           unit: str = "day") -> dict[str, Any]:
    if d2 < d1:
        d1, d2 = d2, d1
    if precision is None:
        span = (d2 - d1).days
        precision = 1 if span == 0 else 2 if span <= 14 else 3
    return {"date": d1.isoformat(), "end": d2.isoformat(), "precision": precision, "year": d1.year,
            "relative": relative, "background": False, "approx": False, "unit": unit}


def _resolve(kind: str, m: re.Match, text: str, anchor: date | None,
             default_year: int | None, order: str = "dmy") -> dict[str, Any] | None:
    """The value of a date match of ``kind`` (see :data:`_ABSOLUTE`, :data:`_RELATIVE`), or None
    when it is no date, or is told relative to a report date that is not known."""
    g = m.groupdict()
    resolver = _ABSOLUTE.get(kind)
    if resolver is not None:
        return resolver(g, m, text, anchor, default_year, order)
    if anchor is None:
        return None
    resolver = _RELATIVE.get(kind)
    return resolver(g, m, text, anchor) if resolver is not None else None


# -- dates told in full or in part ("5 May", "May 2022"): the anchor only completes the year --------
def _iso_date(g, m, text, anchor, default_year, order):
    """"2022-05-05"."""
    d = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
    return _value(d, d) if d else None


def _new_year(g, m, text, anchor, default_year, order):
    """"New Year's Day (2022)", "New Year's Eve"."""
    y = int(g["y"]) if g.get("y") else (anchor.year if anchor else default_year)
    if y is None:
        return None
    if g.get("eve"):
        d = date(y, 12, 31) if g.get("y") or (anchor and anchor.month == 12) else date(y - 1, 12, 31)
    else:
        d = date(y, 1, 1)
    v = _value(d, d, relative=not g.get("y"))
    v["explicit"] = bool(g.get("y"))
    return v


def _numeric_date(g, m, text, anchor, default_year, order):
    """"05/04/2022": day and month in the report's order, the other when that is no date."""
    a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
    if order == "mdy":
        d = _safe(y, a, b) or _safe(y, b, a)
    else:
        d = _safe(y, b, a) or _safe(y, a, b)
    return _value(d, d) if d else None


def _day_month(g, m, text, anchor, default_year, order):
    """"5 May", "May 5, 2022": a lower-case month word ("may 5") needs a year."""
    mo = _mon(g["m"])
    # "May 5" is a date, "may 5" / "march 3 km" rarely; lower-case month words need a year or 'on'
    if g["m"][0].islower() and g["m"].lower() in _AMBIGUOUS_MONTH and not g.get("y"):
        return None
    dd = _day(g["d"])
    y = int(g["y"]) if g.get("y") else _infer_year(mo, dd, anchor, default_year)
    if y is None:
        return None
    d = _safe(y, mo, dd)
    if not d:
        return None
    v = _value(d, d, relative=not g.get("y"))
    v["explicit"] = bool(g.get("y"))
    return v


def _day_range(g, m, text, anchor, default_year, order, *, md: bool):
    """"between 2 and 5 May", "May 2-5, 2022" (``md``: month first), "30 April to 2 May": at most
    a year long."""
    m2 = _mon(g["m2"]) or _mon(g["m1"])
    m1 = _mon(g["m1"]) or m2
    d1, d2 = _day(g["d1"]), _day(g["d2"])
    if md and not g["between"] and not g["m2"] and g["m1"][0].islower():
        return None
    if not g["between"] and not g["m1"] and not md and re.match(r"\s*and", text[m.end("d1"):]):
        return None       # "2 and 5 May" without 'between' is a list, not a range: let dm take "5 May"
    y2 = int(g["y2"]) if g.get("y2") else (int(g["y1"]) if g.get("y1") else None)
    explicit = y2 is not None
    if y2 is None:
        y2 = _infer_year(m2, d2, anchor, default_year)
    if y2 is None:
        return None
    y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if m1 > m2 else y2)
    a, b = _safe(y1, m1, d1), _safe(y2, m2, d2)
    if not a or not b or b < a or (b - a).days > 366:
        return None
    v = _value(a, b, relative=not explicit, unit="range" if a != b else "day")
    v["explicit"] = explicit
    return v


def _month(g, m, text, anchor, default_year, order, *, part: bool):
    """"May 2022", "in March"; ``part``: "early May", "mid-June", "late 2022"'s months, "end of May"."""
    mo = _mon(g["m"])
    word = g["m"]
    if not part:
        prep = (g.get("prep") or "").lower()
        if word[0].islower() or (word.lower().rstrip(".") in _AMBIGUOUS_MONTH and not g.get("y") and not prep):
            return None
        if len(word.rstrip(".")) <= 4 and word.lower().rstrip(".") not in ("may", "june", "july") and not g.get("y"):
            return None       # "Mar", "Jan" alone are too often names
    y = int(g["y"]) if g.get("y") else _infer_year(mo, 1, anchor, default_year)
    if y is None:
        return None
    first, last = date(y, mo, 1), _month_end(y, mo)
    if part:
        first, last = _part_of_month(g["part"], y, mo, first, last)
        return _value(first, last, precision=2, relative=not g.get("y"), unit="range")
    v = _value(first, last, precision=3, relative=not g.get("y"), unit="month")
    if (g.get("prep") or "").lower() == "since":
        v["since"] = True       # "since January 2022": a state of things, not an event's day
    return v


def _part_of_month(part: str, y: int, mo: int, first: date, last: date) -> tuple[date, date]:
    """The days of "early", "mid", "late" or "end of" a month running ``first`` to ``last``."""
    part = re.sub(r"\s+", " ", part.lower())
    if part == "early" or "beginning" in part or "start" in part:
        return first, date(y, mo, 10)
    if part == "mid" or "middle" in part:
        return date(y, mo, 11), date(y, mo, 20)
    if part == "late":
        return date(y, mo, 21), last
    return last - timedelta(days=6), last      # end of


def _year(g, m, text, anchor, default_year, order):
    """"in 2022", "since 2019", "the 1990s"; a bare year before a hyphen or a word ("2017 election",
    "2022-23 budget") only with a preposition."""
    y = int(g["y"])
    if g.get("s"):
        first, last = date(y, 1, 1), date(y + 9, 12, 31)
    else:
        first, last = date(y, 1, 1), date(y, 12, 31)
    v = _value(first, last, precision=3, unit="year")
    prep = (g.get("prep") or "").lower()
    if prep == "since":
        v["since"] = True
    if not prep and re.match(r"\s*(?:[-–]|[a-z])", text[m.end():m.end() + 2]):
        return None     # "2022-23 budget", "2017 election" kept only with a preposition
    return v


# -- dates told relative to the report's date (the anchor) -----------------------------------------
def _hours_ago(g, m, text, anchor):
    """"in the past 48 hours", "in recent days": the days before the anchor."""
    back = max(1, _num(g["n"]) // 24) if g.get("n") else \
        (3 if g["dn"].lower() in ("few", "several") else _num(g["dn"]))
    return _value(anchor - timedelta(days=back), anchor, precision=2, relative=True, unit="range")


def _ago(g, m, text, anchor):
    """"three days ago", "two weeks ago", "a month ago", "a year ago"."""
    n = _num(g["n"])
    u = g["u"].lower()
    if u == "day":
        d = anchor - timedelta(days=n)
        v = _value(d, d, relative=True)
        if g["n"].lower() in ("a few", "few", "several", "a couple of"):
            v["precision"] = 2
        return v
    if u == "week":
        d = anchor - timedelta(days=7 * n)
        return _value(d - timedelta(days=3), d + timedelta(days=3), precision=2, relative=True, unit="week")
    if u == "month":
        y, mo = anchor.year, anchor.month - n
        while mo <= 0:
            mo += 12
            y -= 1
        return _value(date(y, mo, 1), _month_end(y, mo), precision=3, relative=True, unit="month")
    y = anchor.year - n
    return _value(date(y, 1, 1), date(y, 12, 31), precision=3, relative=True, unit="year")


def _weekday(g, m, text, anchor):
    """"on Tuesday", "last Friday": the latest such day on or before the anchor."""
    pre = (g.get("pre") or "").lower()
    wd = WEEKDAYS[g["wd"].lower()]
    back = (anchor.weekday() - wd) % 7
    if pre in ("last", "past", "this past") and back == 0:
        back = 7
    d = anchor - timedelta(days=back)
    v = _value(d, d, relative=True)
    if pre == "since":
        v["since"] = True
    return v


def _relative_day(g, m, text, anchor):
    """"today", "yesterday", "last night", "the day before yesterday"; "USA Today" is a name."""
    if g["w"][0].isupper() and _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        return None        # "USA Today", "KHARKIV Today reported": a name, not a day
    w = re.sub(r"\s+", " ", g["w"].lower())
    off = {"the day before yesterday": 2, "yesterday": 1, "last night": 1}.get(w, 0)
    d = anchor - timedelta(days=off)
    return _value(d, d, relative=True)


def _relative_span(g, m, text, anchor):
    """"this weekend", "last week", "this month", "last year": up to the anchor."""
    w = re.sub(r"\s+", " ", g["w"].lower())
    past = any(p in w for p in ("last", "past", "previous"))
    if "weekend" in w:
        if w.endswith("weekend of"):
            return None    # "the weekend of 5 March": the date that follows carries it
        back = (anchor.weekday() - 6) % 7       # last Sunday on or before the anchor
        sun = anchor - timedelta(days=back)
        if anchor.weekday() == 5:                # a Saturday paper: this weekend is today
            sun = anchor + timedelta(days=1)
        return _value(sun - timedelta(days=1), min(sun, anchor), precision=2, relative=True, unit="week")
    if w.endswith("week"):
        monday = anchor - timedelta(days=anchor.weekday())
        if past:
            return _value(monday - timedelta(days=7), monday - timedelta(days=1), precision=2,
                          relative=True, unit="week")
        return _value(monday, anchor, precision=2, relative=True, unit="week")
    if w.endswith("month"):
        if past:
            last = anchor.replace(day=1) - timedelta(days=1)
            return _value(last.replace(day=1), last, precision=3, relative=True, unit="month")
        return _value(anchor.replace(day=1), anchor, precision=3, relative=True, unit="month")
    if w.endswith("year"):
        y = anchor.year - (1 if past else 0)
        return _value(date(y, 1, 1), min(date(y, 12, 31), anchor), precision=3, relative=True,
                      unit="year")
    return None


#: resolvers of the kinds of date match that need no report date (it may complete a year)
_ABSOLUTE = {"iso": _iso_date, "new_year": _new_year, "numeric": _numeric_date, "dm": _day_month,
             "md": _day_month, "range_dm": partial(_day_range, md=False), "range_md": partial(_day_range, md=True),
             "month": partial(_month, part=False), "part_month": partial(_month, part=True), "year": _year}
#: resolvers of the kinds told relative to the report's date
_RELATIVE = {"hours": _hours_ago, "ago": _ago, "weekday": _weekday, "rel_day": _relative_day,
             "rel_span": _relative_span}


def _hedges(text: str, start: int, end: int, value: dict[str, Any]) -> int:
    """ACLED's 'Around 26 June 2022 (as reported)' forms: mark approx and set the precision."""
    before = text[max(0, start - 20):start]
    if _APPROX_BEFORE.search(before):
        value["approx"] = True
        if value["precision"] == 1:
            value["precision"] = 2
    m = _PAREN_AFTER.match(text, end)
    if not m:
        return end
    what = m.group("what").lower()
    value["approx"] = True
    if what.startswith("month"):
        value["precision"] = 3
    elif what.startswith(("between", "from")):
        value["precision"] = max(value["precision"], 2)
        inner = _find(what, None, 2000)
        if inner:
            v = inner[0][2]
            first, last = date.fromisoformat(v["date"]), date.fromisoformat(v["end"])
            if (last - first).days > 14:
                value["precision"] = 3
    elif what.startswith(("week", "weekend")) and value["precision"] == 1:
        value["precision"] = 2
    # "(as reported)" alone does not widen the day: "On 15 March (as reported)" stays a day
    value["stated"] = value["date"]        # the coder's own pick of a day in the window
    return m.end()


_MONTH_ANY = re.compile(_MON, re.I)
#: expressions that only an anchor dates ("on Sunday", "yesterday", "two days ago")
_RELATIVE_KINDS = {"hours", "ago", "weekday", "rel_day", "rel_span"}
_MONTH_KINDS = {"range_dm", "range_md", "dm", "md", "part_month", "month"}
# cheap tests that rule a pattern out before its regular expression runs over the text
_GATES = {
    "hours": lambda low: "hours" in low or "days" in low,
    "new_year": lambda low: "new year" in low,
    "ago": lambda low: any(w in low for w in (" ago", "earlier", "before", "prior")),
    "weekday": lambda low: "day" in low and any(w in low for w in WEEKDAYS),
    "rel_day": lambda low: any(w in low for w in ("yesterday", "today", "tonight", "night", "this morning",
                                                  "this afternoon", "this evening", "overnight")),
    "rel_span": lambda low: any(w in low for w in ("week", "month", "year")),
}


# Cheap cue words: a pattern of these kinds only runs in windows around its cues (a long text
# holds few month names), which keeps the many-alternative patterns off most of the text.
_CUES: dict[str, tuple[re.Pattern, int, int]] = {
    "month": (re.compile(_MON, re.I), 90, 90),
    "ago": (re.compile(r"\b(?:ago|earlier|before|prior)\b", re.I), 40, 12),
    "rel_span": (re.compile(r"week|month|year", re.I), 45, 25),
    "year": (re.compile(r"(?:1[89]|20)\d\d"), 25, 8),
}
#: the same cues, lower-case and without re.I: Python scans for a case-blind alternation at every
#: position, a lower-case one only where its first letters occur. On a text holding none of
#: prefilter.FOLDS_TO_ASCII they find exactly what the case-blind cues find in the lower-cased text.
_CUES_LOWER = {k: re.compile(rx.pattern.lower()) for k, (rx, _, _) in _CUES.items() if rx.flags & re.I}
_CUE_OF = {k: "month" for k in ("range_dm", "range_md", "dm", "md", "part_month", "month")}
_CUE_OF.update({"ago": "ago", "rel_span": "rel_span", "year": "year"})


def _windows(text: str, cue: str, cache: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Merged stretches of ``text`` around each cue of kind ``cue`` (computed once per text)."""
    if cue not in cache:
        rx, before, after = _CUES[cue]
        target = text
        low = lower_for_literals(text) if cue in _CUES_LOWER else None
        if low is not None:
            rx, target = _CUES_LOWER[cue], low      # same length: offsets unchanged
        out: list[tuple[int, int]] = []
        for m in rx.finditer(target):
            a, b = max(0, m.start() - before), min(len(text), m.end() + after)
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
        cache[cue] = out
    return cache[cue]


#: the case-blind patterns, lower-case: searched in the lower-cased text, they find the same
#: matches faster; each is then read on the text itself (the same match, with the text's case)
_LOWER_PATTERNS = {kind: re.compile(lower_pattern(rx.pattern)) for kind, rx in _PATTERNS
                   if rx.flags & re.I and lower_pattern(rx.pattern) is not None}


def _finditer(kind: str, rx: re.Pattern, text: str, folded: str | None, pos: int = 0, endpos: int | None = None):
    """``rx.finditer(text, pos, endpos)``; through the lower-case pattern when ``folded`` is the
    text lower-cased by ``lower_for_literals``."""
    endpos = len(text) if endpos is None else endpos
    fast = _LOWER_PATTERNS.get(kind) if folded is not None else None
    if fast is None:
        yield from rx.finditer(text, pos, endpos)
        return
    for m in fast.finditer(folded, pos, endpos):
        yield rx.match(text, m.start(), endpos)


def _matches(kind: str, rx: re.Pattern, text: str, cache: dict[str, list[tuple[int, int]]],
             folded: str | None = None):
    """``rx.finditer(text)``, run only around the kind's cue words when it has some. A window
    starts at a word boundary so that no match begins inside a word."""
    cue = _CUE_OF.get(kind)
    if cue is None or len(text) < 600:
        yield from _finditer(kind, rx, text, folded)
        return
    last = 0
    for a, b in _windows(text, cue, cache):
        a = max(a, last)
        while 0 < a < b and text[a - 1].isalnum():
            a -= 1                       # never start inside a word
        for m in _finditer(kind, rx, text, folded, max(a, last), b):
            if m.start() >= last:
                last = m.end()
                yield m


class _Taken:
    """Disjoint [start, end) stretches already read, sorted: an overlap test in O(log n)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:
            return True
        return i < len(self.starts) and self.starts[i] < e

    def add(self, s: int, e: int) -> None:
        i = bisect.bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def _find(text: str, anchor: date | None, default_year: int | None,
          kinds: tuple[str, ...] | None = None, order: str = "dmy", relative: bool = True,
          skipped: list[tuple[int, int]] | None = None) -> list[tuple[int, int, dict[str, Any]]]:
    """Every time expression in ``text``: (start, end, value), in text order; earlier patterns
    win over overlapping later ones. With ``relative`` False, expressions that only an anchor
    dates are left out (their stretches go to ``skipped``)."""
    taken = _Taken()
    cues: dict[str, list[tuple[int, int]]] = {}
    found: list[tuple[int, int, dict[str, Any]]] = []
    low = text.lower()
    folded = lower_for_literals(text)
    has_digit = any(c.isdigit() for c in text)
    has_month = (_MONTH_ANY.search(text) if folded is None else _CUES_LOWER["month"].search(folded)) is not None
    for kind, rx in _PATTERNS:
        if kinds and kind not in kinds:
            continue
        if kind in _MONTH_KINDS and not has_month:
            continue
        if kind in ("iso", "numeric", "year", "range_dm", "range_md", "dm", "md") and not has_digit:
            continue
        gate = _GATES.get(kind)
        if gate is not None and not gate(low):
            continue
        for m in _matches(kind, rx, text, cues, folded):
            s, e = m.start(), m.end()
            # trim a leading space the optional groups may leave
            while s < e and text[s].isspace():
                s += 1
            if kind == "year" and (m.group("prep") or "").lower() == "the":
                s = m.start("y")        # "the 2014 massacre": the year, not the article
            if taken.overlaps(s, e):
                continue
            try:
                v = _resolve(kind, m, text, anchor if relative or kind not in _RELATIVE_KINDS else None,
                             default_year, order)
            except (ValueError, OverflowError):
                v = None
            if v is None:
                if not relative and kind in _RELATIVE_KINDS and skipped is not None:
                    skipped.append((s, e))
                continue
            v["kind"] = kind
            taken.add(s, e)
            found.append((s, e, v))
    found.sort(key=lambda t: t[0])
    return found


_FULL = re.compile(rf"\b(?:(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MON}),?\s+(?P<y1>{_YEAR})|"
                   rf"(?P<m2>{_MON})\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})|"
                   rf"(?P<y3>(?:19|20)\d\d)-(?P<m3>0[1-9]|1[0-2])-(?P<d3>0[1-9]|[12]\d|3[01]))\b", re.I)
_ANYYEAR = re.compile(rf"\b{_YEAR}\b")
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.I)
_PRIOR_EVENT = re.compile(r"\b(?:after|following|since|before)\s+(?:the\s+|last\s+)?$", re.I)


def find_anchor(text: str) -> date | None:
    """The most recent explicit full date in ``text`` (with a year), or None."""
    best = None
    for m in _FULL.finditer(text):
        if m.group("y3"):
            d = _safe(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
        elif m.group("y1"):
            d = _safe(int(m.group("y1")), _mon(m.group("m1")), _day(m.group("d1")))
        else:
            d = _safe(int(m.group("y2")), _mon(m.group("m2")), _day(m.group("d2")))
        if d is not None and (best is None or d > best):
            best = d
    return best


def date_order(doc: Document) -> str:
    """``dmy`` or ``mdy`` for numeric dates: the article stage's reading of the document and its
    source; when neither decided, the story's country (if a stage set it) has the last word."""
    order = doc.meta.get("date_order", "dmy")
    if doc.meta.get("date_order_decided") is False:
        from .article import document_date_order, story_country
        country = story_country(doc)
        if country:
            order, why = document_date_order("", [country])
            doc.meta["date_order"], doc.meta["date_order_why"] = order, why
            doc.meta["date_order_decided"] = True
    return order


def report_anchor(doc: Document) -> tuple[date | None, str | None]:
    """(anchor, where from): the article stage's anchor (the dateline's or the report's own
    date), else the publication date, else the latest full date written in the text ("text")."""
    got = doc.meta.get("anchor_date")
    if got and doc.meta.get("anchor_source") not in (None, "text"):
        try:
            return date.fromisoformat(got), doc.meta["anchor_source"]
        except ValueError:
            pass
    if isinstance(doc.published, date):
        return doc.published, doc.meta.get("published_source") or "published"
    found = find_anchor(doc.text)
    return (found, "text") if found is not None else (None, None)


def _in_title_line(text: str, pos: int) -> bool:
    """``pos`` lies in the report's first line and that line is a headline (no full stop)."""
    head = text.lstrip()
    off = len(text) - len(head)
    end = head.find("\n")
    end = len(head) if end < 0 else end
    line = head[:end].rstrip()
    return off <= pos < off + end and len(line) <= 250 and not line.endswith((".", "!", "?"))


def latest_year(text: str) -> int | None:
    """The latest year written in ``text``, for dates written without one ("on 10 March"); a
    year of history ("since 2015") tells nothing about when later dates fall."""
    years = [int(m.group(0)) for m in _ANYYEAR.finditer(text)
             if not _SINCE_BEFORE.search(text, max(0, m.start() - 8), m.start())]
    return max(years) if years else None


def annotate(doc: Document) -> list[Span]:
    """Add the ``dates`` layer to ``doc`` and set ``doc.meta['anchor_date']``."""
    text = doc.text
    anchor, source = report_anchor(doc)
    if anchor is not None:
        doc.meta["anchor_date"] = anchor.isoformat()
        doc.meta["anchor_source"] = source
    default_year = latest_year(text)
    spans = doc.spans.setdefault("dates", [])
    covered = -1
    # with no date of the report's own, only dates written out in the text count: a weekday or
    # "yesterday" counted from some other date of the text would be a guess
    skipped: list[tuple[int, int]] = []
    for s, e, v in _find(text, anchor, default_year, order=date_order(doc),
                         relative=source not in ("text", None), skipped=skipped):
        if s < covered:
            continue           # inside the "(between 24 February - 10 March)" of the date before
        e2 = _hedges(text, s, e, v) if v["unit"] in ("day", "range") else e
        covered = e2
        ref = anchor or (date(default_year, 12, 31) if default_year else None)
        end = date.fromisoformat(v["end"])
        if ref is not None:
            if v["unit"] == "year" and v["year"] < ref.year:
                v["background"] = True
            elif anchor is not None and (ref - end).days > BACKGROUND_DAYS and (
                    source != "text" or v.get("relative") or v["unit"] == "month"):
                # a full date weeks before a date told later in the same text is the event's
                # own date (ACLED notes, retold chronologies); only a publication date dates it
                v["background"] = True
        if v.get("since"):
            v["background"] = True
        if _in_title_line(text, s) and isinstance(doc.published, date) and v["date"] == v["end"] == \
                doc.published.isoformat():
            v["publication"] = True     # "(Daily Flash of 16 May 2022)" in the headline: the date
        if _PRIOR_EVENT.search(text, max(0, s - 20), s) and text.startswith("'s", e2) or \
                _PRIOR_EVENT.search(text, max(0, s - 20), s) and text.startswith("’s", e2):
            v["prior"] = True           # "After yesterday's bombing, ...": the earlier event's day
        v.pop("since", None)
        kind = v.pop("kind")
        doc.add_span("dates", s, e2, kind, v)
    spans.sort(key=lambda sp: sp.start)
    if skipped:
        doc.meta["undated_relative"] = [text[s:e] for s, e in skipped[:10]]
    return spans


@stage("dates", requires=("sentences",), assigns=("dates",))
def make_dates(config):
    """Time expressions -> date, end and ACLED time precision, anchored on the publication date."""

    def dates(doc: Document) -> Document:
        doc.spans["dates"] = []
        annotate(doc)
        return doc

    return dates


# -- the event's date ---------------------------------------------------------------------------
def _pick_day(v: dict[str, Any], anchor: date | None) -> date:
    """One day for a span: the stated day, the day itself, or the middle of a range/month."""
    if v.get("stated"):
        return date.fromisoformat(v["stated"])
    first, last = date.fromisoformat(v["date"]), date.fromisoformat(v["end"])
    if anchor is not None and last > anchor >= first:
        last = anchor              # "this month", "this week": no later than the report
    return first + timedelta(days=(last - first).days // 2)


_REPORTING = re.compile(r"\b(?:said|says|announced|reported|stated|declared|confirmed|added|claimed|told\s+[\w ]{1,30}?|"
                        r"(?:in\s+)?a\s+(?:statement|press release|report|communiqu[eé])(?:\s+(?:issued|released|published))?)"
                        r"\s*(?:late\s+|early\s+)?(?:on\s+)?$", re.I)
_REPORTING_FOLDED = Folded(_REPORTING)


def reporting_date(doc: Document, span: Span) -> bool:
    """True for the date of a statement ("the army said in a statement on Wednesday"), which is
    when the news was told, not when the event happened."""
    return _REPORTING_FOLDED.found(doc.text[max(0, span.start - 45):span.start].rstrip())


# a violent or protest act just before a date: "the killing on Tuesday evening", "were shot dead on 3 May"
_ACT_BEFORE = re.compile(
    r"\b(?:kill(?:ed|ing)?|attack(?:ed|s)?|bomb(?:ed|ing)?|shot|shooting|struck|strike|raid(?:ed)?|"
    r"clash(?:ed|es)?|explosion|blast|ambush(?:ed)?|abduct(?:ed|ion)|kidnap(?:ped|ping)|fighting|"
    r"protest(?:ed|s)?|demonstrat\w*|marched|rall(?:y|ied)|murder(?:ed)?|stabb\w*|shell(?:ing|ed)|"
    r"died|dead|hit|fire|burn(?:ed|t)|looted|seized|arrested|detained)\b[\w\s,'-]{0,20}$", re.I)


def _tied_to_act(doc: Document, span: Span) -> bool:
    """The date follows the act it dates ("in the killing on Tuesday evening of a man")."""
    return bool(_ACT_BEFORE.search(doc.text, max(0, span.start - 45), span.start))


def _vague_relative(span: Span) -> bool:
    """A stretch counted from the report's date ("last week", "in the past 24 hours"): any day
    the sentence names is more precise ("photographed last week ... hit on Wednesday, March 9")."""
    return span.label in _RELATIVE_KINDS and span.value.get("unit") != "day"


def _usable_dates(doc: Document) -> tuple[dict[int, list[Span]], list[int]]:
    """The date spans that can date an event, by sentence, and the sorted sentences that hold
    one: read once per document (every event asks, and a scan per event grows with the square
    of a report's size). Background, prior and publication dates are left out, and so is a bare
    year ("the 2022 budget") when the report has a date of its own."""
    own_date = doc.meta.get("anchor_source") not in (None, "text")
    return doc.memo(f"usable_dates:{own_date}", lambda: _usable_by_sentence(doc, own_date), "dates")


def _usable_by_sentence(doc: Document, own_date: bool) -> tuple[dict[int, list[Span]], list[int]]:
    by_sent: dict[int, list[Span]] = {}
    for s in doc.layer("dates"):
        v = s.value
        if v.get("background") or v.get("prior") or v.get("publication") or not v.get("date") \
                or (own_date and v.get("unit") == "year"):
            continue
        by_sent.setdefault(s.sent, []).append(s)
    return by_sent, sorted(by_sent)


def event_date(doc: Document, sents: list[int] | None = None) -> tuple[str | None, int | None, Span | None]:
    """(ISO date, ACLED time precision, evidence span) for an event told in ``sents``.

    The first dated, non-background expression of the first dated sentence wins; there an explicit
    date beats a relative one ("Around 28 June 2022 ... a day ago") and a day beats a bare year.
    With none, the nearest preceding dated sentence, then the anchor (publication date, precision
    2), then (None, None, None). A range or a month gives its middle day (ACLED's habit), never
    after the anchor.
    """
    anchor = doc.meta.get("anchor_date")
    anchor_d = date.fromisoformat(anchor) if anchor else None
    chosen: Span | None = None
    by_sent, dated_sents = _usable_dates(doc)
    if sents is None:
        pool = [s for i in dated_sents for s in by_sent[i]]
    else:
        pool = sorted((s for i in set(sents) for s in by_sent.get(i, ())), key=lambda s: s.start)
        if not pool and sents:
            k = bisect.bisect_left(dated_sents, min(sents))
            if k:                       # the nearest preceding dated sentence
                pool = list(by_sent[dated_sents[k - 1]])
    if pool:
        first_sent = pool[0].sent
        same = [s for s in pool if s.sent == first_sent]
        # among days counted from the report ("on Wednesday ... the killing on Tuesday evening"),
        # the one that follows the act; written dates keep ACLED's first-date order
        relative_days = len(same) > 1 and all(s.label in _RELATIVE_KINDS for s in same)
        attached = [s for s in same if _tied_to_act(doc, s)] if relative_days else []
        chosen = min(same, key=lambda s: (reporting_date(doc, s), _vague_relative(s),
                                          bool(attached) and s not in attached,
                                          bool(s.value.get("relative")), s.value["unit"] == "year", s.start))
        if chosen.value["unit"] == "year":
            chosen = pool[0] if pool[0].value["unit"] != "year" else chosen
    if chosen is None:
        if anchor_d is None or doc.meta.get("anchor_source") == "text":
            return None, None, None      # never a guess: no date of the report's own
        return anchor_d.isoformat(), 2, None
    v = chosen.value
    day = _pick_day(v, anchor_d)
    return day.isoformat(), int(v["precision"]), chosen


_SOURCE_WORDS = {
    "input": "the report's published field", "published": "the report's published field",
    "html-meta": "the page's metadata", "header": "a header line", "prefix": "a date prefix",
    "dateline": "the dateline", "url": "the date in its URL", "--published": "--published (the report carries no date of its own)",
}


def report_date_note(doc: Document) -> str:
    """Where the report's own date came from, in words, for an event's ``extra``."""
    src = doc.meta.get("published_source")
    pub = doc.published.isoformat() if isinstance(doc.published, date) else None
    if pub is None or src is None and doc.meta.get("anchor_source") == "text":
        return "no publication date found: dated only from dates written in the text"
    note = f"report date {pub} from {_SOURCE_WORDS.get(src or 'published', src)}"
    if doc.meta.get("published_evidence") and src not in ("input", "published", "--published", None):
        note += f" ('{doc.meta['published_evidence'][:60]}')"
    if doc.meta.get("anchor_source") == "dateline" and doc.meta.get("anchor_date") != pub:
        note += f"; relative days count from the dateline's date {doc.meta['anchor_date']}"
    if doc.meta.get("published_fallback_ignored"):
        note += f"; {doc.meta['published_fallback_ignored']}"
    return note


def date_reason(doc: Document, span: Span | None, iso: str | None) -> str:
    """Why the event has its date: the expression read, the report's own date, or none."""
    base = report_date_note(doc)
    if iso is None:
        return "no date: " + base + (" (give one with --published YYYY-MM-DD or a published field)"
                                     if "no publication date" in base else "")
    if span is None:
        return f"no date in the event's sentences: the report's own date, at week precision; {base}"
    if span.label in _RELATIVE_KINDS:
        src = doc.meta.get("anchor_source")
        how = f"counted back from {doc.meta.get('anchor_date')}, " + (
            "the dateline's date" if src == "dateline" else "the report's date")
    elif span.value.get("relative"):
        how = "written in the text, its year from the report's date"
    else:
        how = "written in the text"
    return f"'{span.text}' {how}; {base}"


__all__ = ["make_dates", "report_date_note", "date_reason", "annotate", "event_date", "find_anchor", "MONTHS", "WEEKDAYS"]
