"""The HTTP API and the map-and-timeline page (``conflictatlas serve``).

A thin layer over :class:`conflictatlas.store.Store`: every endpoint is one call into the store.

- ``GET /events``           filtered, paginated events as JSON, GeoJSON or ACLED CSV
- ``GET /events/{id}``      one event with its sources, evidence sentences, claims, merge explanation
- ``GET /articles/{id}``    one source article (its text is untrusted: the page renders it as text)
- ``GET /stats``            counts and fatalities by month, type, admin1 and actor
- ``GET /points``           every matching event as compact columns, for the map and the timeline
- ``POST /ingest``          text, HTML or a list of URLs; needs the API token
- ``GET /``                 the page; ``/static/*`` its files; ``/openapi.json`` the OpenAPI document

Every error answers with one JSON shape (pinned by ``tests/test_api.py``)::

    {"error": {"status": 404, "code": "not_found", "message": "[E051] No event with id 7.", "details": []}}

Run it with ``create_app(db="events.db", token="...")`` under any ASGI server, or with
``conflictatlas serve``.
"""
from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import hmac
import io
import json
import logging
import os
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

try:
    from fastapi import Depends, FastAPI, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
    from fastapi.staticfiles import StaticFiles
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.middleware.gzip import GZipMiddleware
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    from .errors import Errors
    raise ImportError(Errors.E031.format(package=exc.name or "fastapi", feature="the HTTP API and map page",
                                         extra="server")) from exc

from . import __version__
from .errors import Errors

log = logging.getLogger("conflictatlas.api")

WEB_DIR = Path(__file__).with_name("web")

#: The Content-Security-Policy of every response: nothing inline, nothing from elsewhere.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]

MAX_PAGE = 100_000          # the most events one /events call returns (exports use it)


# -- errors ---------------------------------------------------------------------------------------
# the API's messages live with all the others in conflictatlas/errors.py (E2xx is the API's range)
Msg = Errors


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
          415: "unsupported_media_type", 422: "invalid_parameter", 429: "too_many_requests",
          500: "internal_error", 502: "bad_gateway", 503: "unavailable"}


class ApiError(Exception):
    """An error with an HTTP status that the API answers in its one JSON shape."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "error")
        self.details = details or []
        self.headers = headers


def error_body(status: int, message: str, code: str | None = None,
               details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The one error shape: ``{"error": {"status", "code", "message", "details"}}``."""
    return {"error": {"status": status, "code": code or _CODES.get(status, "error"),
                      "message": message, "details": details or []}}


def _error_response(status: int, message: str, code: str | None = None,
                    details: list[dict[str, Any]] | None = None,
                    headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, code, details), status_code=status, headers=headers)


# -- the security headers, as a plain ASGI middleware (cheap on every response) -------------------
class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in have)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- the store, one per thread (sqlite3 connections belong to the thread that made them) ----------
class StoreProvider:
    """Hands each worker thread its own :class:`Store` on ``db``, or shares one given store.

    A shared store is used under a lock. Writes (ingest) always go through one lock: one writer.
    """

    def __init__(self, db: str | os.PathLike | None = None, store: Any = None):
        self.db = str(db) if db is not None else None
        self.shared = store
        self.local = threading.local()
        self.read_lock = threading.RLock()
        self.write_lock = threading.Lock()
        self.version = 0          # bumped by every ingest through this app
        if store is None and self.db is None:
            raise ValueError(Msg.E212)

    def get(self):
        if self.shared is not None:
            return self.shared
        st = getattr(self.local, "store", None)
        if st is None:
            from .errors import ConflictAtlasError
            from .store import Store
            try:
                st = Store(self.db)
            except ConflictAtlasError as exc:      # unreadable file, newer schema...: say so
                raise ApiError(503, str(exc), code="store_unavailable") from exc
            self.local.store = st
        return st

    def call(self, name: str, *args, **kw):
        st = self.get()
        try:
            if self.shared is not None:
                with self.read_lock:
                    return getattr(st, name)(*args, **kw)
            return getattr(st, name)(*args, **kw)
        except ApiError:
            raise
        except (ValueError, TypeError, KeyError) as exc:
            raise ApiError(400, str(exc)) from exc
        except Exception as exc:
            log.exception("store.%s failed", name)
            raise ApiError(500, Msg.E213.format(why=type(exc).__name__), code="store_error") from exc

    def data_version(self) -> tuple:
        """Changes whenever the database may have changed (files or an ingest through this app)."""
        self.get()                    # opening a store may create the -wal file: do it first
        parts: list[Any] = [self.version]
        if self.db and "://" not in self.db:
            for suffix in ("", "-wal"):
                try:
                    s = os.stat(self.db + suffix)
                except OSError:
                    parts.append(None)
                    continue
                # an empty -wal is the same as none (opening a connection may create or touch it)
                parts.append((s.st_mtime_ns, s.st_size) if s.st_size or not suffix else None)
        return tuple(parts)


