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

Minor units are translated here, and only here. Our figures store major units ("50 cents" is
0.5 USD, "45 Singapore cents" 0.45 SGD, "470 pence" 4.7 GBP) so that amounts compare and convert;
the peer suites give a minor-unit amount in the unit as written ("50 cents" is 50 "Cent"). A
money figure that is a bare number followed by a minor-unit marker of the extractor's own
vocabulary (:data:`tui.core.extract.currencies.SUFFIX_RE` with a divisor above 1 from
:func:`~tui.core.extract.currencies.suffix_currency`, or British "30p") is reported as the
number times that divisor, with the marker's noun in the singular as its unit ("cent", "pence",
"penny"). Compound amounts ("4 dollars 75 cents", "£3 and 10p") stay in major units.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.extract import currencies as cur  # noqa: E402
from tui.core.extract.figures import find_figures  # noqa: E402
from tui.core.extract.numbers import NUMBER_PATTERN, to_number  # noqa: E402

_KINDS = {"MONEY": "money", "PERCENT": "percent"}
_BARE_NUMBER_RE = re.compile(rf"[-−]?(?:{NUMBER_PATTERN}|an?)[\s-]*", re.IGNORECASE)
_PENCE_RE = re.compile(r"(?P<number>[\d.,]*\d)p")
_SINGULAR = {"cents": "cent", "pennies": "penny", "kopecks": "kopeck", "kopeks": "kopek"}


def minor_unit(figure: dict[str, Any]) -> tuple[int | float, str] | None:
    """(amount, unit) of a money figure written in a minor unit, as written ("50 cents": 50)."""
    text = figure["text"]
    if figure["label"] != "MONEY" or figure["high"] is not None:
        return None
    if _PENCE_RE.fullmatch(text):  # British "30p"
        divisor, noun = 100, "pence"
    else:
        found = list(cur.SUFFIX_RE.finditer(text))
        if len(found) != 1 or not _BARE_NUMBER_RE.fullmatch(text, 0, found[0].start()):
            return None  # "4 dollars 75 cents", "$3 and 50 cents": a compound in major units
        _, divisor, _ = cur.suffix_currency(found[0])
        words = found[0].group(0).lower().split()
        noun = words[-1].split("-")[-1] if words else ""
        noun = _SINGULAR.get(noun, noun)
    if divisor <= 1:
        return None
    return to_number(Decimal(str(figure["value"])) * divisor), noun


def extract(text: str) -> list[dict[str, Any]]:
    """Figures of ``text`` in the scorer's prediction format (minor units as written)."""
    predictions = []
    for f in find_figures(text):
        value, unit = f["value"], f["currency"] or ("%" if f["label"] == "PERCENT" else f["unit"])
        if written := minor_unit(f):
            value, unit = written
        predictions.append(
            {
                "start": f["start"],
                "end": f["end"],
                "text": f["text"],
                "value": value,
                "unit": unit,
                "kind": _KINDS.get(f["label"], "other"),
            }
        )
    return predictions


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
