"""Who did what to whom: roles read from the clause, claims, associated actors, speakers.

Every text here is written for these tests."""
from __future__ import annotations

import conflictatlas as ca
from conflictatlas.stages import roles


def first(text: str, published: str = "2022-05-20"):
    doc = ca.extract(text, published=published)
    assert doc.events, text
    return doc, doc.events[0]


def test_active_voice_the_subject_acts_and_the_participle_names_the_target():
    _, ev = first("Iraqi jets struck an IS hideout in Anbar on Monday, killing four militants.")
    assert ev.actor1 == "Military Forces of Iraq"
    assert ev.actor2 == "Islamic State (Iraq)"
    assert "Iraqi jets" in ev.extra["actor_why"]


def test_at_the_hands_of_names_the_one_who_acted():
    _, ev = first("Three soldiers were killed at the hands of al-Shabaab fighters near Afgooye on Monday.")
    assert ev.actor1 == "Al Shabaab"
    assert ev.actor2 == "Military Forces of Somalia"
    assert "at the hands of" in ev.extra["actor_why"]


def test_the_group_that_claimed_the_bombing_is_actor1_not_the_army_it_killed():
    _, ev = first("A roadside bomb killed three soldiers near Afgooye on Monday. "
                  "Al-Shabaab claimed responsibility for the attack.")
    assert ev.actor1 == "Al Shabaab"
    assert ev.inter1 == "Rebel group"
    assert ev.actor2 == "Military Forces of Somalia"


def test_a_missile_launched_by_a_country_is_that_states_strike():
    _, ev = first("A missile launched by Russia hit a residential building in Kharkiv, Ukraine, on Monday, "
                  "killing two civilians.")
    assert ev.actor1 == "Military Forces of Russia"
    assert ev.inter1 == "External/Other forces"
    assert ev.actor2 == "Civilians (Ukraine)"
    assert "launched by Russia" in ev.extra["actor_why"]


def test_a_country_named_as_a_place_does_not_act():
    doc = ca.extract("Two rockets fired from Lebanon landed in open ground near Metula on Monday.",
                     published="2022-04-25")
    assert not [a for a in doc.layer("actors") if a.text == "Lebanon"]


def test_backed_by_makes_an_associated_actor_of_the_side_it_qualifies():
    _, ev = first("Iraqi troops, backed by the Popular Mobilization Forces, attacked an IS hideout in Anbar "
                  "on Monday.")
    assert ev.actor1 == "Military Forces of Iraq"
    assert ev.assoc_actor_1 == "Military Forces of Iraq Popular Mobilization Forces"
    assert ev.actor2 == "Islamic State (Iraq)"
    assert "backed by" in ev.extra["actor_why"]


def test_alongside_is_support_too():
    _, ev = first("Malian soldiers fought alongside Wagner mercenaries against JNIM militants near Moura "
                  "on Sunday.")
    assert ev.actor1 == "Military Forces of Mali"
    assert ev.assoc_actor_1 and "Wagner" in ev.assoc_actor_1
    assert ev.actor2 and "JNIM" in ev.actor2


def test_a_wire_agency_is_not_the_philippine_army():
    doc = ca.extract("BAGHDAD, May 2 (AFP) - Gunmen killed two farmers near Kirkuk on Sunday, police told AFP.",
                     published="2022-05-02")
    assert not [a for a in doc.layer("actors") if a.text == "AFP"]
    assert doc.events[0].actor1 == "Unidentified Armed Group (Iraq)"


def test_a_claim_about_others_or_a_missing_claim_is_no_claim():
    doc = ca.extract("On 22 May 2022, soldiers clashed with M23 rebels near Kavumu. M23 claimed FDLR fighters "
                     "were involved. There was no immediate claim of responsibility from IS.",
                     published="2022-05-22")
    for a in doc.layer("actors"):
        assert roles.clause_role(doc, a) is None or roles.clause_role(doc, a)[0] != "claimant", a.text


def test_claimed_by_and_blamed_on_name_the_author():
    doc = ca.extract("The bombing, claimed by the Islamic State, killed five people in Kabul on Friday. "
                     "Earlier raids were blamed on al-Shabaab.", published="2022-05-20")
    got = {a.text: roles.clause_role(doc, a) for a in doc.layer("actors")}
    assert got["Islamic State"][0] == "claimant"
    assert got["al-Shabaab"][0] == "claimant"


ARTICLE = """Maternity ward hit in Mariupol

A pregnant woman has died after Russian forces struck the maternity hospital in Mariupol, Ukraine.

Rescuers carried her through the wreckage on Wednesday, March 9, after an airstrike hit the building
in the city centre and killed three people.

City officials said 17 people were injured.
"""


