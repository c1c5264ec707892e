"""`conflictatlas extract`: reports in, ACLED-shaped events out (JSONL or a table)."""
from __future__ import annotations

import json
import sys

import click

from ..cli import main


def _when(e: dict) -> str:
    """'2024-03-09 (the day)': the date and, in words, how precise it is (ACLED's time_precision)."""
    from ..output import PRECISION_WORDS
    if not e.get("event_date"):
        return "date unknown (the report gives no date: pass --published YYYY-MM-DD or a 'published' field)"
    prec = PRECISION_WORDS.get(e.get("time_precision"))
    return e["event_date"] + (f" ({prec})" if prec else "")


def _said_by(who: str | None) -> str:
    """'The group' read from a sentence's start -> 'the group' (a name keeps its capitals)."""
    if not who:
        return "no one named"
    first, _, rest = who.partition(" ")
    if first in ("The", "A", "An") and rest[:1].islower():
        return first.lower() + " " + rest
    return who


def _figure(c: dict) -> str:
    low, high = c.get("low"), c.get("high")
    if isinstance(low, int) and isinstance(high, int) and low != high:
        return f"{low:,}-{high:,}"
    v = c.get("value")
    return f"{v:,}" if isinstance(v, int) else str(v if v is not None else "?")


def _claim_line(c: dict) -> str:
    """'claim: 4 killed ("four soldiers died"), according to the group'."""
    kind = c.get("kind")
    what = _figure(c) + (f" {kind}" if kind and kind != "other" else "")
    told = f' ("{c["text"]}")' if c.get("text") else ""
    return f"   claim: {what}{told}, according to {_said_by(c.get('said_by'))}"


def _table_lines(rec: dict) -> list[str]:
    from ..output import shorten
    lines = [f"== {rec['id']}" + (f"  (published {rec['published']})" if rec.get("published") else "")]
    if not rec["events"]:
        lines.append("   no event found")
    for i, e in enumerate(rec["events"], 1):
        where = ", ".join(x for x in (e.get("location"), e.get("admin1"), e.get("country")) if x) or "?"
        lines.append(f"   {i}. {_when(e)}  {e.get('event_type')} / {e.get('sub_event_type')}")
        lines.append(f"      where: {where}  [{e.get('latitude')}, {e.get('longitude')}] geo_precision {e.get('geo_precision')}")
        lines.append(f"      who:   {e.get('actor1') or '-'} ({e.get('inter1') or '-'})  vs  {e.get('actor2') or '-'} ({e.get('inter2') or '-'})")
        lines.append(f"      fatalities: {e.get('fatalities')}" + (f"   said by: {e['extra']['said_by']}" if e.get("extra", {}).get("said_by") else ""))
        ev = e.get("evidence", {}).get("fatalities") or e.get("evidence", {}).get("event_type")
        if ev:
            lines.append(f"      evidence: \"{shorten(ev[0]['sentence'], 160)}\"")
    for b in rec.get("background_events", []):
        lines.append(f"   (background, not coded: {b.get('event_date')} {b.get('event_type')}: {shorten(b.get('notes'), 80)})")
    for p in rec.get("speakers", []):
        lines.append(f"   (speaker: {p['name']}, {p['role']}" + (f"; speaks for {p['actor']}" if p.get("actor") else "") + ")")
    for c in rec.get("claims", []):
        lines.append(_claim_line(c))
    return lines


