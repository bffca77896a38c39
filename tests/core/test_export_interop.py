"""Exports fed to their consumers: pyld under both W3C contexts, the W3C MUST schemas, the
Hypothesis create contract, schema.org ClaimReview, doccano and Label Studio shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.core.export_cases import EXPORTED_AT, Case, edited_library, without_url
from tui.core.annotations.exports import ExportOptions, ExportReport, render
from tui.core.annotations.exports.claimreview import RATINGS
from tui.core.annotations.exports.label_studio import LABEL_CONFIG
from tui.core.annotations.exports.w3c import W3C_CONTEXT, offline_document_loader

W3C_SUITE = SHARED / "peer-suites" / "w3c-annotation-schemas"
HYPOTHESIS_SUITE = SHARED / "peer-suites" / "hypothesis"
JSONLD_KEYWORDS = {"@id", "@type", "@value", "@list", "@language", "@graph", "@index"}


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return edited_library(tmp_path)


def run(fmt: str, case: Case, **options: Any) -> tuple[Any, ExportReport]:
    report = ExportReport()
    chosen = ExportOptions(exported_at=EXPORTED_AT, **options)
    text = render(fmt, case.records, case.articles, (), chosen, report)
    return json.loads(text), report


# ------------------------------------------------------------------ W3C
def test_collection_and_page_ids_are_stable_and_follow_the_content(case: Case) -> None:
    first, _ = run("w3c", case)
    again, _ = run("w3c", case)
    page = first["first"]
    assert first["id"].startswith("urn:uuid:") and page["id"].startswith("urn:uuid:")
    assert first["id"] != page["id"] and page["partOf"] == first["id"] == again["id"]
    assert first["last"] == page["id"] and page["type"] == "AnnotationPage"
    changed = Case(case.articles, [{**case.records[0], "modified": "2026-11-29T00:00:00Z"},
                                   *case.records[1:]])  # fmt: skip
    assert run("w3c", changed)[0]["id"] != first["id"]


def _context(name: str) -> dict[str, Any]:
    path = W3C_SUITE / "contexts" / name
    if not path.exists():
        pytest.skip(f"{path} not found: the W3C contexts are not beside the project")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _leaves(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() if key != "@context" for leaf in _leaves(value)]
    if isinstance(node, list):
        return [leaf for item in node for leaf in _leaves(item)]
    return [node]


def _unexpanded(node: Any) -> list[str]:
    """Keys and IRIs of an expanded document that are not absolute IRIs or keywords."""
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found += _unexpanded(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in JSONLD_KEYWORDS and ":" not in key:
                found.append(key)
            if key in ("@id", "@type"):
                for iri in value if isinstance(value, list) else [value]:
                    if ":" not in iri:
                        found.append(iri)
            found += _unexpanded(value)
    return found


@pytest.mark.parametrize("context_file", ["anno-2016-w3c-repo.jsonld", "anno-current.jsonld"])
def test_w3c_export_expands_with_pyld_leaving_no_term_behind(context_file: str, case: Case) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    context = _context(context_file)

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        assert url == W3C_CONTEXT
        return {"contextUrl": None, "documentUrl": url, "document": context}

    document, _ = run("w3c", case)
    # base None: a term the context misses stays a relative IRI (pyld's default base hides it)
    expanded = jsonld.expand(document, {"documentLoader": loader, "base": None})
    assert _unexpanded(expanded) == []
    kept = {str(v) for v in _leaves(expanded)}
    strings = {str(v) for v in _leaves(document) if not isinstance(v, bool)}
    vocab_terms = {"Annotation", "AnnotationCollection", "AnnotationPage", "TextualBody",
                   "Person", "TextQuoteSelector", "TextPositionSelector"}  # fmt: skip
    words = {"assessing", "commenting", "tagging", "classifying", "describing", "highlighting"}
    assert strings - kept - vocab_terms - words == set()  # every value survived expansion
    flat = json.dumps(expanded)
    assert "http://www.w3.org/ns/oa#assessing" in flat
    assert "urn:claimdesk:terms:anchorState" in flat and "urn:claimdesk:terms:current" in flat


def test_the_shipped_context_expands_offline_and_nothing_else_is_fetched(case: Case) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    document, _ = run("w3c", case)
    expanded = jsonld.expand(document, {"documentLoader": offline_document_loader, "base": None})
    assert _unexpanded(expanded) == []
    with pytest.raises(ValueError, match="not available offline"):
        offline_document_loader("https://example.com/other.jsonld")


def test_w3c_items_carry_state_hash_and_current_position(case: Case) -> None:
    document, _ = run("w3c", case)
    items = {i["target"]["selector"][0]["exact"]: i for i in document["first"]["items"]}
    drifted = items["2.1%"]
    assert drifted["cd:anchorState"] == "drifted"
    assert [s["type"] for s in drifted["target"]["selector"]] == ["TextQuoteSelector"]
    body = case.articles["wire"].body
    current = drifted["cd:current"]
    assert body[current["cd:start"] : current["cd:end"]] == current["cd:text"] == "2.2%"
    assert drifted["cd:articleSha256"] == case.articles["wire"].sha256
    assert drifted["cd:quotedSha256"] != drifted["cd:articleSha256"]
    orphan = items["deleted article"]
    assert orphan["cd:anchorState"] == "orphan" and "cd:articleSha256" not in orphan
    assert orphan["cd:stored"] == {"cd:start": 2, "cd:end": 17}
    assert items["officials said"]["cd:anchorState"] == "anchored"


def test_w3c_items_still_pass_every_must_schema(case: Case) -> None:
    if not (W3C_SUITE / "annotations").is_dir():
        pytest.skip(f"{W3C_SUITE} not found")
    from tests.core.test_export import must_validators

    document, _ = run("w3c", case)
    for item in document["first"]["items"]:
        failures = [name for name, v in must_validators() if not v.is_valid(item)]
        assert failures == [], f"{item['id']} fails {failures}"


# ------------------------------------------------------------------ Hypothesis
def _check_create(path: Path) -> subprocess.CompletedProcess[str]:
    checker = HYPOTHESIS_SUITE / "check_create.py"
    if not checker.exists():
        pytest.skip(f"{checker} not found")
    return subprocess.run([sys.executable, str(checker), str(path)], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip


def test_the_hypothesis_contract_accepts_every_body(case: Case, tmp_path: Path) -> None:
    bodies, report = run("hypothesis", case)
    path = tmp_path / "h.json"
    path.write_text(json.dumps(bodies), encoding="utf-8")
    checked = _check_create(path)
    assert checked.returncode == 0, checked.stdout
    assert f"{len(bodies)} accepted, 0 rejected" in checked.stdout
    wire_url = case.articles["wire"].meta.url
    wire = [b for b in bodies if b["uri"] == wire_url]
    assert len(wire) == 5 and all(b["target"][0]["source"] == wire_url for b in wire)
    assert all(b["uri"].startswith("https://") for b in bodies)
    disputed = next(b for b in wire if b["target"][0]["selector"][0]["exact"] == "2.1%")
    assert disputed["tags"] == ["inflation", "status:disputed"]
    assert disputed["document"]["title"] == ["Prices — May"]
    assert len(disputed["target"][0]["selector"]) == 1  # drifted: no position hint
    assert any("without a web address (local)" in note for note in report.notes)
    assert any("not in the library (gone)" in note for note in report.notes)


def test_hypothesis_positions_count_utf16_code_units(case: Case) -> None:
    bodies, _ = run("hypothesis", case)
    emoji = next(b for b in bodies if b["target"][0]["selector"][0]["exact"] == "survey 😀 of")
    position = emoji["target"][0]["selector"][1]
    body = case.articles["wire"].body
    start = body.index("survey 😀 of")
    assert (position["start"], position["end"]) == (start, start + len("survey 😀 of") + 1)
    utf16 = body.encode("utf-16-le")
    exact = utf16[position["start"] * 2 : position["end"] * 2].decode("utf-16-le")
    assert exact == "survey 😀 of"


def test_articles_without_an_address_get_a_urn_only_when_asked(case: Case, tmp_path: Path) -> None:
    bare = without_url(case)
    skipped, report = run("hypothesis", bare)
    assert skipped == [] and report.written == 0 and report.notes
    bodies, _ = run("hypothesis", bare, urn_for_missing_url=True)
    assert {b["uri"] for b in bodies} == {"urn:claimdesk:article:wire",
                                          "urn:claimdesk:article:local"}  # fmt: skip
    path = tmp_path / "urn.json"
    path.write_text(json.dumps(bodies), encoding="utf-8")
    assert _check_create(path).returncode == 0


# ------------------------------------------------------------------ ClaimReview
REVIEW_REQUIRED = ("@context", "@type", "claimReviewed", "reviewRating", "itemReviewed",
                   "author", "datePublished")  # fmt: skip


def test_one_claim_review_per_verdict_with_every_required_property(case: Case) -> None:
    reviews, report = run("claimreview", case)
    with_verdict = [r for r in case.records if r["status"] != "unverified"]
    assert len(reviews) == len(with_verdict) == report.written
    assert any("left out 3 unverified" in note for note in report.notes)
    for review in reviews:
        assert all(key in review for key in REVIEW_REQUIRED), review
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        rating = review["reviewRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 4)
        assert rating["alternateName"] in {name for _, name in RATINGS.values()}
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["author"] == {"@type": "Person", "name": "tester"}  # CLAIMDESK_AUTHOR
    disputed = next(r for r in reviews if r["claimReviewed"] == "2.1%")
    assert (disputed["reviewRating"]["ratingValue"], disputed["reviewRating"]["alternateName"]) == (
        2, "Disputed",
    )  # fmt: skip
    appearance = disputed["itemReviewed"]["appearance"]
    assert appearance == {
        "@type": "NewsArticle", "url": "https://example.com/news/may?ref=1",
        "headline": "Prices — May", "publisher": {"@type": "Organization", "name": "Wire"},
        "datePublished": "2026-05-30", "author": {"@type": "Person", "name": "A. Writer"},
    }  # fmt: skip


def test_the_reviewer_can_be_an_organisation(case: Case) -> None:
    reviews, _ = run("claimreview", case, reviewer="FactCheck Desk", reviewer_is_organisation=True)
    assert {json.dumps(r["author"]) for r in reviews} == {
        json.dumps({"@type": "Organization", "name": "FactCheck Desk"})
    }


# ------------------------------------------------------------------ doccano, Label Studio
def test_doccano_lines_have_text_and_labels_in_its_import_shape(case: Case) -> None:
    lines, report = [], ExportReport()
    text = render("doccano", case.records, case.articles, (), None, report)
    for raw in text.splitlines():
        lines.append(json.loads(raw))
    assert {line["article_id"] for line in lines} == {"wire", "local"}
    for line in lines:
        assert isinstance(line["text"], str) and line["label"]
        for start, end, label in line["label"]:
            assert label in {"CLAIM", "FIGURE", "QUOTE", "NOTE"}
            assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end
    wire = next(line for line in lines if line["article_id"] == "wire")
    quotes = [wire["text"][s:e] for s, e, _ in wire["label"]]
    assert "2.2%" not in quotes and "officials said" in quotes  # drifted left out
    assert any("drifted" in note for note in report.notes)
    included = render(
        "doccano", case.records, case.articles, (), ExportOptions(include_drifted=True)
    )
    assert "2.2%" in [
        json.loads(raw)["text"][s:e]
        for raw in included.splitlines()
        for s, e, _ in json.loads(raw)["label"]
    ]


def test_label_studio_regions_carry_note_and_status_per_region(case: Case) -> None:
    tasks, _ = run("label-studio", case)
    assert {t["data"]["article_id"] for t in tasks} == {"wire", "local"}
    wire = next(t for t in tasks if t["data"]["article_id"] == "wire")
    results = wire["annotations"][0]["result"]
    by_region: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        by_region.setdefault(result["id"], []).append(result)
        assert result["to_name"] == "text" and f'name="{result["from_name"]}"' in LABEL_CONFIG
        value = result["value"]
        assert wire["data"]["text"][value["start"] : value["end"]] != ""
    noted = next(r for r in by_region.values() if any(x["type"] == "textarea" for x in r))
    kinds = {x["type"]: x for x in noted}
    assert kinds["labels"]["value"]["text"] == "officials said"
    assert kinds["textarea"]["value"]["text"] == ["Two sources."]
    assert kinds["choices"]["value"]["choices"] == ["supported"]
    assert all(
        {x["type"] for x in region} >= {"labels", "choices"} for region in by_region.values()
    )
