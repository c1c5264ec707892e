"""A date-first dateline ("March 24, 2022 (KHARTOUM) -") is the report's dateline: its date is the
report's day, not an event's, and the weekday of the lead counts back from it."""
import conflictatlas
from conflictatlas.stages.article import find_dateline


def test_date_first_dateline_is_found():
    text = "Protester killed in Omdurman\n\nMarch 24, 2022 (KHARTOUM) – Security forces opened fire on a march."
    got = find_dateline(text)
    assert got is not None and got["place"] == "Khartoum" and got["date_text"] == "March 24, 2022"


def test_date_first_dateline_date_is_no_event_date():
    doc = conflictatlas.extract(
        "Protester killed in Omdurman\n\n"
        "March 24, 2022 (KHARTOUM) – Security forces opened fire on a march in Omdurman on Tuesday, "
        "killing one demonstrator.\n\nThe young man was shot near the home of a former prime minister.")
    assert doc.events and doc.events[0].event_date == "2022-03-22"
