"""The article list: title, source, date, counts and an unread mark; enter or a click opens.

A line-API ScrollView that renders only the visible rows, so a library of 10,000 articles
lists as fast as one of two (an OptionList measures every option up front: ~1.9 s at 10k).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.text import visible_controls

if TYPE_CHECKING:
    from tui.core.articles.library import ArticleMeta

UNREAD = "●"
"""Marks an article never opened."""
ROW_HEIGHT = 2
"""Lines per article: the title, then the details."""


def article_lines(
    meta: ArticleMeta, *, unread: bool, claims: int, figures: int | None
) -> tuple[Content, Content]:
    """The title line and the details line; all metadata shown literally."""
    title = visible_controls(meta.title).replace("\n", " ")
    details = [visible_controls(x) for x in (meta.source, (meta.published or "")[:10]) if x]
    if claims:  # the user's own work first: it must stay visible in a narrow list
        details.insert(0, f"{claims} claim{'s' if claims != 1 else ''}")
    details.append(f"{meta.words:,} words")
    if figures is not None:
        details.append(f"{figures} figures")
    mark = Content.styled(f"{UNREAD} ", "bold $accent") if unread else Content("  ")
    first = Content.assemble(mark, Content.styled(title, "bold") if unread else Content(title))
    second = Content.assemble("  ", Content.styled(" · ".join(details), "dim"))
    return first, second


class LibraryList(ScrollView, can_focus=True):
    """Articles of the library in the order given; one highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "open", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"library-list--cursor"}
    DEFAULT_CSS = """
    LibraryList > .library-list--cursor { background: $block-cursor-blurred-background; }
    LibraryList:focus > .library-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """

    highlighted: reactive[int] = reactive(0)
    """Index of the highlighted article."""

    @dataclass
    class Opened(Message):
        """The user chose an article."""

        article_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metas: list[ArticleMeta] = []
        self.listed = False
        """True once a library scan has been shown (even an empty one)."""
        self.read_ids: Set[str] = frozenset()
        self.claim_counts: Mapping[str, int] = {}
        self.figure_counts: Mapping[str, int] = {}
        self.placeholder = "Loading the library…"
        self._index: dict[str, int] = {}
        self._lines: dict[int, tuple[Content, Content]] = {}

    def show_library(
        self,
        metas: Sequence[ArticleMeta],
        read_ids: Set[str],
        claim_counts: Mapping[str, int],
        figure_counts: Mapping[str, int],
    ) -> None:
        """Replace the list, keeping the highlighted article where possible."""
        current = self.highlighted_id
        self.metas = list(metas)
        self.listed = True
        self.read_ids, self.claim_counts, self.figure_counts = read_ids, claim_counts, figure_counts
        self._index = {meta.id: i for i, meta in enumerate(self.metas)}
        self._lines.clear()
        self.placeholder = "No articles"
        self.virtual_size = Size(self.size.width, len(self.metas) * ROW_HEIGHT)
        self.highlighted = self._index.get(current or "", 0)
        self.refresh()

    @property
    def highlighted_id(self) -> str | None:
        """Id of the highlighted article, if any."""
        if 0 <= self.highlighted < len(self.metas):
            return self.metas[self.highlighted].id
        return None

    def update_article(
        self, meta: ArticleMeta, *, unread: bool, claims: int, figures: int | None
    ) -> None:
        """Refresh one row (after reading or tagging)."""
        index = self._index.get(meta.id)
        if index is None:
            return
        self._lines[index] = article_lines(meta, unread=unread, claims=claims, figures=figures)
        self.refresh_lines(index * ROW_HEIGHT - self.scroll_offset.y, ROW_HEIGHT)

    def highlight_article(self, article_id: str) -> None:
        """Move the highlight to this article if it is listed."""
        index = self._index.get(article_id)
        if index is not None:
            self.highlighted = index

    def _row(self, index: int) -> tuple[Content, Content]:
        lines = self._lines.get(index)
        if lines is None:
            meta = self.metas[index]
            lines = article_lines(
                meta,
                unread=meta.id not in self.read_ids,
                claims=self.claim_counts.get(meta.id, 0),
                figures=self.figure_counts.get(meta.id),
            )
            self._lines[index] = lines
        return lines

    def render_line(self, y: int) -> Strip:
        """One line of one article; only visible lines are ever built."""
        scroll_y = self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = scroll_y + y
        index, part = divmod(row, ROW_HEIGHT)
        if not self.metas:
            lines = Content.styled(self.placeholder, "dim").wrap(max(1, width - 1))
            if y < len(lines):
                text = Content.assemble(" ", lines[y]).truncate(width, pad=True)
                return Strip(text.render_segments(self.visual_style), width)
            return Strip.blank(width, base)
        if index >= len(self.metas):
            return Strip.blank(width, base)
        content = self._row(index)[part].truncate(width, ellipsis=True, pad=True)
        segments: list[Segment] = content.render_segments(self.visual_style)
        strip = Strip(segments, content.cell_length).crop_extend(0, width, base)
        if index == self.highlighted:
            strip = strip.apply_style(self.get_component_rich_style("library-list--cursor"))
        return strip.apply_offsets(0, row)

    def watch_highlighted(self, previous: int, index: int) -> None:
        """Redraw the two rows and keep the highlighted one in view."""
        for changed in (previous, index):
            self.refresh_lines(changed * ROW_HEIGHT - self.scroll_offset.y, ROW_HEIGHT)
        if self.metas:
            width = self.scrollable_content_region.width
            self.scroll_to_region(Region(0, index * ROW_HEIGHT, width, ROW_HEIGHT), animate=False)

    def on_resize(self) -> None:
        """Keep the virtual width in step with the widget."""
        self.virtual_size = Size(self.size.width, len(self.metas) * ROW_HEIGHT)

    def action_move(self, step: int) -> None:
        """Highlight the next or previous article."""
        if self.metas:
            self.highlighted = max(0, min(len(self.metas) - 1, self.highlighted + step))

    def action_page(self, direction: int) -> None:
        """Move by a screenful."""
        self.action_move(direction * max(1, self.size.height // ROW_HEIGHT - 1))

    def action_jump(self, index: int) -> None:
        """Highlight the first (0) or last (-1) article."""
        if self.metas:
            self.highlighted = index % len(self.metas)

    def action_open(self) -> None:
        """Open the highlighted article."""
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Opened(article_id))

    def on_click(self, event: events.Click) -> None:
        """A click highlights and opens the article under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None or not self.metas:
            return
        index = (offset.y + self.scroll_offset.y) // ROW_HEIGHT
        if 0 <= index < len(self.metas):
            self.highlighted = index
            self.action_open()
