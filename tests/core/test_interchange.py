"""import-annotations on malformed or foreign files: a clear error or a reported skip, never a
traceback, and nothing stored that a later export would have to refuse."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.core.test_store import make_article
from tui.cli import cli
from tui.core.annotations.anchors import current_states
from tui.core.annotations.export import render, w3c_annotation
from tui.core.annotations.interchange import ImportFileError, read_annotations
from tui.core.annotations.records import utc_time
from tui.core.annotations.store import open_store
from tui.core.articles.library import Article

ARTICLE_ID = "hk-plan"
CLAIMDESK = {"format": "claimdesk", "version": 1}


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


def w3c(created: str, modified: str) -> dict[str, Any]:
    """One W3C annotation on the test article with these timestamps."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6f1c2c3e-2f0a-4d5e-9a43-0c6f4d1a2b3c",
        "type": "Annotation",
        "created": created,
        "modified": modified,
        "body": {"type": "TextualBody", "purpose": "commenting", "value": "a note"},
        "target": {
            "source": f"urn:claimdesk:article:{ARTICLE_ID}",
            "selector": {"type": "TextQuoteSelector", "exact": "HK$50 billion"},
        },
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({**CLAIMDESK, "annotations": 5}, "'annotations' must be a list"),
        ({**CLAIMDESK, "annotations": [], "corrections": "x"}, "'corrections' must be a list"),
        ({"type": "AnnotationCollection", "first": "page-1"}, "not a claimdesk export"),
        ({"text": "abc", "meta": {"id": ARTICLE_ID}, "spans": 5}, "neither claimdesk json"),
    ],
)
def test_a_file_of_the_wrong_shape_is_one_clear_error(
    tmp_path: Path, article: Article, content: dict[str, Any], message: str
) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ImportFileError, match=message):
        read_annotations(path, {ARTICLE_ID: article})
    db, articles = tmp_path / "db.json", tmp_path / "articles"
    result = CliRunner().invoke(
        cli, ["--articles", str(articles), "--db", str(db), "import-annotations", str(path)]
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert message in result.output
    assert not db.exists()


def test_a_pipe_is_refused_not_read_forever(tmp_path: Path, article: Article) -> None:
    pipe = tmp_path / "export.json"
    os.mkfifo(pipe)
    with pytest.raises(ImportFileError, match="not a regular file"):
        read_annotations(pipe, {ARTICLE_ID: article})


def test_spans_with_ids_that_are_not_text_are_skipped(tmp_path: Path, article: Article) -> None:
    spans = [{"id": ["a"], "start": 0, "end": 2}, {"id": "good", "start": 0, "end": 2}]
    path = tmp_path / "spans.jsonl"
    path.write_text(json.dumps({"text": article.body, "meta": {"id": ARTICLE_ID}, "spans": spans}))
    parsed = read_annotations(path, {ARTICLE_ID: article})
    assert [a["id"] for a in parsed.annotations] == ["good"] and len(parsed.skipped) == 1
    store = open_store(tmp_path / "db.json")
    report = store.merge([{"id": ["unhashable"]}, 7, *parsed.annotations])  # type: ignore[list-item]
    assert report.added == ["good"] and len(report.skipped) == 2


def test_corrections_that_cannot_apply_are_skipped_not_stored(
    tmp_path: Path, article: Article
) -> None:
    corrections = [
        {"id": "c1", "action": "reject", "text": "AI", "label": "GPE", "created": "2025-01-01"},
        {"id": "c2", "action": "explode", "text": "AI"},
        {"id": "c3", "action": "add", "label": "ORG"},
        {"action": "ignore", "text": "Subscribe"},
        "not a correction",
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({**CLAIMDESK, "annotations": [], "corrections": corrections}))
    parsed = read_annotations(path, {ARTICLE_ID: article})
    assert [c["id"] for c in parsed.corrections] == ["c1"]
    assert parsed.skipped == [
        "4 correction(s) without an id, a known action, a text or a known label"
    ]
    store = open_store(tmp_path / "db.json")
    assert store.merge([], parsed.corrections).corrections_added == 1
    assert store.corrections()[0]["created"] == "2025-01-01T00:00:00.000Z"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2025-01-15T09:30:00Z", "2025-01-15T09:30:00Z"),
        ("2025-01-15T09:30:00.123456Z", "2025-01-15T09:30:00.123456Z"),
        ("2025-01-15T17:30:00+08:00", "2025-01-15T09:30:00.000Z"),
        ("2025-01-15T09:30:00", "2025-01-15T09:30:00.000Z"),
        ("2025-01-15", "2025-01-15T00:00:00.000Z"),
    ],
)
def test_times_are_stored_in_utc_with_a_z(given: str, stored: str) -> None:
    assert utc_time(given) == stored


@pytest.mark.parametrize("bad", ["yesterday", "", "2025-13-01T00:00:00Z", "15/01/2025"])
def test_a_time_that_is_not_iso_8601_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not an ISO-8601 date and time"):
        utc_time(bad, "created")


