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
from typing import Iterable, Iterator

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
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith("."):
                    if child.suffix.lower() in ALL_SUFFIXES:
                        yield child
                    else:
                        log.info("%s: skipped (not a report file type)", child)
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), Errors.E016.format(path=path))


def read_sources(paths: Iterable[str | os.PathLike], published: date | None = None,
                 max_mb: float = 20.0) -> Iterator[Document | Problem]:
    """Yield a Document per report (a file, a JSONL line, a feed entry), or a Problem."""
    for item in iter_files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        yield from read_file(item, published=published, max_mb=max_mb)


def read_file(path: Path, published: date | None = None, max_mb: float = 20.0) -> Iterator[Document | Problem]:
    p = str(path)
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
    if suffix in JSONL_SUFFIXES and size > max_mb * 1024 * 1024:
        # a large JSONL file is many reports: stream it; the limit applies to each line
        yield from read_jsonl_stream(path, published, max_mb)
        return
    if size > max_mb * 1024 * 1024:
        yield Problem(p, Errors.E012.format(path=p, size=round(size / 1048576, 1), limit=max_mb))
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
        yield from read_jsonl_text(text, p, published)
    elif suffix in FEED_SUFFIXES or _is_feed(text):
        yield from read_feed_text(text, p, published)
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


def _is_feed(text: str) -> bool:
    head = text[:500].lower()
    return "<rss" in head or "<feed" in head


def read_jsonl_text(text: str, p: str, published: date | None = None,
                    first_line: int = 1) -> Iterator[Document | Problem]:
    """Reports from JSONL text (or a JSON list); ``first_line`` numbers the text's first line."""
    stripped = text.lstrip()
    lines: Iterable[tuple[int, str]]
    if stripped.startswith("["):            # a .json file holding a list of records
        try:
            records = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield Problem(p, Errors.E014.format(path=p, line=exc.lineno, why=exc.msg), exc.lineno)
            return
        lines = [(i + 1, json.dumps(r)) for i, r in enumerate(records)]
    else:
        lines = enumerate(text.splitlines(), first_line)
    for n, line in lines:
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(p, Errors.E014.format(path=p, line=n, why=exc.msg), n)
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield Problem(p, Errors.E015.format(path=p, line=n), n)
            continue
        try:
            pub = parse_date(rec.get("published") or rec.get("date"))
        except ValueError as exc:
            yield Problem(p, f"{p}, line {n}: {exc}", n)
            continue
        doc_id = str(rec.get("id") if rec.get("id") is not None else f"{Path(p).stem}:{n}")
        fmt = "html" if rec.get("format") == "html" or rec["text"].lstrip().lower().startswith(("<!doctype", "<html")) else "text"
        yield Document(id=doc_id, text=rec["text"], published=pub, url=rec.get("url"),
                       title=rec.get("title"), outlet=rec.get("outlet") or rec.get("source"),
                       language=rec.get("language"), path=p, raw=rec["text"],
                       meta=_meta({"format": fmt, "line": n}, published))


def read_jsonl_stream(path: Path, published: date | None, max_mb: float) -> Iterator[Document | Problem]:
    """Read a large JSONL file line by line (bounded memory)."""
    p = str(path)
    limit = max_mb * 1024 * 1024
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if len(raw) > limit:
                yield Problem(p, Errors.E012.format(path=f"{p}, line {n}", size=round(len(raw) / 1048576, 1),
                                                    limit=max_mb), n)
                continue
            try:
                line = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                yield Problem(p, Errors.E014.format(path=p, line=n, why="not UTF-8"), n)
                continue
            yield from read_jsonl_text(line, p, published, first_line=n)


def read_feed_text(text: str, p: str, published: date | None = None) -> Iterator[Document | Problem]:
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
        yield Document(id=entry.get("id") or entry.get("link") or f"{Path(p).stem}:{i}", text=text_in,
                       published=pub, url=entry.get("link"), title=title, outlet=outlet, path=p,
                       raw=text_in, meta=_meta({"format": "html", "entry": i}, published))
