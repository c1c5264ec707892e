"""The same pipeline over many shards: local worker processes, or a Ray cluster.

The driver reads the inputs and cuts them into shards (a file each; a JSONL file every
``shard_size`` lines); workers run the pipeline on a shard's *content*, so Ray workers need no
access to the driver's disk. Results come back in input order, so the output is the same as a
single-process run, line for line.

Workers never lose to one process: the driver loads the pipeline once and local workers are
forked from it (no second start, no second gazetteer load) where the system allows; no more
workers run than there are free cores or shards (one means no worker at all); and shards are sized so
that every worker gets several (:func:`plan`).

    from conflictatlas.scale import extract_scaled
    report = extract_scaled(["reports/"], "events.jsonl", workers=4)                  # processes
    report = extract_scaled(["reports/"], "events.jsonl", backend="ray", address="auto")  # a cluster

Ray is the ``scale`` extra (``pip install 'conflictatlas[scale]'``), imported only when asked for.
"""
from __future__ import annotations

import itertools
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import Errors
from .sources import JSONL_SUFFIXES, Problem, is_whole_file_json, iter_files, iter_jsonl_lines, parse_date


@dataclass
class Shard:
    index: int
    name: str                  # the file's path (ids and messages name it)
    kind: str                  # "jsonl": payload is lines of text; "file": the file's bytes; "docs": Documents
    payload: Any
    first_line: int = 1


@dataclass
class ScaleReport:
    documents: int = 0
    events: int = 0
    shards: int = 0
    workers: int = 1           # worker processes that ran (1: the driver alone)
    problems: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.get("severity") != "warning")


#: shard sizes (JSONL lines): small enough that every worker gets many (the last shards, run while
#: other workers are idle, are short: at 16 workers and 400 notes/s a worker, 250 lines are 0.6 s),
#: large enough that sending a shard costs little beside running it
MIN_SHARD, MAX_SHARD, SHARDS_PER_WORKER = 16, 250, 16
#: the fewest reports worth a local worker of its own: ~1-4 s of one core's work (notes, articles),
#: what it takes to recover the parallel run's start (the shared village tables, the forks)
MIN_REPORTS_PER_WORKER = 400


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def free_cores() -> int:
    """Cores not busy with other work (the usable cores less the 1-minute load average), at
    least 1: a worker on a busy core only slows the others down."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return max(1, usable_cores() - int(load + 0.5))


def count_reports(paths: Iterable[str | os.PathLike]) -> int:
    """About how many reports the inputs hold (JSONL lines, other files one each), read fast."""
    n = 0
    for item in iter_files(paths):
        if isinstance(item, Problem):
            continue
        if item.suffix.lower() in JSONL_SUFFIXES:
            with open(item, "rb") as f:
                n += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + 1
        else:
            n += 1
    return n


def plan(n_reports: int, workers: int, backend: str = "process") -> tuple[int, int]:
    """(workers, shard size) for ``n_reports``: no more local workers than free cores, nor than
    give each worker MIN_REPORTS_PER_WORKER reports (a parallel run first loads the village tables
    that it shares, about 1.3 s: below that much work one process is faster), and shards of
    MIN_SHARD..MAX_SHARD lines so each worker gets about SHARDS_PER_WORKER of them."""
    if backend == "process":
        workers = min(workers, free_cores(), max(1, n_reports // MIN_REPORTS_PER_WORKER))
    workers = max(1, min(workers, -(-n_reports // MIN_SHARD)))
    size = -(-n_reports // (workers * SHARDS_PER_WORKER))
    return workers, max(MIN_SHARD, min(MAX_SHARD, size))


def make_shards(paths: Iterable[str | os.PathLike], shard_size: int = 500,
                max_mb: float = 20.0, max_report_mb: float | None = None) -> Iterator[Shard | Problem]:
    """Cut the inputs into shards, in input order. Unreadable paths come out as Problems."""
    index = 0
    for item in iter_files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        path = item
        if path.suffix.lower() in JSONL_SUFFIXES and not is_whole_file_json(path):
            lines: list[str] = []
            first = 1
            n = 0
            for item in iter_jsonl_lines(path, max_report_mb):
                if isinstance(item, Problem):
                    yield item
                    if item.severity != "warning":
                        n = item.line or n + 1
                        lines.append("\n")            # keeps the line numbers of the rest
                else:
                    n, text = item
                    lines.append(text if text.endswith("\n") else text + "\n")
                if len(lines) >= shard_size:
                    yield Shard(index, str(path), "jsonl", "".join(lines), first)
                    index += 1
                    lines, first = [], n + 1
            if lines:
                yield Shard(index, str(path), "jsonl", "".join(lines), first)
                index += 1
            continue
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield Problem(str(path), Errors.E018.format(path=path, why=exc))
            continue
        if size > max_mb * 1024 * 1024:       # not even read: the message is the reader's own
            yield Problem(str(path), Errors.E012.format(path=path, size=round(size / 1048576, 1), limit=max_mb))
            continue
        yield Shard(index, str(path), "file", path.read_bytes())
        index += 1


_WORKER: dict[str, Any] = {}


def _pipeline(config_path: str | None, overrides: dict | None):
    key = json.dumps([config_path, overrides], sort_keys=True)
    if _WORKER.get("key") != key:
        import conflictatlas
        from .config import load_config
        _WORKER["pipe"] = conflictatlas.load(load_config(config_path, overrides))
        _WORKER["key"] = key
    return _WORKER["pipe"]


def _warm(pipe) -> None:
    """Run one short text so that every lazily loaded part (the gazetteer) is loaded now."""
    from .document import Document
    pipe(Document(id="warm-up", text="Troops clashed with rebels near Baghdad, Iraq, on Monday; two were killed.",
                  raw="", meta={"format": "text"}))


def _read_shard(shard: Shard, pub: date | None, max_mb: float, max_report_mb: float | None) -> list:
    """The Documents and Problems of one shard, in order, named after the driver's file."""
    from .sources import read_file, read_jsonl_line
    if shard.kind == "jsonl":
        return [it for n, line in enumerate(shard.payload.splitlines(), shard.first_line)
                for it in read_jsonl_line(line, shard.name, n, pub, float("inf"))]
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / Path(shard.name).name
        local.write_bytes(shard.payload)
        items = list(read_file(local, published=pub, max_mb=max_mb, max_report_mb=max_report_mb))
    for it in items:
        if isinstance(it, Problem):
            it.message = it.message.replace(str(local), shard.name)
        it.path = shard.name
    return items


