"""Rule-based figures: money, percentages, counts with their noun, multipliers. No model, no spaCy.

Every figure is a dict ``{text, start, end, label, value, currency, unit, qualifier, low, high,
currency_reason}`` with ``start``/``end`` code-point offsets into the text (end exclusive) and
``text == body[start:end]``. Labels: MONEY (``currency`` is ISO 4217, or BTC/ETH, or None when the
article does not say; ``value`` in major units, so "50 cents" is 0.5; ``currency_reason`` says
why), PERCENT (``value`` in percentage points; ``unit`` "%", "percentage points" or "basis
points", so "25 basis points" is 0.25), COUNT (``unit`` is the counted noun, or None for "7.5
million" standing alone) and MULTIPLIER (``unit`` "x"). A range ("HK$1-2 billion", "between 5 and
7 per cent") has ``value`` = ``low`` and both bounds; otherwise ``low``/``high`` are None.
``qualifier`` holds words such as "about", "over", "up to" in lower case; the span itself starts at
the number or currency sign. Non-money figures have ``currency_reason`` None.

Forms: digits with separators (also Indian "7,45,210"), scale words spaced or glued ("£7.2billion",
"Rs500crore", "2.2 lakh crore"), number words and fractions of scale words ("half a million",
"half million", "a quarter-million", "three quarters of a billion"), codes after the amount ("40
USD million", "90USD", "0.5 BTC"), a code glued to the number after it ("USD50m", "EUR3.5bn"),
scaled codes of company reports ("MEUR 120", "800 kEUR", "TEUR 500"), signs after the amount
("100 ₾", "38元", "500円", "250 zł"), "$US4.2 billion", "$A5 billion", "Mex$", "NZD$" and "U.S.$".
Nothing inside a web address is a figure ("?q=30%25"). A count whose noun is left out
("Of 300 banks polled, 41 said ...") takes the noun of the count before it in the same or the
previous sentence, else ``unit`` None. A number is required: "billions of pounds" is no figure.

Not figures: years and dates ("2025", "January 2026"), durations ("two and a half years"),
numbers glued to letters ("Web3", "3C AGI", "5G", "COVID-19"), stock codes ("0100.HK"),
version-like labels ("Article 23", "Boeing 737"), ordinals, times, and hyphenated modifiers
("45-year-old", "a five-year plan").

Currencies the amount's own marker leaves open (a bare "$", "dollars", "cents", "¥", "a penny",
"pesos") are decided by :mod:`.evidence` from the article and its :class:`FigureContext`, or
left None with the reason; "pounds", "won", "marks" are money only with a magnitude or a country
("lost 20 pounds" is a weight). See :mod:`.currencies`.

Cents, accounting parentheses and rates ("$15/hour" has ``unit`` "per hour") are read in
:mod:`.money`; fractions, "one in five" and "twice"/"doubled" in :mod:`.proportions`. Not figures
either: "4K TVs" (a resolution), "1080p", and small counts of anonymous sources ("two people
familiar with the matter").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui.core.extract import currencies as cur
from tui.core.extract.context import (
    CHANGE_RE,
    counted_noun,
    is_anonymous_source,
    is_bare_subject,
    is_reference,
    is_resolution,
    qualifier_before,
)
from tui.core.extract.evidence import TextEvidence, resolve_currencies
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.markers import currency_after, currency_before
from tui.core.extract.money import money_tail
from tui.core.extract.numbers import (
    CANDIDATE_RE,
    NUMBER_PATTERN,
    Amount,
    parse_digits,
    parse_spelled,
    read_amount,
    to_number,
)
from tui.core.extract.proportions import add_word_figures
from tui.core.extract.scan import scan

_HIGH_RE = re.compile(r"(?<![\d.,])" + NUMBER_PATTERN, re.IGNORECASE)
_MINUS_RE = re.compile(r"(?<![\w-])(?:minus|negative)\s+\Z", re.IGNORECASE)
_OF_THE_RE = re.compile(r" of (?:the |its |their )?[\d,]+\d")
_VIDEO_LINES = frozenset({"144", "240", "360", "480", "576", "720", "1080", "1440", "2160", "4320"})
_PERCENT_RE = re.compile(
    r"(?: ?(?P<sign>[%％])|[ -]?(?:(?P<pct>per[ -]?cents?|pct|percentages?(?![ -]points?))\b"
    r"|(?P<pp>(?:of an? )?percentage[ -]points?)\b"
    r"|(?P<bp>basis[ -]points?|bps)\b))",
    re.IGNORECASE,
)
_PERCENT_STARTS = frozenset("%％ -pPbB")
"""What may follow an amount where a percent marker starts ("%", " per cent", "-point", "bps")."""
_FOLD_RE = re.compile(r"(?:-|\s)?fold\b|(?P<times>\s+times)\b", re.IGNORECASE)
_RANGE_SEP_RE = re.compile(r"\s*(?:(?P<dash>[-–—])|\s(?P<word>to|and)\s)\s*", re.IGNORECASE)
_YEAR_RE = re.compile(r"1[89]\d\d|2[01]\d\d")
_ONE = Decimal(1)
_URL_RE = re.compile(r"(?<![\w.@])(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>\"“”‘’()\[\]{}|]+")
"""A web address: its query strings and paths ("?q=30%25", "/2024/05/") hold no figures."""
_GLUED_CODE_RE = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(sorted(cur.ISO_CODES))})\d")


@dataclass(slots=True)
class _Marks:
    """What follows an amount: its label, unit, currency, minor-unit divisor and new end."""

    label: str | None
    unit: str | None
    currency: str | None
    divisor: int
    end: int
    multiplier: int = 1


def _suffix(text: str, amount: Amount, currency: str | None, scale: int = 1) -> _Marks:
    """Read a multiplier, percent or currency marker right after ``amount``.

    ``scale`` is the multiplier of a scaled code before the amount ("MEUR 120")."""
    end = amount.end
    if amount.attached == "x":
        return _Marks("MULTIPLIER", "x", None, 1, end)
    if amount.attached == "pc":  # British "5pc"
        return _Marks("PERCENT", "%", None, 1, end)
    if amount.attached == "p":  # British "30p" is pence
        return _Marks("MONEY", None, "GBP", 100, end)
    if amount.attached in ("bp", "bps"):  # "25bp": percentage points, a hundredth each
        return _Marks("PERCENT", "basis points", None, 100, end)
    if amount.attached.upper() in cur.ISO_CODES or amount.attached == "rmb":  # "90USD"
        return _Marks("MONEY", None, cur.prefix_code(amount.attached.upper()), 1, end)
    fold = _FOLD_RE.match(text, end)
    if fold and (fold.group("times") is None or not amount.has_magnitude):
        return _Marks("MULTIPLIER", "x", None, 1, fold.end())
    pct = _PERCENT_RE.match(text, end) if text[end : end + 1] in _PERCENT_STARTS else None
    if pct:
        if pct.group("bp"):  # 25 basis points are 0.25 percentage points
            return _Marks("PERCENT", "basis points", None, 100, pct.end())
        unit = "percentage points" if pct.group("pp") else "%"
        return _Marks("PERCENT", unit, None, 1, pct.end())
    after = currency_after(text, end, amount) if currency is None else None
    if after:
        return _Marks(
            "MONEY", after.name, after.currency, after.divisor, after.end, after.multiplier
        )
    return _Marks("MONEY" if currency else None, None, currency, 1, end, scale)


def _clause_before(text: str, start: int) -> str:
    """Up to 60 characters before ``start``, from the last sentence or clause break."""
    clause = text[max(0, start - 60) : start]
    return clause[max(clause.rfind(c) for c in ".;\n") + 1 :]


def _range_high(
    text: str, end: int, marks: _Marks, qualifier: str | None, start: int
) -> tuple[Amount, Decimal, _Marks] | None:
    """The upper bound of a range starting at ``end``: (amount, its bare number, its marks)."""
    if end >= len(text) or text[end] not in " -–—" or marks.label == "MULTIPLIER":
        return None
    sep = _RANGE_SEP_RE.match(text, end)
    if not sep:
        return None
    word = (sep.group("word") or "").lower()
    if not (
        sep.group("dash")
        or (
            word == "to"
            and qualifier != "from"
            and not CHANGE_RE.search(_clause_before(text, start))
        )
        or (word == "and" and qualifier == "between")
    ):
        return None
    pos = sep.end()
    currency = None
    if marker := cur.RANGE_MARKER_RE.match(text, pos):
        found = cur.PREFIX_RE.search(marker.group(0))
        if found is None:
            return None
        currency, pos = cur.prefix_currency(found), marker.end()
    high_match = _HIGH_RE.match(text, pos)
    if high_match is None:
        return None
    high = read_amount(high_match, text)
    if high is None or high.attached == "x":
        return None
    high_marks = _suffix(text, high, currency or marks.currency)
    if marks.label is not None and high_marks.label not in (None, marks.label):
        return None
    if marks.label == "PERCENT" and high_marks.label is None:
        return None  # "5% to 7 companies" is not a range
    own = high_marks if currency else _suffix(text, high, None)
    if marks.label and own.label is None and counted_noun(text, own.end):
        return None  # "pay A$1.1 million to 3,200 owners": the high end counts something else
    if currency and marks.currency and currency != marks.currency:
        return None
    bare = high_match.group("digits") or high_match.group("spelled")
    plain = parse_digits(bare) if high_match.group("digits") else parse_spelled(bare)
    return high, plain or Decimal(1), high_marks


def _figure(match: re.Match[str], text: str) -> tuple[dict[str, Any], bool] | None:
    """The figure starting at a candidate number, or None; the flag marks a bare dollar."""
    amount = read_amount(match, text)
    digits = match.group("digits")
    if amount is None or (amount.attached == "p" and digits in _VIDEO_LINES):
        return None  # "1080p" is a video format
    negative = match.group("sign") is not None
    start = match.start()
    number_start = match.start("digits") if digits else match.start("spelled")
    currency: str | None = None
    number = digits or match.group("spelled")
    code_scale = 1
    if before := currency_before(text, start, amount, number):
        currency, start, code_scale = before  # "$-99.99" when signed
        if start > 0 and text[start - 1] in "-−" and not text[start - 2 : start - 1].isalnum():
            negative, start = True, start - 1
    elif not negative and start > 0 and text[start - 1].isalpha():
        return None  # "Web3", "G7", "A100": part of a name
    marks = _suffix(text, amount, currency, code_scale)
    is_year = bool(digits and not negative and _YEAR_RE.fullmatch(digits))
    if is_year and marks.label is None:
        return None  # "in 2025": a year with no unit is never a figure (checked early: common)
    lead = text[max(0, start - 10) : start]
    maybe_minus = not negative and ("inus" in lead or "ative" in lead)
    if maybe_minus and (minus := _MINUS_RE.search(text, max(0, start - 10), start)):
        negative, start = True, minus.start()  # "minus 0.3 percent"
    qualifier = qualifier_before(text, start)
    low, high = amount.value, None
    if ranged := _range_high(text, marks.end, marks, qualifier, start):
        high_amount, high_plain, high_marks = ranged
        if not amount.has_magnitude and high_amount.has_magnitude:
            low = low * (high_amount.value / high_plain)  # "HK$1-2 billion"
        high = high_amount.value
        marks = _Marks(
            marks.label or high_marks.label,
            marks.unit or high_marks.unit,
            marks.currency or high_marks.currency,
            max(marks.divisor, high_marks.divisor),
            high_marks.end,
            max(marks.multiplier, high_marks.multiplier),
        )
    label, unit, end = marks.label, marks.unit, marks.end
    if label is None:
        if is_year or is_reference(text, number_start):
            return None
        noun = counted_noun(text, end) or _share_of_noun(text, end, digits)
        if noun and _GLUED_CODE_RE.search(text, end, noun[1]):
            noun = None  # "3 USD50 cards": the code is the next amount's, "3" counts no noun
        if noun and (high is not None or low >= 2 or digits):
            label = "COUNT"
            unit, end = noun
        elif amount.has_magnitude and amount.attached not in ("m", "b", "t"):
            label = "COUNT"
        elif "," in (digits or "") and high is None:
            label = "COUNT"  # "estimates of 455,000": separators mark a quantity, never a year
        elif high is None and low >= 2 and is_bare_subject(text, start, end):
            label = "COUNT"  # "95 have already cut": the noun is the previous sentence's
        else:
            return None
    if label == "COUNT" and text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha():
        return None  # "a 10 million-strong army": a modifier, not a count
    if label == "COUNT" and (
        (low <= 12 and is_anonymous_source(unit, text, end))
        or is_resolution(text, start, amount.end)
    ):
        return None
    if qualifier in ("between", "from"):
        qualifier = None

    if label == "MONEY":
        tail = money_tail(text, start, end, number, amount.has_magnitude or high is not None)
        if high is None:
            low += tail.cents * marks.divisor
            if tail.negative:
                negative, start, end = True, start - 1, end + 1
        end = max(end, tail.end)
        unit = tail.rate or unit
    if negative or marks.multiplier != 1 or marks.divisor != 1:
        scale = Decimal(-1 if negative else 1) * marks.multiplier / marks.divisor
    else:
        scale = _ONE
    value = to_number(low * scale)
    figure = {
        "text": text[start:end],
        "start": start,
        "end": end,
        "label": label,
        "value": value,
        "currency": marks.currency,
        "unit": unit,
        "qualifier": qualifier,
        "low": value if high is not None else None,
        "high": to_number(high * scale) if high is not None else None,
    }
    return figure, marks.currency == cur.BARE_DOLLAR


def _share_of_noun(text: str, end: int, digits: str | None) -> tuple[str, int] | None:
    """The noun of "303 of the 543 seats": the part counts what the whole counts."""
    if digits is None or not (found := _OF_THE_RE.match(text, end)):
        return None
    noun = counted_noun(text, found.end())
    return (noun[0], end) if noun else None


def find_figures(text: str, context: FigureContext | None = None) -> list[dict[str, Any]]:
    """Every figure in ``text`` in reading order (see the module docstring).

    ``context`` (publication, URL, overrides) helps decide currencies the text leaves open; without
    it the text alone decides, and an undecidable currency is None with its reason.
    """
    return resolve_currencies(text, raw_figures(text), context)


def raw_figures(text: str) -> list[dict[str, Any]]:
    """The figures before currencies are decided: what depends on the text alone (cacheable).

    Undecided currencies hold the placeholders of :mod:`.currencies`; pass the result (or a copy)
    to :func:`tui.core.extract.evidence.resolve_currencies` with the article's context.
    """
    found: list[tuple[dict[str, Any], bool]] = []
    last_end = 0
    urls = _url_spans(text)
    starts, anchors = scan(text)
    for pos in starts:
        if pos < last_end:
            continue
        if urls and any(start <= pos < end for start, end in urls):
            continue
        match = CANDIDATE_RE.match(text, pos)
        if match is None:
            continue
        result = _figure(match, text)
        if result is None:
            continue
        figure = result[0]
        if figure["start"] < last_end:
            continue
        found.append(result)
        last_end = figure["end"]
    figures = [figure for figure, _ in add_word_figures(text, found, anchors)]
    if urls:
        figures = [f for f in figures if not any(s <= f["start"] < e for s, e in urls)]
    _name_left_out_counts(text, figures, TextEvidence(text))
    return figures


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes web addresses (none is looked for without "://" or "www.")."""
    if "://" not in text and "www." not in text:
        return []
    return [found.span() for found in _URL_RE.finditer(text)]


