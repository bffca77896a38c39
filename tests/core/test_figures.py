"""Rule-based figures: values, currencies, units, ranges, qualifiers, and what is not a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import find_figures
from tui.core.text import canonicalize

US_READER = FigureContext(default_currency="USD")
"""The tables below are US-style copy, read as by a user whose default currency is USD (without
a default a bare "$" is unknown: see test_figures_currency.py)."""

SEEDS = Path(__file__).parents[1] / "fixtures" / "extract_seeds"
"""The two raw seed articles, copied from the shared seeds so a clean clone has them."""

# (text, expected span text, label, value, currency or unit, qualifier, low, high)
FIGURES: list[tuple[str, str, str, float, str | None, str | None, float | None, float | None]] = [
    (
        "projected investments reaching HK$50 billion",
        "HK$50 billion",
        "MONEY",
        5e10,
        "HKD",
        None,
        None,
        None,
    ),
    ("HK$50 billion ($6.37 billion)", "$6.37 billion", "MONEY", 6.37e9, "USD", None, None, None),
    ("allocating HK$1 billion to", "HK$1 billion", "MONEY", 1e9, "HKD", None, None, None),
    ("(US$129 million)", "US$129 million", "MONEY", 1.29e8, "USD", None, None, None),
    ("a $50B fund", "$50B", "MONEY", 5e10, "USD", None, None, None),
    ("HK$1-2 billion", "HK$1-2 billion", "MONEY", 1e9, "HKD", None, 1e9, 2e9),
    (
        "between $91 billion and $93 billion",
        "$91 billion and $93 billion",
        "MONEY",
        9.1e10,
        "USD",
        None,
        9.1e10,
        9.3e10,
    ),
    ("US$3 to 4 million", "US$3 to 4 million", "MONEY", 3e6, "USD", None, 3e6, 4e6),
    ("$1.2bn-$1.5bn", "$1.2bn-$1.5bn", "MONEY", 1.2e9, "USD", None, 1.2e9, 1.5e9),
    ("about $5 million", "$5 million", "MONEY", 5e6, "USD", "about", None, None),
    ("nearly €2bn", "€2bn", "MONEY", 2e9, "EUR", "nearly", None, None),
    ("more than £300m", "£300m", "MONEY", 3e8, "GBP", "more than", None, None),
    ("up to RMB10 billion", "RMB10 billion", "MONEY", 1e10, "CNY", "up to", None, None),
    (
        "approximately US$2 million",
        "US$2 million",
        "MONEY",
        2e6,
        "USD",
        "approximately",
        None,
        None,
    ),
    ("over HK$300 mn", "HK$300 mn", "MONEY", 3e8, "HKD", "over", None, None),
    ("five billion yuan", "five billion yuan", "MONEY", 5e9, "CNY", None, None, None),
    ("3.2 billion renminbi", "3.2 billion renminbi", "MONEY", 3.2e9, "CNY", None, None, None),
    (
        "50 billion Hong Kong dollars",
        "50 billion Hong Kong dollars",
        "MONEY",
        5e10,
        "HKD",
        None,
        None,
        None,
    ),
    ("100 US dollars", "100 US dollars", "MONEY", 100, "USD", None, None, None),
    ("¥500 million in Tokyo", "¥500 million", "MONEY", 5e8, "JPY", None, None, None),
    ("¥500 million, or 20 yuan each", "¥500 million", "MONEY", 5e8, "CNY", None, None, None),
    ("S$2.5 million", "S$2.5 million", "MONEY", 2.5e6, "SGD", None, None, None),
    ("NT$30 billion", "NT$30 billion", "MONEY", 3e10, "TWD", None, None, None),
    ("A$1.5bn", "A$1.5bn", "MONEY", 1.5e9, "AUD", None, None, None),
    ("EUR 20 million", "EUR 20 million", "MONEY", 2e7, "EUR", None, None, None),
    ("USD115", "USD115", "MONEY", 115, "USD", None, None, None),
    ("a billion dollars", "a billion dollars", "MONEY", 1e9, "USD", None, None, None),
    ("costs 50 cents", "50 cents", "MONEY", 0.5, "USD", None, None, None),
    ("$13,009 million", "$13,009 million", "MONEY", 1.3009e10, "USD", None, None, None),
    ("3 million euros", "3 million euros", "MONEY", 3e6, "EUR", None, None, None),
    ("a $5 billion deal", "$5 billion", "MONEY", 5e9, "USD", None, None, None),
    ("a loss of -$5 million", "-$5 million", "MONEY", -5e6, "USD", None, None, None),
    ("25%", "25%", "PERCENT", 25, "%", None, None, None),
    ("25 per cent", "25 per cent", "PERCENT", 25, "%", None, None, None),
    ("25 percent", "25 percent", "PERCENT", 25, "%", None, None, None),
    ("a 30-percent rise", "30-percent", "PERCENT", 30, "%", None, None, None),
    ("five percent", "five percent", "PERCENT", 5, "%", None, None, None),
    ("twenty-five per cent", "twenty-five per cent", "PERCENT", 25, "%", None, None, None),
    (
        "2.5 percentage points",
        "2.5 percentage points",
        "PERCENT",
        2.5,
        "percentage points",
        None,
        None,
        None,
    ),
    ("cut by 50 basis points", "50 basis points", "PERCENT", 0.5, "basis points", None, None, None),
    ("5-7%", "5-7%", "PERCENT", 5, "%", None, 5, 7),
    ("5% to 7%", "5% to 7%", "PERCENT", 5, "%", None, 5, 7),
    ("between 5 and 7 per cent", "5 and 7 per cent", "PERCENT", 5, "%", None, 5, 7),
    ("fell -3.2% today", "-3.2%", "PERCENT", -3.2, "%", None, None, None),
    ("almost 40% of firms", "40%", "PERCENT", 40, "%", "almost", None, None),
    (
        "84 innovative tech companies to",
        "84 innovative tech companies",
        "COUNT",
        84,
        "companies",
        None,
        None,
        None,
    ),
    (
        "approximately 13,000 jobs.",
        "13,000 jobs",
        "COUNT",
        13000,
        "jobs",
        "approximately",
        None,
        None,
    ),
    (
        "with over 270 blockchain firms now",
        "270 blockchain firms",
        "COUNT",
        270,
        "firms",
        "over",
        None,
        None,
    ),
    ("$50B Investments, 13K Jobs in AI", "13K Jobs", "COUNT", 13000, "jobs", None, None, None),
    ("42 new listings", "42 new listings", "COUNT", 42, "listings", None, None, None),
    ("1.2 million people", "1.2 million people", "COUNT", 1.2e6, "people", None, None, None),
    ("the population reached 7.5 million.", "7.5 million", "COUNT", 7.5e6, None, None, None, None),
    ("and nine mainland cities", "nine mainland cities", "COUNT", 9, "cities", None, None, None),
    ("the 2,000 workers", "2,000 workers", "COUNT", 2000, "workers", None, None, None),
    ("IPOs surging sevenfold in 2025", "sevenfold", "MULTIPLIER", 7, "x", None, None, None),
    ("a seven-fold rise", "seven-fold", "MULTIPLIER", 7, "x", None, None, None),
    ("a 7-fold rise", "7-fold", "MULTIPLIER", 7, "x", None, None, None),
    ("grew tenfold", "tenfold", "MULTIPLIER", 10, "x", None, None, None),
    ("36 times larger", "36 times", "MULTIPLIER", 36, "x", None, None, None),
    ("a 3x return", "3x", "MULTIPLIER", 3, "x", None, None, None),
    ("1.5x faster", "1.5x", "MULTIPLIER", 1.5, "x", None, None, None),
    ("profit of 2.8 trillion won", "2.8 trillion won", "MONEY", 2.8e12, "KRW", None, None, None),
    ("short of estimates of 455,000.", "455,000", "COUNT", 455000, None, None, None, None),
    ("Rs 500 crore", "Rs 500 crore", "MONEY", 5e9, "INR", None, None, None),
    ("₹2.5 lakh", "₹2.5 lakh", "MONEY", 2.5e5, "INR", None, None, None),
    ("closed at $-99.99", "$-99.99", "MONEY", -99.99, "USD", None, None, None),
    ("-15€", "-15€", "MONEY", -15, "EUR", None, None, None),
    (
        "two point five billion dollars",
        "two point five billion dollars",
        "MONEY",
        2.5e9,
        "USD",
        None,
        None,
        None,
    ),
    (
        "thirty-three point three percent",
        "thirty-three point three percent",
        "PERCENT",
        33.3,
        "%",
        None,
        None,
        None,
    ),
    ("up 5％", "5％", "PERCENT", 5, "%", None, None, None),
    ("shares rose 5pc on Monday", "5pc", "PERCENT", 5, "%", None, None, None),
    ("5%-7%", "5%-7%", "PERCENT", 5, "%", None, 5, 7),
    ("HK$1.2 bil", "HK$1.2 bil", "MONEY", 1.2e9, "HKD", None, None, None),
    ("RM2.5 mil", "RM2.5 mil", "MONEY", 2.5e6, "MYR", None, None, None),
    ("£5.5 million-£6 million", "£5.5 million-£6 million", "MONEY", 5.5e6, "GBP", None, 5.5e6, 6e6),
    ("a $10-an-hour wage", "$10", "MONEY", 10, "USD", None, None, None),
    ("a $50-million deal", "$50-million", "MONEY", 5e7, "USD", None, None, None),
    ("a 10-basis-point cut", "10-basis-point", "PERCENT", 0.1, "basis points", None, None, None),
    (
        "a 0.25-percentage-point rise",
        "0.25-percentage-point",
        "PERCENT",
        0.25,
        "percentage points",
        None,
        None,
        None,
    ),
    ("rates in a range of 5.25% to 5.5%", "5.25% to 5.5%", "PERCENT", 5.25, "%", None, 5.25, 5.5),
]

# A change verb before "X to Y" means two figures, not a range.
TWO_FIGURES = [
    ("Oil rose $2 to $85 a barrel.", ["$2", "$85"]),
    ("Inflation fell from 2.9% to 2.4%.", ["2.9%", "2.4%"]),
    ("The bill passed by 52 votes to 48.", ["52 votes"]),
    ("HK$50 billion ($6.37 billion)", ["HK$50 billion", "$6.37 billion"]),
]


@pytest.mark.parametrize(("text", "spans"), TWO_FIGURES)
def test_separate_figures(text: str, spans: list[str]) -> None:
    assert [f["text"] for f in find_figures(text)] == spans


@pytest.mark.parametrize(
    ("text", "span", "label", "value", "currency_or_unit", "qualifier", "low", "high"), FIGURES
)
def test_figure_table(
    text: str,
    span: str,
    label: str,
    value: float,
    currency_or_unit: str | None,
    qualifier: str | None,
    low: float | None,
    high: float | None,
) -> None:
    figures = [f for f in find_figures(text, US_READER) if f["text"] == span]
    assert len(figures) == 1, find_figures(text, US_READER)
    figure = figures[0]
    assert text[figure["start"] : figure["end"]] == span
    assert figure["label"] == label
    assert figure["value"] == pytest.approx(value)
    if label == "MONEY":
        assert figure["currency"] == currency_or_unit
    else:
        assert figure["currency"] is None
        assert figure["unit"] == currency_or_unit
    assert figure["qualifier"] == qualifier
    assert figure["low"] == (None if low is None else pytest.approx(low))
    assert figure["high"] == (None if high is None else pytest.approx(high))


NOT_FIGURES = [
    "in 2025", "January 2026", "over the past two and a half years", "Hong Kong's push into Web3",
    "the 3C AGI platform", "shares of Tencent (0700.HK) rose", "COVID-19", "5G networks",
    "the airline ordered Boeing 737 jets", "under Article 23 legislation", "a 45-year-old man",
    "a five-year plan", "one venture capitalist posted", "at 3:30 pm", "the 1990s", "192.168.1.2",
    "see page 12", "24/7 support", "on 9/11", "the 2nd quarter", "for 3 years", "10 days later",
    "one of the firms", "G7 countries", "H20 chips", "A100 chips", "new iPhone 15 models",
    "the 2024-25 fiscal year", "enacted in 2020 and its expansions", "post-2019 protests",
    "the 2024 Safeguarding National Security Ordinance", "from April 2025", "Fantastic Four",
    "a 10-member board", "Windows 11", "Tel: 555-1234", "twenty-four seven", "at times",
    "at one point, it fell", "10:30 am", "the S&P 500 index", "Chapter 11 bankruptcy",
    "a 200-pound man", "F-35 jets", "Smith, 45, said",
]  # fmt: skip


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(text: str) -> None:
    assert find_figures(text) == []


def test_bare_dollar_takes_the_currency_the_article_establishes() -> None:
    text = "Tech Revival: $50B Investments\nOASES drew HK$50 billion ($6.37 billion) in pledges."
    by_text = {f["text"]: f for f in find_figures(text)}
    assert by_text["$50B"]["currency"] == "HKD"
    assert by_text["$50B"]["value"] == 5e10
    assert by_text["HK$50 billion"]["currency"] == "HKD"
    assert by_text["$6.37 billion"]["currency"] == "USD"


def test_bare_dollar_with_no_evidence_is_unknown_with_its_reason() -> None:
    figures = find_figures("It raised $50B. Rivals spent far less.")
    assert [f["currency"] for f in figures] == [None]
    assert figures[0]["currency_reason"] == "unknown: a bare “$” with no evidence of which dollar"


def _seed(name: str) -> str:
    return canonicalize((SEEDS / name).read_text(encoding="utf-8"))


# Every figure an analyst marks in the two raw seeds: (text, label, value, currency or unit).
SEED_FIGURES: dict[str, list[tuple[str, str, float, str | None]]] = {
    "000_d9f4c47138700047.txt": [
        ("nine mainland cities", "COUNT", 9, "cities"),
        ("HK$1 billion", "MONEY", 1e9, "HKD"),
        ("US$129 million", "MONEY", 1.29e8, "USD"),
    ],
    "003_2fa2a70927448b5d.txt": [
        ("$50B", "MONEY", 5e10, "HKD"),
        ("13K Jobs", "COUNT", 13000, "jobs"),
        ("84 innovative firms", "COUNT", 84, "firms"),
        ("HK$50 billion", "MONEY", 5e10, "HKD"),
        ("13,000 jobs", "COUNT", 13000, "jobs"),
        ("$50B", "MONEY", 5e10, "HKD"),
        ("13K Jobs", "COUNT", 13000, "jobs"),
        ("84 innovative tech companies", "COUNT", 84, "companies"),
        ("HK$50 billion", "MONEY", 5e10, "HKD"),
        ("$6.37 billion", "MONEY", 6.37e9, "USD"),
        ("13,000 jobs", "COUNT", 13000, "jobs"),
        ("270 blockchain firms", "COUNT", 270, "firms"),
        ("sevenfold", "MULTIPLIER", 7, "x"),
    ],
}


def seed_scores() -> dict[str, float]:
    """Precision, recall and value accuracy of figures on the two hand-labelled seeds."""
    expected_total = found_total = matched = right_value = 0
    for name, expected in SEED_FIGURES.items():
        found = [
            (f["text"], f["label"], f["value"], f["currency"] or f["unit"])
            for f in find_figures(_seed(name))
        ]
        expected_total += len(expected)
        found_total += len(found)
        remaining = list(found)
        for text, label, value, kind in expected:
            hit = next((f for f in remaining if f[0] == text and f[1] == label), None)
            if hit is None:
                continue
            remaining.remove(hit)
            matched += 1
            right_value += hit[2] == pytest.approx(value) and hit[3] == kind
    return {
        "precision": matched / found_total,
        "recall": matched / expected_total,
        "value_accuracy": right_value / matched,
    }


def test_seed_articles_every_figure_with_its_value() -> None:
    scores = seed_scores()
    assert scores == {"precision": 1.0, "recall": 1.0, "value_accuracy": 1.0}


def test_seed_figures_slice_to_their_text() -> None:
    for name in SEED_FIGURES:
        body = _seed(name)
        for figure in find_figures(body):
            assert body[figure["start"] : figure["end"]] == figure["text"]


NEWSY = st.lists(
    st.sampled_from(
        [*"0123456789 ,.-%$€£¥x", "HK$", "US$", " billion", " million", " per cent",
        " jobs", " firms", "fold", " times", " yuan", " between ", " and ", " to ", "bn", "K",
        "about ", "\n", "five", "twenty", "-", "a ", "half"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(NEWSY)
def test_figures_never_raise_and_slice_to_their_text(text: str) -> None:
    assert_figures_fit(text)


def assert_figures_fit(text: str) -> None:
    """Every figure of ``text`` slices to its own text, in order, without overlap, valued."""
    last_end = 0
    for figure in find_figures(text):
        assert text[figure["start"] : figure["end"]] == figure["text"]
        assert figure["start"] >= last_end
        last_end = figure["end"]
        assert isinstance(figure["value"], int | float)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_figures_never_raise_on_any_text(text: str) -> None:
    figures: list[dict[str, Any]] = find_figures(text)
    for figure in figures:
        assert text[figure["start"] : figure["end"]] == figure["text"]
