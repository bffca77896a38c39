"""Which currency a publication's bare "$" means: a table of titles and web domains.

A paper writes its own country's money without a prefix ("$2.8 billion" in the Australian
Financial Review is Australian) and marks every other dollar ("US$", "$US", "NZ$"). A paper whose
home currency is not a dollar (British, Indian, euro-area, Japanese) writes a bare "$" only for the
US dollar. Wire services and global outlets (Reuters, Bloomberg, AFP) have no home currency and are
left out on purpose: their bare "$" must be decided by the article's own evidence.

Lookups are by web domain first (the URL is unambiguous), then by title. Titles that two
countries' papers share ("Daily Telegraph" in London and Sydney, "ABC News" in New York and
Sydney) are deliberately absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Home:
    """A publication's home currency and how to say where it is from."""

    currency: str
    """ISO 4217 code."""
    country: str
    """An adjective for the reason text: "Australian", "euro-area"."""


_HOMES = {
    "AUD": Home("AUD", "Australian"), "CAD": Home("CAD", "Canadian"),
    "SGD": Home("SGD", "Singaporean"), "NZD": Home("NZD", "New Zealand"),
    "HKD": Home("HKD", "Hong Kong"), "INR": Home("INR", "Indian"), "GBP": Home("GBP", "British"),
    "JPY": Home("JPY", "Japanese"), "CNY": Home("CNY", "mainland Chinese"),
    "EUR": Home("EUR", "euro-area"), "USD": Home("USD", "American"),
    "TWD": Home("TWD", "Taiwanese"), "MYR": Home("MYR", "Malaysian"),
    "PHP": Home("PHP", "Philippine"), "ZAR": Home("ZAR", "South African"),
    "KRW": Home("KRW", "South Korean"), "CHF": Home("CHF", "Swiss"),
}  # fmt: skip

_TITLES: dict[str, str] = {
    # Australia
    "australian financial review": "AUD", "afr": "AUD", "australian": "AUD",
    "sydney morning herald": "AUD", "smh": "AUD", "age": "AUD", "abc": "AUD",
    "australian broadcasting corporation": "AUD", "abc news australia": "AUD",
    "news.com.au": "AUD", "guardian australia": "AUD", "courier-mail": "AUD",
    "herald sun": "AUD", "west australian": "AUD", "business news australia": "AUD",
    # Canada
    "globe and mail": "CAD", "canadian press": "CAD", "toronto star": "CAD",
    "financial post": "CAD", "national post": "CAD", "cbc": "CAD", "cbc news": "CAD",
    "bnn bloomberg": "CAD", "montreal gazette": "CAD", "vancouver sun": "CAD",
    # Singapore
    "straits times": "SGD", "business times": "SGD", "channel newsasia": "SGD", "cna": "SGD",
    "edge singapore": "SGD",
    # New Zealand
    "nz herald": "NZD", "new zealand herald": "NZD", "stuff": "NZD", "rnz": "NZD",
    "businessdesk": "NZD", "otago daily times": "NZD",
    # Hong Kong
    "south china morning post": "HKD", "scmp": "HKD", "standard": "HKD", "rthk": "HKD",
    "hong kong free press": "HKD", "hong kong economic journal": "HKD",
    # India
    "economic times": "INR", "mint": "INR", "livemint": "INR", "business standard": "INR",
    "hindu": "INR", "hindu businessline": "INR", "times of india": "INR",
    "hindustan times": "INR", "financial express": "INR", "moneycontrol": "INR",
    "ndtv": "INR", "ndtv profit": "INR", "indian express": "INR",
    # United Kingdom
    "financial times": "GBP", "ft": "GBP", "guardian": "GBP", "times": "GBP",
    "sunday times": "GBP", "telegraph": "GBP", "bbc": "GBP", "bbc news": "GBP",
    "economist": "GBP", "evening standard": "GBP", "city a.m.": "GBP", "this is money": "GBP",
    "independent": "GBP",
    # Japan and mainland China
    "nikkei": "JPY", "nikkei asia": "JPY", "japan times": "JPY", "kyodo news": "JPY",
    "asahi shimbun": "JPY", "nhk": "JPY", "yomiuri shimbun": "JPY",
    "caixin": "CNY", "china daily": "CNY", "xinhua": "CNY", "global times": "CNY",
    "yicai": "CNY",
    # euro area
    "handelsblatt": "EUR", "les echos": "EUR", "irish times": "EUR", "irish independent": "EUR",
    "frankfurter allgemeine zeitung": "EUR", "faz": "EUR", "le monde": "EUR",
    "il sole 24 ore": "EUR", "el país": "EUR", "el pais": "EUR", "der spiegel": "EUR",
    "spiegel": "EUR", "rte": "EUR", "rté": "EUR", "euronews": "EUR",
    # United States
    "wall street journal": "USD", "wsj": "USD", "new york times": "USD",
    "washington post": "USD", "cnbc": "USD", "associated press": "USD", "ap": "USD",
    "usa today": "USD", "los angeles times": "USD", "barron's": "USD", "forbes": "USD",
    "fortune": "USD", "business insider": "USD", "marketwatch": "USD", "cnn": "USD",
    "fox business": "USD", "axios": "USD", "techcrunch": "USD", "webpronews": "USD",
}  # fmt: skip
"""Publication titles, lower case without a leading "the", mapped to their home currency."""

