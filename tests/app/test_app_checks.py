"""Pilot tests of the Checks tab: findings listed (the open article's first), shown, tagged."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from tests.app.support import (
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
)
from tests.app.test_app_headline import REVIVAL, headline_app
from tui.core.annotations.store import open_store
from tui.widgets.panel.checks import CheckList, ChecksPane


async def show_checks(pilot: Pilot[Any]) -> ChecksPane:
    """Open the headline article, switch to the Checks tab and wait for the checks."""
    app = pilot.app
    await ready(pilot)
    await open_article(pilot, REVIVAL)
    app.reader.side.show_tab("tab-checks")  # type: ignore[attr-defined]
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(ChecksPane)


async def test_checks_tab_says_checking_while_the_worker_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first look at the tab starts the checks in a worker and says so (the checks are held
    until the test has looked, so a fast machine cannot finish them first)."""
    import tui.core.checks.prepare as prepare

    release = threading.Event()
    real = prepare.check_workspace

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare, "check_workspace", held)
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, REVIVAL)
        app.reader.side.show_tab("tab-checks")
        await pilot.pause()
        check_list = app.reader.query_one(CheckList)
        try:
            assert app.reader.checking, "the checks run in a worker"
            assert option_text(check_list.get_option_at_index(0)) == "checking…"
        finally:
            release.set()


async def test_the_open_articles_headline_finding_is_listed_first(tmp_path: Path) -> None:
    """The headline's "$50B" against the body's HK$50 billion is the first row, a warning."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_checks(pilot)
        first = pane.findings[0]
        assert (first.kind, first.severity, first.spans[0].text) == ("headline", "warning", "$50B")
        check_list = pane.query_one(CheckList)
        row = option_text(check_list.get_option_at_index(check_list.highlighted or 0))
        assert row.startswith("warning · headline · headline\n")
        assert first.explanation in row.replace("\n", " ") or first.explanation in row


async def test_enter_on_a_finding_selects_its_first_span(tmp_path: Path) -> None:
    """Enter shows the finding in the reader: "$50B" selected in the headline."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_checks(pilot)
        pane.query_one(CheckList).focus()
        await pilot.press("enter")
        await pilot.pause()
        view = app.reader.view
        assert view.selected_field_range == ("title", 24, 28) and view.has_focus


async def test_t_in_the_checks_tab_tags_the_finding_with_its_explanation(tmp_path: Path) -> None:
    """t saves a claim on the finding's first span, the note pre-filled with the explanation."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_checks(pilot)
        finding = pane.findings[0]
        pane.query_one(CheckList).focus()
        await pilot.press("t")
        await pilot.pause()
        assert app.reader.claims and app.reader.claims[0].field == "title"
    [record] = open_store(tmp_path / "annotations.json").annotations()
    assert (record["field"], record["quote"]) == ("title", "$50B")
    assert record["note"] == finding.note()


async def test_K_shows_the_checks_tab_from_the_reader(tmp_path: Path) -> None:
    """K switches the side panel to Checks with its list focused, and starts the checks."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, REVIVAL)
        await pilot.press("K")
        await pilot.pause()
        assert app.reader.query_one(CheckList).has_focus
        await app.workers.wait_for_complete()
        await pilot.pause()
        tab = app.reader.side.query_one(TabbedContent).get_tab("tab-checks")
        assert app.reader.findings is not None and str(tab.label) == "Checks 4"


async def test_a_figure_correction_runs_the_checks_again(tmp_path: Path) -> None:
    """Correcting the headline's "$50B" (to USD) runs the checks again with the correction."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_checks(pilot)
        before = [f.id for f in pane.findings]
        app.reader.view.focus()
        app.reader.view.focus_span(next(s for s in app.reader.spans if s.text == "$50B"))
        await pilot.press("c", *"USD", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.findings is not None and not app.reader.checking
        assert [f.id for f in pane.findings] != before, "the checks ran with the correction"
