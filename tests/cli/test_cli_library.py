"""`claimdesk list` and `show`: counts, JSON, literal output, bad files never stop the command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tui.core.extract as extract_pkg
from tui.cli import cli, main
from tui.core.articles.library import ArticleMeta, write_article

HOSTILE = (
    "Markup [bold]x[/] [link=https://e.vil]y[/link] [@click=app.quit]z"
    " and \x1b[2J\x1b]52;c;SGk=\x07."
)


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "articles"
    write_article(
        library,
        ArticleMeta(id="ai-institute", title="AI institute", path=library, source="SCMP"),
        "The government allocated HK$1 billion (US$129 million) to an AI institute.\n"
        "Over 270 blockchain firms joined.",
    )
    write_article(
        library,
        ArticleMeta(id="hostile", title="Title [/] \x1b[2J", path=library),
        HOSTILE,
    )
    return library


def _run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--articles", str(tmp_path / "articles"), "--db", str(tmp_path / "db.json"), *args],
        catch_exceptions=False,
        env={"COLUMNS": "200"},
    )
    return result.exit_code, result.stdout, result.stderr


def test_list_json_has_ids_titles_and_counts(tmp_path: Path) -> None:
    _library(tmp_path)
    code, out, err = _run(tmp_path, "list", "--json")
    assert code == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    assert set(rows) == {"ai-institute", "hostile"}
    assert rows["ai-institute"]["title"] == "AI institute"
    assert rows["ai-institute"]["figures"] == 3
    assert rows["ai-institute"]["annotations"] == 0
    assert rows["hostile"]["title"] == "Title [/] ␛[2J"


def test_list_table_prints_markup_literally(tmp_path: Path) -> None:
    _library(tmp_path)
    code, out, _ = _run(tmp_path, "list")
    assert code == 0
    assert "Title [/] ␛[2J" in out
    assert "\x1b" not in out


def test_bad_files_reported_on_stderr_and_rest_listed(tmp_path: Path) -> None:
    library = _library(tmp_path)
    (library / "broken.md").write_bytes(b"---\nid: [\n---\nx")
    (library / "binary.md").write_bytes(b"\x00\x01\x02")
    code, out, err = _run(tmp_path, "list", "--json")
    assert code == 0
    assert {row["id"] for row in json.loads(out)} == {"ai-institute", "hostile"}
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any("broken.md" in line and "malformed front matter" in line for line in lines)
    assert any("binary.md" in line and "binary" in line for line in lines)
    assert "Traceback" not in err


def test_empty_library_hints_how_to_import(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, "list")
    assert code == 0
    assert "claimdesk import" in out


def test_show_prints_article_literally(tmp_path: Path) -> None:
    _library(tmp_path)
    code, out, _ = _run(tmp_path, "show", "hostile", "--figures-only")
    assert code == 0
    assert "[bold]x[/] [link=https://e.vil]y[/link] [@click=app.quit]z" in out
    assert "\x1b" not in out and "␛[2J" in out


def test_show_highlights_figures_only_when_colour_is_wanted(tmp_path: Path) -> None:
    _library(tmp_path)
    args = [
        "--articles",
        str(tmp_path / "articles"),
        "--db",
        str(tmp_path / "db.json"),
        "show",
        "ai-institute",
        "--figures-only",
    ]
    coloured = CliRunner().invoke(cli, args, env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert coloured.exit_code == 0
    assert "\x1b[" in coloured.stdout.split("HK$1 billion")[0].rsplit("allocated", 1)[1]
    plain = CliRunner().invoke(cli, args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
    assert "allocated HK$1 billion (US$129 million)" in plain.stdout


def test_show_unknown_id_is_one_line_error(tmp_path: Path) -> None:
    _library(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--articles",
            str(tmp_path / "articles"),
            "--db",
            str(tmp_path / "d.json"),
            "show",
            "nope",
        ],
    )
    assert result.exit_code == 1
    assert "no article 'nope'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_env_vars_choose_library(tmp_path: Path) -> None:
    _library(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["list", "--json"],
        env={
            "CLAIMDESK_ARTICLES": str(tmp_path / "articles"),
            "CLAIMDESK_DB": str(tmp_path / "db.json"),
        },
    )
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    _library(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "--articles",
            str(tmp_path / "articles"),
            "--db",
            str(tmp_path / "db.json"),
            "list",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert {row["id"] for row in json.loads(done.stdout)} == {"ai-institute", "hostile"}


def test_corrupt_db_does_not_stop_list(tmp_path: Path) -> None:
    _library(tmp_path)
    (tmp_path / "db.json").write_bytes(b"{torn")
    code, out, err = _run(tmp_path, "list", "--json")
    assert code == 0
    assert len(json.loads(out)) == 2
    assert "db.json" in err
    assert (tmp_path / "db.json").read_bytes() == b"{torn"


def test_list_loads_no_model_importer_or_annotation_code(tmp_path: Path) -> None:
    _library(tmp_path)
    heavy = ("spacy", "textual", "trafilatura", "tui.core.articles.importer", "tui.cli.annotating")
    code = (
        "import sys\n"
        "from tui.cli import cli\n"
        f"cli(['--articles', {str(tmp_path / 'articles')!r}, '--db', {str(tmp_path / 'db.json')!r},"
        " 'list', '--json'], standalone_mode=False)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_list_reads_figure_counts_from_the_cache_the_second_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _library(tmp_path)
    first = json.loads(_run(tmp_path, "list", "--json")[1])

    def no_rules(text: str) -> list[dict[str, Any]]:
        raise AssertionError("figure rules ran again for an unchanged article")

    monkeypatch.setattr(extract_pkg, "find_figures", no_rules)
    code, out, err = _run(tmp_path, "list", "--json")
    assert code == 0, err
    assert json.loads(out) == first and first[0]["figures"] == 3


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["extract", "/nonexistent/\x1b[2Jx"], 1, "/nonexistent/␛[2Jx"),
        (["list", "--no-such-option"], 1, "No such option"),  # usage errors: one line, exit 1
        (["show", "no-such-\x1b[2J"], 1, "no article 'no-such-␛[2J'"),
        (["list", "--json"], 0, ""),
        (["--version"], 0, ""),
    ],
)
def test_the_console_script_shows_click_errors_literally_with_its_exit_codes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    expected: str,
) -> None:
    _library(tmp_path)
    options = ["--articles", str(tmp_path / "articles"), "--db", str(tmp_path / "db.json")]
    monkeypatch.setattr(sys, "argv", ["claimdesk", *options, *args])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == code
    err = capsys.readouterr().err
    assert expected in err and "\x1b" not in err
    if code == 1:  # a user mistake: one line
        assert len(err.strip().splitlines()) == 1


def test_list_counts_what_show_and_entities_show_after_a_correction(tmp_path: Path) -> None:
    _library(tmp_path)
    assert _run(tmp_path, "correct", "ignore", "HK$1 billion")[0] == 0
    rows = {row["id"]: row for row in json.loads(_run(tmp_path, "list", "--json")[1])}
    shown = json.loads(_run(tmp_path, "entities", "ai-institute", "--json", "--figures-only")[1])
    assert rows["ai-institute"]["figures"] == len(shown) == 2


def test_narrow_list_never_cuts_the_id(tmp_path: Path) -> None:
    library = _library(tmp_path)
    long_id = "hong-kong-tech-revival-50b-investments-13k-jobs"
    write_article(library, ArticleMeta(id=long_id, title="Tech revival", path=library), "Text.")
    result = CliRunner().invoke(
        cli,
        ["--articles", str(library), "--db", str(tmp_path / "db.json"), "list"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert long_id in lines, "the id stands whole on its own line"
    assert "  Tech revival" in lines
    assert any("entities not extracted yet" in line for line in lines)
    in_terminal = CliRunner().invoke(
        cli,
        ["--articles", str(library), "--db", str(tmp_path / "db.json"), "list"],
        env={"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": None},
    )
    shown = re.sub(r"\x1b\[[0-9;]*m", "", in_terminal.stdout).splitlines()
    assert long_id in shown
    assert max(len(line) for line in shown) <= 80, "a terminal gets lines that fit"
