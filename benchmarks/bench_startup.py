"""Time to first screen of the reader, as a ratio to a minimal Textual app started the same way.

Each measurement is a fresh Python process that builds the app, runs it headless at 120x40 and
exits as soon as the first screen is ready (Textual's auto-pilot starts after the first
refresh); wall time is measured around the whole process, so imports count. Runs of the three
subjects are interleaved and the medians compared:

    minimal    a Textual app with a Header, a Static and a Footer
    bundled    Claimdesk on the bundled library (./articles, or the seeds imported to a temp dir)
    10k        Claimdesk on a generated library of 10,000 articles (index warm: second start)

    python benchmarks/bench_startup.py [--runs 7] [--articles 10000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SIZE = (120, 40)


def child(kind: str, articles: str, db: str) -> None:
    """Run one subject headless and exit once its first screen is up."""
    from textual.app import App

    app: App[object]
    if kind == "minimal":
        from textual.app import ComposeResult
        from textual.widgets import Footer, Header, Static

        class Minimal(App[object]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("hello")
                yield Footer()

        app = Minimal()
        app.run(headless=True, size=SIZE, auto_pilot=_exit_when_ready)
        return
    sys.path.insert(0, str(REPO))
    from tui.app import make_app
    from tui.core.config import Settings

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        app = make_app(Settings.from_paths(Path(articles), Path(db)), pool)
        app.run(headless=True, size=SIZE, auto_pilot=_exit_when_ready)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


async def _exit_when_ready(pilot: Pilot[object]) -> None:
    await pilot.pause()  # the first screen's messages are processed and it is painted
    pilot.app.exit()


def timed(kind: str, articles: Path, db: Path, env: dict[str, str]) -> float:
    """Wall seconds of one child process."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--child", kind, str(articles), str(db)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def bundled_library(tmp: Path) -> Path:
    """The repository's articles, or the seeds imported into a temporary library."""
    shipped = REPO / "articles"
    if shipped.is_dir() and any(shipped.glob("*.md")):
        return shipped
    target = tmp / "bundled"
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    claimdesk = Path(sys.executable).with_name("claimdesk")
    subprocess.run(
        [str(claimdesk), "--articles", str(target), "import", *seeds], check=True, capture_output=True
    )
    return target


def generated_library(tmp: Path, count: int) -> Path:
    """``count`` small articles with figures, written as library files."""
    sys.path.insert(0, str(REPO))
    from tui.core.articles import ArticleMeta, write_article

    target = tmp / f"gen{count}"
    for i in range(count):
        body = (
            f"Report {i}\nCompany {i} raised HK${i % 90 + 1} billion and hired {i % 500 + 10} "
            f"engineers, a {i % 40 + 1}% rise.\nAnalysts expect growth to continue next year."
        )
        meta = ArticleMeta(id=f"report-{i:05d}", title=f"Report {i}", path=target, source="Bench")
        write_article(target, meta, body)
    return target


def main() -> None:
    """Measure and print a table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "ARTICLES", "DB"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as name:
        tmp = Path(name)
        env = {**os.environ, "CLAIMDESK_CACHE": str(tmp / "cache"), "TEXTUAL_ANIMATIONS": "none"}
        libraries = {
            "bundled": bundled_library(tmp),
            f"{args.articles // 1000}k": generated_library(tmp, args.articles),
        }
        db = tmp / "annotations.json"
        cold = {name: timed("claimdesk", lib, db, env) for name, lib in libraries.items()}
        times: dict[str, list[float]] = {"minimal": [], **{name: [] for name in libraries}}
        for _ in range(args.runs):
            times["minimal"].append(timed("minimal", tmp, db, env))
            for name, lib in libraries.items():
                times[name].append(timed("claimdesk", lib, db, env))
    base = statistics.median(times["minimal"])
    print(f"time to first screen, {SIZE[0]}x{SIZE[1]} headless, median of {args.runs} (seconds)")
    print(f"{'subject':<12}{'median':>9}{'min':>9}{'max':>9}{'ratio':>8}{'first start':>13}")
    for name, values in times.items():
        first = f"{cold[name]:.3f}" if name in cold else "-"
        print(
            f"{name:<12}{statistics.median(values):>9.3f}{min(values):>9.3f}{max(values):>9.3f}"
            f"{statistics.median(values) / base:>8.2f}{first:>13}"
        )


if __name__ == "__main__":
    main()
