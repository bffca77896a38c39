"""Importing articles: clean pasted or scraped text and write it into the library.

The pipeline for one file: read it into paragraphs (:mod:`tui.core.articles.readers`), mark the
boilerplate (:mod:`tui.core.articles.boilerplate`), recognise the header — headline, byline, date, a
repeated headline and the dek between them — and move it to the front matter, then write the
canonical body with :func:`tui.core.articles.write_article`.

Metadata precedence: the command's ``--title``/``--source``, then the file's own (Markdown front
matter, HTML metadata), then what the text shows (headline line, byline, date line, a footer
naming the publication). With no headline line the title is derived from the first sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout
from rapidfuzz import fuzz

from tui.core.articles.boilerplate import (
    Removal,
    is_headline_like,
    mark_link_lists,
    mark_promo_tail,
    mark_sentence_rules,
)
from tui.core.articles.header import (
    BYLINE,
    CREDITED_WRITER,
    DATELINE,
    article_slug,
    derive_title,
    detect_source,
    looks_like_title,
    parse_date,
)
from tui.core.articles.library import ArticleMeta, scan_library, utc_now, write_article
from tui.core.articles.readers import ImportFailure, read_source
from tui.core.text import canonicalize, sha256_text

HEADER_SPAN = 6
"""How many paragraphs after the headline may hold the byline, date and dek."""


@dataclass(frozen=True)
class CleanedText:
    """The article paragraphs left after cleaning, what was cut, and what the text showed."""

    paragraphs: list[str]
    removed: list[Removal]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None


def _same_text(a: str, b: str) -> bool:
    """Equal up to case, spacing and a few edits (a headline repeated with a changed word)."""
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return a == b or (min(len(a), len(b)) >= 20 and fuzz.ratio(a, b) >= 92)


def clean_paragraphs(
    paragraphs: list[str], known_title: str | None = None, *, find_title: bool = True
) -> CleanedText:
    """Apply every rule to ``paragraphs`` and return what remains and what was cut.

    ``known_title`` is cut where the text repeats it; with ``find_title`` a first line that
    reads as a headline is cut as the title too (off when the file's own metadata names it).
    """
    removed: dict[int, str] = {}
    mark_sentence_rules(paragraphs, removed)
    mark_link_lists(paragraphs, removed)
    title, author, published = _mark_header(paragraphs, removed, known_title, find_title)
    headline = known_title or title
    seen: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        if index in removed:
            continue
        key = " ".join(paragraph.casefold().split())
        if headline and is_headline_like(paragraph) and _same_text(paragraph, headline):
            removed[index] = "repeated-headline"
        elif key in seen:
            removed[index] = "repeated-paragraph"
        seen.add(key)
    mark_promo_tail(paragraphs, removed)
    cuts = [Removal(i, paragraphs[i], removed[i]) for i in sorted(removed)]
    if author is None:
        author = next((m.group(1) for cut in cuts if (m := CREDITED_WRITER.match(cut.text))), None)
    kept = [p for i, p in enumerate(paragraphs) if i not in removed]
    return CleanedText(kept, cuts, title, author, published, detect_source(cuts))


def _mark_header(
    paragraphs: list[str], removed: dict[int, str], known_title: str | None, find_title: bool
) -> tuple[str | None, str | None, str | None]:
    """Mark the headline, byline, date line, repeated headline and dek at the top.

    Paragraphs between the headline and a later byline, date line or repeated headline are the
    dek (a summary restating the article); without one of those markers nothing is a dek.
    """
    kept = [i for i in range(len(paragraphs)) if i not in removed]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    position = 0
    if kept:
        first = paragraphs[kept[0]]
        if known_title and _same_text(first, known_title):
            removed[kept[0]] = "repeated-headline"
            title, position = known_title, 1
        elif find_title and looks_like_title(first):
            removed[kept[0]] = "title"
            title, position = first, 1
    pending: list[int] = []
    for index in kept[position : position + HEADER_SPAN]:
        text = paragraphs[index]
        byline = BYLINE.fullmatch(text)
        if byline and author is None:
            removed[index] = "byline"
            author = byline.group("name")
            published = published or parse_date(text)
        elif DATELINE.fullmatch(text) and published is None:
            removed[index] = "dateline"
            published = parse_date(text)
        elif (title or known_title) and _same_text(text, title or known_title or ""):
            removed[index] = "repeated-headline"
        else:
            pending.append(index)
            continue
        if title and len(pending) <= 2 and all(len(paragraphs[i].split()) <= 100 for i in pending):
            for dek in pending:
                removed[dek] = "dek"
        pending = []
    return title, author, published


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file."""

    path: Path
    status: Literal["imported", "duplicate", "failed"]
    message: str
    """One line for the user."""
    meta: ArticleMeta | None = None
    removed: tuple[Removal, ...] = ()


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
    paths: Iterable[Path],
    articles_dir: Path,
    *,
    title: str | None = None,
    source: str | None = None,
    cache_dir: Path | None = None,
) -> list[ImportResult]:
    """Import each file into ``articles_dir``; a failing file never stops the others.

    With ``cache_dir`` a lock there keeps two imports from giving two articles the same id.
    """
    with _import_lock(cache_dir):
        return _import_all(list(paths), articles_dir, title, source, cache_dir)


