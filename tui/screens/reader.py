"""The main screen: article list, the reader with its find bar and legend, and the side panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.lazy import Lazy
from textual.widgets import Footer, Static

from tui.core.text import visible_controls
from tui.screens.reader_navigation import NavigationActions
from tui.screens.session import Claim
from tui.widgets.article_view import ArticleView
from tui.widgets.find_bar import FindBar
from tui.widgets.legend import Legend
from tui.widgets.library_list import LibraryList
from tui.widgets.side_panel import SidePanel
from tui.widgets.spans import Span, make_spans

if TYPE_CHECKING:
    from tui.core.articles.library import Article
    from tui.core.extract import Extraction

    pass

WELCOME = "Choose an article on the left (enter opens it). Press ? for every key."
NARROW = 110
SYNC_FIGURES_CHARS = 50_000
"""Articles longer than this get their figures from a worker thread, after the text shows."""
"""Below this many columns the library and side panel become toggles."""


class ReaderScreen(NavigationActions):
    """Read an article, see its figures and entities, and tag claims."""

    AUTO_FOCUS = "#library"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "next_span(True)",
            "Next",
            id="reader.next_span",
            tooltip="focus the next figure or entity (selects it, ready for t)",
        ),
        Binding(
            "N",
            "next_span(False)",
            "Previous",
            show=False,
            id="reader.previous_span",
            tooltip="focus the previous figure or entity",
        ),
        Binding(
            "t",
            "tag",
            "Tag",
            id="reader.tag",
            tooltip="tag the selection or focused span as a claim",
        ),
        Binding(
            "e",
            "edit_claim",
            "Edit claim",
            show=False,
            id="reader.edit",
            tooltip="edit the claim under the cursor",
        ),
        Binding(
            "d",
            "delete_claim",
            "Delete claim",
            show=False,
            id="reader.delete",
            tooltip="delete the claim under the cursor (u undoes)",
        ),
        Binding(
            "u",
            "undo",
            "Undo delete",
            show=False,
            id="reader.undo",
            tooltip="bring back the last deleted claim",
        ),
        Binding(
            "a",
            "reattach",
            "Re-attach claim",
            show=False,
            id="reader.reattach",
            tooltip="move the chosen drifted or orphaned claim to the selection",
        ),
        Binding(
            "v",
            "select_mode",
            "Select",
            id="reader.select",
            tooltip="start selecting with the keyboard (arrows, w/b, ( ))",
        ),
        Binding(
            "w",
            "extend('word', True)",
            "Word→",
            show=False,
            id="reader.word_forward",
            tooltip="while selecting: extend by a word",
        ),
        Binding(
            "b",
            "extend('word', False)",
            "←Word",
            show=False,
            id="reader.word_back",
            tooltip="while selecting: back by a word",
        ),
        Binding(
            ")",
            "extend('sentence', True)",
            "Sentence→",
            show=False,
            id="reader.sentence_forward",
            tooltip="while selecting: to the end of the sentence",
        ),
        Binding(
            "(",
            "extend('sentence', False)",
            "←Sentence",
            show=False,
            id="reader.sentence_back",
            tooltip="while selecting: back to the previous sentence end",
        ),
        Binding(
            "slash",
            "find",
            "Find",
            id="reader.find",
            tooltip="find in this article (enter/↓ next, ↑ previous)",
        ),
        Binding(
            "c",
            "correct",
            "Correct entity",
            show=False,
            id="reader.correct",
            tooltip="correct the focused entity, or add the selection as one",
        ),
        Binding(
            "l",
            "toggle_library",
            "Library",
            id="reader.library",
            tooltip="show / hide the article list",
        ),
        Binding(
            "p",
            "toggle_panel",
            "Side panel",
            show=False,
            id="reader.panel",
            tooltip="show / hide the Figures / Entities / Claims panel",
        ),
        Binding(
            "escape",
            "clear",
            "Stop selecting",
            show=False,
            id="reader.clear",
            tooltip="stop selecting; unfocus the span",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.article: Article | None = None
        self.spans: list[Span] = []
        self.hidden_labels: set[str] = set()
        self.notices_shown: set[str] = set()
        self.find_matches: list[tuple[int, int]] = []
        self.find_index = -1
        self.claims: list[Claim] = []
        self.undo_stack: list[dict[str, Any]] = []
        self.reattach_candidate: Claim | None = None
        self.entities_pending_for: str | None = None
        """Id of the article whose entities are being extracted."""

    def compose(self) -> ComposeResult:
        """Library | reader (title, text, find bar, legend) | side panel; footer below."""
        with Horizontal(id="main"):
            yield LibraryList(id="library")
            with Vertical(id="reader-pane"):
                yield Static(Content(WELCOME), id="article-title")
                # mounted right after the first paint, so the library shows at once
                yield Lazy(ArticleView(id="article"))
                yield Lazy(FindBar(id="find"))
                yield Lazy(Legend(id="legend"))
            yield Lazy(SidePanel(id="side"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Set the layout for the terminal width and start listing the library."""
        self._apply_width(self.app.size.width)
        self.call_after_refresh(self.load_library)  # the first frame does not wait for it

    def on_resize(self) -> None:
        """Collapse the panels on narrow terminals."""
        self._apply_width(self.app.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        if narrow == self.has_class("-narrow"):
            return
        self.set_class(narrow, "-narrow")
        self.set_class(narrow, "-no-side")
        self.set_class(narrow and self.article is not None, "-no-library")

    # -- library -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load_library(self) -> None:
        """Scan the library off the UI loop: the first screen never waits for thousands of files."""
        session = self.claimdesk.session
        try:
            session.load_library()
        except OSError as exc:
            folder = session.settings.articles_dir
            message = f"Cannot read the library folder {folder} ({exc.strerror}); check it"
            self.app.call_from_thread(self.claimdesk.report, message, error=True)
            self.app.call_from_thread(self.show_library, {}, "")
            return
        try:
            counts, problem = session.counts(), ""
        except Exception as exc:  # StoreError: the library still lists
            counts, problem = {}, str(exc)
        self.app.call_from_thread(self.show_library, counts, problem)

    def show_library(self, counts: dict[str, int], problem: str = "") -> None:
        """Show the scanned library with read marks and claim counts; report bad files."""
        session = self.claimdesk.session
        self.claimdesk.report_problems()
        if problem:
            self.claimdesk.report(problem, error=True)
        library = self.query_one("#library", LibraryList)
        library.show_library(
            session.scan.articles, session.read_ids, counts, self.claimdesk.figure_counts
        )
        if not session.scan.articles:
            folder = session.settings.articles_dir
            hint = (
                f"No articles in {folder}. Import one with: "
                f"claimdesk --articles {folder} import FILE (.txt, .md or .html)"
            )
            self._set_title(hint)
            library.placeholder = visible_controls(hint)
            library.refresh()

    def _set_title(self, text: str) -> None:
        self.query_one("#article-title", Static).update(Content(visible_controls(text)))

    def on_library_list_opened(self, event: LibraryList.Opened) -> None:
        """Open the chosen article."""
        self.open_article(event.article_id)

    def open_article(self, article_id: str, select: tuple[int, int] | None = None) -> bool:
        """Show an article: figures now, entities when NLP is done; optionally select a range."""
        session = self.claimdesk.session
        meta = session.scan.by_id(article_id)
        if meta is None:
            self.claimdesk.report(f"No article with id '{article_id}' in the library", error=True)
            return False
        from tui.core.articles.library import ArticleError

        try:
            article = session.article(meta)
        except ArticleError as exc:
            self.claimdesk.report(f"{meta.path}: {exc}", error=True)
            return False
        self.article = article
        view = self.query_one("#article", ArticleView)
        view.show_article(article.body)
        byline = " · ".join(x for x in (meta.source, meta.author, (meta.published or "")[:10]) if x)
        self._set_title(f"{meta.title}\n{byline}" if byline else meta.title)
        self.show_extraction(article, [], [], None)
        if len(article.body) > SYNC_FIGURES_CHARS:
            self.run_figures(article)  # a long article shows its text first
        else:
            self.figures_ready(article, self._quick_extraction(article))
        self.reattach_candidate = None
        self.refresh_claims()
        session.mark_read(article.id)
        self._update_library_row()
        if self.has_class("-narrow"):
            self.add_class("-no-library")
        if select is not None:
            view.select_range(*select)
        view.focus()
        return True

    def _quick_extraction(self, article: Article) -> Extraction | None:
        try:
            return self.claimdesk.session.quick_extraction(article)
        except Exception as exc:  # extraction trouble must never block reading
            self.app.call_later(
                self.claimdesk.report, f"Could not find figures in {article.id}: {exc}", error=True
            )
            return None

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def run_figures(self, article: Article) -> None:
        """Figures of a long article off the UI loop (100k words take seconds)."""
        extraction = self._quick_extraction(article)
        self.app.call_from_thread(self.figures_ready, article, extraction)

    def figures_ready(self, article: Article, extraction: Extraction | None) -> None:
        """Show the figures (and cached entities), then start NER if entities are missing."""
        if extraction is None:
            return
        self.show_extraction(article, extraction.figures, extraction.entities, extraction.notice)
        if extraction.model is None and self.claimdesk.entities_enabled:
            self.run_entities(article)

    def _update_library_row(self) -> None:
        if self.article is None:
            return
        session = self.claimdesk.session
        try:
            claims = session.counts().get(self.article.id, 0)
        except Exception:
            claims = 0
        self.query_one("#library", LibraryList).update_article(
            self.article.meta,
            unread=False,
            claims=claims,
            figures=self.claimdesk.figure_counts.get(self.article.id),
        )

    def show_extraction(
        self,
        article: Article,
        figures: list[dict[str, Any]],
        entities: list[dict[str, Any]],
        notice: str | None,
    ) -> None:
        """Highlight these figures and entities (if the article is still the open one)."""
        if self.article is None or self.article.id != article.id:
            return
        self.spans = make_spans(figures, entities)
        self.claimdesk.figure_counts[article.id] = len(figures)
        if notice and notice not in self.notices_shown:  # e.g. no spaCy pipeline: say it once
            self.notices_shown.add(notice)
            self.claimdesk.report(notice, timeout=10)
        view = self.query_one("#article", ArticleView)
        view.set_spans(self.spans)
        self.query_one("#side", SidePanel).show_spans(self.spans, self.article.body)
        self._show_legend()

    def _show_legend(self) -> None:
        view = self.query_one("#article", ArticleView)
        view.set_hidden_labels(self.hidden_labels)
        pending = (
            "finding entities…"
            if self.article is not None and self.entities_pending_for == self.article.id
            else ""
        )
        self.query_one("#legend", Legend).show(
            self.spans, view.label_styles, self.hidden_labels, pending
        )

    @work(exclusive=True, group="nlp", exit_on_error=False)
    async def run_entities(self, article: Article) -> None:
        """Named entities off the UI loop: in the process pool, or a thread without one."""
        self.entities_pending_for = article.id
        self._show_legend()
        try:
            extraction = await self.claimdesk.extract_entities(article)
        except Exception as exc:
            self.claimdesk.report(f"Entity extraction failed: {exc}", error=True)
            extraction = None
        finally:
            if self.entities_pending_for == article.id:
                self.entities_pending_for = None
        if extraction is not None:
            self.show_extraction(
                article, extraction.figures, extraction.entities, extraction.notice
            )
        self._show_legend()

    def toggle_label(self, label: str) -> None:
        """Show or hide one label's highlights."""
        self.hidden_labels ^= {label}
        self._show_legend()

    def action_toggle_label(self, label: str) -> None:
        """Legend click: show or hide one label."""
        self.toggle_label(label)
