"""End to end in a real terminal: search, tag and save in tmux, then read the claim via the CLI."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS

CLAIMDESK = Path(sys.executable).with_name("claimdesk")
TIMEOUT = 30.0


class Tmux:
    """One tmux server on a private socket, holding one session."""

    def __init__(self, name: str) -> None:
        self.socket = name
        self.session = name

    def run(self, *args: str) -> str:
        """Run a tmux command on this server and return its stdout."""
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (``literal``: type the text as is)."""
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        """The visible pane as text."""
        return self.run("capture-pane", "-p", "-t", self.session)

    def alive(self) -> bool:
        """True while the session (the app) is running."""
        return self.session in self.run("list-sessions", "-F", "#{session_name}")

    def wait(self, condition: Callable[[str], bool], what: str) -> str:
        """Poll the screen until ``condition`` holds; fail naming ``what`` and the screen."""
        deadline = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}; screen was:\n{screen}")


def library_copy(tmp_path: Path) -> Path:
    """A temporary copy of the bundled library, or the seeds imported with the CLI."""
    target = tmp_path / "articles"
    shipped = REPO / "articles"
    if shipped.is_dir() and any(shipped.glob("*.md")):
        shutil.copytree(shipped, target)
        return target
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"no bundled articles in {shipped} and no seeds in {SEEDS}")
    subprocess.run(
        [str(CLAIMDESK), "--articles", str(target), "import", *map(str, seeds)],
        check=True,
        capture_output=True,
    )
    return target


def test_search_tag_and_save_in_tmux(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: this test drives the app in a real terminal")
    articles = library_copy(tmp_path)
    db = tmp_path / "annotations.json"
    env = {
        "CLAIMDESK_CACHE": str(tmp_path / "cache"),
        "CLAIMDESK_AUTHOR": "e2e",
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [
            "env",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            shlex.quote(str(CLAIMDESK)),
            "--articles",
            shlex.quote(str(articles)),
            "--db",
            shlex.quote(str(db)),
        ]
    )
    tmux = Tmux(f"claimdesk-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmux.run("new-session", "-d", "-s", tmux.session, "-x", "120", "-y", "40", command)
    try:
        tmux.wait(lambda s: "palette" in s, "the first screen")
        tmux.keys("C-f")
        tmux.wait(lambda s: "Search all articles" in s, "the search dialog")
        tmux.keys("HK$50 billion", literal=True)
        tmux.wait(lambda s: " hit" in s, "search results")
        tmux.keys("Enter")
        tmux.wait(lambda s: "Search all articles" not in s, "the article to open")
        tmux.keys("t")
        tmux.wait(
            lambda s: "Tag claim" in s and "HK$50 billion" in s, "the tag dialog with the quote"
        )
        tmux.keys("investment, OASES", literal=True)
        tmux.keys("Tab")
        tmux.keys("Projected, not yet spent", literal=True)
        tmux.keys("C-s")
        tmux.wait(lambda s: "Claim saved" in s, "the saved notification")
        tmux.keys("q")
        deadline = time.monotonic() + TIMEOUT
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not tmux.alive(), "q quits the app"
    finally:
        tmux.run("kill-server")
    result = subprocess.run(
        [str(CLAIMDESK), "--articles", str(articles), "--db", str(db), "annotations", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    [claim] = json.loads(result.stdout)
    assert claim["quote"] == "HK$50 billion"
    assert claim["tags"] == ["investment", "OASES"]
    assert claim["note"] == "Projected, not yet spent"
    assert claim["figure"]["value"] == 5e10
