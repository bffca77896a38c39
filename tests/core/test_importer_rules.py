"""The importer's cleaning rules as tables: header detection, boilerplate, un-wrapping."""
# ruff: noqa: E501  (article sentences are data: one per line reads best)

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.core.articles.boilerplate import RULES, paragraph_rule
from tui.core.articles.header import derive_title, parse_date
from tui.core.articles.importer import clean_paragraphs
from tui.core.articles.readers import markdown_paragraphs, table_rows, unwrap

WRAPPED = """Harbour Times Report

The port operator agreed on Monday to sell 43 terminals for US$22.8
billion, the company said in a filing to the exchange, ending months of
speculation about the sale of its global business.

What happens next

Regulators in three countries must approve the sale, which is expected
to close within six months. Analysts said the price was fair, and one
well-known investor in the territory’s most promising technology start-
ups called it "the deal of the year".
- first listed point
- second listed point
"""


def test_hard_wrapped_text_becomes_paragraphs() -> None:
    assert unwrap(WRAPPED) == [
        "Harbour Times Report",
        "The port operator agreed on Monday to sell 43 terminals for US$22.8 billion, the company said in a filing to the exchange, ending months of speculation about the sale of its global business.",
        "What happens next",
        'Regulators in three countries must approve the sale, which is expected to close within six months. Analysts said the price was fair, and one well-known investor in the territory’s most promising technology start-ups called it "the deal of the year".',
        "- first listed point",
        "- second listed point",
    ]


def test_one_paragraph_per_line_stays_as_is() -> None:
    text = "First paragraph is short.\nSecond one, also short.\nThird.\n"
    assert unwrap(text) == ["First paragraph is short.", "Second one, also short.", "Third."]


@pytest.mark.parametrize(
    ("paragraphs", "title", "author", "published", "kept"),
    [
        (
            ["Headline here", "By Jane Doe | Reuters | 5 March 2025", "Text."],
            "Headline here",
            "Jane Doe",
            "2025-03-05",
            ["Text."],
        ),
        (
            ["Headline here", "Published: Mar. 7, 2024, 10:00am", "Text."],
            "Headline here",
            None,
            "2024-03-07",
            ["Text."],
        ),
        (
            ["Headline", "A dek that sums it up.", "By Ann Lee and Bo Chan", "Text."],
            "Headline",
            "Ann Lee and Bo Chan",
            None,
            ["Text."],
        ),
        (
            ["Headline", "First paragraph of the story.", "Second paragraph."],
            "Headline",
            None,
            None,
            ["First paragraph of the story.", "Second paragraph."],
        ),
        (
            ["By Monday, the city had spent HK$1 billion.", "Text."],
            None,
            None,
            None,
            ["By Monday, the city had spent HK$1 billion.", "Text."],
        ),
        (
            ["The deal closed. Subscribe for Updates"],
            None,
            None,
            None,
            ["The deal closed. Subscribe for Updates"],
        ),
        (
            ["Text one.", "Top", "A closing paragraph of the article."],
            None,
            None,
            None,
            ["Text one.", "Top", "A closing paragraph of the article."],
        ),
        (
            ["Text one.", "Related articles:", "A closing paragraph of the article."],
            None,
            None,
            None,
            ["Text one.", "A closing paragraph of the article."],
        ),
        (
            ["Text one.", "Related", "- Port stocks rally", "What happens next", "Text two."],
            None,
            None,
            None,
            ["Text one.", "What happens next", "Text two."],
        ),
        (
            [
                "Text one.",
                "Related articles",
                "Port deal closes",
                "Jobs data due",
                "Copyright 2025 Harbour Times",
            ],
            None,
            None,
            None,
            ["Text one."],
        ),
        (
            ["Text one.", "“We will win.”", "Read more", "1,204 views"],
            None,
            None,
            None,
            ["Text one.", "“We will win.”"],
        ),
        (
            ["HONG KONG (Reuters) - Stocks rose.", "Reporting by Jo Lam; Editing by Al Roe"],
            None,
            "Jo Lam",
            None,
            ["HONG KONG (Reuters) - Stocks rose."],
        ),
    ],
)
def test_cleaning_rules(
    paragraphs: list[str],
    title: str | None,
    author: str | None,
    published: str | None,
    kept: list[str],
) -> None:
    cleaned = clean_paragraphs(paragraphs)
    assert (cleaned.title, cleaned.author, cleaned.published) == (title, author, published)
    assert cleaned.paragraphs == kept


