"""Reading annotation files back: the claimdesk json export, W3C JSON-LD and span JSONL.

:func:`read_annotations` returns partial annotation records (fields a format does not carry are
left out and filled in by :meth:`AnnotationStore.merge`), the corrections, and one line per item
it had to skip.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, uuid5

import orjson

from tui.core.annotations.anchors import CONTEXT, reanchor
from tui.core.annotations.export import ARTICLE_URN, FORMAT_NAME, FORMAT_VERSION, annotation_id
from tui.core.annotations.records import FIELDS, KINDS, STATUSES, TEXT_FIELDS
from tui.core.extract.corrections import valid_corrections

if TYPE_CHECKING:
    from tui.core.articles.library import Article


class ImportFileError(Exception):
    """The file cannot be imported at all: ``str()`` says why and what to do."""


@dataclass
class Parsed:
    """What a file held: annotations (possibly partial), corrections, and skipped items."""

    format: str
    annotations: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_annotations(path: Path, articles: Mapping[str, Article]) -> Parsed:
    """Parse ``path`` (format detected from its content) against the library ``articles``."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # reading a pipe or a device may never end
            raise ImportFileError(f"{path}: not a regular file; save the export to a file")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read it ({exc.strerror}); check the path") from None
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _jsonl(path, raw)
    if isinstance(document, dict) and document.get("format") == FORMAT_NAME:
        return _claimdesk(path, document)
    if isinstance(document, dict) and "text" in document and "spans" in document:
        return _jsonl(path, raw)
    return _w3c(path, document, articles)


def _claimdesk(path: Path, document: dict[str, Any]) -> Parsed:
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ImportFileError(
            f"{path}: claimdesk export version {version!r} is newer than this Claimdesk "
            f"understands ({FORMAT_VERSION}); upgrade Claimdesk"
        )
    parsed = Parsed("json")
    for item in _listed(path, document, "annotations"):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            parsed.annotations.append({k: item[k] for k in FIELDS if k in item})
        else:
            parsed.skipped.append(f"an annotation without an id: {str(item)[:60]}")
    corrections = _listed(path, document, "corrections")
    identified = [c for c in corrections if isinstance(c, dict) and isinstance(c.get("id"), str)]
    parsed.corrections = valid_corrections([c for c in identified if c["id"]])
    dropped = len(corrections) - len(parsed.corrections)
    if dropped:
        parsed.skipped.append(
            f"{dropped} correction(s) without an id, a known action, a text or a known label"
        )
    return parsed


def _listed(path: Path, document: dict[str, Any], key: str) -> list[Any]:
    """``document[key]`` as a list (absent or null is empty); anything else is an error."""
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFileError(f"{path}: '{key}' must be a list; export the file again")
    return value


def _jsonl(path: Path, raw: bytes) -> Parsed:
    parsed = Parsed("jsonl")
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
            text, meta, spans = item["text"], item["meta"], item["spans"]
            article_id = meta["id"]
            if not isinstance(spans, list):
                raise TypeError("spans is not a list")
        except (orjson.JSONDecodeError, KeyError, TypeError):
            raise ImportFileError(
                f"{path}: line {number} is neither claimdesk json, W3C JSON-LD nor a span JSONL "
                'line ({"text", "meta": {"id"}, "spans"}); export it again from Claimdesk'
            ) from None
        if not isinstance(article_id, str) or not article_id:
            parsed.skipped.append(
                f"line {number}: meta.id must be an article id (text), not {article_id!r:.40}"
            )
            continue
        for span in spans:
            try:
                start, end = span["start"], span["end"]
                record = {
                    "id": _span_id(span, article_id),
                    "article_id": article_id,
                    "quote": text[start:end],
                    "prefix": text[max(0, start - CONTEXT) : start],
                    "suffix": text[end : end + CONTEXT],
                    "start": start,
                    "end": end,
                    "sha256": meta.get("sha256") or "",
                }
            except (KeyError, TypeError):
                parsed.skipped.append(f"line {number}: a span without start, end or a text id")
                continue
            if meta.get("field") in TEXT_FIELDS:  # a line for the headline or summary
                record["field"] = meta["field"]
            for key in ("tags", "note", "status"):
                if key in span:
                    record[key] = span[key]
            kind = str(span.get("label", "")).lower()
            if kind in KINDS:
                record["kind"] = kind
            parsed.annotations.append(record)
    return parsed


