"""The Entities tab: named entities grouped by label with counts; enter cycles the mentions."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.panel.common import SpanPane, literal
from tui.widgets.spans import ENTITY_LABELS, LABEL_NAMES, Span


class EntitiesPane(SpanPane):
    """Entities of the open article."""

    def __init__(self) -> None:
        super().__init__("Entities", id="tab-entities")
        self.groups: list[list[Span]] = []
        """Mentions of each entity, in list order."""
        self.group_cursor: list[int] = []
        """The mention of each group shown last."""

    def compose(self) -> ComposeResult:
        """One list."""
        yield OptionList(id="entity-list")

    def show(self, spans: Sequence[Span]) -> None:
        """Group the entity spans by label and key, the most mentioned first."""
        groups: dict[tuple[str, str], list[Span]] = {}
        for span in spans:
            if span.kind != "entity":
                continue
            key = str(span.data.get("key") or span.data.get("group") or span.text)
            groups.setdefault((span.label, key), []).append(span)
        order = {label: i for i, label in enumerate(ENTITY_LABELS)}
        ordered = sorted(
            groups.items(), key=lambda kv: (order.get(kv[0][0], 99), -len(kv[1]), kv[0][1])
        )
        self.groups = [mentions for _, mentions in ordered]
        self.group_cursor = [-1] * len(self.groups)
        options: list[Option | None] = []
        current = None
        for index, ((label, key), mentions) in enumerate(ordered):
            if label != current:
                count = sum(1 for (lab, _), _m in ordered if lab == label)
                heading = Content.styled(f"{LABEL_NAMES.get(label, label)} ({count})", "bold")
                options.append(Option(heading, disabled=True))
                current = label
            options.append(
                Option(Content(f"  {literal(key, 40)}  ×{len(mentions)}"), id=f"e{index}")
            )
        entity_list = self.query_one(OptionList)
        entity_list.set_options(options or [Option(Content("No entities yet"), disabled=True)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Jump to the next mention of the picked entity."""
        event.stop()
        number = (event.option.id or "")[1:]
        if not number.isdigit():
            return
        index = int(number)
        mentions = self.groups[index]
        self.group_cursor[index] = (self.group_cursor[index] + 1) % len(mentions)
        span = mentions[self.group_cursor[index]]
        self.post_message(self.Jump(span.start, span.end, span))