class ResultCache:
    """A small thread-safe map of computed answers, emptied when it grows past ``size``."""

    def __init__(self, size: int = 128):
        self.size = size
        self.data: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.data:
                return self.data[key]
        value = compute()
        with self.lock:
            if len(self.data) >= self.size:
                self.data.clear()
            self.data[key] = value
        return value

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


# -- query parameters -----------------------------------------------------------------------------
def _parse_date(value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ApiError(422, Errors.E020.format(value=value, what=what),
                       details=[{"loc": ["query", what], "msg": "use YYYY-MM-DD"}]) from None


class Filters:
    """The filters the CLI takes: country, admin1, type, actor, date range, text."""

    def __init__(self,
                 country: str | None = Query(None, description="Country name, as stored (e.g. 'Iraq')."),
                 admin1: str | None = Query(None, description="First-level region (province, state, governorate)."),
                 event_type: str | None = Query(None, alias="type", description="ACLED event type, e.g. 'Battles'."),
                 actor: str | None = Query(None, description="An actor: matches actor1 or actor2."),
                 date_from: str | None = Query(None, description="First day, YYYY-MM-DD (inclusive)."),
                 date_to: str | None = Query(None, description="Last day, YYYY-MM-DD (inclusive)."),
                 text: str | None = Query(None, description="Words to find in the event notes and sources."),
                 ):
        self.country = country or None
        self.admin1 = admin1 or None
        self.event_type = event_type or None
        self.actor = actor or None
        self.date_from = _parse_date(date_from, "date_from")
        self.date_to = _parse_date(date_to, "date_to")
        self.text = text or None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ApiError(422, Errors.E218.format(date_from=self.date_from, date_to=self.date_to),
                           details=[{"loc": ["query", "date_from"], "msg": "after date_to"}])

    def kwargs(self) -> dict[str, Any]:
        return {"country": self.country, "admin1": self.admin1, "event_type": self.event_type,
                "actor": self.actor, "date_from": self.date_from, "date_to": self.date_to,
                "text": self.text}

    def key(self) -> tuple:
        return tuple(sorted(self.kwargs().items()))


# -- shaping events -------------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return _jsonable(value.to_dict())
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date,)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f else None      # NaN -> None


def to_feature(ev: dict[str, Any]) -> dict[str, Any]:
    lat, lon = _num(ev.get("latitude")), _num(ev.get("longitude"))
    geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": ev.get("id"), "geometry": geom, "properties": ev}


