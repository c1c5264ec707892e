"""The places stage: context, coherence, cues, precision and reasons; best_place."""
from __future__ import annotations

import math

import pytest

import conflictatlas
from conflictatlas.config import load_config
from conflictatlas.document import Document, Span
from conflictatlas.gazetteer import Gazetteer
from conflictatlas.stages.places import PlaceResolver, best_place, km
from conflictatlas.stages.sentences import split_sentences

ROWS = [
    {"name": "Iraq", "kind": "country", "cc": "IQ", "lat": 33.0, "lon": 43.5, "population": 40_000_000},
    {"name": "Uganda", "kind": "country", "cc": "UG", "lat": 1.4, "lon": 32.4, "population": 45_000_000},
    {"name": "Yemen", "kind": "country", "cc": "YE", "lat": 15.6, "lon": 48.0, "population": 30_000_000},
    {"name": "Al Anbar", "kind": "admin1", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.4, "lon": 42.0,
     "population": 1_500_000, "alt_names": ["Anbar"]},
    {"name": "Ninewa", "kind": "admin1", "cc": "IQ", "admin1": "Ninewa", "lat": 36.2, "lon": 42.9,
     "population": 3_000_000, "alt_names": ["Nineveh", "Ninawa"]},
    {"name": "Salah Al Din", "kind": "admin1", "cc": "IQ", "admin1": "Salah Al Din", "lat": 34.5,
     "lon": 43.7, "population": 1_000_000},
    {"name": "Ibb", "kind": "admin1", "cc": "YE", "admin1": "Ibb", "lat": 14.0, "lon": 44.2, "population": 2_000_000},
    {"name": "Northern", "kind": "admin1", "cc": "UG", "admin1": "Northern", "lat": 2.8, "lon": 32.3,
     "population": 1_000_000},
    {"name": "Oyam", "kind": "admin2", "cc": "UG", "admin1": "Northern", "admin2": "Oyam", "lat": 2.3,
     "lon": 32.5, "population": 400_000},
    {"name": "Ramadi", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.42, "lon": 43.30,
     "population": 220_000},
    # a larger namesake far away: context must beat the population prior
    {"name": "Ramadi", "kind": "populated", "cc": "YE", "admin1": "Ibb", "lat": 13.95, "lon": 43.78,
     "population": 300_000},
    {"name": "Hit", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 33.64, "lon": 42.83,
     "population": 60_000},
    {"name": "Tikrit", "kind": "populated", "cc": "IQ", "admin1": "Salah Al Din", "lat": 34.61, "lon": 43.68,
     "population": 160_000},
    {"name": "Samarra", "kind": "populated", "cc": "IQ", "admin1": "Salah Al Din", "lat": 34.20, "lon": 43.87,
     "population": 160_000},
    {"name": "Mosul", "kind": "populated", "cc": "IQ", "admin1": "Ninewa", "lat": 36.34, "lon": 43.13,
     "population": 1_700_000},
    {"name": "Al Qaim", "kind": "populated", "cc": "IQ", "admin1": "Al Anbar", "lat": 34.37, "lon": 41.09,
     "population": 70_000},
    {"name": "Loro", "kind": "populated", "cc": "UG", "admin1": "Northern", "admin2": "Oyam", "lat": 2.22,
     "lon": 32.38, "population": 10_000},
    {"name": "Loro", "kind": "populated", "cc": "IQ", "admin1": "Ninewa", "lat": 36.0, "lon": 43.0,
     "population": 50_000},
]


@pytest.fixture(scope="module")
def resolver():
    return PlaceResolver(Gazetteer.from_rows(ROWS, {"IQ": "Iraq", "UG": "Uganda", "YE": "Yemen"}))


def run(resolver, text: str) -> Document:
    doc = Document(id="t", text=text)
    doc.spans["sentences"] = [Span(s, e, "sentence", {}, i, text[s:e])
                              for i, (s, e) in enumerate(split_sentences(text))]
    resolver.annotate(doc)
    return doc


def place(doc, name):
    hits = [p for p in doc.layer("places") if p.text == name]
    assert hits, f"{name!r} not among {[p.text for p in doc.layer('places')]}"
    return hits[0].value


