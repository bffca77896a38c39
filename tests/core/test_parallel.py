"""``map_batches`` on worker processes: forked or spawned, the same results in input order, a
failure kept with its item, workers that ignore Ctrl-C, and a prepared step shared by forked
workers; when fork is chosen at all."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

import pytest

from tui.core.extract.parallel import (
    EachDocument,
    ExtractBatch,
    RecordFailure,
    StartMethod,
    batched,
    map_batches,
    pool_start_method,
)

METHODS: list[StartMethod] = ["fork", "spawn"]

PREPARED_BY: int | None = None
"""The pid of the process that ran :meth:`PreparedStep.prepare` (None until one did)."""


@pytest.mark.parametrize(
    ("platform", "threads", "modules", "method"),
    [
        ("linux", 1, (), "fork"),
        ("linux", 1, ("numpy", "spacy", "thinc"), "fork"),
        ("linux", 2, (), "spawn"),  # a second thread may hold a lock the child would inherit
        ("linux", 5, ("spacy",), "spawn"),
        ("linux", 1, ("spacy", "torch"), "spawn"),  # a transformer pipeline's OpenMP pool
        ("linux", 1, ("tensorflow",), "spawn"),
        ("linux", 1, ("jax",), "spawn"),
        ("darwin", 1, (), "spawn"),
        ("win32", 1, (), "spawn"),
        ("freebsd14", 1, (), "spawn"),
    ],
)
def test_workers_are_forked_only_where_that_is_safe(
    platform: str, threads: int, modules: tuple[str, ...], method: str
) -> None:
    assert pool_start_method(platform, threads, modules) == method


@pytest.mark.parametrize("start_method", METHODS)
def test_results_come_in_input_order_with_failures_in_their_place(
    start_method: StartMethod,
) -> None:
    items = [str(i) for i in range(40)]
    items[13] = "thirteen"
    batches = list(batched(items, 3))  # 14 batches: more than the 4 kept in flight
    results = [
        r
        for part in map_batches(EachDocument(int), batches, 2, start_method=start_method)
        for r in part
    ]
    assert results[:13] == list(range(13)) and results[14:] == list(range(14, 40))
    assert results[13] == RecordFailure(
        "ValueError: invalid literal for int() with base 10: 'thirteen'"
    )


def interrupt_handler_is_ignored(_: object) -> tuple[int, bool]:
    """In a worker: its pid and whether SIGINT is ignored there."""
    return os.getpid(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN


@pytest.mark.parametrize("start_method", METHODS)
def test_workers_leave_ctrl_c_to_the_caller(start_method: StartMethod) -> None:
    before = signal.getsignal(signal.SIGINT)
    seen = [
        r
        for part in map_batches(
            EachDocument(interrupt_handler_is_ignored),
            [[None]] * 6,
            2,
            start_method=start_method,
        )
        for r in part
        if not isinstance(r, RecordFailure)
    ]
    assert len(seen) == 6 and all(ignored for _, ignored in seen)
    assert os.getpid() not in {pid for pid, _ in seen}
    assert signal.getsignal(signal.SIGINT) is before  # the caller's own handler is back


@dataclass(frozen=True)
class PreparedStep:
    """Reports which process prepared the state each worker sees."""

    def prepare(self) -> None:
        global PREPARED_BY
        PREPARED_BY = os.getpid()

    def __call__(self, items: list[int]) -> list[tuple[int, int | None]]:
        return [(os.getpid(), PREPARED_BY) for _ in items]


def test_forked_workers_share_what_the_step_prepared_in_the_caller() -> None:
    """What a step prepares (the pipeline, for extraction) is loaded once, here, not in each
    worker."""
    global PREPARED_BY
    PREPARED_BY = None
    seen = [r for part in map_batches(PreparedStep(), [[1]] * 4, 2, "fork") for r in part]
    assert os.getpid() == PREPARED_BY
    assert {prepared for _, prepared in seen} == {os.getpid()}
    assert os.getpid() not in {pid for pid, _ in seen}


def test_spawned_workers_are_not_prepared_in_the_caller() -> None:
    global PREPARED_BY
    PREPARED_BY = None
    seen = [r for part in map_batches(PreparedStep(), [[1]] * 4, 2, "spawn") for r in part]
    assert PREPARED_BY is None
    assert {prepared for _, prepared in seen} == {None}


def test_figures_only_extraction_is_the_same_forked_and_spawned() -> None:
    texts = [f"In Geneva {i} firms pledged HK${i + 1} billion, up {i}%." for i in range(70)]
    step = ExtractBatch(None, [], None, figures_only=True)
    one = [r for part in map_batches(step, batched(texts, 8), 1) for r in part]
    for start_method in METHODS:
        many = [r for part in map_batches(step, batched(texts, 8), 2, start_method) for r in part]
        assert many == one
    sixth = one[5]
    assert not isinstance(sixth, RecordFailure)
    assert ("HK$6 billion", "HKD") in {(f["text"], f["currency"]) for f in sixth.figures}
