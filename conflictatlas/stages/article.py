"""article: the report's own date, its numeric date order, its dateline and its outlet.

Reads the whole document once, before sentences are split, and records what it found in
``doc.meta`` (every value with where it came from):

- ``published_source``: where ``doc.published`` came from: ``input`` (the record's own
  ``published``), ``html-meta`` (the page's metadata, via ``htmldate``), ``prefix`` ("date
  2024-03-12 ..."), ``header`` (a header line: "Wed. Apr 17th, 2024", "Ekleme: 05.04.2022 14:10"),
  ``dateline`` ("Baghdad, Mar 12:"), ``url`` (".../2024/03/12/story"), ``--published`` (the caller's fallback for inputs that carry
  none) or None when the report gives no date. ``published_evidence`` holds the text read.
- ``anchor_date``/``anchor_source``: the day relative words ("on Sunday") count back from: the
  dateline's date when the dateline has one (the reporter filed that day), else the publication date;
  a dateline date more than two weeks from the report's own date is stale (``anchor_why`` says so).
- ``date_order``/``date_order_why``: ``dmy`` or ``mdy`` for numeric dates, read from the document
  (a part over 12 decides), else from the outlet's or dateline's country, else day-first.
- ``dateline``: ``{"place", "country", "agency", "start", "end", "text"}`` (``date`` too when it
  has one; ``start``/``end`` index ``doc.text``, where the dateline is blanked; ``text`` is what it said): "BAGHDAD (Reuters) -",
  "KYIV, Ukraine (AP) -", "Erbil -", "Baghdad, Mar 12:", "ANKARA/AA". The dateline says where the
  reporter filed from, not where the event happened: its text is blanked (same length) so that no
  later stage reads it as the event's place, date or actor; ``story`` may use it as a weak hint.
- ``doc.outlet``: the input's outlet, else the page's ``og:site_name``, else the URL's host.

A header line, date prefix or dateline that gave the date is blanked too: it is the page's date,
never an event's.
"""
from __future__ import annotations

import csv
import logging
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..document import Document
from ..pipeline import stage

_DATA = Path(__file__).resolve().parent.parent / "data"

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
        r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_WDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
_DAYN = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:19|20)\d\d"

# one date as a page writes it in a header line, prefix or dateline
_DATE_FORMS = [
    ("iso", re.compile(rf"(?P<y>{_YEAR4})-(?P<m>0?[1-9]|1[0-2])-(?P<d>[12]\d|3[01]|0?[1-9])(?![\d])")),
    ("num", re.compile(rf"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>{_YEAR4})(?!\d)")),
    ("md", re.compile(rf"{_WDAY}?(?P<m>{_MON})\s+(?P<d>{_DAYN})(?:,?\s+(?P<y>{_YEAR4}))?(?![\d])", re.I)),
    ("dm", re.compile(rf"{_WDAY}?(?P<d>{_DAYN})\s+(?:of\s+)?(?P<m>{_MON}),?(?:\s+(?P<y>{_YEAR4}))?(?![\d])", re.I)),
]
# what may sit beside the date on a header line
_LABEL = re.compile(
    r"^\s*(?:(?:first\s+)?published(?:\s+on)?|posted(?:\s+on)?|date[d]?|on|ekleme|eklenme(?:\s+tarihi)?|"
    r"tarih|yay[ıi]nlanma(?:\s+tarihi)?|g[üu]ncelleme|updated(?:\s+on)?|last\s+updated|modified|"
    r"created|time|filed)\b\s*[:\-–—|]?\s*", re.I)
_TODAY = re.compile(r"\btoday\b|\bcurrent date\b|\bbugün\b", re.I)
_UPDATED = re.compile(r"\b(?:updated|modified|g[üu]ncelleme)\b", re.I)
_TIME = re.compile(r"\b(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?(?:GMT|UTC|[A-Z]{2,4}T)"
                   r"(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\)?)?|\b\d{1,2}\s*[ap]\.?m\.?\b|T\d{2}:\d{2}\S*", re.I)
