"""dates stage: explicit and relative dates, ACLED precision, background history (texts written here)."""
from datetime import date

import pytest

import conflictatlas
from conflictatlas.document import Document
from conflictatlas.stages.dates import event_date, find_anchor

PUB = date(2024, 3, 11)       # a Monday


@pytest.fixture(scope="module")
def nlp():
    return conflictatlas.load(stages=["clean", "sentences", "dates"])


def run(nlp, text, published=PUB):
    return nlp(Document(id="t", text=text, published=published))


def only(doc):
    spans = doc.layer("dates")
    assert len(spans) == 1, [s.text for s in spans]
    return spans[0].value


@pytest.mark.parametrize("text,first,end,precision", [
    ("Six were killed on Saturday.", "2024-03-09", "2024-03-09", 1),
    ("Troops returned fire on Monday night.", "2024-03-11", "2024-03-11", 1),     # the paper's own day
    ("Gunmen struck yesterday.", "2024-03-10", "2024-03-10", 1),
    ("Ten were killed in the past 24 hours.", "2024-03-10", "2024-03-11", 2),
    ("Talks opened last month.", "2024-02-01", "2024-02-29", 3),
    ("Raids went on last week.", "2024-03-04", "2024-03-10", 2),
    ("Raids went on earlier this month.", "2024-03-01", "2024-03-11", 3),
    ("Fighting raged between 3 and 5 March.", "2024-03-03", "2024-03-05", 2),
    ("Fighting raged on 3-5 March.", "2024-03-03", "2024-03-05", 2),
    ("It began in early March.", "2024-03-01", "2024-03-10", 2),
    ("It began in mid-February.", "2024-02-11", "2024-02-20", 2),
    ("It ended at the end of February.", "2024-02-23", "2024-02-29", 2),
    ("The attack took place on 10 March.", "2024-03-10", "2024-03-10", 1),
    ("The attack took place on March 10, 2024.", "2024-03-10", "2024-03-10", 1),
    ("Clashes erupted over the weekend.", "2024-03-09", "2024-03-10", 2),
    ("Between 1 and 7 March 2024 the army shelled the town.", "2024-03-01", "2024-03-07", 2),
])
def test_resolved(nlp, text, first, end, precision):
    v = only(run(nlp, text))
    assert (v["date"], v["end"], v["precision"]) == (first, end, precision)
    assert v["background"] is False


def test_weekday_on_the_anchor_day_and_last(nlp):
    assert only(run(nlp, "It happened on Monday."))["date"] == "2024-03-11"
    assert only(run(nlp, "It happened last Monday."))["date"] == "2024-03-04"


def test_year_never_far_in_the_future(nlp):
    v = only(run(nlp, "Gunmen attacked on 28 December.", date(2024, 1, 3)))
    assert v["date"] == "2023-12-28" and v["relative"] is True


@pytest.mark.parametrize("text", ["The group was defeated in 2017.", "It has fought the state since 2019.",
                                  "The town fell in January 2014."])
def test_background(nlp, text):
    assert only(run(nlp, text))["background"] is True


def test_acled_hedges(nlp):
    doc = run(nlp, "Around 26 June 2022 (as reported), gunmen killed a man.", None)
    assert event_date(doc)[:2] == ("2022-06-26", 2)
    doc = run(nlp, "Around 15 May 2022 (month of), a mob attacked a man.", None)
    assert event_date(doc)[:2] == ("2022-05-15", 3)
    doc = run(nlp, "Around 3 March 2022 (between 24 February - 10 March), militants raided farms.", None)
    assert event_date(doc)[:2] == ("2022-03-03", 3)
    assert len(doc.layer("dates")) == 1
    doc = run(nlp, "On 9 May 2022, protesters gathered.", None)
    assert event_date(doc)[:2] == ("2022-05-09", 1)


def test_anchor(nlp):
    doc = run(nlp, "On 2 May 2022 police came. By 9 May 2022 they had left. On Saturday it rained.", None)
    assert doc.meta["anchor_date"] == "2022-05-09"
    assert doc.meta["anchor_source"] == "text"
    # no date of the report's own: "on Saturday" counted from a date of the text would be a guess
    assert [s.value["date"] for s in doc.layer("dates")] == ["2022-05-02", "2022-05-09"]
    assert find_anchor("no dates here") is None
    doc = run(nlp, "It happened on Saturday.", None)
    assert "anchor_date" not in doc.meta and doc.layer("dates") == []


def test_event_date_picks_from_sentences(nlp):
    doc = run(nlp, "The operation began on 4 March. Four were killed and six on Saturday. "
                   "The group was beaten in 2017.")
    assert event_date(doc, [1])[:2] == ("2024-03-09", 1)
    assert event_date(doc, [0])[:2] == ("2024-03-04", 1)
    # only background in the sentence: fall back to the nearest dated sentence before it
    assert event_date(doc, [2])[:2] == ("2024-03-09", 1)
    # no date at all: the anchor, as a week
    doc = run(nlp, "Gunmen killed two farmers.")
    assert event_date(doc)[:2] == ("2024-03-11", 2)
    assert event_date(run(nlp, "Gunmen killed two farmers.", None)) == (None, None, None)


def test_range_event_day_is_the_middle(nlp):
    doc = run(nlp, "Clashes went on between 3 and 7 March.")
    day, prec, span = event_date(doc)
    assert (day, prec) == ("2024-03-05", 2) and span.text == "between 3 and 7 March"


def test_words_that_look_like_dates(nlp):
    doc = run(nlp, "Officials may 5 times refuse. The march was peaceful. Six killed and six more on trial.")
    assert doc.layer("dates") == []


def test_span_offsets(nlp):
    doc = run(nlp, "Clashes erupted. Police said on Saturday that two died.")
    s = doc.layer("dates")[0]
    assert doc.text[s.start:s.end] == s.text == "on Saturday" and s.sent == 1


@pytest.mark.parametrize("text,iso", [("Posted 26/03/2022.", "2022-03-26"), ("Posted 03/26/2022.", "2022-03-26"),
                                      ("Posted 05.04.2022.", "2022-04-05"), ("Posted 2022-04-05.", "2022-04-05")])
def test_numeric_dates(nlp, text, iso):
    assert only(run(nlp, text))["date"] == iso


def test_history_in_a_noun_phrase(nlp):
    v = only(run(nlp, "Hundreds were killed in the 2014 massacre."))
    assert v["year"] == 2014 and v["background"] is True


def test_a_statement_date_is_not_the_event_date_and_past_n_days_is_a_range():
    import conflictatlas
    from conflictatlas.stages.dates import event_date
    doc = conflictatlas.load(stages=["clean", "sentences", "dates"])(conflictatlas.Document(
        id="s", text="Troops killed 12 militants in the past two days, the army said in a statement on Wednesday.",
        published=__import__("datetime").date(2025, 2, 12)))
    d, prec, span = event_date(doc)
    assert span.text.endswith("past two days") and prec == 2
    assert "2025-02-10" <= d <= "2025-02-12"
