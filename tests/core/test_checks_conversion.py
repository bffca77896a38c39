"""Conversion checks: a stated conversion whose implied rate is off the peg or the article.

Sentences written for these tests, from several markets; the quiet rows are correct
conversions (or ones the software cannot judge) and must produce nothing.
"""

from __future__ import annotations

import pytest

from tui.core.checks import CheckContext, check_article
from tui.core.checks.prepare import text_input

FIRES = [
    (
        "Rio Tinto pays A$1.20 a share (US$1.80 a share) as its dividend.",
        ("US$1.5 per AUD",),
        "possible",
    ),
    # (body, words the explanation must contain, severity)
    (
        "The MTR will spend HK$50 billion ($5 billion) on new lines.",
        ("10 HKD per US$", "7.75-7.85"),
        "warning",
    ),
    ("Cathay raised HK$1 billion (US$200 million) in bonds.", ("5 HKD per US$", "peg"), "warning"),
    (
        "Aramco paid SAR 30 billion ($10 billion) in dividends.",
        ("3 SAR per US$", "3.75"),
        "warning",
    ),
    ("Emaar sold AED 1.1 billion (US$500 million) of homes.", ("2.2 AED per US$",), "warning"),
    (
        "Siemens booked €2 billion ($2.2 billion) in orders. It also won a €500 million"
        " ($540 million) rail contract and a €1 billion ($1.1 billion) grid deal, and €3 billion"
        " ($4.5 billion) more from Spain.",
        ("US$1.5 per EUR", "other conversions"),
        "warning",
    ),
    (
        "BP paid £1 billion, or about $2.9 billion, in fines.",
        ("US$2.9 per GBP", "every rate since 2000"),
        "possible",
    ),
    ("Tata invested Rs 4,000 crore ($4.8 billion) in chips.", ("INR per US$",), "possible"),
    (
        "Toyota spent 150 billion yen ($100 million) on batteries.",
        ("1500 JPY per US$",),
        "possible",
    ),
]

QUIET = [
    "CK Hutchison earned HK$20 billion, or US$0.50 a share, in the half.",
    "Rio Tinto pays A$1.20 a share (US$0.80 a share) as its dividend.",
    "Fletcher raised NZ$1 billion (US$600 million) from investors.",
    "SoftBank lost ¥1 trillion ($6.7 billion) in Japan, the Tokyo group said.",
    "The club paid £100 million (€117 million) for the striker.",  # no US-dollar side
    "OASES drew HK$50 billion ($6.37 billion) in investment.",
    "The Hong Kong government allocated HK$1 billion (US$129 million) to an AI institute.",
    "Cathay raised HK$3.9 billion (US$500 million), about HK$1.95 billion (US$250 million) each.",
    "Aramco paid SAR 37.5 billion ($10 billion) in dividends.",
    "Siemens booked €2 billion ($2.16 billion) in orders and a €500 million ($540 million) deal.",
    "BP paid £1 billion, or about $1.27 billion, in fines.",
    "Tata invested Rs 4,000 crore ($480 million) in chips.",
    "Toyota spent 150 billion yen ($1 billion) on batteries.",
    "DBS earned S$2.8 billion (US$2.1 billion) in the quarter.",
    "Shopify lost C$500 million (US$365 million) last year.",
    "The fund holds 900 million pesos and $20 million in bonds.",  # no conversion written
    "The deal is worth between HK$1 billion and HK$2 billion ($128-256 million).",
    "Petrobras paid R$10 billion ($2 billion) to shareholders.",  # no table for BRL at 5.0
]


def _conversion(body: str, context: CheckContext | None = None) -> list[tuple[str, str]]:
    article = text_input("a", "Markets", body)
    findings = check_article(
        article.fields, article.figures_by_field, article.entities_by_field, context
    )
    return [(f.explanation, f.severity) for f in findings if f.kind == "conversion"]


@pytest.mark.parametrize(("body", "words", "severity"), FIRES)
def test_off_rate_conversion_is_found(body: str, words: tuple[str, ...], severity: str) -> None:
    found = _conversion(body)
    assert len(found) == 1, found
    explanation, got = found[0]
    assert got == severity
    for word in words:
        assert word in explanation


@pytest.mark.parametrize("body", QUIET)
def test_correct_conversion_stays_quiet(body: str) -> None:
    assert _conversion(body) == []


def test_user_rate_is_the_expectation_for_a_floating_currency() -> None:
    """Without another conversion in the article, the user's rate decides (loosely)."""
    body = "Equinor paid NOK 10 billion ($2 billion) in tax."
    assert _conversion(body) == []  # no rate known for NOK: unknown, so no claim
    found = _conversion(body, CheckContext(user_rates={"NOK": 0.095}))
    assert len(found) == 1
    assert "your rate" in found[0][0] and found[0][1] == "possible"
    assert (
        _conversion(body.replace("$2 billion", "$950 million"), CheckContext({"NOK": 0.095})) == []
    )


def test_spans_are_the_two_amounts() -> None:
    body = "The MTR will spend HK$50 billion ($5 billion) on new lines."
    article = text_input("a", "t", body)
    [finding] = check_article(article.fields, article.figures_by_field, article.entities_by_field)
    assert [s.text for s in finding.spans] == ["HK$50 billion", "$5 billion"]
    assert finding.facts["currency"] == "HKD"
    assert finding.facts["implied_usd_per_unit"] == pytest.approx(0.1)