_BYLINE = re.compile(r"^\s*by\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*[|,•·-]?\s*", re.I)
# "date 2024-03-12 Baghdad - ..." at the very start of the text
_PREFIX = re.compile(r"^\s*(?:date[d]?|published|posted)\s*[:\-–]?\s*(?=\S)", re.I)

# -- datelines ------------------------------------------------------------------------------
_AGENCIES = (
    "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "AA", "Anadolu", "Anadolu Agency",
    "INA", "Xinhua", "IRNA", "SANA", "Shafaq News", "Rudaw", "Kurdistan24", "dpa", "DPA", "EFE", "ANI",
    "PTI", "IANS", "UNI", "Bernama", "Yonhap", "Kyodo", "TASS", "RIA Novosti", "Interfax", "Ukrinform",
    "NNA", "WAM", "SPA", "QNA", "KUNA", "APA", "Trend", "BNA", "MENA", "WAFA", "AKI", "ANSA", "UPI",
    "Bloomberg", "CNN", "BBC", "Al Jazeera", "VOA", "NAN", "APS", "MAP", "TAP", "SUNA", "ENA", "KNA",
    "Anadolu Ajansı", "IHA", "DHA", "Sputnik", "Tasnim", "Fars", "Mehr", "ISNA", "IRIB", "Baghdad Today",
    "Alsumaria", "964", "Nina", "NINA", "Hawar", "ANHA", "Ukrainska Pravda", "Interfax-Ukraine",
)
_AGENCY_RX = "|".join(sorted((re.escape(a) for a in _AGENCIES), key=len, reverse=True))
_DASH = r"(?:-{1,2}|–|—|:)"
_PLACE_UP = r"[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3}"
_PLACE_MIX = r"[A-Z][a-z'’.\-]+(?: (?:[A-Z][a-z'’.\-]+|al-[A-Z][a-z]+|de|el|al)){0,2}"
_COUNTRY = r"[A-Z][A-Za-z.'’\- ]{1,30}?"
_DL_DATE = rf"(?P<date>{_MON}\s+{_DAYN}(?:,?\s+{_YEAR4})?|{_DAYN}\s+{_MON}(?:,?\s+{_YEAR4})?)"
# BAGHDAD, Iraq, Mar 12 (Reuters) - / KYIV (AP) — / MOGADISHU - / Baghdad, Mar 12:
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE_UP}|{_PLACE_MIX})(?:,\s*(?P<country>{_COUNTRY}))??(?:,\s*{_DL_DATE})?"
    rf"(?:\s*\((?P<agency>[A-Za-z][A-Za-z0-9 .&'’\-]{{1,30}})\))?"
    rf"(?:\s*\((?P<stamp>(?i:updated|published|posted|last updated)\b[^()\n]{{0,40}})\))?\s*{_DASH}\s+(?=\S)", re.M)
# the date first, the place in brackets: "March 24, 2022 (KHARTOUM) -" (Sudan Tribune's style)
_DATELINE_DATE_FIRST = re.compile(rf"^{_DL_DATE}\s*\((?P<place>{_PLACE_UP})\)\s*{_DASH}\s+(?=\S)", re.M)
# an Anadolu-style dateline alone on its line: "JUBA, South Sudan" then the body
_DATELINE_ALONE = re.compile(rf"^(?P<place>{_PLACE_UP}),\s*(?P<country>{_COUNTRY})\s*$(?=\n\s*\n?\S)", re.M)
# ANKARA/AA - , BAGHDAD/ (INA) - , Baghdad-INA, Baghdad – INA – , Shafaq News/ , Erbil / Kurdistan24 -
_DATELINE_SLASH = re.compile(
    rf"^(?:(?P<place>{_PLACE_UP}|{_PLACE_MIX})(?:\s*/\s*|\s*[\-–—]\s*(?=\(?(?:{_AGENCY_RX})\)?\s*(?:{_DASH}|\n|$)))"
    rf"\(?(?P<agency>{_AGENCY_RX})\)?(?![\w-])|"
    rf"(?P<agency2>{_AGENCY_RX})\s*/\s*(?P<place2>{_PLACE_UP}(?=\s*{_DASH}))?)\s*{_DASH}?\s*(?=\S)", re.M)
