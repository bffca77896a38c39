"""The harness for issue 16's attacks: a user's folder (library, database, cache) and the
console script run in a subprocess under a time bound, with the checks every attack shares —
no traceback, no bidi control or ESC on the terminal, the database left byte for byte as it was
unless the command is meant to write."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

CLAIMDESK = REPO / ".venv" / "bin" / "claimdesk"
BOUND = 60.0
"""Seconds any one command may take; an attack that hangs fails here, not after minutes."""
SPOOFING = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\x1b"]
)
"""Bidi embedding/override/isolate controls and ESC: characters that make a line read
differently than it is."""

ARTICLE = (
    "Zurich council approves EUR 2.5 billion for housing\n\n"
    "The city council of Zurich approved EUR 2.5 billion for housing on Tuesday.\n\n"
    "The plan adds 13,000 homes by 2030, officials said.\n\n"
    "Rents rose 4.2% last year.\n"
)
ARTICLE_ID = "zurich-council-approves-eur-2-5-billion"


@dataclass
class Desk:
    """One user's folder: ``library``, ``db`` and the cache beside it."""

    root: Path
    library: Path
    db: Path
    env: dict[str, str]

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = BOUND
    ) -> subprocess.CompletedProcess[str]:
        """``claimdesk --articles LIB --db DB ARGS`` as a user runs it, bounded in time, with the
        shared checks applied to its output."""
        return self.raw(
            "--articles", str(self.library), "--db", str(self.db), *args, env=env, timeout=timeout
        )

    def raw(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = BOUND
    ) -> subprocess.CompletedProcess[str]:
        """The console script with exactly ``args``."""
        result = subprocess.run(
            [str(CLAIMDESK), *args],
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="backslashreplace",
            timeout=timeout,
            check=False,
        )
        assert_clean_output(result)
        return result

    def database(self) -> dict[str, bytes]:
        """The bytes of the database and every companion file named after it."""
        return {
            path.name: path.read_bytes()
            for path in sorted(self.db.parent.iterdir())
            if path.name.startswith(self.db.name) and path.is_file() and path.suffix != ".lock"
        }

    def annotate(self, quote: str, *options: str) -> str:
        """Add an annotation on ``quote`` in the article; its id."""
        result = self.run("annotate", ARTICLE_ID, "--quote", quote, *options)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def export(self, fmt: str) -> str:
        """An export printed to standard output."""
        result = self.run("export", "--format", fmt)
        assert result.returncode == 0, result.stderr
        return result.stdout


def make_desk(root: Path, template: Path | None = None) -> Desk:
    """A library with one imported article and a database with one annotation on it.

    With ``template`` (a folder an earlier call built), its files are copied into ``root``
    instead of running the two commands again: the same folder, without two process starts."""
    if template is not None:
        shutil.copytree(template, root, dirs_exist_ok=True, ignore=_path_keyed)
        from tui.core.annotations.store import open_store

        open_store(root / "annotations.json").annotations()  # the copy's summary made current
        return Desk(root, root / "articles", root / "annotations.json", _desk_env(root))
    env = _desk_env(root)
    (root / "no-config.toml").write_text("")
    desk = Desk(root, root / "articles", root / "annotations.json", env)
    source = root / "zurich.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    imported = desk.run("import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert (desk.library / f"{ARTICLE_ID}.md").is_file(), imported.stdout
    desk.annotate("13,000 homes", "--tag", "housing", "--note", "check the count")
    return desk


def _path_keyed(folder: str, names: list[str]) -> set[str]:
    """Cache files named after the template's own library path (the library index): not
    copied, a copy rebuilds its own."""
    return {name for name in names if name.startswith("library-index")}


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One desk built by the real commands per test process; each test gets a copy."""
    root = tmp_path_factory.mktemp("desk-template")
    make_desk(root)
    return root


def _desk_env(root: Path) -> dict[str, str]:
    """The environment of a user whose home, config and cache are under ``root``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLAIMDESK_", "PYTEST", "COV_"))
    }
    env.update(
        {
            "CLAIMDESK_CONFIG": str(root / "no-config.toml"),
            "CLAIMDESK_AUTHOR": "tester",
            "CLAIMDESK_CACHE": str(root / "cache"),
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "HOME": str(root),
        }
    )
    return env


def assert_clean_output(result: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no spoofing character on either stream."""
    for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert "Traceback (most recent call last)" not in stream, f"{name}:\n{stream}"
        spoofing = sorted({f"U+{ord(c):04X}" for c in stream if c in SPOOFING})
        assert not spoofing, f"{name} carries {spoofing}:\n{stream!r}"


def field_texts(desk: Desk, article_id: str) -> dict[str, str]:
    """The canonical title/summary/body of a library article, read as the project reads it."""
    from tui.core.articles.library import read_article

    article = read_article(desk.library / f"{article_id}.md")
    return {
        "body": article.body,
        "title": article.meta.title or "",
        "summary": article.meta.summary or "",
    }


def assert_anchored_exports_point_at_quotes(desk: Desk) -> int:
    """Every annotation the json, jsonl, w3c, doccano and label-studio exports call
    ``anchored`` (or give a position for) points at its quote in the current text; how many
    positions were checked."""
    texts = field_texts(desk, ARTICLE_ID)
    checked = 0
    document = json.loads(desk.export("json"))
    for record in document["annotations"]:
        if record.get("anchor_state") != "anchored":
            continue
        text = texts[record.get("field", "body")]
        current: dict[str, Any] = record.get("current") or record
        assert text[current["start"] : current["end"]] == record["quote"], record
        checked += 1
    for line in desk.export("jsonl").splitlines():
        task = json.loads(line)
        for span in task["spans"]:
            assert task["text"][span["start"] : span["end"]] == span["quote"], span
            checked += 1
    collection = json.loads(desk.export("w3c"))
    for item in collection["first"]["items"]:
        selectors = item["target"]["selector"]
        exact = next(s["exact"] for s in selectors if s["type"] == "TextQuoteSelector")
        field = item.get("cd:field", "body")
        for selector in selectors:
            if selector["type"] == "TextPositionSelector":
                text = texts[field]
                assert text[selector["start"] : selector["end"]] == exact, item
                checked += 1
    quotes = {record["id"]: record["quote"] for record in document["annotations"]}
    for line in desk.export("doccano").splitlines():
        task = json.loads(line)
        for (start, end, _), claim in zip(task["label"], task["claims"], strict=True):
            assert task["text"][start:end] == quotes[claim["id"]], (task, claim)
            checked += 1
    for task in json.loads(desk.export("label-studio")):
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                value = result["value"]
                if result["type"] == "labels":
                    assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
                    assert value["text"] == quotes[result["id"]], result
                    checked += 1
    return checked
