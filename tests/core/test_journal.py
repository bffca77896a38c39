"""The journal: saves append to it, reads replay it, compaction folds it in, others see it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from tests.core.test_store import add, make_article
from tui.core.annotations import journal
from tui.core.annotations.store import AnnotationStore, StoreError, open_store
from tui.core.articles.library import Article

NEVER = 1 << 40


def journaled(db: Path, compact_min: int = NEVER) -> AnnotationStore:
    """A store that journals from the first byte and compacts past ``compact_min`` bytes."""
    return AnnotationStore(db, journal_from=0, compact_min=compact_min)


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def snapshot_ids(db: Path) -> set[str]:
    return {doc["id"] for doc in json.loads(db.read_bytes())["annotations"].values()}


def test_saves_after_the_first_append_checksummed_lines(db: Path, article: Article) -> None:
    store = journaled(db)
    first = add(store, article, "13,000 jobs")  # creates the snapshot
    second = add(store, article, "HK$50 billion", note="appended")
    store.update(first["id"], status="disputed")
    assert snapshot_ids(db) == {first["id"]}
    lines = store.journal_path.read_bytes().splitlines()
    assert len(lines) == 2
    entries = [journal.decode(line) for line in lines]
    assert [e["seq"] for e in entries] == [2, 3]  # type: ignore[index]
    assert entries[0]["ops"][0][2]["id"] == second["id"]  # type: ignore[index]
    reopened = open_store(db)
    assert reopened.get(first["id"])["status"] == "disputed"  # type: ignore[index]
    assert reopened.get(second["id"])["note"] == "appended"  # type: ignore[index]


def test_compaction_folds_the_journal_in_and_empties_it(db: Path, article: Article) -> None:
    store = journaled(db)
    ids = [add(store, article, "13,000 jobs")["id"] for _ in range(4)]
    store.delete(ids[0])
    assert store.compact() is True
    assert store.journal_path.stat().st_size == 0
    assert snapshot_ids(db) == set(ids[1:])
    meta = json.loads(db.read_bytes())["_meta"]["1"]
    assert meta["journal_seq"] == 5
    plain = TinyDB(db).table("annotations").all()  # TinyDB's own JSONStorage reads it
    assert {doc["id"] for doc in plain} == set(ids[1:])
    assert store.compact() is False  # nothing left to fold in


def test_the_journal_is_compacted_past_its_threshold(db: Path, article: Article) -> None:
    store = journaled(db, compact_min=3000)
    for _ in range(12):
        add(store, article, "13,000 jobs", note="n" * 200)
    assert store.journal_path.stat().st_size < 3000
    assert len(snapshot_ids(db)) > 1
    assert len(open_store(db).annotations()) == 12


def test_close_compacts(db: Path, article: Article) -> None:
    store = journaled(db)
    add(store, article, "13,000 jobs")
    add(store, article, "HK$50 billion")
    store.close()
    assert len(snapshot_ids(db)) == 2 and store.journal_path.stat().st_size == 0


def test_entries_already_in_the_snapshot_are_not_applied_twice(db: Path, article: Article) -> None:
    """A compaction killed between the snapshot replace and the journal truncation."""
    store = journaled(db)
    kept = add(store, article, "13,000 jobs")
    gone = add(store, article, "HK$50 billion")
    store.delete(gone["id"])
    stale_journal = store.journal_path.read_bytes()
    store.compact()
    store.journal_path.write_bytes(stale_journal)  # as if the truncation never happened
    reopened = journaled(db)
    assert [a["id"] for a in reopened.annotations()] == [kept["id"]]
    again = add(reopened, article, "HK$1 billion")
    assert {a["id"] for a in open_store(db).annotations()} == {kept["id"], again["id"]}


def test_appends_by_another_store_are_seen(db: Path, article: Article) -> None:
    first, second = journaled(db), journaled(db)
    one = add(first, article, "13,000 jobs")
    two = add(second, article, "HK$50 billion")
    assert {a["id"] for a in first.annotations()} == {one["id"], two["id"]}
    first.update(two["id"], note="seen by the first")
    assert second.get(two["id"])["note"] == "seen by the first"  # type: ignore[index]
    second.compact()
    three = add(first, article, "HK$1 billion")  # after the other's compaction
    assert {a["id"] for a in second.annotations()} == {one["id"], two["id"], three["id"]}


def test_summary_and_counts_follow_every_change(db: Path, tmp_path: Path, article: Article) -> None:
    other = make_article(tmp_path / "articles", "Another story with 42 new listings.", "other")
    store = journaled(db)
    a = add(store, article, "13,000 jobs")
    b = add(store, article, "HK$50 billion", status="supported")
    add(store, other, "42 new listings")
    store.update(a["id"], status="disputed")
    store.delete(b["id"])
    expected: dict[str, Any] = {
        "hk-plan": {"count": 1, "statuses": {"disputed": 1}},
        "other": {"count": 1, "statuses": {"unverified": 1}},
    }
    assert store.summary() == expected
    assert open_store(db).summary() == expected
    assert store.counts_by_article() == {"hk-plan": 1, "other": 1}
    assert [x["quote"] for x in store.annotations("other")] == ["42 new listings"]
    assert store.annotations("nobody") == []


def test_small_databases_are_rewritten_and_leave_no_journal(db: Path, article: Article) -> None:
    store = open_store(db)
    for _ in range(3):
        add(store, article, "13,000 jobs")
    assert len(snapshot_ids(db)) == 3 and not store.journal_path.exists()


def test_side_tables_and_corrections_go_through_the_journal(db: Path) -> None:
    store = journaled(db)
    store.put_row("feeds", "a", {"title": "A"})
    store.put_row("feeds", "b", {"title": "B"})
    store.add_correction({"id": "c1", "action": "ignore", "text": "Subscribe"})
    store.delete_row("feeds", "a")
    assert store.journal_path.stat().st_size > 0
    reopened = journaled(db)
    assert [r["key"] for r in reopened.rows("feeds")] == ["b"]
    assert [c["id"] for c in reopened.corrections()] == ["c1"]


def test_an_older_schema_with_a_journal_is_replayed_then_migrated(
    db: Path, article: Article
) -> None:
    store = journaled(db)
    record = add(store, article, "13,000 jobs")
    data = json.loads(db.read_bytes())
    data["_meta"]["1"]["schema_version"] = 2
    for doc in data["annotations"].values():
        del doc["field"], doc["history"]
    db.write_text(json.dumps(data))
    line = journal.encode(2, 2, [["annotations", "1", {**data["annotations"]["1"], "note": "v2"}]])
    store.journal_path.write_bytes(line)
    migrated = open_store(db)
    assert migrated.get(record["id"])["note"] == "v2"  # type: ignore[index]
    assert json.loads(db.read_bytes())["annotations"]["1"]["field"] == "body"
    assert migrated.journal_path.stat().st_size == 0


def test_a_failed_append_keeps_the_journal_and_the_change_for_a_retry(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = journaled(db)
    first = add(store, article, "13,000 jobs")
    add(store, article, "HK$1 billion")
    before = store.journal_path.read_bytes()

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", full)
        with pytest.raises(StoreError, match=r"not saved \(No space left on device\)"):
            add(store, article, "HK$50 billion")
    assert store.journal_path.read_bytes() == before  # the partial entry was taken back
    assert store.unsaved == 1 and len(store.annotations()) == 3
    assert len(open_store(db).annotations()) == 2
    store.save()
    assert store.unsaved == 0 and len(open_store(db).annotations()) == 3
    assert open_store(db).get(first["id"]) == first


def test_a_refused_request_leaves_tables_and_indexes_as_they_were(
    db: Path, article: Article
) -> None:
    store = journaled(db)
    kept = add(store, article, "13,000 jobs")
    with pytest.raises(KeyError):
        store.delete("no-such-id")
    with pytest.raises(KeyError):
        store.delete_row("feeds", "none")
    assert store.get(kept["id"]) == kept and store.counts_by_article() == {"hk-plan": 1}
    assert store.unsaved == 0


def test_saves_switch_to_the_journal_once_the_snapshot_is_big(db: Path, article: Article) -> None:
    store = AnnotationStore(db, journal_from=6000, compact_min=NEVER)
    while db.stat().st_size < 6000 if db.exists() else True:
        add(store, article, "13,000 jobs", note="n" * 300)
        assert not store.journal_path.exists()
    size = db.stat().st_size
    add(store, article, "HK$50 billion")
    assert db.stat().st_size == size and store.journal_path.stat().st_size > 0


def test_the_journal_gets_the_database_file_permissions(db: Path, article: Article) -> None:
    store = journaled(db)
    add(store, article, "13,000 jobs")
    db.chmod(0o640)
    add(store, article, "HK$50 billion")
    assert store.journal_path.stat().st_mode & 0o777 == 0o640


def test_threads_appending_and_reading_do_not_collide(db: Path, article: Article) -> None:
    """The app saves from worker threads while the UI thread reads the summary."""
    import threading

    store = journaled(db, compact_min=4000)
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(20):
                add(store, article, "13,000 jobs", note="t" * 100)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):  # only adds: a later read never sees fewer
        assert sum(v["count"] for v in store.summary().values()) <= len(store.annotations())
    for thread in threads:
        thread.join()
    assert failures == [] and len(journaled(db).annotations()) == 40
    assert store.summary() == {"hk-plan": {"count": 40, "statuses": {"unverified": 40}}}


def test_compacting_a_database_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "nowhere" / "annotations.json")
    assert store.compact() is False
    store.close()
    assert not (tmp_path / "nowhere").exists()
