"""Command palette provider: every reader action and every article, shown literally."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.text import visible_controls
from tui.widgets.spans import LABEL_COLOURS, LABEL_NAMES

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp

ACTIONS: list[tuple[str, str, str]] = [
    ("Next figure or entity", "n", "next_span(True)"),
    ("Previous figure or entity", "N", "next_span(False)"),
    ("Tag selection as a claim", "t", "tag"),
    ("Edit claim under cursor", "e", "edit_claim"),
    ("Delete claim under cursor", "d", "delete_claim"),
    ("Undo delete", "u", "undo"),
    ("Re-attach the chosen drifted/orphaned claim to the selection", "a", "reattach"),
    ("Start keyboard selection", "v", "select_mode"),
    ("Find in article", "/", "find"),
    ("Correct focused entity / add selection as entity", "c", "correct"),
    ("Toggle article list", "l", "toggle_library"),
    ("Toggle side panel", "p", "toggle_panel"),
    ("Reload the library (after importing or editing articles)", "", "reload_library"),
]
APP_ACTIONS: list[tuple[str, str, str]] = [
    ("Search all articles, quotes, tags, notes", "ctrl+f", "search"),
    ("Export annotations", "ctrl+e", "export"),
    ("Show keys (help)", "?", "help"),
    ("Quit", "q", "quit"),
]


class ClaimdeskCommands(Provider):
    """Reader actions, label toggles and "Open: <article>" commands."""

    @property
    def claimdesk(self) -> ClaimdeskApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.claimdesk
        reader = app.reader
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for title, key, action in ACTIONS:
            commands.append((title, key, partial(reader.run_action, action)))
        for title, key, action in APP_ACTIONS:
            commands.append((title, key, partial(app.run_action, action)))
        for label in LABEL_COLOURS:
            commands.append(
                (
                    f"Show/hide {LABEL_NAMES[label]} highlights",
                    label,
                    partial(reader.toggle_label, label),
                )
            )
        for meta in app.session.scan.articles:
            title = visible_controls(meta.title).replace("\n", " ")
            commands.append((f"Open: {title}", meta.id, partial(app.open_article, meta.id)))
        return commands

    async def discover(self) -> Hits:
        """Every action before anything is typed."""
        for title, key, callback in self._commands():
            if not title.startswith("Open: "):
                yield DiscoveryHit(Content(title), callback, help=key)

    async def search(self, query: str) -> Hits:
        """Actions and articles matching the query; displayed as plain Content, never markup."""
        matcher = self.matcher(query)
        for title, key, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, Content(title), callback, text=title, help=key)