# words that start a line in upper case but are no place
_NOT_PLACE = {"FILE", "File", "UPDATE", "BREAKING", "EXCLUSIVE", "WATCH", "VIDEO", "PHOTOS", "LIVE", "ANALYSIS", "OPINION",
              "EDITORIAL", "NOTE", "EDITOR'S NOTE", "READ MORE", "ALSO READ", "RELATED", "SOURCE", "PHOTO",
              "COMMENT", "ADVERTISEMENT", "SPONSORED", "FACT CHECK", "CORRECTION", "UPDATED", "WARNING",
              "Photo", "Source", "Update", "Breaking", "Video", "Watch", "Note", "Read", "Related", "Opinion",
              "Analysis", "Editorial", "Comment", "Caption", "Credit", "Image", "Copyright", "Published",
              "Posted", "Date", "Updated", "Tags", "Share", "By", "Lead", "Summary", "Key", "Highlights",
              "Q", "A", "Question", "Answer", "Background", "Context", "Timeline", "Earlier", "Meanwhile",
              "Later", "Today", "Yesterday", "Tonight", "Now"}

#: countries that write numeric dates month first (12/14/2022)
MONTH_FIRST_COUNTRIES = {"United States", "Philippines", "Micronesia", "Palau", "Marshall Islands", "Belize"}
#: top-level domains of those countries (and the US government's)
_MONTH_FIRST_TLDS = {"us", "ph", "fm", "pw", "mh", "bz", "gov", "mil"}


# a US state as AP writes it after a city: "LOUISVILLE, Ky. -", "AUSTIN, Texas -"
_US_STATE = re.compile(
    r"^(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|"
    r"Neb|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Vt|Va|Wash|W\.Va|Wis|Wyo|D\.C)\.$|"
    r"^(?:Alaska|Hawaii|Idaho|Iowa|Maine|Ohio|Texas|Utah|California|Florida|New York|Washington)$")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every spelling of a country (lower case) -> ACLED's name (pycountry, ACLED's spellings
    from ``data/countries.csv`` on top)."""
    out: dict[str, str] = {}
    acled: dict[str, str] = {}
    alts: list[tuple[str, str]] = []
    try:
        with open(_DATA / "countries.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                acled[row["iso2"]] = row["acled"]
                alts += [(a.strip(), row["acled"]) for a in (row.get("alt_names") or "").split("|") if a.strip()]
    except OSError:
        pass
    try:
        import pycountry
        for c in pycountry.countries:
            name = acled.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
            for spelling in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if spelling:
                    out[spelling.lower()] = name
    except ImportError:
        pass
    for name in acled.values():
        out[name.lower()] = name
    for alt, name in alts:
        out[alt.lower()] = name
    for extra, name in (("kurdistan region", "Iraq"), ("kurdistan region of iraq", "Iraq"),
                        ("iraqi kurdistan", "Iraq"), ("gaza strip", "Palestine"), ("west bank", "Palestine"),
                        ("gaza", "Palestine"), ("usa", "United States"), ("u.s.", "United States"), ("us", "United States"),
                        ("united states", "United States"), ("philippines", "Philippines"),
                        ("uk", "United Kingdom"), ("britain", "United Kingdom")):
        out.setdefault(extra, name)
    return out


# -- reading one date -------------------------------------------------------------------------
def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def numeric_parts(text: str) -> list[tuple[int, int]]:
    """The (first, second) parts of every numeric date with a year in ``text`` (12/14/2022...)."""
    return [(int(m.group("a")), int(m.group("b"))) for m in _DATE_FORMS[1][1].finditer(text)]


def document_date_order(text: str, countries: list[str | None]) -> tuple[str, str]:
    """("dmy" or "mdy", why): a numeric date with a part over 12 decides for the whole document;
    else the first known country (outlet, dateline, story); else day-first, the world's habit."""
    day_first = month_first = 0
    for a, b in numeric_parts(text):
        if a > 12 >= b:
            day_first += 1
        elif b > 12 >= a:
            month_first += 1
    if month_first and not day_first:
        return "mdy", f"the document writes {month_first} numeric date(s) month first (a second part over 12)"
    if day_first and not month_first:
        return "dmy", f"the document writes {day_first} numeric date(s) day first (a first part over 12)"
    if day_first and month_first:
        return "dmy", "the document mixes numeric date orders; day first, the world's habit"
    for c in countries:
        if c:
            if c in MONTH_FIRST_COUNTRIES:
                return "mdy", f"nothing in the document decides; {c} writes month first"
            return "dmy", f"nothing in the document decides; {c} writes day first"
    return "dmy", "nothing in the document or its source decides; day first, the world's habit"


