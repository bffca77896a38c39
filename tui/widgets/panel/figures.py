"""The Figures tab: every figure (headline and summary ones marked) with its value, a US-dollar
equivalent where a rate is known and a mark when corrected, in reading order or by value (the
US-dollar equivalent where known, else grouped by currency); the highlighted figure's currency
reason and correction are shown under the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # the conversion code is imported when figures are shown, not at start-up
    from tui.core.extract.conversion import UsdEquivalent

from tui.core.fields import FIELD_NAMES
from tui.widgets.panel.common import SpanPane, literal
from tui.widgets.spans import Span

CORRECTED_MARK = "✎"
"""Marks a figure the user corrected."""


def figure_detail(span: Span) -> str:
    """Why the figure has its currency, and what the user corrected, on one or two lines."""
    data = span.data
    lines = []
    if data.get("label") == "MONEY":
        reason = data.get("currency_reason")
        currency = data.get("currency") or "unknown"
        lines.append(f"Currency {currency}: {reason}" if reason else f"Currency {currency}")
    if data.get("corrected"):
        original = data.get("original") or {}
        was = ", ".join(f"{k} was {v if v is not None else 'unknown'}" for k, v in original.items())
        lines.append(f"{CORRECTED_MARK} corrected" + (f" ({was})" if was else ""))
    return literal(" · ".join(lines), 400) if lines else ""


def figure_value(span: Span) -> str:
    """The normalized value of a figure as a short string."""
    data = span.data
    value = data.get("value")
    parts = []
    if isinstance(value, int | float):
        parts.append(f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}")
    for key in ("currency", "unit"):
        if data.get(key):
            parts.append(str(data[key]))
    if data.get("label") == "MONEY" and not data.get("currency"):
        parts.append("currency unknown")
    return " ".join(parts)


class FigureList(OptionList):
    """The list of figures (``s`` anywhere in the side panel sorts it)."""


class FiguresPane(SpanPane):
    """Figures of the open article."""

    def __init__(self) -> None:
        super().__init__("Figures", id="tab-figures")
        self.figures: list[Span] = []
        self.equivalents: list[UsdEquivalent | None] = []
        """US-dollar equivalent of each figure, or None."""
        self.usd: list[str] = []
        """US-dollar equivalent of each figure ("≈ US$6.37 billion"), or ""."""
        self.by_value = False
        """True: largest value first; False: reading order."""

    def compose(self) -> ComposeResult:
        """The list, and the highlighted figure's details under it."""
        yield FigureList(id="figure-list")
        yield Static(Content(""), id="figure-detail")

    def show(self, figures: Sequence[Span], body: str) -> None:
        """List these figures; headline and summary ones convert at the body's stated rates."""
        from tui.core.extract.conversion import stated_rates, usd_equivalents, user_rates

        self.figures = list(figures)
        rates = user_rates()
        in_body = [s.data for s in self.figures if s.field == "body"]
        in_body_usd = iter(usd_equivalents(body, in_body, rates))
        header_rates = {**rates, **stated_rates(body, in_body)}
        self.equivalents = [
            next(in_body_usd)
            if s.field == "body"
            else usd_equivalents("", [s.data], header_rates)[0]
            for s in self.figures
        ]
        self.usd = [e.describe() if e else "" for e in self.equivalents]
        self.fill()

    def ordered(self) -> list[int]:
        """Indexes of the figures in the list's order (by value: the core's sort key)."""
        from tui.core.extract.conversion import value_sort_key

        order = list(range(len(self.figures)))
        if self.by_value:
            keys = [
                value_sort_key(s.data, e)
                for s, e in zip(self.figures, self.equivalents, strict=True)
            ]
            order.sort(key=lambda i: (keys[i][0], keys[i][1], -keys[i][2], keys[i][3]))
        return order

    def fill(self) -> None:
        """(Re)build the list in the current order."""
        figure_list = self.query_one(FigureList)
        options = []
        for index in self.ordered():
            span = self.figures[index]
            row = Content(f"{literal(span.text, 28)}  {figure_value(span)}")
            if self.usd[index]:
                row += Content.styled(f"  {self.usd[index]}", "italic")
            if span.field != "body":
                row += Content.styled(f"  {FIELD_NAMES.get(span.field, span.field)}", "dim")
            if span.data.get("corrected"):
                row += Content.styled(f"  {CORRECTED_MARK} corrected", "bold")
            options.append(Option(row, id=f"f{index}"))
        figure_list.set_options(options or [Option(Content("No figures"), disabled=True)])
        self.show_detail(self.highlighted_figure)

    @property
    def highlighted_figure(self) -> Span | None:
        """The figure on the highlighted row, if any."""
        figure_list = self.query_one(FigureList)
        if figure_list.highlighted is None or not self.figures:
            return None
        number = (figure_list.get_option_at_index(figure_list.highlighted).id or "")[1:]
        return self.figures[int(number)] if number.isdigit() else None

    def show_detail(self, span: Span | None) -> None:
        """Show a figure's currency reason and correction under the list."""
        detail = figure_detail(span) if span is not None else ""
        widget = self.query_one("#figure-detail", Static)
        widget.update(Content(detail))
        widget.display = bool(detail)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The details follow the highlight."""
        event.stop()
        self.show_detail(self.highlighted_figure)

    def action_sort(self) -> None:
        """Switch between reading order and value order."""
        self.by_value = not self.by_value
        self.fill()
        self.notify(
            "Figures sorted by value" if self.by_value else "Figures in reading order",
            markup=False,
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A picked figure jumps to it in the reader."""
        event.stop()
        number = (event.option.id or "")[1:]
        if number.isdigit():
            span = self.figures[int(number)]
            self.post_message(self.Jump(span.start, span.end, span))
