"""The live database: the snapshot's tables with the journal replayed, their indexes, and saving.

:class:`Database` keeps the invariants written down in :mod:`tui.core.annotations.journal`.
Small snapshots (below ``journal_from`` bytes) are simply rewritten on every save, as plain
TinyDB readers and backups like best; from that size on a save appends one fsynced journal entry
and the snapshot is rewritten (compacted) when the journal passes ``compact_ratio`` of its size
(at least ``compact_min`` bytes), so the cost of a save no longer grows with the database and
the amortised rewrite cost per save stays constant, as with Redis's AOF rewrite.

The indexes and the transaction type live in :mod:`tui.core.annotations.tables`.

Beside the snapshot, ``annotations.json.summary`` holds per article the number of annotations
with each status and each tag, with the signatures (inode, size, mtime) of the snapshot and the
journal it describes. It is rewritten after every save, compaction and full read, and trusted
only while both signatures are exactly those of the files on disk (:func:`read_summary`), so the
library list gets its counts without parsing a database of 100,000 annotations. It is a cache:
written atomically but not fsynced, any failure to write it is ignored, and a missing, damaged or
stale one only means the database is read in full.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from tui.core.annotations import journal, records
from tui.core.annotations.storage import AtomicJSONStorage, StorageCorrupt, Tables
from tui.core.annotations.summary import SUMMARY_VERSION, Summary, read_summary, summary_path
from tui.core.annotations.tables import ANNOTATIONS, CORRECTIONS, META, Indexes, Tx, apply_ops

JOURNAL_FROM = 1 << 20
"""Snapshot size (bytes) from which saves append to the journal instead of rewriting it."""
COMPACT_MIN = 1 << 20
COMPACT_RATIO = 0.5
"""Compact when the journal exceeds this fraction of the snapshot (and ``COMPACT_MIN``)."""
log = logging.getLogger(__name__)


class StoreError(Exception):
    """A database problem the user must act on: ``str()`` names the file and what to do."""


def journal_seq(tables: Tables) -> int:
    """The sequence number of the last change a snapshot contains (0 for older files)."""
    meta = tables.get(META, {}).get("1")
    seq = meta.get("journal_seq") if isinstance(meta, dict) else None
    return seq if type(seq) is int and seq >= 0 else 0


class Database:
    """Snapshot + journal of one ``annotations.json``; the caller holds the locks it asks for."""

    def __init__(
        self,
        path: Path,
        schema_version: int,
        *,
        journal_from: int = JOURNAL_FROM,
        compact_min: int = COMPACT_MIN,
        compact_ratio: float = COMPACT_RATIO,
    ) -> None:
        """Use the database at ``path`` (nothing is read or created yet)."""
        self.path = path
        self.storage = AtomicJSONStorage(path)
        self.journal_path = path.with_name(path.name + ".journal")
        """The journal beside the snapshot."""
        self.summary_path = summary_path(path)
        """The per-article summary beside the snapshot (a cache, see the module docstring)."""
        self.schema_version = schema_version
        self.journal_from, self.compact_min, self.compact_ratio = (
            journal_from, compact_min, compact_ratio,
        )  # fmt: skip
        self.tables: Tables | None = None
        """Snapshot + replayed journal; None while there is no database file."""
        self.indexes = Indexes()
        self.seq = 0
        """Sequence number of the last change in :attr:`tables`."""
        self.notices: list[str] = []
        """One line per recovered problem (a torn journal tail), for the user; read once."""
        self._generation = -1
        self._loaded: tuple[Any, Any] | None = None
        self._journal_end = 0
        self._torn: journal.Damage | None = None
        self._reported: set[tuple[int, int]] = set()
        self._gap_at = (0, 0)
        """(first seq the journal offered, last seq held) when the journal did not continue."""

    # ----------------------------------------------------------------- reading
    def signatures(self) -> tuple[Any, Any]:
        """Snapshot and journal signatures on disk now."""
        return (self.storage.current_signature(), journal.current_signature(self.journal_path))

    def is_current(self) -> bool:
        """True when :attr:`tables` is what the files hold now (two stat calls)."""
        return self._loaded is not None and self._loaded == self.signatures()

    def forget(self) -> None:
        """Drop everything cached: the next refresh reads the files again."""
        self.storage.forget()
        self._generation, self._loaded, self.tables = -1, None, None

    def refresh(self, *, locked: bool) -> Tables | None:
        """Bring :attr:`tables` up to date with the files; ``locked``: we hold the write lock.

        Without the lock a compaction may run between reading the snapshot and the journal;
        the sequence check notices and the read is retried.
        """
        for attempt in range(3):
            # a writer about to cut a torn tail reads past it again first: on a filesystem
            # with coarse mtimes a cut plus an append can leave size and mtime unchanged
            if self.is_current() and not (locked and self._torn is not None):
                return self.tables
            try:
                return self._load()
            except _Gap:
                if locked or attempt == 2:
                    raise StoreError(self._gap_message()) from None
                self.forget()
        raise AssertionError("unreachable")  # pragma: no cover

    def _load(self) -> Tables | None:
        try:
            data = self.storage.read()
        except StorageCorrupt as exc:
            raise StoreError(self.storage.damaged_message(str(exc))) from None
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot read the database ({exc.strerror}); check its permissions"
            ) from None
        if data is None:
            size = self._journal_bytes()
            if size:
                raise StoreError(
                    f"{self.journal_path}: a journal of {size} bytes without its snapshot "
                    f"{self.path}; nothing was changed: put {self.path} back (for instance "
                    f"from {self.storage.backup_path}) and retry"
                )
            self.tables, self.indexes, self.seq, self._generation = None, Indexes(), 0, -1
            self._journal_end, self._torn = 0, None
            self._loaded = (None, journal.current_signature(self.journal_path))
            return None
        if self.storage.generation != self._generation:
            self._check_snapshot(data)
            with records.paused_gc():
                self.indexes = Indexes.build(data)
            self.tables, self.seq, self._generation = data, journal_seq(data), -1
            self._journal_end, self._torn = 0, None
            self._generation = self.storage.generation
        if self._journal_replaced():  # not the file we read up to _journal_end: start over
            self.storage.forget()
            return self._load()
        try:
            self._replay(data)
        except OSError as exc:
            raise StoreError(
                f"{self.journal_path}: cannot read the journal ({exc.strerror or exc}); check "
                "its permissions"
            ) from None
        return self.tables

    def _journal_replaced(self) -> bool:
        """True when the journal we replayed part of was replaced or cut below that part."""
        if not self._journal_end or self._loaded is None or self._loaded[1] is None:
            return False
        now = journal.current_signature(self.journal_path)
        return now is None or now[0] != self._loaded[1][0] or now[1] < self._journal_end

    def _check_snapshot(self, data: Tables) -> None:
        version = records.schema_version(data)
        if version > self.schema_version:
            raise StoreError(
                f"{self.path}: written by a newer Claimdesk (schema "
                f"{version} > {self.schema_version}); upgrade Claimdesk to use it"
            )
        if version != self.schema_version:
            return  # older layouts are checked by their migration
        problem = records.first_malformed(data.get(ANNOTATIONS, {}))
        if problem:
            self.storage.forget()
            raise StoreError(self.storage.damaged_message(problem))

    def _replay(self, data: Tables) -> None:
        """Apply the journal entries after the ones already applied (all checks first)."""
        found = journal.read(self.journal_path, self._journal_end)
        schema = records.schema_version(data)
        fresh = [entry for entry in found.entries if entry.seq > self.seq]
        if found.damaged:
            first = found.damaged[0]
            raise StoreError(
                f"{self.journal_path}: the entry at byte {first.offset} is damaged "
                f"({first.reason}) and intact entries follow it; nothing was changed: run "
                "`claimdesk compact --repair` to keep every intact entry (it lists what it "
                "drops), or move the journal aside to go back to the last snapshot"
            )
        for expected, entry in enumerate(fresh, self.seq + 1):
            if entry.schema > self.schema_version:
                raise StoreError(
                    f"{self.journal_path}: written by a newer Claimdesk (schema {entry.schema} "
                    f"> {self.schema_version}); upgrade Claimdesk to use it"
                )
            if entry.schema != schema:
                raise StoreError(
                    f"{self.journal_path}: its entries are schema {entry.schema} but "
                    f"{self.path} is schema {schema}; nothing was changed: run `claimdesk "
                    f"compact --repair`, or restore the snapshot that goes with the journal"
                )
            if entry.seq != expected:
                self._gap_at = (entry.seq, self.seq)
                raise _Gap
        with records.paused_gc():
            for entry in fresh:
                apply_ops(data, self.indexes, entry.ops)
                self.seq = entry.seq
        self._journal_end = found.end
        self._torn = found.torn
        self._loaded = (self.storage.loaded_signature, found.signature)
        self.write_summary()

    def _gap_message(self) -> str:
        first, held = self._gap_at
        return (
            f"{self.journal_path}: continues with change {first} but {self.path} holds changes "
            f"up to {held} (was an older snapshot put back?); nothing was changed: run "
            "`claimdesk compact --repair` to apply its intact entries anyway, or restore the "
            "snapshot that goes with it"
        )

    def report_torn_tail(self) -> None:
        """Say once that a torn tail was found (call under the lock: no append is running)."""
        torn = self._torn
        sig = self._loaded[1] if self._loaded else None
        if torn is None or sig is None or (sig[0], torn.offset) in self._reported:
            return
        self._reported.add((sig[0], torn.offset))
        message = (
            f"{self.journal_path}: ignored an unfinished save at byte {torn.offset} "
            f"({torn.reason}); it was never confirmed, so no confirmed change is lost"
        )
        log.warning(message)
        self.notices.append(message)

    # ----------------------------------------------------------------- writing
    def save(self, tx: Tx, *, rewrite: bool = False) -> None:
        """Make ``tx`` durable (under the write lock, after ``refresh(locked=True)``)."""
        ops = tx.ops()
        if not ops and not rewrite:
            return
        snapshot = self.storage.loaded_signature
        size = snapshot[1] if snapshot else 0
        if rewrite or snapshot is None or (self._journal_end == 0 and size < self.journal_from):
            self.write_snapshot(tx.tables, self.seq + 1)
            return
        if self._torn is not None:  # an unfinished append: cut it before appending after it
            journal.truncate(self.journal_path, self._journal_end)
            self._torn = None
        line = journal.encode(self.seq + 1, records.schema_version(tx.tables), ops)
        mode = os.stat(self.path).st_mode & 0o7777
        self._journal_end = journal.append(self.journal_path, line, mode)
        self.seq += 1
        self._loaded = (snapshot, journal.current_signature(self.journal_path))
        if self._journal_end > max(self.compact_min, self.compact_ratio * size):
            try:
                self.compact()
                return
            except OSError as exc:  # the change is saved in the journal; compact later
                self.forget()
                log.warning("%s: compaction postponed (%s)", self.path, exc.strerror or exc)
                return
        self.write_summary()

    def compact(self, *, force: bool = False) -> bool:
        """Rewrite the snapshot with every journal entry, then empty the journal (under the
        write lock, after a refresh); False when there was nothing to fold in."""
        if self.tables is None:
            return False
        if not force and not self._journal_bytes():
            return False
        self.write_snapshot(self.tables, self.seq)
        return True

    def _journal_bytes(self) -> int:
        """The journal's size on disk now (0 when there is none)."""
        return (journal.current_signature(self.journal_path) or (0, 0, 0))[1]

    def write_snapshot(self, tables: Tables, seq: int) -> None:
        """Atomically replace the snapshot with ``tables`` holding changes up to ``seq``, then
        empty the journal (invariant 4: in this order)."""
        meta = tables.setdefault(META, {})
        meta["1"] = {**meta.get("1", {}), "schema_version": self.schema_version}
        meta["1"]["journal_seq"] = seq
        if ANNOTATIONS in tables:  # read back in the order it is read (records.in_reading_order)
            tables[ANNOTATIONS] = records.in_reading_order(tables[ANNOTATIONS])
        self.storage.write(tables)
        self.tables, self.seq, self._generation = tables, seq, self.storage.generation
        if self._journal_bytes():
            try:
                journal.truncate(self.journal_path)
            except OSError as exc:  # harmless: every entry is at or below the snapshot's seq
                log.warning("%s: journal not emptied (%s)", self.path, exc.strerror or exc)
        self._journal_end, self._torn = 0, None
        self._loaded = (self.storage.loaded_signature, journal.current_signature(self.journal_path))
        self.write_summary()

    def write_summary(self) -> None:
        """Replace the per-article summary with the indexes of :attr:`tables`, stamped with the
        signatures of the files they came from (best effort: never fails a save)."""
        loaded = self._loaded
        if loaded is None or loaded[0] is None or self.tables is None:
            return
        if records.schema_version(self.tables) != self.schema_version:
            return  # an older layout: summarised after its migration
        tags = self.indexes.tags
        body = {
            "version": SUMMARY_VERSION,
            "snapshot": list(loaded[0]),
            "journal": list(loaded[1]) if loaded[1] else None,
            "articles": {
                article: {"statuses": dict(counts), "tags": dict(tags.get(article, {}))}
                for article, counts in self.indexes.statuses.items()
            },
        }
        tmp: str | None = None
        try:
            payload = orjson.dumps(body)
            mode = os.stat(self.path).st_mode & 0o7777
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f"{self.storage.temp_prefix}summary-", suffix=".tmp"
            )
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)
                handle.write(payload)
            os.replace(tmp, self.summary_path)
            tmp = None
        except (OSError, TypeError) as exc:
            log.info("%s: summary not written (%s)", self.summary_path, exc)
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


class _Gap(Exception):
    """The journal does not continue the snapshot's sequence."""


__all__ = [
    "ANNOTATIONS", "CORRECTIONS", "META", "Database", "Indexes", "StoreError", "Summary", "Tx",
    "apply_ops", "read_summary", "summary_path",
]  # fmt: skip
