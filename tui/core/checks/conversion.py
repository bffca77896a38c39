"""Conversions: "HK$X (US$Y)", "€X ($Y)", "£X, or about $Y" whose implied rate is off.

The implied rate (US dollars per unit, as an interval of what the rounding allows) is compared
with, in order of trust:

1. an official peg (HKD trades within 7.75-7.85 per US dollar; the Gulf pegs are fixed) — off by
   more than :data:`PEG_TOLERANCE`: "warning";
2. the same article's other conversions of that currency (their median) — off by more than
   :data:`ARTICLE_TOLERANCE`: "warning" when two or more others agree, else "possible";
3. the user's rate (``CLAIMDESK_USD_RATES``) — off by more than :data:`USER_TOLERANCE`: "possible";
4. :data:`PLAUSIBLE_RATES`, the span every major currency stayed within from 2000 to 2026 —
   outside it: "possible" (a slipped decimal or a scale word: "$108 billion" for €10 billion).

A floating currency with none of these is not checked: the software cannot know the rate.
"""

from __future__ import annotations

import re
from itertools import pairwise
from statistics import median

from tui.core.checks.findings import Finding
from tui.core.checks.inputs import ArticleInput, CheckContext, Located, located
from tui.core.checks.values import interval
from tui.core.extract.conversion import USD_PEGS

PEG_TOLERANCE = 0.02
"""Beyond rounding, 2% off a peg band: reporters round a rate to three digits (7.8 for 7.83),
but a pegged currency never leaves its band, so more than that is a wrong conversion."""

ARTICLE_TOLERANCE = 0.05
"""Two conversions in one article may use different days' rates; floating currencies rarely
move 5% within the span one article covers."""

USER_TOLERANCE = 0.10
"""A rate the user typed may be months old: only a 10% gap is worth a look."""

PEG_BANDS: dict[str, tuple[float, float]] = {"HKD": (1 / 7.85, 1 / 7.75)}
"""US dollars per unit for currencies pegged within a band (Linked Exchange Rate System)."""

PLAUSIBLE_RATES: dict[str, tuple[float, float]] = {
    "EUR": (0.80, 1.65),
    "GBP": (1.00, 2.20),
    "JPY": (1 / 170, 1 / 70),
    "CNY": (1 / 8.6, 1 / 5.9),
    "INR": (1 / 95, 1 / 38),
    "AUD": (0.45, 1.15),
    "CAD": (0.60, 1.12),
    "NZD": (0.38, 0.92),
    "SGD": (0.50, 0.86),
    "CHF": (0.50, 1.45),
    "KRW": (1 / 1700, 1 / 850),
    "MXN": (1 / 26, 1 / 8.5),
    "BRL": (1 / 7, 1 / 1.5),
    "ZAR": (1 / 21, 1 / 5.5),
    "TWD": (1 / 37, 1 / 27),
}
"""US dollars per unit: every rate from 2000 to 2026 lies inside, with a margin."""

_BETWEEN = re.compile(
    r"\s*[(\[]\s*(?:(?:about|around|approximately|roughly|some|nearly|almost|or|or about"
    r"|equivalent to|worth)\s+)?"
    r"|,?\s+(?:or|equivalent to|worth|which is|that is)(?:\s+(?:about|around|roughly"
    r"|approximately|some|nearly|almost|just over|just under))?\s+"
    r"|\s*[—–]\s*(?:(?:about|around|roughly|approximately|some)\s+)?",
    re.IGNORECASE,
)


_RATE_WORDS = re.compile(r"^\s*(?:a|an|per)\s+[\w-]+")


def _rate_text(rate: float, code: str) -> str:
    """A rate the way a reader quotes it: "7.85 HKD per US$" or "US$1.27 per GBP"."""
    if rate < 1:
        return f"{1 / rate:.4g} {code} per US$"
    return f"US${rate:.4g} per {code}"


def _range_text(low: float, high: float, code: str) -> str:
    """One rate or a band, as a reader quotes it ("7.75-7.85 HKD per US$")."""
    if low == high:
        return _rate_text(low, code)
    if high < 1:
        return f"{1 / high:.4g}-{1 / low:.4g} {code} per US$"
    return f"US${low:.4g}-{high:.4g} per {code}"


def conversion_pairs(article: ArticleInput) -> list[tuple[Located, Located]]:
    """(foreign amount, its US-dollar conversion) pairs written next to each other (read once
    per article: the headline, conversion and same-figure checks all use them)."""
    return list(article.memo(("conversion pairs",), lambda: _conversion_pairs(article)))


