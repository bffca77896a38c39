"""A crash-safe TinyDB storage for ``annotations.json``.

TinyDB's shipped ``JSONStorage`` overwrites the file in place (a kill, a full disk or a second
writer leaves torn JSON) and treats a 0-byte file as an empty database. This storage instead:

* writes atomically: serialise with orjson, write a temp file in the same folder, fsync it, keep
  the old file as ``<name>.bak`` (a hard link, no copy), ``os.replace``, fsync the folder;
* caches the parsed data under a stat signature (inode, size, mtime) and re-parses only when
  another process replaced the file;
* refuses a file it cannot parse or whose shape is not TinyDB's (``StorageCorrupt``), and never
  writes over it;
* forgets its cache on any write error, since TinyDB callers mutate the returned dict in place.

Locking across processes is the caller's job (see ``tui.core.annotations.store``): a
read-modify-write spans
``read()`` and ``write()``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from tui.core.annotations.records import paused_gc
from tui.core.annotations.signatures import Signature, signature

Tables = dict[str, dict[str, Any]]

_UMASK = os.umask(0)
os.umask(_UMASK)
NEW_FILE_MODE = 0o666 & ~_UMASK
"""Permissions of a database file created from scratch (what ``open(path, 'w')`` would give)."""


class StorageCorrupt(Exception):
    """The file exists but is not a readable TinyDB database: ``str()`` is the reason."""


def parse_tables(raw: bytes) -> Tables:
    """Parse and shape-check the bytes of a TinyDB file; raise StorageCorrupt with a reason."""
    if not raw.strip():
        raise StorageCorrupt("the file is empty (0 bytes of data), not an empty database")
    try:
        with paused_gc():  # building 100k small dicts: the GC costs more than the parse itself
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StorageCorrupt(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise StorageCorrupt("not a TinyDB database (the top level is not an object of tables)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StorageCorrupt(f"table '{name}' is not an object of documents")
        if all(map(str.isdigit, table)) and set(map(type, table.values())) <= {dict}:
            continue  # the common case, checked at C speed; find the culprit otherwise
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise StorageCorrupt(f"table '{name}' has a malformed document '{doc_id[:20]}'")
    return data


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic, fsynced whole-file writes and a stat-signature read cache."""

    def __init__(self, path: str | Path, **_: Any) -> None:
        """Use ``path``; nothing is created until the first write."""
        self.path = Path(path)
        """The database file."""
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        """The previous version of the file, kept by every write."""
        self.generation = 0
        """Incremented on every parse from disk: cached indexes built on older data are stale."""
        self._data: Tables | None = None
        self._sig: Signature | None = None

    @property
    def temp_prefix(self) -> str:
        """File-name prefix of this database's temp files (swept by the store under its lock)."""
        return f".{self.path.name}."

    @property
    def loaded_signature(self) -> Signature | None:
        """The signature of the file version the cached data came from (None: nothing cached)."""
        return self._sig if self._data is not None else None

    def current_signature(self) -> Signature | None:
        """The signature of the file on disk now, or None when it does not exist."""
        try:
            return signature(os.stat(self.path))
        except FileNotFoundError:
            return None

    def is_fresh(self) -> bool:
        """True when the cached data is what is on disk now."""
        return self._data is not None and self.current_signature() == self._sig

    def read(self) -> Tables | None:
        """The tables, re-parsed only if the file changed; None for a file that does not exist."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._data, self._sig = None, None
            return None
        if self._data is not None and signature(st) == self._sig:
            return self._data
        with open(self.path, "rb") as handle:
            st = os.fstat(handle.fileno())  # the signature of exactly the bytes we parse
            raw = handle.read()
        data = parse_tables(raw)
        self._data, self._sig = data, signature(st)
        self.generation += 1
        return data

    def forget(self) -> None:
        """Drop the cache so the next read parses the file again."""
        self._data, self._sig = None, None

    def write(self, data: Tables) -> None:
        """Replace the file with ``data`` atomically; on any error the old file stays intact."""
        tmp: str | None = None
        try:
            payload = orjson.dumps(data)
            try:
                mode = os.stat(self.path).st_mode & 0o7777
                exists = True
            except FileNotFoundError:
                mode, exists = NEW_FILE_MODE, False
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.temp_prefix, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)  # mkstemp makes 0600; keep the user's mode
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if exists:
                self._keep_backup()
            os.replace(tmp, self.path)
            tmp = None
        except BaseException:
            self.forget()  # the caller may have mutated our cached dict: it no longer is the disk
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise
        self._data, self._sig = data, self.current_signature()
        fsync_dir(self.path.parent)

    def _keep_backup(self) -> None:
        """Make the current file ``<name>.bak`` (atomically, by hard link) before it is replaced.

        A backup is a bonus, not a must: when the filesystem refuses, the save goes on without.
        """
        link = f"{self.path.parent}/{self.temp_prefix}bak.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        try:
            os.link(self.path, link)
            os.replace(link, self.backup_path)
        except OSError:
            pass
        # rename() does nothing when both names are already the same file (a writer was killed
        # after its backup step), so the link may remain either way
        with contextlib.suppress(OSError):
            os.unlink(link)

    def damaged_message(self, reason: str) -> str:
        """The one-line message for a file that cannot be read: what to do, and the backup."""
        message = f"{self.path}: {reason}. The file was left untouched; move it aside and "
        try:
            saved = parse_tables(self.backup_path.read_bytes())
            when = datetime.fromtimestamp(self.backup_path.stat().st_mtime, UTC)
        except (OSError, StorageCorrupt):
            return message + "start an empty database, or restore a copy you trust"
        count = len(saved.get("annotations", {}))
        return message + (
            f"restore the backup {self.backup_path} ({count} annotations, "
            f"saved {when:%Y-%m-%d %H:%M} UTC)"
        )

    def copy_aside(self, suffix: str) -> None:
        """Keep a copy of the file as ``<name>.<suffix>`` once (e.g. before a migration)."""
        target = self.path.with_name(f"{self.path.name}.{suffix}")
        if self.path.exists() and not target.exists():
            with contextlib.suppress(OSError):
                target.write_bytes(self.path.read_bytes())

    def sweep_temp_files(self) -> None:
        """Remove temp files a killed writer left; call only while holding the write lock."""
        for leftover in self.path.parent.glob(f"{self.temp_prefix}*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def close(self) -> None:
        """Nothing stays open between operations."""
