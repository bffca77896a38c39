"""Where Claimdesk looks: the per-user default library, the TOML config file, the order of
options, environment and file, and ``claimdesk info`` reporting each value's origin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.cli_support import run_claimdesk as _claimdesk
from tests.cli.cli_support import write_library as _library
from tui.core.config import ConfigError, Settings


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


def test_the_first_write_creates_the_per_user_folder_and_info_creates_nothing(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    per_user = tmp_path / ".xdg-data" / "claimdesk"
    assert _claimdesk("info", cwd=elsewhere).returncode == 0
    assert not per_user.exists()
    added = _claimdesk("correct", "add", "OASES", "ORG", cwd=elsewhere)
    assert added.returncode == 0, added.stderr
    assert (per_user / "annotations.json").is_file()
    listed = _claimdesk("correct", "list", cwd=elsewhere)
    assert "OASES" in listed.stdout
