"""The annotation store: records, validation, corrections, bad files, migration, save failures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import Query, TinyDB

import tui.core.storage as storage_module
from tui.core.articles import Article, ArticleMeta, read_article, write_article
from tui.core.storage import AtomicJSONStorage
from tui.core.store import SCHEMA_VERSION, AnnotationStore, StoreError, open_store
from tui.core.text import canonicalize

BODY = canonicalize(
    "Hong Kong will invest HK$50 billion over 2.5 years.\n"
    "The plan should create 13,000 jobs, officials said.\n"
    "A HK$1 billion AI institute opens next year."
)


def make_article(folder: Path, body: str = BODY, article_id: str = "hk-plan") -> Article:
    """Write an article file into ``folder`` and read it back as the library would."""
    meta = ArticleMeta(id=article_id, title="HK plan", path=folder / f"{article_id}.md")
    return read_article(write_article(folder, meta, body))


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def add(store: AnnotationStore, article: Article, quote: str, **kw: Any) -> dict[str, Any]:
    start = article.body.index(quote)
    return store.add(article, start, start + len(quote), author="tester", **kw)


def on_disk(db: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(db.read_text(encoding="utf-8"))
    return data


def test_add_is_on_disk_when_it_returns(db: Path, article: Article) -> None:
    store = open_store(db)
    record = add(store, article, "HK$50 billion", tags=["investment", "OASES"], note="2.5 years")
    assert record["quote"] == "HK$50 billion"
    assert record["created"].endswith("Z") and record["created"] == record["modified"]
    docs = list(on_disk(db)["annotations"].values())
    assert docs == [record]
    assert on_disk(db)["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert open_store(db).get(record["id"]) == record


def test_records_have_every_contract_field(db: Path, article: Article) -> None:
    record = add(open_store(db), article, "13,000 jobs")
    assert list(record) == [
        "id", "article_id", "kind", "quote", "prefix", "suffix", "start", "end", "sha256",
        "tags", "note", "status", "figure", "anchor_state", "created", "modified", "author",
    ]  # fmt: skip
    assert (record["kind"], record["status"], record["anchor_state"]) == (
        "claim", "unverified", "anchored",
    )  # fmt: skip


def test_overlapping_annotations_are_allowed(db: Path, article: Article) -> None:
    store = open_store(db)
    claim = add(store, article, "Hong Kong will invest HK$50 billion over 2.5 years.")
    figure = add(store, article, "HK$50 billion", kind="figure")
    assert {a["id"] for a in store.annotations("hk-plan")} == {claim["id"], figure["id"]}


def test_update_delete_restore_round_trip(db: Path, article: Article) -> None:
    store = open_store(db)
    record = add(store, article, "13,000 jobs", tags=["jobs"])
    changed = store.update(record["id"], status="disputed", note="Figure is from 2022")
    assert changed["status"] == "disputed" and changed["modified"] >= record["modified"]
    deleted = store.delete(record["id"])
    assert store.get(record["id"]) is None and store.annotations() == []
    store.restore(deleted)
    assert open_store(db).get(record["id"]) == deleted


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"status": "maybe"}, "status 'maybe' is not one of"),
        ({"kind": "rumour"}, "kind 'rumour'"),
        ({"start": 3}, "cannot change start"),
        ({"tags": "a,b"}, "tags must be a list"),
        ({"figure": {"value": float("nan")}}, "not a finite number"),
        ({"figure": {"value": {1, 2}}}, "must be text or a number"),
    ],
)
def test_invalid_changes_are_refused_and_nothing_changes(
    db: Path, article: Article, changes: dict[str, Any], error: str
) -> None:
    store = open_store(db)
    record = add(store, article, "13,000 jobs")
    before = db.read_bytes()
    with pytest.raises(ValueError, match=error):
        store.update(record["id"], **changes)
    assert db.read_bytes() == before
    assert store.get(record["id"]) == record and store.unsaved == 0


def test_unknown_ids_raise_key_error(db: Path, article: Article) -> None:
    store = open_store(db)
    with pytest.raises(KeyError):
        store.update("nope", note="x")
    with pytest.raises(KeyError):
        store.delete("nope")


def test_tags_are_cleaned_and_text_is_made_storable(db: Path, article: Article) -> None:
    store = open_store(db)
    record = add(store, article, "13,000 jobs", tags=[" jobs ", "Jobs", "", "labour  market"],
                 note="line 1\r\nline 2 \udc80 \x1b[2J")  # fmt: skip
    assert record["tags"] == ["jobs", "labour market"]
    assert record["note"] == "line 1\nline 2 \ufffd ␛[2J"
    assert store.all_tags() == ["jobs", "labour market"]


def test_counts_tags_and_filters(db: Path, tmp_path: Path, article: Article) -> None:
    other = make_article(tmp_path / "articles", "Another story with 42 new listings.", "other")
    store = open_store(db)
    add(store, article, "13,000 jobs", tags=["jobs", "hk"])
    add(store, article, "HK$50 billion", tags=["hk"])
    add(store, other, "42 new listings", tags=["ipo"])
    assert store.counts_by_article() == {"hk-plan": 2, "other": 1}
    assert store.all_tags() == ["hk", "ipo", "jobs"]
    assert [a["quote"] for a in store.annotations("hk-plan")] == ["HK$50 billion", "13,000 jobs"]


def test_returned_records_are_copies(db: Path, article: Article) -> None:
    store = open_store(db)
    record = add(store, article, "13,000 jobs", tags=["jobs"])
    store.annotations()[0]["tags"].append("mutated")
    record["tags"].append("also mutated")
    assert store.get(record["id"])["tags"] == ["jobs"]  # type: ignore[index]


def test_corrections_live_in_the_same_file(db: Path) -> None:
    store = open_store(db)
    made = store.add_correction({"action": "relabel", "text": "OASES", "label": "ORG"})
    assert made["id"] and made["created"].endswith("Z")
    kept = store.add_correction({"id": "fixed-id", "action": "ignore", "text": "Subscribe"})
    assert [c["id"] for c in open_store(db).corrections()] == [made["id"], "fixed-id"]
    assert kept["action"] == "ignore"
    store.remove_correction(made["id"])
    store.remove_correction("already-gone")
    assert [c["id"] for c in open_store(db).corrections()] == ["fixed-id"]
    assert len(on_disk(db)["corrections"]) == 1


def test_reattach_rewrites_selectors_only_when_asked(
    db: Path, tmp_path: Path, article: Article
) -> None:
    store = open_store(db)
    record = add(store, article, "13,000 jobs")
    edited = make_article(tmp_path / "articles", BODY.replace("13,000 jobs", "15,000 jobs"))
    assert store.get(record["id"])["quote"] == "13,000 jobs"  # type: ignore[index]
    start = edited.body.index("15,000 jobs")
    moved = store.reattach(record["id"], start, start + 11, edited)
    assert (moved["quote"], moved["sha256"]) == ("15,000 jobs", edited.sha256)
    assert moved["suffix"] == edited.body[start + 11 : start + 43]


def test_file_is_plain_tinydb(db: Path, article: Article) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs", tags=["jobs"])
    add(store, article, "HK$50 billion", tags=["money"])
    found = (
        TinyDB(db, storage=AtomicJSONStorage)
        .table("annotations")
        .search(Query().tags.any(["money"]))
    )
    assert [doc["quote"] for doc in found] == ["HK$50 billion"]
    money = Query().tags.any(["money"])
    assert len(store.db.table("annotations").search(money)) == 1
    add(store, article, "HK$1 billion", tags=["money"])
    assert len(store.db.table("annotations").search(money)) == 2  # no stale query cache


def test_changes_by_another_store_are_seen(db: Path, article: Article) -> None:
    first, second = open_store(db), open_store(db)
    one = add(first, article, "13,000 jobs")
    two = add(second, article, "HK$50 billion")
    assert {a["id"] for a in first.annotations()} == {one["id"], two["id"]}
    first.delete(two["id"])
    assert [a["id"] for a in second.annotations()] == [one["id"]]
    assert len(on_disk(db)["annotations"]) == 1


def test_file_permissions_are_kept(db: Path, article: Article) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")
    os.chmod(db, 0o640)
    add(store, article, "HK$50 billion")
    assert db.stat().st_mode & 0o777 == 0o640


def test_opening_creates_nothing(db: Path) -> None:
    store = open_store(db)
    assert store.annotations() == [] and store.corrections() == []
    assert not db.exists()


def test_missing_folder_is_a_clear_error(tmp_path: Path, article: Article) -> None:
    store = open_store(tmp_path / "nowhere" / "annotations.json")
    with pytest.raises(StoreError, match="does not exist; create it or choose another --db"):
        add(store, article, "13,000 jobs")


# ------------------------------------------------------------------ damaged files
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


def test_newer_schema_is_refused_untouched(db: Path) -> None:
    raw = b'{"annotations": {}, "_meta": {"1": {"schema_version": 99}}}'
    db.write_bytes(raw)
    with pytest.raises(StoreError, match=r"newer Claimdesk \(schema 99 > 2\); upgrade"):
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
    target = storage_module.tempfile if failing == "mkstemp" else storage_module.os

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
        patch.setattr(storage_module.os, "fsync", full)
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

    monkeypatch.setattr(storage_module.os, "link", no_links)
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


def test_reads_and_writes_from_threads_do_not_collide(db: Path, article: Article) -> None:
    """The app saves from worker threads while the UI thread lists annotations."""
    import threading

    store = open_store(db)
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                add(store, article, "13,000 jobs")
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        store.annotations()
        store.counts_by_article()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(open_store(db).annotations()) == 50
