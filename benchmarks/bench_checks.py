"""Figure checks speed: ``claimdesk check`` over a generated library with a warm extraction cache.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_checks.py [--articles 1000] [--repeat 5]

The library is generated deterministically (short business stories from many markets, with
conversions, changes, headline figures and one company's figures repeated across articles), its
extraction cache is warmed once with the NLP pipeline, and then each step is timed ``--repeat``
times and the medians printed:

* ``inputs``: read every article, cached extraction, figures of every field (what ``check``
  needs before checking when its own cache has nothing);
* ``checks, cold``: every kind over those inputs with an empty checks cache;
* ``check, cold checks cache``: what ``claimdesk check`` does (``check_workspace``) after the
  library was extracted but never checked;
* ``check, warm checks cache``: the same run again (the checks cache is keyed on the texts,
  corrections and versions, so no extraction is read at all).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.articles.library import ArticleMeta, write_article  # noqa: E402
from tui.core.checks import CheckContext, run_checks  # noqa: E402
from tui.core.checks.prepare import check_workspace, workspace_inputs  # noqa: E402
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

        def cold_checks() -> None:
            shutil.rmtree(checks_dir, ignore_errors=True)
            run_checks(warm_inputs, context, home / "cache")

        def command(cold: bool) -> Callable[[], object]:
            def run() -> None:
                if cold:
                    shutil.rmtree(checks_dir, ignore_errors=True)
                check_workspace(_workspace(settings), context)

            return run

        inputs_time = median_seconds(lambda: workspace_inputs(_workspace(settings)), args.repeat)
        cold_time = median_seconds(cold_checks, args.repeat)
        total_cold = median_seconds(command(cold=True), args.repeat)
        total_warm = median_seconds(command(cold=False), args.repeat)
        findings, _ = check_workspace(_workspace(settings), context)
        kinds: dict[str, int] = {}
        for finding in findings:
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1

    n = args.articles
    print(f"figure checks over {n} generated articles (median of {args.repeat}; bar: total < 2 s)")
    print(f"{'step':<34}{'seconds':>10}{'ms/article':>12}{'× bar':>8}")
    rows = [
        ("warm-up extraction (once, model)", warm),
        ("inputs (warm extraction cache)", inputs_time),
        ("checks, cold checks cache", cold_time),
        ("check, cold checks cache", total_cold),
        ("check, warm checks cache", total_warm),
    ]
    for name, seconds in rows:
        print(f"{name:<34}{seconds:>10.3f}{seconds / n * 1000:>12.3f}{seconds / 2:>8.2f}")
    print("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


def _workspace(settings: Settings) -> Workspace:
    return Workspace(settings)


if __name__ == "__main__":
    main()
