"""Articles and annotation records shared by the export tests: a small library whose articles
were edited after annotating, so exports meet anchored, moved, drifted and orphaned claims."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tui.core.annotations.anchors import current_states, select
from tui.core.annotations.records import DEFAULTS, FIELDS
from tui.core.articles.library import Article, ArticleMeta, read_article, write_article
from tui.core.text import sha256_text

WIRE_BODY = (
    "Inflation fell to 2.1% in May, officials said.\n"
    "The central bank will spend €2.5 billion on new housing, a record.\n"
    "Unemployment stayed at 4.0% according to the survey 😀 of households."
)
WIRE_EDITED = (
    "A paragraph added above everything.\n"
    "Inflation fell to 2.2% in May, officials said.\n"
    "The central bank will spend €2.5 billion on new housing, a record.\n"
    "Unemployment stayed at 4.0% according to the survey 😀 of households."
)
LOCAL_BODY = "The council approved 1,200 new homes on Tuesday after a long debate."
HOSTILE_NOTE = "-2+3+cmd|' /C calc'!A0\n---\nsee \u202eevil\u202c and =HYPERLINK(\"x\")"
EXPORTED_AT = "2026-11-30T12:00:00Z"


def write(folder: Path, article_id: str, body: str, **meta: Any) -> Article:
    """Write an article into ``folder`` and read it back as the library would."""
    title = meta.pop("title", article_id.title())
    return read_article(write_article(folder, ArticleMeta(article_id, title, folder, **meta), body))


def record(article: Article, quote: str, nth: int = 0, **fields: Any) -> dict[str, Any]:
    """A stored annotation record on the ``nth`` occurrence of ``quote`` in the article body."""
    start = -1
    for _ in range(nth + 1):
        start = article.body.index(quote, start + 1)
    made = {name: DEFAULTS.get(name) for name in FIELDS}
    made.update(select(article.body, start, start + len(quote)))
    made.update(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{article.id}:{quote}:{nth}")),
        article_id=article.id,
        sha256=article.sha256,
        created="2026-11-01T09:00:00Z",
        modified="2026-11-02T10:30:00Z",
        author="tester",
        tags=[],
        history=[],
    )
    made.update(fields)
    return made


@dataclass
class Case:
    """The library as it is now, and the annotations measured against it."""

    articles: dict[str, Article]
    records: list[dict[str, Any]]

    def by_quote(self, quote: str) -> dict[str, Any]:
        """The record whose stored quote is ``quote``."""
        return next(r for r in self.records if r["quote"] == quote)


def edited_library(tmp_path: Path) -> Case:
    """Annotations made on the original texts; then the wire article was edited (a paragraph
    added above, 2.1% corrected to 2.2%) and another article was deleted."""
    folder = tmp_path / "articles"
    wire = write(folder, "wire", WIRE_BODY, title="Prices — May", source="Wire",
                 url="https://example.com/news/may?ref=1", published="2026-05-30",
                 author="A. Writer")  # fmt: skip
    local = write(folder, "local", LOCAL_BODY, title="Homes approved", source="Gazette")
    gone = write(folder, "gone", "A deleted article text.", title="Gone")
    figure = {"text": "€2.5 billion", "label": "MONEY", "value": 2.5e9, "currency": "EUR",
              "unit": None, "qualifier": None, "low": None, "high": None}  # fmt: skip
    records = [
        record(wire, "2.1%", status="disputed", kind="figure", tags=["inflation"]),
        record(wire, "officials said", status="supported", note="Two sources."),
        record(
            wire,
            "€2.5 billion",
            figure=figure,
            tags=["housing", "a; b", "x|y"],
            status="false",
            note=HOSTILE_NOTE,
            author="=cmd()",
        ),
        record(wire, "4.0%", status="needs-source"),
        record(wire, "survey 😀 of", tags=["emoji"]),
        record(local, "1,200 new homes", status="supported", tags=["=SUM(A1)"]),
        record(local, "long debate"),
        record(gone, "deleted article", status="supported"),
    ]
    # imported from another tool: offsets past the end of the text, quote nowhere
    records.append(
        {**record(local, "Tuesday"), "id": "imported-1", "quote": "not in this text",
         "start": 500, "end": 516, "prefix": "", "suffix": "", "sha256": ""}
    )  # fmt: skip
    edited = write(folder, "wire", WIRE_EDITED, title="Prices — May", source="Wire",
                   url="https://example.com/news/may?ref=1", published="2026-05-30",
                   author="A. Writer")  # fmt: skip
    (folder / "gone.md").unlink()
    articles = {"wire": edited, "local": local}
    bodies = {"wire": edited.body, "local": local.body, "gone": None}
    return Case(articles, current_states(records, bodies))


def without_url(case: Case) -> Case:
    """The same case, but no article has a web address."""
    articles = {k: Article(replace(a.meta, url=None), a.body) for k, a in case.articles.items()}
    return Case(articles, case.records)


def sha(text: str) -> str:
    """sha256 of ``text`` as exports write it."""
    return sha256_text(text)
