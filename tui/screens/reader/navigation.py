"""Moving around the reader: span focus, keyboard selection, panels and find in the article."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.screens.reader.base import ReaderBase

if TYPE_CHECKING:
    from tui.widgets.article_view import ArticleView
    from tui.widgets.find_bar import FindBar
    from tui.widgets.panel.common import SpanPane


class NavigationActions(ReaderBase):
    """Actions that move, select, show and find; none of them writes."""

    def __init__(self) -> None:
        super().__init__()
        self.find_matches: list[tuple[int, int]] = []
        """Offsets of every match of the find bar's query."""
        self.find_index = -1
        """The match shown now (-1: none)."""

    @property
    def find_bar(self) -> FindBar:
        """The find bar under the article."""
        from tui.widgets.find_bar import FindBar

        return self.query_one("#find", FindBar)

    def action_next_span(self, forward: bool) -> None:
        """Focus the next / previous figure or entity."""
        view = self._view()
        if view is not None:
            view.focus()
            view.action_next_span(forward)

    def on_span_pane_jump(self, event: SpanPane.Jump) -> None:
        """Show what was picked in the side panel."""
        view = self.view
        if event.span is not None:
            view.focus_span(event.span)
        else:
            view.select_range(event.start, event.end)

    def on_article_view_selecting_changed(self, event: ArticleView.SelectingChanged) -> None:
        """A hint when selection mode starts; the footer follows."""
        if event.selecting:
            self.report("Selecting: arrows, w/b word, ( ) sentence; t tags, esc stops", timeout=4)
        self.refresh_bindings()

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
        view = self.view
        if view.selecting:
            view.selecting = False
        elif view.focused is not None:
            view.focus_span(None)

    def action_toggle_library(self) -> None:
        """Show or hide the article list; the reader's focus stays in view."""
        self.toggle_class("-no-library")
        if not self.has_class("-no-library"):
            self.library.focus()
        self.keep_focus_visible()

    def action_toggle_panel(self) -> None:
        """Show or hide the side panel; the reader's focus stays in view."""
        self.toggle_class("-no-side")
        self.keep_focus_visible()

    def keep_focus_visible(self) -> None:
        """After the layout changes, scroll the focused span or selection back into view."""
        if self.article is not None:
            self.call_after_refresh(self.view.scroll_cursor_visible, center=True)

    # -- find in article ------------------------------------------------------------------

    def action_find(self) -> None:
        """Open the find bar."""
        if self._view() is not None:
            self.find_bar.open()

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
        here = self.view.selected_range[0]
        self.find_index = next(
            (i for i, (s, _) in enumerate(self.find_matches) if s >= here),
            0 if self.find_matches else -1,
        )
        self.show_match(query)

    def on_find_bar_step(self, event: FindBar.Step) -> None:
        """Next or previous match, wrapping around."""
        if not self.find_matches:
            self.app.bell()
            return
        step = 1 if event.forward else -1
        self.find_index = (self.find_index + step) % len(self.find_matches)
        self.show_match(None)

    def show_match(self, query: str | None) -> None:
        """Select the current match and show "3 of 12"."""
        find = self.find_bar
        if query is None:
            query = find.query_text
        find.set_count(self.find_index + 1, len(self.find_matches), query)
        if 0 <= self.find_index < len(self.find_matches):
            self.view.select_range(*self.find_matches[self.find_index])

    def on_find_bar_closed(self, _event: FindBar.Closed) -> None:
        """Back to the reader with the match still selected, ready for ``t``."""
        self.view.focus()
