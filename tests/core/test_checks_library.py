"""Library checks: cross-article disagreements and one figure in several wordings.

Each case is a pair of short stories written for these tests, with the entity names a model
would tag given as ``names``.
"""

from __future__ import annotations

import pytest

from tui.core.checks import check_library
from tui.core.checks.inputs import ArticleInput
from tui.core.checks.prepare import text_input

Story = tuple[str, str, str]  # (body, published, title)

CROSS_FIRES = [
    # (story a, story b, names, words in the explanation)
    (
        ("OASES said the programme has created 13,000 jobs.", "2025-03-01", "Jobs"),
        ("OASES said the programme has created 15,000 jobs so far.", "2025-09-01", "More jobs"),
        {"OASES": "ORG"},
        ("OASES job", "13,000", "2025-03-01", "15,000", "2025-09-01"),
    ),
    (
        ("Tesla reported revenue of $25.2 billion for the quarter.", "2025-04-23", "Tesla"),
        ("Tesla's revenue was $26.4 billion for the quarter.", "2025-04-24", "Tesla results"),
        {"Tesla": "ORG"},
        ("Tesla revenue", "$25.2 billion", "$26.4 billion"),
    ),
    (
        ("Japan's unemployment rate was 2.5% in 2024, the ministry said.", "2025-02-01", "Jobs"),
        ("In 2024 Japan's unemployment rate averaged 2.9%.", "2025-02-01", "Japan"),
        {"Japan": "GPE"},
        ("Japan unemployment", "(2024)", "2.5%", "2.9%"),
    ),
    (
        ("Temasek said it holds a 54% stake in Singtel.", "2025-07-01", "Temasek"),
        ("Temasek's stake in Singtel stands at 52%.", "2025-08-01", "Singtel"),
        {"Temasek": "ORG"},
        ("54%", "52%"),
    ),
]

CROSS_QUIET = [
    (
        ("Qantas employs 30,000 people across Australia.", "2025-03-01", "Qantas"),
        ("Qantas flew 50 million people last year.", "2025-03-01", "Qantas"),
        {"Qantas": "ORG"},
    ),
    (
        ("Tesla delivered 1.8 million vehicles in 2024.", "2025-01-02", "Tesla"),
        ("Tesla delivered 1.79 million vehicles in 2024, it said.", "2025-01-03", "Tesla"),
        {"Tesla": "ORG"},
    ),
    (
        ("OASES said the programme has created 13,000 jobs.", "2025-03-01", "Jobs"),
        ("OASES said the programme created about 13,000 jobs.", "2025-09-01", "Jobs again"),
        {"OASES": "ORG"},
    ),
    (
        ("Qantas will hire 5,000 workers this year.", "2025-03-01", "Qantas"),
        ("Virgin Australia will hire 7,000 workers this year.", "2025-03-01", "Virgin"),
        {"Qantas": "ORG", "Virgin Australia": "ORG"},
    ),
    (
        ("Tesla reported revenue of US$25.2 billion in 2023.", "2024-01-25", "Tesla"),
        ("Tesla reported revenue of US$26.4 billion in 2024.", "2025-01-29", "Tesla"),
        {"Tesla": "ORG"},
    ),
    (
        ("OASES has attracted HK$50 billion in investment.", "2025-03-01", "OASES"),
        ("OASES has attracted $6.37 billion in investment.", "2025-03-02", "OASES"),
        {"OASES": "ORG"},
    ),
    (
        ("OASES added 3,000 jobs in the second year.", "2025-03-01", "OASES"),
        ("OASES has created 13,000 jobs in total.", "2025-09-01", "OASES"),
        {"OASES": "ORG"},
    ),
    (
        ("The programme has created 13,000 jobs.", "2025-03-01", "Jobs"),
        ("The programme has created 15,000 jobs.", "2025-09-01", "Jobs"),
        {},
    ),
]


def _library(a: Story, b: Story, names: dict[str, str]) -> list[ArticleInput]:
    return [
        text_input("story-a", a[2], a[0], names=names, published=a[1]),
        text_input("story-b", b[2], b[0], names=names, published=b[1]),
    ]


