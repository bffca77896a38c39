"""Extraction speed: figures-only MB/s, full extraction words/s, cold vs warm cache, overhead.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_extract.py [--articles 1000] [--repeat 3] [--figures-only]

``--figures-only`` measures the figure rules alone (no spaCy). Their row gives wall-clock MB/s
(median) and CPU MB/s (best run, less disturbed by other work on a shared machine); the aim is
5 MB/s. Figures are measured with the article context of a publication (currency evidence on).

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
from tui.core.extract.figure_context import FigureContext  # noqa: E402
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
    parser.add_argument("--figures-only", action="store_true", help="Skip the spaCy rows.")
    args = parser.parse_args()
    bodies = library(args.articles)
    text = "\n".join(bodies)
    megabytes = len(text.encode()) / 1e6
    words = sum(len(b.split()) for b in bodies)
    rows: list[tuple[str, str, str]] = []

    context = FigureContext(source="The Straits Times")
    wall, cpu = [], []
    for _ in range(max(args.repeat, 5)):
        started, started_cpu = time.perf_counter(), time.process_time()
        for body in bodies:
            find_figures(body, context)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    seconds = statistics.median(wall)
    rows.append(
        (
            "figures only",
            f"{megabytes / seconds:.2f} MB/s",
            f"{megabytes:.2f} MB in {seconds:.3f} s; CPU best {megabytes / min(cpu):.2f} MB/s "
            "(aim >= 5)",
        )
    )
    if args.figures_only:
        _print(rows, len(bodies), words, args.repeat)
        return

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

    _print(rows, len(bodies), words, args.repeat)


def _print(rows: list[tuple[str, str, str]], articles: int, words: int, repeat: int) -> None:
    print(f"{articles} generated articles, {words:,} words, median of {repeat}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")


if __name__ == "__main__":
    main()
