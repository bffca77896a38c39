"""On-disk cache of what the model and the figure rules found, one small JSON file per article.

An entry is keyed by the body's sha256, :data:`EXTRACTOR_VERSION` and the pipeline asked for, and
holds the *raw* output (rule figures and the model's own spans). Corrections are applied after
reading, in microseconds, so adding a correction re-runs no model over the library while an
edited article (new hash) or a new extractor version is extracted again. Files are written
atomically (temporary file + ``os.replace``); an unreadable or malformed entry is treated as a
miss and overwritten. The cache is an optimisation: every failure to write it is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

EXTRACTOR_VERSION = "5"
"""Bump whenever figure rules or mention handling change what a cached entry would hold.

Figures are cached as the rules' raw output, before the article's context decides currencies."""


@dataclass(frozen=True)
class CachedResult:
    """Raw extraction output for one body."""

    figures: list[dict[str, Any]]
    raw_entities: list[dict[str, Any]]
    model: str | None


RECENT_ENTRIES = 8
"""Entries read lately that are kept decoded: an article's body is looked up twice in a row
(its entities, then its fields' figures), and the second read then costs one ``stat``."""


class ExtractionCache:
    """Entries under ``<cache_dir>/extract/``."""

    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir / "extract"
        self._recent: OrderedDict[Path, tuple[tuple[int, ...], CachedResult]] = OrderedDict()
        self._lock = threading.Lock()

    def path(self, body_sha: str, model: str | None) -> Path:
        """Where the entry for this body and pipeline request lives."""
        key = hashlib.sha256(f"{EXTRACTOR_VERSION}\0{model or ''}\0{body_sha}".encode())
        digest = key.hexdigest()
        return self.root / digest[:2] / f"{digest[2:34]}.json"

    def get(self, body_sha: str, model: str | None) -> CachedResult | None:
        """The entry, or None when missing, unreadable or not for this body (an entry read
        lately is reused while its file is unchanged: same inode, size and mtime)."""
        path = self.path(body_sha, model)
        try:
            st = os.stat(path)
        except OSError:
            return None
        signature = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            recent = self._recent.get(path)
        if recent is not None and recent[0] == signature:
            return _copy(recent[1])
        result = self._read(path, body_sha)
        if result is not None:
            with self._lock:
                self._recent[path] = (signature, _copy(result))
                self._recent.move_to_end(path)
                while len(self._recent) > RECENT_ENTRIES:
                    self._recent.popitem(last=False)
        return result

    def _read(self, path: Path, body_sha: str) -> CachedResult | None:
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("sha256") != body_sha:
            return None
        if data.get("version") != EXTRACTOR_VERSION:
            return None
        figures, raw, used = data.get("figures"), data.get("raw_entities"), data.get("model")
        if not (_spans(figures) and _spans(raw)) or not isinstance(used, str | None):
            return None
        return CachedResult(figures=list(figures or []), raw_entities=list(raw or []), model=used)

    def put(self, body_sha: str, model: str | None, result: CachedResult) -> None:
        """Store an entry atomically; failures are ignored (the cache is optional)."""
        path = self.path(body_sha, model)
        payload = orjson.dumps(
            {
                "version": EXTRACTOR_VERSION,
                "sha256": body_sha,
                "model": result.model,
                "figures": result.figures,
                "raw_entities": result.raw_entities,
            }
        )
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _copy(result: CachedResult) -> CachedResult:
    """A copy a caller may change without changing what is remembered."""
    return CachedResult(
        [dict(f) for f in result.figures], [dict(e) for e in result.raw_entities], result.model
    )


RULES_ONLY = "\0rules"
"""The pipeline key of an entry holding only the figure rules' output (no model run)."""


def _spans(value: Any) -> bool:
    """True for a list of dicts that each have text/start/end/label of the right types."""
    if not isinstance(value, list):
        return False
    for item in value:
        if not isinstance(item, dict):
            return False
        if not isinstance(item.get("text"), str) or not isinstance(item.get("label"), str):
            return False
        if not isinstance(item.get("start"), int) or not isinstance(item.get("end"), int):
            return False
    return True
