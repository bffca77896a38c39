"""The annotation store: records, validation, corrections, bad files, migration, save failures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import Query, TinyDB

from tui.core.annotations.records import in_reading_order
from tui.core.annotations.storage import AtomicJSONStorage
from tui.core.annotations.store import SCHEMA_VERSION, AnnotationStore, StoreError, open_store
from tui.core.articles.library import Article, ArticleMeta, read_article, write_article
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
        "field", "history",
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


def test_the_snapshot_lies_in_reading_order_and_stays_plain_tinydb(
    db: Path, tmp_path: Path, article: Article
) -> None:
    """Saved in any order, the table is written by article, then position, so a database read
    back lies in memory in the order it is listed and exported; TinyDB keeps every doc id."""
    other = make_article(tmp_path / "articles", BODY, "a-first")
    store = AnnotationStore(db, journal_from=0)  # a journal, then one compaction
    made = [add(store, article, "HK$1 billion"), add(store, other, "13,000 jobs"),
            add(store, article, "HK$50 billion"), add(store, other, "HK$50 billion")]  # fmt: skip
    assert store.compact()
    table = on_disk(db)["annotations"]
    listed = [(doc["article_id"], doc["start"]) for doc in table.values()]
    assert listed == sorted(listed) and len(listed) == 4
    assert {doc["id"]: key for key, doc in table.items()} == {  # doc ids in order of making
        record["id"]: str(number) for number, record in enumerate(made, 1)
    }
    plain = TinyDB(db).table("annotations")
    assert {doc.doc_id: doc["id"] for doc in plain.all()} == {
        number: record["id"] for number, record in enumerate(made, 1)
    }
    assert [r["id"] for r in open_store(db).annotations()] == [
        made[3]["id"],
        made[1]["id"],
        made[2]["id"],
        made[0]["id"],
    ]


def test_reading_order_never_fails_a_save() -> None:
    table = {"1": {"article_id": "b", "start": 4, "created": "x"},
             "2": {"article_id": "a", "start": 9, "created": "x"}}  # fmt: skip
    assert list(in_reading_order(table)) == ["2", "1"]
    assert in_reading_order(ordered := {"2": table["2"], "1": table["1"]}) is ordered
    table["3"] = {"article_id": "a", "start": None, "created": "x"}  # cannot be compared
    assert in_reading_order(table) is table
    del table["3"]["start"]
    assert in_reading_order(table) is table


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


def test_version_2_files_migrate_to_body_fields_with_empty_history(tmp_path: Path) -> None:
    """Every record of a schema-2 file is a body span with no history after opening."""
    db = tmp_path / "annotations.json"
    good = {
        "id": "a1", "article_id": "hk-plan", "kind": "claim", "quote": "13,000 jobs",
        "prefix": "", "suffix": "", "start": 0, "end": 11, "sha256": "", "tags": ["jobs"],
        "note": "n", "status": "unverified", "figure": None, "anchor_state": "anchored",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
        "author": "a",
    }  # fmt: skip
    db.write_bytes(
        orjson.dumps({"annotations": {"1": good}, "_meta": {"1": {"schema_version": 2}}})
    )
    record = open_store(db).get("a1")
    assert record is not None
    assert (record["field"], record["history"], record["tags"]) == ("body", [], ["jobs"])
    assert on_disk(db)["_meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_reattach_keeps_the_previous_quote_and_figure_in_history(
    db: Path, article: Article
) -> None:
    store = open_store(db)
    old_figure = {"text": "13,000 jobs", "label": "COUNT", "value": 13000, "unit": "jobs"}
    record = store.add(article, *_span(article, "13,000 jobs"), figure=old_figure, author="t")
    new_figure = {"text": "HK$1 billion", "label": "MONEY", "value": 1e9, "currency": "HKD"}
    moved = store.reattach(
        record["id"], *_span(article, "HK$1 billion"), article, figure=new_figure
    )
    assert moved["quote"] == "HK$1 billion" and moved["figure"]["value"] == 1e9
    [entry] = moved["history"]
    assert entry["quote"] == "13,000 jobs" and entry["figure"]["value"] == 13000
    assert entry["reason"] == "re-attached"


def _span(article: Article, quote: str) -> tuple[int, int]:
    start = article.body.index(quote)
    return start, start + len(quote)
