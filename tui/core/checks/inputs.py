"""What the checks read: an article's fields, its figures and entities per field, and a context.

All inputs are plain data (strings, figure and entity dicts as :mod:`tui.core.extract` returns
them), so a check can run in a worker thread or a process pool and its result can be cached by
a hash of its inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from tui.core.checks.findings import SpanRef

Figure = Mapping[str, Any]
"""A figure dict: ``{text, start, end, label, value, currency, unit, qualifier, low, high}``
(plus ``currency_reason`` and ``field`` where the extractor provides them)."""
Entity = Mapping[str, Any]
"""An entity dict: ``{text, start, end, label, source, key}``."""

T = TypeVar("T")

NAME_LABELS = frozenset({"ORG", "GPE", "PERSON"})
"""Entity labels that can be the subject of a figure."""


@dataclass(frozen=True)
class ArticleFields:
    """The texts of one article that figures point into, and what dates it."""

    article_id: str
    title: str
    body: str
    summary: str | None = None
    published: str | None = None
    """Publication date as written in the front matter (None when unknown)."""
    imported_at: str | None = None
    """When the article entered the library: shown when ``published`` is unknown."""
    source: str | None = None
    """The publication's title, which may say what its bare "$" means."""
    url: str | None = None
    """Where the article was published (its domain names the publication)."""

    def text(self, field_name: str) -> str:
        """The text of ``title``, ``summary`` or ``body`` ("" for a missing summary)."""
        if field_name == "title":
            return self.title
        if field_name == "summary":
            return self.summary or ""
        return self.body

    def date(self) -> str:
        """The best date to show next to this article's figures."""
        if self.published:
            return self.published
        if self.imported_at:
            return f"imported {self.imported_at[:10]}"
        return "date unknown"


@dataclass(frozen=True)
class CheckContext:
    """Settings that change what the checks conclude (part of the cache key)."""

    user_rates: Mapping[str, float] = field(default_factory=dict)
    """US dollars per unit of a currency, supplied by the user (``CLAIMDESK_USD_RATES``)."""

    def key(self) -> dict[str, Any]:
        """A JSON-able form for the cache key."""
        return {"user_rates": dict(sorted(self.user_rates.items()))}


@dataclass(frozen=True)
class ArticleInput:
    """Everything the checks need about one article."""

    fields: ArticleFields
    figures_by_field: Mapping[str, Sequence[Figure]]
    entities_by_field: Mapping[str, Sequence[Entity]]
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False, hash=False)
    """Results several checks need (a field's changes, a figure's subject), computed once."""

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` for this article."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def memo_items(self) -> list[tuple[Any, Any]]:
        """What is remembered so far, as (key, result) pairs."""
        return list(self._memo.items())

    def entities(self, field_name: str) -> Sequence[Entity]:
        """Entities of one field; for a title or summary without its own, the body's ORG, GPE
        and PERSON names found there word for word (the model runs on the body only)."""
        return self.memo(("entities", field_name), lambda: self._entities(field_name))

    def _entities(self, field_name: str) -> Sequence[Entity]:
        own = self.entities_by_field.get(field_name)
        if own is not None or field_name == "body":
            return own or ()
        text = self.fields.text(field_name)
        found: dict[tuple[int, int], Entity] = {}
        for entity in self.entities_by_field.get("body") or ():
            if entity.get("label") not in NAME_LABELS:
                continue
            for start, end in whole_words(str(entity["text"]), text):
                found.setdefault((start, end), {**entity, "start": start, "end": end})
        return [found[k] for k in sorted(found)]

    def key(self) -> dict[str, Any]:
        """A JSON-able form of every input, for the cache key."""
        f = self.fields
        return {
            "fields": [f.article_id, f.title, f.summary, f.body, f.published, f.imported_at],
            "publication": [f.source, f.url],
            "figures": {k: list(v) for k, v in sorted(self.figures_by_field.items())},
            "entities": {k: list(v) for k, v in sorted(self.entities_by_field.items())},
        }


def whole_words(name: str, text: str) -> list[tuple[int, int]]:
    r"""(start, end) of each occurrence of ``name`` in ``text`` with no word character right
    before or after it, left to right and not overlapping: ``(?<!\w)name(?!\w)`` without
    compiling a pattern per name (a library has thousands of names)."""
    if not name:
        return [m.span() for m in re.finditer(r"(?<!\w)(?!\w)", text)]
    spans = []
    at = text.find(name)
    while at != -1:
        end = at + len(name)
        if not (at and _word_char(text[at - 1])) and not (
            end < len(text) and _word_char(text[end])
        ):
            spans.append((at, end))
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return spans


def _word_char(char: str) -> bool:
    r"""What ``\w`` matches in a str pattern: alphanumerics (``str.isalnum``) and ``_``."""
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class Located:
    """A figure with the article and field it belongs to."""

    article: ArticleFields
    field: str
    figure: Figure

    @property
    def text(self) -> str:
        """The field text the figure's offsets point into."""
        return self.article.text(self.field)

    @property
    def start(self) -> int:
        """Start offset in the field."""
        return int(self.figure["start"])

    @property
    def end(self) -> int:
        """End offset in the field."""
        return int(self.figure["end"])

    def span(self) -> SpanRef:
        """This figure as a :class:`SpanRef`."""
        return SpanRef(
            self.article.article_id, self.field, self.start, self.end, self.figure["text"]
        )


def located(article: ArticleInput, field_name: str) -> list[Located]:
    """The figures of one field in reading order, with a value (vague amounts are skipped)."""

    def compute() -> list[Located]:
        figures = article.figures_by_field.get(field_name) or ()
        valued = [f for f in figures if f.get("value") is not None]
        valued.sort(key=lambda f: (f["start"], f["end"]))
        return [Located(article.fields, field_name, f) for f in valued]

    return article.memo(("located", field_name), compute)
