"""`claimdesk feed`: subscribe, import each entry once, report every failure in one line.

Served from a local site on 127.0.0.1; nothing reaches the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fixtures.pages.server import Route, Site, page, serve
from tui.cli import cli
from tui.core.annotations.store import AnnotationStore
from tui.core.articles.feeds import (
    FEEDS_TABLE,
    FeedError,
    FeedProgress,
    add_feed,
    list_feeds,
    remove_feed,
    update_feeds,
)
from tui.core.articles.library import scan_library


def rss(base: str, items: list[str]) -> bytes:
    """An RSS 2.0 feed of ``items`` (each an ``<item>`` body)."""
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Metals &amp; Markets</title><link>{base}/</link><description>d</description>"
        f"{body}</channel></rss>"
    ).encode()


def item(path: str, title: str, day: str = "Mon, 15 Jul 2024 06:00:00 GMT") -> str:
    return f"<title>{title}</title><link>{path}</link><guid>{path}</guid><pubDate>{day}</pubDate>"


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Herald Live</title><id>urn:x:herald</id>
<updated>2024-06-18T05:00:00Z</updated>
<entry><title>Rates held</title><id>urn:x:live-1</id><link href="/liveblog.html"/>
<updated>2024-06-18T05:00:00Z</updated></entry></feed>"""


def _routes() -> dict[str, Route]:
    return {
        "/wire.html": Route(page("wire.html")),
        "/paywall.html": Route(page("paywall.html")),
        "/budget.html": Route(page("budget.html")),
        "/liveblog.html": Route(page("liveblog.html")),
        "/atom.xml": Route(ATOM, content_type="application/atom+xml"),
        "/not-a-feed.xml": Route(b"this is not <xml at all", content_type="application/xml"),
        "/page-not-feed": Route(page("wire.html")),
    }


@pytest.fixture()
def site() -> Iterator[Site]:
    """A fresh local site per test (feeds change between updates)."""
    with serve(_routes()) as running:
        running.routes["/feed.xml"] = Route(
            rss(
                running.base,
                [
                    item("/wire.html", "Nickel jumps"),
                    item("/paywall.html", "MTR spends", "Mon, 03 Feb 2025 02:00:00 GMT"),
                    item("/budget.html", "Budget 2025", "Wed, 26 Nov 2025 13:00:00 GMT"),
                    "<title>A teaser without a link</title>"
                    '<guid isPermaLink="false">teaser-1</guid>',
                    item("/gone.html", "A removed story"),
                ],
            ),
            content_type="application/rss+xml",
            etag='"v1"',
        )
        yield running


@pytest.fixture(autouse=True)
def _quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)  # the local site is reached directly
    monkeypatch.setenv("CLAIMDESK_HTTP_TIMEOUT", "2")


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        ["--articles", str(tmp_path / "lib"), "--db", str(tmp_path / "a.json"), *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def test_add_update_imports_each_entry_once(tmp_path: Path, site: Site) -> None:
    code, out, err = run(tmp_path, "feed", "add", site.url("/feed.xml"))
    assert code == 0, err
    assert out.strip() == f"subscribed to Metals & Markets ({site.url('/feed.xml')})"
    code, out, err = run(tmp_path, "feed", "update")
    assert code == 1  # two entries failed
    assert len(scan_library(tmp_path / "lib").articles) == 3
    summary = out.strip().split("\n")[-1]
    assert summary.startswith("3 new, 0 already here, 2 failed: ")
    errors = [line for line in err.split("\n") if line.startswith("error: ")]
    assert len(errors) == 2
    assert any("“A teaser without a link”: has no link to an article" in e for e in errors)
    assert any(e.endswith("/gone.html: HTTP 404 Not Found; check the address") for e in errors)
    assert "Traceback" not in err
    code, out, err = run(tmp_path, "feed", "update")
    assert len(scan_library(tmp_path / "lib").articles) == 3  # nothing added the second time
    # the linkless entry was reported once; the 404 entry is tried again (and fails again)
    assert out.strip().split("\n")[-1].startswith("0 new, 4 already here, 1 failed: ")
    assert "/gone.html: HTTP 404" in err and "teaser" not in err
    feed_requests = [r for r in site.requests if r["path"] == "/feed.xml"]
    assert "If-None-Match" not in feed_requests[-1]  # refetched whole, to retry the failure


def test_an_unchanged_feed_costs_one_304(tmp_path: Path, site: Site) -> None:
    site.routes["/good.xml"] = Route(
        rss(site.base, [item("/wire.html", "Nickel jumps")]),
        content_type="application/rss+xml",
        etag='"g1"',
    )
    assert run(tmp_path, "feed", "add", site.url("/good.xml"))[0] == 0
    assert run(tmp_path, "feed", "update")[1].strip().endswith("1 new, 0 already here")
    code, out, _ = run(tmp_path, "feed", "update")
    assert code == 0
    assert out.strip() == "0 new, 0 already here, 1 feed unchanged"
    feed_requests = [r for r in site.requests if r["path"] == "/good.xml"]
    assert feed_requests[-1].get("If-None-Match") == '"g1"'  # the ETag was sent back


def test_changed_feed_imports_only_the_new_entry(tmp_path: Path, site: Site) -> None:
    store = AnnotationStore(tmp_path / "a.json")
    add_feed(store, site.url("/feed.xml"))
    first = update_feeds(store, tmp_path / "lib")
    assert len(first.imported) == 3
    site.routes["/feed.xml"] = Route(
        rss(site.base, [item("/wire.html", "Nickel jumps"), item("/liveblog.html", "Rates")]),
        content_type="application/rss+xml",
        etag='"v2"',
    )
    steps: list[FeedProgress] = []
    second = update_feeds(store, tmp_path / "lib", progress=steps.append)
    assert [r.meta.id for r in second.imported if r.meta] == [
        "reserve-bank-holds-rates-at-4-35-live"
    ]
    assert second.summary() == "1 new, 1 already here"
    assert [s.stage for s in steps] == ["fetch", "import"]
    assert steps[-1].done == steps[-1].total == 1
    (row,) = store.rows(FEEDS_TABLE)
    assert row["etag"] == '"v2"' and row["last_fetched"]


def test_since_skips_older_entries(tmp_path: Path, site: Site) -> None:
    store = AnnotationStore(tmp_path / "a.json")
    add_feed(store, site.url("/feed.xml"))
    report = update_feeds(store, tmp_path / "lib", since=date(2025, 1, 1))
    titles = sorted(r.meta.title for r in report.imported if r.meta)
    assert titles == [
        "Budget 2025: what it means for public services",
        "MTR to spend HK$40 billion on new rail links",
    ]
    assert report.older == 2  # the wire story and the removed one, both from 2024


def test_atom_feed_and_relative_links(tmp_path: Path, site: Site) -> None:
    store = AnnotationStore(tmp_path / "a.json")
    feed = add_feed(store, site.url("/atom.xml"))
    assert feed.title == "Herald Live"
    report = update_feeds(store, tmp_path / "lib")
    assert report.summary() == "1 new, 0 already here"
    (meta,) = scan_library(tmp_path / "lib").articles
    assert meta.url == site.url("/liveblog.html")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/not-a-feed.xml", "not an RSS or Atom feed"),
        ("/page-not-feed", "is a web page (text/html), not a feed"),
        ("/missing.xml", "HTTP 404 Not Found"),
    ],
)
def test_a_bad_feed_address_is_one_line(tmp_path: Path, site: Site, path: str, reason: str) -> None:
    code, out, err = run(tmp_path, "feed", "add", site.url(path))
    assert code == 1 and out == ""
    (line,) = err.strip().split("\n")
    assert line.startswith(f"Error: {site.url(path)}: ") and reason in line, line


