"""Where each text of an article sits in the reader, and the one mapping between display places
and offsets.

The reader shows the headline, the summary (when there is one) and the body, every paragraph
followed by an empty row, so logical line ``k`` of that sequence is display row ``2k``. A place
``(row, col)`` maps to ``(field, offset)`` with ``line_starts`` of that field (``title``,
``summary`` or ``body``); offsets count code points of the field's own text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from tui.core.text import line_starts, offset_to_location

WORD = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")
"""A word (with inner apostrophes, points, commas, hyphens) or one punctuation mark."""
SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*(?=\s|$)")
FIELD_ORDER = ("title", "summary", "body")
"""The fields in the order the reader shows them."""


@dataclass(frozen=True)
class FieldLayout:
    """Where one field's text sits in the display: its first logical line and line starts."""

    text: str
    first_line: int
    starts: list[int]


class ArticleLayout:
    """The shown fields of one article (headline and summary only when not empty)."""

    def __init__(self, body: str, title: str = "", summary: str = "") -> None:
        self.fields: dict[str, FieldLayout] = {}
        """Each shown field's text and place."""
        self.line_fields: list[str] = []
        """The field of each logical line of the display."""
        for name, text in (("title", title), ("summary", summary), ("body", body)):
            if text or name == "body":
                starts = line_starts(text)
                self.fields[name] = FieldLayout(text, len(self.line_fields), starts)
                self.line_fields.extend([name] * len(starts))

    @property
    def display_text(self) -> str:
        """The text the TextArea holds: every field's paragraphs, an empty row after each."""
        shown = (self.fields[name].text for name in FIELD_ORDER if name in self.fields)
        return "\n".join(shown).replace("\n", "\n\n")

    def text_of(self, field: str) -> str:
        """The text of a shown field ("" for a field the article does not have)."""
        layout = self.fields.get(field)
        return layout.text if layout is not None else ""

    def line_at(self, display_row: int) -> tuple[str, int] | None:
        """``(field, paragraph)`` shown on a display row; None for an empty row."""
        if display_row % 2 or display_row // 2 >= len(self.line_fields):
            return None
        field = self.line_fields[display_row // 2]
        return field, display_row // 2 - self.fields[field].first_line

    def field_offset_of(self, location: tuple[int, int]) -> tuple[str, int]:
        """``(field, offset)`` of a display ``(row, column)``; the row after a paragraph is
        that paragraph's end."""
        row, col = location
        line = min(row // 2, len(self.line_fields) - 1)
        field = self.line_fields[line]
        layout = self.fields[field]
        paragraph = line - layout.first_line
        if row % 2 or row // 2 > line:
            following = paragraph + 1
            if following < len(layout.starts):
                return field, layout.starts[following] - 1
            return field, len(layout.text)
        return field, min(layout.starts[paragraph] + col, len(layout.text))

    def location_of(self, offset: int, field: str = "body") -> tuple[int, int]:
        """Display ``(row, column)`` of an offset into ``field`` (the body by default)."""
        layout = self.fields.get(field) or self.fields["body"]
        paragraph, col = offset_to_location(layout.starts, offset)
        return (layout.first_line + paragraph) * 2, col


def next_boundary(text: str, starts: list[int], unit: str, offset: int, forward: bool) -> int:
    """In ``text`` (lines at ``starts``): the next word end / previous word start, or the next /
    previous sentence end (a paragraph's end ends a sentence)."""
    if unit == "word":
        points = [m.end() if forward else m.start() for m in WORD.finditer(text)]
    else:
        points = [m.end() for m in SENTENCE_END.finditer(text)]
        points += [start - 1 for start in starts[1:]]
        points.append(len(text))
        points.sort()
    if forward:
        index = bisect_right(points, offset)
        return points[index] if index < len(points) else len(text)
    index = bisect_left(points, offset) - 1
    return points[index] if index >= 0 else 0