def read_date(s: str, order: str = "dmy", default_year: int | None = None) -> tuple[date | None, re.Match | None]:
    """The first date written in ``s`` (a header line, prefix or dateline) and its match."""
    best: tuple[int, date, re.Match] | None = None
    for kind, rx in _DATE_FORMS:
        m = rx.search(s)
        if not m or (best is not None and m.start() >= best[0]):
            continue
        g = m.groupdict()
        if kind == "iso":
            d = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        elif kind == "num":
            a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
            d = (_safe(y, a, b) or _safe(y, b, a)) if order == "mdy" else (_safe(y, b, a) or _safe(y, a, b))
        else:
            mo = _MONTHS[g["m"].lower().rstrip(".")]
            y = int(g["y"]) if g.get("y") else default_year
            if g["m"][0].islower() or y is None:
                continue
            d = _safe(y, mo, int(re.match(r"\d+", g["d"]).group(0)))
        if d is not None:
            best = (m.start(), d, m)
    return (best[1], best[2]) if best else (None, None)


# -- header lines and prefixes -------------------------------------------------------------
def _header_lines(text: str, max_lines: int = 15, max_chars: int = 2000):
    """(start, end, line) of the lines before the article's body: the first lines of the text,
    up to the second long paragraph."""
    pos, n, long_seen = 0, 0, 0
    for line in text[:max_chars].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        n += 1
        if n > max_lines:
            return
        if len(line) > 150:
            long_seen += 1
            if long_seen >= 2:
                return
        yield start, end, line


# lower-case words a date line may hold beside the date ("Updated 6 hours ago", "at 1:08 pm")
_LINE_WORDS = {"at", "by", "am", "pm", "updated", "published", "posted", "last", "modified", "created",
               "hours", "hour", "minutes", "minute", "mins", "days", "day", "ago", "and",
               "gmt", "utc", "local", "time", "date", "edited", "first", "read", "min"}


def _prose_words(rest: str) -> bool:
    """``rest`` (a line without its date) holds words of a sentence ("Attack on kills five")."""
    rest = re.sub(r"\b(?:updated|published|posted|modified|edited)\s+on\b", " ", rest, flags=re.I)
    return any(w[0].islower() and len(w) > 1 and w.lower() not in _LINE_WORDS
               for w in re.findall(r"[^\W\d_]+", rest))


