"""US-dollar equivalents: the article's own rate first, then pegs and user rates, never a guess."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tui.core.extract import Extractor
from tui.core.extract.conversion import (
    human_amount,
    sort_by_value,
    stated_rates,
    usd_equivalents,
    user_rates,
    value_sort_key,
)


def _equivalents(text: str, extra: dict[str, float] | None = None) -> dict[str, str | None]:
    figures = Extractor(None, []).figures(text)
    pairs = zip(figures, usd_equivalents(text, figures, extra), strict=True)
    return {f["text"]: (e.describe() + " " + e.basis if e else None) for f, e in pairs}


def test_article_rate_converts_the_other_amounts_of_that_currency() -> None:
    text = "Investments reached HK$50 billion ($6.37 billion). A further HK$10 billion is planned."
    assert _equivalents(text) == {
        "HK$50 billion": "≈ US$6.37 billion article",
        "$6.37 billion": None,
        "HK$10 billion": "≈ US$1.27 billion article",
    }


def test_us_prefixed_bracket_amount_gives_the_rate() -> None:
    text = "The government allocated HK$1 billion (US$129 million) to an AI institute."
    figures = Extractor(None, []).figures(text)
    assert math.isclose(stated_rates(text, figures)["HKD"], 0.129)


def test_peg_when_the_article_states_no_rate() -> None:
    assert _equivalents("It raised HK$78 million.") == {"HK$78 million": "≈ US$10 million peg"}


def test_floating_currency_without_a_rate_gets_nothing() -> None:
    assert _equivalents("Sales were €5 billion.") == {"€5 billion": None}


def test_user_rate_for_a_floating_currency() -> None:
    assert _equivalents("Sales were €5 billion.", {"EUR": 1.1}) == {
        "€5 billion": "≈ US$5.5 billion user"
    }


def test_brackets_must_hold_the_conversion_directly() -> None:
    text = "HK$50 billion in total, and later $6.37 billion more."
    figures = Extractor(None, []).figures(text)
    assert stated_rates(text, figures) == {}


@pytest.mark.parametrize(
    ("spec", "rates"),
    [
        ("EUR=1.08,GBP=1.27", {"EUR": 1.08, "GBP": 1.27}),
        (" eur = 1.1 , bad, XX=2, JPY=-1, CHF=abc", {"EUR": 1.1}),
        ("", {}),
    ],
)
def test_user_rates_parse_and_ignore_junk(spec: str, rates: dict[str, float]) -> None:
    assert user_rates(spec) == rates


@pytest.mark.parametrize(
    ("value", "text"),
    [(6.37e9, "6.37 billion"), (1.29e8, "129 million"), (12500, "12,500"), (12.5, "12.50")],
)
def test_human_amount(value: float, text: str) -> None:
    assert human_amount(value) == text


def test_each_yen_or_yuan_figure_converts_at_its_own_rate() -> None:
    text = "Japan's government raised ¥1.6 trillion.\nBeijing's banks lent ¥2 trillion in yuan."
    rates = {"JPY": 0.0067, "CNY": 0.14}
    assert _equivalents(text, rates) == {
        "¥1.6 trillion": "≈ US$10.7 billion user",
        "¥2 trillion": "≈ US$280 billion user",
    }


@pytest.mark.parametrize(
    ("text", "rates"),
    [
        ("The company had $300 million in cash.", {"AUD": 0.65, "CAD": 0.73}),
        ("The fund raised ¥80 billion.", {"JPY": 0.0067, "CNY": 0.14}),
        ("A levy of 900 million pesos.", {"MXN": 0.055}),
        ("The exchange held 0.5 BTC.", {}),
    ],
)
def test_no_equivalent_without_a_currency_or_a_rate(text: str, rates: dict[str, float]) -> None:
    assert set(_equivalents(text, rates).values()) == {None}


def test_a_crypto_amount_converts_only_at_a_stated_rate() -> None:
    text = "It sold 2 BTC ($190,000) and kept 3 BTC."
    assert _equivalents(text)["3 BTC"] == "≈ US$285,000 article"


# (text, user rates, figures in "by value" order, largest first within each group)
BY_VALUE = [
    ("Japan spent ¥1.6 trillion; the US spent US$2 trillion.", {},
     ["US$2 trillion", "¥1.6 trillion"]),
    ("India spent Rs 4,000 crore and Britain £10bn.", {"GBP": 1.27},
     ["£10bn", "Rs 4,000 crore"]),
    ("India spent Rs 4,000 crore and Britain £10bn.", {"GBP": 1.27, "INR": 0.012},
     ["£10bn", "Rs 4,000 crore"]),
    ("It raised $5 million, €2 billion and HK$78 million.", {},
     ["HK$78 million", "$5 million", "€2 billion"]),  # "HK$" in the sentence: HKD
    ("Sales rose 4% to €3 billion, and 300 jobs went, twice as many.", {},
     ["€3 billion", "4%", "300 jobs", "twice"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "rates", "order"), BY_VALUE)
def test_sorting_by_value_never_compares_raw_amounts_across_currencies(
    text: str, rates: dict[str, float], order: list[str]
) -> None:
    figures = Extractor(None, []).figures(text)
    assert [f["text"] for f in sort_by_value(text, figures, rates)] == order


def test_sort_key_groups_money_without_a_us_value_by_currency() -> None:
    figures: list[dict[str, Any]] = [
        {"label": "MONEY", "currency": None, "value": 9e9, "start": 0},
        {"label": "MONEY", "currency": "EUR", "value": 1e9, "start": 5},
        {"label": "MONEY", "currency": "USD", "value": 5, "start": 9},
    ]
    keys = [value_sort_key(f, None) for f in figures]
    assert sorted(keys) == [keys[2], keys[1], keys[0]]
