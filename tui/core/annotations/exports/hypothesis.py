"""Hypothesis export: a JSON list of create-annotation request bodies, one per annotation, each
ready to ``POST /api/annotations`` (checked against the service's schema in
``shared/peer-suites/hypothesis``).

* ``uri`` and ``target[0].source``: the article's web address. Articles without one are left out
  and reported (the browser client only shows annotations on the page whose address they carry);
  with ``ExportOptions.urn_for_missing_url`` they get ``urn:claimdesk:article:<id>`` instead.
  Annotations on articles no longer in the library are left out and reported.
* ``text``: the note (Markdown in Hypothesis); ``tags``: the tags plus ``status:<status>``.
* ``target[0].selector``: the ``TextQuoteSelector`` (what re-anchors on the live page) and, for
  an annotation anchored in the current body, a ``TextPositionSelector`` counted in UTF-16 code
  units as the Hypothesis client counts (a hint it verifies against the quote).
* ``document``: ``title`` (a list, as Hypothesis stores page metadata) and ``link``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from tui.core.annotations.exports.common import (
    ExportFormat,
    ExportInput,
    Placer,
    field_text,
    json_items,
    web_address,
)

STATUS_TAG = "status:"


class Utf16Offsets:
    """Code-point offsets of a text as UTF-16 code units (astral characters count twice)."""

    def __init__(self, text: str) -> None:
        astral = bool(text) and not text.isascii() and max(text) > "\uffff"
        self._astral = [i for i, c in enumerate(text) if c > "\uffff"] if astral else []

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset) if self._astral else offset


def hypothesis_body(
    annotation: dict[str, Any], uri: str, title: str, placer: Placer, offsets: Utf16Offsets
) -> dict[str, Any]:
    """One create-annotation body."""
    placed = placer.place(annotation)
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": annotation["quote"],
         "prefix": annotation["prefix"], "suffix": annotation["suffix"]},
    ]  # fmt: skip
    in_body = (annotation.get("field") or "body") == "body"  # a headline has no page offsets
    if (
        in_body
        and placed.state == "anchored"
        and placed.start is not None
        and placed.end is not None
    ):
        selectors.append({"type": "TextPositionSelector", "start": offsets(placed.start),
                          "end": offsets(placed.end)})  # fmt: skip
    return {
        "uri": uri,
        "text": annotation["note"],
        "tags": [*annotation["tags"], STATUS_TAG + annotation["status"]],
        "target": [{"source": uri, "selector": selectors}],
        "document": {"title": [title], "link": [{"href": uri}]},
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
    }


def _bodies(data: ExportInput) -> Iterator[dict[str, Any]]:
    placer = Placer(data.articles)
    no_address: dict[str, int] = {}
    missing: dict[str, int] = {}
    offsets: dict[tuple[str, str], Utf16Offsets] = {}
    for annotation in data.annotations:
        article_id = annotation["article_id"]
        article = data.articles.get(article_id)
        if article is None:
            missing[article_id] = missing.get(article_id, 0) + 1
            continue
        uri = web_address(article, article_id, data.options)
        if uri is None:
            no_address[article_id] = no_address.get(article_id, 0) + 1
            continue
        name = annotation.get("field") or "body"
        if (article_id, name) not in offsets:
            offsets[article_id, name] = Utf16Offsets(field_text(article, name))
        data.report.written += 1
        yield hypothesis_body(annotation, uri, article.title, placer, offsets[article_id, name])
    if no_address:
        data.report.notes.append(
            f"left out {sum(no_address.values())} annotation(s) on {len(no_address)} article(s) "
            f"without a web address ({_listed(no_address)}): add one with 'claimdesk import "
            "--url' or front matter 'url:', or export with --urn (urn: addresses)"
        )
    if missing:
        data.report.notes.append(
            f"left out {sum(missing.values())} annotation(s) on article(s) not in the library "
            f"({_listed(missing)})"
        )


def _listed(counts: dict[str, int], limit: int = 5) -> str:
    ids = sorted(counts)
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def stream(data: ExportInput) -> Iterator[bytes]:
    """The JSON list, one body per line."""
    yield b"[\n"
    for chunk in json_items(_bodies(data)):
        yield chunk.replace(b',{"uri"', b',\n{"uri"')
    yield b"\n]\n"


FORMAT = ExportFormat(
    name="hypothesis",
    title="Hypothesis",
    description="create-annotation bodies for the Hypothesis API",
    extension=".json",
    media_type="application/json",
    stream=stream,
    order=5,
)
