"""Event type and sub-event type rules (conflictatlas.eventtypes), on short invented reports."""
import pytest

from conflictatlas.event import DISORDER_TYPES, EVENT_TYPES
from conflictatlas.eventtypes import SUB_TO_TYPE, TypeGuess, classify, classify_sentences

CASES = [
    # Protests
    ("Hundreds of teachers marched to the ministry in Lakeside on Monday demanding higher pay.",
     "Peaceful protest"),
    ("Farmers staged a sit-in outside the governor's office to protest new land taxes.",
     "Peaceful protest"),
    ("Students protested against tuition fees in Northtown. Police fired tear gas to disperse "
     "the crowd and arrested twelve of them.", "Protest with intervention"),
    ("Riot police detained 30 demonstrators at a rally against the election results.",
     "Protest with intervention"),
    ("Security forces opened fire on peaceful demonstrators in the capital, killing three "
     "protesters.", "Excessive force against protesters"),
    ("Soldiers used live ammunition to disperse a peaceful march of workers; two were seriously "
     "injured.", "Excessive force against protesters"),
    # Riots
    ("Protesters threw stones at police and burned tyres on the main road in Eastville during a "
     "demonstration over power cuts.", "Violent demonstration"),
    ("Demonstrators clashed with police and vandalised shops after a rally against fuel prices.",
     "Violent demonstration"),
    ("An angry mob lynched a suspected thief at the market in Riverton.", "Mob violence"),
    ("Villagers beat a man to death after accusing him of stealing a goat.", "Mob violence"),
    ("Supporters of two rival parties clashed with sticks outside a polling station.",
     "Mob violence"),
    # Battles
    ("Government troops clashed with rebels near the village of Ashford; five fighters died.",
     "Armed clash"),
    ("Militants ambushed an army patrol on the highway, and soldiers returned fire.", "Armed clash"),
    ("Insurgents attacked a police checkpoint outside Millbrook, killing two policemen.",
     "Armed clash"),
    ("After heavy fighting, the army recaptured the town of Westport from the rebels.",
     "Government regains territory"),
    ("Rebels seized control of the town of Hillcrest after clashes with the army.",
     "Non-state actor overtakes territory"),
    # Explosions/Remote violence
    ("Warplanes carried out airstrikes on the village of Stonebridge, killing four civilians.",
     "Air/drone strike"),
    ("A drone strike hit a vehicle near the border town.", "Air/drone strike"),
    ("Artillery shelled residential areas of Northgate overnight.",
     "Shelling/artillery/missile attack"),
    ("Two missiles struck the outskirts of the city, damaging a school.",
     "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded under a military truck near Fairview, wounding three soldiers.",
     "Remote explosive/landmine/IED"),
    ("A child was killed when a landmine went off in a field outside the village.",
     "Remote explosive/landmine/IED"),
    ("Unknown men threw a hand grenade into a bar in the old town, injuring five people.",
     "Grenade"),
    ("A suicide bomber blew himself up at a checkpoint, killing seven.", "Suicide bomb"),
    ("Residents reported a chlorine gas attack on the eastern district.", "Chemical weapon"),
    # Violence against civilians
    ("Gunmen killed three farmers in their fields near Greenhill.", "Attack"),
    ("A woman was shot dead by unidentified assailants at her home.", "Attack"),
    ("Armed men abducted a priest and two teachers on the road to Lowfield.",
     "Abduction/forced disappearance"),
    ("Soldiers raped two women in the village of Brookside.", "Sexual violence"),
    # Strategic developments
    ("The two armed groups signed a ceasefire agreement in the capital.", "Agreement"),
    ("Forty fighters of the militia surrendered to the authorities with their weapons.",
     "Agreement"),
    ("Police arrested the opposition leader and two journalists at his home.", "Arrests"),
    ("The militia looted shops and burned houses in the market town.",
     "Looting/property destruction"),
    ("Bomb disposal experts defused an improvised explosive device found near the bridge.",
     "Disrupted weapons use"),
    ("Troops seized a cache of weapons and ammunition in a raid on a farmhouse.",
     "Disrupted weapons use"),
    ("Air defences intercepted a drone over the city.", "Disrupted weapons use"),
    ("The army deployed reinforcements and a convoy of tanks to the front line.",
     "Change to group/activity"),
    ("The rebel group announced a new alliance with two smaller militias and began recruitment.",
     "Change to group/activity"),
    ("Foreign forces established a new military base near the airport.",
     "Headquarters or base established"),
    ("Rebels took control of the town peacefully after government troops withdrew.",
     "Non-violent transfer of territory"),
    ("Thousands of residents fled their homes and were displaced to nearby camps.", "Other"),
]


