"""What identifies one version of a file on disk: its inode, size and modification time.

The snapshot, the journal and the summary beside them are all recognised this way; this module
imports nothing heavier than :mod:`os`, so the library list can check the summary before any of
the database modules are loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

Signature = tuple[int, int, int]
"""Inode, size in bytes, modification time in nanoseconds."""


def signature(st: os.stat_result) -> Signature:
    """The signature of the file version ``st`` was read from."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def current_signature(path: Path) -> Signature | None:
    """The signature of the file at ``path`` now, or None when it does not exist."""
    try:
        return signature(os.stat(path))
    except FileNotFoundError:
        return None
