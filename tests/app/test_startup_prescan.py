"""A library scan that finished while the app was imported (``claimdesk`` forks it first) is
listed in the app's first frame, with the counts of the database's summary; when the counts
would need the database read, the list comes from the usual worker instead."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.app.support import quick_idle_checks, ready, screen_text, write_library
from tui.app import make_app
from tui.core.annotations.store import open_store
from tui.core.annotations.summary import summary_path
from tui.core.articles.library import read_article
from tui.core.articles.prescan import PendingScan, start_scan
from tui.core.config import Settings

__all__ = ["quick_idle_checks"]


def finished_scan(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> PendingScan:
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in a fresh ``claimdesk``
    pending = start_scan(settings.articles_dir, settings.cache_dir)
    assert pending is not None
    deadline = time.monotonic() + 30
    while not pending.done():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return pending


def annotated(root: Path) -> Settings:
    articles = write_library(root)
    settings = Settings.from_paths(articles, root / "annotations.json")
    article = read_article(articles / "ai-start-ups.md")
    start = article.body.index("Hong Kong")
    open_store(settings.db_path).add(article, start, start + 9, author="tester")
    return settings


async def test_a_finished_scan_is_listed_in_the_first_frame_with_its_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = annotated(tmp_path)
    app = make_app(settings, entities=False, prescan=finished_scan(settings, monkeypatch))
    async with app.run_test(size=(120, 40)) as pilot:
        library = app.reader.library
        assert library.listed and [m.id for m in library.metas] == [
            "ai-start-ups", "hong-kong-tech-revival"
        ]  # fmt: skip
        assert library.claim_counts == {"ai-start-ups": 1}
        assert not [w for w in app.workers if w.group == "library"], "no scan of its own"
        await ready(pilot)
        assert "1 claim" in screen_text(app)


async def test_counts_that_need_the_database_come_from_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = annotated(tmp_path)
    summary_path(settings.db_path).unlink()  # the store must be read for the counts
    app = make_app(settings, entities=False, prescan=finished_scan(settings, monkeypatch))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.reader.library.claim_counts == {"ai-start-ups": 1}
        assert "1 claim" in screen_text(app)
        assert not app.workspace.library.scan_waiting()  # the worker took the forked scan
