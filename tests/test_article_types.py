"""Types, actors and dates of article events: short articles written here, read through the
real pipeline (a protest that turns into a riot, a demolition told within a raid, weapons seized
with the seizing forces named elsewhere, a stale dateline date)."""
import conflictatlas
from conflictatlas.stages.events import crowd_throws

_BACKGROUND = """

The dispute over the land has gone on for more than a decade and has been heard by several courts.

Local leaders have asked the national government to settle the matter before the rains begin, saying
families who farm there have nowhere else to go.
"""

SQUATTERS = """Squatters and police face off over disputed farm

Members of a landless families' group demonstrated on a disputed farm in Nakuru on June 3, 2025, saying
the land was theirs.

The families say a court gave them the land.

When officers began clearing the huts, the squatters stoned them, forcing them to retreat to their vehicles.
""" + _BACKGROUND

CAMP = """Police break up sit-in outside ministry in Nakuru

Hundreds of traders demonstrated outside the county offices in Nakuru on June 3, 2025, demanding the
return of their stalls.

Officers swooped on the camp during the night, set the tents on fire and detained dozens of people.
""" + _BACKGROUND


def _types(doc):
    return [(e.event_type, e.sub_event_type) for e in doc.events]


def test_a_demonstration_whose_crowd_stones_the_police_is_a_riot():
    doc = conflictatlas.extract(SQUATTERS, published="2025-06-05")
    assert _types(doc) == [("Riots", "Violent demonstration")], _types(doc)
    assert "made specific by sentence" in doc.events[0].extra["type_why"]


def test_forces_burning_a_protest_camp_do_not_make_the_protest_a_riot_but_an_intervened_protest():
    doc = conflictatlas.extract(CAMP, published="2025-06-05")
    assert ("Riots", "Violent demonstration") not in _types(doc), _types(doc)
    ev = doc.events[0]
    assert (ev.event_type, ev.sub_event_type) == ("Protests", "Protest with intervention"), _types(doc)
    assert ev.actor2 == "Police Forces of Kenya" and "made specific by sentence" in ev.extra["type_why"]


def test_crowd_throws_needs_the_crowd_in_the_clause_of_the_act():
    assert crowd_throws("When officers began clearing the huts, the squatters stoned them.")
    assert crowd_throws("Protesters hurled rocks at the police station.")
    assert not crowd_throws("Armed police swooped on the camp, set the tents on fire and detained 60.")
    assert not crowd_throws("Protesters were seen scuffling with police carrying riot shields.")


DEMOLITION = """Soldiers demolish suspect's home in West Bank village; teenager killed

Israeli forces shot dead a Palestinian teenager in the village of Beita near Nablus late on Sunday,
the Palestinian health ministry said.

The army said soldiers and border police had entered the village to demolish the house where a man
accused of a shooting attack had lived.

Hundreds of youths gathered as the troops arrived, the ministry said.

The army later announced that the demolition was complete and that its forces had left the village.
""" + _BACKGROUND


def test_a_demolition_told_within_a_raid_is_an_event_of_its_own():
    doc = conflictatlas.extract(DEMOLITION, published="2025-03-10")
    types = _types(doc)
    assert ("Violence against civilians", "Attack") in types, types
    assert ("Strategic developments", "Looting/property destruction") in types, types
    demo = next(e for e in doc.events if e.sub_event_type == "Looting/property destruction")
    kill = next(e for e in doc.events if e.event_type == "Violence against civilians")
    assert demo.event_date == kill.event_date == "2025-03-09"
    assert demo.fatalities == 0 and demo.actor1 and "Israel" in demo.actor1
    assert "demolition" in demo.extra["incident_why"][0]
    # the demolition is no longer listed as an aside of the killing
    assert not any("demolish" in s for s in kill.extra.get("part_of_this_event", []))


WEAPONS = """Rebels weakened by loss of rifles in Samar

The seizure on Tuesday of 20 rifles belonging to the New People's Army in the town of Catubig in
Northern Samar will weaken the rebels further, a spokesman said on Friday.

The cache held 15 M16 rifles and five carbines, he said.

Soldiers of the Army's 8th Infantry Division searched the area after villagers told them armed men
had been seen there.
""" + _BACKGROUND


def test_weapons_seized_from_a_group_are_seized_by_the_forces_the_report_names():
    doc = conflictatlas.extract(WEAPONS, published="2025-02-14")
    ev = next(e for e in doc.events if e.sub_event_type == "Disrupted weapons use")
    assert ev.actor1 and ev.actor1.startswith("Military Forces of the Philippines"), ev.actor1
    assert ev.actor2 == "NPA: New People's Army"
    assert "the forces named act" in ev.extra["actor_why"]


STALE = """Protester shot dead in Omdurman

March 2, 2025 (KHARTOUM) – Security forces opened fire on a march in Omdurman on Saturday, killing one
demonstrator, a doctors' group said.

The group said the young man died of a gunshot wound to the chest.
""" + _BACKGROUND


