"""Same figure, different wording: one figure repeated across fields and articles (information).

Figures are one figure when they mean the same (label, currency or counted noun, value:
"HK$50 billion" and "HK$50B"; "13K jobs" and "13,000 jobs") within an article, or when one is
the other's stated conversion ("HK$50 billion ($6.37 billion)"). Across articles the meaning
must match and so must the subject entity, since "$1 billion" in two stories is rarely one
figure. A group is reported when it has at least two wordings, so a claim on one can be linked
to the others; an amount with only its own bracketed conversion is not (they sit side by side).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from tui.core.checks.conversion import conversion_pairs
from tui.core.checks.findings import FIELDS, Finding
from tui.core.checks.inputs import ArticleInput, Figure, Located, located
from tui.core.checks.reading import count_noun, figure_subject

GROUPED_LABELS = ("MONEY", "COUNT", "PERCENT")


def meaning(figure: Figure) -> str | None:
    """What a figure means, for grouping; None when it is too vague to group."""
    label = figure.get("label")
    if label not in GROUPED_LABELS:
        return None
    if label == "MONEY":
        kind = figure.get("currency")
    elif label == "COUNT":
        kind = count_noun(figure.get("unit"))
    else:
        kind = figure.get("unit") or "%"
    if not kind:
        return None
    bounds = (figure.get("value"), figure.get("high"))
    values = " ".join(f"{float(v):.12g}" for v in bounds if isinstance(v, int | float))
    return f"{label} {kind} {values}"


class _Groups:
    """Union-find over figure indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        """The representative of ``i``'s group (halving the path on the way)."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        """Put ``a`` and ``b`` in one group."""
        self.parent[self.find(a)] = self.find(b)


def _wording(row: Located) -> str:
    return " ".join(str(row.figure["text"]).casefold().split())


def _place(row: Located) -> tuple[str, int, int]:
    return (row.article.article_id, FIELDS.index(row.field), row.start)


SameFigureRows = tuple[
    list[tuple[Located, str, str | None]], list[tuple[tuple[str, int], tuple[str, int]]]
]
"""An article's groupable figures (row, meaning, subject entity key or None) in reading order,
and its conversions as ((field, start) of the amount, (field, start) of its US dollars)."""


def same_figure_rows(article: ArticleInput) -> SameFigureRows:
    """What this check reads of one article, computed once per article (a worker process may
    do it, see :mod:`.pool`)."""

    def compute() -> SameFigureRows:
        rows: list[tuple[Located, str, str | None]] = []
        for field in ("title", "summary", "body"):
            for row in located(article, field):
                key = meaning(row.figure)
                if key is None:
                    continue
                subject = figure_subject(article, row)
                rows.append((row, key, subject.key if subject and subject.from_entity else None))
        pairs = [((f.field, f.start), (u.field, u.start)) for f, u in conversion_pairs(article)]
        return rows, pairs

    return article.memo(("same-figure rows",), compute)


def same_figure_findings(articles: Sequence[ArticleInput]) -> list[Finding]:
    """Groups of one figure written in several ways (see the module docstring)."""
    rows: list[Located] = []
    index_of: dict[tuple[str, str, int], int] = {}
    first_by_meaning: dict[tuple[str, str], int] = {}
    across: dict[tuple[str, str], int] = {}
    groups_edges: list[tuple[int, int]] = []
    conversions: set[int] = set()
    for article in articles:
        article_id = article.fields.article_id
        found, pairs = same_figure_rows(article)
        for row, key, subject_key in found:
            i = len(rows)
            rows.append(row)
            index_of[(article_id, row.field, row.start)] = i
            if (article_id, key) in first_by_meaning:
                groups_edges.append((i, first_by_meaning[(article_id, key)]))
            else:
                first_by_meaning[(article_id, key)] = i
            if subject_key is not None:
                shared = (key, subject_key)
                if shared in across:
                    groups_edges.append((i, across[shared]))
                else:
                    across[shared] = i
        for (f_field, f_start), (u_field, u_start) in pairs:
            a = index_of.get((article_id, f_field, f_start))
            b = index_of.get((article_id, u_field, u_start))
            if a is not None and b is not None:
                groups_edges.append((a, b))
                conversions.add(b)
    groups = _Groups(len(rows))
    for a, b in groups_edges:
        groups.join(a, b)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        members[groups.find(i)].append(i)
    index_of_row = {id(row): i for i, row in enumerate(rows)}
    findings = []
    for indexes in members.values():
        if len(indexes) < 2:
            continue  # one figure alone has one wording
        group = sorted((rows[i] for i in indexes), key=_place)
        wordings: dict[str, list[Located]] = defaultdict(list)
        for row in group:
            wordings[_wording(row)].append(row)
        if len(wordings) < 2 or (len(group) == 2 and len(conversions & set(indexes)) == 1):
            continue  # one wording, or one amount beside its own conversion: nothing to link
        many_articles = len({r.article.article_id for r in group}) > 1
        parts = []
        for places in wordings.values():
            ordered = sorted(places, key=_place)
            where = list(
                dict.fromkeys(
                    f"{r.article.article_id} {r.field}" if many_articles else r.field
                    for r in ordered
                )
            )
            converted = any(index_of_row[id(r)] in conversions for r in places)
            note = ", a US-dollar conversion" if converted else ""
            parts.append(f"{places[0].figure['text']!r} ({', '.join(where)}{note})")
        findings.append(
            Finding(
                "same-figure",
                "info",
                f"one figure in {len(wordings)} wordings: " + "; ".join(parts),
                tuple(r.span() for r in group),
                {"wordings": [places[0].figure["text"] for places in wordings.values()]},
            )
        )
    return findings
