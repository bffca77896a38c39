"""The library scan forked before the app is imported: the same scan as the app's own, used once,
and never used when it did not finish cleanly."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.core.articles import prescan
from tui.core.articles.index import scan_folder
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.articles.prescan import PendingScan, start_scan
from tui.core.library_view import LibraryView

BODY = "Company A raised HK$5 billion.\nAnalysts expect more."


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three articles and a file that is not one; forking allowed in this test process (the
    test runner's own threads never touch what the child runs)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    folder = tmp_path / "articles"
    for number, title in enumerate(["Rates [b]held[/b]", "Jobs \x1b[2J", "Homes"]):
        meta = ArticleMeta(id=f"report-{number}", title=title, path=folder, source="Wire")
        write_article(folder, meta, BODY)
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody", encoding="utf-8")
    return folder


def finished(pending: PendingScan) -> PendingScan:
    deadline = time.monotonic() + 30
    while not pending.done():
        assert time.monotonic() < deadline, "the child never finished"
        time.sleep(0.01)
    return pending


def test_the_forked_scan_is_the_scan_the_app_would_make(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    pending = start_scan(library, cache)
    assert pending is not None
    scan = finished(pending).take()
    assert scan is not None
    expected = scan_folder(library, cache)
    assert scan.articles == expected.articles and len(scan.articles) == 3
    assert [a.path for a in scan.articles] == [a.path for a in expected.articles]
    assert scan.problems == expected.problems and scan.problems[0].path.name == "broken.md"
    assert pending.take() is None  # used once


def test_the_library_takes_it_for_its_first_listing_only(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    view = LibraryView(library, cache)
    view.expect(finished(start_scan(library, cache)))  # type: ignore[arg-type]
    assert view.scan_waiting()
    meta = ArticleMeta(id="late", title="Late", path=library, source="Wire")
    write_article(library, meta, BODY)  # after the child scanned
    assert [a.id for a in view.load().articles] == ["report-0", "report-1", "report-2"]
    assert not view.scan_waiting()
    assert "late" in [a.id for a in view.load().articles]  # every later listing scans again


@pytest.mark.parametrize("failure", ["raises", "garbage", "killed"])
def test_a_scan_that_did_not_finish_cleanly_is_never_used(
    failure: str, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if failure == "raises":
        monkeypatch.setattr(prescan, "scan_records", lambda *_: 1 / 0)  # inherited by the child
    elif failure == "garbage":
        monkeypatch.setattr(prescan, "encode", lambda *_: b"\xe9 not marshal data")
    else:
        monkeypatch.setattr(prescan, "scan_records", lambda *_: time.sleep(60))
    pending = start_scan(library, tmp_path / "cache")
    assert pending is not None
    if failure == "killed":
        os.kill(pending.pid, 9)
    assert finished(pending).take() is None
    if failure != "killed":  # the library then scans by itself
        view = LibraryView(library, tmp_path / "cache")
        view.expect(start_scan(library, tmp_path / "cache"))
        assert len(view.load().articles) == 3


def test_given_up_ends_the_child(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prescan, "scan_records", lambda *_: time.sleep(60))
    view = LibraryView(library, tmp_path / "cache")
    pending = start_scan(library, tmp_path / "cache")
    assert pending is not None
    view.expect(pending)
    began = time.monotonic()
    view.close()  # the app ended before it listed
    assert time.monotonic() - began < 10 and pending.done()
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, os.WNOHANG)  # reaped
    assert len(view.load().articles) == 3  # and the library still lists by itself


def test_not_forked_beside_other_threads_or_off_linux(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert start_scan(library, tmp_path) is None
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert start_scan(library, tmp_path) is None
