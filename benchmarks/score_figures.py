"""Adapter for the peer figure scorer, and a quick figures-only speed and news-set report.

As the scorer's callable (``text -> [{start, end, value, unit, text, kind}]``), from the
repository root (the scorer's README explains the files and options)::

    python3 ../shared/peer-suites/figures/score.py \
        --callable benchmarks/score_figures.py:extract --sys-path . \
        ../shared/peer-suites/figures/*.jsonl

Money predictions carry the ISO currency as ``unit`` (or the currency name when the text does
not pin one down), percentages "%", and everything else (counts, multipliers) is kind "other" so
that each file scores only the kinds it specifies.

Run directly (``.venv/bin/python benchmarks/score_figures.py``) it prints figures-only
throughput on the generated benchmark library (no spaCy) and the scores on the news fixture and
on both halves of the world-news fixture (``tests/fixtures/news_figures_world.jsonl``).

Money whose currency the text leaves unknown is given to the scorer with its unit (or none):
this adapter passes no article context, as the peer suites have none.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.extract.figures import find_figures  # noqa: E402

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


def main(articles: int = 1000, repeat: int = 5) -> None:
    """Print figures-only MB/s (median of ``repeat``), the news-set and the world-set scores."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_extract import library

    from tests.core.test_figures_news import load_news, score
    from tests.core.test_figures_world import load_world, score_world

    bodies = library(articles)
    megabytes = sum(len(body.encode("utf-8")) for body in bodies) / 1e6
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for body in bodies:
            find_figures(body)
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    print(
        f"figures only   {megabytes / seconds:6.2f} MB/s   ({megabytes:.2f} MB in {seconds:.3f} s)"
    )
    scores, misses = score(load_news())
    print("news set       " + "  ".join(f"{name} {value:.3f}" for name, value in scores.items()))
    for miss in misses:
        print("  " + miss)
    for half in ("before", "after"):
        found, world_misses = score_world(load_world(half))
        print(f"world {half:<7}  " + "  ".join(f"{k} {v:.3f}" for k, v in found.items()))
        for miss in world_misses:
            print("  " + miss)


if __name__ == "__main__":
    main()
