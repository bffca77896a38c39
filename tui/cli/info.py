"""``claimdesk info``: which library, database, cache, config file and settings are in use.

Read-only: it counts article files and looks at the database's size, but opens neither, so it
works on a library or database that other commands refuse, and it is the first thing to run
when a command "finds nothing".
"""

from __future__ import annotations

import importlib.util
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import click

from tui.cli.output import safe
from tui.core.config import DEFAULT_MODEL, Settings, config_file_path


def _version() -> str:
    try:
        return version("claimdesk")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
        return "unknown (not installed)"


def _model(settings: Settings) -> dict[str, Any]:
    """The spaCy pipeline entities would use, found without importing spaCy."""
    from tui.core.extract.entities import FALLBACK_MODELS

    candidates = [settings.model] if settings.model else []
    candidates += [name for name in FALLBACK_MODELS if name not in candidates]
    installed = [name for name in candidates if importlib.util.find_spec(name) is not None]
    return {
        "value": installed[0] if installed else None,
        "from": settings.origins.get("model", "default"),
        "requested": settings.model,
        "default": DEFAULT_MODEL,
        "installed": installed,
    }


def _library(path: Path) -> dict[str, Any]:
    articles = sorted(p.name for p in path.glob("*.md") if not p.name.startswith("."))
    return {"exists": path.is_dir(), "article_files": len(articles) if path.is_dir() else 0}


def _file(path: Path) -> dict[str, Any]:
    return {"exists": path.is_file(), "bytes": path.stat().st_size if path.is_file() else None}


def report(settings: Settings) -> dict[str, Any]:
    """Everything ``info`` shows, as JSON-ready data (paths absolute)."""
    origins = settings.origins
    config_path, named = config_file_path()
    return {
        "version": _version(),
        "library": {
            "path": str(settings.articles_dir.absolute()),
            "from": origins.get("library", "option --articles"),
            **_library(settings.articles_dir),
        },
        "database": {
            "path": str(settings.db_path.absolute()),
            "from": origins.get("db", "option --db"),
            **_file(settings.db_path),
        },
        "cache": {
            "path": str(settings.cache_dir.absolute()),
            "from": origins.get("cache", "default"),
            "exists": settings.cache_dir.is_dir(),
        },
        "config_file": {
            "path": str(config_path.absolute()),
            "from": "CLAIMDESK_CONFIG" if named else "default: the user config folder",
            "read": settings.config_file is not None,
            "ignored": list(settings.config_problems),
        },
        "settings": {
            "author": {"value": settings.author, "from": origins.get("author", "default")},
            "model": _model(settings),
            "usd_rates": {
                "value": settings.usd_rates or None,
                "from": origins.get("rates", "default"),
            },
            "currency": {"value": settings.currency, "from": origins.get("currency", "default")},
            "keys": {"value": settings.keymap, "problems": list(settings.keymap_problems)},
        },
    }


def _lines(data: dict[str, Any]) -> list[str]:
    library, database, cache, config = (
        data[key] for key in ("library", "database", "cache", "config_file")
    )
    settings = data["settings"]
    model = settings["model"]
    size = f"{database['bytes']:,} bytes" if database["exists"] else "not created yet"
    articles = f"{library['article_files']} article files" if library["exists"] else "missing"
    lines = [
        f"Claimdesk {data['version']}",
        f"library   {library['path']}  [{library['from']}]  {articles}",
        f"database  {database['path']}  [{database['from']}]  {size}",
        f"cache     {cache['path']}  [{cache['from']}]",
        f"config    {config['path']}  [{config['from']}]  "
        + ("read" if config["read"] else "none (optional)"),
        f"author    {settings['author']['value']}  [{settings['author']['from']}]",
        f"model     {model['value'] or 'none installed'}  [{model['from']}]"
        + (
            f"  ({model['requested']} is not installed)"
            if model["requested"] and model["value"] != model["requested"]
            else ""
        ),
        f"rates     {settings['usd_rates']['value'] or 'none'}  [{settings['usd_rates']['from']}]",
        f"currency  {settings['currency']['value'] or 'unknown'}  [{settings['currency']['from']}]",
    ]
    if settings["keys"]["value"]:
        remaps = ";".join(f"{k}={v}" for k, v in settings["keys"]["value"].items())
        lines.append(f"keys      {remaps}  [CLAIMDESK_KEYS]")
    lines += [f"ignored   {problem}" for problem in config["ignored"]]
    return lines


@click.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of lines.")
@click.pass_obj
def info_command(settings: Settings, as_json: bool) -> None:
    """Show the library, database, cache, config file and settings in use, and where each
    came from (an option, the environment, the config file or a default)."""
    data = report(settings)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in _lines(data):
        click.echo(safe(line))
