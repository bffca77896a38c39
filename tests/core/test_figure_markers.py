"""Currency markers the world's press writes: signs after the amount, scaled codes, "Mex$".

One parametrized table per class, written for this project from the styles of many countries'
papers and company reports (no peer-suite sentence). The currency here comes from the figure's
own marker, so no article context is passed.
"""

from __future__ import annotations

import pytest

from tests.core.figure_support import only_figure
from tui.core.extract.figures import find_figures

# (text, span, value, currency)
SIGNS = [
    # signs written after the amount, as local style writes them
    ("Tbilisi flats start at 150,000 ₾ this year", "150,000 ₾", 150000, "GEL"),
    ("the new fare is 2.5₾ per ride", "2.5₾", 2.5, "GEL"),
    ("a bowl of noodles costs 25,000 ₭ in Vientiane", "25,000 ₭", 25000, "LAK"),
    ("Moscow cafés charge 350 ₽ for a coffee", "350 ₽", 350, "RUB"),
    ("the monthly pass rose to 3,000 ₸ in Almaty", "3,000 ₸", 3000, "KZT"),
    ("Ulaanbaatar rents average 1,200,000 ₮", "1,200,000 ₮", 1200000, "MNT"),
    ("a litre of petrol is 1.10 ₼ in Baku", "1.10 ₼", 1.1, "AZN"),
    ("a bánh mì for 25,000 ₫ in Hanoi", "25,000 ₫", 25000, "VND"),
    ("the fee is 90 Kč at the counter", "90 Kč", 90, "CZK"),
    ("a Warsaw tram pass costs 250 zł a year", "250 zł", 250, "PLN"),
    ("tickets cost 60 € at the door", "60 €", 60, "EUR"),
    # yuan and yen characters after the amount
    ("the set meal is 38元 in Chengdu", "38元", 38, "CNY"),
    ("a bento for 500円 at Tokyo station", "500円", 500, "JPY"),
    ("Shenzhen sellers asked 1,299元 for the phone", "1,299元", 1299, "CNY"),
    # signs written before the amount
    ("San José flats rent for ₡450,000 a month", "₡450,000", 450000, "CRC"),
    ("Accra's budget adds ₵2.1 billion for roads", "₵2.1 billion", 2.1e9, "GHS"),
    ("Asunción's exporters earned ₲7 billion", "₲7 billion", 7e9, "PYG"),
    ("the fund held ₿1,200 at the end of June", "₿1,200", 1200, "BTC"),
    ("the supply is capped at ₿21 million", "₿21 million", 2.1e7, "BTC"),
]


@pytest.mark.parametrize(("text", "span", "value", "currency"), SIGNS)
def test_currency_signs_before_and_after_the_amount(
    text: str, span: str, value: float, currency: str
) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", value, currency)


# (text, span, value, currency): M = million; k, K and T (German/Nordic "Tausend") = thousand
SCALED_CODES: list[tuple[str, str, float | None, str | None]] = [
    ("Nokia booked MEUR 120 of restructuring costs", "MEUR 120", 1.2e8, "EUR"),
    ("net sales rose to 1,450 MEUR in the quarter", "1,450 MEUR", 1.45e9, "EUR"),
    ("operating profit was MSEK 450 (MSEK 390)", "MSEK 450", 4.5e8, "SEK"),
    ("Equinor paid MNOK 75.5 in fees", "MNOK 75.5", 7.55e7, "NOK"),
    ("Ørsted's impairment of DKK 28.4bn", "DKK 28.4bn", 2.84e10, "DKK"),
    ("the grant totals kEUR 800 over three years", "kEUR 800", 8e5, "EUR"),
    ("personnel expenses of TEUR 500 in Vienna", "TEUR 500", 5e5, "EUR"),
    ("revenue of 12,300 TDKK for the subsidiary", "12,300 TDKK", 1.23e7, "DKK"),
    ("cash of KSEK 9,800 at year end", "KSEK 9,800", 9.8e6, "SEK"),
    ("Volvo's loss of SEK 3.2bn", "SEK 3.2bn", 3.2e9, "SEK"),
    ("a contract worth twenty MUSD", "twenty MUSD", 2e7, "USD"),
    ("Roche set aside MCHF 310", "MCHF 310", 3.1e8, "CHF"),
    ("a subsidy of 120 M€ for Toulouse", "120 M€", 1.2e8, "EUR"),
    ("the start-up raised 800 k€ in Lyon", "800 k€", 8e5, "EUR"),
    ("the exchange holds 500 TUSD", "500 TUSD", None, None),  # TrueUSD, no "thousand USD"
]


