"""The events and claims stages on short invented reports, through the real pipeline."""
import conflictatlas
from conflictatlas.stages.claims import attribution, hedged


def one(text, published="2025-06-10"):
    return conflictatlas.extract(text, published=published)


def test_a_short_report_is_one_event_with_evidence_for_each_field():
    doc = one("Gunmen killed four villagers in an attack on Anka in Zamfara state on Sunday, police said.")
    assert len(doc.events) == 1
    ev = doc.events[0]
    assert ev.event_type == "Violence against civilians" and ev.sub_event_type == "Attack"
    assert ev.event_date == "2025-06-08" and ev.time_precision == 1
    assert ev.country == "Nigeria" and ev.fatalities == 4
    assert ev.inter2 == "Civilians"
    for field in ("event_type", "event_date", "fatalities", "location"):
        assert ev.evidence[field], field
        e = ev.evidence[field][0]
        assert e.source == doc.id and e.text == doc.text[e.start:e.end] and e.text in e.sentence
    assert ev.extra["said_by"] == "police"


def test_an_article_with_two_events_in_two_places_gives_two_events():
    text = ("Fighting flared across the north on Tuesday, officials said.\n\n"
            "In Gao, soldiers clashed with JNIM militants on Tuesday, killing three of them, the army said. "
            "The army said the operation continues.\n\n"
            "Separately, protesters marched peacefully in Dakar on Tuesday to demand lower food prices. "
            "The march ended without incident, organisers said. Several hundred people took part in the march, "
            "which crossed the city centre from the university to the national assembly building.")
    doc = one(text, "2025-06-11")
    types = sorted((e.event_type, e.country) for e in doc.events)
    assert ("Battles", "Mali") in types and ("Protests", "Senegal") in types
    battle = next(e for e in doc.events if e.event_type == "Battles")
    assert battle.fatalities == 3 and battle.event_date == "2025-06-10"
    assert doc.events[0] is battle                     # the most salient first


def test_history_is_not_coded_as_a_new_event():
    text = ("Iraqi troops killed five Islamic State militants in the Hamrin mountains on Monday, the army said.\n\n"
            "The Islamic State group overran much of northern Iraq in 2014 and killed thousands of people. "
            "It was defeated in Iraq in 2017 by Iraqi forces backed by a US-led coalition, "
            "which carried out thousands of air strikes against its fighters in Mosul and Raqqa. "
            "Its remnants still carry out hit-and-run attacks across the desert and the mountains.")
    doc = one(text, "2025-02-11")
    assert [e.event_date[:4] for e in doc.events] == ["2025"]
    assert doc.events[0].fatalities == 5


def test_a_toll_in_parts_on_different_days_is_split_per_day_and_counted_once():
    text = ("Security forces killed 12 militants in the past two days, the army said in a statement on Wednesday. "
            "The army said troops backed by tribal fighters raided several hideouts during the operation.\n\n"
            "State television said that five militants were killed and seven on Monday in the Hamrin mountains, "
            "in Diyala province. The army said no soldiers were hurt in the fighting, which lasted several hours "
            "and involved helicopters and armoured vehicles.")
    doc = one(text, "2025-02-12")
    battles = [e for e in doc.events if e.event_type == "Battles"]
    assert sum(e.fatalities for e in battles) == 12
    assert sorted(e.fatalities for e in battles) == [5, 7]
    seven = next(e for e in battles if e.fatalities == 7)
    assert seven.event_date == "2025-02-10" and seven.time_precision == 1


def test_attribution_and_hedges():
    assert attribution("The army said in a statement that troops killed 10 militants.") == "The army"
    assert attribution("Ten people died, according to the Syrian Observatory for Human Rights.") == \
        "the Syrian Observatory for Human Rights"
    assert attribution("Troops killed 10 militants.") is None
    assert hedged("Militants reportedly seized the town.") and not hedged("Militants seized the town.")


def test_strength_figures_are_claims_not_events():
    text = ("Troops killed six al-Shabaab fighters in Lower Shabelle on Friday, the army said.\n\n"
            "In a report issued in May, the United Nations said al-Shabaab has \"between 7,000 and 12,000 fighters\" "
            "across Somalia. The group still controls large rural areas in the south of the country, "
            "where it collects taxes and runs its own courts, the report said.")
    doc = one(text, "2025-06-08")
    assert [e.fatalities for e in doc.events] == [6]
    claims = doc.meta.get("claims", [])
    assert any(c["low"] == 7000 and c["high"] == 12000 for c in claims)
    assert any("United Nations" in (c["said_by"] or "") for c in claims)


