"""`claimdesk check`: bundled library bars, held-out news items, JSON shape, table, errors.

The NLP model is replaced by a tagger that marks the names listed in the fixtures (the checks
read entities, they do not judge the model), so the tests are fast and deterministic.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tui.core.extract as extract_pkg
from tui.cli import cli
from tui.core.extract.entities import Pipeline

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "articles"
FIXTURES = REPO / "tests" / "fixtures" / "checks"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
BUNDLED_NAMES = {"OASES": "ORG", "Hong Kong": "GPE", "Cyberport": "ORG"}


class _Span:
    def __init__(self, text: str, start: int, label: str) -> None:
        self.text, self.start_char, self.end_char, self.label_ = (
            text,
            start,
            start + len(text),
            label,
        )


class _Doc:
    def __init__(self, ents: list[_Span]) -> None:
        self.ents = ents


class _Tagger:
    """Tags every occurrence of the given names, like a model that knows them."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def pipe(self, texts: Iterable[str]) -> Iterator[_Doc]:
        for text in texts:
            ents = []
            for name, label in self.names.items():
                at = text.find(name)
                while at != -1:
                    ents.append(_Span(name, at, label))
                    at = text.find(name, at + 1)
            yield _Doc(sorted(ents, key=lambda s: s.start_char))


