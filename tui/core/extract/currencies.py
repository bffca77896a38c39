"""Currency markers written before or after an amount, mapped to ISO 4217 codes.

``BARE_DOLLAR`` marks a plain "$", "dollars" or "cents" with no country; :mod:`.evidence` decides
it from the article (or leaves it unknown). Currency
names after an amount ("420 million Finnish markka", "five million yen") come from
:data:`NAMED`; a name several countries use with no country given ("500 million pesos") is money
with no ISO code (``None``) and the name kept as the unit. Minor units ("50 cents", "a 12-cent
dividend", "20 pence") carry a divisor so the value is in major units (0.5 USD). Signs may
come after the amount (:data:`SUFFIX_SYMBOLS`), and company reports scale a code with a letter
(:data:`SCALED_CODES`: "MEUR 120" is 120 million euros).
"""

from __future__ import annotations

import re

BARE_DOLLAR = "$"
"""Placeholder currency for an unqualified dollar until the article-level rule resolves it."""

PENNY = "p"
"""Placeholder for "penny"/"pennies": GBP in a text about pounds, else a US cent."""

YEN_OR_YUAN = "¥"
"""Placeholder for "¥": yen or yuan, decided per figure from the nearest evidence."""

PLACEHOLDERS = frozenset({BARE_DOLLAR, PENNY, YEN_OR_YUAN, None})
"""Money currencies that :func:`tui.core.extract.evidence.resolve_currencies` still decides."""

_DOLLAR_PREFIXES: dict[str, str] = {
    "hk": "HKD", "us": "USD", "u.s.": "USD", "u.s": "USD", "s": "SGD", "sg": "SGD",
    "nt": "TWD", "a": "AUD", "au": "AUD", "c": "CAD", "ca": "CAD", "can": "CAD", "nz": "NZD",
    "r": "BRL", "mx": "MXN", "mex": "MXN", "ar": "ARS", "col": "COP", "rd": "DOP", "j": "JMD",
    "tt": "TTD", "ec": "XCD", "fj": "FJD", "bds": "BBD",
    "usd": "USD", "hkd": "HKD", "sgd": "SGD", "aud": "AUD", "cad": "CAD", "nzd": "NZD",
    "twd": "TWD", "mxn": "MXN", "brl": "BRL", "ars": "ARS", "clp": "CLP", "ttd": "TTD",
    "jmd": "JMD",
}  # fmt: skip
"""Letters written in front of "$" ("HK$", "US$", "S$", "Mex$", "NZD$", tokenised "hk $"),
lower-cased. Several letters may stand apart from the "$" ("US $5", "hk $ 4.6 billion"); a single
letter must be glued to it: "S$500" is Singaporean, but in "the bank's $500" or tokenised
"bank 's $ 500" the "s" is a possessive, and "a $5 fee" is no Australian "A$5". So must the
letters of :data:`_GLUED_ONLY`, which are also word endings or words ("the 3rd $5m tranche").
"""

_GLUED_ONLY = frozenset({"mex", "ar", "col", "rd", "tt", "ec", "fj", "bds"})

SYMBOLS: dict[str, str] = {
    "€": "EUR", "£": "GBP", "¥": YEN_OR_YUAN, "￥": YEN_OR_YUAN, "₹": "INR", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "₫": "VND", "฿": "THB", "₱": "PHP", "₦": "NGN", "₪": "ILS",
    "₴": "UAH", "₡": "CRC", "₾": "GEL", "₭": "LAK", "₿": "BTC", "₮": "MNT", "₼": "AZN",
    "₸": "KZT", "₵": "GHS", "₲": "PYG", "Rs": "INR", "Rs.": "INR",
}  # fmt: skip
"""Currency symbols other than the dollar family, written before the amount."""

SUFFIX_SYMBOLS: dict[str, str] = {
    **{sign: code for sign, code in SYMBOLS.items() if len(sign) == 1 and code != YEN_OR_YUAN},
    "元": "CNY", "円": "JPY", "zł": "PLN", "Kč": "CZK",
}  # fmt: skip
"""Signs written after the amount: "10 €", "100 ₽", "100₾", "100,000 ₭", "100元" (yuan),
"500円" (yen), Polish "250 zł", Czech "90 Kč". A "¥" after a number is left alone (yen or yuan is
decided from a marker before the amount), as is "$" after one ("10 $ 30 $" reads either way)."""

