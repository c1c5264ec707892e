"""The pipeline: an ordered list of named stages, each ``Document -> Document``.

Stages register with :func:`stage`, declaring the span layers they ``requires`` and ``assigns``
so that the order is checked before anything runs (as spaCy's ``@Language.component``). A stage
is a callable taking and returning a Document; it may also define ``pipe(docs)`` to work on
batches (the entity stage batches spaCy).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .config import Config, load_config
from .document import Document
from .errors import Errors

log = logging.getLogger("conflictatlas")


@dataclass
class StageInfo:
    name: str
    factory: Callable[[Config], Callable[[Document], Document]]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    doc: str = ""


REGISTRY: dict[str, StageInfo] = {}

#: The default order of stages.
DEFAULT_STAGES = ("clean", "article", "sentences", "entities", "dates", "story", "places", "actors", "numbers",
                  "events", "claims")


def stage(name: str, requires: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Register a stage factory: ``factory(config) -> callable(doc) -> doc``."""

    def deco(factory):
        REGISTRY[name] = StageInfo(name, factory, tuple(requires), tuple(assigns),
                                   (factory.__doc__ or "").strip().split("\n")[0])
        return factory

    return deco


def _load_builtin_stages(names: Iterable[str]) -> None:
    """Import ``conflictatlas.stages.<name>`` for each built-in name (importing registers it)."""
    import importlib
    for n in names:
        if n not in REGISTRY and n in DEFAULT_STAGES:
            importlib.import_module(f"conflictatlas.stages.{n}")


@dataclass
class Pipeline:
    names: list[str]
    config: Config
    stages: list[Any] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)        # wall seconds per stage
    cpu_timings: dict[str, float] = field(default_factory=dict)    # CPU seconds of this process

    @classmethod
    def from_names(cls, names: Iterable[str] | None = None, config: Config | None = None) -> "Pipeline":
        config = config or load_config()
        names = list(names or config.get("pipeline", "stages", DEFAULT_STAGES))
        _load_builtin_stages(names)
        check_order(names)
        pipe = cls(names, config)
        pipe.stages = [REGISTRY[n].factory(config) for n in names]
        return pipe

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document], batch_size: int = 64) -> Iterator[Document]:
        """Run every stage over ``docs`` in batches, yielding finished documents in order."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        for name, proc in zip(self.names, self.stages):
            t0, c0 = time.perf_counter(), time.process_time()
            if hasattr(proc, "pipe"):
                out = list(proc.pipe(batch))
            else:
                out = []
                for doc in batch:
                    try:
                        out.append(proc(doc))
                    except Exception as exc:  # one bad document must not stop the run
                        log.warning("stage %s failed on document %s: %s", name, doc.id, exc)
                        doc.meta.setdefault("stage_errors", []).append(f"{name}: {exc}")
                        out.append(doc)
            for got in out:
                if not isinstance(got, Document):
                    raise TypeError(Errors.E003.format(name=name, got=got))
            batch = out
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0
            self.cpu_timings[name] = self.cpu_timings.get(name, 0.0) + time.process_time() - c0
        return batch


def check_order(names: list[str]) -> None:
    """Raise ValueError if a stage is unknown or needs a layer no earlier stage assigns."""
    have: set[str] = {"text"}
    for n in names:
        if n not in REGISTRY:
            raise ValueError(Errors.E001.format(name=n, available=", ".join(sorted(REGISTRY))))
        info = REGISTRY[n]
        for layer in info.requires:
            if layer not in have:
                raise ValueError(Errors.E002.format(name=n, layer=layer, order=" -> ".join(names)))
        have.update(info.assigns)
