"""Canonical article text: the one string every character offset in Claimdesk refers to.

Canonical form: NFC, ``\\n`` line ends, one paragraph per line (no blank lines), no tabs, no
trailing spaces, and every control character replaced one-for-one by a visible symbol
(ESC -> ␛, NUL -> ␀, C1 and DEL -> the replacement character, the bidi embedding, override and
isolate controls -> ⁅ and ⁆, see :data:`BIDI_PICTURES`), so nothing in an article can reach the
terminal as an escape sequence or reorder a line, and offsets mean the same thing in
extraction, the reader, the store and exports.

Invisible characters that only hint at line breaking or joining are dropped: the zero-width
space, BOM, soft hyphen and word joiner everywhere, and the zero-width (non-)joiner next to a
digit ("HK$6\\u200d0 billion" is "HK$60 billion"; elsewhere they shape emoji and Indic or
Persian script, so they stay).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INLINE_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\ufeff\u00ad\u2060\u180e]")
_JOINER_BY_DIGIT = re.compile(r"(?<=\d)[\u200c\u200d]+|[\u200c\u200d]+(?=\d)")
BIDI_PICTURES: dict[str, str] = {
    "\u202a": "\u2045",  # LRE -> ⁅
    "\u202b": "\u2045",  # RLE
    "\u202c": "\u2046",  # PDF -> ⁆
    "\u202d": "\u2045",  # LRO
    "\u202e": "\u2045",  # RLO
    "\u2066": "\u2045",  # LRI
    "\u2067": "\u2045",  # RLI
    "\u2068": "\u2045",  # FSI
    "\u2069": "\u2046",  # PDI -> ⁆
}
"""Bidi controls (which can make a line read differently than it is stored) -> a visible
bracket: an opening one for each embedding, override or isolate, a closing one for its end."""


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC -> ␛, NUL -> ␀
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in BIDI_PICTURES:
        return BIDI_PICTURES[char]
    return "\ufffd"  # C1 controls have no picture


def visible_controls(text: str) -> str:
    """Replace every control character except newline, and every bidi control, by a visible
    symbol, one for one (offsets are unchanged)."""
    return _CONTROL.sub(_visible, text)


def canonicalize(raw: str) -> str:
    """Return the canonical form of ``raw`` (see the module docstring). Idempotent."""
    text = _LINE_BREAKS.sub("\n", raw)
    # dropped before NFC: a dropped character may sit between a letter and its mark
    text = _JOINER_BY_DIGIT.sub("", _ZERO_WIDTH.sub("", text))
    text = unicodedata.normalize("NFC", text)
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
