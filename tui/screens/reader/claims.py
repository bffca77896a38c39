"""The reader's claim actions: tag, edit, delete, status and re-attach, each with undo.

Every action applies to the claim the user chose: the highlighted row when the Claims list has
focus, otherwise the claim under the cursor, asking which when several share that span.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.core.claims import Claim
from tui.core.vocab import STATUSES
from tui.core.workspace import DuplicateClaim, WorkspaceError
from tui.screens.reader.base import ReaderBase, UndoStep, quoted

if TYPE_CHECKING:
    from tui.screens.tag import TagResult
    from tui.widgets.panel.claims import ClaimsPane


def claim_label(claim: Claim) -> str:
    """One line naming a claim in a chooser: status, tags, note."""
    tags = " ".join(f"#{t}" for t in claim.tags)
    note = claim.note.split("\n")[0][:50]
    return " ".join(x for x in (f"[{claim.status}]", tags, note) if x)


class ClaimActions(ReaderBase):
    """Every reader action that changes a claim."""

    def __init__(self) -> None:
        super().__init__()
        self.reattach_candidate: Claim | None = None
        """The drifted or orphaned claim picked in the Claims tab, to re-attach with ``a``."""
        self.tag_drafts: dict[tuple[str, str, int, int], TagResult] = {}
        """Tag dialogs closed with escape after typing, by (article, field, start, end)."""

    def article_changed(self) -> None:
        """A newly shown article has no re-attach candidate."""
        super().article_changed()
        self.reattach_candidate = None

    # -- which claim ------------------------------------------------------------------------

    def claims_at_cursor(self) -> list[Claim]:
        """The placed claims on the innermost claimed span containing the cursor or selection
        (in the headline, summary or body)."""
        field, start, end = self.view.selected_field_range
        placed = [c for c in self.claims if c.field == field and c.state != "orphan"]
        containing = [c for c in placed if c.start <= start and end <= max(c.end, c.start + 1)]
        if not containing:
            return []
        inner = min(containing, key=lambda c: c.end - c.start)
        return [c for c in containing if (c.start, c.end) == (inner.start, inner.end)]

    def with_chosen_claim(self, verb: str, then: Callable[[Claim], None]) -> None:
        """Run ``then`` on the claim the user chose (see the module docstring)."""
        if self._view() is None:
            return
        if self.side.claims_focused:
            claim = self.side.highlighted_claim
            if claim is None:
                self.report(f"Highlight a claim in the list to {verb} it")
            else:
                then(claim)
            return
        candidates = self.claims_at_cursor()
        if not candidates:
            self.report(
                f"No claim under the cursor to {verb}: move onto underlined text "
                "or pick one in the Claims tab"
            )
            return
        if len(candidates) == 1:
            then(candidates[0])
            return
        from tui.screens.choice import ChoiceScreen

        by_id = {c.id: c for c in candidates}

        def chosen(claim_id: str | None) -> None:
            if claim_id in by_id:
                then(by_id[claim_id])

        question = ChoiceScreen(
            f"Which claim to {verb}?",
            f"{len(candidates)} claims on {quoted(candidates[0].quote)}",
            [(c.id, claim_label(c)) for c in candidates],
        )
        self.claimdesk.push_screen(question, chosen)

    # -- tag ---------------------------------------------------------------------------------

    def action_tag(self) -> None:
        """Tag the selection (or the focused span) as a claim; warn about a second claim on
        the same span and offer to edit the existing one instead."""
        view = self._view()
        if view is None or self.article is None:
            return
        field, start, end = view.selected_field_range
        if start == end and view.focused is not None:
            field, start, end = view.focused.field, view.focused.start, view.focused.end
        if start == end:
            self.report("Select text first: n focuses a figure, v or a mouse drag selects")
            return
        view.selecting = False
        self.ask_tag(start, end, field=field)

    def offer_existing(
        self, start: int, end: int, same_span: list[Claim], field: str = "body"
    ) -> None:
        """The span already has a claim: edit it, or add a second one on purpose."""
        assert self.article is not None
        from tui.core.fields import field_text
        from tui.screens.choice import ChoiceScreen

        def chosen(answer: str | None) -> None:
            if answer == "add":
                self.ask_tag(start, end, allow_duplicate=True, field=field)
            elif answer is not None:
                self.edit_claim(next(c for c in same_span if c.id == answer))

        answers = [(c.id, f"Edit the existing claim {claim_label(c)}") for c in same_span]
        answers.append(("add", "Add another claim on the same text"))
        self.claimdesk.push_screen(
            ChoiceScreen(
                "This text already has a claim",
                f"{quoted(field_text(self.article, field)[start:end])} is already claimed.",
                answers,
            ),
            chosen,
        )

    def ask_tag(
        self,
        start: int,
        end: int,
        initial: TagResult | None = None,
        *,
        allow_duplicate: bool = False,
        field: str = "body",
    ) -> None:
        """Open the tag dialog for ``start:end`` of ``field`` (with a kept draft) and save what
        is entered.

        A span that already has a claim gets a question first (edit that one, or add another).
        """
        assert self.article is not None
        from tui.core.fields import field_text

        article = self.article
        if not allow_duplicate:
            same = [
                c
                for c in self.claims
                if c.field == field and c.state != "orphan" and (c.start, c.end) == (start, end)
            ]
            if same:
                self.offer_existing(start, end, same, field)
                return
        quote = field_text(article, field)[start:end]
        try:
            figure = self.workspace.figure_for_span(article, start, end, field)
        except WorkspaceError:
            figure = None
        draft_key = (article.id, field, start, end)
        from tui.screens.tag import TagResult, TagScreen

        given = initial or self.tag_drafts.get(draft_key) or TagResult([], "", "unverified")

        def save(result: TagResult | None) -> None:
            if result is None:
                if screen.draft is not None:
                    self.tag_drafts[draft_key] = screen.draft
                    self.report(f"Draft kept: press t on {quoted(quote)} to go on with it")
                else:
                    self.tag_drafts.pop(draft_key, None)
                return
            self.tag_drafts.pop(draft_key, None)
            unsaved = self.workspace_unsaved()
            try:
                self.workspace.add_claim(
                    article,
                    start,
                    end,
                    field=field,
                    tags=result.tags,
                    note=result.note,
                    status=result.status,
                    allow_duplicate=allow_duplicate,
                )
            except DuplicateClaim as exc:
                self.offer_existing(start, end, [exc.existing], field)
                return
            except WorkspaceError as exc:
                self.save_failed(
                    exc,
                    unsaved,
                    lambda: self.ask_tag(
                        start, end, result, allow_duplicate=allow_duplicate, field=field
                    ),
                )
                return
            count = len(result.tags)
            self.report(
                f"Claim saved on {quoted(quote)} with {count} tag{'s' if count != 1 else ''}"
            )
            self.after_change()
            self.side.show_tab("tab-claims")

        screen = TagScreen(
            quote,
            figure=figure,
            known_tags=self.known_tags(),
            tags=given.tags,
            note=given.note,
            status=given.status,
        )
        self.claimdesk.push_screen(screen, save)

    def known_tags(self) -> list[str]:
        """Existing tags for completion; none when the database cannot be read (the tag
        dialog still works, and saving reports the problem)."""
        try:
            return self.workspace.all_tags()
        except WorkspaceError:
            return []

    def workspace_unsaved(self) -> int:
        """How many changes the store keeps in memory after failed saves."""
        try:
            return self.workspace.unsaved()
        except WorkspaceError:
            return 0

    def save_failed(
        self, exc: Exception, unsaved_before: int, ask_again: Callable[[], None]
    ) -> None:
        """Say why a save failed; keep what the user typed.

        A change the store kept in memory is shown (the next save writes it); one it could not
        keep reopens the dialog with the typed values, so nothing typed is lost.
        """
        if self.workspace_unsaved() > unsaved_before:
            self.report(f"Not saved yet: {exc}", error=True, timeout=15)
            self.after_change()
            return
        self.report(f"Not saved: {exc}", error=True, timeout=15)
        ask_again()

    # -- edit / delete / status / undo --------------------------------------------------------

    def action_edit_claim(self) -> None:
        """Edit the chosen claim's tags, note and status."""
        self.with_chosen_claim("edit", self.edit_claim)

    def edit_claim(self, claim: Claim, initial: TagResult | None = None) -> None:
        """Open the edit dialog for ``claim`` and save the changes."""
        from tui.screens.tag import TagResult, TagScreen

        given = initial or TagResult(claim.tags, claim.note, claim.status)

        def save(result: TagResult | None) -> None:
            if result is None:
                return
            unsaved = self.workspace_unsaved()
            try:
                self.workspace.update_claim(
                    claim.id, tags=result.tags, note=result.note, status=result.status
                )
            except WorkspaceError as exc:
                self.save_failed(exc, unsaved, lambda: self.edit_claim(claim, result))
                return
            self.report(f"Updated the claim on {quoted(claim.quote)}")
            self.after_change()

        screen = TagScreen(
            claim.quote,
            figure=claim.figure,
            known_tags=self.known_tags(),
            tags=given.tags,
            note=given.note,
            status=given.status,
            editing=True,
            current=claim.current_text if claim.changed else None,
        )
        self.claimdesk.push_screen(screen, save)

    def action_delete_claim(self) -> None:
        """Delete the chosen claim; ``u`` undoes."""
        self.with_chosen_claim("delete", self.delete_claim)

    def delete_claim(self, claim: Claim) -> None:
        """Delete ``claim`` and say which one it was."""
        try:
            deleted = self.workspace.delete_claim(claim.id)
        except WorkspaceError as exc:
            self.report(f"Not deleted: {exc}", error=True)
            return
        where = quoted(claim.quote)

        def restore() -> str | None:
            self.workspace.restore_claim(deleted)
            return str(deleted.get("article_id"))

        self.undo_stack.append(UndoStep(f"Restored the claim on {where}", restore))
        self.report(f"Deleted claim on {where} — u to undo")
        self.after_change()

    def action_set_status(self, number: int) -> None:
        """Give the chosen claim the ``number``-th status (1–5); ``u`` undoes."""
        status = STATUSES[number - 1]
        self.with_chosen_claim(f"mark {status}", lambda claim: self.set_status(claim, status))

    def set_status(self, claim: Claim, status: str) -> None:
        """Change ``claim``'s status and remember the old one for undo."""
        where = quoted(claim.quote)
        if claim.status == status:
            self.report(f"The claim on {where} is already {status}")
            return
        try:
            _, old = self.workspace.set_status(claim.id, status)
        except WorkspaceError as exc:
            self.report(f"Status not changed: {exc}", error=True)
            return

        def put_back() -> str | None:
            self.workspace.set_status(claim.id, old)
            return None

        self.undo_stack.append(UndoStep(f"The claim on {where} is {old} again", put_back))
        self.report(f"Marked the claim on {where} {status} (was {old}) — u to undo")
        self.after_change()

    # -- re-attach ------------------------------------------------------------------------------

    def on_claims_pane_claim_chosen(self, event: ClaimsPane.ClaimChosen) -> None:
        """Select a claim in the reader; a drifted or orphaned one can then be re-attached."""
        claim = event.claim
        view = self.view
        self.reattach_candidate = None if claim.state == "anchored" else claim
        if claim.state == "orphan":
            self.report(
                "This claim's quote is no longer in the article (its text is kept). "
                "Select where it belongs now and press a to re-attach it",
                timeout=8,
            )
            view.focus()
            return
        view.select_range(claim.start, claim.end, claim.field)
        view.focus()
        if claim.state == "drifted":
            self.report(
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
            self.report("Pick a claim under 'Needs attention' in the Claims tab first")
            return
        field, start, end = view.selected_field_range
        if start == end:
            self.report("Select the text the claim belongs to, then press a")
            return
        try:
            self.workspace.reattach_claim(claim.id, self.article, start, end, field)
        except WorkspaceError as exc:
            self.report(f"Not re-attached: {exc}", error=True)
            return
        self.reattach_candidate = None
        self.report(f"Claim re-attached to {quoted(view.text_of(field)[start:end])}")
        self.after_change()
