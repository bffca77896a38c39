"""The library pane: a header with the count and order, a filter field, and the article list."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from tui.widgets.library_list import SORT_NAMES, LibraryList


class LibraryFilter(Input):
    """Type to narrow the list; enter goes back to the list, esc clears the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", id="library.clear_filter"),
        Binding("down", "to_list", "To the list", show=False),
    ]

    def action_clear_filter(self) -> None:
        """Empty the field (showing every article again) and go back to the list."""
        self.value = ""
        self.display = False
        self.screen.query_one(LibraryList).focus()

    def action_to_list(self) -> None:
        """Go back to the list with the filter kept."""
        self.screen.query_one(LibraryList).focus()


class LibraryPane(Vertical):
    """Header, filter field and article list."""

    def compose(self) -> ComposeResult:
        """The three parts, top to bottom."""
        yield Static(Content("Library"), id="library-header")
        field = LibraryFilter(
            placeholder="title, source or #tag", id="library-filter", compact=True
        )
        field.display = False
        yield field
        yield LibraryList(id="library-list")

    @property
    def articles(self) -> LibraryList:
        """The list itself."""
        return self.query_one(LibraryList)

    def on_library_list_counted(self, event: LibraryList.Counted) -> None:
        """Header: "Library 12 of 300 · newest first"."""
        count = (
            f"{event.total}"
            if event.visible == event.total
            else f"{event.visible} of {event.total}"
        )
        self.query_one("#library-header", Static).update(
            Content.assemble(
                ("Library ", "bold"), count, " · ", (SORT_NAMES[event.order], "italic")
            )
        )

    def on_library_list_filter_requested(self, event: LibraryList.FilterRequested) -> None:
        """Show the filter field and type into it."""
        event.stop()
        field = self.query_one(LibraryFilter)
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        event.stop()
        self.articles.set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter goes to the list (filter kept), where enter opens the highlighted article."""
        event.stop()
        field = self.query_one(LibraryFilter)
        if not field.value:
            field.display = False
        self.articles.focus()
