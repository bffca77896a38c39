"""Feeds: RSS and Atom subscriptions whose new entries are imported into the library once.

A subscription is a row of the database's ``feeds`` side table (through any object with the
store's ``rows`` / ``put_row`` / ``delete_row``, see :class:`FeedTable`), keyed by the feed's
address, holding its title, when it was last fetched, the ETag / Last-Modified the server sent
(sent back next time, so an unchanged feed costs one empty 304 reply) and the keys (entry id,
else link) of the entries already imported.

:func:`update_feeds` is the one entry point both front ends call (the app from a worker): it
fetches every feed, imports each entry not seen before with :func:`import_sources`, and returns a
:class:`FeedReport` whose :meth:`~FeedReport.summary` is the line a person reads
("3 new, 12 already here, 1 failed: …"). A failing feed or entry never stops the others; a
failed entry is tried again at the next update.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urljoin

from tui.core.articles.importer import ImportOptions, ImportResult, import_sources
from tui.core.articles.library import utc_now
from tui.core.articles.web import FetchOptions, Response, WebError, fetch, is_url
from tui.core.text import visible_controls

FEEDS_TABLE = "feeds"
MAX_SEEN = 5000
"""Entry keys remembered per feed (the newest); feeds list their last few dozen entries."""


class FeedTable(Protocol):
    """The store's generic side-table API, which is all feeds need."""

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of ``table``."""
        ...

    def put_row(self, table: str, key: str, row: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace the row with ``key``."""
        ...

    def delete_row(self, table: str, key: str) -> None:
        """Remove the row with ``key`` (KeyError when there is none)."""
        ...


class FeedError(Exception):
    """A feed command that cannot be done: ``str()`` is one line saying why."""


@dataclass(frozen=True)
class Feed:
    """One subscription."""

    url: str
    title: str | None = None
    added_at: str | None = None
    last_fetched: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seen: tuple[str, ...] = ()
    """Keys of the entries already imported, oldest first."""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Feed:
        """A feed from its stored row (unknown fields ignored, odd values dropped)."""

        def text(name: str) -> str | None:
            value = row.get(name)
            return value if isinstance(value, str) and value else None

        seen = row.get("seen")
        keys = tuple(k for k in seen if isinstance(k, str)) if isinstance(seen, list) else ()
        return cls(
            url=str(row.get("url") or row.get("key") or ""),
            title=text("title"),
            added_at=text("added_at"),
            last_fetched=text("last_fetched"),
            etag=text("etag"),
            last_modified=text("last_modified"),
            seen=keys,
        )

    def to_row(self) -> dict[str, Any]:
        """The row stored for this feed."""
        return {
            "url": self.url,
            "title": self.title,
            "added_at": self.added_at,
            "last_fetched": self.last_fetched,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "seen": list(self.seen[-MAX_SEEN:]),
        }


@dataclass(frozen=True)
class FeedFailure:
    """A feed, or one entry of it, that could not be imported."""

    feed: str
    reason: str
    entry: str | None = None

    def __str__(self) -> str:
        where = f"{self.feed} entry {self.entry}" if self.entry else self.feed
        return visible_controls(f"{where}: {self.reason}")


@dataclass(frozen=True)
class FeedProgress:
    """Where an update is: fetching feed ``done`` of ``total``, or importing entry ``done``."""

    stage: Literal["fetch", "import"]
    done: int
    total: int
    label: str


@dataclass
class FeedReport:
    """What one :func:`update_feeds` did."""

    imported: list[ImportResult] = field(default_factory=list)
    """New articles, and articles updated in place because the entry's text changed."""
    already: int = 0
    """Entries imported before (by key), or whose text the library already holds."""
    older: int = 0
    """Entries skipped as older than ``since``."""
    failed: list[FeedFailure] = field(default_factory=list)
    feeds: int = 0
    unchanged: int = 0
    """Feeds the server said had not changed since the last fetch (HTTP 304)."""

    def summary(self) -> str:
        """ "3 new, 12 already here, 1 failed: <first failure>"."""
        parts = [f"{len(self.imported)} new", f"{self.already} already here"]
        if self.older:
            parts.append(f"{self.older} older skipped")
        if self.unchanged:
            parts.append(f"{self.unchanged} feed{'' if self.unchanged == 1 else 's'} unchanged")
        line = ", ".join(parts)
        if self.failed:
            more = f" (and {len(self.failed) - 1} more)" if len(self.failed) > 1 else ""
            line += f", {len(self.failed)} failed: {self.failed[0]}{more}"
        return line


