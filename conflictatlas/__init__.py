"""conflictatlas: ACLED-shaped conflict events from news reports, offline."""
from __future__ import annotations

__version__ = "0.1.0"

from .document import Document, Evidence, Span  # noqa: E402
from .event import Event  # noqa: E402


def load(config=None, stages=None):
    """Build the default pipeline (or the named ``stages``) with ``config``."""
    from .pipeline import Pipeline
    from .config import load_config, Config
    if config is None or not isinstance(config, Config):
        config = load_config(config)
    return Pipeline.from_names(stages, config)


_DEFAULT = None


def _default_pipeline():
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT


def extract(text: str, published=None, id: str = "text", pipeline=None, **meta) -> Document:
    """Run the pipeline on one text; returns the Document with ``doc.events``."""
    from .sources import parse_date
    doc = Document(id=id, text=text, published=parse_date(published), raw=text,
                   meta={"format": meta.pop("format", "text")}, **meta)
    return (pipeline or _default_pipeline())(doc)


def extract_sources(paths, published=None, pipeline=None, max_mb: float | None = None,
                    batch_size: int | None = None, max_report_mb: float | None = None):
    """Read files/folders and yield processed Documents, or ``sources.Problem`` records in order."""
    from .sources import read_sources, Problem
    pipe = pipeline or _default_pipeline()
    batch_size = batch_size or int(pipe.config.get("pipeline", "batch_size", 64))
    max_mb = max_mb if max_mb is not None else float(pipe.config.get("input", "max_mb", 20))
    if max_report_mb is None:
        max_report_mb = float(pipe.config.get("input", "max_report_mb", 2))
    pending = []

    def flush():
        docs = [d for d in pending if not isinstance(d, Problem)]
        done = iter(pipe.pipe(docs, batch_size=batch_size))
        for item in pending:
            yield item if isinstance(item, Problem) else next(done)

    for item in read_sources(paths, published=published, max_mb=max_mb, max_report_mb=max_report_mb):
        pending.append(item)
        if len(pending) >= batch_size:
            yield from flush()
            pending = []
    if pending:
        yield from flush()


__all__ = ["Document", "Span", "Evidence", "Event", "load", "extract", "extract_sources", "__version__"]