def header_date(text: str, order: str) -> tuple[tuple[date, int, int, str] | None, list[tuple[int, int]]]:
    """((date, start, end, line) of the page's date line, or None; every date line of the header).

    A date line is a short line that is only a date, with a label ("Published:", "Ekleme:"), a
    weekday, a time or a byline beside it. A 'published' line wins over an 'updated' one; the
    site's "Today's Paper | 22 December 2024" is never the article's date. All of them are page
    furniture, none an event's date."""
    found, lines = [], []
    for start, end, line in _header_lines(text):
        if len(line.strip()) > 90:
            continue
        d, m = read_date(line, order)
        if d is None:
            continue
        rest = line[:m.start()] + " " + line[m.end():]
        rest = _TIME.sub(" ", rest)
        rest = _BYLINE.sub(" ", _LABEL.sub(" ", rest.strip()))
        rest = re.sub(r"[\s|,•·:;()\[\]\-–—/]+", " ", rest).strip()
        rest = _LABEL.sub(" ", rest).strip()
        if len(rest) > 25 or _prose_words(rest):
            continue          # a sentence or headline that holds a date, not a date line
        lines.append((start, end))
        if _TODAY.search(line):
            continue
        updated = bool(_UPDATED.search(line))
        found.append((updated, len(found), d, start, end, line.strip()))
    if not found:
        return None, lines
    found.sort()
    _, _, d, start, end, line = found[0]
    return (d, start, end, line), lines


def prefix_date(text: str, order: str) -> tuple[date, int, int, str] | None:
    """'date 2024-03-12 ...' or 'Published: 12.03.2024 ...' opening the text."""
    m = _PREFIX.match(text)
    if not m:
        return None
    d, dm = read_date(text[m.end():m.end() + 40], order)
    if d is None or dm.start() > 2:
        return None
    end = m.end() + dm.end()
    t = _TIME.match(text, end)
    end = t.end() if t else end
    tail = re.match(r"\s*[|:\-–—]?", text[end:])
    end += tail.end() if tail else 0
    start = len(text) - len(text.lstrip())
    return d, start, end, text[start:end].strip()


# -- datelines ------------------------------------------------------------------------------
def _is_place(place: str) -> bool:
    p = place.strip()
    return len(p) >= 3 and p not in _NOT_PLACE and p.upper() not in _NOT_PLACE and not p.isdigit()


def find_dateline(text: str) -> dict[str, Any] | None:
    """The report's dateline, near the start of its body, or None.

    Upper-case places ("BAGHDAD -") stand on their own; a place in mixed case ("Baghdad -") needs
    a date, an agency or a known country beside it, or a long paragraph after it (a headline
    "Nigeria - Bandits kill ten" is no dateline)."""
    names = country_names()
    starts = [s for s, _, _ in _header_lines(text, max_lines=8, max_chars=3000)]
    for m in _iter_datelines(text[:3000]):
        if m.start() not in starts:
            continue                         # a paragraph deep in the body, not the dateline
        got = _dateline_from(m, text, names)
        if got is not None:
            return got
    return None


def _iter_datelines(head: str):
    ms = list(_DATELINE.finditer(head)) + list(_DATELINE_SLASH.finditer(head)) + \
        list(_DATELINE_DATE_FIRST.finditer(head))
    ms += [m for m in _DATELINE_ALONE.finditer(head) if m.group("country").strip().lower() in country_names()]
    ms.sort(key=lambda m: m.start())
    return ms


def _dateline_from(m: re.Match, text: str, names: dict[str, str]) -> dict[str, Any] | None:
    g = m.groupdict()
    place = (g.get("place") or g.get("place2") or "").strip()
    agency = (g.get("agency") or g.get("agency2") or "").strip() or None
    country_txt = (g.get("country") or "").strip()
    dl_date = g.get("date")
    if place and not _is_place(place):
        return None
    if not place and not agency:
        return None
    country = names.get(country_txt.lower()) if country_txt else None
    if country_txt and country is None and _US_STATE.match(country_txt):
        country = "United States"
    if country_txt and country is None:
        if not place.isupper():
            return None                      # "Attack, he said -": no dateline
        country = None                       # "KYIV, Ukraine" spelt in a way the list lacks
    upper = bool(place) and place.replace(" ", "").replace("-", "").replace("'", "").replace(".", "").isupper()
    body = text[m.end():].lstrip()             # the dateline alone on its line: the next paragraph
    line_end = body.find("\n")
    para = body[: line_end if line_end >= 0 else len(body)]
    if not upper and not (dl_date or agency or country):
        if len(para) < 120:
            return None
    if upper and len(para) < 40 and not (dl_date or agency):
        return None                          # an upper-case heading, not a dateline
    if not upper and m.group(0).rstrip().endswith(":") and not dl_date:
        return None                          # "Mosul: residents say": a colon needs a date
    out: dict[str, Any] = {"place": _title(place) if place else None, "country": country, "agency": agency,
                           "start": m.start(), "end": m.end(), "text": m.group(0).strip()}
    if place and names.get(place.lower()):
        out["country"] = out["country"] or names[place.lower()]
    if dl_date:
        out["date_text"] = dl_date
    return out


