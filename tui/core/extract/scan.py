"""Where numbers may start in a text: two fast scans, one for digits and one for number words."""

from __future__ import annotations

import re

from tui.core.extract.numbers import ARTICLE_SCALES, FRACTION_LEAD, SCALES, SMALL, word_trie

_NUMBER_WORDS = sorted([*SMALL, *SCALES, "dozen"], key=len, reverse=True)
_DIGIT_SCAN = re.compile(r"\d[\d,.]*")
_WORD_SCAN = re.compile(word_trie(_NUMBER_WORDS + [w.capitalize() for w in _NUMBER_WORDS]))
_ARTICLE_RE = re.compile(r"(?<![\w])an? \Z", re.IGNORECASE)
_FRACTION_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?<!first |third |final )(?<!second |fourth |latter )(?<!last )"
    rf"{FRACTION_LEAD}\Z",
    re.IGNORECASE,
)
"""A fraction right before a scale word ("half million"); not "the third quarter million"."""


def candidate_starts(text: str) -> list[int]:
    """Where a number may start, in reading order, from two cheap scans (digits, number words).

    Two scans whose patterns start with a literal or a character class let ``re`` skip ahead;
    one case-insensitive alternation of both is twice as slow. :data:`CANDIDATE_RE` then
    confirms each start, but only the ones not already inside a figure (see :func:`raw_figures`).
    """
    starts: list[int] = []
    for hit in _DIGIT_SCAN.finditer(text):
        pos = hit.start()
        if pos and text[pos - 1] in "-−.":
            starts.append(pos - 1)  # a sign or a leading decimal point
        starts.append(pos)
    for hit in _WORD_SCAN.finditer(text):
        pos = hit.start()
        if pos and (text[pos - 1].isalnum() or text[pos - 1] == "_"):
            continue
        if hit.group(0).lower() in ARTICLE_SCALES:
            article = _ARTICLE_RE.search(text, max(0, pos - 4), pos)
            if article:
                starts.append(article.start())  # "a million"
            if pos >= 5 and text[pos - 1] in " -":
                fraction = _FRACTION_BEFORE_RE.search(text, max(0, pos - 30), pos)
                if fraction:
                    starts.append(fraction.start())  # "half million", "a quarter-million"
        starts.append(pos)
    starts.sort()
    return starts
