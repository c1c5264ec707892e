"""`conflictatlas ingest`, `conflictatlas events [show ID]`, `conflictatlas export`: the event database."""
from __future__ import annotations

import json
import sys

import click

from ..cli import main

DB_HELP = ("The event database: a SQLite file or a postgresql://user@host/dbname URL "
           "(default $CONFLICTATLAS_DB or ~/.local/share/conflictatlas/events.db).")


def _open(db, read_only: bool = False):
    """The store; a read command on a database that does not exist says so instead of making one."""
    from pathlib import Path
    from ..errors import ConflictAtlasError, Errors
    from ..store import Store, default_db
    target = db or default_db()
    if read_only and target != ":memory:" and "://" not in target and not Path(target).expanduser().exists():
        raise click.ClickException(Errors.E054.format(db=target))
    try:
        return Store(db)
    except ConflictAtlasError as exc:
        raise click.ClickException(str(exc))


def filter_options(fn):
    """The filters shared by `events` and `export`: the names of ``conflictatlas.filters.FILTERS``,
    the same as the API's query parameters."""
    from ..filters import FILTERS
    for f in reversed(FILTERS):
        fn = click.option(f"--{f.name}", f.keyword, help=f.help)(fn)
    return fn


def _filters(kw) -> dict:
    from ..filters import FILTERS, parse_day
    out = {}
    for f in FILTERS:
        value = kw.get(f.keyword)
        if not value:
            continue
        if f.is_date:
            try:
                value = parse_day(value, f"--{f.name}")
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=f"--{f.name}")
        out[f.keyword] = value
    return out


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file of settings over the shipped defaults.")
@click.option("--max-mb", type=float, default=20.0, show_default=True, help="Skip input files larger than this.")
@click.option("--max-report-mb", type=float, default=2.0, show_default=True,
              help="Skip a report (a file, a JSONL line, a feed entry) larger than this, naming it; the rest is read.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--workers", type=click.IntRange(1, 512), default=1,
              help="Extraction in this many worker processes (writes stay in this one, in input order).")
@click.option("--ray", "ray_address", default=None, is_flag=False, flag_value="local",
              help="Extraction on Ray (the `scale` extra): --ray for a local cluster (of --workers CPUs, default all), "
                   "--ray ADDRESS for a running one.")
def ingest(inputs, db, published, config_path, max_mb, max_report_mb, quiet, workers, ray_address):
    """Extract events from INPUTS (files, folders, JSONL, RSS/Atom feed files or feed URLs)
    into the event database, merging reports of the same event.

    Ingest is idempotent (an article already stored, by URL, text or near-duplicate text,
    adds nothing) and transactional per article: a run stopped midway can simply be run
    again. With --workers N or --ray the extraction runs in parallel and the database ends
    exactly as with one process. The exit status is 1 when some inputs could not be read.
    """
    import conflictatlas
    from ..errors import ConflictAtlasError
    from ..sources import parse_date
    try:
        pub = parse_date(published, "--published")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published")
    store = _open(db)
    fetched = []
    paths = []
    for x in inputs:
        if x.startswith(("http://", "https://")):
            fetched.append(_fetch_feed(x))
            paths.append(fetched[-1])
        else:
            paths.append(x)
    pipeline = None
    if config_path and workers == 1 and not ray_address:
        pipeline = conflictatlas.load(config_path)
    try:
        if workers > 1 or ray_address:
            rep = _ingest_scaled(store, paths, workers, ray_address, published, config_path, max_mb, max_report_mb)
        else:
            rep = store.ingest_paths(paths, pipeline=pipeline, progress=not quiet, published=pub, max_mb=max_mb,
                                     max_report_mb=max_report_mb)
    except (ConflictAtlasError, RuntimeError) as exc:
        raise click.ClickException(str(exc))
    except KeyboardInterrupt:
        click.echo("Interrupted: every article stored so far is kept; run the same command again to go on.", err=True)
        sys.exit(130)
    finally:
        import os
        store.close()                        # checkpoints: the .db file alone holds everything
        for f in fetched:
            os.unlink(f)
    for p in rep.problems:
        click.echo(f"{'warning' if p.severity == 'warning' else 'error'}: {p.message}", err=True)
    if not quiet:
        click.echo(rep.summary() + f"\ndatabase: {store.path}", err=True)
    if not rep.ok:
        sys.exit(1)


def _ingest_scaled(store, paths, workers, ray_address, published, config_path, max_mb, max_report_mb):
    """Extraction in worker processes or on Ray, writes here (conflictatlas.scale.ingest_scaled)."""
    from ..scale import ingest_scaled
    from ..scale import usable_cores
    return ingest_scaled(store, paths, workers=workers if workers > 1 or not ray_address else usable_cores(),
                         backend="ray" if ray_address else "process",
                         address=None if ray_address in (None, "local") else ray_address,
                         published=published, config_path=config_path, max_mb=max_mb, max_report_mb=max_report_mb)


def _fetch_feed(url: str) -> str:
    """A feed URL the user named: fetched once into a temporary file (the only network use)."""
    import tempfile
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:   # noqa: S310 (user-given URL)
            data = resp.read()
    except OSError as exc:
        from ..errors import Errors
        raise click.ClickException(Errors.E021.format(url=url, why=exc))
    f = tempfile.NamedTemporaryFile(delete=False, suffix=".xml")
    f.write(data)
    f.close()
    return f.name


