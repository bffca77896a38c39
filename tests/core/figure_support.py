"""Helpers for the figure tests (no tests here)."""

from __future__ import annotations

from typing import Any

from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import find_figures


def only_figure(text: str, span: str, context: FigureContext | None = None) -> dict[str, Any]:
    """The one figure of ``text`` whose text is ``span``, its offsets checked against the text."""
    found = [f for f in find_figures(text, context) if f["text"] == span]
    assert len(found) == 1, find_figures(text, context)
    assert text[found[0]["start"] : found[0]["end"]] == span
    return found[0]
