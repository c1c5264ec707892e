"""The story stage: the country a report is set in, and the places stage judged against it."""
from __future__ import annotations

import conflictatlas
from conflictatlas.document import Document, Span
from conflictatlas.gazetteer import Gazetteer
from conflictatlas.pipeline import DEFAULT_STAGES
from conflictatlas.stages.places import PlaceResolver, best_place
from conflictatlas.stages.sentences import split_sentences
from conflictatlas.stages.story import (capitalised_as_name, common_word, find_dateline, infer_story,
                                        locative_cue)

NAMES = {"IQ": "Iraq", "PE": "Peru", "SY": "Syria", "IR": "Iran", "SO": "Somalia"}
ROWS = [
    {"name": "Iraq", "kind": "country", "cc": "IQ", "lat": 33.0, "lon": 43.5, "population": 40_000_000},
    {"name": "Peru", "kind": "country", "cc": "PE", "lat": -9.2, "lon": -75.0, "population": 33_000_000},
    {"name": "Somalia", "kind": "country", "cc": "SO", "lat": 6.0, "lon": 46.0, "population": 15_000_000},
    {"name": "Al Anbar", "kind": "admin1", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.4, "lon": 42.0,
     "population": 1_500_000, "alt_names": ["Anbar"]},
    {"name": "Baghdad", "kind": "populated", "cc": "IQ", "admin1": "Baghdad", "lat": 33.34, "lon": 44.40,
     "population": 7_000_000},
    # namesakes far away; two of them larger than the place the story means
    {"name": "Bagdad", "kind": "populated", "cc": "PE", "admin1": "Piura", "lat": -5.2, "lon": -80.6,
     "population": 3_000, "alt_names": ["Baghdad"]},
    {"name": "Ramadi", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.42, "lon": 43.30,
     "population": 220_000},
    {"name": "Ramadi", "kind": "populated", "cc": "PE", "admin1": "Piura", "lat": -5.0, "lon": -80.0,
     "population": 400_000},
    {"name": "Lima", "kind": "populated", "cc": "PE", "admin1": "Lima", "lat": -12.05, "lon": -77.04,
     "population": 8_000_000},
    {"name": "Lima", "kind": "admin1", "cc": "PE", "admin1": "Lima", "lat": -12.0, "lon": -76.8,
     "population": 9_000_000},
    {"name": "Huaral", "kind": "populated", "cc": "PE", "admin1": "Lima", "lat": -11.5, "lon": -77.2,
     "population": 9_000},
    {"name": "Hit", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.64, "lon": 42.83,
     "population": 60_000},
    {"name": "Ramadan", "kind": "populated", "cc": "PE", "admin1": "Piura", "lat": -5.1, "lon": -80.1,
     "population": 2_000},
    {"name": "Kismayo", "kind": "populated", "cc": "SO", "admin1": "Lower Juba", "lat": -0.36, "lon": 42.55,
     "population": 180_000},
    {"name": "Kismayo", "kind": "populated", "cc": "PE", "admin1": "Piura", "lat": -5.3, "lon": -80.3,
     "population": 200_000},
]


def gazetteer() -> Gazetteer:
    return Gazetteer.from_rows(ROWS, NAMES)


def read(text: str, g: Gazetteer | None = None, story: bool = True, **meta) -> Document:
    """The story (unless ``story`` is False) and the places of ``text`` with a small gazetteer."""
    g = g or gazetteer()
    doc = Document(id="t", text=text, meta=dict(meta))
    doc.spans["sentences"] = [Span(s, e, "sentence", {}, i, text[s:e])
                              for i, (s, e) in enumerate(split_sentences(text))]
    if story:
        st = infer_story(doc, g)
        if st:
            doc.meta["story"] = st
    PlaceResolver(g).annotate(doc)
    return doc


def placed(doc: Document, name: str) -> dict | None:
    return next((p.value for p in doc.layer("places") if p.text == name), None)


# -- the story's country --------------------------------------------------------------------
def test_the_story_country_comes_from_names_nationalities_and_actors():
    doc = read("Iraqi troops clashed with Islamic State fighters near Ramadi in Anbar on Sunday. "
               "Hezbollah was not involved, Iraqi officials said.")
    st = doc.meta["story"]
    assert st["country"] == "Iraq"
    assert st["countries"]["Iraq"] == 1.0
    assert st["admin1"] == "Al Anbar"
    assert "Iraqi" in st["why"] and "Anbar" in st["why"]


def test_nothing_that_points_anywhere_gives_no_story():
    doc = read("The meeting ended on Tuesday without an agreement, a spokesman said.")
    assert "story" not in doc.meta


