"""Updating the subscribed feeds from the app: the blocking part, run in a worker thread.

The app's ``F`` key (and the palette's "Update feeds") runs :func:`update_subscribed_feeds` off
the UI loop, then reloads the library so new articles appear unread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.workspace import WorkspaceError

if TYPE_CHECKING:
    from tui.core.workspace import Workspace

NO_FEEDS = "No feeds yet: subscribe with 'claimdesk feed add URL', then press F again"


def update_subscribed_feeds(workspace: Workspace) -> tuple[str, int]:
    """Fetch every subscribed feed and import its new entries: the report's one-line summary
    and how many articles are new. WorkspaceError (one line) when nothing could be tried."""
    from tui.core.articles.feeds import list_feeds, update_feeds
    from tui.core.articles.importlock import ImportLockError

    store = workspace.store
    if not list_feeds(store):
        return NO_FEEDS, 0
    settings = workspace.settings
    try:
        report = update_feeds(store, settings.articles_dir, cache_dir=settings.cache_dir)
    except ImportLockError as exc:
        raise WorkspaceError(str(exc)) from None
    return f"Feeds updated: {report.summary()}", len(report.imported)
