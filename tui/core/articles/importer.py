"""Importing articles: clean pasted, saved or fetched text and write it into the library.

The pipeline for one file or web address: read it into paragraphs
(:mod:`tui.core.articles.readers`, fetching with :mod:`tui.core.articles.web`), clean them
(:mod:`tui.core.articles.cleaning`: boilerplate cut, header moved to the front matter), then
write the canonical body into the library.

Metadata precedence: the command's options (``--title``, ``--source``, ``--url``,
``--currency``), then the file's or page's own (Markdown front matter, HTML metadata), then what
the text shows (headline line, byline, date line, a footer naming the publication). With no
headline line the title is derived from the first sentence.

The same text imported again adds nothing. A changed text for an article already in the
library — the same web address, or the same title with mostly the same text (a corrected
file) — replaces that article in place, its previous file kept in ``.versions/``; claims
re-anchor on their own (anchors compare the body's sha256). A new article never replaces a file
already in the library: its id gets a ``-2`` suffix instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz

from tui.core.articles.boilerplate import Removal
from tui.core.articles.cleaning import CleanedText, clean_paragraphs
from tui.core.articles.header import article_slug, derive_title
from tui.core.articles.importlock import ImportLockError, library_lock, sweep_temporary_files
from tui.core.articles.library import (
    CURRENCY_CODE,
    ArticleError,
    ArticleMeta,
    read_article,
    render_article,
    scan_library,
    utc_now,
)
from tui.core.articles.library import (
    write_article as write_article,
)
from tui.core.articles.readers import ImportFailure, SourceText, html_source, read_source
from tui.core.articles.versions import keep_version
from tui.core.articles.web import FetchOptions, WebError, fetch, is_url
from tui.core.fileio import atomic_write
from tui.core.text import canonicalize, sha256_text

__all__ = [
    "CleanedText",
    "ImportFailure",
    "ImportLockError",
    "ImportOptions",
    "ImportResult",
    "clean_paragraphs",
    "import_paths",
    "import_sources",
]

SIMILAR_TEXT = 60.0
"""rapidfuzz ratio above which two texts with the same title are one article corrected."""
_COMPARED_CHARS = 20_000
"""Characters of each body compared for that (enough to tell, and the comparison stays fast)."""


@dataclass(frozen=True)
class ImportOptions:
    """What the user said about the articles being imported."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    """The web address of a file being imported (``--url``)."""
    currency: str | None = None
    """What a bare ``$`` means in the article (``--currency AUD``)."""
    fetch: FetchOptions | None = None
    """Limits for fetching web addresses; None reads them from the environment."""


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file or web address."""

    origin: str
    """The file or address as given."""
    status: Literal["imported", "updated", "duplicate", "failed"]
    message: str
    """One line for the user."""
    meta: ArticleMeta | None = None
    removed: tuple[Removal, ...] = ()
    kept_version: Path | None = None
    """For ``updated``: where the replaced text was kept."""


def _one_line(value: str | None) -> str | None:
    if value is None:
        return None
    text = canonicalize(value).replace("\n", " ")
    return text or None


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … for the first one not in ``taken``."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def import_paths(
    paths: Iterable[Path | str],
    articles_dir: Path,
    *,
    title: str | None = None,
    source: str | None = None,
    cache_dir: Path | None = None,
) -> list[ImportResult]:
    """Import files (or web addresses) with only ``--title``/``--source``: see import_sources."""
    return import_sources(
        paths, articles_dir, ImportOptions(title=title, source=source), cache_dir=cache_dir
    )


