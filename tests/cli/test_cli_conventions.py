"""Conventions every command shares: one-line usage errors with suggestions and exit 1, quiet
closed pipes, escapes on terminals that cannot encode a character, NO_COLOR, the per-user
default library and config file, ``claimdesk info``, ``--help`` and article-id completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tui.cli import cli
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.config import ENVIRONMENT, ConfigError, Settings

BODY = (
    "Zürich's council approved €2.5 billion for housing, officials said.\n"
    "The plan adds 13,000 homes by 2030."
)


def _library(root: Path) -> Path:
    library = root / "articles"
    for article_id, title in (("zurich-housing", "Zürich housing"), ("zurich-transit", "Trams")):
        write_article(library, ArticleMeta(id=article_id, title=title, path=library), BODY)
    write_article(
        library, ArticleMeta(id="hong-kong-jobs", title="HK jobs", path=library), "13,000 jobs."
    )
    return library


def _claimdesk(
    *args: str, cwd: Path, env: dict[str, str | None] | None = None, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it (``main()``, not click's test runner); ``env``
    values of None unset a variable."""
    environ = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main()", *args],
        cwd=cwd,
        env={name: value for name, value in environ.items() if value is not None},
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


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


def _info(cwd: Path, *args: str, env: dict[str, str | None] | None = None) -> dict[str, Any]:
    result = _claimdesk(*args, "info", "--json", cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_without_a_library_here_the_per_user_one_is_used_and_info_says_so(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = _info(elsewhere)
    per_user = tmp_path / ".xdg-data" / "claimdesk"
    assert data["library"]["path"] == str(per_user / "articles")
    assert data["database"]["path"] == str(per_user / "annotations.json")
    assert data["library"]["from"] == "default: the per-user data folder"
    assert data["library"]["exists"] is False
    assert data["config_file"]["read"] is False


def test_a_folder_with_articles_keeps_using_them(tmp_path: Path) -> None:
    _library(tmp_path)
    data = _info(tmp_path)
    assert data["library"]["path"] == str(tmp_path / "articles")
    assert data["library"]["article_files"] == 3
    assert data["database"]["path"] == str(tmp_path / "annotations.json")
    assert data["library"]["from"] == "default: found in this folder"


def _write_config(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_file_sets_library_db_author_rates_and_currency(tmp_path: Path) -> None:
    config = _write_config(
        tmp_path / ".xdg-config" / "claimdesk" / "config.toml",
        'library = "../../work/articles"\ndb = "~/claims.json"\nauthor = "Desk A"\n'
        'currency = "eur"\nrates = { EUR = 1.08, gbp = "1.27" }\n',
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = _info(elsewhere, env={"HOME": str(tmp_path / "home"), "CLAIMDESK_AUTHOR": None})
    assert data["config_file"] == {
        "path": str(config),
        "from": "default: the user config folder",
        "read": True,
        "ignored": [],
    }
    assert Path(data["library"]["path"]).resolve() == (tmp_path / "work" / "articles").resolve()
    assert data["database"]["path"] == str(tmp_path / "home" / "claims.json")
    settings = data["settings"]
    assert settings["author"] == {"value": "Desk A", "from": f"config file {config}"}
    assert settings["currency"]["value"] == "EUR"
    assert settings["usd_rates"]["value"] == "EUR=1.08,GBP=1.27"


def test_options_beat_the_environment_which_beats_the_config_file(tmp_path: Path) -> None:
    config = _write_config(
        tmp_path / "my.toml", 'library = "from-config"\ndb = "config.json"\nauthor = "Config"\n'
    )
    env: dict[str, str | None] = {
        "CLAIMDESK_CONFIG": str(config),
        "CLAIMDESK_DB": str(tmp_path / "env.json"),
    }
    data = _info(tmp_path, "--articles", str(tmp_path / "opt"), env=env)
    assert data["library"] == {
        "path": str(tmp_path / "opt"),
        "from": "option --articles",
        "exists": False,
        "article_files": 0,
    }
    assert data["database"]["path"] == str(tmp_path / "env.json")
    assert data["database"]["from"] == "CLAIMDESK_DB"
    assert data["settings"]["author"] == {"value": "tester", "from": "CLAIMDESK_AUTHOR"}
    assert data["config_file"]["from"] == "CLAIMDESK_CONFIG"


def test_info_prints_one_line_per_setting_with_its_origin(tmp_path: Path) -> None:
    _library(tmp_path)
    result = _claimdesk("info", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert set(lines) >= {"library", "database", "cache", "config", "author", "model", "rates"}
    assert str(tmp_path / "articles") in lines["library"] and "3 article files" in lines["library"]
    assert "[CLAIMDESK_CACHE]" in lines["cache"]  # the test's isolated cache
    assert "none (optional)" in lines["config"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('library = "a"\ndb = \n', "not valid TOML"),
        ("db = 5\n", "db must be a non-empty string"),
        ('currency = "euro"\n', "'euro' is not a currency code"),
        ("rates = { EUR = -1 }\n", "rate EUR = -1 must be a positive number"),
        ('rates = ["EUR"]\n', "rates must be a table"),
    ],
)
def test_a_bad_config_file_is_one_line_naming_it_and_exit_1(
    tmp_path: Path, text: str, says: str
) -> None:
    config = _write_config(tmp_path / "bad.toml", text)
    result = _claimdesk("list", cwd=tmp_path, env={"CLAIMDESK_CONFIG": str(config)})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: config file {config}: "), lines
    assert says in lines[0]


def test_an_unknown_config_key_is_reported_and_the_rest_applies(tmp_path: Path) -> None:
    config = _write_config(tmp_path / "c.toml", 'autor = "typo"\nauthor = "Desk B"\n')
    result = _claimdesk("info", "--json", cwd=tmp_path, env={"CLAIMDESK_CONFIG": str(config)})
    assert result.returncode == 0
    assert "unknown key 'autor' ignored" in result.stderr
    assert json.loads(result.stdout)["config_file"]["ignored"] == [result.stderr.strip()]


def test_a_named_config_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    result = _claimdesk("list", cwd=tmp_path, env={"CLAIMDESK_CONFIG": str(tmp_path / "no.toml")})
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: CLAIMDESK_CONFIG={tmp_path / 'no.toml'}: no such file")


@pytest.mark.parametrize(
    ("environ", "error"),
    [
        ({"CLAIMDESK_CURRENCY": "dollars"}, "CLAIMDESK_CURRENCY: 'dollars' is not a currency"),
        ({"CLAIMDESK_CURRENCY": " gbp "}, None),
    ],
)
def test_the_default_currency_is_an_iso_code(
    tmp_path: Path, environ: dict[str, str], error: str | None
) -> None:
    if error is None:
        assert Settings.resolve(environ=environ, cwd=tmp_path).currency == "GBP"
        return
    with pytest.raises(ConfigError, match=error):
        Settings.resolve(environ=environ, cwd=tmp_path)


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


def test_rates_and_currency_from_the_config_file_reach_the_figures(tmp_path: Path) -> None:
    config = _write_config(tmp_path / "c.toml", 'rates = { EUR = 1.1 }\ncurrency = "AUD"\n')
    (tmp_path / "note.txt").write_text("It cost $5 million and €2 billion.\n", encoding="utf-8")
    env: dict[str, str | None] = {"CLAIMDESK_CONFIG": str(config), "COLUMNS": "200"}
    listed = _claimdesk("entities", "note.txt", "--figures-only", "--json", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    dollars = next(row for row in json.loads(listed.stdout) if row["text"] == "$5 million")
    assert dollars["currency"] == "AUD"
    table = _claimdesk("entities", "note.txt", "--figures-only", cwd=tmp_path, env=env)
    assert "≈ US$2.2 billion (your rate)" in table.stdout


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
