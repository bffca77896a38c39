"""The append-only journal beside ``annotations.json``: its format, reading, and appending.

Designed like SQLite's WAL and Redis's AOF. ``annotations.json`` is the *snapshot*: a plain
TinyDB file whose ``_meta`` record says the sequence number ``journal_seq`` of the last change
it contains. ``annotations.json.journal`` holds the changes made since, one entry per save::

    <crc32 of the JSON, 8 hex digits> <JSON>\\n
    JSON = {"seq": n, "schema": v, "ops": [[table, doc_id, document or null], ...]}

An op sets a whole document (``null`` removes it), so applying an entry twice gives the same
tables as applying it once.

Invariants (the store keeps them; the tests in ``tests/core/test_journal*.py`` check them):

1. **Durable on return.** A save returns only after its entry is written and fsynced (or, when
   the snapshot is rewritten instead, after the atomic replace). An acknowledged change is on
   disk in the snapshot or in an intact journal entry.
2. **One writer at a time.** Appends, tail truncation and compaction run under the store's
   cross-process lock (``annotations.json.lock``), after the writer has read every entry other
   processes appended; sequence numbers therefore rise by exactly one per entry.
3. **State = snapshot + entries with seq > journal_seq, in order.** Entries at or below the
   snapshot's ``journal_seq`` are already in it and are skipped, so nothing is applied twice.
4. **Compaction order.** Write the new snapshot atomically (temp file, fsync, ``.bak`` link,
   replace, fsync folder) recording the last seq it holds, *then* truncate the journal. A crash
   before the replace leaves old snapshot + whole journal; after it, new snapshot + a journal
   whose entries are all skipped (invariant 3). Either way nothing is lost or applied twice.
5. **Torn tail.** Bytes after the last intact entry (no newline, a failed checksum, bad JSON)
   are an append that never returned (invariant 1): never applied, reported once, and cut off
   by the next writer before it appends.
6. **Damage is not a tail.** A bad entry followed by intact ones, an entry from a newer schema
   or another schema than its snapshot, a gap in the sequence, or a journal without a snapshot
   is refused with one line naming the file and what to do; nothing is rewritten until the user
   runs ``claimdesk compact --repair`` (which keeps every intact entry and reports the rest) or
   restores ``annotations.json.bak``.

Not covered, as with SQLite: disks that ignore fsync, network filesystems whose locks do not
work, and several machines sharing one file.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.core.annotations.records import paused_gc
from tui.core.annotations.signatures import Signature as Signature
from tui.core.annotations.signatures import current_signature as current_signature
from tui.core.annotations.signatures import signature as signature
from tui.core.annotations.storage import fsync_dir

Op = list[Any]
"""``[table, doc_id, document or None]``: set (or with None, remove) one TinyDB document."""


@dataclass
class Entry:
    """One intact journal entry and where it lies in the file."""

    seq: int
    schema: int
    ops: list[Op]
    offset: int
    end: int


@dataclass
class Damage:
    """Bytes of the journal that are not an intact entry."""

    offset: int
    reason: str


@dataclass
class JournalRead:
    """What reading the journal from an offset found."""

    entries: list[Entry] = field(default_factory=list)
    end: int = 0
    """Offset just past the last intact entry (where the next append belongs)."""
    damaged: list[Damage] = field(default_factory=list)
    """Bad entries followed by intact ones: damage, not a torn tail."""
    torn: Damage | None = None
    """Unusable bytes after the last intact entry (an append that never finished)."""
    tail: list[Damage] = field(default_factory=list)
    """Every unusable line after the last intact entry (``torn`` is the first)."""
    signature: Signature | None = None
    """The journal file's signature at the time it was read."""


def encode(seq: int, schema: int, ops: list[Op]) -> bytes:
    """One journal line: checksum, space, JSON, newline (JSON never contains a raw newline)."""
    body = orjson.dumps({"seq": seq, "schema": schema, "ops": ops})
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def decode(line: bytes) -> dict[str, Any] | str:
    """The entry a line holds, or the reason it is not an intact entry."""
    if len(line) < 10 or line[8:9] != b" ":
        return "no checksum"
    try:
        expected = int(line[:8], 16)
    except ValueError:
        return "no checksum"
    body = line[9:]
    if zlib.crc32(body) != expected:
        return "checksum mismatch"
    try:
        entry = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "checksum matches but the JSON does not parse"
    if not (
        isinstance(entry, dict)
        and type(entry.get("seq")) is int
        and type(entry.get("schema")) is int
        and isinstance(entry.get("ops"), list)
        and all(_is_op(op) for op in entry["ops"])
    ):
        return "not a journal entry (seq, schema, ops)"
    return entry


def _is_op(op: Any) -> bool:
    return (
        isinstance(op, list)
        and len(op) == 3
        and isinstance(op[0], str)
        and isinstance(op[1], str)
        and op[1].isdigit()
        and (op[2] is None or isinstance(op[2], dict))
    )


def read(path: Path, offset: int = 0) -> JournalRead:
    """Every entry from byte ``offset`` on; a missing journal reads as empty."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            handle.seek(offset)
            raw = handle.read()
    except FileNotFoundError:
        return JournalRead(end=0, signature=None)
    result = JournalRead(end=offset, signature=signature(st))
    bad: list[Damage] = []
    position = offset
    with paused_gc():
        for line in raw.split(b"\n")[:-1]:
            decoded = decode(line)
            end = position + len(line) + 1
            if isinstance(decoded, str):
                bad.append(Damage(position, decoded))
            else:
                result.damaged.extend(bad)
                bad = []
                result.entries.append(
                    Entry(decoded["seq"], decoded["schema"], decoded["ops"], position, end)
                )
                result.end = end
            position = end
    if position < offset + len(raw):
        bad.append(Damage(position, "an incomplete last entry (no newline)"))
    if bad:
        result.torn, result.tail = bad[0], bad
    return result


def append(path: Path, line: bytes, mode: int) -> int:
    """Append ``line`` and fsync it; return the journal's size after it.

    On any error the journal is cut back to its size before the append (best effort: a torn
    tail left by a failed cut is detected by the next reader), and the error propagates.
    """
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, mode)
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)
    return size + len(line)


def truncate(path: Path, size: int = 0) -> None:
    """Cut the journal to ``size`` bytes and fsync it (nothing to do when it does not exist)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)
