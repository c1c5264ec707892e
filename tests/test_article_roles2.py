"""Who bombed whom in an article: a claim told with a long apposition, a rival claim reported by
an official, and forces that only act (investigate, speak) are no targets of a bombing."""
from datetime import date

import pytest

import conflictatlas


@pytest.fixture(scope="module")
def nlp():
    return conflictatlas.load()


def events_of(nlp, *paragraphs):
    text = "\n\n".join(paragraphs)
    return nlp(conflictatlas.Document(id="r", text=text, published=date(2024, 3, 11))).events


def test_claim_after_a_long_apposition_and_a_rival_claim(nlp):
    evs = events_of(
        nlp,
        "Bomb kills four at Quetta bus stand",
        "QUETTA: A bomb went off at the crowded bus stand in Quetta on Sunday, killing four people and wounding "
        "20 others, police said.",
        "At first the police described it as a gas cylinder blast, but later investigations showed it was a bomb.",
        "Hours later the Balochistan Liberation Army, a separatist outfit based in the mountains of the province, "
        "said on its Telegram channel that it had carried out the attack.",
        "In the evening, however, a provincial minister said it was the Tehreek-i-Taliban Pakistan that had "
        "claimed the bombing.")
    ev = [e for e in evs if e.event_type == "Explosions/Remote violence"][0]
    assert ev.actor1 == "BLA: Balochistan Liberation Army"
    assert ev.inter2 == "Civilians"


def test_forces_that_only_investigate_are_no_target(nlp):
    evs = events_of(
        nlp,
        "Blast kills three at Kabul market",
        "KABUL, Afghanistan (AP) - A bomb exploded at a crowded market in Kabul on Sunday, killing three people "
        "and wounding 12, officials said.",
        "At first the police described it as a gas cylinder blast, but investigators later found it was a bomb.",
        "No group has said it carried out the attack.")
    ev = [e for e in evs if e.event_type == "Explosions/Remote violence"][0]
    assert ev.inter2 == "Civilians"


def test_not_bystanders_keeps_a_force_told_hit():
    from conflictatlas.stages.actors import _not_bystanders
    police_acting = (None, {"name": "Police Forces of Pakistan"}, "agent")
    army_hit = (None, {"name": "Military Forces of Pakistan"}, "patient")
    why = []
    assert _not_bystanders([police_acting], True, why) == []
    assert why
    assert _not_bystanders([police_acting, army_hit], True, []) == [police_acting, army_hit]
    assert _not_bystanders([police_acting], False, []) == [police_acting]


def test_forces_in_a_clause_a_day_before_are_not_the_attackers(nlp):
    evs = events_of(
        nlp,
        "Trader shot dead in Ludhiana",
        "LUDHIANA: A cloth trader, 45, was gunned down outside his shop in Ludhiana on Sunday, a day "
        "after state police withdrew his security guard.",
        "Two men on a motorcycle fired at him and fled, witnesses said.")
    ev = [e for e in evs if e.event_type == "Violence against civilians"][0]
    assert ev.inter1 != "State forces"


def test_weapons_seized_from_a_group_the_forces_act(nlp):
    evs = events_of(
        nlp,
        "Army seizes rebel arms cache in Abra",
        "The seizure on Wednesday of 20 rifles belonging to the New People's Army in the town of Bangued "
        "will weaken the rebels further, a spokesman for the Army's 5th Infantry Division said on Friday.",
        "Soldiers of the Philippine Army combed the area after residents reported armed men nearby.")
    ev = [e for e in evs if e.sub_event_type == "Disrupted weapons use"][0]
    assert ev.inter1 == "State forces"
    assert ev.inter2 == "Rebel group"