def _processed(shard: Shard, published: str | None, config_path: str | None, overrides: dict | None,
               max_mb: float, max_report_mb: float | None) -> Iterator:
    """The shard's items, each Document run through the pipeline (Problems pass as they are)."""
    if shard.kind == "docs":          # read (and sifted) by the driver already
        items = shard.payload
    else:
        items = _read_shard(shard, parse_date(published), max_mb, max_report_mb)
    docs = [d for d in items if not isinstance(d, Problem)]
    done = iter(_pipeline(config_path, overrides).pipe(docs))
    for it in items:
        yield it if isinstance(it, Problem) else next(done)


def _preload_shared_data() -> None:
    """Load, before forking, what workers would each load lazily: every country's village table.

    Loaded once here, the tables are shared by all forked workers (copy-on-write) instead of being
    read again by each worker for each country its shards name (on ACLED notes that is about
    0.8 CPU-s of every worker's first 200 notes, and the tables' memory once per worker)."""
    try:
        from .gazetteer import villages as vt
        codes = vt.countries()
    except (ImportError, AttributeError, OSError):       # no village tables: nothing to share
        return
    for cc in codes:
        vt.villages(cc)


def run_shard(shard: Shard, published: str | None = None, config_path: str | None = None,
              overrides: dict | None = None, evidence: bool = True, max_mb: float = 20.0,
              max_report_mb: float | None = None) -> dict:
    """Run the pipeline on one shard; returns its output lines, counts and problems."""
    from .output import scorer_record
    from .stages.article import date_notice
    lines, problems, events = [], [], 0
    for it in _processed(shard, published, config_path, overrides, max_mb, max_report_mb):
        if isinstance(it, Problem):
            problems.append({"path": it.path, "line": it.line, "message": it.message, "severity": it.severity})
            continue
        notice = date_notice(it)
        if notice and notice[1]:
            problems.append({"path": it.path, "line": None, "message": notice[1], "severity": "warning"})
        rec = scorer_record(it, evidence=evidence)
        events += len(rec["events"])
        lines.append(json.dumps(rec, ensure_ascii=False))
    return {"index": shard.index, "lines": lines, "problems": problems, "events": events}


