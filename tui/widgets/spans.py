"""Highlight spans of an article: one colour per label, indexed by line for fast rendering.

Pure helpers shared by the reader, the legend and the side panel. Offsets are code points into
the canonical body; a line of the reader is one paragraph of that body.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color

from tui.core.vocab import ENTITY_LABELS as ENTITY_LABELS
from tui.core.vocab import FIGURE_LABELS as FIGURE_LABELS
from tui.core.vocab import LABEL_NAMES as LABEL_NAMES

LABEL_COLOURS: dict[str, str] = {
    "MONEY": "#e5b422",
    "PERCENT": "#f08a3c",
    "COUNT": "#5fbf4f",
    "MULTIPLIER": "#2fb5b0",
    "PERSON": "#e8566c",
    "ORG": "#4f8fe8",
    "GPE": "#b466e0",
    "LOC": "#8a7fe0",
    "NORP": "#d46fb0",
    "EVENT": "#c9a26b",
    "LAW": "#7fae5a",
    "PRODUCT": "#4fb8d8",
    "DATE": "#8c96a3",
}
"""A distinct hue per label; blended into the theme's background when drawn."""


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of the article: a figure or an entity mention."""

    start: int
    end: int
    label: str
    text: str
    kind: str
    """"figure" or "entity"."""
    data: Mapping[str, Any]
    """The extraction record the span came from."""
    field: str = "body"
    """The text it lies in: ``title``, ``summary`` or ``body`` (offsets count in that text)."""


def make_spans(
    figures: Iterable[Mapping[str, Any]], entities: Iterable[Mapping[str, Any]]
) -> list[Span]:
    """Figure and entity spans by position; an entity overlapping a figure is dropped."""
    spans = [
        Span(
            int(f["start"]),
            int(f["end"]),
            str(f.get("label", "MONEY")),
            str(f.get("text", "")),
            "figure",
            f,
            str(f.get("field") or "body"),
        )
        for f in figures
    ]
    taken = sorted((s.start, s.end) for s in spans if s.field == "body")
    for entity in entities:
        start, end = int(entity["start"]), int(entity["end"])
        if _overlaps(taken, start, end):
            continue
        label = str(entity.get("label", "ORG"))
        spans.append(Span(start, end, label, str(entity.get("text", "")), "entity", entity))
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def _overlaps(sorted_ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect_right(sorted_ranges, (start, 1 << 62))
    return any(s < end and start < e for s, e in sorted_ranges[max(0, index - 1) : index + 1])


def by_row(
    ranges: Iterable[tuple[int, int, str]], starts: Sequence[int]
) -> dict[int, list[tuple[int, int, str]]]:
    """Split ``(start, end, key)`` offset ranges into per-line ``(col_start, col_end, key)``."""
    rows: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, key in ranges:
        row = bisect_right(starts, start) - 1
        while row < len(starts) and start < end:
            line_end = starts[row + 1] - 1 if row + 1 < len(starts) else 1 << 62
            seg_end = min(end, line_end)
            if seg_end > start:
                rows.setdefault(row, []).append((start - starts[row], seg_end - starts[row], key))
            row += 1
            if row < len(starts):
                start = starts[row]
    return rows


def label_styles(
    background: str | None, dark: bool, no_color: bool, color_system: str | None = "truecolor"
) -> dict[str, Style]:
    """Rich styles per label for the current theme and the terminal's colours.

    Truecolor: a tint of the label's hue behind the text. 256 colours: the same tints, each
    snapped to a *different* colour of the xterm cube (plain rounding made six labels one
    colour). 16 colours: figures on a distinct ANSI background, entities in distinct ANSI text
    colours, picked for a dark or a light terminal. Without colour (NO_COLOR) figures are bold
    and entities italic, so they stay distinguishable.
    """
    styles: dict[str, Style] = {}
    if no_color or color_system is None:
        for label in LABEL_COLOURS:
            styles[label] = Style(bold=True) if label in FIGURE_LABELS else Style(italic=True)
        return styles
    if color_system in ("standard", "windows"):
        return ansi_label_styles(dark)
    base = Color.parse(background) if background else None
    if base is None or base.ansi is not None:
        # An ANSI theme leaves the background to the terminal: tint a known shade instead, so
        # the text colour computed below keeps its contrast.
        base = Color.parse("#1e1e1e" if dark else "#f4f4f4")
    amount = 0.38 if dark else 0.30
    taken: set[int] = set()
    for label, hue in LABEL_COLOURS.items():
        colour = Color.parse(hue)
        tint = base.blend(colour, amount)
        fg = colour.lighten(0.25) if dark else colour.darken(0.35)
        if color_system == "256":
            index = nearest_cube_colour(tint, taken)
            taken.add(index)
            bgcolor = RichColor.from_ansi(index)
            fg_colour = RichColor.from_ansi(231 if dark else 16)  # the cube's white / black
        else:
            bgcolor, fg_colour = tint.rich_color, fg.rich_color
        styles[label] = Style(bgcolor=bgcolor, color=fg_colour, bold=label in FIGURE_LABELS)
    return styles


CUBE_LEVELS = (0, 95, 135, 175, 215, 255)
"""Channel levels of the xterm 6×6×6 colour cube (colours 16–231), the same in every terminal."""


def nearest_cube_colour(colour: Color, taken: set[int]) -> int:
    """The xterm cube colour (16–231) closest to ``colour`` that is not in ``taken``."""
    best, best_distance = 16, float("inf")
    for index in range(16, 232):
        if index in taken:
            continue
        r, g, b = (
            CUBE_LEVELS[(index - 16) // 36],
            CUBE_LEVELS[(index - 16) // 6 % 6],
            CUBE_LEVELS[(index - 16) % 6],
        )
        # weighted for how the eye sees differences (a common "redmean"-like weighting)
        distance = 2 * (r - colour.r) ** 2 + 4 * (g - colour.g) ** 2 + 3 * (b - colour.b) ** 2
        if distance < best_distance:
            best, best_distance = index, distance
    return best


ANSI_FIGURE_BACKGROUNDS = {
    "MONEY": "yellow",
    "PERCENT": "red",
    "COUNT": "green",
    "MULTIPLIER": "cyan",
}
"""16 colours: figures are black on one of these ANSI backgrounds."""
ANSI_ENTITY_COLOURS = {
    "PERSON": ("bright_red", "red"),
    "ORG": ("bright_blue", "blue"),
    "GPE": ("bright_magenta", "magenta"),
    "LOC": ("magenta", "bright_magenta"),
    "NORP": ("bright_yellow", "yellow"),
    "EVENT": ("bright_cyan", "cyan"),
    "LAW": ("bright_green", "green"),
    "PRODUCT": ("cyan", "bright_blue"),
    "DATE": ("bright_black", "bright_black"),
}
"""16 colours: an entity's text colour on a dark terminal and on a light one, all different."""


def ansi_label_styles(dark: bool) -> dict[str, Style]:
    """Styles from the 16 ANSI colours only: distinct per label on dark and light terminals."""
    styles = {
        label: Style(bgcolor=bg, color="black", bold=True)
        for label, bg in ANSI_FIGURE_BACKGROUNDS.items()
    }
    for label, (on_dark, on_light) in ANSI_ENTITY_COLOURS.items():
        styles[label] = Style(color=on_dark if dark else on_light, italic=label == "DATE")
    return styles


def swatch_style(label: str, styles: Mapping[str, Style]) -> Style:
    """The style used for a label's swatch in the legend."""
    return styles.get(label, Style())
