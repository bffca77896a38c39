"""Label Studio task JSON: a list of tasks, one per annotated text of an article, each with one
pre-made annotation whose ``result`` holds a region per claim.

A region is three results sharing its id: the span (``labels``, from ``label``), the note
(per-region ``textarea``, from ``note``; only when there is one) and the status (per-region
``choices``, from ``status``). Import with the labeling config :data:`LABEL_CONFIG`. Offsets are
code points, which is what Label Studio's text tag counts. Drifted regions are left out unless
``include_drifted``; orphans always are; both are counted in the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.core.annotations.exports.common import (
    ExportFormat,
    ExportInput,
    Placer,
    by_field,
    field_text,
    grouped,
    json_items,
)
from tui.core.annotations.records import KINDS, STATUSES

LABELS = {kind: kind.capitalize() for kind in KINDS}
"""Kind -> Label Studio label value."""
LABEL_CONFIG = (
    "<View>\n"
    '  <Labels name="label" toName="text">\n'
    + "".join(f'    <Label value="{label}"/>\n' for label in LABELS.values())
    + "  </Labels>\n"
    '  <Text name="text" value="$text"/>\n'
    '  <TextArea name="note" toName="text" perRegion="true" editable="true"/>\n'
    '  <Choices name="status" toName="text" perRegion="true">\n'
    + "".join(f'    <Choice value="{status}"/>\n' for status in STATUSES)
    + "  </Choices>\n"
    "</View>\n"
)
"""The labeling interface these tasks are made for (Settings -> Labeling Interface -> Code)."""


def regions(annotation: dict[str, Any], start: int, end: int, text: str) -> list[dict[str, Any]]:
    """The results of one claim's region: span and label, note, status."""
    common = {"id": annotation["id"], "to_name": "text", "origin": "prediction"}
    span = {"start": start, "end": end}
    results: list[dict[str, Any]] = [
        {**common, "from_name": "label", "type": "labels",
         "value": {**span, "text": text, "labels": [LABELS.get(annotation["kind"], "Claim")]}},
    ]  # fmt: skip
    if annotation["note"]:
        results.append({**common, "from_name": "note", "type": "textarea",
                        "value": {**span, "text": [annotation["note"]]}})  # fmt: skip
    results.append({**common, "from_name": "status", "type": "choices",
                    "value": {**span, "choices": [annotation["status"]]}})  # fmt: skip
    return results


def _tasks(data: ExportInput) -> Iterator[dict[str, Any]]:
    placer = Placer(data.articles)
    left_drifted = left_orphans = 0
    data.report.noun = "regions"
    for article_id, mine in grouped(data.annotations).items():
        article = data.articles.get(article_id)
        if article is None:
            left_orphans += len(mine)
            continue
        for name, in_field in by_field(mine).items():
            result: list[dict[str, Any]] = []
            for annotation in in_field:
                placed = placer.place(annotation)
                if placed.start is None or placed.end is None:
                    left_orphans += 1
                    continue
                if placed.state == "drifted" and not data.options.include_drifted:
                    left_drifted += 1
                    continue
                result += regions(annotation, placed.start, placed.end, placed.text)
                data.report.written += 1
            if not result:
                continue
            yield {
                "data": {"text": field_text(article, name), "article_id": article_id,
                         "field": name, "title": article.title, "url": article.meta.url},
                "annotations": [{"result": result, "ground_truth": False}],
            }  # fmt: skip
    if left_drifted:
        data.report.notes.append(
            f"left out {left_drifted} drifted region(s) (the article changed under them): "
            "re-attach them, or export with --include-drifted"
        )
    if left_orphans:
        data.report.notes.append(
            f"left out {left_orphans} orphaned region(s) (not found in the current article)"
        )


def stream(data: ExportInput) -> Iterator[bytes]:
    """The JSON list of tasks, one per line."""
    yield b"[\n"
    for chunk in json_items(_tasks(data), batch_size=1):  # a task holds a whole article
        yield chunk.replace(b',{"data"', b',\n{"data"')
    yield b"\n]\n"


FORMAT = ExportFormat(
    name="label-studio",
    title="Label Studio tasks",
    description="pre-annotated tasks for Label Studio (see LABEL_CONFIG)",
    extension=".json",
    media_type="application/json",
    stream=stream,
    order=8,
)
