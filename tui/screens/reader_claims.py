"""Tagging, editing, deleting (with undo) and entity corrections: the reader's write actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.screens.session import Claim
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp
    from tui.core.articles.library import Article
    from tui.screens.correction import CorrectionResult
    from tui.widgets.spans import Span


class ClaimActions(Screen[None]):
    """Base of the reader screen: every action that changes the annotation store."""

    article: Article | None
    claims: list[Claim]
    undo_stack: list[dict[str, Any]]
    reattach_candidate: Claim | None

    @property
    def claimdesk(self) -> ClaimdeskApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    if TYPE_CHECKING:

        def _view(self) -> ArticleView | None: ...
        def _update_library_row(self) -> None: ...
        def open_article(self, article_id: str, select: tuple[int, int] | None = None) -> bool: ...

    def refresh_claims(self) -> None:
        """Reload this article's claims into the reader underlines and the Claims tab."""
        if self.article is None:
            return
        try:
            self.claims = self.claimdesk.session.claims(self.article)
        except Exception as exc:
            self.claimdesk.report(str(exc), error=True)
            self.claims = []
        view = self.query_one("#article", ArticleView)
        view.set_claims(
            (c.start, c.end) for c in self.claims if c.state != "orphan" and c.end > c.start
        )
        self.query_one("#side", SidePanel).show_claims(self.claims)

    def claim_at_cursor(self) -> Claim | None:
        """The innermost placed claim containing the cursor or the selection."""
        view = self.query_one("#article", ArticleView)
        start, end = view.selected_range
        containing = [
            c
            for c in self.claims
            if c.state != "orphan" and c.start <= start and end <= max(c.end, c.start + 1)
        ]
        if not containing:
            return None
        return min(containing, key=lambda c: c.end - c.start)

    # -- tag ---------------------------------------------------------------------------------

    def action_tag(self) -> None:
        """Tag the selection (or the focused span) as a claim."""
        view = self._view()
        if view is None or self.article is None:
            return
        start, end = view.selected_range
        if start == end and view.focused is not None:
            start, end = view.focused.start, view.focused.end
        if start == end:
            self.claimdesk.report(
                "Select text first: n focuses a figure, v or a mouse drag selects"
            )
            return
        view.selecting = False
        article = self.article
        quote = article.body[start:end]
        figure = view.figure_within(start, end)
        known = self._known_tags()

        from tui.screens.tag import TagResult, TagScreen

        def save(result: TagResult | None) -> None:
            if result is None:
                return
            unsaved = self._unsaved()
            try:
                record = self.claimdesk.session.add_claim(
                    article,
                    start,
                    end,
                    tags=result.tags,
                    note=result.note,
                    status=result.status,
                    figure=dict(figure) if figure else None,
                )
            except Exception as exc:
                self._save_failed(exc, unsaved, lambda: ask(result))
                return
            count = len(record.get("tags", []))
            self.claimdesk.report(f"Claim saved with {count} tag{'s' if count != 1 else ''}")
            self._after_change()
            self.query_one("#side", SidePanel).show_tab("tab-claims")

        def ask(initial: TagResult | None = None) -> None:
            given = initial or TagResult([], "", "unverified")
            screen = TagScreen(
                quote,
                figure=figure,
                known_tags=known,
                tags=given.tags,
                note=given.note,
                status=given.status,
            )
            self.claimdesk.push_screen(screen, save)

        ask()

    def _known_tags(self) -> list[str]:
        """Existing tags for completion; none when the database cannot be read (the tag
        dialog still works, and saving reports the problem)."""
        try:
            return self.claimdesk.session.all_tags()
        except Exception:
            return []

    def _unsaved(self) -> int:
        """How many changes the store keeps in memory after failed saves."""
        try:
            return self.claimdesk.session.store.unsaved
        except Exception:
            return 0

    def _save_failed(
        self, exc: Exception, unsaved_before: int, ask_again: Callable[[], None]
    ) -> None:
        """Say why a save failed; keep what the user typed.

        A change the store kept in memory is shown (the next save writes it); one it could not
        keep reopens the dialog with the typed values, so nothing typed is lost.
        """
        if self._unsaved() > unsaved_before:
            self.claimdesk.report(f"Not saved yet: {exc}", error=True, timeout=15)
            self._after_change()
            return
        self.claimdesk.report(f"Not saved: {exc}", error=True, timeout=15)
        ask_again()

    # -- edit / delete / undo ---------------------------------------------------------------

    def action_edit_claim(self, claim: Claim | None = None) -> None:
        """Edit the claim under the cursor (or the one given)."""
        if self._view() is None:
            return
        claim = claim or self.claim_at_cursor()
        if claim is None:
            self.claimdesk.report(
                "No claim under the cursor: move onto underlined text or pick one in Claims"
            )
            return
        record = claim.record
        known = self._known_tags()

        from tui.screens.tag import TagResult, TagScreen

        def save(result: TagResult | None) -> None:
            if result is None:
                return
            unsaved = self._unsaved()
            try:
                self.claimdesk.session.store.update(
                    claim.id, tags=result.tags, note=result.note, status=result.status
                )
            except Exception as exc:
                self._save_failed(exc, unsaved, lambda: ask(result))
                return
            self.claimdesk.report("Claim updated")
            self._after_change()

        def ask(given: TagResult) -> None:
            screen = TagScreen(
                str(record.get("quote", "")),
                figure=record.get("figure"),
                known_tags=known,
                tags=given.tags,
                note=given.note,
                status=given.status,
                editing=True,
            )
            self.claimdesk.push_screen(screen, save)

        ask(
            TagResult(
                list(record.get("tags", [])),
                str(record.get("note", "")),
                str(record.get("status", "unverified")),
            )
        )

    def action_delete_claim(self) -> None:
        """Delete the claim under the cursor; ``u`` undoes."""
        if self._view() is None:
            return
        claim = self.claim_at_cursor()
        if claim is None:
            self.claimdesk.report("No claim under the cursor to delete")
            return
        try:
            deleted = self.claimdesk.session.store.delete(claim.id)
        except Exception as exc:
            self.claimdesk.report(f"Not deleted: {exc}", error=True)
            return
        self.undo_stack.append(deleted)
        self.claimdesk.report("Claim deleted. Press u to undo")
        self._after_change()

    def action_undo(self) -> None:
        """Bring back the last deleted claim."""
        if not self.undo_stack:
            self.claimdesk.report("Nothing to undo")
            return
        record = self.undo_stack.pop()
        try:
            self.claimdesk.session.store.restore(record)
        except Exception as exc:
            self.undo_stack.append(record)
            self.claimdesk.report(f"Not restored: {exc}", error=True)
            return
        self.claimdesk.report("Claim restored")
        if self.article is not None and record.get("article_id") != self.article.id:
            self.open_article(str(record.get("article_id")))
        self._after_change()

    def on_side_panel_claim_chosen(self, event: SidePanel.ClaimChosen) -> None:
        """Select a claim in the reader; a drifted or orphaned one can then be re-attached."""
        claim = event.claim
        view = self.query_one("#article", ArticleView)
        self.reattach_candidate = None if claim.state == "anchored" else claim
        if claim.state == "orphan":
            self.claimdesk.report(
                "This claim's quote is no longer in the article (its text is kept). "
                "Select where it belongs now and press a to re-attach it",
                timeout=8,
            )
            view.focus()
            return
        view.select_range(claim.start, claim.end)
        view.focus()
        if claim.state == "drifted":
            self.claimdesk.report(
                "The text here changed since it was tagged. Press a to keep the claim here, "
                "or select another place first",
                timeout=8,
            )

    def action_reattach(self) -> None:
        """Move the chosen drifted / orphaned claim to the current selection."""
        view = self._view()
        claim = self.reattach_candidate
        if view is None or self.article is None:
            return
        if claim is None:
            self.claimdesk.report("Pick a claim under 'Needs attention' in the Claims tab first")
            return
        start, end = view.selected_range
        if start == end:
            self.claimdesk.report("Select the text the claim belongs to, then press a")
            return
        try:
            self.claimdesk.session.store.reattach(claim.id, start, end, self.article)
        except Exception as exc:  # StoreError/KeyError: tell, keep going
            self.claimdesk.report(f"Not re-attached: {exc}", error=True)
            return
        self.reattach_candidate = None
        self.claimdesk.report("Claim re-attached here")
        self._after_change()

    def _after_change(self) -> None:
        self.refresh_claims()
        self._update_library_row()

    # -- corrections ---------------------------------------------------------------------------

    def action_correct(self) -> None:
        """Correct the focused entity (relabel / not an entity) or add the selection as one."""
        view = self._view()
        if view is None:
            return
        focused: Span | None = view.focused
        start, end = view.selected_range
        if focused is not None and focused.kind == "entity":
            text, label, existing = focused.text, focused.label, True
        elif start < end:
            text, label, existing = view.body[start:end], "", False
        else:
            self.claimdesk.report("Focus an entity (n) or select text (v) to correct it")
            return

        def apply(result: CorrectionResult | None) -> None:
            if result is None:
                return
            try:
                correction = result.as_dict()
            except ValueError as exc:  # CorrectionError: the text cannot be a correction
                self.claimdesk.report(f"Not a valid correction: {exc}", error=True)
                return
            self.claimdesk.apply_correction(correction)

        from tui.screens.correction import CorrectionScreen

        self.claimdesk.push_screen(CorrectionScreen(text, label, existing=existing), apply)