def test_a_dateline_is_a_weak_hint_and_the_article_stage_reading_counts():
    assert find_dateline("ERBIL, Kurdistan Region - Two drones hit a car.")["place"] == "ERBIL"
    got = find_dateline("MOGADISHU (Reuters) - Gunmen attacked a hotel.")
    assert got["place"] == "MOGADISHU" and got["agency"] == "Reuters"
    got = find_dateline("Kabul, Afghanistan (AP) - A blast hit a mosque.")
    assert got["place"] == "Kabul" and got["region"] == "Afghanistan" and got["agency"] == "AP"
    assert find_dateline("Gunmen attacked a hotel on Monday - police said.") is None
    # a dateline another stage read: its country is one vote, enough to place an ambiguous town
    doc = read("Gunmen attacked a checkpoint in Kismayo on Friday.",
               dateline={"place": "Mogadishu", "country": "Somalia", "agency": None, "start": 0, "end": 0})
    assert "dateline Somalia" in doc.meta["story"]["why"]
    assert placed(doc, "Kismayo")["country"] == "Somalia"
    assert placed(read("Gunmen attacked a checkpoint in Kismayo on Friday."), "Kismayo")["country"] == "Peru"


def test_one_ambiguous_name_alone_sets_no_story_to_judge_by():
    from conflictatlas.stages.story import confident
    doc = read("Protesters gathered in Ramadi on Friday.")
    assert doc.meta["story"]["evidence"] == 1 and not confident(doc.meta["story"])
    # the larger namesake keeps its place: nothing else in the text says where
    assert placed(doc, "Ramadi")["country"] == "Peru"
    assert confident(read("Iraqi police dispersed protesters in Ramadi on Friday.").meta["story"])


def test_a_name_and_its_region_vote_together_and_a_parenthesis_ends_with_a_province():
    g = Gazetteer.from_rows(ROWS + [
        {"name": "Niger", "kind": "country", "cc": "NE", "lat": 17.0, "lon": 9.0, "population": 24_000_000},
        {"name": "Niger", "kind": "admin1", "cc": "NG", "admin1": "Niger", "lat": 10.0, "lon": 6.0,
         "population": 5_000_000}], {**NAMES, "NE": "Niger", "NG": "Nigeria"})
    st = read("Gunmen rustled cattle from Nasko (Magama, Niger) on Monday.", g).meta["story"]
    assert st["country"] == "Nigeria"
    # "Ramadi in Anbar": the larger Ramadi abroad does not vote for its country
    st = read("Gunmen attacked a market in Ramadi in Anbar on Monday.").meta["story"]
    assert st["countries"] == {"Iraq": 1.0}


def test_a_place_written_in_lower_case_is_no_common_word():
    t = "A curfew was declared in lamu region [coded to Lamu]."
    assert not common_word(t, t.index("Lamu"), t.index("Lamu") + 4)
    t = "A mine exploded near the Mine road."
    assert common_word(t, t.index("Mine"), t.index("Mine") + 4)


def test_erbil_kurdistan_region_is_iraq():
    doc = conflictatlas.extract("ERBIL, Kurdistan Region - Turkish drones struck a car near the "
                                "border on Tuesday, killing two PKK fighters, local officials said.",
                                published="2024-03-12")
    assert doc.meta["story"]["country"] == "Iraq"
    for p in doc.layer("places"):
        assert p.value["country"] == "Iraq", (p.text, p.value["why"])
    assert doc.events and all(ev.country == "Iraq" for ev in doc.events)


# -- candidates against the story -----------------------------------------------------------
def test_a_larger_namesake_abroad_loses_to_the_story_country():
    text = "Iraqi officials said a car bomb killed four people in Ramadi. Iraqi police closed the roads."
    assert placed(read(text, story=False), "Ramadi")["country"] == "Peru"
    v = placed(read(text), "Ramadi")
    assert v["country"] == "Iraq"
    assert "story's countries" in v["why"]


def test_baghdad_in_an_iraqi_story_is_not_a_town_in_peru():
    doc = read("BAGHDAD - Gunmen killed two Iraqi soldiers near Baghdad on Monday, the Iraqi army said.")
    assert all(p.value["country"] == "Iraq" for p in doc.layer("places") if p.text.lower() == "baghdad")


def test_a_place_outside_the_story_needs_its_region_named_with_it():
    text = ("Iraqi forces killed three militants near Ramadi in Anbar, Iraqi officials said. "
            "Officials in Baghdad said the men had trained in Huaral. ")
    doc = read(text)
    assert placed(doc, "Huaral") is None
    dropped = {d["name"]: d["why"] for d in doc.meta["places_dropped"]}
    assert "outside the story's countries" in dropped["Huaral"]
    # named with its country, it is placed there, and says why
    doc = read(text.replace("in Huaral", "in Huaral, Peru"))
    v = placed(doc, "Huaral")
    assert v["country"] == "Peru" and "named with its region" in v["why"]
    # a large city abroad is kept: it is no accident of spelling
    assert placed(read(text.replace("in Huaral", "in Lima")), "Lima")["country"] == "Peru"


