"""What the side panel's tabs share: one safe line of untrusted text, and the jump message."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import TabPane

from tui.core.text import visible_controls
from tui.widgets.spans import Span


def literal(text: str, limit: int = 80) -> str:
    """Untrusted text made one safe line: controls visible, newlines as spaces, shortened."""
    line = visible_controls(text).replace("\n", " ")
    return line if len(line) <= limit else line[: limit - 1] + "…"


class SpanPane(TabPane):
    """A tab listing spans of the article; picking one jumps to it in the reader."""

    @dataclass
    class Jump(Message):
        """Show and select ``start``-``end`` in the reader (focusing ``span`` if given)."""

        start: int
        end: int
        span: Span | None = None
