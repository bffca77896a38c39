"""Annotation exports, one function per format: json, w3c, jsonl, csv, md.

Every function takes annotation records whose ``anchor_state`` was measured against the current
articles (:func:`tui.core.anchors.current_states`) and the articles they refer to (id -> Article;
an absent article leaves its annotations orphans). Each returns the text of the export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import orjson

from tui.core.annotations.anchors import reanchor
from tui.core.annotations.records import FIELDS

if TYPE_CHECKING:
    from tui.core.articles.library import Article

FORMAT_NAME = "claimdesk"
FORMAT_VERSION = 1
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN = "urn:claimdesk:article:"
"""Target source of an annotation whose article has no URL."""
Records = Sequence[dict[str, Any]]
Articles = Mapping[str, "Article"]


def exported_now() -> str:
    """The export timestamp: UTC to the second with a ``Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _article_ids(annotations: Records) -> list[str]:
    return sorted({a["article_id"] for a in annotations})


def to_json(
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
    exported_at: str | None = None,
) -> str:
    """The claimdesk format (``tui/schemas/claimdesk-export.schema.json``)."""
    listed = []
    for article_id in _article_ids(annotations):
        article = articles.get(article_id)
        meta = article.meta if article else None
        listed.append(
            {
                "id": article_id,
                "title": meta.title if meta else None,
                "source": meta.source if meta else None,
                "url": meta.url if meta else None,
                "sha256": meta.sha256 if meta else None,
            }
        )
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at or exported_now(),
        "articles": listed,
        "annotations": [a if len(a) == len(FIELDS) else _fields(a) for a in annotations],
        "corrections": list(corrections),
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def _fields(annotation: dict[str, Any]) -> dict[str, Any]:
    return {name: annotation[name] for name in FIELDS}


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
"""An absolute IRI (scheme, colon, no characters RFC 3987 forbids)."""


def annotation_iri(annotation_id: str) -> str:
    """The W3C ``id`` of an annotation: its UUID as a ``urn:uuid:`` IRI; an id that already is
    an IRI is kept, and any other id (from an imported file) is percent-encoded."""
    if _IRI.fullmatch(annotation_id):
        return annotation_id
    return "urn:uuid:" + quote(annotation_id, safe="-._~")


def annotation_id(iri: str) -> str:
    """The annotation id a W3C ``id`` stands for (the inverse of :func:`annotation_iri`)."""
    return unquote(iri.removeprefix("urn:uuid:")) if iri.startswith("urn:uuid:") else iri


def target_source(article_id: str, articles: Articles) -> str:
    """The article's URL, else a ``urn:claimdesk:article:<id>`` IRI naming it."""
    article = articles.get(article_id)
    return article.meta.url if article and article.meta.url else ARTICLE_URN + article_id


def w3c_annotation(annotation: dict[str, Any], articles: Articles) -> dict[str, Any]:
    """One W3C Web Annotation: note (commenting), tags (tagging), status (assessing), kind
    (classifying) and figure (describing, JSON) as TextualBody items; quote + position selectors."""
    bodies: list[dict[str, Any]] = []
    if annotation["note"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": annotation["note"],
             "format": "text/plain"}
        )  # fmt: skip
    bodies += [
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in annotation["tags"]
    ]
    bodies.append({"type": "TextualBody", "purpose": "assessing", "value": annotation["status"]})
    bodies.append({"type": "TextualBody", "purpose": "classifying", "value": annotation["kind"]})
    if annotation["figure"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "describing", "format": "application/json",
             "value": orjson.dumps(annotation["figure"]).decode()}
        )  # fmt: skip
    if annotation["status"] != "unverified":
        motivation = "assessing"
    elif annotation["note"]:
        motivation = "commenting"
    elif annotation["tags"]:
        motivation = "tagging"
    else:
        motivation = "highlighting"
    return {
        "@context": W3C_CONTEXT,
        "id": annotation_iri(annotation["id"]),
        "type": "Annotation",
        "motivation": motivation,
        "created": annotation["created"],
        "modified": annotation["modified"],
        "creator": {"type": "Person", "name": annotation["author"]},
        "body": bodies,
        "target": {
            "source": target_source(annotation["article_id"], articles),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation["quote"],
                    "prefix": annotation["prefix"],
                    "suffix": annotation["suffix"],
                },
                {
                    "type": "TextPositionSelector",
                    "start": annotation["start"],
                    "end": annotation["end"],
                },
            ],
        },
    }


