"""The Figures tab: every figure with its value (and a US-dollar equivalent where a rate is
known), in reading order or by value."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.extract.conversion import usd_equivalents, user_rates
from tui.widgets.panel.common import SpanPane, literal
from tui.widgets.spans import Span


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
    return " ".join(parts)


class FigureList(OptionList):
    """The list of figures (``s`` anywhere in the side panel sorts it)."""


class FiguresPane(SpanPane):
    """Figures of the open article."""

    def __init__(self) -> None:
        super().__init__("Figures", id="tab-figures")
        self.figures: list[Span] = []
        self.usd: list[str] = []
        """US-dollar equivalent of each figure ("≈ US$6.37 billion"), or ""."""
        self.by_value = False
        """True: largest value first; False: reading order."""

    def compose(self) -> ComposeResult:
        """One list."""
        yield FigureList(id="figure-list")

    def show(self, figures: Sequence[Span], body: str) -> None:
        """List these figures."""
        self.figures = list(figures)
        equivalents = usd_equivalents(body, [s.data for s in self.figures], user_rates())
        self.usd = [e.describe() if e else "" for e in equivalents]
        self.fill()

    def fill(self) -> None:
        """(Re)build the list in the current order."""
        figure_list = self.query_one(FigureList)
        figures = list(enumerate(self.figures))
        if self.by_value:
            figures.sort(key=lambda item: -float(item[1].data.get("value") or 0))
        options = [
            Option(
                Content(f"{literal(span.text, 28)}  {figure_value(span)}")
                + Content.styled(f"  {self.usd[index]}" if self.usd[index] else "", "italic"),
                id=f"f{index}",
            )
            for index, span in figures
        ]
        figure_list.set_options(options or [Option(Content("No figures"), disabled=True)])

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
