"""The one headless service both front ends use: library, articles, claims, corrections, search
and export. The app's screens and the CLI commands call a :class:`Workspace` and never touch the
store or the disk themselves, so the two cannot drift apart.

Every user-facing failure is a :class:`WorkspaceError` whose ``str()`` is one line naming the
file or value and what to do. Heavy modules (the store, extraction, export) are imported on
first use, so ``claimdesk list`` and the app's first screen stay fast. Methods may be called from
a worker thread: the caches here are guarded by one lock.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui.core.claims import (
    Claim,
    ClaimQuery,
    claim_from_record,
    claims_at,
    figure_for_span,
    sort_claims,
)
from tui.core.config import Settings
from tui.core.fields import as_field, field_text
from tui.core.library_view import LibraryView, WorkspaceError
from tui.core.search import SearchHit, search_library
from tui.core.user_state import STATE_FILE_SUFFIX, UserState
from tui.core.vocab import STATUSES

if TYPE_CHECKING:
    from tui.core.annotations.exports import ExportReport
    from tui.core.annotations.records import MergeReport
    from tui.core.annotations.store import AnnotationStore
    from tui.core.articles.library import Article, ArticleMeta, LibraryScan
    from tui.core.extract import Extraction, Extractor

__all__ = [
    "ArticleDeletion",
    "Claim",
    "ClaimQuery",
    "DuplicateClaim",
    "ExportResult",
    "SearchHit",
    "Workspace",
    "WorkspaceError",
]


class DuplicateClaim(WorkspaceError):
    """The same span already carries a claim; ``existing`` is that claim (offer to edit it)."""

    def __init__(self, existing: Claim) -> None:
        super().__init__(
            f"this passage (“{existing.quote[:60]}”) already has a claim; edit that one instead"
        )
        self.existing = existing


@dataclass(frozen=True)
class ExportResult:
    """Where an export went, how many claims it holds, and in which format."""

    path: Path | None
    """None when written to standard output."""
    count: int
    """Claims selected for the export."""
    format: str
    written: int = 0
    """Items the format wrote (annotations, reviews, tasks…), counted as it wrote them."""
    noun: str = "annotations"
    """What ``written`` counts."""
    notes: tuple[str, ...] = ()
    """One line per group the format left out or changed, with why and what to do."""


@dataclass(frozen=True)
class ArticleDeletion:
    """What :meth:`Workspace.delete_article` did, enough to undo it."""

    meta: ArticleMeta
    kept: Path
    """The copy kept in the library's versions folder."""
    claims: list[dict[str, Any]]
    """Claims deleted with the article (empty when they were kept as orphans)."""


@dataclass(frozen=True)
class ImportOutcome:
    """What ``import-annotations`` did: the merge report, skipped lines, unknown articles."""

    report: MergeReport
    skipped: list[str]
    missing_articles: list[str]
    """Ids of articles the imported claims name that are not in the library (their claims are
    orphans until the article is imported)."""


