"""Find in the open article: a query input with a match counter; enter / ↓ next, ↑ previous."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class FindBar(Horizontal):
    """A one-line find bar docked under the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "step(True)", "Next match", id="find.next"),
        Binding("up", "step(False)", "Previous match", id="find.previous"),
        Binding("escape", "close", "Close find", id="find.close"),
    ]

    @dataclass
    class Changed(Message):
        """The query changed."""

        query: str

    @dataclass
    class Step(Message):
        """Go to the next (or previous) match."""

        forward: bool

    class Closed(Message):
        """The bar was closed; the current match stays selected."""

    def compose(self) -> ComposeResult:
        """Label, input, counter."""
        yield Label("Find:", id="find-label")
        yield Input(placeholder="text in this article", id="find-input")
        yield Label("", id="find-count", markup=False)

    def open(self) -> None:
        """Show the bar and focus its input with the text selected for retyping."""
        self.display = True
        field = self.query_one("#find-input", Input)
        field.focus()
        field.select_all()

    @property
    def query_text(self) -> str:
        """What is typed in the bar now."""
        return self.query_one("#find-input", Input).value

    def set_count(self, current: int, total: int, query: str) -> None:
        """Show "3 of 12" (or "no matches")."""
        label = self.query_one("#find-count", Label)
        if not query:
            label.update("")
        elif total == 0:
            label.update("no matches")
        else:
            label.update(f"{current} of {total}")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as the user types."""
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter goes to the next match."""
        event.stop()
        self.post_message(self.Step(True))

    def action_step(self, forward: bool) -> None:
        """Next or previous match."""
        self.post_message(self.Step(forward))

    def action_close(self) -> None:
        """Hide the bar."""
        self.display = False
        self.post_message(self.Closed())
