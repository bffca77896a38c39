"""Claimdesk's vocabulary, defined once: labels and their names, verdicts, anchor states, kinds,
and how a figure reads to people. The app, the CLI and the exports all read these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from tui.core.annotations.records import ANCHOR_STATES, KINDS, STATUSES

AnchorState = Literal["anchored", "drifted", "orphan"]
"""Where a claim stands against the current text: same text; found but changed; not found."""
Status = Literal["unverified", "supported", "disputed", "false", "needs-source"]
"""A claim's verdict."""
Kind = Literal["claim", "figure", "quote", "note"]
"""What was marked."""

FigureLabel = Literal["MONEY", "PERCENT", "COUNT", "MULTIPLIER"]
"""What a figure measures."""


class Figure(TypedDict, total=False):
    """A normalized figure as extraction reports it and claims record it."""

    text: str
    start: int
    end: int
    field: str
    label: FigureLabel
    value: float | None
    currency: str | None
    currency_reason: str | None
    unit: str | None
    qualifier: str | None
    low: float | None
    high: float | None
    corrected: bool


class HistoryEntry(TypedDict, total=False):
    """An earlier version of a claim's quote, offsets and figure."""

    at: str
    reason: str
    quote: str
    start: int
    end: int
    figure: Figure | None


class AnnotationRecord(TypedDict):
    """A stored claim: exactly the fields of the JSON export's annotation object."""

    id: str
    article_id: str
    kind: Kind
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    sha256: str
    tags: list[str]
    note: str
    status: Status
    figure: Figure | None
    anchor_state: AnchorState
    created: str
    modified: str
    author: str
    field: str
    history: list[HistoryEntry]


FIGURE_LABELS = ("MONEY", "PERCENT", "COUNT", "MULTIPLIER")
"""Labels produced by the rule-based figure finder."""
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "PRODUCT", "DATE")
"""Labels of named entities Claimdesk shows and lets the user correct."""
LABEL_NAMES: dict[str, str] = {
    "MONEY": "money",
    "PERCENT": "percent",
    "COUNT": "count",
    "MULTIPLIER": "multiplier",
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place (GPE)",
    "LOC": "location",
    "NORP": "group (NORP)",
    "EVENT": "event",
    "LAW": "law",
    "PRODUCT": "product",
    "DATE": "date",
}
"""What each label is called on screen."""
STATUS_KEYS: dict[str, str] = {str(i + 1): status for i, status in enumerate(STATUSES)}
"""One key per verdict, in the order the tag dialog offers them ("1" unverified … "5")."""

__all__ = [
    "ANCHOR_STATES",
    "ENTITY_LABELS",
    "FIGURE_LABELS",
    "KINDS",
    "LABEL_NAMES",
    "STATUSES",
    "STATUS_KEYS",
    "AnchorState",
    "AnnotationRecord",
    "Figure",
    "FigureLabel",
    "HistoryEntry",
    "Kind",
    "Status",
    "figure_text",
    "human_number",
    "human_value",
    "plural",
]

_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def human_number(number: float) -> str:
    """A number for people: "6.37 billion", "13,000", "0.25"."""
    for scale, word in _SCALES:
        if abs(number) >= scale:
            return f"{number / scale:,.6g} {word}"
    return f"{number:,.6g}" if isinstance(number, float) else f"{number:,}"


def human_value(figure: Mapping[str, Any]) -> str:
    """A figure's value for people: "1 billion", "5 to 7"; empty for entities or no value."""
    if figure.get("value") is None:
        return ""
    if figure.get("high") is not None and figure.get("low") is not None:
        return f"{human_number(figure['low'])} to {human_number(figure['high'])}"
    return human_number(figure["value"])


def figure_text(figure: Mapping[str, Any] | None) -> str:
    """A figure in one machine-stable line: ``MONEY 50000000000 HKD`` (exports and search)."""
    if not figure:
        return ""
    value = figure.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = "" if value is None else format(value, "f" if isinstance(value, float) else "d")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    parts = [figure.get("label"), number, figure.get("currency") or figure.get("unit")]
    return " ".join(str(p) for p in parts if p)


def plural(count: int, one: str, many: str | None = None) -> str:
    """``count`` with the right noun: "1 claim", "2 claims", "1 annotation"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
