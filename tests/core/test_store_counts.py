"""The per-article summary beside the database: exact through every change, compaction and
another process's appends, trusted only while it describes the files on disk, and enough for
the library's counts and tag filter without reading a single annotation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from tests.core.test_store import BODY, add, make_article
from tui.core.annotations import database, storage
from tui.core.annotations.store import AnnotationStore, open_store, read_summary
from tui.core.articles.library import Article
from tui.core.config import Settings
from tui.core.workspace import Workspace

NEVER = 1 << 40


def expected_summary(store: AnnotationStore) -> dict[str, dict[str, Any]]:
    """The summary computed the slow way: from every annotation."""
    result: dict[str, dict[str, Any]] = {}
    for record in store.annotations():
        entry = result.setdefault(
            record["article_id"], {"count": 0, "statuses": Counter(), "tags": Counter()}
        )
        entry["count"] += 1
        entry["statuses"][record["status"]] += 1
        entry["tags"].update(record["tags"])
    return {
        article: {"count": e["count"], "statuses": dict(e["statuses"]), "tags": dict(e["tags"])}
        for article, e in result.items()
    }


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


@pytest.fixture
def other(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles", "Another story with 42 new listings.", "other")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.mark.parametrize(
    ("journal_from", "compact_min"),
    [(NEVER, NEVER), (0, NEVER), (0, 400)],
    ids=["snapshot rewrites", "journal appends", "journal with compactions"],
)
def test_summary_is_exact_after_every_change(
    db: Path, article: Article, other: Article, journal_from: int, compact_min: int
) -> None:
    store = AnnotationStore(db, journal_from=journal_from, compact_min=compact_min)
    a = add(store, article, "13,000 jobs", tags=["jobs", "AI"])
    b = add(store, article, "HK$50 billion", tags=["jobs"], status="supported")
    c = add(store, other, "42 new listings")
    store.update(a["id"], status="disputed", tags=["AI", "budget"])
    store.update(b["id"], tags=[])
    removed = store.delete(c["id"])
    assert read_summary(db) == expected_summary(store)
    assert "other" not in (read_summary(db) or {}), "an article without claims drops out"
    store.restore(removed)
    assert read_summary(db) == expected_summary(store)
    store.delete(a["id"])
    store.delete(b["id"])
    assert (
        read_summary(db)
        == expected_summary(store)
        == {"other": {"count": 1, "statuses": {"unverified": 1}, "tags": {}}}
    )
    store.compact()
    assert read_summary(db) == expected_summary(store)
    assert open_store(db).tags_by_article() == {}


def test_another_process_appending_is_summarised_by_it(
    db: Path, article: Article, other: Article
) -> None:
    first = AnnotationStore(db, journal_from=0, compact_min=NEVER)
    second = AnnotationStore(db, journal_from=0, compact_min=NEVER)
    add(first, article, "13,000 jobs", tags=["jobs"])
    add(second, other, "42 new listings", tags=["housing"])
    assert read_summary(db) == expected_summary(first) == expected_summary(second)
    assert set(read_summary(db) or {}) == {"hk-plan", "other"}


def test_a_summary_not_rewritten_after_a_change_is_not_trusted(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, journal_from=0, compact_min=NEVER)
    add(store, article, "13,000 jobs")
    assert read_summary(db) is not None
    # a process killed after its journal append, before it rewrote the summary
    monkeypatch.setattr(database.Database, "write_summary", lambda self: None)
    add(store, article, "HK$50 billion")
    assert read_summary(db) is None
    monkeypatch.undo()
    reopened = open_store(db)  # a full read summarises again
    assert read_summary(db) == expected_summary(reopened)
    assert (read_summary(db) or {})["hk-plan"]["count"] == 2


def test_a_database_changed_by_plain_tinydb_is_read_again(db: Path, article: Article) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")
    with TinyDB(db) as plain:  # another tool edits the file in place
        plain.table("annotations").truncate()
    assert read_summary(db) is None
    assert open_store(db).counts_by_article() == {}


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"version": 99}',
        "wrong counts",
        "negative counts",
        "not an object",
    ],
)
def test_a_damaged_summary_is_ignored_and_rewritten(
    tmp_path: Path, db: Path, article: Article, damage: object
) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs", tags=["jobs"])
    path = database.summary_path(db)
    good = orjson.loads(path.read_bytes())
    if damage == "wrong counts":
        good["articles"]["hk-plan"]["statuses"] = {"unverified": "many"}
        raw = orjson.dumps(good)
    elif damage == "negative counts":
        good["articles"]["hk-plan"]["tags"] = {"jobs": -1}
        raw = orjson.dumps(good)
    elif damage == "not an object":
        good["articles"]["hk-plan"] = ["unverified"]
        raw = orjson.dumps(good)
    else:
        assert isinstance(damage, bytes)
        raw = damage
    path.write_bytes(raw)
    assert read_summary(db) is None
    workspace = Workspace(Settings.from_paths(tmp_path / "articles", db))
    assert workspace.counts() == {"hk-plan": 1}  # from the database itself
    assert workspace.claim_tags() == {"hk-plan": {"jobs"}}
    assert read_summary(db) == expected_summary(store)  # and summarised again


def test_the_workspace_lists_counts_and_tags_without_reading_the_database(
    tmp_path: Path, db: Path, article: Article, other: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs", tags=["Jobs", "AI"])
    add(store, article, "HK$50 billion", tags=["jobs"])
    add(store, other, "42 new listings")
    store.close()

    def no_parse(raw: bytes) -> None:
        raise AssertionError("the database was parsed")

    monkeypatch.setattr(storage, "parse_tables", no_parse)
    workspace = Workspace(Settings.from_paths(tmp_path / "articles", db))
    assert workspace.counts() == {"hk-plan": 2, "other": 1}
    assert workspace.claim_tags_by_article() == {"hk-plan": {"jobs", "ai"}}
    monkeypatch.undo()
    assert workspace.claims(article)[0].quote in BODY  # opening an article reads it all
    add(workspace.store, article, "HK$50 billion", tags=["more"])
    assert workspace.counts() == {"hk-plan": 3, "other": 1}, "an open store answers itself"
    assert workspace.claim_tags()["hk-plan"] == {"jobs", "ai", "more"}


def test_a_summary_of_a_missing_database_is_not_trusted(db: Path, article: Article) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")
    db.unlink()
    assert read_summary(db) is None


def test_the_summary_keeps_the_database_permissions(db: Path, article: Article) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")
    db.chmod(0o600)
    add(store, article, "HK$50 billion")
    assert database.summary_path(db).stat().st_mode & 0o777 == 0o600


def test_no_database_yet_counts_nothing_without_opening_a_store(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    assert read_summary(db) == {}
    workspace = Workspace(Settings.from_paths(tmp_path / "articles", db))
    assert workspace.counts() == {} and workspace.claim_tags() == {}
    assert workspace._store is None, "nothing was opened (or created) to learn that"
    assert not db.exists()
    db.with_name(db.name + ".journal").write_bytes(b"")  # a journal alone is not "nothing"
    assert read_summary(db) is None
