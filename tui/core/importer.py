"""Importing articles: clean pasted or scraped text and write it into the library.

The pipeline for one file: read it into paragraphs (:mod:`tui.core.import_formats`), mark the
boilerplate (:mod:`tui.core.boilerplate`), recognise the header — headline, byline, date, a
repeated headline and the dek between them — and move it to the front matter, then write the
canonical body with :func:`tui.core.articles.write_article`.

Metadata precedence: the command's ``--title``/``--source``, then the file's own (Markdown front
matter, HTML metadata), then what the text shows (headline line, byline, date line, a footer
naming the publication). With no headline line the title is derived from the first sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz

from tui.core.articles import ArticleMeta, scan_library, slugify, utc_now, write_article
from tui.core.boilerplate import (
    Removal,
    is_headline_like,
    mark_link_lists,
    mark_promo_tail,
    mark_sentence_rules,
    sentences,
)
from tui.core.import_formats import ImportFailure, read_source
from tui.core.text import canonicalize, sha256_text

TITLE_MAX_CHARS = 80
"""A derived title is cut at a word boundary to at most this many characters."""

HEADER_SPAN = 6
"""How many paragraphs after the headline may hold the byline, date and dek."""

_NAME_WORD = r"(?-i:[A-Z][\w.'’-]*)"
_PERSON = _NAME_WORD + r"(?: (?:de|van|von|bin|da|del|" + _NAME_WORD + r")){0,4}"
_PERSONS = _PERSON + r"(?:(?:,| and| &) " + _PERSON + r")*"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?P<date>{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_TIME = r"(?:at )?\d{1,2}[:.]\d{2} ?(?:am|pm|a\.m\.|p\.m\.)?(?: [A-Z]{2,4})?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )"
_DATE_PHRASE = rf"(?:{_TIME},? )?{_WEEKDAY}?{_DATE}(?:,? {_TIME})?"
DATELINE = re.compile(
    rf"(?:(?:first |last )?(?:published|updated|posted|date)(?: on)?:? )?{_DATE_PHRASE}\.?",
    re.IGNORECASE,
)
"""A line that is only a publication date, e.g. 'Published: March 5, 2025, 10:00am'."""
BYLINE = re.compile(
    rf"(?:(?:written|reported|words|story|text) )?(?:by|author):? (?P<name>{_PERSONS})"
    rf"(?: ?[|,·•–—-] ?(?:{_DATE_PHRASE}|{_NAME_WORD}(?: {_NAME_WORD}){{0,4}}))*\.?",
    re.IGNORECASE,
)
"""'By Jane Doe', 'Written by Zane Howard', 'By A and B | Reuters | 5 March 2025'."""

_CREDITED_WRITER = re.compile(rf"(?:reporting|writing) by ({_PERSONS})", re.IGNORECASE)
"""The writer named in a wire-service credit line, used when there is no byline."""

_PUBLICATION = (
    r"(?P<name>(?-i:[A-Z][\w&.'’-]*)(?: (?:of |the |and |& )?(?-i:[A-Z][\w&.'’-]*)){0,5})"
)
SOURCE_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"more (?:stories |news |articles )?from (?-i:the )?{_PUBLICATION} ?:?",
        rf"for the latest news from (?-i:the )?{_PUBLICATION},? download\b",
        rf"get (?:the|our) {_PUBLICATION} newsletter\b",
        rf"(?:copyright|©) (?:© )?(?:\d{{4}} )?{_PUBLICATION}",
    )
)
"""Footer phrases that name the publication, tried in order on the removed paragraphs."""
_DOMAIN = re.compile(
    r"\b(?:www\.)?([a-z0-9][a-z0-9-]{1,40})\.(?:com|net|org|news|co\.uk|com\.hk|hk|io)\b",
    re.IGNORECASE,
)
_SPELLED_OUT = re.compile(r"((?:[\w-]+ ){1,9})\((?-i:([A-Z]{2,6}))\) ?")
_ATTRIBUTION = re.compile(
    r",? (?:according to|(?:[\w’'-]+ ){1,6}(?:said|says|told|reported))\b[^,]*$"
)
_SMALL_WORDS = "a an and as at by for from in into of on or the to with who which that its their"
_STOP_WORDS = frozenset(_SMALL_WORDS.split())


@dataclass(frozen=True)
class CleanedText:
    """The article paragraphs left after cleaning, what was cut, and what the text showed."""

    paragraphs: list[str]
    removed: list[Removal]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None


def _same_text(a: str, b: str) -> bool:
    """Equal up to case, spacing and a few edits (a headline repeated with a changed word)."""
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return a == b or (min(len(a), len(b)) >= 20 and fuzz.ratio(a, b) >= 92)


def looks_like_title(paragraph: str) -> bool:
    """A headline: short, not ending like a sentence or a label, and not a byline or date."""
    text = paragraph.strip()
    return (
        len(text) <= 160
        and len(text.split()) <= 20
        and text[-1] not in ".:;,"
        and len(sentences(text)) == 1
        and not BYLINE.fullmatch(text)
        and not DATELINE.fullmatch(text)
    )


def parse_date(text: str) -> str | None:
    """ISO date ``YYYY-MM-DD`` of the date in a date line, or None."""
    from dateutil import parser

    match = DATELINE.search(text)
    if match is None:
        return None
    try:
        return parser.parse(match.group("date").replace(".", " ")).date().isoformat()
    except (ValueError, OverflowError):
        return None


def clean_paragraphs(paragraphs: list[str], known_title: str | None = None) -> CleanedText:
    """Apply every rule to ``paragraphs`` and return what remains and what was cut."""
    removed: dict[int, str] = {}
    mark_sentence_rules(paragraphs, removed)
    mark_link_lists(paragraphs, removed)
    title, author, published = _mark_header(paragraphs, removed, known_title)
    headline = known_title or title
    seen: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        if index in removed:
            continue
        key = " ".join(paragraph.casefold().split())
        if headline and is_headline_like(paragraph) and _same_text(paragraph, headline):
            removed[index] = "repeated-headline"
        elif key in seen:
            removed[index] = "repeated-paragraph"
        seen.add(key)
    mark_promo_tail(paragraphs, removed)
    cuts = [Removal(i, paragraphs[i], removed[i]) for i in sorted(removed)]
    if author is None:
        author = next((m.group(1) for cut in cuts if (m := _CREDITED_WRITER.match(cut.text))), None)
    kept = [p for i, p in enumerate(paragraphs) if i not in removed]
    return CleanedText(kept, cuts, title, author, published, detect_source(cuts))


def _mark_header(
    paragraphs: list[str], removed: dict[int, str], known_title: str | None
) -> tuple[str | None, str | None, str | None]:
    """Mark the headline, byline, date line, repeated headline and dek at the top.

    Paragraphs between the headline and a later byline, date line or repeated headline are the
    dek (a summary restating the article); without one of those markers nothing is a dek.
    """
    kept = [i for i in range(len(paragraphs)) if i not in removed]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    position = 0
    if kept:
        first = paragraphs[kept[0]]
        if known_title and _same_text(first, known_title):
            removed[kept[0]] = "repeated-headline"
            title, position = known_title, 1
        elif looks_like_title(first):
            removed[kept[0]] = "title"
            title, position = first, 1
    pending: list[int] = []
    for index in kept[position : position + HEADER_SPAN]:
        text = paragraphs[index]
        byline = BYLINE.fullmatch(text)
        if byline and author is None:
            removed[index] = "byline"
            author = byline.group("name")
            published = published or parse_date(text)
        elif DATELINE.fullmatch(text) and published is None:
            removed[index] = "dateline"
            published = parse_date(text)
        elif (title or known_title) and _same_text(text, title or known_title or ""):
            removed[index] = "repeated-headline"
        else:
            pending.append(index)
            continue
        if title and len(pending) <= 2 and all(len(paragraphs[i].split()) <= 100 for i in pending):
            for dek in pending:
                removed[dek] = "dek"
        pending = []
    return title, author, published


def detect_source(cuts: list[Removal]) -> str | None:
    """The publication named in the removed footer text, or None.

    Tries the phrases of :data:`SOURCE_PATTERNS` in order, then a web domain ("webpronews.com"),
    spelled as the text spells the name elsewhere ("WebProNews") when it does.
    """
    texts = [cut.text for cut in cuts]
    for pattern in SOURCE_PATTERNS:
        for text in texts:
            for sentence in sentences(text):
                match = pattern.match(sentence)
                if match:
                    return match.group("name").rstrip(".,:;")
    words = {
        w.strip(".,:;!?()'\"“”’").casefold(): w.strip(".,:;!?()'\"“”’")
        for t in texts
        for w in t.split()
        if any(c.isupper() for c in w)
    }
    domains = [m for t in texts for m in _DOMAIN.finditer(t)]
    for domain in domains:
        if domain.group(1).casefold() in words:
            return words[domain.group(1).casefold()]
    return domains[0].group(0).removeprefix("www.") if domains else None


def _abbreviate(match: re.Match[str]) -> str:
    """'Hong Kong Science and Technology Parks (HKSTP)' -> 'HKSTP' when the initials agree."""
    words, short = match.group(1).split(), match.group(2).casefold()
    initials = ""
    for start in range(len(words) - 1, -1, -1):
        if words[start].casefold() not in _STOP_WORDS:
            initials = words[start][0].casefold() + initials
        if initials == short:
            return " ".join([*words[:start], match.group(2)]) + " "
        if not short.endswith(initials):
            break
    return match.group(0)


def derive_title(body: str) -> str:
    """A headline from the first sentence: shortened and cut at a word boundary.

    A trailing attribution (", according to …", ", officials said") goes; in a sentence still
    longer than :data:`TITLE_MAX_CHARS`, "artificial intelligence (AI)" becomes "AI", and what
    remains too long is cut after a content word and marked with "…".
    """
    first = sentences(body.split("\n", 1)[0])[0].rstrip(".!?")
    unattributed = _ATTRIBUTION.sub("", first)
    if len(unattributed) >= 15:
        first = unattributed
    if len(first) > TITLE_MAX_CHARS:
        first = _SPELLED_OUT.sub(_abbreviate, first)
    if len(first) <= TITLE_MAX_CHARS:
        return first
    words: list[str] = []
    for word in first.split():
        if len(" ".join([*words, word])) > TITLE_MAX_CHARS - 1:
            break
        words.append(word)
    while len(words) > 3 and (
        words[-1].casefold().strip(",;:") in _STOP_WORDS
        or words[-1].count("(") > words[-1].count(")")
    ):
        words.pop()
    return " ".join(words).rstrip(",;:-–—") + "…"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file."""

    path: Path
    status: Literal["imported", "duplicate", "failed"]
    message: str
    """One line for the user."""
    meta: ArticleMeta | None = None
    removed: tuple[Removal, ...] = ()


