"""The ``?`` help screen: every key of the reader and its dialogs, and the mouse gestures."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

EXTRA_KEYS = [
    ("Moving around", "↑ ↓ ← → j k", "move; pgup / pgdn scroll"),
    ("Moving around", "shift+arrows", "select text"),
    ("Moving around", "enter", "open the highlighted article"),
    ("Moving around", "tab / shift+tab", "next / previous pane"),
    ("Selecting (after v)", "w / b", "extend by a word forward / back"),
    ("Selecting (after v)", ") / (", "extend by a sentence forward / back"),
    ("Selecting (after v)", "esc", "stop selecting"),
    ("Figures tab", "s", "sort by value / reading order"),
    ("Entities tab", "enter", "jump to the next mention"),
    ("Find bar", "enter / ↓, ↑", "next / previous match; esc closes, match stays selected"),
    ("Tag dialog", "tab", "tags → note → status"),
    ("Tag dialog", "→", "accept the suggested tag"),
    ("Tag dialog", "ctrl+s / esc", "save / cancel"),
    ("Mouse", "click", "open an article, focus a highlight, pick a list row"),
    ("Mouse", "drag", "select text in the reader (then t)"),
    ("Mouse", "click legend", "show / hide a label's highlights"),
]


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")
    ]

    def compose(self) -> ComposeResult:
        """The key table."""
        from tui.app import ClaimdeskApp
        from tui.screens.reader import ReaderScreen

        keymap = self.app.settings.keymap if isinstance(self.app, ClaimdeskApp) else {}
        rows: list[tuple[str, str, str | Content]] = []
        for section, bindings in (
            ("Reader", ReaderScreen.BINDINGS),
            ("Anywhere", ClaimdeskApp.BINDINGS),
        ):
            for binding in bindings:
                if isinstance(binding, Binding):
                    if binding.id in keymap:
                        binding = replace(binding, key=keymap[binding.id])
                    description = Content(binding.tooltip or binding.description)
                    if binding.id:
                        description += Content.styled(f"  {binding.id}", "dim")
                    rows.append((section, self.app.get_key_display(binding), description))
        rows.append(("Anywhere", "ctrl+p", "command palette: every action, open any article"))
        rows.extend(EXTRA_KEYS)
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Claimdesk keys (↑ ↓ scroll, esc closes)", classes="dialog-title")
            yield Static(
                Content.styled(
                    "Remap a key by its id: CLAIMDESK_KEYS='reader.tag=T;app.search=ctrl+g'", "dim"
                )
            )
            current = ""
            for section, key, explanation in rows:
                if section != current:
                    yield Static(Content.styled(section, "bold $accent"), classes="help-section")
                    current = section
                with Horizontal(classes="help-row"):
                    yield Static(Content.styled(key, "bold"), classes="help-key")
                    yield Static(
                        Content(explanation) if isinstance(explanation, str) else explanation,
                        classes="help-text",
                    )


def binding_ids() -> set[str]:
    """Every binding id a user can remap through CLAIMDESK_KEYS."""
    from tui.app import ClaimdeskApp
    from tui.screens.correction import CorrectionScreen
    from tui.screens.export import ExportScreen
    from tui.screens.reader import ReaderScreen
    from tui.screens.search import SearchScreen
    from tui.screens.tag import TagScreen
    from tui.widgets.find_bar import FindBar
    from tui.widgets.side_panel import FigureList

    owners = (
        ClaimdeskApp,
        ReaderScreen,
        TagScreen,
        ExportScreen,
        CorrectionScreen,
        SearchScreen,
        HelpScreen,
        FindBar,
        FigureList,
    )
    return {
        binding.id
        for owner in owners
        for binding in owner.BINDINGS
        if isinstance(binding, Binding) and binding.id
    }
