"""What leaves or enters the workspace as files: exports under the one path policy,
``import-annotations``, and deleting or restoring an article."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.claims import ClaimQuery
from tui.core.library_view import WorkspaceError
from tui.core.workspace.claim_actions import ClaimActions

if TYPE_CHECKING:
    from tui.core.annotations.exports import ExportReport
    from tui.core.annotations.records import MergeReport
    from tui.core.articles.library import ArticleMeta


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


class ExchangeActions(ClaimActions):
    """Exports, imports of annotations, and article management."""

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

        chosen, articles = self.claims_and_articles(query or ClaimQuery())
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
        return self.claim_tags()
