"""The extraction cache as the checks read it: an entry read twice in a row is decoded once, and
a changed, broken or removed file is never answered from memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.extract.cache import RECENT_ENTRIES, CachedResult, ExtractionCache
from tui.core.text import sha256_text

BODY = "The MTR Corporation will invest HK$50 billion ($6.37 billion)."
FIGURE = {"text": "HK$50 billion", "start": 32, "end": 45, "label": "MONEY", "value": 5e10}
ENTITY = {"text": "The MTR Corporation", "start": 0, "end": 19, "label": "ORG"}


def _stored(tmp_path: Path) -> tuple[ExtractionCache, str]:
    cache = ExtractionCache(tmp_path)
    sha = sha256_text(BODY)
    cache.put(sha, "en_core_web_sm", CachedResult([dict(FIGURE)], [dict(ENTITY)], "en_core_web_sm"))
    return cache, sha


def test_a_second_read_is_the_same_and_a_callers_change_stays_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, sha = _stored(tmp_path)
    first = cache.get(sha, "en_core_web_sm")
    assert first == CachedResult([FIGURE], [ENTITY], "en_core_web_sm")
    first.figures[0]["value"] = 1.0
    first.raw_entities.clear()
    reads: list[Path] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    again = cache.get(sha, "en_core_web_sm")
    assert again == CachedResult([FIGURE], [ENTITY], "en_core_web_sm")
    assert reads == []  # unchanged file: answered from memory


def test_a_rewritten_entry_is_read_again(tmp_path: Path) -> None:
    cache, sha = _stored(tmp_path)
    assert cache.get(sha, "en_core_web_sm") is not None
    newer = CachedResult([], [dict(ENTITY)], "en_core_web_sm")
    ExtractionCache(tmp_path).put(sha, "en_core_web_sm", newer)  # another process writes it
    assert cache.get(sha, "en_core_web_sm") == newer


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"version": "0"}'])
def test_a_damaged_entry_is_a_miss_after_a_good_read(tmp_path: Path, damage: bytes) -> None:
    cache, sha = _stored(tmp_path)
    assert cache.get(sha, "en_core_web_sm") is not None
    cache.path(sha, "en_core_web_sm").write_bytes(damage)
    assert cache.get(sha, "en_core_web_sm") is None


def test_a_removed_entry_is_a_miss(tmp_path: Path) -> None:
    cache, sha = _stored(tmp_path)
    assert cache.get(sha, "en_core_web_sm") is not None
    cache.path(sha, "en_core_web_sm").unlink()
    assert cache.get(sha, "en_core_web_sm") is None


def test_only_a_few_entries_are_kept_in_memory(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    for index in range(RECENT_ENTRIES * 3):
        text = f"{BODY} {index}"
        cache.put(sha256_text(text), None, CachedResult([], [], None))
        assert cache.get(sha256_text(text), None) is not None
    assert len(cache._recent) == RECENT_ENTRIES