def _conversion_pairs(article: ArticleInput) -> list[tuple[Located, Located]]:
    pairs = []
    for field in ("title", "summary", "body"):
        money = [r for r in located(article, field) if r.figure["label"] == "MONEY"]
        text = article.fields.text(field)
        for first, second in pairwise(money):
            codes = (first.figure.get("currency"), second.figure.get("currency"))
            if None in codes or codes[0] == codes[1] or "USD" not in codes:
                continue
            if first.figure.get("high") is not None or second.figure.get("high") is not None:
                continue  # a range converts a range: not one rate
            if first.figure.get("unit") != second.figure.get("unit"):
                continue  # "HK$2 billion, or US$0.50 a share": a total and a rate, no conversion
            between = text[first.end : second.start]
            if first.figure.get("unit"):  # "A$1.20 a share (US$0.80)": the rate's words first
                between = _RATE_WORDS.sub("", between, count=1)
            if not _BETWEEN.fullmatch(between):
                continue
            foreign, usd = (first, second) if codes[1] == "USD" else (second, first)
            pairs.append((foreign, usd))
    return pairs


def _implied(foreign: Located, usd: Located) -> tuple[float, float, float] | None:
    """(low, mid, high) US dollars per unit implied by a pair, or None for zero amounts."""
    f_lo, f_hi = interval(foreign.figure)
    u_lo, u_hi = interval(usd.figure)
    if f_lo <= 0 or u_lo <= 0 or foreign.figure["value"] <= 0:
        return None
    mid = float(usd.figure["value"]) / float(foreign.figure["value"])
    return u_lo / f_hi, mid, u_hi / f_lo


def conversion_findings(article: ArticleInput, context: CheckContext) -> list[Finding]:
    """Stated conversions whose implied rate is off (see the module docstring)."""
    pairs = [(f, u, r) for f, u in conversion_pairs(article) if (r := _implied(f, u)) is not None]
    findings = []
    for index, (foreign, usd, (lo, mid, hi)) in enumerate(pairs):
        code = str(foreign.figure["currency"])
        others = [
            rate
            for i, (f, _, (_, rate, _)) in enumerate(pairs)
            if i != index and f.figure["currency"] == code and _plausible(code, rate)
        ]
        expected = _expected(code, others, context)
        if expected is None:
            continue
        (e_lo, e_hi), source, tolerance, severity = expected
        if lo <= e_hi * (1 + tolerance) and hi >= e_lo * (1 - tolerance):
            continue
        expected_text = _range_text(e_lo, e_hi, code)
        written = f"{foreign.figure['text']} ↔ {usd.figure['text']}"
        findings.append(
            Finding(
                "conversion",
                severity,
                f"'{written}' implies {_rate_text(mid, code)}; {source} gives {expected_text}",
                (foreign.span(), usd.span()),
                {
                    "currency": code,
                    "implied_usd_per_unit": mid,
                    "expected_low": e_lo,
                    "expected_high": e_hi,
                    "basis": source,
                },
            )
        )
    return findings


def _plausible(code: str, rate: float) -> bool:
    """False for a rate outside :data:`PLAUSIBLE_RATES` (it cannot set the article's norm)."""
    low, high = PLAUSIBLE_RATES.get(code, (0.0, float("inf")))
    return low <= rate <= high


def _expected(
    code: str, others: list[float], context: CheckContext
) -> tuple[tuple[float, float], str, float, str] | None:
    """((low, high) US$ per unit, where it comes from, tolerance, severity) or None."""
    if code in PEG_BANDS:
        return PEG_BANDS[code], f"the {code} peg", PEG_TOLERANCE, "warning"
    if code in USD_PEGS:
        return (USD_PEGS[code], USD_PEGS[code]), f"the {code} peg", PEG_TOLERANCE, "warning"
    if others:
        rate = median(others)
        severity = "warning" if len(others) >= 2 else "possible"
        what = "the article's other conversion" + ("s" if len(others) > 1 else "")
        return (rate, rate), what, ARTICLE_TOLERANCE, severity
    if code in context.user_rates:
        rate = context.user_rates[code]
        return (rate, rate), "your rate", USER_TOLERANCE, "possible"
    if code in PLAUSIBLE_RATES:
        return PLAUSIBLE_RATES[code], "every rate since 2000", 0.0, "possible"
    return None
