"""The library index: one per library folder, rewritten only on change, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tui.core.articles.index import index_path
from tui.core.articles.library import ArticleMeta, scan_library, write_article

BODY = "Company A raised HK$5 billion.\nAnalysts expect more."


def _write(directory: Path, article_id: str, title: str = "A title") -> Path:
    meta = ArticleMeta(id=article_id, title=title, path=directory, source="Test")
    return write_article(directory, meta, BODY)


def test_two_libraries_sharing_a_cache_keep_their_own_index(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second = tmp_path / "one", tmp_path / "two"
    _write(first, "alpha")
    _write(second, "beta")
    scan_library(first, cache)
    scan_library(second, cache)
    assert index_path(first, cache) != index_path(second, cache)
    before = index_path(first, cache).stat().st_mtime_ns, index_path(second, cache).stat()
    assert [a.id for a in scan_library(first, cache).articles] == ["alpha"]
    assert [a.id for a in scan_library(second, cache).articles] == ["beta"]
    # neither index was rewritten: both libraries were served from their own
    assert index_path(first, cache).stat().st_mtime_ns == before[0]
    assert index_path(second, cache).stat().st_mtime_ns == before[1].st_mtime_ns


def test_unchanged_library_is_served_from_the_index_without_rewriting_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    for number in range(5):
        _write(library, f"report-{number}", f"Report {number}")
    first = scan_library(library, cache)
    index = index_path(library, cache)
    written = index.stat()
    import tui.core.articles.index as index_module

    def no_parse(path: Path) -> None:
        raise AssertionError(f"{path} was parsed although the index holds it")

    monkeypatch.setattr(index_module, "read_article", no_parse)
    second = scan_library(library, cache)
    assert second.articles == first.articles
    assert [a.path for a in second.articles] == [library / f"report-{n}.md" for n in range(5)]
    assert index.stat().st_ino == written.st_ino  # not replaced


def test_added_and_removed_files_update_the_index(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    _write(library, "kept")
    gone = _write(library, "gone")
    scan_library(library, cache)
    gone.unlink()
    assert [a.id for a in scan_library(library, cache).articles] == ["kept"]
    assert set(orjson.loads(index_path(library, cache).read_bytes())) == {"kept.md"}
    _write(library, "new")
    assert [a.id for a in scan_library(library, cache).articles] == ["kept", "new"]
    assert set(orjson.loads(index_path(library, cache).read_bytes())) == {"kept.md", "new.md"}


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda m: {**m, "extra": 1}, "an unknown field"),
        (lambda m: {k: v for k, v in m.items() if k != "title"}, "a missing field"),
        (lambda m: {**m, "title": 5}, "a title that is not text"),
        (lambda m: {**m, "words": "many"}, "a word count that is not a number"),
        (lambda m: {**m, "source": ["a"]}, "a list where text belongs"),
        (lambda m: "not a record", "not an object"),
    ],
)
def test_a_damaged_index_record_is_read_from_the_file_instead(
    tmp_path: Path, damage: object, why: str
) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    _write(library, "report", "The real title")
    scan_library(library, cache)
    index = index_path(library, cache)
    records = orjson.loads(index.read_bytes())
    assert callable(damage)
    records["report.md"]["meta"] = damage(records["report.md"]["meta"])
    index.write_bytes(orjson.dumps(records))
    (meta,) = scan_library(library, cache).articles
    assert meta.title == "The real title", why
    assert isinstance(meta.words, int)
    repaired = orjson.loads(index.read_bytes())["report.md"]["meta"]
    assert repaired["title"] == "The real title"


def test_an_edit_in_place_with_the_same_inode_is_seen(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    path = _write(library, "report", "Old title")
    scan_library(library, cache)
    inode = path.stat().st_ino
    with open(path, "r+", encoding="utf-8") as handle:  # as an editor that writes in place
        text = handle.read().replace("Old title", "New title, longer")
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    assert path.stat().st_ino == inode
    assert scan_library(library, cache).articles[0].title == "New title, longer"


def test_hidden_and_other_files_are_not_articles(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    _write(library, "report")
    (library / ".report.md.tmp").write_text("half written", encoding="utf-8")
    (library / ".hidden.md").write_text("---\nid: h\ntitle: H\n---\nx", encoding="utf-8")
    (library / "notes.txt").write_text("not an article", encoding="utf-8")
    scan = scan_library(library, cache)
    assert [a.id for a in scan.articles] == ["report"] and scan.problems == []


def test_missing_library_folder_lists_nothing(tmp_path: Path) -> None:
    scan = scan_library(tmp_path / "nowhere", tmp_path / "cache")
    assert scan.articles == [] and scan.problems == []
