"""Side tables (such as ``feeds``): rows by key, upserts, deletes, and the refused tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from tests.core.test_store import add, make_article
from tui.core.annotations.storage import AtomicJSONStorage
from tui.core.annotations.store import StoreError, open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def test_put_row_inserts_then_replaces_by_key_and_is_on_disk(db: Path) -> None:
    store = open_store(db)
    first = store.put_row("feeds", "https://example.org/rss", {"title": "Example", "n": 1})
    assert first == {"title": "Example", "n": 1, "key": "https://example.org/rss"}
    store.put_row("feeds", "https://news.example.hk/feed", {"title": "HK"})
    store.put_row("feeds", "https://example.org/rss", {"title": "Example 2"})
    reopened = open_store(db).rows("feeds")
    assert reopened == [
        {"title": "Example 2", "key": "https://example.org/rss"},
        {"title": "HK", "key": "https://news.example.hk/feed"},
    ]
    plain = TinyDB(db, storage=AtomicJSONStorage).table("feeds").all()
    assert [doc["key"] for doc in plain] == [r["key"] for r in reopened]


def test_delete_row_removes_it_and_an_unknown_key_is_a_key_error(db: Path) -> None:
    store = open_store(db)
    store.put_row("feeds", "a", {"title": "A"})
    store.put_row("feeds", "b", {"title": "B"})
    store.delete_row("feeds", "a")
    assert [r["key"] for r in open_store(db).rows("feeds")] == ["b"]
    with pytest.raises(KeyError):
        store.delete_row("feeds", "a")
    with pytest.raises(KeyError):
        store.delete_row("never-made", "x")
    assert store.unsaved == 0


def test_an_empty_or_missing_table_has_no_rows(db: Path) -> None:
    assert open_store(db).rows("feeds") == []
    assert not db.exists()


@pytest.mark.parametrize("table", ["annotations", "corrections", "_meta", "_other", ""])
def test_reserved_tables_are_refused_and_nothing_changes(
    db: Path, tmp_path: Path, table: str
) -> None:
    store = open_store(db)
    add(store, make_article(tmp_path / "articles"), "13,000 jobs")
    before = db.read_bytes()
    with pytest.raises(ValueError, match=r"side.table"):
        store.put_row(table, "1", {"id": "x"})
    with pytest.raises(ValueError, match=r"side.table"):
        store.delete_row(table, "1")
    with pytest.raises(ValueError, match=r"side.table"):
        store.rows(table)
    assert db.read_bytes() == before and store.unsaved == 0


@pytest.mark.parametrize(
    ("key", "row", "error"),
    [
        ("", {"a": 1}, "non-empty text"),
        ("k", {"key": "other"}, "differs"),
        ("k", {"when": {1, 2}}, "cannot be saved as JSON"),
        ("k", {"rate": float("nan")}, "NaN"),
        ("k", ["not", "a", "dict"], "must be an object"),
    ],
)
def test_bad_rows_are_refused_before_any_write(db: Path, key: str, row: Any, error: str) -> None:
    store = open_store(db)
    with pytest.raises(ValueError, match=error):
        store.put_row("feeds", key, row)
    assert not db.exists() and store.unsaved == 0


def test_returned_rows_are_copies(db: Path) -> None:
    store = open_store(db)
    items = ["x"]
    row: dict[str, Any] = {"title": "A", "items": items}
    stored = store.put_row("feeds", "a", row)
    items.append("mutated")
    stored["items"].append("also")
    store.rows("feeds")[0]["items"].append("again")
    assert store.rows("feeds")[0]["items"] == ["x"]
    assert json.loads(db.read_text())["feeds"]["1"]["items"] == ["x"]


def test_rows_put_by_another_store_are_seen(db: Path) -> None:
    first, second = open_store(db), open_store(db)
    first.put_row("feeds", "a", {"title": "A"})
    second.put_row("feeds", "b", {"title": "B"})
    assert [r["key"] for r in first.rows("feeds")] == ["a", "b"]


def test_a_read_only_folder_reports_the_failed_put(db: Path, tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    open_store(db).put_row("feeds", "a", {"title": "A"})
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(StoreError, match="not saved"):
            open_store(db).put_row("feeds", "b", {"title": "B"})
    finally:
        os.chmod(tmp_path, 0o755)
    assert [r["key"] for r in open_store(db).rows("feeds")] == ["a"]
