"""Arithmetic checks: stated changes their own figures contradict, shares past 100%.

Each row is a sentence as a newsroom would write it (written for these tests); the flag says
whether the check must fire. Consistent rows must stay quiet: false alarms cost trust.
"""

from __future__ import annotations

import pytest

from tui.core.checks import check_article
from tui.core.checks.prepare import text_input

FIRES = [
    ("Visitors rose from 1.2 million to 1.5 million, a 20% increase.", "+25.0%"),
    ("Emissions were cut by a third to 30 million tonnes from 40 million tonnes.", "-25.0%"),
    ("Revenue rose 15% to 300 million euros from 200 million euros.", "+50.0%"),
    ("Sales fell by half to 40,000 units from 100,000 units.", "-60.0%"),
    ("Sales fell by half to 40 from 100.", "-60.0%"),
    ("Support for Labour posted a 3-point gain, from 41% to 45%.", "+4"),
    ("Support rose 3 percentage points to 45% from 41%.", "+4"),
    ("Profit doubled to $130 million from $100 million.", "×1.30"),
    ("Qantas said underlying profit doubled to A$1.3 billion from A$1 billion.", "×1.30"),
    ("Tokyo land prices jumped 25% to ¥1.2 million a square metre from ¥1.1 million.", "+9.1%"),
    ("The Sensex fell 2% to 61,000 from 60,000.", "a rise"),
    ("Infosys headcount grew 8 per cent to 3,43,000 from 3,00,000 a year earlier.", ""),
    ("Rents in Dublin climbed 12% from €1,800 to €2,300 a month.", "+27.8%"),
    ("Air New Zealand's passenger numbers tripled to 1.5 million from 900,000.", "×1.67"),
    ("The firm employs 1,200 people, up from 1,000 last year, an increase of 40%.", "+20.0%"),
    ("Shell cut its dividend by a third to 20 cents from 50 cents.", "-60.0%"),
    (
        "Of the ballots counted, 52% of voters backed Yes, 45% of voters No and 8% of voters"
        " spoiled.",
        "105",
    ),
    (
        "The survey found 61% of respondents trust banks, 38% of respondents do not and 9% of"
        " respondents are unsure.",
        "108",
    ),
]

QUIET = [
    "Visitors rose from 1.2 million to 1.5 million, a 25% increase.",
    "Turnover increased by 25 per cent to €500m from €400m.",
    "Net income jumped 40% year on year to R$2.1 billion from R$1.5 billion.",
    "Emissions were cut by a quarter to 30 million tonnes from 40 million tonnes.",
    "Revenue rose 50% to 300 million euros from 200 million euros.",
    "Revenue climbed 12 per cent to £4.48 billion, from £4 billion a year earlier.",
    "Sales fell by half to 50,000 units from 100,000 units.",
    "Support for Labour posted a 4-point gain, from 41% to 45%.",
    "Support rose 4 percentage points to 45% from 41%.",
    "Profit doubled to $205 million from $101 million.",
    "Unemployment rose 1% to 5% from 4%.",
    "The jobless rate fell to 3.9% from 4.1% in March.",
    "Exports to China rose 60% to $8 billion from $5 billion.",
    "The Nikkei gained 1.2% to 39,500 from 39,030.",
    "The firm employs 1,200 people, up from 1,000 last year, an increase of 20%.",
    "Toronto home prices fell about 10% to C$1.08 million from C$1.2 million.",
    "Singapore's GDP grew 4.4% in 2024 from 1.8% in 2023.",
    "Prices rose 3% in the year to March from a year earlier.",
    "The index rose 30 points to 4,500 from 4,470.",
    "Output rose from 2019 to 2024 by 15%.",
    "Of those polled, 52% of voters backed Yes, 45% of voters No and 3% of voters were undecided.",
    "Respondents could choose more than one: 70% of respondents cited cost, 55% of respondents"
    " quality.",
    "The rise of AI has lifted chip sales to $600 billion.",
    "Rates are up to 40% higher than in 2020.",
    "Shares in BHP rose 3%, while Rio Tinto's fell 2%.",
    "Rural wages grew 6% in nominal terms, while inflation eased to 4.1% from 5.3%.",
    "Hybrids made up 41% of sales, against 37% a year ago, a gain of 4 percentage points.",
    "The levy rate was cut to 0.1% from 0.15% in 2021.",
]


def _arithmetic(sentence: str) -> list[str]:
    article = text_input("a", "Markets", sentence)
    findings = check_article(article.fields, article.figures_by_field, article.entities_by_field)
    return [f.explanation for f in findings if f.kind == "arithmetic"]


@pytest.mark.parametrize(("sentence", "mentions"), FIRES)
def test_contradicted_change_is_found(sentence: str, mentions: str) -> None:
    """The finding names the figures' own result."""
    found = _arithmetic(sentence)
    assert len(found) == 1, found
    assert mentions in found[0]


@pytest.mark.parametrize("sentence", QUIET)
def test_consistent_change_stays_quiet(sentence: str) -> None:
    assert _arithmetic(sentence) == []


def test_finding_spans_point_at_the_trigger_and_values() -> None:
    sentence = "Revenue rose 15% to 300 million euros from 200 million euros."
    article = text_input("a", "Markets", sentence)
    [finding] = check_article(article.fields, article.figures_by_field, article.entities_by_field)
    texts = [s.text for s in finding.spans]
    assert texts == ["rose", "15%", "300 million euros", "200 million euros"]
    assert all(sentence[s.start : s.end] == s.text and s.field == "body" for s in finding.spans)
    assert finding.severity == "warning"
    assert finding.note().startswith("Figure check (arithmetic, problem): ")


def test_small_gap_is_possible_not_warning() -> None:
    """18% stated where the figures give 20%: within the possible margin."""
    found = text_input("a", "t", "Sales rose 17% to 120,000 units from 100,000 units.")
    [finding] = check_article(found.fields, found.figures_by_field, found.entities_by_field)
    assert finding.severity == "possible"


def test_a_gap_the_rounding_could_explain_says_so() -> None:
    """-3% stated, -4.5% as written; $2.13bn from $2.2bn would be -3%: possible, with why."""
    [found] = _arithmetic("Sales fell 3% to $2.1 billion from $2.2 billion a year earlier.")
    assert found.endswith("is -4.5% (the figures' rounding could explain it)")
