"""Numbers as news text writes them: "13,000", "6.37", "twenty-five", "a million", "2.2 lakh crore".

Values are computed with :class:`decimal.Decimal` so "6.37 billion" is exactly 6370000000, then
returned as an ``int`` when integral (JSON stays readable) and a ``float`` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SMALL: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
"""Number words below a hundred that combine additively ("twenty-five")."""

SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
"""Number words that multiply what precedes them."""

MAGNITUDES: dict[str, int] = {
    **SCALES,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "mil": 10**6,
    "bil": 10**9,
    "b": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
"""Magnitude suffixes after digits ("1.2bn", "13K", "US$129 million"), keyed in lower case."""

DENOMINATORS: dict[str, int] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8,
    "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
"""Fraction words and the whole they divide ("three quarters" is 3/4)."""

_DIGIT_WORD = "zero|oh|one|two|three|four|five|six|seven|eight|nine"
_WORD = "|".join(sorted([*SMALL, *SCALES, "dozen"], key=len, reverse=True))
_DEN = "|".join(sorted(DENOMINATORS, key=len, reverse=True))
FRACTION_LEAD = rf"(?:(?:an?|{_DIGIT_WORD})[\s-]+)?(?:{_DEN})[\s-]+(?:of\s+)?(?:an?\s+)?"
"""A fraction and the words that join it to a scale word (compile with re.I)."""
FRACTION_HEAD = FRACTION_LEAD + r"(?=(?:thousand|million|billion|trillion)\b)"
"""A fraction in front of a scale word: "half (a) million", "a quarter(-)million", "three quarters
(of a) billion"."""
SPELLED_PATTERN = (
    rf"(?:\b(?:{FRACTION_HEAD}|an?\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?"
    rf"(?:{_WORD})"
    rf"(?:(?:\s+|-)(?:and\s+)?(?:a\s+half\b|(?:{_WORD})(?![a-z]))|\s+(?:a\s+)?dozen\b)*"
    rf"(?:\s+point(?:\s+(?:{_DIGIT_WORD})(?![a-z]))+)?)"
)
"""A run of number words ("two hundred and five", "a million", "twenty-five"); compile with re.I.

It ends at a word boundary only when the caller says so: "sevenfold" needs the run "seven".
"""

DIGITS_PATTERN = r"(?:\d{1,2}(?:,\d\d)+,\d{3}|\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
"""Digits with optional thousands commas (or Indian lakh grouping, "7,45,210") and decimals."""

_SPLIT = re.compile(r"[\s-]+")


