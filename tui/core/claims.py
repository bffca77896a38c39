"""Claims as the user sees them, and the pure policies about them: where a claim is now, which
claims sit on a span, which figure a span records, and which claims a filter picks.

No I/O here: :class:`tui.core.workspace.Workspace` feeds these the stored records and the
current texts, and both front ends go through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from tui.core.fields import Field
from tui.core.vocab import AnchorState, Figure, HistoryEntry


@dataclass(frozen=True)
class Claim:
    """An annotation as the user sees it: where it sits in the current text of its field."""

    record: Mapping[str, Any]
    """The stored record (fields of the JSON export); never mutated."""
    state: AnchorState
    start: int
    """Current start offset in the field's text (0 for an orphan)."""
    end: int
    current_text: str
    """The text at the current position ("" for an orphan); differs from ``quote`` if drifted."""

    @property
    def id(self) -> str:
        """The annotation id."""
        return str(self.record["id"])

    @property
    def field(self) -> Field:
        """The text the claim lies in: title, summary or body."""
        return cast(Field, self.record.get("field", "body"))

    @property
    def quote(self) -> str:
        """The text the claim was made on."""
        return str(self.record["quote"])

    @property
    def status(self) -> str:
        """The verdict."""
        return str(self.record["status"])

    @property
    def tags(self) -> list[str]:
        """The tags, in order."""
        return list(self.record["tags"])

    @property
    def note(self) -> str:
        """The note ("" when none)."""
        return str(self.record["note"])

    @property
    def figure(self) -> Figure | None:
        """The normalized figure recorded with the claim, if any."""
        figure = self.record.get("figure")
        return cast(Figure, dict(figure)) if figure else None

    @property
    def history(self) -> list[HistoryEntry]:
        """Earlier quotes and figures, oldest first."""
        return [cast(HistoryEntry, dict(e)) for e in self.record.get("history") or ()]

    @property
    def changed(self) -> bool:
        """Whether the text at the claim's place is no longer the quote (drifted)."""
        return self.state == "drifted" and self.current_text != self.quote


def claim_from_record(record: Mapping[str, Any], text: str | None) -> Claim:
    """Where ``record`` is in ``text`` (the current text of its field; None: article gone)."""
    if text is None:
        return Claim(record, "orphan", 0, 0, "")
    start, end = int(record["start"]), int(record["end"])
    if text[start:end] == record["quote"] and _context_holds(record, text, start, end):
        return Claim(record, "anchored", start, end, str(record["quote"]))
    from tui.core.annotations.anchors import reanchor

    anchor = reanchor(record, text)
    if anchor.start is None or anchor.end is None:
        return Claim(record, "orphan", 0, 0, "")
    state = cast(AnchorState, anchor.state)
    return Claim(record, state, anchor.start, anchor.end, text[anchor.start : anchor.end])


def _context_holds(record: Mapping[str, Any], text: str, start: int, end: int) -> bool:
    """The quote is in place and so is its stored context (or the text never changed)."""
    from tui.core.text import sha256_text

    prefix, suffix = str(record.get("prefix", "")), str(record.get("suffix", ""))
    if (
        text[max(0, start - len(prefix)) : start] == prefix
        and text[end : end + len(suffix)] == suffix
    ):
        return True
    return sha256_text(text) == record.get("sha256")


def sort_claims(claims: Iterable[Claim]) -> list[Claim]:
    """Reading order (headline, summary, body), orphans last."""
    order = {"title": 0, "summary": 1, "body": 2}
    return sorted(claims, key=lambda c: (c.state == "orphan", order.get(c.field, 2), c.start))


def claims_at(claims: Sequence[Claim], start: int, end: int, field: str = "body") -> list[Claim]:
    """The claims of ``field`` whose current place overlaps ``start:end`` (a caret, start ==
    end, overlaps the claim it stands in), the closest fit first."""

    def overlaps(c: Claim) -> bool:
        if c.state == "orphan" or c.field != field:
            return False
        if start == end:
            return c.start <= start < c.end or (start == c.end and c.start < start)
        return c.start < end and start < c.end

    hits = [c for c in claims if overlaps(c)]
    return sorted(hits, key=lambda c: (abs(c.start - start) + abs(c.end - end), c.start))


def figure_for_span(
    figures: Sequence[Mapping[str, Any]], start: int, end: int
) -> dict[str, Any] | None:
    """The figure a claim on ``start:end`` records: the figure the span lies in ("50 billion"
    inside "HK$50 billion" is that HK$ figure), else the first figure inside the span; None when
    the span touches no figure. Offsets are left out (the claim has its own)."""
    holding = [f for f in figures if f["start"] <= start and end <= f["end"] and start < end]
    inside = sorted(
        (f for f in figures if start <= f["start"] and f["end"] <= end), key=lambda f: f["start"]
    )
    chosen = holding or inside
    if not chosen:
        return None
    return {k: v for k, v in chosen[0].items() if k not in ("start", "end", "field")}


@dataclass(frozen=True)
class ClaimQuery:
    """A filter over claims, shared by ``claimdesk annotations``/``export`` and the notebook."""

    article_id: str | None = None
    tag: str | None = None
    status: str | None = None
    search: str | None = None
    author: str | None = None
    anchor_state: str | None = None

    def matches_record(self, record: Mapping[str, Any]) -> bool:
        """Whether the stored record passes every filter but the anchor state."""
        tags = [str(t) for t in record.get("tags", [])]
        if self.tag and self.tag.lstrip("#").casefold() not in (t.casefold() for t in tags):
            return False
        if self.status and record.get("status") != self.status:
            return False
        if self.author and str(record.get("author", "")).casefold() != self.author.casefold():
            return False
        if self.search:
            needle = self.search.casefold()
            haystack = [str(record.get("quote", "")), str(record.get("note", "")), *tags]
            return any(needle in text.casefold() for text in haystack)
        return True

    def matches_state(self, record: Mapping[str, Any]) -> bool:
        """Whether the record's measured ``anchor_state`` passes the filter."""
        return not self.anchor_state or record.get("anchor_state") == self.anchor_state


__all__ = ["Claim", "ClaimQuery", "Field", "claim_from_record", "claims_at", "figure_for_span"]
