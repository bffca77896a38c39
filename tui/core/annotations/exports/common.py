"""What every export format shares: its inputs and options, the report it fills, where each
annotation is in the current text, and helpers for ids, grouping and batching.

The one rule every format follows (issue: exports never point at the wrong passage): a position
is exported only when it is *verified* against the current text of the annotation's field —
``text[start:end] == quote`` for ``anchored`` — and a ``drifted`` annotation carries its current
position and text beside its stored quote, flagged as drifted. Offsets past the end of the text,
a changed article, or a missing article never export as ``anchored``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote

import orjson

from tui.core.annotations.anchors import reanchor
from tui.core.text import sha256_text

if TYPE_CHECKING:
    from tui.core.articles.library import Article

Records = Sequence[dict[str, Any]]
"""Annotation records (``anchor_state`` measured by :func:`anchors.current_states`)."""
Articles = Mapping[str, "Article"]
"""The library's articles by id; an absent article leaves its annotations orphans."""
ARTICLE_URN = "urn:claimdesk:article:"
"""Address of an article that has no web address (W3C target source, opt-in elsewhere)."""
BATCH = 250
"""Annotations serialised per chunk: big enough for orjson's speed, small for memory."""
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
"""An absolute IRI (scheme, colon, no characters RFC 3987 forbids)."""


@dataclass(frozen=True)
class ExportOptions:
    """Choices that change what a format writes (the CLI flags and the dialog map onto it)."""

    excel: bool = False
    """CSV: a UTF-8 byte-order mark and CRLF line ends, so Excel on Windows reads it right."""
    include_drifted: bool = False
    """JSONL, doccano, Label Studio: also export drifted spans at their current position."""
    urn_for_missing_url: bool = False
    """Hypothesis, ClaimReview: give an article without a web address a ``urn:`` (instead of
    leaving its annotations out)."""
    reviewer: str | None = None
    """ClaimReview author; None: ``CLAIMDESK_AUTHOR``, else the OS user."""
    reviewer_is_organisation: bool = False
    """ClaimReview: the reviewer is an organisation (schema.org Organization, not Person)."""
    exported_at: str | None = None
    """The export time written into the file; None: now (fixed in tests)."""


@dataclass
class ExportReport:
    """What an export wrote and what it left out, filled while its chunks are consumed."""

    written: int = 0
    """Items written: annotations, reviews, tasks or lines, as the format counts them."""
    noun: str = "annotations"
    """What ``written`` counts."""
    notes: list[str] = field(default_factory=list)
    """One line per group of annotations left out or changed, saying why and what to do."""


@dataclass(frozen=True)
class ExportInput:
    """Everything a format renders from."""

    annotations: Records
    articles: Articles
    corrections: Sequence[dict[str, Any]] = ()
    options: ExportOptions = ExportOptions()
    report: ExportReport = field(default_factory=ExportReport)


StreamFunction = Callable[[ExportInput], Iterator[bytes]]
"""A format: yields the export as UTF-8 byte chunks and fills ``ExportInput.report``."""


@dataclass(frozen=True)
class ExportFormat:
    """One row of the format registry: read by the CLI, the export dialog and notifications."""

    name: str
    """The ``--format`` value."""
    title: str
    """Name shown to people: "Exported 4 claims as <title>"."""
    description: str
    """What it is for, one short phrase (the dialog and ``--help``)."""
    extension: str
    """Suggested file name ending, with the dot."""
    media_type: str
    """IANA media type of the file."""
    stream: StreamFunction
    order: int = 100
    """Position in lists (lower first)."""

    @property
    def label(self) -> str:
        """How a format is offered in a list: "CSV (spreadsheets and pandas; …)"."""
        return f"{self.title} ({self.description})"


class Placement(NamedTuple):
    """Where an annotation is in the current text of its field (a tuple: made 100k times)."""

    state: str
    """``anchored`` (``text`` equals the quote at ``start``), ``drifted`` (found; the text
    changed) or ``orphan`` (not found, or the article is missing)."""
    start: int | None
    end: int | None
    text: str
    """The current text at ``start:end`` ("" for an orphan)."""
    sha256: str | None
    """sha256 of the field's current text; None when the article is not in the library."""


def field_text(article: Article, name: str) -> str:
    """The text an annotation's offsets count in: ``body``, ``title`` or ``summary``."""
    if name == "title":
        return article.meta.title
    if name == "summary":
        return article.meta.summary or ""
    return article.body


