"""``claimdesk feed``: subscribe to RSS / Atom feeds and import their new entries."""

from __future__ import annotations

import logging
import sys
from datetime import date, datetime

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tui.cli.output import UserError, safe, warn
from tui.core.articles.feeds import (
    FeedError,
    FeedProgress,
    add_feed,
    list_feeds,
    remove_feed,
    update_feeds,
)
from tui.core.articles.importlock import ImportLockError
from tui.core.config import Settings
from tui.core.workspace import Workspace, WorkspaceError


def _table(settings: Settings) -> Workspace:
    """The workspace whose store holds the ``feeds`` table."""
    return Workspace(settings)


@click.group("feed")
def feed_group() -> None:
    """Subscribe to RSS or Atom feeds and import their new entries into the library."""


@feed_group.command("add")
@click.argument("url")
@click.pass_obj
def add_command(settings: Settings, url: str) -> None:
    """Subscribe to the feed at URL (checked now; 'feed update' imports its entries)."""
    try:
        feed = add_feed(_table(settings).store, url)
    except (FeedError, WorkspaceError) as exc:
        raise UserError(str(exc)) from None
    click.echo(safe(f"subscribed to {feed.title or feed.url} ({feed.url})"))


@feed_group.command("list")
@click.pass_obj
def list_command(settings: Settings) -> None:
    """Every subscription, with when it was last fetched and how many entries came from it."""
    try:
        feeds = list_feeds(_table(settings).store)
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    if not feeds:
        click.echo("no feeds; add one with 'claimdesk feed add URL'")
    for feed in feeds:
        fetched = feed.last_fetched or "never fetched"
        click.echo(
            safe(f"{feed.url}  {feed.title or '(no title)'}  {fetched}  {len(feed.seen)} imported")
        )


@feed_group.command("remove")
@click.argument("which")
@click.pass_obj
def remove_command(settings: Settings, which: str) -> None:
    """Unsubscribe from a feed, named by its address or the start of its title.

    Articles already imported from it stay in the library.
    """
    try:
        feed = remove_feed(_table(settings).store, which)
    except (FeedError, WorkspaceError) as exc:
        raise UserError(str(exc)) from None
    click.echo(safe(f"unsubscribed from {feed.title or feed.url} ({feed.url})"))


@feed_group.command("update")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only entries published on or after this day (YYYY-MM-DD).",
)
@click.pass_obj
def update_command(settings: Settings, since: datetime | None) -> None:
    """Fetch every feed and import each entry not imported before.

    Prints one line per new article and ends with a summary ("3 new, 12 already here, 1 failed:
    …"); exits 1 when anything failed. A progress bar is shown on a terminal.
    """
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    day: date | None = since.date() if since is not None else None
    workspace = _table(settings)
    try:
        if not list_feeds(workspace.store):
            click.echo("no feeds; add one with 'claimdesk feed add URL'")
            return
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    bar = _progress_bar()
    task = bar.add_task("feeds", total=None) if bar is not None else None

    def progress(step: FeedProgress) -> None:
        if bar is not None and task is not None:
            verb = "fetching" if step.stage == "fetch" else "importing"
            label = safe(step.label)[:60]
            bar.update(task, completed=step.done, total=step.total, description=f"{verb} {label}")

    try:
        if bar is not None:
            bar.start()
        report = update_feeds(
            workspace.store,
            settings.articles_dir,
            since=day,
            progress=progress,
            cache_dir=settings.cache_dir,
            on_wait=warn,
        )
    except (ImportLockError, WorkspaceError) as exc:
        raise UserError(str(exc)) from None
    finally:
        if bar is not None:
            bar.stop()
    for result in report.imported:
        meta = result.meta
        if meta is not None:
            click.echo(safe(f"{result.origin}: {result.status} as {meta.id} — “{meta.title}”"))
    for failure in report.failed:
        warn(f"error: {failure}")
    click.echo(safe(report.summary()))
    if report.failed:
        raise SystemExit(1)


def _progress_bar() -> Progress | None:
    """A Rich progress bar on stderr when it is a terminal; None when output is piped."""
    if not sys.stderr.isatty():
        return None
    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True, markup=False, highlight=False),
        transient=True,
    )
