"""Incidents, not sentences: short articles written here (headline, byline, lede, asides, a quote,
background, a teaser block), read through the real pipeline."""
import conflictatlas
from conflictatlas import eventtypes
from conflictatlas.incidents import statement_date, teaser_sentences, title_line

RAID = """Gunmen kill seven in raid on market town in Nigeria

By Staff Reporter | June 10, 2025

Gunmen killed seven traders on Sunday when they stormed the market in Konduga, in Borno State, residents and police said.

The attackers also burned shops and stalls before fleeing on motorcycles, a resident told reporters.

Police said on Monday they had detained six suspects in connection with the raid.

"We heard gunshots everywhere and everyone ran for their lives," said Musa Ali, a trader who escaped.

Boko Haram has since said it carried out the attack.

On March 3, for instance, insurgents killed twelve farmers near Bama.

Attacks in the region have killed more than 200 people since January, according to a local monitoring group.

Related

Floods displace thousands in Yola

Police arrest three over bank robbery in Kano
"""


def test_one_incident_told_over_many_paragraphs_is_one_event():
    doc = conflictatlas.extract(RAID, published="2025-06-10")
    assert len(doc.events) == 1, [(e.event_type, e.event_date, e.location) for e in doc.events]
    ev = doc.events[0]
    assert ev.event_type == "Violence against civilians" and ev.event_date == "2025-06-08"
    assert ev.fatalities == 7 and ev.country == "Nigeria"
    # the burning and the arrests are acts within the raid, said so
    acts = " ".join(ev.extra["part_of_this_event"])
    assert "burned shops" in acts and "detained six suspects" in acts
    assert any("told already" in why for why in ev.extra["incident_why"])      # the claim


def test_history_and_aggregates_are_background_with_their_reason():
    doc = conflictatlas.extract(RAID, published="2025-06-10")
    past = doc.meta["background_events"]
    assert {e.event_date for e in past} >= {"2025-03-03"}
    assert all(e.background and e.extra.get("history_why") for e in past)
    assert all(e.fatalities != 200 for e in doc.events)


def test_teasers_and_the_headline_are_no_incidents():
    doc = conflictatlas.extract(RAID, published="2025-06-10")
    blob = " ".join(e.location or "" for e in doc.events + doc.meta.get("background_events", []))
    assert "Kano" not in blob and "Yola" not in blob
    teasers = teaser_sentences(doc)
    texts = [doc.sentences[i].text for i in teasers]
    assert "Police arrest three over bank robbery in Kano" in texts
    assert title_line(doc, 0)                                   # the headline
    assert not title_line(doc, 2)                               # the lede closes with a full stop


def test_two_towns_far_apart_on_the_same_day_are_two_incidents():
    text = ("Violence across northern Burkina Faso\n\n"
            "Jihadists killed five soldiers in an ambush near Djibo on Sunday, security sources said.\n\n"
            "The soldiers were escorting a supply convoy when the attackers opened fire.\n\n"
            "In a separate incident, gunmen killed three civilians in Dori on Sunday, residents said.\n\n"
            "The army said on Monday that reinforcements had been sent to the area.")
    doc = conflictatlas.extract(text, published="2025-06-10")
    places = sorted(e.location for e in doc.events)
    assert places == ["Djibo", "Dori"], [(e.event_type, e.location, e.fatalities) for e in doc.events]
    assert sorted(e.fatalities for e in doc.events) == [3, 5]


def test_a_follow_up_toll_is_the_same_incident():
    text = ("Blast hits bus station in Peshawar\n\n"
            "A bomb exploded at a bus station in Peshawar on Friday, killing four people, police said.\n\n"
            "The toll went up after two of the wounded died in hospital, doctors said.\n\n"
            "No group has said it carried out the bombing.")
    doc = conflictatlas.extract(text, published="2025-06-07")
    assert len(doc.events) == 1, [(e.event_type, e.event_date, e.fatalities) for e in doc.events]
    assert doc.events[0].event_type == "Explosions/Remote violence"
    assert doc.events[0].event_date == "2025-06-06"


