"""The legend: each label present in the article in its colour, with a count; click to toggle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Set

from rich.style import Style as RichStyle
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from tui.widgets.spans import LABEL_COLOURS, LABEL_NAMES, Span


class Legend(Static):
    """One line naming the highlight colours; hidden labels are shown struck through."""

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
            piece = Content.from_markup(
                f"[@click=screen.toggle_label('{label}')]$name[/]", name=name
            )
            if label in hidden:
                piece = piece.stylize("strike dim")
            else:
                piece = piece.stylize(Style.from_rich_style(styles.get(label, RichStyle())))
            parts.extend([piece, Content(" ")])
        if note:
            parts.append(Content.styled(note, "dim italic"))
        self.update(Content.assemble(*parts) if parts else Content(""))
