"""Time to first screen of the reader, as a ratio to a minimal Textual app started the same way.

Each measurement is a fresh Python process that starts the app exactly as ``claimdesk`` does
(the library scan forked first, then ``tui.app.run_app``, headless at 120x40); it prints the
wall-clock time when its first frame is handed to the display ("first screen"), when the first
frame holding the rows of every article of the library with its claim count is ("listed": what
the user sees), and when the reader's article view and side panel are mounted too, every
worker is done and the app is idle ("ready"), and exits. Frames are noted the same way for every
subject, in ``App._display`` (which a headless app calls as a terminal one does and then skips
the write); a list drawn in the first frame is listed at the first screen.
Times are measured from just before the process is started, so interpreter start-up and
imports count. Each run of a subject comes right after a run of the minimal app, and a ratio
is the median of those paired ratios (the machine's speed drifts over seconds; a pair shares
it); the times shown are medians.

Python byte-code is compiled once into a private cache (``PYTHONPYCACHEPREFIX`` in the temp dir,
by one untimed start of each subject), for Textual and Claimdesk alike, as an installed package
has it; ``--no-bytecode`` measures with the environment's own settings instead (with
``PYTHONDONTWRITEBYTECODE=1`` every start then compiles Claimdesk's sources again).

    minimal    a Textual app with a Header, a Static and a Footer
    bundled    Claimdesk on the bundled library (./articles, or the seeds imported to a temp dir)
    10k        Claimdesk on a generated library of 10,000 articles (index warm: second start;
               "cold listed" is the very first start, which builds the library index)
    100k db    Claimdesk on the bundled library with a database of 100,000 annotations spread
               over its articles (the list needs counts, not every annotation; the database is
               written by this script, so "cold listed" is its first open by Claimdesk)

Bars (issue 11): first screen <= 1.3x minimal for bundled and 100k db; 10k listed <= 1.5x.

    python benchmarks/bench_startup.py [--runs 7] [--articles 10000] [--annotations 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SIZE = (120, 40)
LISTED_DRAWN: list[float] = []
"""When the list first rendered rows of the full library into a frame."""
FIRST_FRAME: list[float] = []
"""When the first frame went to the display."""
LISTED_FRAME: list[float] = []
"""When the first frame holding the listed rows went to the display."""


def watch_frames() -> None:
    """Note when frames are handed to the display (``App._display``, which a headless app
    calls as a terminal one does, then skips the write), the same way for every subject."""
    from textual.app import App

    display = App._display

    def displaying(app: App[Any], screen: Any, renderable: Any) -> None:
        if renderable is not None and not app._batch_count:  # what _display would write
            now = time.time()
            if not FIRST_FRAME:
                FIRST_FRAME.append(now)
            if LISTED_DRAWN and not LISTED_FRAME:  # its rows were rendered for this frame
                LISTED_FRAME.append(now)
        display(app, screen, renderable)

    App._display = displaying  # type: ignore[method-assign]


def child(kind: str, articles: str, db: str) -> None:
    """Run one subject headless; print when its first screen is up and when the list is full."""
    if kind == "minimal":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, Static

        class Minimal(App[object]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("hello")
                yield Footer()

        watch_frames()
        Minimal().run(headless=True, size=SIZE, auto_pilot=_report_when_ready)
        return
    sys.path.insert(0, str(REPO))
    from tui.core.articles.prescan import start_scan
    from tui.core.config import Settings

    settings = Settings.from_paths(Path(articles), Path(db))
    pending = start_scan(settings.articles_dir, settings.cache_dir)  # as ``claimdesk`` does:
    from tui.app import run_app  # the library is scanned in a fork while the app is imported
    from tui.widgets.library_list import LibraryList

    render_line = LibraryList.render_line

    def rendering(self: LibraryList, y: int) -> Any:  # the first frame with the listed rows
        if self.listed and self.metas and not LISTED_DRAWN:
            LISTED_DRAWN.append(time.time())
        return render_line(self, y)

    LibraryList.render_line = rendering  # type: ignore[method-assign]
    watch_frames()
    run_app(settings, pending, headless=True, size=SIZE, auto_pilot=_report_when_ready)


async def _report_when_ready(pilot: Pilot[object]) -> None:
    while not FIRST_FRAME:
        await asyncio.sleep(0.002)
    print("painted", FIRST_FRAME[0], flush=True)
    if pilot.app.__class__.__name__ == "ClaimdeskApp":
        while not LISTED_FRAME:  # scanned (in a fork or a worker thread), then drawn
            await asyncio.sleep(0.002)
        print("listed", LISTED_FRAME[0], flush=True)
    else:
        print("listed", FIRST_FRAME[0], flush=True)
    await pilot.app.workers.wait_for_complete()
    if pilot.app.__class__.__name__ == "ClaimdeskApp":
        reader: Any = pilot.app.screen
        while not reader.panels_ready:  # the article view and side panel, mounted after
            await asyncio.sleep(0.002)
    await pilot.pause()
    print("ready", time.time(), flush=True)
    pilot.app.exit()


def timed(
    kind: str, articles: Path, db: str | Path, env: dict[str, str]
) -> tuple[float, float, float]:
    """Seconds from starting a child process to its first screen, its full list drawn, and
    everything mounted and idle."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(articles), str(db)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    marks = dict(
        line.split()
        for line in result.stdout.splitlines()
        if line.startswith(("painted", "listed", "ready"))
    )
    painted, listed, ready = (float(marks[m]) - start for m in ("painted", "listed", "ready"))
    return painted, listed, ready