def test_values_have_the_contract_keys(resolver):
    doc = run(resolver, "Gunmen attacked a checkpoint in Tikrit on Monday.")
    v = place(doc, "Tikrit")
    for k in ("name", "country", "admin1", "admin2", "admin3", "lat", "lon", "geo_precision", "kind",
              "source", "score", "why", "candidates"):
        assert k in v
    assert v["country"] == "Iraq" and v["admin1"] == "Salah Al Din" and v["geo_precision"] == 1
    assert v["kind"] == "populated" and v["why"]


def test_population_prior_without_context(resolver):
    v = place(run(resolver, "A rally took place in Ramadi."), "Ramadi")
    assert v["country"] == "Yemen"                     # the bigger namesake when nothing else is said
    assert v["candidates"] and v["candidates"][0]["country"] == "Iraq"   # runner-up is recorded


def test_document_coherence_province_in_another_sentence(resolver):
    doc = run(resolver, "Clashes were reported across Anbar. Later, a bomb exploded in Ramadi.")
    v = place(doc, "Ramadi")
    assert v["country"] == "Iraq" and v["admin1"] == "Al Anbar"
    assert "Al Anbar named in the document" in v["why"]


def test_parenthesis_context_acled_style(resolver):
    doc = run(resolver, "On 3 May 2022, a mob killed a thief in Loro (Oyam, Northern).")
    v = place(doc, "Loro")
    assert v["country"] == "Uganda" and v["admin1"] == "Northern"
    assert "named with its region" in v["why"]
    assert best_place(doc).text == "Loro"


def test_comma_context_news_style(resolver):
    v = place(run(resolver, "Militants attacked Loro, Ninewa, overnight."), "Loro")
    assert v["admin1"] == "Ninewa"


def test_unknown_village_is_placed_by_its_context(resolver):
    doc = run(resolver, "Troops burned houses in Kyunbaw village (Oyam, Northern).")
    v = place(doc, "Kyunbaw")
    assert v["country"] == "Uganda" and v["geo_precision"] >= 2
    assert "not in the gazetteer" in v["why"]
    assert best_place(doc).text == "Kyunbaw"


def test_transliteration_variants(resolver):
    doc = run(resolver, "Airstrikes hit Salaheddine. Fighting continued near Al Qa'im.")
    assert place(doc, "Salaheddine")["name"] == "Salaheddine"
    assert place(doc, "Salaheddine")["admin1"] == "Salah Al Din"
    assert "spelling variant" in place(doc, "Salaheddine")["why"]
    assert place(doc, "Al Qa'im")["country"] == "Iraq"


def test_near_and_offset_and_between(resolver):
    doc = run(resolver, "Shelling was reported near Hit.")
    assert place(doc, "Hit")["geo_precision"] == 2
    doc = run(resolver, "An IED exploded 40 km north of Ramadi in Anbar.")
    v = place(doc, "Ramadi")
    assert v["geo_precision"] == 2 and "moved" in v["why"]
    assert km(v["lat"], v["lon"], 33.42, 43.30) == pytest.approx(40, abs=1)
    assert v["lat"] > 33.42 and v["lon"] == pytest.approx(43.30, abs=0.01)
    doc = run(resolver, "Clashes erupted between Tikrit and Samarra in Iraq.")
    v = place(doc, "Tikrit")
    assert v["geo_precision"] == 2 and "midpoint" in v["why"]
    assert v["lat"] == pytest.approx((34.61 + 34.20) / 2, abs=0.01)


def test_admin_unit_precision_and_country_fallback(resolver):
    doc = run(resolver, "Protests were held across Ninewa province.")
    v = place(doc, "Ninewa")
    assert v["kind"] == "admin1" and v["geo_precision"] == 3
    doc = run(resolver, "The ministry said Iraq would hold elections.")
    v = place(doc, "Iraq")
    assert v["kind"] == "country" and v["geo_precision"] == 3 and "country centroid" in v["why"]


def test_common_words_are_not_places():
    g = Gazetteer.from_rows(ROWS + [{"name": "Police", "kind": "populated", "cc": "PL", "lat": 53.5,
                                     "lon": 14.6, "population": 30_000}], {"IQ": "Iraq"})
    doc = run(PlaceResolver(g), "Police said the attack in Mosul killed two.")
    assert [p.text for p in doc.layer("places")] == ["Mosul"]


