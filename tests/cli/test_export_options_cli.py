"""``claimdesk export`` options that reach the export formats: --excel, --include-drifted,
--urn, --reviewer, and the one-line notes on what a format left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tui.cli import cli
from tui.core.articles.library import ArticleMeta, write_article

BODY = "Prices rose 5% in May, officials said.\nRents rose €40 a month."


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    articles = tmp_path / "articles"
    write_article(articles, ArticleMeta("web", "Web", articles, url="https://e.com/w"), BODY)
    write_article(articles, ArticleMeta("local", "Local", articles), "Homes rose 7% here.")
    return articles, tmp_path / "annotations.json"


def run(paths: tuple[Path, Path], *args: str) -> Result:
    articles, db = paths
    return CliRunner().invoke(cli, ["--articles", str(articles), "--db", str(db), *args])


def annotate(paths: tuple[Path, Path]) -> None:
    for args in (["web", "--quote", "5%", "--status", "supported"],
                 ["web", "--quote", "€40", "--note", "-2+3+cmd|' /C calc'!A0"],
                 ["local", "--quote", "7%", "--status", "false"]):  # fmt: skip
        assert run(paths, "annotate", *args).exit_code == 0


def test_excel_csv_has_a_bom_and_crlf(paths: tuple[Path, Path], tmp_path: Path) -> None:
    annotate(paths)
    out = tmp_path / "x.csv"
    assert run(paths, "export", "--format", "csv", "--excel", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfarticle,") and b"\r\n" in data
    assert b"'-2+3+cmd" in data
    plain = run(paths, "export", "--format", "csv").stdout_bytes
    assert not plain.startswith(b"\xef\xbb\xbf")


def test_hypothesis_reports_articles_without_an_address_and_urn_keeps_them(
    paths: tuple[Path, Path],
) -> None:
    annotate(paths)
    result = run(paths, "export", "--format", "hypothesis")
    assert result.exit_code == 0
    assert {b["uri"] for b in json.loads(result.stdout)} == {"https://e.com/w"}
    assert "hypothesis: left out 1 annotation(s) on 1 article(s) without a web address" in (
        result.stderr
    )
    with_urn = run(paths, "export", "--format", "hypothesis", "--urn", "-o", "-")
    uris = {b["uri"] for b in json.loads(with_urn.stdout)}
    assert uris == {"https://e.com/w", "urn:claimdesk:article:local"}


def test_claimreview_reviewer_and_left_out_count(paths: tuple[Path, Path]) -> None:
    annotate(paths)
    result = run(paths, "export", "--format", "claimreview", "--reviewer", "Desk",
                 "--organisation")  # fmt: skip
    reviews = json.loads(result.stdout)
    assert len(reviews) == 2
    assert {r["author"]["@type"] for r in reviews} == {"Organization"}
    assert "left out 1 unverified annotation(s)" in result.stderr


def test_include_drifted_keeps_a_changed_span(paths: tuple[Path, Path]) -> None:
    annotate(paths)
    articles, _ = paths
    page = articles / "web.md"  # the user edits the article file by hand
    page.write_text(page.read_text(encoding="utf-8").replace("5%", "6%"), encoding="utf-8")
    default = run(paths, "export", "--format", "doccano")
    assert "left out 1 drifted label(s)" in default.stderr
    kept = run(paths, "export", "--format", "doccano", "--include-drifted")
    labels = [
        line["text"][s:e]
        for line in map(json.loads, kept.stdout.splitlines())
        for s, e, _ in line["label"]
    ]
    assert "6%" in labels and "drifted" not in kept.stderr
