"""The reader: a read-only TextArea showing one article with figures, entities and claims styled.

The widget shows the headline, the summary (when there is one) and the canonical body, every
paragraph followed by an empty row (see :mod:`.article_layout`); every mapping between display
places and ``(field, offset)`` goes through :meth:`field_offset_of` / :meth:`offset_of` and
:meth:`location_of`. Styling goes through TextArea's public ``get_line``.
"""

from __future__ import annotations

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
from tui.widgets.article_layout import (
    FIELD_ORDER,
    WORD,
    ArticleLayout,
    FieldLayout,
    next_boundary,
)
from tui.widgets.spans import Span, by_row, label_styles

CLAIM_STYLE = Style(underline=True)
FOCUS_STYLE = Style(reverse=True)
HEADING_STYLE = Style(bold=True)
SUMMARY_STYLE = Style(italic=True)


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
        self.placement = ArticleLayout("")
        """Where the headline, summary and body sit in the display."""
        self.spans: list[Span] = []
        self.span_starts: list[int] = []
        self.span_locations: list[tuple[int, int]] = []
        """Display location of each span's start, in the order of :attr:`spans`."""
        self.hidden_labels: set[str] = set()
        self.claims: list[tuple[int, int]] = []
        self.field_claims: dict[str, list[tuple[int, int]]] = {}
        self.focused: Span | None = None
        self.label_styles: dict[str, Style] = {}
        self._span_rows: dict[str, dict[int, list[tuple[int, int, str]]]] = {}
        self._claim_rows: dict[str, dict[int, list[tuple[int, int, str]]]] = {}
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

    def show_article(self, body: str, title: str = "", summary: str = "") -> None:
        """Show a new article (headline and summary above the body); spans and claims are
        cleared. The texts are shown as given: they must already be canonical (no control
        characters), so that offsets stay exact."""
        self.body = body
        self.starts = line_starts(body)
        self._headings = {i for i, line in enumerate(body.split("\n")) if is_heading(line)}
        self.placement = ArticleLayout(body, title, summary)
        self.spans, self.span_starts, self.span_locations = [], [], []
        self.claims, self.field_claims, self.focused = [], {}, None
        self.selecting = False
        self._span_rows, self._claim_rows = {}, {}
        self.load_text(self.placement.display_text)
        self.scroll_home(animate=False)

    @property
    def fields(self) -> dict[str, FieldLayout]:
        """Each shown field's text and place (the headline and summary only when not empty)."""
        return self.placement.fields

    def text_of(self, field: str) -> str:
        """The text of a shown field ("" for a field the article does not have)."""
        return self.placement.text_of(field)

    def set_spans(self, spans: Sequence[Span]) -> None:
        """Replace the highlighted figures and entities (of any shown field)."""
        order = {name: i for i, name in enumerate(FIELD_ORDER)}
        shown = [s for s in spans if s.field in self.fields]
        self.spans = sorted(shown, key=lambda s: (order[s.field], s.start, -s.end))
        self.span_starts = [s.start if s.field == "body" else -1 for s in self.spans]
        self.span_locations = [self.location_of(s.start, s.field) for s in self.spans]
        if self.focused is not None:
            was = (self.focused.field, self.focused.start, self.focused.end)
            self.focused = next((s for s in self.spans if (s.field, s.start, s.end) == was), None)
        self._index_spans()

    def set_hidden_labels(self, labels: Iterable[str]) -> None:
        """Hide the highlights of these labels (legend toggles)."""
        self.hidden_labels = set(labels)
        self._index_spans()

    def set_claims(self, ranges: Iterable[tuple[int, int]], field: str = "body") -> None:
        """Underline these ``(start, end)`` ranges of ``field`` as claims."""
        claims = sorted(ranges)
        if field == "body":
            self.claims = claims
        self.field_claims[field] = claims
        layout = self.fields.get(field)
        if layout is not None:
            rows = by_row(((s, e, "claim") for s, e in claims), layout.starts)
            self._claim_rows[field] = rows
        self._refresh_styles()

    def visible_spans(self) -> list[Span]:
        """Spans whose label is not hidden, in reading order."""
        return [s for s in self.spans if s.label not in self.hidden_labels]

    def _index_spans(self) -> None:
        visible = self.visible_spans()
        self._span_rows = {
            name: by_row(
                ((s.start, s.end, s.label) for s in visible if s.field == name), layout.starts
            )
            for name, layout in self.fields.items()
        }
        self._refresh_styles()

    def _refresh_styles(self) -> None:
        self.notify_style_update()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        """The line with headings bold, span highlights, claim underlines and the focused span."""
        line = super().get_line(line_index)
        shown = self.placement.line_at(line_index)
        if shown is None:
            return line  # the empty row between two paragraphs
        field, line_index = shown
        layout = self.fields[field]
        if field == "title" or (field == "body" and line_index in self._headings):
            line.stylize(HEADING_STYLE)
        elif field == "summary":
            line.stylize(SUMMARY_STYLE)
        for start, end, label in self._span_rows.get(field, {}).get(line_index, ()):
            style = self.label_styles.get(label)
            if style is not None:
                line.stylize(style, start, end)
        for start, end, _ in self._claim_rows.get(field, {}).get(line_index, ()):
            line.stylize(CLAIM_STYLE, start, end)
        focused = self.focused
        if focused is not None and focused.field == field:
            row, col = offset_to_location(layout.starts, focused.start)
            if row == line_index:
                line.stylize(FOCUS_STYLE, col, col + focused.end - focused.start)
        return line

    # -- offsets ---------------------------------------------------------------------------

    def field_offset_of(self, location: tuple[int, int]) -> tuple[str, int]:
        """``(field, offset)`` of a display ``(row, column)``; the row after a paragraph is
        that paragraph's end."""
        return self.placement.field_offset_of(location)

    def offset_of(self, location: tuple[int, int]) -> int:
        """Body offset of a display ``(row, column)``; a place in the headline or summary
        (above the body) is the body's start."""
        field, offset = self.field_offset_of(location)
        return offset if field == "body" else 0

    def location_of(self, offset: int, field: str = "body") -> tuple[int, int]:
        """Display ``(row, column)`` of an offset into ``field`` (the body by default)."""
        return self.placement.location_of(offset, field)

    @property
    def selected_range(self) -> tuple[int, int]:
        """The selection as body offsets ``(start, end)``; equal when nothing is selected
        (a selection in the headline or summary counts as the body's start)."""
        first, second = sorted(self.selection)
        return self.offset_of(first), self.offset_of(second)

    @property
    def selected_field_range(self) -> tuple[str, int, int]:
        """The selection as ``(field, start, end)`` in the field where it starts (a selection
        running on into the next field ends at the end of its first field)."""
        first, second = sorted(self.selection)
        field, start = self.field_offset_of(first)
        end_field, end = self.field_offset_of(second)
        if end_field != field:
            end = len(self.text_of(field))
        return field, start, end

    def select_range(self, start: int, end: int, field: str = "body") -> None:
        """Select offsets ``start``-``end`` of ``field`` and scroll them into view."""
        self.selection = Selection(self.location_of(start, field), self.location_of(end, field))
        self.scroll_cursor_visible(center=True)

    def span_at(self, offset: int, field: str = "body") -> Span | None:
        """The visible span of ``field`` containing ``offset``, if any."""
        for span in self.visible_spans():
            if span.field != field:
                continue
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
            if span.kind == "figure" and span.field == "body" and span.end <= end:
                return span.data
        return None

    # -- span focus --------------------------------------------------------------------------

    def focus_span(self, span: Span | None) -> None:
        """Make ``span`` the focused span and select it."""
        self.focused = span
        self.selecting = False
        if span is not None:
            self.select_range(span.start, span.end, span.field)
        self._refresh_styles()
        self.post_message(self.SpanFocused(self, span))

    def action_next_span(self, forward: bool = True) -> None:
        """Focus the next (or previous) visible figure or entity after the cursor."""
        hidden = self.hidden_labels
        shown = [(loc, s) for loc, s in zip(self.span_locations, self.spans, strict=True)
                 if s.label not in hidden]  # fmt: skip
        if not shown:
            self.app.bell()
            return
        spans = [s for _, s in shown]
        starts = [loc for loc, _ in shown]
        focused = self.focused
        here = self.location_of(focused.start, focused.field) if focused else self.cursor_location
        if forward:
            index = bisect_right(starts, here) if focused else bisect_left(starts, here)
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
        field, cursor = self.field_offset_of(self.selection.end)
        layout = self.fields[field]
        target = next_boundary(layout.text, layout.starts, unit, cursor, forward)
        self.selection = Selection(self.selection.start, self.location_of(target, field))
        self.scroll_cursor_visible()

    # -- mouse ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click on a highlight focuses it; a double click selects the word."""
        field, offset = self.field_offset_of(self.cursor_location)
        if event.chain == 2:
            text = self.text_of(field)
            word = next(
                (m for m in WORD.finditer(text, max(0, offset - 80)) if m.end() > offset),
                None,
            )
            if word is not None and word.start() <= offset:
                self.focused = None
                self.select_range(word.start(), word.end(), field)
            return
        if not self.selection.is_empty:
            return
        span = self.span_at(offset, field)
        if span is not None:
            self.focus_span(span)
        elif self.focused is not None:
            self.focused = None
            self._refresh_styles()
            self.post_message(self.SpanFocused(self, None))
