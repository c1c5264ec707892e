"""The entities stage: rule-based by default, spaCy's model when asked for."""
import pytest

from conflictatlas.config import load_config
from conflictatlas.document import Document
from conflictatlas.pipeline import Pipeline

TEXT = "Fighters of al-Shabaab attacked a base in Lower Shabelle. The Somali National Army repelled them."


def test_rule_based_entities_mark_capitalised_runs():
    p = Pipeline.from_names(["clean", "sentences", "entities"])
    doc = p(Document(id="e", text=TEXT))
    got = [s.text for s in doc.layer("entities")]
    assert "Lower Shabelle" in got
    assert any("Somali National Army" in g for g in got)
    assert all(s.label == "PROPN" for s in doc.layer("entities"))
    assert [s.sent for s in doc.layer("entities") if "Shabelle" in s.text] == [0]


def test_spacy_entities_when_enabled():
    pytest.importorskip("spacy")
    cfg = load_config(overrides={"entities": {"use_spacy": True}})
    p = Pipeline.from_names(["clean", "sentences", "entities"], cfg)
    if p.stages[2].nlp is None:
        pytest.fail("spaCy is installed but its model did not load")
    doc = p(Document(id="e", text=TEXT))
    labels = {s.label for s in doc.layer("entities")}
    assert labels and "PROPN" not in labels


def test_missing_model_falls_back_with_a_clear_message(caplog):
    cfg = load_config(overrides={"entities": {"use_spacy": True, "model": "no_such_model_xyz"}})
    p = Pipeline.from_names(["clean", "sentences", "entities"], cfg)
    assert "E030" in caplog.text and "conflictatlas[ner]" in caplog.text
    doc = p(Document(id="e", text=TEXT))
    assert doc.layer("entities")
