"""Exports: the claimdesk JSON Schema, W3C conformance, the json round trip, jsonl, csv, md."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import REPO, SHARED, seed_text
from tests.core.test_store import make_article
from tui.core.annotations.anchors import current_states
from tui.core.annotations.export import md_escape, render, to_csv, to_json, to_jsonl, to_md, to_w3c
from tui.core.annotations.interchange import read_annotations
from tui.core.annotations.store import AnnotationStore, open_store
from tui.core.articles.library import Article, ArticleMeta, read_article, write_article
from tui.core.text import canonicalize

SCHEMA = REPO / "tui" / "schemas" / "claimdesk-export.schema.json"
W3C_SCHEMAS = SHARED / "peer-suites" / "w3c-annotation-schemas"
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}  # fmt: skip
"""The W3C Web Annotation vocabulary's motivations (also the allowed body purposes)."""
HOSTILE_NOTE = "[bold red]x[/] [link=file:///etc]y[/link] \x1b[2J *em* <script>|a|"
STORED_NOTE = HOSTILE_NOTE.replace("\x1b", "␛")
"""How the store keeps it: markup literal, the escape character made visible."""


@pytest.fixture
def library(tmp_path: Path) -> dict[str, Article]:
    """The second seed article, plus a small one with a URL."""
    folder = tmp_path / "articles"
    seed = canonicalize(seed_text("003_2fa2a70927448b5d.txt"))
    hk = read_article(write_article(folder, ArticleMeta("hk-tech", "HK tech", folder), seed))
    small = read_article(
        write_article(
            folder,
            ArticleMeta("small", "Small", folder, source="Wire", url="https://example.com/a?b=1"),
            "Inflation fell to 2.1% in May, officials said.",
        )
    )
    return {"hk-tech": hk, "small": small}


def annotate(store: AnnotationStore, article: Article, quote: str, **kw: Any) -> dict[str, Any]:
    start = article.body.index(quote)
    return store.add(article, start, start + len(quote), author="tester", **kw)


@pytest.fixture
def store(tmp_path: Path, library: dict[str, Article]) -> AnnotationStore:
    """A store with a figure claim, a hostile note, a verdict, and an orphan."""
    store = open_store(tmp_path / "annotations.json")
    hk, small = library["hk-tech"], library["small"]
    figure = {"text": "HK$50 billion", "label": "MONEY", "value": 5e10, "currency": "HKD",
              "unit": None, "qualifier": None}  # fmt: skip
    annotate(store, hk, "HK$50 billion", tags=["investment", "OASES"],
             note="Spread over 2.5 years,\nnot one budget.", figure=figure)  # fmt: skip
    annotate(store, hk, "13,000 jobs", status="supported", tags=["jobs"], note=HOSTILE_NOTE)
    annotate(store, small, "2.1%", status="disputed", kind="figure")
    annotate(store, small, "officials said")
    store.add_correction({"action": "relabel", "text": "OASES", "label": "ORG"})
    ghost = make_article(
        Path(hk.meta.path).parent.parent / "gone", "A deleted article text.", "gone"
    )
    annotate(store, ghost, "deleted article")
    return store


def export(store: AnnotationStore, library: dict[str, Article], fmt: str) -> str:
    bodies = {a: (library[a].body if a in library else None) for a in store.counts_by_article()}
    records = current_states(store.annotations(), bodies)
    return render(fmt, records, library, store.corrections())