def _one_line(value: str | None) -> str | None:
    if value is None:
        return None
    text = canonicalize(value).replace("\n", " ")
    return text or None


def article_slug(title: str) -> str:
    """The title's slug without trailing small words ("…-hub-for" becomes "…-hub")."""
    parts = slugify(title).split("-")
    while len(parts) > 3 and parts[-1] in _STOP_WORDS:
        parts.pop()
    return "-".join(parts)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … for the first one not in ``taken``."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def import_paths(
    paths: Iterable[Path],
    articles_dir: Path,
    *,
    title: str | None = None,
    source: str | None = None,
    cache_dir: Path | None = None,
) -> list[ImportResult]:
    """Import each file into ``articles_dir``; a failing file never stops the others."""
    scan = scan_library(articles_dir, cache_dir)
    by_sha = {meta.sha256: meta.id for meta in scan.articles}
    taken = {meta.id for meta in scan.articles}
    if articles_dir.is_dir():
        taken.update(p.stem for p in articles_dir.glob("*.md"))
    results: list[ImportResult] = []
    for path in paths:
        try:
            result = _import_one(path, articles_dir, title, source, by_sha, taken)
        except ImportFailure as exc:
            result = ImportResult(path, "failed", str(exc))
        results.append(result)
    return results


def _import_one(
    path: Path,
    articles_dir: Path,
    title: str | None,
    source: str | None,
    by_sha: dict[str, str],
    taken: set[str],
) -> ImportResult:
    text = read_source(path)
    hints = {name: _one_line(value) for name, value in text.hints.items()}
    title = _one_line(title)
    cleaned = clean_paragraphs(text.paragraphs, known_title=title or hints.get("title"))
    removed = tuple(cleaned.removed)
    body = canonicalize("\n".join(cleaned.paragraphs))
    if not body:
        return ImportResult(
            path,
            "failed",
            f"nothing left after removing boilerplate ({len(removed)} paragraphs cut); "
            "check that it holds the article text (--show-removed lists the cuts)",
            removed=removed,
        )
    sha = sha256_text(body)
    if sha in by_sha:
        return ImportResult(
            path, "duplicate", f"already in the library as {by_sha[sha]}", removed=removed
        )
    final_title = (
        title or hints.get("title") or _one_line(cleaned.title) or _one_line(derive_title(body))
    )
    article_id = unique_id(article_slug(final_title or "article"), taken)
    meta = ArticleMeta(
        id=article_id,
        title=final_title or article_id,
        path=articles_dir / f"{article_id}.md",
        source=_one_line(source) or hints.get("source") or _one_line(cleaned.source),
        author=hints.get("author") or _one_line(cleaned.author),
        published=hints.get("published") or cleaned.published,
        url=hints.get("url"),
        imported_at=utc_now(),
        sha256=sha,
        words=len(body.split()),
    )
    try:
        written = write_article(articles_dir, meta, body)
    except OSError as exc:
        raise ImportFailure(
            f"cannot write to {articles_dir} ({exc.strerror}); check that the folder is writable"
        ) from None
    by_sha[sha] = article_id
    taken.add(article_id)
    return ImportResult(path, "imported", f"imported as {article_id} ({written})", meta, removed)