@pytest.mark.parametrize("text,sub", CASES)
def test_sub_event_types(text, sub):
    g = classify(text)
    assert g is not None, text
    assert g.sub_event_type == sub, g.why
    assert g.event_type == SUB_TO_TYPE[sub]


def test_all_sub_event_types_are_covered_by_the_cases():
    covered = {sub for _, sub in CASES}
    wanted = {sub for subs in EVENT_TYPES.values() for sub in subs}
    assert covered == wanted


@pytest.mark.parametrize("text,sub", CASES[::5])
def test_guess_fields_are_consistent(text, sub):
    g = classify(text)
    assert isinstance(g, TypeGuess)
    assert g.sub_event_type in EVENT_TYPES[g.event_type]
    assert g.disorder_type in set(DISORDER_TYPES.values())
    assert 0.0 <= g.score <= 1.0
    assert g.why and "->" in g.why
    assert g.trigger is not None
    start, end = g.trigger
    assert 0 <= start < end <= len(text)
    assert text[start:end].strip()


def test_trigger_points_at_the_deciding_words():
    text = "Students rallied in the square. Police used tear gas on them."
    g = classify(text)
    assert g.sub_event_type == "Protest with intervention"
    assert text[g.trigger[0]:g.trigger[1]].lower() == "tear gas"


def test_disorder_types():
    assert classify("Protesters marched peacefully through the city.").disorder_type == "Demonstrations"
    # ACLED counts a violent demonstration among demonstrations, mob violence as political violence
    vd = classify("Demonstrators threw stones at police during a protest against the mayor.")
    assert (vd.event_type, vd.disorder_type) == ("Riots", "Demonstrations")
    mob = classify("A mob lynched a suspected robber in the market.")
    assert (mob.event_type, mob.disorder_type) == ("Riots", "Political violence")
    assert classify("Police arrested five activists.").disorder_type == "Strategic developments"


def test_civilian_targeting():
    assert classify("Gunmen killed three farmers in their fields.").civilian_targeting == "Civilian targeting"
    assert classify("Troops clashed with rebels near the river.").civilian_targeting is None
    air = classify("An airstrike on the market killed twelve civilians.")
    assert air.sub_event_type == "Air/drone strike"
    assert air.civilian_targeting == "Civilian targeting"


def test_motive_of_a_protest_is_not_what_happened_at_it():
    g = classify("Relatives gathered outside the court to demand justice for a boy who was shot "
                 "dead by police last month.")
    assert g.sub_event_type == "Peaceful protest", g.why
    g = classify("Lawyers protested in Easton against the arrest of a colleague.")
    assert g.sub_event_type == "Peaceful protest", g.why


def test_armed_target_makes_a_battle_unarmed_an_attack():
    assert classify("Gunmen shot dead two soldiers at a checkpoint.").sub_event_type == "Armed clash"
    assert classify("Gunmen shot dead two traders at the market.").sub_event_type == "Attack"
    assert classify("Two policemen were killed by militants in an ambush.").event_type == "Battles"
    assert classify("Two shopkeepers were killed by militants in the night.").sub_event_type == "Attack"


def test_clash_with_heavy_weapons_is_still_a_battle():
    g = classify("The army and the rebels clashed with mortars and machine guns near the dam.")
    assert g.sub_event_type == "Armed clash"


def test_acled_note_conventions_are_used_but_not_needed():
    assert classify("Looting: On 3 May, fighters stole cattle in Oakvale.").sub_event_type == \
        "Looting/property destruction"
    assert classify("Residents gathered in the square. [size=around 50]").event_type == "Protests"


def test_no_event_gives_none():
    assert classify("") is None
    assert classify("   ") is None
    assert classify("The weather in the capital was mild and sunny on Tuesday.") is None


def test_classify_sentences_one_guess_per_sentence():
    sents = [
        "The region has seen years of drought.",
        "On Monday gunmen killed four villagers near Redwater.",
        "The group has between 3,000 and 5,000 fighters.",
        "The rebels said they will attack the capital next week.",
        "Later, police arrested two suspects.",
    ]
    out = classify_sentences(sents)
    assert len(out) == len(sents)
    assert out[0] is None
    assert out[1].sub_event_type == "Attack"
    assert out[2] is None
    assert out[3] is None or (out[3].event_type == "Strategic developments" and out[3].score < 0.5)
    assert out[4].sub_event_type == "Arrests"
    assert classify_sentences([]) == []


