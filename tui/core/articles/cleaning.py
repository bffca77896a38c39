"""Cleaning one article's paragraphs: every rule applied, with what it cut and what it found.

The order: sentence rules and link lists (:mod:`tui.core.articles.boilerplate`), then the header
at the top — headline, byline, date line, a source line, a repeated headline and the dek between
them — then repeats and the promo block at the end. What the header shows (title, author, date,
publication) is returned as metadata, and the paragraph that showed it is cut, so the same line
never stays in the body as well.

Figures are never boilerplate: a table row, or a paragraph holding a sum, a percentage or a
number with a scale word, is never cut by a structural rule (link list, promo block, repeat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from tui.core.articles.boilerplate import (
    Removal,
    holds_figure,
    is_headline_like,
    is_table_row,
    mark_link_lists,
    mark_promo_tail,
    mark_sentence_rules,
)
from tui.core.articles.header import (
    BYLINE,
    CREDITED_WRITER,
    DATELINE,
    SOURCE_LINE,
    WIRE_SERVICES,
    detect_source,
    looks_like_title,
    parse_date,
)

HEADER_SPAN = 6
"""How many paragraphs after the headline may hold the byline, date and dek."""


@dataclass(frozen=True)
class CleanedText:
    """The article paragraphs left after cleaning, what was cut, and what the text showed."""

    paragraphs: list[str]
    removed: list[Removal]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None


@dataclass
class _Header:
    """What the top of the text showed, filled in while its lines are marked."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None


def same_text(a: str, b: str) -> bool:
    """Equal up to case, spacing and a few edits (a headline repeated with a changed word)."""
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return a == b or (min(len(a), len(b)) >= 20 and fuzz.ratio(a, b) >= 92)


def clean_paragraphs(
    paragraphs: list[str],
    known_title: str | None = None,
    *,
    find_title: bool = True,
    known_source: str | None = None,
    known_author: str | None = None,
) -> CleanedText:
    """Apply every rule to ``paragraphs`` and return what remains and what was cut.

    ``known_title`` is cut where the text repeats it; with ``find_title`` a first line that
    reads as a headline is cut as the title too (off when the file's own metadata names it).
    ``known_source`` / ``known_author`` (from the page's metadata) are cut where a header line
    shows only them.
    """
    removed: dict[int, str] = {}
    mark_sentence_rules(paragraphs, removed)
    for index in [i for i in removed if is_table_row(paragraphs[i])]:
        del removed[index]  # a table row is data, whatever words its cells hold
    mark_link_lists(paragraphs, removed)
    found = _mark_header(paragraphs, removed, known_title, find_title, known_source, known_author)
    headline = known_title or found.title
    seen: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        if index in removed:
            continue
        key = " ".join(paragraph.casefold().split())
        if headline and is_headline_like(paragraph) and same_text(paragraph, headline):
            removed[index] = "repeated-headline"
        elif key in seen and not holds_figure(paragraph):
            removed[index] = "repeated-paragraph"
        seen.add(key)
    mark_promo_tail(paragraphs, removed)
    cuts = [Removal(i, paragraphs[i], removed[i]) for i in sorted(removed)]
    author = found.author
    if author is None:
        author = next((m.group(1) for cut in cuts if (m := CREDITED_WRITER.match(cut.text))), None)
    kept = [p for i, p in enumerate(paragraphs) if i not in removed]
    source = found.source or detect_source(cuts)
    return CleanedText(kept, cuts, found.title, author, found.published, source)


def source_line(text: str, known_source: str | None) -> str | None:
    """The publication a header line names and nothing else ("Reuters", "Source: AFP"), or None.

    A bare name counts when it is the page's known site name or a wire service; with a
    "Source:" / "Via" label any publication name does.
    """
    stripped = text.strip().strip("()[]").strip().rstrip(".")
    if not stripped:
        return None
    if known_source and stripped.casefold() == known_source.casefold():
        return known_source
    if stripped.casefold() in WIRE_SERVICES:
        return stripped
    match = SOURCE_LINE.fullmatch(stripped)
    return match.group("name") if match else None


def _mark_header(
    paragraphs: list[str],
    removed: dict[int, str],
    known_title: str | None,
    find_title: bool,
    known_source: str | None,
    known_author: str | None,
) -> _Header:
    """Mark the headline, byline, date line, source line, repeated headline and dek at the top.

    Paragraphs between the headline and a later byline, date line or repeated headline are the
    dek (a summary restating the article); without one of those markers nothing is a dek.
    """
    kept = [i for i in range(len(paragraphs)) if i not in removed]
    found = _Header()
    position = 0
    if kept:
        first = paragraphs[kept[0]]
        if known_title and same_text(first, known_title):
            removed[kept[0]] = "repeated-headline"
            found.title, position = known_title, 1
        elif find_title and looks_like_title(first) and not source_line(first, known_source):
            removed[kept[0]] = "title"
            found.title, position = first, 1
    pending: list[int] = []
    for index in kept[position : position + HEADER_SPAN]:
        text = paragraphs[index]
        if not _mark_header_line(text, index, removed, found, known_title, known_source):
            if known_author and _is_only(text, known_author) and found.author is None:
                removed[index] = "byline"
                found.author = known_author
            else:
                pending.append(index)
                continue
        if (
            found.title
            and len(pending) <= 2
            and all(len(paragraphs[i].split()) <= 100 for i in pending)
        ):
            for dek in pending:
                removed[dek] = "dek"  # kept as the summary, a field of its own
        pending = []
    return found


def _mark_header_line(
    text: str,
    index: int,
    removed: dict[int, str],
    found: _Header,
    known_title: str | None,
    known_source: str | None,
) -> bool:
    """Mark one header line as byline, date line, source line or repeated headline."""
    byline = BYLINE.fullmatch(text) if len(text) <= 300 else None
    if byline and found.author is None:
        removed[index] = "byline"
        found.author = byline.group("name")
        found.published = found.published or parse_date(text)
        return True
    if len(text) <= 200 and DATELINE.fullmatch(text) and found.published is None:
        removed[index] = "dateline"
        found.published = parse_date(text)
        return True
    named = source_line(text, known_source) if len(text) <= 100 else None
    if named and found.source is None:
        removed[index] = "source-line"
        found.source = known_source or named
        return True
    headline = found.title or known_title
    if headline and same_text(text, headline):
        removed[index] = "repeated-headline"
        return True
    return False


_PUNCTUATION = re.compile(r"[\s.,;:|·•–—-]+")


def _is_only(text: str, name: str) -> bool:
    """Whether ``text`` is ``name`` and nothing else, up to case and punctuation."""
    return _PUNCTUATION.sub(" ", text).strip().casefold() == name.strip().casefold()
