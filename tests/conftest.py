"""Shared fixtures: every test runs with its cache and author isolated from the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the extraction cache and author at test-local values; never the user's."""
    monkeypatch.setenv("CLAIMDESK_CACHE", str(tmp_path / ".cache"))
    monkeypatch.setenv("CLAIMDESK_AUTHOR", "tester")
    monkeypatch.delenv("CLAIMDESK_ARTICLES", raising=False)
    monkeypatch.delenv("CLAIMDESK_DB", raising=False)
    monkeypatch.delenv("CLAIMDESK_MODEL", raising=False)
    monkeypatch.delenv("CLAIMDESK_CONFIG", raising=False)
    monkeypatch.delenv("CLAIMDESK_CURRENCY", raising=False)
    # the per-user config file and library (platformdirs) are the test's, never the user's
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / ".xdg-data"))


def seed_text(name: str) -> str:
    """Raw text of a seed article from ../shared/seeds, or skip when that folder is absent."""
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} not found: the shared seeds folder is not beside the project")
    return path.read_text(encoding="utf-8")
