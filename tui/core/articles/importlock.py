"""The import lock: one import at a time into an article library, whatever database it uses.

The lock file lives in the library itself (``<library>/.import.lock``), so two imports with
different ``--db`` or cache folders still exclude each other. An import never goes on without
it: it waits (saying so once) and, past :data:`LOCK_WAIT` seconds, stops with a line naming the
lock. Holding the lock, it sweeps the temporary files an interrupted write left behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = ".import.lock"
LOCK_WAIT = 120.0
"""Seconds an import waits for another one into the same library before giving up."""
STALE_TEMP_SECONDS = 60.0
"""A hidden ``.<name>.tmp`` file older than this is a leftover of an interrupted write."""


class ImportLockError(Exception):
    """The library could not be locked: ``str()`` is one line naming it and what to do."""


@contextmanager
def library_lock(
    library_dir: Path,
    *,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the library's import lock; raise ImportLockError when it cannot be had.

    Waits up to ``wait`` seconds (default :data:`LOCK_WAIT`), telling ``on_wait`` once.
    """
    wait = LOCK_WAIT if wait is None else wait
    path = library_dir / LOCK_NAME
    try:
        library_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path)
        try:
            lock.acquire(timeout=0.2)
        except Timeout:
            if on_wait is not None:
                on_wait(f"waiting for another import into {library_dir} to finish (lock {path})")
            lock.acquire(timeout=max(0.0, wait - 0.2))
    except Timeout:
        raise ImportLockError(
            f"another import into {library_dir} has held {path} for over {wait:g} s; "
            "try again when it finishes"
        ) from None
    except OSError as exc:
        raise ImportLockError(
            f"cannot lock {library_dir} for importing ({exc.strerror or exc}); "
            "check that the folder is writable"
        ) from None
    try:
        yield
    finally:
        lock.release()


def sweep_temporary_files(library_dir: Path, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove leftover hidden ``.*.tmp`` files (interrupted writes) from the library folder.

    Only files older than ``older_than`` seconds go, so a write in progress by a process that
    does not take the import lock (the reader app saving an edit) is never cut short. Returns
    how many were removed.
    """
    removed = 0
    now = time.time()
    try:
        candidates = list(library_dir.glob(".*.tmp"))
    except OSError:
        return 0
    for path in candidates:
        try:
            info = path.lstat()
            if now - info.st_mtime < older_than:
                continue
            os.unlink(path)  # a planted symlink is removed, never followed
            removed += 1
        except OSError:
            continue
    return removed
