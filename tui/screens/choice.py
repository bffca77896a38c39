"""A small question dialog: a message and a few answers, each one key or a click.

Used wherever the reader must ask before it acts: which of several claims on one span, replace
an existing file, keep or delete an article's claims, discard a typed draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.text import visible_controls


class ChoiceScreen(ModalScreen[str | None]):
    """Ask a question; dismissed with the chosen answer's id, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
    ]

    def __init__(self, title: str, message: str, answers: Sequence[tuple[str, str]]) -> None:
        """``answers``: ``(id, label)`` pairs, in the order shown; the first is highlighted."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.answers = list(answers)

    def compose(self) -> ComposeResult:
        """Title, message (shown literally), the answers."""
        with Vertical(id="choice-dialog", classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            if self.message:
                yield Static(Content(visible_controls(self.message)), id="choice-message")
            yield OptionList(
                *(Option(Content(visible_controls(label)), id=key) for key, label in self.answers),
                id="choice-answers",
            )

    def on_mount(self) -> None:
        """Start on the first answer."""
        answers = self.query_one("#choice-answers", OptionList)
        answers.highlighted = 0
        answers.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click answers."""
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
