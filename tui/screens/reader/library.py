"""The reader's library side: scanning the folder, listing, reloading, unread marks, deleting."""

from __future__ import annotations

from collections.abc import Mapping, Set

from textual import work

from tui.core.text import visible_controls
from tui.core.vocab import plural
from tui.core.workspace import WorkspaceError
from tui.screens.reader.base import ReaderBase, UndoStep
from tui.widgets.library_list import LibraryList


class LibraryActions(ReaderBase):
    """Actions on the article list and the library folder."""

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load_library(self) -> None:
        """Scan the library off the UI loop: the first screen never waits for thousands of files."""
        workspace = self.workspace
        try:
            workspace.load_library()
        except OSError as exc:
            folder = workspace.settings.articles_dir
            message = f"Cannot read the library folder {folder} ({exc.strerror}); check it"
            self.app.call_from_thread(self.report, message, error=True)
            self.app.call_from_thread(self.show_library, {}, {}, "")
            return
        try:
            counts, tags, problem = workspace.counts(), workspace.claim_tags_by_article(), ""
        except WorkspaceError as exc:  # the database is unreadable: the library still lists
            counts, tags, problem = {}, {}, str(exc)
        self.app.call_from_thread(self.show_library, counts, tags, problem)

    def list_waiting_scan(self) -> bool:
        """List the library now, in the first frame, from a scan that ran while the app started
        (:mod:`tui.core.articles.prescan`) with the counts of the database's summary; False
        (nothing shown) when either would have to be waited for, or the scan failed."""
        workspace = self.workspace
        if not workspace.library.scan_waiting():
            return False
        counted = workspace.summary_counts()
        if counted is None:
            return False
        try:
            workspace.load_library()
        except OSError:  # the waiting scan failed and the folder is unreadable: say so in a worker
            return False
        self.show_library(*counted)
        return True

    def show_library(
        self, counts: Mapping[str, int], tags: Mapping[str, Set[str]], problem: str = ""
    ) -> None:
        """Show the scanned library with read marks and claim counts; report bad files."""
        workspace = self.workspace
        self.claimdesk.report_problems()
        if problem:
            self.report(problem, error=True)
        library = self.library
        library.show_library(
            workspace.scan.articles, set(workspace.read_ids), counts, self.figure_counts, tags
        )
        self.call_after_refresh(self.mount_panels)  # once the list is drawn
        if not workspace.scan.articles:
            folder = workspace.settings.articles_dir
            hint = (
                f"No articles in {folder}. Import one with: "
                f"claimdesk --articles {folder} import FILE (.txt, .md or .html)"
            )
            self.set_title(hint)
            library.placeholder = visible_controls(hint)
            library.refresh()
        self.reshow_open_article()

    def reshow_open_article(self) -> None:
        """After a rescan: show the open article again if its file changed (re-read, claims
        re-anchored), or say that it is gone."""
        article = self.article
        if article is None:
            return
        meta = self.workspace.scan.by_id(article.id)
        if meta is None:
            self.report(
                f"The open article {article.id} is no longer in the library folder; "
                "its text stays on screen until you open another",
                error=True,
            )
            return
        if meta == article.meta:
            return
        selection = self.view.selected_range
        if self.open_article(article.id):
            end = min(selection[1], len(self.view.body))
            self.view.select_range(min(selection[0], end), end)
            self.report(f"{article.id} changed on disk: shown again, its claims re-anchored")

    def on_library_list_opened(self, event: LibraryList.Opened) -> None:
        """Open the chosen article."""
        self.open_article(event.article_id)

    def action_reload_library(self) -> None:
        """Scan the library folder again (new, edited or removed articles)."""
        self.load_library()
        self.report("Reloading the library…")

    def on_library_list_unread_marked(self, event: LibraryList.UnreadMarked) -> None:
        """Forget that the article was read."""
        self.workspace.mark_read(event.article_id, read=False)
        meta = self.workspace.scan.by_id(event.article_id)
        if meta is not None:
            self.library.update_article(
                meta,
                unread=True,
                claims=self.library.claim_counts.get(meta.id, 0),
                figures=self.figure_counts.get(meta.id),
            )

    def on_library_list_delete_requested(self, event: LibraryList.DeleteRequested) -> None:
        """Ask how to delete the article (its claims kept as orphans, or deleted too)."""
        meta = self.workspace.scan.by_id(event.article_id)
        if meta is None:
            return
        claims = self.library.claim_counts.get(meta.id, 0)
        answers = [("keep", f"Delete the article, keep its {plural(claims, 'claim')} as orphans")]
        if claims:
            answers.append(("all", f"Delete the article and its {plural(claims, 'claim')}"))
        answers.append(("cancel", "Cancel"))
        from tui.screens.choice import ChoiceScreen

        def chosen(answer: str | None) -> None:
            if answer in ("keep", "all"):
                self.delete_article(meta.id, meta.title, delete_claims=answer == "all")

        question = ChoiceScreen(
            f"Delete “{visible_controls(meta.title)[:50]}”?",
            "A copy is kept in the library's versions folder; u undoes.",
            answers,
        )
        self.claimdesk.push_screen(question, chosen)

    def delete_article(self, article_id: str, title: str, *, delete_claims: bool) -> None:
        """Delete an article (undoable); the reader clears if it was open."""
        try:
            deletion = self.workspace.delete_article(article_id, delete_claims=delete_claims)
        except WorkspaceError as exc:
            self.report(f"Not deleted: {exc}", error=True)
            return

        def restore() -> str | None:
            restored = self.workspace.restore_article(deletion)
            self.load_library()
            return restored.id

        self.undo_stack.append(UndoStep(f"Restored the article “{title}”", restore))
        if self.article is not None and self.article.id == article_id:
            self.close_article()
        self.report(f"Deleted the article “{title}” — u to undo")
        self.load_library()

    def close_article(self) -> None:
        """Show no article (the open one was deleted)."""
        self.article = None
        self.add_class("-no-article")
        self.claims = []
        self.spans = []
        self.view.show_article("")
        self.side.show_spans([], "")
        self.side.show_claims([], "")
        self.show_legend()
        self.set_title("Choose an article on the left (enter opens it).")
        self.remove_class("-no-library")
        self.library.focus()
