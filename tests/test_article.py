"""The article stage: the report's own date and where it came from, the numeric date order, the
dateline (never the event's place or date) and the outlet; what the CLI says when no date is known."""
import json
import subprocess
import sys
from datetime import date

import pytest

import conflictatlas
from conflictatlas.document import Document
from conflictatlas.pipeline import Pipeline
from conflictatlas.stages.article import date_notice, document_date_order, find_dateline
from conflictatlas.stages.dates import _find

BODY = "Gunmen killed five soldiers at a checkpoint in Kirkuk on Monday, officials said."


@pytest.fixture(scope="module")
def head():
    return Pipeline.from_names(["clean", "article"])


def read(head, text, **kw):
    return head(Document(id="t", text=text, raw=text, meta={"format": kw.pop("format", "text")}, **kw))


def test_html_metadata_gives_the_date_and_the_outlet():
    page = ('<html><head><meta property="article:published_time" content="2024-04-17T10:00:00Z">'
            '<meta property="og:site_name" content="The Daily Example"><title>Five soldiers killed</title>'
            '</head><body><article><h1>Five soldiers killed</h1><p>' + BODY + ' The attack came at night '
            'near the main road, and the wounded were taken to hospital in the city.</p></article></body></html>')
    doc = conflictatlas.extract(page, format="html")
    assert doc.published == date(2024, 4, 17) and doc.meta["published_source"] == "html-meta"
    assert doc.outlet == "The Daily Example"
    ev = doc.events[0]
    assert ev.event_date == "2024-04-15"                     # Monday before Wednesday 17 April
    assert "page's metadata" in ev.extra["date_why"]


@pytest.mark.parametrize("line, want", [
    ("Wed. Apr 17th, 2024", date(2024, 4, 17)),
    ("17-10-2024", date(2024, 10, 17)),
    ("Ekleme: 05.04.2022 14:10", date(2022, 4, 5)),
    ("Published: 30 Apr 2024 12:58 PM BST | Updated: 1 May 2024 08:00 AM", date(2024, 4, 30)),
    ("[25/05/2024 09:18]", date(2024, 5, 25)),
    ("By Jane Roe | March 3, 2023", date(2023, 3, 3)),
    ("Posted on March 3, 2024 by Jane Roe", date(2024, 3, 3)),
    ("Published: Apr. 23, 2022 at 1:08 PM EDT|Updated: 6 hours ago", date(2022, 4, 23)),
])
def test_a_header_line_gives_the_date_and_is_blanked(head, line, want):
    doc = read(head, f"Five soldiers killed in Kirkuk\n\n{line}\n\n{BODY}")
    assert doc.published == want and doc.meta["published_source"] == "header"
    assert line not in doc.text and len(doc.text) == len(f"Five soldiers killed in Kirkuk\n\n{line}\n\n{BODY}")


def test_the_sites_date_of_today_is_not_the_articles(head):
    doc = read(head, f"NEWS.COM\n\nToday's Paper | December 22, 2024\n\nUpdated 19 May, 2022 09:21am\n\n{BODY}")
    assert doc.published == date(2022, 5, 19)
    assert "December 22" not in doc.text                    # furniture: never an event's date


@pytest.mark.parametrize("text", [
    "Protesters gathered outside the ministry on March 3, 2023 to demand the release of detainees.",
    "Gunmen kill five in Kano, 3 March 2024\n\nGunmen killed five traders at a market in Kano.",
    "Attack on 3 March 2024\n\nGunmen killed five traders at a market in Kano.",
])
def test_a_sentence_or_headline_with_a_date_is_not_a_header_line(head, text):
    doc = read(head, text)
    assert doc.published is None and doc.meta["published_source"] is None
    assert "2023" in doc.text or "2024" in doc.text           # not blanked: it may date the event


def test_a_date_prefix(head):
    doc = read(head, "date 2024-03-12 " + BODY)
    assert doc.published == date(2024, 3, 12) and doc.meta["published_source"] == "prefix"
    assert doc.text.lstrip().startswith("Gunmen")


