"""The command line: a thin layer over the library (``conflictatlas --help``).

Each command lives in ``conflictatlas/commands/<area>.py`` and registers itself on :data:`main`;
library errors become clean one-line messages here at the edge.
"""
from __future__ import annotations

import logging
import sys

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="conflictatlas")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """conflictatlas: conflict event data from news reports, offline."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(message)s", stream=sys.stderr)


# command modules register themselves on `main`
from .commands import extract as _extract  # noqa: E402,F401
from .commands import places as _places  # noqa: E402,F401
from .commands import db as _db  # noqa: E402,F401
from .commands import serve as _serve  # noqa: E402,F401
from .commands import gazetteer as _gazetteer  # noqa: E402,F401
from .commands import watch as _watch  # noqa: E402,F401
