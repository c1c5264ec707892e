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
import functools
import gzip
import hashlib
import hmac
import io
import ipaddress
import json
import logging
import os
import socket
import tempfile
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

try:
    from fastapi import APIRouter, Depends, FastAPI, Query, Request
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
from .filters import FILTER_NAMES, FILTERS, parse_day

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
MAX_OFFSET = 2 ** 62       # past it, offset + a page would overflow SQLite's 64-bit integers


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
        if self.db and "://" in self.db:          # a server database: other writers show in its history
            parts.append(self.call("last_change"))
        elif self.db:
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
def _invalid(loc: list[Any], message: str, msg: str) -> ApiError:
    """A 422 whose ``details`` name the parameter (``loc`` as FastAPI writes it: ["query", name])."""
    return ApiError(422, message, details=[{"loc": [str(x) for x in loc], "msg": msg}])


def _parse_date(value: str | None, what: str) -> str | None:
    """A filter's date: ``YYYY-MM-DD`` only (not ``20220101``, not ``2022-W01``)."""
    try:
        day = parse_day(value, what)
    except ValueError as exc:
        raise _invalid(["query", what], str(exc), "use YYYY-MM-DD") from None
    return day.isoformat() if day else None


def _one_of(got_new: str | None, got_old: str | None, new: str, old: str) -> tuple[str | None, str]:
    """The value of filter ``new`` or of its old name ``old`` (both given: 422), and the name used."""
    if got_new not in (None, "") and got_old not in (None, ""):
        raise _invalid(["query", old], Msg.E221.format(old=old, new=new), f"old name of '{new}'")
    return (got_new, new) if got_new not in (None, "") else (got_old, old)


def only_params(*extra: str) -> Callable[[Request], None]:
    """A dependency that refuses query parameters the endpoint does not take (a typo such as
    ``?form=2022-01-01`` would otherwise be ignored, and the answer look right)."""
    known = (*FILTER_NAMES, *extra)

    def check(request: Request) -> None:
        for name in request.query_params.keys():
            if name not in known:
                shown = ", ".join(n for n in known if n not in ("date_from", "date_to"))
                raise _invalid(["query", name], Msg.E220.format(name=name, path=request.url.path, known=shown),
                               "unknown parameter")
    return check


_HELP = {f.name: f.help for f in FILTERS}


class Filters:
    """The filters the CLI takes, under the same names: country, admin1, type, actor, from, to,
    text (``date_from`` and ``date_to``, the API's old names for from and to, still work)."""

    def __init__(self,
                 country: str | None = Query(None, description=_HELP["country"]),
                 admin1: str | None = Query(None, description=_HELP["admin1"]),
                 event_type: str | None = Query(None, alias="type", description=_HELP["type"]),
                 actor: str | None = Query(None, description=_HELP["actor"]),
                 from_: str | None = Query(None, alias="from", description=_HELP["from"]),
                 to: str | None = Query(None, description=_HELP["to"]),
                 date_from: str | None = Query(None, deprecated=True, description="The old name of `from`."),
                 date_to: str | None = Query(None, deprecated=True, description="The old name of `to`."),
                 text: str | None = Query(None, description=_HELP["text"]),
                 ):
        self.country = country or None
        self.admin1 = admin1 or None
        self.event_type = event_type or None
        self.actor = actor or None
        self.date_from = _parse_date(*_one_of(from_, date_from, "from", "date_from"))
        self.date_to = _parse_date(*_one_of(to, date_to, "to", "date_to"))
        self.text = text or None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise _invalid(["query", "from"], Errors.E218.format(date_from=self.date_from, date_to=self.date_to),
                           "after to")

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
@dataclasses.dataclass
class ApiSettings:
    """What :func:`create_app` was given; handlers read it from ``request.app.state.settings``."""
    token: str | None = None
    protect_reads: bool = False
    max_body_mb: float = 20.0
    fetch_timeout: float = 15.0
    max_urls: int = 50
    fetch: Callable[[str, float], tuple[str, str]] | None = None
    pipeline: Any = None
    allow_private_urls: bool = False


