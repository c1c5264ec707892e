"""numbers stage: counts, kinds, ACLED conventions and the fatality decision (texts written here)."""
from datetime import date

import pytest

import conflictatlas
from conflictatlas.document import Document
from conflictatlas.stages.numbers import count, fatalities, parse_number, size_from_tag


@pytest.fixture(scope="module")
def nlp():
    return conflictatlas.load(stages=["clean", "sentences", "dates", "numbers"])


def run(nlp, text, published=date(2024, 3, 11)):
    return nlp(Document(id="t", text=text, raw=text, published=published))


@pytest.mark.parametrize("words,value", [
    ("ten", 10), ("twenty-one", 21), ("3,000", 3000), ("a dozen", 12), ("seventy", 70), ("12", 12),
    ("dozen", 12), ("two hundred", 200), ("banana", None),
])
def test_parse_number(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize("text,expected", [
    ("Gunmen killed two soldiers and three civilians near the market.", 5),
    ("At least 5 people were killed and 12 injured when a bomb exploded.", 5),
    ("Dozens of people were killed in the fighting.", 12),
    ("Tens of villagers died, officials said.", 10),
    ("Twenty-one civilians were killed in the raid.", 21),
    ("Up to 7 people died in the fire.", 7),
    ("Fighting left 4 dead and 9 wounded.", 4),
    ("A man was shot dead at a checkpoint.", 1),
    ("Assailants killed a farmer in his field.", 1),
    ("The bomber blew himself up, killing himself and four policemen.", 5),
    ("Ten people were killed, including four children.", 10),
    ("The blast killed 10 people. Four of them were children.", 10),
    ("Three soldiers were killed in the north. Two civilians were also killed in the south.", 5),
    ("The attack killed seven, bringing the death toll to 12.", 12),
    ("Several fighters were killed in clashes.", 3),
    ("Rebels killed 25 heads of cattle in the village.", 0),
    ("A 22-year-old woman was killed by soldiers.", 1),
    ("Gunmen gunned down 4 farmers.", 4),
    ("He was gunned down outside his home.", 1),
    ("At least 9 people lost their lives in the floods.", 9),
    ("Five people, among them two children, died.", 5),
    ("The fire claimed the lives of 14 people.", 14),
    ("Six bodies were recovered from the rubble.", 6),
    ("Three people were killed on Monday. On Tuesday, another two people were killed.", 5),
    ("Militants killed a driver and his assistant on the road.", 2),
    ("A soldier and a militant were killed in the exchange.", 2),
    ("Seven civilians in different parts of the city were killed.", 7),
    ("Police arrested a man suspected of killing a trader.", 0),
    ("Youths burned a police post after a driver was killed at a checkpoint.", 0),
    ("Hundreds of people were killed in the 2014 massacre.", 0),
])
def test_fatalities(nlp, text, expected):
    assert fatalities(run(nlp, text))[0] == expected


@pytest.mark.parametrize("text", [
    "No one was killed in the attack.", "There were no casualties.", "The blast caused no fatalities.",
    "Nobody was hurt or killed in the shelling.",
])
def test_negated(nlp, text):
    doc = run(nlp, text)
    n, spans, _ = fatalities(doc)
    assert n == 0
    assert any(s.value["negated"] and s.value["count"] == 0 for s in doc.layer("numbers"))


def test_parts_counted_once(nlp):
    text = ("Troops killed 10 militants in the desert, the army said. The army said troops had killed "
            "\u201c10 terrorists in the past 24 hours.\u201d State media said four militants were killed "
            "and six on Saturday in the valley.")
    doc = run(nlp, text)
    n, support, _ = fatalities(doc)
    assert n == 10
    parts = [s for s in doc.layer("numbers") if s.value.get("part")]
    assert sorted(s.value["count"] for s in parts) == [4, 6]
    # the sentence with the parts, on its own, counts both parts
    assert fatalities(doc, [2])[0] == 10
    assert all(s.sent in (0, 1, 2) for s in support)


def test_conflicting_sources_keep_lower_and_claim(nlp):
    doc = run(nlp, "Police said 3 people were killed. Residents said 7 people were killed.")
    n, _, claims = fatalities(doc)
    assert n == 3
    assert claims and claims[0]["value"] == 7 and claims[0]["said_by"] == "Residents"


@pytest.mark.parametrize("text,expected", [
    ("Clashes broke out in the hills. Unclear fatalities coded as 3.", 3),
    ("Militias clashed, killing several fighters. Fatalities coded as 10.", 10),
    ("Shelling hit four villages. Unknown fatalities coded as 10 and split across the 4 locations.", 3),
    ("At least twenty militants were killed. Fatalities are split across five events.", 4),
    ("Drone strikes hit the area. 30 fatalities split between 4 events.", 8),
])
def test_acled_coder_notes(nlp, text, expected):
    assert fatalities(run(nlp, text, None))[0] == expected


def test_protest_cause_is_not_a_death_at_the_protest(nlp):
    doc = run(nlp, "Hundreds of students protested in the city against the killing of 2 students by police.")
    assert fatalities(doc)[0] == 0
    assert count(doc, "size")[0] == 100


def test_coded_separately_not_counted(nlp):
    doc = run(nlp, "Residents marched after a trader was killed days earlier (coded separately).")
    assert fatalities(doc)[0] == 0


def test_other_kinds(nlp):
    doc = run(nlp, "Police arrested 14 protesters and detained two journalists. Militants abducted "
                   "20 schoolgirls. A dozen more villagers were kidnapped later.")
    assert count(doc, "arrested")[0] == 16
    assert count(doc, "abducted")[0] == 32
    doc = run(nlp, "Between 3,000 and 5,000 protesters marched in the capital.")
    span = [s for s in doc.layer("numbers") if s.value["kind"] == "size"][0]
    assert (span.value["count"], span.value["low"], span.value["high"], span.value["approx"]) == (3000, 3000, 5000, True)


def test_years_and_ages_are_not_counts(nlp):
    doc = run(nlp, "In 2017, 12-year-old boys were seen. 2019 was calm.")
    assert fatalities(doc)[0] == 0
    assert not [s for s in doc.layer("numbers") if s.value["kind"] == "killed"]


def test_spans_point_at_text(nlp):
    doc = run(nlp, "Clashes erupted. Gunmen killed 4 villagers.")
    span = doc.layer("numbers")[0]
    assert doc.text[span.start:span.end] == span.text == "4 villagers"
    assert span.sent == 1


def test_size_tag():
    assert size_from_tag("around 80")["count"] == 80
    assert size_from_tag("no report") is None
    assert size_from_tag("dozens")["count"] == 12


def test_vague_plural_config():
    from conflictatlas.config import load_config
    nlp = conflictatlas.load(stages=["clean", "sentences", "numbers"])
    cfg = load_config(overrides={"numbers": {"vague_plural": 10}})
    nlp10 = conflictatlas.load(cfg, stages=["clean", "sentences", "numbers"])
    text = "Several soldiers were killed in the ambush."
    assert fatalities(nlp(Document(id="a", text=text)))[0] == 3
    assert fatalities(nlp10(Document(id="b", text=text)))[0] == 10


def test_parts_after_a_total_are_not_added_or_claimed(nlp):
    doc = run(nlp, "Seven militants were killed in two blasts, police said. Three died when a bomb went off "
                   "early, police said. Four militants were killed in the second blast.")
    n, _, claims = fatalities(doc)
    assert n == 7 and claims == []
    assert [s.value.get("part", False) for s in doc.layer("numbers")] == [False, True, True]


def test_claims_against_a_count(nlp):
    doc = run(nlp, "Six soldiers were killed in the ambush. The group claimed it killed 9 soldiers.")
    n, _, claims = fatalities(doc)
    assert n == 6 and [c["value"] for c in claims] == [9]
    doc = run(nlp, "Four people were killed; the police claim two people were killed.")
    assert fatalities(doc)[0] == 2
    doc = run(nlp, "Sources reported no casualties, while one source claimed that 70 were killed.")
    assert fatalities(doc)[0] == 0


def test_multiplied_words(nlp):
    assert fatalities(run(nlp, "More than two dozen fighters were killed."))[0] == 24
    assert fatalities(run(nlp, "Both of the civilians were killed."))[0] == 2


def test_strength_figures_are_other(nlp):
    doc = run(nlp, "The UN said the group has between 3,000 and 5,000 fighters across the region.")
    span = doc.layer("numbers")[0]
    assert (span.value["kind"], span.value["low"], span.value["high"]) == ("other", 3000, 5000)
    assert fatalities(doc)[0] == 0