def test_an_attack_told_without_its_author_takes_the_author_named_in_the_lead():
    doc = ca.extract(ARTICLE, published="2022-03-12")
    strikes = [e for e in doc.events if e.event_type == "Explosions/Remote violence"]
    assert strikes, [(e.event_type, e.actor1) for e in doc.events]
    assert strikes[0].actor1 == "Military Forces of Russia"
    assert strikes[0].inter1 == "External/Other forces"
    assert "lead" in strikes[0].extra["actor_why"]


def test_a_bare_army_after_a_foreign_force_named_with_its_demonym_is_that_force():
    doc = ca.extract("Zionist troops entered the village of Silat al-Harithiya near Jenin on Sunday.\n\n"
                     "The army said soldiers demolished the house of a wanted man in the village on Sunday.",
                     published="2022-02-14")
    named = {e.actor1 for e in doc.events}
    assert "Military Forces of Israel" in named
    assert "Military Forces of Palestine" not in named


def test_the_occupiers_are_the_forces_of_the_state_named_with_them():
    doc = ca.extract("The Russian occupiers abducted the fire chief of Enerhodar on May 18.",
                     published="2022-05-20")
    assert doc.events[0].actor1 == "Military Forces of Russia"
    assert doc.events[0].actor2 == "Civilians (Ukraine)"


def test_speakers_keep_name_role_and_actor():
    doc = ca.extract("Russian missiles hit Kharkiv on Monday, killing two people, regional governor "
                     "Oleh Syniehubov said.", published="2022-05-20")
    people = {p["name"]: p for p in doc.meta["speakers"]}
    assert people["Oleh Syniehubov"]["role"] == "regional governor"
    doc = ca.extract("Two people died in the shelling, Ivan Petrov, the governor of the region, said on Monday.",
                     published="2022-05-20")
    people = {p["name"]: p for p in doc.meta["speakers"]}
    assert people["Ivan Petrov"]["role"] == "governor of the region"
    doc = ca.extract("Army spokesman Yehia Rasool said two militants were killed near Tikrit on Monday.",
                     published="2022-05-20")
    people = {p["name"]: p for p in doc.meta["speakers"]}
    assert people["Yehia Rasool"]["actor"].startswith("Military Forces")


def test_a_bare_the_occupiers_is_the_state_named_as_occupiers_and_a_date_after_on_is_no_target():
    doc = ca.extract("Russian occupiers hold the village of Tsyrkuny.\n\n"
                     "On March 17 the occupiers abducted the head of the community from his office in Tsyrkuny, "
                     "Kharkiv region.", published="2022-03-21")
    ev = [e for e in doc.events if e.event_type == "Violence against civilians"][0]
    assert ev.actor1 == "Military Forces of Russia"
    assert "'occupiers', acts in its clause" in ev.extra["actor_why"]


def test_a_group_the_government_blames_stands_for_the_generic_jihadists():
    doc = ca.extract("Jihadists killed 40 villagers near Bankass on Saturday.\n\n"
                     "Residents buried the dead on Sunday.\n\n"
                     "The government blames the Katiba Macina, led by a Fulani preacher.", published="2022-06-20")
    ev = [e for e in doc.events if e.event_type == "Violence against civilians"][0]
    assert ev.actor1 == "JNIM: Group for Support of Islam and Muslims"
    assert "blames the Katiba Macina" in ev.extra["actor_why"]


def test_police_who_took_a_suspect_into_custody_did_not_do_the_killing():
    doc = ca.extract("A man was stabbed to death near Okara on Tuesday. Police took into custody a suspect "
                     "said to be involved in the killing.", published="2022-05-18")
    assert doc.events[0].actor1 != "Police Forces of Pakistan"


def test_prison_guards_are_police_forces():
    _, ev = first("Prison guards beat three inmates at a colony in Dimitrovgrad, Russia, on April 13.")
    assert ev.actor1 == "Police Forces of Russia"
    assert ev.inter1 == "State forces"


def test_an_army_vehicle_that_struck_a_mine_is_the_target_and_the_claimant_leads():
    _, ev = first("On 17 March 2022, an army vehicle struck an IED near Goundam, Mali. One soldier was killed. "
                  "JNIM claimed responsibility.")
    assert ev.actor1 == "JNIM: Group for Support of Islam and Muslims"
    assert ev.actor2 == "Military Forces of Mali"


