"""The claim API of the workspace: claims where they are now, adding with the duplicate check
and the one figure rule, editing, verdicts, deleting and undo, re-attaching, filtering, and
keeping recorded figures in step with corrections and rules (history kept)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from tui.core.claims import (
    Claim,
    ClaimQuery,
    claim_from_record,
    claims_at,
    figure_for_span,
    sort_claims,
)
from tui.core.fields import as_field, field_text
from tui.core.library_view import WorkspaceError
from tui.core.vocab import STATUSES
from tui.core.workspace.base import WorkspaceBase

if TYPE_CHECKING:
    from tui.core.articles.library import Article


class DuplicateClaim(WorkspaceError):
    """The same span already carries a claim; ``existing`` is that claim (offer to edit it)."""

    def __init__(self, existing: Claim) -> None:
        super().__init__(
            f"this passage (“{existing.quote[:60]}”) already has a claim; edit that one instead"
        )
        self.existing = existing


def corrections_conflict(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether ``new`` contradicts ``old``, so only the newer should stand.

    Figure corrections conflict on the same figure of the same article. Entity corrections of the
    same text conflict when they give it two labels the same way (two relabels, two adds), when
    one rejects the label the other gives ("relabel AI PERSON" then "reject AI PERSON"), or when
    one ignores the text and the other makes it an entity. Rejections of different labels, and an
    add beside a relabel (a new mention plus the model's ones), stand together.
    """
    if (old.get("action") == "figure") != (new.get("action") == "figure"):
        return False
    if str(old.get("text", "")).casefold() != str(new.get("text", "")).casefold():
        return False
    if new.get("action") == "figure":
        return bool(old.get("article") == new.get("article"))
    actions = {str(old.get("action")), str(new.get("action"))}
    if "ignore" in actions:
        return actions != {"ignore"} or old.get("action") == new.get("action")
    if old.get("action") == new.get("action"):
        return old.get("action") != "reject" or old.get("label") == new.get("label")
    if "reject" in actions:
        return bool(old.get("label") == new.get("label"))
    return False  # an add beside a relabel


