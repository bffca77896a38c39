"""Command palette provider: every reader action and every article, shown literally."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.text import visible_controls
from tui.core.vocab import STATUSES
from tui.screens.keys import bindings_of, current
from tui.widgets.spans import LABEL_COLOURS, LABEL_NAMES

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp

READER_COMMANDS: list[tuple[str, str]] = [
    ("Next figure or entity", "reader.next_span"),
    ("Previous figure or entity", "reader.previous_span"),
    ("Tag selection as a claim", "reader.tag"),
    ("Edit the chosen claim", "reader.edit"),
    ("Delete the chosen claim", "reader.delete"),
    ("Undo the last delete or status change", "reader.undo"),
    ("Re-attach the chosen drifted/orphaned claim to the selection", "reader.reattach"),
    ("Start keyboard selection", "reader.select"),
    ("Find in article", "reader.find"),
    ("Correct focused entity / add selection as entity", "reader.correct"),
    ("Toggle article list", "reader.library"),
    ("Toggle side panel", "reader.panel"),
    ("Reload the library (after importing or editing articles)", "reader.reload"),
    ("Figure checks (numbers that don't add up)", "reader.checks"),
    *((f"Mark the chosen claim {s}", f"reader.status_{i}") for i, s in enumerate(STATUSES, 1)),
]
"""Palette titles of reader bindings, by binding id: the key and action come from the binding."""
APP_COMMANDS: list[tuple[str, str]] = [
    ("Search all articles, quotes, tags, notes", "app.search"),
    ("All claims (notebook)", "app.notebook"),
    ("Export annotations", "app.export"),
    ("Update feeds (import new entries)", "app.update_feeds"),
    ("Show keys (help)", "app.help"),
    ("Quit", "app.quit"),
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
        keymap = app.keymap_overrides
        for node, titles in ((reader, READER_COMMANDS), (app, APP_COMMANDS)):
            bindings = {b.id: b for b in bindings_of([type(node)]) if b.id}
            for title, binding_id in titles:
                binding = current(bindings[binding_id], keymap)
                key = app.get_key_display(binding)
                commands.append((title, key, partial(node.run_action, binding.action)))
        for label in LABEL_COLOURS:
            commands.append(
                (
                    f"Show/hide {LABEL_NAMES[label]} highlights",
                    label,
                    partial(reader.toggle_label, label),
                )
            )
        for meta in app.workspace.scan.articles:
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
