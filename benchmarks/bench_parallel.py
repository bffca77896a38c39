"""Corpus extraction on every core: words/s of one process vs the worker pool, in process and
through the real CLI, and the peak memory of each worker as the corpus grows.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_parallel.py [--docs 1000] [--repeat 3] [--jobs N]
        [--memory-docs 1000,20000] [--skip-memory] [--skip-cli]

Corpus: ``--docs`` generated articles of about 190 words (default 1,000, about 190,000 words: a
small archive; real ones hold tens of thousands of articles). Every fixed cost (starting
Python, loading the pipeline, starting workers) is paid once per run, so a larger corpus
amortises it; run ``--docs 600`` (the earlier default) to see a smaller one.

Speed, in process: full extraction (figures, the small English pipeline, grouping,
corrections, no cache) of the same articles by ``map_batches`` with 1 job and with ``--jobs``
workers, the pipeline loaded in this process before timing; the pool's start-up (starting
workers; forked on Linux, so they share that pipeline) is included. Bar: >= 1.6x on 2 cores.

Speed, CLI end to end: ``claimdesk extract corpus.jsonl -o out.jsonl -j 1`` against ``-j N``,
each a fresh process with a fresh cache folder, so both pay starting Python, the imports, the
pipeline load, reading and writing JSON lines and the cache: what a user sees. The two outputs
must be the same bytes. Same bar.

All speed runs are interleaved (one, pool, CLI one, CLI pool, repeated) and medians reported.

Control: the same ratio for processes that only spin (pure CPU, nothing shared, start-up
included), measured before and after. On idle cores it is close to the core count; near 1x the
machine had no free core and the extraction ratios above say nothing about the code.

Memory: short generated news items in which every item brings new names (new strings for
spaCy's vocabulary, as a real archive does); each worker reports its own peak RSS
(``ru_maxrss``, which counts pages shared with the parent) with every batch. Bar: the largest
worker peak at the biggest corpus within 20% of the smallest corpus's.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
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


CLAIMDESK = Path(sys.executable).with_name("claimdesk")


@dataclass(frozen=True)
class CliRun:
    """One ``claimdesk extract`` of the corpus in a fresh process."""

    seconds: float
    cpu_seconds: float
    """CPU time of the command and its workers."""
    output: bytes


def cli_extract(folder: Path, corpus: Path, jobs: int, run: int) -> CliRun:
    """``claimdesk extract corpus -o out -j jobs`` with its own empty library, database and
    cache folder (nothing cached from an earlier run)."""
    out = folder / f"out-{jobs}-{run}.jsonl"
    command = [
        str(CLAIMDESK),
        "--articles",
        str(folder / "articles"),
        "--db",
        str(folder / "db.json"),
        "extract",
        str(corpus),
        "-o",
        str(out),
        "-j",
        str(jobs),
    ]
    environment = {**os.environ, "CLAIMDESK_CACHE": str(folder / f"cache-{jobs}-{run}")}
    cpu_before = cpu_of(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    finished = subprocess.run(command, env=environment, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if finished.returncode != 0:
        raise SystemExit(f"claimdesk extract -j {jobs} failed: {finished.stderr.decode()}")
    cpu = cpu_of(resource.RUSAGE_CHILDREN) - cpu_before
    output = out.read_bytes()
    out.unlink()
    return CliRun(seconds, cpu, output)


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
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=all_cores())
    parser.add_argument("--memory-docs", default="1000,20000")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    if load_pipeline(None).nlp is None:
        raise SystemExit(load_pipeline(None).notice)

    load_before = os.getloadavg()[0]
    control_before = control_ratio(args.jobs)
    bodies = library(args.docs)
    words = sum(len(b.split()) for b in bodies)
    list(ExtractBatch(None, CORRECTIONS)(bodies[:20]))  # load the pipeline in this process
    folder = Path(tempfile.mkdtemp(prefix="bench-parallel-"))
    corpus = folder / "corpus.jsonl"
    corpus.write_bytes(
        b"".join(orjson.dumps({"id": f"a{i}", "text": b}) + b"\n" for i, b in enumerate(bodies))
    )
    ones: list[Run] = []
    pools: list[Run] = []
    cli_ones: list[CliRun] = []
    cli_pools: list[CliRun] = []
    for run in range(args.repeat):
        ones.append(extract_all(bodies, 1))
        pools.append(extract_all(bodies, args.jobs))
        if not args.skip_cli:
            cli_ones.append(cli_extract(folder, corpus, 1, run))
            cli_pools.append(cli_extract(folder, corpus, args.jobs, run))
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
    runs = [f"one {[round(r.seconds, 1) for r in ones]}"]
    runs.append(f"{args.jobs} workers {[round(r.seconds, 1) for r in pools]}")
    if cli_ones:
        cli_one = statistics.median(r.seconds for r in cli_ones)
        cli_every = statistics.median(r.seconds for r in cli_pools)
        cli_one_cpu = statistics.median(r.cpu_seconds for r in cli_ones)
        cli_pool_cpu = statistics.median(r.cpu_seconds for r in cli_pools)
        same = all(r.output == cli_ones[0].output for r in (*cli_ones, *cli_pools))
        rows += [
            (
                "CLI -j 1",
                f"{words / cli_one:,.0f} words/s",
                f"{cli_one:.1f} s wall, {cli_one_cpu:.1f} s CPU, fresh process",
            ),
            (
                f"CLI -j {args.jobs}",
                f"{words / cli_every:,.0f} words/s",
                f"{cli_every:.1f} s wall, {cli_pool_cpu:.1f} s CPU, fresh process",
            ),
            ("CLI ratio", f"{cli_one / cli_every:.2f}x", "bar >= 1.6x on 2 cores"),
            ("CLI outputs", "same bytes" if same else "DIFFERENT", f"-j 1 vs -j {args.jobs}"),
        ]
        runs.append(f"CLI -j 1 {[round(r.seconds, 1) for r in cli_ones]}")
        runs.append(f"CLI -j {args.jobs} {[round(r.seconds, 1) for r in cli_pools]}")
    print(f"{args.docs:,} generated articles, {words:,} words, median of {args.repeat}")
    print(f"all runs (s): {'; '.join(runs)}")

    if not args.skip_memory:
        sizes = [int(n) for n in args.memory_docs.split(",")]
        peaks = [worker_peak_mb(news_items(n), args.jobs) for n in sizes]
        for size, peak in zip(sizes, peaks, strict=True):
            rows.append((f"worker peak RSS, {size:,} items", f"{peak:,.0f} MB", ""))
        growth = peaks[-1] / peaks[0]
        rows.append(("peak growth", f"{growth:.2f}x", "bar <= 1.20x"))

    control_after = control_ratio(args.jobs)
    load_after = os.getloadavg()[0]
    print(
        f"load average (1 min): {load_before:.1f} at the start, {load_after:.1f} at the end, "
        f"on {all_cores()} cores (a shared machine?)"
    )
    rows.append(
        (
            "control: spinning processes",
            f"{control_before:.2f}x / {control_after:.2f}x",
            f"before / after; {args.jobs} vs 1; ~1x = no free core",
        )
    )
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
