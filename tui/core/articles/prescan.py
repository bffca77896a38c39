"""The library scan of the reader's start, run in a forked process while the app is imported.

``claimdesk`` with no command opens the reader; importing Textual and the app takes most of a
second core's worth of start-up on its own, and a library of 10,000 articles takes about 0.1 s
more to scan (one stat per file, its index parsed and verified). So the command forks before it
imports anything of the app (:func:`start_scan`): the child scans the library folder with
:func:`~tui.core.articles.index.scan_records`, exactly as the app would, writes the result into
an unlinked temporary file and exits; the app takes it (:meth:`PendingScan.take`) for its first
listing, on the first frame when it is there by then (:meth:`PendingScan.done`).

Invariants:

1. The child only reads the library and writes its index (what the app's own scan does), and the
   temporary file it was given; it never writes to the terminal, and ends with ``os._exit``
   (no ``atexit`` handler, no flush of buffers it inherited).
2. A scan that did not finish cleanly (the child failed, was killed, or wrote something that does
   not parse) is never used: :meth:`PendingScan.take` returns None and the app scans itself.
3. Only forked from a process with one thread, on Linux (where fork is the default way to start
   a process); elsewhere :func:`start_scan` returns None and nothing changes.
4. The result is used once, for the first listing; every later listing scans again.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from tui.core.articles.index import _child_path, scan_records
from tui.core.articles.library import ArticleMeta, LibraryScan, Problem
from tui.core.fileio import paused_gc

FORMAT = 1
"""Changes whenever what the child writes does."""


def encode(records: list[tuple[str, dict[str, Any]]], problems: list[Problem]) -> bytes:
    """What the child writes: :func:`~tui.core.articles.index.scan_records`' result."""
    reasons = [[str(problem.path), problem.reason] for problem in problems]
    return marshal.dumps({"format": FORMAT, "articles": records, "problems": reasons})


def decode(payload: bytes, directory: Path) -> LibraryScan:
    """The scan ``payload`` holds (ValueError, EOFError or KeyError when it is not what
    :func:`encode` wrote). It is in :mod:`marshal`'s format, which this interpreter reads
    at twice orjson's speed (the file is one only this process and its child ever held), and
    each meta is built without the dataclass ``__init__`` around the record as read (no copy):
    this runs once per article on the way to the first frame."""
    with paused_gc():
        data: Any = marshal.loads(payload)
        if data.get("format") != FORMAT:
            raise ValueError("another format")
        metas = []
        new, assign = object.__new__, object.__setattr__
        for name, record in data["articles"]:
            record["path"] = _child_path(directory, name)
            meta = new(ArticleMeta)
            assign(meta, "__dict__", record)
            metas.append(meta)
        problems = [Problem(Path(path), reason) for path, reason in data["problems"]]
    return LibraryScan(metas, problems)


class PendingScan:
    """A scan running in a forked child: see the module's invariants."""

    def __init__(self, pid: int, file: Any, directory: Path) -> None:
        self.pid = pid
        self.file = file
        self.directory = directory
        self._status: int | None = None
        self._lock = threading.Lock()

    def done(self) -> bool:
        """True when the child has exited (never blocks)."""
        with self._lock:
            if self._status is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:
                    pid, status = self.pid, -1
                if pid == 0:
                    return False
                self._status = status
            return True

    def take(self) -> LibraryScan | None:
        """The child's scan, waiting for it; None when it did not finish cleanly (the caller
        scans instead). Single use: the file is closed."""
        with self._lock:
            if self.file.closed:
                return None
            try:
                if self._status is None:
                    try:
                        self._status = os.waitpid(self.pid, 0)[1]
                    except ChildProcessError:
                        self._status = -1
                if self._status != 0:
                    return None
                self.file.seek(0)
                return decode(self.file.read(), self.directory)
            except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
                return None
            finally:
                self.file.close()

    def close(self) -> None:
        """Give up on the result (the app ends before it listed): end the child if it still
        runs, and reap it."""
        with self._lock:
            if self._status is None:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, 9)
                with contextlib.suppress(ChildProcessError):
                    self._status = os.waitpid(self.pid, 0)[1]
            self.file.close()


def start_scan(directory: Path, cache_dir: Path | None) -> PendingScan | None:
    """Fork a child that scans ``directory`` (its index in ``cache_dir``); None where that is not
    done (see invariant 3) or the fork fails."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    try:
        folder = cache_dir if cache_dir and cache_dir.is_dir() else None
        file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - handed to PendingScan
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        file.close()
        return None
    if pid == 0:  # pragma: no cover - the child (its work is tested through take())
        _child(file, directory, cache_dir)
    return PendingScan(pid, file, directory)


def _child(file: Any, directory: Path, cache_dir: Path | None) -> None:  # pragma: no cover
    code = 1
    try:
        payload = encode(*scan_records(directory, cache_dir))
        view = memoryview(payload)
        while view:
            view = view[os.write(file.fileno(), view) :]
        code = 0
    except BaseException:  # invariant 2: the parent scans instead
        pass
    finally:
        os._exit(code)
