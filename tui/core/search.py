"""Search across the library: article text, headlines and summaries, and the claims on them.

``#jobs`` finds the claims tagged "jobs" (as the Claims tab writes tags); a verdict such as
``disputed`` finds the claims with that status as well as the word in the text. A hit on a claim
shows the claim's quote and opens where the claim is now.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.annotations.records import STATUSES

if TYPE_CHECKING:
    from tui.core.articles.library import Article, ArticleMeta


@dataclass(frozen=True)
class SearchHit:
    """One search result: an article and the range to select when it opens."""

    article_id: str
    title: str
    where: str
    """What matched: text, title, summary, quote, tag, status or note."""
    snippet: str
    """One line to show: the match with context, or the claim's quote."""
    start: int
    end: int
    annotation_id: str | None = None
    """For hits on claims: the claim, selected where it is now when opened."""
    field: str = "body"
    """The text ``start:end`` count in."""


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    """The match with some context, on one line."""
    left = text[max(0, start - width) : start].split("\n")[-1]
    right = text[end : end + width].split("\n")[0]
    more = "…" if end + width < len(text) else ""
    return f"{'…' if start - len(left) > 0 else ''}{left}{text[start:end]}{right}{more}"


def _claim_hit(owner: ArticleMeta, record: Mapping[str, Any], where: str) -> SearchHit:
    quote = " ".join(str(record.get("quote", "")).split())
    shown = f"“{quote[:100]}{'…' if len(quote) > 100 else ''}”"
    if where == "tag":
        shown += "  #" + "  #".join(str(t) for t in record.get("tags", []))
    elif where == "status":
        shown += f"  [{record.get('status')}]"
    elif where == "note":
        shown += "  — " + " ".join(str(record.get("note", "")).split())[:60]
    return SearchHit(
        owner.id,
        owner.title,
        where,
        shown,
        int(record.get("start", 0)),
        int(record.get("end", 0)),
        str(record.get("id")),
        str(record.get("field", "body")),
    )


def claim_matches(record: Mapping[str, Any], query: str) -> str | None:
    """What part of a claim ``query`` matches (tag, status, quote, note), or None."""
    needle = query.strip()
    tags = [str(t) for t in record.get("tags", [])]
    if needle.startswith("#"):
        wanted = needle[1:].strip().casefold()
        return "tag" if wanted and wanted in (t.casefold() for t in tags) else None
    folded = needle.casefold()
    if folded in STATUSES and record.get("status") == folded:
        return "status"
    for where, value in (("quote", record.get("quote", "")), ("note", record.get("note", ""))):
        if folded and folded in str(value).casefold():
            return where
    if any(folded in t.casefold() for t in tags):
        return "tag"
    return None


def search_library(
    metas: Sequence[ArticleMeta],
    read: Callable[[ArticleMeta], Article | None],
    records: Iterable[Mapping[str, Any]],
    query: str,
    limit: int = 200,
) -> list[SearchHit]:
    """Case-insensitive hits for ``query``: claims first (they are what the user made), then
    headlines, summaries and article text in library order."""
    needle = query.strip()
    if not needle:
        return []
    by_id = {m.id: m for m in metas}
    hits: list[SearchHit] = []
    for record in records:
        owner = by_id.get(str(record.get("article_id")))
        where = claim_matches(record, needle) if owner else None
        if owner is not None and where:
            hits.append(_claim_hit(owner, record, where))
            if len(hits) >= limit:
                return hits
    if needle.startswith("#"):
        return hits
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    for meta in metas:
        for where, text in (("title", meta.title), ("summary", meta.summary or "")):
            for match in pattern.finditer(text):
                hits.append(
                    SearchHit(
                        meta.id,
                        meta.title,
                        where,
                        _snippet(text, *match.span()),
                        match.start(),
                        match.end(),
                        None,
                        where,
                    )
                )
        article = read(meta)
        body = article.body if article is not None else ""
        for match in pattern.finditer(body):
            hits.append(
                SearchHit(
                    meta.id,
                    meta.title,
                    "text",
                    _snippet(body, *match.span()),
                    match.start(),
                    match.end(),
                )
            )
            if len(hits) >= limit:
                return hits
    return hits[:limit]
