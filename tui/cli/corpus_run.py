"""Running a corpus from the CLI: how many workers, a progress bar on terminals only, and
failure lines that do not flood the terminal when every record fails alike."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tui.core.extract.parallel import all_cores

BATCH_SIZE = 32
"""Texts per worker task: large enough for ``nlp.pipe`` batching, small enough that Ctrl-C
waits at most one batch per worker."""

IN_PROCESS_BELOW = 256
"""Fewer texts than this run in this process: starting a worker (import spaCy, load the
pipeline) costs about 2 s, more than such an input takes on one core."""

INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


def progress_wanted(output_is_file: bool) -> bool:
    """A bar only on a terminal, and never over records printed to that same terminal."""
    return sys.stderr.isatty() and (output_is_file or not sys.stdout.isatty())


@contextmanager
def progress(total: int | None, what: str, shown: bool) -> Iterator[Callable[[int], None]]:
    """An ``advance(n)`` callback drawing a Rich bar with rate and ETA on stderr, or nothing.

    The bar is redrawn by each ``advance`` rather than by Rich's refresh thread: a process with
    one thread can fork its workers (:func:`~tui.core.extract.parallel.pool_start_method`)."""
    if not shown:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} {task.fields[unit]}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    console = Console(stderr=True, markup=False, highlight=False, emoji=False)
    with Progress(*columns, console=console, transient=False, auto_refresh=False) as bar:
        task = bar.add_task(what, total=total, rate="-", unit=what)
        started = time.perf_counter()
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            elapsed = max(time.perf_counter() - started, 1e-6)
            bar.update(task, advance=n, rate=f"{done / elapsed:,.1f}", refresh=True)

        yield advance


def choose_jobs(jobs: int | None, texts: Iterator[str]) -> tuple[int, Iterator[str]]:
    """The worker count for this input (1 for a small one) and the texts, re-joined after the
    look-ahead that measured it."""
    wanted = jobs or all_cores()
    if wanted <= 1:
        return 1, texts
    head = [text for _, text in zip(range(IN_PROCESS_BELOW), texts, strict=False)]
    rest: Iterator[str] = iter(head) if len(head) < IN_PROCESS_BELOW else _chain(head, texts)
    return (1 if len(head) < IN_PROCESS_BELOW else wanted), rest


def _chain(head: list[str], tail: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from tail


class FailureLog:
    """Reports failed records by position, but a failure that repeats (a broken install fails
    every record alike) only :data:`SHOWN_PER_REASON` times, then once as a count."""

    SHOWN_PER_REASON = 3

    def __init__(self, problem: Callable[[str], None]) -> None:
        self.problem = problem
        self.by_reason: dict[str, list[str]] = {}

    def report(self, where: str, reason: str) -> None:
        """One failed record."""
        seen = self.by_reason.setdefault(reason, [])
        seen.append(where)
        if len(seen) <= self.SHOWN_PER_REASON:
            self.problem(f"{where}: extraction failed ({reason}); skipped")

    def summarise(self) -> None:
        """One line per repeated reason: how many more records and where the first was."""
        for reason, places in self.by_reason.items():
            more = len(places) - self.SHOWN_PER_REASON
            if more > 0:
                self.problem(f"{more} more record(s) failed the same way ({reason}); skipped")
