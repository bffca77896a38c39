"""Corpus extraction on every core: words/s of one process vs the spawn pool, and the peak memory
of each worker as the corpus grows.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_parallel.py [--docs 600] [--repeat 3] [--jobs N]
        [--memory-docs 1000,20000] [--skip-memory]

Speed: full extraction (figures, the small English pipeline, grouping, corrections, no cache)
of the same generated articles, one process (``map_batches`` with 1 job, pipeline loaded
before timing) and ``--jobs`` spawn workers (start-up and pipeline loading included, so the
ratio is what a user sees), runs interleaved, medians. Bar: >= 1.6x on 2 cores.

Control: the same ratio for processes that only spin (pure CPU, nothing shared, start-up
included). On idle cores it is close to the core count; near 1x the machine had no free core
and the extraction ratio above says nothing about the code.

Memory: short generated news items in which every item brings new names (new strings for
spaCy's vocabulary, as a real archive does); each worker reports its own peak RSS
(``ru_maxrss``) with every batch. Bar: the largest worker peak at the biggest corpus within
20% of the smallest corpus's.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_extract import CORRECTIONS, library  # noqa: E402

from tui.core.extract.entities import load_pipeline  # noqa: E402
from tui.core.extract.parallel import (  # noqa: E402
    ExtractBatch,
    all_cores,
    batched,
    map_batches,
)

SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "to", "vu", "zel", "dra", "po", "ni", "que")
PLACES = ("Lagos", "Osaka", "Geneva", "Lima", "Hanoi", "Perth", "Quito", "Accra")


@dataclass(frozen=True)
class MeasuredBatch:
    """The extraction step, plus the worker's peak RSS in MB after the batch (``ru_maxrss``
    is in KiB on Linux)."""

    step: ExtractBatch

    def __call__(self, texts: Iterable[str]) -> tuple[int, float]:
        found = self.step(texts)
        return len(found), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def new_name(rng: random.Random) -> str:
    """A person's name nobody has used yet in this corpus (most of the time)."""
    first = "".join(rng.choice(SYLLABLES) for _ in range(2)).title()
    last = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
    return f"{first} {last}"


def news_items(count: int, seed: int = 7) -> list[str]:
    """Short items (about 45 words) with figures, places and ever-new people and companies."""
    rng = random.Random(seed)
    return [
        f"{new_name(rng)} of {new_name(rng).split()[1]} Holdings said in {rng.choice(PLACES)} on "
        f"Monday that revenue rose {rng.randint(1, 60)}% to ${rng.randint(2, 900)} million, "
        f"while {rng.randint(10, 9000):,} jobs were added. {new_name(rng)}, an analyst at "
        f"{new_name(rng).split()[0]} Capital, called the HK${rng.randint(1, 99)} billion plan "
        f"item {index} of the year."
        for index in range(count)
    ]


@dataclass(frozen=True)
class Run:
    """One timed extraction of the corpus."""

    seconds: float
    steady_words_per_s: float
    """Words/s after the first result arrived (the workers have loaded the pipeline)."""
    cpu_seconds: float
    """CPU time of the processes that did the work (this one, or the workers)."""


