"""The reader: a read-only TextArea showing one article with figures, entities and claims styled.

The widget shows the canonical body with an empty row between paragraphs (paragraph ``p`` is
display row ``2p``), so a selection ``(row, col)`` maps to a body offset with ``line_starts``
of the body; every mapping goes through :meth:`offset_of` and :meth:`location_of`. Styling goes
through TextArea's public ``get_line`` hook.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from tui.core.text import is_heading, line_starts, offset_to_location
from tui.widgets.spans import Span, by_row, label_styles

_WORD = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*(?=\s|$)")

CLAIM_STYLE = Style(underline=True)
FOCUS_STYLE = Style(reverse=True)
HEADING_STYLE = Style(bold=True)


class ArticleView(TextArea):
    """A read-only article with highlighted spans, claim underlines and span navigation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("space", "cursor_page_down", "Page down", show=False, id="article.page_down"),
        Binding("b", "page_back", "Page up", show=False, id="article.page_up"),
        Binding("g,home", "top", "Top", show=False, id="article.top"),
        Binding("G,end", "bottom", "End", show=False, id="article.bottom"),
    ]

    selecting: reactive[bool] = reactive(False)
    """True while a keyboard selection (``v``) is being extended."""

    @dataclass
    class SpanFocused(Message):
        """The focused figure or entity changed (None: no span is focused)."""

        view: ArticleView
        span: Span | None

    @dataclass
    class SelectingChanged(Message):
        """Keyboard selection mode was switched on or off."""

        view: ArticleView
        selecting: bool

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            id=id,
            highlight_cursor_line=False,
        )
        self.cursor_blink = False
        self.body = ""
        self.starts: list[int] = [0]
        self.spans: list[Span] = []
        self.span_starts: list[int] = []
        self.hidden_labels: set[str] = set()
        self.claims: list[tuple[int, int]] = []
        self.focused: Span | None = None
        self.label_styles: dict[str, Style] = {}
        self._span_rows: dict[int, list[tuple[int, int, str]]] = {}
        self._claim_rows: dict[int, list[tuple[int, int, str]]] = {}
        self._headings: set[int] = set()

    def on_mount(self) -> None:
        """Compute theme styles now and whenever the theme changes."""
        self._restyle()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def _restyle(self) -> None:
        theme = self.app.current_theme
        self.label_styles = label_styles(
            theme.background, theme.dark, self.app.no_color, self.app.console.color_system
        )
        self._refresh_styles()

    # -- content ---------------------------------------------------------------------------

    def show_article(self, body: str) -> None:
        """Show a new article body; spans and claims are cleared."""
        self.body = body
        self.starts = line_starts(body)
        self._headings = {i for i, line in enumerate(body.split("\n")) if is_heading(line)}
        self.spans, self.span_starts, self.claims, self.focused = [], [], [], None
        self.selecting = False
        self._span_rows, self._claim_rows = {}, {}
        self.load_text(body.replace("\n", "\n\n"))
        self.scroll_home(animate=False)

    def set_spans(self, spans: Sequence[Span]) -> None:
        """Replace the highlighted figures and entities."""
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end))
        self.span_starts = [s.start for s in self.spans]
        if self.focused is not None:
            self.focused = next(
                (
                    s
                    for s in self.spans
                    if (s.start, s.end) == (self.focused.start, self.focused.end)
                ),
                None,
            )
        self._index_spans()

    def set_hidden_labels(self, labels: Iterable[str]) -> None:
        """Hide the highlights of these labels (legend toggles)."""
        self.hidden_labels = set(labels)
        self._index_spans()

    def set_claims(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Underline these ``(start, end)`` ranges as claims."""
        self.claims = sorted(ranges)
        self._claim_rows = by_row(((s, e, "claim") for s, e in self.claims), self.starts)
        self._refresh_styles()

    def visible_spans(self) -> list[Span]:
        """Spans whose label is not hidden, in reading order."""
        return [s for s in self.spans if s.label not in self.hidden_labels]

    def _index_spans(self) -> None:
        shown = ((s.start, s.end, s.label) for s in self.visible_spans())
        self._span_rows = by_row(shown, self.starts)
        self._refresh_styles()

    def _refresh_styles(self) -> None:
        self.notify_style_update()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        """The line with headings bold, span highlights, claim underlines and the focused span."""
        line = super().get_line(line_index)
        if line_index % 2:
            return line  # the empty row between two paragraphs
        line_index //= 2
        if line_index in self._headings:
            line.stylize(HEADING_STYLE)
        for start, end, label in self._span_rows.get(line_index, ()):
            style = self.label_styles.get(label)
            if style is not None:
                line.stylize(style, start, end)
        for start, end, _ in self._claim_rows.get(line_index, ()):
            line.stylize(CLAIM_STYLE, start, end)
        focused = self.focused
        if focused is not None:
            row, col = offset_to_location(self.starts, focused.start)
            if row == line_index:
                line.stylize(FOCUS_STYLE, col, col + focused.end - focused.start)
        return line

    # -- offsets ---------------------------------------------------------------------------

    def offset_of(self, location: tuple[int, int]) -> int:
        """Body offset of a display ``(row, column)``; the row between paragraphs is the
        end of the paragraph above it."""
        row, col = location
        paragraph = row // 2
        if row % 2:
            following = self.starts[paragraph + 1] if paragraph + 1 < len(self.starts) else None
            return (following - 1) if following is not None else len(self.body)
        return self.starts[paragraph] + col

    def location_of(self, offset: int) -> tuple[int, int]:
        """Display ``(row, column)`` of a body offset."""
        paragraph, col = offset_to_location(self.starts, offset)
        return paragraph * 2, col

    @property
    def selected_range(self) -> tuple[int, int]:
        """The selection as body offsets ``(start, end)``; equal when nothing is selected."""
        first, second = sorted(self.selection)
        return self.offset_of(first), self.offset_of(second)

    def select_range(self, start: int, end: int) -> None:
        """Select body offsets ``start``-``end`` and scroll them into view."""
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True)

    def span_at(self, offset: int) -> Span | None:
        """The visible span containing ``offset``, if any."""
        for span in self.visible_spans():
            if span.start <= offset < span.end:
                return span
            if span.start > offset:
                break
        return None

    def figure_within(self, start: int, end: int) -> Mapping[str, object] | None:
        """The first figure lying inside ``start``-``end`` (a claim holding a figure)."""
        index = bisect_left(self.span_starts, start)
        for span in self.spans[index:]:
            if span.start >= end:
                break
            if span.kind == "figure" and span.end <= end:
                return span.data
        return None

    # -- span focus --------------------------------------------------------------------------

    def focus_span(self, span: Span | None) -> None:
        """Make ``span`` the focused span and select it."""
        self.focused = span
        self.selecting = False
        if span is not None:
            self.select_range(span.start, span.end)
        self._refresh_styles()
        self.post_message(self.SpanFocused(self, span))

    def action_next_span(self, forward: bool = True) -> None:
        """Focus the next (or previous) visible figure or entity after the cursor."""
        spans = self.visible_spans()
        if not spans:
            self.app.bell()
            return
        here = self.focused.start if self.focused else self.offset_of(self.cursor_location)
        starts = [s.start for s in spans]
        if forward:
            index = bisect_right(starts, here) if self.focused else bisect_left(starts, here)
            target = spans[index % len(spans)]
        else:
            index = bisect_left(starts, here) - 1
            target = spans[index % len(spans)]
        self.focus_span(target)

    # -- less / vim keys -------------------------------------------------------------------

    def action_page_back(self) -> None:
        """``b``: a page up; while selecting, back by a word (as in vim's visual mode)."""
        if self.selecting:
            self.action_extend("word", False)
        else:
            self.action_cursor_page_up()

    def action_top(self) -> None:
        """To the start of the article (extending the selection while selecting)."""
        if self.selecting:
            self.selection = Selection(self.selection.start, (0, 0))
        else:
            self.selection = Selection.cursor((0, 0))
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        """To the end of the article (extending the selection while selecting)."""
        end = self.location_of(len(self.body))
        if self.selecting:
            self.selection = Selection(self.selection.start, end)
        else:
            self.selection = Selection.cursor(end)
        self.scroll_end(animate=False)

    # -- keyboard selection ----------------------------------------------------------------

    def watch_selecting(self, selecting: bool) -> None:
        """Tell the screen so the footer can show the selection keys."""
        self.set_class(selecting, "-selecting")
        self.post_message(self.SelectingChanged(self, selecting))

    def action_toggle_selecting(self) -> None:
        """Start (or stop) extending a selection with the movement keys."""
        if self.selecting:
            self.selecting = False
            return
        if self.focused is None:
            self.selection = Selection.cursor(self.cursor_location)
        self.focused = None
        self._refresh_styles()
        self.selecting = True

    def action_cursor_left(self, select: bool = False) -> None:
        """Move left; extends the selection in selection mode."""
        super().action_cursor_left(select or self.selecting)

    def action_cursor_right(self, select: bool = False) -> None:
        """Move right; extends the selection in selection mode."""
        super().action_cursor_right(select or self.selecting)

    def action_cursor_up(self, select: bool = False) -> None:
        """Move up; extends the selection in selection mode."""
        super().action_cursor_up(select or self.selecting)

    def action_cursor_down(self, select: bool = False) -> None:
        """Move down; extends the selection in selection mode."""
        super().action_cursor_down(select or self.selecting)

    def action_extend(self, unit: str, forward: bool = True) -> None:
        """Extend the selection's moving end by one ``word`` or ``sentence``."""
        if not self.selecting:
            self.action_toggle_selecting()
        anchor = self.offset_of(self.selection.start)
        cursor = self.offset_of(self.selection.end)
        target = self._next_boundary(unit, cursor, forward)
        self.selection = Selection(self.location_of(anchor), self.location_of(target))
        self.scroll_cursor_visible()

    def _next_boundary(self, unit: str, offset: int, forward: bool) -> int:
        """The next word end / previous word start, or the next / previous sentence end."""
        body = self.body
        if unit == "word":
            points = [m.end() if forward else m.start() for m in _WORD.finditer(body)]
        else:
            points = [m.end() for m in _SENTENCE_END.finditer(body)]
            points += [start - 1 for start in self.starts[1:]]
            points.append(len(body))
            points.sort()
        if forward:
            index = bisect_right(points, offset)
            return points[index] if index < len(points) else len(body)
        index = bisect_left(points, offset) - 1
        return points[index] if index >= 0 else 0

    # -- mouse ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click on a highlight focuses it; a double click selects the word."""
        offset = self.offset_of(self.cursor_location)
        if event.chain == 2:
            word = next(
                (m for m in _WORD.finditer(self.body, max(0, offset - 80)) if m.end() > offset),
                None,
            )
            if word is not None and word.start() <= offset:
                self.focused = None
                self.select_range(word.start(), word.end())
            return
        if not self.selection.is_empty:
            return
        span = self.span_at(offset)
        if span is not None:
            self.focus_span(span)
        elif self.focused is not None:
            self.focused = None
            self._refresh_styles()
            self.post_message(self.SpanFocused(self, None))