def run_shard_documents(shard: Shard, published: str | None = None, config_path: str | None = None,
                        overrides: dict | None = None, max_mb: float = 20.0,
                        max_report_mb: float | None = None, **_ignored) -> dict:
    """Run the pipeline on one shard for the store: the processed Documents, lightened to what the
    store reads (no span layers), with the Problems and date warnings (W010/W011) in order."""
    from .stages.article import date_notice
    out: list = []
    for it in _processed(shard, published, config_path, overrides, max_mb, max_report_mb):
        if isinstance(it, Problem):
            out.append(it)
            continue
        notice = date_notice(it)
        out.append(_light(it))
        if notice and notice[1]:
            out.append(Problem(it.path or it.id, notice[1], severity="warning"))
    return {"index": shard.index, "items": out}


def _light(doc):
    """A processed Document without its span layers and caches: what the store reads (text,
    metadata, events) at a fraction of the bytes to send back."""
    import dataclasses
    return dataclasses.replace(doc, spans={}, _by_sent={}, _memo={})


def extract_scaled(paths: Iterable[str | os.PathLike], output: str | os.PathLike, workers: int = 2,
                   backend: str = "process", address: str | None = None, published: str | None = None,
                   config_path: str | None = None, overrides: dict | None = None, evidence: bool = True,
                   shard_size: int | None = None, max_mb: float = 20.0, max_report_mb: float | None = None,
                   on_problem=None) -> ScaleReport:
    """Extract events from ``paths`` into the JSONL file ``output`` with ``workers`` in parallel.

    ``backend`` is ``"process"`` (local worker processes) or ``"ray"`` (``address`` of a running
    cluster, or None for a local one). ``on_problem(dict)`` is called for each bad input as it is
    found. Output lines come in input order, written as they come (a bounded number of shards is
    in flight). ``shard_size`` (JSONL lines) and the number of workers that really run come from
    :func:`plan` unless ``shard_size`` is given.
    """
    report = ScaleReport()
    kw = dict(published=published, config_path=config_path, overrides=overrides, evidence=evidence, max_mb=max_mb,
              max_report_mb=max_report_mb)

    def note(p: dict) -> None:
        report.problems.append(p)
        if on_problem:
            on_problem(p)

    results = run_sharded(paths, run_shard, kw, report, workers, backend, address, shard_size,
                          on_problem=lambda s: note({"path": s.path, "line": s.line, "message": s.message,
                                                     "severity": s.severity}))
    with open(output, "w", encoding="utf-8") as out:
        for res in results:                      # in shard order
            for p in res["problems"]:
                note(p)
            for line in res["lines"]:
                out.write(line + "\n")
            report.documents += len(res["lines"])
            report.events += res["events"]
    return report


def ingest_scaled(store, paths: Iterable[str | os.PathLike], workers: int = 2, backend: str = "process",
                  address: str | None = None, published: str | None = None, config_path: str | None = None,
                  overrides: dict | None = None, shard_size: int | None = None, max_mb: float = 20.0,
                  max_report_mb: float | None = None, scale_report: ScaleReport | None = None):
    """Ingest ``paths`` into ``store`` with the extraction run by ``workers`` in parallel (local
    processes, or Ray) and the writes made here, by this one writer, in input order: the
    database ends exactly as after a one-process ``store.ingest_paths``. Returns the store's
    :class:`~conflictatlas.store.IngestReport` (``scale_report`` gets the shards and workers)."""
    report = scale_report if scale_report is not None else ScaleReport()
    kw = dict(published=published, config_path=config_path, overrides=overrides, max_mb=max_mb,
              max_report_mb=max_report_mb)
    read_problems: list[Problem] = []
    known = [0]

    def new_only(shard: Shard) -> Shard:
        """The shard read here, and its articles already stored left out before extraction (a
        re-run extracts only what is new), as ``ingest_paths`` does."""
        fresh = []
        for it in _read_shard(shard, parse_date(published), max_mb, max_report_mb):
            if not isinstance(it, Problem) and store.known_article(it, near=False):
                known[0] += 1
            else:
                fresh.append(it)
        return Shard(shard.index, shard.name, "docs", fresh)

    def items() -> Iterator:
        for res in run_sharded(paths, run_shard_documents, kw, report, workers, backend, address, shard_size,
                               on_problem=read_problems.append, prepare=new_only):
            yield from read_problems
            read_problems.clear()
            yield from res["items"]
        yield from read_problems

    rep = store.ingest_documents(items())
    rep.read += known[0]
    rep.duplicates += known[0]
    return rep


