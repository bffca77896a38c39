"""The article list: title, source, date, counts and an unread mark; enter opens an article."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.core.articles import ArticleMeta
from tui.core.text import visible_controls

UNREAD = "●"
"""Marks an article never opened."""


def article_prompt(
    meta: ArticleMeta, *, unread: bool, claims: int, figures: int | None, width: int = 60
) -> Content:
    """Two lines: the title, then source · date · counts; all metadata shown literally."""
    title = visible_controls(meta.title).replace("\n", " ")
    if len(title) > width:
        title = title[: width - 1] + "…"
    details = [visible_controls(x) for x in (meta.source, (meta.published or "")[:10]) if x]
    details.append(f"{meta.words:,} words")
    if figures is not None:
        details.append(f"{figures} figures")
    if claims:
        details.append(f"{claims} claim{'s' if claims != 1 else ''}")
    mark = Content.styled(f"{UNREAD} ", "bold $accent") if unread else Content("  ")
    return Content.assemble(
        mark, Content(title), "\n  ", Content.styled(" · ".join(details), "dim")
    )


class LibraryList(OptionList):
    """Articles of the library, in the order given."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    @dataclass
    class Opened(Message):
        """The user chose an article."""

        article_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metas: list[ArticleMeta] = []

    def show_library(
        self,
        metas: Sequence[ArticleMeta],
        read_ids: Set[str],
        claim_counts: Mapping[str, int],
        figure_counts: Mapping[str, int],
    ) -> None:
        """Replace the list, keeping the highlighted article where possible."""
        current = self.highlighted_option.id if self.highlighted_option else None
        self.metas = list(metas)
        self.set_options(
            Option(
                article_prompt(
                    meta,
                    unread=meta.id not in read_ids,
                    claims=claim_counts.get(meta.id, 0),
                    figures=figure_counts.get(meta.id),
                ),
                id=meta.id,
            )
            for meta in self.metas
        )
        if current is not None:
            self.highlight_article(current)
        elif self.metas:
            self.highlighted = 0

    def update_article(
        self, meta: ArticleMeta, *, unread: bool, claims: int, figures: int | None
    ) -> None:
        """Refresh one row (after reading or tagging)."""
        with contextlib.suppress(OptionDoesNotExist):
            self.replace_option_prompt(
                meta.id, article_prompt(meta, unread=unread, claims=claims, figures=figures)
            )

    def highlight_article(self, article_id: str) -> None:
        """Move the highlight to this article if it is listed."""
        with contextlib.suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(article_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or click opens the article."""
        event.stop()
        if event.option.id:
            self.post_message(self.Opened(event.option.id))
