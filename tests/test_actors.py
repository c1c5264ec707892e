"""The actor dictionary, the actors stage and pick_actors, on short texts written for these tests."""
from __future__ import annotations

import json
from datetime import date

import pytest

import conflictatlas
from conflictatlas.actors import ACTOR_TYPES, ACTORS_FILE, ActorDictionary, ActorFileError, read_actor_file
from conflictatlas.config import load_config
from conflictatlas.document import Document
from conflictatlas.stages.actors import inter_of, pick_actors


@pytest.fixture(scope="module")
def nlp():
    config = load_config(overrides={"entities": {"use_spacy": False}})
    return conflictatlas.load(config, stages=["clean", "sentences", "entities", "actors"])


def run(nlp, text, published=None):
    return nlp(Document(id="t", text=text, raw=text, published=published))


def names(doc):
    return [s.value["name"] for s in doc.layer("actors") if s.value.get("name")]


# -- the shipped dictionary -------------------------------------------------------------------------

def test_shipped_file_is_valid_and_covers_every_country():
    actors = read_actor_file(ACTORS_FILE)
    assert all(a.type in ACTOR_TYPES for a in actors)
    assert all(a.source for a in actors)
    names_ = {a.name for a in actors}
    for c in ("Iraq", "Syria", "Russia", "Kenya", "Brazil", "Fiji", "Iceland"):
        assert f"Military Forces of {c}" in names_ and f"Police Forces of {c}" in names_
    assert "Military Forces of the Democratic Republic of Congo" in names_


def test_aliases_name_one_actor():
    d = ActorDictionary.load()
    for text, want in [("Daesh fighters attacked", "Islamic State"), ("ISIL cells attacked", "Islamic State"),
                       ("the Hashed al-Shaabi said", "Military Forces of Iraq Popular Mobilization Forces"),
                       ("PMF units", "Military Forces of Iraq Popular Mobilization Forces"),
                       ("Popular Mobilization Forces", "Military Forces of Iraq Popular Mobilization Forces"),
                       ("al-Shabaab militants", "Al Shabaab")]:
        ms = d.match(text)
        assert ms, text
        assert any(a.name.startswith(want) for a in ms[0].candidates), (text, ms[0].candidates)


def test_acronyms_need_capitals():
    d = ActorDictionary.load()
    assert not any(m.alias == "is" for m in d.match("the town is calm"))
    assert any(m.alias == "IS" for m in d.match("IS claimed the attack"))


def test_no_match_across_a_comma(nlp):
    doc = run(nlp, "In Mandalay, the military, police and militia raided a village.")
    assert not any(s.text == "military, police" for s in doc.layer("actors"))


# -- the stage ----------------------------------------------------------------------------------------

def test_demonym_sets_the_country(nlp):
    doc = run(nlp, "Kenyan police fired tear gas while Ugandan troops watched.")
    assert "Police Forces of Kenya" in names(doc)
    assert "Military Forces of Uganda" in names(doc)
    span = doc.layer("actors")[0]
    assert span.value["alias"] == "Kenyan police" and span.value["generic"] is True
    assert {"name", "type", "country", "generic", "alias", "kind"} <= set(span.value)


def test_pro_prefix_is_not_the_state(nlp):
    doc = run(nlp, "Pro-Russian forces shelled the town.")
    assert "Military Forces of Russia" not in names(doc)


def test_dates_choose_the_taliban_entry(nlp):
    before = run(nlp, "Taliban fighters attacked a checkpoint.", date(2019, 5, 1))
    after = run(nlp, "Taliban fighters attacked a checkpoint.", date(2022, 5, 1))
    assert before.layer("actors")[0].value["type"] == "Rebel group"
    assert after.layer("actors")[0].value["type"] == "State forces"


def test_user_dictionary_adds_actors(tmp_path):
    f = tmp_path / "mine.jsonl"
    f.write_text(json.dumps({"name": "Blue Lions Brigade", "aliases": ["Blue Lions"], "type": "Political militia",
                             "country": "Freedonia", "kind": "militia", "source": "test"}) + "\n")
    config = load_config(overrides={"entities": {"use_spacy": False}, "actors": {"dictionary": str(f)}})
    nlp2 = conflictatlas.load(config, stages=["clean", "sentences", "entities", "actors"])
    doc = nlp2(Document(id="u", text="The Blue Lions ambushed a patrol.", raw=""))
    assert "Blue Lions Brigade" in names(doc)


def test_bad_user_file_says_where(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"name": "X", "type": "Bandits"}\n')
    with pytest.raises(ActorFileError, match=r"bad.jsonl:1.*not one of"):
        read_actor_file(f)
    with pytest.raises(ActorFileError, match="E060"):
        read_actor_file(tmp_path / "missing.jsonl")


def test_unknown_named_group(nlp):
    doc = run(nlp, "The Red Hill Brigade clashed with soldiers near the river.")
    assert "Red Hill Brigade" in names(doc)


# -- pick_actors ---------------------------------------------------------------------------------------

def pick(nlp, text, et, sub, country):
    doc = run(nlp, text)
    return pick_actors(doc, None, et, sub, country)


def test_protest_with_intervention(nlp):
    p = pick(nlp, "Teachers marched in Nairobi. Police dispersed them with tear gas.", "Protests",
             "Protest with intervention", "Kenya")
    assert p["actor1"] == "Protesters (Kenya)" and p["inter1"] == "Protesters"
    assert p["assoc_actor_1"] == "Teachers (Kenya)"
    assert p["actor2"] == "Police Forces of Kenya" and p["inter2"] == "State forces"


