"""``claimdesk annotate / annotations / export / import-annotations`` from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import tui.core.extract
from tui.cli import cli
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.text import canonicalize

BODY = canonicalize(
    "Hong Kong will invest HK$50 billion through OASES over 2.5 years.\n"
    "The plan should create 13,000 jobs, officials said.\n"
    "A HK$1 billion AI institute opens next year, officials said."
)


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    articles = tmp_path / "articles"
    write_article(
        articles, ArticleMeta("hk-plan", "HK plan", articles, url="https://e.com/hk"), BODY
    )
    return articles, tmp_path / "annotations.json"


def run(paths: tuple[Path, Path], *args: str) -> Result:
    articles, db = paths
    runner = CliRunner(env={"COLUMNS": "160"})
    return runner.invoke(cli, ["--articles", str(articles), "--db", str(db), *args])


def quotes(paths: tuple[Path, Path], *args: str) -> list[str]:
    result = run(paths, "annotations", "--json", *args)
    return [row["quote"] for row in json.loads(result.stdout)]


def stored(paths: tuple[Path, Path]) -> list[dict[str, Any]]:
    result = run(paths, "annotations", "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_annotate_prints_only_the_id_of_the_saved_annotation(paths: tuple[Path, Path]) -> None:
    result = run(paths, "annotate", "hk-plan", "--quote", "HK$50 billion",
                 "--tag", "investment, OASES", "--tag", "budget",
                 "--note", "Spread over 2.5 years", "--status", "supported")  # fmt: skip
    assert result.exit_code == 0, result.output
    [row] = stored(paths)
    assert result.stdout == row["id"] + "\n"
    assert row["tags"] == ["investment", "OASES", "budget"]
    assert (row["note"], row["status"], row["author"]) == (
        "Spread over 2.5 years", "supported", "tester",
    )  # fmt: skip
    assert BODY[row["start"] : row["end"]] == "HK$50 billion"


def test_missing_quote_is_a_one_line_error(paths: tuple[Path, Path]) -> None:
    result = run(paths, "annotate", "hk-plan", "--quote", "HK$60 billion")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: quote not found in hk-plan: 'HK$60 billion'")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not paths[1].exists()


def test_ambiguous_quote_needs_an_occurrence(paths: tuple[Path, Path]) -> None:
    result = run(paths, "annotate", "hk-plan", "--quote", "officials said")
    assert result.exit_code == 1
    assert "occurs 2 times in hk-plan" in result.stderr
    assert "--occurrence 1..2" in result.stderr
    result = run(paths, "annotate", "hk-plan", "--quote", "officials said", "--occurrence", "2")
    assert result.exit_code == 0, result.output
    assert stored(paths)[0]["start"] == BODY.rindex("officials said")
    result = run(paths, "annotate", "hk-plan", "--quote", "officials said", "--occurrence", "3")
    assert result.exit_code == 1 and "occurs only 2 time(s)" in result.stderr


def test_unknown_article_says_what_to_do(paths: tuple[Path, Path]) -> None:
    result = run(paths, "annotate", "nope", "--quote", "x")
    assert result.exit_code == 1
    assert "no article 'nope'" in result.stderr and "known: hk-plan" in result.stderr


def test_figure_in_the_span_is_recorded(
    paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    class FakeExtractor:
        def __init__(self, cache_dir: Path | None, corrections: list[dict[str, Any]],
                     model: str | None = None) -> None:  # fmt: skip
            pass

        def figures(self, text: str) -> list[dict[str, Any]]:
            start = text.index("HK$50 billion")
            return [{"text": "HK$50 billion", "start": start, "end": start + 13,
                     "label": "MONEY", "value": 5e10, "currency": "HKD", "unit": None}]  # fmt: skip

        def figures_for_fields(
            self, title: str | None, summary: str | None, body: str, **_: Any
        ) -> dict[str, list[dict[str, Any]]]:
            return {"title": [], "summary": [], "body": self.figures(body)}

    monkeypatch.setattr(tui.core.extract, "Extractor", FakeExtractor, raising=False)
    run(paths, "annotate", "hk-plan", "--quote", "invest HK$50 billion through OASES")
    run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs")
    rows = {r["quote"]: r for r in stored(paths)}
    assert rows["invest HK$50 billion through OASES"]["figure"] == {
        "text": "HK$50 billion", "label": "MONEY", "value": 5e10, "currency": "HKD", "unit": None,
    }  # fmt: skip
    assert rows["13,000 jobs"]["figure"] is None


def test_annotations_filters_and_shows_text_literally(paths: tuple[Path, Path]) -> None:
    hostile = "[bold]not bold[/] \x1b[2J cleared?"
    run(
        paths,
        "annotate",
        "hk-plan",
        "--quote",
        "HK$50 billion",
        "--tag",
        "Money",
        "--note",
        hostile,
    )
    run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs", "--status", "disputed")
    table = run(paths, "annotations")
    assert table.exit_code == 0
    assert "[bold]not bold[/] ␛[2J cleared?" in table.stdout and "\x1b" not in table.stdout
    assert quotes(paths, "--tag", "money") == ["HK$50 billion"]
    assert quotes(paths, "--status", "disputed") == ["13,000 jobs"]
    assert quotes(paths, "--search", "CLEARED") == ["HK$50 billion"]
    assert run(paths, "annotations", "--search", "zzz").stdout.strip() == "No annotations match."


def test_annotations_report_the_current_anchor_state(paths: tuple[Path, Path]) -> None:
    run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs")
    run(paths, "annotate", "hk-plan", "--quote", "HK$1 billion AI institute")
    articles, _ = paths
    edited = BODY.replace("13,000 jobs", "15,000 jobs")
    edited = edited.replace("A HK$1 billion AI institute opens next year, ", "")
    write_article(articles, ArticleMeta("hk-plan", "HK plan", articles), edited)
    states = {r["quote"]: r["anchor_state"] for r in stored(paths)}
    assert states == {"13,000 jobs": "drifted", "HK$1 billion AI institute": "orphan"}


def test_export_to_stdout_and_file_and_import_back(
    paths: tuple[Path, Path], tmp_path: Path
) -> None:
    run(paths, "annotate", "hk-plan", "--quote", "HK$50 billion", "--tag", "investment")
    run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs", "--tag", "jobs")
    for fmt in ("json", "w3c", "jsonl", "csv", "md"):
        result = run(paths, "export", "--format", fmt)
        assert result.exit_code == 0 and "13,000 jobs" in result.stdout, fmt
    only_jobs = json.loads(run(paths, "export", "--tag", "jobs").stdout)
    assert [a["quote"] for a in only_jobs["annotations"]] == ["13,000 jobs"]
    out = tmp_path / "export.json"
    result = run(paths, "export", "-o", str(out))
    assert result.exit_code == 0 and "exported 2 annotations (json)" in result.stderr
    other = (paths[0], tmp_path / "other.json")
    result = run(other, "import-annotations", str(out))
    assert result.exit_code == 0, result.output
    summary = "2 added, 0 updated, 0 unchanged, 0 conflicts, 0 skipped, 0 corrections added"
    assert result.stdout.strip().endswith(summary)
    again = run(other, "import-annotations", str(out))
    assert "0 added, 0 updated, 2 unchanged" in again.stdout
    exported = json.loads(run(other, "export").stdout)["annotations"]
    assert exported == json.loads(out.read_text())["annotations"]


def test_export_to_an_impossible_path_is_a_clear_error(
    paths: tuple[Path, Path], tmp_path: Path
) -> None:
    result = run(paths, "export", "-o", str(tmp_path / "missing" / "out.json"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "choose another path" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "line 1 is neither claimdesk json, W3C JSON-LD nor a span JSONL"),
        (b'{"format": "claimdesk", "version": 7}', "version 7 is newer"),
        (b'{"type": "Something"}', "not a claimdesk export, a W3C annotation"),
    ],
)
def test_import_of_a_bad_file_is_a_clear_error(
    paths: tuple[Path, Path], tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = run(paths, "import-annotations", str(bad))
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_damaged_database_is_reported_not_overwritten(paths: tuple[Path, Path]) -> None:
    paths[1].write_bytes(b'{"annotations": {"1": ')
    for args in (["annotations"], ["annotate", "hk-plan", "--quote", "13,000 jobs"], ["export"]):
        result = run(paths, *args)
        assert result.exit_code == 1, args
        assert "not valid JSON" in result.stderr and "left untouched" in result.stderr
    assert paths[1].read_bytes() == b'{"annotations": {"1": '


def test_real_extractor_supplies_the_normalized_figure(paths: tuple[Path, Path]) -> None:
    result = run(paths, "annotate", "hk-plan", "--quote", "HK$50 billion")
    assert result.exit_code == 0, result.output
    figure = stored(paths)[0]["figure"]
    assert (figure["label"], figure["value"], figure["currency"]) == ("MONEY", 5e10, "HKD")


def test_import_warns_once_per_bad_file_and_names_its_file_literally(
    paths: tuple[Path, Path], tmp_path: Path
) -> None:
    assert run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs").exit_code == 0
    hostile = tmp_path / "x\x1b[2J.json"
    assert run(paths, "export", "-o", str(hostile)).exit_code == 0
    (paths[0] / "broken.md").write_bytes(b"---\nid: [unclosed\n---\nbody\n")
    result = run((paths[0], tmp_path / "other.json"), "import-annotations", str(hostile))
    assert result.exit_code == 0, result.output
    assert result.stderr.count("broken.md") == 1
    assert "x␛[2J.json: 1 added" in result.stdout and "\x1b" not in result.output


@pytest.mark.parametrize("suffix", ["", ".bak", ".lock"])
def test_export_never_overwrites_the_database(paths: tuple[Path, Path], suffix: str) -> None:
    assert run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs").exit_code == 0
    before = paths[1].read_bytes()
    target = paths[1].parent / ".." / paths[1].parent.name / (paths[1].name + suffix)
    result = run(paths, "export", "-o", str(target))
    assert result.exit_code == 1 and "is the database" in result.stderr
    assert paths[1].read_bytes() == before and len(stored(paths)) == 1


def test_export_never_overwrites_an_article(paths: tuple[Path, Path]) -> None:
    """The CLI follows the app's path policy: nothing is written inside the article library."""
    articles, _ = paths
    victim = articles / "hk-plan.md"
    before = victim.read_bytes()
    result = run(paths, "export", "-o", str(victim))
    assert result.exit_code == 1 and "inside the article library" in result.stderr
    assert victim.read_bytes() == before


def test_a_second_identical_claim_is_refused_naming_the_first(paths: tuple[Path, Path]) -> None:
    first = run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs").stdout.strip()
    again = run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs")
    assert again.exit_code == 1 and first in again.stderr and "--duplicate" in again.stderr
    forced = run(paths, "annotate", "hk-plan", "--quote", "13,000 jobs", "--duplicate")
    assert forced.exit_code == 0 and forced.stdout.strip() != first


def test_a_headline_quote_is_annotated_with_field_title(paths: tuple[Path, Path]) -> None:
    missing = run(paths, "annotate", "hk-plan", "--quote", "HK plan")
    assert missing.exit_code == 1 and "--field title" in missing.stderr
    made = run(paths, "annotate", "hk-plan", "--field", "title", "--quote", "HK plan")
    assert made.exit_code == 0
    [record] = json.loads(run(paths, "annotations", "--json").stdout)
    assert (record["field"], record["quote"], record["anchor_state"]) == (
        "title",
        "HK plan",
        "anchored",
    )
