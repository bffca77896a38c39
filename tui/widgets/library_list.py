"""The article list: title, source, date, counts and an unread mark; enter or a click opens.

A line-API ScrollView that renders only the visible rows, so a library of 10,000 articles
lists as fast as one of two (an OptionList measures every option up front: ~1.9 s at 10k).
Filtering and sorting work on precomputed keys, so they stay instant at that size too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
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
CURSOR = "▌"
"""Marks the highlighted row, so it shows in any colour mode (even without colour)."""
ROW_HEIGHT = 2
"""Lines per article: the title, then the details."""
SORTS = ("date", "title", "source", "claims", "unread")
"""Orders ``s`` cycles through, first the default."""
SORT_NAMES = {
    "date": "newest first",
    "title": "by title",
    "source": "by source",
    "claims": "most claims first",
    "unread": "unread first",
}
"""How the header names each order."""


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
        details.append(f"{figures} figure{'s' if figures != 1 else ''}")
    mark = Content.styled(f"{UNREAD} ", "bold $accent") if unread else Content("  ")
    first = Content.assemble(mark, Content.styled(title, "bold") if unread else Content(title))
    second = Content.assemble("  ", Content.styled(" · ".join(details), "dim"))
    return first, second


def matches(words: Sequence[str], text: str, tags: Set[str]) -> bool:
    """Every word of a filter is in ``text`` (casefolded), or names a tag as ``#tag``."""
    for word in words:
        if word.startswith("#") and len(word) > 1:
            if not any(word[1:] in tag for tag in tags):
                return False
        elif word not in text:
            return False
    return True


