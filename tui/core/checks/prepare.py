"""Building the checks' inputs from library articles with the extractor (figures after corrections).

The body's figures and entities come from :class:`tui.core.extract.Extractor` (cached); the title
and summary are run through the same figure rules (they are short, so no model and no cache
file). A front end calls :func:`article_input` in a worker and passes the results to
:func:`tui.core.checks.run_checks`.
"""

from __future__ import annotations

import re
from typing import Any

from tui.core.articles.library import Article
from tui.core.checks.inputs import ArticleFields, ArticleInput
from tui.core.extract import Extraction, Extractor
from tui.core.extract.figures import find_figures


def article_fields(article: Article) -> ArticleFields:
    """The texts and dates of a library article."""
    meta = article.meta
    return ArticleFields(
        article_id=meta.id,
        title=meta.title,
        body=article.body,
        summary=meta.summary,
        published=meta.published,
        imported_at=meta.imported_at,
        source=meta.source,
    )


def _with_field(figures: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    return [{**f, "field": f.get("field", field)} for f in figures]


def article_input(
    article: Article, extractor: Extractor, extraction: Extraction | None = None
) -> ArticleInput:
    """Everything the checks need about ``article`` (``extraction``: the body's, when known)."""
    fields = article_fields(article)
    body = extraction if extraction is not None else extractor.extract(article.body)
    figures = {"body": _with_field(body.figures, "body")}
    figures["title"] = _with_field(extractor.figures(fields.title), "title")
    if fields.summary:
        figures["summary"] = _with_field(extractor.figures(fields.summary), "summary")
    return ArticleInput(fields, figures, {"body": list(body.entities)})


def text_input(
    article_id: str,
    title: str,
    body: str,
    summary: str | None = None,
    *,
    names: dict[str, str] | None = None,
    published: str | None = None,
    source: str | None = None,
) -> ArticleInput:
    """Inputs for plain texts (a pasted story, a test, a benchmark): figures from the rules, and
    entities from ``names`` (name -> label, e.g. ``{"Qantas": "ORG"}``) wherever they occur."""
    fields = ArticleFields(article_id, title, body, summary, published, None, source)
    figures = {"title": _with_field(find_figures(title), "title")}
    figures["body"] = _with_field(find_figures(body), "body")
    if summary:
        figures["summary"] = _with_field(find_figures(summary), "summary")
    entities: dict[str, list[dict[str, Any]]] = {}
    for field in figures:
        text = fields.text(field)
        found = [
            {
                "text": name,
                "start": m.start(),
                "end": m.end(),
                "label": label,
                "key": name,
                "source": "model",
            }
            for name, label in (names or {}).items()
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        ]
        entities[field] = sorted(found, key=lambda e: (e["start"], e["end"]))
    return ArticleInput(fields, figures, entities)
