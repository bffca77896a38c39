"""The reader's shared part: the open article, its highlights and claims, and how they are shown.

The reader's actions live in sibling mixins over this base (claims, corrections, checks,
navigation, library); the screen itself composes the widgets and binds the keys. Hooks a sibling
may extend (``article_changed``, ``figures_corrected``) are defined here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content
from textual.widgets import Static

from tui.core.claims import Claim
from tui.core.text import visible_controls
from tui.core.workspace import WorkspaceError
from tui.screens.workers import ForwardsWorkerFailures
from tui.widgets.library_list import LibraryList
from tui.widgets.spans import Span, make_spans

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp
    from tui.core.articles.library import Article
    from tui.core.extract import Extraction
    from tui.core.workspace import Workspace
    from tui.widgets.article_view import ArticleView
    from tui.widgets.legend import Legend
    from tui.widgets.side_panel import SidePanel

SYNC_FIGURES_CHARS = 50_000
"""Articles longer than this get their figures from a worker thread, after the text shows."""


QUOTE_SHOWN = 40
"""Characters of a quote named in a notification or a question."""


def quoted(text: str, limit: int = QUOTE_SHOWN) -> str:
    """A quote on one line in curly quotes, shortened: “HK$50 billion”."""
    line = " ".join(text.split())
    return f"“{line if len(line) <= limit else line[: limit - 1] + '…'}”"


@dataclass(frozen=True)
class UndoStep:
    """One change ``u`` can take back."""

    description: str
    """What undoing did, for the notification ("Restored the claim on …")."""
    undo: Callable[[], str | None]
    """Takes the change back (WorkspaceError when it cannot); returns the id of an article to
    show afterwards, if any."""


class ReaderBase(ForwardsWorkerFailures[None]):
    """State of the reader and the display of the open article; no key handling."""

    def __init__(self) -> None:
        super().__init__()
        self.article: Article | None = None
        """The open article, if any."""
        self.spans: list[Span] = []
        """Its figures and entities, in reading order."""
        self.header_spans: list[Span] = []
        """The figures of its headline and summary."""
        self.hidden_labels: set[str] = set()
        """Labels whose highlights the user switched off in the legend."""
        self.notices_shown: set[str] = set()
        """Extraction notices already shown once (e.g. "no spaCy pipeline")."""
        self.claims: list[Claim] = []
        """The open article's claims, where they are now."""
        self.figure_counts: dict[str, int] = {}
        """Figures per article id, known once an article was opened (shown in the list)."""
        self.entities_pending_for: str | None = None
        """Id of the article whose entities are being extracted."""
        self.undo_stack: list[UndoStep] = []
        """Changes ``u`` takes back (claim deletes, status changes, article deletes), newest
        last."""
        self.panels_started = False
        """True once the article view, legend and side panel are being mounted."""
        self.panels_ready = False
        """True once they are mounted (the first frame and the list come before them)."""
        self.after_panels: list[Callable[[], object]] = []
        """What waits for the panels: an article opened before they were mounted."""

    def mount_panels(self) -> None:
        """Mount the article view, find bar and legend under the title and the side panel on
        the right (once; the screen composes the rest, so the first frame and the list never
        wait for these or their modules), then run what waited for them. The mount runs in a
        task of its own: callbacks and frames queued after this call do not wait for it."""
        if self.panels_started:
            return
        self.panels_started = True
        self.run_worker(self._mount_panels(), group="panels", exit_on_error=False)

    async def _mount_panels(self) -> None:
        from tui.widgets.article_view import ArticleView
        from tui.widgets.find_bar import FindBar
        from tui.widgets.legend import Legend
        from tui.widgets.side_panel import SidePanel

        pane = self.query_one("#reader-pane")
        await pane.mount(ArticleView(id="article"), FindBar(id="find"), Legend(id="legend"))
        await self.query_one("#main").mount(SidePanel(id="side"))
        self.panels_ready = True
        self.refresh_bindings()
        waiting, self.after_panels = self.after_panels, []
        for callback in waiting:
            callback()

    def wait_for_panels(self, callback: Callable[[], object]) -> bool:
        """True (``callback`` runs once the panels are mounted, which starts now) when they
        are not mounted yet; False when they are, so the caller goes on."""
        if self.panels_ready:
            return False
        self.after_panels.append(callback)
        self.mount_panels()
        return True

    @property
    def claimdesk(self) -> ClaimdeskApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def workspace(self) -> Workspace:
        """The one service that reads and writes the library and the claims."""
        return self.claimdesk.workspace

    def report(self, message: str, *, error: bool = False, timeout: float | None = None) -> None:
        """Show a notification; the text is shown literally."""
        self.claimdesk.report(message, error=error, timeout=timeout)

    @property
    def view(self) -> ArticleView:
        """The article view."""
        from tui.widgets.article_view import ArticleView

        return self.query_one("#article", ArticleView)

    @property
    def side(self) -> SidePanel:
        """The side panel."""
        from tui.widgets.side_panel import SidePanel

        return self.query_one("#side", SidePanel)

    @property
    def library(self) -> LibraryList:
        """The article list."""
        return self.query_one(LibraryList)

    def _view(self) -> ArticleView | None:
        """The reader, or None (with a hint) when no article is open."""
        if self.article is None:
            self.report("Open an article first (enter on the list)")
            return None
        return self.view

    def set_title(self, text: str) -> None:
        """The line above the article (title and byline, or a hint)."""
        self.query_one("#article-title", Static).update(Content(visible_controls(text)))

    # -- opening ----------------------------------------------------------------------------

    def open_article(self, article_id: str, select: tuple[int, int] | None = None) -> bool:
        """Show an article (re-read if its file changed): figures now, entities when NLP is
        done; optionally select a range. False (reported) when it cannot be shown."""
        workspace = self.workspace
        meta = workspace.scan.by_id(article_id)
        if meta is None:
            self.report(f"No article with id '{article_id}' in the library", error=True)
            return False
        if self.wait_for_panels(lambda: self.open_article(article_id, select)):
            return True
        try:
            article = workspace.article(meta)
        except WorkspaceError as exc:
            self.report(str(exc), error=True)
            return False
        self.show_article(article)
        view = self.view
        if select is not None:
            view.select_range(*select)
        view.focus()
        return True

    def open_claim(self, article_id: str, claim_id: str) -> bool:
        """Open an article with one of its claims selected where it is now (a claim on the
        headline or summary, or an orphan, is highlighted in the Claims tab instead)."""
        if self.wait_for_panels(lambda: self.open_claim(article_id, claim_id)):
            return True
        if not self.open_article(article_id):
            return False
        claim = next((c for c in self.claims if c.id == claim_id), None)
        if claim is None:
            self.report("That claim is no longer in the database (deleted elsewhere?)")
        elif claim.state != "orphan":
            self.view.select_range(claim.start, claim.end, claim.field)
        else:
            self.side.show_tab("tab-claims")
            self.report("That claim is not found in the text; it is listed in the Claims tab")
        return True

    def open_field_match(self, article_id: str, field: str, start: int, end: int) -> bool:
        """Open an article with a match in its headline or summary selected there."""
        if self.wait_for_panels(lambda: self.open_field_match(article_id, field, start, end)):
            return True
        if not self.open_article(article_id) or self.article is None:
            return False
        self.view.select_range(start, end, field)
        return True

    def show_article(self, article: Article) -> None:
        """Put this article's text, highlights and claims on screen and mark it read."""
        self.article = article
        self.remove_class("-no-article")
        meta = article.meta
        self.view.show_article(
            article.body, visible_controls(meta.title), visible_controls(meta.summary or "")
        )
        byline = " · ".join(x for x in (meta.source, meta.author, (meta.published or "")[:10]) if x)
        self.set_title(byline)  # the headline and summary open the article text itself
        self.header_spans = self._header_spans(article)
        self.show_extraction(article, [], [], None)
        if len(article.body) > SYNC_FIGURES_CHARS:
            self.run_figures(article)  # a long article shows its text first
        else:
            self.figures_ready(article, self._quick_extraction(article))
        self.article_changed()
        self.refresh_claims()
        self.workspace.mark_read(article.id)
        self.update_library_row()
        self.library.highlight_article(article.id)  # opened from search or the notebook too
        if self.has_class("-narrow"):
            self.add_class("-no-library")

    def article_changed(self) -> None:
        """Hook for the mixins: a (possibly different) article was just shown."""

    def figures_corrected(self) -> None:
        """Hook: a figure correction was saved or removed (figure checks go stale)."""

    def _header_spans(self, article: Article) -> list[Span]:
        """The headline's and summary's figures (currencies decided with the body's help)."""
        try:
            fields = self.workspace.field_figures(article)
        except Exception as exc:  # any extraction bug: the text is still shown
            self.report(f"Could not find headline figures in {article.id}: {exc}", error=True)
            return []
        return [
            *make_spans(fields.get("title", []), []),
            *make_spans(fields.get("summary", []), []),
        ]

    def _quick_extraction(self, article: Article) -> Extraction | None:
        """Figures now (on the UI loop); trouble is reported and never blocks reading."""
        try:
            return self.workspace.quick_extraction(article)
        except Exception as exc:  # any extraction bug: the text is still shown
            self.report(f"Could not find figures in {article.id}: {exc}", error=True)
            return None

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def run_figures(self, article: Article) -> None:
        """Figures of a long article off the UI loop (100k words take seconds); a failure goes
        to the app's worker-failure handler."""
        extraction = self.workspace.quick_extraction(article)
        self.app.call_from_thread(self.figures_ready, article, extraction)

    def figures_ready(self, article: Article, extraction: Extraction | None) -> None:
        """Show the figures (and cached entities), then start NER if entities are missing."""
        if extraction is None:
            return
        self.show_extraction(article, extraction.figures, extraction.entities, extraction.notice)
        if extraction.model is None and self.claimdesk.entities_enabled:
            self.run_entities(article)

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
        self.spans = [*self.header_spans, *make_spans(figures, entities)]
        self.figure_counts[article.id] = len(figures) + len(self.header_spans)
        if notice and notice not in self.notices_shown:  # e.g. no spaCy pipeline: say it once
            self.notices_shown.add(notice)
            self.report(notice, timeout=10)
        self.view.set_spans(self.spans)
        self.side.show_spans(self.spans, self.article.body)
        self.show_legend()

    def show_legend(self) -> None:
        """The legend for the current spans, hidden labels and pending extraction."""
        view = self.view
        view.set_hidden_labels(self.hidden_labels)
        pending = (
            "finding entities…"
            if self.article is not None and self.entities_pending_for == self.article.id
            else ""
        )
        from tui.widgets.legend import Legend

        self.query_one("#legend", Legend).show(
            self.spans, view.label_styles, self.hidden_labels, pending
        )

    @work(exclusive=True, group="nlp", exit_on_error=False)
    async def run_entities(self, article: Article) -> None:
        """Named entities off the UI loop: in the process pool, or a thread without one."""
        self.entities_pending_for = article.id
        self.show_legend()
        try:
            extraction = await self.claimdesk.extract_entities(article)
        finally:
            if self.entities_pending_for == article.id:
                self.entities_pending_for = None
            self.show_legend()
        self.show_extraction(article, extraction.figures, extraction.entities, extraction.notice)

    def toggle_label(self, label: str) -> None:
        """Show or hide one label's highlights."""
        self.hidden_labels ^= {label}
        self.show_legend()

    def on_legend_label_clicked(self, event: Legend.LabelClicked) -> None:
        """A click on a legend label shows or hides its highlights."""
        self.toggle_label(event.label)

    # -- claims -------------------------------------------------------------------------------

    def refresh_claims(self) -> None:
        """Reload this article's claims into the reader underlines and the Claims tab."""
        if self.article is None:
            return
        try:
            self.claims = self.workspace.claims(self.article)
        except WorkspaceError as exc:
            self.report(str(exc), error=True)
            self.claims = []
        placed = [c for c in self.claims if c.state != "orphan" and c.end > c.start]
        for field in ("title", "summary", "body"):
            self.view.set_claims(((c.start, c.end) for c in placed if c.field == field), field)
        self.side.show_claims(self.claims, self.article.body)

    def body_claims(self) -> list[Claim]:
        """The placed claims in the article's body (the text the reader shows)."""
        return [c for c in self.claims if c.field == "body" and c.state != "orphan"]

    def update_library_row(self) -> None:
        """Refresh the open article's row in the list (read mark, claim and figure counts)."""
        if self.article is None:
            return
        try:
            claims = self.workspace.counts().get(self.article.id, 0)
        except WorkspaceError:
            claims = 0
        self.library.update_article(
            self.article.meta,
            unread=False,
            claims=claims,
            figures=self.figure_counts.get(self.article.id),
        )

    def after_change(self) -> None:
        """Show the claims and the list row as they are now."""
        self.refresh_claims()
        self.update_library_row()

    def action_undo(self) -> None:
        """Take back the last delete or status change."""
        if not self.undo_stack:
            self.report("Nothing to undo")
            return
        step = self.undo_stack.pop()
        try:
            article_id = step.undo()
        except WorkspaceError as exc:
            self.undo_stack.append(step)
            self.report(f"Not undone: {exc}", error=True)
            return
        self.report(step.description)
        if article_id and (self.article is None or article_id != self.article.id):
            self.open_article(article_id)
        self.after_change()
