"""`conflictatlas watch`: poll feeds, pages and folders on a schedule and ingest what is new."""
from __future__ import annotations

import logging
import signal
import sys

import click

from ..cli import main
from .db import DB_HELP, _open


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--feeds", "feeds_file", type=click.Path(exists=True, dir_okay=False),
              help="A file of sources, one feed URL, page URL or folder per line (# starts a comment).")
@click.option("--every", default="15m", show_default=True,
              help="How often each source is polled: 30s, 15m, 2h, 1d. A failing source backs off from this.")
@click.option("--db", help=DB_HELP)
@click.option("--published", help="Publication date (YYYY-MM-DD) for reports that carry none.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file of settings over the shipped defaults.")
@click.option("--once", is_flag=True, help="Poll every source once (those not backed off) and exit.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line after each round.")
def watch(sources, feeds_file, every, db, published, config_path, once, quiet):
    """Watch SOURCES (RSS/Atom feed URLs, page URLs, folders) and ingest what is new.

    Each source is polled every --every; what it has new (a feed entry, a file) is extracted
    and stored as `ingest` would. State (items seen, feed validators, failures) is kept in the
    database, so a restarted watch goes on where it stopped and two watch processes on one
    database never ingest one item twice. A source that is down or returns garbage is logged
    and backed off; the others go on. SIGTERM or Ctrl-C stops after the article being stored;
    the exit status is then 0.
    """
    import conflictatlas
    from ..errors import ConflictAtlasError
    from ..sources import parse_date
    from ..watch import Watcher, parse_every, read_feed_list
    try:
        seconds = parse_every(every)
        pub = parse_date(published, "--published")
        todo = list(sources) + (read_feed_list(feeds_file) if feeds_file else [])
        store = _open(db)
        watcher = Watcher(store, todo, every=seconds, published=pub,
                          pipeline=conflictatlas.load(config_path) if config_path else None)
    except (ValueError, ConflictAtlasError) as exc:
        raise click.ClickException(str(exc))
    _stop_on_signals(watcher)

    def report(rep) -> None:
        if not quiet and (rep.polled or rep.problems):
            click.echo(rep.summary(), err=True)

    try:
        if once:
            report(watcher.poll_once(force=True))
        else:
            if not quiet:
                click.echo(f"watching {len(watcher.sources)} sources every {every} into {store.path}; "
                           "Ctrl-C or SIGTERM stops", err=True)
            watcher.run(on_round=report)
    finally:
        store.close()
    if watcher.stopping and not quiet:
        click.echo("stopped: every article stored so far is kept", err=True)


def _stop_on_signals(watcher) -> None:
    """SIGTERM and SIGINT ask the watcher to stop (after the article being stored): exit 0."""
    def handler(signum, frame):
        logging.getLogger("conflictatlas").info("signal %s: stopping after the current article", signum)
        watcher.stop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)
    if hasattr(signal, "SIGHUP") and sys.platform != "win32":
        signal.signal(signal.SIGHUP, handler)
