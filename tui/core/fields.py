"""The texts of an article that figures and claims can lie in: headline, summary and body.

Offsets always count code points in one of these texts (``field``); the body is the canonical
article text, the title and summary are the front matter's values as read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

from tui.core.annotations.records import TEXT_FIELDS
from tui.core.text import sha256_text

if TYPE_CHECKING:
    from tui.core.articles.library import Article

Field = Literal["title", "summary", "body"]
"""Which text of an article a span lies in."""

FIELD_NAMES: dict[str, str] = {"title": "headline", "summary": "summary", "body": "body"}
"""How each field is named to the user."""


def as_field(value: str) -> Field:
    """``value`` as a :data:`Field`; ValueError naming the choices otherwise."""
    if value not in TEXT_FIELDS:
        raise ValueError(f"field '{value}' is not one of {', '.join(TEXT_FIELDS)}")
    return cast(Field, value)


def field_text(article: Article, field: str) -> str:
    """The text of ``article`` that ``field`` names ("" when the article has no summary)."""
    if field == "body":
        return article.body
    if field == "title":
        return article.meta.title
    if field == "summary":
        return article.meta.summary or ""
    raise ValueError(f"field '{field}' is not one of {', '.join(TEXT_FIELDS)}")


def field_sha256(article: Article, field: str) -> str:
    """sha256 of the field's text (the body's is the article's own, already computed)."""
    return article.sha256 if field == "body" else sha256_text(field_text(article, field))
