"""Compatibility names for the export package (:mod:`tui.core.annotations.exports`).

``render`` and ``FORMATS`` (the registry) live there, one module per format; the ``to_<format>``
functions below return one format's whole export as text, for scripts and tests.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import Any

from tui.core.annotations.exports import FORMATS, ExportOptions, render, stream
from tui.core.annotations.exports.claimdesk_json import FORMAT_NAME, FORMAT_VERSION
from tui.core.annotations.exports.common import (
    ARTICLE_URN,
    Articles,
    ExportFormat,
    ExportInput,
    ExportReport,
    Records,
    annotation_id,
    annotation_iri,
    exported_now,
    figure_text,
)
from tui.core.annotations.exports.markdown import md_escape
from tui.core.annotations.exports.spreadsheet import safe_cell
from tui.core.annotations.exports.w3c import W3C_CONTEXT
from tui.core.annotations.exports.w3c import w3c_annotation as _w3c_annotation

__all__ = [
    "ARTICLE_URN",
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "W3C_CONTEXT",
    "ExportFormat",
    "ExportOptions",
    "ExportReport",
    "annotation_id",
    "annotation_iri",
    "exported_now",
    "figure_text",
    "md_escape",
    "render",
    "render_chunks",
    "safe_cell",
    "stream",
    "to_csv",
    "to_json",
    "to_jsonl",
    "to_md",
    "to_w3c",
    "w3c_annotation",
]


def _text(
    fmt: str,
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
    exported_at: str | None = None,
) -> str:
    return render(fmt, annotations, articles, corrections, ExportOptions(exported_at=exported_at))


def to_json(
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
    exported_at: str | None = None,
) -> str:
    """The claimdesk format (``tui/schemas/claimdesk-export.schema.json``)."""
    return _text("json", annotations, articles, corrections, exported_at)


def to_w3c(annotations: Records, articles: Articles, exported_at: str | None = None) -> str:
    """A W3C AnnotationCollection (JSON-LD)."""
    return _text("w3c", annotations, articles, exported_at=exported_at)


def to_jsonl(annotations: Records, articles: Articles) -> str:
    """Span JSONL, one line per article and field."""
    return _text("jsonl", annotations, articles)


def to_csv(annotations: Records, articles: Articles) -> str:
    """One CSV row per annotation."""
    return _text("csv", annotations, articles)


def to_md(annotations: Records, articles: Articles, exported_at: str | None = None) -> str:
    """A Markdown report."""
    return _text("md", annotations, articles, exported_at=exported_at)


def w3c_annotation(annotation: dict[str, Any], articles: Articles) -> dict[str, Any]:
    """One W3C Web Annotation for ``annotation`` (its position checked against ``articles``)."""
    return _w3c_annotation(annotation, ExportInput([annotation], articles))


OPTION_NAMES = frozenset(f.name for f in fields(ExportOptions))


def render_chunks(
    fmt: str,
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
    *,
    report: ExportReport | None = None,
    **options: Any,
) -> Iterator[bytes]:
    """The export as UTF-8 chunks, with :class:`ExportOptions` given as keywords (``excel=True``,
    ``include_drifted=True``, ``urn_for_missing_url=True``, ``reviewer=...``); ``report`` is
    filled as the chunks are consumed. ValueError for an unknown format or option."""
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise ValueError(
            f"unknown export option(s) {', '.join(unknown)} "
            f"(choose {', '.join(sorted(OPTION_NAMES))})"
        )
    return stream(fmt, annotations, articles, corrections, ExportOptions(**options), report)