def to_w3c(annotations: Records, articles: Articles, exported_at: str | None = None) -> str:
    """A W3C AnnotationCollection (JSON-LD) with every annotation on its first page."""
    items = [w3c_annotation(a, articles) for a in annotations]
    collection = {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": "Claimdesk annotations",
        "generated": exported_at or exported_now(),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return orjson.dumps(collection, option=orjson.OPT_INDENT_2).decode() + "\n"


def to_jsonl(annotations: Records, articles: Articles) -> str:
    """One line per article, Prodigy/doccano style: ``text``, ``meta`` and ``spans`` at their
    current position (``label`` is the kind in upper case). Annotations that cannot be placed in
    the current text are listed in ``meta.orphans`` with their stored quote."""
    lines = []
    for article_id in _article_ids(annotations):
        article = articles.get(article_id)
        mine = [a for a in annotations if a["article_id"] == article_id]
        spans, orphans = [], []
        for annotation in mine:
            anchor = (
                reanchor(annotation, article.body, body_sha256=article.sha256) if article else None
            )
            common = {
                "tags": annotation["tags"], "note": annotation["note"],
                "status": annotation["status"], "id": annotation["id"],
            }  # fmt: skip
            if anchor is None or anchor.start is None or anchor.end is None:
                orphans.append({"quote": annotation["quote"], **common})
                continue
            spans.append(
                {"start": anchor.start, "end": anchor.end, "label": annotation["kind"].upper(),
                 "text": anchor.text, **common, "anchor_state": anchor.state}
            )  # fmt: skip
        meta = {
            "id": article_id,
            "title": article.title if article else None,
            "url": article.meta.url if article else None,
            "sha256": article.sha256 if article else None,
            "orphans": orphans,
        }
        line = {"text": article.body if article else "", "meta": meta, "spans": spans}
        lines.append(orjson.dumps(line).decode())
    return "".join(line + "\n" for line in lines)


def figure_text(figure: dict[str, Any] | None) -> str:
    """A figure as people read it: ``MONEY 50000000000 HKD``."""
    if not figure:
        return ""
    value = figure.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = "" if value is None else format(value, "f" if isinstance(value, float) else "d")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    parts = [figure.get("label"), number, figure.get("currency") or figure.get("unit")]
    return " ".join(str(p) for p in parts if p)


CSV_COLUMNS = (
    "article", "title", "quote", "tags", "status", "note", "figure", "anchor_state", "url",
    "id", "start", "end", "created", "modified", "author",
)  # fmt: skip
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d ]))")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: prefix ``'``)."""
    text = str(value)
    return "'" + text if _FORMULA.match(text) else text


def to_csv(annotations: Records, articles: Articles) -> str:
    """One row per annotation for spreadsheets (tags joined with ``; ``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in annotations:
        article = articles.get(a["article_id"])
        row = (
            a["article_id"], article.title if article else "", a["quote"], "; ".join(a["tags"]),
            a["status"], a["note"], figure_text(a["figure"]), a["anchor_state"],
            article.meta.url or "" if article else "", a["id"], a["start"], a["end"],
            a["created"], a["modified"], a["author"],
        )  # fmt: skip
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(text: str) -> str:
    """Text shown literally by Markdown renderers (no emphasis, links, HTML or headings)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_md(annotations: Records, articles: Articles, exported_at: str | None = None) -> str:
    """A readable report: one section per article, one entry per annotation."""
    lines = [
        "# Claimdesk annotations",
        "",
        f"Exported {exported_at or exported_now()}: {len(annotations)} annotations.",
    ]
    for article_id in _article_ids(annotations):
        article = articles.get(article_id)
        title = article.title if article else f"{article_id} (not in the library)"
        lines += ["", f"## {md_escape(title)}", ""]
        if article and article.meta.url:
            url = article.meta.url  # an autolink only when nothing in it can end the link early
            lines += [f"<{url}>" if _IRI.fullmatch(url) else md_escape(url), ""]
        entries = [a for a in annotations if a["article_id"] == article_id]
        for number, a in enumerate(entries, 1):
            quote = md_escape(a["quote"]).replace("\n", "\n   > ")
            details = [f"**Status:** {a['status']}", f"**Anchor:** {a['anchor_state']}"]
            if a["tags"]:
                details.append("**Tags:** " + ", ".join(md_escape(t) for t in a["tags"]))
            if a["figure"]:
                details.append(f"**Figure:** {md_escape(figure_text(a['figure']))}")
            lines += [f"{number}. > {quote}", "", "   " + " · ".join(details)]
            if a["note"]:
                note = "\n".join("   " + md_escape(line) for line in a["note"].split("\n"))
                lines += ["", note]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


FORMATS: dict[str, Callable[..., str]] = {
    "json": to_json,
    "w3c": to_w3c,
    "jsonl": to_jsonl,
    "csv": to_csv,
    "md": to_md,
}
"""Export format name -> function."""


def render(
    fmt: str,
    annotations: Records,
    articles: Articles,
    corrections: Sequence[dict[str, Any]] = (),
) -> str:
    """The export of ``annotations`` in ``fmt`` (corrections travel with the json format)."""
    if fmt == "json":
        return to_json(annotations, articles, corrections)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (choose {', '.join(FORMATS)})")
    return FORMATS[fmt](annotations, articles)
