"""Figures on world business news written for this project: AU, CA, SG, JP, UK, IN, euro area, NZ.

``fixtures/news_figures_world.jsonl`` holds sentences in the style of each region's press, with
the article context (publication title and/or URL) where the publication decides the currency.
Half "before" was written before the currency and form rules changed (the honest baseline), half
"after" once they had; both are scored here as a whole, never tuned string by string.

Measured when written: "before" (44 sentences, 76 figures) scored F1 0.878 and right value 0.605
on the rules of that day; "after" (34 sentences, 78 figures) first scored F1 1.000 and right value
0.987 (one "¥" decided by a city named in another paragraph, a class since fixed).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figures import find_figures

WORLD = Path(__file__).parents[1] / "fixtures" / "news_figures_world.jsonl"


def load_world(half: str | None = None) -> list[dict[str, Any]]:
    """The records (``{"id", "half", "text", "context"?, "figures"}``), optionally one half."""
    with WORLD.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if half is None or r["half"] == half]


def score_world(records: list[dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    """Span P/R/F1 (exact start, end, label) and right value (value and currency or unit)."""
    expected = found_total = matched = right = 0
    misses: list[str] = []
    for record in records:
        found = find_figures(record["text"], FigureContext(**record.get("context", {})))
        found_total += len(found)
        expected += len(record["figures"])
        by_span = {(f["start"], f["end"], f["label"]): f for f in found}
        gold = set()
        for figure in record["figures"]:
            key = (figure["start"], figure["end"], figure["label"])
            gold.add(key)
            hit = by_span.get(key)
            if hit is None:
                misses.append(f"{record['id']} missed {figure['text']!r}")
                continue
            matched += 1
            kind = "currency" if figure["label"] == "MONEY" else "unit"
            if (
                math.isclose(hit["value"], figure["value"], rel_tol=1e-6)
                and hit[kind] == figure[kind]
            ):
                right += 1
            else:
                misses.append(f"{record['id']} wrong {hit['text']!r}: {hit['value']} {hit[kind]}")
        misses += [
            f"{record['id']} spurious {f['text']!r}" for k, f in by_span.items() if k not in gold
        ]
    precision = matched / found_total if found_total else 1.0
    recall = matched / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "right_value": right / expected,
    }, misses


def test_world_fixture_is_consistent_and_large_enough() -> None:
    records = load_world()
    assert sum(len(r["figures"]) for r in records) >= 120
    assert {r["half"] for r in records} == {"before", "after"}
    for record in records:
        FigureContext(**record.get("context", {}))
        for figure in record["figures"]:
            assert record["text"][figure["start"] : figure["end"]] == figure["text"], record["id"]


@pytest.mark.parametrize("half", ["before", "after"])
def test_world_figures_meet_the_aim(half: str) -> None:
    """The issue's bar: F1 and right value (number and currency) >= 0.97 on each half."""
    scores, misses = score_world(load_world(half))
    assert scores["f1"] >= 0.97, misses
    assert scores["right_value"] >= 0.97, misses


if (
    __name__ == "__main__"
):  # print the scores and every miss: python tests/core/test_figures_world.py
    for name in ("before", "after"):
        result, problems = score_world(load_world(name))
        print(name, json.dumps({k: round(v, 3) for k, v in result.items()}), *problems, sep="\n")
