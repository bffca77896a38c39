"""The reader's data side: library, article bodies, extraction, annotations, search and export.

No Textual here: the app calls these from handlers and workers, and tests can call them directly.
Heavy modules (the store, extraction) are imported on first use so the first screen is fast.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui.core.config import Settings

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.core.articles.library import Article, ArticleMeta, LibraryScan
    from tui.core.extract import Extraction, Extractor

READ_STATE_FILE = "read-articles.json"
STATUSES = ("unverified", "supported", "disputed", "false", "needs-source")
"""Verdicts a claim can carry, in the order the tag dialog offers them."""


@dataclass(frozen=True)
class Claim:
    """An annotation as the reader shows it: where it sits in the current body now."""

    record: dict[str, Any]
    state: str
    """anchored | drifted | orphan"""
    start: int
    end: int

    @property
    def id(self) -> str:
        """The annotation id."""
        return str(self.record["id"])


@dataclass(frozen=True)
class SearchHit:
    """One global-search result: an article and the range to select when it opens."""

    article_id: str
    title: str
    where: str
    """What matched: text, title, quote, tag or note."""
    snippet: str
    start: int
    end: int
    annotation_id: str | None = None
    """For quote, tag and note hits: the claim, selected where it is now when opened."""


@dataclass
class Session:
    """Everything the reader reads or writes, reached through one object."""

    settings: Settings
    _scan: LibraryScan | None = None
    read_ids: set[str] = field(default_factory=set)
    _bodies: OrderedDict[str, tuple[ArticleMeta, Article]] = field(default_factory=OrderedDict)
    """Recently read articles by id, with the listing they were read for."""
    _store: AnnotationStore | None = None
    _extractor: Extractor | None = None

    # -- library -------------------------------------------------------------------------

    @property
    def scan(self) -> LibraryScan:
        """The last library scan (empty until :meth:`load_library` ran)."""
        if self._scan is None:
            from tui.core.articles.library import LibraryScan

            self._scan = LibraryScan()
        return self._scan

    def load_library(self) -> LibraryScan:
        """Scan the library folder (metadata only) and the read marks."""
        from tui.core.articles.library import scan_library

        self._scan = scan_library(self.settings.articles_dir, self.settings.cache_dir)
        self.read_ids = self._load_read_ids()
        return self.scan

    def article(self, meta: ArticleMeta) -> Article:
        """The article's body (a small LRU keeps recent ones); ArticleError if it went bad.

        A file changed since the cached read shows up as a new listing (its sha256 and size
        differ after :meth:`load_library`), so it is read again.
        """
        cached = self._bodies.get(meta.id)
        if cached is not None and cached[0] == meta:
            self._bodies.move_to_end(meta.id)
            return cached[1]
        from tui.core.articles.library import load_article

        article = load_article(meta)
        self._bodies[meta.id] = (meta, article)
        while len(self._bodies) > 32:
            self._bodies.popitem(last=False)
        return article

    def mark_read(self, article_id: str) -> None:
        """Remember that this article was opened (best effort: the mark is only a convenience)."""
        if article_id in self.read_ids:
            return
        self.read_ids.add(article_id)
        path = self.settings.cache_dir / READ_STATE_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(orjson.dumps(sorted(self.read_ids)))
            os.replace(tmp, path)
        except OSError:
            pass

    def _load_read_ids(self) -> set[str]:
        try:
            data = orjson.loads((self.settings.cache_dir / READ_STATE_FILE).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return set()
        return {str(x) for x in data} if isinstance(data, list) else set()

    # -- store -----------------------------------------------------------------------------

    @property
    def store(self) -> AnnotationStore:
        """The annotation store, opened on first use; raises StoreError with a one-line reason."""
        if self._store is None:
            from tui.core.annotations.store import open_store

            self._store = open_store(self.settings.db_path)
        return self._store

    def counts(self) -> dict[str, int]:
        """Number of annotations per article id."""
        return self.store.counts_by_article()

    def claims(self, article: Article) -> list[Claim]:
        """This article's annotations, re-anchored onto the current body when it changed."""
        claims = []
        for record in self.store.annotations(article.id):
            start, end = int(record.get("start", 0)), int(record.get("end", 0))
            state = "anchored"
            quote = str(record.get("quote", ""))
            if record.get("sha256") != article.sha256 or article.body[start:end] != quote:
                from tui.core.annotations.anchors import reanchor

                anchor = reanchor(record, article.body, body_sha256=article.sha256)
                state = anchor.state
                start = anchor.start if anchor.start is not None else 0
                end = anchor.end if anchor.end is not None else 0
            claims.append(Claim(record, state, start, end))
        claims.sort(key=lambda c: (c.state == "orphan", c.start))
        return claims

    def add_claim(self, article: Article, start: int, end: int, **fields: Any) -> dict[str, Any]:
        """Save a new claim durably and return its record."""
        return self.store.add(article, start, end, author=self.settings.author, **fields)

    def all_tags(self) -> list[str]:
        """Every tag in use, for completion."""
        return self.store.all_tags()

    # -- extraction ---------------------------------------------------------------------------

    @property
    def extractor(self) -> Extractor:
        """The extractor with the store's corrections (rebuilt after a correction)."""
        if self._extractor is None:
            from tui.core.extract import Extractor

            try:
                corrections = self.store.corrections()
            except Exception:
                corrections = []
            self._extractor = Extractor(self.settings.cache_dir, corrections, self.settings.model)
        return self._extractor

    def corrections(self) -> list[dict[str, Any]]:
        """The user's corrections, passed to the NER worker process."""
        return self.store.corrections()

    def quick_extraction(self, article: Article) -> Extraction:
        """Cached full extraction when available, else figures only (fast, no NLP)."""
        cached = self.extractor.cached(article.body)
        if cached is not None:
            return cached
        return self.extractor.extract(article.body, figures_only=True)

    def add_correction(self, correction: dict[str, Any]) -> dict[str, Any]:
        """Store a correction; later extractions (all articles) apply it."""
        saved = self.store.add_correction(correction)
        self._extractor = None
        return saved

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Case-insensitive search of article text and titles, then claim quotes, tags and notes."""
        from tui.core.articles.library import ArticleError

        needle = query.strip()
        if not needle:
            return []
        pattern = re.compile(re.escape(needle), re.IGNORECASE)
        hits: list[SearchHit] = []
        metas = {m.id: m for m in self.scan.articles}
        for meta in self.scan.articles:
            try:
                body = self.article(meta).body
            except ArticleError:
                body = ""
            for match in pattern.finditer(body):
                snippet = _snippet(body, match.start(), match.end())
                hits.append(
                    SearchHit(meta.id, meta.title, "text", snippet, match.start(), match.end())
                )
                if len(hits) >= limit:
                    return hits
            if pattern.search(meta.title):
                hits.append(SearchHit(meta.id, meta.title, "title", meta.title, 0, 0))
        try:
            records = self.store.annotations()
        except Exception:
            records = []
        for record in records:
            owner = metas.get(str(record.get("article_id")))
            if owner is None:
                continue
            for where, value in (
                ("quote", record.get("quote", "")),
                ("tag", ", ".join(record.get("tags", []))),
                ("note", record.get("note", "")),
            ):
                if value and pattern.search(str(value)):
                    start, end = int(record.get("start", 0)), int(record.get("end", 0))
                    hits.append(
                        SearchHit(
                            owner.id,
                            owner.title,
                            where,
                            str(value)[:120],
                            start,
                            end,
                            str(record.get("id")),
                        )
                    )
                    break
        return hits[:limit]

    # -- export -----------------------------------------------------------------------------

    def export(self, fmt: str, path: Path, article_id: str | None = None) -> tuple[Path, int]:
        """Write the annotations as ``fmt`` to ``path`` atomically: the path and how many.

        OSError or ValueError (with what to do) when it cannot.
        """
        from tui.core.annotations.anchors import current_states
        from tui.core.annotations.export import render
        from tui.core.articles.library import ArticleError

        records = self.store.annotations(article_id)
        articles: dict[str, Article] = {}
        for aid in sorted({str(r["article_id"]) for r in records}):
            meta = self.scan.by_id(aid)
            if meta is None:
                continue
            try:
                articles[aid] = self.article(meta)
            except ArticleError:
                continue
        bodies: dict[str, str | None] = {aid: a.body for aid, a in articles.items()}
        text = render(fmt, current_states(records, bodies), articles, self.store.corrections())
        path = path.expanduser().resolve()
        self._refuse_own_files(path)
        if not path.parent.is_dir():
            raise OSError(f"folder {path.parent} does not exist; create it or choose another path")
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OSError(f"cannot write {path} ({exc.strerror}); choose another path") from None
        return path, len(records)

    def _refuse_own_files(self, path: Path) -> None:
        """Stop an export from replacing the database, its backup or lock, or an article."""
        db = self.settings.db_path.expanduser().resolve()
        protected = {db, db.with_name(db.name + ".bak"), db.with_name(db.name + ".lock")}
        if path in protected:
            raise OSError(
                f"{path} is the annotation database or one of its files; choose another path"
            )
        library = self.settings.articles_dir.expanduser().resolve()
        if path.is_relative_to(library):
            raise OSError(
                f"{path} is inside the article library {library}; choose a path outside it"
            )


def _snippet(body: str, start: int, end: int, width: int = 40) -> str:
    """The match with some context, on one line."""
    left = body[max(0, start - width) : start].split("\n")[-1]
    right = body[end : end + width].split("\n")[0]
    return f"{'…' if start - len(left) > 0 else ''}{left}{body[start:end]}{right}…"
