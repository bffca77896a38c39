"""Cross-article: the same measure for the same subject with different values in different articles.

A figure takes part when all of these are known: its subject is an ORG or GPE entity of its
sentence, it measures something (a COUNT's noun, a money/percent measure word), it states a
level (not a change, not a former value), and its clause names the same year or none. The key
is ``(subject, label, currency or noun, measure, year)``: "OASES · COUNT · job" in one article
and another. An article with two different values for one key is left out of that key (it is
ambiguous there; the headline check looks inside one article).

Figures change over time, so a disagreement is "possible" and the explanation lists each
article's figure with its date, oldest first; it is a "warning" when both articles carry the same
publication date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from tui.core.checks.findings import Finding
from tui.core.checks.inputs import ArticleInput, Located, located
from tui.core.checks.reading import (
    count_noun,
    count_verb,
    figure_measure,
    figure_role,
    figure_subject,
    year_of,
)
from tui.core.checks.values import bare_dollar, consistent

CrossKey = tuple[str, str, str, str]
"""(subject key, label and currency or noun, measure, year or "")."""
CROSS_LABELS = ("MONEY", "COUNT", "PERCENT")


def cross_key(article: ArticleInput, row: Located) -> tuple[CrossKey, str] | None:
    """The measure a figure states, for comparing across articles, and its subject as written;
    None when any part is unknown (see the module docstring)."""
    figure = row.figure
    label = figure["label"]
    if label not in CROSS_LABELS:
        return None
    subject = figure_subject(article, row)  # first: the same-figure check reads it anyway
    if subject is None or not subject.from_entity or figure_role(article, row) != "level":
        return None
    measure = figure_measure(article, row)
    if measure is None:
        return None
    if label == "MONEY":
        kind = figure.get("currency") or ("$ (dollar unknown)" if bare_dollar(figure) else None)
        if not kind:
            return None
    elif label == "COUNT":
        kind = f"{count_noun(figure.get('unit')) or ''} {count_verb(row.text, figure) or ''}"
    else:
        kind = str(figure.get("unit") or "%")
    key = (subject.key, f"{label} {kind}", measure, year_of(row.text, figure) or "")
    return key, subject.text


def _describe(row: Located) -> str:
    return repr(str(row.figure["text"]))


def article_cross_keys(article: ArticleInput) -> list[tuple[CrossKey, str, Located | None]]:
    """The measures one article states: each key, its subject as first written there, and its
    figure, or None when the article gives two values for it (it is ambiguous there).
    Computed once per article (a worker process may do it, see :mod:`.pool`)."""

    def compute() -> list[tuple[CrossKey, str, Located | None]]:
        mine: dict[CrossKey, list[Located]] = {}
        names: dict[CrossKey, str] = {}
        for field in ("body", "summary", "title"):
            for row in located(article, field):
                found = cross_key(article, row)
                if found is not None:
                    mine.setdefault(found[0], []).append(row)
                    names.setdefault(found[0], found[1])
        result: list[tuple[CrossKey, str, Located | None]] = []
        for key, rows in mine.items():
            first = rows[0]
            agree = all(consistent(first.figure, r.figure) for r in rows[1:])
            result.append((key, names[key], first if agree else None))
        return result

    return article.memo(("cross keys",), compute)


def cross_article_findings(articles: Sequence[ArticleInput]) -> list[Finding]:
    """Measures whose values disagree between articles (see the module docstring)."""
    by_key: dict[CrossKey, list[Located]] = defaultdict(list)
    subject_names: dict[CrossKey, str] = {}
    for article in articles:
        for key, name, first in article_cross_keys(article):
            subject_names.setdefault(key, name)
            if first is not None:
                by_key[key].append(first)
    findings = []
    for key, rows in by_key.items():
        if len(rows) < 2 or all(consistent(a.figure, b.figure) for a in rows for b in rows):
            continue
        rows = sorted(rows, key=lambda r: (r.article.date(), r.article.article_id))
        dates = [r.article.published for r in rows]
        severity = "warning" if dates[0] and len(set(dates)) == 1 else "possible"
        subject, _, measure, year = key
        listed = "; ".join(
            f"{_describe(r)} in {r.article.article_id} ({r.article.date()})" for r in rows
        )
        shown = rows[0].figure.get("unit") if rows[0].figure["label"] == "COUNT" else measure
        what = f"{subject_names[key]} {shown}" + (f" ({year})" if year else "")
        findings.append(
            Finding(
                "cross-article",
                severity,
                f"{what}: {len(rows)} articles give different values: {listed}",
                tuple(r.span() for r in rows),
                {
                    "subject": subject,
                    "measure": measure,
                    "year": year or None,
                    "values": [
                        [r.article.article_id, r.article.date(), r.figure["value"]] for r in rows
                    ],
                },
            )
        )
    return findings
