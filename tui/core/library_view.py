"""The article library as the workspace sees it: the last scan, ids resolved by prefix, and
article bodies that are read again whenever their file changed on disk (so an edit or a reload is
never shown stale)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the library code (and YAML) is imported on first use, not at start-up
    from tui.core.articles.library import Article, ArticleMeta, LibraryScan
    from tui.core.articles.prescan import PendingScan

BODY_CACHE_SIZE = 32
"""Recently read articles kept in memory."""


class WorkspaceError(Exception):
    """A user-facing failure: ``str()`` is one line naming the file or value and what to do."""


class LibraryView:
    """One library folder: scans, lookups and fresh reads (safe to call from worker threads)."""

    def __init__(self, folder: Path, cache_dir: Path | None) -> None:
        self.folder = folder
        self.cache_dir = cache_dir
        self._scan: LibraryScan | None = None
        self._pending: PendingScan | None = None
        self._bodies: OrderedDict[str, tuple[tuple[int, ...], Article]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def scan(self) -> LibraryScan:
        """The last scan (empty until :meth:`load`)."""
        from tui.core.articles.library import LibraryScan

        return self._scan if self._scan is not None else LibraryScan()

    def current(self) -> LibraryScan:
        """The last scan, scanning first if there was none."""
        return self._scan if self._scan is not None else self.load()

    def expect(self, pending: PendingScan | None) -> None:
        """Take the first :meth:`load` from ``pending``, a scan of this folder already running
        (:mod:`tui.core.articles.prescan`); later loads scan again."""
        self._pending = pending

    def scan_waiting(self) -> bool:
        """True when such a scan has finished and :meth:`load` would not wait for it."""
        pending = self._pending
        return pending is not None and pending.done()

    def load(self) -> LibraryScan:
        """Scan the folder (metadata only; unchanged files come from the index)."""
        from tui.core.articles.library import scan_library

        with self._lock:
            pending, self._pending = self._pending, None
        scan = pending.take() if pending is not None else None
        if scan is None:  # none was running, or it did not finish cleanly
            scan = scan_library(self.folder, self.cache_dir)
        with self._lock:
            self._scan = scan
        return scan

    def close(self) -> None:
        """Give up on a scan still expected (the app ends before it listed)."""
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            pending.close()

    def find(self, article_id: str) -> ArticleMeta | None:
        """The article with exactly this id, or None."""
        return self.current().by_id(article_id)

    def resolve(self, id_or_prefix: str) -> ArticleMeta:
        """The article with this id, or the only one whose id starts with it."""
        scan = self.current()
        exact = scan.by_id(id_or_prefix)
        if exact is not None:
            return exact
        matches = [m for m in scan.articles if id_or_prefix and m.id.startswith(id_or_prefix)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            few = ", ".join(m.id for m in matches[:5])
            raise WorkspaceError(f"'{id_or_prefix}' matches {len(matches)} articles ({few}…)")
        known = ", ".join(a.id for a in scan.articles[:5]) or "none; import one first"
        raise WorkspaceError(
            f"no article '{id_or_prefix}' in {self.folder} (run 'claimdesk list'; known: {known})"
        )

    def article(self, which: ArticleMeta | str) -> Article:
        """An article as it is on disk now: re-read whenever its file changed since the last
        read (inode, size or modification time)."""
        from tui.core.articles.library import ArticleError, read_article

        meta = self.resolve(which) if isinstance(which, str) else which
        signature = _signature(meta.path)
        with self._lock:
            cached = self._bodies.get(meta.id)
            if cached is not None and signature and cached[0] == signature:
                self._bodies.move_to_end(meta.id)
                return cached[1]
        try:
            article = read_article(meta.path)
        except ArticleError as exc:
            raise WorkspaceError(f"{meta.path}: {exc}") from None
        with self._lock:
            self._bodies[meta.id] = (signature, article)
            while len(self._bodies) > BODY_CACHE_SIZE:
                self._bodies.popitem(last=False)
        return article

    def articles(self, ids: Iterable[str] | None = None) -> tuple[dict[str, Article], list[str]]:
        """The readable articles with these ids (all with None), and one line per file that
        could not be read."""
        wanted = None if ids is None else set(ids)
        found: dict[str, Article] = {}
        problems: list[str] = []
        for meta in self.current().articles:
            if wanted is None or meta.id in wanted:
                try:
                    found[meta.id] = self.article(meta)
                except WorkspaceError as exc:
                    problems.append(str(exc))
        return found, problems


def _signature(path: Path) -> tuple[int, ...]:
    """What tells a file changed: inode, size and modification time (empty if unreadable)."""
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_ino, st.st_size, st.st_mtime_ns)