SCALED_CODES = frozenset(
    str.split("EUR USD GBP SEK NOK DKK ISK CHF PLN CZK HUF AUD CAD NZD JPY CNY HKD SGD ZAR")
)
"""Codes that company reporting writes with a scale letter: "MEUR 120" and "120 MEUR" (million),
"MSEK 450", "kEUR 800", "KSEK", "TEUR 500" and "TDKK" (T for the German and Nordic "thousand").
"TUSD" is not one: it is the TrueUSD stablecoin."""
_NOT_SCALED = frozenset({"TUSD"})

CODE_SCALES = {"M": 10**6, "k": 10**3, "K": 10**3, "T": 10**3}
"""What the scale letter in front of a code multiplies by (see :data:`SCALED_CODES`)."""

ISO_CODES = frozenset(
    str.split(
        "USD HKD CNY EUR GBP JPY SGD AUD CAD TWD INR CHF KRW NZD BRL MXN ZAR SEK NOK DKK RUB TRY "
        "AED SAR MYR THB IDR PHP VND NGN ILS PLN CZK HUF RON BGN UAH EGP KES PKR BDT LKR ARS CLP "
        "COP PEN QAR KWD BHD OMR JOD MAD KZT ISK BTC ETH"
    )
)
"""ISO 4217 codes recognised before or after an amount (upper case only: "cad" is a word).

The crypto codes BTC and ETH are not ISO 4217 but are written the same way ("0.5 BTC").
"""

_CODE_ALIASES = {"RMB": "CNY", "Rmb": "CNY", "rmb": "CNY", "CNH": "CNY", "RM": "MYR", "Rp": "IDR"}

