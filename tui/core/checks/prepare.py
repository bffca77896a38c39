"""Building the checks' inputs from library articles with the extractor (figures after corrections).

Figures come from :func:`tui.core.extract.figures_for_fields` (currencies decided across the
title, summary and body, corrections applied, the body's rules output cached); entities from
the body's cached extraction. A front end calls :func:`article_input` in a worker and passes
the results to :func:`tui.core.checks.run_checks`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import orjson

from tui.core.articles.library import Article, ArticleMeta
from tui.core.checks.findings import Finding
from tui.core.checks.inputs import ArticleFields, ArticleInput, CheckContext
from tui.core.checks.runner import CheckCache, input_digest, prepare_article, run_checks_by_key
from tui.core.extract import (
    EXTRACTOR_VERSION,
    Extraction,
    Extractor,
    article_context,
    figures_for_fields,
)
from tui.core.extract.article_figures import figures_for_fields as text_figures
from tui.core.extract.conversion import user_rates
from tui.core.extract.figure_context import FigureContext

if TYPE_CHECKING:
    from tui.core.config import Settings
    from tui.core.workspace import Workspace


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
        url=meta.url,
    )


def _with_field(figures: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    return [{**f, "field": f.get("field", field)} for f in figures]


def article_input(
    article: Article,
    extractor: Extractor,
    extraction: Extraction | None = None,
    figures_by_field: dict[str, list[dict[str, Any]]] | None = None,
) -> ArticleInput:
    """Everything the checks need about ``article``.

    ``extraction``: the body's (for its entities), when the caller has it. ``figures_by_field``:
    the figures of every field as the workspace shows them (``Workspace.field_figures``); by
    default they are computed the same way, currencies decided across title, summary and body.
    """
    body = extraction if extraction is not None else extractor.extract(article.body)
    if figures_by_field is None:
        figures_by_field = figures_for_fields(extractor, article)
    figures = {k: _with_field(list(v), k) for k, v in figures_by_field.items()}
    return ArticleInput(article_fields(article), figures, {"body": list(body.entities)})


def workspace_inputs(workspace: Workspace) -> tuple[list[ArticleInput], list[str]]:
    """The checks' inputs for every readable article of the workspace's library, and one line
    per problem worth telling the user (an unreadable file; no NLP model, once)."""
    articles, problems = workspace.articles()
    inputs, messages = _inputs(workspace, list(articles.values()))
    return inputs, [f"skipped {problem}" for problem in problems] + messages


def _inputs(
    workspace: Workspace,
    articles: list[Article],
    context: CheckContext | None = None,
    workers: int = 1,
) -> tuple[list[ArticleInput], list[str]]:
    """The checks' inputs of ``articles`` in order, and the extractor's notices (each once).
    With ``workers`` > 1 they are prepared in forked processes (:mod:`.pool`)."""
    extractor = workspace.extractor  # before any fork: the workers share it

    def build(article: Article) -> tuple[ArticleInput, str | None]:
        extraction = extractor.extract(article.body)
        figures = workspace.field_figures(article)
        return article_input(article, extractor, extraction, figures), extraction.notice

    if workers > 1:
        from tui.core.checks.pool import prepare_all

        prepared = prepare_all(articles, build, context or CheckContext(), workers)
    else:
        prepared = [build(article) for article in articles]
    messages = list(dict.fromkeys(notice for _, notice in prepared if notice))
    return [found for found, _ in prepared], messages


def settings_context(settings: Settings) -> CheckContext:
    """The checks' context from the user's settings (their US-dollar rates)."""
    return CheckContext(user_rates=user_rates(settings.usd_rates))


def claim_from_finding(
    workspace: Workspace, finding: Finding, span_index: int = 0, tags: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Tag one of a finding's spans as a claim whose note is :meth:`Finding.note` (the app's
    one-key "tag as claim"); raises the workspace's errors (DuplicateClaim, WorkspaceError)."""
    span = finding.spans[span_index]
    article = workspace.article(span.article_id)
    return workspace.add_claim(
        article, span.start, span.end, field=span.field, tags=tags, note=finding.note()
    )


