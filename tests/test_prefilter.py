"""The regex prefilter may only skip searches that would find nothing."""
import re

from conflictatlas import eventtypes
from conflictatlas.prefilter import WordStarts, start_prefixes

TEXTS = [
    "Gunmen killed three farmers near the market on Sunday.",
    "Protesters threw stones at police, who fired tear gas; two were wounded.",
    "An air strike hit a school; the un-armed guards fled.",
    "The rebels signed a ceasefire agreement after talks in the capital.",
    "Nothing happened here at all.",
    "ÉTAT: the army's drone-strike on Tuesday (2 killed).",
]


def test_prefixes_of_a_word_alternation():
    p = start_prefixes(r"(?<![\w-])(?:kill(?:ed|s)?|shot|air ?strikes?)(?![\w])")
    assert p is not None
    assert p[2] == {"kil", "sho", "air"}


def test_a_pattern_that_may_start_anywhere_is_always_searched():
    assert start_prefixes(r"(?<![\w-])(?:\w+ed|x)") is None
    assert WordStarts("anything").may_match(None)


def test_a_text_without_the_words_is_skipped():
    p = start_prefixes(r"(?<![\w-])(?:killed|wounded)")
    assert not WordStarts("police fired tear gas").may_match(p)
    assert WordStarts("two were wounded").may_match(p)
    # inside a word ("unwounded") there is no word start, and the guard finds no match either
    assert not WordStarts("the unwounded").may_match(p)


def test_every_cue_skip_is_exact():
    for text in TEXTS:
        low = text.lower()
        starts = WordStarts(low)
        for name, rx in eventtypes._RX.items():
            if not starts.may_match(eventtypes._RX_PREFIXES[name]):
                assert rx.search(low) is None, (name, text)


def test_inline_flags_are_not_read_as_letters():
    assert start_prefixes(r"(?<![\w-])(?i:killed)") is None
    assert re.search(r"(?<![\w-])(?i:killed)", "KILLED")