def test_violence_against_civilians_defaults(nlp):
    p = pick(nlp, "A farmer was found dead in his field.", "Violence against civilians", "Attack", "Mali")
    assert p["actor1"] == "Unidentified Armed Group (Mali)" and p["inter1"] == "Political militia"
    assert p["actor2"] == "Civilians (Mali)" and p["inter2"] == "Civilians"


def test_passive_voice_puts_the_attacker_first(nlp):
    p = pick(nlp, "Two soldiers were killed by al-Shabaab militants near Afgoye.", "Battles", "Armed clash", "Somalia")
    assert p["actor1"] == "Al Shabaab" and p["inter1"] == "Rebel group"
    assert p["actor2"] == "Military Forces of Somalia" and p["inter2"] == "State forces"
    assert p["evidence"]["actor1"].text == "al-Shabaab militants"


def test_foreign_forces_are_external(nlp):
    p = pick(nlp, "Russian forces shelled the outskirts of the city.", "Explosions/Remote violence",
             "Shelling/artillery/missile attack", "Ukraine")
    assert p["actor1"] == "Military Forces of Russia" and p["inter1"] == "External/Other forces"
    assert inter_of({"type": "State forces", "country": "Russia"}, "Russia") == "State forces"


def test_local_alias_needs_its_country(nlp):
    p = pick(nlp, "Coalition warplanes struck a farm.", "Explosions/Remote violence", "Air/drone strike", "Yemen")
    assert p["actor1"] == "Operation Restoring Hope" and p["inter1"] == "External/Other forces"
    q = pick(nlp, "Coalition warplanes struck a farm.", "Explosions/Remote violence", "Air/drone strike", "Syria")
    assert q["actor1"] == "Global Coalition Against Daesh"


def test_clashes_between_two_named_groups(nlp):
    p = pick(nlp, "Clashes between the SDF and ISIS cells left three dead.", "Battles", "Armed clash", "Syria")
    assert p["actor1"].startswith("QSD") and p["actor2"] == "Islamic State (Syria)"


def test_riot_between_two_groups(nlp):
    p = pick(nlp, "Two groups of youths clashed with stones after a football match.", "Riots", "Mob violence",
             "Ghana")
    assert p["actor1"] == "Rioters (Ghana)" and p["actor2"] == "Rioters (Ghana)"


def test_identity_militia_from_group_name(nlp):
    p = pick(nlp, "Fulani militiamen attacked villagers and burned houses.", "Violence against civilians",
             "Attack", "Nigeria")
    assert p["actor1"] == "Fulani Ethnic Militia (Nigeria)" and p["inter1"] == "Identity militia"


def test_counter_demonstration_gives_a_second_protester_actor(nlp):
    p = pick(nlp, "About 200 people marched against the new law. A counter-demonstration of 30 people gathered.",
             "Protests", "Peaceful protest", "Austria")
    assert p["actor2"] == "Protesters (Austria)" and p["inter2"] == "Protesters"


def test_displaced_civilians_lead_a_displacement_event(nlp):
    p = pick(nlp, "Displacement: about 70 families fled their village after fighting nearby.",
             "Strategic developments", "Other", "Colombia")
    assert p["actor1"] == "Civilians (Colombia)" and p["inter1"] == "Civilians"


def test_drive_by_attackers_are_a_gang(nlp):
    p = pick(nlp, "A taxi driver was shot dead by armed men on a motorcycle in a drive-by shooting.",
             "Violence against civilians", "Attack", "Honduras")
    assert p["actor1"] == "Unidentified Gang (Honduras)" and p["inter1"] == "Political militia"


def test_police_who_arrest_afterwards_are_not_the_attackers(nlp):
    p = pick(nlp, "A man stabbed a shopkeeper in the market. Police arrested the suspect.",
             "Violence against civilians", "Attack", "Canada")
    assert p["inter1"] == "Political militia"


def test_arrested_party_members_are_civilians(nlp):
    p = pick(nlp, "Soldiers arrested five people, including two members of the NLD, in the village.",
             "Strategic developments", "Arrests", "Myanmar")
    assert p["inter1"] == "State forces"
    assert p["actor2"] == "Civilians (Myanmar)"


def test_a_generic_word_after_a_named_group_is_that_group(nlp):
    p = pick(nlp, "JNIM militants attacked an army post. The militants later withdrew.", "Battles", "Armed clash",
             "Mali")
    assert p["actor1"].startswith("JNIM") and p["actor2"] == "Military Forces of Mali"


def test_adjacent_state_words_are_one_mention(nlp):
    doc = run(nlp, "Turkish army warplanes struck PKK positions.")
    assert [s.text for s in doc.layer("actors")][:2] == ["Turkish army warplanes", "PKK"]


def test_user_entry_wins_over_the_shipped_one(tmp_path):
    f = tmp_path / "mine.jsonl"
    f.write_text("# my corrections\n" + json.dumps({"name": "Hezbollah", "aliases": ["Hezbollah"],
                                                     "type": "Rebel group", "country": "Lebanon"}) + "\n")
    d = ActorDictionary.load([f])
    from conflictatlas.actors import choose
    got = choose(d.match("Hezbollah fired rockets")[0], "Lebanon", "2022-01-01")
    assert got[0].type == "Rebel group"
