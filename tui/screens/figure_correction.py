"""Correct a figure: its currency, value, unit or label, or say it is not a figure.

A figure correction applies to every occurrence of that figure's text in that article (any
field), is stored with the claims and can be undone. The dialog validates with the core's
:func:`make_figure_correction` and stays open with the reason when the input cannot be one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tui.core.extract.figure_corrections import (
    FIGURE_LABELS,
    FigureCorrectionError,
    make_figure_correction,
)
from tui.core.text import visible_controls
from tui.core.vocab import LABEL_NAMES

UNKNOWN_WORDS = frozenset({"unknown", "?", "none"})
"""Currency entries that mean "the currency is unknown"."""


@dataclass(frozen=True)
class FigureCorrectionResult:
    """What the user decided: a validated correction, removing the current one, or treating
    the text as an entity instead."""

    correction: dict[str, Any] | None = None
    remove: bool = False
    as_entity: bool = False


def parse_value(text: str) -> float | None:
    """A typed value ("6.37e9", "50,000,000,000", "0.25"); None when left empty."""
    cleaned = text.replace(",", "").replace("_", "").strip()
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise FigureCorrectionError(f"value '{text}' is not a number such as 6370000000") from None


class FigureCorrectionScreen(ModalScreen[FigureCorrectionResult | None]):
    """Fix one figure of one article; fields left empty keep the rules' values."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="figure_correction.apply"),
        Binding("ctrl+t", "as_entity", "Entity instead", id="figure_correction.entity"),
        Binding("ctrl+r", "remove", "Remove correction", id="figure_correction.remove"),
        Binding("escape", "cancel", "Cancel", id="figure_correction.cancel"),
    ]

    def __init__(self, article_id: str, figure: Mapping[str, Any]) -> None:
        super().__init__()
        self.article_id = article_id
        self.figure = figure
        """The figure as shown now (perhaps already corrected)."""

    def compose(self) -> ComposeResult:
        """The figure, what it is now and why, the fields to change and the buttons."""
        figure = self.figure
        label = str(figure.get("label") or "MONEY")
        with Vertical(id="figure-correction-dialog", classes="dialog"):
            yield Label("Correct figure", classes="dialog-title")
            yield Static(Content(visible_controls(f"“{figure.get('text', '')}”")), id="figure-text")
            yield Static(Content(visible_controls(self.describe_now())), id="figure-now")
            yield Label("Currency (ISO code such as AUD; 'unknown' if it cannot be known)")
            yield Input(
                placeholder=str(figure.get("currency") or "unknown"),
                id="fix-currency",
                compact=True,
            )
            yield Label("Value (a plain number: 6370000000)")
            yield Input(placeholder=str(figure.get("value") or ""), id="fix-value", compact=True)
            yield Label("Unit")
            yield Input(placeholder=str(figure.get("unit") or ""), id="fix-unit", compact=True)
            yield Label("Label")
            yield Select(
                [(f"{LABEL_NAMES.get(name, name)} ({name})", name) for name in FIGURE_LABELS],
                value=label if label in FIGURE_LABELS else Select.NULL,
                allow_blank=False,
                id="fix-label",
                compact=True,
            )
            yield Checkbox("Not a figure", id="fix-not-figure", compact=True)
            yield Static(Content(""), id="fix-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply  ctrl+s", variant="primary", id="fix-apply", compact=True)
                yield Button("Entity instead  ctrl+t", id="fix-entity", compact=True)
                if figure.get("corrected"):
                    yield Button("Remove correction  ctrl+r", id="fix-remove", compact=True)
                yield Button("Cancel  esc", id="fix-cancel", compact=True)

    def describe_now(self) -> str:
        """ "Now: money, 50,000,000,000 HKD — the body writes HK$" (and "corrected")."""
        figure = self.figure
        parts = [LABEL_NAMES.get(str(figure.get("label")), str(figure.get("label")))]
        value = figure.get("value")
        amount = f"{value:,}" if isinstance(value, int | float) else "no value"
        if figure.get("label") == "MONEY":
            amount += f" {figure.get('currency') or 'currency unknown'}"
        elif figure.get("unit"):
            amount += f" {figure['unit']}"
        parts.append(amount)
        line = "Now: " + ", ".join(parts)
        if figure.get("currency_reason"):
            line += f" — {figure['currency_reason']}"
        if figure.get("corrected"):
            line += " (corrected)"
        return line

    def on_mount(self) -> None:
        """Start on the currency for money, else on the value."""
        first = "#fix-currency" if self.figure.get("label") == "MONEY" else "#fix-value"
        self.query_one(first, Input).focus()

    def build(self) -> dict[str, Any]:
        """The correction the fields describe (FigureCorrectionError saying what to change)."""
        currency = self.query_one("#fix-currency", Input).value.strip()
        label = self.query_one("#fix-label", Select).value
        chosen_label = (
            label if isinstance(label, str) and label != self.figure.get("label") else None
        )
        return make_figure_correction(
            self.article_id,
            str(self.figure.get("text") or ""),
            currency=currency if currency and currency.casefold() not in UNKNOWN_WORDS else None,
            clear_currency=currency.casefold() in UNKNOWN_WORDS,
            value=parse_value(self.query_one("#fix-value", Input).value),
            unit=self.query_one("#fix-unit", Input).value.strip() or None,
            label=chosen_label,
            not_figure=self.query_one("#fix-not-figure", Checkbox).value,
        )

    def action_apply(self) -> None:
        """Close with the correction, or say (in the dialog) why it is not one."""
        try:
            correction = self.build()
        except FigureCorrectionError as exc:
            error = self.query_one("#fix-error", Static)
            error.update(Content(visible_controls(str(exc))))
            error.add_class("-shown")
            return
        self.dismiss(FigureCorrectionResult(correction))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field applies."""
        event.stop()
        self.action_apply()

    def action_as_entity(self) -> None:
        """Treat the text as an entity instead (the entity correction dialog follows)."""
        self.dismiss(FigureCorrectionResult(as_entity=True))

    def action_remove(self) -> None:
        """Take back the correction this figure has (only offered when it has one)."""
        if self.figure.get("corrected"):
            self.dismiss(FigureCorrectionResult(remove=True))
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The buttons do what their keys do."""
        event.stop()
        actions = {
            "fix-apply": self.action_apply,
            "fix-entity": self.action_as_entity,
            "fix-remove": self.action_remove,
        }
        actions.get(event.button.id or "", self.action_cancel)()
