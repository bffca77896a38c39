"""Figure forms world business news writes: one parametrized table per class, with values.

Currencies here come from the figure's own marker; the article-level rules for a bare "$" are
in test_currency_evidence.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.figure_support import only_figure
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import figure_key, find_figures

PP, BP = "percentage points", "basis points"

# (text, span, value, currency)
GLUED_SCALES = [
    ("Thames Water needs £7.2billion of new funding", "£7.2billion", 7.2e9, "GBP"),
    ("a £25million grant for the council", "£25million", 2.5e7, "GBP"),
    ("Siemens will spend €3.5billion on automation", "€3.5billion", 3.5e9, "EUR"),
    ("the $2bn bond", "$2bn", 2e9, None),
    ("The startup raised Rs500crore in its Series D", "Rs500crore", 5e9, "INR"),
    ("a ₹20lakh prize", "₹20lakh", 2e6, "INR"),
    ("Toyota set aside ¥900billion in Tokyo", "¥900billion", 9e11, "JPY"),
    ("the club paid £150million for the striker", "£150million", 1.5e8, "GBP"),
    ("a €40thousand fine", "€40thousand", 4e4, "EUR"),
    ("S$1.2billion in bonds", "S$1.2billion", 1.2e9, "SGD"),
]


@pytest.mark.parametrize(("text", "span", "value", "currency"), GLUED_SCALES)
def test_scale_word_glued_to_the_number(
    text: str, span: str, value: float, currency: str | None
) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", value, currency)
    assert figure["qualifier"] is None


# (text, span, value, currency)
DOLLAR_STYLES = [
    ("BHP will spend $US4.2 billion on the mine", "$US4.2 billion", 4.2e9, "USD"),
    ("a deal worth $A5 billion", "$A5 billion", 5e9, "AUD"),
    ("Air New Zealand lost NZ$54 million", "NZ$54 million", 5.4e7, "NZD"),
    ("a $NZ300 million upgrade", "$NZ300 million", 3e8, "NZD"),
    ("Enbridge paid C$19 billion", "C$19 billion", 1.9e10, "CAD"),
    ("SIA will pay 45 Singapore cents a share", "45 Singapore cents", 0.45, "SGD"),
    ("a dividend of 12 Australian cents", "12 Australian cents", 0.12, "AUD"),
    ("fuel rose 9 Canadian cents a litre", "9 Canadian cents", 0.09, "CAD"),
    ("Tickets cost 90USD each", "90USD", 90, "USD"),
    ("a 500EUR deposit", "500EUR", 500, "EUR"),
    ("ING bought back shares worth 40 USD million", "40 USD million", 4e7, "USD"),
    ("a 2 EUR billion programme", "2 EUR billion", 2e9, "EUR"),
    ("The exchange held 0.5 BTC per customer", "0.5 BTC", 0.5, "BTC"),
    ("staking returned 2.3 ETH", "2.3 ETH", 2.3, "ETH"),
    ("the fund sold 1,200 bitcoin last week", "1,200 bitcoin", 1200, "BTC"),
    # a possessive "s" before "$" is no Singapore "S $" (tokenised wire style)
    ("CBA's $2.8 billion profit", "$2.8 billion", 2.8e9, None),
    ("Canada's C$5 billion plan", "C$5 billion", 5e9, "CAD"),
    ("the bank’s $40 million fine", "$40 million", 4e7, None),
]


@pytest.mark.parametrize(("text", "span", "value", "currency"), DOLLAR_STYLES)
def test_currency_marker_styles(text: str, span: str, value: float, currency: str) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", value, currency)


# (text, span, value, unit)
POINTS = [
    ("growth was 0.3 of a percentage point faster", "0.3 of a percentage point", 0.3, PP),
    ("inflation eased 0.2 percentage points", "0.2 percentage points", 0.2, PP),
    ("the RBA lifted rates by 25 basis points", "25 basis points", 0.25, BP),
    ("the ECB raised rates by 75 basis points", "75 basis points", 0.75, BP),
    ("a 50bp cut from the Bank of England", "50bp", 0.5, BP),
    ("spreads widened 120bps", "120bps", 1.2, BP),
    ("a cut of 1 basis point", "1 basis point", 0.01, BP),
    ("a rise of half a percentage point", "half a percentage point", 0.5, PP),
]


@pytest.mark.parametrize(("text", "span", "value", "unit"), POINTS)
def test_points_are_percentage_points(text: str, span: str, value: float, unit: str) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["unit"]) == ("PERCENT", value, unit)


def test_basis_points_and_percentage_points_are_one_figure() -> None:
    bps = only_figure("a 25 basis points move", "25 basis points")
    points = only_figure("a 0.25 percentage points move", "0.25 percentage points")
    assert figure_key(bps) == figure_key(points)


# (text, span, value, currency or counted unit)
INDIAN = [
    ("allocated Rs 7,45,210 crore for roads", "Rs 7,45,210 crore", 7.4521e12, "INR"),
    ("Each farmer gets 3,21,000 rupees", "3,21,000 rupees", 321000, "INR"),
    ("Tata will invest ₹1.2 lakh crore", "₹1.2 lakh crore", 1.2e12, "INR"),
    ("a fine of Rs 50 lakh", "Rs 50 lakh", 5e6, "INR"),
    ("₹12,34,56,789 was recovered", "₹12,34,56,789", 123456789, "INR"),
    ("Rs. 4,500 crore in dues", "Rs. 4,500 crore", 4.5e10, "INR"),
    ("INR 2.5 lakh crore of bonds", "INR 2.5 lakh crore", 2.5e12, "INR"),
    ("10,00,000 people applied", "10,00,000 people", 1e6, "people"),
    ("a corpus of 25 crore rupees", "25 crore rupees", 2.5e8, "INR"),
]


@pytest.mark.parametrize(("text", "span", "value", "kind"), INDIAN)
def test_indian_grouping_lakh_and_crore(text: str, span: str, value: float, kind: str) -> None:
    figure = only_figure(text, span)
    assert figure["value"] == pytest.approx(value)
    assert (figure["currency"] or figure["unit"]) == kind


# (text, span, label, value, unit)
FRACTIONS_OF_SCALES = [
    ("half a million fans applied", "half a million fans", "COUNT", 5e5, "fans"),
    ("a quarter of a billion shares changed hands", "a quarter of a billion shares", "COUNT",
     2.5e8, "shares"),
    ("three-quarters of a million homes", "three-quarters of a million homes", "COUNT", 7.5e5,
     "homes"),
    ("half a billion euros in aid", "half a billion euros", "MONEY", 5e8, None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "span", "label", "value", "unit"), FRACTIONS_OF_SCALES)
def test_fractions_of_scale_words(
    text: str, span: str, label: str, value: float, unit: str | None
) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["unit"]) == (label, value, unit)


# (text, span, value, unit): the noun comes from a count in the same or the previous sentence
LEFT_OUT_NOUNS = [
    ("Analysts surveyed 120 listed companies. Since then, 95 have cut forecasts.", "95", 95,
     "companies"),
    ("Of the 300 banks polled, 41 said they would tighten lending.", "41", 41, "banks"),
    ("Some 2,000 workers voted. 1,450 were in favour.", "1,450", 1450, "workers"),
    ("The regulator wrote to lenders. 95 have already replied.", "95", 95, None),
    ("Sixty brokers were asked, and 12 expect a rate cut.", "12", 12, "brokers"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "span", "value", "unit"), LEFT_OUT_NOUNS)
def test_counts_whose_noun_is_left_out(text: str, span: str, value: int, unit: str | None) -> None:
    figure = only_figure(text, span)
    assert (figure["label"], figure["value"], figure["unit"]) == ("COUNT", value, unit)


# (text, span, low, high)
RANGES = [
    ("a £2bn-£3bn hole", "£2bn-£3bn", 2e9, 3e9),
    ("Rs 500-600 crore", "Rs 500-600 crore", 5e9, 6e9),
    ("between 25 and 50 basis points", "25 and 50 basis points", 0.25, 0.5),
    ("S$1-2 billion", "S$1-2 billion", 1e9, 2e9),
]


@pytest.mark.parametrize(("text", "span", "low", "high"), RANGES)
def test_ranges_keep_both_bounds(text: str, span: str, low: float, high: float) -> None:
    figure = only_figure(text, span)
    assert (figure["value"], figure["low"], figure["high"]) == (low, low, high)


NO_NUMBER = [
    "Ministers promised billions of pounds for hospitals",
    "a multibillion-dollar contract for defence",
    "millions of people watched the final",
    "tens of thousands of jobs are at risk",
    "hundreds of millions of euros in subsidies",
    "the multimillion-pound refit",
    "trillions of yen flowed out of Tokyo",
    "billions in economic value",
]


@pytest.mark.parametrize("text", NO_NUMBER)
def test_no_figure_without_a_number(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize(
    "order",
    [
        ["usd 5", "It cost 40 USD."],
        ["the 500 bitcoin miners", "It sold 1,200 bitcoin."],
        ["in Hong Kong", "It raised 9 million Hong Kong dollars."],
        ["3 USD50 cards", "They paid 75 USD million."],
        ["100 złoty", "It cost 250 zł."],
        ["5 M people", "It cost 120 M€."],
        ["500 USD,100 times", "It cost 40 USD, they said."],
    ],
)
def test_a_marker_is_found_whatever_was_read_before(order: list[str]) -> None:
    for text in order[:-1]:
        find_figures(text)
    assert [f["label"] for f in find_figures(order[-1])] == ["MONEY"]


WORLD_TOKENS = st.lists(
    st.sampled_from(
        [*"0123456789 ,.-()$£€¥₹/\n", "$US", "$A", "A$", "NZ$", "S$", "C$", "HK$", "US$", "Rs",
         "Rs.", "₹", "bn", "billion", "million", "crore", "lakh", " lakh crore", " basis points",
         "bps", "bp", " of a percentage point", " per cent", "USD", " USD", "BTC", " ETH",
         " Singapore cents", " cents", " yen", " yuan", "Japan's ", "China ", "Tokyo ", " have",
         " said", ". ", ", ", " companies", "half a ", "a quarter of a ", " pesos", " bitcoin",
         "₾", " ₭", "元", "円", " zł", "₿", "MEUR ", " kEUR", "TSEK", "Mex$", "NZD$", "U.S.$",
         "USD", "'s $ ", "half ", "three quarters ", "https://x.example/?q=", "www.", " TUSD"]
    ),
    max_size=30,
).map("".join)  # fmt: skip
CONTEXTS = st.sampled_from(
    [
        FigureContext(),
        FigureContext(source="The Straits Times"),
        FigureContext(url="https://www.bbc.co.uk/x", currency="JPY"),
        FigureContext(default_currency="AUD", currency="MXN"),
    ]
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(WORLD_TOKENS, CONTEXTS)
def test_world_forms_never_raise_slice_and_give_reasons(text: str, context: FigureContext) -> None:
    last_end = 0
    for figure in find_figures(text, context):
        assert text[figure["start"] : figure["end"]] == figure["text"]
        assert figure["start"] >= last_end and isinstance(figure["value"], int | float)
        last_end = figure["end"]
        if figure["label"] == "MONEY":
            assert figure["currency_reason"], figure
            assert figure["currency"] not in ("$", "¥", "p")
        else:
            assert figure["currency"] is None and figure["currency_reason"] is None
