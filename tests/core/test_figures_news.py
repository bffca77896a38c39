"""Figures on news-style sentences written for this project: precision, recall, right values.

``fixtures/news_figures.jsonl`` holds 87 sentences in US wire, financial and tech styles (read with
a USD default, as a US user would) with every
figure an analyst would mark (span, label, value, currency or unit), including sentences that
must yield nothing (ages, dates, durations, anonymous-source counts, "4K TVs"). It is scored as a
whole against the issue's aim; the per-rule tables live in ``test_figures.py``.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_figures import US_READER, assert_figures_fit
from tui.core.extract import proportions
from tui.core.extract.figures import find_figures

NEWS = Path(__file__).parents[1] / "fixtures" / "news_figures.jsonl"


def load_news() -> list[dict[str, Any]]:
    """The news records: ``{"id", "text", "figures": [{text, start, end, label, value, ...}]}``."""
    with NEWS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _same_kind(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    """Currency for money (or the unit when the currency is ambiguous), else the unit."""
    if expected["label"] == "MONEY":
        if expected.get("currency") is None:
            return bool(found["currency"] is None and found["unit"] == expected["unit"])
        return bool(found["currency"] == expected["currency"])
    return bool(found["unit"] == expected["unit"])


def score(records: list[dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    """Span precision/recall (exact start, end and label) and value accuracy, with the misses."""
    expected_total = found_total = matched = right = 0
    misses: list[str] = []
    for record in records:
        found = find_figures(record["text"], US_READER)
        found_total += len(found)
        expected_total += len(record["figures"])
        by_span = {(f["start"], f["end"], f["label"]): f for f in found}
        expected_spans = set()
        for figure in record["figures"]:
            key = (figure["start"], figure["end"], figure["label"])
            expected_spans.add(key)
            hit = by_span.get(key)
            if hit is None:
                misses.append(f"{record['id']} missed {figure['text']!r}")
                continue
            matched += 1
            if math.isclose(hit["value"], figure["value"], rel_tol=1e-6) and _same_kind(
                figure, hit
            ):
                right += 1
            else:
                misses.append(f"{record['id']} wrong value {hit}")
        misses += [
            f"{record['id']} spurious {f['text']!r}"
            for key, f in by_span.items()
            if key not in expected_spans
        ]
    scores = {
        "precision": matched / found_total if found_total else 1.0,
        "recall": matched / expected_total,
        "value_accuracy": right / matched if matched else 0.0,
    }
    return scores, misses


def test_news_fixture_is_consistent() -> None:
    records = load_news()
    assert len(records) >= 40
    for record in records:
        for figure in record["figures"]:
            assert record["text"][figure["start"] : figure["end"]] == figure["text"], record["id"]


def test_news_figures_meet_the_aim() -> None:
    """The issue's aim on news text: P and R >= 0.97, the right value for >= 0.95 of figures."""
    scores, misses = score(load_news())
    assert scores["precision"] >= 0.97, misses
    assert scores["recall"] >= 0.97, misses
    assert scores["value_accuracy"] >= 0.95, misses


@pytest.mark.parametrize(
    "record", [r for r in load_news() if not r["figures"]], ids=lambda r: str(r["id"])
)
def test_news_sentences_without_figures(record: dict[str, Any]) -> None:
    assert find_figures(record["text"]) == []


PP = "percentage points"

