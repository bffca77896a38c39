"""doccano sequence-labeling JSONL: one line per annotated text of an article, in the shape
doccano's importer documents, ``{"text": ..., "label": [[start, end, "LABEL"], ...]}``.

Offsets are code points into ``text``, end exclusive; ``LABEL`` is the kind in upper case
(CLAIM, FIGURE, QUOTE, NOTE). Every other key on the line (``article_id``, ``field``,
``title``, ``url``, ``claims``: id, status, tags and note per label, in the same order) is kept
by doccano as the example's metadata. As in the span JSONL, drifted spans are left out unless
``include_drifted`` and orphans always are; both are counted in the report.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from tui.core.annotations.exports.common import (
    ExportFormat,
    ExportInput,
    Placer,
    by_field,
    field_text,
    grouped,
)


def stream(data: ExportInput) -> Iterator[bytes]:
    """One JSON line per article and field that keeps at least one label."""
    placer = Placer(data.articles)
    left_drifted = left_orphans = 0
    data.report.noun = "labels"
    for article_id, mine in grouped(data.annotations).items():
        article = data.articles.get(article_id)
        if article is None:
            left_orphans += len(mine)
            continue
        for name, in_field in by_field(mine).items():
            labels, claims = [], []
            for annotation in in_field:
                placed = placer.place(annotation)
                if placed.start is None:
                    left_orphans += 1
                    continue
                if placed.state == "drifted" and not data.options.include_drifted:
                    left_drifted += 1
                    continue
                labels.append([placed.start, placed.end, annotation["kind"].upper()])
                claims.append(
                    {"id": annotation["id"], "status": annotation["status"],
                     "tags": annotation["tags"], "note": annotation["note"],
                     "anchor_state": placed.state}
                )  # fmt: skip
            if not labels:
                continue
            data.report.written += len(labels)
            line = {
                "text": field_text(article, name),
                "label": labels,
                "article_id": article_id,
                "field": name,
                "title": article.title,
                "url": article.meta.url,
                "claims": claims,
            }
            yield orjson.dumps(line) + b"\n"
    if left_drifted:
        data.report.notes.append(
            f"left out {left_drifted} drifted label(s) (the article changed under them): "
            "re-attach them, or export with --include-drifted"
        )
    if left_orphans:
        data.report.notes.append(
            f"left out {left_orphans} orphaned label(s) (not found in the current article)"
        )


FORMAT = ExportFormat(
    name="doccano",
    title="doccano JSONL",
    description="sequence-labeling import for doccano",
    extension=".jsonl",
    media_type="application/jsonl",
    stream=stream,
    order=7,
)