@pytest.mark.parametrize(
    ("footer", "source"),
    [
        ("© 2024 Harbour Times. All rights reserved.", "Harbour Times"),
        ("More from The Standard:\n- A headline", "The Standard"),
        ("Get the PortWire newsletter delivered to your inbox", "PortWire"),
        ("Sign up for our newsletter. Read more at www.harbourtimes.com", "harbourtimes.com"),
        ("Subscribe for Updates", None),
    ],
)
def test_source_from_footer(footer: str, source: str | None) -> None:
    cleaned = clean_paragraphs(["Text one.", *footer.split("\n")])
    assert cleaned.source == source
    assert cleaned.paragraphs == ["Text one."]


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("Short first sentence. Then more.", "Short first sentence"),
        (
            "The territory's government on Tuesday unveiled a sweeping plan to rebuild the harbourfront with public money over ten years.",
            "The territory's government on Tuesday unveiled a sweeping plan to rebuild…",
        ),
        ("Prices rose 5% in March, the statistics office said.", "Prices rose 5% in March"),
        ("Prices rose, he said.", "Prices rose, he said"),
        (
            "The Hong Kong Science and Technology Parks (HKSTP) will add 13,000 jobs in artificial intelligence and biotechnology by 2030, officials said.",
            "The HKSTP will add 13,000 jobs in artificial intelligence and biotechnology…",
        ),
        (
            "The Office for Attracting Strategic Enterprises (OASES) lured 84 firms.",
            "The Office for Attracting Strategic Enterprises (OASES) lured 84 firms",
        ),
    ],
)
def test_derived_title(body: str, title: str) -> None:
    assert derive_title(body) == title


def test_parse_date_formats() -> None:
    assert parse_date("Updated 2025-11-02") == "2025-11-02"
    assert parse_date("Tuesday, 4th February 2025") == "2025-02-04"
    assert parse_date("no date here") is None


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        ("Subscribe for Updates", "subscribe"),
        ("Sign up for our free daily newsletter!", "subscribe"),
        ("HealthRevolution Newsletter", "newsletter"),
        ("Get the Harbour Times newsletter delivered to your inbox", "newsletter"),
        ("Advertisement", "advertising"),
        ("Get our media kit", "advertising"),
        ("Notice an error?", "feedback"),
        ("Spotted a typo? Tell us.", None),
        ("Download our mobile app for breaking news alerts.", "promo"),
        ("Read more: Port deal closes", "read-more"),
        ("12.5K views", "counter"),
        ("4 min read", "counter"),
        ("Copyright 2025.", "copyright"),
        ("© 2024 Harbour Times. All rights reserved.", "copyright"),
        ("Subscribe. Copyright 2025.", "subscribe+copyright"),
        ("Copyright law was amended in 2022 to cover AI-generated works.", None),
        ("Readers who subscribe to the paper get a discount.", None),
        ("The newsletter reached 13,000 readers. Subscribe.", None),
        ("Advertising revenue fell 12% in 2024.", None),
        ("Share this article", "promo"),
        ("Share on Hong Kong's exchange fell 3%.", None),
        ("See more details in the filing.", None),
        ("See more stories from Harbour Times", "read-more"),
        ("Reporting by Jane Doe and Bo Lee; Editing by John Roe", "credits"),
        ("Our Standards: The Thomson Reuters Trust Principles.", "credits"),
        ("Reporting by the city's statistics office showed a 5% rise.", None),
    ],
)
def test_paragraph_rules(paragraph: str, rule: str | None) -> None:
    assert paragraph_rule(paragraph) == rule


def test_every_reported_rule_is_documented() -> None:
    cleaned = clean_paragraphs(
        [
            "Headline",
            "A dek.",
            "By Jo Lam",
            "Headline",
            "Body text.",
            "More from Harbour Times:",
            "- One",
            "Body text.",
            "Subscribe",
            "Weekly Picks",
            "Get our media kit",
        ]
    )
    assert cleaned.paragraphs == ["Body text."]
    for cut in cleaned.removed:
        assert all(name in RULES for name in cut.rule.split("+")), cut
    assert {cut.rule for cut in cleaned.removed} == {
        "title",
        "dek",
        "byline",
        "repeated-headline",
        "repeated-paragraph",
        "link-list",
        "subscribe",
        "promo-block",
        "advertising",
    }


_WORDS = [
    "the",
    "city",
    "port",
    "said",
    "officials",
    "firms",
    "billion",
    "jobs",
    "growth",
    "market",
    "new",
    "plan",
    "would",
    "more",
    "than",
    "AI",
    "Hong",
    "Kong",
]
_SENTENCE = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=8, unique=True))
def test_prose_is_never_cut(paragraphs: list[str]) -> None:
    assert clean_paragraphs(paragraphs).paragraphs == paragraphs


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=8, unique=True), st.integers(40, 90))
def test_wrapped_prose_unwraps_to_the_same_paragraphs(paragraphs: list[str], width: int) -> None:
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(p, width) for p in paragraphs)
    breaks = [line for line in wrapped.split("\n") if line and line[-1] != "."]
    assume(len(breaks) >= 2)  # two breaks mid-sentence: enough to tell wrapping apart
    assert unwrap(wrapped) == paragraphs


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=8, unique=True))
def test_one_paragraph_per_line_is_never_joined(paragraphs: list[str]) -> None:
    assert unwrap("\n".join(paragraphs)) == paragraphs


