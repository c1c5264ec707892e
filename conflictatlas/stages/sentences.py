"""sentences: split ``doc.text`` into sentences (layer ``sentences``), fast and rule-based.

Handles abbreviations (U.S., Lt. Gen., No., km.), initials, decimals and quotes; paragraph
breaks always end a sentence, and so does a line break before a capital: lines hard-wrapped at a
width were joined by ``clean`` (``conflictatlas.hardwrap``), so what is left is line structure.
"""
from __future__ import annotations

import re

from ..document import Document, Span
from ..pipeline import stage

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt",
    "adm", "cmdr", "gov", "sen", "rep", "pres", "st", "mt", "ft", "jr", "sr", "no", "nos", "vs",
    "etc", "approx", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "km", "kms", "mi", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "inc", "ltd",
    "co", "corp", "dept", "govt", "brig", "hon", "rev", "fig", "al",
}
# a candidate boundary: . ! ? (with closing quotes/brackets) then space(s) then an opener
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
# a missing space after the full stop: "in Syria.The army" / 'in Gao."Three'
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])([\"”]?)(?=[\"“]?[A-Z][a-z])")
_PARA = re.compile(r"\n\s*\n|\n[ \t]*(?=[A-Z\"“])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    glued = [m.end() for m in _GLUED.finditer(text)]
    for pstart, pend in _paragraphs(text):
        start = pstart
        para = text[pstart:pend]
        for m in _BOUNDARY.finditer(para):
            end = pstart + m.end(1)
            word = re.search(r"([A-Za-z.]+)[.]$", text[max(start, end - 12):end - len(m.group(1)) + 1])
            if word:
                w = word.group(1).lower().rstrip(".")
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
            if text[start:end].strip():
                spans.append(_trim(text, start, end))
            start = pstart + m.end(2)
        if text[start:pend].strip():
            spans.append(_trim(text, start, pend))
    if glued:
        spans = _split_glued(text, spans, glued)
    if any(e - s > MAX_SENTENCE for s, e in spans):
        spans = _split_long(text, spans)
    return spans


#: longer "sentences" (tables, lists, run-on or hostile text) are cut at a clause break, so
#: that no stage ever works on an unbounded sentence
MAX_SENTENCE = 1000


def _split_long(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        while e - s > MAX_SENTENCE:
            window = text[s:s + MAX_SENTENCE]
            cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
            cut = s + (cut + 1 if cut > MAX_SENTENCE // 2 else MAX_SENTENCE)
            out.append(_trim(text, s, cut))
            s = cut
        out.append(_trim(text, s, e))
    return [sp for sp in out if sp[1] > sp[0]]


def _split_glued(text: str, spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        inner = [c for c in cuts if s < c < e]
        for c in inner:
            out.append(_trim(text, s, c))
            s = c
        out.append(_trim(text, s, e))
    return [sp for sp in out if sp[1] > sp[0]]


def _paragraphs(text: str):
    start = 0
    for m in _PARA.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@stage("sentences", requires=("clean",), assigns=("sentences",))
def make_sentences(config):
    """Rule-based sentence splitter."""

    def sentences(doc: Document) -> Document:
        doc.spans["sentences"] = [Span(s, e, "sentence", {}, i, doc.text[s:e])
                                  for i, (s, e) in enumerate(split_sentences(doc.text))]
        return doc

    return sentences