# Currency names after an amount: noun pattern -> (currency with no country word, minor-unit
# divisor, {country word: currency}). A ``None`` currency means the noun alone is ambiguous.
NAMED: dict[str, tuple[str | None, int, dict[str, str]]] = {
    r"euro[\s-]?cents?": ("EUR", 100, {}),
    r"dollars?": (BARE_DOLLAR, 1, {
        "hong kong": "HKD", "hk": "HKD", "us": "USD", "u.s.": "USD", "american": "USD",
        "singapore": "SGD", "taiwan": "TWD", "new taiwan": "TWD", "taiwanese": "TWD",
        "australian": "AUD", "canadian": "CAD", "new zealand": "NZD", "jamaican": "JMD",
        "namibian": "NAD", "brunei": "BND", "fijian": "FJD", "bahamian": "BSD",
        "east caribbean": "XCD", "liberian": "LRD", "zimbabwean": "ZWL"}),
    r"euros?": ("EUR", 1, {}),
    r"pounds?\s+sterling|sterling": ("GBP", 1, {}),
    r"pounds?": ("GBP", 1, {
        "british": "GBP", "egyptian": "EGP", "lebanese": "LBP", "syrian": "SYP",
        "sudanese": "SDG", "irish": "IEP"}),
    r"yen": ("JPY", 1, {"japanese": "JPY"}),
    r"yuan|renminbi|rmb": ("CNY", 1, {"chinese": "CNY"}),
    r"won": ("KRW", 1, {"korean": "KRW", "south korean": "KRW", "north korean": "KPW"}),
    r"rupees?": ("INR", 1, {
        "indian": "INR", "pakistani": "PKR", "sri lankan": "LKR", "nepalese": "NPR",
        "nepali": "NPR", "mauritian": "MUR"}),
    r"rupiah": ("IDR", 1, {"indonesian": "IDR"}),
    r"ringgit": ("MYR", 1, {"malaysian": "MYR"}),
    r"baht": ("THB", 1, {"thai": "THB"}),
    r"dong": ("VND", 1, {"vietnamese": "VND"}),
    r"pesos?": (None, 1, {
        "mexican": "MXN", "argentine": "ARS", "argentinian": "ARS", "philippine": "PHP",
        "chilean": "CLP", "colombian": "COP", "uruguayan": "UYU", "cuban": "CUP",
        "dominican": "DOP"}),
    r"reais": ("BRL", 1, {"brazilian": "BRL"}),
    r"reals?": (None, 1, {"brazilian": "BRL"}),
    r"francs?": ("CHF", 1, {
        "swiss": "CHF", "french": "FRF", "belgian": "BEF", "cfa": "XOF", "congolese": "CDF",
        "rwandan": "RWF", "guinean": "GNF"}),
    r"kronor|kronas?": ("SEK", 1, {"swedish": "SEK", "icelandic": "ISK"}),
    r"kroner|krone": (None, 1, {"danish": "DKK", "norwegian": "NOK"}),
    r"crowns?": (None, 1, {
        "swedish": "SEK", "norwegian": "NOK", "danish": "DKK", "czech": "CZK",
        "icelandic": "ISK", "estonian": "EEK", "slovak": "SKK"}),
    r"korun[ay]?": ("CZK", 1, {"czech": "CZK", "slovak": "SKK"}),
    r"zlotys?|zloties": ("PLN", 1, {"polish": "PLN"}),
    r"forints?": ("HUF", 1, {"hungarian": "HUF"}),
    r"lei": ("RON", 1, {"romanian": "RON", "moldovan": "MDL"}),
    r"leva|levs?": ("BGN", 1, {"bulgarian": "BGN"}),
    r"lir[ae]|liras": ("TRY", 1, {"turkish": "TRY", "italian": "ITL"}),
    r"roubles?|rubles?": ("RUB", 1, {"russian": "RUB", "belarusian": "BYN"}),
    r"hryvnias?|hryvnia": ("UAH", 1, {"ukrainian": "UAH"}),
    r"shekels?": ("ILS", 1, {"israeli": "ILS", "new israeli": "ILS"}),
    r"dirhams?": ("AED", 1, {"uae": "AED", "emirati": "AED", "moroccan": "MAD"}),
    r"riyals?": ("SAR", 1, {"saudi": "SAR", "qatari": "QAR", "omani": "OMR", "yemeni": "YER"}),
    r"rials?": (None, 1, {"iranian": "IRR", "omani": "OMR"}),
    r"dinars?": (None, 1, {
        "kuwaiti": "KWD", "bahraini": "BHD", "jordanian": "JOD", "iraqi": "IQD",
        "algerian": "DZD", "tunisian": "TND", "libyan": "LYD", "serbian": "RSD"}),
    r"rands?": ("ZAR", 1, {"south african": "ZAR"}),
    r"nairas?": ("NGN", 1, {"nigerian": "NGN"}),
    r"cedis?": ("GHS", 1, {"ghanaian": "GHS"}),
    r"shillings?": (None, 1, {
        "kenyan": "KES", "ugandan": "UGX", "tanzanian": "TZS", "somali": "SOS"}),
    r"schillings?": ("ATS", 1, {"austrian": "ATS"}),
    r"birr": ("ETB", 1, {"ethiopian": "ETB"}),
    r"kwacha": (None, 1, {"zambian": "ZMW", "malawian": "MWK"}),
    r"takas?": ("BDT", 1, {"bangladeshi": "BDT"}),
    r"kyats?": ("MMK", 1, {"burmese": "MMK", "myanmar": "MMK"}),
    r"tenge": ("KZT", 1, {"kazakh": "KZT", "kazakhstani": "KZT"}),
    r"lari": ("GEL", 1, {"georgian": "GEL"}),
    r"deutsche?\s*marks?|d-marks?": ("DEM", 1, {}),
    r"marks?": (None, 1, {"german": "DEM", "finnish": "FIM"}),
    r"markkaa?|markkas": ("FIM", 1, {"finnish": "FIM"}),
    r"guilders?": ("NLG", 1, {"dutch": "NLG"}),
    r"pesetas?": ("ESP", 1, {"spanish": "ESP"}),
    r"escudos?": ("PTE", 1, {"portuguese": "PTE"}),
    r"drachmas?|drachmae": ("GRD", 1, {"greek": "GRD"}),
    r"cents?": (BARE_DOLLAR, 100, {
        "us": "USD", "u.s.": "USD", "american": "USD", "singapore": "SGD", "australian": "AUD",
        "canadian": "CAD", "hong kong": "HKD", "new zealand": "NZD", "taiwan": "TWD"}),
    r"bitcoins?(?!\s+(?:miners?|mining|ETFs?|funds?|prices?|holders?|treasur\w*|network"
    r"|wallets?|addresses|transactions)\b)": ("BTC", 1, {}),
    r"pence": ("GBP", 100, {}),
    r"penny|pennies": (PENNY, 100, {}),
    r"kopecks?|kopeks?": ("RUB", 100, {}),
    r"paise": ("INR", 100, {}),
}  # fmt: skip
"""Currency names after an amount, with the country words that pin them down."""

