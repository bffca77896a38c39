"""``annotations.json.summary``: per article, how many annotations have each status and tag.

Written by :class:`~tui.core.annotations.database.Database` after every save, compaction and
full read, with the signatures of the snapshot and the journal it describes; read here, by
itself, so the library list gets its counts without loading the database modules (or TinyDB)
at all. A cache: a missing, damaged or stale summary only means the database is read in full.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tui.core.annotations.signatures import current_signature

SUMMARY_VERSION = 1
"""Layout of ``annotations.json.summary``; another version is not read."""
Summary = dict[str, dict[str, Any]]
"""Per article id: ``count``, ``statuses`` and ``tags`` (how many annotations with each)."""


def summary_path(path: Path) -> Path:
    """The per-article summary beside the database ``path``."""
    return path.with_name(path.name + ".summary")


def read_summary(path: Path) -> Summary | None:
    """The per-article summary of the database at ``path`` when it describes exactly the files
    on disk now (empty when there is no database, journal or summary at all); None when there
    is none or it is damaged or stale (read the database then)."""
    journal = path.with_name(path.name + ".journal")
    try:
        data = orjson.loads(summary_path(path).read_bytes())
    except FileNotFoundError:
        if current_signature(path) is None and current_signature(journal) is None:
            return {}  # no database, journal or summary yet: nothing is annotated
        return None
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("version") != SUMMARY_VERSION:
        return None
    snapshot = current_signature(path)
    on_disk = current_signature(journal)
    if snapshot is None or data.get("snapshot") != list(snapshot):
        return None
    if data.get("journal") != (list(on_disk) if on_disk else None):
        return None
    articles = data.get("articles")
    if not isinstance(articles, dict):
        return None
    summary: Summary = {}
    for article, entry in articles.items():
        if not isinstance(entry, dict):
            return None
        statuses, tags = entry.get("statuses"), entry.get("tags")
        if not (isinstance(statuses, dict) and _is_counter(statuses) and _is_counter(tags)):
            return None
        summary[article] = {"count": sum(statuses.values()), "statuses": statuses, "tags": tags}
    return summary


def _is_counter(value: Any) -> bool:
    return isinstance(value, dict) and all(type(n) is int and n > 0 for n in value.values())
