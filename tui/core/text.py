"""Canonical article text: the one string every character offset in Claimdesk refers to.

Canonical form: NFC, ``\\n`` line ends, one paragraph per line (no blank lines), no tabs, no
trailing spaces, and every control character replaced one-for-one by a visible symbol
(ESC -> ␛, NUL -> ␀, C1 and DEL -> the replacement character), so nothing in an article can
reach the terminal as an escape sequence and offsets mean the same thing in extraction, the
reader, the store and exports.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f]")
_INLINE_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\ufeff]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC -> ␛, NUL -> ␀
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no picture


def visible_controls(text: str) -> str:
    """Replace every control character except newline by a visible symbol, one for one."""
    return _CONTROL.sub(_visible, text)


def canonicalize(raw: str) -> str:
    """Return the canonical form of ``raw`` (see the module docstring). Idempotent."""
    text = unicodedata.normalize("NFC", raw)
    text = _LINE_BREAKS.sub("\n", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _INLINE_SPACE.sub(" ", text)
    text = visible_controls(text)
    lines = (re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8: the identity of an article body."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def line_starts(text: str) -> list[int]:
    """Offsets at which each ``\\n``-separated line of ``text`` starts."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def offset_to_location(starts: list[int], offset: int) -> tuple[int, int]:
    """Map a character offset to ``(row, column)`` given :func:`line_starts`."""
    row = bisect_right(starts, offset) - 1
    return row, offset - starts[row]


def is_heading(line: str) -> bool:
    """A paragraph that reads as a section heading: short, no closing punctuation."""
    stripped = line.strip()
    if not stripped or len(stripped) > 90 or len(stripped.split()) > 12:
        return False
    return stripped[-1] not in '.!?:;,"”’)' and not stripped.startswith(("-", "•", "*"))