AMBIGUOUS_WORDS = frozenset({"pounds", "pound", "marks", "mark", "won", "dong", "real", "reals"})
"""Names that are also ordinary words: money only after a magnitude or with a country word.

"pounds" is also money in a text that writes "£", pence or sterling ("2 pounds 10 pence").
"""

_ISO = "|".join(sorted(ISO_CODES))
_DOLLAR_LETTERS = "|".join(
    re.escape(k)
    for k in sorted(_DOLLAR_PREFIXES, key=len, reverse=True)
    if len(k) > 1 and k not in _GLUED_ONLY
)
_DOLLAR_LETTER = "|".join(
    k for k in sorted(_DOLLAR_PREFIXES, key=len, reverse=True) if len(k) == 1 or k in _GLUED_ONLY
)
_SYMBOL_ALT = "|".join(re.escape(k) for k in sorted(SYMBOLS, key=len, reverse=True))

_NAMES_BEFORE = {
    "euro": "EUR", "euros": "EUR", "rupees": "INR", "yuan": "CNY", "renminbi": "CNY",
    "yen": "JPY", "naira": "NGN", "ringgit": "MYR", "baht": "THB", "rupiah": "IDR",
    "dirhams": "AED", "shekels": "ILS", "reais": "BRL", "kronor": "SEK", "zlotys": "PLN",
}  # fmt: skip
"""Currency names a wire style writes before the amount ("Euro 500 million", "Rupees 80 crore").

Only capitalised or upper case: in lower case these are usually the currency in a market report.
"""
_NAME_ALT = "|".join(n.capitalize() + "|" + n.upper() for n in _NAMES_BEFORE)

_SCALED = rf"(?:(?!{'|'.join(_NOT_SCALED)})[MkKT](?:{'|'.join(sorted(SCALED_CODES))})|[Mk]€)"

PREFIX_RE = re.compile(
    r"(?:(?<![A-Za-z])\$(?P<after>US|A|AU|NZ|C|HK|S)\s?"
    rf"|(?<![A-Za-z'’])(?P<letters>(?i:{_DOLLAR_LETTERS})\s?|(?i:{_DOLLAR_LETTER}))\$"
    rf"|(?<![A-Za-z])(?P<dollar>\$)|(?P<symbol>{_SYMBOL_ALT})"
    rf"|(?<![A-Za-z])(?P<scaled>{_SCALED})"
    rf"|(?<![A-Za-z])(?P<code>{_ISO}|RMB|Rmb|rmb|CNH|RM|Rp)"
    rf"|(?<![A-Za-z])(?P<name>{_NAME_ALT})\s)\s?\Z"
)
"""A currency marker ending right where the amount starts (search it on the text just before)."""

RANGE_MARKER_RE = re.compile(
    rf"(?:(?i:hk|us|s|nt|a|c|nz)?\$|[€£¥₹₩₽₺₫฿₱₦₪₴]"
    rf"|(?:{_SCALED}|{_ISO}|RMB|Rs\.?)(?![A-Za-z]) ?)"
)
"""A currency marker that the upper end of a range repeats ("between MSEK 200 and MSEK 250",
"₹500-₹600 crore", "CHF 2-CHF 3 billion"); :data:`PREFIX_RE` then reads it."""