@main.group(invoke_without_command=True)
@click.option("--db", help=DB_HELP)
@filter_options
@click.option("--limit", type=int, default=50, show_default=True, help="How many events to list.")
@click.option("--offset", type=int, default=0, help="Skip this many first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@click.pass_context
def events(ctx, db, limit, offset, as_json, **kw):
    """List events in the database, newest first, with filters; `events show ID` explains one."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is not None:
        return
    store = _open(db, read_only=True)
    filters = _filters(kw)
    rows = store.query_events(limit=limit, offset=offset, **filters)
    total = store.count_events(**filters)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    for r in rows:
        where = ", ".join(x for x in (r["location"], r["admin1"], r["country"]) if x) or "?"
        who = " vs ".join(x for x in (r["actor1"], r["actor2"]) if x) or "-"
        click.echo(f"{r['id']}  {r['event_date'] or '?':10}  {r['event_type'] or '?'} / {r['sub_event_type'] or '?'}"
                   f"  {where}  fatalities {r['fatalities'] if r['fatalities'] is not None else '?'}"
                   f"  sources {r['n_sources']}  [{who}]")
    click.echo(f"{len(rows)} of {total} events shown" + (f" (from {offset})" if offset else ""), err=True)


@events.command("info")
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
@click.pass_context
def info(ctx, db, as_json):
    """What the database is: backend (SQLite or PostgreSQL), where, schema version, full-text
    search, spatial columns (PostGIS or plain), rows per table."""
    store = _open(db or (ctx.obj or {}).get("db"), read_only=True)
    try:
        d = store.info()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(d))
        return
    for k, v in d.items():
        click.echo(f"{k:15} {', '.join(f'{t} {n}' for t, n in v.items()) if isinstance(v, dict) else v}")


@events.command("show")
@click.argument("event_id")
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="The whole record as JSON.")
@click.pass_context
def show(ctx, event_id, db, as_json):
    """Show one event: its fields, sources, the sentences, claims, why reports were merged, history."""
    from ..errors import Errors
    store = _open(db or (ctx.obj or {}).get("db"), read_only=True)
    e = store.get_event(event_id)
    if e is None:
        raise click.ClickException(Errors.E051.format(id=event_id))
    if as_json:
        click.echo(json.dumps(e, ensure_ascii=False, indent=2, default=str))
        return
    for line in format_event(e):
        click.echo(line)


def format_event(e: dict) -> list[str]:
    """A readable account of one event (used by `events show`)."""
    from ..output import PRECISION_WORDS, shorten
    prec = PRECISION_WORDS.get(e["time_precision"])
    L = [f"{e['id']}  {e['event_date'] or '?'}" + (f" ({prec})" if prec else "") + f"  {e['event_type']} / {e['sub_event_type']}"]
    if e.get("aliases"):
        L.append(f"  also known as: {', '.join(e['aliases'])}")
    L.append(f"  where: {', '.join(x for x in (e['location'], e['admin2'], e['admin1'], e['country']) if x)}"
             f"  [{e['latitude']}, {e['longitude']}] geo_precision {e['geo_precision']}")
    L.append(f"  who:   {e['actor1'] or '-'} ({e['inter1'] or '-'})  vs  {e['actor2'] or '-'} ({e['inter2'] or '-'})")
    L.append(f"  fatalities: {e['fatalities']}   confidence {e['confidence']}")
    L.append(f"  notes: {e['notes']}")
    L.append("Why: " + "; ".join(e.get("explanation") or []))
    L.append(f"Sources ({len(e['sources'])}):")
    for i, s in enumerate(e["sources"], 1):
        L.append(f"  {i}. {s.get('source') or s['article_id']}  published {s['published'] or '?'}  {s['url'] or ''}"
                 + (f"  \"{shorten(s['title'], 80)}\"" if s.get("title") else ""))
        if s.get("sentence"):
            L.append(f"     \"{shorten(s['sentence'], 300)}\"")
        L.append(f"     merged: {s['merge_reason']}")
    claims = e.get("claims") or []
    if claims:
        L.append("Claims:")
        for c in claims:
            mark = "*" if c["chosen"] else " "
            flags = ", ".join(x for x, on in (("revision", c["revision"]), ("not credible", not c["credible"])) if on)
            L.append(f"  {mark} {c['field']} = {c['value']}  said by {c['said_by'] or 'unattributed'}"
                     f" ({c['published'] or '?'}){'  [' + flags + ']' if flags else ''}")
            if c.get("sentence"):
                L.append(f"      \"{shorten(c['sentence'], 200)}\"")
    hist = e.get("history") or []
    if hist:
        L.append("History:")
        for h in hist:
            d = h["detail"] or {}
            what = (f"{d.get('field')}: {d.get('old')} -> {d.get('new')}" if h["action"] == "revised"
                    else d.get("why") or d.get("from") or "")
            L.append(f"  {h['at']}  {h['action']}  {what}  (article {h['article_id']})")
    return L


@main.command("export")
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "geojson", "jsonl", "parquet"]),
              default="acled-csv", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@filter_options
def export_cmd(db, fmt, output, **kw):
    """Export events: ACLED CSV (ACLED's columns in ACLED's order), GeoJSON, JSONL or Parquet."""
    from ..errors import ConflictAtlasError
    from ..export import export_events
    store = _open(db, read_only=True)
    filters = _filters(kw)
    try:
        if output:
            with open(output, "wb") as f:
                n = export_events(store, fmt, f, **filters)
        else:
            if fmt == "parquet":
                raise click.UsageError("Parquet is binary: give a file with -o FILE.")
            n = export_events(store, fmt, sys.stdout.buffer, **filters)
            sys.stdout.buffer.flush()
    except ConflictAtlasError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{n} events written" + (f" to {output}" if output else ""), err=True)