def _extract_scaled(inputs, output, workers, ray_address, published, config_path, overrides, evidence, max_mb,
                    max_report_mb):
    from ..scale import extract_scaled

    def show(p):
        click.echo(f"{'warning' if p.get('severity') == 'warning' else 'error'}: {p['message']}", err=True)

    try:
        rep = extract_scaled(inputs, output, workers=workers, backend="ray" if ray_address else "process",
                             address=None if ray_address in (None, "local") else ray_address,
                             published=published, config_path=config_path, overrides=overrides,
                             evidence=evidence, max_mb=max_mb, max_report_mb=max_report_mb,
                             on_problem=show)
    except RuntimeError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{rep.documents} reports, {rep.events} events ({rep.shards} shards, {rep.workers} "
               f"{'worker' if rep.workers == 1 else 'workers'})"
               + (f", {rep.failed} inputs failed" if rep.failed else ""), err=True)
    if rep.failed:
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write JSONL here (one line per report: {\"id\", \"events\": [...]}). Default: stdout.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default=None,
              help="jsonl (the default with -o) or a readable table (the default on a terminal).")
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file of settings over the shipped defaults.")
@click.option("--no-evidence", is_flag=True, help="Only ACLED fields, no evidence or claims.")
@click.option("--spacy/--no-spacy", "use_spacy", default=None,
              help="Use spaCy's NER model for entities (the `ner` extra), or the rule-based default.")
@click.option("--max-mb", type=float, default=None, help="Skip input files larger than this (default 20).")
@click.option("--max-report-mb", type=float, default=None,
              help="Skip a report (a file, a JSONL line, a feed entry) larger than this, naming it (default 2).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--workers", type=click.IntRange(1, 512), default=1,
              help="Worker processes (with -o): shards of the inputs run in parallel, output in input order.")
@click.option("--ray", "ray_address", default=None, is_flag=False, flag_value="local",
              help="Run the shards on Ray (the `scale` extra): --ray for a local cluster, --ray ADDRESS for a running one.")
def extract(inputs, output, fmt, published, config_path, no_evidence, use_spacy, max_mb, max_report_mb, quiet, workers,
            ray_address):
    """Extract events from INPUTS (.txt, .html, .jsonl, RSS/Atom feeds, or folders of them).

    Bad inputs (empty, binary, not UTF-8, too large, a malformed JSONL line) are reported on
    stderr with the file (and line) and skipped; the exit status is 1 when any input failed.
    """
    import conflictatlas
    from ..config import load_config
    from ..output import scorer_record
    from ..errors import Errors
    from ..sources import Problem, parse_date
    from ..stages.article import date_notice, language_notice

    try:
        pub = parse_date(published, "--published")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published")
    overrides = {"entities": {"use_spacy": use_spacy}} if use_spacy is not None else None
    config = load_config(config_path, overrides)
    if workers > 1 or ray_address:
        if not output or fmt == "table":
            raise click.UsageError("--workers and --ray write JSONL: give -o OUT.jsonl.")
        _extract_scaled(inputs, output, workers, ray_address, published, config_path, overrides,
                        not no_evidence, max_mb if max_mb is not None else float(config.get("input", "max_mb", 20)),
                        max_report_mb if max_report_mb is not None else float(config.get("input", "max_report_mb", 2)))
        return
    pipeline = conflictatlas.load(config)
    fmt = fmt or ("jsonl" if output or not sys.stdout.isatty() else "table")
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(unit=" reports", file=sys.stderr)
    failed = n_docs = n_events = n_no_date = 0
    try:
        for item in conflictatlas.extract_sources(inputs, published=pub, pipeline=pipeline, max_mb=max_mb,
                                                   max_report_mb=max_report_mb):
            if isinstance(item, Problem):
                if item.severity == "warning":
                    click.echo(f"warning: {item.message}", err=True)
                    continue
                failed += 1
                click.echo(f"error: {item.message}", err=True)
                continue
            n_docs += 1
            notice = date_notice(item)
            if notice and notice[1]:
                click.echo(f"warning: {notice[1]}", err=True)
            foreign = language_notice(item)
            if foreign:
                click.echo(f"warning: {foreign}", err=True)
            n_no_date += bool(notice and notice[0] == "no-date")
            rec = scorer_record(item, evidence=not no_evidence)
            n_events += len(rec["events"])
            if fmt == "jsonl":
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                out.write("\n".join(_table_lines(rec)) + "\n")
            if bar is not None:          # a tqdm bar with no total is falsy-ambiguous: never `if bar`
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        if output:
            out.close()
    if n_no_date:
        click.echo(f"note: {Errors.W012.format(n=n_no_date)}", err=True)
    click.echo(f"{n_docs} reports, {n_events} events" + (f", {failed} inputs failed" if failed else ""), err=True)
    if failed:
        sys.exit(1)