def _title(place: str) -> str:
    return place.title() if place.isupper() else place


# -- the outlet -----------------------------------------------------------------------------
_SITE_NAME = re.compile(r"<meta[^>]+(?:property|name)=[\"'](?:og:site_name|application-name|publisher)[\"'][^>]*"
                        r"content=[\"']([^\"'<>]{2,80})[\"']", re.I)
_SITE_NAME2 = re.compile(r"<meta[^>]+content=[\"']([^\"'<>]{2,80})[\"'][^>]*(?:property|name)=[\"']"
                         r"(?:og:site_name|application-name)[\"']", re.I)


def find_outlet(doc: Document) -> tuple[str | None, str | None]:
    """(outlet, where from): the input's, the page's og:site_name, else the URL's host."""
    if doc.outlet:
        return doc.outlet, "input"
    raw = doc.raw or ""
    if doc.meta.get("format") == "html" and raw:
        m = _SITE_NAME.search(raw[:50000]) or _SITE_NAME2.search(raw[:50000])
        if m:
            import html as html_lib
            return html_lib.unescape(m.group(1)).strip(), "html-meta"
    host = _host(doc.url)
    if host:
        return host, "url"
    return None, None


def _host(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host or None


def source_countries(doc: Document, dateline: dict[str, Any] | None) -> list[str | None]:
    """Countries that tell how the source writes dates: the URL's country domain, the dateline's
    country, the story's country when a stage set it."""
    out: list[str | None] = []
    host = _host(doc.url)
    if host:
        tld = host.rsplit(".", 1)[-1]
        if tld in _MONTH_FIRST_TLDS:
            out.append("United States" if tld in ("us", "gov", "mil") else "Philippines" if tld == "ph" else
                       "Micronesia")
        elif len(tld) == 2:
            out.append(tld.upper())
    if dateline and dateline.get("country"):
        out.append(dateline["country"])
    story = story_country(doc)
    if story:
        out.append(story)
    return out


def story_country(doc: Document) -> str | None:
    """The story's country when a stage has set it (``doc.meta["story_country"]`` or
    ``doc.meta["story"]["country"]``), else None."""
    got = doc.meta.get("story_country")
    if not got and isinstance(doc.meta.get("story"), dict):
        got = doc.meta["story"].get("country")
    return got if isinstance(got, str) and got else None


# -- the page's date ----------------------------------------------------------------------------
def html_meta_date(raw: str) -> str | None:
    """The page's publication date from its metadata (htmldate, offline; else a regex)."""
    try:
        from htmldate import find_date
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)
        got = find_date(raw, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
        if got:
            return got
    except Exception:           # htmldate missing or the page broke it: the regex below
        pass
    m = _META_DATE.search(raw) or _TIME_TAG.search(raw)
    return m.group(1) if m else None


_META_DATE = re.compile(
    r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|og:published_time|datePublished|"
    r"pubdate|publishdate|date|dc\.date|DC\.date\.issued)[\"'][^>]*content=[\"'](\d{4}-\d{2}-\d{2})", re.I)
_TIME_TAG = re.compile(r"<time[^>]+datetime=[\"'](\d{4}-\d{2}-\d{2})", re.I)


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/-]|\.html?|$|\?)")


