"""Adapter for the peer figure scorer: ``text -> [{start, end, value, unit, text, kind}]``.

Run from the repository root (the scorer's README explains the files and options)::

    python3 ../shared/peer-suites/figures/score.py \
        --callable benchmarks/score_figures.py:extract --sys-path . \
        ../shared/peer-suites/figures/*.jsonl

Money predictions carry the ISO currency as ``unit``, percentages "%", and everything else
(counts, multipliers) is kind "other" so that each file scores only the kinds it specifies.
"""

from __future__ import annotations

from typing import Any

from tui.core.extract.figures import find_figures

_KINDS = {"MONEY": "money", "PERCENT": "percent"}


def extract(text: str) -> list[dict[str, Any]]:
    """Figures of ``text`` in the scorer's prediction format."""
    return [
        {
            "start": f["start"],
            "end": f["end"],
            "text": f["text"],
            "value": f["value"],
            "unit": f["currency"] or ("%" if f["label"] == "PERCENT" else f["unit"]),
            "kind": _KINDS.get(f["label"], "other"),
        }
        for f in find_figures(text)
    ]
