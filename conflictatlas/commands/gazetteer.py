"""`conflictatlas gazetteer add FILE...` and `conflictatlas gazetteer list`: the village tables,
shipped for 32 conflict countries, and a user's own for any country."""
from __future__ import annotations

import click

from ..cli import main
from ..errors import Errors


@main.group()
def gazetteer():
    """The village tables the places stage uses (shipped, and your own)."""


@gazetteer.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def add(files):
    """Add the populated places of GeoNames country dumps (IQ.zip, IQ.txt from
    download.geonames.org/export/dump/) or Who's On First extracts (places_iq.tsv.gz) to your
    village tables (~/.cache/conflictatlas/villages/), on top of the shipped ones."""
    from ..gazetteer.villages_build import add_files
    try:
        out = add_files(files)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(Errors.E041.format(files=", ".join(files), why=exc)) from exc
    if not out:
        raise click.ClickException(Errors.E042.format(files=", ".join(files)))
    for cc, s in out.items():
        click.echo(f"{cc}: {s['added']:,} places added, {s['total']:,} in {s['path']}")


@gazetteer.command("list")
def list_tables():
    """The countries with a village table, and where each is read from."""
    from ..gazetteer.villages import countries, table_path, user_dir
    for cc in countries():
        p = table_path(cc)
        click.echo(f"{cc}  {'yours  ' if p and p.parent == user_dir() else 'shipped'}  {p}")
