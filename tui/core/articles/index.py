"""The library index: the metadata of unchanged article files, so a library of thousands of
articles lists without parsing each file.

One index file per library folder lives in the cache folder (``library-index-v4-<digest of the
folder>.json``), so two libraries sharing a cache never throw each other's index away. A file's
record is used only when its signature (inode, size, modification time) is unchanged and the
record has exactly :class:`~tui.core.articles.library.ArticleMeta`'s fields with values of the
right kind; otherwise the file is parsed again. The index is rewritten (atomically) only when a
file was added, changed or removed, and any failure to read or write it is ignored: it is only a
speed-up.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import orjson

from tui.core.articles.library import (
    ARTICLE_SUFFIXES,
    ArticleError,
    ArticleMeta,
    LibraryScan,
    Problem,
    read_article,
)
from tui.core.fileio import atomic_write, paused_gc

INDEX_PREFIX = "library-index-v4-"
"""Index files are named this plus a digest of the folder; the version changes whenever what is
stored for a file does."""


def _article_entries(directory: Path) -> list[tuple[str, list[int] | None]]:
    """The article file names in ``directory``, sorted, each with its signature (inode, size,
    mtime; None when it cannot be read), from one directory read and one stat per file."""
    entries: list[tuple[str, list[int] | None]] = []
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                name = entry.name
                if not name.endswith(ARTICLE_SUFFIXES) or name.startswith("."):
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    entries.append((name, None))
                    continue
                entries.append((name, [st.st_ino, st.st_size, st.st_mtime_ns]))
    except (FileNotFoundError, NotADirectoryError):
        return []
    entries.sort()
    return entries


def index_path(directory: Path, cache_dir: Path) -> Path:
    """Where the index of the library ``directory`` lives in ``cache_dir``: one file per folder,
    so two libraries sharing a cache never throw each other's index away."""
    folder = os.fsencode(os.path.abspath(directory))
    return cache_dir / f"{INDEX_PREFIX}{hashlib.sha256(folder).hexdigest()[:16]}.json"


def _read_index(path: Path | None) -> dict[str, Any]:
    """The index's entries by file name (empty when missing or unreadable: it is a speed-up)."""
    if path is None:
        return {}
    try:
        loaded = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


_CHILD = getattr(Path, "_make_child_relpath", None)
"""CPython 3.11/3.12's ``Path`` child without re-parsing the name (a third of the cost of
``directory / name``, which this runs once per article); ``/`` where it is missing."""


def _child_path(directory: Path, name: str) -> Path:
    """``directory / name`` for a plain file name from a directory listing."""
    if _CHILD is not None:
        child: Path = _CHILD(directory, name)
        return child
    return directory / name


_META_FIELDS = frozenset(f.name for f in fields(ArticleMeta)) - {"path"}


def _valid_record(record: Any) -> bool:
    """True when an index record has exactly ArticleMeta's fields (but ``path``) with values of
    the right kind; False for an older or damaged index, whose file is then parsed again."""
    if not isinstance(record, dict) or record.keys() != _META_FIELDS:
        return False
    kinds = list(map(type, record.values()))  # words is the one number, the rest text or null
    if kinds.count(int) != 1 or kinds.count(str) + kinds.count(type(None)) != len(kinds) - 1:
        return False
    return (
        type(record["words"]) is int
        and type(record["sha256"]) is str
        and type(record["id"]) is str
        and type(record["title"]) is str
    )


def meta_from_record(record: dict[str, Any], path: Path) -> ArticleMeta:
    """The ArticleMeta of a valid record (see :func:`_valid_record`) for the file ``path``.

    Built without the dataclass ``__init__``: this runs once per article on every start, and
    the record's keys and value types were checked instead.
    """
    meta = object.__new__(ArticleMeta)
    meta.__dict__.update(record)
    meta.__dict__["path"] = path
    return meta


def scan_folder(directory: Path, cache_dir: Path | None = None) -> LibraryScan:
    """Read every article's metadata in ``directory``; bad files become Problems.

    With ``cache_dir`` the metadata of unchanged files (same inode, size, mtime) comes from an
    index there (one per library folder), so a library of thousands of articles lists without
    parsing each file; the index is rewritten only when a file was added, changed or removed.
    """
    with paused_gc():  # 10,000 records become 10,000 metas: no collection in between
        records, problems = scan_records(directory, cache_dir)
        articles = [
            meta_from_record(record, _child_path(directory, name)) for name, record in records
        ]
    return LibraryScan(articles, problems)


def scan_records(
    directory: Path, cache_dir: Path | None = None
) -> tuple[list[tuple[str, dict[str, Any]]], list[Problem]]:
    """:func:`scan_folder` as (file name, metadata record) pairs, sorted by article id: the
    records are what the index holds (ArticleMeta's fields but ``path``, checked), so a scan
    can be handed on without building a meta per article. Do not change them."""
    with paused_gc():
        return _scan(directory, cache_dir)


def _scan(
    directory: Path, cache_dir: Path | None
) -> tuple[list[tuple[str, dict[str, Any]]], list[Problem]]:
    index_file = index_path(directory, cache_dir) if cache_dir else None
    index = _read_index(index_file)
    found: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    fresh: dict[str, Any] = {}
    changed = False
    seen: dict[str, str] = {}
    for name, signature in _article_entries(directory):
        cached = index.get(name)
        record: dict[str, Any] | None = None
        if signature and isinstance(cached, dict) and cached.get("sig") == signature:
            record = cached.get("meta")
            if not _valid_record(record):
                record = None
        if record is None:
            cached = None
            path = _child_path(directory, name)
            try:
                record = asdict(read_article(path).meta)
            except ArticleError as exc:
                problems.append(Problem(path, str(exc)))
                continue
            record.pop("path")
        article_id = record["id"]
        if article_id in seen:
            problems.append(
                Problem(
                    _child_path(directory, name),
                    f"duplicate id '{article_id}' (also in {seen[article_id]}); rename one",
                )
            )
            continue
        seen[article_id] = name
        found.append((name, record))
        if signature:
            if cached is None:
                cached = {"sig": signature, "meta": record}
                changed = True
            fresh[name] = cached
    if index_file is not None and (changed or fresh.keys() != index.keys()):
        try:
            index_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(index_file, orjson.dumps(fresh))
        except OSError:
            pass  # the index is only a speed-up
    found.sort(key=lambda pair: pair[1]["id"])
    return found, problems