class Placer:
    """Places annotations in the current articles, hashing each article's field once."""

    def __init__(self, articles: Articles) -> None:
        self.articles = articles
        self._hashes: dict[tuple[str, str], str] = {}

    def sha256(self, article: Article, name: str) -> str:
        """sha256 of the article's ``name`` field (the body's is already known)."""
        if name == "body" and article.sha256:
            return article.sha256
        key = (article.id, name)
        if key not in self._hashes:
            self._hashes[key] = sha256_text(field_text(article, name))
        return self._hashes[key]

    def place(self, annotation: Mapping[str, Any]) -> Placement:
        """Where ``annotation`` is now. The stored position is trusted only when the current
        text there is the quote and the stored state says anchored; otherwise it is searched
        for again (:func:`anchors.reanchor`)."""
        article = self.articles.get(annotation["article_id"])
        if article is None:
            return Placement("orphan", None, None, "", None)
        name = annotation.get("field") or "body"
        text = field_text(article, name)
        start, end = annotation.get("start"), annotation.get("end")
        quoted = annotation.get("quote") or ""
        if not isinstance(start, int) or not isinstance(end, int):
            return Placement("orphan", None, None, "", self.sha256(article, name))
        if (
            annotation.get("anchor_state") == "anchored"
            and 0 <= start < end <= len(text)
            and text[start:end] == quoted
        ):
            return Placement("anchored", start, end, quoted, self.sha256(article, name))
        if not text or not quoted:
            return Placement("orphan", None, None, "", self.sha256(article, name))
        anchor = reanchor(annotation, text, body_sha256=self.sha256(article, name))
        return Placement(anchor.state, anchor.start, anchor.end, anchor.text,
                         self.sha256(article, name))  # fmt: skip


def exported_now() -> str:
    """The export timestamp: UTC to the second with a ``Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def export_time(options: ExportOptions) -> str:
    """The time written into an export."""
    return options.exported_at or exported_now()


def grouped(annotations: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Annotations by article id (sorted by id), each list in the given order: one pass, so
    per-article formats stay linear in the number of annotations."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for annotation in annotations:
        groups.setdefault(annotation["article_id"], []).append(annotation)
    return {article_id: groups[article_id] for article_id in sorted(groups)}


def by_field(annotations: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """One article's annotations by text field, body first."""
    fields: dict[str, list[dict[str, Any]]] = {}
    for annotation in annotations:
        fields.setdefault(annotation.get("field") or "body", []).append(annotation)
    order = {"body": 0, "title": 1, "summary": 2}
    return dict(sorted(fields.items(), key=lambda item: order.get(item[0], 3)))


def annotation_iri(annotation_id: str) -> str:
    """The W3C ``id`` of an annotation: its UUID as a ``urn:uuid:`` IRI; an id that already is
    an IRI is kept, and any other id (from an imported file) is percent-encoded."""
    if _IRI.fullmatch(annotation_id) and not annotation_id.startswith("urn:uuid:"):
        return annotation_id  # a urn:uuid: id is encoded too, or it would read back as X
    return "urn:uuid:" + quote(annotation_id, safe="-._~")


def annotation_id(iri: str) -> str:
    """The annotation id a W3C ``id`` stands for (the inverse of :func:`annotation_iri`)."""
    return unquote(iri.removeprefix("urn:uuid:")) if iri.startswith("urn:uuid:") else iri


def is_iri(text: str) -> bool:
    """True when ``text`` is an absolute IRI nothing in Markdown or JSON-LD would cut short."""
    return bool(_IRI.fullmatch(text))


def web_address(article: Article | None, article_id: str, options: ExportOptions) -> str | None:
    """The article's web address; else its ``urn:`` when the options ask for one; else None."""
    if article is not None and article.meta.url:
        return article.meta.url
    return ARTICLE_URN + article_id if options.urn_for_missing_url else None


def json_items(
    items: Iterable[Any], *, indent_key: str | None = None, batch_size: int = BATCH
) -> Iterator[bytes]:
    """The items of a JSON array, ``,``-separated, in chunks of ``batch_size``, without the
    brackets. With ``indent_key`` the bytes are exactly those of ``orjson.dumps({key: items},
    OPT_INDENT_2)`` between the brackets (so a streamed document equals the dumped one)."""
    batch: list[Any] = []
    first = True
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            chunk = array_body(batch, indent_key, first)
            batch, first = [], False  # freed before the consumer runs (and the GC with it)
            yield chunk
    if batch:
        yield array_body(batch, indent_key, first)


def array_body(batch: list[Any], indent_key: str | None, first: bool) -> bytes:
    """One chunk of :func:`json_items`: ``batch`` serialised, ``,``-prefixed unless ``first``."""
    if indent_key is None:
        body = orjson.dumps(batch)[1:-1]
        return body if first else b"," + body
    dumped = orjson.dumps({indent_key: batch}, option=orjson.OPT_INDENT_2)
    head = len(orjson.dumps(indent_key)) + 8  # '{\n  "key": [\n'
    body = dumped[head:-6]  # "\n  ]\n}"
    return body if first else b",\n" + body


def figure_number(value: Any) -> int | float | None:
    """A figure's number as a spreadsheet should see it (integral floats as integers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def figure_text(figure: dict[str, Any] | None) -> str:
    """A figure as people read it: ``MONEY 50000000000 HKD``."""
    if not figure:
        return ""
    value = figure_number(figure.get("value"))
    number = "" if value is None else format(value, "f" if isinstance(value, float) else "d")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    parts = [figure.get("label"), number, figure.get("currency") or figure.get("unit")]
    return " ".join(str(p) for p in parts if p)
