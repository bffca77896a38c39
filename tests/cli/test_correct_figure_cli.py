"""`claimdesk correct figure` and how `claimdesk entities` shows currencies, reasons and fixes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tui.cli import cli
from tui.core.articles.library import ArticleMeta, write_article

BODY = "Commonwealth Bank earned $2.8 billion in the half.\nIt expects $2.8 billion again, up 4%."


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CLAIMDESK_CURRENCY", raising=False)
    meta = ArticleMeta(
        id="cba-result", title="CBA's $2.8 billion profit", path=tmp_path, source="Wire copy"
    )
    write_article(tmp_path / "articles", meta, BODY, create=True)
    return tmp_path


def run(home: Path, *args: str) -> tuple[int, str, str]:
    options = ["--articles", str(home / "articles"), "--db", str(home / "db.json")]
    result = CliRunner(env={"COLUMNS": "250"}).invoke(cli, [*options, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _figures(home: Path) -> list[dict[str, Any]]:
    code, out, err = run(home, "entities", "cba-result", "--json", "--figures-only")
    assert code == 0, err
    return [r for r in json.loads(out) if r["label"] == "MONEY"]


def test_a_bare_dollar_is_unknown_with_its_reason_in_json_and_table(home: Path) -> None:
    money = _figures(home)
    assert [(r["field"], r["currency"], r["corrected"]) for r in money] == [
        ("title", None, False),
        ("body", None, False),
        ("body", None, False),
    ]
    assert money[1]["currency_reason"] == "unknown: a bare “$” with no evidence of which dollar"
    code, out, _ = run(home, "entities", "cba-result", "--figures-only")
    assert code == 0 and "no evidence of which dollar" in out and "title 6-18" in out


def test_correct_figure_applies_everywhere_in_the_article_and_undoes(home: Path) -> None:
    code, out, err = run(
        home, "correct", "figure", "cba-result", "$2.8 billion", "--currency", "aud"
    )
    assert code == 0, err
    correction_id = out.strip()
    money = _figures(home)
    assert [(r["currency"], r["corrected"]) for r in money] == [("AUD", True)] * 3
    assert money[0]["original"]["currency"] is None
    code, out, _ = run(home, "entities", "cba-result", "--figures-only")
    assert "corrected (was currency None)" in out
    code, out, _ = run(home, "correct", "list")
    assert "currency → AUD (in cba-result)" in out
    assert run(home, "correct", "remove", correction_id)[0] == 0
    assert [r["currency"] for r in _figures(home)] == [None] * 3


def test_not_a_figure_and_value_fixes(home: Path) -> None:
    assert run(home, "correct", "figure", "cba-result", "4%", "--not-a-figure")[0] == 0
    _, out, _ = run(home, "entities", "cba-result", "--json", "--figures-only")
    assert "4%" not in {r["text"] for r in json.loads(out)}
    assert run(home, "correct", "figure", "cba-result", "$2.8 billion", "--value", "2.9e9")[0] == 0
    assert {r["value"] for r in _figures(home)} == {2_900_000_000}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cba-result", "$9 billion", "--currency", "AUD"), "no figure '$9 billion' in cba-result"),
        (("cba-result", "$2.8 billion", "--currency", "dollars"), "three-letter code"),
        (("cba-result", "$2.8 billion"), "say what to fix"),
        (("cba-result", "4%", "--not-a-figure", "--unit", "x"), "cannot be combined"),
        (("no-such-article", "$2.8 billion", "--currency", "AUD"), "no-such-article"),
    ],
)
def test_bad_figure_corrections_are_one_line(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(home, "correct", "figure", *args)
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1


def test_the_publication_decides_and_the_reason_says_so(home: Path) -> None:
    meta = ArticleMeta(id="dbs", title="DBS result", path=home, source="The Straits Times")
    write_article(home / "articles", meta, "DBS earned $2.97 billion.", create=True)
    code, out, err = run(home, "entities", "dbs", "--json", "--figures-only")
    assert code == 0, err
    [figure] = json.loads(out)
    assert figure["currency"] == "SGD"
    assert figure["currency_reason"] == (
        "the article's publication (The Straits Times) is Singaporean"
    )
