"""A bare "$", "cents", "dollars" and "¥" get their currency from the article's evidence, or none.

Each row is a sentence in the style of one newsroom, the context it was published in, the figure,
the currency it must get, and words its ``currency_reason`` must contain.
"""

from __future__ import annotations

import pytest

from tests.core.figure_support import only_figure
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import find_figures
from tui.core.extract.publications import from_title, from_url, publication

AFR = FigureContext(source="The Australian Financial Review")
SMH = FigureContext(url="https://www.smh.com.au/business/banking/cba")
GLOBE = FigureContext(source="The Globe and Mail")
CP = FigureContext(source="The Canadian Press")
ST = FigureContext(source="The Straits Times")
NZH = FigureContext(url="https://www.nzherald.co.nz/business/fonterra")
SCMP = FigureContext(source="South China Morning Post")
BBC = FigureContext(url="https://www.bbc.co.uk/news/business-1")
ET = FigureContext(source="The Economic Times")
MINT = FigureContext(url="https://www.livemint.com/markets/x")
HANDELSBLATT = FigureContext(source="Handelsblatt")
NIKKEI = FigureContext(source="Nikkei Asia")
NONE = FigureContext()

# (text, context, span, currency, words in the reason)
BARE_DOLLARS = [
    # the publication decides
    ("Commonwealth Bank earned $2.8 billion in the half.", AFR, "$2.8 billion", "AUD",
     "Australian"),
    ("Westpac will cut 1,000 roles to save $500 million.", SMH, "$500 million", "AUD",
     "smh.com.au"),
    ("Royal Bank set aside $1.1 billion for bad loans.", GLOBE, "$1.1 billion", "CAD", "Canadian"),
    ("Gas rose 12 cents a litre overnight.", CP, "12 cents", "CAD", "Canadian"),
    ("DBS posted a net profit of $2.97 billion.", ST, "$2.97 billion", "SGD", "Singaporean"),
    ("Fonterra lifted its forecast to $8.50 a kilogram.", NZH, "$8.50", "NZD", "New Zealand"),
    ("Sun Hung Kai sold 300 flats for $2.5 billion.", SCMP, "$2.5 billion", "HKD", "Hong Kong"),
    ("Oil rose to $84 a barrel.", BBC, "$84", "USD", "US dollar"),
    ("Infosys won a $1.5 billion contract.", ET, "$1.5 billion", "USD", "Indian"),
    ("Adani raised $750 million from a bond sale.", MINT, "$750 million", "USD", "Indian"),
    ("SAP paid $2 billion for the US firm.", HANDELSBLATT, "$2 billion", "USD", "euro-area"),
    ("the company spent 5 dollars per unit.", GLOBE, "5 dollars", "CAD", "Canadian"),
    # a conversion right after another currency is the US dollar
    ("OASES drew HK$50 billion ($6.37 billion) in pledges.", NONE, "$6.37 billion", "USD",
     "conversion"),
    ("The deal is worth £2bn, or about $2.5bn.", NONE, "$2.5bn", "USD", "conversion"),
    ("Sales reached €5 billion ($5.4 billion).", ST, "$5.4 billion", "USD", "conversion"),
    # ... unless the amount before it is in US dollars: then it is the home dollar
    ("BHP will spend $US4.2 billion ($6.5 billion) on Jansen.", AFR, "$6.5 billion", "AUD",
     "conversion"),
    # an explicit dollar in the same sentence
    ("The A$5 billion float values Virgin at $2 billion more.", NONE, "$2 billion", "AUD",
     "same sentence"),
    ("Revenue rose to 3.1 billion Canadian dollars from $2.8 billion.", NONE, "$2.8 billion",
     "CAD", "same sentence"),
    # the same amount written with an explicit dollar elsewhere (a headline's shorthand)
    ("Tech Revival: $50B Investments\nOASES drew HK$50 billion in pledges.", NONE, "$50B", "HKD",
     "same amount"),
    # one kind of explicit dollar elsewhere in the article
    ("Keppel sold S$1.2 billion of assets.\nIt will return $300 million to holders.", NONE,
     "$300 million", "SGD", "same article"),
    # a paper's own dollar wins over another country's dollar it names elsewhere
    ("Fletcher sold its NZ$400 million unit.\nIt earned $900 million.", AFR, "$900 million",
     "AUD", "Australian"),
    # front matter and the user's default
    ("It raised $40 million.", FigureContext(currency="AUD"), "$40 million", "AUD",
     "front matter"),
    ("It raised $40 million.", FigureContext(default_currency="CAD"), "$40 million", "CAD",
     "default"),
    ("It raised $40 million.", FigureContext(default_currency="GBP"), "$40 million", "USD",
     "default"),
    # unknown, with the reason
    ("The company said it had $300 million in cash.", NONE, "$300 million", None,
     "no evidence of which dollar"),
    ("Fees rose to 15 cents a share.", NONE, "15 cents", None, "unknown"),
    ("Shopify earned US$1.2 billion.\nIt holds $900 million in cash.", NONE, "$900 million", None,
     "US$"),
    ("Reuters said $2 billion had left funds.", FigureContext(source="Reuters"), "$2 billion",
     None, "unknown"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "context", "span", "currency", "reason"), BARE_DOLLARS)
def test_bare_dollar(
    text: str, context: FigureContext, span: str, currency: str | None, reason: str
) -> None:
    figure = only_figure(text, span, context)
    assert figure["currency"] == currency, figure["currency_reason"]
    assert reason in figure["currency_reason"]


