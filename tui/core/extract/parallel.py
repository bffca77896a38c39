"""Extraction over every local core: worker processes that share one loaded pipeline.

* :class:`ExtractBatch` — a picklable "extract these texts" step. It runs in whichever process
  calls it (the CLI, a pool worker, a Dask worker) and keeps one :class:`Extractor` per process,
  so the spaCy pipeline loads once per worker, not once per batch.
* :class:`EachDocument` — lifts any picklable per-document callable into a batch step whose
  failures stay with their document (figure checks over a corpus plug in here).
* :func:`map_batches` — any batch step over a stream of batches in ``jobs`` processes,
  results in input order, a bounded number of batches in flight (memory stays flat however long
  the stream). Workers ignore SIGINT: on Ctrl-C the caller stops submitting, workers finish the
  batch they hold (its cache entries are written) and exit, and no worker prints a traceback.

How workers start (:func:`pool_start_method`): on Linux, from a process running one Python
thread, the step is prepared here (:meth:`ExtractBatch.prepare` loads the pipeline) and the
workers are forked, so they share the loaded pipeline copy-on-write and start in milliseconds.
Otherwise (another platform, other threads whose locks a child could inherit held, or a library
whose thread pool breaks in a forked child) they are spawned, and each imports spaCy and loads
the pipeline itself (2–3 s of CPU per worker).

A failure on one text never loses the others: a batch that raises is retried one text at a
time and the text that fails becomes a :class:`RecordFailure`.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import orjson

from tui.core.extract import Extraction, Extractor
from tui.core.extract.entities import load_pipeline

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT_PER_JOB = 2
"""Batches queued per worker: enough that no worker waits for the next one, few enough that a
stream of any length holds only ``2 × jobs`` batches in memory."""


def all_cores() -> int:
    """The cores this process may run on (the default ``--jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RecordFailure:
    """One document whose step raised: the reason, so the caller can name the record."""

    message: str


@dataclass(frozen=True)
class ExtractBatch:
    """Extract a batch of texts with these corrections and this pipeline (picklable)."""

    cache_dir: Path | None
    """Where finished entries are kept; None on a cluster (workers share no disk)."""
    corrections: list[dict[str, Any]] = field(default_factory=list)
    model: str | None = None
    figures_only: bool = False
    batch_size: int = 32
    """Texts per ``nlp.pipe`` call inside one batch."""

    def __call__(self, texts: Iterable[str]) -> list[Extraction | RecordFailure]:
        """Each text's extraction, or its failure; ``raw_entities`` are dropped (not needed
        by callers, and they would double what crosses the process boundary)."""
        extractor = _process_extractor(self)
        out: list[Extraction | RecordFailure] = []
        iterator = iter(texts)
        while chunk := list(islice(iterator, self.batch_size)):
            with _RUN_LOCK:  # one spaCy run at a time per process (Dask workers may be threaded)
                out.extend(_extract_chunk(extractor, chunk, self.figures_only))
        return out

    def key(self) -> bytes:
        """What makes two steps extract alike (the per-process memo key)."""
        return orjson.dumps([str(self.cache_dir), self.model, self.corrections])

    def prepare(self) -> None:
        """Build this process's extractor and load its pipeline now (before forking workers
        that then share it); figures-only steps load nothing."""
        _process_extractor(self)
        if not self.figures_only:
            load_pipeline(self.model)


def _extract_chunk(
    extractor: Extractor, texts: list[str], figures_only: bool
) -> list[Extraction | RecordFailure]:
    try:
        found = list(
            extractor.extract_many(texts, figures_only=figures_only, batch_size=len(texts))
        )
    except Exception:
        if len(texts) == 1:
            raise
        return [_extract_one(extractor, text, figures_only) for text in texts]
    return [replace(e, raw_entities=[]) for e in found]


def _extract_one(extractor: Extractor, text: str, figures_only: bool) -> Extraction | RecordFailure:
    try:
        return replace(extractor.extract(text, figures_only=figures_only), raw_entities=[])
    except Exception as exc:
        return RecordFailure(f"{type(exc).__name__}: {exc}")


_RUN_LOCK = threading.Lock()
_MEMO_LOCK = threading.Lock()
_MEMO: dict[bytes, Extractor] = {}


def _process_extractor(step: ExtractBatch) -> Extractor:
    """This process's extractor for ``step`` (only the latest one is kept)."""
    key = step.key()
    with _MEMO_LOCK:
        if key not in _MEMO:
            _MEMO.clear()
            _MEMO[key] = Extractor(step.cache_dir, step.corrections, step.model)
        return _MEMO[key]


@dataclass(frozen=True)
class EachDocument(Generic[T, R]):
    """A batch step that calls ``per_document`` on each item; an item that raises becomes a
    :class:`RecordFailure` and the others are kept. ``per_document`` must be picklable (a
    module-level function or a dataclass instance)."""

    per_document: Callable[[T], R]

    def __call__(self, items: Iterable[T]) -> list[R | RecordFailure]:
        """``per_document`` over the batch, in order."""
        out: list[R | RecordFailure] = []
        for item in items:
            try:
                out.append(self.per_document(item))
            except Exception as exc:
                out.append(RecordFailure(f"{type(exc).__name__}: {exc}"))
        return out


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


StartMethod = Literal["fork", "spawn"]

FORK_UNSAFE_MODULES = ("torch", "tensorflow", "jax")
"""Libraries whose native thread pools (OpenMP and the like) can hang in a forked child; a
transformer pipeline imports one, and its workers are spawned instead."""


def pool_start_method(
    platform: str, python_threads: int, loaded_modules: Collection[str]
) -> StartMethod:
    """How to start workers: "fork" on Linux when this process runs one Python thread and no
    :data:`FORK_UNSAFE_MODULES` library is loaded, otherwise "spawn".

    A lock held by another thread at the fork would stay held forever in the child, hence one
    thread (the OpenBLAS threads numpy starts are fork-safe: OpenBLAS quiesces them around a
    fork); macOS and Windows have no fork that is safe with their system libraries."""
    if platform != "linux" or python_threads > 1:
        return "spawn"
    if any(name in loaded_modules for name in FORK_UNSAFE_MODULES):
        return "spawn"
    return "fork"


def _start_method_here(step: Callable[..., Any]) -> StartMethod:
    """:func:`pool_start_method` for this process, preparing ``step`` first when workers can be
    forked (what it loads, they share); the check runs again after, in case preparing it
    started a thread or imported a fork-unsafe library."""
    if pool_start_method(sys.platform, threading.active_count(), ()) == "spawn":
        return "spawn"
    prepare = getattr(step, "prepare", None)
    if callable(prepare):
        prepare()
    return pool_start_method(sys.platform, threading.active_count(), sys.modules)


def _worker_start() -> None:
    """Pool worker start-up: Ctrl-C is the parent's to handle (it reaches the whole group).
    A forked worker also writes to the real standard streams, not to a progress bar's proxies
    that it inherited from the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.__stdout__ is not None:
        sys.stdout = sys.__stdout__
    if sys.__stderr__ is not None:
        sys.stderr = sys.__stderr__


@contextmanager
def _workers_start_ignoring_interrupts(spawning: bool) -> Iterator[None]:
    """While a submit starts workers (the first ``jobs`` submits spawn one each; with fork the
    first one forks them all), SIGINT is ignored here, so a worker starts with it ignored (an
    ignored signal survives fork and exec) and a Ctrl-C during its start-up prints no
    traceback; the initializer keeps it ignored. Main thread only."""
    if not spawning or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def map_batches(
    step: Callable[[list[T]], list[R]],
    batches: Iterable[list[T]],
    jobs: int,
    start_method: StartMethod | None = None,
) -> Iterator[list[R]]:
    """``step`` over every batch in ``jobs`` worker processes (in this process when ``jobs`` is
    1), yielding results in input order as soon as each is next. ``step`` must be picklable;
    ``start_method`` (default: :func:`pool_start_method` for this process) says how workers
    start. A step with a ``prepare()`` method is prepared here before workers are forked.

    Closing the iterator early (an exception, Ctrl-C, ``break``) cancels queued batches and waits
    for the ones running, so whatever they write (cache entries) is complete.
    """
    if jobs <= 1:
        for batch in batches:
            yield step(batch)
        return
    if start_method is None:
        start_method = _start_method_here(step)
    elif start_method == "fork":
        prepare = getattr(step, "prepare", None)
        if callable(prepare):
            prepare()
    pool = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context(start_method), initializer=_worker_start
    )
    pending: deque[Future[list[R]]] = deque()
    submitted = 0
    try:
        for batch in batches:
            with _workers_start_ignoring_interrupts(spawning=submitted < jobs):
                pending.append(pool.submit(step, batch))
            submitted += 1
            if len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