@pytest.mark.parametrize(
    ("paragraphs", "kept"),
    [
        (  # a table of figures ending the text, after two promo lines: never a promo block
            ["Spending rose.", "Subscribe", "Advertise with Us", "Health | +£22.6bn",
             "Defence | +£2.2bn", "Department | Change"],
            ["Spending rose.", "Health | +£22.6bn", "Defence | +£2.2bn", "Department | Change"],
        ),
        (  # figures under a "Top stories"-like heading stop the link list
            ["Text one.", "Top", "- Exports up 3.2%", "- Imports down €1.1bn", "Text two."],
            ["Text one.", "Top", "- Exports up 3.2%", "- Imports down €1.1bn", "Text two."],
        ),
        (  # two rows with the same figures are both kept (a table, not a repeat)
            ["Text one.", "Q1 | 5%", "Q2 | 5%"],
            ["Text one.", "Q1 | 5%", "Q2 | 5%"],
        ),
        (  # a short closing line with a figure is article, not promo
            ["Text one.", "Copyright 2025.", "Read more", "Growth: 2.1 per cent"],
            ["Text one.", "Growth: 2.1 per cent"],
        ),
        (  # a table row whose cells read like promo words is data
            ["Text one.", "Sponsored content | 12 | 14"],
            ["Text one.", "Sponsored content | 12 | 14"],
        ),
        (  # cookie banners, log-in prompts and bare date labels go
            ["Text one.", "We use cookies to improve your experience.", "Accept all cookies",
             "Already a subscriber? Log in", "Updated:"],
            ["Text one."],
        ),
    ],
)  # fmt: skip
def test_figures_are_never_boilerplate(paragraphs: list[str], kept: list[str]) -> None:
    assert clean_paragraphs(paragraphs).paragraphs == kept


@pytest.mark.parametrize(
    ("paragraphs", "known_source", "source", "kept"),
    [
        (["Headline here", "Reuters", "Text."], None, "Reuters", ["Text."]),
        (["Headline here", "(AFP)", "Text."], None, "AFP", ["Text."]),
        (["Headline here", "Source: Xinhua", "Text."], None, "Xinhua", ["Text."]),
        (["Headline here", "Via Bloomberg News", "Text."], None, "Bloomberg News", ["Text."]),
        (["Headline here", "The Ledger", "Text."], "The Ledger", "The Ledger", ["Text."]),
        (["Headline here", "Yonhap", "Text."], None, "Yonhap", ["Text."]),
        # a one-word section heading that names no publication stays
        (["Headline here", "Analysis", "Text."], None, None, ["Analysis", "Text."]),
        # prose that starts with an agency's name stays
        (["Headline here", "Reuters reported the deal.", "Text."], None, None,
         ["Reuters reported the deal.", "Text."]),
    ],
)  # fmt: skip
def test_source_lines_become_metadata(
    paragraphs: list[str], known_source: str | None, source: str | None, kept: list[str]
) -> None:
    cleaned = clean_paragraphs(paragraphs, known_source=known_source)
    assert (cleaned.source, cleaned.paragraphs) == (source, kept)


def test_a_known_author_line_is_a_byline() -> None:
    cleaned = clean_paragraphs(["Headline here", "Priya Shah", "Text."], known_author="Priya Shah")
    assert (cleaned.author, cleaned.paragraphs) == ("Priya Shah", ["Text."])
    assert [r.rule for r in cleaned.removed] == ["title", "byline"]


@pytest.mark.parametrize(
    "headline",
    ["Budget 2025: what changes", "The 2024 election in numbers", "Vision 2030 gets HK$2bn",
     "COP29 ends", "Q3 2025 results"],
)  # fmt: skip
def test_a_year_in_a_headline_is_never_a_date(headline: str) -> None:
    assert clean_paragraphs([headline, "Text."]).published is None
    assert parse_date(headline) is None


def test_markdown_and_html_tables_become_readable_rows() -> None:
    markdown = "Intro.\n\n| Dept | Change |\n|---|:--:|\n| Health | **+£22.6bn** |\n| | |\n"
    assert markdown_paragraphs(markdown) == ["Intro.", "Dept | Change", "Health | +£22.6bn"]
    lines = ["Intro.", "| Dept | Change | ", "|---|---|", "| Health | +£22.6bn | ", "| | |"]
    assert table_rows(lines) == ["Intro.", "Dept | Change", "Health | +£22.6bn"]