def list_feeds(table: FeedTable) -> list[Feed]:
    """Every subscription, in the order added."""
    return [Feed.from_row(row) for row in table.rows(FEEDS_TABLE)]


def add_feed(table: FeedTable, url: str, *, options: FetchOptions | None = None) -> Feed:
    """Subscribe to the feed at ``url`` after checking that it is one; return it.

    Nothing is imported yet: the next :func:`update_feeds` imports its entries.
    """
    if not is_url(url):
        raise FeedError(f"{url}: not an http:// or https:// address")
    if any(feed.url == url for feed in list_feeds(table)):
        raise FeedError(f"{url}: already subscribed ('claimdesk feed list' shows it)")
    try:
        response = fetch(url, kind="feed", options=options)
    except WebError as exc:
        raise FeedError(str(exc)) from None
    parsed = _parse(response)
    feed = Feed(url=url, title=_title(parsed), added_at=utc_now())
    table.put_row(FEEDS_TABLE, url, feed.to_row())
    return feed


def remove_feed(table: FeedTable, which: str) -> Feed:
    """Unsubscribe from the feed with this address (or the only one whose title starts so)."""
    feeds = list_feeds(table)
    matches = [f for f in feeds if f.url == which] or [
        f for f in feeds if f.title and f.title.casefold().startswith(which.casefold())
    ]
    if len(matches) != 1:
        found = "no feed" if not matches else f"{len(matches)} feeds"
        raise FeedError(f"{which}: {found} with that address or title ('claimdesk feed list')")
    table.delete_row(FEEDS_TABLE, matches[0].url)
    return matches[0]


def update_feeds(
    table: FeedTable,
    articles_dir: Path,
    *,
    since: date | None = None,
    progress: Callable[[FeedProgress], None] | None = None,
    options: FetchOptions | None = None,
    cache_dir: Path | None = None,
    on_wait: Callable[[str], None] | None = None,
    only: Sequence[str] | None = None,
) -> FeedReport:
    """Fetch every feed (or those in ``only``) and import each entry not imported before.

    ``since`` skips entries dated before that day. ``progress`` hears each feed fetched and
    each entry imported. Raises ImportLockError only when the library cannot be locked.
    """
    feeds = [f for f in list_feeds(table) if only is None or f.url in only]
    report = FeedReport(feeds=len(feeds))
    pending: list[tuple[Feed, list[tuple[str, str]]]] = []
    for number, feed in enumerate(feeds, 1):
        if progress is not None:
            progress(FeedProgress("fetch", number - 1, len(feeds), feed.title or feed.url))
        found = _new_entries(table, feed, since, options, report)
        if found is not None:
            pending.append(found)
    total = sum(len(links) for _, links in pending)
    done = 0
    for fetched, links in pending:
        seen = list(fetched.seen)
        keys = {link: key for key, link in links}

        def on_result(
            result: ImportResult,
            feed: Feed = fetched,
            seen: list[str] = seen,
            keys: dict[str, str] = keys,
        ) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(FeedProgress("import", done, total, result.origin))
            if result.status == "failed":
                report.failed.append(FeedFailure(feed.url, result.message, result.origin))
                return
            seen.append(keys[result.origin])
            if result.status == "duplicate":
                report.already += 1
            else:
                report.imported.append(result)

        if links:
            import_sources(
                [link for _, link in links],
                articles_dir,
                ImportOptions(fetch=options),
                cache_dir=cache_dir,
                on_wait=on_wait,
                on_result=on_result,
            )
        retry = any(f.feed == fetched.url and f.entry in keys for f in report.failed)
        if len(seen) > len(fetched.seen) or retry:
            row = {**fetched.to_row(), "seen": seen[-MAX_SEEN:]}
            if retry:  # fetch the whole feed next time, so the failed entries are tried again
                row.update(etag=None, last_modified=None)
            table.put_row(FEEDS_TABLE, fetched.url, row)
    return report