def test_a_claim_does_not_displace_another_named_group_told_acting():
    _, ev = first("On 8 April 2022, ADF elements attacked civilians in Pakulu village, Ituri, killing eight. "
                  "IS claimed the attack.")
    assert ev.actor1 == "ADF: Allied Democratic Forces"


def test_molotovs_hurled_at_a_military_office_make_the_military_the_target():
    _, ev = first("Property destruction: During the night of 8 May 2022, two unidentified people hurled Molotov "
                  "cocktails through the windows of the military enlistment office in Cherepovets, Russia.")
    assert ev.event_type == "Strategic developments"
    assert ev.actor1 == "Unidentified Armed Group (Russia)"
    assert ev.actor2 == "Military Forces of Russia"


def test_police_who_confirm_the_toll_are_not_the_gunmen():
    doc = ca.extract("Police officials confirmed that two policemen were killed on Tuesday.\n\n"
                     "Unknown gunmen opened fire near Tang Kalli in North Waziristan, Pakistan, killing two "
                     "policemen and a polio worker.", published="2022-06-28")
    assert all(e.actor1 != "Police Forces of Pakistan" for e in doc.events if e.event_type != "Protests")


def test_police_who_detained_and_tortured_a_man_did_it():
    _, ev = first("Around 15 June 2022, police officers detained and tortured a blogger in Nukus, Uzbekistan.")
    assert ev.actor1 == "Police Forces of Uzbekistan"


def test_a_suspect_thought_to_belong_to_a_group_makes_it_the_author():
    doc = ca.extract("A young man was stabbed to death near Okara on Tuesday evening.\n\n"
                     "His uncle said the attacker shouted slogans before fleeing.\n\n"
                     "According to police, the suspect is thought to belong to Tehreek-i-Labbaik Pakistan (TLP).",
                     published="2022-05-18")
    ev = [e for e in doc.events if e.event_type == "Violence against civilians"][0]
    assert ev.actor1 == "TLP: Tehreek-e-Labbaik Pakistan"


def test_a_lone_attacker_in_the_united_states_is_a_sole_perpetrator():
    _, ev = first("On 9 March 2022, a man stabbed a passer-by in Los Angeles (California) in what police say "
                  "was a random attack.", published="2022-03-10")
    assert ev.actor1 == "Sole Perpetrator (United States)"
    assert ev.inter1 == "Political militia"


def test_a_curfew_ordered_by_the_interior_minister_is_the_governments():
    _, ev = first("A 30-day dusk-to-dawn curfew is now in force in parts of Lamu county, Kenya, Interior Cabinet "
                  "Secretary Fred Matiang'i announced on 5 January 2022.", published="2022-01-05")
    assert ev.event_type == "Strategic developments"
    assert ev.actor1 == "Government of Kenya"


def test_victims_believed_to_belong_to_a_group_do_not_make_it_the_author():
    doc = ca.extract("On March 10, five men believed to belong to the CJNG were killed in a gunfight in "
                     "Nuevo Parangaricutiro, Mexico.", published="2022-03-11")
    got = [roles.clause_role(doc, a) for a in doc.layer("actors") if "CJNG" in a.text]
    assert got and all(g is None for g in got)


def test_forces_among_the_dead_of_a_bombing_of_civilians_are_associated_with_the_target():
    _, ev = first("Two blasts killed 48 people in Beledweyne, Somalia, on Wednesday, among them a woman "
                  "legislator. Several members of the security forces were among those killed. "
                  "Al-Shabaab said it carried out the attacks.", published="2022-03-23")
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.actor1 == "Al Shabaab"
    assert ev.actor2 == "Civilians (Somalia)"
    assert ev.assoc_actor_2 == "Military Forces of Somalia"


def test_the_same_states_other_forces_acting_with_actor1_are_associated():
    _, ev = first("Police, Army and CRPF threw a cordon around the forest near Pahalgam, India, on Friday and "
                  "killed three Hizbul Mujahideen militants in the gunfight.", published="2022-05-07")
    assert ev.actor1 == "Police Forces of India"
    assert ev.assoc_actor_1 and "Military Forces of India" in ev.assoc_actor_1
    assert ev.actor2 == "Hizbul Mujahideen"


def test_who_tells_the_news_is_not_who_acted():
    from conflictatlas.stages.actors import _TELLS, _TELLS_OWN_ACT
    assert _TELLS.match(" said.") and _TELLS.match(" spokesman told reporters")
    assert not _TELLS.match(" fired on the crowd")
    assert _TELLS_OWN_ACT.match(" said it had killed ten militants")      # the army tells its own act

