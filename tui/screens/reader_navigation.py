"""Moving around the reader: span focus, keyboard selection, panels and find in the article."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.screens.reader_claims import ClaimActions
from tui.widgets.article_view import ArticleView
from tui.widgets.find_bar import FindBar
from tui.widgets.library_list import LibraryList
from tui.widgets.side_panel import SidePanel


class NavigationActions(ClaimActions):
    """Base of the reader screen: actions that move, select and find, never write."""

    find_matches: list[tuple[int, int]]
    find_index: int

    if TYPE_CHECKING:

        def load_library(self) -> object: ...

    # -- reader navigation -------------------------------------------------------------------

    def _view(self) -> ArticleView | None:
        """The reader, or None (with a hint) when no article is open."""
        if self.article is None:
            self.claimdesk.report("Open an article first (enter on the list)")
            return None
        return self.query_one("#article", ArticleView)

    def action_next_span(self, forward: bool) -> None:
        """Focus the next / previous figure or entity."""
        view = self._view()
        if view is not None:
            view.focus()
            view.action_next_span(forward)

    def on_side_panel_jump(self, event: SidePanel.Jump) -> None:
        """Show what was picked in the side panel."""
        view = self.query_one("#article", ArticleView)
        if event.span is not None:
            view.focus_span(event.span)
        else:
            view.select_range(event.start, event.end)

    def on_article_view_selecting_changed(self, event: ArticleView.SelectingChanged) -> None:
        """Footer and hint follow selection mode."""
        if event.selecting:
            self.claimdesk.report(
                "Selecting: arrows, w/b word, ( ) sentence; t tags, esc stops", timeout=4
            )

    def action_select_mode(self) -> None:
        """Start extending a selection with the keyboard."""
        view = self._view()
        if view is not None:
            view.focus()
            view.action_toggle_selecting()

    def action_extend(self, unit: str, forward: bool) -> None:
        """Extend the selection by a word or sentence."""
        view = self._view()
        if view is not None:
            view.focus()
            view.action_extend(unit, forward)

    def action_clear(self) -> None:
        """Stop selecting and drop the focused span."""
        if self.article is None:
            return
        view = self.query_one("#article", ArticleView)
        if view.selecting:
            view.selecting = False
        elif view.focused is not None:
            view.focus_span(None)

    def action_toggle_library(self) -> None:
        """Show or hide the article list."""
        self.toggle_class("-no-library")
        if not self.has_class("-no-library"):
            self.query_one("#library", LibraryList).focus()

    def action_reload_library(self) -> None:
        """Scan the library folder again (new, edited or removed articles)."""
        self.load_library()
        self.claimdesk.report("Reloading the library…")

    def action_toggle_panel(self) -> None:
        """Show or hide the side panel."""
        self.toggle_class("-no-side")

    # -- find in article ------------------------------------------------------------------

    def action_find(self) -> None:
        """Open the find bar."""
        if self._view() is not None:
            self.query_one("#find", FindBar).open()

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        """Recount matches and show the first one at or after the cursor."""
        if self.article is None:
            return
        query = event.query
        pattern = re.compile(re.escape(query), re.IGNORECASE) if query else None
        body = self.article.body
        self.find_matches = (
            [(m.start(), m.end()) for m in pattern.finditer(body)] if pattern else []
        )
        view = self.query_one("#article", ArticleView)
        here = view.selected_range[0]
        self.find_index = next(
            (i for i, (s, _) in enumerate(self.find_matches) if s >= here),
            0 if self.find_matches else -1,
        )
        self._show_match(query)

    def on_find_bar_step(self, event: FindBar.Step) -> None:
        """Next or previous match, wrapping around."""
        if not self.find_matches:
            self.app.bell()
            return
        step = 1 if event.forward else -1
        self.find_index = (self.find_index + step) % len(self.find_matches)
        self._show_match(None)

    def _show_match(self, query: str | None) -> None:
        find = self.query_one("#find", FindBar)
        if query is None:
            query = find.query_one("#find-input").value  # type: ignore[attr-defined]
        find.set_count(self.find_index + 1, len(self.find_matches), query)
        if 0 <= self.find_index < len(self.find_matches):
            self.query_one("#article", ArticleView).select_range(
                *self.find_matches[self.find_index]
            )

    def on_find_bar_closed(self, _event: FindBar.Closed) -> None:
        """Back to the reader with the match still selected, ready for ``t``."""
        self.query_one("#article", ArticleView).focus()
