"""W3C Web Annotation export: one ``AnnotationCollection`` (JSON-LD) whose first and only page
holds every annotation.

Identity: the collection and its page have ``urn:uuid:`` ids derived from the export's content
(the annotations' ids, modification times and states), so exporting the same annotations again
gives the same ids. Each annotation keeps its own ``urn:uuid:`` id.

Context: every node's ``@context`` is ``[W3C_CONTEXT, INLINE_CONTEXT]``. The inline part is
small and self-contained (an offline processor cannot fetch a context from an address of ours):

* ``assessing`` -> ``oa:assessing``, because the copy of ``anno.jsonld`` published in the W3C
  repository predates that term and a status body (purpose ``assessing``) would otherwise expand
  to a relative IRI;
* ``cd:`` (``urn:claimdesk:terms:``) for what the W3C model has no term for:
  ``cd:anchorState`` (anchored / drifted / orphan, measured against the current article),
  ``cd:articleSha256`` (sha256 of the text the position counts in, as it is now),
  ``cd:quotedSha256`` (of the text the quote was taken from), ``cd:field`` (``title`` or
  ``summary`` when the span is not in the body), ``cd:current`` (for a drifted annotation: the
  ``cd:start``, ``cd:end`` and ``cd:text`` of where it is now) and ``cd:stored`` (the stored
  ``cd:start``/``cd:end`` of an annotation that is not anchored).

A ``TextPositionSelector`` is written only for an anchored annotation, at its current position,
where it selects exactly the quote; drifted and orphaned annotations carry the quote selector.

Offline expansion: the W3C context ships with Claimdesk as ``tui/schemas/anno.jsonld``. With
pyld, pass a document loader that serves it::

    from pyld import jsonld
    from tui.core.annotations.exports.w3c import offline_document_loader
    jsonld.expand(document, {"documentLoader": offline_document_loader})

For rdflib, expand with pyld as above and parse the expanded document (it needs no context):
``Graph().parse(data=json.dumps(expanded), format="json-ld")``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from importlib import resources
from typing import Any

import orjson

from tui.core.annotations.exports.common import (
    ARTICLE_URN,
    ExportFormat,
    ExportInput,
    Placement,
    Placer,
    annotation_iri,
    export_time,
    json_items,
)

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CLAIMDESK_TERMS = "urn:claimdesk:terms:"
INLINE_CONTEXT: dict[str, str] = {
    "assessing": "http://www.w3.org/ns/oa#assessing",
    "cd": CLAIMDESK_TERMS,
}
"""The inline part of every ``@context`` (see the module docstring)."""
CONTEXT: list[Any] = [W3C_CONTEXT, INLINE_CONTEXT]
_EXPORT_NAMESPACE = uuid.UUID("1f0e5b0c-6a43-5c2e-9a53-7d1e2c9b4f10")


def offline_document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the W3C annotation context from the copy shipped in
    ``tui/schemas/anno.jsonld`` and fetches nothing; any other URL raises ValueError."""
    if url.rstrip("/") not in (W3C_CONTEXT, "https://www.w3.org/ns/anno.jsonld"):
        raise ValueError(f"{url}: not available offline (only {W3C_CONTEXT} is shipped)")
    text = resources.files("tui").joinpath("schemas/anno.jsonld").read_text(encoding="utf-8")
    return {"contextUrl": None, "documentUrl": url, "document": orjson.loads(text)}


def target_source(article_id: str, data: ExportInput) -> str:
    """The article's URL, else a ``urn:claimdesk:article:<id>`` IRI naming it."""
    article = data.articles.get(article_id)
    return article.meta.url if article and article.meta.url else ARTICLE_URN + article_id


