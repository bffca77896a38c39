"""Span JSONL for NLP tools (Prodigy-style): one line per annotated text of an article.

Each line is ``{"text", "meta", "spans"}``: ``text`` is the article's body (or its headline or
summary, named by ``meta.field``), and each span is ``{start, end, label, text, quote, tags, note,
status, id, anchor_state}`` with Python code-point offsets into ``text``, end exclusive, and
``label`` the kind in upper case (CLAIM, FIGURE, QUOTE, NOTE).

Only spans whose quote is exactly at ``start:end`` in the current text are in ``spans`` by default:
a drifted span (the article changed under it) would teach a model the wrong passage. They are
listed in ``meta.drifted`` (stored quote and current position) and orphans in ``meta.orphans``;
``meta.include_drifted`` says which choice was made. With ``include_drifted=True``
(``--include-drifted``) drifted spans are in ``spans`` at their current position with
``anchor_state: "drifted"`` and both ``text`` (now) and ``quote`` (annotated).

For spaCy users: spans may overlap (a figure inside a claim), so put them in ``doc.spans`` rather
than ``doc.ents``, and pick an ``alignment_mode`` because a span need not end on a token
boundary (``"strict"``, the default, returns None there)::

    import spacy, srsly
    from spacy.tokens import DocBin
    nlp = spacy.blank("en")
    docs = []
    for line in srsly.read_jsonl("claims.jsonl"):
        doc = nlp.make_doc(line["text"])
        spans = [doc.char_span(s["start"], s["end"], label=s["label"],
                               alignment_mode="expand") for s in line["spans"]]
        doc.spans["sc"] = [s for s in spans if s is not None]
        docs.append(doc)
    DocBin(docs=docs).to_disk("claims.spacy")

``"expand"`` widens a span to whole tokens, ``"contract"`` narrows it; both keep every claim.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
    """One JSON line per article and field, in article id order."""
    placer = Placer(data.articles)
    include = data.options.include_drifted
    left_drifted = left_orphans = 0
    data.report.noun = "spans"
    for article_id, mine in grouped(data.annotations).items():
        article = data.articles.get(article_id)
        for name, in_field in by_field(mine).items():
            spans, drifted, orphans = [], [], []
            for annotation in in_field:
                placed = placer.place(annotation)
                common = {
                    "tags": annotation["tags"], "note": annotation["note"],
                    "status": annotation["status"], "id": annotation["id"],
                }  # fmt: skip
                if placed.start is None:
                    orphans.append({"quote": annotation["quote"], **common})
                    continue
                span = {
                    "start": placed.start, "end": placed.end,
                    "label": annotation["kind"].upper(), "text": placed.text,
                    "quote": annotation["quote"], **common, "anchor_state": placed.state,
                }  # fmt: skip
                if placed.state == "anchored" or include:
                    spans.append(span)
                else:
                    drifted.append(span)
            left_drifted += len(drifted)
            left_orphans += len(orphans)
            data.report.written += len(spans)
            meta: dict[str, Any] = {
                "id": article_id,
                "field": name,
                "title": article.title if article else None,
                "url": article.meta.url if article else None,
                "sha256": placer.sha256(article, name) if article else None,
                "include_drifted": include,
                "drifted": drifted,
                "orphans": orphans,
            }
            text = field_text(article, name) if article else ""
            yield orjson.dumps({"text": text, "meta": meta, "spans": spans}) + b"\n"
    if left_drifted:
        data.report.notes.append(
            f"left out {left_drifted} drifted span(s) (the article changed under them; listed "
            "in meta.drifted): re-attach them, or export with --include-drifted"
        )
    if left_orphans:
        data.report.notes.append(
            f"left out {left_orphans} orphaned span(s) (not found in the article; listed in "
            "meta.orphans)"
        )


FORMAT = ExportFormat(
    name="jsonl",
    title="span JSONL",
    description="one line per article: text and spans, for Prodigy and spaCy",
    extension=".jsonl",
    media_type="application/jsonl",
    stream=stream,
    order=2,
)
