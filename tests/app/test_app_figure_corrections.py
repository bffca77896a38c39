"""Pilot tests of figure corrections in the reader: c on a focused figure, save, show, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.support import (
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
)
from tests.app.test_app_headline import REVIVAL, headline_app
from tui.screens.correction import CorrectionScreen
from tui.screens.figure_correction import FigureCorrectionScreen
from tui.widgets.panel.figures import FigureList


async def correct_headline_figure(pilot: Pilot[Any]) -> FigureCorrectionScreen:
    """Open the article, focus "$50B" with n and press c."""
    await ready(pilot)
    await open_article(pilot, REVIVAL)
    await pilot.press("n", "c")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FigureCorrectionScreen)
    return screen


async def test_c_on_a_figure_opens_the_figure_dialog(tmp_path: Path) -> None:
    """The dialog names the figure, its value and currency and why."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await correct_headline_figure(pilot)
        now = str(screen.query_one("#figure-now", Static).content)
        assert now.startswith("Now: money, 50,000,000,000 HKD — ")


async def test_a_currency_correction_is_saved_and_shown(tmp_path: Path) -> None:
    """Typing USD and enter stores a figure correction; the figure is USD and marked."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await correct_headline_figure(pilot)
        await pilot.press(*"USD", "enter")
        await pilot.pause()
        [correction] = app.workspace.corrections()
        assert (correction["article"], correction["text"]) == (REVIVAL, "$50B")
        assert correction["set"] == {"currency": "USD"}
        view = app.reader.view
        assert view.focused is not None and view.focused.text == "$50B"
        assert view.focused.data["currency"] == "USD" and view.focused.data["corrected"]
        figures = app.reader.query_one(FigureList)
        assert "✎ corrected" in option_text(figures.get_option_at_index(0))


async def test_u_undoes_a_figure_correction(tmp_path: Path) -> None:
    """u removes the correction: the figure is HKD again and no correction is stored."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await correct_headline_figure(pilot)
        await pilot.press(*"USD", "enter")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert app.workspace.corrections() == []
        figure = next(s for s in app.reader.spans if s.text == "$50B")
        assert figure.data["currency"] == "HKD" and not figure.data.get("corrected")


async def test_not_a_figure_removes_the_highlight(tmp_path: Path) -> None:
    """Ticking "Not a figure" drops the figure from the reader and the Figures tab."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await correct_headline_figure(pilot)
        screen.query_one("#fix-not-figure").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not any(s.text == "$50B" for s in app.reader.spans)


async def test_a_bad_value_keeps_the_dialog_open_with_the_reason(tmp_path: Path) -> None:
    """A value that is not a number is refused in the dialog, which stays open."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await correct_headline_figure(pilot)
        await pilot.press("tab", *"fifty", "enter")  # currency, then value
        await pilot.pause()
        assert app.screen is screen
        error = str(screen.query_one("#fix-error", Static).content)
        assert "value 'fifty' is not a number" in error
        assert app.workspace.corrections() == []


async def test_entity_instead_leads_to_the_entity_dialog(tmp_path: Path) -> None:
    """ctrl+t in the figure dialog offers the entity correction for the same text."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await correct_headline_figure(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, CorrectionScreen) and app.screen.text == "$50B"