def _tag(monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> None:
    pipeline = Pipeline(_Tagger(names), "fake", None)
    monkeypatch.setattr(extract_pkg, "load_pipeline", lambda model=None: pipeline)


def _library(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / "articles"
    shutil.copytree(source, target)
    return tmp_path


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, ["--articles", str(home / "articles"), "--db", str(home / "db.json"), *args]
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _json(home: Path, *args: str) -> list[dict[str, Any]]:
    code, out, err = run(home, "check", "--json", *args)
    assert code == 0, err
    findings: list[dict[str, Any]] = json.loads(out)
    return findings


def test_bundled_library_reports_the_dropped_currency_headline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag(monkeypatch, BUNDLED_NAMES)
    home = _library(tmp_path, BUNDLED)
    findings = _json(home)
    headline = [f for f in findings if f["kind"] == "headline"]
    assert len(headline) == 1
    [finding] = headline
    assert finding["severity"] == "warning"
    assert finding["spans"][0] == {
        "article_id": "hong-kong-tech-revival-50b-investments-13k-jobs",
        "field": "title",
        "start": 24,
        "end": 28,
        "text": "$50B",
    }
    assert [s["text"] for s in finding["spans"][1:]] == ["HK$50 billion", "$6.37 billion"]
    assert "7.8×" in finding["explanation"]
    assert finding["note"].endswith(finding["explanation"])


def test_bundled_library_keeps_its_correct_conversions_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "HK$50 billion ($6.37 billion)" is 7.85 HKD per US$, inside the peg's band."""
    _tag(monkeypatch, BUNDLED_NAMES)
    findings = _json(_library(tmp_path, BUNDLED))
    kinds = {f["kind"] for f in findings}
    assert "conversion" not in kinds and "arithmetic" not in kinds
    assert "cross-article" not in kinds


def test_every_finding_has_the_documented_json_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag(monkeypatch, BUNDLED_NAMES)
    home = _library(tmp_path, BUNDLED)
    findings = _json(home)
    assert findings
    texts = {}
    for path in (home / "articles").glob("*.md"):
        from tui.core.articles.library import read_article

        article = read_article(path)
        texts[article.id] = {
            "title": article.meta.title,
            "summary": article.meta.summary or "",
            "body": article.body,
        }
    for finding in findings:
        assert set(finding) == {"id", "kind", "severity", "explanation", "note", "spans", "facts"}
        assert finding["severity"] in ("warning", "possible", "info")
        for span in finding["spans"]:
            assert set(span) == {"article_id", "field", "start", "end", "text"}
            field_text = texts[span["article_id"]][span["field"]]
            assert field_text[span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize("article_id", sorted(EXPECTED["articles"]))
def test_held_out_news_items(
    article_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind is found where the figures disagree and stays quiet where they agree."""
    _tag(monkeypatch, EXPECTED["names"])
    findings = _json(_library(tmp_path, FIXTURES / "articles"))
    mine = {f["kind"] for f in findings if any(s["article_id"] == article_id for s in f["spans"])}
    expected = EXPECTED["articles"][article_id]
    for kind in expected["present"]:
        assert kind in mine, f"{kind} not found in {article_id}: {findings}"
    for kind in expected["absent"]:
        assert kind not in mine, f"false {kind} in {article_id}: {findings}"


def test_one_article_keeps_library_findings_that_involve_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag(monkeypatch, EXPECTED["names"])
    home = _library(tmp_path, FIXTURES / "articles")
    findings = _json(home, "au-qantas-base-june")
    assert {f["kind"] for f in findings} == {"cross-article"}
    [finding] = findings
    assert [s["article_id"] for s in finding["spans"]] == [
        "au-qantas-base-march",
        "au-qantas-base-june",
    ]
    assert "2025-03-10" in finding["explanation"] and "2025-06-02" in finding["explanation"]
    assert _json(home, "uk-tesco", "--kind", "headline") == []  # a unique prefix is enough


def test_table_shows_untrusted_text_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entity name that looks like Rich markup is printed as written."""
    _tag(monkeypatch, {"[b]Acme[/b]": "ORG"})
    library = tmp_path / "articles"
    library.mkdir()
    for name, jobs, day in (("one", "13,000", "01"), ("two", "15,000", "02")):
        (library / f"{name}.md").write_text(
            f"---\nid: {name}\ntitle: Jobs\npublished: '2025-03-{day}'\n---\n"
            f"[b]Acme[/b] said it has created {jobs} jobs.\n",
            encoding="utf-8",
        )
    code, out, err = run(tmp_path, "check")
    assert code == 0, err
    assert "1 findings in 2 articles (1 possible)" in out
    assert "[b]Acme[/b" in out  # "[b]" printed, not taken as bold (the cleaner trims the "]")


def test_empty_result_and_unknown_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tag(monkeypatch, {})
    home = _library(tmp_path, FIXTURES / "articles")
    code, out, _ = run(home, "check", "de-siemens-orders", "--kind", "headline")
    assert code == 0 and "No findings in 1 article(s)." in out
    code, _, err = run(home, "check", "no-such-story")
    assert code == 1
    assert "no article 'no-such-story'" in err and len(err.strip().splitlines()) == 1


def test_second_run_reads_the_checks_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tag(monkeypatch, EXPECTED["names"])
    home = _library(tmp_path, FIXTURES / "articles")
    first = _json(home)
    stored = json.loads((tmp_path / ".cache" / "checks" / "findings.json").read_text())
    assert len(stored["entries"]) == len(EXPECTED["articles"]) + 1  # each article, the library
    assert _json(home) == first


def test_a_broken_article_is_reported_and_the_rest_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag(monkeypatch, {})
    home = _library(tmp_path, FIXTURES / "articles")
    (home / "articles" / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    code, out, err = run(home, "check", "--json", "--kind", "arithmetic")
    assert code == 0
    assert "broken.md" in err and "front matter" in err
    assert {f["spans"][0]["article_id"] for f in json.loads(out)} == {
        "uk-tesco-profit",
        "za-eskom-poll",
    }


def test_an_unreadable_database_is_reported_and_checks_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag(monkeypatch, BUNDLED_NAMES)
    home = _library(tmp_path, BUNDLED)
    (home / "db.json").write_text("garbage{", encoding="utf-8")
    code, out, err = run(home, "check", "--json", "--kind", "headline")
    assert code == 0
    assert "checking without corrections" in err and len(err.strip().splitlines()) == 1
    assert len(json.loads(out)) == 1


def test_workers_option_gives_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag(monkeypatch, BUNDLED_NAMES)
    home = _library(tmp_path, BUNDLED)
    one = _json(home, "--workers", "1")
    shutil.rmtree(tmp_path / ".cache" / "checks")  # check again, not from the checks cache
    assert _json(home, "--workers", "2") == one
    code, _, err = run(home, "check", "--workers", "0")
    assert code != 0 and "Invalid value for '--workers'" in err
