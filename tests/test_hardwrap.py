"""Hard-wrapped plain text (e-mail bulletins, .txt exports, wire copy at 60-72 columns): its
lines are joined into their paragraphs before sentences are split, real line structure is kept,
and offsets point into the text the pipeline reads. Invented texts only."""
import textwrap

import pytest

import conflictatlas
from conflictatlas.hardwrap import unwrap
from conflictatlas.stages.sentences import split_sentences

ARTICLE = (
    "Militants kill nine in attack on market town in Somalia\n\n"
    "MOGADISHU, June 9 (Reuters) - Nine civilians were killed on Sunday in an attack blamed on "
    "Al-Shabaab, in which gunmen stormed the market of Afgooye in Lower Shabelle and opened fire "
    "on traders, a district official said.\n\n"
    "Abdullahi Mohamed Nur, the district commissioner, said the attackers arrived on motorbikes "
    "before dawn and Somali National Army soldiers later drove them out of the town. Twelve other "
    "people were wounded and taken to hospitals in Mogadishu, he told Reuters by telephone.\n\n"
    "Al-Shabaab, which is linked to al Qaeda, has fought the federal government for more than "
    "fifteen years and often attacks markets, hotels and military bases across the south."
)


def wrapped(text, width):
    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n"))


def summary(doc):
    return [(e.event_type, e.sub_event_type, e.actor1, e.actor2, e.inter1, e.inter2,
             e.fatalities, e.event_date, e.location, e.admin1) for e in doc.events]


@pytest.fixture(scope="module")
def unwrapped_events():
    return summary(conflictatlas.extract(ARTICLE, published="2025-06-10"))


@pytest.mark.parametrize("width", [60, 64, 66, 70, 72])
def test_an_article_wrapped_at_a_width_gives_the_same_events(unwrapped_events, width):
    doc = conflictatlas.extract(wrapped(ARTICLE, width), published="2025-06-10")
    assert unwrapped_events and unwrapped_events[0][6] == 9
    assert summary(doc) == unwrapped_events
    assert doc.meta["hard_wrap"]["wrapped_lines"] >= 6
    for ev in doc.events:
        for evs in ev.evidence.values():
            for e in evs:
                assert e.text == doc.text[e.start:e.end] and e.text in e.sentence
    assert "\n" not in doc.text.split("\n\n")[1]      # the dateline paragraph is one line again


def test_a_sentence_across_a_wrap_before_a_name_stays_one_sentence():
    text = ("Nine civilians were killed on Sunday in an attack blamed on\n"
            "Al-Shabaab, in which gunmen stormed the market of Afgooye and\n"
            "opened fire on traders, a district official said.")
    joined, how = unwrap(text)
    assert len(joined) == len(text) and "\n" not in joined and how["joined_lines"] == 2
    assert len(split_sentences(joined)) == 1
    assert len(split_sentences(text)) == 2            # what the splitter did with the wraps


def test_a_word_broken_at_its_hyphen_is_whole_again():
    text = ("Residents said the fighters who attacked the village belonged to Al-\n"
            "Shabaab and that they had come from the forest near the river before\n"
            "dawn on Monday, burning several houses.")
    joined, _ = unwrap(text)
    assert "Al-Shabaab and" in joined and "\n" not in joined


def test_headline_dateline_byline_and_list_keep_their_lines():
    text = ("Gunmen Attack Police Post In Northern Burkina Faso Town\n"
            "By Amadou Traore\n"
            "OUAGADOUGOU, March 3 (AFP) - Gunmen attacked a police post in the town of Djibo on "
            "Saturday, killing four officers, the security ministry said in a statement read "
            "on national television.\n"
            "The ministry listed the dead:\n"
            "- two police officers\n"
            "- two volunteers for the defence of the homeland\n"
            "Photo: a police vehicle in Djibo\n")
    joined, how = unwrap(text)
    assert joined == text and how is None


