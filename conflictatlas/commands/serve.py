"""`conflictatlas serve`: the HTTP API and the map-and-timeline page over the event database."""
from __future__ import annotations

import click

from ..cli import main


@main.command()
@click.option("--db", envvar="CONFLICTATLAS_DB",
              help="The event database: a SQLite file or a postgresql:// URL (default $CONFLICTATLAS_DB or "
                   "~/.local/share/conflictatlas/events.db).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface: set --token then).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--token", envvar="CONFLICTATLAS_TOKEN",
              help="Secret for POST /ingest (and for reads with --protect-reads); also "
                   "$CONFLICTATLAS_TOKEN. Without one, ingesting over HTTP is off.")
@click.option("--protect-reads", is_flag=True,
              help="Read endpoints need the token too (the page asks for it).")
@click.option("--max-body-mb", default=20.0, show_default=True, type=float,
              help="Largest POST /ingest body.")
@click.option("--fetch-timeout", default=15.0, show_default=True, type=float,
              help="Seconds to wait for each URL posted to /ingest.")
@click.option("--allow-private-urls", is_flag=True, envvar="CONFLICTATLAS_ALLOW_PRIVATE_URLS",
              help="Let POST /ingest fetch URLs on loopback, private and link-local addresses "
                   "(refused by default, so that a client cannot make the server read its own network).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--create", is_flag=True,
              help="Create the database when it does not exist (to fill it over POST /ingest).")
def serve(db, host, port, token, protect_reads, max_body_mb, fetch_timeout, allow_private_urls, log_level, create):
    """Serve the HTTP API and the map-and-timeline page.

    Open http://HOST:PORT/ for the map; the API's OpenAPI document is at /openapi.json.
    """
    from ..errors import ConflictAtlasError, Errors
    try:
        import uvicorn
        from ..api import create_app
    except ImportError:
        raise click.ClickException(Errors.E031.format(package="fastapi and uvicorn",
                                                      feature="`conflictatlas serve`", extra="server"))
    if protect_reads and not token:
        raise click.BadParameter("--protect-reads needs a token: pass --token or set CONFLICTATLAS_TOKEN.",
                                 param_hint="--protect-reads")
    from ..store import Store, default_db
    path = db or default_db()
    if not create and not _exists(path):
        raise click.ClickException(Errors.E056.format(db=path))
    try:
        Store(path).close()                 # fail here, with a clear message, not on the first request
        app = create_app(path, token=token, protect_reads=protect_reads, max_body_mb=max_body_mb,
                         fetch_timeout=fetch_timeout, allow_private_urls=allow_private_urls)
    except ConflictAtlasError as exc:
        raise click.ClickException(str(exc))
    sock = _listen(host, port)              # a busy port fails here, before we say we are serving
    port = sock.getsockname()[1]
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    click.echo(f"conflictatlas: serving {path} at http://{shown}:{port}/ "
               f"(API: /openapi.json; ingest {'on' if token else 'off: no --token'})", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level))
    server.run(sockets=[sock])


def _exists(path: str) -> bool:
    from pathlib import Path
    return path == ":memory:" or "://" in path or Path(path).expanduser().exists()


def _listen(host: str, port: int):
    """A socket bound to HOST:PORT, or a clear message (a port in use, an unknown address)."""
    import socket
    from ..errors import Errors
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
    except OSError as exc:
        raise click.ClickException(Errors.E055.format(host=host, port=port, why=exc.strerror or exc))
    sock.set_inheritable(True)
    return sock