def create_app(db: str | os.PathLike | None = None, *, store: Any = None, token: str | None = None,
               protect_reads: bool = False, max_body_mb: float = 20.0, fetch_timeout: float = 15.0,
               max_urls: int = 50, fetcher: Callable[[str, float], tuple[str, str]] | None = None,
               pipeline: Any = None, allow_private_urls: bool = False) -> FastAPI:
    """Build the ASGI app over the event database ``db`` (or an open ``store``).

    ``token``: the secret that ``POST /ingest`` needs (``Authorization: Bearer <token>``); without
    one, ingesting is off. ``protect_reads``: read endpoints need the token too (the page at ``/``
    then asks for it). ``fetcher(url, timeout) -> (text, content_type)`` replaces the HTTP fetch of
    ``urls`` (tests pass one; nothing is fetched unless a client posts URLs).
    ``allow_private_urls``: also fetch URLs on loopback, private and link-local addresses (refused
    by default: a client must not make the server read its own network). ``pipeline``: the
    :class:`~conflictatlas.pipeline.Pipeline` that reads ingested reports (default: the library's
    default pipeline, loaded at the first ingest).
    """
    if db is None and store is None:
        from .store import default_db           # $CONFLICTATLAS_DB, else the user's data folder
        db = default_db()
    token = token if token is not None else (os.environ.get("CONFLICTATLAS_TOKEN") or None)
    fetch = fetcher or functools.partial(fetch_url, allow_private=allow_private_urls)
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
    app.state.provider = StoreProvider(db, store)
    app.state.settings = ApiSettings(token, protect_reads, max_body_mb, fetch_timeout, max_urls, fetch,
                                     pipeline, allow_private_urls)
    # answers that only change when the database does: /points, /stats and the totals of /events
    # (a client paging through results asks for the same total again and again)
    app.state.cache = ResultCache()
    install_error_handlers(app)
    app.include_router(page_router)
    if WEB_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    app.include_router(events_router)
    app.include_router(ingest_router)
    return app


# -- errors in one shape --------------------------------------------------------------------------
async def _api_error(request: Request, exc: ApiError):
    return _error_response(exc.status, exc.message, exc.code, exc.details, exc.headers)


async def _http_error(request: Request, exc: StarletteHTTPException):
    status = exc.status_code
    if status in (404, 405) and (status == 405 or exc.detail in (None, "Not Found")):
        msg = Msg.E210.format(method=request.method, path=request.url.path)
    else:
        msg = str(exc.detail)
    return _error_response(status, msg, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError):
    details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg", "")}
               for e in exc.errors()]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(first["loc"][1:] or first["loc"]) or "request"
    return _error_response(422, Msg.E200.format(what=where, why=first["msg"]), details=details)