def url_date(url: str | None) -> date | None:
    """The day a URL's path names ("/2024/03/12/story", "/2024-03-12-story"), or None."""
    m = _URL_DATE.search(url or "")
    return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _latest_year(text: str) -> int | None:
    """The latest year written in the text, not counting 'since 2015' (history)."""
    years = [int(m.group(1)) for m in re.finditer(rf"(?<!since )(?<!Since )\b({_YEAR4})\b", text)]
    return max(years) if years else None


def _own_metadata_date(doc: Document) -> tuple[str | None, str | None]:
    """(source, evidence) of a date the input or the page's metadata gives; sets doc.published."""
    if isinstance(doc.published, date):
        return doc.meta.get("published_from") or "input", doc.published.isoformat()
    if doc.meta.get("format") == "html" and doc.raw:
        got = html_meta_date(doc.raw)
        if got:
            try:
                doc.published = date.fromisoformat(got)
                return "html-meta", got
            except ValueError:
                pass
    return None, None


def _date_lines(doc: Document, text: str, order: str, source: str | None, evidence: str | None):
    """A date prefix or header line dates the report when nothing before did; all of them are
    blanked (the page's date, never an event's). Returns (text, source, evidence)."""
    pre = prefix_date(text, order)
    if pre is not None:
        if source is None:
            doc.published, source, evidence = pre[0], "prefix", pre[3]
        text = _blank(text, pre[1], pre[2])
    head, lines = header_date(text, order)
    if head is not None and source is None:
        doc.published, source, evidence = head[0], "header", head[3]
    for start, end in lines:
        text = _blank(text, start, end)
    return text, source, evidence


def _dateline_date(doc: Document, dateline: dict[str, Any], text: str, order: str) -> date | None:
    """The dateline's day ("Baghdad, Mar 12:"), its year from the report's date (or the latest
    year the text writes); a day more than a week after the report's date is last year's."""
    if not dateline.get("date_text"):
        return None
    year = doc.published.year if isinstance(doc.published, date) else _latest_year(text)
    d, _ = read_date(dateline["date_text"], order, default_year=year)
    if d is not None and isinstance(doc.published, date) and (d - doc.published).days > 7:
        d, _ = read_date(dateline["date_text"], order, default_year=doc.published.year - 1)
    if d is not None:
        dateline["date"] = d.isoformat()
    return d


def _fallback_date(doc: Document, source: str | None, evidence: str | None):
    """The URL's dated path, then --published, when the report gave no date; notes when the
    report's own date won over --published. Returns (source, evidence)."""
    if source is None and url_date(doc.url) is not None:
        doc.published, source, evidence = url_date(doc.url), "url", doc.url
    fallback = doc.meta.get("published_fallback")
    if source is None and fallback:
        doc.published, source, evidence = date.fromisoformat(fallback), "--published", fallback
    elif fallback and source is not None:
        doc.meta["published_fallback_ignored"] = (f"the report's own date {doc.published.isoformat()} "
                                                  f"({source}) won over --published {fallback}")
    return source, evidence


#: a dateline date further than this from the report's own date is stale, not the filing day
STALE_DATELINE_DAYS = 14


