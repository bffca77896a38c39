"""Global search: every article's text and title, and every claim's quote, tags and note."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.search import SearchHit
from tui.core.text import visible_controls
from tui.screens.workers import ForwardsWorkerFailures

Search = Callable[[str], list[SearchHit]]


def hit_prompt(hit: SearchHit, query: str = "") -> Content:
    """Where it matched and the article, then the text with the query marked; all literal."""
    title = visible_controls(hit.title)
    head = Content.assemble((f"{hit.where:<6}", "bold"), " ", (title[:70], "dim"))
    snippet = visible_controls(hit.snippet).replace("\n", " ")[:110]
    text = Content(snippet)
    needle = query.strip()
    if needle:
        for match in re.finditer(re.escape(needle), snippet, re.IGNORECASE):
            text = text.stylize("bold reverse", match.start(), match.end())
    return Content.assemble(head, "\n  ", text)


class SearchScreen(ForwardsWorkerFailures[SearchHit | None], ModalScreen[SearchHit | None]):
    """Type to search; enter opens the highlighted (or first) hit with the match selected."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="search.close"),
        Binding("down", "move(1)", "Next hit", show=False, id="search.down"),
        Binding("up", "move(-1)", "Previous hit", show=False, id="search.up"),
    ]

    def __init__(self, search: Search) -> None:
        super().__init__()
        self.search = search
        self.hits: list[SearchHit] = []
        self.query_text = ""
        self.hits_query: str | None = None
        """The query :attr:`hits` belong to (typing may be ahead of the worker)."""

    def compose(self) -> ComposeResult:
        """The query, a status line and the hits."""
        with Vertical(id="search-dialog", classes="dialog"):
            yield Label("Search all articles, quotes, tags and notes", classes="dialog-title")
            yield Input(placeholder="e.g. HK$50 billion", id="search-input", compact=True)
            yield Label("", id="search-status", markup=False)
            yield OptionList(id="search-hits")

    def on_mount(self) -> None:
        """Start typing at once."""
        self.query_one("#search-input", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as the user types (the newest query wins)."""
        event.stop()
        self.query_text = event.value
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        """Search off the UI loop: a large library means reading many files."""
        hits = self.search(query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_hits, query, hits)

    def show_hits(self, query: str, hits: list[SearchHit]) -> None:
        """List the hits for ``query`` (ignored if the query has changed since)."""
        if query != self.query_text:
            return
        self.hits = hits
        self.hits_query = query
        hit_list = self.query_one("#search-hits", OptionList)
        hit_list.set_options(
            Option(hit_prompt(hit, query), id=str(i)) for i, hit in enumerate(hits)
        )
        if hits:
            hit_list.highlighted = 0
        status = self.query_one("#search-status", Label)
        if not query.strip():
            status.update("")
        else:
            more = "+" if len(hits) >= 200 else ""
            status.update(
                f"{len(hits)}{more} hit{'s' if len(hits) != 1 else ''} — enter opens, ↑↓ choose"
            )

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """Open the highlighted hit, searching first if the results are not in yet."""
        event.stop()
        if self.hits_query != event.value:  # the results of what was typed are not in yet
            self.query_text = event.value
            self.show_hits(event.value, self.search(event.value))
        self._open_highlighted()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Click or enter on a hit opens it."""
        event.stop()
        self.dismiss(self.hits[int(event.option.id or 0)])

    def _open_highlighted(self) -> None:
        if not self.hits:
            self.app.bell()
            return
        index = self.query_one("#search-hits", OptionList).highlighted or 0
        self.dismiss(self.hits[index])

    def action_move(self, step: int) -> None:
        """Move through the hits without leaving the query."""
        hit_list = self.query_one("#search-hits", OptionList)
        if step > 0:
            hit_list.action_cursor_down()
        else:
            hit_list.action_cursor_up()

    def action_cancel(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
