"""Figure checks speed: ``claimdesk check`` over a generated library with a warm extraction cache.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_checks.py [--articles 1000] [--repeat 5]

The library is generated deterministically (short business stories from many markets, with
conversions, changes, headline figures and one company's figures repeated across articles), its
extraction cache is warmed once with the NLP pipeline, and then each step is timed ``--repeat``
times, interleaved, and the medians printed with the machine's load average beside them.

The bar (issue 14: under 2 s over 1,000 articles with a warm extraction cache) is the row
``claimdesk check, first after extract``: the command as a user runs it, a fresh process
(interpreter start-up and imports count) with the extraction cache warm and the checks' own
cache empty, its JSON read from a pipe. Python byte-code is compiled once into a private cache
(``PYTHONPYCACHEPREFIX``, by one untimed run; ``PYTHONDONTWRITEBYTECODE`` is dropped for it), as
an installed package has it.

* ``claimdesk check, first after extract``: the bar (default workers: one per core);
* ``… --workers 1``: the same in one process (what a one-core machine gets);
* ``claimdesk check, checked before``: the same command again, the checks cache warm (the
  articles are read and hashed, nothing extracted);
* ``start-up: claimdesk check --help``: interpreter start-up and the check command's imports,
  the floor under the rows above;
* in-process steps (no start-up): ``inputs`` reads every article, the cached extraction and the
  figures of every field; ``checks over inputs`` runs every kind with no checks cache.

CPU seconds (user + system, workers included) are printed beside the wall time: on a shared
machine the wall time of the pooled run depends on how many cores are free.
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
from collections.abc import Callable
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.articles.library import ArticleMeta, write_article  # noqa: E402
from tui.core.checks import ArticleInput, CheckContext, run_checks  # noqa: E402
from tui.core.checks.prepare import workspace_inputs  # noqa: E402
from tui.core.config import Settings  # noqa: E402
from tui.core.workspace import Workspace  # noqa: E402

COMPANIES = [
    ("Qantas", "A$"), ("DBS Group", "S$"), ("Tesco", "£"), ("Siemens", "€"),
    ("Reliance Industries", "Rs "), ("Shopify", "C$"), ("The MTR Corporation", "HK$"),
    ("Samsung Electronics", "KRW "), ("Fonterra", "NZ$"), ("Petrobras", "R$"),
]  # fmt: skip
USD_PER_UNIT = {"A$": 0.66, "S$": 0.74, "£": 1.27, "€": 1.08, "C$": 0.73, "HK$": 0.128,
                "NZ$": 0.6, "R$": 0.18}  # fmt: skip
SENTENCES = [
    "{co} said revenue rose {pct}% to {cur}{new} billion from {cur}{old} billion.",
    "{co} will spend {cur}{amount} billion (US${usd} billion) on new plants.",
    "{co} said it employs about {staff:,} people across the region.",
    "The company has created {jobs:,} jobs since {year}, officials said.",
    "Analysts at a local broker expect margins to widen by {pp} percentage points.",
    "In a survey, {a}% of customers were satisfied and {b}% of customers were not.",
    "Shares in {co} fell {pct}% on Tuesday after the results.",
]


def library(directory: Path, count: int, seed: int = 14) -> None:
    """Write ``count`` generated articles into ``directory``."""
    rng = random.Random(seed)
    for index in range(count):
        co, cur = COMPANIES[index % len(COMPANIES)]
        old = rng.randint(10, 90)
        pct = rng.randint(2, 30)
        new = round(old * (1 + pct / 100) * rng.choice([1, 1, 1, 1.2]), 1)
        amount = rng.randint(2, 60)
        rate = USD_PER_UNIT.get(cur, 1.0) * rng.choice([1, 1, 1, 0.5])
        values = {
            "co": co, "cur": cur, "old": old, "new": new, "pct": pct, "amount": amount,
            "usd": round(amount * rate, 2), "staff": rng.randint(5, 50) * 1000,
            "jobs": rng.randint(1, 20) * 500, "year": rng.randint(2015, 2023),
            "pp": rng.randint(1, 5), "a": rng.randint(40, 70), "b": rng.randint(20, 60),
        }  # fmt: skip
        paragraphs = [
            " ".join(rng.sample(SENTENCES, 4)).format(**values),
            " ".join(rng.sample(SENTENCES, 3)).format(**values),
        ]
        headline = f"{co} to invest ${amount}B as revenue climbs {pct}%"
        meta = ArticleMeta(
            id=f"story-{index:04d}",
            title=headline,
            path=directory,
            source="Wire",
            published=f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}",
        )
        write_article(directory, meta, "\n".join(paragraphs))


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _command() -> list[str]:
    """How a user starts Claimdesk: the installed ``claimdesk`` script beside this Python."""
    script = Path(sys.executable).parent / "claimdesk"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tui.cli import main; main()"]


class Timed:
    """One command line timed in fresh processes: wall seconds and the children's CPU seconds."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], before: Callable[[], None]):
        self.name, self.argv, self.env, self.before = name, argv, env, before
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.output = ""

    def run(self) -> None:
        """Prepare (``before``), then start the command and wait for it; record its times."""
        self.before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(self.argv, env=self.env, capture_output=True, text=True, check=False)
        self.walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpus.append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(self.argv)} failed: {done.stderr.strip()}")
        self.output = done.stdout