def test_a_dateline_date_far_from_the_report_date_is_not_the_anchor():
    doc = conflictatlas.extract(STALE, published="2025-05-20")
    assert doc.meta["anchor_date"] == "2025-05-20"
    assert "not used" in doc.meta["anchor_why"]
    assert doc.events[0].event_date == "2025-05-17"        # the Saturday before 20 May


def test_a_dateline_date_close_to_the_report_date_stays_the_anchor():
    doc = conflictatlas.extract(STALE.replace("March 2, 2025", "May 19, 2025"), published="2025-05-20")
    assert doc.meta["anchor_date"] == "2025-05-19" and "anchor_why" not in doc.meta


CURFEW = """Minister orders curfew in parts of Lamu after killings

A 30-day dusk-to-dawn curfew is in force in parts of Lamu county from Wednesday, June 4, 2025, the interior minister announced.

He urged residents to cooperate with the security agencies and to report strangers.

Two days before the order, a resident of Kamaru-Sirwa village in the Hindi division of Lamu West was killed.

Police on Tuesday detained four suspects over the raid on the Jimbo-Sirikali area of Lamu County, blamed on Al-Shabaab, in which six people died the previous day.

Earlier reports had said Al-Shabaab militants raided the village and set several houses on fire.
"""


def test_the_raid_on_another_village_is_not_a_back_reference_to_the_killing_told_before():
    doc = conflictatlas.extract(CURFEW, published="2025-06-04")
    attacks = {e.location: e for e in doc.events if e.event_type == "Violence against civilians"}
    assert set(attacks) == {"Kamaru-Sirwa", "Jimbo-Sirikali"}, [(e.event_type, e.location) for e in doc.events]
    assert attacks["Kamaru-Sirwa"].fatalities == 1 and attacks["Jimbo-Sirikali"].fatalities == 6
    # "on Tuesday ... died the previous day": the Monday
    assert attacks["Jimbo-Sirikali"].event_date == "2025-06-02"
    # the killing is not folded into the curfew told the same days in the same county
    curfew = next(e for e in doc.events if e.event_type == "Strategic developments")
    assert curfew.fatalities == 0 and len(doc.events) == 3


def test_unidentified_gunmen_in_north_western_nigeria_are_named_after_the_state():
    doc = conflictatlas.extract("Gunmen stormed a village in Malumfashi, Katsina State, on Friday and killed seven "
                                "residents, police said.", published="2025-03-08")
    ev = doc.events[0]
    assert (ev.actor1, ev.inter1) == ("Katsina Communal Militia (Nigeria)", "Identity militia"), ev.actor1
    assert "after the state" in ev.extra["actor_why"]
    doc = conflictatlas.extract("Gunmen stormed a village in Ikorodu, Lagos State, on Friday and killed seven "
                                "residents, police said.", published="2025-03-08")
    assert doc.events[0].actor1 == "Unidentified Armed Group (Nigeria)"


def test_forces_that_only_name_an_attack_are_not_its_actor():
    for verb in ("called an attack by gunmen who fled", "described as a terror attack"):
        doc = conflictatlas.extract("A guard was shot dead at the gate of a settlement near Nablus on Friday, in what "
                                    f"the Israeli army {verb}.", published="2025-05-03")
        assert doc.events[0].actor1 != "Military Forces of Israel", (verb, doc.events[0].extra["actor_why"])


BANDITS = """Troops repel bandits heading for council headquarters in Niger State

More than 60 bandits were killed when soldiers and police fought off a large group of them in Bangi, in Niger State's Mariga area, officials said.

The commissioner said the gunmen came from Nasko, where three policemen were killed on Tuesday, March 11, and were heading to attack Bangi.

Security personnel, he said, intervened at around 6 pm on Wednesday, March 12, as the bandits were about to storm the council headquarters.
""" + _BACKGROUND


def test_a_date_told_in_a_where_clause_dates_what_happened_at_that_other_place():
    doc = conflictatlas.extract(BANDITS, published="2025-03-13")
    ev = next(e for e in doc.events if e.location == "Bangi")
    assert ev.event_date == "2025-03-12", (ev.event_date, ev.extra["date_why"])


def test_militants_demolishing_a_shrine_during_their_raid_make_no_second_event():
    text = DEMOLITION.replace("The army said soldiers and border police had entered the village to demolish the house "
                              "where a man\naccused of a shooting attack had lived.",
                              "Witnesses said the gunmen had also demolished a shrine at the edge of the village.")
    assert "demolished a shrine" in text
    doc = conflictatlas.extract(text.replace("The army later announced that the demolition was complete and that its "
                                             "forces had left the village.\n", ""), published="2025-03-10")
    assert ("Strategic developments", "Looting/property destruction") not in _types(doc), _types(doc)
