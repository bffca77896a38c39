"""Preparing and checking a library's articles in forked worker processes (the command line).

The first ``claimdesk check`` after extraction spends nearly all its time on each article alone:
reading the extraction cache, deciding the fields' figures, and the article kinds' checks. With
more than one core, forked workers do that for slices of the library and send each article's
input back with those results remembered in it (:func:`tui.core.checks.runner.prepare_article`),
so the parent only compares articles. Fork shares the parent's articles and extractor without
copying them; where fork is missing, threads are running (the app, where a fork could copy a
held lock), or the library is small, the work stays in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from tui.core.checks.inputs import ArticleInput, CheckContext
from tui.core.checks.runner import prepare_article

POOL_MIN_ARTICLES = 200
"""Articles to prepare below which one process is used: starting the workers and sending the
results back cost about 0.1 s, which a few hundred articles (1-2 ms each) must win back."""

MAX_WORKERS = 4
"""Workers at most: the parent's comparisons and the transfer of results cap the gain."""

CHUNKS_PER_WORKER = 4
"""Slices per worker, so a worker that finishes early takes another (articles vary in size)."""

Prepared = tuple[ArticleInput, str | None]
"""One article's checks input (with its own findings remembered) and the extractor's notice."""
A = TypeVar("A")
"""What an input is built from (a library ``Article``)."""

R = TypeVar("R")
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The work of the pool being run, set before the fork so the workers inherit it."""


def worker_count(articles: int, requested: int | None = None) -> int:
    """How many processes to prepare ``articles`` with: ``requested``, or by default one per
    usable core when there are :data:`POOL_MIN_ARTICLES` or more; at most :data:`MAX_WORKERS`
    and one per article, and 1 where fork is missing or other threads run."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1  # forking a threaded process can copy a lock another thread holds
    if requested is None:
        if articles < POOL_MIN_ARTICLES:
            return 1
        affinity = getattr(os, "sched_getaffinity", None)
        requested = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return max(1, min(requested, MAX_WORKERS, articles))


def prepare_all(
    articles: Sequence[A],
    build: Callable[[A], Prepared],
    context: CheckContext,
    workers: int,
) -> list[Prepared]:
    """``build`` each article (a library ``Article``), then :func:`prepare_article` it, in
    ``workers`` forked processes (in this one when ``workers`` is 1); results in order."""

    def job(article: A) -> Prepared:
        built, notice = build(article)
        return prepare_article(built, context), notice

    return map_forked(articles, job, workers)


def map_forked(items: Sequence[A], job: Callable[[A], R], workers: int) -> list[R]:
    """``[job(item) for item in items]``, computed in ``workers`` forked processes (here when
    ``workers`` is 1). ``job`` and ``items`` are inherited by the fork, never pickled; only the
    results are sent back, so they must pickle."""
    if workers <= 1:
        return [job(item) for item in items]
    global _JOB
    size = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _JOB = (job, items)
    gc.freeze()  # the inherited objects stay out of the workers' collections: no page copies
    fork = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=fork, initializer=gc.disable) as pool:
            results = list(pool.map(_run_slice, slices))
    except BrokenProcessPool:  # a worker died (killed, out of memory): do the work here
        results = [_run_slice(bounds) for bounds in slices]
    finally:
        _JOB = None
        gc.unfreeze()
    return [result for part in results for result in part]


def _run_slice(bounds: tuple[int, int]) -> list[Any]:
    """In a worker: the job's results for ``items[start:end]`` of the inherited job."""
    assert _JOB is not None, "run only in a worker forked by map_forked"
    job, items = _JOB
    return [job(item) for item in items[bounds[0] : bounds[1]]]