def test_an_unknown_village_falls_back_to_the_country_and_says_so():
    doc = one("Burkinabe soldiers clashed with JNIM militants in Zorgoumbaba village on Sunday, killing two.",
              "2025-06-10")
    ev = doc.events[0]
    assert ev.country == "Burkina Faso" and ev.geo_precision == 3
    assert "country centroid" in ev.extra["place_why"] and "no place resolved" in ev.extra["place_why"]


def test_sport_is_not_conflict_but_an_untyped_conflict_report_is_kept_and_flagged():
    assert one("Real Madrid beat Barcelona 3-1 in Madrid on Sunday.").events == []
    assert one("The striker shot twice before the break as the league leaders attacked.").events == []
    doc = one("On 3 May 2025, soldiers and militants were seen near Gao; a fatality was reported by locals.")
    assert len(doc.events) == 1
    ev = doc.events[0]
    assert (ev.event_type, ev.sub_event_type) == ("Strategic developments", "Other")
    assert ev.confidence < 0.3 and "no rule typed it" in ev.extra["type_why"]
    assert ev.country == "Mali" and ev.event_date == "2025-05-03"


def test_claiming_responsibility_is_not_a_hedge_and_each_figure_keeps_its_own_speaker():
    assert not hedged("JNIM claimed the attack on the convoy.")
    assert not hedged("Al-Shabaab claimed responsibility for the blast.")
    assert hedged("The group claimed to have killed 30 soldiers.")
    doc = one("Militants attacked an army post near Djibo on Sunday, killing 12 soldiers, officials said. "
              "The group claimed that 30 soldiers died in the attack.", "2025-06-10")
    ev = doc.events[0]
    assert ev.fatalities == 12
    assert any(c["value"] == 30 and c.get("said_by") == "The group" for c in ev.claims), ev.claims


def test_a_follow_up_that_revises_a_toll_is_typed_by_the_event_it_names():
    doc = one("The death toll from Sunday's car bombing in Kabul has risen to 12, officials said on Tuesday.",
              "2025-06-10")
    ev = doc.events[0]
    assert ev.event_type == "Explosions/Remote violence" and ev.fatalities == 12
    assert ev.extra.get("revised") is True and ev.country == "Afghanistan"


def test_an_article_is_typed_over_its_sentences_and_its_headline_is_no_event():
    text = ("Fuel protest turns chaotic in Nairobi CBD\n\n"
            "Hundreds of residents took to the streets of Nairobi on Monday to protest against fuel prices. "
            "Anti-riot police lobbed teargas canisters at the demonstrators and arrested a dozen of them. "
            "There were no deaths reported.")
    doc = one(text, "2025-03-04")
    assert [(e.event_type, e.sub_event_type, e.fatalities) for e in doc.events] == \
        [("Protests", "Protest with intervention", 0)]


def test_a_weapons_seizure_during_a_battle_is_part_of_the_battle():
    text = ("Iraqi troops killed seven Islamic State militants on Tuesday in the Hamrin mountains, "
            "the army said in a statement.\n\n"
            "The statement said the troops raided hideouts used by the group and seized weapons and explosives. "
            "Two soldiers were wounded in the clash, it added.")
    doc = one(text, "2025-02-12")
    assert [e.event_type for e in doc.events] == ["Battles"]
    assert doc.events[0].fatalities == 7 and doc.events[0].extra.get("part_of_this_event")


def test_a_sentence_that_goes_on_telling_an_event_types_it():
    text = ("Fighting continued in the south, officials said.\n\n"
            "In Khartoum, hundreds of people protested on Monday against power cuts, witnesses said. "
            "Police fired tear gas to disperse them.\n\n"
            "The war broke out in April 2023 and has killed tens of thousands of people, the UN says.")
    doc = one(text, "2025-06-17")
    protests = [e for e in doc.events if e.event_type == "Protests"]
    assert [e.sub_event_type for e in protests] == ["Protest with intervention"]
    assert all(e.event_date.startswith("2025") for e in doc.events)


def test_named_speakers_are_kept_with_their_role_and_the_actor_they_speak_for():
    doc = one("The PMF commander in Diyala province Abu Ali al-Basri said on Monday that fighters killed "
              "three militants near Khanaqin. Troops also clashed with rebels, said Ahmed Jabouri, the army spokesman.",
              "2025-06-10")
    people = {p["name"]: p for p in doc.meta["speakers"]}
    basri = people["Abu Ali al-Basri"]
    assert basri["role"] == "The PMF commander in Diyala province"
    assert "Popular Mobilization Forces" in basri["actor"]
    assert people["Ahmed Jabouri"]["role"] == "army spokesman"
    for p in doc.meta["speakers"]:
        assert doc.text[p["start"]:p["end"]] == p["name"]
