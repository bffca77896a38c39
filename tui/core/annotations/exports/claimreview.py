"""schema.org ClaimReview (JSON-LD), what fact-check search engines read: a JSON list with one
``ClaimReview`` per annotation that has a verdict.

* ``claimReviewed``: the quote; ``reviewBody``: the note; ``datePublished``: when the verdict was
  last changed (the annotation's ``modified``), ``author``: the reviewer
  (``ExportOptions.reviewer``, else ``CLAIMDESK_AUTHOR``, else the OS user; a Person, or an
  Organization when ``reviewer_is_organisation``).
* ``reviewRating``: ``alternateName`` is the verdict in words and ``ratingValue`` its place on a
  1–4 scale (:data:`RATINGS`: false 1, disputed 2, needs a source 3, supported 4).
* ``itemReviewed``: a ``Claim`` whose ``appearance`` is the article (``NewsArticle`` with its
  ``url``, ``headline``, ``publisher`` and ``datePublished``; ``author`` when known).

Unverified annotations have no verdict: they are left out and counted in the report. An article
without a web address is still reviewed, without ``url`` (or with its ``urn:`` when asked), and
reported, since search engines match reviews to pages by that address.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.core.annotations.exports.common import (
    ExportFormat,
    ExportInput,
    annotation_iri,
    json_items,
    web_address,
)
from tui.core.config import default_author

RATINGS: dict[str, tuple[int, str]] = {
    "false": (1, "False"),
    "disputed": (2, "Disputed"),
    "needs-source": (3, "Unproven: needs a source"),
    "supported": (4, "Supported"),
}
"""Verdict -> (ratingValue on the 1–4 scale, alternateName)."""
WORST, BEST = 1, 4


def claim_review(annotation: dict[str, Any], data: ExportInput, reviewer: dict[str, str],
                 ) -> dict[str, Any]:  # fmt: skip
    """One ClaimReview for an annotation with a verdict."""
    value, name = RATINGS[annotation["status"]]
    article_id = annotation["article_id"]
    article = data.articles.get(article_id)
    appearance: dict[str, Any] = {"@type": "NewsArticle"}
    url = web_address(article, article_id, data.options)
    if url:
        appearance["url"] = url
    if article is not None:
        meta = article.meta
        appearance["headline"] = meta.title
        if meta.source:
            appearance["publisher"] = {"@type": "Organization", "name": meta.source}
        if meta.published:
            appearance["datePublished"] = meta.published
        if meta.author:
            appearance["author"] = {"@type": "Person", "name": meta.author}
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": annotation_iri(annotation["id"]),
        "claimReviewed": annotation["quote"],
        "datePublished": annotation["modified"],
        "author": reviewer,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": name,
        },
        "itemReviewed": {"@type": "Claim", "appearance": appearance},
    }
    if article is not None and article.meta.published:
        review["itemReviewed"]["datePublished"] = article.meta.published
    if annotation["note"]:
        review["reviewBody"] = annotation["note"]
    return review


def _reviews(data: ExportInput) -> Iterator[dict[str, Any]]:
    options = data.options
    reviewer = {
        "@type": "Organization" if options.reviewer_is_organisation else "Person",
        "name": options.reviewer or default_author(),
    }
    unverified = 0
    without_url: set[str] = set()
    for annotation in data.annotations:
        if annotation["status"] not in RATINGS:
            unverified += 1
            continue
        article = data.articles.get(annotation["article_id"])
        if web_address(article, annotation["article_id"], options) is None:
            without_url.add(annotation["article_id"])
        data.report.written += 1
        yield claim_review(annotation, data, reviewer)
    data.report.noun = "reviews"
    if unverified:
        data.report.notes.append(
            f"left out {unverified} unverified annotation(s): a ClaimReview needs a verdict "
            "(supported, disputed, false or needs-source)"
        )
    if without_url:
        data.report.notes.append(
            f"{len(without_url)} article(s) have no web address ({', '.join(sorted(without_url))})"
            ", so their reviews name no page; add one with 'claimdesk import --url'"
        )


def stream(data: ExportInput) -> Iterator[bytes]:
    """The JSON-LD list, one review per line."""
    yield b"[\n"
    for chunk in json_items(_reviews(data)):
        yield chunk.replace(b',{"@context"', b',\n{"@context"')
    yield b"\n]\n"


FORMAT = ExportFormat(
    name="claimreview",
    title="ClaimReview",
    description="schema.org ClaimReview JSON-LD for claims with a verdict",
    extension=".jsonld",
    media_type="application/ld+json",
    stream=stream,
    order=6,
)