@contextmanager
def _import_lock(cache_dir: Path | None) -> Iterator[None]:
    """Hold the import lock in ``cache_dir``; go on without it where it cannot be made."""
    lock: FileLock | None = None
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            lock = FileLock(cache_dir / "import.lock")
            lock.acquire(timeout=30)
        except (OSError, Timeout):
            lock = None  # an unwritable cache folder only loses the guard against races
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


def _import_all(
    paths: list[Path],
    articles_dir: Path,
    title: str | None,
    source: str | None,
    cache_dir: Path | None,
) -> list[ImportResult]:
    scan = scan_library(articles_dir, cache_dir)
    by_sha = {meta.sha256: meta.id for meta in scan.articles}
    taken = {meta.id for meta in scan.articles}
    if articles_dir.is_dir():
        taken.update(p.stem for p in articles_dir.glob("*.md"))
    results: list[ImportResult] = []
    for path in paths:
        try:
            result = _import_one(path, articles_dir, title, source, by_sha, taken)
        except ImportFailure as exc:
            result = ImportResult(path, "failed", str(exc))
        results.append(result)
    return results


def _import_one(
    path: Path,
    articles_dir: Path,
    title: str | None,
    source: str | None,
    by_sha: dict[str, str],
    taken: set[str],
) -> ImportResult:
    text = read_source(path)
    hints = {name: _one_line(value) for name, value in text.hints.items()}
    title = _one_line(title)
    cleaned = clean_paragraphs(
        text.paragraphs, title or hints.get("title"), find_title="title" not in hints
    )
    removed = tuple(cleaned.removed)
    body = canonicalize("\n".join(cleaned.paragraphs))
    if not body:
        return ImportResult(
            path,
            "failed",
            f"nothing left after removing boilerplate ({len(removed)} "
            f"paragraph{'' if len(removed) == 1 else 's'} cut); "
            "check that it holds the article text (--show-removed lists the cuts)",
            removed=removed,
        )
    sha = sha256_text(body)
    if sha in by_sha:
        return ImportResult(
            path, "duplicate", f"already in the library as {by_sha[sha]}", removed=removed
        )
    final_title = (
        title or hints.get("title") or _one_line(cleaned.title) or _one_line(derive_title(body))
    )
    article_id = unique_id(article_slug(final_title or "article"), taken)
    meta = ArticleMeta(
        id=article_id,
        title=final_title or article_id,
        path=articles_dir / f"{article_id}.md",
        source=_one_line(source) or hints.get("source") or _one_line(cleaned.source),
        author=hints.get("author") or _one_line(cleaned.author),
        published=hints.get("published") or cleaned.published,
        url=hints.get("url"),
        summary=" ".join(r.text for r in removed if r.rule == "dek") or None,
        imported_at=utc_now(),
        sha256=sha,
        words=len(body.split()),
    )
    try:
        written = write_article(articles_dir, meta, body)
    except OSError as exc:
        raise ImportFailure(
            f"cannot write to {articles_dir} ({exc.strerror}); check that the folder is writable"
        ) from None
    by_sha[sha] = article_id
    taken.add(article_id)
    return ImportResult(path, "imported", f"imported as {article_id} ({written})", meta, removed)