def _new_entries(
    table: FeedTable,
    feed: Feed,
    since: date | None,
    options: FetchOptions | None,
    report: FeedReport,
) -> tuple[Feed, list[tuple[str, str]]] | None:
    """Fetch ``feed`` and return its entries not seen before as (key, link); None on failure."""
    try:
        response = fetch(
            feed.url,
            kind="feed",
            options=options,
            etag=feed.etag,
            last_modified=feed.last_modified,
        )
        parsed = None if response.not_modified else _parse(response)
    except (WebError, FeedError) as exc:
        reason = str(exc).removeprefix(f"{feed.url}: ")
        report.failed.append(FeedFailure(feed.url, reason))
        return None
    if parsed is None:
        table.put_row(FEEDS_TABLE, feed.url, _fetched(feed, response, None, []).to_row())
        report.unchanged += 1
        return None
    seen = set(feed.seen)
    entries: list[tuple[str, str]] = []
    unusable: list[str] = []
    for number, entry in enumerate(parsed.get("entries", []), 1):
        link = entry.get("link")
        label = entry.get("title") or f"#{number}"
        key = entry.get("id") or link or f"no-link:{label}"
        if key in seen:
            report.already += 1
            continue
        if not isinstance(link, str) or not link.strip():
            reason = "has no link to an article; nothing to import"
            report.failed.append(FeedFailure(feed.url, reason, f"“{label}”"))
            unusable.append(key)  # reported once: it can never be imported
            continue
        link = urljoin(response.url, link.strip())
        if not is_url(link):
            report.failed.append(FeedFailure(feed.url, "links to no web page", link))
            unusable.append(key)
            continue
        day = _entry_day(entry)
        if any(existing == link for _, existing in entries):
            report.already += 1
        elif since is not None and day is not None and day < since:
            report.older += 1
        else:
            entries.append((str(key), link))
    fetched = _fetched(feed, response, parsed, unusable)
    table.put_row(FEEDS_TABLE, feed.url, fetched.to_row())
    return fetched, entries


def _fetched(feed: Feed, response: Response, parsed: Any, unusable: list[str]) -> Feed:
    """``feed`` after this fetch: its title, fetch time, validators, and entries never to retry.

    On a 304 the validators sent stay; otherwise those of this response are kept.
    """
    unchanged = response.not_modified
    return Feed(
        url=feed.url,
        title=(_title(parsed) if parsed is not None else None) or feed.title,
        added_at=feed.added_at,
        last_fetched=utc_now(),
        etag=response.etag or (feed.etag if unchanged else None),
        last_modified=response.last_modified or (feed.last_modified if unchanged else None),
        seen=(*feed.seen, *unusable),
    )


def _entry_day(entry: Any) -> date | None:
    """The day an entry says it was published (or updated), in UTC."""
    for name in ("published_parsed", "updated_parsed"):
        value = entry.get(name)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC).date()
    return None


def _parse(response: Response) -> Any:
    """The feed parsed by feedparser; FeedError when it is not a feed at all."""
    import feedparser

    parsed = feedparser.parse(response.body)
    if parsed.get("bozo") and not parsed.get("entries") and not parsed.get("feed"):
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0][:120]})" if problem else ""
        raise FeedError(f"{response.url}: not an RSS or Atom feed{detail}")
    if not parsed.get("version") and not parsed.get("entries"):
        raise FeedError(f"{response.url}: not an RSS or Atom feed (no channel or entries)")
    return parsed


def _title(parsed: Any) -> str | None:
    title = parsed.get("feed", {}).get("title")
    return visible_controls(" ".join(title.split())) if isinstance(title, str) and title else None
