"""The tables in memory: indexes kept with every change, and one save's transaction.

:class:`Indexes` are maintained with every change (never rebuilt per read): annotation id ->
document id, article -> its documents, and article -> status counts (the per-article summary
behind ``AnnotationStore.summary()``). :class:`Tx` applies one save's changes to the tables,
records them as journal ops, and can undo them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tui.core.annotations import journal
from tui.core.annotations.storage import Tables

ANNOTATIONS, CORRECTIONS, META = "annotations", "corrections", "_meta"


class Indexes:
    """Lookups over the ``annotations`` table, updated with each change."""

    def __init__(self) -> None:
        """Empty indexes (for an empty table)."""
        self.keys: dict[str, str] = {}
        """Annotation id -> TinyDB document id."""
        self.next_key = 1
        self.by_article: dict[str, dict[str, None]] = {}
        """Article id -> its document ids (an insertion-ordered set)."""
        self.statuses: dict[str, Counter[str]] = {}
        """Article id -> how many of its annotations have each status."""
        self.tags: dict[str, Counter[str]] = {}
        """Article id -> how many of its annotations carry each tag."""

    @classmethod
    def build(cls, tables: Tables) -> Indexes:
        """Index every annotation of ``tables``."""
        indexes = cls()
        table = tables.get(ANNOTATIONS, {})
        keys, by_article, statuses = indexes.keys, indexes.by_article, indexes.statuses
        tags = indexes.tags
        for key, doc in table.items():  # _add, inlined: this loop runs over every annotation
            annotation_id, article, status = doc.get("id"), doc.get("article_id"), doc.get("status")
            if type(annotation_id) is str:
                keys[annotation_id] = key
            if type(article) is not str:
                article = str(article)
            group = by_article.get(article)
            if group is None:
                group = by_article[article] = {}
                statuses[article] = Counter()
                tags[article] = Counter()
            group[key] = None
            statuses[article][status if type(status) is str else str(status)] += 1
            tags[article].update(_tags(doc))
        indexes.next_key = max(map(int, table), default=0) + 1
        return indexes

    def _add(self, key: str, doc: dict[str, Any]) -> None:
        annotation_id, article, status = _indexed(doc)
        if annotation_id is not None:
            self.keys[annotation_id] = key
        self.by_article.setdefault(article, {})[key] = None
        self.statuses.setdefault(article, Counter())[status] += 1
        self.tags.setdefault(article, Counter()).update(_tags(doc))

    def _remove(self, key: str, doc: dict[str, Any]) -> None:
        annotation_id, article, status = _indexed(doc)
        if annotation_id is not None and self.keys.get(annotation_id) == key:
            del self.keys[annotation_id]
        group = self.by_article.get(article, {})
        group.pop(key, None)
        if not group:
            self.by_article.pop(article, None)
        counts = self.statuses.get(article)
        if counts is not None:
            counts[status] -= 1
            if counts[status] <= 0:
                del counts[status]
            if not counts:
                del self.statuses[article]
        tagged = self.tags.get(article)
        if tagged is not None:
            tagged.subtract(_tags(doc))
            for tag in [t for t, n in tagged.items() if n <= 0]:
                del tagged[tag]
            if article not in self.by_article:
                del self.tags[article]

    def update(self, table: str, key: str, old: dict[str, Any] | None, new: Any) -> None:
        """Account for document ``key`` of ``table`` changing from ``old`` to ``new``."""
        if table != ANNOTATIONS:
            return
        if old is not None:
            self._remove(key, old)
        if new is not None:
            self._add(key, new)
            self.next_key = max(self.next_key, int(key) + 1)

    def new_key(self) -> str:
        """A TinyDB document id nobody uses yet."""
        key = str(self.next_key)
        self.next_key += 1
        return key


def _tags(doc: dict[str, Any]) -> list[str]:
    """A document's tags as the tag index counts them (text; anything else as its str)."""
    tags = doc.get("tags")
    return [t if type(t) is str else str(t) for t in tags] if isinstance(tags, list) else []


def _indexed(doc: dict[str, Any]) -> tuple[str | None, str, str]:
    """The id (None unless text), article and status of a document, as the indexes key them."""
    annotation_id = doc.get("id")
    return (
        annotation_id if isinstance(annotation_id, str) else None,
        str(doc.get("article_id")),
        str(doc.get("status")),
    )


class Tx:
    """One save's changes to the tables: applied at once, recorded for the journal."""

    def __init__(self, tables: Tables, indexes: Indexes) -> None:
        """Change ``tables`` in place, keeping ``indexes`` in step."""
        self.tables = tables
        self.indexes = indexes
        self.changes: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._before: dict[tuple[str, str], dict[str, Any] | None] = {}

    def table(self, name: str) -> dict[str, Any]:
        """The documents of a table (empty when it does not exist); read them, don't change them."""
        return self.tables.get(name, {})

    def put(self, name: str, key: str, doc: dict[str, Any]) -> None:
        """Set document ``key`` of table ``name``."""
        table = self.tables.setdefault(name, {})
        self._before.setdefault((name, key), table.get(key))
        self.indexes.update(name, key, table.get(key), doc)
        table[key] = doc
        self.changes[(name, key)] = doc

    def delete(self, name: str, key: str) -> dict[str, Any]:
        """Remove document ``key`` of table ``name`` and return it; KeyError when absent."""
        doc: dict[str, Any] = self.tables.get(name, {}).pop(key)
        self._before.setdefault((name, key), doc)
        self.indexes.update(name, key, doc, None)
        self.changes[(name, key)] = None
        return doc

    def put_annotation(self, record: dict[str, Any]) -> None:
        """Insert ``record``, or replace the annotation with its id."""
        key = self.indexes.keys.get(record["id"]) or self.indexes.new_key()
        self.put(ANNOTATIONS, key, record)

    def rollback(self) -> None:
        """Undo every change (a failed request or save), so the tables match the disk again."""
        for (name, key), doc in reversed(list(self._before.items())):
            table = self.tables.setdefault(name, {})
            self.indexes.update(name, key, table.get(key), doc)
            if doc is None:
                table.pop(key, None)
            else:
                table[key] = doc
        self._before.clear()
        self.changes.clear()

    def ops(self) -> list[journal.Op]:
        """The changes as journal ops."""
        return [[name, key, doc] for (name, key), doc in self.changes.items()]


def apply_ops(tables: Tables, indexes: Indexes, ops: list[journal.Op]) -> None:
    """Replay journal ops onto ``tables``."""
    for name, key, doc in ops:
        table = tables.setdefault(name, {})
        indexes.update(name, key, table.get(key), doc)
        if doc is None:
            table.pop(key, None)
        else:
            table[key] = doc
