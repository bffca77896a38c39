"""Extraction speed: figures-only MB/s, full extraction words/s, cold vs warm cache, overhead.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_extract.py [--articles 1000] [--repeat 3]

Prints one table of medians. The library is generated deterministically from the two seed
articles (paragraphs shuffled, numbers varied) so every run measures the same text. "Overhead"
is our full extraction (figures, entities, grouping, corrections, no cache) divided by raw spaCy
``nlp.pipe`` over the same texts with the same loaded pipeline, runs interleaved.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.extract import Extractor  # noqa: E402
from tui.core.extract.entities import load_pipeline  # noqa: E402
from tui.core.extract.figures import find_figures  # noqa: E402
from tui.core.text import canonicalize  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "extract_seeds"
CORRECTIONS = [
    {"action": "reject", "text": "AI", "label": "GPE"},
    {"action": "add", "text": "OASES", "label": "ORG"},
    {"action": "ignore", "text": "Subscribe"},
]


def library(count: int, paragraphs_per_article: int = 4) -> list[str]:
    """``count`` distinct article bodies built from the seed paragraphs."""
    rng = random.Random(1234)
    paragraphs = [
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in canonicalize(path.read_text(encoding="utf-8")).split("\n")
        if len(line.split()) > 12
    ]
    bodies = []
    for index in range(count):
        chosen = rng.sample(paragraphs, min(paragraphs_per_article, len(paragraphs)))
        extra = (
            f"Officials said {rng.randint(2, 900)} firms pledged HK${rng.randint(1, 99)} billion."
        )
        bodies.append("\n".join([f"Report {index}", *chosen, extra]))
    return bodies


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def median_of(repeat: int, func: Callable[[], object]) -> float:
    return statistics.median(timed(func) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bodies = library(args.articles)
    text = "\n".join(bodies)
    megabytes = len(text.encode()) / 1e6
    words = sum(len(b.split()) for b in bodies)
    rows: list[tuple[str, str, str]] = []

    seconds = median_of(args.repeat, lambda: [find_figures(b) for b in bodies])
    rows.append(
        (
            "figures only",
            f"{megabytes / seconds:.2f} MB/s",
            f"{megabytes:.2f} MB in {seconds:.3f} s",
        )
    )

    pipeline = load_pipeline(None)
    if pipeline.nlp is None:
        print(pipeline.notice)
        raise SystemExit(1)
    nlp = pipeline.nlp
    extractor = Extractor(None, CORRECTIONS)
    list(extractor.extract_many(bodies[:20]))  # warm up both paths once
    raw_times, our_times = [], []
    for _ in range(args.repeat):
        raw_times.append(timed(lambda: [d.ents for d in nlp.pipe(bodies, batch_size=64)]))
        our_times.append(timed(lambda: list(extractor.extract_many(bodies, batch_size=64))))
    raw, ours = statistics.median(raw_times), statistics.median(our_times)
    rows.append(
        ("raw spaCy nlp.pipe", f"{words / raw:,.0f} words/s", f"{raw:.2f} s ({pipeline.name})")
    )
    rows.append(("full extraction", f"{words / ours:,.0f} words/s", f"{ours:.2f} s"))
    rows.append(("overhead vs raw spaCy", f"{ours / raw:.3f}x", "aim <= 1.15x"))

    with tempfile.TemporaryDirectory() as cache:
        cold = timed(lambda: list(Extractor(Path(cache), CORRECTIONS).extract_many(bodies)))
        warm = median_of(
            args.repeat, lambda: list(Extractor(Path(cache), CORRECTIONS).extract_many(bodies))
        )
    rows.append(
        (
            f"cold cache, {len(bodies)} articles",
            f"{cold:.2f} s",
            f"{len(bodies) / cold:,.0f} articles/s",
        )
    )
    rows.append(
        (
            f"warm cache, {len(bodies)} articles",
            f"{warm:.3f} s",
            f"{cold / warm:,.0f}x faster than cold",
        )
    )

    print(f"{len(bodies)} generated articles, {words:,} words, median of {args.repeat}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")


if __name__ == "__main__":
    main()
