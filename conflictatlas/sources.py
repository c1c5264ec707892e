"""Reading reports from disk: plain text, HTML pages, JSONL, RSS/Atom feeds and folders.

:func:`read_sources` yields :class:`Document` objects and :class:`Problem` records. A bad input
(empty, binary, undecodable, too large, a malformed JSONL line) becomes one Problem that names
the file and line, and the run goes on with the rest.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from .document import Document
from .errors import Errors

log = logging.getLogger("conflictatlas")

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
ALL_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


@dataclass
class Problem:
    """An input that could not be read, with a message naming it."""

    path: str
    message: str
    line: int | None = None
    severity: str = "error"      # "warning": the input was read anyway (e.g. a legacy encoding)


def parse_date(value, what: str = "published") -> date | None:
    """Parse YYYY-MM-DD (or an ISO datetime, or an RFC 822 feed date) into a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(Errors.E020.format(value=value, what=what)) from None


def decode(data: bytes, path: str) -> str:
    """Bytes -> str: refuse binary, try UTF-8 (with BOM or UTF-16 BOM), then cp1252 text.

    A cp1252 read logs a warning (see :data:`Errors.W001`)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError(Errors.E013.format(path=path)) from None
    head = data[:8192]
    if b"\x00" in head:
        raise ValueError(Errors.E011.format(path=path, why="NUL bytes"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for enc in ("cp1252",):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        # mostly printable text, else it is binary noise
        bad = sum(1 for c in text[:4000] if (ord(c) < 32 and c not in "\r\n\t\f"))
        if bad <= len(text[:4000]) * 0.01:
            raise LegacyEncoding(text, enc)
    raise ValueError(Errors.E013.format(path=path))


class LegacyEncoding(Exception):
    """Raised by :func:`decode` with the text when it was read from a legacy encoding."""

    def __init__(self, text: str, encoding: str):
        super().__init__(encoding)
        self.text, self.encoding = text, encoding


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    ctrl = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t\f")
    return ctrl > len(sample) * 0.05


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path | Problem]:
    """The report files in ``paths`` (folders searched recursively); a folder's skipped files are
    one warning naming them, and a folder with no report file is an error."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _folder_files(path)
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), Errors.E016.format(path=path))


#: the largest report (a file of one report, a JSONL line, a feed entry) read, in MB: an article is
#: a few KB; anything this large is a dump, and would hold the run for minutes
MAX_REPORT_MB = 2.0
#: the fields of a JSONL record that must be strings when given
_STRING_FIELDS = ("url", "title", "outlet", "source", "language")


def _folder_files(folder: Path) -> Iterator[Path | Problem]:
    found, skipped = 0, []
    for child in sorted(folder.rglob("*")):
        if child.is_file() and not child.name.startswith("."):
            if child.suffix.lower() in ALL_SUFFIXES:
                found += 1
                yield child
            else:
                skipped.append(child)
    if skipped:
        yield Problem(str(folder), _skipped_message(folder, skipped), severity="warning")
    if not found:
        yield Problem(str(folder), Errors.E024.format(path=folder))


def _skipped_message(folder: Path, skipped: list[Path]) -> str:
    """'2 files skipped, not a report file type (.pdf: report.pdf; .png: map.png)'."""
    by_suffix: dict[str, list[str]] = {}
    for f in skipped:
        by_suffix.setdefault(f.suffix.lower() or "(no suffix)", []).append(str(f.relative_to(folder)))
    which = "; ".join(f"{suf}: {', '.join(names[:3])}" + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                      for suf, names in sorted(by_suffix.items()))
    n = len(skipped)
    return Errors.W004.format(path=folder, n=n, files="file" if n == 1 else "files", which=which)


def read_sources(paths: Iterable[str | os.PathLike], published: date | None = None,
                 max_mb: float = 20.0, max_report_mb: float | None = None) -> Iterator[Document | Problem]:
    """Yield a Document per report (a file, a JSONL line, a feed entry), or a Problem.

    ``max_mb`` caps a file read whole; ``max_report_mb`` caps each report (default
    :data:`MAX_REPORT_MB`): a larger one is one Problem naming its file and line."""
    for item in iter_files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        yield from read_file(item, published=published, max_mb=max_mb, max_report_mb=max_report_mb)


def _too_large(where: str, size: int, limit_mb: float) -> str:
    return Errors.E022.format(path=where, size=round(size / 1048576, 1), limit=limit_mb)