def cpu_of(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def extract_all(texts: list[str], jobs: int) -> Run:
    """Extract every text with ``jobs`` processes; the pool is shut down (its workers waited
    for) before returning, so their CPU time is in ``RUSAGE_CHILDREN``."""
    step = ExtractBatch(None, CORRECTIONS)
    batches = list(batched(texts, 32))
    who = resource.RUSAGE_SELF if jobs == 1 else resource.RUSAGE_CHILDREN
    cpu_before = cpu_of(who)
    start = time.perf_counter()
    first_at, later_words = 0.0, 0
    for index, _ in enumerate(map_batches(step, batches, jobs)):
        if index == 0:
            first_at = time.perf_counter()
        else:
            later_words += sum(len(t.split()) for t in batches[index])
    end = time.perf_counter()
    return Run(end - start, later_words / max(end - first_at, 1e-9), cpu_of(who) - cpu_before)


def worker_peak_mb(texts: list[str], jobs: int) -> float:
    """The largest peak RSS any worker reported while extracting ``texts``."""
    step = MeasuredBatch(ExtractBatch(None, CORRECTIONS))
    return max(peak for _, peak in map_batches(step, batched(texts, 32), jobs))


def spin(steps: int) -> int:
    """Pure CPU work with no shared state: the control for what the machine can run at once."""
    total = 0
    for i in range(steps):
        total += i
    return total


def control_ratio(jobs: int, steps: int = 10_000_000) -> float:
    """How much faster ``jobs`` spinning processes finish ``jobs`` units than one process does:
    about ``jobs`` on idle cores, about 1 when other work already fills them."""
    start = time.perf_counter()
    for _ in range(jobs):
        spin(steps)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    for _ in map_batches(_spin_batch, [[steps]] * jobs, jobs):
        pass
    return alone / (time.perf_counter() - start)


def _spin_batch(steps: list[int]) -> list[int]:
    return [spin(n) for n in steps]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=all_cores())
    parser.add_argument("--memory-docs", default="1000,20000")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if load_pipeline(None).nlp is None:
        raise SystemExit(load_pipeline(None).notice)

    load = os.getloadavg()[0]
    bodies = library(args.docs)
    words = sum(len(b.split()) for b in bodies)
    list(ExtractBatch(None, CORRECTIONS)(bodies[:20]))  # load the pipeline in this process
    ones, pools = [], []
    for _ in range(args.repeat):
        ones.append(extract_all(bodies, 1))
        pools.append(extract_all(bodies, args.jobs))
    one = statistics.median(r.seconds for r in ones)
    every = statistics.median(r.seconds for r in pools)
    steady_rate = statistics.median(r.steady_words_per_s for r in pools)
    one_cpu = statistics.median(r.cpu_seconds for r in ones)
    pool_cpu = statistics.median(r.cpu_seconds for r in pools)
    rows = [
        ("one process", f"{words / one:,.0f} words/s", f"{one:.1f} s wall, {one_cpu:.1f} s CPU"),
        (
            f"{args.jobs} workers",
            f"{words / every:,.0f} words/s",
            f"{every:.1f} s wall, {pool_cpu:.1f} s CPU, start-up incl.",
        ),
        ("ratio", f"{one / every:.2f}x", "bar >= 1.6x on 2 cores"),
        (f"{args.jobs} workers, steady", f"{steady_rate:,.0f} words/s", "after the first result"),
        ("steady ratio", f"{steady_rate / (words / one):.2f}x", "start-up excluded"),
        (
            "CPU per word, pool / one",
            f"{pool_cpu / one_cpu:.2f}x",
            f"the pool's extra work (start-up); {args.jobs} idle cores would give "
            f"{args.jobs * one_cpu / pool_cpu:.2f}x",
        ),
    ]
    one_times = [round(r.seconds, 1) for r in ones]
    all_times = [round(r.seconds, 1) for r in pools]
    print(f"{args.docs} generated articles, {words:,} words, median of {args.repeat}")
    print(f"all runs (s): one {one_times}, {args.jobs} workers {all_times}")
    print(f"load average at the start: {load:.1f} on {all_cores()} cores (a shared machine?)")

    if not args.skip_memory:
        sizes = [int(n) for n in args.memory_docs.split(",")]
        peaks = [worker_peak_mb(news_items(n), args.jobs) for n in sizes]
        for size, peak in zip(sizes, peaks, strict=True):
            rows.append((f"worker peak RSS, {size:,} items", f"{peak:,.0f} MB", ""))
        growth = peaks[-1] / peaks[0]
        rows.append(("peak growth", f"{growth:.2f}x", "bar <= 1.20x"))

    control = control_ratio(args.jobs)
    rows.append(
        ("control: spinning processes", f"{control:.2f}x", f"{args.jobs} vs 1; ~1x = no free core")
    )
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")


if __name__ == "__main__":
    main()
