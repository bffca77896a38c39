"""US-dollar equivalents: the article's own rate first, then pegs and user rates, never a guess."""

from __future__ import annotations

import math

import pytest

from tui.core.extract import Extractor
from tui.core.extract.conversion import human_amount, stated_rates, usd_equivalents, user_rates


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
