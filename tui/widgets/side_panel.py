"""The side panel: the Figures, Entities, Claims and Checks tabs of the open article."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import TabbedContent

from tui.widgets.panel.checks import ChecksPane
from tui.widgets.panel.claims import ClaimList, ClaimsPane
from tui.widgets.panel.entities import EntitiesPane
from tui.widgets.panel.figures import FiguresPane
from tui.widgets.spans import Span

if TYPE_CHECKING:
    from tui.core.claims import Claim


class SidePanel(Vertical):
    """Tabs listing the open article's figures, entities and claims."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_figures", "Sort figures", id="figures.sort"),
    ]

    def compose(self) -> ComposeResult:
        """Four tabs."""
        with TabbedContent(initial="tab-figures", id="side-tabs"):
            yield FiguresPane()
            yield EntitiesPane()
            yield ClaimsPane()
            yield ChecksPane()

    @property
    def _tabs(self) -> TabbedContent:
        return self.query_one("#side-tabs", TabbedContent)

    def show_tab(self, tab_id: str) -> None:
        """Switch to ``tab-figures``, ``tab-entities`` or ``tab-claims``."""
        self._tabs.active = tab_id

    def show_spans(self, spans: Sequence[Span], body: str = "") -> None:
        """List the figures and the entities of the article."""
        figures = [s for s in spans if s.kind == "figure"]
        self.query_one(FiguresPane).show(figures, body)
        entities = self.query_one(EntitiesPane)
        entities.show(spans)
        self._tabs.get_tab("tab-figures").label = Content(f"Figures {len(figures)}")
        self._tabs.get_tab("tab-entities").label = Content(f"Entities {len(entities.groups)}")

    def show_claims(self, claims: Sequence[Claim], body: str) -> None:
        """List the claims of the article."""
        self.query_one(ClaimsPane).show(claims, body)
        self._tabs.get_tab("tab-claims").label = Content(f"Claims {len(claims)}")

    @property
    def claims_focused(self) -> bool:
        """True when the Claims list has focus (e, d and 1–5 then act on its row)."""
        return self.query_one(ClaimList).has_focus

    @property
    def highlighted_claim(self) -> Claim | None:
        """The claim highlighted in the Claims list."""
        return self.query_one(ClaimsPane).highlighted_claim

    def action_sort_figures(self) -> None:
        """Sort the figures by value or back to reading order, from anywhere in the panel."""
        self.show_tab("tab-figures")
        self.query_one(FiguresPane).action_sort()
