"""Helpers for CLI tests that run Claimdesk as a user does: a small library, the console
script in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tui.core.articles.library import ArticleMeta, write_article

BODY = (
    "Zürich's council approved €2.5 billion for housing, officials said.\n"
    "The plan adds 13,000 homes by 2030."
)


def write_library(root: Path) -> Path:
    library = root / "articles"
    for article_id, title in (("zurich-housing", "Zürich housing"), ("zurich-transit", "Trams")):
        write_article(library, ArticleMeta(id=article_id, title=title, path=library), BODY)
    write_article(
        library, ArticleMeta(id="hong-kong-jobs", title="HK jobs", path=library), "13,000 jobs."
    )
    return library


def run_claimdesk(
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