def _span_id(span: dict[str, Any], article_id: Any) -> str:
    """A span's id as text; spans from other tools (Prodigy, doccano) often have none, so one
    is derived from the article and the span, and importing the file again adds nothing."""
    given = span.get("id")
    if isinstance(given, str) and given:
        return given
    if isinstance(given, int) and not isinstance(given, bool):
        return str(given)
    if given is not None:
        raise TypeError("the span id is not text")
    key = f"{article_id}:{span['start']}:{span['end']}:{span.get('label', '')}"
    return str(uuid5(NAMESPACE_URL, f"claimdesk:{key}"))


def _w3c(path: Path, document: Any, articles: Mapping[str, Article]) -> Parsed:
    if isinstance(document, dict) and document.get("type") == "AnnotationCollection":
        first = document.get("first")
        document = first.get("items", []) if isinstance(first, dict) else None
    elif isinstance(document, dict) and document.get("type") == "AnnotationPage":
        document = document.get("items", [])
    elif isinstance(document, dict) and document.get("type") == "Annotation":
        document = [document]
    if not isinstance(document, list):
        raise ImportFileError(
            f"{path}: not a claimdesk export, a W3C annotation/collection or span JSONL; "
            "export it again with 'claimdesk export'"
        )
    by_url = {a.meta.url: a for a in articles.values() if a.meta.url}
    parsed = Parsed("w3c")
    for item in document:
        try:
            parsed.annotations.append(_from_w3c(item, articles, by_url))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            ident = item.get("id", "?") if isinstance(item, dict) else "?"
            parsed.skipped.append(f"{ident}: {exc}")
    return parsed


def _from_w3c(
    item: dict[str, Any], articles: Mapping[str, Article], by_url: Mapping[str, Article]
) -> dict[str, Any]:
    target = item["target"]
    target = (target or [None])[0] if isinstance(target, list) else target
    if not isinstance(target, dict):
        raise ValueError("it has no target object")
    source = target["source"]
    source = source.get("id") if isinstance(source, dict) else source
    if not isinstance(source, str):
        raise ValueError("its target has no source IRI")
    article_id = source[len(ARTICLE_URN) :] if source.startswith(ARTICLE_URN) else None
    if article_id is None:
        match = by_url.get(source)
        if match is None:
            raise ValueError(
                f"its source {source} is not an article in the library; import it first"
            )
        article_id = match.id
    selectors = target["selector"]
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if quote is None:
        raise ValueError("its target has no TextQuoteSelector")
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    stored = item.get("cd:stored")  # a Claimdesk export's stored selector of a non-anchored span
    if position is None and isinstance(stored, dict):
        start, end = stored.get("cd:start"), stored.get("cd:end")
        if isinstance(start, int) and isinstance(end, int):
            position = {"start": start, "end": end}
    record: dict[str, Any] = {
        "id": annotation_id(str(item["id"])),
        "article_id": article_id,
        "quote": quote["exact"],
        "prefix": quote.get("prefix", ""),
        "suffix": quote.get("suffix", ""),
        "start": position["start"] if position else 0,
        "end": position["end"] if position else len(quote["exact"]),
        "sha256": "",
    }
    if item.get("cd:field") in TEXT_FIELDS:  # a Claimdesk export's span in the headline/summary
        record["field"] = item["cd:field"]
    article = articles.get(article_id)
    if article is not None and record.get("field", "body") == "body":
        if position is None:  # place it by its quote and context
            anchor = reanchor(record, article.body)
            if anchor.start is not None and anchor.end is not None:
                record["start"], record["end"] = anchor.start, anchor.end
        if article.body[record["start"] : record["end"]] == record["quote"]:
            record["sha256"] = article.sha256
    tags, notes = [], []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        purpose, value = body.get("purpose"), body.get("value", "")
        if purpose == "tagging":
            tags.append(value)
        elif purpose == "assessing" and value in STATUSES:
            record["status"] = value
        elif purpose == "classifying" and value in KINDS:
            record["kind"] = value
        elif purpose == "describing" and body.get("format") == "application/json":
            record["figure"] = orjson.loads(value)
        elif isinstance(value, str) and value:
            notes.append(value)
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    record["tags"], record["note"] = tags, "\n\n".join(notes)
    for key in ("created", "modified"):
        if isinstance(item.get(key), str):
            record[key] = item[key]
    creator = item.get("creator")
    name = creator.get("name") if isinstance(creator, dict) else creator
    if isinstance(name, str) and name:
        record["author"] = name
    return record