def bundled_library(tmp: Path) -> Path:
    """The repository's articles, or the seeds imported into a temporary library."""
    shipped = REPO / "articles"
    if shipped.is_dir() and any(shipped.glob("*.md")):
        return shipped
    target = tmp / "bundled"
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    claimdesk = Path(sys.executable).with_name("claimdesk")
    subprocess.run(
        [str(claimdesk), "--articles", str(target), "import", *seeds],
        check=True,
        capture_output=True,
    )
    return target


def generated_library(tmp: Path, count: int) -> Path:
    """``count`` small articles with figures, written as library files."""
    sys.path.insert(0, str(REPO))
    from tui.core.articles.library import ArticleMeta, write_article

    target = tmp / f"gen{count}"
    for i in range(count):
        body = (
            f"Report {i}\nCompany {i} raised HK${i % 90 + 1} billion and hired {i % 500 + 10} "
            f"engineers, a {i % 40 + 1}% rise.\nAnalysts expect growth to continue next year."
        )
        meta = ArticleMeta(id=f"report-{i:05d}", title=f"Report {i}", path=target, source="Bench")
        write_article(target, meta, body)
    return target


def annotated_db(tmp: Path, library: Path, size: int) -> Path:
    """A database of ``size`` annotations over ``library``'s articles (bench_store's records)."""
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_store import make_db

    from tui.core.articles.library import read_article

    articles = [read_article(path) for path in sorted(library.glob("*.md"))]
    path = tmp / f"annotations-{size}.json"
    make_db(path, [a for a in articles if len(a.body) > 100], size)
    return path


def main() -> None:
    """Measure and print a table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="no private byte-code cache: the environment decides (see above)",
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "ARTICLES", "DB"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as name:
        tmp = Path(name)
        env = {**os.environ, "CLAIMDESK_CACHE": str(tmp / "cache"), "TEXTUAL_ANIMATIONS": "none"}
        if not args.no_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        libraries = {
            "bundled": bundled_library(tmp),
            f"{args.articles // 1000}k": generated_library(tmp, args.articles),
        }
        db = tmp / "annotations.json"
        subjects = {name: (lib, db) for name, lib in libraries.items()}
        subjects[f"{args.annotations // 1000}k db"] = (
            libraries["bundled"],
            annotated_db(tmp, libraries["bundled"], args.annotations),
        )
        timed("minimal", tmp, db, env)  # untimed: compiles Textual's byte-code like the others
        cold = {name: timed("claimdesk", lib, path, env) for name, (lib, path) in subjects.items()}
        times: dict[str, list[tuple[float, float, float]]] = {
            "minimal": [],
            **{n: [] for n in subjects},
        }
        bases: dict[str, list[float]] = {n: [] for n in subjects}
        for _ in range(args.runs):
            for name, (lib, path) in subjects.items():  # each run paired with a minimal one
                times["minimal"].append(timed("minimal", tmp, db, env))
                bases[name].append(times["minimal"][-1][0])
                times[name].append(timed("claimdesk", lib, path, env))
        bases["minimal"] = [t[0] for t in times["minimal"]]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    code = "environment's settings" if args.no_bytecode else "compiled once, private cache"
    print(
        f"seconds from process start, {SIZE[0]}x{SIZE[1]} headless, median of {args.runs}; "
        "ratio: median of paired ratios to the minimal app"
    )
    print(f"  load average before: {load_before}; after: {load}; byte-code: {code}")
    print("  first screen: the first frame is drawn (a large library may still be loading)")
    print("  listed: the frame that shows every article in the list (with its claim count)")
    print("  ready: the article view and side panel mounted too, every worker done, idle")
    header = ("subject", "first screen", "ratio", "listed", "ratio", "ready", "cold listed")
    print(
        f"{header[0]:<10}{header[1]:>14}{header[2]:>7}{header[3]:>9}{header[4]:>7}"
        f"{header[5]:>8}{header[6]:>13}"
    )
    for name, values in times.items():
        painted, listed, ready = (statistics.median(t[i] for t in values) for i in range(3))
        ratios = [
            statistics.median(t[i] / base for t, base in zip(values, bases[name], strict=True))
            for i in range(2)
        ]
        first = f"{cold[name][1]:.3f}" if name in cold else "-"
        print(
            f"{name:<10}{painted:>14.3f}{ratios[0]:>7.2f}{listed:>9.3f}{ratios[1]:>7.2f}"
            f"{ready:>8.3f}{first:>13}"
        )


if __name__ == "__main__":
    main()
