"""Approximate US-dollar equivalents of money figures, without inventing exchange rates.

Two sources only, in this order:

1. **The article's own rate.** News copy often converts in brackets: "HK$50 billion ($6.37
   billion)", "HK$1 billion (US$129 million)". Each such pair gives a rate for that currency in
   that article (the median when there are several), which then converts the article's other
   amounts in the same currency.
2. **An official peg** to the US dollar (HKD trades in a 7.75-7.85 band; the Gulf currencies are
   fixed), or a rate the user supplies (``CLAIMDESK_USD_RATES="EUR=1.08,GBP=1.27"``).

Floating currencies with neither get no equivalent: a stale built-in table would present a guess
as a result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Any

USD_PEGS: dict[str, float] = {
    "HKD": 1 / 7.8,  # Linked Exchange Rate System: 7.75-7.85 HKD per USD, midpoint
    "AED": 1 / 3.6725,
    "SAR": 1 / 3.75,
    "QAR": 1 / 3.64,
    "BHD": 1 / 0.376,
    "OMR": 1 / 0.3845,
    "JOD": 1 / 0.709,
}
"""USD per unit of currencies with an official peg."""

_BRACKET_BETWEEN = re.compile(r"\s*[(\[]\s*(?:(?:about|around|approximately|roughly|some|or)\s+)?")


@dataclass(frozen=True)
class UsdEquivalent:
    """What a money figure is worth in US dollars, and where the rate came from."""

    usd: float
    rate: float
    """US dollars per unit of the figure's currency."""
    basis: str
    """"article" (the text's own conversion), "peg" or "user"."""

    def describe(self) -> str:
        """A short human label such as ``≈ US$6.37 billion``."""
        return f"≈ US${human_amount(self.usd)}"


def human_amount(value: float) -> str:
    """``6.37 billion``, ``129 million``, ``12,500``: three significant digits for big amounts."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {word}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def user_rates(spec: str | None = None) -> dict[str, float]:
    """Rates from ``CLAIMDESK_USD_RATES`` ("EUR=1.08,GBP=1.27"); malformed items are ignored."""
    spec = os.environ.get("CLAIMDESK_USD_RATES", "") if spec is None else spec
    rates: dict[str, float] = {}
    for item in spec.split(","):
        code, _, value = item.partition("=")
        try:
            rate = float(value)
        except ValueError:
            continue
        if re.fullmatch(r"[A-Za-z]{3}", code.strip()) and rate > 0:
            rates[code.strip().upper()] = rate
    return rates


def stated_rates(text: str, figures: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Rates the article states by bracketing a US-dollar amount after a foreign one."""
    money = sorted((f for f in figures if f.get("label") == "MONEY"), key=lambda f: f["start"])
    found: dict[str, list[float]] = {}
    for first, second in pairwise(money):
        foreign, usd = first.get("currency"), second.get("currency")
        if not foreign or foreign == "USD" or usd != "USD":
            continue
        if not first.get("value") or not second.get("value"):
            continue
        if _BRACKET_BETWEEN.fullmatch(text[first["end"] : second["start"]]):
            found.setdefault(foreign, []).append(second["value"] / first["value"])
    return {code: median(values) for code, values in found.items()}


def usd_equivalents(
    text: str,
    figures: Sequence[Mapping[str, Any]],
    extra_rates: Mapping[str, float] | None = None,
) -> list[UsdEquivalent | None]:
    """One entry per figure: its US-dollar equivalent, or None (not money, USD, or no rate)."""
    article = stated_rates(text, figures)
    supplied = dict(extra_rates or {})
    result: list[UsdEquivalent | None] = []
    for figure in figures:
        currency, value = figure.get("currency"), figure.get("value")
        if figure.get("label") != "MONEY" or not currency or currency == "USD" or value is None:
            result.append(None)
            continue
        if currency in article:
            rate, basis = article[currency], "article"
        elif currency in supplied:
            rate, basis = supplied[currency], "user"
        elif currency in USD_PEGS:
            rate, basis = USD_PEGS[currency], "peg"
        else:
            result.append(None)
            continue
        result.append(UsdEquivalent(usd=value * rate, rate=rate, basis=basis))
    return result


_LABEL_ORDER = {"MONEY": 0, "PERCENT": 1, "COUNT": 2, "MULTIPLIER": 3}


def value_sort_key(
    figure: Mapping[str, Any], usd: UsdEquivalent | None
) -> tuple[int, str, float, int]:
    """Sort key for "by value" that never compares raw amounts across currencies.

    Money in US dollars or with a US-dollar equivalent comes first on one scale; other money is
    grouped by currency (unknown currency last) and ordered by amount within it; then
    percentages, counts (by unit) and multipliers. Ties keep reading order (``start``).
    """
    value = figure.get("value")
    amount = float(value) if isinstance(value, int | float) else 0.0
    start = int(figure.get("start") or 0)
    label = figure.get("label")
    if label == "MONEY":
        if figure.get("currency") == "USD":
            return (0, "", amount, start)
        if usd is not None:
            return (0, "", usd.usd, start)
        return (1, figure.get("currency") or "\uffff", amount, start)
    group = _LABEL_ORDER.get(str(label), 9) + 1
    return (group, str(figure.get("unit") or ""), amount, start)


def sort_by_value(
    text: str,
    figures: Sequence[Mapping[str, Any]],
    extra_rates: Mapping[str, float] | None = None,
    descending: bool = True,
) -> list[Mapping[str, Any]]:
    """``figures`` ordered by :func:`value_sort_key`, largest first within each group."""
    pairs = list(zip(figures, usd_equivalents(text, figures, extra_rates), strict=True))
    keyed = [(value_sort_key(f, usd), f) for f, usd in pairs]
    sign = -1 if descending else 1
    keyed.sort(key=lambda item: (item[0][0], item[0][1], sign * item[0][2], item[0][3]))
    return [f for _, f in keyed]
