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


# -- second pass: who did what to whom, sides, types ----------------------------------------------------

def test_rsf_entry_follows_the_date():
    d = ActorDictionary.load()
    from conflictatlas.actors import choose
    m = d.match("RSF fighters attacked the town")[0]
    before, _ = choose(m, "Sudan", "2022-03-01")
    after, _ = choose(m, "Sudan", "2023-06-01")
    assert before.type == "State forces" and "Military Forces of Sudan" in before.name
    assert after.name == "Rapid Support Forces" and after.type == "Rebel group"


def test_anti_prefix_is_not_that_actor(nlp):
    doc = run(nlp, "Anti-Houthi forces shelled a hill in Taizz.")
    assert not any("Supreme Political Council" in n for n in names(doc))


def test_country_after_forces_sets_it(nlp):
    doc = run(nlp, "Military forces from Chad attacked a market.")
    assert "Military Forces of Chad" in names(doc)
    doc = run(nlp, "Forces of Iranian origin were seen.")
    assert "Military Forces of Iran" not in names(doc)


def test_air_forces_with_a_demonym(nlp):
    p = pick(nlp, "Russian air forces bombed a bridge near the village.", "Explosions/Remote violence",
             "Air/drone strike", "Ukraine")
    assert p["actor1"] == "Military Forces of Russia" and p["inter1"] == "External/Other forces"


def test_army_and_police_are_one_side(nlp):
    p = pick(nlp, "Army and police forces exchanged fire with TTP militants in the hills.", "Battles",
             "Armed clash", "Pakistan")
    assert p["inter1"] == "State forces" and p["actor2"].startswith("TTP")


def test_co_attackers_do_not_fight_each_other(nlp):
    p = pick(nlp, "The KNLA and a local defence force attacked a police station near the town.", "Battles",
             "Armed clash", "Myanmar")
    assert p["actor1"].startswith("KNU/KNLA") and p["actor2"] == "Police Forces of Myanmar"


def test_rival_groups_and_police_arriving_later(nlp):
    p = pick(nlp, "Two rival groups exchanged fire in a market. Police officers arrived and found two injured.",
             "Battles", "Armed clash", "Mexico")
    assert p["inter1"] == p["inter2"] == "Political militia"


def test_built_by_is_not_the_attacker(nlp):
    p = pick(nlp, "A bomb exploded at a pavilion built by the military in the town.", "Explosions/Remote violence",
             "Remote explosive/landmine/IED", "Myanmar")
    assert p["inter1"] == "Political militia"


def test_members_of_a_group_act(nlp):
    p = pick(nlp, "Suspected members of the ELN burned a truck on the road.", "Strategic developments",
             "Looting/property destruction", "Colombia")
    assert p["actor1"].startswith("ELN")


def test_beat_and_arrested_is_the_perpetrator(nlp):
    p = pick(nlp, "Soldiers beat and arrested a farmer at his home, and he later died.",
             "Violence against civilians", "Attack", "Myanmar")
    assert p["inter1"] == "State forces"


def test_a_place_name_before_militiamen_is_a_communal_militia(nlp):
    p = pick(nlp, "Niger militiamen attacked farmers in a village.", "Violence against civilians", "Attack",
             "Nigeria")
    assert p["actor1"] == "Niger Communal Militia (Nigeria)" and p["inter1"] == "Identity militia"


def test_unknown_named_front_is_a_rebel_group(nlp):
    doc = run(nlp, "The Green Valley Front shelled army positions.")
    v = [s.value for s in doc.layer("actors") if s.value.get("name") == "Green Valley Front"]
    assert v and v[0]["type"] == "Rebel group"


def test_plain_police_after_a_named_unit_is_that_unit(nlp):
    p = pick(nlp, "A drug trafficker exchanged fire with military police in the district. Police seized a gun.",
             "Battles", "Armed clash", "Brazil")
    assert p["actor1"] == "Military Forces of Brazil (2019-) Military Police"   # Brazil lists the state first
    assert p["inter2"] == "Political militia"


def test_foreign_forces_first_in_a_clash_between_two_states(nlp):
    p = pick(nlp, "Clashes took place between Ukrainian and Russian forces near the village.", "Battles",
             "Armed clash", "Ukraine")
    assert p["actor1"] == "Military Forces of Russia" and p["inter1"] == "External/Other forces"
    assert p["actor2"] == "Military Forces of Ukraine"


def test_modifier_only_never_captures_a_plain_alias():
    # "soldiers'" folds like "soldiers": listed as modifier_only it made every plain "soldiers" need a demonym
    from conflictatlas.actors import key_of
    for rec in (json.loads(line) for line in ACTORS_FILE.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith(("#", "//"))):
        only = set(rec.get("modifier_only") or ())
        for alias in rec.get("aliases") or ():
            if alias not in only:
                assert key_of(alias) not in {key_of(a) for a in only}, (rec["name"], alias)


