"""The event filters, with one name each everywhere.

The CLI (``conflictatlas events --from 2022-01-01``), the HTTP API (``/events?from=2022-01-01``)
and the docs use the names below. ``keyword`` is the argument of
:meth:`conflictatlas.store.Store.query_events` that the filter fills. ``old`` lists earlier API
names that still work (``date_from``, ``date_to``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import Errors


@dataclass(frozen=True)
class Filter:
    name: str                 # the query parameter, and the CLI option without its dashes
    keyword: str              # the Store keyword it fills
    help: str
    old: tuple[str, ...] = ()
    is_date: bool = False


FILTERS = (
    Filter("country", "country", "Country name, e.g. Iraq."),
    Filter("admin1", "admin1", "First-level region (province, governorate, state)."),
    Filter("type", "event_type", "ACLED event type or sub-event type, e.g. Battles."),
    Filter("actor", "actor", "Actor name, or part of it (actor1, actor2 or associated)."),
    Filter("from", "date_from", "Events on or after this date (YYYY-MM-DD).", old=("date_from",), is_date=True),
    Filter("to", "date_to", "Events on or before this date (YYYY-MM-DD).", old=("date_to",), is_date=True),
    Filter("text", "text", "Words that must appear in the event's notes, place or actors."),
)

#: every name a filter answers to, new and old
FILTER_NAMES = tuple(n for f in FILTERS for n in (f.name, *f.old))

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_day(value: object, what: str, allow_time: bool = False) -> date | None:
    """``YYYY-MM-DD`` (and nothing else: not ``20220101``, not ``2022-W01``) -> a date.

    ``allow_time`` also takes an ISO date-time ("2022-03-07T10:30:00Z") and keeps its day.
    Empty or None -> None. Raises ValueError with :data:`Errors.E020` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        s = value.strip()
        m = (_DAY_TIME if allow_time else _DAY).fullmatch(s)
        if m:
            try:
                return date.fromisoformat(s[:10])
            except ValueError:
                pass
    raise ValueError(Errors.E020.format(value=value, what=what))
