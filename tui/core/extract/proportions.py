"""Figures written as fractions or multiplying words, which the number scan does not see.

* "half a million people", "three-quarters of a billion dollars": the fraction scales the
  figure that follows it (COUNT 500000; MONEY 7.5e8).
* "a quarter of a percentage point", "half a percentage point", "a quarter-point cut": PERCENT
  in percentage points (0.25, 0.5, 0.25).
* "two-thirds of voters", "a fifth of the workforce", "half of respondents": a share, PERCENT in
  percent points (66.67, 20, 50), unless a time follows ("a quarter of a century", "the second
  half of the year" are durations and dates, not figures).
* "a penny" and "a cent" are 0.01 of the article's pound or dollar.
* "one in five adults": PERCENT 20 over "one in five" (not a count of five adults).
* "prices are down about a third": a share after a change word, PERCENT 33.33.
* "twice as many", "double the size", "profits tripled": MULTIPLIER 2, 2, 3. "Twice a week",
  "a double room", "doubled as a venue" and "doubled down" are not.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from tui.core.extract import currencies as cur
from tui.core.extract.context import QUALIFIER_RE
from tui.core.extract.numbers import SMALL, to_number

_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8,
    "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
_NUMERATORS = {"a": 1, "an": 1, **{w: v for w, v in SMALL.items() if 0 < v < 10}}
_NUM = "|".join(sorted(_NUMERATORS, key=len, reverse=True))
_DEN = "|".join(sorted(_DENOMINATORS, key=len, reverse=True))
_FRACTION = rf"(?:(?P<num>{_NUM})[\s-]+)?(?P<den>{_DEN})"

_SCALES_RE = re.compile(rf"(?<![\w-]){_FRACTION}\s+(?:of\s+)?\Z", re.IGNORECASE)
"""A fraction right before "a million" (searched on the text before that figure)."""

_WORD_FIGURE_RE = re.compile(
    rf"(?<![\w-])(?:{_FRACTION}(?:\s+(?:of\s+)?an?\s+(?P<pp>percentage[\s-]points?)\b"
    rf"|[\s-](?P<point>point)\b(?!\s+of)|\s+(?P<of>of)\s|(?P<bare>)(?=[\s.,;:)]|\Z))"
    r"|(?P<mult>twice|double|triple|treble|quadruple)\s+(?=(?:as|the|that|what|its|their|his"
    r"|her|our|this|those|these|last)\b)"
    r"|(?P<verb>doubled|tripled|trebled|quadrupled)\b(?!\s+(?:as|down|up|over|back)\b)"
    r"|an?\s+(?P<coin>penny|cent)\b)",
    re.IGNORECASE,
)
_TIMES = {"twice": 2, "double": 2, "doubled": 2, "triple": 3, "treble": 3, "tripled": 3}
_TIMES |= {"trebled": 3, "quadruple": 4, "quadrupled": 4}
_TIME_AFTER_RE = re.compile(
    r"(?:(?:a|an|the|this|that|last|next|its|their)\s+)?(?:\w+\s+)?(?:century|centuries|decade"
    r"|years?|months?|weeks?|days?|hours?|minutes?|seconds?|season|term|session|way|mile|inning"
    r"|game|match|20\d\d|19\d\d)\b",
    re.IGNORECASE,
)
_CHANGE_BEFORE_RE = re.compile(
    r"\b(?:by|down|up|fell|rose|dropped|slumped|jumped|cut|slashed|lost|shed|gained|shrank|grew)"
    r"(?:\s+(?:about|nearly|almost|roughly|around|some|over|under|more\s+than|less\s+than"
    r"|just\s+over|just\s+under))?\s+\Z",
    re.IGNORECASE,
)
_WHOLES = "|".join(w for w in SMALL if SMALL[w] > 1)
_ONE_IN_RE = re.compile(
    rf" in (?:every )?(?P<whole>{_WHOLES}|\d{{1,3}}(?:,\d{{3}})?)"
    r"(?![\w.,]| +(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries)\b)",
    re.IGNORECASE,
)
_PRONOUN_BEFORE_RE = re.compile(r"\b(?:the|only|no|any|which|this|that|first|last|each)\s+\Z", re.I)
_PART_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?P<part>{'|'.join(w for w in SMALL if 0 < SMALL[w] < 10)}|\d{{1,3}})\Z",
    re.IGNORECASE,
)
_LOOKBACK = 80
"""How far before a fraction the words that change its meaning are looked for: far more than
"slumped just under " needs, and bounded so a long article is scanned in linear time."""
_ORDINAL_BEFORE_RE = re.compile(r"(?:first|second|third|fourth|final|last|latter|the)\s+\Z", re.I)


def _fraction(match: re.Match[str]) -> Decimal:
    """The value of the fraction words in ``match`` ("two-thirds" -> 2/3, "half" -> 1/2)."""
    num = match.group("num")
    numerator = _NUMERATORS[num.lower()] if num else 1
    return Decimal(numerator) / _DENOMINATORS[match.group("den").lower()]


def _figure(
    text: str, start: int, end: int, label: str, value: Decimal, unit: str | None
) -> dict[str, Any]:
    """A figure dict in the shape :mod:`.figures` returns."""
    found = QUALIFIER_RE.search(text[max(0, start - 30) : start])
    number = to_number(value.quantize(Decimal("1e-10")).normalize())
    return {
        "text": text[start:end], "start": start, "end": end, "label": label, "value": number,
        "currency": None, "unit": unit, "qualifier": found.group("q").lower() if found else None,
        "low": None, "high": None,
    }  # fmt: skip


def _word_figure(text: str, match: re.Match[str]) -> dict[str, Any] | None:
    """The figure a :data:`_WORD_FIGURE_RE` match stands for, or None."""
    start = match.start()
    if coin := match.group("coin"):
        figure = _figure(text, start, match.end(), "MONEY", Decimal("0.01"), None)
        figure["currency"] = cur.PENNY if coin.lower() == "penny" else cur.BARE_DOLLAR
        return figure
    if times := match.group("mult") or match.group("verb"):
        end = match.start() + len(times)
        return _figure(text, start, end, "MULTIPLIER", Decimal(_TIMES[times.lower()]), "x")
    fraction = _fraction(match)
    if match.group("pp"):
        return _figure(text, start, match.end(), "PERCENT", fraction, "percentage points")
    if match.group("point"):
        if match.group("den").lower().endswith("s") and not match.group("num"):
            return None
        return _figure(text, start, match.end(), "PERCENT", fraction, "percentage points")
    end = match.end("den")
    if match.group("bare") is not None:
        before = max(0, start - _LOOKBACK)
        if match.group("num") is None or not _CHANGE_BEFORE_RE.search(text, before, start):
            return None  # "down about a third" is a share; "a third" alone is an ordinal
        return _figure(text, start, end, "PERCENT", fraction * 100, "%")
    before = max(0, start - _LOOKBACK)
    if _TIME_AFTER_RE.match(text, match.end()) or _ORDINAL_BEFORE_RE.search(text, before, start):
        return None  # "a quarter of a century", "the second half of the year"
    if not match.group("num") and match.group("den").lower() != "half":
        return None  # "quarter of" alone is too often a date
    if match.group("num") and match.group("num").lower() in ("a", "an") and fraction == 1 / 2:
        return None  # "a half of": rare and usually part of a longer phrase
    return _figure(text, start, end, "PERCENT", fraction * 100, "%")


ANCHOR_WORDS = [*_DENOMINATORS, *_TIMES, "penny", "cent"]
"""The key words of every word figure: :mod:`.scan` finds them at word starts."""
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)[\s-]+\Z")


def _word_figure_matches(text: str, anchors: list[int]) -> list[re.Match[str]]:
    """:data:`_WORD_FIGURE_RE` matches around the key words that start at ``anchors``."""
    matches: list[re.Match[str]] = []
    for pos in anchors:
        if matches and pos < matches[-1].end():
            continue  # a match already taken
        before = _WORD_BEFORE_RE.search(text, max(0, pos - 8), pos)
        for start in (before.start(), pos) if before else (pos,):
            match = _WORD_FIGURE_RE.match(text, start)
            if match is not None and match.end() > pos:
                matches.append(match)
                break
    return matches


def _one_in(text: str) -> list[dict[str, Any]]:
    """Shares written "one in five" (PERCENT 20); they replace a count such as "five adults"."""
    shares = []
    for found in _ONE_IN_RE.finditer(text):
        part = _PART_BEFORE_RE.search(text, max(0, found.start() - 8), found.start())
        if part is None or _PRONOUN_BEFORE_RE.search(text, max(0, part.start() - 8), part.start()):
            continue  # "the only one in 10 years": "one" is a pronoun there
        numbers = [part.group("part").lower(), found.group("whole").lower()]
        a, b = (int(n.replace(",", "")) if n[0].isdigit() else SMALL[n] for n in numbers)
        if 0 < a < b:
            share = Decimal(100 * a) / b
            shares.append(_figure(text, part.start(), found.end(), "PERCENT", share, "%"))
    return shares


def add_word_figures(
    text: str, found: list[tuple[dict[str, Any], bool]], anchors: list[int]
) -> list[tuple[dict[str, Any], bool]]:
    """``found`` with fractions applied to the figures they scale, plus word-only figures.

    ``anchors`` are where the key words (:data:`ANCHOR_WORDS`) start, from :func:`.scan.scan`.
    """
    if " in " in text and (shares := _one_in(text)):
        found = [
            pair
            for pair in found
            if not any(s["start"] < pair[0]["end"] and pair[0]["start"] < s["end"] for s in shares)
        ] + [(s, False) for s in shares]
        found.sort(key=lambda pair: pair[0]["start"])
    for figure, _ in found:
        if figure["text"][:2].lower() not in ("a ", "an"):
            continue
        scaled = _SCALES_RE.search(text, max(0, figure["start"] - 30), figure["start"])
        if scaled is None:
            continue
        fraction = _fraction(scaled)
        for key in ("value", "low", "high"):
            if figure[key] is not None:
                figure[key] = to_number(Decimal(str(figure[key])) * fraction)
        figure["start"] = scaled.start()
        figure["text"] = text[figure["start"] : figure["end"]]
    taken = [(f["start"], f["end"]) for f, _ in found]
    extra = []
    for match in _word_figure_matches(text, anchors):
        word_figure = _word_figure(text, match)
        if word_figure is None:
            continue
        if any(s < word_figure["end"] and word_figure["start"] < e for s, e in taken):
            continue
        extra.append((word_figure, word_figure["currency"] == cur.BARE_DOLLAR))
    return sorted(found + extra, key=lambda pair: pair[0]["start"]) if extra else found
