"""Running the checks: per article, over a library, and cached like extraction.

Every function here is pure over plain data (no model, no Textual, no store), so a UI can call
:func:`run_checks` from a worker thread or map :func:`check_article` over a process pool.

The cache (:class:`CheckCache`, under ``<cache_dir>/checks/``) is keyed by the sha256 of
:data:`CHECKS_VERSION` and every input (fields, figures after corrections, entities, context):
a new correction or an edited article changes the key, so a stale result is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from tui.core.checks.arithmetic import change_findings, share_findings
from tui.core.checks.conversion import conversion_findings
from tui.core.checks.cross_article import article_cross_keys, cross_article_findings
from tui.core.checks.findings import Finding, sort_findings
from tui.core.checks.headline import headline_findings
from tui.core.checks.inputs import (
    ArticleFields,
    ArticleInput,
    CheckContext,
    Entity,
    Figure,
)
from tui.core.checks.same_figure import same_figure_findings, same_figure_rows

CHECKS_VERSION = "2"
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
    """The article kinds' findings, remembered in the article for this context (a worker
    process computes them and the parent reads them back with the article)."""
    key = ("findings", orjson.dumps(context.key(), option=orjson.OPT_SORT_KEYS))
    return list(article.memo(key, lambda: _compute_one(article, context)))


def _compute_one(article: ArticleInput, context: CheckContext) -> list[Finding]:
    findings = headline_findings(article, context) + conversion_findings(article, context)
    for field in ("title", "summary", "body"):
        if article.fields.text(field):
            findings += change_findings(article, field) + share_findings(article, field)
    return sort_findings(_unique(findings))


RESULT_KEYS = ("findings", "cross keys", "same-figure rows")
"""The memo entries :func:`prepare_article` keeps: the results, not the readings behind them."""


def prepare_article(article: ArticleInput, context: CheckContext | None = None) -> ArticleInput:
    """``article`` with everything the checks need from it alone remembered: the article kinds'
    findings and what the library kinds compare (its measures, its groupable figures).

    A worker process calls this and sends the result back; :func:`check_library` over such
    articles then only compares them. The intermediate readings (sentences, subjects, changes)
    are left out of the copy, so sending it costs little more than its input.
    """
    _check_one(article, context or CheckContext())
    article_cross_keys(article)
    same_figure_rows(article)
    results = {k: v for k, v in article.memo_items() if k[0] in RESULT_KEYS}
    return ArticleInput(
        article.fields, article.figures_by_field, article.entities_by_field, results
    )


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
    keys = [input_digest(article.key(), context) for article in articles]
    return run_checks_by_key(keys, lambda: articles, context, cache_dir, library)


def run_checks_by_key(
    keys: Sequence[str],
    load: Callable[[], Sequence[ArticleInput]],
    context: CheckContext | None = None,
    cache_dir: Path | None = None,
    library: bool = True,
) -> list[Finding]:
    """:func:`run_checks` with the cache keys given (one per article, same order as ``load()``)
    so that, when every result is cached, the inputs are never built (no extraction at all)."""
    context = context or CheckContext()
    cache = CheckCache(cache_dir) if cache_dir is not None else None
    per_article: list[list[Finding] | None] = [cache.get(k) if cache else None for k in keys]
    library_key = hashlib.sha256("\0".join(["library", *keys]).encode()).hexdigest()
    shared: list[Finding] | None = []
    if library and keys:
        shared = cache.get(library_key) if cache else None
    if any(found is None for found in per_article) or shared is None:
        articles = load()
        for index, found in enumerate(per_article):
            if found is None:
                per_article[index] = found = _check_one(articles[index], context)
                if cache:
                    cache.put(keys[index], found)
        if shared is None:
            shared = check_library(articles, context)
            if cache:
                cache.put(library_key, shared)
        if cache:
            cache.flush()
    findings = [f for found in per_article for f in found or ()]
    return sort_findings(findings + (shared or []))


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


MAX_CACHE_ENTRIES = 50_000
"""Entries kept in the checks cache file (about 1 KB each); the oldest go first beyond this."""


class CheckCache:
    """Findings by input digest in one file, ``<cache_dir>/checks/findings.json``.

    One file rather than one per article: writing a thousand small files costs more than
    checking the articles, while one file of ~1 KB per article loads in milliseconds. It is
    read on first use and written atomically by :meth:`flush`; every failure is a miss (the
    cache is optional), and a concurrent writer at worst drops the other's new entries.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir / "checks"
        self.path = self.root / "findings.json"
        self._entries: dict[str, Any] | None = None
        self._dirty = False

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            try:
                data = orjson.loads(self.path.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                data = None
            valid = isinstance(data, dict) and data.get("version") == CHECKS_VERSION
            entries = data.get("entries") if valid and isinstance(data, dict) else None
            self._entries = dict(entries) if isinstance(entries, dict) else {}
        return self._entries

    def empty(self) -> bool:
        """True when nothing is cached (no file yet, or an unreadable or outdated one)."""
        return not self._load()

    def get(self, digest: str) -> list[Finding] | None:
        """The cached findings, or None when missing or malformed."""
        entry = self._load().get(digest)
        if not isinstance(entry, list):
            return None
        try:
            return [Finding.from_json(item) for item in entry]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def put(self, digest: str, findings: list[Finding]) -> None:
        """Remember findings (written by :meth:`flush`)."""
        entries = self._load()
        entries.pop(digest, None)
        entries[digest] = [f.to_json() for f in findings]
        while len(entries) > MAX_CACHE_ENTRIES:
            del entries[next(iter(entries))]
        self._dirty = True

    def flush(self) -> None:
        """Write the file atomically when something changed; failures are ignored."""
        if not self._dirty or self._entries is None:
            return
        payload = orjson.dumps({"version": CHECKS_VERSION, "entries": self._entries})
        tmp = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, self.path)
            tmp = None
            self._dirty = False
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