def w3c_annotation(
    annotation: dict[str, Any], data: ExportInput, placed: Placement | None = None
) -> dict[str, Any]:
    """One W3C Web Annotation: note (commenting), tags (tagging), status (assessing), kind
    (classifying) and figure (describing, JSON) as TextualBody items; a quote selector, and a
    position selector where the quote is now."""
    if placed is None:
        placed = Placer(data.articles).place(annotation)
    bodies: list[dict[str, Any]] = []
    if annotation["note"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": annotation["note"],
             "format": "text/plain"}
        )  # fmt: skip
    bodies += [
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in annotation["tags"]
    ]
    bodies.append({"type": "TextualBody", "purpose": "assessing", "value": annotation["status"]})
    bodies.append({"type": "TextualBody", "purpose": "classifying", "value": annotation["kind"]})
    if annotation["figure"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "describing", "format": "application/json",
             "value": orjson.dumps(annotation["figure"]).decode()}
        )  # fmt: skip
    if annotation["status"] != "unverified":
        motivation = "assessing"
    elif annotation["note"]:
        motivation = "commenting"
    elif annotation["tags"]:
        motivation = "tagging"
    else:
        motivation = "highlighting"
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": annotation["quote"],
         "prefix": annotation["prefix"], "suffix": annotation["suffix"]},
    ]  # fmt: skip
    if placed.state == "anchored":
        selectors.append({"type": "TextPositionSelector", "start": placed.start,
                          "end": placed.end})  # fmt: skip
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_iri(annotation["id"]),
        "type": "Annotation",
        "motivation": motivation,
        "created": annotation["created"],
        "modified": annotation["modified"],
        "creator": {"type": "Person", "name": annotation["author"]},
        "body": bodies,
        "target": {
            "source": target_source(annotation["article_id"], data),
            "selector": selectors,
        },
        "cd:anchorState": placed.state,
    }
    if placed.sha256:
        item["cd:articleSha256"] = placed.sha256
    if annotation.get("sha256") and annotation["sha256"] != placed.sha256:
        item["cd:quotedSha256"] = annotation["sha256"]
    if (annotation.get("field") or "body") != "body":
        item["cd:field"] = annotation["field"]
    if placed.state == "drifted":
        item["cd:current"] = {"cd:start": placed.start, "cd:end": placed.end,
                              "cd:text": placed.text}  # fmt: skip
    if placed.state != "anchored":
        item["cd:stored"] = {"cd:start": annotation["start"], "cd:end": annotation["end"]}
    return item


def export_ids(data: ExportInput) -> tuple[str, str]:
    """The collection's and the page's ``urn:uuid:`` ids, derived from the annotations' ids,
    modification times and current states (same export, same ids)."""
    digest = hashlib.sha256()
    placer = Placer(data.articles)
    for annotation in data.annotations:
        state = placer.place(annotation).state
        line = f"{annotation['id']}\x1f{annotation['modified']}\x1f{state}\x1e"
        digest.update(line.encode("utf-8", "surrogatepass"))
    collection = uuid.uuid5(_EXPORT_NAMESPACE, digest.hexdigest())
    page = uuid.uuid5(collection, "page-1")
    return f"urn:uuid:{collection}", f"urn:uuid:{page}"


def stream(data: ExportInput) -> Iterator[bytes]:
    """The collection, its page, and the page's items a batch at a time."""
    collection_id, page_id = export_ids(data)
    total = len(data.annotations)
    head = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Claimdesk annotations",
        "generated": export_time(data.options),
        "total": total,
        "last": page_id,
    }
    page = {"id": page_id, "type": "AnnotationPage", "partOf": collection_id, "startIndex": 0}
    yield orjson.dumps(head)[:-1] + b',"first":' + orjson.dumps(page)[:-1] + b',"items":[\n'
    placer = Placer(data.articles)

    def items() -> Iterator[dict[str, Any]]:
        for annotation in data.annotations:
            data.report.written += 1
            yield w3c_annotation(annotation, data, placer.place(annotation))

    for chunk in json_items(items()):
        yield chunk.replace(b',{"@context"', b',\n{"@context"')
    yield b"\n]}}\n"


FORMAT = ExportFormat(
    name="w3c",
    title="W3C Web Annotation",
    description="JSON-LD collection; expands offline under both W3C context versions",
    extension=".jsonld",
    media_type="application/ld+json",
    stream=stream,
    order=1,
)