def test_a_feed_that_breaks_later_fails_alone(tmp_path: Path, site: Site) -> None:
    store = AnnotationStore(tmp_path / "a.json")
    add_feed(store, site.url("/feed.xml"))
    add_feed(store, site.url("/atom.xml"))
    site.routes["/feed.xml"] = Route(b"<html>oops", content_type="application/rss+xml")
    report = update_feeds(store, tmp_path / "lib")
    assert len(report.imported) == 1
    assert report.summary().startswith("1 new, 0 already here, 1 failed: ")
    assert "not an RSS or Atom feed" in report.summary()


def test_list_and_remove(tmp_path: Path, site: Site) -> None:
    assert run(tmp_path, "feed", "list")[1].startswith("no feeds")
    run(tmp_path, "feed", "add", site.url("/feed.xml"))
    run(tmp_path, "feed", "add", site.url("/atom.xml"))
    code, out, _ = run(tmp_path, "feed", "list")
    assert code == 0 and out.count("never fetched") == 2 and "Herald Live" in out
    code, out, err = run(tmp_path, "feed", "add", site.url("/atom.xml"))
    assert code == 1 and "already subscribed" in err
    code, out, _ = run(tmp_path, "feed", "remove", "herald")
    assert code == 0 and out.startswith("unsubscribed from Herald Live")
    store = AnnotationStore(tmp_path / "a.json")
    assert [f.url for f in list_feeds(store)] == [site.url("/feed.xml")]
    with pytest.raises(FeedError, match="no feed"):
        remove_feed(store, "nothing")
    code, _, err = run(tmp_path, "feed", "remove", "nothing")
    assert code == 1 and err.startswith("Error: nothing: no feed")


def test_feed_title_with_markup_and_escapes_is_shown_literally(tmp_path: Path, site: Site) -> None:
    site.routes["/odd.xml"] = Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>[bold]Loud[/bold] '
        b"&#x1b;[2J</title><link>/</link><description>d</description></channel></rss>",
        content_type="text/xml",
    )
    code, out, _ = run(tmp_path, "feed", "add", site.url("/odd.xml"))
    assert code == 0
    assert "[bold]Loud[/bold] ␛[2J" in out and "\x1b" not in out


def test_a_malformed_entry_does_not_stop_the_good_ones(tmp_path: Path, site: Site) -> None:
    site.routes["/broken.xml"] = Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
        b"<item><title>Good</title><link>/wire.html</link></item>"
        b"<item><title>Bad &nosuch; entity <b>unclosed</title><link>/paywall.html</link></item>"
        b"<item><title>Script</title><link>javascript:alert(1)</link></item>"
        b"</channel></rss>",
        content_type="application/rss+xml",
    )
    store = AnnotationStore(tmp_path / "a.json")
    add_feed(store, site.url("/broken.xml"))
    report = update_feeds(store, tmp_path / "lib")
    assert sorted(str(r.meta.url) for r in report.imported if r.meta) == [
        site.url("/paywall.html"),
        site.url("/wire.html"),
    ]
    (failure,) = report.failed
    assert (
        str(failure) == f"{site.url('/broken.xml')} entry javascript:alert(1): links to no web page"
    )
