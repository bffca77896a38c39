"""The process that runs named-entity recognition beside the reader, and its log.

The worker is a spawn pool of one process. Its stdout and stderr never reach the reader's
terminal: the worker points its own file descriptors 1 and 2 at the log as the first thing it
does, before it imports or loads anything (spaCy warnings, crash reports). The pool can be
spawned while the Textual app is running provided multiprocessing's resource tracker was started
before (:func:`start_resource_tracker`): started inside the app it would be handed Textual's
captured stderr, which has no file descriptor (Textual #3593, "bad value(s) in fds_to_keep").
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tui.core.config import Settings


def worker_log(settings: Settings) -> Path:
    """Where the entity worker process writes its own output (never the app's terminal)."""
    return settings.cache_dir / "entity-worker.log"


def start_resource_tracker(settings: Settings) -> None:
    """Start multiprocessing's resource tracker now, before the app runs, with its output sent
    to the worker log (a fresh log per start)."""
    from multiprocessing import resource_tracker

    with output_to(worker_log(settings)):
        resource_tracker.ensure_running()


def spawn_pool(settings: Settings) -> ProcessPoolExecutor:
    """A one-worker spawn pool for NER with its worker started now (call it from a thread: the
    spawn takes a few milliseconds), the worker's output going to the log."""
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=send_output_to,
        initargs=(str(worker_log(settings)),),
    )
    pool.submit(os.getpid)  # spawns the worker now
    return pool


def start_pool(settings: Settings) -> ProcessPoolExecutor:
    """A started NER pool, for callers outside a running app (the tracker first)."""
    start_resource_tracker(settings)
    return spawn_pool(settings)


def send_output_to(log: str) -> None:
    """In the worker process: point file descriptors 1 and 2 at ``log`` (else at /dev/null)."""
    try:
        target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        target = os.open(os.devnull, os.O_WRONLY)
    os.dup2(target, 1)
    os.dup2(target, 2)
    os.close(target)


@contextlib.contextmanager
def output_to(log: Path) -> Iterator[None]:
    """Point this process's file descriptors 1 and 2 at ``log`` (truncated; /dev/null when it
    cannot be written) for the ``with`` block, so processes started inside inherit it. Only
    before the app runs: Textual draws on them."""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError:
        target = os.open(os.devnull, os.O_WRONLY)
    saved = [os.dup(1), os.dup(2)]
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(target, 1)
        os.dup2(target, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, target):
            os.close(fd)