def _kind(articles: list[ArticleInput], kind: str) -> list[str]:
    return [f.explanation for f in check_library(articles) if f.kind == kind]


@pytest.mark.parametrize(("a", "b", "names", "words"), CROSS_FIRES)
def test_disagreeing_articles_are_found(
    a: Story, b: Story, names: dict[str, str], words: tuple[str, ...]
) -> None:
    found = _kind(_library(a, b, names), "cross-article")
    assert len(found) == 1, found
    for word in words:
        assert word in found[0]
    assert found[0].index("story-a") < found[0].index("story-b")  # oldest first


@pytest.mark.parametrize(("a", "b", "names"), CROSS_QUIET)
def test_agreeing_or_unrelated_articles_stay_quiet(
    a: Story, b: Story, names: dict[str, str]
) -> None:
    assert _kind(_library(a, b, names), "cross-article") == []


def test_same_day_disagreement_is_a_warning_and_lists_both_spans() -> None:
    a = ("OASES said it has created 13,000 jobs.", "2025-03-01", "Jobs")
    b = ("OASES said it has created 15,000 jobs.", "2025-03-01", "Jobs")
    [finding] = [
        f for f in check_library(_library(a, b, {"OASES": "ORG"})) if f.kind != "same-figure"
    ]
    assert finding.severity == "warning"
    assert [(s.article_id, s.text) for s in finding.spans] == [
        ("story-a", "13,000 jobs"),
        ("story-b", "15,000 jobs"),
    ]
    assert finding.facts["values"] == [
        ["story-a", "2025-03-01", 13000],
        ["story-b", "2025-03-01", 15000],
    ]


def test_later_date_wins_even_when_listed_first() -> None:
    a = ("OASES said it has created 15,000 jobs.", "2025-09-01", "Jobs")
    b = ("OASES said it has created 13,000 jobs.", "2025-03-01", "Jobs")
    [finding] = _kind(_library(a, b, {"OASES": "ORG"}), "cross-article")
    assert finding.index("13,000") < finding.index("15,000")


def test_one_figure_in_several_wordings_is_grouped_within_an_article() -> None:
    article = text_input(
        "hk",
        "OASES: HK$50B Investments",
        "Investments reached HK$50 billion ($6.37 billion), officials said.",
        "OASES brought HK$50 billion in investments.",
    )
    [finding] = [f for f in check_library([article]) if f.kind == "same-figure"]
    assert finding.severity == "info"
    assert [(s.field, s.text) for s in finding.spans] == [
        ("title", "HK$50B"),
        ("summary", "HK$50 billion"),
        ("body", "HK$50 billion"),
        ("body", "$6.37 billion"),
    ]
    assert "3 wordings" in finding.explanation


def test_same_figure_across_articles_needs_the_same_subject() -> None:
    names = {"OASES": "ORG", "Qantas": "ORG", "BHP": "ORG"}
    same = [
        text_input("a", "t", "OASES has attracted HK$50 billion.", names=names),
        text_input("b", "t", "OASES said HK$50bn was committed.", names=names),
    ]
    [finding] = _kind(same, "same-figure")
    assert "'HK$50 billion' (a body)" in finding and "'HK$50bn' (b body)" in finding
    unrelated = [
        text_input("a", "t", "Qantas raised US$1 billion in bonds.", names=names),
        text_input("b", "t", "BHP spent US$1bn on a mine.", names=names),
    ]
    assert _kind(unrelated, "same-figure") == []


def test_one_wording_repeated_is_not_reported() -> None:
    article = text_input("a", "t", "It created 13,000 jobs. Officials confirmed 13,000 jobs.")
    assert _kind([article], "same-figure") == []


def test_an_amount_beside_its_own_conversion_is_not_a_group() -> None:
    """ "HK$1 billion (US$129 million)" once: the two sit side by side, nothing to link."""
    alone = text_input("a", "t", "The government allocated HK$1 billion (US$129 million) to AI.")
    assert _kind([alone], "same-figure") == []
    repeated = text_input(
        "a", "HK$1bn for AI", "The government allocated HK$1 billion (US$129 million) to AI."
    )
    [finding] = _kind([repeated], "same-figure")
    assert "'US$129 million' (body, a US-dollar conversion)" in finding