@pytest.mark.parametrize(("text", "span", "value", "currency"), SCALED_CODES)
def test_scaled_codes_of_company_reporting(
    text: str, span: str, value: float | None, currency: str | None
) -> None:
    if value is None:
        assert not any(f["text"] == span for f in find_figures(text))
        return
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", value, currency)


# (text, span, value, currency)
CODES_WITH_DOLLAR = [
    ("Cemex will sell Mex$ 10 million of notes", "Mex$ 10 million", 1e7, "MXN"),
    ("a MXN$500 fine in Monterrey", "MXN$500", 500, "MXN"),
    ("Fonterra's NZD$1.2 billion payout", "NZD$1.2 billion", 1.2e9, "NZD"),
    ("the bonds pay U.S.$ 5 million a year", "U.S.$ 5 million", 5e6, "USD"),
    ("Petrobras raised US $ 2 billion", "US $ 2 billion", 2e9, "USD"),
    ("a fare of J$2,500 in Kingston", "J$2,500", 2500, "JMD"),
    ("Santo Domingo's RD$3.5 billion budget", "RD$3.5 billion", 3.5e9, "DOP"),
    ("Bogotá's COL$900 billion metro", "COL$900 billion", 9e11, "COP"),
    ("Port of Spain spent TT$1.1 billion", "TT$1.1 billion", 1.1e9, "TTD"),
    ("Buenos Aires fined the bank AR$40 million", "AR$40 million", 4e7, "ARS"),
    ("Taipei's NT$300 billion plan", "NT$300 billion", 3e11, "TWD"),
]


@pytest.mark.parametrize(("text", "span", "value", "currency"), CODES_WITH_DOLLAR)
def test_country_and_iso_codes_glued_to_a_dollar(
    text: str, span: str, value: float, currency: str
) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", value, currency)


# (text, span, value, currency): a code glued to the number after it is that number's prefix
GLUED_CODES = [
    ("Grab raised USD50m from investors", "USD50m", 5e7, "USD"),
    ("Siemens priced a EUR3.5bn bond", "EUR3.5bn", 3.5e9, "EUR"),
    ("HSBC set aside GBP1.2bn", "GBP1.2bn", 1.2e9, "GBP"),
    ("we are giving away 3 USD50 vouchers", "USD50", 50, "USD"),
    ("the 2 EUR100 notes were fakes", "EUR100", 100, "EUR"),
    ("the bank sold 4 HKD500 million notes", "HKD500 million", 5e8, "HKD"),
]


@pytest.mark.parametrize(("text", "span", "value", "currency"), GLUED_CODES)
def test_a_code_glued_to_a_number_is_its_prefix(
    text: str, span: str, value: float, currency: str
) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", value, currency)
    assert not any(f["text"].endswith(span[:3]) for f in find_figures(text))  # no "3 USD"


# (text, span, currency): one letter standing apart from "$" is a word, not a country prefix
LETTER_APART = [
    ("country music 's $ 500 million star", "$ 500 million", None),
    ("the bank’ s $ 40 million fine", "$ 40 million", None),
    ("Tesla s $ 7 billion", "$ 7 billion", None),
    ("the club 's $ 90 million stadium", "$ 90 million", None),
    ("a $5 fee at the gate", "$5", None),
    ("DBS paid S$500 million", "S$500 million", "SGD"),
    ("Shopify's C$2 billion loss", "C$2 billion", "CAD"),
    ("Vale's R$6 billion payout", "R$6 billion", "BRL"),
    ("Qantas's A$1.2 billion profit", "A$1.2 billion", "AUD"),
    # letters that are also word endings or words must be glued too
    ("the 3rd $5 million tranche", "$5 million", None),
    ("the Col $40 fee", "$40", None),
    ("Cemex's Mex$2 billion", "Mex$2 billion", "MXN"),
    ("tokenised hk $ 4.6 billion", "hk $ 4.6 billion", "HKD"),
    ("the NZD $ 300 million bond", "NZD $ 300 million", "NZD"),
]


