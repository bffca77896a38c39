"""The workspace's foundation: settings, the library, the user's state, the store and the
extractor, each opened on first use, plus search. :mod:`.claim_actions` adds the claim API on
top of it, and :mod:`.exchange` import, export and article management on top of that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui.core.config import Settings
from tui.core.library_view import LibraryView, WorkspaceError
from tui.core.search import SearchHit, search_library
from tui.core.user_state import STATE_FILE_SUFFIX, UserState

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.core.articles.library import Article, ArticleMeta, LibraryScan
    from tui.core.extract import Extraction, Extractor


@dataclass
class WorkspaceBase:
    """What every part of the workspace shares."""

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
        """Number of claims per article id (from the database's summary while the database
        itself has not been read: the library lists without parsing every claim)."""
        summary = self._summary_on_disk()
        if summary is not None:
            return {article: entry["count"] for article, entry in summary.items()}
        return cast(dict[str, int], self._call(lambda: self.store.counts_by_article()))

    def claim_tags(self) -> dict[str, set[str]]:
        """Each article's claim tags, case-folded (for filtering the library by tag); from the
        summary like :meth:`counts`."""
        summary = self._summary_on_disk()
        if summary is not None:
            tagged = {article: entry["tags"] for article, entry in summary.items()}
        else:
            tagged = cast(dict[str, Any], self._call(lambda: self.store.tags_by_article()))
        return _casefolded_tags(tagged)

    def summary_counts(self) -> tuple[dict[str, int], dict[str, set[str]]] | None:
        """:meth:`counts` and :meth:`claim_tags` when the summary on disk has them, else None
        (they would need the database read: a listing on the UI loop must not wait for it)."""
        summary = self._summary_on_disk()
        if summary is None:
            return None
        counts = {article: entry["count"] for article, entry in summary.items()}
        return counts, _casefolded_tags({a: entry["tags"] for a, entry in summary.items()})

    def _summary_on_disk(self) -> dict[str, dict[str, Any]] | None:
        """The fresh summary beside the database, while this workspace has not opened the
        store (an open store knows better: it may hold changes that failed to save)."""
        if self._store is not None:
            return None
        from tui.core.annotations.summary import read_summary

        return read_summary(self.settings.db_path)

    def unsaved(self) -> int:
        """Changes kept in memory because saving them failed (retried with the next save)."""
        return self.store.unsaved

    def all_tags(self) -> list[str]:
        """Every tag in use, for completion."""
        return cast(list[str], self._call(lambda: self.store.all_tags()))

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

    def quick_extraction(self, article: Article) -> Extraction:
        """The cached full extraction of the body when there is one, else figures only (fast,
        no model); figures in the article's own context (publication, URL, currency)."""
        from tui.core.extract import article_context

        context = article_context(article, self.settings.currency)
        cached = self.extractor.cached(article.body, context=context)
        if cached is not None:
            return cached
        return self.extractor.extract(article.body, figures_only=True, context=context)

    def full_extraction(self, article: Article, figures_only: bool = False) -> Extraction:
        """Figures and entities (or figures only) of the body, in the article's context."""
        from tui.core.extract import article_context

        context = article_context(article, self.settings.currency)
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
        context = article_context(article, self.settings.currency)
        return (article.body, settings.model, corrections, settings.cache_dir, context)

    def field_figures(self, article: Article) -> dict[str, list[dict[str, Any]]]:
        """Figures of the headline, summary and body, each with its ``field``, the currency
        decided from all three (the headline's "$50B" is HKD when the body says HK$)."""
        from tui.core.extract import figures_for_fields

        return figures_for_fields(self.extractor, article, default=self.settings.currency)

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


def _casefolded_tags(tagged: dict[str, Any]) -> dict[str, set[str]]:
    """Per article, its claim tags case-folded (articles without tags left out)."""
    return {
        article: {str(tag).casefold() for tag in tags} for article, tags in tagged.items() if tags
    }
