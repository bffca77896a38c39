"""Figures of a whole article: headline, summary and body, with currencies decided across them.

A headline writes "$50B" for the body's "HK$50 billion": read alone, its dollar is unknown; read
with the body, it is the same Hong Kong amount. The body is resolved first from its own text and
the article's context (so ``figures(body)`` and the body here always agree); the title and summary
are then resolved against all three fields. Offsets stay within each field, and every figure gets
``field`` ("title", "summary" or "body").
"""

from __future__ import annotations

from typing import Any

from tui.core.extract.evidence import resolve_currencies
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import raw_figures

FIELDS = ("title", "summary", "body")
"""The text fields of an article, in reading order."""

_GAP = "\n\n"
"""Between fields in the joined text: a paragraph break, so no sentence spans two fields."""


def resolve_fields(
    texts: dict[str, str],
    raws: dict[str, list[dict[str, Any]]],
    context: FigureContext | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Resolve the raw figures of each field (see the module docstring); ``raws`` are not changed.

    ``texts`` and ``raws`` are keyed by field name; a missing or empty field has no figures.
    """
    body = texts.get("body") or ""
    body_figures = resolve_currencies(body, [dict(f) for f in raws.get("body", [])], context)
    result: dict[str, list[dict[str, Any]]] = {"body": body_figures}
    heads = [name for name in ("title", "summary") if texts.get(name)]
    if heads:
        joined, offsets, pieces = "", {}, []
        for name in [*heads, "body"]:
            offsets[name] = len(joined)
            joined += (texts.get(name) or "") + _GAP
        for name in [*heads, "body"]:
            source = body_figures if name == "body" else [dict(f) for f in raws.get(name, [])]
            pieces += [_shifted(f, offsets[name]) for f in source]
        resolved = resolve_currencies(joined, pieces, context)
        for name in heads:
            low, high = offsets[name], offsets[name] + len(texts[name])
            result[name] = [
                _shifted(f, -low) for f in resolved if low <= f["start"] and f["end"] <= high
            ]
    for name in FIELDS:
        for figure in result.setdefault(name, []):
            figure["field"] = name
    return {name: result[name] for name in FIELDS}


def _shifted(figure: dict[str, Any], by: int) -> dict[str, Any]:
    moved = dict(figure)
    moved["start"] += by
    moved["end"] += by
    return moved


def figures_for_fields(
    title: str | None, summary: str | None, body: str, context: FigureContext | None = None
) -> dict[str, list[dict[str, Any]]]:
    """``{"title": [...], "summary": [...], "body": [...]}``: every figure with its ``field``."""
    texts = {"title": title or "", "summary": summary or "", "body": body}
    raws = {name: raw_figures(text) for name, text in texts.items() if text}
    return resolve_fields(texts, raws, context)
