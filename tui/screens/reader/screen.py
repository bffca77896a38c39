"""The main screen: the library, the reader with its find bar and legend, and the side panel."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from tui.core.vocab import STATUSES
from tui.screens.reader.checks import CheckActions
from tui.screens.reader.claims import ClaimActions
from tui.screens.reader.corrections import CorrectionActions
from tui.screens.reader.library import LibraryActions
from tui.screens.reader.navigation import NavigationActions
from tui.widgets.footer import KeyFooter
from tui.widgets.library_pane import LibraryPane

WELCOME = "Choose an article on the left (enter opens it). Press ? for every key."
NARROW = 110
"""Below this many columns the library and side panel are toggles."""
WIDE = 160
"""From this many columns on, the library and panel get wider and the article a reading measure."""
ARTICLE_ACTIONS = frozenset(
    {
        "next_span",
        "tag",
        "edit_claim",
        "delete_claim",
        "reattach",
        "select_mode",
        "extend",
        "find",
        "correct",
        "clear",
        "set_status",
    }
)
"""Reader keys that act on the open article: not offered while the library has focus."""
BEFORE_PANELS = frozenset({"toggle_library", "reload_library"})
"""Reader keys offered before the reader's panels are mounted (they need only the library)."""
PANELS_AT_LATEST = 0.4
"""Seconds after the screen is mounted by which the panels are mounted even if the library is
still being scanned (normally they are mounted as soon as the list is drawn)."""


class ReaderScreen(
    CheckActions, CorrectionActions, ClaimActions, NavigationActions, LibraryActions
):
    """Read an article, see its figures and entities, and tag claims."""

    AUTO_FOCUS = "#library-list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "next_span(True)",
            "Next",
            id="reader.next_span",
            tooltip="focus the next figure or entity (selects it, ready for t)",
        ),
        Binding(
            "N",
            "next_span(False)",
            "Previous",
            show=False,
            id="reader.previous_span",
            tooltip="focus the previous figure or entity",
        ),
        Binding(
            "t",
            "tag",
            "Tag",
            id="reader.tag",
            tooltip="tag the selection or focused span as a claim",
        ),
        Binding(
            "e",
            "edit_claim",
            "Edit claim",
            show=False,
            id="reader.edit",
            tooltip="edit the highlighted claim in Claims, else the one under the cursor",
        ),
        Binding(
            "d",
            "delete_claim",
            "Delete claim",
            show=False,
            id="reader.delete",
            tooltip="delete the highlighted claim in Claims, else the one under the cursor",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            show=False,
            id="reader.undo",
            tooltip="take back the last delete or status change",
        ),
        Binding(
            "a",
            "reattach",
            "Re-attach claim",
            show=False,
            id="reader.reattach",
            tooltip="move the chosen drifted or orphaned claim to the selection",
        ),
        Binding(
            "v",
            "select_mode",
            "Select",
            id="reader.select",
            tooltip="start selecting with the keyboard (arrows, w/b words, ( ) sentences)",
        ),
        Binding(
            "w",
            "extend('word', True)",
            "Word→",
            show=False,
            id="reader.word_forward",
            tooltip="while selecting: extend by a word",
        ),
        Binding(
            ")",
            "extend('sentence', True)",
            "Sentence→",
            show=False,
            id="reader.sentence_forward",
            tooltip="while selecting: to the end of the sentence",
        ),
        Binding(
            "(",
            "extend('sentence', False)",
            "←Sentence",
            show=False,
            id="reader.sentence_back",
            tooltip="while selecting: back to the previous sentence end",
        ),
        Binding(
            "slash",
            "find",
            "Find",
            id="reader.find",
            tooltip="find in this article (enter/↓ next, ↑ previous)",
        ),
        Binding(
            "c",
            "correct",
            "Correct",
            show=False,
            id="reader.correct",
            tooltip="correct the focused figure (currency, value, unit, label, not a figure) or "
            "entity, or add the selection as an entity",
        ),
        Binding(
            "l",
            "toggle_library",
            "Library",
            id="reader.library",
            tooltip="show / hide the article list",
        ),
        Binding(
            "p",
            "toggle_panel",
            "Side panel",
            show=False,
            id="reader.panel",
            tooltip="show / hide the Figures / Entities / Claims panel",
        ),
        Binding(
            "escape",
            "clear",
            "Stop selecting",
            show=False,
            id="reader.clear",
            tooltip="stop selecting; unfocus the span",
        ),
        Binding(
            "K",
            "show_checks",
            "Checks",
            show=False,
            id="reader.checks",
            tooltip="the figure checks: numbers in the library that don't add up",
        ),
        Binding(
            "R",
            "reload_library",
            "Reload",
            show=False,
            id="reader.reload",
            tooltip="read the library folder again (new, edited or removed articles)",
        ),
        *(
            Binding(
                str(number),
                f"set_status({number})",
                f"Mark {status}",
                show=False,
                id=f"reader.status_{number}",
                tooltip=f"mark the chosen claim {status} (u undoes)",
            )
            for number, status in enumerate(STATUSES, start=1)
        ),
    ]

    def compose(self) -> ComposeResult:
        """Library | reader (title; the text, find bar and legend) | side panel; footer below.

        The first frame has the library and the title only: the article view, find bar,
        legend and side panel (and their modules) come in :meth:`mount_panels`, once the list
        is drawn, so neither the first frame nor the list waits for them."""
        with Horizontal(id="main"):
            yield LibraryPane(id="library")
            with Vertical(id="reader-pane"):
                yield Static(Content(WELCOME), id="article-title")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        """Set the layout for the terminal width and start listing the library."""
        self.add_class("-no-article")
        self.apply_width(self.app.size.width)
        if not self.list_waiting_scan():
            self.call_after_refresh(self.load_library)  # the first frame does not wait for it
        self.set_timer(PANELS_AT_LATEST, self.mount_panels)

    def on_resize(self) -> None:
        """Collapse the panels on narrow terminals; widen them on wide ones."""
        self.apply_width(self.app.size.width)

    def apply_width(self, width: int) -> None:
        """Narrow: panels are toggles; wide: wider panels and a reading measure."""
        self.set_class(width >= WIDE, "-wide")
        narrow = width < NARROW
        if narrow == self.has_class("-narrow"):
            return
        self.set_class(narrow, "-narrow")
        self.set_class(narrow, "-no-side")
        self.set_class(narrow and self.article is not None, "-no-library")

    def on_descendant_focus(self) -> None:
        """The footer shows the keys of the pane that has focus."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Article keys are not offered while the library has focus (it has its own), nor
        any key that needs the panels before they are mounted."""
        if not self.panels_ready and action not in BEFORE_PANELS:
            return False
        if action in ARTICLE_ACTIONS and self.focused is not None:
            # the focused widget's ancestors, not a query of every widget in the library
            return not any(node.id == "library" for node in self.focused.ancestors_with_self)
        return True
