"""The JSON-lines sink under Ctrl-C: a line being written is finished and counted first, then
the interrupt goes to whatever SIGINT handler the caller had."""

from __future__ import annotations

import io
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from tui.cli.corpus_io import JsonlSink


class InterruptedStream(io.BytesIO):
    """A stream that receives a Ctrl-C in the middle of every write."""

    def write(self, data: Any) -> int:
        signal.raise_signal(signal.SIGINT)
        return super().write(data)


@pytest.fixture
def restore_sigint() -> Iterator[None]:
    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)


def test_python_default_handler_raises_after_the_line_is_counted(restore_sigint: None) -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)
    stream = InterruptedStream()
    sink = JsonlSink(stream)
    with pytest.raises(KeyboardInterrupt):
        sink.write("a", b"[]")
    assert stream.getvalue() == b'{"id":"a","entities":[]}\n' and sink.written == 1


def test_an_ignored_interrupt_stays_ignored(restore_sigint: None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stream = InterruptedStream()
    sink = JsonlSink(stream)
    sink.write("a", b"[]")
    sink.write("b", b"[]")
    assert sink.written == 2 and stream.getvalue().count(b"\n") == 2
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_the_callers_own_handler_gets_the_interrupt_once_per_ctrl_c(
    restore_sigint: None,
) -> None:
    received: list[tuple[int, int]] = []
    sink = JsonlSink(InterruptedStream())

    def handler(number: int, frame: FrameType | None) -> None:
        received.append((number, sink.written))

    signal.signal(signal.SIGINT, handler)
    sink.write("a", b"[]")
    sink.write("b", b"[]")
    assert received == [(signal.SIGINT, 1), (signal.SIGINT, 2)]  # each after its line counted
    assert signal.getsignal(signal.SIGINT) is handler


def test_no_interrupt_no_signal(restore_sigint: None) -> None:
    received: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    sink = JsonlSink(io.BytesIO())
    sink.write("a", b'[{"text":"x"}]')
    assert received == [] and sink.written == 1