def test_plain_soldiers_are_the_state(nlp):
    p = pick(nlp, "Soldiers beat a farmer at his home.", "Violence against civilians", "Attack", "Myanmar")
    assert p["actor1"] == "Military Forces of Myanmar" and p["inter1"] == "State forces"


def test_a_generic_alias_of_one_country_stays_there(nlp):
    p = pick(nlp, "Turkish army forces shelled PKK positions in the mountains.", "Explosions/Remote violence",
             "Shelling/artillery/missile attack", "Iraq")
    assert p["actor1"] == "Military Forces of Turkey" and p["inter1"] == "External/Other forces"
    assert p["actor2"].startswith("PKK")


def test_us_forces_in_syria_are_the_coalition(nlp):
    p = pick(nlp, "A US military patrol drove through the town.", "Strategic developments", "Other", "Syria")
    assert p["actor1"] == "Global Coalition Against Daesh" and p["inter1"] == "External/Other forces"
    q = pick(nlp, "A US military patrol drove through the town.", "Strategic developments", "Other", "Germany")
    assert q["actor1"] == "Military Forces of the United States"


def test_a_non_state_group_can_make_arrests(nlp):
    p = pick(nlp, "SDF forces detained three men accused of belonging to ISIS in the town.",
             "Strategic developments", "Arrests", "Syria")
    assert p["actor1"].startswith("QSD") and p["inter1"] == "Rebel group"
    assert p["actor2"] == "Civilians (Syria)"


def test_arrested_gang_members_are_the_gang(nlp):
    p = pick(nlp, "Police arrested at least 40 members of an unidentified gang in the city.",
             "Strategic developments", "Arrests", "El Salvador")
    assert p["actor2"] == "Unidentified Gang (El Salvador)" and p["inter2"] == "Political militia"


def test_shelling_that_hurts_people_targets_civilians(nlp):
    doc = run(nlp, "A shell hit the village, injuring a 12-year-old.")
    doc.spans["numbers"] = []
    p = pick_actors(doc, None, "Explosions/Remote violence", "Shelling/artillery/missile attack", "Myanmar")
    assert p["actor2"] is None      # no numbers layer here: nothing says people were hurt
    from conflictatlas.document import Span
    doc.spans["numbers"] = [Span(25, 33, "injured", {"kind": "injured", "count": 1}, 0, "injuring")]
    p = pick_actors(doc, None, "Explosions/Remote violence", "Shelling/artillery/missile attack", "Myanmar")
    assert p["actor2"] == "Civilians (Myanmar)"


def test_the_militarys_unit_and_regime_positions(nlp):
    p = pick(nlp, "The MSRU fired mortars at the military's battalion near the town.", "Explosions/Remote violence",
             "Shelling/artillery/missile attack", "Myanmar")
    assert p["actor2"] == "Military Forces of Myanmar"
    q = pick(nlp, "Opposition rebels shelled regime positions in the countryside.", "Explosions/Remote violence",
             "Shelling/artillery/missile attack", "Syria")
    assert q["actor2"] == "Military Forces of Syria" and q["inter2"] == "State forces"


def test_a_named_state_actor_stays_home_when_the_text_never_names_the_event_country(nlp):
    p = pick(nlp, "Houthi forces shelled a market in the old city.", "Explosions/Remote violence",
             "Shelling/artillery/missile attack", "Egypt")     # a place read in the wrong country
    assert p["inter1"] == "State forces"
    q = pick(nlp, "Houthi forces fired missiles at an airport in Saudi Arabia.", "Explosions/Remote violence",
             "Shelling/artillery/missile attack", "Saudi Arabia")
    assert q["inter1"] == "External/Other forces"


def test_gang_context_names_an_unidentified_gang(nlp):
    p = pick(nlp, "Armed men shot dead a shopkeeper who refused to pay extortion to a gang.",
             "Violence against civilians", "Attack", "Honduras")
    assert p["actor1"] == "Unidentified Gang (Honduras)"
    q = pick(nlp, "Armed men stabbed and injured a young man. The victim was a known drug dealer.",
             "Violence against civilians", "Attack", "Chile")
    assert q["actor1"] == "Unidentified Armed Group (Chile)"     # the cue tells of the victim


def test_a_military_coup_is_not_the_force_that_intervened(nlp):
    p = pick(nlp, "Hundreds marched against the military coup. Police fired tear gas at them.", "Protests",
             "Protest with intervention", "Sudan")
    assert p["actor2"] == "Police Forces of Sudan"


def test_the_patient_search_tried_at_verb_starts_finds_what_the_full_search_finds():
    from conflictatlas.stages import actors as stage
    for before in ("gunmen attacked the ", "militants fired at ", "troops fired on two ", "in an attack on Boko ",
                   "the KILLING OF ", "said on Monday that the ", "clashes with suspected ", "stormed", "",
                   "on the road near İSTANBUL ", "\u212aILLED the ", "attacked, and "):
        got, want = stage._search_patient_before(before), stage._PATIENT_BEFORE.search(before)
        assert (got and got.span()) == (want and want.span()), before
