"""Where figures may start in a text: one fast scan for digits and one for number words.

The word scan also finds the key words of :mod:`.proportions` ("half", "twice", "a penny"), so
the text is read by two regex scans in all, not three.
"""

from __future__ import annotations

import re

from tui.core.extract.numbers import ARTICLE_SCALES, FRACTION_LEAD, SCALES, SMALL, word_trie
from tui.core.extract.proportions import ANCHOR_WORDS

_NUMBER_WORDS = [*SMALL, *SCALES, "dozen"]
_WORDS = [*_NUMBER_WORDS, *ANCHOR_WORDS]
_ANCHORS = frozenset(w.lower() for w in ANCHOR_WORDS)
_DIGIT_SCAN = re.compile(r"\d[\d,.]*")
_FIRST_LETTERS = "".join(sorted({w[0] for w in _WORDS} | {w[0].upper() for w in _WORDS}))
_WORD_SCAN = re.compile(
    rf"\b(?=[{_FIRST_LETTERS}])(?:{word_trie(_WORDS + [w.capitalize() for w in _WORDS])})"
)
"""Number and anchor words at a word start; the class in front lets ``re`` reject most
positions before it tries the word trie (measured faster than the trie alone)."""
_ARTICLE_RE = re.compile(r"(?<![\w])an? \Z", re.IGNORECASE)
_FRACTION_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?<!first |third |final )(?<!second |fourth |latter )(?<!last )"
    rf"{FRACTION_LEAD}\Z",
    re.IGNORECASE,
)
"""A fraction right before a scale word ("half million"); not "the third quarter million"."""


def candidate_starts(text: str) -> list[int]:
    """Where a number may start, in reading order (see :func:`scan`)."""
    return scan(text)[0]


def scan(text: str) -> tuple[list[int], list[int]]:
    """(where a number may start, where a :mod:`.proportions` key word starts), in order.

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
    digits_only = len(starts)
    anchors: list[int] = []
    for hit in _WORD_SCAN.finditer(text):
        pos = hit.start()
        word = hit.group(0).lower()
        if word in _ANCHORS:
            anchors.append(pos)
            continue
        if word in ARTICLE_SCALES:
            article = _ARTICLE_RE.search(text, max(0, pos - 4), pos)
            if article:
                starts.append(article.start())  # "a million"
            if pos >= 5 and text[pos - 1] in " -":
                fraction = _FRACTION_BEFORE_RE.search(text, max(0, pos - 30), pos)
                if fraction:
                    starts.append(fraction.start())  # "half million", "a quarter-million"
        starts.append(pos)
    if len(starts) > digits_only:
        starts.sort()
    return starts, anchors
