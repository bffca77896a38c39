"""A few SVG snapshots of the reader (figures only, no NLP, fixed sizes: deterministic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
