"""`conflictatlas places TEXT|FILE`: every place mention, the entry it resolved to, its precision
and the runner-up candidates, so an analyst can see why a point was chosen."""
from __future__ import annotations

import json
import os

import click

from ..cli import main


def _fmt_point(v: dict) -> str:
    return f"[{v['lat']:.4f}, {v['lon']:.4f}]" if v.get("lat") is not None else "[?]"


def _looks_like_a_path(arg: str) -> bool:
    """One word ending in a report suffix or starting like a path: a file meant, not a text."""
    from ..sources import ALL_SUFFIXES
    if any(c.isspace() for c in arg):
        return False
    return os.path.splitext(arg)[1].lower() in ALL_SUFFIXES or arg.startswith(("/", "./", "../", "~"))


@main.command()
@click.argument("text_or_file", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per place mention.")
@click.option("-n", "--candidates", default=3, show_default=True, help="Runner-up candidates to show.")
@click.option("--no-spacy", is_flag=True, help="Rule-based entities instead of spaCy's model.")
@click.option("--gazetteer", type=click.Path(dir_okay=False), help="A gazetteer file other than the default.")
@click.option("--rebuild", is_flag=True, help="Rebuild the gazetteer from the installed packages first.")
def places(text_or_file, as_json, candidates, no_spacy, gazetteer, rebuild):
    """Resolve the place names in TEXT_OR_FILE (a string, a file path, or '-' for stdin)."""
    import sys

    import conflictatlas
    from ..config import load_config
    from ..document import Document
    from ..gazetteer import default_path
    from ..stages.places import best_place

    if rebuild:
        from ..gazetteer.build import build
        target = gazetteer or str(default_path())
        click.echo(f"building the gazetteer into {target} ...", err=True)
        s = build(target)
        click.echo(f"{s['entries']} entries, {s['bytes'] / 1e6:.1f} MB, {s['seconds']} s", err=True)
        if not text_or_file:
            return
    if not text_or_file:
        raise click.UsageError("give a text, a file, or '-' for stdin")
    if text_or_file == "-":
        text = sys.stdin.read()
    elif _looks_like_a_path(text_or_file) and not os.path.exists(text_or_file):
        from ..errors import Errors
        raise click.ClickException(Errors.E016.format(path=text_or_file))
    elif os.path.isfile(text_or_file):
        try:
            with open(text_or_file, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{text_or_file}: cannot be read ({exc})")
    else:
        text = text_or_file
    overrides = {"entities": {"use_spacy": not no_spacy}}
    if gazetteer:
        overrides["places"] = {"gazetteer": gazetteer}
    config = load_config(overrides=overrides)
    try:
        pipe = conflictatlas.load(config, stages=["clean", "article", "sentences", "entities", "places"])
        doc = pipe(Document(id="text", text=text, raw=text, meta={"format": "text"}))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc))
    best = best_place(doc)
    spans = doc.layer("places")
    if as_json:
        for sp in spans:
            rec = {"text": sp.text, "start": sp.start, "end": sp.end, "sentence": sp.sent,
                   "event_location": sp is best}
            rec.update({k: v for k, v in sp.value.items() if k != "candidates"})
            rec["candidates"] = sp.value.get("candidates", [])[:candidates]
            click.echo(json.dumps(rec, ensure_ascii=False))
        return
    if not spans:
        click.echo("no place found")
        return
    for sp in spans:
        v = sp.value
        star = "*" if sp is best else " "
        where = ", ".join(x for x in (v.get("admin2"), v.get("admin1"), v.get("country")) if x)
        click.echo(f"{star} {sp.text!r} (sentence {sp.sent}, chars {sp.start}-{sp.end})")
        click.echo(f"    -> {v['name']} ({v['kind']}) {where} {_fmt_point(v)} "
                   f"geo_precision {v['geo_precision']}  score {v['score']}  source {v['source']}")
        click.echo(f"    why: {v['why']}")
        for c in v.get("candidates", [])[:candidates]:
            click.echo(f"    beat: {c['name']} ({c['kind']}) {c.get('admin1') or ''}, {c['country']} "
                       f"[{c['lat']:.3f}, {c['lon']:.3f}] score {c['score']}")
    click.echo("* = the event location (best_place)")
