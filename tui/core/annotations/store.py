"""The annotation store: annotations, extraction corrections and side tables in one TinyDB file.

``annotations.json`` is a TinyDB database (tables ``annotations``, ``corrections``, ``_meta`` and
side tables such as ``feeds``) that plain ``TinyDB("annotations.json")`` reads. Changes since
its last rewrite live in ``annotations.json.journal`` beside it; the design and its invariants
are in :mod:`tui.core.annotations.journal`, the replay and indexes in
:mod:`tui.core.annotations.database`. Every change runs under a cross-process file lock as one
read-modify-write of the freshest data and is durable when the method returns; small databases
are rewritten whole (atomically, keeping ``.bak``), larger ones append one fsynced journal entry,
so a save costs the same at 100k annotations as at 1k.

A change whose save fails (disk full, permission denied) is kept in memory, visible to reads,
and saved again with the next change or :meth:`AnnotationStore.save`; it is lost if the process
exits first. Call :meth:`AnnotationStore.close` on a clean exit: it folds the journal into the
snapshot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from uuid import uuid4

import orjson

from tui.core.annotations import records
from tui.core.annotations.anchors import select
from tui.core.annotations.database import ANNOTATIONS, CORRECTIONS, META, StoreError, Tx
from tui.core.annotations.database import Summary as Summary
from tui.core.annotations.database import read_summary as read_summary
from tui.core.annotations.transactions import TransactionalStore
from tui.core.fields import field_sha256, field_text

if TYPE_CHECKING:
    from tui.core.articles.library import Article

SCHEMA_VERSION = 3
"""Version of the table layout; older files are migrated forward on open."""
__all__ = [
    "SCHEMA_VERSION",
    "AnnotationStore",
    "StoreError",
    "Summary",
    "open_store",
    "read_summary",
]


class AnnotationStore(TransactionalStore):
    """Annotations and corrections in one crash-safe, multi-process-safe TinyDB file."""

    schema_version = SCHEMA_VERSION

    # ----------------------------------------------------------------- reading
    def get(self, annotation_id: str) -> dict[str, Any] | None:
        """The annotation with this id, or None."""
        with self._thread_lock:  # a writer thread must not change the dicts we read
            data, indexes = self._snapshot()
            key = indexes.keys.get(annotation_id)
            return records.copy(data[ANNOTATIONS][key]) if key is not None else None

    def annotations(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Annotations (of one article, found through the index), by article then position."""
        with self._thread_lock:
            data, indexes = self._snapshot()
            table = data.get(ANNOTATIONS, {})
            docs: Iterable[dict[str, Any]] = table.values()
            if article_id is not None:
                docs = [table[key] for key in indexes.by_article.get(article_id, ())]
            with records.paused_gc():  # sort keys and copies: many small acyclic objects
                ordered = sorted(docs, key=records.READING_ORDER)
                return [records.copy(doc) for doc in ordered]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per article: how many annotations (``count``) and how many have each status."""
        with self._thread_lock:
            _, indexes = self._snapshot()
            return {
                article: {"count": sum(counts.values()), "statuses": dict(counts)}
                for article, counts in indexes.statuses.items()
            }

    def tags_by_article(self) -> dict[str, dict[str, int]]:
        """Per article: how many of its annotations carry each tag."""
        with self._thread_lock:
            _, indexes = self._snapshot()
            return {article: dict(tags) for article, tags in indexes.tags.items() if tags}

    def counts_by_article(self) -> dict[str, int]:
        """How many annotations each article has."""
        with self._thread_lock:
            _, indexes = self._snapshot()
            return {article: len(keys) for article, keys in indexes.by_article.items()}

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

    # ----------------------------------------------------------------- writing
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
        self._commit(lambda tx: tx.put_annotation(record))
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

        def apply(tx: Tx) -> dict[str, Any]:
            key = tx.indexes.keys[annotation_id]
            doc = {**tx.table(ANNOTATIONS)[key], **fields, "modified": records.utc_timestamp()}
            tx.put(ANNOTATIONS, key, doc)
            return doc

        return records.copy(self._commit(apply))

    def delete(self, annotation_id: str) -> dict[str, Any]:
        """Remove an annotation and return it (pass it to :meth:`restore` to undo)."""

        def apply(tx: Tx) -> dict[str, Any]:
            return tx.delete(ANNOTATIONS, tx.indexes.keys[annotation_id])

        return records.copy(self._commit(apply))

    def restore(self, annotation: dict[str, Any]) -> None:
        """Put a deleted annotation back unchanged (undo)."""
        record = records.clean(annotation)
        self._commit(lambda tx: tx.put_annotation(record))

    def add_correction(self, correction: dict[str, Any]) -> dict[str, Any]:
        """Store an extraction correction, giving it an id and ``created`` if missing."""
        record = {"id": str(uuid4()), "created": records.utc_timestamp(), **correction}
        records.check_json(record)
        self._commit(lambda tx: append_corrections(tx, [record]))
        return dict(record)

    def remove_correction(self, correction_id: str) -> None:
        """Delete a correction; an unknown id is not an error (it may be gone already)."""

        def apply(tx: Tx) -> None:
            table = tx.table(CORRECTIONS)
            for key in [k for k, doc in table.items() if doc.get("id") == correction_id]:
                tx.delete(CORRECTIONS, key)

        self._commit(apply)

    def merge(
        self, incoming: list[dict[str, Any]], corrections: Iterable[dict[str, Any]] = ()
    ) -> records.MergeReport:
        """Import annotations by id in one save: new ones are added, the newer version of a
        changed one is kept, every difference is reported. Fields a record lacks come from the
        existing version or the defaults. Nothing is written when nothing changes."""
        now = records.utc_timestamp()
        defaults = {**records.DEFAULTS, "created": now, "modified": now}
        with records.paused_gc():  # many small acyclic dicts: collections would dominate
            extra = [records.clean_correction(c, now) for c in corrections]

        def apply(tx: Tx) -> records.MergeReport:
            report = records.MergeReport()
            table = tx.table(ANNOTATIONS)
            for doc in incoming:
                if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                    report.skipped.append(f"{str(doc)[:60]}: an annotation needs a text id")
                    continue
                key = tx.indexes.keys.get(doc["id"])
                mine = table.get(key) if key is not None else None
                try:
                    full = records.clean({**(mine or defaults), **doc})
                except (ValueError, TypeError) as exc:
                    report.skipped.append(f"{doc.get('id', '?')}: {exc}")
                    continue
                if mine is None:
                    tx.put_annotation(full)
                    report.added.append(full["id"])
                elif records.same(mine, full):
                    report.unchanged.append(full["id"])
                elif records.moment(full["modified"]) > records.moment(mine["modified"]):
                    tx.put(ANNOTATIONS, key, full)  # type: ignore[arg-type]
                    report.updated.append(full["id"])
                    report.conflicts.append(f"{full['id']}: took the file's newer version")
                else:
                    report.conflicts.append(f"{full['id']}: kept this database's version")
            report.corrections_added = append_corrections(tx, extra)
            return report

        with records.paused_gc():
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

        def apply(tx: Tx) -> None:
            docs = tx.table(name)
            found = next((k for k, d in docs.items() if d.get("key") == key), None)
            tx.put(name, found or str(max(map(int, docs), default=0) + 1), doc)

        self._commit(apply)
        copied: dict[str, Any] = orjson.loads(orjson.dumps(doc))
        return copied

    def delete_row(self, table: str, key: str) -> None:
        """Remove the row with ``key`` from a side table; KeyError when there is none."""
        name = _side_table(table)

        def apply(tx: Tx) -> None:
            found = next((k for k, d in tx.table(name).items() if d.get("key") == key), None)
            if found is None:
                raise KeyError(key)
            tx.delete(name, found)

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


def append_corrections(tx: Tx, corrections: Iterable[dict[str, Any]]) -> int:
    """Add the corrections whose id the table lacks, in order; return how many were added.

    Linear in the table plus the input: the next free document id is found once.
    """
    table = tx.table(CORRECTIONS)
    known = {doc.get("id") for doc in table.values()}
    next_key = max(map(int, table), default=0) + 1
    added = 0
    for correction in corrections:
        if correction.get("id") not in known:
            tx.put(CORRECTIONS, str(next_key), correction)
            next_key += 1
            known.add(correction.get("id"))
            added += 1
    return added


def open_store(path: Path) -> AnnotationStore:
    """Open the annotation database at ``path``; raise StoreError with what to do."""
    return AnnotationStore(path)
