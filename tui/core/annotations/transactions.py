"""Transactions of the annotation store: reads of the freshest data, locked saves, maintenance.

:class:`TransactionalStore` runs every change as one read-modify-write under the cross-process
lock ``<db>.lock`` and keeps a change whose save failed for the next save;
:class:`tui.core.annotations.store.AnnotationStore` builds the record API on it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from tui.core.annotations import records
from tui.core.annotations.database import (
    COMPACT_MIN,
    COMPACT_RATIO,
    JOURNAL_FROM,
    Database,
    Indexes,
    StoreError,
    Tx,
)
from tui.core.annotations.storage import Tables

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another Claimdesk process to finish its save."""
READ_LOCK_TIMEOUT = 2.0
"""Seconds a read waits for the lock before reading without it (still consistent)."""

Op = Callable[[Tx], Any]


class TransactionalStore:
    """Locked read-modify-write transactions over a :class:`Database`, and its maintenance."""

    schema_version = 0
    """The table layout this store writes (set by the subclass)."""

    def __init__(
        self,
        path: Path,
        *,
        journal_from: int = JOURNAL_FROM,
        compact_min: int = COMPACT_MIN,
        compact_ratio: float = COMPACT_RATIO,
    ) -> None:
        """Open ``path`` (created on the first save); migrate an older schema forward.

        Saves rewrite the whole file while it is smaller than ``journal_from`` bytes and
        append to the journal from then on (see :mod:`tui.core.annotations.database`).
        """
        self.path = Path(path)
        """The database file."""
        self._db = Database(
            self.path,
            self.schema_version,
            journal_from=journal_from,
            compact_min=compact_min,
            compact_ratio=compact_ratio,
        )
        self._lock = FileLock(f"{self.path}.lock", timeout=LOCK_TIMEOUT)
        self._thread_lock = threading.RLock()
        self._pending: list[Op] = []
        self._swept = False
        data = self._read()
        if data is not None and records.schema_version(data) != self.schema_version:
            self._commit(lambda tx: None)  # the transaction migrates

    @property
    def journal_path(self) -> Path:
        """The journal of changes not yet folded into the file."""
        return self._db.journal_path

    @property
    def db(self) -> TinyDB:
        """A read-only TinyDB view of the current tables for ad-hoc queries.

        A fresh view each time, so TinyDB's query caches and cached next ids are never stale.
        """
        return TinyDB(storage=lambda: _ReadOnlyView(self))

    # ----------------------------------------------------------------- reading
    def _read(self) -> Tables | None:
        """The current tables: re-read (under the lock when we can) only if a file changed."""
        db = self._db
        with self._thread_lock:
            if db.is_current():
                return db.tables
            if db.signatures() == (None, None):  # nothing to read (and the lock would
                return db.refresh(locked=False)  # create the folder)
            try:
                with self._lock.acquire(timeout=READ_LOCK_TIMEOUT):
                    data = db.refresh(locked=True)
                    db.report_torn_tail()
                    return data
            except (Timeout, OSError):  # busy, or a read-only folder: an unlocked read is
                return db.refresh(locked=False)  # consistent too (journal invariant 3)

    def _snapshot(self) -> tuple[Tables, Indexes]:
        """The current tables (with unsaved changes applied) and their indexes."""
        with self._thread_lock:
            data = self._read()
            if data is None:
                data = {}
            if records.schema_version(data) != self.schema_version:
                data = records.migrate({k: dict(v) for k, v in data.items()}, self.schema_version)
                return self._with_pending(data)
            if not self._pending:
                return data, self._db.indexes
            return self._with_pending({name: dict(table) for name, table in data.items()})

    def _with_pending(self, data: Tables) -> tuple[Tables, Indexes]:
        tx = Tx(data, Indexes.build(data))
        for op in self._pending:
            with contextlib.suppress(KeyError, ValueError):
                op(tx)
        return data, tx.indexes

    def take_notices(self) -> list[str]:
        """Problems the store recovered from (a torn journal tail), each returned once."""
        with self._thread_lock:
            notices, self._db.notices = self._db.notices, []
            return notices

    @property
    def unsaved(self) -> int:
        """How many changes failed to save and wait for the next save."""
        return len(self._pending)

    # ----------------------------------------------------------------- writing
    @contextlib.contextmanager
    def _locked(self) -> Iterator[Tx]:
        """Hold the lock around one read-modify-write of the freshest data; save on success."""
        db = self._db
        try:
            with self._lock:
                data = db.refresh(locked=True)
                db.report_torn_tail()
                data = {} if data is None else data
                migrating = records.schema_version(data) != self.schema_version
                if migrating:
                    db.storage.copy_aside(f"v{records.schema_version(data)}.bak")
                    data = records.migrate(data, self.schema_version)
                    db.indexes = Indexes.build(data)
                if not self._swept:
                    db.storage.sweep_temp_files()  # safe: we hold the lock
                    self._swept = True
                tx = Tx(data, db.indexes)
                try:
                    yield tx
                    db.save(tx, rewrite=migrating)
                except BaseException:
                    tx.rollback()  # the cached tables must stay what the files hold
                    if migrating or db.storage.loaded_signature is None:
                        db.forget()  # migrated in place, or a failed rewrite dropped the cache
                    raise
        except Timeout:
            raise StoreError(
                f"{self.path}: another Claimdesk process has held {self.path}.lock for "
                f"{LOCK_TIMEOUT:.0f} s; wait for it or close it, then retry"
            ) from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StoreError(
                f"{self.path}: not saved ({reason}); free disk space or fix the folder's "
                "permissions, then save again (the change is kept in memory until then, and "
                "lost if Claimdesk exits first)"
            ) from None

    def _commit(self, op: Op) -> Any:
        """Apply ``op`` (after any unsaved ones) to the freshest data and save durably."""
        with self._thread_lock:
            if not self.path.parent.is_dir():
                raise StoreError(
                    f"{self.path}: the folder {self.path.parent} does not exist; "
                    "create it or choose another --db"
                )
            self._pending.append(op)
            try:
                with self._locked() as tx:
                    for earlier in self._pending[:-1]:
                        with contextlib.suppress(KeyError, ValueError):
                            earlier(tx)
                    result = op(tx)
            except StoreError:
                raise
            except BaseException:
                self._pending.remove(op)  # a bad request, not a failed save: nothing to retry
                raise
            self._pending.clear()
            return result

    def save(self) -> None:
        """Save changes that failed to save earlier; raise StoreError if it fails again."""
        if self._pending:
            self._commit(lambda tx: None)

    def compact(self) -> bool:
        """Fold the journal into a rewritten ``annotations.json`` now; False if it was empty."""
        if self._db.signatures() == (None, None):
            return False  # no database: nothing to fold, and no lock file (or folder) to make
        with self._thread_lock, self._locked_for_maintenance():
            return self._db.compact()

    def close(self) -> None:
        """Save what failed to save, then compact (call on a clean exit); errors propagate."""
        self.save()
        if self._db.journal_path.exists():
            self.compact()

    @contextlib.contextmanager
    def _locked_for_maintenance(self) -> Iterator[None]:
        try:
            with self._lock:
                self._db.refresh(locked=True)
                self._db.report_torn_tail()
                yield
        except Timeout:
            raise StoreError(
                f"{self.path}: another Claimdesk process has held {self.path}.lock for "
                f"{LOCK_TIMEOUT:.0f} s; wait for it or close it, then retry"
            ) from None
        except OSError as exc:
            self._db.forget()
            raise StoreError(
                f"{self.path}: not compacted ({exc.strerror or exc}); free disk space or fix "
                "the folder's permissions (nothing was lost: the journal is kept)"
            ) from None


class _ReadOnlyView(Storage):
    """TinyDB storage over a store's current tables; changes go through the store's methods."""

    def __init__(self, store: TransactionalStore) -> None:
        self._store = store

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The current tables (snapshot + journal + unsaved changes)."""
        data, _ = self._store._snapshot()
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Refused: a write here would bypass the lock, the journal and validation."""
        raise StoreError("store.db is read-only; change data through AnnotationStore methods")
