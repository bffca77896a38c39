"""Earlier versions of articles: kept when an import replaces an article or one is deleted.

They live in ``<library>/.versions/`` (hidden, so the library scan never lists them), one file
per kept version, byte for byte as it was:

* ``<id>.<sha12>.md`` — the text an import replaced (its body's sha256, first 12 digits);
* ``<id>.deleted.<UTC stamp>.md`` — an article deleted with :func:`delete_article`, which
  :func:`restore_article` puts back (the newest one for that id).

Claims are never touched here: they re-anchor to whatever text the article has (their anchors
compare the body's sha256), and a deleted article's claims stay in the store as orphans.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from tui.core.articles.library import (
    ArticleError,
    ArticleMeta,
    create_exclusive,
    read_article,
    scan_library,
)
from tui.core.fileio import atomic_write, fsync_dir

VERSIONS_DIR = ".versions"
"""Folder inside the library that holds the kept versions."""


def versions_dir(library_dir: Path) -> Path:
    """Where ``library_dir`` keeps earlier versions of its articles."""
    return library_dir / VERSIONS_DIR


def keep_version(library_dir: Path, meta: ArticleMeta) -> Path:
    """Copy the article file behind ``meta`` into the versions folder; return the copy's path.

    The same text kept twice is one file (the name holds its sha256).
    """
    folder = versions_dir(library_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{meta.id}.{meta.sha256[:12] or 'unknown'}.md"
    if not target.exists():
        atomic_write(target, meta.path.read_bytes())
    return target


def article_versions(library_dir: Path, article_id: str) -> list[Path]:
    """Every kept version of ``article_id``, oldest first (by modification time)."""
    folder = versions_dir(library_dir)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{article_id}.*.md") if _version_of(p) == article_id]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _version_of(path: Path) -> str:
    """The article id a versions-folder file name belongs to."""
    name = path.name.removesuffix(".md")
    if ".deleted." in name:
        return name.split(".deleted.", 1)[0]
    return name.rsplit(".", 1)[0]


def _find(library_dir: Path, article_id: str) -> ArticleMeta:
    """The article with this id: its own ``<id>.md`` first, else any file that declares it."""
    named = library_dir / f"{article_id}.md"
    try:
        meta: ArticleMeta | None = read_article(named).meta
    except ArticleError:
        meta = None
    if meta is None or meta.id != article_id:
        meta = scan_library(library_dir).by_id(article_id)
    if meta is None:
        raise ArticleError(f"no article '{article_id}' in {library_dir}; check the id")
    return meta


def delete_article(library_dir: Path, article_id: str) -> Path:
    """Remove the article's file from the library, keeping a copy for :func:`restore_article`.

    Returns the kept copy. Raise ArticleError when there is no such article.
    """
    meta = _find(library_dir, article_id)
    folder = versions_dir(library_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = folder / f"{meta.id}.deleted.{stamp}.md"
    try:
        atomic_write(kept, meta.path.read_bytes())
        os.unlink(meta.path)
    except OSError as exc:
        raise ArticleError(
            f"cannot delete {meta.path} ({exc.strerror}); check that the library is writable"
        ) from None
    fsync_dir(library_dir)
    return kept


def restore_article(library_dir: Path, article_id: str) -> ArticleMeta:
    """Put the most recently deleted copy of ``article_id`` back into the library.

    Raise ArticleError when nothing was deleted under that id, or when the library already
    holds an article with that id (it is never replaced).
    """
    deleted = [p for p in article_versions(library_dir, article_id) if ".deleted." in p.name]
    if not deleted:
        raise ArticleError(f"no deleted article '{article_id}' to restore")
    newest = max(deleted, key=lambda p: p.name)
    target = library_dir / f"{article_id}.md"
    try:
        try:
            os.link(newest, target)  # fails rather than replace an article written meanwhile
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            create_exclusive(target, newest.read_bytes())
        os.unlink(newest)
    except FileExistsError:
        raise ArticleError(
            f"{target} exists; the library already has '{article_id}' (rename one first)"
        ) from None
    except OSError as exc:
        raise ArticleError(f"cannot restore {target} ({exc.strerror})") from None
    fsync_dir(library_dir)
    return read_article(target).meta
