"""The claimdesk JSON export (``tui/schemas/claimdesk-export.schema.json``): every field of every
annotation as stored, its ``anchor_state`` measured now, where it is now (``current``), the
articles it refers to and the extraction corrections. Lossless: ``import-annotations`` reads it
back.

Streamed: the bytes are exactly ``orjson.dumps(document, option=OPT_INDENT_2)`` of the whole
document, written a batch of annotations at a time, so a 100k export never holds its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from tui.core.annotations.exports.common import (
    ExportFormat,
    ExportInput,
    Placer,
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


def exported_records(data: ExportInput) -> Iterator[dict[str, Any]]:
    """Each annotation with exactly the record fields, its state measured now, and ``current``:
    ``{start, end}`` where its quote is now (plus ``text`` when that text differs from the
    quote, i.e. drifted), or null for an orphan. Counts them in the report."""
    placer = Placer(data.articles)
    articles = data.articles
    written = 0
    for annotation in data.annotations:
        written += 1
        article = articles.get(annotation["article_id"])
        start, end = annotation.get("start"), annotation.get("end")
        if (  # the common case inlined: a body span whose quote is where it was stored
            article is not None
            and annotation.get("anchor_state") == "anchored"
            and annotation.get("field", "body") == "body"
            and isinstance(start, int)
            and start >= 0
            and annotation["quote"]
            and article.body[start:end] == annotation["quote"]
            and annotation.keys() == _FIELD_SET
        ):
            yield {**annotation, "current": {"start": start, "end": end}}
            continue
        placed = placer.place(annotation)
        current: dict[str, Any] | None = None
        if placed.start is not None:
            current = {"start": placed.start, "end": placed.end}
            if placed.text != annotation["quote"]:
                current["text"] = placed.text
        record = {name: annotation.get(name, DEFAULTS.get(name)) for name in FIELDS}
        record["anchor_state"] = placed.state
        record["current"] = current
        yield record
    data.report.written = written


def _member(key: str, items: Iterable[Any], last: bool = False) -> Iterator[bytes]:
    """``"key": [...]`` at the top level of an indented document."""
    opened = False
    for chunk in json_items(items, indent_key=key):
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
    """The claimdesk document, chunk by chunk."""
    ids = sorted({a["article_id"] for a in data.annotations})
    head = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "exported_at": export_time(data.options)}  # fmt: skip
    yield orjson.dumps(head, option=orjson.OPT_INDENT_2)[:-2] + b",\n"
    yield from _member("articles", article_entries(ids, data))
    yield from _member("annotations", exported_records(data))
    yield from _member("corrections", list(data.corrections), last=True)
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