def test_w3c_import_converts_offsets_to_utc_and_skips_unreadable_times(
    tmp_path: Path, article: Article
) -> None:
    good = w3c("2025-01-15T17:30:00+08:00", "2025-01-15T17:30:00+08:00")
    bad = {**w3c("yesterday", "yesterday"), "id": "urn:uuid:bad"}
    path = tmp_path / "w3c.json"
    path.write_text(json.dumps([good, bad]), encoding="utf-8")
    store = open_store(tmp_path / "db.json")
    report = store.merge(read_annotations(path, {ARTICLE_ID: article}).annotations)
    assert len(report.added) == 1 and "not an ISO-8601" in report.skipped[0]
    (stored,) = store.annotations()
    assert (stored["created"], stored["modified"]) == ("2025-01-15T09:30:00.000Z",) * 2


def test_merge_orders_versions_by_time_not_by_how_they_are_written(
    tmp_path: Path, article: Article
) -> None:
    store = open_store(tmp_path / "db.json")
    mine = store.add(article, 0, 2, note="mine", author="tester")
    earlier = {**mine, "note": "theirs", "modified": mine["modified"][:19] + "Z"}  # whole second
    report = store.merge([earlier])
    assert report.updated == [] and store.annotations()[0]["note"] == "mine"


def test_spans_from_other_tools_get_stable_ids(tmp_path: Path, article: Article) -> None:
    start = article.body.index("HK$50 billion")
    spans = [
        {"start": start, "end": start + 13, "label": "MONEY"},  # Prodigy: no id
        {"id": 7, "start": 0, "end": 2},  # doccano: a number
    ]
    path = tmp_path / "prodigy.jsonl"
    path.write_text(json.dumps({"text": article.body, "meta": {"id": ARTICLE_ID}, "spans": spans}))
    store = open_store(tmp_path / "db.json")
    first = store.merge(read_annotations(path, {ARTICLE_ID: article}).annotations)
    again = store.merge(read_annotations(path, {ARTICLE_ID: article}).annotations)
    assert len(first.added) == 2 and "7" in first.added and first.skipped == []
    assert again.added == [] and sorted(again.unchanged) == sorted(first.added)
    assert {a["quote"] for a in store.annotations()} == {"HK$50 billion", article.body[:2]}


@pytest.mark.parametrize("odd_id", ["my id", "a: b", "50%", "7"])
def test_any_imported_id_becomes_a_valid_w3c_iri_and_comes_back(
    tmp_path: Path, article: Article, odd_id: str
) -> None:
    rfc3987 = pytest.importorskip("rfc3987")
    store = open_store(tmp_path / "db.json")
    record = store.add(article, 0, 2, author="tester")
    assert store.merge([{**record, "id": odd_id}]).added == [odd_id]
    odd = next(a for a in store.annotations() if a["id"] == odd_id)
    item = w3c_annotation(odd, {ARTICLE_ID: article})
    assert rfc3987.match(item["id"], rule="IRI") is not None
    path = tmp_path / "w3c.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    assert [a["id"] for a in read_annotations(path, {ARTICLE_ID: article}).annotations] == [odd_id]


JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5000), st.text(max_size=8),
    st.sampled_from(["TextQuoteSelector", "TextPositionSelector", "tagging", "claimdesk",
                     "Annotation", "AnnotationCollection", "2025-01-01T00:00:00Z",
                     f"urn:claimdesk:article:{ARTICLE_ID}"]),
)  # fmt: skip
JSON_KEYS = st.sampled_from(
    ["id", "format", "version", "annotations", "corrections", "text", "meta", "spans", "start",
     "end", "type", "first", "items", "target", "source", "selector", "exact", "body", "purpose",
     "value", "created", "quote", "article_id", "tags", "status", "action", "label"]
)  # fmt: skip
ANY_JSON = st.recursive(
    JSON_LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_KEYS, inner),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True)
@given(ANY_JSON)
@example([{"id": "a", "target": []}])
@example([{"id": "a", "target": {"source": f"urn:claimdesk:article:{ARTICLE_ID}", "selector": []}}])
@example({"type": "AnnotationCollection", "first": "page-1"})
@example(
    {"text": "abcdef", "meta": {"id": ARTICLE_ID}, "spans": [{"id": [1], "start": 0, "end": 2}]}
)
@example({**CLAIMDESK, "annotations": [{"id": "a", "quote": "x", "start": 0, "end": 1,
                                         "created": "yesterday"}]})  # fmt: skip
def test_any_json_file_is_imported_or_refused_with_one_clear_error(document: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        library = {ARTICLE_ID: make_article(Path(folder) / "articles")}
        path = Path(folder) / "in.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            parsed = read_annotations(path, library)
        except ImportFileError as exc:
            assert str(exc).startswith(str(path)) and "\n" not in str(exc)
            return
        store = open_store(Path(folder) / "db.json")
        report = store.merge(parsed.annotations, parsed.corrections)
        records = current_states(store.annotations(), {ARTICLE_ID: library[ARTICLE_ID].body})
        for fmt in ("w3c", "jsonl", "csv", "md"):
            render(fmt, records, library, store.corrections())  # never raises
        exported = json.loads(render("json", records, library, store.corrections()))
        assert len(exported["annotations"]) == len(set(report.added))
        assert all(a["modified"].endswith("Z") for a in exported["annotations"])
