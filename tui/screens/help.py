"""The ``?`` help screen: every key of the reader and its dialogs, and the mouse gestures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.screens.keys import bindings_of
from tui.screens.keys import current as remapped

EXTRA_KEYS = [
    ("Moving around", "↑ ↓ ← → j k", "move; pgup / pgdn scroll"),
    ("Moving around", "shift+arrows", "select text"),
    ("Moving around", "enter", "open the highlighted article"),
    ("Moving around", "tab / shift+tab", "next / previous pane"),
    ("Reading", "space / b", "page down / up (while selecting: b goes back a word)"),
    ("Reading", "g / G, home / end", "top / end of the article"),
    ("Selecting (after v)", "w / b", "extend by a word forward / back"),
    ("Selecting (after v)", ") / (", "extend by a sentence forward / back"),
    ("Selecting (after v)", "esc", "stop selecting"),
    ("Side panel", "s", "sort the figures by value / reading order"),
    ("Claims tab", "e d 1–5", "act on the highlighted claim"),
    ("Library", "/", "filter by title, source or #tag; esc clears"),
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

    def __init__(
        self, sections: Sequence[tuple[str, Sequence[Binding]]], keymap: Mapping[str, str]
    ):
        """``sections``: a heading and its bindings; ``keymap``: the user's remaps by id."""
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        """The key table."""
        rows: list[tuple[str, str, str | Content]] = []
        for section, bindings in self.sections:
            for declared in bindings:
                binding = remapped(declared, self.keymap)
                description = Content(binding.tooltip or binding.description)
                if binding.id:
                    description += Content.styled(f"  {binding.id}", "dim")
                keys = " / ".join(
                    self.app.get_key_display(replace(binding, key=k.strip()))
                    for k in binding.key.split(",")
                )
                rows.append((section, keys, description))
        palette = ("Anywhere", "ctrl+p", "command palette: every action, open any article")
        last_anywhere = max((i for i, row in enumerate(rows) if row[0] == "Anywhere"), default=-1)
        rows.insert(last_anywhere + 1, palette)
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


def binding_ids(owners: Iterable[type]) -> set[str]:
    """Every binding id a user can remap through CLAIMDESK_KEYS, of these classes."""
    return {binding.id for binding in bindings_of(owners) if binding.id}
