"""Reading the files the importer accepts into paragraphs, plus the metadata they carry.

* ``.txt``: plain text. Hard-wrapped text is un-wrapped into paragraphs (:func:`unwrap`);
  text that already has one paragraph per line stays as it is.
* ``.md``: Markdown, parsed with markdown-it (CommonMark), optional YAML front matter whose
  ``title``, ``source``, ``author``, ``published`` and ``url`` are respected.
* ``.html``: the main text and metadata found by trafilatura, so navigation, footers and
  sidebars never reach the article. Tables become one line per row, cells joined by " | "
  ("Health | +£22.6bn"). Dates come only from what the page states as its publication and
  update dates (meta tags, JSON-LD, ``<time>``), never from a year in the text or headline.
  A page with no declared charset that is not UTF-8 is decoded as charset_normalizer detects.

Inputs past :data:`MAX_TEXT_BYTES` / :data:`MAX_HTML_BYTES` / :data:`MAX_HTML_BLOCKS` are
refused with the limit named: no article is that long, and extraction time grows with them.
"""

from __future__ import annotations

import logging
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from tui.core.articles.boilerplate import is_bullet
from tui.core.articles.library import ArticleError, split_front_matter

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Largest text or Markdown file imported: a long news feature is under 100 KB."""
MAX_HTML_BYTES = 5 * 1024 * 1024
"""Largest HTML page imported (pages carry scripts and markup around the text)."""
MAX_HTML_BLOCKS = 20_000
"""Most paragraph-like elements (p, li, tr, div, br) in a page imported; real pages have a few
thousand, and extracting 150,000 took minutes."""
_NO_DATE = {"1995-01-01", "1970-01-01", "1900-01-01"}
"""Fallback dates date-finding libraries invent; never a page's own date."""
_BLOCK_TAGS = (b"<p", b"<li", b"<tr", b"<div", b"<br")
for _name in ("trafilatura", "htmldate", "courlan"):
    # Their warnings about odd pages are not the user's business, and Python's last-resort
    # handler would print them on stderr, over the reader app's screen when it imports feeds.
    logging.getLogger(_name).addHandler(logging.NullHandler())

FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
"""File suffix -> format the importer reads it as."""

_SUPPORTED = ", ".join(sorted({".txt", ".md", ".html"}))
_TERMINAL = '.!?"”’)'
_HYPHEN_BREAK = re.compile(r"[^\W\d_]-$")


class ImportFailure(Exception):
    """A file that cannot be imported: ``str()`` is one line saying why and what to do."""


@dataclass
class SourceText:
    """A file's text as paragraphs, and metadata the file itself declares."""

    paragraphs: list[str]
    hints: dict[str, str] = field(default_factory=dict)
    """``title``, ``source``, ``author``, ``published``, ``url`` where the file gives them."""


def read_source(path: Path) -> SourceText:
    """Read one file to import; raise ImportFailure with a one-line reason."""
    size = _check_path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        suffix = path.suffix or "no extension"
        raise ImportFailure(f"unsupported file type ({suffix}); save the article as {_SUPPORTED}")
    limit = MAX_HTML_BYTES if kind == "html" else MAX_TEXT_BYTES
    if size > limit:
        raise ImportFailure(
            f"too large ({size / 2**20:.1f} MB, limit {limit / 2**20:.0f} MB for "
            f"{kind} files); import the article text only"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(
            f"cannot read the file ({exc.strerror}); check its permissions"
        ) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: unambiguous
        raw = _utf16_to_utf8(raw)
    if not raw.strip():
        raise ImportFailure("empty file; paste the article text into it")
    if b"\x00" in raw[:8192]:
        raise ImportFailure(f"binary file, not text; save the article as {_SUPPORTED}")
    if kind == "html":
        return html_source(raw)
    text = decode_utf8(raw)
    if kind == "markdown":
        return markdown_source(text)
    return SourceText(unwrap(text))


def _check_path(path: Path) -> int:
    """The file's size; a missing path, a folder or a device/pipe is an ImportFailure."""
    try:
        if path.is_symlink():
            folder, target = path.parent.resolve(), path.resolve()
            if not target.is_relative_to(folder):
                raise ImportFailure(
                    f"is a link to {target}, outside {folder}; import {target} itself if you "
                    "mean it"
                )
        if path.is_dir():
            raise ImportFailure("is a folder; pass the article files in it (e.g. FOLDER/*.txt)")
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # reading a pipe or a device may never end
            raise ImportFailure("not a regular file (a pipe or a device); save the text to a file")
        return st.st_size
    except FileNotFoundError:
        raise ImportFailure("no such file; check the path") from None
    except OSError as exc:
        raise ImportFailure(f"cannot read the file ({exc.strerror}); check the path") from None


def _utf16_to_utf8(raw: bytes) -> bytes:
    try:
        return raw.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            f"not valid UTF-16 (byte {exc.start}); re-save the file as UTF-8"
        ) from None