def run_sharded(paths: Iterable[str | os.PathLike], fn, kw: dict, report: ScaleReport, workers: int = 2,
                backend: str = "process", address: str | None = None, shard_size: int | None = None,
                on_problem=None, prepare=None) -> Iterator[dict]:
    """``fn(shard, **kw)`` over the shards of ``paths``, results in shard order as they come.

    Plans workers and shard size (:func:`plan`), calls ``on_problem(Problem)`` for each input
    that cannot be cut into shards, and records in ``report`` the shards and workers that ran.
    ``prepare(shard)``, when given, turns each shard here, in the driver, before it is sent."""
    paths = list(paths)
    planned, size = plan(count_reports(paths), workers, backend)
    workers = planned if backend == "process" else workers

    def shards() -> Iterator[Shard]:
        for s in make_shards(paths, shard_size or size, kw.get("max_mb", 20.0), kw.get("max_report_mb")):
            if isinstance(s, Problem):
                if on_problem:
                    on_problem(s)
                continue
            report.shards += 1
            yield prepare(s) if prepare else s

    stream = shards()
    first = list(itertools.islice(stream, workers))   # no more workers than there are shards
    if backend == "process":
        workers = max(1, min(workers, len(first)))
    report.workers = workers
    yield from _run(itertools.chain(first, stream), workers, backend, address, kw, fn)


def _run(shards: Iterable[Shard], workers: int, backend: str, address: str | None, kw: dict,
         fn=run_shard) -> Iterator[dict]:
    if backend == "ray":
        yield from _run_ray(shards, workers, address, kw, fn)
        return
    if backend != "process":
        raise ValueError(f"unknown backend {backend!r}: use 'process' or 'ray'")
    if workers <= 1:
        for s in shards:
            yield fn(s, **kw)
        return
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    if "fork" in mp.get_all_start_methods():
        # load once here, data files included; forked workers inherit the loaded pipeline, and
        # gc.freeze() keeps the collector from touching (and so copying) the inherited pages
        _warm(_pipeline(kw.get("config_path"), kw.get("overrides")))
        _preload_shared_data()
        import gc
        gc.collect()
        gc.freeze()
        ctx = mp.get_context("fork")
    else:
        ctx = mp.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            yield from _in_order(lambda s: pool.submit(fn, s, **kw), lambda f: f.result(), shards,
                                 workers * IN_FLIGHT_PER_WORKER)
    finally:
        import gc
        gc.unfreeze()


def _run_ray(shards: Iterable[Shard], workers: int, address: str | None, kw: dict, fn) -> Iterator[dict]:
    try:
        import ray
    except ImportError:
        raise RuntimeError(Errors.E031.format(package="ray", feature="--ray", extra="scale")) from None
    if not ray.is_initialized():
        ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
                 log_to_driver=False, ignore_reinit_error=True)
    remote = ray.remote(fn)
    yield from _in_order(lambda s: remote.remote(s, **kw), ray.get, shards, max(workers, 1) * IN_FLIGHT_PER_WORKER)


#: shards sent ahead per worker: enough that no worker waits, few enough that memory stays bounded
IN_FLIGHT_PER_WORKER = 3


def _in_order(submit, result, shards: Iterable[Shard], window: int) -> Iterator[dict]:
    """Submit shards keeping at most ``window`` in flight; yield their results in shard order."""
    from collections import deque
    pending: deque = deque()
    for s in shards:
        pending.append(submit(s))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())
