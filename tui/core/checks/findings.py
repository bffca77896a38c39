"""What a check reports: a :class:`Finding` with the spans it is about, in a stable JSON shape.

JSON shape of one finding (:meth:`Finding.to_json`)::

    {
      "id": "3f9a1c2e7b4d5a60",            # stable: kind + spans, for dismissing / linking
      "kind": "headline",                   # see KINDS
      "severity": "warning",                # see SEVERITIES
      "explanation": "Headline '$50B' ...", # one line, with the numbers
      "note": "Figure check (headline): ...",  # text to pre-fill a claim's note
      "spans": [{"article_id": "...", "field": "title", "start": 24, "end": 28, "text": "$50B"}],
      "facts": {"ratio": 7.85, ...}         # the numbers behind the explanation (kind-specific)
    }

Offsets are code points into the named field (``title``, ``summary`` or ``body``), like figures
and annotations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

KINDS = ("headline", "conversion", "arithmetic", "cross-article", "same-figure")
"""Every finding kind, in the order a list shows them."""

SEVERITIES = ("warning", "possible", "info")
"""``warning``: the figures contradict each other; ``possible``: they may, and a person should
look; ``info``: not a problem (one figure repeated in several wordings)."""

FIELDS = ("title", "summary", "body")


@dataclass(frozen=True)
class SpanRef:
    """A stretch of one field of one article that a finding is about."""

    article_id: str
    field: str
    """``title``, ``summary`` or ``body``."""
    start: int
    end: int
    text: str
    """``field_text[start:end]``, kept so a stale finding can be re-anchored or shown."""

    def to_json(self) -> dict[str, Any]:
        """The span as a JSON object."""
        return {
            "article_id": self.article_id,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpanRef:
        """The span from :meth:`to_json` output."""
        return cls(
            str(data["article_id"]),
            str(data["field"]),
            int(data["start"]),
            int(data["end"]),
            str(data["text"]),
        )


@dataclass(frozen=True)
class Finding:
    """One thing the checks noticed: kind, severity, a one-line explanation and its spans."""

    kind: str
    severity: str
    explanation: str
    spans: tuple[SpanRef, ...]
    facts: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Numbers behind the explanation (rates, ratios, values), for tools; may be empty."""

    @property
    def id(self) -> str:
        """A stable id from the kind and the spans (the same finding keeps it across runs)."""
        parts = [self.kind] + [f"{s.article_id}:{s.field}:{s.start}:{s.end}" for s in self.spans]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The articles the finding involves, in span order, each once."""
        return tuple(dict.fromkeys(s.article_id for s in self.spans))

    def note(self) -> str:
        """The text that pre-fills a claim's note when the user tags this finding."""
        label = {"info": "note", "possible": "possible problem", "warning": "problem"}
        return f"Figure check ({self.kind}, {label.get(self.severity, self.severity)}): " + (
            self.explanation
        )

    def to_json(self) -> dict[str, Any]:
        """The finding in the documented JSON shape (see the module docstring)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "explanation": self.explanation,
            "note": self.note(),
            "spans": [s.to_json() for s in self.spans],
            "facts": self.facts,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """The finding from :meth:`to_json` output (the cache's format)."""
        return cls(
            kind=str(data["kind"]),
            severity=str(data["severity"]),
            explanation=str(data["explanation"]),
            spans=tuple(SpanRef.from_json(s) for s in data["spans"]),
            facts=dict(data.get("facts") or {}),
        )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in a stable order: article, kind, then position of the first span."""

    def key(finding: Finding) -> tuple[Any, ...]:
        first = finding.spans[0] if finding.spans else SpanRef("", "body", 0, 0, "")
        field_rank = FIELDS.index(first.field) if first.field in FIELDS else 3
        return (first.article_id, KINDS.index(finding.kind), field_rank, first.start, finding.id)

    return sorted(findings, key=key)