async def _internal_error(request: Request, exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _error_response(500, Msg.E211.format(kind=type(exc).__name__))


def install_error_handlers(app: FastAPI) -> None:
    """Every error, ours or the framework's, answers in the one shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)


# -- access ---------------------------------------------------------------------------------------
def _check_token(request: Request) -> None:
    token = request.app.state.settings.token
    if token is None:
        raise ApiError(403, Msg.E203, code="ingest_disabled")
    auth = request.headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, Msg.E204, headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, Msg.E205, headers={"WWW-Authenticate": "Bearer"})


def read_access(request: Request) -> None:
    """Reads are open, unless the server protects them (then they need the token)."""
    settings = request.app.state.settings
    if settings.protect_reads:
        if settings.token is None:
            raise ApiError(503, Msg.E215)
        _check_token(request)


def write_access(request: Request) -> None:
    _check_token(request)


# -- the page -------------------------------------------------------------------------------------
page_router = APIRouter()


@page_router.get("/", include_in_schema=False)
def index():
    page = WEB_DIR / "index.html"
    if not page.is_file():
        raise ApiError(503, Msg.E216)
    return FileResponse(page, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


@page_router.get("/health", tags=["meta"], summary="Liveness and configuration")
def health(request: Request):
    settings = request.app.state.settings
    return {"status": "ok", "version": __version__, "ingest": settings.token is not None,
            "protect_reads": settings.protect_reads}


# -- events ---------------------------------------------------------------------------------------
events_router = APIRouter(tags=["events"])


def _format_of(request: Request, format: str | None) -> str:
    """json, geojson or csv: from ``?format=``, else from the Accept header."""
    fmt = (format or "").lower()
    if not fmt:
        accept = request.headers.get("accept", "")
        fmt = "geojson" if "geo+json" in accept else ("csv" if accept.startswith("text/csv") else "json")
    if fmt not in ("json", "geojson", "csv"):
        raise _invalid(["query", "format"], Msg.E209.format(fmt=format), "json, geojson or csv")
    return fmt


def _cached_total(request: Request, filters: Filters) -> int:
    provider = request.app.state.provider
    return request.app.state.cache.get(("count", filters.key(), provider.data_version()),
                                       lambda: provider.call("count_events", **filters.kwargs()))


def _next_url(request: Request, total: int, limit: int, offset: int, shown: int) -> str | None:
    if shown and offset + shown < total:
        return str(request.url.include_query_params(offset=offset + shown, limit=limit))
    return None


@events_router.get("/events", summary="Events matching the filters, one page at a time",
                   dependencies=[Depends(only_params("limit", "offset", "format"))],
                   responses={200: {"content": {"application/json": {}, "application/geo+json": {},
                                                "text/csv": {}}}})
def list_events(request: Request, filters: Filters = Depends(),
                limit: int = Query(100, ge=1, le=MAX_PAGE, description="Events per page."),
                offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Events to skip."),
                format: str | None = Query(None, description="json (default), geojson or csv. "
                                           "'Accept: application/geo+json' also selects GeoJSON."),
                _: None = Depends(read_access)):
    fmt = _format_of(request, format)
    provider = request.app.state.provider
    kw = filters.kwargs()
    if fmt == "csv":
        return _csv_response(provider, kw, limit, offset)
    total = _cached_total(request, filters)
    if fmt == "geojson" and limit > 1000:         # big pages are spooled, not built in memory
        return _geojson_response(request, provider, kw, total, limit, offset)
    events = list(_pages(provider, kw, limit, offset))
    page = {"total": total, "limit": limit, "offset": offset,
            "next": _next_url(request, total, limit, offset, len(events))}
    if fmt == "geojson":
        body = {"type": "FeatureCollection", **page, "features": [to_feature(e) for e in events]}
        return JSONResponse(body, media_type="application/geo+json")
    return JSONResponse({**page, "events": events})


def _pages(provider: StoreProvider, kw: dict[str, Any], limit: int, offset: int,
           chunk: int = 5000) -> Iterator[dict]:
    done = 0
    while done < limit:
        n = min(chunk, limit - done)
        batch = provider.call("query_events", limit=n, offset=offset + done, **kw)
        for ev in batch:
            yield _jsonable(ev)
        done += len(batch)
        if len(batch) < n:
            break


def _spooled(parts: Iterable[str], media_type: str, filename: str) -> StreamingResponse:
    """Write the whole answer first (to memory, or to a temporary file past 16 MB), then stream it.

    A store error while writing raises before the response starts, so the client gets an error
    in the one shape, never a 200 cut short."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    try:
        for part in parts:
            spool.write(part.encode("utf-8"))
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def chunks() -> Iterator[bytes]:
        with spool:
            while True:
                block = spool.read(256 * 1024)
                if not block:
                    return
                yield block
    return StreamingResponse(chunks(), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _csv_response(provider: StoreProvider, kw: dict[str, Any], limit: int, offset: int) -> StreamingResponse:
    from .export import ACLED_CSV_COLUMNS, acled_row, csv_cells

    def rows() -> Iterator[str]:
        yield _csv_line(ACLED_CSV_COLUMNS)
        for ev in _pages(provider, kw, limit, offset):
            yield _csv_line(csv_cells(acled_row(ev)))
    return _spooled(rows(), "text/csv; charset=utf-8", "events.csv")


def _geojson_response(request: Request, provider: StoreProvider, kw: dict[str, Any], total: int,
                      limit: int, offset: int) -> StreamingResponse:
    nxt = (str(request.url.include_query_params(offset=offset + limit, limit=limit))
           if offset + limit < total else None)
    head = {"type": "FeatureCollection", "total": total, "limit": limit, "offset": offset, "next": nxt}

    def parts() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
        for n, ev in enumerate(_pages(provider, kw, limit, offset)):
            yield ("," if n else "") + "\n" + json.dumps(to_feature(ev), ensure_ascii=False)
        yield "\n]}\n"
    return _spooled(parts(), "application/geo+json", "events.geojson")


@events_router.get("/events/{event_id}",
                   summary="One event with its sources, evidence sentences, claims and merge explanation")
def get_event(request: Request, event_id: str, _: None = Depends(read_access)):
    ev = request.app.state.provider.call("get_event", event_id)
    if ev is None:
        raise ApiError(404, Msg.E201.format(id=event_id))
    return _jsonable(ev)


@events_router.get("/articles/{article_id}", tags=["articles"], summary="One source article")
def get_article(request: Request, article_id: str, _: None = Depends(read_access)):
    art = request.app.state.provider.call("get_article", article_id)
    if art is None:
        raise ApiError(404, Msg.E202.format(id=article_id))
    return _jsonable(art)


@events_router.get("/stats", summary="Counts and fatalities by month, type, admin1 and actor",
                   dependencies=[Depends(only_params())])
def stats(request: Request, filters: Filters = Depends(), _: None = Depends(read_access)):
    provider = request.app.state.provider
    hit = request.app.state.cache.get(("stats", filters.key(), provider.data_version()), lambda: json.dumps(
        _jsonable(provider.call("stats", **filters.kwargs())), ensure_ascii=False).encode())
    return Response(hit, media_type="application/json")


@events_router.get("/points", summary="Every matching event as compact columns (for the map and the timeline)",
                   dependencies=[Depends(only_params())],
                   description=("Columns of equal length: id, lat, lon, day (days since 1970-01-01), "
                                "type, country, admin1, actor1, actor2, assoc1, assoc2 (indexes into "
                                "`values`, -1 for none), "
                                "fatalities. Cached until the database changes."))
def points(request: Request, filters: Filters = Depends(), _: None = Depends(read_access)):
    provider = request.app.state.provider
    key = (filters.key(), provider.data_version())
    etag = '"' + hashlib.sha1(repr(key).encode()).hexdigest()[:20] + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})

    def build() -> tuple[bytes, bytes]:
        body = json.dumps(build_points(provider, filters.kwargs()), separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")
        return body, gzip.compress(body, 5)
    hit = request.app.state.cache.get(("points",) + key, build)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(hit[1], media_type="application/json", headers=headers)
    return Response(hit[0], media_type="application/json", headers=headers)


# -- ingest ---------------------------------------------------------------------------------------
ingest_router = APIRouter(tags=["ingest"])

_INGEST_BODY = {"requestBody": {"content": {
    "application/json": {"schema": {"type": "object", "properties": {
        "text": {"type": "string"}, "html": {"type": "string"},
        "urls": {"type": "array", "items": {"type": "string"}},
        "documents": {"type": "array", "items": {"type": "object"}},
        "published": {"type": "string", "format": "date"},
        "title": {"type": "string"}, "url": {"type": "string"},
        "outlet": {"type": "string"}, "id": {"type": "string"}}}},
    "text/plain": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}}}, "required": True}}


