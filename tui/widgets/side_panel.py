"""The side panel: Figures, Entities and Claims of the open article, each a jump list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, TabbedContent, TabPane
from textual.widgets.option_list import Option

from tui.core.extract.conversion import usd_equivalents, user_rates
from tui.core.text import visible_controls
from tui.screens.session import Claim
from tui.widgets.spans import ENTITY_LABELS, LABEL_NAMES, Span

STATE_NAMES = {"drifted": "drifted (text changed)", "orphan": "orphan (quote not found)"}


def _literal(text: str, limit: int = 80) -> str:
    """Untrusted text made one safe line: controls visible, newlines as spaces, shortened."""
    line = visible_controls(text).replace("\n", " ")
    return line if len(line) <= limit else line[: limit - 1] + "…"


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
    """Every figure of the article; ``s`` switches between reading order and value order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort by value/position", id="figures.sort")
    ]

    by_value = False
    """True: largest value first; False: reading order."""

    class SortChanged(Message):
        """The figure order was switched."""

    def action_sort(self) -> None:
        """Switch between reading order and value order."""
        self.by_value = not self.by_value
        self.post_message(self.SortChanged())


class SidePanel(Vertical):
    """Tabs listing the open article's figures, entities and claims."""

    @dataclass
    class Jump(Message):
        """Show and select ``start``-``end`` in the reader."""

        start: int
        end: int
        span: Span | None = None

    @dataclass
    class ClaimChosen(Message):
        """A claim was picked in the Claims tab."""

        claim: Claim

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figures: list[Span] = []
        self.usd: list[str] = []
        """US-dollar equivalent of each figure ("≈ US$6.37 billion"), or ""."""
        self.groups: list[list[Span]] = []
        self.group_cursor: list[int] = []
        self.claims: list[Claim] = []

    def compose(self) -> ComposeResult:
        """Three tabs, each holding one list."""
        with TabbedContent(initial="tab-figures", id="side-tabs"):
            with TabPane("Figures", id="tab-figures"):
                yield FigureList(id="figure-list")
            with TabPane("Entities", id="tab-entities"):
                yield OptionList(id="entity-list")
            with TabPane("Claims", id="tab-claims"):
                yield OptionList(id="claim-list")

    @property
    def _tabs(self) -> TabbedContent:
        return self.query_one("#side-tabs", TabbedContent)

    def show_tab(self, tab_id: str) -> None:
        """Switch to ``tab-figures``, ``tab-entities`` or ``tab-claims``."""
        self._tabs.active = tab_id

    # -- filling ----------------------------------------------------------------------------

    def show_spans(self, spans: Sequence[Span], body: str = "") -> None:
        """List the figures (with US-dollar equivalents where a rate is known, see
        :mod:`tui.core.extract.conversion`) and the entities grouped by label with counts."""
        self.figures = [s for s in spans if s.kind == "figure"]
        equivalents = usd_equivalents(body, [s.data for s in self.figures], user_rates())
        self.usd = [e.describe() if e else "" for e in equivalents]
        self._fill_figures()
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
                Option(Content(f"  {_literal(key, 40)}  ×{len(mentions)}"), id=f"e{index}")
            )
        entity_list = self.query_one("#entity-list", OptionList)
        entity_list.set_options(options or [Option(Content("No entities yet"), disabled=True)])
        self._tabs.get_tab("tab-entities").label = Content(f"Entities {len(self.groups)}")

    def _fill_figures(self) -> None:
        figure_list = self.query_one("#figure-list", FigureList)
        figures = list(enumerate(self.figures))
        if figure_list.by_value:
            figures.sort(key=lambda item: -float(item[1].data.get("value") or 0))
        options = [
            Option(
                Content(f"{_literal(span.text, 28)}  {figure_value(span)}")
                + Content.styled(f"  {self.usd[index]}" if self.usd[index] else "", "italic"),
                id=f"f{index}",
            )
            for index, span in figures
        ]
        figure_list.set_options(options or [Option(Content("No figures"), disabled=True)])
        self._tabs.get_tab("tab-figures").label = Content(f"Figures {len(self.figures)}")

    def show_claims(self, claims: Sequence[Claim]) -> None:
        """List the claims; drifted and orphaned ones in their own group with the stored quote."""
        self.claims = list(claims)
        options: list[Option | None] = []
        placed = [(i, c) for i, c in enumerate(self.claims) if c.state == "anchored"]
        lost = [(i, c) for i, c in enumerate(self.claims) if c.state != "anchored"]
        for index, claim in placed:
            options.append(self._claim_option(index, claim))
        if lost:
            options.append(Option(Content.styled("Needs attention", "bold"), disabled=True))
            for index, claim in lost:
                options.append(self._claim_option(index, claim))
        claim_list = self.query_one("#claim-list", OptionList)
        claim_list.set_options(
            options or [Option(Content("No claims yet: press t to tag one"), disabled=True)]
        )
        self._tabs.get_tab("tab-claims").label = Content(f"Claims {len(self.claims)}")

    @staticmethod
    def _claim_option(index: int, claim: Claim) -> Option:
        record = claim.record
        tags = " ".join(f"#{t}" for t in record.get("tags", []))
        note = str(record.get("note", "")).split("\n")[0]
        heading = f"[{record.get('status', 'unverified')}] {_literal(tags, 40)}".rstrip()
        details = [f"“{_literal(str(record.get('quote', '')), 60)}”"]
        if note:
            details.append(_literal(note, 60))
        if claim.state != "anchored":
            details.append(STATE_NAMES.get(claim.state, claim.state))
        # Wrapped lines stay indented under their own line (literal rich Text, never markup).
        rows: list[RenderableType] = [
            Text(heading),
            *(Padding(Text(line), (0, 0, 0, 2)) for line in details),
        ]
        return Option(Group(*rows), id=f"c{index}")

    # -- choosing -----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a picked row into a Jump (or ClaimChosen) message for the screen."""
        event.stop()
        option_id = event.option.id or ""
        kind, number = option_id[:1], option_id[1:]
        if not number.isdigit():
            return
        index = int(number)
        if kind == "f":
            span = self.figures[index]
            self.post_message(self.Jump(span.start, span.end, span))
        elif kind == "e":
            mentions = self.groups[index]
            self.group_cursor[index] = (self.group_cursor[index] + 1) % len(mentions)
            span = mentions[self.group_cursor[index]]
            self.post_message(self.Jump(span.start, span.end, span))
        elif kind == "c":
            self.post_message(self.ClaimChosen(self.claims[index]))

    def on_figure_list_sort_changed(self, event: FigureList.SortChanged) -> None:
        """Re-list the figures in the new order."""
        event.stop()
        figure_list = self.query_one("#figure-list", FigureList)
        self._fill_figures()
        self.app.notify(
            "Figures sorted by value" if figure_list.by_value else "Figures in reading order",
            markup=False,
        )
