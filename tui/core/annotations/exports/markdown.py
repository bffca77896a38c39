"""A readable Markdown report: one section per article, one numbered entry per annotation.

Untrusted text (titles, quotes, notes, tags, URLs) is shown literally by CommonMark renderers:
inline syntax is backslash-escaped, and so is whatever would start a block at the beginning of a
line — a heading (``#``, or a setext underline ``---``/``===`` under the previous line), a
thematic break, a list item (``-``, ``+``, ``1.``, ``1)``), a block quote or an HTML block.
Control and bidi characters are made visible (``tui.core.text.visible_controls``), so a note
cannot reorder the line it is shown on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tui.core.annotations.exports.common import (
    ExportFormat,
    ExportInput,
    Placer,
    export_time,
    figure_text,
    grouped,
    is_iri,
)
from tui.core.text import visible_controls

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_BLOCK_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d{1,9})([.)])(?=[ \t]|$))", re.MULTILINE)


def md_escape(text: str) -> str:
    """Text shown literally by Markdown renderers: no emphasis, links, HTML, headings, setext
    underlines, thematic breaks or list items, whatever line of ``text`` they are on."""
    escaped = _MD_SPECIAL.sub(r"\\\1", visible_controls(text))
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker, digits, delimiter = match.groups()
    if marker:
        return f"{indent}\\{marker}"
    return f"{indent}{digits}\\{delimiter}"


def _article_lines(
    article_id: str, entries: list[dict[str, Any]], data: ExportInput, placer: Placer
) -> list[str]:
    article = data.articles.get(article_id)
    title = article.title if article else f"{article_id} (not in the library)"
    lines = ["", f"## {md_escape(title)}", ""]
    if article and article.meta.url:
        url = article.meta.url  # an autolink only when nothing in it can end the link early
        lines += [f"<{url}>" if is_iri(url) else md_escape(url), ""]
    for number, a in enumerate(entries, 1):
        placed = placer.place(a)
        quote = md_escape(a["quote"]).replace("\n", "\n   > ")
        details = [f"**Status:** {a['status']}", f"**Anchor:** {placed.state}"]
        if a["tags"]:
            details.append("**Tags:** " + ", ".join(md_escape(t) for t in a["tags"]))
        if a["figure"]:
            details.append(f"**Figure:** {md_escape(figure_text(a['figure']))}")
        lines += [f"{number}. > {quote}", "", "   " + " · ".join(details)]
        if placed.state == "drifted":
            now = md_escape(placed.text).replace("\n", " ")
            lines += ["", f"   The article now reads: {now}"]
        if a["note"]:
            note = "\n".join("   " + line for line in md_escape(a["note"]).split("\n"))
            lines += ["", note]
        lines.append("")
    return lines


def stream(data: ExportInput) -> Iterator[bytes]:
    """The heading, then one article's section per chunk."""
    placer = Placer(data.articles)
    count = len(data.annotations)
    yield (
        f"# Claimdesk annotations\n\nExported {export_time(data.options)}: {count} annotations.\n"
    ).encode()
    for article_id, entries in grouped(data.annotations).items():
        lines = _article_lines(article_id, entries, data, placer)
        while lines and lines[-1] == "":
            lines.pop()
        data.report.written += len(entries)
        yield ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


FORMAT = ExportFormat(
    name="md",
    title="Markdown",
    description="a report to read and share",
    extension=".md",
    media_type="text/markdown",
    stream=stream,
    order=4,
)
