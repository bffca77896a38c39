"""``claimdesk compact --repair``: rebuild the snapshot from every intact journal entry.

Used when the store refuses a journal (damage followed by intact entries, a schema another than
the snapshot's, a gap in the sequence). The snapshot must be readable (restore ``.bak`` first
otherwise). Every intact entry after the snapshot is applied in order; what is dropped, and
why, is reported. The old journal is kept beside it as ``<journal>.<time>.damaged`` (a copy) and
the old snapshot as ``.bak`` before anything is rewritten.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from tui.core.annotations import journal, records
from tui.core.annotations.database import Database, Indexes, StoreError, apply_ops, journal_seq
from tui.core.annotations.storage import StorageCorrupt
from tui.core.annotations.transactions import LOCK_TIMEOUT


def compact_database(path: Path) -> tuple[bool, list[str]]:
    """Fold the journal of the database at ``path`` into it: (whether there was anything to
    fold, notices such as a torn tail that was cut off)."""
    from tui.core.annotations.store import open_store

    store = open_store(path)
    folded = store.compact()
    return folded, store.take_notices()


def repair_database(path: Path, schema_version: int | None = None) -> list[str]:
    """Repair the database at ``path``; return one line per thing done or dropped."""
    from tui.core.annotations.store import SCHEMA_VERSION

    version = SCHEMA_VERSION if schema_version is None else schema_version
    db = Database(path, version)
    try:
        with FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT):
            return _repair(db, version)
    except Timeout:
        raise StoreError(
            f"{path}: another Claimdesk process has held {path}.lock for "
            f"{LOCK_TIMEOUT:.0f} s; close it, then retry"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"{path}: not repaired ({exc.strerror or exc}); free disk space or fix the folder's "
            "permissions, then retry (nothing was changed)"
        ) from None


def _repair(db: Database, schema_version: int) -> list[str]:
    path, journal_path = db.path, db.journal_path
    try:
        data = db.storage.read()
    except StorageCorrupt as exc:
        raise StoreError(db.storage.damaged_message(str(exc))) from None
    if data is None:
        if journal_path.exists():
            raise StoreError(
                f"{path}: missing, so its journal {journal_path} has nothing to apply to; put "
                f"{path} back (for instance from {db.storage.backup_path}) and retry"
            )
        return [f"{path}: no database yet; nothing to repair"]
    version = records.schema_version(data)
    if version > schema_version:
        raise StoreError(
            f"{path}: written by a newer Claimdesk (schema {version} > {schema_version}); "
            "upgrade Claimdesk instead of repairing"
        )
    found = journal.read(journal_path)
    base = journal_seq(data)
    indexes = Indexes.build(data)
    report: list[str] = []
    seq, kept = base, 0
    for entry in found.entries:
        if entry.seq <= base:
            continue  # already in the snapshot
        if entry.schema > schema_version:
            raise StoreError(
                f"{journal_path}: change {entry.seq} was written by a newer Claimdesk (schema "
                f"{entry.schema} > {schema_version}); upgrade Claimdesk instead of repairing"
            )
        if entry.schema != version:
            report.append(
                f"dropped change {entry.seq} at byte {entry.offset}: schema {entry.schema}, "
                f"but the snapshot is schema {version}"
            )
            continue
        if entry.seq != seq + 1:
            report.append(
                f"changes {seq + 1}-{entry.seq - 1} are not in the journal; applied the "
                "later ones anyway"
            )
        apply_ops(data, indexes, entry.ops)
        seq, kept = max(seq, entry.seq), kept + 1
    for damage in [*found.damaged, *found.tail]:
        report.append(f"dropped the entry at byte {damage.offset}: {damage.reason}")
    if report:
        aside = _keep_aside(journal_path)
        report.append(f"the old journal is kept as {aside}")
    if version != schema_version:
        db.storage.copy_aside(f"v{version}.bak")
        data = records.migrate(data, schema_version)
    db.write_snapshot(data, seq)
    report.insert(0, f"{path}: rebuilt with {kept} journal change(s) applied")
    return report


def _keep_aside(journal_path: Path) -> Path:
    """Copy the journal, as it is, to a new name (a copy: the journal is emptied in place)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = journal_path.with_name(f"{journal_path.name}.{stamp}.damaged")
    shutil.copyfile(journal_path, aside)
    with open(aside, "rb") as handle:
        os.fsync(handle.fileno())
    return aside