def test_a_common_word_needs_a_capital_a_locative_cue_and_the_story_country():
    doc = read("Iraqi troops patrolled Ramadi during Ramadan, Iraqi officials said.")
    assert placed(doc, "Ramadan") is None
    assert placed(doc, "Ramadi")["country"] == "Iraq"
    # with a locative cue, but the only Ramadan lies outside the story
    doc = read("Iraqi troops patrolled Baghdad and the village of Ramadan, Iraqi officials said.")
    assert placed(doc, "Ramadan") is None
    assert "outside the story's countries" in doc.meta["places_dropped"][0]["why"]
    # in a story set in Peru, "the village of Ramadan" is the village
    doc = read("Peruvian police said farmers blocked the road to Lima near the village of Ramadan.")
    assert placed(doc, "Ramadan")["country"] == "Peru"
    # a sentence's first word proves nothing ("Hit" as a verb); "the town of Hit" is the town
    doc = read("Iraqi troops entered Ramadi. Hit by mortar fire, the convoy turned back, Iraqi officials said.")
    assert placed(doc, "Hit") is None
    doc = read("Iraqi troops entered Ramadi and the town of Hit, Iraqi officials said.")
    assert placed(doc, "Hit")["country"] == "Iraq"


def test_common_words_in_a_real_report_are_not_places():
    doc = conflictatlas.extract(
        "Iraqi security forces said Islamic State militants attacked an army post in the town of Hit "
        "in Anbar province on Sunday, killing three soldiers. The attack came during Ramadan. Ali, a "
        "farmer, said Mine clearance teams had not reached the area. Xinhua reported that the army sent "
        "reinforcements. Salam Osman, the Wali of the district, was unhurt.", published="2024-03-12")
    names = {p.text for p in doc.layer("places")}
    assert not names & {"Ramadan", "Ali", "Mine", "Xinhua", "Salam", "Osman", "Wali"}, names
    assert placed(doc, "Hit")["country"] == "Iraq"
    assert doc.events[0].country == "Iraq"
    assert doc.events[0].actor1 == "Islamic State (Iraq)" or doc.events[0].actor2 == "Islamic State (Iraq)"


def test_an_event_named_only_by_an_aside_takes_the_story_place():
    doc = conflictatlas.extract(
        "Islamic State militants ambushed an army bus near Palmyra in the Syrian desert on Sunday, killing "
        "ten soldiers, the Syrian Observatory said.\n\nSince January, attacks have killed 40 fighters of "
        "militias backed by Iran, the monitor said.", published="2024-03-12")
    assert doc.meta["story"]["country"] == "Syria"
    assert all(ev.country == "Syria" for ev in doc.events), [(e.country, e.location) for e in doc.events]
    doc = conflictatlas.extract(
        "Gunmen shot dead a singer in Mansa, Punjab on Sunday, Indian police said. A gang and a gangster "
        "based in Canada claimed the killing.", published="2024-03-12")
    assert all(ev.country == "India" for ev in doc.events), [(e.country, e.location) for e in doc.events]


# -- the helpers and the pipeline ------------------------------------------------------------
def test_cues_capitals_and_common_words():
    t = "Fighting near Hit. Hit hard, the town of Mine and Ramadan district."
    assert locative_cue(t, t.index("Hit"), t.index("Hit") + 3)
    assert not locative_cue(t, t.index("Hit hard"), t.index("Hit hard") + 3)
    assert locative_cue(t, t.index("Mine"), t.index("Mine") + 4)
    assert locative_cue(t, t.index("Ramadan"), t.index("Ramadan") + 7)
    assert capitalised_as_name(t, t.index("Hit"), t.index("Hit") + 3)
    assert not capitalised_as_name(t, t.index("Hit hard"), t.index("Hit hard") + 3)
    head = "Gunmen Kill Four Near Mine In Night Raid\n\nText."
    assert not capitalised_as_name(head, head.index("Mine"), head.index("Mine") + 4)
    t = "A mine exploded. Later Mine was quiet."
    assert common_word(t, t.index("Mine"), t.index("Mine") + 4)
    t = "Clashes in Sinjar. Sinjar was quiet."
    assert not common_word(t, t.index("Sinjar"), t.index("Sinjar") + 6)


def test_the_stage_runs_before_places_and_places_work_without_it():
    assert DEFAULT_STAGES.index("dates") < DEFAULT_STAGES.index("story") < DEFAULT_STAGES.index("places")
    pipe = conflictatlas.load(stages=["clean", "sentences", "entities", "places"])
    doc = pipe(Document(id="t", text="Gunmen attacked a market in Mosul during Ramadan."))
    assert "story" not in doc.meta
    assert {p.text for p in doc.layer("places")} == {"Mosul"}
    assert best_place(doc).value["country"] == "Iraq"


def test_the_parties_of_a_court_case_are_no_places():
    doc = conflictatlas.extract("Hundreds of people rallied in New Orleans, Louisiana, on Friday after the Supreme "
                                "Court struck down Roe v. Wade.", published="2022-06-25")
    names = [p.text for p in doc.layer("places")]
    assert "Wade" not in names and "Roe" not in names and "New Orleans" in names
    assert len(doc.events) == 1