def import_sources(
    sources: Iterable[Path | str],
    articles_dir: Path,
    options: ImportOptions | None = None,
    *,
    cache_dir: Path | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import each file or ``http(s)://`` address into ``articles_dir``; one failing never
    stops the others.

    Runs under the library's import lock (``on_wait`` hears once if it must wait; raises
    ImportLockError when it cannot be had). ``on_result`` hears each result as it comes.
    """
    options = options or ImportOptions()
    if options.currency is not None and not CURRENCY_CODE.fullmatch(options.currency.upper()):
        raise ImportFailure(
            f"currency {options.currency!r} is not a three-letter ISO code (e.g. AUD, HKD)"
        )
    with library_lock(articles_dir, on_wait=on_wait):
        sweep_temporary_files(articles_dir)
        library = _Library(articles_dir, cache_dir)
        results: list[ImportResult] = []
        for item in sources:
            origin = str(item)
            try:
                result = library.add(origin, _read(item, options), options)
            except (ImportFailure, WebError) as exc:
                result = ImportResult(origin, "failed", str(exc).removeprefix(f"{origin}: "))
            results.append(result)
            if on_result is not None:
                on_result(result)
        return results


def _read(item: Path | str, options: ImportOptions) -> SourceText:
    """The paragraphs and metadata of one file or web page."""
    if isinstance(item, str) and is_url(item):
        response = fetch(item, kind="page", options=options.fetch)
        text = html_source(response.body, response.charset)
        text.hints["url"] = response.url
        if response.url != item:
            text.hints["original_url"] = item
        return text
    text = read_source(Path(item))
    if options.url:
        text.hints["url"] = options.url
    return text


class _Library:
    """The library as one import sees it: what is there by text, address, title and id."""

    def __init__(self, directory: Path, cache_dir: Path | None) -> None:
        self.directory = directory
        scan = scan_library(directory, cache_dir)
        self.by_sha = {meta.sha256: meta.id for meta in scan.articles}
        self.by_url: dict[str, ArticleMeta] = {}
        self.by_title: dict[str, list[ArticleMeta]] = {}
        for meta in scan.articles:
            self._index(meta)
        self.taken = {meta.id for meta in scan.articles}
        if directory.is_dir():
            self.taken.update(p.stem for p in directory.glob("*.md"))

    def _index(self, meta: ArticleMeta) -> None:
        for address in (meta.url, meta.original_url):
            if address:
                self.by_url[address] = meta
        self.by_title.setdefault(meta.title.casefold(), []).append(meta)

    def add(self, origin: str, text: SourceText, options: ImportOptions) -> ImportResult:
        """Clean ``text`` and store it: new, updated in place, or already here."""
        hints = {name: _one_line(value) for name, value in text.hints.items()}
        title = _one_line(options.title)
        cleaned = clean_paragraphs(
            text.paragraphs,
            title or hints.get("title"),
            find_title="title" not in hints,
            known_source=hints.get("source"),
            known_author=hints.get("author"),
        )
        removed = tuple(cleaned.removed)
        body = canonicalize("\n".join(cleaned.paragraphs))
        if not body:
            cut = len(removed)
            return ImportResult(
                origin,
                "failed",
                f"nothing left after removing boilerplate ({cut} "
                f"paragraph{'' if cut == 1 else 's'} cut); "
                "check that it holds the article text (--show-removed lists the cuts)",
                removed=removed,
            )
        sha = sha256_text(body)
        if sha in self.by_sha:
            message = f"already in the library as {self.by_sha[sha]}"
            return ImportResult(origin, "duplicate", message, removed=removed)
        final_title = (
            title or hints.get("title") or _one_line(cleaned.title) or _one_line(derive_title(body))
        ) or "article"
        meta = ArticleMeta(
            id="",
            title=final_title,
            path=self.directory,
            source=_one_line(options.source) or hints.get("source") or _one_line(cleaned.source),
            author=hints.get("author") or _one_line(cleaned.author),
            published=hints.get("published") or cleaned.published,
            updated=hints.get("updated"),
            url=hints.get("url"),
            original_url=hints.get("original_url"),
            currency=options.currency.upper() if options.currency else None,
            summary=" ".join(r.text for r in removed if r.rule == "dek") or None,
            imported_at=utc_now(),
            sha256=sha,
            words=len(body.split()),
        )
        existing = self._same_article(meta, body)
        try:
            if existing is not None:
                return self._replace(origin, existing, meta, body, removed)
            return self._create(origin, meta, body, removed)
        except OSError as exc:
            raise ImportFailure(
                f"cannot write to {self.directory} ({exc.strerror}); "
                "check that the folder is writable"
            ) from None

    def _same_article(self, meta: ArticleMeta, body: str) -> ArticleMeta | None:
        """The library's article this text is a new version of, if any."""
        for address in (meta.url, meta.original_url):
            if address and address in self.by_url:
                return self.by_url[address]
        for candidate in self.by_title.get(meta.title.casefold(), []):
            if candidate.url and meta.url and candidate.url != meta.url:
                continue  # two pages that share a headline are two articles
            try:
                old_body = read_article(candidate.path).body
            except ArticleError:
                continue
            old, new = old_body[:_COMPARED_CHARS], body[:_COMPARED_CHARS]
            if fuzz.ratio(old, new) >= SIMILAR_TEXT:
                return candidate
        return None

    def _replace(
        self,
        origin: str,
        existing: ArticleMeta,
        meta: ArticleMeta,
        body: str,
        removed: tuple[Removal, ...],
    ) -> ImportResult:
        kept = keep_version(self.directory, existing)
        merged = replace(
            meta,
            id=existing.id,
            path=existing.path,
            source=meta.source or existing.source,
            author=meta.author or existing.author,
            published=meta.published or existing.published,
            url=meta.url or existing.url,
            original_url=meta.original_url or existing.original_url,
            currency=meta.currency or existing.currency,
            summary=meta.summary or existing.summary,
        )
        atomic_write(existing.path, render_article(merged, body).encode("utf-8"))
        self.by_sha.pop(existing.sha256, None)
        self.by_sha[merged.sha256] = merged.id
        self._index(merged)
        message = f"updated {merged.id} in place (previous text kept in {kept})"
        return ImportResult(origin, "updated", message, merged, removed, kept)

    def _create(
        self, origin: str, meta: ArticleMeta, body: str, removed: tuple[Removal, ...]
    ) -> ImportResult:
        base = article_slug(meta.title)
        while True:
            article_id = unique_id(base, self.taken)
            self.taken.add(article_id)
            stored = replace(meta, id=article_id, path=self.directory / f"{article_id}.md")
            try:
                written = write_article(self.directory, stored, body, create=True)
            except FileExistsError:
                continue  # another writer took this id meanwhile: never replace its file
            break
        self.by_sha[stored.sha256] = article_id
        self._index(stored)
        return ImportResult(
            origin, "imported", f"imported as {article_id} ({written})", stored, removed
        )