def test_best_place_prefers_specific_credible_and_given_sentences(resolver):
    doc = run(resolver, "In Iraq, gunmen attacked Mosul in Ninewa. Separately, a bomb hit Tikrit.")
    assert best_place(doc).text == "Mosul"
    assert best_place(doc, sents=[1]).text == "Tikrit"
    assert best_place(Document(id="e", text="nothing")) is None


def test_registered_stage_in_the_pipeline(tmp_path):
    p = tmp_path / "g.bin"
    Gazetteer.from_rows(ROWS, {"IQ": "Iraq", "UG": "Uganda", "YE": "Yemen"}).save(p)
    cfg = load_config(overrides={"places": {"gazetteer": str(p)}, "entities": {"use_spacy": False}})
    pipe = conflictatlas.load(cfg, stages=["clean", "sentences", "entities", "places"])
    doc = pipe(Document(id="x", text="On Sunday a drone struck Tikrit, Salah Al Din.", raw=""))
    bp = best_place(doc)
    assert bp.text == "Tikrit" and bp.value["admin1"] == "Salah Al Din"
    assert math.isfinite(bp.value["lat"]) and doc.evidence(bp).sentence.startswith("On Sunday")


EXTRA = ROWS + [
    {"name": "Palestine", "kind": "country", "cc": "PS", "lat": 31.9, "lon": 35.2, "population": 5_000_000},
    {"name": "West Bank", "kind": "admin1", "cc": "PS", "admin1": "West Bank", "lat": 31.9, "lon": 35.2,
     "population": 3_000_000},
    {"name": "Hebron", "kind": "populated", "cc": "PS", "admin1": "West Bank", "lat": 31.53, "lon": 35.09,
     "population": 200_000},
    {"name": "Hebron", "kind": "populated", "cc": "US", "admin1": "Kentucky", "lat": 39.07, "lon": -84.7,
     "population": 6_000},
    {"name": "San Luis", "kind": "populated", "cc": "AR", "admin1": "San Luis", "lat": -33.3, "lon": -66.3,
     "population": 170_000},
    {"name": "La Paz", "kind": "admin1", "cc": "SV", "admin1": "La Paz", "lat": 13.5, "lon": -89.0,
     "population": 300_000},
    {"name": "Kharkiv", "kind": "populated", "cc": "UA", "admin1": "Kharkiv", "lat": 49.98, "lon": 36.25,
     "population": 1_400_000},
]


@pytest.fixture(scope="module")
def resolver2():
    return PlaceResolver(Gazetteer.from_rows(EXTRA, {"IQ": "Iraq", "UG": "Uganda", "YE": "Yemen",
                                                     "PS": "Palestine", "US": "United States",
                                                     "AR": "Argentina", "SV": "El Salvador", "UA": "Ukraine"}))


def test_multiword_units_of_common_words_and_dash_names(resolver2):
    doc = run(resolver2, "Soldiers raided Hebron - Bab az Zawiyah (Hebron, West Bank) at dawn.")
    v = place(doc, "Hebron")
    assert v["country"] == "Palestine" and v["admin1"] == "West Bank"
    assert best_place(doc).text == "Hebron"


def test_a_known_name_inside_a_longer_unknown_one_is_not_taken(resolver2):
    doc = run(resolver2, "In San Luis Talpa municipality, La Paz, armed men shot a man.")
    names = [p.text for p in doc.layer("places")]
    assert "San Luis" not in names
    v = place(doc, "San Luis Talpa")
    assert v["country"] == "El Salvador" and "not in the gazetteer" in v["why"]


def test_coded_to_and_possessive_and_organisations(resolver2):
    doc = run(resolver2, "Fighting in the Hit area (coded to Ramadi, Anbar) left two dead.")
    assert best_place(doc).text == "Ramadi"
    doc = run(resolver2, "Kharkiv's mayor said the city was shelled.")
    assert place(doc, "Kharkiv")["country"] == "Ukraine"
    doc = run(resolver2, "The Anbar Police Command said gunmen attacked Hit.")
    assert place(doc, "Anbar")["context"] is True
    assert best_place(doc).text == "Hit"


def test_directional_parenthesis_is_part_of_the_name(resolver2):
    doc = run(resolver2, "In Dagon Myothit (South) township (Oyam, Northern), troops fired shots.")
    v = place(doc, "Dagon Myothit")
    assert v["country"] == "Uganda" and v["geo_precision"] == 2


