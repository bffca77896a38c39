"""The store when things go wrong: damaged files, old or newer schemas, failed saves."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.core.test_store import add, make_article, on_disk
from tui.core.annotations.store import SCHEMA_VERSION, StoreError, open_store
from tui.core.articles.library import Article


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


# ------------------------------------------------------------------ damaged files
META = {"_meta": {"1": {"schema_version": SCHEMA_VERSION}}}
GOOD_RECORD: dict[str, Any] = {
    **dict.fromkeys(("id", "article_id", "kind", "quote", "prefix", "suffix", "sha256", "note",
                     "status", "anchor_state", "created", "modified", "author"), "x"),
    "start": 1, "end": 2, "tags": [], "figure": None, "field": "body", "history": [],
}  # fmt: skip
VALID = orjson.dumps({"annotations": {}, "_meta": {"1": {"schema_version": SCHEMA_VERSION}}})
DAMAGED = {
    "zero bytes": b"",
    "whitespace": b"  \n",
    "truncated": VALID[: len(VALID) // 2],
    "trailing garbage": VALID + b"}",
    "not utf-8": b'{"annotations": {"1": {"note": "\xff"}}}',
    "a list": b"[]",
    "table is a list": b'{"annotations": []}',
    "non-digit id": b'{"annotations": {"x": {}}}',
    "document not an object": b'{"annotations": {"1": 3}}',
    "NaN": b'{"annotations": {"1": {"v": NaN}}}',
    "NUL block": b"\x00" * 64,
    "record without fields": orjson.dumps({**META, "annotations": {"1": {"id": "x"}}}),
    "record with text offsets": orjson.dumps(
        {**META, "annotations": {"1": {**GOOD_RECORD, "start": "1"}}}
    ),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_file_is_refused_untouched_and_backup_offered(
    db: Path, article: Article, content: bytes
) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")
    add(store, article, "HK$50 billion")  # the .bak now holds one annotation
    db.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        open_store(db)
    message = str(caught.value)
    assert str(db) in message and "left untouched" in message and "\n" not in message
    assert f"restore the backup {db}.bak (1 annotations" in message
    with pytest.raises(StoreError):
        add(store, article, "HK$1 billion")  # an open store refuses to write over it too
    assert db.read_bytes() == content


def test_damaged_file_without_backup_says_what_to_do(db: Path) -> None:
    db.write_bytes(b"")
    with pytest.raises(StoreError, match=r"empty \(0 bytes of data\).*start an empty database"):
        open_store(db)
    assert db.read_bytes() == b""


# ------------------------------------------------------------------ schema versions
def test_version_1_file_is_migrated_forward_and_kept(db: Path, article: Article) -> None:
    start = article.body.index("13,000 jobs")
    old = {
        "annotations": {
            "1": {
                "id": "0d5b7a10-0000-4000-8000-000000000001",
                "article_id": "hk-plan",
                "quote": "13,000 jobs",
                "prefix": article.body[start - 32 : start],
                "suffix": article.body[start + 11 : start + 43],
                "start": start,
                "end": start + 11,
                "text_sha256": article.sha256,
                "tags": "jobs,labour",
                "note": "old note",
                "status": "supported",
                "created": "2025-01-15T09:30:00Z",
            }
        }
    }
    raw = json.dumps(old).encode()
    db.write_bytes(raw)
    store = open_store(db)
    record = store.annotations()[0]
    assert record["sha256"] == article.sha256 and record["tags"] == ["jobs", "labour"]
    assert (record["kind"], record["figure"], record["modified"]) == (
        "claim", None, "2025-01-15T09:30:00Z",
    )  # fmt: skip
    assert on_disk(db)["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert "text_sha256" not in on_disk(db)["annotations"]["1"]
    assert (db.parent / "annotations.json.v1.bak").read_bytes() == raw


def test_version_1_times_that_cannot_be_read_become_editable(db: Path, article: Article) -> None:
    start = article.body.index("13,000 jobs")
    record = {
        "id": "old-1", "article_id": "hk-plan", "quote": "13,000 jobs", "prefix": "",
        "suffix": "", "start": start, "end": start + 11, "created": "last Tuesday",
    }  # fmt: skip
    db.write_text(json.dumps({"annotations": {"1": record}}), encoding="utf-8")
    store = open_store(db)
    (migrated,) = store.annotations()
    assert migrated["created"].endswith("Z") and migrated["modified"] == migrated["created"]
    assert store.update("old-1", note="still editable")["note"] == "still editable"


def test_newer_schema_is_refused_untouched(db: Path) -> None:
    raw = b'{"annotations": {}, "_meta": {"1": {"schema_version": 99}}}'
    db.write_bytes(raw)
    with pytest.raises(
        StoreError, match=rf"newer Claimdesk \(schema 99 > {SCHEMA_VERSION}\); upgrade"
    ):
        open_store(db)
    assert db.read_bytes() == raw


# ------------------------------------------------------------------ failed saves
@pytest.mark.parametrize("failing", ["mkstemp", "fsync", "replace"])
def test_failed_save_keeps_the_old_file_and_the_change_in_memory(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    store = open_store(db)
    first = add(store, article, "13,000 jobs")
    before = db.read_bytes()
    target = tempfile if failing == "mkstemp" else os

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(target, failing, broken)
        with pytest.raises(StoreError, match=r"not saved \(No space left on device\); free disk"):
            add(store, article, "HK$50 billion")
    assert db.read_bytes() == before  # disk: the old version, whole
    assert not list(db.parent.glob(".annotations.json.*tmp"))
    assert store.unsaved == 1
    assert [a["quote"] for a in store.annotations()] == ["HK$50 billion", "13,000 jobs"]
    store.save()  # the next save retries
    assert store.unsaved == 0
    assert {a["quote"] for a in open_store(db).annotations()} == {"13,000 jobs", "HK$50 billion"}
    assert open_store(db).get(first["id"]) == first


def test_unsaved_change_is_saved_with_the_next_change(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", full)
        with pytest.raises(StoreError):
            add(store, article, "HK$50 billion", note="pending")
    add(store, article, "HK$1 billion")
    quotes = sorted(a["quote"] for a in open_store(db).annotations())
    assert quotes == ["13,000 jobs", "HK$1 billion", "HK$50 billion"]


def test_a_filesystem_without_hard_links_still_saves(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rolling backup is a bonus: failing to make it must not block the save."""
    store = open_store(db)
    add(store, article, "13,000 jobs")

    def no_links(*args: Any) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    add(store, article, "HK$50 billion")
    assert len(on_disk(db)["annotations"]) == 2 and store.unsaved == 0


def test_backup_step_after_a_crash_between_backup_and_replace_leaves_no_temp(
    db: Path, article: Article
) -> None:
    """A writer killed after keeping the backup leaves .bak and the file as one inode; the next
    save must still end with no temp file (rename() between two links is a no-op)."""
    store = open_store(db)
    add(store, article, "13,000 jobs")
    add(store, article, "HK$1 billion")
    os.unlink(f"{db}.bak")
    os.link(db, f"{db}.bak")
    add(store, article, "HK$50 billion")
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".")) == []
    assert len(json.loads(Path(f"{db}.bak").read_text())["annotations"]) == 2


def test_the_malformed_record_cases_differ_from_a_good_record_only_in_their_flaw() -> None:
    from tui.core.annotations.records import first_malformed

    assert first_malformed({"1": GOOD_RECORD}) is None
    assert first_malformed({"1": {**GOOD_RECORD, "start": "1"}}) is not None