def read_file(path: Path, published: date | None = None, max_mb: float = 20.0,
              max_report_mb: float | None = None) -> Iterator[Document | Problem]:
    p = str(path)
    report_mb = MAX_REPORT_MB if max_report_mb is None else max_report_mb
    suffix = path.suffix.lower()
    if suffix not in ALL_SUFFIXES:
        yield Problem(p, Errors.E017.format(path=p, suffix=suffix or "(none)"))
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Problem(p, Errors.E018.format(path=p, why=exc))
        return
    if size == 0:
        yield Problem(p, Errors.E010.format(path=p))
        return
    if suffix in JSONL_SUFFIXES and not is_whole_file_json(path):
        # JSONL is many reports: read line by line (bounded memory, each line decoded on its own)
        yield from read_jsonl_stream(path, published, report_mb)
        return
    if size > max_mb * 1024 * 1024:
        yield Problem(p, Errors.E012.format(path=p, size=round(size / 1048576, 1), limit=max_mb))
        return
    one_report = suffix not in JSONL_SUFFIXES and suffix not in FEED_SUFFIXES
    if one_report and size > report_mb * 1024 * 1024:
        yield Problem(p, _too_large(p, size, report_mb))
        return
    try:
        data = path.read_bytes()
        text = decode(data, p)
    except LegacyEncoding as legacy:
        text = legacy.text
        yield Problem(p, Errors.W001.format(path=p, encoding=legacy.encoding), severity="warning")
    except ValueError as exc:
        yield Problem(p, str(exc))
        return
    except OSError as exc:
        yield Problem(p, Errors.E018.format(path=p, why=exc))
        return
    if not text.strip():
        yield Problem(p, Errors.E010.format(path=p))
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_text(text, p, published, max_report_mb=report_mb)
    elif suffix in FEED_SUFFIXES or _is_feed(text):
        yield from read_feed_text(text, p, published, max_report_mb=report_mb)
    elif suffix in HTML_SUFFIXES:
        if _looks_binary(text):
            yield Problem(p, Errors.E011.format(path=p, why="control characters"))
            return
        yield Document(id=path.stem, text=text, path=p, raw=text,
                       meta=_meta({"format": "html"}, published))
    else:
        if _looks_binary(text):
            yield Problem(p, Errors.E011.format(path=p, why="control characters"))
            return
        yield Document(id=path.stem, text=text, path=p, raw=text,
                       meta=_meta({"format": "text"}, published))


def _meta(meta: dict, published: date | None) -> dict:
    """A document's meta, with the caller's ``--published`` kept as a fallback: the ``article``
    stage uses it only when the report carries no date of its own."""
    if published is not None:
        meta["published_fallback"] = published.isoformat()
    return meta


def is_whole_file_json(path: Path) -> bool:
    """A .json file holding one list of records, or a UTF-16 file: read whole, not by line
    (a .jsonl or .ndjson file is always one record a line)."""
    with open(path, "rb") as f:
        head = f.read(64)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return path.suffix.lower() == ".json" and head.lstrip().startswith((b"[", b"\xef\xbb\xbf["))


def _is_feed(text: str) -> bool:
    head = text[:500].lower()
    return "<rss" in head or "<feed" in head


def _parse_json(s: str):
    """json.loads; JSON nested past Python's recursion limit raises ValueError (E023's cause)."""
    try:
        return json.loads(s)
    except RecursionError:
        raise _TooDeep() from None


class _TooDeep(ValueError):
    """JSON nested too deeply to read."""


def read_jsonl_text(text: str, p: str, published: date | None = None,
                    first_line: int = 1, max_report_mb: float | None = None) -> Iterator[Document | Problem]:
    """Reports from JSONL text (or a JSON list); ``first_line`` numbers the text's first line."""
    limit = (MAX_REPORT_MB if max_report_mb is None else max_report_mb) * 1024 * 1024
    stripped = text.lstrip()
    if stripped.startswith("["):            # a .json file holding a list of records
        records, problem = _parsed(stripped, p, first_line, whole=True)
        if problem is not None:
            yield problem
            return
        for i, rec in enumerate(records if isinstance(records, list) else [records]):
            yield from _record(rec, p, i + 1, published)
        return
    for n, line in enumerate(text.splitlines(), first_line):
        yield from read_jsonl_line(line, p, n, published, limit)


def _parsed(text: str, p: str, n: int, whole: bool = False) -> tuple[Any, Problem | None]:
    """(the JSON value, None), or (None, a Problem naming line ``n``: nested too deeply, or
    malformed; for a whole-file JSON list, the line the decoder stopped at)."""
    try:
        return _parse_json(text), None
    except _TooDeep:
        return None, Problem(p, Errors.E023.format(path=p, line=n), n)
    except json.JSONDecodeError as exc:
        line = exc.lineno if whole else n
        return None, Problem(p, Errors.E014.format(path=p, line=line, why=exc.msg), line)


def read_jsonl_line(line: str, p: str, n: int, published: date | None, limit: float) -> Iterator[Document | Problem]:
    """One line of a JSONL file (line ``n``) -> a Document, or Problems naming the line."""
    if not line.strip():
        return
    if len(line) > limit and len(line.encode("utf-8", "surrogatepass")) > limit:
        yield Problem(p, _too_large(f"{p}, line {n}", len(line.encode("utf-8", "surrogatepass")),
                                    limit / 1048576), n)
        return
    rec, problem = _parsed(line, p, n)
    if problem is not None:
        yield problem
        return
    yield from _record(rec, p, n, published)


