"""Running the checks: the Finding JSON shape, the cache, pool safety and the workspace path."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import orjson
import pytest

import tui.core.extract as extract_pkg
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.checks import (
    CHECKS_VERSION,
    CheckCache,
    CheckContext,
    Finding,
    SpanRef,
    check_article,
    run_checks,
)
from tui.core.checks.prepare import (
    check_workspace,
    claim_from_finding,
    settings_context,
    text_input,
)
from tui.core.checks.runner import run_checks_by_key
from tui.core.config import Settings
from tui.core.extract.corrections import make_correction
from tui.core.extract.entities import Pipeline
from tui.core.workspace import Workspace

HEADLINE = "Hong Kong Tech Revival: $50B Investments, 13K Jobs"
BODY = (
    "OASES has lured 84 tech companies, with projected investments reaching HK$50 billion"
    " ($6.37 billion) and approximately 13,000 jobs. Revenue rose 15% to 300 million euros"
    " from 200 million euros."
)


def _finding() -> Finding:
    return Finding(
        "conversion",
        "warning",
        "'HK$50 billion ↔ $5 billion' implies 10 HKD per US$",
        (SpanRef("a", "body", 3, 16, "HK$50 billion"), SpanRef("a", "body", 18, 28, "$5 billion")),
        {"implied_usd_per_unit": 0.1},
    )


def test_finding_json_round_trips_and_has_the_documented_keys() -> None:
    finding = _finding()
    data = orjson.loads(orjson.dumps(finding.to_json()))
    assert list(data) == ["id", "kind", "severity", "explanation", "note", "spans", "facts"]
    assert data["spans"][0] == {
        "article_id": "a",
        "field": "body",
        "start": 3,
        "end": 16,
        "text": "HK$50 billion",
    }
    assert Finding.from_json(data) == finding
    assert Finding.from_json(data).id == finding.id == data["id"]


def test_finding_id_depends_on_kind_and_spans_not_on_wording() -> None:
    finding = _finding()
    reworded = Finding(finding.kind, "possible", "other words", finding.spans)
    moved = Finding(finding.kind, finding.severity, finding.explanation, finding.spans[:1])
    assert reworded.id == finding.id
    assert moved.id != finding.id


@pytest.mark.parametrize(
    ("severity", "prefix"),
    [
        ("warning", "Figure check (conversion, problem): "),
        ("possible", "Figure check (conversion, possible problem): "),
        ("info", "Figure check (conversion, note): "),
    ],
)
def test_note_prefills_a_claim_with_the_explanation(severity: str, prefix: str) -> None:
    finding = Finding("conversion", severity, "x implies y", ())
    assert finding.note() == prefix + "x implies y"


def test_inputs_and_findings_pickle_for_a_process_pool() -> None:
    article = text_input("hk", HEADLINE, BODY)
    copy = pickle.loads(pickle.dumps(article))
    direct = check_article(article.fields, article.figures_by_field, article.entities_by_field)
    pooled = check_article(copy.fields, copy.figures_by_field, copy.entities_by_field)
    assert pooled == direct
    assert {f.kind for f in direct} == {"headline", "arithmetic"}
    assert pickle.loads(pickle.dumps(direct)) == direct


def test_cached_results_are_read_without_building_inputs(tmp_path: Path) -> None:
    article = text_input("hk", HEADLINE, BODY)
    first = run_checks([article], cache_dir=tmp_path)

    def must_not_load() -> list[Any]:
        raise AssertionError("inputs built although every result was cached")

    keys = [_key(article)]
    assert run_checks_by_key(keys, must_not_load, None, tmp_path) == first


def _key(article: Any) -> str:
    from tui.core.checks.runner import input_digest

    return str(input_digest(article.key(), CheckContext()))


def test_changed_input_or_context_is_checked_again(tmp_path: Path) -> None:
    article = text_input("hk", HEADLINE, BODY)
    run_checks([article], cache_dir=tmp_path)
    fixed = text_input("hk", HEADLINE.replace("$50B", "HK$50B"), BODY)
    assert [f.kind for f in run_checks([fixed], cache_dir=tmp_path, library=False)] == [
        "arithmetic"
    ]
    stored = orjson.loads((tmp_path / "checks" / "findings.json").read_bytes())
    assert stored["version"] == CHECKS_VERSION
    assert len(stored["entries"]) == 3  # two articles' entries and one library entry


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"version": "0", "entries": {}}',
        b'{"version": "%s", "entries": 3}' % CHECKS_VERSION.encode(),
    ],
)
def test_unreadable_cache_is_a_miss_and_is_rewritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "checks" / "findings.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    article = text_input("hk", HEADLINE, BODY)
    assert run_checks([article], cache_dir=tmp_path)
    assert CheckCache(tmp_path).get(_key(article)) is not None


def test_malformed_entry_is_a_miss(tmp_path: Path) -> None:
    cache = CheckCache(tmp_path)
    cache.put("k", [_finding()])
    cache.flush()
    data = orjson.loads(cache.path.read_bytes())
    data["entries"]["k"] = [{"kind": "headline"}]
    cache.path.write_bytes(orjson.dumps(data))
    assert CheckCache(tmp_path).get("k") is None


def test_workspace_check_reads_no_extraction_the_second_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(None, None, "no model")
    )
    library = tmp_path / "articles"
    write_article(library, ArticleMeta(id="hk", title=HEADLINE, path=library), BODY)
    settings = Settings.from_paths(library, tmp_path / "db.json")
    first, messages = check_workspace(Workspace(settings))
    assert {f.kind for f in first} >= {"headline", "arithmetic"}
    assert messages == ["no model"]

    def no_extraction(*_: Any, **__: Any) -> Any:
        raise AssertionError("extracted although the checks were cached")

    monkeypatch.setattr(extract_pkg.Extractor, "extract", no_extraction)
    again, _ = check_workspace(Workspace(settings))
    assert again == first
    workspace = Workspace(settings)
    workspace.add_correction(make_correction("ignore", "200 million euros"))
    with pytest.raises(AssertionError, match="extracted although"):
        check_workspace(workspace)  # a new correction changes every key


def test_a_finding_becomes_a_claim_with_its_explanation_as_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(None, None, "no model")
    )
    library = tmp_path / "articles"
    write_article(library, ArticleMeta(id="hk", title=HEADLINE, path=library), BODY)
    workspace = Workspace(Settings.from_paths(library, tmp_path / "db.json"))
    findings, _ = check_workspace(workspace, settings_context(workspace.settings))
    [headline] = [f for f in findings if f.kind == "headline"]
    record = claim_from_finding(workspace, headline, tags=("check",))
    assert record["note"] == headline.note()
    assert record["field"] == "title"
    assert (record["start"], record["end"]) == (24, 28)
    [claim] = workspace.claims(workspace.article("hk"))
    assert claim.id == record["id"]