# (text, span, label, value, currency (MONEY) or unit, unit of a MONEY figure)
RULES: list[tuple[str, str, str, float, str | None, str | None]] = [
    # currency names after the amount, with the country word that pins them down
    ("sold 640 million Swedish kronor", "640 million Swedish kronor", "MONEY", 6.4e8, "SEK", None),
    ("2.3 billion Norwegian crowns", "2.3 billion Norwegian crowns", "MONEY", 2.3e9, "NOK", None),
    ("fined 75 million Egyptian pounds", "75 million Egyptian pounds", "MONEY", 7.5e7, "EGP", None),
    ("a 12 billion rand bailout", "12 billion rand", "MONEY", 1.2e10, "ZAR", None),
    ("raised 4.5 billion Mexican pesos", "4.5 billion Mexican pesos", "MONEY", 4.5e9, "MXN", None),
    ("a levy of 900 million pesos", "900 million pesos", "MONEY", 9e8, None, "pesos"),
    ("worth 310 million pounds", "310 million pounds", "MONEY", 3.1e8, "GBP", None),
    ("paid 600 million Finnish markka", "600 million Finnish markka", "MONEY", 6e8, "FIM", None),
    ("eight million yen in cash", "eight million yen", "MONEY", 8e6, "JPY", None),
    ("a fine of 40 million zlotys", "40 million zlotys", "MONEY", 4e7, "PLN", None),
    ("a loan of Euro 450 million", "Euro 450 million", "MONEY", 4.5e8, "EUR", None),
    ("Rupees 65 crore was spent", "Rupees 65 crore", "MONEY", 6.5e8, "INR", None),
    ("a five-dollar bill", "five-dollar", "MONEY", 5, "USD", None),
    # tokenised wire and PDF spacing
    ("sold for hk $ 4.6 billion .", "hk $ 4.6 billion", "MONEY", 4.6e9, "HKD", None),
    ("a bid of c$ 31 million", "c$ 31 million", "MONEY", 3.1e7, "CAD", None),
    # a single letter standing apart from "$" is a word ("'s" possessive), not a country prefix
    ("the bank 's $ 500 million", "$ 500 million", "MONEY", 5e8, "USD", None),
    ("closed at $ 18.25 on friday", "$ 18.25", "MONEY", 18.25, "USD", None),
    # minor units: value in major units
    ("a 14-cent dividend", "14-cent", "MONEY", 0.14, "USD", None),
    ("shares fell 6p to 312p", "312p", "MONEY", 3.12, "GBP", None),
    ("the stamp costs 85 pence", "85 pence", "MONEY", 0.85, "GBP", None),
    ("shares rose a penny to 250p", "a penny", "MONEY", 0.01, "GBP", None),
    ("earnings of a cent a share", "a cent", "MONEY", 0.01, "USD", None),
    # compound amounts and signs
    ("the toll is 4 dollars 75 cents", "4 dollars 75 cents", "MONEY", 4.75, "USD", None),
    ("fare: six dollars and forty cents", "six dollars and forty cents", "MONEY", 6.4, "USD", None),
    ("a coffee at £3 and 10p", "£3 and 10p", "MONEY", 3.1, "GBP", None),
    ("a fare of 3 pounds 40 pence", "3 pounds 40 pence", "MONEY", 3.4, "GBP", None),
    ("a 15 euro cents levy", "15 euro cents", "MONEY", 0.15, "EUR", None),
    ("Operating result: ($2,318.75)", "($2,318.75)", "MONEY", -2318.75, "USD", None),
    ("a reading of minus 0.4 percent", "minus 0.4 percent", "PERCENT", -0.4, "%", None),
    # rates: "/unit" joins the span, "an hour" / "per barrel" only set the unit
    ("pay of $22/hour", "$22/hour", "MONEY", 22, "USD", "per hour"),
    ("cleaners earn £12 an hour", "£12", "MONEY", 12, "GBP", "per hour"),
    ("crude at $78 per barrel", "$78", "MONEY", 78, "USD", "per barrel"),
    ("traded at 7.2 yuan per dollar", "7.2 yuan", "MONEY", 7.2, "CNY", "per dollar"),
    # fractions and multiplying words
    ("half a million visitors came", "half a million visitors", "COUNT", 5e5, "visitors", None),
    ("three-quarters of a billion euros.", "three-quarters of a billion euros", "MONEY", 7.5e8,
     "EUR", None),
    ("rates up half a percentage point", "half a percentage point", "PERCENT", 0.5, PP, None),
    ("a quarter of a percentage point.", "a quarter of a percentage point", "PERCENT", 0.25, PP,
     None),
    ("after a quarter-point hike", "a quarter-point", "PERCENT", 0.25, PP, None),
    ("Two-thirds of members voted yes", "Two-thirds", "PERCENT", 200 / 3, "%", None),
    ("a fifth of the workforce", "a fifth", "PERCENT", 20, "%", None),
    ("more than half of shoppers", "half", "PERCENT", 50, "%", None),
    ("exports more than doubled", "doubled", "MULTIPLIER", 2, "x", None),
    ("twice as many orders", "twice", "MULTIPLIER", 2, "x", None),
    ("triple the size of its rival", "triple", "MULTIPLIER", 3, "x", None),
    ("one in four renters", "one in four", "PERCENT", 25, "%", None),
    ("shares are down nearly a quarter", "a quarter", "PERCENT", 25, "%", None),
    # counts
    ("it took 17 of the 28 seats", "17", "COUNT", 17, "seats", None),
    ("trained on 25,000 GPUs", "25,000 GPUs", "COUNT", 25000, "GPUs", None),
    ("ordered 40 Airbus A350 jets", "40 Airbus A350 jets", "COUNT", 40, "jets", None),
    ("paid A$2 million to 1,500 customers", "A$2 million", "MONEY", 2e6, "AUD", None),
    ("Rs 3.1 lakh crore in market value", "Rs 3.1 lakh crore", "MONEY", 3.1e12, "INR", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "span", "label", "value", "kind", "money_unit"), RULES)
