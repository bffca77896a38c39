"""Figure checks: the numbers in an article (or a library) that do not add up.

Computed from figures and entities already extracted (after corrections); no model is run.
Kinds (:data:`KINDS`), each in its own module:

* ``headline`` (:mod:`.headline`) — a title/summary figure the body contradicts or makes
  ambiguous: "$50B" vs "HK$50 billion ($6.37 billion)"; "doubles" vs "rose 60%".
* ``conversion`` (:mod:`.conversion`) — "HK$X (US$Y)" whose implied rate is off the peg or the
  article's other conversions.
* ``arithmetic`` (:mod:`.arithmetic`) — "rose 15% to 300 from 200"; shares past 100%.
* ``cross-article`` (:mod:`.cross_article`) — one subject's measure with different values in
  different articles, each with its date.
* ``same-figure`` (:mod:`.same_figure`) — one figure in several wordings (information).

API for front ends (all pure or workspace-only, safe in a worker thread; the per-article and
library functions also in a process pool)::

    check_workspace(workspace, context=None, workers=1) -> (list[Finding], list[str])
        # every kind over the library, cached; the strings are lines for the user;
        # workers=None: forked workers (one per core) for a large library (:mod:`.pool`)
    settings_context(settings) -> CheckContext          # the user's US-dollar rates
    claim_from_finding(workspace, finding, span_index=0, tags=()) -> claim record
        # the one-key "tag as claim": that span, note = finding.note()
    check_article(article_fields, figures_by_field, entities_by_field, context=None)
        -> list[Finding]                                # headline, conversion, arithmetic
    check_library(articles: Sequence[ArticleInput], context=None) -> list[Finding]
                                                        # cross-article, same-figure
    run_checks(articles, context=None, cache_dir=None, library=True) -> list[Finding]
    article_input(article, extractor) / text_input(id, title, body, ...) -> ArticleInput

(the workspace helpers live in :mod:`.prepare`, which imports the extractor).

:class:`Finding` has ``kind``, ``severity`` ("warning" | "possible" | "info"), ``explanation``,
``spans`` (:class:`SpanRef`: article_id, field, start, end, text), ``facts``, ``id`` and
``note()``; ``to_json()`` gives the documented JSON shape (see :mod:`.findings`).
"""

from __future__ import annotations

from tui.core.checks.findings import KINDS, SEVERITIES, Finding, SpanRef, sort_findings
from tui.core.checks.inputs import ArticleFields, ArticleInput, CheckContext
from tui.core.checks.runner import (
    CHECKS_VERSION,
    CheckCache,
    check_article,
    check_library,
    run_checks,
)

__all__ = [
    "CHECKS_VERSION",
    "KINDS",
    "SEVERITIES",
    "ArticleFields",
    "ArticleInput",
    "CheckCache",
    "CheckContext",
    "Finding",
    "SpanRef",
    "check_article",
    "check_library",
    "run_checks",
    "sort_findings",
]
