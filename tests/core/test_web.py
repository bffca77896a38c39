"""Fetching and importing web pages, against a local site on 127.0.0.1 (never the network).

Every failure is one line naming the address and the reason; the other addresses in the same
run still import; nothing half-written is left in the library.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fixtures.pages.server import Route, Site, page, redirect, serve
from tui.cli import cli
from tui.core.articles.library import read_article, scan_library
from tui.core.articles.web import FetchOptions, WebError, fetch, user_agent

HTML = "text/html; charset=utf-8"


def _routes() -> dict[str, Route]:
    return {
        "/budget.html": Route(page("budget.html")),
        "/wire.html": Route(page("wire.html")),
        "/liveblog.html": Route(page("liveblog.html")),
        "/paywall.html": Route(page("paywall.html")),
        "/nodate.html": Route(page("nodate.html")),
        "/cp1252.html": Route(page("cp1252.html"), content_type="text/html"),
        "/old-address": redirect("/r2"),
        "/r2": redirect("/wire.html", 301),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/error": Route(b"<html><body>oops</body></html>", status=500),
        "/slow": Route(page("wire.html"), delay=2.0),
        "/trickle": Route(page("wire.html") * 4, trickle=0.3),
        "/huge": Route(b"<html><body>" + b"<p>word</p>" * 20_000, send_length=False),
        "/huge-declared": Route(b"<html><body>" + b"<p>word</p>" * 20_000),
        "/report.pdf": Route(b"%PDF-1.7 ...", content_type="application/pdf"),
        "/photo.jpg": Route(b"\xff\xd8\xff\xe0", content_type="image/jpeg"),
        "/plain.txt": Route(b"Just text.", content_type="text/plain"),
        "/ftp": redirect("ftp://127.0.0.1/file"),
    }


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """The local site, shared by this module's tests (each test restores what it changes)."""
    with serve(_routes()) as running:
        yield running