def decode_utf8(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is dropped); invalid bytes are an ImportFailure naming the offset."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"\r\n|[\r\n\u2028\u2029]", text)]


def is_hard_wrapped(lines: list[str]) -> bool:
    """Whether text was wrapped at a fixed width rather than written one paragraph per line.

    Wrapped text has almost no line longer than its width (at most 100 characters); where two
    text lines follow each other the first is full (the next line's first word would not have
    fitted on it); and most of those breaks fall mid-sentence. Text written one paragraph per
    line has long lines, short lines that could have held more, or breaks at sentence ends.
    """
    filled = [line for line in lines if line]
    width = wrap_width(filled)
    if len(filled) < 2 or width < 30:
        return False
    if sum(1 for line in filled if len(line) > width) > 0.1 * len(filled):
        return False
    pairs = [
        (line, following)
        for line, following in pairwise(lines)
        if line and following and not is_bullet(following)
    ]
    full = [line for line, following in pairs if _next_word_overflows(line, following, width)]
    mid_sentence = sum(1 for line in full if line[-1] not in _TERMINAL)
    return len(full) >= 0.6 * len(pairs) and mid_sentence >= max(2, 0.5 * len(full))


def _next_word_overflows(line: str, following: str, width: int) -> bool:
    return len(line) + 1 + len(following.split(" ", 1)[0]) > width