def test_a_place_named_as_a_bearing_is_only_a_reference(resolver):
    doc = run(resolver, "Gunmen attacked a checkpoint in Samarra district north of Tikrit on Sunday.")
    assert place(doc, "Tikrit").get("reference") is True
    assert best_place(doc).text == "Samarra"


def test_a_sentence_opening_adverb_is_not_a_place():
    import conflictatlas
    doc = conflictatlas.load(stages=["clean", "sentences", "entities", "places"])(conflictatlas.Document(
        id="adv", text="Recently, Iraq's army began an operation in the al-Anbar desert. Meanwhile, Kenya voted."))
    names = [p.text for p in doc.layer("places")]
    assert "Recently" not in names and "Meanwhile" not in names
    assert "al-Anbar" in names and "Iraq" in names


# -- candidate choice: invented places named like real confusions -------------------------------
MORE = [
    {"name": "Ukraine", "kind": "country", "cc": "UA", "lat": 49.0, "lon": 32.0, "population": 40_000_000},
    {"name": "Norway", "kind": "country", "cc": "NO", "lat": 61.0, "lon": 9.0, "population": 5_000_000},
    {"name": "Kyrgyzstan", "kind": "country", "cc": "KG", "lat": 41.5, "lon": 74.5, "population": 6_000_000},
    {"name": "Sumy", "kind": "populated", "cc": "UA", "admin1": "Sumy", "lat": 50.91, "lon": 34.80,
     "population": 260_000},
    {"name": "Grad", "kind": "populated", "cc": "SI", "admin1": "Grad", "lat": 46.80, "lon": 16.09,
     "population": 700},
    {"name": "Oslo", "kind": "populated", "cc": "NO", "admin1": "Oslo", "lat": 59.91, "lon": 10.75,
     "population": 700_000},
    {"name": "Norway", "kind": "populated", "cc": "US", "admin1": "Maine", "lat": 44.21, "lon": -70.54,
     "population": 2_700},
    {"name": "Hall", "kind": "populated", "cc": "US", "admin1": "California", "lat": 36.86, "lon": -121.7,
     "population": 900},
    {"name": "Bishkek", "kind": "populated", "cc": "KG", "admin1": "Chuy", "lat": 42.87, "lon": 74.59,
     "population": 900_000},
    {"name": "Oktyabr", "kind": "populated", "cc": "UA", "admin1": "Crimea", "lat": 45.63, "lon": 34.55,
     "population": 9_000},
    {"name": "German", "kind": "populated", "cc": "MX", "admin1": "Tamaulipas", "lat": 24.9, "lon": -98.2,
     "population": 600},
    # "Houston (Texas)": a small Houston in a Texas *county* of another state
    {"name": "Texas", "kind": "admin1", "cc": "US", "admin1": "Texas", "lat": 31.1, "lon": -97.3,
     "population": 28_000_000},
    {"name": "Texas", "kind": "admin2", "cc": "US", "admin1": "Missouri", "admin2": "Texas", "lat": 37.3,
     "lon": -91.9, "population": 25_000},
    {"name": "Houston", "kind": "populated", "cc": "US", "admin1": "Texas", "admin2": "Harris",
     "lat": 29.76, "lon": -95.36, "population": 2_300_000},
    {"name": "Houston", "kind": "populated", "cc": "US", "admin1": "Missouri", "admin2": "Texas",
     "lat": 37.33, "lon": -91.96, "population": 2_000},
    {"name": "Tucuman", "kind": "admin1", "cc": "AR", "admin1": "Tucuman", "lat": -26.9, "lon": -65.3,
     "population": 1_500_000},
]
# a common name with more namesakes than the stage keeps by population, the right one smallest
MORE += [{"name": "Concepcion", "kind": "populated", "cc": "CL", "admin1": f"Region {n}",
          "lat": -36.0 - n / 10, "lon": -72.0, "population": 10_000 + n} for n in range(40)]
MORE += [{"name": "Concepcion", "kind": "populated", "cc": "AR", "admin1": "Tucuman", "lat": -27.34,
          "lon": -65.59, "population": 0}]
NAMES = {"IQ": "Iraq", "UG": "Uganda", "YE": "Yemen", "PS": "Palestine", "US": "United States",
         "AR": "Argentina", "SV": "El Salvador", "UA": "Ukraine", "NO": "Norway", "KG": "Kyrgyzstan",
         "SI": "Slovenia", "MX": "Mexico", "CL": "Chile"}