def _name_left_out_counts(text: str, figures: list[dict[str, Any]], evidence: TextEvidence) -> None:
    """Give "95 have already cut" the noun of the count before it, in its sentence or the last.

    With no such count the unit stays None: the rules do not guess a noun from free text.
    """
    for index, figure in enumerate(figures):
        if figure["label"] != "COUNT" or figure["unit"] is not None:
            continue
        if not is_bare_subject(text, figure["start"], figure["end"]):
            continue  # "to close at 38,904": a number standing alone, not a subject
        start = figure["start"]
        sentence_start = evidence.sentence(start)[0]
        earliest = evidence.sentence(sentence_start - 1)[0] if sentence_start else 0
        for earlier in reversed(figures[:index]):
            if earlier["start"] < earliest:
                break
            if earlier["label"] == "COUNT" and earlier["unit"]:
                figure["unit"] = earlier["unit"]
                break


def figure_key(figure: dict[str, Any]) -> str:
    """What a figure means, for grouping: "HK$50 billion" and "HK$50B" share one key."""
    unit = (figure.get("unit") or "").lower()
    kind = figure.get("currency") or ("percentage points" if unit == "basis points" else unit)
    bounds = (figure["value"], figure.get("high"))
    values = " ".join(f"{float(v):.12g}" for v in bounds if v is not None)
    return f"{figure['label']} {kind} {values}"
