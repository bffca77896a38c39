"""Worker failures go to one place: screens pass them up to the app as :class:`WorkerFailed`.

Textual's ``Worker.StateChanged`` does not bubble, so a screen's worker that fails would be
silent; screens that run workers mix in :class:`ForwardsWorkerFailures`, and the app's one
handler shows the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from textual import on
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState


@dataclass
class WorkerFailed(Message):
    """A background task raised; the app reports it."""

    worker: Worker[object]


ResultType = TypeVar("ResultType")


class ForwardsWorkerFailures(Screen[ResultType]):
    """A screen whose failed workers are reported by the app."""

    @on(Worker.StateChanged)
    def forward_worker_failure(self, event: Worker.StateChanged) -> None:
        """Pass a failure up (bubbling) to the app's handler."""
        if event.state == WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker))
