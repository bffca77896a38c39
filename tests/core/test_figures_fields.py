"""An article's title, summary and body read together; the context through Extractor and cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.core.extract import Extractor
from tui.core.extract.article_figures import figures_for_fields
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import find_figures

TITLE = "Hong Kong Tech Revival: $50B Investments, 13K Jobs in AI, Biotech"
SUMMARY = (
    "Hong Kong is experiencing a tech revival, attracting 84 innovative firms via OASES, with "
    "HK$50 billion in investments and 13,000 jobs in AI, biotech, and fintech."
)
BODY = (
    "OASES has lured 84 innovative tech companies to the city, with projected investments "
    "reaching HK$50 billion ($6.37 billion) and the creation of approximately 13,000 jobs."
)


def _view(found: dict[str, Any]) -> dict[str, list[tuple[str, object, object]]]:
    return {
        field: [(f["text"], f["value"], f["currency"] or f["unit"]) for f in figures]
        for field, figures in found.items()
    }


def test_headline_dollar_is_the_bodys_hong_kong_amount() -> None:
    found = figures_for_fields(TITLE, SUMMARY, BODY, FigureContext(source="WebProNews"))
    assert _view(found) == {
        "title": [("$50B", 5e10, "HKD"), ("13K Jobs", 13000, "jobs")],
        "summary": [
            ("84 innovative firms", 84, "firms"),
            ("HK$50 billion", 5e10, "HKD"),
            ("13,000 jobs", 13000, "jobs"),
        ],
        "body": [
            ("84 innovative tech companies", 84, "companies"),
            ("HK$50 billion", 5e10, "HKD"),
            ("$6.37 billion", 6.37e9, "USD"),
            ("13,000 jobs", 13000, "jobs"),
        ],
    }
    assert found["title"][0]["currency_reason"] == (
        "the article writes the same amount as “HK$50 billion”"
    )
    texts = {"title": TITLE, "summary": SUMMARY, "body": BODY}
    for field, figures in found.items():
        for figure in figures:
            assert figure["field"] == field
            assert texts[field][figure["start"] : figure["end"]] == figure["text"]


def test_the_body_alone_and_the_body_of_the_article_agree() -> None:
    context = FigureContext(source="WebProNews")
    body = figures_for_fields(TITLE, SUMMARY, BODY, context)["body"]
    assert [{k: v for k, v in f.items() if k != "field"} for f in body] == find_figures(
        BODY, context
    )


def test_empty_title_and_summary_give_empty_fields() -> None:
    found = figures_for_fields("", None, "It rose 5%.")
    assert (found["title"], found["summary"], [f["text"] for f in found["body"]]) == (
        [],
        [],
        ["5%"],
    )


def test_one_cached_body_is_resolved_under_each_context(tmp_path: Path) -> None:
    body = "DBS earned $2.97 billion in the quarter."
    cold = Extractor(tmp_path, []).figures(body, cache=True, context=FigureContext())
    warm = Extractor(tmp_path, [])
    singapore = warm.figures(body, cache=True, context=FigureContext(source="The Straits Times"))
    canada = warm.figures(body, cache=True, context=FigureContext(source="The Globe and Mail"))
    assert [f["currency"] for f in (*cold, *singapore, *canada)] == [None, "SGD", "CAD"]
    assert warm.figures(body, cache=True)[0]["currency"] is None


def test_extract_takes_the_context_and_keeps_the_old_call_shape() -> None:
    extractor = Extractor(None, [])
    text = "Fonterra will pay $8.50 a kilogram."
    assert extractor.extract(text, figures_only=True).figures[0]["currency"] is None
    nz = FigureContext(url="https://www.nzherald.co.nz/business/x")
    assert extractor.extract(text, True, context=nz).figures[0]["currency"] == "NZD"
    assert (
        extractor.figures_for_fields("Fonterra's $8.50", None, text, context=nz)["title"][0][
            "currency"
        ]
        == "NZD"
    )
