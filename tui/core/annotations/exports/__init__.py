"""Annotation exports: the format registry and the two ways to run a format.

:data:`FORMATS` maps each ``--format`` name to its :class:`ExportFormat` (stream function, title,
description, extension, media type); the CLI, the export dialog and the notification all read it.
Each format is one module of this package that defines ``FORMAT``; adding a module adds the
format, nothing else changes.

* :func:`stream` yields the export as UTF-8 byte chunks (for :func:`tui.core.fileio.write_export`)
  and fills an :class:`ExportReport` (how many items, what was left out and why) as it goes.
* :func:`render` returns the whole export as text (small exports, tests, stdout).

Inputs: annotation records whose ``anchor_state`` was measured by
:func:`tui.core.annotations.anchors.current_states`, the articles by id, and the corrections
(written by the json format). Every format re-checks each position against the current text of
the annotation's field before writing it (see :mod:`.common`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Sequence
from typing import Any

from tui.core.annotations.exports.common import (
    Articles,
    ExportFormat,
    ExportInput,
    ExportOptions,
    ExportReport,
    Records,
)
from tui.core.annotations.records import paused_gc

__all__ = [
    "FORMATS",
    "ExportFormat",
    "ExportInput",
    "ExportOptions",
    "ExportReport",
    "render",
    "stream",
]


def _discover() -> dict[str, ExportFormat]:
    found: list[ExportFormat] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name == "common":
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        fmt = getattr(loaded, "FORMAT", None)
        if isinstance(fmt, ExportFormat):
            found.append(fmt)
    return {fmt.name: fmt for fmt in sorted(found, key=lambda f: (f.order, f.name))}


FORMATS: dict[str, ExportFormat] = _discover()
"""Export format name -> its registry row, in display order."""


def export_format(name: str) -> ExportFormat:
    """The registry row for ``name``; ValueError naming the choices for an unknown one."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown export format '{name}' (choose {', '.join(FORMATS)})") from None


def stream(
    fmt: str,
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
    options: ExportOptions | None = None,
    report: ExportReport | None = None,
) -> Iterator[bytes]:
    """The export of ``annotations`` in ``fmt`` as UTF-8 chunks; ``report`` (when given) is
    filled while the chunks are consumed. Raises ValueError at once for an unknown format."""
    chosen = export_format(fmt)
    data = ExportInput(
        annotations, articles, corrections, options or ExportOptions(), report or ExportReport()
    )
    return _gc_paused(chosen.stream(data))


def _gc_paused(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` with the cyclic garbage collector paused while each one is made (exports build
    many small acyclic objects; full collections walking every loaded record would otherwise
    dominate), and running while the consumer writes."""
    while True:
        with paused_gc():
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def render(
    fmt: str,
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
    options: ExportOptions | None = None,
    report: ExportReport | None = None,
) -> str:
    """The whole export of ``annotations`` in ``fmt`` as text."""
    chunks = stream(fmt, annotations, articles, corrections, options, report)
    return b"".join(chunks).decode("utf-8", "surrogatepass")