def test_sub_types_come_from_the_main_clause_not_from_asides():
    air = eventtypes.classify("Iraqi jets struck an IS hideout in the desert, killing four militants wearing "
                              "explosive belts.")
    assert air.sub_event_type == "Air/drone strike"
    worn = eventtypes.classify("A militant wearing an explosive belt attacked a checkpoint, killing three soldiers.")
    assert worn.sub_event_type == "Suicide bomb"
    person = eventtypes.classify("The bomber had been stopped at the door of the hotel, where officials were "
                                 "eating, before setting off his explosives, police said.")
    assert person.sub_event_type == "Suicide bomb"
    fight = eventtypes.classify("Troops killed five militants in an operation in the Hamrin mountains on Monday.")
    assert fight.event_type == "Battles"
    youths = eventtypes.classify("The fighting left 12 soldiers and seven armed youths dead, officials said.")
    assert youths.event_type == "Battles"


def test_a_bombing_is_made_specific_by_its_own_sentences():
    text = ("Bombing at hotel in Mogadishu\n\n"
            "A bomb went off at a hotel in Mogadishu on Friday evening, killing six people, police said.\n\n"
            "The bomber had been stopped at the door of the hotel, where officials were eating, "
            "before setting off his explosives, a police spokesman said.\n\n"
            "Al-Shabaab has said it was behind the attack.")
    doc = conflictatlas.extract(text, published="2025-06-07")
    assert [(e.event_type, e.sub_event_type) for e in doc.events] == \
        [("Explosions/Remote violence", "Suicide bomb")]
    assert "made specific" in doc.events[0].extra["type_why"]


def test_the_date_of_a_statement_is_not_the_date_of_the_incident():
    text = ("Troops repel bandits in Niger State\n\n"
            "Over 60 bandits were killed when troops and vigilantes repelled an attack on Bangi.\n\n"
            "His Thursday statement put the number of bandits killed in the operation at over 60.\n\n"
            "The troops intervened on Wednesday evening, the commissioner said.")
    doc = conflictatlas.extract(text, published="2025-06-06")
    thursday = next(d for d in doc.layer("dates") if d.text == "Thursday")
    assert statement_date(doc, thursday)
    assert all(e.event_date != "2025-06-05" for e in doc.events)


def test_an_attack_whose_victims_were_police_is_an_armed_clash():
    text = ("Polio team attacked in Waziristan\n\n"
            "Three people were killed on Tuesday when a polio vaccination team was attacked near Miranshah, "
            "officials said.\n\n"
            "Unknown gunmen opened fire on the team, killing two policemen guarding it and a health worker.\n\n"
            "Police sealed off the area and began a search for the attackers.")
    doc = conflictatlas.extract(text, published="2025-06-11")
    assert [(e.event_type, e.sub_event_type) for e in doc.events] == [("Battles", "Armed clash")]
    assert "made specific" in doc.events[0].extra["type_why"]


def test_the_output_record_says_what_was_set_aside_and_why():
    from conflictatlas.output import scorer_record
    rec = scorer_record(conflictatlas.extract(RAID, published="2025-06-10"))
    assert rec["background_events"] and rec["not_incidents"]
    assert all(x["why"] for x in rec["not_incidents"])


def test_a_quote_colours_the_incident_it_is_told_with():
    text = RAID.replace('"We heard gunshots everywhere and everyone ran for their lives," said Musa Ali, '
                        'a trader who escaped.',
                        '\u201cThey killed people in the market in Dikwa too, we are told,\u201d said Musa Ali, '
                        'a trader who escaped.')
    doc = conflictatlas.extract(text, published="2025-06-10")
    assert len(doc.events) == 1, [(e.event_type, e.location) for e in doc.events]
    assert any("told in a quote" in why for why in doc.events[0].extra["incident_why"])