@pytest.fixture(scope="module")
def resolver3():
    return PlaceResolver(Gazetteer.from_rows(EXTRA + MORE, NAMES))


def test_quoted_words_facilities_and_nationalities_are_not_places(resolver3):
    doc = run(resolver3, "Russian forces launched 'Grad' missiles at the suburbs of Sumy.")
    assert [p.text for p in doc.layer("places")] == ["Sumy"]
    doc = run(resolver3, "Hundreds rallied outside City Hall in Houston (Texas).")
    assert "Hall" not in [p.text for p in doc.layer("places")]
    assert best_place(doc).text == "Houston"
    doc = run(resolver3, "German workers demonstrated in front of their headquarters in Oslo.")
    assert [p.text for p in doc.layer("places")] == ["Oslo"]


def test_the_province_in_the_parenthesis_beats_a_county_of_that_name(resolver3):
    v = place(run(resolver3, "People gathered at the courthouse in Houston (Texas)."), "Houston")
    assert v["admin1"] == "Texas" and v["lat"] == pytest.approx(29.76)


def test_a_country_is_not_placed_by_the_town_after_it(resolver3):
    doc = run(resolver3, "Activists demonstrated in front of the Parliament of Norway in Oslo.")
    bp = best_place(doc)
    assert bp.text == "Oslo" and bp.value["country"] == "Norway"


def test_a_district_of_a_named_city_is_placed_there_not_at_a_namesake(resolver3):
    doc = run(resolver3, "Protesters gathered near Oktyabr district in Bishkek city on Monday.")
    v = place(doc, "Oktyabr")
    assert v["country"] == "Kyrgyzstan" and "not in the gazetteer" in v["why"]
    assert km(v["lat"], v["lon"], 42.87, 74.59) < 1


def test_a_small_namesake_in_the_named_province_is_kept_among_many(resolver3):
    v = place(run(resolver3, "In Concepcion (Tucuman), taxi drivers gathered in the main square."),
              "Concepcion")
    assert v["country"] == "Argentina" and v["admin1"] == "Tucuman"
    assert v["lat"] == pytest.approx(-27.34) and v["geo_precision"] == 1


def test_provinces_split_since_geonames_on_the_shipped_gazetteer():
    import conflictatlas
    pipe = conflictatlas.load(stages=["clean", "sentences", "entities", "places"])
    bp = best_place(pipe(conflictatlas.Document(
        id="drc", text="On 16 January 2022, militiamen killed a civilian in Kalo (Djugu, Ituri).")))
    assert bp.text == "Kalo" and bp.value["country"] == "Democratic Republic of Congo"
    assert bp.value["admin1"] == "Ituri"
    bp = best_place(pipe(conflictatlas.Document(
        id="mm", text="On 3 March 2022, troops shelled a village near Lashio town, Shan state.")))
    assert bp.value["admin1"] == "Shan-North"


def test_titles_and_names_after_of_are_not_places_and_topics_are_not_the_scene(resolver3):
    from conflictatlas.stages.places import _aside
    doc = run(resolver3, "As part of the 'Grad up' march, people demonstrated in Oslo.")
    assert [p.text for p in doc.layer("places")] == ["Oslo"]
    doc = run(resolver3, "Pilgrims gathered at the Champ of Grad in Sumy.")
    assert "Grad" not in [p.text for p in doc.layer("places")]
    text = "Students in Oslo protested against the invasion of Ukraine."
    i = text.index("Ukraine")
    assert _aside(text, i, i + len("Ukraine"), True)
    assert not _aside(text, text.index("Oslo"), text.index("Oslo") + 4, False)


def test_a_wide_area_with_its_district_named_is_coded_to_the_district():
    rows = ROWS + [{"name": "Zork region", "kind": "feature", "cc": "IQ", "admin1": "Ninewa",
                    "lat": 36.9, "lon": 42.4, "population": 0, "alt_names": ["Zork"]}]
    r = PlaceResolver(Gazetteer.from_rows(rows, {"IQ": "Iraq", "UG": "Uganda", "YE": "Yemen"}))
    doc = run(r, "Warplanes struck positions in Zork region (Mosul district) of Ninewa.")
    assert place(doc, "Zork")["kind"] == "feature"
    assert best_place(doc).text == "Mosul"
    doc = run(r, "Warplanes struck positions in Zork region of Ninewa.")
    assert best_place(doc).text == "Zork"