# (text, context, span, currency, words in the reason): "¥" is decided per figure
YEN_OR_YUAN = [
    ("Japan's government raised ¥1.6 trillion, while China's stimulus totals 500 billion yuan.",
     NONE, "¥1.6 trillion", "JPY", "Japan's"),
    ("China's stimulus totals ¥500 billion; Japan's budget rose 3%.", NONE, "¥500 billion",
     "CNY", "China's"),
    ("SoftBank shares in Tokyo jumped after a ¥500 billion buyback.", NONE, "¥500 billion", "JPY",
     "Tokyo"),
    ("The yuan weakened as Beijing added ¥300 billion in credit.", NONE, "¥300 billion", "CNY",
     "yuan"),
    ("Toyota's bond raised ¥50 billion.", NIKKEI, "¥50 billion", "JPY", "Japanese"),
    ("Exports to China hit a record.\nTokyo approved ¥2 trillion of spending.", NONE,
     "¥2 trillion", "JPY", "Tokyo"),
    ("Beijing cut rates.\nThe yen fell.\nThe fund raised ¥80 billion.", NONE, "¥80 billion",
     "JPY", "yen"),
    ("The fund raised ¥80 billion.", NONE, "¥80 billion", None, "no evidence of yen or yuan"),
    ("MUFG lifted its forecast to ¥2 trillion.\nShares in Shanghai fell.", NONE, "¥2 trillion",
     None, "no evidence"),
    ("The fund raised ¥80 billion.", FigureContext(default_currency="JPY"), "¥80 billion", "JPY",
     "default"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "context", "span", "currency", "reason"), YEN_OR_YUAN)
def test_yen_or_yuan_per_figure(
    text: str, context: FigureContext, span: str, currency: str | None, reason: str
) -> None:
    figure = only_figure(text, span, context)
    assert figure["currency"] == currency, figure["currency_reason"]
    assert reason in figure["currency_reason"]


def test_two_yen_figures_in_one_article_can_differ() -> None:
    text = "Tokyo raised ¥1.6 trillion in bonds.\nBeijing's banks lent ¥2.1 trillion in yuan loans."
    assert [f["currency"] for f in find_figures(text)] == ["JPY", "CNY"]


def test_every_money_figure_has_a_reason_and_others_none() -> None:
    figures = find_figures("It earned €5 billion, up 4%, and hired 300 engineers.")
    assert [(f["label"], f["currency_reason"]) for f in figures] == [
        ("MONEY", "the currency is written with the amount"),
        ("PERCENT", None),
        ("COUNT", None),
    ]


def test_ambiguous_currency_name_takes_the_publication_when_it_fits() -> None:
    text = "The central bank sold 900 million pesos."
    assert only_figure(text, "900 million pesos", NONE)["currency"] is None
    mexican = FigureContext(url="https://www.eluniversal.com.mx/x", currency="MXN")
    assert only_figure(text, "900 million pesos", mexican)["currency"] == "MXN"


# (url or title, currency): what the publication table knows
PUBLICATIONS = [
    ("https://www.afr.com/x", "AUD"), ("https://www.abc.net.au/news/x", "AUD"),
    ("www.smh.com.au/x", "AUD"), ("https://www.cbc.ca/news", "CAD"),
    ("https://www.theglobeandmail.com/b", "CAD"), ("https://www.straitstimes.com/x", "SGD"),
    ("https://www.businesstimes.com.sg/x", "SGD"), ("https://www.stuff.co.nz/x", "NZD"),
    ("https://www.scmp.com/x", "HKD"), ("https://economictimes.indiatimes.com/x", "INR"),
    ("https://www.thehindu.com/x", "INR"), ("https://www.telegraph.co.uk/x", "GBP"),
    ("https://www.ft.com/content/x", "GBP"), ("https://www.irishtimes.com/x", "EUR"),
    ("https://www.lesechos.fr/x", "EUR"), ("https://asia.nikkei.com/x", "JPY"),
    ("https://www.wsj.com/x", "USD"),
]  # fmt: skip
TITLES = [
    ("The Australian", "AUD"), ("AFR", "AUD"), ("ABC", "AUD"), ("The Globe and Mail", "CAD"),
    ("The Canadian Press", "CAD"), ("The Straits Times", "SGD"), ("The Business Times", "SGD"),
    ("NZ Herald", "NZD"), ("The Economic Times", "INR"), ("Mint", "INR"), ("SCMP", "HKD"),
    ("Financial Times", "GBP"), ("The Guardian", "GBP"), ("Nikkei Asia", "JPY"),
    ("Caixin", "CNY"), ("Handelsblatt", "EUR"), ("The Wall Street Journal", "USD"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "currency"), PUBLICATIONS)
def test_publication_by_web_domain(url: str, currency: str) -> None:
    found = from_url(url)
    assert found is not None and found.home.currency == currency


@pytest.mark.parametrize(("title", "currency"), TITLES)
def test_publication_by_title(title: str, currency: str) -> None:
    found = from_title(title)
    assert found is not None and found.home.currency == currency


@pytest.mark.parametrize(
    ("source", "url"),
    [("Reuters", None), ("Bloomberg", "https://www.bloomberg.com/x"), ("Daily Telegraph", None),
     ("ABC News", None), (None, "not a url at all"), (None, "https://example.com/x")],
)  # fmt: skip
def test_publications_with_no_single_home_are_unknown(source: str | None, url: str | None) -> None:
    assert publication(source, url) is None


def test_the_url_wins_over_the_title() -> None:
    found = publication("The Guardian", "https://www.theguardian.com.au/x")
    assert found is not None and found.home.currency == "AUD"
