"""Store side of import-annotations (issue 16): validate before writing, no save when nothing
changed, linear corrections import, honest unsaved-change messages, distinct ids."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

import tui.core.annotations.storage as storage_module
from tests.core.test_store import add, make_article
from tui.core.annotations.database import CORRECTIONS, Indexes, Tx
from tui.core.annotations.export import w3c_annotation
from tui.core.annotations.interchange import read_annotations
from tui.core.annotations.store import StoreError, append_corrections, open_store
from tui.core.articles.library import Article


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def test_a_no_op_import_writes_nothing_and_keeps_the_backup(db: Path, article: Article) -> None:
    store = open_store(db)
    first = add(store, article, "13,000 jobs")
    second = add(store, article, "HK$50 billion")
    correction = store.add_correction({"id": "c1", "action": "ignore", "text": "Subscribe"})
    backup = Path(f"{db}.bak").read_bytes()
    stat_before = os.stat(db)
    report = store.merge([first, second], [correction])
    assert report.unchanged == [first["id"], second["id"]] and report.corrections_added == 0
    assert Path(f"{db}.bak").read_bytes() == backup  # the pre-import backup survives
    after = os.stat(db)
    assert (after.st_ino, after.st_mtime_ns) == (stat_before.st_ino, stat_before.st_mtime_ns)


def test_an_import_validates_every_record_before_its_one_write(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db)
    good = add(store, article, "13,000 jobs")
    writes: list[int] = []
    real_write = storage_module.AtomicJSONStorage.write

    def counted(self: storage_module.AtomicJSONStorage, data: Any) -> None:
        writes.append(len(data.get("annotations", {})))
        real_write(self, data)

    monkeypatch.setattr(storage_module.AtomicJSONStorage, "write", counted)
    fresh = {**good, "id": "fresh-1", "note": "new"}
    bad = [{**good, "id": "bad-1", "start": "x"}, {**good, "id": None}, {**good, "id": "b2"}]
    bad[2]["article_id"] = {"not": "text"}
    report = store.merge([fresh, *bad])
    assert report.added == ["fresh-1"] and len(report.skipped) == 3
    assert writes == [2]  # one save, after every record was checked


@pytest.mark.parametrize("meta_id", [None, {"id": "nested"}, 7, ""])
def test_a_jsonl_line_whose_meta_id_is_not_text_is_skipped_before_any_write(
    tmp_path: Path, article: Article, meta_id: Any
) -> None:
    lines = [
        {"text": article.body, "meta": {"id": article.id}, "spans": [{"start": 0, "end": 9}]},
        {"text": article.body, "meta": {"id": meta_id}, "spans": [{"start": 0, "end": 9}]},
    ]
    source = tmp_path / "spans.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(line) for line in lines))
    parsed = read_annotations(source, {article.id: article})
    assert [a["article_id"] for a in parsed.annotations] == [article.id]
    assert parsed.skipped == [f"line 2: meta.id must be an article id (text), not {meta_id!r}"]


class CountingDict(dict[str, Any]):
    """A table that counts how often it is walked."""

    walks = 0

    def __iter__(self) -> Any:
        CountingDict.walks += 1
        return super().__iter__()

    def values(self) -> Any:
        CountingDict.walks += 1
        return super().values()


def test_appending_corrections_walks_the_table_a_fixed_number_of_times() -> None:
    """Finding the next free document id once, not once per correction (was quadratic)."""
    table = CountingDict({str(n): {"id": f"old-{n}"} for n in range(1, 51)})
    tx = Tx({CORRECTIONS: table}, Indexes())
    CountingDict.walks = 0
    added = append_corrections(tx, [{"id": f"new-{n}"} for n in range(500)])
    assert added == 500 and CountingDict.walks <= 2
    assert sorted(map(int, table)) == list(range(1, 551))


def test_a_failed_save_says_the_change_is_lost_if_the_process_exits(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db)
    add(store, article, "13,000 jobs")

    def read_only(*args: Any) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(StoreError) as caught:
        add(store, article, "HK$50 billion")
    message = str(caught.value)
    assert "not saved (Read-only file system)" in message
    assert "lost if Claimdesk exits first" in message and "\n" not in message


def test_ids_x_and_urn_uuid_x_stay_distinct_through_w3c(tmp_path: Path, article: Article) -> None:
    store = open_store(tmp_path / "annotations.json")
    base = add(store, article, "13,000 jobs")
    plain = "6f1c2c3e-2f0a-4d5e-9a43-0c6f4d1a2b3c"
    records = [{**base, "id": plain}, {**base, "id": f"urn:uuid:{plain}"}]
    items = [w3c_annotation(record, {article.id: article}) for record in records]
    assert items[0]["id"] != items[1]["id"]
    source = tmp_path / "w3c.json"
    source.write_bytes(orjson.dumps(items))
    parsed = read_annotations(source, {article.id: article})
    assert [a["id"] for a in parsed.annotations] == [plain, f"urn:uuid:{plain}"]
