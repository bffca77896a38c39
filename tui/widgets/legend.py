"""The legend: each label present in the article in its colour, with a count; a click on one
posts a message (the screen shows or hides that label)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from rich.style import Style as RichStyle
from textual import events
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import Static

from tui.widgets.spans import LABEL_COLOURS, LABEL_NAMES, Span

LABEL_META = "legend_label"
"""Style meta key naming the label under the pointer."""


class Legend(Static):
    """One line naming the highlight colours; hidden labels are shown struck through."""

    @dataclass
    class LabelClicked(Message):
        """A label was clicked (the screen shows or hides its highlights)."""

        label: str

    def show(
        self,
        spans: Iterable[Span],
        styles: Mapping[str, RichStyle],
        hidden: Set[str],
        note: str = "",
    ) -> None:
        """Render the legend for these spans."""
        counts = Counter(span.label for span in spans)
        parts: list[Content] = []
        for label in LABEL_COLOURS:
            if not counts[label]:
                continue
            name = f" {LABEL_NAMES.get(label, label)} {counts[label]} "
            piece = Content(name).stylize(Style.from_meta({LABEL_META: label}))
            if label in hidden:
                piece = piece.stylize("strike dim")
            else:
                piece = piece.stylize(Style.from_rich_style(styles.get(label, RichStyle())))
            parts.extend([piece, Content(" ")])
        if note:
            parts.append(Content.styled(note, "dim italic"))
        self.update(Content.assemble(*parts) if parts else Content(""))

    def on_click(self, event: events.Click) -> None:
        """Say which label was clicked (each label's text carries its name as style meta)."""
        label = event.style.meta.get(LABEL_META)
        if isinstance(label, str):
            event.stop()
            self.post_message(self.LabelClicked(label))