def _load() -> str:
    """The 1/5/15-minute load averages (other work on the machine slows every row)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    """Generate, warm, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        library(home / "articles", args.articles)
        settings = Settings.from_paths(home / "articles", home / "db.json")
        settings = Settings(**{**vars(settings), "cache_dir": home / "cache"})
        started = time.perf_counter()
        warm_inputs, messages = workspace_inputs(_workspace(settings))
        warm = time.perf_counter() - started
        for message in messages:
            print(message, file=sys.stderr)
        checks_dir = home / "cache" / "checks"
        context = CheckContext()

        def forget_checks() -> None:
            shutil.rmtree(checks_dir, ignore_errors=True)

        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "CLAIMDESK_ARTICLES": str(home / "articles"),
            "CLAIMDESK_DB": str(home / "db.json"),
            "CLAIMDESK_CACHE": str(home / "cache"),
            "PYTHONPYCACHEPREFIX": str(home / "pycache"),
        }
        check = [*_command(), "check", "--json"]
        subjects = [
            Timed("claimdesk check, first after extract", check, env, forget_checks),
            Timed("… --workers 1", [*check, "--workers", "1"], env, forget_checks),
            Timed("claimdesk check, checked before", check, env, lambda: None),
            Timed("start-up: claimdesk check --help", [*check, "--help"], env, lambda: None),
        ]
        for subject in subjects:
            subject.run()  # untimed: compiles the byte-code, fills the page cache
            subject.walls.clear()
            subject.cpus.clear()
        for _ in range(args.repeat):
            for subject in subjects:
                subject.run()
        first, one, again = (orjson.loads(s.output) for s in subjects[:3])
        if not (first == one == again):
            raise SystemExit("the pooled, one-process and cached runs disagree")

        def cold_checks() -> None:
            fresh = [
                ArticleInput(a.fields, a.figures_by_field, a.entities_by_field) for a in warm_inputs
            ]
            run_checks(fresh, context, None)

        inputs_time = median_seconds(lambda: workspace_inputs(_workspace(settings)), args.repeat)
        checks_time = median_seconds(cold_checks, args.repeat)
        kinds: dict[str, int] = {}
        for finding in first:
            kinds[finding["kind"]] = kinds.get(finding["kind"], 0) + 1

    n = args.articles
    print(
        f"figure checks over {n} generated articles, median of {args.repeat} "
        f"(bar: the first check after extract < 2 s); cores {os.cpu_count()}, load {_load()}"
    )
    print(f"{'step':<40}{'wall s':>8}{'cpu s':>8}{'ms/article':>12}{'× bar':>8}")
    rows: list[tuple[str, float, float | None]] = [
        (s.name, statistics.median(s.walls), statistics.median(s.cpus)) for s in subjects
    ]
    rows += [
        ("in-process: inputs (warm extraction)", inputs_time, None),
        ("in-process: checks over inputs", checks_time, None),
        ("warm-up extraction (once, model)", warm, None),
    ]
    for name, seconds, cpu in rows:
        cpu_text = f"{cpu:>8.2f}" if cpu is not None else f"{'':>8}"
        print(f"{name:<40}{seconds:>8.3f}{cpu_text}{seconds / n * 1000:>12.3f}{seconds / 2:>8.2f}")
    print("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


def _workspace(settings: Settings) -> Workspace:
    return Workspace(settings)


if __name__ == "__main__":
    main()
