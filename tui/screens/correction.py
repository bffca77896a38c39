"""Correct an entity: relabel it, say it is not an entity, or add a missed one from a selection.

A correction applies to every article (by the mention's text) on the next extraction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.text import visible_controls
from tui.widgets.spans import ENTITY_LABELS, LABEL_NAMES

ACTION_RELABEL = "relabel"
ACTION_REJECT = "reject"
ACTION_ADD = "add"


@dataclass(frozen=True)
class CorrectionResult:
    """What the user decided about a piece of text."""

    action: str
    text: str
    label: str | None

    def as_dict(self) -> dict[str, Any]:
        """The correction record the store keeps (it adds id and created); validated."""
        from tui.core.extract.corrections import make_correction

        return make_correction(self.action, self.text, self.label)


class CorrectionScreen(ModalScreen[CorrectionResult | None]):
    """Pick a new label (or none) for an entity's text, in every article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="correction.apply"),
        Binding("escape", "cancel", "Cancel", id="correction.cancel"),
    ]

    def __init__(self, text: str, label: str, *, existing: bool) -> None:
        super().__init__()
        self.text = text
        self.label = label
        self.existing = existing

    def compose(self) -> ComposeResult:
        """The text, its current label, a label choice and the buttons."""
        with Vertical(id="correction-dialog", classes="dialog"):
            title = "Correct entity" if self.existing else "Add as entity"
            yield Label(title, classes="dialog-title")
            yield Static(Content(visible_controls(f"“{self.text}”")), id="correction-text")
            if self.existing:
                yield Label(
                    f"Now: {LABEL_NAMES.get(self.label, self.label)}. In every article it is:"
                )
            else:
                yield Label("In every article, treat this text as:")
            labels = list(ENTITY_LABELS)
            if self.label and self.label not in labels:  # e.g. LANGUAGE: offered like the rest
                labels.append(self.label)
            options = [(label_choice(label), label) for label in labels]
            if self.existing:
                options.append(("not an entity", ""))
            start = self.label if self.label in labels else ENTITY_LABELS[1]
            yield LabelChoices(options, start, id="correction-label")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Apply  ctrl+s", variant="primary", id="correction-apply", compact=True
                )
                yield Button("Cancel  esc", id="correction-cancel", compact=True)

    def on_mount(self) -> None:
        """Start on the label choice."""
        self.query_one("#correction-label", LabelChoices).focus()

    def action_apply(self) -> None:
        """Close with the chosen correction (nothing when the label is unchanged)."""
        label = self.query_one("#correction-label", LabelChoices).value
        if not label:
            self.dismiss(CorrectionResult(ACTION_REJECT, self.text, self.label or None))
        elif self.existing and label == self.label:
            self.dismiss(None)
        else:
            self.dismiss(
                CorrectionResult(ACTION_RELABEL if self.existing else ACTION_ADD, self.text, label)
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a label applies it."""
        event.stop()
        self.action_apply()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Apply or cancel from the buttons."""
        event.stop()
        if event.button.id == "correction-apply":
            self.action_apply()
        else:
            self.action_cancel()


def label_choice(label: str) -> str:
    """A label's name with its code, once: "person (PERSON)", "place (GPE)", "language
    (LANGUAGE)" (a label without a name is shown in lower case, never in capitals alone)."""
    name = LABEL_NAMES.get(label, label.lower())
    return name if f"({label})" in name else f"{name} ({label})"


class LabelChoices(OptionList):
    """Every label at once; the highlight stops at the first and last (no silent wrap)."""

    def __init__(self, choices: list[tuple[str, str]], value: str, *, id: str) -> None:
        super().__init__(
            *(Option(Content(text), id=label or "-") for text, label in choices), id=id
        )
        self.highlighted = next((i for i, (_, label) in enumerate(choices) if label == value), 0)

    @property
    def value(self) -> str:
        """The highlighted label ("" for "not an entity")."""
        if self.highlighted is None:
            return ""
        option_id = self.get_option_at_index(self.highlighted).id
        return "" if option_id in (None, "-") else str(option_id)

    @value.setter
    def value(self, label: str) -> None:
        self.highlighted = self.get_option_index(label or "-")

    def action_cursor_down(self) -> None:
        """Down, stopping (with a bell) at the last label."""
        if self.highlighted is not None and self.highlighted >= self.option_count - 1:
            self.app.bell()
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up, stopping (with a bell) at the first label."""
        if self.highlighted is not None and self.highlighted <= 0:
            self.app.bell()
            return
        super().action_cursor_up()
