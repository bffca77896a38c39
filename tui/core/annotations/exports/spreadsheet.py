"""CSV for spreadsheets and pandas: one row per annotation.

* **Formula-safe.** Every text cell that starts with ``= + - @``, a tab, a carriage return or a
  line feed (or their full-width forms ``＝ ＋ － ＠``, which some locales also evaluate) and is not
  a plain number gets a leading ``'`` (OWASP's CSV-injection rule), so ``-2+3+cmd|' /C calc'!A0``
  is shown, never run; ``-12.5`` stays a number. This is written here rather than with
  ``defusedcsv`` because that library leaves tab- and CR-led cells alone and rewrites ``|``
  inside cells (changing the data).
* **Numbers as numbers.** A figure is split into ``label``, ``value``, ``low``, ``high``,
  ``currency``, ``unit`` and ``qualifier`` columns; ``value``/``low``/``high`` are bare numbers a
  spreadsheet can sum (integral values without ``.0``).
* **Tags unambiguous.** The ``tags`` cell is a JSON list (``["jobs", "a; b"]``): a tag may hold
  any character, including ``;``, ``,`` and ``|``. In pandas: ``df.tags.map(json.loads)``.
* **Positions.** ``start``/``end`` are where the quote is *now* (empty for an orphan), and
  ``current_text`` is the text there when it differs from the quote (drifted);
  ``stored_start``/``stored_end`` are the stored selector.
* ``ExportOptions.excel``: a UTF-8 byte-order mark and CRLF line ends, so Excel on Windows shows
  "€2.5 billion" rather than "â‚¬2.5 billion". Otherwise plain UTF-8 with ``\\n``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import orjson

from tui.core.annotations.exports.common import (
    BATCH,
    ExportFormat,
    ExportInput,
    Placer,
    figure_number,
)

COLUMNS = (
    "article", "title", "quote", "tags", "status", "note", "kind",
    "label", "value", "low", "high", "currency", "unit", "qualifier",
    "anchor_state", "start", "end", "current_text", "stored_start", "stored_end", "field",
    "url", "id", "created", "modified", "author",
)  # fmt: skip
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell no spreadsheet will run: numbers and None unchanged, text that
    could start a formula prefixed with ``'``."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text and text[0] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _row(annotation: dict[str, Any], data: ExportInput, placer: Placer) -> list[object]:
    article = data.articles.get(annotation["article_id"])
    placed = placer.place(annotation)
    figure = annotation.get("figure") or {}
    row: list[object] = [
        annotation["article_id"],
        article.title if article else "",
        annotation["quote"],
        orjson.dumps(annotation["tags"]).decode(),
        annotation["status"],
        annotation["note"],
        annotation["kind"],
        figure.get("label"),
        figure_number(figure.get("value")),
        figure_number(figure.get("low")),
        figure_number(figure.get("high")),
        figure.get("currency"),
        figure.get("unit"),
        figure.get("qualifier"),
        placed.state,
        placed.start,
        placed.end,
        placed.text if placed.state == "drifted" else None,
        annotation["start"],
        annotation["end"],
        annotation.get("field") or "body",
        (article.meta.url or "") if article else "",
        annotation["id"],
        annotation["created"],
        annotation["modified"],
        annotation["author"],
    ]
    return [safe_cell(cell) for cell in row]


def stream(data: ExportInput) -> Iterator[bytes]:
    """The header row, then the rows a batch at a time."""
    excel = data.options.excel
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(COLUMNS)
    placer = Placer(data.articles)
    prefix = b"\xef\xbb\xbf" if excel else b""
    for number, annotation in enumerate(data.annotations, 1):
        writer.writerow(_row(annotation, data, placer))
        data.report.written += 1
        if number % BATCH == 0:
            yield prefix + out.getvalue().encode("utf-8")
            prefix = b""
            out.seek(0)
            out.truncate()
    yield prefix + out.getvalue().encode("utf-8")


FORMAT = ExportFormat(
    name="csv",
    title="CSV",
    description="spreadsheets and pandas; formula-safe, numbers in their own columns",
    extension=".csv",
    media_type="text/csv",
    stream=stream,
    order=3,
)