_DOMAINS: dict[str, str] = {
    "afr.com": "AUD", "theaustralian.com.au": "AUD", "abc.net.au": "AUD",
    "theglobeandmail.com": "CAD", "thestar.com": "CAD", "financialpost.com": "CAD",
    "nationalpost.com": "CAD", "bnnbloomberg.ca": "CAD",
    "straitstimes.com": "SGD", "businesstimes.com.sg": "SGD", "channelnewsasia.com": "SGD",
    "nzherald.co.nz": "NZD", "stuff.co.nz": "NZD", "rnz.co.nz": "NZD",
    "scmp.com": "HKD", "thestandard.com.hk": "HKD", "hongkongfp.com": "HKD",
    "indiatimes.com": "INR", "livemint.com": "INR", "business-standard.com": "INR",
    "thehindu.com": "INR", "thehindubusinessline.com": "INR", "hindustantimes.com": "INR",
    "financialexpress.com": "INR", "moneycontrol.com": "INR", "ndtv.com": "INR",
    "indianexpress.com": "INR",
    "ft.com": "GBP", "theguardian.com": "GBP", "thetimes.com": "GBP", "telegraph.co.uk": "GBP",
    "bbc.com": "GBP", "economist.com": "GBP", "standard.co.uk": "GBP", "cityam.com": "GBP",
    "independent.co.uk": "GBP",
    "nikkei.com": "JPY", "japantimes.co.jp": "JPY", "caixinglobal.com": "CNY",
    "chinadaily.com.cn": "CNY", "globaltimes.cn": "CNY",
    "handelsblatt.com": "EUR", "lesechos.fr": "EUR", "irishtimes.com": "EUR",
    "independent.ie": "EUR", "faz.net": "EUR", "lemonde.fr": "EUR", "spiegel.de": "EUR",
    "euronews.com": "EUR",
    "wsj.com": "USD", "nytimes.com": "USD", "washingtonpost.com": "USD", "cnbc.com": "USD",
    "apnews.com": "USD", "usatoday.com": "USD", "latimes.com": "USD", "barrons.com": "USD",
    "forbes.com": "USD", "fortune.com": "USD", "businessinsider.com": "USD",
    "marketwatch.com": "USD", "cnn.com": "USD", "foxbusiness.com": "USD", "axios.com": "USD",
    "techcrunch.com": "USD", "webpronews.com": "USD",
}  # fmt: skip
"""Web domains (a host matches the domain or any subdomain of it) and their home currency."""

_COUNTRY_TLDS: dict[str, str] = {
    "au": "AUD", "ca": "CAD", "sg": "SGD", "nz": "NZD", "hk": "HKD", "in": "INR", "uk": "GBP",
    "jp": "JPY", "cn": "CNY", "tw": "TWD", "my": "MYR", "ph": "PHP", "za": "ZAR", "kr": "KRW",
    "ch": "CHF", "ie": "EUR", "de": "EUR", "fr": "EUR", "it": "EUR", "es": "EUR", "nl": "EUR",
    "be": "EUR", "at": "EUR", "pt": "EUR", "fi": "EUR", "gr": "EUR", "lu": "EUR", "sk": "EUR",
    "si": "EUR", "ee": "EUR", "lv": "EUR", "lt": "EUR", "cy": "EUR", "mt": "EUR", "hr": "EUR",
}  # fmt: skip
"""Country-code top-level domains ("www.smh.com.au", "www.cbc.ca") and the country's currency."""

_TITLE_NOISE = re.compile(r"^the\s+|[\s,]+\(?(?:online|digital|edition)\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Publication:
    """A resolved publication: its home currency and the words that identified it."""

    home: Home
    named_by: str
    """The title or host that matched, for the reason text."""


def from_url(url: str | None) -> Publication | None:
    """The publication a URL's host belongs to, or None (no URL, or no known home)."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    if not host:
        return None
    for domain, code in _DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return Publication(_HOMES[code], host)
    country = _COUNTRY_TLDS.get(host.rsplit(".", 1)[-1])
    return Publication(_HOMES[country], host) if country else None


def from_title(source: str | None) -> Publication | None:
    """The publication a source title names ("The Straits Times"), or None."""
    if not source:
        return None
    name = _TITLE_NOISE.sub("", " ".join(source.split())).lower()
    code = _TITLES.get(name) or _TITLES.get(name.removesuffix(" newspaper"))
    return Publication(_HOMES[code], source.strip()) if code else None


def publication(source: str | None, url: str | None) -> Publication | None:
    """The article's publication from its URL, else its source title; None when unknown."""
    return from_url(url) or from_title(source)


def home_for(currency: str) -> Home:
    """A :class:`Home` for a currency code (for the user's default and front-matter overrides)."""
    return _HOMES.get(currency, Home(currency, currency))
