"""Hostile and odd text never breaks the pipeline: huge words, nested brackets, tables of
figures, control and bidirectional characters, lone surrogates, markup fragments."""
import pytest

import conflictatlas
from conflictatlas.stages.sentences import MAX_SENTENCE, split_sentences

CASES = {
    "long_word": "x" * 50_000,
    "brackets": "(" * 5000 + "Baghdad" + ")" * 5000,
    "table": "1, " * 5000 + "killed",
    "repeated_trigger": "killed and " * 2000,
    "rtl": "قتل عشرة مسلحين في الأنبار " * 300,
    "controls": "Soldiers\u202e clashed\u0000 with\ufeff rebels\u200b near Gao on Monday.\x07" * 50,
    "surrogate": "Rebels attacked \ud800 a base in Kidal on Monday.",
    "markup": "<script>alert(1)</script><img src=x onerror=alert(2)> Police fired tear gas at protesters in Lagos.",
    "no_spaces": "Police.Fired.Tear.Gas." * 3000,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_text_gives_a_document_and_well_formed_events(name):
    doc = conflictatlas.extract(CASES[name], published="2025-05-06")
    assert all(s.end - s.start <= MAX_SENTENCE for s in doc.sentences)
    for ev in doc.events:
        for lst in ev.evidence.values():
            for e in lst:
                assert doc.text[e.start:e.end] == e.text
        assert ev.fatalities is None or 0 <= ev.fatalities < 10_000


def test_a_run_on_text_is_cut_into_bounded_sentences():
    text = "word, " * 2000
    spans = split_sentences(text)
    assert len(spans) > 1 and all(b - a <= MAX_SENTENCE for a, b in spans)
    assert text[spans[0][0]:spans[-1][1]].strip() == text.strip()