def test_docs_example_matches():
    g = classify("Students protested in Northtown. Police fired tear gas and arrested twelve.")
    assert (g.event_type, g.sub_event_type, g.disorder_type) == (
        "Protests", "Protest with intervention", "Demonstrations")
    assert g.trigger == (46, 54)
    assert g.why == "'protested' + 'tear gas' -> Protest with intervention"


def test_actor_types_settle_arrest_vs_abduction_and_attack_vs_clash():
    text = "The Northern Front detained three men at a checkpoint near Oakridge."
    assert classify(text).sub_event_type == "Arrests"
    g = classify(text, ("Rebel group", "Civilians"))
    assert g.sub_event_type == "Abduction/forced disappearance"
    assert g.civilian_targeting == "Civilian targeting"
    assert classify(text, ("State forces", "Civilians")).sub_event_type == "Arrests"
    text = "Gunmen shot dead a member of the Eastern Brigade outside his house."
    assert classify(text, ("Political militia", "Identity militia")).sub_event_type == "Armed clash"
    assert classify(text, ("Political militia", "Civilians")).sub_event_type == "Attack"


def test_sentences_that_are_not_reports():
    out = classify_sentences([
        "Drone Swarms and Non-State Warfare in the Region",          # a heading
        "* 2009 Market Square bombing",                               # a list item
        "The suspect is on trial on charges of murder and kidnapping.",  # a charge
        "The militants persist in carrying out raids on villages.",   # a habit
        "In May, police arrested the mayor of Southport.",            # 'May' is a month here
    ])
    assert out[:4] == [None, None, None, None]
    assert out[4].sub_event_type == "Arrests"


def test_protestant_is_not_a_protest():
    assert classify("The Protestant church in Millford held its annual fair.") is None


def test_trigger_offsets_survive_letters_that_grow_when_lower_cased():
    text = "İzmir: gunmen opened fire at a police checkpoint, killing two officers."
    g = classify(text)
    assert g.sub_event_type == "Armed clash"
    assert text[g.trigger[0]:g.trigger[1]] == "opened fire"


def test_accidents_and_disasters_are_not_political_events():
    assert classify("A strong earthquake killed eight people in the hill towns on Sunday.") is None
    assert classify("Two workers died when a boiler exploded at the chemical plant.") is None
    # ...unless someone did it on purpose
    g = classify("Gunmen set fire to the market after the floods, killing two traders.")
    assert g is not None and g.event_type == "Violence against civilians"


def test_an_intercepted_attack_that_did_harm_is_the_attack():
    g = classify("Rebels fired five missiles at the city; air defences intercepted three, but the "
                 "others hit a market, killing two people.")
    assert g.sub_event_type == "Shelling/artillery/missile attack", g.why
    g = classify("Air defences intercepted two drones over the port. No damage was reported.")
    assert g.sub_event_type == "Disrupted weapons use", g.why


def test_a_protest_only_planned_is_not_a_protest():
    g = classify("Police arrested 40 opposition supporters ahead of the rally.")
    assert g.sub_event_type == "Arrests", g.why


def test_violence_named_as_a_cause_is_not_the_event():
    g = classify("Thousands of civilians fled the region after the attacks.")
    assert g.sub_event_type == "Other", g.why
    g = classify("Angry youths torched a police station after a driver died in custody.")
    assert g.sub_event_type == "Mob violence", g.why


def test_no_deaths_is_not_lethal_force_against_protesters():
    from conflictatlas.eventtypes import classify
    g = classify("Police fired tear gas to disperse protesters in Nairobi. No one was killed.")
    assert g.sub_event_type == "Protest with intervention"
    g = classify("Residents protested in Nairobi; police lobbed teargas at them. There were no deaths reported.")
    assert g.sub_event_type == "Protest with intervention"
    g = classify("Police opened fire on protesters in Nairobi, killing two demonstrators.")
    assert g.sub_event_type == "Excessive force against protesters"


def test_last_resort_rules_catch_violence_told_without_the_usual_verbs():
    from conflictatlas.eventtypes import classify
    cases = {
        "Monitors observed 14 explosions and several projectiles near Horlivka on Sunday.":
            "Shelling/artillery/missile attack",
        "Villagers said gunmen took away 12 residents of the hamlet overnight.": "Abduction/forced disappearance",
    }
    for text, sub in cases.items():
        g = classify(text)
        assert g is not None and g.sub_event_type == sub, (text, g)
    for text in ("The company recorded strong profits in the third quarter.",
                 "Researchers counted the rings of the ancient tree."):
        assert classify(text) is None, text