# ------------------------------------------------------------------ json
def test_json_export_matches_its_schema(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    document = json.loads(export(store, library, "json"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(document)] == []
    assert {a["anchor_state"] for a in document["annotations"]} == {"anchored", "orphan"}
    assert document["corrections"][0]["text"] == "OASES"
    hostile = next(a for a in document["annotations"] if a["quote"] == "13,000 jobs")
    assert hostile["note"] == STORED_NOTE  # stored and exported literally


def test_schema_rejects_what_the_format_forbids(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    document = json.loads(export(store, library, "json"))
    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    bad = json.loads(json.dumps(document))
    bad["annotations"][0]["status"] = "probably"
    bad["annotations"][1]["created"] = "2026-01-01T10:00:00+08:00"
    del bad["annotations"][2]["quote"]
    assert len(list(validator.iter_errors(bad))) == 3


def test_json_round_trip_through_an_empty_database(
    tmp_path: Path, store: AnnotationStore, library: dict[str, Article]
) -> None:
    first = tmp_path / "first.json"
    first.write_text(export(store, library, "json"), encoding="utf-8")
    fresh = open_store(tmp_path / "fresh.json")
    parsed = read_annotations(first, library)
    report = fresh.merge(parsed.annotations, parsed.corrections)
    assert (len(report.added), report.conflicts, report.corrections_added) == (5, [], 1)
    again = json.loads(export(fresh, library, "json"))
    original = json.loads(first.read_text(encoding="utf-8"))
    assert again["annotations"] == original["annotations"]
    assert again["corrections"] == original["corrections"]
    assert again["articles"] == original["articles"]
    report = fresh.merge(parsed.annotations, parsed.corrections)  # importing twice: no duplicates
    assert (len(report.added), len(report.unchanged), len(fresh.annotations())) == (0, 5, 5)


def test_import_reports_conflicts_and_keeps_the_newer_version(
    tmp_path: Path, store: AnnotationStore, library: dict[str, Article]
) -> None:
    path = tmp_path / "export.json"
    path.write_text(export(store, library, "json"), encoding="utf-8")
    target = store.annotations()[0]
    store.update(target["id"], note="edited here after the export")
    parsed = read_annotations(path, library)
    report = store.merge(parsed.annotations)
    assert report.conflicts == [f"{target['id']}: kept this database's version"]
    assert store.get(target["id"])["note"] == "edited here after the export"  # type: ignore[index]


# ------------------------------------------------------------------ w3c
@cache
def must_validators() -> list[tuple[str, Draft4Validator]]:
    """The 54 MUST-level assertion schemas of the W3C Web Annotation test suite."""

    def load(path: Path) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded

    registry: Registry = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT4))
        for s in map(load, (W3C_SCHEMAS / "definitions").glob("*.json"))
    )
    checker = Draft4Validator.FORMAT_CHECKER
    return [
        (path.name, Draft4Validator(s, registry=registry, format_checker=checker))
        for path in sorted((W3C_SCHEMAS / "annotations").rglob("*.json"))
        if (s := load(path)).get("assertionType") == "must"
    ]


