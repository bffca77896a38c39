"""Headline checks: a title or summary figure the body contradicts or makes ambiguous.

Stories written for these tests (several markets); the quiet rows have headlines that agree
with their bodies and must produce nothing.
"""

from __future__ import annotations

import pytest

from tui.core.checks import check_article
from tui.core.checks.prepare import text_input

HK_BODY = (
    "According to a report, OASES has lured 84 innovative tech companies to the city, with"
    " projected investments reaching HK$50 billion ($6.37 billion) and the creation of"
    " approximately 13,000 jobs."
)

FIRES = [
    (
        "Exports double to $8bn",
        None,
        "Exports rose to $8 billion from $5 billion last year.",
        ("×2", "×1.61"),
    ),
    ("Profits halve at Bayer", None, "Bayer said net profit fell 20% to €1.6 billion.", ("×0.5",)),
    (
        "Ryanair profit £1.9bn",
        None,
        "Ryanair reported a profit of €1.9 billion for the year.",
        ("GBP", "EUR"),
    ),
    (
        "Lufthansa results",
        "Lufthansa doubled its profit.",
        "Lufthansa said profit rose 40% to €1.4 billion.",
        ("Summary", "×2", "×1.40"),
    ),
    # (title, summary, body, words in the explanation)
    (
        "Hong Kong Tech Revival: $50B Investments, 13K Jobs",
        None,
        HK_BODY,
        ("US$50 billion", "7.8×"),
    ),
    (
        "Temasek bets $20 billion on AI",
        None,
        "Temasek will invest S$20 billion (US$14.8 billion) in AI firms over five years.",
        ("S$20 billion", "1.4×"),
    ),
    (
        "Woodside books $3bn charge",
        None,
        "Woodside Energy booked an A$3 billion impairment on its Louisiana project.",
        ("drops the currency", "AUD"),
    ),
    (
        "Nestlé to cut €2 billion in costs",
        None,
        "Nestlé will cut CHF 2 billion in costs by 2027, the Vevey company said.",
        ("EUR", "CHF"),
    ),
    (
        "Airbus to cut 5,000 jobs",
        None,
        "Airbus said it would cut 2,500 jobs across its defence and space unit.",
        ("5,000", "2,500 jobs"),
    ),
    (
        "BHP profit hits $13.7bn",
        None,
        "BHP reported an underlying profit of US$12.7 billion for the year to June.",
        ("US$13.7 billion", "US$12.7 billion"),
    ),
    (
        "Unemployment hits 5.2%",
        None,
        "The unemployment rate rose to 4.2% in March, the statistics office said.",
        ("5.2%", "4.2%"),
    ),
    ("Exports double to $8bn", None, "Exports rose 60% to $8 billion last year.", ("×2", "×1.6")),
    (
        "Vietnam's trade boom",
        "Vietnam's exports tripled in 2024 as factories moved from China.",
        "Vietnam's exports rose 14% in 2024 to $405 billion.",
        ("Summary", "×3", "×1.14"),
    ),
    (
        "Qantas profit soars 50%",
        None,
        "Qantas said underlying profit rose 28% to A$2.47 billion.",
        ("×1.5", "×1.28"),
    ),
]

QUIET = [
    ("Exports double to $8bn", None, "Exports rose to $8 billion from $4.1 billion last year."),
    ("Bayer profit falls 20%", None, "Bayer said net profit fell 20% to €1.6 billion."),
    ("Woodside books $3bn charge", None, "Woodside Energy booked a $3 billion impairment."),
    ("Fonterra to hire 300 staff", None, "Fonterra employs 20,000 staff in New Zealand."),
    ("Singapore GDP grows 4%", None, "Singapore's economy grew 4.4% in 2024."),
    (
        "Apple sells 50 million iPhones",
        None,
        "Apple sold 50.2 million iPhones, and 220 million in the year.",
    ),
    ("Nvidia's $50B buyback", None, "Nvidia approved a $50 billion share buyback on Wednesday."),
    ("Hong Kong Tech Revival: HK$50B Investments, 13K Jobs", None, HK_BODY),
    ("OASES brings 84 firms to Hong Kong", "84 innovative firms have moved.", HK_BODY),
    (
        "Temasek's S$20 billion bet on AI",
        None,
        "Temasek will invest S$20 billion (US$14.8 billion) in AI firms over five years.",
    ),
    ("Exports double to $8bn", None, "Exports rose 105% to $8 billion last year."),
    ("Unemployment at 4.2%", None, "The unemployment rate rose to 4.2% in March."),
    ("Airbus to cut 2,500 jobs", None, "Airbus will cut about 2,500 jobs, out of 35,000 staff."),
    ("Toyota sells 10 million cars", None, "Toyota sold 10.3 million vehicles in the year."),
    ("Fed holds; markets eye 3 cuts", None, "The Federal Reserve kept rates on hold."),
    (
        "BHP profit falls 6% to $13.7bn",
        None,
        "Underlying profit fell 6% to US$13.7 billion from US$14.6 billion.",
    ),
    ("Revenue up 12%", None, "Revenue rose 12 per cent to £4.48 billion from £4 billion."),
    (
        "Infosys adds 20,000 staff",
        None,
        "Infosys added 20,000 staff, taking its headcount to 3,43,000 employees.",
    ),
]


def _headline(title: str, summary: str | None, body: str) -> list[str]:
    article = text_input("a", title, body, summary)
    findings = check_article(article.fields, article.figures_by_field, article.entities_by_field)
    return [f.explanation for f in findings if f.kind == "headline"]


@pytest.mark.parametrize(("title", "summary", "body", "words"), FIRES)
def test_contradicted_headline_is_found(
    title: str, summary: str | None, body: str, words: tuple[str, ...]
) -> None:
    found = _headline(title, summary, body)
    assert len(found) == 1, found
    for word in words:
        assert word in found[0]


@pytest.mark.parametrize(("title", "summary", "body"), QUIET)
def test_agreeing_headline_stays_quiet(title: str, summary: str | None, body: str) -> None:
    assert _headline(title, summary, body) == []


def test_dropped_currency_finding_points_at_headline_body_and_conversion() -> None:
    title = "Hong Kong Tech Revival: $50B Investments, 13K Jobs"
    article = text_input("hk", title, HK_BODY)
    findings = check_article(article.fields, article.figures_by_field, article.entities_by_field)
    [finding] = [f for f in findings if f.kind == "headline"]
    assert finding.severity == "warning"
    spans = [(s.field, s.text) for s in finding.spans]
    assert spans == [("title", "$50B"), ("body", "HK$50 billion"), ("body", "$6.37 billion")]
    assert title[finding.spans[0].start : finding.spans[0].end] == "$50B"
    assert finding.facts["ratio"] == pytest.approx(50 / 6.37)
    assert "7.8×" in finding.note()


def test_a_local_publications_dollar_is_only_possible() -> None:
    """An Australian paper's "$3bn" for "A$3 billion": its own readers may read it right."""
    body = "Woodside Energy booked an A$3 billion impairment on its Louisiana project."
    for source, severity in (("The Australian", "possible"), ("Reuters", "warning")):
        article = text_input("w", "Woodside books $3bn charge", body, source=source)
        found = check_article(article.fields, article.figures_by_field, article.entities_by_field)
        [finding] = [f for f in found if f.kind == "headline"]
        assert finding.severity == severity, source
        assert ("own readers may take '$' as AUD" in finding.explanation) == (
            severity == "possible"
        )
