"""The claimdesk JSON export (``tui/schemas/claimdesk-export.schema.json``): every field of every
annotation as stored, its ``anchor_state`` measured now, where it is now (``current``), the
articles it refers to and the extraction corrections. Lossless: ``import-annotations`` reads it
back.

Streamed: the bytes are exactly ``orjson.dumps(document, option=OPT_INDENT_2)`` of the whole
document, written a batch of annotations at a time, so a 100k export never holds its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import compress
from operator import itemgetter
from typing import Any

import orjson

from tui.core.annotations.exports.common import (
    BATCH,
    ExportFormat,
    ExportInput,
    Placer,
    array_body,
    export_time,
    json_items,
)
from tui.core.annotations.records import DEFAULTS, FIELDS

FORMAT_NAME = "claimdesk"
FORMAT_VERSION = 1
_FIELD_SET = frozenset(FIELDS)


def article_entries(ids: Iterable[str], data: ExportInput) -> list[dict[str, Any]]:
    """The ``articles`` list: what the export knows of each article annotated."""
    listed = []
    for article_id in ids:
        article = data.articles.get(article_id)
        meta = article.meta if article else None
        listed.append(
            {
                "id": article_id,
                "title": meta.title if meta else None,
                "source": meta.source if meta else None,
                "url": meta.url if meta else None,
                "sha256": meta.sha256 if meta else None,
            }
        )
    return listed


_ROW = itemgetter("article_id", "start", "end", "quote", "anchor_state", "field")
"""What decides whether a record's stored position is its current one (read in C, per batch)."""


def exported_record(annotation: dict[str, Any], placer: Placer) -> dict[str, Any]:
    """A record re-placed in the current text: exactly the record fields, its state measured
    now, and ``current`` (plus ``text`` when that text differs from the quote, i.e. drifted)."""
    placed = placer.place(annotation)
    current: dict[str, Any] | None = None
    if placed.start is not None:
        current = {"start": placed.start, "end": placed.end}
        if placed.text != annotation["quote"]:
            current["text"] = placed.text
    record = {name: annotation.get(name, DEFAULTS.get(name)) for name in FIELDS}
    record["anchor_state"] = placed.state
    record["current"] = current
    return record


def annotation_chunks(data: ExportInput, ids: set[str]) -> Iterator[bytes]:
    """The items of the ``annotations`` member, a batch at a time; adds each annotation's
    article id to ``ids`` and counts them in the report.

    The common case, a body span whose quote is where it was stored, is decided for a whole
    batch in one comprehension, and its record is serialised as it is: ``current`` is added to
    the dict only while its batch is dumped and removed before the chunk is yielded, so the
    caller's records are unchanged afterwards (do not share them with another thread during an
    export). Copying 100k records instead cost more than serialising them. A record on that path
    has all six fields read and exactly as many keys as :data:`FIELDS` (the store refuses a file
    whose records lack one, so for its records that means exactly the fields); every other
    record is copied field by field and placed again (:func:`exported_record`).
    """
    placer = Placer(data.articles)
    bodies = {aid: article.body for aid, article in data.articles.items()}
    annotations, size, first = data.annotations, len(_FIELD_SET), True
    for at in range(0, len(annotations), BATCH):
        batch = annotations[at : at + BATCH]
        try:
            rows = list(map(_ROW, batch))
        except KeyError:  # a record without one of them: none of this batch takes the fast path
            rows = [(a["article_id"], None, None, "", "", "") for a in batch]
        ids.update(row[0] for row in rows)
        kept = [
            state == "anchored"
            and where == "body"
            and type(start) is int
            and start >= 0
            and quote
            and len(annotation) == size
            and (body := bodies.get(aid)) is not None
            and body[start:end] == quote
            for annotation, (aid, start, end, quote, state, where) in zip(batch, rows, strict=True)
        ]
        exported = [
            annotation if keep else exported_record(annotation, placer)
            for annotation, keep in zip(batch, kept, strict=True)
        ]
        marked = list(compress(batch, kept))
        try:
            for annotation, row in zip(marked, compress(rows, kept), strict=True):
                annotation["current"] = {"start": row[1], "end": row[2]}
            chunk = array_body(exported, "annotations", first)
        finally:
            for annotation in marked:
                annotation.pop("current", None)
        del exported, marked, rows, kept  # freed before the GC runs again (see exports._gc_paused)
        first = False
        yield chunk
    data.report.written = len(annotations)


def _member(key: str, chunks: Iterable[bytes], last: bool = False) -> Iterator[bytes]:
    """``"key": [...]`` at the top level of an indented document, from its items' chunks."""
    opened = False
    for chunk in chunks:
        if not opened:
            yield b"  " + orjson.dumps(key) + b": [\n"
            opened = True
        yield chunk
    if opened:
        yield b"\n  ]"
    else:
        yield b"  " + orjson.dumps(key) + b": []"
    yield b"\n" if last else b",\n"


def stream(data: ExportInput) -> Iterator[bytes]:
    """The claimdesk document, chunk by chunk: the annotations come before the articles, whose
    ids are gathered while the annotations are written."""
    ids: set[str] = set()
    head = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "exported_at": export_time(data.options)}  # fmt: skip
    yield orjson.dumps(head, option=orjson.OPT_INDENT_2)[:-2] + b",\n"
    yield from _member("annotations", annotation_chunks(data, ids))
    articles = article_entries(sorted(ids), data)
    yield from _member("articles", json_items(articles, indent_key="articles"))
    corrections = json_items(list(data.corrections), indent_key="corrections")
    yield from _member("corrections", corrections, last=True)
    yield b"}\n"


FORMAT = ExportFormat(
    name="json",
    title="Claimdesk JSON",
    description="all fields, with a JSON Schema; import-annotations reads it back",
    extension=".json",
    media_type="application/json",
    stream=stream,
    order=0,
)
