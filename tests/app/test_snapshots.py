"""A few SVG snapshots of the reader (figures only, no NLP, fixed sizes: deterministic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.support import (
    TECH_BODY,
    app_for,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
)
from tui.widgets.article_view import ArticleView

TECH = "hong-kong-tech-revival"


async def open_tech(pilot: Pilot[Any]) -> None:
    """Open the tech article and select the claim "HK$50 billion"."""
    app = pilot.app
    await ready(pilot)  # snap_compare calls this before the first screen is mounted
    app.reader.open_article(TECH)  # type: ignore[attr-defined]
    await pilot.pause()
    start = TECH_BODY.index("HK$50 billion")
    app.screen.query_one("#article", ArticleView).select_range(start, start + 13)
    await pilot.pause()


def test_main_screen_wide(snap_compare: Any, tmp_path: Path) -> None:
    """Library, the article with figures highlighted and one selected, the Figures tab, legend."""
    assert snap_compare(app_for(tmp_path), terminal_size=(120, 40), run_before=open_tech)


def test_main_screen_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """At 80x24 the article takes the whole width; library and side panel are toggles."""
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=open_tech)


def test_tag_dialog(snap_compare: Any, tmp_path: Path) -> None:
    """The tag dialog: quote, figure value, tags typed, note, status, buttons."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_tech(pilot)
        await pilot.press("t", *"investment, OASES")  # open the dialog, type two tags
        pilot.app.screen.query_one("#tag-tags", Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=(100, 30), run_before=run_before)


def test_claims_notebook(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notebook: claims of two articles grouped under their titles, filters on top."""
    from tui.core.annotations import records

    times = iter(f"2026-01-0{day}T09:30:00Z" for day in range(1, 10))
    monkeypatch.setattr(records, "utc_timestamp", lambda: next(times))  # fixed, ordered times
    monkeypatch.setenv("CLAIMDESK_AUTHOR", "analyst")

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        app = pilot.app
        workspace = app.workspace  # type: ignore[attr-defined]
        tech = workspace.article(TECH)
        start = TECH_BODY.index("13,000 jobs")
        workspace.add_claim(tech, start, start + 11, tags=["jobs"], status="disputed")
        start = TECH_BODY.index("HK$50 billion")
        workspace.add_claim(tech, start, start + 13, tags=["investment"], note="check OASES")
        workspace.add_claim(workspace.article("ai-start-ups"), 0, 9, tags=["ai"])
        await pilot.press("ctrl+n")  # open the notebook
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=(100, 30), run_before=run_before)


def test_library_filtered(snap_compare: Any, tmp_path: Path) -> None:
    """The library filtered by "hong": the header counts 1 of 2, the cursor row is marked."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("slash", *"hong")  # filter the list
        pilot.app.screen.query_one("#library-filter", Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=(100, 20), run_before=run_before)
