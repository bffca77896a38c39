"""Conventions every command shares: one-line usage errors with suggestions and exit 1, quiet
closed pipes, escapes on terminals that cannot encode a character, NO_COLOR, ``--help``,
article-id completion and ``-o -``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.cli_support import run_claimdesk as _claimdesk
from tests.cli.cli_support import write_library as _library
from tui.cli import cli
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.config import ENVIRONMENT

BODY = "Zürich's council approved €2.5 billion for housing, officials said.\n"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("exprot", "export"), ("lsit", "list"), ("infoo", "info"), ("annotaions", "annotations")],
)
def test_a_mistyped_command_gets_one_line_with_a_suggestion_and_exit_1(
    tmp_path: Path, typed: str, meant: str
) -> None:
    result = _claimdesk(typed, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: No such command '{typed}'.")
    assert "Did you mean" in lines[0] and f"'{meant}'" in lines[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["list", "--bogus"], "No such option '--bogus'"),
        (["show"], "Missing argument 'ARTICLE_ID'"),
        (["info", "--jsn"], "Did you mean '--json'?"),
        (["--articles"], "requires an argument"),
        (["annotations", "--status", "maybe"], "'maybe' is not one of"),
    ],
)
def test_every_usage_error_is_one_error_line_and_exit_1(
    tmp_path: Path, args: list[str], says: str
) -> None:
    result = _claimdesk(*args, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert says in lines[0]
    assert "--help" in lines[0]  # where to look next


def _closed_pipe() -> int:
    """A pipe whose reader has gone, as after ``| head -1`` exits: writes get EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


@pytest.mark.parametrize(
    "args",
    [
        ["show", "zurich-housing", "--figures-only"],
        ["list", "--json"],
        ["info"],
        ["show", "big", "--figures-only"],  # more than a pipe buffer: fails mid-command
    ],
)
def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path, args: list[str]) -> None:
    library = _library(tmp_path)
    write_article(library, ArticleMeta(id="big", title="Big", path=library), BODY * 3000)
    pipe = _closed_pipe()
    try:
        result = _claimdesk(*args, cwd=tmp_path, stdout=pipe)
    finally:
        os.close(pipe)
    assert result.returncode == 0
    assert result.stderr == ""


ASCII_TERMINALS = [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
]


@pytest.mark.parametrize("terminal", ASCII_TERMINALS, ids=["PYTHONIOENCODING", "LC_ALL=C"])
def test_text_an_ascii_terminal_cannot_show_is_escaped(
    tmp_path: Path, terminal: dict[str, str]
) -> None:
    _library(tmp_path)
    env: dict[str, str | None] = {"PYTHONIOENCODING": None, **terminal}
    shown = _claimdesk("show", "zurich-housing", "--figures-only", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr
    assert "Z\\xfcrich" in shown.stdout and "\\u20ac2.5 billion" in shown.stdout
    listed = _claimdesk("list", "--json", cwd=tmp_path, env=env)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    failed = _claimdesk("show", "zürich-nope", cwd=tmp_path, env=env)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("Error: no article 'z")  # escaped, or UTF-8 by click


@pytest.mark.parametrize(
    ("no_color", "coloured"), [(None, True), ("", True), ("1", False), ("0", False)]
)
def test_no_color_turns_colour_off_only_when_non_empty(
    tmp_path: Path, no_color: str | None, coloured: bool
) -> None:
    library = _library(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            *("--articles", str(library), "--db", str(tmp_path / "db.json")),
            *("show", "zurich-housing", "--figures-only"),
        ],
        env={"FORCE_COLOR": "1", "NO_COLOR": no_color},
    )
    assert result.exit_code == 0, result.output
    assert ("\x1b[" in result.stdout) is coloured


def test_help_lists_every_environment_variable_and_the_config_file() -> None:
    result = CliRunner().invoke(cli, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for variable in (
        "CLAIMDESK_ARTICLES",
        "CLAIMDESK_DB",
        "CLAIMDESK_AUTHOR",
        "CLAIMDESK_MODEL",
        "CLAIMDESK_CACHE",
        "CLAIMDESK_USD_RATES",
        "CLAIMDESK_KEYS",
        "CLAIMDESK_CURRENCY",
        "CLAIMDESK_CONFIG",
        "NO_COLOR",
    ):
        assert variable in ENVIRONMENT
        assert variable in result.stdout, variable
    assert "config.toml" in result.stdout and "claimdesk info" in result.stdout


def _complete(tmp_path: Path, words: str) -> list[tuple[str, str]]:
    """What bash completion would offer for the last word of ``words``."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="claimdesk",
        env={
            "_CLAIMDESK_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            "CLAIMDESK_ARTICLES": str(tmp_path / "articles"),
        },
    )
    lines = result.stdout.splitlines()
    return [(kind, value) for kind, value in (line.split(",", 1) for line in lines)]


@pytest.mark.parametrize(
    "words",
    [
        "claimdesk show zur",
        "claimdesk annotate zur",
        "claimdesk annotations zur",
        "claimdesk export --article zur",
    ],
)
def test_article_ids_complete_in_the_shell(tmp_path: Path, words: str) -> None:
    _library(tmp_path)
    assert _complete(tmp_path, words) == [
        ("plain", "zurich-housing"),
        ("plain", "zurich-transit"),
    ]


def test_completion_reads_the_library_given_on_the_command_line(tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_article(other / "articles", ArticleMeta(id="only-here", title="x", path=other), "Text.")
    words = f"claimdesk --articles {other / 'articles'} show o"
    assert _complete(tmp_path, words) == [("plain", "only-here")]


def test_entities_completes_ids_and_file_names(tmp_path: Path) -> None:
    _library(tmp_path)
    assert _complete(tmp_path, "claimdesk entities hong") == [
        ("plain", "hong-kong-jobs"),
        ("file", "hong"),
    ]


def test_export_from_a_folder_without_a_library_names_what_it_looked_at(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _claimdesk("export", cwd=elsewhere)
    per_user = tmp_path / ".xdg-data" / "claimdesk"
    assert str(per_user / "articles") in result.stderr
    assert str(per_user / "annotations.json") in result.stderr
    assert "nothing to export" in result.stderr


def test_export_dash_o_dash_writes_to_stdout_and_no_file_named_dash(tmp_path: Path) -> None:
    library = _library(tmp_path)
    run = CliRunner().invoke(
        cli,
        [
            *("--articles", str(library), "--db", str(tmp_path / "db.json")),
            *("annotate", "zurich-housing", "--quote", "€2.5 billion"),
        ],
    )
    assert run.exit_code == 0, run.output
    result = _claimdesk("--db", str(tmp_path / "db.json"), "export", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["annotations"][0]["quote"] == "€2.5 billion"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(("value", "kept"), [("", False), ("1", True), ("false", True)])
def test_an_empty_no_color_is_unset_before_the_app_sees_it(
    monkeypatch: pytest.MonkeyPatch, value: str, kept: bool
) -> None:
    """Textual's App turns colour off whenever NO_COLOR exists; the launcher drops an empty one."""
    from tui.cli.output import drop_empty_no_color

    monkeypatch.setenv("NO_COLOR", value)
    drop_empty_no_color()
    assert ("NO_COLOR" in os.environ) is kept


def test_extract_dash_o_dash_writes_to_stdout(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-c", "from tui.cli import main; main()"),
            *("extract", "--figures-only", "-j", "1", "-o", "-"),
        ],
        input='{"id": "a1", "text": "HK$50 billion and 13,000 jobs"}\n',
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["id"] == "a1"
    assert not (tmp_path / "-").exists()