def test_w3c_annotations_pass_every_must_schema(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    if not (W3C_SCHEMAS / "annotations").is_dir():
        pytest.skip(
            f"{W3C_SCHEMAS} not found: the W3C test-suite schemas are not beside the project"
        )
    collection = json.loads(export(store, library, "w3c"))
    items = collection["first"]["items"]
    assert collection["type"] == "AnnotationCollection" and collection["total"] == len(items) == 5
    validators = must_validators()
    assert len(validators) == 54
    for item in items:
        failures = [name for name, v in validators if not v.is_valid(item)]
        assert failures == [], f"{item['id']} fails {failures}"


def test_w3c_vocabulary_and_utc_checks_the_suite_leaves_out(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    items = json.loads(export(store, library, "w3c"))["first"]["items"]
    for item in items:
        assert item["motivation"] in MOTIVATIONS
        assert {body["purpose"] for body in item["body"]} <= MOTIVATIONS
        for key in ("created", "modified"):
            assert item[key].endswith("Z") and "+" not in item[key]
        assert item["id"].startswith("urn:uuid:")
    figure_claim = next(i for i in items if "OASES" in [b["value"] for b in i["body"]])
    purposes = [b["purpose"] for b in figure_claim["body"]]
    assert purposes == [
        "commenting",
        "tagging",
        "tagging",
        "assessing",
        "classifying",
        "describing",
    ]
    small = next(i for i in items if i["target"]["selector"][0]["exact"] == "2.1%")
    assert small["target"]["source"] == "https://example.com/a?b=1"
    assert small["motivation"] == "assessing"


def test_w3c_import_restores_the_annotations(
    tmp_path: Path, store: AnnotationStore, library: dict[str, Article]
) -> None:
    path = tmp_path / "w3c.jsonld"
    path.write_text(export(store, library, "w3c"), encoding="utf-8")
    parsed = read_annotations(path, library)
    assert parsed.format == "w3c" and parsed.skipped == []
    fresh = open_store(tmp_path / "fresh.json")
    fresh.merge(parsed.annotations, parsed.corrections)
    keys = ("id", "article_id", "quote", "prefix", "suffix", "start", "end", "tags", "note",
            "status", "kind", "figure", "created", "modified", "author")  # fmt: skip
    assert [{k: a[k] for k in keys} for a in fresh.annotations()] == [
        {k: a[k] for k in keys} for a in store.annotations()
    ]


# ------------------------------------------------------------------ jsonl, csv, md
def test_jsonl_spans_convert_to_a_spacy_docbin(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    lines = [json.loads(line) for line in export(store, library, "jsonl").splitlines()]
    assert [line["meta"]["id"] for line in lines] == ["gone", "hk-tech", "small"]
    gone = lines[0]
    assert gone["spans"] == [] and gone["meta"]["orphans"][0]["quote"] == "deleted article"
    for line in lines[1:]:
        for span in line["spans"]:
            assert line["text"][span["start"] : span["end"]] == span["text"]
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = []
    for line in lines[1:]:
        doc = nlp.make_doc(line["text"])
        spans = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in line["spans"]]
        assert None not in spans
        doc.spans["sc"] = spans
        docs.append(doc)
    restored = list(DocBin(docs=docs).get_docs(nlp.vocab))
    assert [s.text for s in restored[1].spans["sc"]] == ["2.1%", "officials said"]


def test_jsonl_import_merges_by_id(
    tmp_path: Path, store: AnnotationStore, library: dict[str, Article]
) -> None:
    path = tmp_path / "spans.jsonl"
    path.write_text(export(store, library, "jsonl"), encoding="utf-8")
    parsed = read_annotations(path, library)
    assert parsed.format == "jsonl" and len(parsed.annotations) == 4  # the orphan has no span
    report = store.merge(parsed.annotations)
    assert (len(report.unchanged), report.added, report.conflicts) == (4, [], [])


def test_csv_has_one_row_per_annotation_and_disarms_formulas(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    records = current_states(store.annotations(), {k: v.body for k, v in library.items()})
    records[0] = {**records[0], "note": '=HYPERLINK("http://x")'}
    rows = list(csv.DictReader(io.StringIO(to_csv(records, library))))
    assert len(rows) == 5
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")'
    money = next(r for r in rows if r["quote"] == "HK$50 billion")
    assert (money["tags"], money["label"], money["value"], money["currency"]) == (
        '["investment","OASES"]', "MONEY", "50000000000", "HKD",
    )  # fmt: skip
    assert money["anchor_state"] == "anchored"
    assert next(r for r in rows if r["quote"] == "2.1%")["url"] == "https://example.com/a?b=1"


def test_markdown_shows_untrusted_text_literally(
    store: AnnotationStore, library: dict[str, Article]
) -> None:
    text = export(store, library, "md")
    assert md_escape(STORED_NOTE) in text and "\x1b" not in text
    assert "<script>" not in text and "[bold red]" not in text
    assert "## HK tech" in text and "gone (not in the library)" in text
    assert "**Figure:** MONEY 50000000000 HKD" in text


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        render("xml", [], {})


def test_export_of_nothing_is_valid_everywhere() -> None:
    assert json.loads(to_json([], {}))["annotations"] == []
    assert json.loads(to_w3c([], {}))["total"] == 0
    assert to_jsonl([], {}) == ""
    assert to_csv([], {}).startswith("article,title,quote")
    assert "0 annotations" in to_md([], {})


def test_markdown_never_lets_a_url_end_its_link_early(library: dict[str, Article]) -> None:
    small = library["small"]
    hostile = "https://e.com/a>[click](javascript:alert(1))"
    article = Article(replace(small.meta, url=hostile), small.body)
    record: dict[str, Any] = {
        "id": "x", "article_id": "small", "quote": "2.1%", "tags": [], "note": "",
        "status": "unverified", "figure": None, "anchor_state": "anchored",
    }  # fmt: skip
    text = to_md([record], {"small": article})
    assert "<https://e.com/a>" not in text and "\\[click\\]" in text
    assert "<https://example.com/a?b=1>" in to_md([record], library)