def test_numeric_order_comes_from_the_document_then_the_source_country():
    assert document_date_order("from 12/2/1975 to 12/14/1975", [])[0] == "mdy"
    assert document_date_order("from 2/12/1975 to 14/12/1975", [])[0] == "dmy"
    assert document_date_order("on 12/2/1975", ["United States"])[0] == "mdy"
    assert document_date_order("on 12/2/1975", [])[0] == "dmy"
    doc = conflictatlas.extract("Protesters marched in Manila on 12/2/2023 and again on 12/14/2023, police said.")
    assert doc.meta["date_order"] == "mdy"
    assert [s.value["date"] for s in doc.layer("dates")] == ["2023-12-02", "2023-12-14"]
    doc = conflictatlas.extract("Protesters marched in Manila on 12/2/2023, police said.",
                                url="https://news.example.ph/story")
    assert doc.meta["date_order"] == "mdy" and doc.layer("dates")[0].value["date"] == "2023-12-02"
    doc = conflictatlas.extract("Protesters marched in Lagos on 12/2/2023, police said.")
    assert doc.meta["date_order"] == "dmy" and doc.layer("dates")[0].value["date"] == "2023-02-12"


def test_a_month_first_header_line_follows_the_document(head):
    doc = read(head, "Posted 03/04/2024\n\nTroops shelled a village on 03/25/2024, residents said.")
    assert doc.published == date(2024, 3, 4)


def test_the_dateline_date_is_the_anchor_not_the_event_date():
    doc = conflictatlas.extract("Baghdad, Mar 12, 2024: Gunmen killed five soldiers on Sunday in Kirkuk, officials said.")
    assert doc.meta["dateline"]["place"] == "Baghdad" and doc.meta["dateline"]["date"] == "2024-03-12"
    assert doc.meta["published_source"] == "dateline"
    ev = doc.events[0]
    assert ev.event_date == "2024-03-10" and ev.time_precision == 1      # Sunday before Tuesday 12 March
    assert "dateline" in ev.extra["date_why"]
    # with a published date the dateline still anchors the weekday; its year comes from the report
    doc = conflictatlas.extract("Baghdad, Mar 12: Gunmen killed five soldiers on Sunday in Kirkuk.", published="2024-03-13")
    assert doc.meta["anchor_date"] == "2024-03-12" and doc.events[0].event_date == "2024-03-10"


@pytest.mark.parametrize("text, place, country, agency", [
    ("BAGHDAD (Reuters) - " + BODY, "Baghdad", None, "Reuters"),      # the country only when written
    ("KYIV, Ukraine (AP) — A Russian missile hit a school in Kharkiv on Monday, the governor said.", "Kyiv", "Ukraine", "AP"),
    ("ANKARA/AA - " + BODY, "Ankara", None, "AA"),
    ("Shafaq News/ " + BODY, None, None, "Shafaq News"),
    ("JUBA, South Sudan\n\n" + BODY, "Juba", "South Sudan", None),
    ("LOUISVILLE, Ky. — Someone fired several shots at a candidate inside his campaign office on Monday morning.",
     "Louisville", "United States", None),
    ("Kirkuk - " + BODY + " The police closed the roads around the site for hours afterwards.", "Kirkuk", None, None),
])
def test_dateline_forms(text, place, country, agency):
    got = find_dateline(text)
    assert got is not None
    assert (got["place"], got["agency"]) == (place, agency)
    assert got["country"] == country
    assert text[got["start"]:got["end"]].strip()[:3] in text[:got["end"]]


@pytest.mark.parametrize("text", [
    "NATO said on Friday that troops left. The UN agreed.",
    "Nigeria - Bandits kill ten\n\nBandits killed ten villagers in Zamfara on Monday.",
    "FILE - A man walks past a burned market in Gao, Mali, on March 3, 2023.",
    "Mosul: residents say the roads are closed.",
])
def test_no_dateline(text):
    assert find_dateline(text) is None


def test_the_dateline_place_is_never_the_event_place():
    doc = conflictatlas.extract("KIRKUK (Reuters) - Gunmen killed five soldiers in Mosul on Sunday, officials said.",
                                published="2024-03-13")
    assert doc.meta["dateline"]["place"] == "Kirkuk"
    assert "KIRKUK" not in doc.text
    assert doc.events and doc.events[0].location == "Mosul"
    doc = conflictatlas.extract("BAGHDAD (Reuters) - Gunmen killed five soldiers on Sunday, officials said.",
                                published="2024-03-13")
    assert all(e.location != "Baghdad" for e in doc.events)


