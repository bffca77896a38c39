"""Selectors for a span of an article body, and finding that span again after the body changed.

An annotation stores W3C-style selectors: a TextQuoteSelector (``quote`` with up to 32 characters
of ``prefix``/``suffix``) and a TextPositionSelector (``start``/``end``, code points into the
canonical body), plus the body's sha256. :func:`reanchor` finds the span in the current body:

1. the stored position, when the body is unchanged or the quote and its context are still there;
2. the quote with its whole context, wherever it moved; else the text between the stored prefix
   and suffix, so an edited figure ("2.1%" -> "2.2%") is found
   where it was and not at another "2.1%" elsewhere;
3. the quote searched fuzzily (edlib, Myers' algorithm) and ranked as Hypothesis does:
   (50 quote + 20 prefix + 20 suffix + 2 position) / 92.

The result is ``anchored`` (same text, confident), ``drifted`` (found, but the text changed or the
match is weak: both texts are kept) or ``orphan`` (not found). Nothing here rewrites the stored
selectors; only the user's confirmation does (``AnnotationStore.reattach``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import edlib

from tui.core.annotations.records import paused_gc
from tui.core.text import sha256_text

CONTEXT = 32
"""Characters of prefix and suffix kept with a quote (Hypothesis' default)."""
ANCHORED_AT = 0.75
"""A fuzzy match scoring below this is reported as drifted even when the quote is exact."""
ORPHAN_BELOW = 0.4
"""A fuzzy match scoring below this is treated as not found."""
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Anchor:
    """Where an annotation is in the current body."""

    state: str
    """``anchored``, ``drifted`` or ``orphan``."""
    start: int | None
    """Start offset in the current body; None for an orphan."""
    end: int | None
    """End offset (exclusive); None for an orphan."""
    score: float
    """Match quality from 0 to 1 (1: same text, same context)."""
    text: str
    """The current text at the anchor ("" for an orphan); differs from the quote when drifted."""


ORPHAN = Anchor("orphan", None, None, 0.0, "")


def select(body: str, start: int, end: int) -> dict[str, Any]:
    """The selectors for ``body[start:end]``: quote, prefix, suffix, start, end."""
    if not 0 <= start < end <= len(body):
        raise ValueError(f"span {start}-{end} is not inside the article (0-{len(body)})")
    return {
        "quote": body[start:end],
        "prefix": body[max(0, start - CONTEXT) : start],
        "suffix": body[end : end + CONTEXT],
        "start": start,
        "end": end,
    }


def reanchor(annotation: Mapping[str, Any], body: str, *, body_sha256: str | None = None) -> Anchor:
    """Find ``annotation`` in ``body`` (pass ``body_sha256`` when reanchoring many at once)."""
    quote: str = annotation["quote"]
    prefix: str = annotation["prefix"]
    suffix: str = annotation["suffix"]
    start: int = annotation["start"]
    end: int = annotation["end"]
    if body[start:end] == quote:
        unchanged = (body_sha256 or sha256_text(body)) == annotation.get("sha256")
        if unchanged or _context_at(body, start, end, prefix, suffix):
            return Anchor("anchored", start, end, 1.0, quote)
    moved = _occurrences(body, prefix + quote + suffix)
    if moved:  # the passage itself moved (text added or removed elsewhere)
        at = min(moved, key=lambda p: abs(p + len(prefix) - start)) + len(prefix)
        return Anchor("anchored", at, at + len(quote), 1.0, quote)
    found = _between_context(body, quote, prefix, suffix, start)
    if found is not None:
        return found
    return _fuzzy(body, quote, prefix, suffix, start)


def current_states(
    annotations: Iterable[dict[str, Any]],
    bodies: Mapping[str, str | None],
    *,
    in_place: bool = False,
    field_texts: Mapping[tuple[str, str], str] | None = None,
) -> list[dict[str, Any]]:
    """``annotations`` with ``anchor_state`` measured against ``bodies`` (article id -> body; a
    missing or None body makes its annotations orphans): copies, or the same dicts updated when
    ``in_place`` (for lists the caller owns, e.g. fresh from ``AnnotationStore.annotations``).
    Annotations on a headline or summary are measured against ``field_texts[(article id,
    field)]`` (orphans when it is absent)."""
    hashes = {aid: sha256_text(body) for aid, body in bodies.items() if body is not None}
    others = field_texts or {}
    result: list[dict[str, Any]] = []
    with paused_gc():
        for annotation in annotations:
            aid, where = annotation["article_id"], annotation.get("field", "body")
            body = bodies.get(aid) if where == "body" else others.get((aid, where))
            if body is None:
                state = "orphan"
            elif where != "body":
                state = reanchor(annotation, body).state
            elif (
                hashes[aid] == annotation["sha256"]
                and body[annotation["start"] : annotation["end"]] == annotation["quote"]
            ):
                state = "anchored"  # the common case, inlined: the article did not change
            else:
                state = reanchor(annotation, body, body_sha256=hashes[aid]).state
            measured = annotation if in_place else annotation.copy()
            measured["anchor_state"] = state
            result.append(measured)
    return result


def _context_at(body: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    return (
        body[max(0, start - len(prefix)) : start] == prefix
        and body[end : end + len(suffix)] == suffix
    )


def _max_errors(quote: str) -> int:
    return min(256, len(quote) // 2)


def _score(quote_errors: int, quote: str, prefix_score: float, suffix_score: float,
           start: int, hint: int, length: int) -> float:  # fmt: skip
    position = 1.0 - abs(start - hint) / max(length, 1)
    quote_score = 1.0 - quote_errors / len(quote)
    return (50 * quote_score + 20 * prefix_score + 20 * suffix_score + 2 * position) / 92


def _occurrences(text: str, pattern: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Every start of ``pattern`` in ``text[lo:hi]`` (overlapping), capped."""
    hi = len(text) if hi is None else hi
    found: list[int] = []
    at = text.find(pattern, lo, hi)
    while at >= 0 and len(found) < MAX_CANDIDATES:
        found.append(at)
        at = text.find(pattern, at + 1, hi)
    return found


def _between_context(body: str, quote: str, prefix: str, suffix: str, hint: int) -> Anchor | None:
    """The best span lying between an exact prefix and an exact suffix, if one is close enough
    to the quote (at most half of it changed)."""
    if not prefix and not suffix:
        return None
    limit = _max_errors(quote)
    longest = len(quote) + limit
    starts = [p + len(prefix) for p in _occurrences(body, prefix)] if prefix else [0]
    best: Anchor | None = None
    best_key = (False, 0.0)
    for lo in starts:
        if suffix:
            ends = _occurrences(body, suffix, lo + 1, min(len(body), lo + longest + len(suffix)))
        else:
            ends = [len(body)] if 0 < len(body) - lo <= longest else []
        for hi in ends:
            text = body[lo:hi]
            errors = 0 if text == quote else _distance(quote, text, limit)
            if errors is None:
                continue
            score = _score(errors, quote, 1.0, 1.0, lo, hint, len(body))
            key = (errors == 0, score)  # the unchanged text first; position only breaks ties
            if best is None or key > best_key:
                state = "anchored" if errors == 0 else "drifted"
                best, best_key = Anchor(state, lo, hi, score, text), key
    return best


def _fuzzy(body: str, quote: str, prefix: str, suffix: str, hint: int) -> Anchor:
    """Hypothesis' matchQuote: exact occurrences, else the lowest-error approximate ones."""
    spans = [(s, s + len(quote)) for s in _occurrences(body, quote)]
    errors = 0
    if not spans:
        limit = _max_errors(quote)
        pattern, target = _encode(quote, body)
        found = edlib.align(pattern, target, mode="HW", task="locations", k=limit)
        if found["editDistance"] < 0:
            return ORPHAN
        errors = found["editDistance"]
        spans = [(s, e + 1) for s, e in found["locations"][:MAX_CANDIDATES]]
    best: tuple[float, int, int] | None = None
    for start, end in spans:
        before = body[max(0, start - len(prefix)) : start]
        after = body[end : end + len(suffix)]
        score = _score(
            errors, quote, _context_score(prefix, before), _context_score(suffix, after),
            start, hint, len(body),
        )  # fmt: skip
        if best is None or score > best[0]:
            best = (score, start, end)
    assert best is not None
    score, start, end = best
    if score < ORPHAN_BELOW:
        return ORPHAN
    state = "anchored" if errors == 0 and score >= ANCHORED_AT else "drifted"
    return Anchor(state, start, end, score, body[start:end])


def _context_score(expected: str, window: str) -> float:
    """1 when ``expected`` context is found in ``window``; falls with its edit distance."""
    if not expected:
        return 1.0
    if not window:
        return 0.0
    if expected == window:
        return 1.0
    pattern, target = _encode(expected, window)
    found = edlib.align(pattern, target, mode="HW", task="distance", k=len(expected))
    distance = found["editDistance"]
    return 0.0 if distance < 0 else 1.0 - distance / len(expected)


def _distance(a: str, b: str, limit: int) -> int | None:
    """Levenshtein distance of ``a`` and ``b`` if at most ``limit``, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    pattern, target = _encode(a, b)
    found = edlib.align(pattern, target, mode="NW", task="distance", k=limit)
    distance: int = found["editDistance"]
    return None if distance < 0 else distance


def _encode(pattern: str, text: str) -> tuple[bytes, bytes]:
    """Both strings as bytes over a small alphabet, since edlib handles at most 256 symbols.

    Each character of ``pattern`` gets its own byte; every other character becomes byte 0, which
    matches nothing in the pattern, so edit distances are unchanged. Past 254 distinct pattern
    characters the rest share byte 255 (distances are then approximate).
    """
    table: dict[int, int] = {}
    for char in pattern:
        if ord(char) not in table:
            table[ord(char)] = min(len(table) + 1, 255)
    full = {ord(c): table.get(ord(c), 0) for c in set(text)} | table
    return pattern.translate(full).encode("latin-1"), text.translate(full).encode("latin-1")
