"""The reader's panels (article view, find bar, legend, side panel) are mounted after the first
frame, once the library list is drawn: nothing the user does before then is lost or crashes."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import tui.screens.reader.screen as reader_screen
from tests.app.support import app_for, quick_idle_checks, ready, screen_text
from tui.core.workspace.base import WorkspaceBase

__all__ = ["quick_idle_checks"]


@pytest.fixture
def held_scan(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The library worker's scan waits for the returned event (set it to let it go on); the
    panels' own deadline is far away, so they wait for the list."""
    release = threading.Event()
    scan = WorkspaceBase.load_library

    def held(self: WorkspaceBase) -> Any:
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(20), "the test never released the scan"
        return scan(self)

    monkeypatch.setattr(WorkspaceBase, "load_library", held)
    monkeypatch.setattr(reader_screen, "PANELS_AT_LATEST", 3600)
    return release


async def test_panels_come_once_the_list_is_drawn(
    tmp_path: Path, held_scan: threading.Event
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reader = app.reader
        assert (
            not reader.panels_ready and not reader.query("#article") and not reader.query("#side")
        )
        assert "Loading the library" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "Tag" not in footer and "Find" not in footer, (
            "keys that need the panels are not offered"
        )
        await pilot.press("t", "p", "K", "1")  # nothing to act on yet: no error, no crash
        assert not reader.panels_ready
        held_scan.set()
        await ready(pilot)
        assert reader.query("#article") and reader.query("#side") and reader.query("#legend")
        footer = screen_text(app).splitlines()[-1]
        assert "Library" in footer and "Help" in footer


async def test_an_article_opened_before_the_panels_opens_once_they_are_there(
    tmp_path: Path, held_scan: threading.Event
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reader = app.reader
        app.workspace.load_library()  # the scan done here; the worker's is still held
        assert not reader.open_article("no-such-article"), "an unknown id is refused at once"
        assert not reader.panels_started, "nothing waits for the panels"
        assert reader.open_claim("hong-kong-tech-revival", "no-such-claim")
        assert reader.open_article("hong-kong-tech-revival", select=(0, 4))
        for _ in range(50):
            await pilot.pause()
            if reader.article is not None:
                break
        assert reader.panels_ready
        assert reader.article is not None and reader.article.id == "hong-kong-tech-revival"
        assert reader.view.selected_range == (0, 4)
        assert "Hong Kong Tech Revival" in screen_text(app)
        held_scan.set()
        await ready(pilot)
        assert reader.article.id == "hong-kong-tech-revival", "the listing keeps the open article"