def wrap_width(lines: list[str]) -> int:
    """The longest line of at most 100 characters: the width the text was wrapped at."""
    return max((len(line) for line in lines if len(line) <= 100), default=0)


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` continues the paragraph that ``previous`` wrapped out of."""
    if is_bullet(line):
        return False
    if _next_word_overflows(previous, line, width):
        return True  # the wrapper broke the line because the next word did not fit
    return previous[-1] not in _TERMINAL and len(previous) >= 0.6 * width


def unwrap(text: str) -> list[str]:
    """Paragraphs of plain text: one per line, or blank-line blocks of wrapped lines joined."""
    lines = _lines(text)
    if not is_hard_wrapped(lines):
        return [line for line in lines if line]
    width = wrap_width([line for line in lines if line])
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if not line:
            previous = ""
            continue
        if previous and _continues(previous, line, width):
            joiner = "" if _HYPHEN_BREAK.search(previous) and line[0].islower() else " "
            paragraphs[-1] += joiner + line
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def markdown_source(text: str) -> SourceText:
    """Paragraphs and front-matter fields of a Markdown file."""
    hints: dict[str, str] = {}
    if text.startswith("---"):
        try:
            data, text = split_front_matter(text)
        except ArticleError as exc:
            reason = str(exc).split(";")[0]
            raise ImportFailure(f"{reason}; fix the front matter or remove it") from None
        hints = _front_matter_hints(data)
    return SourceText(markdown_paragraphs(text), hints)


def _front_matter_hints(data: dict[str, Any]) -> dict[str, str]:
    hints: dict[str, str] = {}
    for name in ("title", "source", "author", "published", "url"):
        value = data.get(name)
        if name == "source" and value is None:
            value = data.get("publication")
        if isinstance(value, list | dict):  # not text; and never str() one (YAML aliases)
            continue
        if value is not None and str(value).strip():
            hints[name] = str(value).strip()
    return hints


def markdown_paragraphs(text: str) -> list[str]:
    """One line per Markdown block (heading, paragraph, list item, code); markup removed.

    List items keep a ``- `` bullet so the boilerplate rules can see a link list; a table row
    becomes one line of cells joined by " | ". Text written
    one paragraph per line (long lines, not wrapped — the library's own format) keeps each line
    as a paragraph, where Markdown would run the lines of a block together.
    """
    from markdown_it import MarkdownIt

    lines = _lines(text)
    one_per_line = not is_hard_wrapped(lines) and any(len(line) > 100 for line in lines)
    softbreak = "\n" if one_per_line else " "
    paragraphs: list[str] = []
    in_item = False
    row: list[str] | None = None
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "list_item_open":
            in_item = True
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                paragraphs.append(" | ".join(row))
            row = None
        elif token.type == "inline" and row is not None:
            row.append(" ".join(_inline_text(token, " ").split()))
        elif token.type == "inline":
            for number, line in enumerate(_lines(_inline_text(token, softbreak))):
                if line:
                    paragraphs.append(f"- {line}" if in_item and number == 0 else line)
            in_item = False
        elif token.type in ("code_block", "fence", "html_block"):
            paragraphs.extend(line for line in _lines(token.content) if line)
    return paragraphs


def _inline_text(token: Any, softbreak: str) -> str:
    """The text of a markdown-it inline token, markup removed."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(softbreak)
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


def html_source(raw: bytes, charset: str | None = None) -> SourceText:
    """The main text of an HTML page (trafilatura) with its title, site, author, dates and URL.

    ``charset`` is the one the server declared, if any.
    """
    import trafilatura

    blocks = sum(raw[:MAX_HTML_BYTES].lower().count(tag) for tag in _BLOCK_TAGS)
    if blocks > MAX_HTML_BLOCKS:
        raise ImportFailure(
            f"the page has {blocks:,} paragraphs and blocks (limit {MAX_HTML_BLOCKS:,}); "
            "save the article text and import that"
        )
    html = decode_html(raw, charset)
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise ImportFailure(
            "no article text found in the HTML; copy the article text into a .txt file"
        )
    hints: dict[str, str] = {}
    for name, attribute in (
        ("title", "title"),
        ("source", "sitename"),
        ("author", "author"),
        ("published", "date"),
        ("url", "url"),
    ):
        value = getattr(document, attribute, None)
        if isinstance(value, str) and value.strip():
            hints[name] = value.strip()
    if hints.get("published") in _NO_DATE:
        del hints["published"]
    updated = stated_date(html, original=False)
    if updated and updated != hints.get("published"):
        hints["updated"] = updated
    return SourceText(table_rows(line for line in _lines(text) if line), hints)


def stated_date(html: str, *, original: bool = True) -> str | None:
    """The publication (``original``) or last-update date the page's metadata states, or None.

    Only meta tags, JSON-LD and ``<time>`` elements count (htmldate without its extensive
    search, which guesses from years anywhere in the page).
    """
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=original)
    except (ValueError, TypeError):  # a malformed page htmldate cannot parse
        return None
    return found if found and found not in _NO_DATE else None


def decode_html(raw: bytes, charset: str | None = None) -> str:
    """HTML bytes as text: the server's charset, else UTF-8, else the page's own ``<meta>``
    charset, else what charset_normalizer detects, windows-1252 (the HTML standard's default
    for undeclared pages) winning when it fits about as well as the best guess."""
    for codec in (charset, "utf-8"):
        if codec:
            try:
                return raw.decode(codec).removeprefix("\ufeff")
            except (LookupError, UnicodeDecodeError):
                continue
    declared = re.search(rb"""<meta[^>]{0,200}?charset=["']?([\w-]{1,40})""", raw[:4096], re.I)
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    candidates = list(from_bytes(raw))
    if not candidates:
        raise ImportFailure("cannot tell the page's character set; save it as UTF-8")
    best = candidates[0]
    for candidate in candidates:  # the HTML standard's default wins a near tie (cp1257 ~ cp1252)
        if "cp1252" in candidate.could_be_from_charset and candidate.chaos <= best.chaos + 0.05:
            return raw.decode("cp1252", errors="replace")
    return str(best)


_TABLE_SEPARATOR = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*")


def table_rows(lines: Iterable[str]) -> list[str]:
    """Lines with trafilatura's Markdown table rows ("| Health | +£22.6bn |") made readable
    ("Health | +£22.6bn"); separator rows and empty rows are dropped."""
    rows: list[str] = []
    for line in lines:
        if line.startswith("|") and line.rstrip().endswith("|"):
            if _TABLE_SEPARATOR.fullmatch(line.strip()):
                continue
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if any(cells):
                rows.append(" | ".join(cells))
            continue
        rows.append(line)
    return rows