@dataclass
class Workspace:
    """Everything either front end reads or writes, reached through one object."""

    settings: Settings
    library: LibraryView = field(init=False)
    """The article library as it is on disk now."""
    user_state: UserState = field(init=False)
    """Read marks and UI choices, beside the database."""
    _store: AnnotationStore | None = None
    _extractor: Extractor | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock)
    problems: list[str] = field(default_factory=list)
    """Things worth one line to the user that did not stop the action (a figure not recorded)."""

    def __post_init__(self) -> None:
        self.library = LibraryView(self.settings.articles_dir, self.settings.cache_dir)
        db = self.settings.db_path
        self.user_state = UserState(db.with_name(db.name + STATE_FILE_SUFFIX))

    # -- library (delegates to LibraryView and UserState) -------------------------------------

    @property
    def scan(self) -> LibraryScan:
        """The last library scan (empty until :meth:`load_library` ran)."""
        return self.library.scan

    def load_library(self) -> LibraryScan:
        """Scan the library folder (metadata only; unchanged files come from the index)."""
        return self.library.load()

    def resolve(self, id_or_prefix: str) -> ArticleMeta:
        """The article with this id, or the only one whose id starts with it."""
        return self.library.resolve(id_or_prefix)

    def article(self, which: ArticleMeta | str) -> Article:
        """An article as it is on disk now (re-read whenever its file changed)."""
        return self.library.article(which)

    def articles(self, ids: Iterable[str] | None = None) -> tuple[dict[str, Article], list[str]]:
        """The readable articles with these ids (all with None), and one line per bad file."""
        return self.library.articles(ids)

    @property
    def state_path(self) -> Path:
        """The small state file beside the database (read marks, UI choices)."""
        return self.user_state.path

    def state(self, key: str, default: Any = None) -> Any:
        """A remembered value."""
        return self.user_state.get(key, default)

    def remember(self, key: str, value: Any) -> None:
        """Remember ``value`` under ``key``."""
        self.user_state.put(key, value)

    @property
    def read_ids(self) -> set[str]:
        """Ids of the articles the user has opened."""
        return self.user_state.read_ids

    def mark_read(self, article_id: str, read: bool = True) -> None:
        """Mark an article read (opened) or unread again."""
        self.user_state.mark_read(article_id, read)

    # -- store --------------------------------------------------------------------------------

    @property
    def store(self) -> AnnotationStore:
        """The annotation store, opened on first use (WorkspaceError with the reason)."""
        from tui.core.annotations.store import StoreError, open_store

        with self._lock:
            if self._store is None:
                try:
                    self._store = open_store(self.settings.db_path)
                except StoreError as exc:
                    raise WorkspaceError(str(exc)) from None
            return self._store

    def counts(self) -> dict[str, int]:
        """Number of claims per article id."""
        return self._call(lambda: self.store.counts_by_article())

    def unsaved(self) -> int:
        """Changes kept in memory because saving them failed (retried with the next save)."""
        return self.store.unsaved

    def all_tags(self) -> list[str]:
        """Every tag in use, for completion."""
        return self._call(lambda: self.store.all_tags())

    def _call(self, action: Any) -> Any:
        """Run a store action, turning its failures into WorkspaceError."""
        from tui.core.annotations.store import StoreError

        try:
            return action()
        except StoreError as exc:
            raise WorkspaceError(str(exc)) from None
        except KeyError as exc:
            raise WorkspaceError(f"no claim {exc.args[0]} (deleted elsewhere?)") from None
        except ValueError as exc:
            raise WorkspaceError(str(exc)) from None

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
        return [r for r in measured if query.matches_state(r)]

    def _article_or_none(self, article_id: str) -> Article | None:
        meta = self.library.find(article_id)
        return self._text_or_none(meta) if meta else None

    # -- extraction and corrections -----------------------------------------------------------

    @property
    def extractor(self) -> Extractor:
        """The extractor with the store's corrections (rebuilt after a correction changes)."""
        from tui.core.extract import Extractor

        with self._lock:
            if self._extractor is None:
                try:
                    corrections = self.store.corrections()
                except WorkspaceError:
                    corrections = []
                self._extractor = Extractor(
                    self.settings.cache_dir, corrections, self.settings.model
                )
            return self._extractor

    def corrections(self) -> list[dict[str, Any]]:
        """The user's corrections (also passed to the NER worker process)."""
        return cast(list[dict[str, Any]], self._call(lambda: self.store.corrections()))

    def add_correction(self, correction: dict[str, Any]) -> dict[str, Any]:
        """Store a correction; every later extraction, in every article, applies it, and the
        claims whose figure it changes record the change (see :meth:`refresh_figures`)."""
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

    def quick_extraction(self, article: Article) -> Extraction:
        """The cached full extraction of the body when there is one, else figures only (fast,
        no model); figures in the article's own context (publication, URL, currency)."""
        from tui.core.extract import article_context

        context = article_context(article)
        cached = self.extractor.cached(article.body, context=context)
        if cached is not None:
            return cached
        return self.extractor.extract(article.body, figures_only=True, context=context)

    def full_extraction(self, article: Article, figures_only: bool = False) -> Extraction:
        """Figures and entities (or figures only) of the body, in the article's context."""
        from tui.core.extract import article_context

        context = article_context(article)
        return self.extractor.extract(article.body, figures_only=figures_only, context=context)

    def extraction_job(self, article: Article) -> tuple[Any, ...]:
        """Arguments for :func:`tui.core.extract.extract_in_process` in a process pool: the same
        extraction as :meth:`full_extraction`, computed in another process."""
        from tui.core.extract import article_context

        try:
            corrections = self.corrections()
        except WorkspaceError:
            corrections = []
        settings = self.settings
        context = article_context(article)
        return (article.body, settings.model, corrections, settings.cache_dir, context)

    def field_figures(self, article: Article) -> dict[str, list[dict[str, Any]]]:
        """Figures of the headline, summary and body, each with its ``field``, the currency
        decided from all three (the headline's "$50B" is HKD when the body says HK$)."""
        from tui.core.extract import figures_for_fields

        return figures_for_fields(self.extractor, article)

    # -- search -------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Article text, headlines and summaries, then claims: quotes, notes, ``#tag`` and
        statuses ("disputed"); hits on claims open where the claim is now."""
        scan = self.library.current()
        try:
            records = self.store.annotations()
        except WorkspaceError:
            records = []
        return search_library(scan.articles, self._text_or_none, records, query, limit)

    def _text_or_none(self, meta: ArticleMeta) -> Article | None:
        try:
            return self.article(meta)
        except WorkspaceError:
            return None

    # -- export -------------------------------------------------------------------------------

    def protected_paths(self) -> tuple[set[Path], set[Path]]:
        """Files an export must never replace (the database; ``write_export`` protects every
        companion named after it: backups, lock, journal, state) and folders it must never write
        into (the article library)."""
        db = self.settings.db_path.expanduser().resolve()
        return {db}, {self.settings.articles_dir.expanduser().resolve()}

    def export_to(
        self,
        path: Path | None,
        fmt: str,
        query: ClaimQuery | None = None,
        *,
        report: ExportReport | None = None,
        **options: Any,
    ) -> ExportResult:
        """Export the claims ``query`` picks (all by default) as ``fmt`` to ``path`` (None: standard
        output), under the one path policy of both front ends (:meth:`protected_paths`);
        ``options`` are the format's :class:`ExportOptions` (``excel=True``…)."""
        from tui.core.annotations.export import render_chunks
        from tui.core.annotations.exports import ExportReport
        from tui.core.fileio import ExportTargetError, write_export

        chosen = self.claims_matching(query or ClaimQuery())
        articles, _ = self.articles({str(r["article_id"]) for r in chosen})
        filled = report if report is not None else ExportReport()
        try:
            chunks = render_chunks(
                fmt, chosen, articles, self.corrections(), report=filled, **options
            )
            if path is None:
                out = sys.stdout.buffer
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                written = None
            else:
                files, folders = self.protected_paths()
                written = write_export(path, chunks, protected_files=files, protected_dirs=folders)
        except ExportTargetError as exc:
            raise WorkspaceError(str(exc)) from None
        except ValueError as exc:
            raise WorkspaceError(str(exc)) from None
        except OSError as exc:
            raise WorkspaceError(
                f"cannot write {path} ({exc.strerror or exc}); choose another path"
            ) from None
        return ExportResult(
            written, len(chosen), fmt, filled.written, filled.noun, tuple(filled.notes)
        )

    def import_annotations(self, file: Path) -> ImportOutcome:
        """Merge a claimdesk json, W3C or JSONL export into the database (by id)."""
        from tui.core.annotations.interchange import ImportFileError, read_annotations

        library, _ = self.articles()
        try:
            parsed = read_annotations(file, library)
        except ImportFileError as exc:
            raise WorkspaceError(str(exc)) from None
        report = self._call(lambda: self.store.merge(parsed.annotations, parsed.corrections))
        with self._lock:
            self._extractor = None
        missing = sorted({str(a.get("article_id", "?")) for a in parsed.annotations} - set(library))
        return ImportOutcome(report, [*parsed.skipped, *report.skipped], missing)

    # -- article management ---------------------------------------------------------------------

    def delete_article(self, article_id: str, delete_claims: bool = False) -> ArticleDeletion:
        """Remove an article from the library (a copy is kept for undo); its claims stay, as
        orphans, unless ``delete_claims``. Pass the result to :meth:`restore_article` to undo."""
        from tui.core.articles.library import ArticleError
        from tui.core.articles.versions import delete_article

        meta = self.resolve(article_id)
        removed: list[dict[str, Any]] = []
        if delete_claims:
            for record in self._call(lambda: self.store.annotations(meta.id)):
                removed.append(self.delete_claim(str(record["id"])))
        try:
            kept = delete_article(self.settings.articles_dir, meta.id)
        except (ArticleError, OSError) as exc:
            for record in removed:
                self.restore_claim(record)
            raise WorkspaceError(f"cannot delete {meta.id}: {exc}") from None
        self.load_library()
        return ArticleDeletion(meta, kept, removed)

    def restore_article(self, deletion: ArticleDeletion) -> ArticleMeta:
        """Undo :meth:`delete_article`: the article comes back, and so do its deleted claims."""
        from tui.core.articles.library import ArticleError
        from tui.core.articles.versions import restore_article

        try:
            meta = restore_article(self.settings.articles_dir, deletion.meta.id)
        except (ArticleError, OSError) as exc:
            raise WorkspaceError(f"cannot restore {deletion.meta.id}: {exc}") from None
        for record in deletion.claims:
            self.restore_claim(record)
        self.load_library()
        return meta

    def claim_tags_by_article(self) -> dict[str, set[str]]:
        """Each article's claim tags, case-folded (for filtering the library by tag)."""
        tags: dict[str, set[str]] = {}
        for record in self._call(lambda: self.store.annotations()):
            folded = {str(t).casefold() for t in record.get("tags", [])}
            tags.setdefault(str(record["article_id"]), set()).update(folded)
        return tags

    def close(self) -> None:
        """Finish: let the store compact its journal when it has one (clean exit)."""
        store = self._store
        closer = getattr(store, "close", None)
        if callable(closer):
            try:
                closer()
            except Exception as exc:
                raise WorkspaceError(
                    f"{self.settings.db_path}: could not compact ({exc})"
                ) from None