def _string_fields(rec: dict, p: str, n: int) -> Iterator[Problem]:
    """Metadata that is not a string (an outlet of 5, a title list) is dropped with a warning."""
    for key in _STRING_FIELDS:
        v = rec.get(key)
        if v is not None and not isinstance(v, str):
            rec[key] = None
            yield Problem(p, Errors.W002.format(path=p, line=n, field=key, kind=type(v).__name__), n,
                          severity="warning")


def _record(rec, p: str, n: int, published: date | None) -> Iterator[Document | Problem]:
    """One JSONL record -> a Document (with warnings for odd metadata), or a Problem."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        yield Problem(p, Errors.E015.format(path=p, line=n), n)
        return
    try:
        pub = parse_date(rec.get("published") or rec.get("date"))
    except ValueError as exc:
        yield Problem(p, f"{p}, line {n}: {exc}", n)
        return
    yield from _string_fields(rec, p, n)
    doc_id = str(rec.get("id") if rec.get("id") is not None else f"{Path(p).stem}:{n}")
    fmt = "html" if rec.get("format") == "html" or rec["text"].lstrip().lower().startswith(("<!doctype", "<html")) else "text"
    yield Document(id=doc_id, text=rec["text"], published=pub, url=rec.get("url"),
                   title=rec.get("title"), outlet=rec.get("outlet") or rec.get("source"),
                   language=rec.get("language"), path=p, raw=rec["text"],
                   meta=_meta({"format": fmt, "line": n}, published))


def decode_line(raw: bytes, p: str, n: int) -> tuple[str | None, Problem | None]:
    """One JSONL line's bytes -> (text, problem): UTF-8; else cp1252 with a warning naming the
    line (the other lines stay UTF-8); else (None, an error)."""
    try:
        return raw.decode("utf-8-sig" if n == 1 else "utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None, Problem(p, Errors.E014.format(path=p, line=n, why="not UTF-8"), n)
    return text, Problem(p, Errors.W003.format(path=p, line=n, encoding="cp1252"), n, severity="warning")


def iter_jsonl_lines(path: Path, max_report_mb: float | None = None) -> Iterator[tuple[int, str] | Problem]:
    """(line number, text) for each line of a JSONL file, read and decoded one line at a time;
    a line over the per-report limit or undecodable is a Problem naming it (a warning before
    its line when it was read as cp1252)."""
    p = str(path)
    limit_mb = MAX_REPORT_MB if max_report_mb is None else max_report_mb
    limit = limit_mb * 1024 * 1024
    with open(path, "rb") as f:
        n = 0
        while True:
            raw = f.readline(int(limit) + 2)
            if not raw:
                return
            n += 1
            if len(raw) > limit:
                size = len(raw)
                while raw and not raw.endswith(b"\n"):       # skip the rest of the line unread
                    raw = f.readline(1 << 20)
                    size += len(raw)
                yield Problem(p, _too_large(f"{p}, line {n}", size, limit_mb), n)
                continue
            text, problem = decode_line(raw, p, n)
            if problem is not None:
                yield problem
            if text is not None:
                yield n, text


def read_jsonl_stream(path: Path, published: date | None, max_report_mb: float | None = None) -> Iterator[Document | Problem]:
    """Read a JSONL file line by line (bounded memory; a bad line spoils only itself)."""
    for item in iter_jsonl_lines(path, max_report_mb):
        if isinstance(item, Problem):
            yield item
            continue
        n, line = item
        yield from read_jsonl_line(line, str(path), n, published, float("inf"))


def read_feed_text(text: str, p: str, published: date | None = None,
                   max_report_mb: float | None = None) -> Iterator[Document | Problem]:
    try:
        import feedparser
    except ImportError:
        yield Problem(p, Errors.E031.format(package="feedparser", feature="RSS/Atom feeds", extra="feeds"))
        return
    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        yield Problem(p, Errors.E018.format(path=p, why=f"not a readable feed: {parsed.bozo_exception}"))
        return
    outlet = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries, 1):
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value", "") for c in entry["content"])
        body = body or entry.get("summary", "") or entry.get("description", "")
        title = entry.get("title", "")
        pub = None
        for key in ("published_parsed", "updated_parsed"):
            if entry.get(key):
                pub = date(*entry[key][:3])
                break
        if not (body or title).strip():
            yield Problem(p, f"{p}, entry {i}: no text; skipped.", i)
            continue
        text_in = f"{title}\n\n{body}" if title else body
        limit_mb = MAX_REPORT_MB if max_report_mb is None else max_report_mb
        if len(text_in) > limit_mb * 1024 * 1024:
            yield Problem(p, _too_large(f"{p}, entry {i}", len(text_in.encode("utf-8", "surrogatepass")), limit_mb), i)
            continue
        yield Document(id=entry.get("id") or entry.get("link") or f"{Path(p).stem}:{i}", text=text_in,
                       published=pub, url=entry.get("link"), title=title, outlet=outlet, path=p,
                       raw=text_in, meta=_meta({"format": "html", "entry": i}, published))
