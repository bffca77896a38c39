"""Arithmetic: a stated change its own figures contradict, and shares that sum past 100%.

* "rose 15% to 300 from 200" (the figures give +50%), "fell by half to 40 from 100" (-60%),
  "a 3-point gain from 41% to 45%" (4 points), "doubled to 130 from 100" (×1.3), "fell ... to 300
  from 200" (a rise). Every value is taken as an interval of what its rounding allows, so
  "rose 12% to £4.48 billion from £4 billion" stays quiet.
* "45% of respondents ... 40% of respondents ... 25% of respondents" in one sentence: parts of
  one whole that add up to more than 100% (plus rounding).

A percent change between two percentages may be relative or in points ("rose 1% to 5% from 4%"
is sloppy but common); either reading that fits keeps the check quiet.
"""

from __future__ import annotations

import re
from collections import defaultdict

from tui.core.checks.changes import Change, field_changes
from tui.core.checks.findings import Finding, SpanRef
from tui.core.checks.inputs import ArticleInput, Located, located
from tui.core.checks.reading import sentence_bounds
from tui.core.checks.values import human, overlaps

POSSIBLE_MARGIN = 0.20
"""A mismatch that the values' rounding could explain, or within 20% of the stated size, is
"possible", not "warning": a change computed from unrounded numbers, or over a slightly
different period, can land there."""

_ROUNDING_NOTE = " (the figures' rounding could explain it)"

SHARES_ROUNDING = 0.5
"""Each rounded share may be half a point high; three shares of 33.5% are fine."""

_SHARE_OF = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?(?P<noun>[a-z][a-z-]+)")
_MULTI_ANSWER = re.compile(
    r"more than one|multiple (?:answers|choices|responses)|each of", re.IGNORECASE
)


def _ratio_word(change: Change) -> str:
    if change.magnitude_span:
        return change.magnitude_span[2]
    return change.trigger


def _stated_vs_implied(
    change: Change, rounded: bool
) -> tuple[str, float, tuple[float, float], str] | None:
    """(what is compared, the stated value, the implied interval, unit), or None when they fit.

    With ``rounded`` the former and new values may be anything their rounding allows; without,
    they are taken as written (what a reader computes).
    """
    former, new = change.former, change.new
    if former is None or new is None or change.magnitude is None or change.kind is None:
        return None
    was = (former.low, former.high) if rounded else (former.value, former.value)
    now = (new.low, new.high) if rounded else (new.value, new.value)
    lo, hi = change.magnitude
    stated = (lo + hi) / 2
    sign = change.direction
    signed = (sign * lo, sign * hi) if sign > 0 else (sign * hi, sign * lo)
    diff = (now[0] - was[1], now[1] - was[0])
    if change.kind in ("ratio", "percent") and was[0] <= 0:
        return None
    if change.kind == "ratio":
        implied = (now[0] / was[1], now[1] / was[0])
        return None if overlaps((lo, hi), implied) else ("ratio", stated, implied, "×")
    if change.kind == "percent":
        relative = ((now[0] / was[1] - 1) * 100, (now[1] / was[0] - 1) * 100)
        fits = overlaps(signed, relative)
        if former.label == new.label == "PERCENT":
            fits = fits or overlaps(signed, diff)  # "rose 1% to 5% from 4%": points as percent
        return None if fits else ("percent", sign * stated, relative, "%")
    if change.kind == "amount" and change.amount_label:
        label, currency = change.amount_label
        if label == "MONEY" and (new.currency or former.currency) != currency:
            return None
    unit = " points" if change.kind == "points" else ""
    return None if overlaps(signed, diff) else (change.kind, sign * stated, diff, unit)


def _comparable(change: Change) -> bool:
    """The former and new values measure the same thing (labels and currencies agree)."""
    former, new = change.former, change.new
    if former is None or new is None:
        return False
    labels = {former.label, new.label}
    if "PERCENT" in labels and labels != {"PERCENT"}:
        return False
    return "MONEY" not in labels or (labels == {"MONEY"} and former.currency == new.currency)


def _spans(article: ArticleInput, field: str, change: Change) -> tuple[SpanRef, ...]:
    article_id = article.fields.article_id
    return tuple(SpanRef(article_id, field, s, e, t) for s, e, t in change.spans())


def change_findings(article: ArticleInput, field: str) -> list[Finding]:
    """Changes in one field that their own figures contradict."""
    findings: list[Finding] = []
    for change in field_changes(article, field):
        if not _comparable(change):
            continue
        assert change.former is not None and change.new is not None
        was, now = change.former, change.new
        wrong_way = (change.direction > 0 and now.high < was.low) or (
            change.direction < 0 and now.low > was.high
        )
        if wrong_way:
            way = "rise" if now.value > was.value else "fall"
            findings.append(
                Finding(
                    "arithmetic",
                    "warning",
                    f"'{change.trigger}' but the figures go from {was.text} to {now.text}, a {way}",
                    _spans(article, field, change),
                    {"from": was.value, "to": now.value, "direction": change.direction},
                )
            )
            continue
        mismatch = _stated_vs_implied(change, rounded=False)
        if mismatch is None:
            continue
        kind, stated, (lo, hi), unit = mismatch
        mid = (lo + hi) / 2
        loose = _stated_vs_implied(change, rounded=True)
        margin = abs(stated) * POSSIBLE_MARGIN
        near = loose is None or overlaps((stated - margin, stated + margin), loose[2])
        severity = "possible" if near else "warning"
        if kind == "ratio":
            said = f"'{_ratio_word(change)}' (×{human(stated)})"
            gives = f"×{mid:.2f}"
        elif kind == "percent":
            said = f"'{_ratio_word(change)}' ({stated:+.3g}%)"
            gives = f"{mid:+.1f}%"
        else:
            said = f"'{_ratio_word(change)}' ({stated:+.3g}{unit})"
            gives = f"{mid:+.3g}{unit}"
        findings.append(
            Finding(
                "arithmetic",
                severity,
                f"{said} does not match its figures: from {was.text} to {now.text} is {gives}"
                + (_ROUNDING_NOTE if loose is None else ""),
                _spans(article, field, change),
                {
                    "stated": stated,
                    "implied": mid,
                    "implied_low": lo,
                    "implied_high": hi,
                    "measure": kind,
                    "from": was.value,
                    "to": now.value,
                },
            )
        )
    return findings


def share_findings(article: ArticleInput, field: str) -> list[Finding]:
    """Shares of one whole in one sentence ("45% of voters", "40% of voters") above 100%."""
    text = article.fields.text(field)
    groups: dict[tuple[int, str], list[Located]] = defaultdict(list)
    for row in located(article, field):
        figure = row.figure
        if figure["label"] != "PERCENT" or (figure.get("unit") or "%") != "%":
            continue
        after = _SHARE_OF.match(text, row.end)
        if after is None:
            continue
        s_start, _ = sentence_bounds(text, row.start)
        groups[(s_start, after.group("noun"))].append(row)
    findings = []
    for (s_start, noun), rows in groups.items():
        if len(rows) < 2 or _MULTI_ANSWER.search(text, s_start, sentence_bounds(text, s_start)[1]):
            continue
        total = sum(float(r.figure["value"]) for r in rows)
        if total <= 100 + SHARES_ROUNDING * len(rows):
            continue
        parts = " + ".join(r.figure["text"] for r in rows)
        findings.append(
            Finding(
                "arithmetic",
                "warning",
                f"shares of {noun} add up to more than 100%: {parts} = {total:.4g}%",
                tuple(r.span() for r in rows),
                {"total": total, "whole": noun},
            )
        )
    return findings
