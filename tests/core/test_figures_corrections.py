"""Figure corrections: fix a figure's currency, value, unit or label, or drop it, in one article."""

from __future__ import annotations

from typing import Any

import pytest

from tui.core.extract import Extractor
from tui.core.extract.corrections import corrections_version, valid_corrections
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figure_corrections import (
    FigureCorrectionError,
    apply_figure_corrections,
    make_figure_correction,
)

BODY = "CBA earned $2.8 billion.\nAnalysts had expected $2.8 billion, up 4 per cent."
TITLE = "CBA's $2.8 billion profit"
ARTICLE = FigureContext(article_id="cba-result")


def _stored(correction: dict[str, Any], number: int = 1) -> dict[str, Any]:
    return {"id": f"c{number}", "created": "2026-01-01T00:00:00.000Z", **correction}


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"currency": "aud"}, "currency", "AUD"),
        ({"clear_currency": True}, "currency", None),
        ({"value": 2.9e9}, "value", 2900000000),
        ({"unit": "per share"}, "unit", "per share"),
        ({"label": "count"}, "label", "COUNT"),
    ],
)
def test_each_change_applies_to_every_occurrence(
    changes: dict[str, Any], field: str, value: Any
) -> None:
    correction = _stored(make_figure_correction("cba-result", "$2.8  billion", **changes))
    figures = Extractor(None, [correction]).figures(BODY, context=ARTICLE)
    corrected = [f for f in figures if f["text"] == "$2.8 billion"]
    assert len(corrected) == 2
    for figure in corrected:
        assert figure[field] == value
        assert figure["corrected"] is True and figure["correction"] == "c1"
        assert field in figure["original"]
    assert [f.get("corrected") for f in figures if f["text"] == "4 per cent"] == [None]


def test_original_keeps_the_rules_values_and_the_reason_changes() -> None:
    correction = _stored(make_figure_correction("cba-result", "$2.8 billion", currency="AUD"))
    figure = Extractor(None, [correction]).figures(BODY, context=ARTICLE)[0]
    assert figure["original"] == {
        "currency": None,
        "currency_reason": "unknown: a bare “$” with no evidence of which dollar",
    }
    assert figure["currency_reason"] == "corrected by you"


def test_not_a_figure_drops_it_in_every_field() -> None:
    correction = _stored(make_figure_correction("cba-result", "$2.8 billion", not_figure=True))
    fields = Extractor(None, [correction]).figures_for_fields(TITLE, None, BODY, context=ARTICLE)
    assert [f["text"] for found in fields.values() for f in found] == ["4 per cent"]


def test_a_correction_applies_only_to_its_article() -> None:
    correction = _stored(make_figure_correction("other-article", "$2.8 billion", currency="AUD"))
    extractor = Extractor(None, [correction])
    assert {f["currency"] for f in extractor.figures(BODY, context=ARTICLE)} == {None}
    assert {f["currency"] for f in extractor.figures(BODY)} == {None}


def test_later_corrections_win_and_the_first_original_is_kept() -> None:
    first = _stored(make_figure_correction("cba-result", "$2.8 billion", currency="USD"), 1)
    second = _stored(make_figure_correction("cba-result", "$2.8 billion", currency="AUD"), 2)
    figure = apply_figure_corrections(
        Extractor(None, []).figures(BODY), valid_corrections([first, second]), "cba-result"
    )[0]
    assert (figure["currency"], figure["original"]["currency"]) == ("AUD", None)


def test_corrections_change_the_version_and_survive_validation() -> None:
    correction = _stored(make_figure_correction("cba-result", "$2.8 billion", value=3))
    assert valid_corrections([correction]) == [correction]
    assert corrections_version([correction]) != corrections_version([])
    broken = {**correction, "set": {"colour": "red"}}
    assert valid_corrections([broken]) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "$2.8 billion"), "article id"),
        (("a", "   "), "empty"),
        (("a", "x" * 201), "longer than"),
        (("a", "$5", {"currency": "dollars"}), "three-letter"),
        (("a", "$5", {"label": "AMOUNT"}), "unknown figure label"),
        (("a", "$5", {"value": float("nan")}), "finite"),
        (("a", "$5", {"not_figure": True, "currency": "AUD"}), "cannot be combined"),
        (("a", "$5", {}), "say what to fix"),
    ],
)
def test_bad_corrections_say_what_to_change(args: tuple[Any, ...], message: str) -> None:
    options = args[2] if len(args) > 2 else {}
    with pytest.raises(FigureCorrectionError, match=message):
        make_figure_correction(args[0], args[1], **options)


def test_rules_output_is_never_changed() -> None:
    extractor = Extractor(None, [])
    before = extractor.figures(BODY, context=ARTICLE)
    correction = _stored(make_figure_correction("cba-result", "$2.8 billion", currency="AUD"))
    apply_figure_corrections(before, valid_corrections([correction]), "cba-result")
    assert all("corrected" not in f for f in before)
