"""The peer-scorer adapter (benchmarks/score_figures.py) reports minor units as written.

Our figures keep major units ("50 cents" is 0.5); the peer suites give "50 cents" as 50 "Cent".
Only the adapter translates, with the extractor's own minor-unit vocabulary, and compound
amounts stay in major units.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tui.core.extract.figures import find_figures

ADAPTER = Path(__file__).parents[2] / "benchmarks" / "score_figures.py"


def _adapter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_figures_adapter", ADAPTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (text, span, value the adapter reports, its unit)
AS_WRITTEN = [
    ("the dividend is 50 cents a share", "50 cents", 50, "cent"),
    ("SIA will pay 45 Singapore cents", "45 Singapore cents", 45, "cent"),
    ("a 12-cent rise in the fuel excise", "12-cent", 12, "cent"),
    ("shares closed at 470 pence in London", "470 pence", 470, "pence"),
    ("Tesco rose 6p to 312p", "312p", 312, "pence"),
    ("earnings of 14.27 cents per share", "14.27 cents", 14.27, "cent"),
    ("a 15 euro cents levy", "15 euro cents", 15, "cent"),
    ("a ticket costs 90 kopecks", "90 kopecks", 90, "kopeck"),
    ("it went up by one penny", "one penny", 1, "penny"),
    # compound amounts and major units are left as the extractor gives them
    ("the toll is 4 dollars 75 cents", "4 dollars 75 cents", 4.75, None),
    ("a coffee at £3 and 10p", "£3 and 10p", 3.1, "GBP"),
    ("Tickets cost €40 each", "€40", 40, "EUR"),
]


@pytest.mark.parametrize(("text", "span", "value", "unit"), AS_WRITTEN)
def test_minor_units_are_reported_as_written(
    text: str, span: str, value: float, unit: str | None
) -> None:
    predictions = [p for p in _adapter().extract(text) if p["text"] == span]
    assert len(predictions) == 1, _adapter().extract(text)
    assert predictions[0]["value"] == pytest.approx(value)
    assert predictions[0]["unit"] == unit
    assert predictions[0]["kind"] == "money"


def test_the_extractor_itself_keeps_major_units() -> None:
    (figure,) = find_figures("SIA will pay 45 Singapore cents")
    assert (figure["value"], figure["currency"]) == (0.45, "SGD")
