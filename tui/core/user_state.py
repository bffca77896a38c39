"""A user's small state beside the database: which articles were read, and UI choices (theme,
export format and folder). It is user data, so it never lives in the cache folder that the README
calls safe to delete; losing it costs only convenience, so every failure is ignored."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

import orjson

STATE_FILE_SUFFIX = ".state.json"
"""The state file is the database's name plus this (``annotations.json.state.json``)."""


class UserState:
    """Remembered values in one JSON file, written atomically on each change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[str, Any]:
        if self._values is None:
            try:
                loaded = orjson.loads(self.path.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                loaded = {}
            self._values = loaded if isinstance(loaded, dict) else {}
        return self._values

    def get(self, key: str, default: Any = None) -> Any:
        """The value remembered under ``key``, else ``default``."""
        with self._lock:
            return self._loaded().get(key, default)

    def put(self, key: str, value: Any) -> None:
        """Remember ``value`` (anything JSON can hold) under ``key``."""
        from tui.core.fileio import atomic_write

        with self._lock:
            values = self._loaded()
            values[key] = value
            with contextlib.suppress(OSError):
                atomic_write(self.path, orjson.dumps(values))

    @property
    def read_ids(self) -> set[str]:
        """Ids of the articles the user has opened."""
        return {str(x) for x in self.get("read", [])}

    def mark_read(self, article_id: str, read: bool = True) -> None:
        """Mark an article read (opened) or unread again."""
        ids = self.read_ids
        if (article_id in ids) != read:
            self.put("read", sorted(ids | {article_id} if read else ids - {article_id}))
