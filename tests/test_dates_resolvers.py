"""dates: one case per resolver of dates._resolve (one function per kind of date match), so that
each kind keeps its reading. Texts written here; the report is dated Monday 11 March 2024."""
from datetime import date

import pytest

import conflictatlas
from conflictatlas.document import Document
from conflictatlas.stages import dates

PUB = date(2024, 3, 11)


@pytest.fixture(scope="module")
def nlp():
    return conflictatlas.load(stages=["clean", "sentences", "dates"])


@pytest.mark.parametrize("text,told,first,end,precision", [
    ("Gunmen struck on 2024-03-02.", "2024-03-02", "2024-03-02", "2024-03-02", 1),              # iso
    ("Gunmen struck on New Year's Eve.", "New Year's Eve", "2023-12-31", "2023-12-31", 1),      # new_year
    ("Gunmen struck on 05/03/2024.", "05/03/2024", "2024-03-05", "2024-03-05", 1),              # numeric
    ("Fighting raged on March 3-5.", "March 3-5", "2024-03-03", "2024-03-05", 2),               # range_md
    ("It began in late February.", "late February", "2024-02-21", "2024-02-29", 2),            # part_month
    ("Gunmen struck in May 2023.", "in May 2023", "2023-05-01", "2023-05-31", 3),               # month
    ("Violence rose in the 1990s.", "1990s", "1990-01-01", "1999-12-31", 3),                    # year
    ("Gunmen struck in the past few days.", "in the past few days", "2024-03-08", "2024-03-11", 2),  # hours
    ("Gunmen struck three days ago.", "three days ago", "2024-03-08", "2024-03-08", 1),         # ago
    ("Gunmen struck two weeks ago.", "two weeks ago", "2024-02-23", "2024-02-29", 2),
    ("Gunmen struck two months ago.", "two months ago", "2024-01-01", "2024-01-31", 3),
    ("Gunmen struck since Friday.", "since Friday", "2024-03-08", "2024-03-08", 1),             # weekday
    ("Gunmen struck the day before yesterday.", "the day before yesterday", "2024-03-09", "2024-03-09", 1),
    ("Violence rose this year.", "this year", "2024-01-01", "2024-03-11", 3),                   # rel_span
])
def test_each_kind_resolves(nlp, text, told, first, end, precision):
    spans = nlp(Document(id="t", text=text, published=PUB)).layer("dates")
    assert [(s.text, s.value["date"], s.value["end"], s.value["precision"]) for s in spans] == \
        [(told, first, end, precision)]


def test_relative_kinds_need_a_report_date():
    m = next(rx for kind, rx in dates._PATTERNS if kind == "ago").search("three days ago")
    assert dates._resolve("ago", m, "three days ago", None, 2024) is None
    assert dates._resolve("ago", m, "three days ago", PUB, 2024)["date"] == "2024-03-08"
    assert dates._resolve("no such kind", m, "three days ago", PUB, 2024) is None
