"""Article tolls read as ACLED codes them: earlier tolls replaced by the main report's figure,
victims in apposition or coordination, one named person killed."""
from datetime import date

import pytest

import conflictatlas
from conflictatlas.stages.numbers import fatalities


@pytest.fixture(scope="module")
def nlp():
    return conflictatlas.load()


def toll(nlp, text):
    doc = nlp(conflictatlas.Document(id="t", text=text, published=date(2024, 3, 11)))
    return fatalities(doc)[0]


@pytest.mark.parametrize("text,expected", [
    # an earlier, lower toll is replaced by the report's own figure, wherever it is told
    ("Rebels ambushed an army convoy near the border on Sunday, killing 21 soldiers, a monitor said. "
     "State television had earlier given a toll of 16 dead.", 21),
    ("At first, officials reported four deaths in the shelling of the market. "
     "Rebel shelling of the market on Friday killed nine people, the governor said.", 9),
    ("The toll rose to 30 from the 12 dead first reported after the bombing of the bus station.", 30),
    # a later figure that is smaller is not a revision: the earlier toll stays
    ("At first, officials reported four deaths in the shelling of the market on Friday. "
     "Two of the dead were children.", 4),
    # a part told in apposition is not a second group
    ("Police said that four people, three of them teachers, were killed when gunmen attacked a school.", 4),
    # "two guards and a driver": the driver counts too
    ("Gunmen opened fire on the convoy, killing two guards and a driver and wounding a passenger.", 3),
    # one named person
    ("A farmer was attacked by armed men in his field on Monday. Karimov died on the spot.", 1),
    ("Local trader Ravi Menon, 41, who ran a shop in the market, was gunned down on Monday.", 1),
    # not a name
    ("Militants attacked the village on Monday. Many died on the spot.", 3),
])
def test_article_tolls(nlp, text, expected):
    assert toll(nlp, text) == expected


def test_killed_or_hurt_is_no_death_toll(nlp):
    assert toll(nlp, "The blast at the mosque left around 40 people killed or hurt.") == 0


def _article(*paragraphs):
    return "\n\n".join(paragraphs)


def events_of(nlp, text):
    return nlp(conflictatlas.Document(id="a", text=text, published=date(2024, 3, 11))).events


def test_suicide_bomber_counted_among_the_dead(nlp):
    text = _article(
        "Suicide attack on a hotel in Kismayo",
        "KISMAYO, Somalia (AP) - At least nine people were killed on Sunday when a suicide bomber set off his "
        "explosives at the gate of a hotel in Kismayo where officials were meeting, police said.",
        "The bomber was stopped by guards at the gate before he detonated the vest, a police officer said.",
        "Al-Shabaab said it carried out the attack, the latest in a string of bombings in the port city.",
        "The hotel is popular with officials and businessmen, and the city has seen repeated attacks.")
    evs = [e for e in events_of(nlp, text) if e.sub_event_type == "Suicide bomb"]
    assert evs and evs[0].fatalities == 10
    assert "suicide bomber" in evs[0].extra["fatalities_why"]


def test_bomber_already_counted_not_added_twice(nlp):
    text = _article(
        "Suicide attack on a hotel in Kismayo",
        "KISMAYO, Somalia (AP) - At least nine people, including the bomber, were killed on Sunday when a suicide "
        "bomber set off his explosives at the gate of a hotel in Kismayo where officials were meeting, police said.",
        "Al-Shabaab said it carried out the attack, the latest in a string of bombings in the port city.",
        "The hotel is popular with officials and businessmen, and the city has seen repeated attacks.")
    evs = [e for e in events_of(nlp, text) if e.sub_event_type == "Suicide bomb"]
    assert evs and evs[0].fatalities == 9


def test_toll_told_after_the_attack_in_a_sentence_of_its_own(nlp):
    text = _article(
        "Shopkeeper stabbed in Multan",
        "MULTAN: A shopkeeper was attacked with a knife by two men near the grain market in Multan on Sunday "
        "evening, police said.",
        "Rashid Mehmood, 45, tried to run into a neighbour's house. Mehmood died on the spot.",
        "Police registered a case and began a search for the attackers, a police spokesman said.")
    evs = events_of(nlp, text)
    assert evs and evs[0].fatalities == 1


def test_date_a_day_after_the_act(nlp):
    text = _article(
        "Bomb kills five at a market in Gao",
        "Traders clear rubble at the central market in Gao on Sunday, March 10, 2024, a day after militants "
        "bombed the market, killing five people. (Photo/Staff)",
        "GAO, Mali - Five people were killed when a bomb went off in the central market of Gao, officials said.",
        "No group has said it carried out the attack.")
    evs = [e for e in events_of(nlp, text) if e.event_type == "Explosions/Remote violence"]
    assert evs and evs[0].event_date == "2024-03-09"
    assert "day(s) before" in evs[0].extra["date_why"]


def test_date_a_day_after_kept_for_the_act_told_first(nlp):
    # the act told before "a day after" keeps the date: it is that act's own day
    from conflictatlas.stages.events import day_before_act
    from conflictatlas.eventtypes import TypeGuess
    text = ("Police arrested two men in Gao on Sunday, March 10, 2024, a day after the bombing of the "
            "central market, a police spokesman said.")
    doc = nlp(conflictatlas.Document(id="d", text=text, published=date(2024, 3, 11)))
    span = [s for s in doc.layer("dates") if "March 10" in s.text][0]
    at = text.index("arrested")
    arrest = TypeGuess("Strategic developments", "Arrests", "Strategic developments", None, 0.9,
                       (at, at + len("arrested")), "test")
    assert day_before_act(doc, 0, arrest, "2024-03-10", span) == "2024-03-10"
    at = text.index("bombing")
    bombing = TypeGuess("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence",
                        None, 0.9, (at, at + len("bombing")), "test")
    assert day_before_act(doc, 0, bombing, "2024-03-10", span) == "2024-03-09"