def word_trie(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes (much faster to scan)."""
    if not words:
        return ""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    branches = []
    for head, tails in sorted(heads.items()):
        rest = [t for t in tails if t]
        inner = word_trie(rest)
        if not rest:
            branches.append(re.escape(head))
        elif len(rest) < len(tails):
            branches.append(f"{re.escape(head)}(?:{inner})?")
        else:
            branches.append(f"{re.escape(head)}(?:{inner})")
    return "|".join(branches)


def to_number(value: Decimal) -> int | float:
    """``value`` as an int when integral, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_digits(text: str) -> Decimal | None:
    """Parse "13,000" or "6.37" exactly; None when ``text`` is not such a number."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def parse_spelled(text: str) -> Decimal | None:
    """Parse number words ("two and a half million" -> 2500000); None when not a number."""
    words = [w for w in _SPLIT.split(text.lower()) if w]
    if "point" in words:  # "three point two five" -> 3.25
        at = words.index("point")
        whole = parse_spelled(" ".join(words[:at]))
        digits = [0 if w == "oh" else SMALL.get(w, 10) for w in words[at + 1 :]]
        if whole is None or not digits or any(d > 9 for d in digits):
            return None
        return whole + Decimal("0." + "".join(map(str, digits)))
    if not words:
        return None
    for at in (0, 1):  # "half million", "a quarter of a billion", "three quarters billion"
        if words[at : at + 1] and words[at] in DENOMINATORS and (at == 0 or words[0] != "and"):
            numerator = (
                Decimal(1) if at == 0 or words[0] in ("a", "an") else parse_spelled(words[0])
            )
            rest = words[at + 1 :]
            while rest[:1] and rest[0] in ("of", "a", "an"):
                rest = rest[1:]
            whole = parse_spelled(" ".join(rest)) if rest else None
            if numerator is None or whole is None:
                return None
            return numerator * whole / DENOMINATORS[words[at]]
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("a", "an"):
            if words[index + 1 : index + 2] == ["half"]:
                current += Decimal("0.5")
                index += 2
                seen = True
                continue
            current = current or Decimal(1)
        elif word == "and":
            pass
        elif word in SMALL:
            current += SMALL[word]
            seen = True
        elif word == "dozen":
            current = (current or Decimal(1)) * 12
            seen = True
        elif word == "hundred":
            current = (current or Decimal(1)) * 100
            seen = True
        elif word in SCALES:
            total += (current or Decimal(1)) * SCALES[word]
            current = Decimal(0)
            seen = True
        else:
            return None
        index += 1
    return total + current if seen else None


def parse_number(text: str) -> Decimal | None:
    """Parse digits or number words."""
    stripped = text.strip()
    if stripped[:1].isdigit() or stripped[:1] == ".":
        return parse_digits(stripped)
    return parse_spelled(stripped)


GLUED_CODES = (
    "USD EUR GBP JPY CNY HKD SGD AUD CAD NZD INR CHF KRW TWD RMB BTC ETH SEK NOK DKK ZAR AED"
)
"""Currency codes written glued to the digits ("90USD", "500EUR"); upper case only."""
_ATTACHED = (
    "billion|million|trillion|thousand|crores?|lakhs?|bn|mn|mln|bln|tn|trn|bps|bp|pc|k|m|b|t|x|p"
    f"|(?-i:{GLUED_CODES.replace(' ', '|')})"
)
NUMBER_PATTERN = (
    rf"(?:(?P<digits>{DIGITS_PATTERN})(?P<attached>{_ATTACHED})?"
    rf"(?![^\W元円]|[.,:/]\d)|(?P<spelled>{SPELLED_PATTERN})(?=-?fold\b|[^\w]|\Z))"
)
"""Digits with an attached magnitude ("1.2bn", "£7.2billion", "13K", "Rs500crore"), multiplier
("3x"), percent ("5pc", "25bp"), pence ("30p") or currency code ("90USD"); or a run of words."""
CANDIDATE_RE = re.compile(
    r"(?:(?<![\w.,/:%'’])(?P<sign>[-−])(?=[\d.])|(?<![\d.,/:%'’\-−]))" + NUMBER_PATTERN,
    re.IGNORECASE,
)
"""A number in digits or words, optionally signed; context decides whether it is a figure."""


ARTICLE_SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen"})
"""Scale words that take "a" ("a million"); alone ("several hundred") they are no number."""

_MAG_WORD_RE = re.compile(
    r"[ -]?(thousand|million|billion|trillion|bn|mn|mln|bln|mil|bil|tn|lakhs?|crores?)\b", re.I
)
_CRORE_RE = re.compile(r"[ -]crores?\b", re.IGNORECASE)


@dataclass(slots=True)
class Amount:
    """A number with its magnitude applied, before its label is known."""

    value: Decimal
    end: int
    has_magnitude: bool
    attached: str


def read_amount(match: re.Match[str], text: str) -> Amount | None:
    """The value of a :data:`NUMBER_PATTERN` match, with a magnitude word that follows it."""
    attached = (match.group("attached") or "").lower()
    end = match.end()
    if match.group("digits") is not None:
        value = parse_digits(match.group("digits"))
        magnitude = 1
        if attached in MAGNITUDES:
            magnitude = MAGNITUDES[attached]
        elif not attached and (mag := _MAG_WORD_RE.match(text, end)):
            magnitude = MAGNITUDES[mag.group(1).lower()]
            end = mag.end()
            if mag.group(1).lower() in ("lakh", "lakhs", "thousand") and (
                crore := _CRORE_RE.match(text, end)
            ):
                magnitude, end = magnitude * MAGNITUDES["crore"], crore.end()  # "2.2 lakh crore"
        if value is None:
            return None
        return Amount(value * magnitude, end, magnitude > 1, attached)
    spelled = match.group("spelled")
    if spelled.split(None, 1)[0].lower() in ARTICLE_SCALES:
        return None  # "several hundred roles": a bare scale word is no number of its own
    # "one and two" is two numbers; "and" only joins after a scale word or before "a half".
    cut = re.search(r"(?<![a-z])(\w+)[\s-]+and\s+(?!a\s+half)", spelled, re.IGNORECASE)
    if cut and cut.group(1).lower() not in SCALES:
        spelled = spelled[: cut.start(1) + len(cut.group(1))]
        end = match.start("spelled") + len(spelled)
    value = parse_spelled(spelled)
    if value is None:
        return None
    words = spelled.lower().split()
    has_mag = any(w in SCALES and w != "hundred" for w in words)
    if mag := _MAG_WORD_RE.match(text, end):  # "two point five billion"
        value, end, has_mag = value * MAGNITUDES[mag.group(1).lower()], mag.end(), True
    return Amount(value, end, has_mag, "")