def test_furniture_lines_of_a_page_are_not_joined():
    text = ("Home | World | Africa\n"
            "Share on Facebook\n"
            "Updated 12 March 2025, 10:41 GMT\n\n"
            "Soldiers clashed with militants near Menaka on Tuesday, the army said, "
            "adding that three soldiers were wounded in the fighting that lasted for hours.\n\n"
            "Related\nMore news from the Sahel\n")
    joined, how = unwrap(text)
    assert joined == text and how is None


def test_lines_of_even_length_that_are_not_a_wrapped_paragraph_are_kept():
    # a short header line and an address block: no line is near a width
    text = ("Situation report no. 12\n"
            "Prepared by the field office\n"
            "Distribution: partners\n\n"
            "The field office reported two incidents this week.")
    assert unwrap(text) == (text, None)


def test_a_text_of_unwrapped_paragraphs_is_left_alone():
    assert unwrap(ARTICLE) == (ARTICLE, None)
    doc = conflictatlas.extract(ARTICLE, published="2025-06-10")
    assert "hard_wrap" not in doc.meta


def test_a_paragraph_filled_by_a_non_greedy_filler_is_joined():
    # lines of uneven length near 70 columns, as an editor that balances lines leaves them
    text = ("Security forces repelled an attack by armed men on a checkpoint\n"
            "near the town of Tillaberi on Thursday night, killing seven of\n"
            "the assailants, the defence ministry said in a statement\n"
            "released on Friday. Two soldiers were slightly wounded.")
    joined, how = unwrap(text)
    assert "\n" not in joined and how["wrapped_lines"] == 3
    assert len(split_sentences(joined)) == 2


def test_a_wrapped_txt_file_and_jsonl_text_give_the_events_of_the_unwrapped_article(tmp_path,
                                                                                   unwrapped_events):
    """What a user feeds: a .txt export with CRLF line ends and a JSONL line, both wrapped at
    62 columns, through the command line."""
    import json
    import subprocess
    import sys
    (tmp_path / "bulletin.txt").write_bytes(wrapped(ARTICLE, 62).replace("\n", "\r\n").encode())
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "w1", "text": wrapped(ARTICLE, 62)}) + "\n")
    for name in ("bulletin.txt", "feed.jsonl"):
        out = tmp_path / (name + ".out")
        subprocess.run([sys.executable, "-m", "conflictatlas", "extract", str(tmp_path / name),
                        "--published", "2025-06-10", "-o", str(out)], check=True, capture_output=True)
        events = json.loads(out.read_text().splitlines()[0])["events"]
        got = [(e["event_type"], e["actor1"], e["fatalities"], e["event_date"]) for e in events]
        assert got == [(t, a1, n, d) for t, _, a1, _, _, _, n, d, _, _ in unwrapped_events], name


def test_a_header_block_beside_a_wrapped_body_keeps_its_lines_and_the_body_is_joined():
    header = ("From: Field Security Office <security@example.org>\n"
              "To: All staff in the northern region and partner organisations\n"
              "Subject: Security incident report for the week of 3 March\n"
              "Classification: internal\n\n")
    body = wrapped(ARTICLE.split("\n\n", 1)[1], 68)
    joined, how = unwrap(header + body)
    assert joined.startswith(header)
    assert all("\n" not in p for p in joined[len(header):].split("\n\n"))
    assert how["width"] <= 68


def test_a_paragraph_a_line_is_not_taken_for_wrapped_text():
    # JSONL text with one paragraph a line, each line ending its sentences
    text = ("Gunmen attacked a police post in Djibo on Saturday, killing four officers.\n"
            "The security ministry said the attackers fled towards the border with Mali.\n"
            "Two officers were wounded and taken to the regional hospital in Ouahigouya.\n"
            "The town has been under blockade by armed groups for more than a year now.")
    assert unwrap(text) == (text, None)


def test_a_list_of_headlines_of_similar_length_keeps_its_lines():
    text = ("Latest news\n\n"
            "Army says it retook two villages near the border after heavy fighting\n"
            "Aid agencies warn of hunger as rains fail for a third season running\n"
            "Minister meets envoy on prisoner exchange and the reopening of roads\n"
            "Court adjourns trial of former governor accused of funding militias\n"
            "Protesters block main highway over fuel prices for a second day\n")
    assert unwrap(text) == (text, None)