@pytest.fixture(autouse=True)
def _quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small timeout and size cap, so the slow and huge cases end in well under a second."""
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)  # the local site is reached directly
    monkeypatch.setenv("CLAIMDESK_HTTP_TIMEOUT", "0.6")
    monkeypatch.setenv("CLAIMDESK_MAX_PAGE_BYTES", "100000")


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        ["--articles", str(tmp_path / "lib"), "--db", str(tmp_path / "a.json"), *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def test_fetch_sends_the_claimdesk_user_agent(site: Site) -> None:
    response = fetch(site.url("/wire.html"))
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert site.requests[-1]["User-Agent"] == user_agent()
    assert user_agent().startswith("Claimdesk/")


def test_redirects_are_followed_and_both_addresses_kept(tmp_path: Path, site: Site) -> None:
    code, _, err = run(tmp_path, "import", site.url("/old-address"))
    assert code == 0, err
    (meta,) = scan_library(tmp_path / "lib").articles
    assert meta.url == site.url("/wire.html")
    assert meta.original_url == site.url("/old-address")
    assert meta.published == "2024-07-15" and meta.source == "Metals Daily"


FAILURES = [
    ("/missing", "HTTP 404 Not Found"),
    ("/error", "HTTP 500 Internal Server Error"),
    ("/loop-a", "redirect loop (/loop-a -> /loop-b -> /loop-a)"),
    ("/slow", "timed out after 0.6 s"),
    ("/trickle", "timed out after 0.6 s"),
    ("/huge", "response too large (more than the 0.1 MB limit)"),
    ("/huge-declared", "response too large (0.2 MB, limit 0.1 MB)"),
    ("/report.pdf", "is a PDF document (application/pdf), not an HTML page"),
    ("/photo.jpg", "is an image file (image/jpeg), not an HTML page"),
    ("/plain.txt", "not HTML (text/plain), not an HTML page"),
    ("/ftp", "which is not a web address"),
]


@pytest.mark.parametrize(("path", "reason"), FAILURES)
def test_each_failure_is_one_error(site: Site, path: str, reason: str) -> None:
    with pytest.raises(WebError) as caught:
        fetch(site.url(path), options=FetchOptions.from_env())
    message = str(caught.value).replace(site.base, "")
    assert message.startswith(f"{path}: ") and reason in message, message
    assert "\n" not in message


def test_unreachable_address_is_a_line_and_exit_1(tmp_path: Path) -> None:
    with serve({}) as gone:
        address = gone.url("/page.html")
    code, _, err = run(tmp_path, "import", address)  # the server has stopped: refused
    assert code == 1
    assert err.split("\n")[0].startswith(f"error: {address}: cannot connect")
    assert "Traceback" not in err


def test_failures_never_stop_the_others_and_leave_nothing_behind(
    tmp_path: Path, site: Site
) -> None:
    bad = [site.url(path) for path, _ in FAILURES]
    local = tmp_path / "note.txt"
    local.write_text("Harbour news\n\nThe port handled 3 million containers.\n", encoding="utf-8")
    code, out, err = run(tmp_path, "import", bad[0], site.url("/budget.html"), str(local), *bad[1:])
    assert code == 1
    assert out.count("imported as") == 2
    lines = [line for line in err.strip().split("\n") if line.startswith("error: ")]
    assert len(lines) == len(FAILURES)
    assert (
        err.strip().split("\n")[-1] == f"{len(FAILURES)} of {len(FAILURES) + 2} files not imported"
    )
    library = tmp_path / "lib"
    assert sorted(p.name for p in library.iterdir() if p.name.startswith(".") and p.is_file()) == [
        ".import.lock"
    ]
    assert len(list(library.glob("*.md"))) == 2


def test_same_address_twice_adds_nothing(tmp_path: Path, site: Site) -> None:
    assert run(tmp_path, "import", site.url("/paywall.html"))[0] == 0
    code, out, _ = run(tmp_path, "import", site.url("/paywall.html"))
    assert code == 0 and "already in the library as mtr-to-spend-hk-40-billion" in out
    assert len(list((tmp_path / "lib").glob("*.md"))) == 1


def test_changed_text_at_the_same_address_updates_in_place(tmp_path: Path, site: Site) -> None:
    original = site.routes["/paywall.html"]
    try:
        assert run(tmp_path, "import", site.url("/paywall.html"))[0] == 0
        (path,) = (tmp_path / "lib").glob("*.md")
        before = path.read_bytes()
        corrected = page("paywall.html").replace(b"5,000 construction", b"6,000 construction")
        site.routes["/paywall.html"] = Route(corrected)
        code, out, err = run(tmp_path, "import", site.url("/paywall.html"))
    finally:
        site.routes["/paywall.html"] = original
    assert code == 0, err
    assert "updated mtr-to-spend-hk-40-billion-on-new in place" in out
    assert [p.name for p in (tmp_path / "lib").glob("*.md")] == [path.name]
    assert "6,000 construction jobs" in read_article(path).body
    (kept,) = (tmp_path / "lib" / ".versions").iterdir()
    assert kept.read_bytes() == before


def test_cp1252_page_without_charset_is_decoded(tmp_path: Path, site: Site) -> None:
    assert run(tmp_path, "import", site.url("/cp1252.html"))[0] == 0
    (meta,) = scan_library(tmp_path / "lib").articles
    body = read_article(meta.path).body
    assert "naïve façade and déjà vu" in body and "€4.50 – “a record”" in body


CORPUS = [
    (
        "/budget.html",
        {
            "title": "Budget 2025: what it means for public services",
            "source": "The Ledger",
            "author": "Priya Shah",
            "published": "2025-11-26",
            "updated": "2025-11-27",
        },
        ["Health | +£22.6bn", "Defence | +£2.2bn", "Education | +£1.8bn", "Transport | -£1.1bn",
         "headroom of £9.9bn"],
        ["cookies", "Related", "newsletter", "Copyright", "Home"],
    ),
    (
        "/wire.html",
        {"source": "Metals Daily", "author": "Bernadette Christina", "published": "2024-07-15"},
        ["rose 4.1% on Monday to $17,250 a tonne", "240 million tonnes"],
        ["Reuters\n", "Reporting by", "Our Standards"],
    ),
    (
        "/liveblog.html",
        {"source": "Harbour Herald", "published": "2024-06-18"},
        ["4.35 per cent for a fifth straight meeting", "rose 0.3% to 66.4 US cents",
         "Cash rate held at 4.35%", "Inflation forecast raised to 3.8%"],
        ["Share this article", "Read more", "Updated"],
    ),
    (
        "/paywall.html",
        {"source": "Pearl Post", "published": "2025-02-03"},
        ["HK$40 billion over the next decade", "5,000 construction jobs"],
        ["Subscribe to continue reading", "Already a subscriber", "Log in", "©"],
    ),
    (
        "/nodate.html",
        {"source": "Capital Chronicle", "published": None, "updated": None},
        ["Rs 2.5 lakh crore in capital spending", "200 new trains"],
        ["More from", "Income tax slabs"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("path", "meta", "kept", "cut"), CORPUS, ids=[c[0] for c in CORPUS])
def test_page_shapes_keep_every_figure_and_only_stated_dates(
    tmp_path: Path,
    site: Site,
    path: str,
    meta: dict[str, str | None],
    kept: list[str],
    cut: list[str],
) -> None:
    code, _, err = run(tmp_path, "import", site.url(path))
    assert code == 0, err
    (stored,) = scan_library(tmp_path / "lib").articles
    body = read_article(stored.path).body
    for name, value in meta.items():
        assert getattr(stored, name) == value, name
    for text in kept:
        assert text in body, text
    for text in cut:
        assert text not in body + "\n", text
    assert stored.url == site.url(path)
    assert not body.startswith(stored.title)


def test_show_removed_lists_the_source_line_with_its_rule(tmp_path: Path, site: Site) -> None:
    code, out, _ = run(tmp_path, "import", "--show-removed", site.url("/wire.html"))
    assert code == 0
    assert "  cut [source-line] Reuters" in out
    assert "  cut [credits] Reporting by Bernadette Christina; Editing by Kim Coghill" in out


def test_a_tls_failure_is_one_line(site: Site) -> None:
    address = site.url("/wire.html").replace("http://", "https://")  # TLS to a plain server
    with pytest.raises(WebError) as caught:
        fetch(address)
    assert str(caught.value).startswith(f"{address}: TLS error (")
    assert "\n" not in str(caught.value)


def test_etag_and_last_modified_are_sent_back(site: Site) -> None:
    site.routes["/tagged.xml"] = Route(b"<rss/>", content_type="application/rss+xml", etag='"7"')
    first = fetch(site.url("/tagged.xml"), kind="feed")
    assert first.etag == '"7"' and not first.not_modified
    again = fetch(site.url("/tagged.xml"), kind="feed", etag='"7"', last_modified="Mon, x")
    assert again.not_modified and again.body == b""
    assert site.requests[-1]["If-None-Match"] == '"7"'
    assert site.requests[-1]["If-Modified-Since"] == "Mon, x"