def _csv_line(values: Iterable[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


# -- the app --------------------------------------------------------------------------------------
def create_app(db: str | os.PathLike | None = None, *, store: Any = None, token: str | None = None,
               protect_reads: bool = False, max_body_mb: float = 20.0, fetch_timeout: float = 15.0,
               max_urls: int = 50, fetcher: Callable[[str, float], tuple[str, str]] | None = None,
               pipeline: Any = None) -> FastAPI:
    """Build the ASGI app over the event database ``db`` (or an open ``store``).

    ``token``: the secret that ``POST /ingest`` needs (``Authorization: Bearer <token>``); without
    one, ingesting is off. ``protect_reads``: read endpoints need the token too (the page at ``/``
    then asks for it). ``fetcher(url, timeout) -> (text, content_type)`` replaces the HTTP fetch of
    ``urls`` (tests pass one; nothing is fetched unless a client posts URLs). ``pipeline``: the
    :class:`~conflictatlas.pipeline.Pipeline` that reads ingested reports (default: the library's
    default pipeline, loaded at the first ingest).
    """
    if db is None and store is None:
        from .store import default_db_path      # $CONFLICTATLAS_DB, else the user's data folder
        db = default_db_path()
    provider = StoreProvider(db, store)
    token = token if token is not None else (os.environ.get("CONFLICTATLAS_TOKEN") or None)
    fetch = fetcher or fetch_url

    app = FastAPI(
        title="conflictatlas",
        version=__version__,
        description=("ACLED-shaped, geocoded conflict events read from news reports, each value tied "
                     "to the sentence it came from. Errors all answer "
                     "`{\"error\": {\"status\", \"code\", \"message\", \"details\"}}`."),
        docs_url=None, redoc_url=None,        # Swagger UI would load from a CDN; /openapi.json stays
        openapi_url="/openapi.json",
    )
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(SecurityHeaders)
    app.state.provider = provider
    # answers that only change when the database does: /points, /stats and the totals of /events
    # (a client paging through results asks for the same total again and again)
    app.state.cache = ResultCache()

    # -- errors in one shape --
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error_response(exc.status, exc.message, exc.code, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        status = exc.status_code
        if status == 404 and exc.detail in (None, "Not Found"):
            msg = Msg.E210.format(method=request.method, path=request.url.path)
        elif status == 405:
            msg = Msg.E210.format(method=request.method, path=request.url.path)
        else:
            msg = str(exc.detail)
        return _error_response(status, msg, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg", "")}
                   for e in exc.errors()]
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"][1:] or first["loc"]) or "request"
        return _error_response(422, Msg.E200.format(what=where, why=first["msg"]), details=details)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(500, Msg.E211.format(kind=type(exc).__name__))

    # -- auth --
    def _check_token(request: Request) -> None:
        if token is None:
            raise ApiError(403, Msg.E203, code="ingest_disabled")
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(401, Msg.E204, headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise ApiError(401, Msg.E205, headers={"WWW-Authenticate": "Bearer"})

    def read_access(request: Request) -> None:
        if protect_reads:
            if token is None:
                raise ApiError(503, Msg.E215)
            _check_token(request)

    def write_access(request: Request) -> None:
        _check_token(request)

    # -- the page --
    @app.get("/", include_in_schema=False)
    def index():
        page = WEB_DIR / "index.html"
        if not page.is_file():
            raise ApiError(503, Msg.E216)
        return FileResponse(page, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    if WEB_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/health", tags=["meta"], summary="Liveness and configuration")
    def health():
        return {"status": "ok", "version": __version__, "ingest": token is not None,
                "protect_reads": protect_reads}

    # -- events --
    @app.get("/events", tags=["events"], summary="Events matching the filters, one page at a time",
             responses={200: {"content": {"application/json": {}, "application/geo+json": {},
                                          "text/csv": {}}}})
    def list_events(request: Request, filters: Filters = Depends(),
                    limit: int = Query(100, ge=1, le=MAX_PAGE, description="Events per page."),
                    offset: int = Query(0, ge=0, description="Events to skip."),
                    format: str | None = Query(None, description="json (default), geojson or csv. "
                                               "'Accept: application/geo+json' also selects GeoJSON."),
                    _: None = Depends(read_access)):
        fmt = (format or "").lower()
        if not fmt:
            accept = request.headers.get("accept", "")
            fmt = "geojson" if "geo+json" in accept else ("csv" if accept.startswith("text/csv") else "json")
        if fmt not in ("json", "geojson", "csv"):
            raise ApiError(422, Msg.E209.format(fmt=format), details=[{"loc": ["query", "format"],
                                                                       "msg": "json, geojson or csv"}])
        kw = filters.kwargs()
        if fmt == "csv":
            return _csv_response(kw, limit, offset)
        total = app.state.cache.get(("count", filters.key(), provider.data_version()),
                                    lambda: provider.call("count_events", **kw))
        if fmt == "geojson" and limit > 1000:         # big pages are streamed, not built in memory
            return _geojson_stream(request, kw, total, limit, offset)
        events = list(_pages(kw, limit, offset))
        nxt = None
        if events and offset + len(events) < total:
            nxt = str(request.url.include_query_params(offset=offset + len(events), limit=limit))
        page = {"total": total, "limit": limit, "offset": offset, "next": nxt}
        if fmt == "geojson":
            body = {"type": "FeatureCollection", **page, "features": [to_feature(e) for e in events]}
            return JSONResponse(body, media_type="application/geo+json")
        return JSONResponse({**page, "events": events})

    def _pages(kw: dict[str, Any], limit: int, offset: int, chunk: int = 5000) -> Iterator[dict]:
        done = 0
        while done < limit:
            n = min(chunk, limit - done)
            batch = provider.call("query_events", limit=n, offset=offset + done, **kw)
            for ev in batch:
                yield _jsonable(ev)
            done += len(batch)
            if len(batch) < n:
                break

    def _csv_response(kw: dict[str, Any], limit: int, offset: int) -> StreamingResponse:
        from .export import ACLED_CSV_COLUMNS, acled_row

        def rows() -> Iterator[str]:
            yield _csv_line(ACLED_CSV_COLUMNS)
            for ev in _pages(kw, limit, offset):
                row = acled_row(ev)
                yield _csv_line("" if row[c] is None else row[c] for c in ACLED_CSV_COLUMNS)
        return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    def _geojson_stream(request: Request, kw: dict[str, Any], total: int, limit: int,
                        offset: int) -> StreamingResponse:
        nxt = (str(request.url.include_query_params(offset=offset + limit, limit=limit))
               if offset + limit < total else None)
        head = {"type": "FeatureCollection", "total": total, "limit": limit, "offset": offset, "next": nxt}

        def parts() -> Iterator[str]:
            yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
            for n, ev in enumerate(_pages(kw, limit, offset)):
                yield ("," if n else "") + "\n" + json.dumps(to_feature(ev), ensure_ascii=False)
            yield "\n]}\n"
        return StreamingResponse(parts(), media_type="application/geo+json",
                                 headers={"Content-Disposition": 'attachment; filename="events.geojson"'})

    @app.get("/events/{event_id}", tags=["events"],
             summary="One event with its sources, evidence sentences, claims and merge explanation")
    def get_event(event_id: str, _: None = Depends(read_access)):
        ev = provider.call("get_event", event_id)
        if ev is None:
            raise ApiError(404, Msg.E201.format(id=event_id))
        return _jsonable(ev)

    @app.get("/articles/{article_id}", tags=["articles"], summary="One source article")
    def get_article(article_id: str, _: None = Depends(read_access)):
        art = provider.call("get_article", article_id)
        if art is None:
            raise ApiError(404, Msg.E202.format(id=article_id))
        return _jsonable(art)

    @app.get("/stats", tags=["events"],
             summary="Counts and fatalities by month, type, admin1 and actor")
    def stats(filters: Filters = Depends(), _: None = Depends(read_access)):
        hit = app.state.cache.get(("stats", filters.key(), provider.data_version()), lambda: json.dumps(
            _jsonable(provider.call("stats", **filters.kwargs())), ensure_ascii=False).encode())
        return Response(hit, media_type="application/json")

    @app.get("/points", tags=["events"],
             summary="Every matching event as compact columns (for the map and the timeline)",
             description=("Columns of equal length: id, lat, lon, day (days since 1970-01-01), "
                          "type, country, admin1, actor1, actor2, assoc1, assoc2 (indexes into "
                          "`values`, -1 for none), "
                          "fatalities. Cached until the database changes."))
    def points(request: Request, filters: Filters = Depends(), _: None = Depends(read_access)):
        key = (filters.key(), provider.data_version())
        etag = '"' + hashlib.sha1(repr(key).encode()).hexdigest()[:20] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        def build() -> tuple[bytes, bytes]:
            body = json.dumps(build_points(provider, filters.kwargs()), separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
            return body, gzip.compress(body, 5)
        hit = app.state.cache.get(("points",) + key, build)
        headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(hit[1], media_type="application/json", headers=headers)
        return Response(hit[0], media_type="application/json", headers=headers)

    # -- ingest --
    @app.post("/ingest", tags=["ingest"], status_code=200,
              summary="Read reports (text, HTML or URLs) into the database; needs the token",
              openapi_extra={"requestBody": {"content": {
                  "application/json": {"schema": {"type": "object", "properties": {
                      "text": {"type": "string"}, "html": {"type": "string"},
                      "urls": {"type": "array", "items": {"type": "string"}},
                      "documents": {"type": "array", "items": {"type": "object"}},
                      "published": {"type": "string", "format": "date"},
                      "title": {"type": "string"}, "url": {"type": "string"},
                      "outlet": {"type": "string"}, "id": {"type": "string"}}}},
                  "text/plain": {"schema": {"type": "string"}},
                  "text/html": {"schema": {"type": "string"}}}, "required": True}})
    async def ingest(request: Request, _: None = Depends(write_access)):
        limit = int(max_body_mb * 1024 * 1024)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ApiError(413, Msg.E207.format(size=round(int(declared) / 1048576, 1), limit=max_body_mb))
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > limit:
                raise ApiError(413, Msg.E207.format(size=f"over {max_body_mb}", limit=max_body_mb))
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        records = parse_ingest_body(bytes(body), ctype, dict(request.query_params), max_urls)
        from starlette.concurrency import run_in_threadpool
        return await run_in_threadpool(_ingest_records, records)

    def _run_ingest(docs: list) -> Any:
        store = provider.get()
        known = getattr(store, "known_article", None)
        fresh = [d for d in docs if not (callable(known) and known(d, near=False))]
        pipe = pipeline
        if pipe is None and fresh:
            try:
                from . import _default_pipeline
                pipe = _default_pipeline()
            except Exception as exc:      # a missing model or data file: say which
                log.exception("the pipeline could not be loaded")
                raise ApiError(503, Msg.E217.format(why=exc),
                               code="pipeline_unavailable") from exc
        processed = list(pipe.pipe(fresh)) if fresh else []
        report = provider.call("ingest_documents", processed)
        skipped = len(docs) - len(fresh)
        if skipped and hasattr(report, "duplicates"):
            report.read += skipped
            report.duplicates += skipped
        return report

    def _ingest_records(records: list[dict[str, Any]]) -> dict[str, Any]:
        docs, problems = [], []
        for rec in records:
            try:
                if rec.get("fetch"):
                    text, ctype = fetch(rec["url"], fetch_timeout)
                    rec = {**rec, "html" if "html" in ctype else "text": text}
                docs.append(make_document(rec))
            except ApiError as exc:
                problems.append({"url": rec.get("url"), "message": exc.message})
            except (OSError, ValueError) as exc:
                problems.append({"url": rec.get("url"), "message": Msg.E208.format(url=rec.get("url"), why=exc)})
        report: Any = None
        if docs:
            with provider.write_lock:
                report = _run_ingest(docs)
                provider.version += 1
                app.state.cache.clear()
        out = {"documents": [d.id for d in docs], "problems": problems, "report": _jsonable(report),
               "summary": report.summary() if hasattr(report, "summary") else None}
        if not docs:
            raise ApiError(400, problems[0]["message"] if problems else Msg.E206.format(why="nothing to read"),
                           details=problems)
        return out

    return app


# -- ingest helpers -------------------------------------------------------------------------------
_DOC_KEYS = ("id", "published", "title", "url", "outlet", "language")


def parse_ingest_body(body: bytes, ctype: str, params: dict[str, str], max_urls: int = 50) -> list[dict]:
    """The POST /ingest body -> records ``{"text"|"html"|"fetch", ...}``; raises ApiError(400)."""
    if not body.strip():
        raise ApiError(400, Msg.E206.format(why="an empty body"))
    try:
        raw = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(400, Msg.E206.format(why="a body that is not UTF-8")) from None
    meta = {k: params[k] for k in _DOC_KEYS if params.get(k)}
    if ctype in ("text/plain", "text/markdown"):
        return [{**meta, "text": raw}]
    if ctype in ("text/html", "application/xhtml+xml"):
        return [{**meta, "html": raw}]
    if ctype not in ("application/json", "", "application/x-ndjson"):
        raise ApiError(415, Msg.E206.format(why=f"Content-Type {ctype}"))
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ApiError(400, Msg.E206.format(why=f"malformed JSON ({exc.msg}, line {exc.lineno})")) from None
    except RecursionError:
        raise ApiError(400, Msg.E206.format(why="JSON nested too deeply to read")) from None
    if isinstance(data, list):
        data = {"documents": data}
    if not isinstance(data, dict):
        raise ApiError(400, Msg.E206.format(why=type(data).__name__))
    records: list[dict] = []
    top = {k: data[k] for k in _DOC_KEYS if isinstance(data.get(k), str)}
    if isinstance(data.get("text"), str):
        records.append({**meta, **top, "text": data["text"]})
    if isinstance(data.get("html"), str):
        records.append({**meta, **top, "html": data["html"]})
    for i, d in enumerate(data.get("documents") or []):
        if not isinstance(d, dict) or not (isinstance(d.get("text"), str) or isinstance(d.get("html"), str)):
            raise ApiError(400, Msg.E206.format(why=f"documents[{i}] has no 'text' or 'html' string"))
        records.append({**meta, **{k: d[k] for k in (*_DOC_KEYS, "text", "html") if isinstance(d.get(k), str)}})
    urls = data.get("urls") or []
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ApiError(400, Msg.E206.format(why="'urls' must be a list of strings"))
    if len(urls) > max_urls:
        raise ApiError(400, Msg.E214.format(limit=max_urls, n=len(urls)))
    for u in urls:
        if not u.lower().startswith(("http://", "https://")):
            raise ApiError(400, Msg.E208.format(url=u, why="only http:// and https:// URLs are fetched"))
        records.append({**meta, "url": u, "fetch": True})
    if not records:
        raise ApiError(400, Msg.E206.format(why="no 'text', 'html', 'urls' or 'documents'"))
    return records


def make_document(rec: dict[str, Any]):
    """A record from :func:`parse_ingest_body` -> an unprocessed :class:`Document`."""
    from .document import Document
    from .sources import parse_date
    is_html = "html" in rec
    text = rec["html"] if is_html else rec["text"]
    if not text.strip():
        raise ApiError(400, Msg.E206.format(why="an empty text"))
    try:
        published = parse_date(rec.get("published"))
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    doc_id = rec.get("id") or ("api:" + hashlib.sha256(
        (rec.get("url") or "").encode() + b"\0" + text.encode("utf-8")).hexdigest()[:16])
    return Document(id=str(doc_id), text=text, published=published, url=rec.get("url"),
                    title=rec.get("title"), outlet=rec.get("outlet"), language=rec.get("language"),
                    raw=text, meta={"format": "html" if is_html else "text", "via": "api"})


def fetch_url(url: str, timeout: float = 15.0, max_bytes: int = 10 * 1024 * 1024) -> tuple[str, str]:
    """GET one page (only when a client posts it to /ingest); returns (text, content type)."""
    import urllib.request
    from .sources import LegacyEncoding, decode
    req = urllib.request.Request(url, headers={"User-Agent": f"conflictatlas/{__version__}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) checked above
        data = resp.read(max_bytes + 1)
        ctype = resp.headers.get("content-type", "text/html").lower()
    if len(data) > max_bytes:
        raise ValueError(f"over {max_bytes // 1048576} MB")
    try:
        return decode(data, url), ctype
    except LegacyEncoding as legacy:      # a page in cp1252 is still a page
        return legacy.text, ctype


# -- the map's compact columns --------------------------------------------------------------------
POINT_FIELDS = ("id", "latitude", "longitude", "event_date", "event_type", "country", "admin1",
                "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "fatalities")


def build_points(provider: StoreProvider, kw: dict[str, Any], page: int = 20000) -> dict[str, Any]:
    """All events matching ``kw`` as columns; strings become indexes into ``values``."""
    store = provider.get()
    rows: Iterable[tuple] | None = None
    fast = getattr(store, "point_rows", None)       # an optional fast path a Store may offer
    if callable(fast):
        rows = provider.call("point_rows", **kw)
    if rows is None:
        def paged():
            off = 0
            while True:
                batch = provider.call("query_events", limit=page, offset=off, **kw)
                for e in batch:
                    yield tuple(e.get(f) for f in POINT_FIELDS)
                off += len(batch)
                if len(batch) < page:
                    break
        rows = paged()
    values: list[str] = []
    index: dict[str, int] = {}

    def idx(s: Any) -> int:
        if s is None or s == "":
            return -1
        s = str(s)
        i = index.get(s)
        if i is None:
            i = index[s] = len(values)
            values.append(s)
        return i

    epoch = date(1970, 1, 1).toordinal()
    cols: dict[str, list] = {k: [] for k in ("id", "lat", "lon", "day", "type", "country", "admin1",
                                             "actor1", "actor2", "assoc1", "assoc2", "fatalities")}
    for (eid, lat, lon, d, typ, country, admin1, a1, a2, x1, x2, fat) in rows:
        lat, lon = _num(lat), _num(lon)
        try:
            day = date.fromisoformat(str(d)[:10]).toordinal() - epoch if d else None
        except ValueError:
            day = None
        cols["id"].append(eid)
        cols["lat"].append(round(lat, 4) if lat is not None else None)
        cols["lon"].append(round(lon, 4) if lon is not None else None)
        cols["day"].append(day)
        cols["type"].append(idx(typ))
        cols["country"].append(idx(country))
        cols["admin1"].append(idx(admin1))
        cols["actor1"].append(idx(a1))
        cols["actor2"].append(idx(a2))
        cols["assoc1"].append(idx(x1))
        cols["assoc2"].append(idx(x2))
        cols["fatalities"].append(int(fat) if isinstance(fat, (int, float)) and fat == fat else 0)
    return {"count": len(cols["id"]), "generated": int(time.time()), "values": values, **cols}