_NOUNS = list(NAMED)
_SUFFIX_SYMBOL_ALT = "|".join(re.escape(k) for k in sorted(SUFFIX_SYMBOLS, key=len, reverse=True))
_COUNTRY_WORDS = sorted({c for _, _, by in NAMED.values() for c in by}, key=len, reverse=True)
_COUNTRY_ALT = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in _COUNTRY_WORDS)
SUFFIX_RE = re.compile(
    rf"(?:(?P<country>(?i:{_COUNTRY_ALT}))[\s-]+)?(?:"
    + "|".join(f"(?P<n{i}>(?i:{noun}))" for i, noun in enumerate(_NOUNS))
    + rf")(?![A-Za-z])|(?P<symbol>{_SUFFIX_SYMBOL_ALT})(?![A-Za-z])"
    rf"|(?P<scaled>{_SCALED})(?![A-Za-z\d])|(?P<code>(?:{_ISO}|RMB)(?![A-Za-z\d]))"
)
"""A currency marker right after an amount and its magnitude (match it after one space).

A code glued to the digits after it ("3 USD50 cards") is that number's prefix, not a suffix."""

MULTIWORD_FIRST = frozenset(
    {c.split()[0] for c in _COUNTRY_WORDS}
    | {"deutsche", "d", "euro", "pound", "pounds", "bitcoin", "bitcoins"}
)
"""Lower-case first words of markers that depend on the words after them ("hong" of "Hong Kong
dollars", "deutsche marks", "bitcoin" unless "miners" follows): a failed match after one of
these says nothing about the next."""

BRITISH_RE = re.compile(r"£|\b(?:sterling|pence|GBP)\b", re.IGNORECASE)
"""Signs of British money in a text (a pound figure counts too, see :mod:`.evidence`)."""


def prefix_currency(match: re.Match[str]) -> str:
    """ISO code (or a placeholder) for a :data:`PREFIX_RE` match."""
    if match.group("after"):  # Australian press style: "$US4.2 billion", "$A5 billion"
        return _DOLLAR_PREFIXES[match.group("after").lower()]
    if match.group("letters"):
        return _DOLLAR_PREFIXES[match.group("letters").strip().lower()]
    if match.group("dollar"):
        return BARE_DOLLAR
    if match.group("symbol"):
        return SYMBOLS[match.group("symbol")]
    if match.group("name"):
        return _NAMES_BEFORE[match.group("name").lower()]
    if match.group("scaled"):
        return scaled_code(match.group("scaled"))[0]
    code = match.group("code")
    return _CODE_ALIASES.get(code, code)


def prefix_code(code: str) -> str:
    """The ISO code for a written code or alias ("RMB" -> CNY)."""
    return _CODE_ALIASES.get(code, code)


def suffix_currency(match: re.Match[str]) -> tuple[str | None, int, str | None]:
    """(currency, minor-unit divisor, name when the currency is unknown) for :data:`SUFFIX_RE`.

    Returns ``None`` as the currency only with the name ("pesos"); a country word that does not
    go with the noun ("Swiss pounds") is not a match and gives ``(None, 0, None)``.
    """
    if match.group("symbol"):
        return SUFFIX_SYMBOLS[match.group("symbol")], 1, None
    if match.group("scaled"):
        return scaled_code(match.group("scaled"))[0], 1, None
    if match.group("code"):
        code = match.group("code")
        return _CODE_ALIASES.get(code, code), 1, None
    index = next(i for i in range(len(_NOUNS)) if match.group(f"n{i}"))
    bare, divisor, by_country = NAMED[_NOUNS[index]]
    country = match.group("country")
    if country:
        code = by_country.get(" ".join(country.lower().split()))
        return (code, divisor, None) if code else (None, 0, None)
    if bare is None:
        return None, divisor, match.group(f"n{index}").lower()
    return bare, divisor, None


def scaled_code(marker: str) -> tuple[str, int]:
    """(currency, multiplier) of a scaled code: "MEUR" -> (EUR, 10**6), "TSEK" -> (SEK, 1000)."""
    code = marker[1:]
    return ("EUR" if code == "€" else code), CODE_SCALES[marker[0]]


def name_family(name: str) -> frozenset[str]:
    """The currencies a name several countries use may stand for ("pesos" -> MXN, ARS, ...)."""
    for noun, (_, _, by_country) in NAMED.items():
        if re.fullmatch(noun, name, re.IGNORECASE):
            return frozenset(by_country.values())
    return frozenset()
