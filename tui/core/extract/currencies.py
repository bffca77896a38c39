"""Currency markers written before or after an amount, mapped to ISO 4217 codes.

``BARE_DOLLAR`` marks a plain "$" or "dollars" with no country: :mod:`.figures` resolves it (USD
unless the article writes the same amount with an explicit non-US dollar, see there).
"""

from __future__ import annotations

import re

BARE_DOLLAR = "$"
"""Placeholder currency for an unqualified dollar until the article-level rule resolves it."""

YEN_OR_YUAN = "¥"
"""Placeholder for "¥": CNY when the article also speaks of yuan/renminbi/RMB/CNY, else JPY."""

_DOLLAR_PREFIXES: dict[str, str] = {
    "hk": "HKD", "us": "USD", "u.s.": "USD", "s": "SGD", "sg": "SGD", "nt": "TWD",
    "a": "AUD", "au": "AUD", "c": "CAD", "ca": "CAD", "can": "CAD", "nz": "NZD",
    "r": "BRL", "mx": "MXN", "usd": "USD", "hkd": "HKD", "sgd": "SGD", "aud": "AUD",
    "cad": "CAD",
}  # fmt: skip
"""Letters written in front of "$" ("HK$", "US$", "S$"), lower-cased."""

SYMBOLS: dict[str, str] = {
    "€": "EUR", "£": "GBP", "¥": YEN_OR_YUAN, "￥": YEN_OR_YUAN, "₹": "INR", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "₫": "VND", "฿": "THB", "₱": "PHP", "₦": "NGN", "Rs": "INR",
    "Rs.": "INR",
}  # fmt: skip
"""Currency symbols other than the dollar family."""

ISO_CODES = frozenset(
    str.split(
        "USD HKD CNY EUR GBP JPY SGD AUD CAD TWD INR CHF KRW NZD BRL MXN ZAR SEK NOK DKK RUB TRY "
        "AED SAR MYR THB IDR PHP VND NGN ILS PLN"
    )
)
"""ISO 4217 codes recognised before or after an amount (upper case only: "cad" is a word)."""

_CODE_ALIASES = {"RMB": "CNY", "Rmb": "CNY", "rmb": "CNY", "CNH": "CNY", "RM": "MYR", "Rp": "IDR"}

_SUFFIX_WORDS: list[tuple[str, str, int]] = [
    (r"hong\s+kong\s+dollars?|hk\s+dollars?", "HKD", 1),
    (r"(?:us|u\.s\.|american)\s+dollars?", "USD", 1),
    (r"singapore\s+dollars?", "SGD", 1),
    (r"(?:new\s+)?taiwan(?:ese)?\s+dollars?", "TWD", 1),
    (r"australian\s+dollars?", "AUD", 1),
    (r"canadian\s+dollars?", "CAD", 1),
    (r"new\s+zealand\s+dollars?", "NZD", 1),
    (r"dollars?", BARE_DOLLAR, 1),
    (r"yuan|renminbi|rmb", "CNY", 1),
    (r"euros?", "EUR", 1),
    (r"pounds?\s+sterling|sterling|pounds?", "GBP", 1),
    (r"(?:japanese\s+)?yen", "JPY", 1),
    (r"(?:south\s+)?korean\s+won|won", "KRW", 1),
    (r"(?:indian\s+)?rupees?", "INR", 1),
    (r"(?:swiss\s+)?francs?", "CHF", 1),
    (r"ringgit", "MYR", 1),
    (r"baht", "THB", 1),
    (r"rupiah", "IDR", 1),
    (r"roubles?|rubles?", "RUB", 1),
    (r"dirhams?", "AED", 1),
    (r"riyals?", "SAR", 1),
    (r"cents?", BARE_DOLLAR, 100),
    (r"pence", "GBP", 100),
]
"""Currency words after an amount: (pattern, currency, minor-unit divisor)."""

_ISO = "|".join(sorted(ISO_CODES))
_DOLLAR_LETTERS = "|".join(
    re.escape(k) for k in sorted(_DOLLAR_PREFIXES, key=len, reverse=True) if len(k) > 1
)
_DOLLAR_LETTER = "|".join(k for k in _DOLLAR_PREFIXES if len(k) == 1)
_SYMBOL_ALT = "|".join(re.escape(k) for k in sorted(SYMBOLS, key=len, reverse=True))

PREFIX_RE = re.compile(
    rf"(?:(?<![A-Za-z])(?P<letters>(?i:{_DOLLAR_LETTERS})\s?|(?i:{_DOLLAR_LETTER}))\$"
    rf"|(?<![A-Za-z])(?P<dollar>\$)|(?P<symbol>{_SYMBOL_ALT})"
    rf"|(?<![A-Za-z])(?P<code>{_ISO}|RMB|Rmb|rmb|CNH|RM|Rp))\s?\Z"
)
"""A currency marker ending right where the amount starts (search it on the text just before)."""

SUFFIX_RE = re.compile(
    "|".join(
        f"(?P<w{i}>(?i:{pattern}))(?![A-Za-z])" for i, (pattern, _, _) in enumerate(_SUFFIX_WORDS)
    )
    + rf"|(?P<symbol>[€£])|(?P<code>(?:{_ISO}|RMB)(?![A-Za-z]))"
)
"""A currency marker right after an amount and its magnitude (match it after one space)."""

CHINESE_CURRENCY_RE = re.compile(r"\b(?:yuan|renminbi|RMB|CNY|Rmb)\b", re.IGNORECASE)
"""An article that names the Chinese currency reads "¥" as CNY."""

EXPLICIT_DOLLARS = frozenset({"HKD", "SGD", "TWD", "AUD", "CAD", "NZD", "BRL", "MXN"})
"""Non-US dollars that a bare "$" in the same article may be shorthand for."""


def prefix_currency(match: re.Match[str]) -> str:
    """ISO code (or a placeholder) for a :data:`PREFIX_RE` match."""
    if match.group("letters"):
        return _DOLLAR_PREFIXES[match.group("letters").strip().lower()]
    if match.group("dollar"):
        return BARE_DOLLAR
    if match.group("symbol"):
        return SYMBOLS[match.group("symbol")]
    code = match.group("code")
    return _CODE_ALIASES.get(code, code)


def suffix_currency(match: re.Match[str]) -> tuple[str, int]:
    """(currency, minor-unit divisor) for a :data:`SUFFIX_RE` match."""
    for index, (_, currency, divisor) in enumerate(_SUFFIX_WORDS):
        if match.group(f"w{index}"):
            return currency, divisor
    if match.group("symbol"):
        return SYMBOLS[match.group("symbol")], 1
    code = match.group("code")
    return _CODE_ALIASES.get(code, code), 1