def test_no_date_is_said_and_nothing_is_guessed():
    doc = conflictatlas.extract("Gunmen killed three villagers on Sunday near Gao.")
    assert doc.meta["published_source"] is None
    ev = doc.events[0]
    assert ev.event_date is None and "no publication date" in ev.extra["date_why"]
    assert "on Sunday" in doc.meta["undated_relative"]
    kind, msg = date_notice(doc)
    assert kind == "undated" and msg.startswith("[W010]") and "--published" in msg
    # explicit dates in the text still date events
    doc = conflictatlas.extract("On 3 March 2023 gunmen killed three villagers near Gao.")
    assert doc.events[0].event_date == "2023-03-03" and date_notice(doc) == ("no-date", None)


def test_a_year_of_history_does_not_date_a_day(head):
    doc = conflictatlas.extract("Gunmen seized the village head from his home on the morning of March 21. "
                                "He had led the council since 2015.")
    assert all(s.value["date"] != "2015-03-21" for s in doc.layer("dates"))


def test_overlap_check_keeps_spans_disjoint():
    text = " ".join(["between 3 and 5 May 2022, on 4 May 2022 and on Saturday"] * 500)
    got = _find(text, date(2022, 5, 10), 2022)
    assert len(got) == 1500
    assert all(a[1] <= b[0] for a, b in zip(got, got[1:]))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "conflictatlas", *args], capture_output=True, text=True)