@ingest_router.post("/ingest", status_code=200, openapi_extra=_INGEST_BODY,
                    summary="Read reports (text, HTML or URLs) into the database; needs the token")
async def ingest(request: Request, _: None = Depends(write_access)):
    settings: ApiSettings = request.app.state.settings
    body = await _read_body(request, settings.max_body_mb)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    records = parse_ingest_body(body, ctype, dict(request.query_params), settings.max_urls)
    from starlette.concurrency import run_in_threadpool
    return await run_in_threadpool(ingest_records, request.app, records)


async def _read_body(request: Request, max_body_mb: float) -> bytes:
    """The request body, refused with 413 as soon as it passes ``max_body_mb``."""
    limit = int(max_body_mb * 1024 * 1024)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, Msg.E207.format(size=round(int(declared) / 1048576, 1), limit=max_body_mb))
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise ApiError(413, Msg.E207.format(size=f"over {max_body_mb}", limit=max_body_mb))
    return bytes(body)


def ingest_records(app: FastAPI, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Read the records (fetching URLs), extract their events, and only then store them.

    Extraction runs outside the write lock: a big report being read does not hold up a small one
    being stored. The lock is held only while writing."""
    docs, problems = _read_records(app.state.settings, records)
    if not docs:
        raise ApiError(400, problems[0]["message"] if problems else Msg.E206.format(why="nothing to read"),
                       details=problems)
    provider: StoreProvider = app.state.provider
    fresh = _not_yet_stored(provider, docs)
    processed = _extract(app.state.settings.pipeline, fresh)
    with provider.write_lock:
        report = provider.call("ingest_documents", processed)
        provider.version += 1
        app.state.cache.clear()
    skipped = len(docs) - len(fresh)
    if skipped and hasattr(report, "duplicates"):
        report.read += skipped
        report.duplicates += skipped
    return {"documents": [d.id for d in docs], "problems": problems, "report": _jsonable(report),
            "summary": report.summary() if hasattr(report, "summary") else None}


def _read_records(settings: ApiSettings, records: list[dict[str, Any]]) -> tuple[list, list[dict]]:
    """Records -> unprocessed Documents, fetching URLs; the ones that fail become problems."""
    docs, problems = [], []
    for rec in records:
        try:
            if rec.get("fetch"):
                check_url_address(rec["url"], settings.allow_private_urls)
                text, ctype = settings.fetch(rec["url"], settings.fetch_timeout)
                rec = {**rec, "html" if "html" in ctype else "text": text}
            docs.append(make_document(rec))
        except ApiError as exc:
            problems.append({"url": rec.get("url"), "message": exc.message})
        except PrivateAddress as exc:
            problems.append({"url": rec.get("url"), "message": str(exc)})
        except (OSError, ValueError) as exc:
            problems.append({"url": rec.get("url"), "message": Msg.E208.format(url=rec.get("url"), why=exc)})
    return docs, problems


def _not_yet_stored(provider: StoreProvider, docs: list) -> list:
    """The documents whose article is not stored yet (the rest need no extraction)."""
    if not callable(getattr(provider.get(), "known_article", None)):
        return list(docs)
    return [d for d in docs if not provider.call("known_article", d, near=False)]


def _extract(pipeline: Any, docs: list) -> list:
    """Run the pipeline over ``docs`` (the library's default pipeline when none was given)."""
    if not docs:
        return []
    pipe = pipeline
    if pipe is None:
        try:
            from . import _default_pipeline
            pipe = _default_pipeline()
        except Exception as exc:      # a missing model or data file: say which
            log.exception("the pipeline could not be loaded")
            raise ApiError(503, Msg.E217.format(why=exc), code="pipeline_unavailable") from exc
    return list(pipe.pipe(docs))


# -- ingest bodies --------------------------------------------------------------------------------
_DOC_KEYS = ("id", "published", "title", "url", "outlet", "language")


def _field_error(loc: list[Any], what: str, kind: str, got: Any) -> ApiError:
    """A 422 for a body field of the wrong type; ``details`` names it (``["body", ...loc]``)."""
    shown = type(got).__name__ if not isinstance(got, (bool, int, float)) else json.dumps(got)
    return _invalid(["body", *loc], Msg.E222.format(what=what, kind=kind, got=shown), f"must be {kind}")


def _doc_fields(d: dict[str, Any], loc: list[Any]) -> dict[str, Any]:
    """The metadata fields of one document object (strings), ``published`` checked as a date."""
    out: dict[str, Any] = {}
    for k in _DOC_KEYS:
        v = d.get(k)
        if v is None:
            continue
        where = ".".join(map(str, [*loc, k]))
        if not isinstance(v, str):
            raise _field_error([*loc, k], where, "a string", v)
        if k == "published":
            try:
                parse_day(v, where, allow_time=True)
            except ValueError as exc:
                raise _invalid(["body", *loc, k], str(exc), "use YYYY-MM-DD") from None
        if v:
            out[k] = v
    return out


def _body_text(d: dict[str, Any], loc: list[Any]) -> dict[str, str]:
    """The ``text`` and ``html`` strings of one document object."""
    out = {}
    for k in ("text", "html"):
        v = d.get(k)
        if v is None:
            continue
        if not isinstance(v, str):
            raise _field_error([*loc, k], ".".join(map(str, [*loc, k])), "a string", v)
        out[k] = v
    return out


def _query_meta(params: dict[str, str]) -> dict[str, str]:
    """The document fields given as query parameters (with a text/plain or text/html body)."""
    meta = {k: params[k] for k in _DOC_KEYS if params.get(k)}
    if "published" in meta:
        try:
            parse_day(meta["published"], "published", allow_time=True)
        except ValueError as exc:
            raise _invalid(["query", "published"], str(exc), "use YYYY-MM-DD") from None
    return meta


def _json_body(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ApiError(400, Msg.E206.format(why=f"malformed JSON ({exc.msg}, line {exc.lineno})")) from None
    except RecursionError:
        raise ApiError(400, Msg.E206.format(why="JSON nested too deeply")) from None
    if isinstance(data, list):
        data = {"documents": data}
    if not isinstance(data, dict):
        raise ApiError(400, Msg.E206.format(why=type(data).__name__))
    return data


def _document_records(docs: Any, base: dict[str, Any]) -> list[dict]:
    if docs is None:
        return []
    if not isinstance(docs, list):
        raise _field_error(["documents"], "documents", "a list of objects", docs)
    out = []
    for i, d in enumerate(docs):
        if not isinstance(d, dict):
            raise _field_error(["documents", i], f"documents.{i}", "an object", d)
        texts = _body_text(d, ["documents", i])
        if not texts:
            raise _invalid(["body", "documents", i], Msg.E206.format(
                why=f"documents[{i}] has no 'text' or 'html' string"), "needs 'text' or 'html'")
        out.append({**base, **_doc_fields(d, ["documents", i]), **texts})
    return out


def _url_records(urls: Any, base: dict[str, Any], max_urls: int) -> list[dict]:
    if urls is None:
        return []
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise _field_error(["urls"], "urls", "a list of strings", urls)
    if len(urls) > max_urls:
        raise ApiError(400, Msg.E214.format(limit=max_urls, n=len(urls)))
    for u in urls:
        if not u.lower().startswith(("http://", "https://")):
            raise ApiError(400, Msg.E208.format(url=u, why="only http:// and https:// URLs are fetched"))
    return [{**base, "url": u, "fetch": True} for u in urls]


def parse_ingest_body(body: bytes, ctype: str, params: dict[str, str], max_urls: int = 50) -> list[dict]:
    """The POST /ingest body -> records ``{"text"|"html"|"fetch", ...}``.

    Raises ApiError: 400 for a body that cannot be read, 415 for another media type, 422 for a
    field of the wrong type or a bad date (``details`` names it)."""
    if not body.strip():
        raise ApiError(400, Msg.E206.format(why="an empty body"))
    try:
        raw = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(400, Msg.E206.format(why="a body that is not UTF-8")) from None
    meta = _query_meta(params)
    if ctype in ("text/plain", "text/markdown"):
        return [{**meta, "text": raw}]
    if ctype in ("text/html", "application/xhtml+xml"):
        return [{**meta, "html": raw}]
    if ctype not in ("application/json", "", "application/x-ndjson"):
        raise ApiError(415, Msg.E206.format(why=f"Content-Type {ctype}"))
    data = _json_body(raw)
    top = {**meta, **_doc_fields(data, [])}
    texts = _body_text(data, [])
    records = [{**top, k: v} for k, v in texts.items()]
    records += _document_records(data.get("documents"), meta)
    records += _url_records(data.get("urls"), meta, max_urls)
    if not records:
        raise ApiError(400, Msg.E206.format(why="no 'text', 'html', 'urls' or 'documents'"))
    return records


def make_document(rec: dict[str, Any]):
    """A record from :func:`parse_ingest_body` -> an unprocessed :class:`Document`."""
    from .document import Document
    is_html = "html" in rec
    text = rec["html"] if is_html else rec["text"]
    if not text.strip():
        raise ApiError(400, Msg.E206.format(why="an empty text"))
    try:
        published = parse_day(rec.get("published"), "published", allow_time=True)
    except ValueError as exc:
        raise _invalid(["body", "published"], str(exc), "use YYYY-MM-DD") from None
    doc_id = rec.get("id") or ("api:" + hashlib.sha256(
        (rec.get("url") or "").encode() + b"\0" + text.encode("utf-8")).hexdigest()[:16])
    return Document(id=str(doc_id), text=text, published=published, url=rec.get("url"),
                    title=rec.get("title"), outlet=rec.get("outlet"), language=rec.get("language"),
                    raw=text, meta={"format": "html" if is_html else "text", "via": "api"})


# -- fetching posted URLs, never from the server's own network ------------------------------------
class PrivateAddress(ValueError):
    """A URL that points at a loopback, private, link-local or otherwise internal address."""

    def __init__(self, url: str, address: str):
        super().__init__(Msg.E219.format(url=url, address=address))
        self.url = url
        self.address = address


def is_internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private (RFC 1918, ULA), link-local (the cloud metadata service), carrier-grade
    NAT, multicast, unspecified or reserved: anything that is not a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host name spells without DNS: "10.0.0.1", "::1", and the old IPv4 spellings
    that resolvers accept ("127.1", "2130706433", "0x7f000001")."""
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def check_url_address(url: str, allow_private: bool = False) -> None:
    """Refuse (PrivateAddress) a URL whose host is an internal address written out, or a
    ``localhost`` name; other names are checked when they are resolved (:func:`fetch_url`)."""
    if allow_private:
        return
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        raise ValueError("no host in the URL")
    if host == "localhost" or host.endswith(".localhost"):
        raise PrivateAddress(url, host)
    ip = _literal_address(host)
    if ip is not None and is_internal(ip):
        raise PrivateAddress(url, str(ip))


def _guarded_connect(url: str, allow_private: bool):
    """A ``socket.create_connection`` that resolves the host once, refuses it if any of its
    addresses is internal, and connects to the address it checked (so a second DNS answer cannot
    point elsewhere). Every redirect goes through it again."""
    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *args, **kw):
        host, port = address
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        if not allow_private:
            for *_, sockaddr in infos:
                ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
                if is_internal(ip):
                    raise PrivateAddress(url, str(ip))
        err: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                err = exc
                sock.close()
        raise err or OSError(f"no address for {host}")
    return create_connection


def _guarded_opener(url: str, allow_private: bool):
    import http.client
    import urllib.request
    connect = _guarded_connect(url, allow_private)

    class HTTPConnection(http.client.HTTPConnection):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self._create_connection = connect

    class HTTPSConnection(http.client.HTTPSConnection):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(HTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(HTTPSConnection, req, context=self._context)

    # no proxies from the environment: the address checked must be the address connected to
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), HTTPHandler, HTTPSHandler)


def fetch_url(url: str, timeout: float = 15.0, max_bytes: int = 10 * 1024 * 1024,
              allow_private: bool = False) -> tuple[str, str]:
    """GET one page (only when a client posts it to /ingest); returns (text, content type).

    Raises PrivateAddress for a URL (or a redirect) that leads to an internal address, unless
    ``allow_private``."""
    import urllib.request
    from .sources import LegacyEncoding, decode
    check_url_address(url, allow_private)
    req = urllib.request.Request(url, headers={"User-Agent": f"conflictatlas/{__version__}"})
    with _guarded_opener(url, allow_private).open(req, timeout=timeout) as resp:  # noqa: S310 - http(s) checked
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