def test_news_rule(
    text: str, span: str, label: str, value: float, kind: str | None, money_unit: str | None
) -> None:
    figures = [f for f in find_figures(text, US_READER) if f["text"] == span]
    assert len(figures) == 1, find_figures(text, US_READER)
    figure = figures[0]
    assert text[figure["start"] : figure["end"]] == span
    assert (figure["label"], figure["value"]) == (label, pytest.approx(value))
    if label == "MONEY":
        assert (figure["currency"], figure["unit"]) == (kind, money_unit)
    else:
        assert (figure["currency"], figure["unit"]) == (None, kind)


NOT_FIGURES = [
    "sales of 4K TVs rose", "films shot in 8K.", "two people familiar with the matter said",
    "three officials, who asked not to be named, said", "streams in 1080p", "twice a week",
    "the hall doubled as a venue", "a double room", "he doubled down on the claim",
    "in the second half of the year", "a quarter of a century", "the third quarter of 2025",
    "a 150-pound dog", "a fee (in pounds)", "it will cut several hundred roles", "a third term",
    "Euro 2024 tickets", "the Yen 8 series", "the only one in 10 years", "the second one in 2024",
]  # fmt: skip


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_news_not_a_figure(text: str) -> None:
    assert find_figures(text) == []


def test_conversion_in_parentheses_stays_positive() -> None:
    figures = find_figures("HK$1,000 ($127.50) and a fee (£25)")
    assert [(f["text"], f["value"]) for f in figures] == [
        ("HK$1,000", 1000),
        ("$127.50", 127.5),
        ("£25", 25),
    ]


def test_weight_in_pounds_is_not_money() -> None:
    assert [f["label"] for f in find_figures("he lost 30 pounds")] != ["MONEY"]


WORDY = st.lists(
    st.sampled_from(
        [*"0123456789 ,.-()$£€/", "p", "half", "a ", "an ", "quarter", "-thirds", " of ", "one",
        " in ", "five", "twice ", "doubled", " as", " the ", " cents", " pence", " pounds",
        " Swedish kronor", " pesos", "/hour", " an hour", "minus ", " percentage point",
        "-point", " million", " people", " familiar with", "4K", " TVs", " and ", "Euro "]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(WORDY)
def test_word_rules_never_raise_and_slice_to_their_text(text: str) -> None:
    assert_figures_fit(text)


class _Windowed:
    """A regex stand-in that records how much text before a match each search looks at."""

    def __init__(self, pattern: re.Pattern[str], widths: list[int]) -> None:
        self.pattern, self.widths = pattern, widths

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.widths.append(min(endpos, len(text)) - pos)
        return self.pattern.search(text, pos, endpos)


def test_long_articles_are_scanned_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = "Sales fell by two-thirds. The second half of the year was weak, a third said."
    one = find_figures(paragraph)
    widths: list[int] = []
    for name in ("_CHANGE_BEFORE_RE", "_ORDINAL_BEFORE_RE"):
        monkeypatch.setattr(proportions, name, _Windowed(getattr(proportions, name), widths))
    text = "\n".join([paragraph] * 300)
    many = find_figures(text)
    assert len(many) == 300 * len(one) and [f["text"] for f in one] == ["two-thirds"]
    assert widths and max(widths) <= 80  # not the whole text before each fraction


if __name__ == "__main__":  # print the scores and every miss: python tests/test_figures_news.py
    result, problems = score(load_news())
    print(json.dumps(result), *problems, sep="\n")