def test_cli_says_the_date_is_unknown_and_how_to_give_one(tmp_path):
    f = tmp_path / "nodate.txt"
    f.write_text("Gunmen killed three villagers on Sunday near Gao.", encoding="utf-8")
    r = _cli("extract", str(f), "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "? (p?)" not in r.stdout and "date unknown" in r.stdout and "--published" in r.stdout
    assert r.stderr.count("[W010]") == 1
    r = _cli("extract", str(f), "--format", "table", "--published", "2024-03-13")
    assert "2024-03-10" in r.stdout and "[W010]" not in r.stderr


def test_published_flag_does_not_override_the_pages_own_date(tmp_path):
    (tmp_path / "in").mkdir()
    page = tmp_path / "in" / "page.html"
    page.write_text('<html><head><meta property="article:published_time" content="2024-04-17">'
                    '<title>t</title></head><body><p>' + BODY + '</p></body></html>', encoding="utf-8")
    (tmp_path / "in" / "lines.jsonl").write_text(json.dumps({"id": "bare", "text": BODY}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli("extract", str(tmp_path / "in"), "--published", "2024-01-10", "-o", str(out))
    assert r.returncode == 0, r.stderr
    recs = {json.loads(l)["id"]: json.loads(l) for l in out.read_text().splitlines()}
    assert recs["page"]["published"] == "2024-04-17" and recs["page"]["published_source"] == "html-meta"
    assert recs["bare"]["published_source"] == "--published"
    assert recs["page"]["events"][0]["event_date"] == "2024-04-15"
    assert "[W011]" in r.stderr and "2024-04-17" in r.stderr
    assert recs["bare"]["published"] == "2024-01-10"            # a report with no date takes it
    assert "--published" in recs["bare"]["events"][0]["extra"]["date_why"]


def test_ingest_says_a_report_has_no_date(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nodate.txt").write_text("Gunmen killed three villagers on Sunday near Gao.", encoding="utf-8")
    r = _cli("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "e.db"), "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("[W010]") == 1


def test_new_years_day_and_eve():
    doc = conflictatlas.extract("At least four civilians died on the first day of the new year, 2022, after air "
                                "raids on a camp near Idlib.")
    assert doc.events[0].event_date == "2022-01-01" and doc.events[0].time_precision == 1
    doc = conflictatlas.extract("Gunmen attacked a bar on New Year's Eve in Kano.", published="2024-01-02")
    assert doc.events[0].event_date == "2023-12-31"


def test_a_bare_year_or_the_headlines_issue_date_does_not_date_an_event():
    doc = conflictatlas.extract("Local polls 2022: counting under way\n\nRivals clashed with sticks outside a "
                                "polling station in Sukkur, police said.", published="2022-06-26")
    assert doc.events and doc.events[0].event_date == "2022-06-26" and doc.events[0].time_precision == 2
    doc = conflictatlas.extract("Mali - Civilians killed in ambush (Daily Flash of 16 May 2022)\n\nGunmen ambushed a "
                                "convoy near Gao and killed ten civilians. On 14 May, troops clashed with them.",
                                published="2022-05-16")
    dated = [s for s in doc.layer("dates") if s.text == "16 May 2022"]
    assert dated and dated[0].value.get("publication")


def test_since_a_month_is_background():
    doc = conflictatlas.extract("Since January 2022, militants have blockaded the town of Pama.", published="2022-05-16")
    assert all(s.value["background"] for s in doc.layer("dates"))


def test_a_dateline_with_an_update_stamp():
    got = find_dateline("Police break up protest\n\nMANILA, Philippines (Updated: May 26, 11:28 a.m.) — Although "
                        "rallies there need no permit, police on Wednesday morning stopped demonstrators.")
    assert got is not None and (got["place"], got["country"]) == ("Manila", "Philippines")


def test_the_story_country_decides_an_undecided_numeric_order():
    from conflictatlas.stages.dates import annotate
    p = Pipeline.from_names(["clean", "article", "sentences"])
    doc = p(Document(id="s", text="Protesters marched on 12/2/2023, police said.", raw="", meta={"format": "text"}))
    assert doc.meta["date_order_decided"] is False
    doc.meta["story_country"] = "United States"
    annotate(doc)
    assert doc.meta["date_order"] == "mdy" and doc.layer("dates")[0].value["date"] == "2023-12-02"


def test_the_urls_date_when_the_page_says_nothing(head):
    doc = read(head, BODY, url="https://news.example.org/world/2024/03/12/five-soldiers-killed")
    assert doc.published == date(2024, 3, 12) and doc.meta["published_source"] == "url"
    doc = read(head, "Wed. Apr 17th, 2024\n\n" + BODY, url="https://news.example.org/2024/03/12/x")
    assert doc.published == date(2024, 4, 17)            # the page's own line first
    doc = read(head, BODY, url="https://news.example.org/story/20240312")
    assert doc.published is None                          # a number, not a dated path


def test_cue_windows_find_what_a_full_scan_finds(monkeypatch):
    import conflictatlas.stages.dates as dates_mod
    parts = ["between 3 and 5 May 2022", "March 28 - April 2", "on 4 May 2022", "Saturday, 26 June",
             "in mid-March", "two weeks ago", "last week", "in 2014", "the 1990s", "14/03/2022",
             "New Year's Day", "earlier this month", "late on Sunday", "the weekend of 5 March"]
    filler = " The council met to discuss water and the price of bread in the market. "
    text = filler.join(f"Gunmen attacked a post {p}, police said." for p in parts * 6)
    got = _find(text, date(2022, 5, 10), 2022)
    monkeypatch.setattr(dates_mod, "_CUE_OF", {})
    assert got == _find(text, date(2022, 5, 10), 2022) and len(got) >= len(parts) * 6


def test_today_in_a_name_is_no_day():
    doc = conflictatlas.extract("As Kharkiv Today reported, troops shelled the village. Today the mayor spoke.",
                                published="2024-03-13")
    assert [s.text for s in doc.layer("dates")] == ["Today"]
    assert doc.layer("dates")[0].start > 40


@pytest.mark.parametrize("text, want", [
    ("Gunmen killed five in Kano overnight Saturday.", "2022-03-05"),
    ("Gunmen killed five in Kano on 2022/03/09.", "2022-03-09"),
    ("Gunmen killed five in Kano on 2022-03-09T21:37:25+0000.", "2022-03-09"),
])
def test_more_written_days(text, want):
    doc = conflictatlas.extract(text, published="2022-03-11")
    assert doc.events[0].event_date == want