@pytest.mark.parametrize(("text", "span", "currency"), LETTER_APART)
def test_a_single_letter_prefix_must_be_glued(text: str, span: str, currency: str | None) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["currency"]) == ("MONEY", currency)


# (text, figures outside the address): nothing inside a web address is a figure
URLS = [
    ("You can go to https://www.example.com/search?q=30%25%2020% now", []),
    ("See https://news.example.co.uk/2024/05/12/rates-rise-0-25 for more", []),
    ("Read www.example.com.au/markets/asx-200-falls-2-per-cent today", []),
    ("Details at http://example.org/report?page=3&amount=500USD.", []),
    ("Prices rose 3% (https://stats.example.gov/cpi?m=5&y=2025) and wages 4%", ["3%", "4%"]),
    ("The deal, worth $2 billion (see https://example.com/deal?v=2bn), closed", ["$2 billion"]),
]


@pytest.mark.parametrize(("text", "expected"), URLS)
def test_no_figures_inside_web_addresses(text: str, expected: list[str]) -> None:
    assert [f["text"] for f in find_figures(text)] == expected


# (text, span, label, value, unit or currency)
FRACTIONS_OF_SCALES = [
    ("It costs half million USD.", "half million USD", "MONEY", 5e5, "USD"),
    ("a half million people signed", "a half million people", "COUNT", 5e5, "people"),
    ("a quarter million protesters", "a quarter million protesters", "COUNT", 2.5e5,
     "protesters"),
    ("a quarter-million people marched in Seoul", "a quarter-million people", "COUNT", 2.5e5,
     "people"),
    ("quarter million us dollars", "quarter million us dollars", "MONEY", 2.5e5, "USD"),
    ("three quarters billion euros", "three quarters billion euros", "MONEY", 7.5e8, "EUR"),
    ("three quarters of a billion pounds", "three quarters of a billion pounds", "MONEY",
     7.5e8, "GBP"),
    ("two-thirds of a million voters", "two-thirds of a million voters", "COUNT", 2e6 / 3,
     "voters"),
    ("one and a half billion euros", "one and a half billion euros", "MONEY", 1.5e9, "EUR"),
    ("half a trillion yen", "half a trillion yen", "MONEY", 5e11, "JPY"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "span", "label", "value", "kind"), FRACTIONS_OF_SCALES)
def test_fractions_in_front_of_scale_words(
    text: str, span: str, label: str, value: float, kind: str
) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["currency"] or figure["unit"]) == (label, kind)
    assert figure["value"] == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "in the third quarter million-dollar deals slowed",
        "the first half million-year record",
        "in the last quarter thousands left",
    ],
)
def test_an_ordinal_quarter_or_half_scales_nothing(text: str) -> None:
    assert not any(f["value"] in (250000, 500000) for f in find_figures(text))


# (text, span, low, high, currency): the upper end of a range may repeat the currency marker
REPEATED_MARKER_RANGES = [
    ("guidance of between MSEK 200 and MSEK 250", "MSEK 200 and MSEK 250", 2e8, 2.5e8, "SEK"),
    ("a ₹500-₹600 crore fund", "₹500-₹600 crore", 5e9, 6e9, "INR"),
    ("a CHF 2-CHF 3 billion charge", "CHF 2-CHF 3 billion", 2e9, 3e9, "CHF"),
    ("costs of SEK 200-SEK 250 million", "SEK 200-SEK 250 million", 2e8, 2.5e8, "SEK"),
    ("a NZ$1-NZ$2 billion gap", "NZ$1-NZ$2 billion", 1e9, 2e9, "NZD"),
    ("a KRW 1-KRW 2 trillion budget", "KRW 1-KRW 2 trillion", 1e12, 2e12, "KRW"),
]


@pytest.mark.parametrize(("text", "span", "low", "high", "currency"), REPEATED_MARKER_RANGES)
def test_a_range_may_repeat_its_currency(
    text: str, span: str, low: float, high: float, currency: str
) -> None:
    figure = only_figure(text, span)
    assert (figure["low"], figure["high"], figure["currency"]) == (low, high, currency)


def test_from_one_amount_to_another_is_two_figures() -> None:
    texts = [f["text"] for f in find_figures("shares rose from EUR 5 to EUR 7")]
    assert texts == ["EUR 5", "EUR 7"]
