"""The regex prefilter may only skip searches that would find nothing."""
import re

from conflictatlas import eventtypes
from conflictatlas.prefilter import DEPTH, FOLDS_TO_ASCII, WordStarts, lower_for_literals, start_prefixes

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
    assert p[DEPTH - 1] == {"kill", "shot", "air ", "airs"} and not any(p[:DEPTH - 1] + p[DEPTH:])


def test_a_digit_is_any_digit():
    p = start_prefixes(r"(?<![\w-])(?:\d+ ?mm|shell)")
    assert p is not None
    for text in ("a 120mm round", "a 7 mm bullet", "\u0663 mm", "shells fell"):
        assert WordStarts(text).may_match(p), text
    assert not WordStarts("the mm wave, x120mm").may_match(p)


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


def test_lower_case_literals_fold_as_re_ignorecase_does():
    """Outside _FOLDS_TO_ASCII no character matches an ASCII letter under re.I, and lower-casing
    keeps each character one character long and a word character or not."""
    import sys

    from conflictatlas.stages import dates
    letter = re.compile("[a-z]", re.I)
    word = re.compile(r"\w")
    for code in range(128, sys.maxunicode + 1):
        c = chr(code)
        if FOLDS_TO_ASCII.match(c):
            continue
        assert not letter.match(c), hex(code)
        low = c.lower()
        assert len(low) == 1, hex(code)
        assert bool(word.match(c)) == bool(word.match(low)), hex(code)


def test_the_dates_windows_are_the_same_either_way():
    from conflictatlas.stages import dates
    text = ("KABUL, Afghanistan - On 3 MARCH 2022, two weeks ago, Omar said the attack of Mar. 2 "
            "was before the one in may. Earlier this month, a Priory school was hit. " * 12)
    for cue in dates._CUES_LOWER:
        fast = dates._windows(text, cue, {})
        rx = dates._CUES[cue][0]
        assert fast == dates._windows(text[:-1] + "\u017f", cue, {})   # the re.I path
        assert fast and rx.flags & re.I


def test_claims_skip_only_sentences_without_the_words():
    from conflictatlas.stages import claims

    def unfiltered(sentence):
        for rx in (claims._IN_STATEMENT, claims._ACCORDING, claims._SAID):
            m = rx.search(sentence)
            if m:
                return " ".join(m.group("src").split()).strip(" ,.'\"“”")
        return None

    said = "Army spokesman Ali Hassan said in a statement that 3 were killed, according to police."
    assert claims.attribution(said) == unfiltered(said) == "Army spokesman Ali Hassan"
    for s in ("The POLICE CONFIRMED nothing.", "No one spoke.", "ACCORDING TO witnesses, 3 died.",
              "Police \u017fAID it.", "Local media REPORTED two deaths"):
        assert claims.attribution(s) == unfiltered(s), s
    assert claims.attribution("The POLICE CONFIRMED nothing.")
    assert claims.hedged("Five were REPORTEDLY killed.")
    assert not claims.hedged("Five were killed.")
    assert lower_for_literals("Ab\u017f") is None and lower_for_literals("AB") == "ab"


def test_lower_pattern_keeps_escapes_and_group_names():
    from conflictatlas.prefilter import lower_pattern
    assert lower_pattern(r"\b(?P<Wd>Monday|TUE)\s+(?P=Wd)[A-Z]\D") == r"\b(?P<Wd>monday|tue)\s+(?P=Wd)[a-z]\D"
    assert lower_pattern(r"(?i:March)") is None and lower_pattern(r"(?-i:march)") is None


def test_the_dates_lower_case_patterns_find_the_same_matches():
    from conflictatlas.stages import dates
    texts = [
        "On Saturday, 26 June 2022, and on MONDAY night (March 3-5, 2022) troops moved; three days ago "
        "in early March, between 3 and 5 May, over the past 48 hours, last week, New Year's Eve 2021.",
        "KYIV, Ukraine (AP) — Overnight into Sunday the army said that since 2014, in the 1990s, "
        "and EARLIER THIS MONTH, on 12th of Sept. and Dec 1 - Jan 2, yesterday and this morning.",
        "The Mayday rally: Omar marched in Mayfair on Sundays; summary of Marchand's MAY 2 statement.",
        "Über-Tag: ÉTAT 3 Mär 2022 — «Monday» “Tuesday” 1–2 March, l’été du 5 mai.",
    ]
    for text in texts:
        folded = lower_for_literals(text)
        assert folded is not None
        for kind, rx in dates._PATTERNS:
            want = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
            got = [(m.span(), m.groupdict()) for m in dates._finditer(kind, rx, text, folded)]
            assert got == want, (kind, text)
            got = [(m.span(), m.groupdict()) for m in dates._finditer(kind, rx, text, folded, 5, len(text) - 7)]
            assert got == [(m.span(), m.groupdict()) for m in rx.finditer(text, 5, len(text) - 7)], kind


def test_the_prefix_index_answers_as_each_pattern_would():
    """PrefixIndex.possible names exactly the cues whose WordStarts.may_match is True."""
    from conflictatlas.prefilter import PrefixIndex
    prefixes = {"kill": start_prefixes(r"(?<![\w-])(?:killed|kills)"), "calibre": start_prefixes(r"(?<![\w-])\d+ ?mm"),
                "any": None, "protest": start_prefixes(r"(?<![\w-])(?:protest\w*|rall(?:y|ied))")}
    index = PrefixIndex(prefixes)
    for text in TEXTS + ["a 120mm round", "they rallied, then killed", "", "x", "\ua66e mm"]:
        low = text.lower()
        starts = WordStarts(low)
        assert index.possible(low) == {n for n, p in prefixes.items() if starts.may_match(p)}, text
    assert index.possible("police fired tear gas") == {"any"}
    for text in TEXTS:
        low = text.lower()
        starts = WordStarts(low)
        assert eventtypes._RX_INDEX.possible(low) == {
            n for n, p in eventtypes._RX_PREFIXES.items() if starts.may_match(p)}, text


def test_a_folded_pattern_finds_what_the_case_blind_one_finds():
    from conflictatlas.prefilter import Folded
    rx = re.compile(r"\b(?:claimed\s+by|blamed\s+on|said\s+(?:it|they))\b", re.I)
    folded = Folded(rx)
    assert folded.low is not None
    for text in TEXTS + ["The attack was CLAIMED BY the group.", "Police said they", "unclaimed bylaws",
                         "Blamed On", "claimed\u212a by", "\u0130STANBUL: blamed on rebels", ""]:
        assert folded.found(text) == (rx.search(text) is not None), text
    # a pattern with inline flags is searched as it is
    mixed = Folded(re.compile(r"(?i:by\s+)(?-i:[A-Z]\w+)"))
    assert mixed.low is None and mixed.found("fired by Russia") and not mixed.found("fired by russia")
