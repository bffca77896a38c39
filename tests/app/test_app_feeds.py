"""Pilot tests of updating feeds from the app: a key and a palette command run the update in a
worker; new articles appear unread. Feeds are served from a local site on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.support import (
    app_for,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    record_notifications,
    shown,
)
from tests.cli.test_feeds import item, rss
from tests.fixtures.pages.server import Route, Site, page, serve
from tui.core.articles.feeds import add_feed
from tui.screens.feeds import NO_FEEDS


@pytest.fixture()
def site() -> Iterator[Site]:
    """A local site with one RSS feed of one article page."""
    with serve({"/wire.html": Route(page("wire.html"))}) as running:
        running.routes["/feed.xml"] = Route(
            rss(running.base, [item("/wire.html", "Nickel jumps")]),
            content_type="application/rss+xml",
        )
        yield running


async def test_F_imports_new_feed_entries_as_unread_articles(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F fetches the feed in a worker; the new article is listed unread and the summary said."""
    app = app_for(tmp_path)
    add_feed(app.workspace.store, site.url("/feed.xml"))
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        before = {meta.id for meta in app.workspace.scan.articles}
        await pilot.press("F")
        await shown(pilot, "Library 3")  # the update's worker, then the library's reload
        new = [m for m in app.workspace.scan.articles if m.id not in before]
        assert len(new) == 1 and new[0].id not in app.workspace.read_ids
        library = app.reader.library
        assert new[0].id not in library.read_ids, "listed with the unread mark"
        assert any(m.startswith("Feeds updated: 1 new, 0 already here") for m in messages)


async def test_palette_update_feeds_twice_adds_nothing_the_second_time(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The palette command runs the same update; an entry is imported only once."""
    app = app_for(tmp_path)
    add_feed(app.workspace.store, site.url("/feed.xml"))
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for _ in range(2):
            await pilot.press("ctrl+p", *"Update feeds")
            await shown(pilot, "Update feeds (import new entries)")
            await pilot.press("enter")
            await ready(pilot)
        updates = [m for m in messages if m.startswith("Feeds updated")]
        assert updates[0].startswith("Feeds updated: 1 new")
        assert updates[1].startswith("Feeds updated: 0 new")


async def test_F_without_feeds_says_how_to_subscribe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no subscription, F says how to add one (nothing is fetched)."""
    app = app_for(tmp_path)
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("F")
        await ready(pilot)
        assert NO_FEEDS in messages


async def test_help_lists_the_feed_key_with_its_binding_id(tmp_path: Path) -> None:
    """? shows F with the id a user remaps it by (CLAIMDESK_KEYS)."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await shown(pilot, "app.update_feeds")