class ClaimActions(WorkspaceBase):
    """Claims: the only way either front end reads or changes them."""

    def claims(self, article: Article) -> list[Claim]:
        """The article's claims (headline, summary and body) where they are now: reading
        order, orphans last."""
        records = self._call(lambda: self.store.annotations(article.id))
        found = [claim_from_record(r, field_text(article, r.get("field", "body"))) for r in records]
        return sort_claims(found)

    def claim(self, annotation_id: str) -> Claim | None:
        """One claim where it is now, or None when no claim has this id."""
        record = self._call(lambda: self.store.get(annotation_id))
        if record is None:
            return None
        article = self._article_or_none(str(record["article_id"]))
        text = field_text(article, record.get("field", "body")) if article else None
        return claim_from_record(record, text)

    def claims_on(self, article: Article, start: int, end: int, field: str = "body") -> list[Claim]:
        """Claims whose current place overlaps ``start:end`` of ``field`` (for the chooser when
        several share a span), the closest fit first."""
        return claims_at(self.claims(article), start, end, field)

    def figure_for_span(
        self, article: Article, start: int, end: int, field: str = "body"
    ) -> dict[str, Any] | None:
        """The figure recorded with a claim on ``start:end``: see :func:`claims.figure_for_span`
        (the one rule the app and the CLI share)."""
        figures = self.field_figures(article).get(field, [])
        return figure_for_span(figures, start, end)

    def add_claim(
        self,
        article: Article,
        start: int,
        end: int,
        *,
        field: str = "body",
        tags: Iterable[str] = (),
        note: str = "",
        status: str = "unverified",
        kind: str = "claim",
        allow_duplicate: bool = False,
    ) -> dict[str, Any]:
        """Save a new claim durably, with the figure its span is or holds; DuplicateClaim when
        the same span already has one (unless ``allow_duplicate``)."""
        as_field(field)
        if not allow_duplicate:
            same = [
                c
                for c in self.claims_on(article, start, end, field)
                if c.start == start and c.end == end and c.state != "orphan"
            ]
            if same:
                raise DuplicateClaim(same[0])
        try:
            figure = self.figure_for_span(article, start, end, field)
        except Exception as exc:
            figure = None
            self.problems.append(f"figure not recorded (extraction failed: {exc})")
        record = self._call(
            lambda: self.store.add(
                article,
                start,
                end,
                field=field,
                tags=list(tags),
                note=note,
                status=status,
                kind=kind,
                figure=figure,
                author=self.settings.author,
            )
        )
        return cast(dict[str, Any], record)

    def update_claim(self, annotation_id: str, **changes: Any) -> dict[str, Any]:
        """Change a claim's tags, note, status or kind (durable on return)."""
        return cast(dict[str, Any], self._call(lambda: self.store.update(annotation_id, **changes)))

    def set_status(self, annotation_id: str, status: str) -> tuple[dict[str, Any], str]:
        """Give a claim a new verdict: the saved record and the previous verdict (for undo)."""
        if status not in STATUSES:
            raise WorkspaceError(f"status '{status}' is not one of {', '.join(STATUSES)}")
        before = self._call(lambda: self.store.get(annotation_id))
        if before is None:
            raise WorkspaceError(f"no claim {annotation_id} (deleted elsewhere?)")
        return self.update_claim(annotation_id, status=status), str(before["status"])

    def delete_claim(self, annotation_id: str) -> dict[str, Any]:
        """Delete a claim: the deleted record, for :meth:`restore_claim` (undo)."""
        return cast(dict[str, Any], self._call(lambda: self.store.delete(annotation_id)))

    def restore_claim(self, record: Mapping[str, Any]) -> None:
        """Undo a delete."""
        self._call(lambda: self.store.restore(dict(record)))

    def reattach_claim(
        self, annotation_id: str, article: Article, start: int, end: int, field: str = "body"
    ) -> dict[str, Any]:
        """Move a drifted or orphaned claim to ``start:end`` of ``field``: the figure is derived
        again from the new span, and the old quote and figure go to the record's history."""
        as_field(field)
        figure = self.figure_for_span(article, start, end, field)
        return cast(
            dict[str, Any],
            self._call(
                lambda: self.store.reattach(
                    annotation_id, start, end, article, field=field, figure=figure
                )
            ),
        )

    def claims_matching(self, query: ClaimQuery) -> list[dict[str, Any]]:
        """Records (with their current ``anchor_state``) that match ``query``; the shared filter
        of ``claimdesk annotations``, ``export`` and the app's notebook."""
        return self.claims_and_articles(query)[0]

    def claims_and_articles(
        self, query: ClaimQuery
    ) -> tuple[list[dict[str, Any]], dict[str, Article]]:
        """:meth:`claims_matching`, with the articles it read to measure them (an export needs
        both, and reading them once is enough)."""
        from tui.core.annotations.anchors import current_states

        records = self._call(lambda: self.store.annotations(query.article_id))
        chosen = [r for r in records if query.matches_record(r)]
        articles, _ = self.articles({str(r["article_id"]) for r in chosen})
        bodies: dict[str, str | None] = {str(r["article_id"]): None for r in chosen}
        bodies.update({aid: a.body for aid, a in articles.items()})
        others = {
            (aid, name): field_text(a, name)
            for aid, a in articles.items()
            for name in ("title", "summary")
        }
        measured = current_states(chosen, bodies, in_place=True, field_texts=others)
        kept = [r for r in measured if query.matches_state(r)]
        owners = {str(r["article_id"]) for r in kept}
        return kept, {aid: a for aid, a in articles.items() if aid in owners}

    def _article_or_none(self, article_id: str) -> Article | None:
        meta = self.library.find(article_id)
        return self._text_or_none(meta) if meta else None

    def add_correction(self, correction: dict[str, Any]) -> dict[str, Any]:
        """Store a correction; every later extraction, in every article, applies it, and the
        claims whose figure it changes record the change (see :meth:`refresh_figures`). Earlier
        corrections it contradicts are removed: the latest word on a text wins."""
        for old in self.corrections():
            if corrections_conflict(old, correction):
                self._call(lambda old=old: self.store.remove_correction(str(old["id"])))
        saved = cast(dict[str, Any], self._call(lambda: self.store.add_correction(correction)))
        self._corrections_changed(saved)
        return saved

    def remove_correction(self, correction_id: str) -> None:
        """Forget a correction (by id); claims whose figure it had changed record that too."""
        gone = next((c for c in self.corrections() if c.get("id") == correction_id), None)
        self._call(lambda: self.store.remove_correction(correction_id))
        self._corrections_changed(gone)

    def _corrections_changed(self, correction: Mapping[str, Any] | None) -> None:
        with self._lock:
            self._extractor = None
        article_id = (correction or {}).get("article")  # figure corrections name their article
        if isinstance(article_id, str) and self.scan.by_id(article_id) is not None:
            self.refresh_figures([article_id], reason="figure corrected")

    def refresh_figures(
        self, article_ids: Iterable[str] | None = None, reason: str = "figure derived again"
    ) -> list[dict[str, Any]]:
        """Derive each anchored claim's figure again from its current span (after a new rule or
        a correction); a claim whose figure changed keeps its quote, gets the new figure, and
        records the old one in its history. Returns the changed records."""
        from tui.core.annotations.records import history_entry, same_figure

        articles, _ = self.articles(article_ids)
        changed = []
        for article in articles.values():
            figures = self.field_figures(article)
            for claim in self.claims(article):
                if claim.state != "anchored":
                    continue
                now = figure_for_span(figures.get(claim.field, []), claim.start, claim.end)
                if same_figure(claim.figure, now):
                    continue
                record = dict(claim.record)
                history = [*record.get("history", []), history_entry(record, reason)]
                changed.append(self.update_claim(claim.id, figure=now, history=history))
        return changed
