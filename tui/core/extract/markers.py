"""Currency markers around an amount in running text: "HK$" before it, "yen" or "USD" after it.

Pure string rules used by :mod:`.figures`; the marker vocabulary lives in :mod:`.currencies`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tui.core.extract import currencies as cur
from tui.core.extract.numbers import MAGNITUDES, Amount

_CODE_MAGNITUDE_RE = re.compile(r"[ -](million|billion|trillion|thousand|bn|mn|mln)\b", re.I)
_MARKER_HINT_RE = re.compile(r"[$€£¥￥₹₩₽₺₫฿₱₦₪₴₡₾₭₿₮₼₸₵₲A-Z]|rmb")
_FIRST_WORD_RE = re.compile(r"[A-Za-z]+")
_NO_MARKER_WORDS: set[str] = set()
"""Words with the character after them (exact case: codes are upper case only) where
:data:`~.currencies.SUFFIX_RE` was seen to fail: it fails again. Words whose match depends on
what follows them are never added: "Hong" of "Hong Kong dollars", "bitcoin" before "miners", and
letters followed by a digit or another letter ("3 USD50 cards", "złoty" beside "250 zł")."""


@lru_cache(maxsize=16)
def _writes_british_money(text: str) -> bool:
    """True when ``text`` writes "£", pence or sterling; once per text, not once per "pounds"."""
    return bool(cur.BRITISH_RE.search(text))


def currency_before(
    text: str, start: int, amount: Amount, number: str
) -> tuple[str, int, int] | None:
    """(currency, start of its marker, multiplier) when a currency marker ends at ``start``.

    A name before the amount needs a magnitude or a written-out figure: "Euro 500 million" is
    money, "Euro 2024" a tournament. The multiplier is a scaled code's ("MEUR 120" is 120
    million), 1 otherwise and when the amount has its own magnitude.
    """
    window = text[max(0, start - 16) : start]
    head = window.rstrip(" ")
    if not _MARKER_HINT_RE.search(head, head.rfind(" ") + 1):
        return None  # every marker's last word has a symbol, a capital or "rmb": skip the search
    match = cur.PREFIX_RE.search(window)
    if not match:
        return None
    if match.group("name") and not (amount.has_magnitude or "," in number or "." in number):
        return None
    multiplier = 1
    if match.group("scaled") and not amount.has_magnitude:
        multiplier = cur.scaled_code(match.group("scaled"))[1]
    return cur.prefix_currency(match), start - len(window) + match.start(), multiplier


def currency_after(text: str, end: int, amount: Amount) -> After | None:
    """The currency marker that follows ``end`` (after a space, or a hyphen for "15-cent")."""
    gap = text[end : end + 1]
    pos = end + 1 if gap in (" ", "-") else end
    first = _FIRST_WORD_RE.match(text, pos)
    word_key = text[pos : first.end() + 1] if first else None
    if word_key in _NO_MARKER_WORDS:
        return None
    match = cur.SUFFIX_RE.match(text, pos)
    if not match:
        if (
            first is not None
            and word_key is not None
            and not word_key[-1].isalnum()  # "USD50", "złoty": the letters go on, so may fail
            and first.group(0).lower() not in cur.MULTIWORD_FIRST
            and len(_NO_MARKER_WORDS) < 50_000
        ):
            _NO_MARKER_WORDS.add(word_key)  # "people ", "jobs,": never the start of a marker
        return None
    if match.group("symbol") is None and pos == end and text[end : end + 1].isalpha():
        return None
    currency, divisor, name = cur.suffix_currency(match)
    if divisor == 0:
        return None  # "Swiss pounds": a country word that does not go with the noun
    word = match.group(0).lower()
    if gap == "-" and (match.group("symbol") or word in cur.AMBIGUOUS_WORDS):
        return None  # "a 200-pound man"
    british = word.startswith("pound") and _writes_british_money(text)
    if word in cur.AMBIGUOUS_WORDS and not amount.has_magnitude and not british:
        return None  # "lost 20 pounds", "won 3 games": money only with a magnitude
    found_end, multiplier = match.end(), 1
    mag = _CODE_MAGNITUDE_RE.match(text, found_end) if match.group("code") else None
    if mag and not amount.has_magnitude:  # "40 USD million"
        found_end, multiplier = mag.end(), MAGNITUDES[mag.group(1).lower()]
    elif match.group("scaled") and not amount.has_magnitude:  # "120 MEUR", "800 kEUR"
        multiplier = cur.scaled_code(match.group("scaled"))[1]
    return After(currency, divisor, found_end, name, multiplier)


@dataclass(slots=True)
class After:
    """A currency marker after an amount: ISO code (None when ambiguous), divisor, end, name."""

    currency: str | None
    divisor: int
    end: int
    name: str | None
    multiplier: int = 1
    """A magnitude after a code ("40 USD million")."""
