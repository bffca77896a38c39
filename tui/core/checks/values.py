"""The values a figure allows as written, and how figures are shown in explanations.

* "13K" is 12,500-13,500; "HK$50 billion" 49.5-50.5 billion; "about 50" 45-55; "more than 270"
  269.5 and up; "up to 40%" anything below 40.5%.
* A bare "$" or "dollars" with no country is what a reader takes as US dollars.
"""

from __future__ import annotations

import math
import re

from tui.core.checks.inputs import Figure

APPROXIMATE_SLACK = 0.10
""""About 50" allows 45-55: reporters round "about" figures to one or two significant digits,
and a 10% band covers that without letting a real 20% difference through."""

MAX_ROUNDING = 0.05
"""An amount written without "about" is within 5% of the truth: "A$1 billion" is 0.95-1.05
billion, not 0.5-1.5 as its one digit alone would allow. Percentages keep their digit's
rounding ("4%" is 3.5-4.5): a headline rounds 4.4% to 4%."""

LOWER_BOUND = frozenset(
    {
        "over",
        "more than",
        "above",
        "at least",
        "upwards of",
        "in excess of",
        "exceeding",
        "just over",
        "well over",
        "slightly over",
        "no less than",
        "no fewer than",
    }
)
UPPER_BOUND = frozenset(
    {
        "under",
        "below",
        "less than",
        "fewer than",
        "up to",
        "at most",
        "just under",
        "well under",
        "slightly under",
        "no more than",
        "as much as",
        "as many as",
        "as high as",
    }
)
APPROXIMATE = frozenset(
    {
        "about",
        "around",
        "approximately",
        "approx.",
        "nearly",
        "almost",
        "roughly",
        "some",
        "close to",
        "an estimated",
        "estimated",
    }
)

_NUMBER_IN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def precision(figure: Figure) -> float:
    """Half the unit of the last digit as written ("13K" -> 500, "6.37bn" -> 5e6, "200" -> 0.5).

    Trailing zeros count as written: "HK$50 billion" allows 49.5-50.5 billion, not 45-55, or
    every conversion of a round amount would pass; "about" widens it instead.
    """
    value = abs(float(figure["value"]))
    written = _NUMBER_IN.search(str(figure.get("text", "")))
    if written is None or value == 0:
        return value * 0.01  # spelled out ("thirteen thousand"): assume a rounded figure
    digits = written.group(0).replace(",", "")
    try:
        mantissa = float(digits)
    except ValueError:
        return value * 0.01
    if mantissa == 0:
        return 0.5
    scale = value / mantissa
    unit = 10.0 ** -len(digits.split(".")[1]) if "." in digits else 1.0
    if figure.get("label") == "PERCENT":
        return unit * scale / 2  # "4%" is how 4.4% is rounded in a headline
    return min(unit * scale / 2, value * MAX_ROUNDING)


def interval(figure: Figure) -> tuple[float, float]:
    """The values the figure allows as written (rounding and qualifier; ranges keep both ends)."""
    value = float(figure["value"])
    half = precision(figure)
    low = float(figure["low"]) if figure.get("low") is not None else value
    high = float(figure["high"]) if figure.get("high") is not None else value
    lo, hi = min(low, high) - half, max(low, high) + half
    qualifier = (figure.get("qualifier") or "").lower()
    if qualifier in LOWER_BOUND:
        hi = math.inf
    elif qualifier in UPPER_BOUND:
        lo = -math.inf if value > 0 else lo
    elif qualifier in APPROXIMATE:
        lo, hi = lo - abs(value) * APPROXIMATE_SLACK, hi + abs(value) * APPROXIMATE_SLACK
    return lo, hi


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True when two intervals share a value."""
    return a[0] <= b[1] and b[0] <= a[1]


def consistent(a: Figure, b: Figure) -> bool:
    """True when two figures of the same measure can both be right as written."""
    return overlaps(interval(a), interval(b))


_BARE_DOLLAR = re.compile(r"^[-−]?\$|\bdollars?\b|\bcents?\b", re.IGNORECASE)
_COUNTRY_DOLLAR = re.compile(
    r"(?:US|U\.S\.|HK|S|NT|A|AU|C|CA|NZ|R|MX|Z)\$|\$(?:US|A|C|NZ|HK|S)\b|\b(?:US|U\.S\.|Hong Kong"
    r"|Singapore|Australian|Canadian|New Zealand|Taiwan|American)\s+(?:dollars?|cents?)",
    re.IGNORECASE,
)


def bare_dollar(figure: Figure) -> bool:
    """True when a money figure is written with "$"/"dollars" and no country ("$50B")."""
    text = str(figure.get("text", ""))
    return bool(_BARE_DOLLAR.search(text)) and not _COUNTRY_DOLLAR.search(text)


def human(value: float) -> str:
    """A value for people: "6.37 billion", "13,000", "7.8"."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {word}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def money(value: float, currency: str | None) -> str:
    """ "US$6.37 billion", "HKD 50 billion", "50 billion (currency unknown)"."""
    if currency == "USD":
        return f"US${human(value)}"
    if currency:
        return f"{currency} {human(value)}"
    return f"{human(value)} (currency unknown)"
