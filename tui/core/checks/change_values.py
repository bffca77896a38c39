"""The parts of a stated change: its size ("15%", "3 points", "by half", "doubled", "$2bn") and
the former and new values ("to 300 from 200"), each as an interval of what its rounding allows.

Values come from the extracted figures where one starts at the place; a bare number ("to 300
from 200") is read here, since the figure rules rightly do not make a figure of it alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.checks.inputs import Figure
from tui.core.checks.values import interval, precision

FRACTION_SLACK = 5.0
"""Percent points allowed around "by half" / "by a third": the words are rounder than digits."""

MULTIPLIER_TOLERANCE = 0.10
""""Doubled" is used for anything from ×1.8 to ×2.2; ×1.3 is not a doubling."""

_FRACTIONS = {
    "half": 50.0,
    "a half": 50.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "a quarter": 25.0,
    "one quarter": 25.0,
    "two-thirds": 200 / 3,
    "two thirds": 200 / 3,
    "three-quarters": 75.0,
    "three quarters": 75.0,
    "a fifth": 20.0,
    "a tenth": 10.0,
}
_FRACTION_RE = re.compile(
    r"(?P<f>" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_POINTS_RE = re.compile(r"(?P<n>\d+(?:\.\d+)?)[ -](?:percentage[ -])?points?\b", re.IGNORECASE)
_BARE_RE = re.compile(
    r"(?<![\w.,$£€¥])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<d>\.\d+)?"
    r"(?P<s>\s?(?:million|billion|trillion|thousand|bn|mn|m|k)\b)?"
    r"(?P<p>\s?%|\s?per ?cent\b|\s?percent\b)?",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_SKIP_BEFORE_VALUE = re.compile(
    r"(?:(?:a|an)\s+(?:record|new|fresh|high|low|peak|estimated)(?:\s+(?:high|low))?"
    r"(?:\s+of)?\s+|about\s+|around\s+|nearly\s+|almost\s+|roughly\s+|some\s+|just\s+"
    r"|an estimated\s+|a revised\s+|the\s+)*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Value:
    """A former or new value in a change statement."""

    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    label: str
    """The figure's label, or "NUMBER" for a bare number; PERCENT for "45%"."""
    currency: str | None


def figure_value(figure: Figure) -> Value:
    """An extracted figure as a change's value."""
    lo, hi = interval(figure)
    return Value(
        int(figure["start"]),
        int(figure["end"]),
        str(figure["text"]),
        float(figure["value"]),
        lo,
        hi,
        str(figure["label"]),
        figure.get("currency"),
    )


def value_at(text: str, pos: int, limit: int, figures: Sequence[Figure]) -> Value | None:
    """The value starting at ``pos`` (after "a record", "about" and similar words)."""
    skip = _SKIP_BEFORE_VALUE.match(text, pos)
    at = skip.end() if skip else pos
    for figure in figures:
        if at <= figure["start"] <= at + 1 and figure["label"] != "MULTIPLIER":
            return figure_value(figure)
    found = _BARE_RE.match(text, at, limit)
    if not found:
        return None
    digits = found.group("n").replace(",", "") + (found.group("d") or "")
    if not found.group("s") and not found.group("d") and re.fullmatch(r"(?:19|20)\d\d", digits):
        return None  # "from 2019 to 2024" are years
    scale = _SCALES[found.group("s").strip().lower()] if found.group("s") else 1.0
    number = float(digits) * scale
    written = {"text": found.group(0), "value": number}
    half = precision(written)
    qualifier = (skip.group(0) if skip else "").strip().lower()
    if qualifier in ("about", "around", "nearly", "almost", "roughly", "some", "an estimated"):
        half += number * 0.1
    label = "PERCENT" if found.group("p") else "NUMBER"
    return Value(at, found.end(), found.group(0), number, number - half, number + half, label, None)


Magnitude = tuple[str, tuple[float, float], tuple[int, int, str], tuple[str, str | None] | None]
"""(kind, interval, (start, end, text), (label, currency) of an amount)."""


def magnitude(text: str, pos: int, limit: int, figures: Sequence[Figure]) -> Magnitude | None:
    """(kind, interval, span, amount label) of a magnitude starting at ``pos``."""
    points = _POINTS_RE.match(text, pos, limit)
    if points:
        n = float(points.group("n"))
        half = precision({"text": points.group("n"), "value": n})
        return "points", (n - half, n + half), (pos, points.end(), points.group(0)), None
    fraction = _FRACTION_RE.match(text, pos, limit)
    if fraction:
        share = _FRACTIONS[fraction.group("f").lower()]
        span = (pos, fraction.end(), fraction.group(0))
        return "percent", (share - FRACTION_SLACK, share + FRACTION_SLACK), span, None
    for figure in figures:
        if figure["start"] != pos:
            continue
        lo, hi = interval(figure)
        span = (pos, int(figure["end"]), str(figure["text"]))
        if figure["label"] == "PERCENT":
            unit = figure.get("unit") or "%"
            if unit == "%":
                return "percent", (lo, hi), span, None
            return "points", (lo, hi), span, None
        if figure["label"] == "MULTIPLIER":
            v = float(figure["value"])
            return (
                "ratio",
                (v * (1 - MULTIPLIER_TOLERANCE), v * (1 + MULTIPLIER_TOLERANCE)),
                span,
                None,
            )
        return "amount", (lo, hi), span, (str(figure["label"]), figure.get("currency"))
    return None
