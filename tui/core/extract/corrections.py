"""User corrections to extraction: plain dicts, applied to every article on the next extraction.

A correction is ``{"id", "action", "text", "label", "created"}`` (the store adds ``id`` and
``created``). Actions, applied in the order the corrections were made:

``add``      every whole-word occurrence of ``text`` (exact case) is an entity ``label``, replacing
             model mentions it overlaps ("OASES is an organisation", "this span is a PERSON");
``relabel``  model mentions of ``text`` get ``label`` ("Cyberport is a LOC, not a GPE");
``reject``   model mentions of ``text`` are dropped, only those labelled ``label`` when one is
             given ("AI is not a place": reject AI GPE);
``ignore``   nothing overlapping an occurrence of ``text`` is shown, figures included
             ("ignore 'Subscribe'");
``figure``   one article's figure fixed or dropped (see :mod:`.figure_corrections`).

``relabel``, ``reject`` and ``ignore`` compare text case-insensitively and without a leading
"the" or a possessive (:func:`tui.core.extract.entities.normalize`). The model's own output is
never changed: it stays in :attr:`Extraction.raw_entities`, and a corrected mention carries
``source: "correction"``.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from tui.core.extract.entities import normalize
from tui.core.extract.figure_corrections import ACTION as FIGURE_ACTION
from tui.core.extract.figure_corrections import valid_figure_correction
from tui.core.text import visible_controls

ACTIONS = ("add", "relabel", "reject", "ignore")
"""Every correction action (see the module docstring)."""

NEEDS_LABEL = frozenset({"add", "relabel"})
LABELS = (
    "PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "PRODUCT", "DATE", "FAC",
    "WORK_OF_ART", "LANGUAGE", "TIME", "MONEY", "PERCENT", "QUANTITY",
)  # fmt: skip
"""Labels a correction may give: spaCy's entity labels without CARDINAL and ORDINAL."""

MAX_TEXT = 200


class CorrectionError(ValueError):
    """A correction that cannot be applied; ``str()`` says what to change."""


def make_correction(action: str, text: str, label: str | None = None) -> dict[str, Any]:
    """A validated correction dict (without ``id``/``created``: the store adds those)."""
    action = action.strip().lower()
    if action not in ACTIONS:
        raise CorrectionError(f"unknown action '{action}': use one of {', '.join(ACTIONS)}")
    text = " ".join(visible_controls(text).split())  # as in canonical article text
    if not text:
        raise CorrectionError("the text to correct is empty: give the words as they appear")
    if len(text) > MAX_TEXT:
        raise CorrectionError(f"the text to correct is longer than {MAX_TEXT} characters")
    label = label.strip().upper() if label else None
    if action in NEEDS_LABEL and not label:
        raise CorrectionError(f"'{action}' needs a label, one of {', '.join(LABELS)}")
    if label and label not in LABELS:
        raise CorrectionError(f"unknown label '{label}': use one of {', '.join(LABELS)}")
    return {"action": action, "text": text, "label": label}


def valid_corrections(corrections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The corrections that are well formed; others (hand-edited, newer versions) are skipped.

    Figure corrections (``action: "figure"``, see :mod:`.figure_corrections`) are kept too.
    """
    valid = []
    for correction in corrections:
        if isinstance(correction, dict) and correction.get("action") == FIGURE_ACTION:
            if (figure := valid_figure_correction(correction)) is not None:
                valid.append(figure)
            continue
        try:
            valid.append(
                {
                    **correction,
                    **make_correction(
                        str(correction.get("action", "")),
                        str(correction.get("text", "")),
                        correction.get("label") or None,
                    ),
                }
            )
        except (CorrectionError, AttributeError):
            continue
    return valid


def corrections_version(corrections: list[dict[str, Any]]) -> str:
    """A short hash that changes whenever the effective corrections change."""
    effective = [
        [
            c["action"],
            c["text"],
            c.get("label"),
            c.get("article"),
            c.get("set"),
            c.get("not_figure"),
        ]
        for c in valid_corrections(corrections)
    ]
    return hashlib.sha256(json.dumps(effective).encode()).hexdigest()[:16]


def occurrences(body: str, text: str, *, ignore_case: bool) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``text`` in ``body`` (any run of spaces matches a space)."""
    words = [re.escape(w) for w in text.split()]
    pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    flags = re.IGNORECASE if ignore_case else 0
    return [(m.start(), m.end()) for m in re.finditer(pattern, body, flags)]


def apply_corrections(
    body: str,
    figures: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    corrections: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Figures and mentions of ``body`` after ``corrections`` (see the module docstring)."""
    figures = list(figures)
    mentions = [dict(m) for m in mentions]
    for correction in valid_corrections(corrections):
        if correction["action"] == FIGURE_ACTION:
            continue  # applied per article by the Extractor (figure_corrections)
        action, text, label = correction["action"], correction["text"], correction["label"]
        target = normalize(text)
        if action == "ignore":
            zones = occurrences(body, text, ignore_case=True)
            figures = [f for f in figures if not _in_zones(f, zones)]
            mentions = [m for m in mentions if not _in_zones(m, zones)]
        elif action == "reject":
            mentions = [
                m
                for m in mentions
                if not (normalize(m["text"]) == target and (label is None or m["label"] == label))
            ]
        elif action == "relabel":
            for mention in mentions:
                if normalize(mention["text"]) == target and mention["label"] != label:
                    mention.update(label=label, source="correction")
        else:
            spans = occurrences(body, text, ignore_case=False)
            mentions = [m for m in mentions if not _in_zones(m, spans)]
            mentions += [
                {"text": body[s:e], "start": s, "end": e, "label": label, "source": "correction"}
                for s, e in spans
            ]
    return figures, mentions


def _in_zones(span: dict[str, Any], zones: list[tuple[int, int]]) -> bool:
    return any(start < span["end"] and span["start"] < end for start, end in zones)
