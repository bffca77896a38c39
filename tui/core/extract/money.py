"""What follows or wraps a money amount: cents that complete it, accounting parentheses, a rate.

Pure string rules used by :mod:`.figures`:

* "3 dollars 50 cents", "five dollars and twenty cents", "£4 and 20p" are one amount (3.5).
* "($1,250.40)" standing alone is an accounting negative. A parenthesised amount right after
  another amount ("HK$1,000 ($127.50)", "2 BTC ($190,000)") is a conversion, and one with a
  magnitude word or no cents or separators ("(US$129 million)", "a fee (£25)") is an aside;
  both stay positive.
* "$15/hour" is a rate: the span takes "/hour" and ``unit`` is "per hour"; "$15 an hour" and
  "$80 per barrel" keep the span on the amount and set the same ``unit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tui.core.extract.numbers import SMALL, parse_spelled

_TENS = "|".join(sorted(SMALL, key=len, reverse=True))
_CENTS_RE = re.compile(
    rf"\s+(?:and\s+)?(?P<n>\d{{1,2}}|(?:{_TENS})(?:[\s-](?:{_TENS}))?)"
    r"(?:\s*(?:cents?|pence)|p)(?![A-Za-z])",
    re.IGNORECASE,
)
_MAJOR_WORD_RE = re.compile(r"(?:dollars?|euros?|pounds?)\Z", re.IGNORECASE)
_SYMBOL_FIRST_RE = re.compile(r"[-−]?(?:[A-Za-z]{1,3}\s?)?[$€£]")
_RATE_WORDS = (
    "hour|day|week|month|year|share|barrel|ounce|tonne|ton|kilogram|kg|pound|gallon|litre|liter"
    "|person|head|night|unit|mile|kilometre|kilometer|square foot|square metre|square meter"
    "|megawatt-hour|megawatt hour|kilowatt-hour|kilowatt hour|seat|ticket|passenger|employee|user"
    "|subscriber|customer|household|student|dose|device|capita|annum|dollar|euro"
)
_RATE_WORD_RE = re.compile(
    rf"(?P<slash>/(?P<abbr>[A-Za-z]{{1,12}})(?![\w/$]))|[ -](?:per|an?)[ -](?P<word>{_RATE_WORDS})"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_AFTER_AMOUNT_RE = re.compile(
    r"(?:\d|million|billion|trillion|thousand|bn|mn|m|k|yuan|yen|dollars?|euros?|pounds?|won"
    r"|rupees?|pesos?|francs?|(?-i:[A-Z]{3}))\s*\Z",
    re.IGNORECASE,
)


@dataclass(slots=True)
class MoneyTail:
    """Adjustments to a money amount: a new end, cents to add, a sign and a rate unit."""

    end: int
    cents: Decimal
    negative: bool
    rate: str | None


def money_tail(text: str, start: int, end: int, number: str, has_magnitude: bool) -> MoneyTail:
    """Read cents, accounting parentheses and a per-unit rate around the amount ``start:end``.

    ``number`` is the amount's digits or words as written; cents complete only a whole amount
    written with a major unit ("3 dollars 50 cents", "$3 and 50 cents").
    """
    cents = Decimal(0)
    if not has_magnitude and "." not in number:
        major = _MAJOR_WORD_RE.search(text, max(0, end - 8), end) or _SYMBOL_FIRST_RE.match(
            text, start
        )
        if major and (found := _CENTS_RE.match(text, end)):
            n = found.group("n")
            value = Decimal(n) if n.isdigit() else parse_spelled(n)
            if value is not None and value < 100:
                cents, end = value / 100, found.end()
    negative = (
        start > 0
        and text[start - 1] == "("
        and text[end : end + 1] == ")"
        and not has_magnitude
        and bool(re.search(r"[.,]\d", number))
        and not _AFTER_AMOUNT_RE.search(text, max(0, start - 20), start - 1)
    )
    rate = None
    if found_rate := _RATE_WORD_RE.match(text, end):
        if found_rate.group("slash"):
            rate, end = f"per {found_rate.group('abbr').lower()}", found_rate.end()
        else:
            rate = f"per {' '.join(found_rate.group('word').lower().replace('-', ' ').split())}"
    return MoneyTail(end, cents, negative, rate)
