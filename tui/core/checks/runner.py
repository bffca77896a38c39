"""Running the checks: per article, over a library, and cached like extraction.

Every function here is pure over plain data (no model, no Textual, no store), so a UI can call
:func:`run_checks` from a worker thread or map :func:`check_article` over a process pool.

The cache keeps one small JSON file per input under ``<cache_dir>/checks/``, keyed by the sha256
of :data:`CHECKS_VERSION` and every input (fields, figures after corrections, entities, context):
a new correction or an edited article changes the key, so a stale result is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from tui.core.checks.arithmetic import change_findings, share_findings
from tui.core.checks.conversion import conversion_findings
from tui.core.checks.cross_article import cross_article_findings
from tui.core.checks.findings import Finding, sort_findings
from tui.core.checks.headline import headline_findings
from tui.core.checks.inputs import (
    ArticleFields,
    ArticleInput,
    CheckContext,
    Entity,
    Figure,
)
from tui.core.checks.same_figure import same_figure_findings

CHECKS_VERSION = "1"
"""Bump whenever a check's rules change what it would report for the same inputs."""

ARTICLE_KINDS = ("headline", "conversion", "arithmetic")
LIBRARY_KINDS = ("cross-article", "same-figure")


def check_article(
    article_fields: ArticleFields,
    figures_by_field: Mapping[str, Sequence[Figure]],
    entities_by_field: Mapping[str, Sequence[Entity]],
    context: CheckContext | None = None,
) -> list[Finding]:
    """Headline, conversion and arithmetic findings of one article, in a stable order.

    ``figures_by_field`` and ``entities_by_field`` map ``"title"``/``"summary"``/``"body"`` to
    the figure and entity dicts of that field (offsets into it), after corrections.
    """
    article = ArticleInput(article_fields, figures_by_field, entities_by_field)
    return _check_one(article, context or CheckContext())


def _check_one(article: ArticleInput, context: CheckContext) -> list[Finding]:
    findings = headline_findings(article, context) + conversion_findings(article, context)
    for field in ("title", "summary", "body"):
        if article.fields.text(field):
            findings += change_findings(article, field) + share_findings(article, field)
    return sort_findings(_unique(findings))


def check_library(
    articles: Sequence[ArticleInput], context: CheckContext | None = None
) -> list[Finding]:
    """Cross-article and same-figure findings over several articles, in a stable order."""
    del context  # the library kinds use no rate; the parameter keeps one calling convention
    return sort_findings(_unique(cross_article_findings(articles) + same_figure_findings(articles)))


def run_checks(
    articles: Sequence[ArticleInput],
    context: CheckContext | None = None,
    cache_dir: Path | None = None,
    library: bool = True,
) -> list[Finding]:
    """Every kind over ``articles``: per-article results and (with ``library``) the library
    kinds, each read from and kept in the cache under ``cache_dir`` when one is given."""
    context = context or CheckContext()
    cache = CheckCache(cache_dir) if cache_dir is not None else None
    findings: list[Finding] = []
    digests = []
    for article in articles:
        digest = input_digest(article.key(), context)
        digests.append(digest)
        cached = cache.get(digest) if cache else None
        if cached is None:
            cached = _check_one(article, context)
            if cache:
                cache.put(digest, cached)
        findings += cached
    if library and articles:
        digest = hashlib.sha256("\0".join(["library", *digests]).encode()).hexdigest()
        cached = cache.get(digest) if cache else None
        if cached is None:
            cached = check_library(articles, context)
            if cache:
                cache.put(digest, cached)
        findings += cached
    return sort_findings(findings)


def input_digest(inputs: dict[str, Any], context: CheckContext) -> str:
    """sha256 of the checks version, the inputs and the context (the cache key)."""
    payload = orjson.dumps(
        {"version": CHECKS_VERSION, "inputs": inputs, "context": context.key()},
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        default=str,
    )
    return hashlib.sha256(payload).hexdigest()


def _unique(findings: list[Finding]) -> list[Finding]:
    """Findings with the same id once (two rules may notice the same thing)."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.id, finding)
    return list(seen.values())


class CheckCache:
    """Findings under ``<cache_dir>/checks/``; every failure to read or write is a miss."""

    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir / "checks"

    def path(self, digest: str) -> Path:
        """Where the entry for one input digest lives."""
        return self.root / digest[:2] / f"{digest[2:34]}.json"

    def get(self, digest: str) -> list[Finding] | None:
        """The cached findings, or None when missing, unreadable or for another input."""
        try:
            data = orjson.loads(self.path(digest).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("digest") != digest:
            return None
        try:
            return [Finding.from_json(item) for item in data["findings"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def put(self, digest: str, findings: list[Finding]) -> None:
        """Store findings atomically; failures are ignored (the cache is optional)."""
        path = self.path(digest)
        payload = orjson.dumps({"digest": digest, "findings": [f.to_json() for f in findings]})
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