class LibraryList(ScrollView, can_focus=True):
    """Articles of the library, filtered and sorted; one highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "filter", "Filter", id="library.filter"),
        Binding("s", "sort", "Sort", id="library.sort"),
        Binding("n", "unread(True)", "Next unread", id="library.next_unread"),
        Binding("N", "unread(False)", "Prev unread", show=False, id="library.previous_unread"),
        Binding("m", "mark_unread", "Mark unread", id="library.mark_unread"),
        Binding("D", "delete", "Delete article", show=False, id="library.delete"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"library-list--cursor"}
    DEFAULT_CSS = """
    LibraryList > .library-list--cursor {
        background: $block-cursor-blurred-background; text-style: bold;
    }
    LibraryList:focus > .library-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    """

    highlighted: reactive[int] = reactive(0)
    """Index of the highlighted article among the visible ones."""

    @dataclass
    class Opened(Message):
        """The user chose an article."""

        article_id: str

    @dataclass
    class Counted(Message):
        """What the list shows changed: how many of how many, in which order, filtered how."""

        visible: int
        total: int
        order: str
        filter_text: str

    class FilterRequested(Message):
        """The user pressed the filter key."""

    @dataclass
    class UnreadMarked(Message):
        """The user marked an article unread."""

        article_id: str

    @dataclass
    class DeleteRequested(Message):
        """The user asked to delete an article."""

        article_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.all_metas: list[ArticleMeta] = []
        """Every listed article, in scan order."""
        self.metas: list[ArticleMeta] = []
        """The visible articles: filtered and sorted."""
        self.listed = False
        """True once a library scan has been shown (even an empty one)."""
        self.read_ids: Set[str] = frozenset()
        self.claim_counts: Mapping[str, int] = {}
        self.figure_counts: Mapping[str, int] = {}
        self.tags: Mapping[str, Set[str]] = {}
        """Claim tags per article id (casefolded), for ``#tag`` filters."""
        self.placeholder = "Loading the library…"
        self.order = SORTS[0]
        self.filter_text = ""
        self._keys: list[str] | None = None
        self._index: dict[str, int] = {}
        self._lines: dict[str, tuple[Content, Content]] = {}
        self._placeholder_wrapped: tuple[tuple[str, int], list[Content]] = (("", -1), [])

    def show_library(
        self,
        metas: Sequence[ArticleMeta],
        read_ids: Set[str],
        claim_counts: Mapping[str, int],
        figure_counts: Mapping[str, int],
        tags: Mapping[str, Set[str]] | None = None,
    ) -> None:
        """Replace the list, keeping the highlighted article where possible."""
        self.all_metas = list(metas)
        self.listed = True
        self.read_ids, self.claim_counts, self.figure_counts = read_ids, claim_counts, figure_counts
        self.tags = tags or {}
        self._keys = None
        self._lines.clear()
        self.placeholder = "No articles"
        self.relist()

    def relist(self) -> None:
        """Apply the filter and the order; keep the highlighted article if it is still shown."""
        current = self.highlighted_id
        words = self.filter_text.casefold().split()
        empty: frozenset[str] = frozenset()
        shown = list(self.all_metas)
        if words:
            shown = [
                meta
                for meta, key in zip(shown, self.filter_keys(), strict=True)
                if matches(words, key, self.tags.get(meta.id, empty))
            ]
        shown.sort(key=lambda meta: meta.title.casefold())
        key = self.sort_key()
        if key is not None:  # stable: newest / most first, ties stay in title order
            shown.sort(key=key, reverse=self.order in ("date", "claims"))
        self.metas = shown
        self._index = {meta.id: i for i, meta in enumerate(self.metas)}
        if words:
            self.placeholder = f"No article matches “{self.filter_text}” (esc clears)"
        self.virtual_size = Size(self.size.width, len(self.metas) * ROW_HEIGHT)
        self.highlighted = self._index.get(current or "", 0)
        self.refresh()
        self.post_message(
            self.Counted(len(self.metas), len(self.all_metas), self.order, self.filter_text)
        )

    def filter_keys(self) -> list[str]:
        """What a filter searches in each article, in :attr:`all_metas` order: made on the first
        filter after a listing, so listing does not wait for it."""
        if self._keys is None:
            self._keys = [
                " ".join(x for x in (m.title, m.source or "", m.id) if x).casefold()
                for m in self.all_metas
            ]
        return self._keys

    def sort_key(self) -> Callable[[ArticleMeta], str | int] | None:
        """The key of the current order (dates and counts are sorted descending), one function
        chosen per listing rather than per article; None for title order, which the list is in
        before it is sorted by this key, so ties stay in title order."""
        if self.order == "date":
            return lambda meta: meta.published or meta.imported_at or ""
        if self.order == "source":
            return lambda meta: (meta.source or "~").casefold()
        if self.order == "claims":
            counts = self.claim_counts
            return lambda meta: counts.get(meta.id, 0)
        if self.order == "unread":
            read = self.read_ids
            return lambda meta: meta.id in read
        return None

    def set_filter(self, text: str) -> None:
        """Show only articles whose title, source or id has every word (``#tag``: a claim tag)."""
        self.filter_text = text
        self.relist()

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
        if unread:
            self.read_ids = self.read_ids - {meta.id}
        else:
            self.read_ids = self.read_ids | {meta.id}
        self._lines[meta.id] = article_lines(meta, unread=unread, claims=claims, figures=figures)
        index = self._index.get(meta.id)
        if index is not None:
            self.refresh_lines(index * ROW_HEIGHT - self.scroll_offset.y, ROW_HEIGHT)

    def highlight_article(self, article_id: str) -> None:
        """Move the highlight to this article if it is listed."""
        index = self._index.get(article_id)
        if index is not None:
            self.highlighted = index

    def _row(self, meta: ArticleMeta) -> tuple[Content, Content]:
        lines = self._lines.get(meta.id)
        if lines is None:
            lines = article_lines(
                meta,
                unread=meta.id not in self.read_ids,
                claims=self.claim_counts.get(meta.id, 0),
                figures=self.figure_counts.get(meta.id),
            )
            self._lines[meta.id] = lines
        return lines

    def render_line(self, y: int) -> Strip:
        """One line of one article; only visible lines are ever built."""
        scroll_y = self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = scroll_y + y
        index, part = divmod(row, ROW_HEIGHT)
        if not self.metas:
            lines = self._placeholder_lines(width)
            if y < len(lines):
                text = Content.assemble(" ", lines[y]).truncate(width, pad=True)
                return Strip(text.render_segments(self.visual_style), width)
            return Strip.blank(width, base)
        if index >= len(self.metas):
            return Strip.blank(width, base)
        here = index == self.highlighted
        gutter = Content.styled(CURSOR, "bold $accent") if here else Content(" ")
        line = Content.assemble(gutter, self._row(self.metas[index])[part])
        content = line.truncate(width, ellipsis=True, pad=True)
        segments: list[Segment] = content.render_segments(self.visual_style)
        strip = Strip(segments, content.cell_length).crop_extend(0, width, base)
        if here:  # over the row's own colours, so it shows whatever they are
            cursor = self.get_component_rich_style("library-list--cursor")
            strip = Strip(Segment.apply_style(strip, post_style=cursor), strip.cell_length)
        return strip.apply_offsets(0, row)

    def _placeholder_lines(self, width: int) -> list[Content]:
        """The placeholder wrapped to ``width`` (once per text and width, not once per line)."""
        key = (self.placeholder, width)
        if self._placeholder_wrapped[0] != key:
            wrapped = Content.styled(self.placeholder, "dim").wrap(max(1, width - 1))
            self._placeholder_wrapped = (key, list(wrapped))
        return self._placeholder_wrapped[1]

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

    def action_filter(self) -> None:
        """Ask for the filter field."""
        self.post_message(self.FilterRequested())

    def action_sort(self) -> None:
        """Switch to the next order."""
        self.order = SORTS[(SORTS.index(self.order) + 1) % len(SORTS)]
        self.relist()

    def action_unread(self, forward: bool) -> None:
        """Highlight the next (or previous) unread article, wrapping around."""
        count = len(self.metas)
        for step in range(1, count + 1):
            index = (self.highlighted + (step if forward else -step)) % count
            if self.metas[index].id not in self.read_ids:
                self.highlighted = index
                return
        self.app.bell()
        self.notify("No unread articles in this list", markup=False)

    def action_mark_unread(self) -> None:
        """Mark the highlighted article unread."""
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.UnreadMarked(article_id))

    def action_delete(self) -> None:
        """Ask to delete the highlighted article."""
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.DeleteRequested(article_id))

    def on_click(self, event: events.Click) -> None:
        """A click highlights and opens the article under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None or not self.metas:
            return
        index = (offset.y + self.scroll_offset.y) // ROW_HEIGHT
        if 0 <= index < len(self.metas):
            self.highlighted = index
            self.action_open()
