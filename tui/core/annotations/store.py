"""The annotation store: annotations and extraction corrections in one TinyDB file.

``annotations.json`` is a TinyDB database (tables ``annotations``, ``corrections``, ``_meta``)
kept by :class:`~tui.core.storage.AtomicJSONStorage`. Every change runs under a cross-process
file lock as one read-modify-write and is durable when the method returns. Changes go straight
to the table dicts rather than through ``tinydb.Table``, whose per-write rebuild of every key
costs as much as the save itself at 100k annotations; the file stays an ordinary TinyDB file
(``TinyDB(path, storage=AtomicJSONStorage)`` reads it).

A change whose save fails (disk full, permission denied) is kept in memory, visible to reads,
and saved again with the next change or :meth:`AnnotationStore.save`.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from uuid import uuid4

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB

from tui.core.annotations import records
from tui.core.annotations.anchors import select
from tui.core.annotations.storage import AtomicJSONStorage, StorageCorrupt, Tables
from tui.core.fields import field_sha256, field_text

if TYPE_CHECKING:
    from tui.core.articles.library import Article

SCHEMA_VERSION = 3
"""Version of the table layout; older files are migrated forward on open."""
ANNOTATIONS, CORRECTIONS, META = "annotations", "corrections", "_meta"
LOCK_TIMEOUT = 10.0
"""Seconds to wait for another Claimdesk process to finish its save."""

Op = Callable[[Tables, "records.Index"], Any]


class StoreError(Exception):
    """A database problem the user must act on: ``str()`` names the file and what to do."""


class AnnotationStore:
    """Annotations and corrections in one crash-safe, multi-process-safe TinyDB file."""

    def __init__(self, path: Path) -> None:
        """Open ``path`` (created on the first save); migrate an older schema forward."""
        self.path = Path(path)
        """The database file."""
        self._storage = AtomicJSONStorage(self.path)
        self._lock = FileLock(f"{self.path}.lock", timeout=LOCK_TIMEOUT)
        self._thread_lock = threading.RLock()
        self._pending: list[Op] = []
        self._index = records.Index()
        self._index_generation = -1
        self._checked_generation = -1
        self._swept = False
        data = self._read()
        if data is not None and records.schema_version(data) != SCHEMA_VERSION:
            self._commit(lambda tables, index: None)  # the transaction migrates

    @property
    def db(self) -> TinyDB:
        """A TinyDB view of the file for ad-hoc queries; change data only through this class.

        A fresh view each time, so TinyDB's query caches and cached next ids are never stale
        after a save by this store or another process.
        """
        return TinyDB(storage=lambda: self._storage)

    # ----------------------------------------------------------------- reading
    def _read(self) -> Tables | None:
        try:
            data = self._storage.read()
        except StorageCorrupt as exc:
            raise StoreError(self._storage.damaged_message(str(exc))) from None
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot read the database ({exc.strerror}); check its permissions"
            ) from None
        if data is None or self._checked_generation == self._storage.generation:
            return data
        version = records.schema_version(data)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer Claimdesk (schema "
                f"{version} > {SCHEMA_VERSION}); upgrade Claimdesk to use it"
            )
        problem = records.first_malformed(data.get(ANNOTATIONS, {}))
        if version == SCHEMA_VERSION and problem:
            self._storage.forget()
            raise StoreError(self._storage.damaged_message(problem))
        self._checked_generation = self._storage.generation
        return data

    def _snapshot(self) -> tuple[Tables, records.Index]:
        """The current tables (with unsaved changes applied) and their id index."""
        with self._thread_lock:
            data = self._read()
            if data is None:
                data = {}
            if records.schema_version(data) != SCHEMA_VERSION:
                data = records.migrate({k: dict(v) for k, v in data.items()}, SCHEMA_VERSION)
                return self._with_pending(data, records.Index.build(data.get(ANNOTATIONS, {})))
            if not self._pending:
                return data, self._current_index(data)
            copy = {name: dict(table) for name, table in data.items()}
            return self._with_pending(copy, records.Index.build(copy.get(ANNOTATIONS, {})))

    def _with_pending(self, data: Tables, index: records.Index) -> tuple[Tables, records.Index]:
        for op in self._pending:
            with contextlib.suppress(KeyError, ValueError):
                op(data, index)
        return data, index

    def _current_index(self, data: Tables) -> records.Index:
        if self._index_generation != self._storage.generation:
            self._index = records.Index.build(data.get(ANNOTATIONS, {}))
            self._index_generation = self._storage.generation
        return self._index

    def get(self, annotation_id: str) -> dict[str, Any] | None:
        """The annotation with this id, or None."""
        with self._thread_lock:  # a writer thread must not change the dicts we read
            data, index = self._snapshot()
            key = index.keys.get(annotation_id)
            return records.copy(data[ANNOTATIONS][key]) if key is not None else None

    def annotations(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Annotations (of one article), ordered by article then position."""
        with self._thread_lock:
            data, _ = self._snapshot()
            docs: Iterable[dict[str, Any]] = data.get(ANNOTATIONS, {}).values()
            if article_id is not None:
                docs = [d for d in docs if d["article_id"] == article_id]
            with records.paused_gc():  # sort keys and copies: many small acyclic objects
                ordered = sorted(docs, key=itemgetter("article_id", "start", "created"))
                return [records.copy(doc) for doc in ordered]

    def counts_by_article(self) -> dict[str, int]:
        """How many annotations each article has."""
        with self._thread_lock:
            data, _ = self._snapshot()
            return dict(Counter(d["article_id"] for d in data.get(ANNOTATIONS, {}).values()))

    def all_tags(self) -> list[str]:
        """Every tag in use, most used first (for completion)."""
        with self._thread_lock:
            data, _ = self._snapshot()
            counts = Counter(t for d in data.get(ANNOTATIONS, {}).values() for t in d["tags"])
        return [tag for tag, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    def corrections(self) -> list[dict[str, Any]]:
        """Extraction corrections in the order they were made."""
        with self._thread_lock:
            data, _ = self._snapshot()
            table = data.get(CORRECTIONS, {})
            return [dict(table[key]) for key in sorted(table, key=int)]

    @property
    def unsaved(self) -> int:
        """How many changes failed to save and wait for the next save."""
        return len(self._pending)

    # ----------------------------------------------------------------- writing
    @contextlib.contextmanager
    def _locked(self) -> Iterator[Tables]:
        """Hold the lock around one read-modify-write of the freshest data; save on success."""
        try:
            with self._lock:
                data = self._read()
                if data is None:
                    data = {}
                if records.schema_version(data) != SCHEMA_VERSION:
                    self._storage.copy_aside(f"v{records.schema_version(data)}.bak")
                    data = records.migrate(data, SCHEMA_VERSION)
                    self._index_generation = -1
                if not self._swept:
                    self._storage.sweep_temp_files()  # safe: we hold the lock
                    self._swept = True
                try:
                    yield data
                except BaseException:
                    self._storage.forget()  # ops may have half-changed the cached dict
                    self._index_generation = -1
                    raise
                self._storage.write(data)
        except Timeout:
            raise StoreError(
                f"{self.path}: another Claimdesk process has held {self.path}.lock for "
                f"{LOCK_TIMEOUT:.0f} s; wait for it or close it, then retry"
            ) from None
        except OSError as exc:
            self._index_generation = -1
            reason = exc.strerror or str(exc)
            raise StoreError(
                f"{self.path}: not saved ({reason}); free disk space or fix the folder's "
                "permissions, then save again (the change is kept until then)"
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
                with self._locked() as data:
                    index = self._current_index(data)
                    for earlier in self._pending[:-1]:
                        with contextlib.suppress(KeyError, ValueError):
                            earlier(data, index)
                    data.setdefault(META, {})["1"] = {"schema_version": SCHEMA_VERSION}
                    result = op(data, index)
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
            self._commit(lambda tables, index: None)

    def add(
        self,
        article: Article,
        start: int,
        end: int,
        *,
        tags: Iterable[str] = (),
        note: str = "",
        status: str = "unverified",
        kind: str = "claim",
        figure: dict[str, Any] | None = None,
        author: str,
        field: str = "body",
    ) -> dict[str, Any]:
        """Annotate ``start:end`` of the article's ``field`` (its body unless told otherwise);
        the record is durable when this returns."""
        now = records.utc_timestamp()
        record = records.clean(
            {
                "id": str(uuid4()),
                "article_id": article.id,
                "kind": kind,
                **select(field_text(article, field), start, end),
                "sha256": field_sha256(article, field),
                "tags": list(tags),
                "note": note,
                "status": status,
                "figure": figure,
                "anchor_state": "anchored",
                "created": now,
                "modified": now,
                "author": author,
                "field": field,
                "history": [],
            }
        )
        self._commit(lambda tables, index: records.put(tables, index, record))
        return records.copy(record)

    def update(self, annotation_id: str, **changes: Any) -> dict[str, Any]:
        """Change tags, note, status, kind or figure; raise KeyError for an unknown id."""
        unknown = set(changes) - records.EDITABLE
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
        current = self.get(annotation_id)
        if current is None:
            raise KeyError(annotation_id)
        cleaned = records.clean({**current, **changes})
        return self._change(annotation_id, {k: cleaned[k] for k in changes})

    def reattach(
        self,
        annotation_id: str,
        start: int,
        end: int,
        article: Article,
        *,
        field: str = "body",
        figure: dict[str, Any] | Literal["keep"] | None = "keep",
    ) -> dict[str, Any]:
        """Move an annotation to ``start:end`` of the article's ``field`` (the user confirmed the
        new place), keeping its previous quote, offsets and figure in ``history``; ``figure``
        replaces the recorded figure unless it is "keep"."""
        current = self.get(annotation_id)
        if current is None:
            raise KeyError(annotation_id)
        fields: dict[str, Any] = {
            "article_id": article.id,
            "sha256": field_sha256(article, field),
            "anchor_state": "anchored",
            "field": records.as_text_field(field),
            "history": [*current["history"], records.history_entry(current, "re-attached")],
        }
        if figure != "keep":
            fields["figure"] = records.clean_figure(figure)
        return self._change(
            annotation_id, {**select(field_text(article, field), start, end), **fields}
        )

    def _change(self, annotation_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Set validated ``fields`` of one annotation and stamp ``modified``."""

        def apply(tables: Tables, index: records.Index) -> dict[str, Any]:
            key = index.keys[annotation_id]
            doc = {**tables[ANNOTATIONS][key], **fields, "modified": records.utc_timestamp()}
            tables[ANNOTATIONS][key] = doc
            return doc

        return records.copy(self._commit(apply))

    def delete(self, annotation_id: str) -> dict[str, Any]:
        """Remove an annotation and return it (pass it to :meth:`restore` to undo)."""

        def apply(tables: Tables, index: records.Index) -> dict[str, Any]:
            key = index.keys.pop(annotation_id)
            return tables[ANNOTATIONS].pop(key)

        return records.copy(self._commit(apply))

    def restore(self, annotation: dict[str, Any]) -> None:
        """Put a deleted annotation back unchanged (undo)."""
        record = records.clean(annotation)
        self._commit(lambda tables, index: records.put(tables, index, record))

    def add_correction(self, correction: dict[str, Any]) -> dict[str, Any]:
        """Store an extraction correction, giving it an id and ``created`` if missing."""
        record = {"id": str(uuid4()), "created": records.utc_timestamp(), **correction}
        records.check_json(record)

        self._commit(lambda tables, index: _append_corrections(tables, [record]))
        return dict(record)

    def remove_correction(self, correction_id: str) -> None:
        """Delete a correction; an unknown id is not an error (it may be gone already)."""

        def apply(tables: Tables, index: records.Index) -> None:
            table = tables.get(CORRECTIONS, {})
            for key in [k for k, doc in table.items() if doc.get("id") == correction_id]:
                del table[key]

        self._commit(apply)

    def merge(
        self, incoming: list[dict[str, Any]], corrections: Iterable[dict[str, Any]] = ()
    ) -> records.MergeReport:
        """Import annotations by id in one save: new ones are added, the newer version of a
        changed one is kept, every difference is reported. Fields a record lacks come from the
        existing version or the defaults."""
        now = records.utc_timestamp()
        defaults = {**records.DEFAULTS, "created": now, "modified": now}
        extra = [records.clean_correction(c, now) for c in corrections]

        def apply(tables: Tables, index: records.Index) -> records.MergeReport:
            report = records.MergeReport()
            table = tables.setdefault(ANNOTATIONS, {})
            for doc in incoming:
                if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                    report.skipped.append(f"{str(doc)[:60]}: an annotation needs a text id")
                    continue
                key = index.keys.get(doc["id"])
                mine = table[key] if key is not None else None
                try:
                    full = records.clean({**(mine or defaults), **doc})
                except (ValueError, TypeError) as exc:
                    report.skipped.append(f"{doc.get('id', '?')}: {exc}")
                    continue
                if mine is None:
                    records.put(tables, index, full)
                    report.added.append(full["id"])
                elif records.same(mine, full):
                    report.unchanged.append(full["id"])
                elif records.moment(full["modified"]) > records.moment(mine["modified"]):
                    table[key] = full  # type: ignore[index]
                    report.updated.append(full["id"])
                    report.conflicts.append(f"{full['id']}: took the file's newer version")
                else:
                    report.conflicts.append(f"{full['id']}: kept this database's version")
            report.corrections_added = _append_corrections(tables, extra)
            return report

        result: records.MergeReport = self._commit(apply)
        return result


    # ----------------------------------------------------------------- side tables
    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a small side table (such as ``feeds``), in the order first put."""
        name = _side_table(table)
        with self._thread_lock:
            data, _ = self._snapshot()
            docs = data.get(name, {})
            return [orjson.loads(orjson.dumps(docs[k])) for k in sorted(docs, key=int)]

    def put_row(self, table: str, key: str, row: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace the row with ``key`` in a side table; durable when this returns.

        The stored row is ``row`` plus ``"key": key``; a row whose own ``key`` differs is
        refused (ValueError), as is one that would not survive a save.
        """
        name = _side_table(table)
        if not isinstance(key, str) or not key:
            raise ValueError("a row key must be non-empty text")
        if not isinstance(row, dict):
            raise ValueError(f"a row of '{name}' must be an object")
        if row.get("key", key) != key:
            raise ValueError(f"row key {row['key']!r} differs from {key!r}")
        doc = {**row, "key": key}
        records.check_json(doc)
        doc = orjson.loads(orjson.dumps(doc))  # our own copy: the caller may keep mutating row

        def apply(tables: Tables, index: records.Index) -> None:
            docs = tables.setdefault(name, {})
            found = next((k for k, d in docs.items() if d.get("key") == key), None)
            docs[found or str(max(map(int, docs), default=0) + 1)] = doc

        self._commit(apply)
        copied: dict[str, Any] = orjson.loads(orjson.dumps(doc))
        return copied

    def delete_row(self, table: str, key: str) -> None:
        """Remove the row with ``key`` from a side table; KeyError when there is none."""
        name = _side_table(table)

        def apply(tables: Tables, index: records.Index) -> None:
            docs = tables.get(name, {})
            found = next((k for k, d in docs.items() if d.get("key") == key), None)
            if found is None:
                raise KeyError(key)
            del docs[found]

        self._commit(apply)


RESERVED_TABLES = frozenset({ANNOTATIONS, CORRECTIONS, META})
"""Tables with their own API and invariants: the side-table methods refuse them."""


def _side_table(table: str) -> str:
    """``table`` when it may be used as a side table; ValueError otherwise."""
    if not isinstance(table, str) or not table or table.startswith("_"):
        raise ValueError(f"{table!r} is not a side-table name (non-empty, not starting with _)")
    if table in RESERVED_TABLES:
        raise ValueError(f"'{table}' is not a side table; use the annotation methods")
    return table


def _append_corrections(tables: Tables, corrections: Iterable[dict[str, Any]]) -> int:
    """Add the corrections whose id the table lacks, in order; return how many were added."""
    table = tables.setdefault(CORRECTIONS, {})
    known = {doc.get("id") for doc in table.values()}
    added = 0
    for correction in corrections:
        if correction.get("id") not in known:
            table[str(max(map(int, table), default=0) + 1)] = correction
            known.add(correction.get("id"))
            added += 1
    return added


def open_store(path: Path) -> AnnotationStore:
    """Open the annotation database at ``path``; raise StoreError with what to do."""
    return AnnotationStore(path)