def read_article(doc: Document) -> Document:
    """Set the report's date, anchor, numeric date order, dateline and outlet (see module doc)."""
    text = doc.text
    outlet, outlet_from = find_outlet(doc)
    if outlet:
        doc.outlet, doc.meta["outlet_source"] = outlet, outlet_from
    dateline = find_dateline(text)
    order, why = document_date_order(text, source_countries(doc, dateline))
    doc.meta["date_order"], doc.meta["date_order_why"] = order, why
    doc.meta["date_order_decided"] = not why.startswith("nothing in the document or its source")

    source, evidence = _own_metadata_date(doc)
    text, source, evidence = _date_lines(doc, text, order, source, evidence)
    anchor, anchor_from = None, None
    if dateline is not None:
        anchor = _dateline_date(doc, dateline, text, order)
        anchor_from = "dateline" if anchor else None
        if anchor is not None and source is None:
            doc.published, source = anchor, "dateline"
            evidence = text[dateline["start"]:dateline["end"]].strip()
        text = _blank(text, dateline["start"], dateline["end"])
        doc.meta["dateline"] = dateline
    source, evidence = _fallback_date(doc, source, evidence)
    doc.meta["published_source"] = source
    if evidence:
        doc.meta["published_evidence"] = evidence
    if anchor is not None and anchor_from == "dateline" and source not in (None, "dateline") \
            and isinstance(doc.published, date) and abs((doc.published - anchor).days) > STALE_DATELINE_DAYS:
        # "March 24, 2022 (KHARTOUM) -" on a page published 22 May: a stale or mistyped dateline
        # (a template, a repost) no longer says the day the report was filed
        doc.meta["anchor_why"] = (f"the dateline's date {anchor.isoformat()} is more than {STALE_DATELINE_DAYS} "
                                  f"days from the report's date {doc.published.isoformat()} ({source}): not used")
        anchor = None
    if anchor is None and isinstance(doc.published, date):
        anchor, anchor_from = doc.published, source
    if anchor is not None:
        doc.meta["anchor_date"], doc.meta["anchor_source"] = anchor.isoformat(), anchor_from
    doc.text = text
    return doc


@stage("article", requires=("clean",), assigns=("article",))
def make_article(config):
    """The report's own date (and where it came from), numeric date order, dateline and outlet."""

    def article(doc: Document) -> Document:
        return read_article(doc)

    return article


def date_notice(doc: Document) -> tuple[str, str | None] | None:
    """What to tell the user about a processed report's own date, or None.

    ("published", W011) when the report's own date won over ``--published``; ("undated", W010)
    when it has no date and some event or relative day ("on Sunday") is left undated; ("no-date",
    None) when it has no date but every event is dated from a date written in the text (callers
    count these and say so once)."""
    from ..errors import Errors
    if doc.meta.get("published_fallback_ignored"):
        return "published", Errors.W011.format(
            id=doc.id, date=doc.published.isoformat() if isinstance(doc.published, date) else "?",
            source=doc.meta.get("published_source"), fallback=doc.meta.get("published_fallback"))
    if isinstance(doc.published, date) or not doc.events:
        return None
    undated = sum(1 for e in doc.events if not getattr(e, "event_date", None))
    rel = doc.meta.get("undated_relative") or []
    if not undated and not rel:
        return "no-date", None
    what = []
    if undated:
        what.append(f"{undated} of {len(doc.events)} event(s) have no date")
    if rel:
        shown = ", ".join(f"'{r}'" for r in list(dict.fromkeys(rel))[:3])
        what.append(f"{shown} could not be dated")
    return "undated", Errors.W010.format(id=doc.id, what=" and ".join(what))


_LANGUAGE_NAMES = {"es": "Spanish", "fr": "French", "pt": "Portuguese"}


def language_notice(doc: Document) -> str | None:
    """W310 for a report in Spanish, French or Portuguese: what was (not) read of it. None for an
    English one, and for "other" (a few stop words tell too little: a terse English brief reads so)."""
    from ..errors import Errors
    lang = doc.language
    if lang not in _LANGUAGE_NAMES:
        return None
    typed = [e for e in doc.events if (getattr(e, "extra", None) or {}).get("language") == lang]
    if typed:
        what = f"{len(typed)} event typed from its opening with a small cue list"
    elif doc.events:
        what = f"{len(doc.events)} event(s) read from the English words in it"
    else:
        what = "no event found in it"
    return Errors.W310.format(id=doc.id, language=_LANGUAGE_NAMES[lang], what=what)