def check_workspace(
    workspace: Workspace, context: CheckContext | None = None, workers: int | None = 1
) -> tuple[list[Finding], list[str]]:
    """Every finding over the workspace's library, and one line per problem for the user.

    Results are cached under a key of everything the figures and entities are derived from
    (texts, figure context, corrections, model, extractor and checks versions), so a repeated
    check reads only the article files; a changed article or correction is checked again.
    ``workers``: processes to prepare the articles in when they must be checked (None: one per
    core for a large library); see :func:`tui.core.checks.pool.worker_count`. With workers and
    no checks cached yet (the first check after extraction), the workers read the articles too.
    """
    context = context or CheckContext()
    cache_dir = workspace.settings.cache_dir
    count = 1
    if workers is None or workers > 1:
        from tui.core.checks.pool import worker_count

        count = worker_count(len(workspace.library.current().articles), workers)
    if count > 1 and (cache_dir is None or CheckCache(cache_dir).empty()):
        return _check_fresh(workspace, context, count)
    articles, problems = workspace.articles()
    shared = _derived_from(workspace)
    keys = [_article_key(article, shared, context) for article in articles.values()]
    messages = [f"skipped {problem}" for problem in problems]

    def load() -> list[ArticleInput]:
        inputs, found = _inputs(workspace, list(articles.values()), context, count)
        messages.extend(m for m in found if m not in messages)
        return inputs

    findings = run_checks_by_key(keys, load, context, cache_dir)
    return findings, messages


def _derived_from(workspace: Workspace) -> str:
    """What every article's figures and entities are derived from besides its own text."""
    return orjson.dumps(
        [EXTRACTOR_VERSION, workspace.settings.model, workspace.extractor.corrections],
        option=orjson.OPT_SORT_KEYS,
        default=str,
    ).decode()


def _article_key(article: Article, shared: str, context: CheckContext) -> str:
    """The checks cache key of one article's results."""
    return input_digest(
        {
            "derived_from": shared,
            "context": article_context(article).key(),
            "fields": [article.id, article.meta.title, article.meta.summary, article.body],
            "dates": [article.meta.published, article.meta.imported_at],
        },
        context,
    )


def _check_fresh(
    workspace: Workspace, context: CheckContext, workers: int
) -> tuple[list[Finding], list[str]]:
    """:func:`check_workspace` when nothing is cached: each worker reads its articles, keys
    them and prepares them (nothing in the cache could spare the work)."""
    from tui.core.checks.pool import map_forked
    from tui.core.workspace import WorkspaceError

    shared = _derived_from(workspace)  # opens the store before the fork: the workers share it
    extractor = workspace.extractor

    def job(meta: ArticleMeta) -> tuple[str, ArticleInput, str | None] | str:
        try:
            article = workspace.article(meta)
        except WorkspaceError as exc:
            return str(exc)
        extraction = extractor.extract(article.body)
        built = article_input(article, extractor, extraction, workspace.field_figures(article))
        key = _article_key(article, shared, context)
        return key, prepare_article(built, context), extraction.notice

    results = map_forked(workspace.library.current().articles, job, workers)
    by_id = {r[1].fields.article_id: r for r in results if not isinstance(r, str)}
    done = list(by_id.values())  # one per id, the last read (as Workspace.articles keeps it)
    messages = [f"skipped {r}" for r in results if isinstance(r, str)]
    messages += dict.fromkeys(notice for _, _, notice in done if notice)
    keys = [key for key, _, _ in done]
    inputs = [built for _, built, _ in done]
    findings = run_checks_by_key(keys, lambda: inputs, context, workspace.settings.cache_dir)
    return findings, messages


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
    context = FigureContext(source=source, article_id=article_id)
    figures = text_figures(title, summary, body, context)
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
