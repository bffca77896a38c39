"""Growth with size, through the console script: each row times a command at one size and at
twice that size and prints the medians and their growth ratio (bar: <= 2.2 for 2x input).

Rows (each a fresh ``claimdesk`` process, as a user runs it; the two sizes run alternately so
both see the same machine load, and the ratio is the median of the per-pair ratios):

* ``annotations`` table at 25k vs 50k annotations (over 200 articles);
* ``list`` of 1,000 vs 2,000 articles, cold (new cache: the library index is built) and warm;
* ``export --format md`` / ``jsonl`` of 25k annotations over 1,000 articles vs 50k over 2,000;
* ``show --figures-only`` of a 250 KB vs a 500 KB article (cold cache: figures extracted);
* ``import-annotations`` of corrections 5k / 10k / 20k: the store's own row from
  ``bench_store.bench_corrections`` (in-process, no start-up), reused rather than duplicated.

``net`` is the ratio after subtracting the start-up floor (the same command on an empty library
and database; ``list`` for ``show``), the ratio that shows an algorithm's growth; ``raw``
includes start-up.

Run: ``.venv/bin/python benchmarks/bench_growth.py [--repeats 3] [--scale 1.0]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_store import PARAGRAPH, bench_corrections, make_db  # noqa: E402

from tui.core.articles.library import Article, ArticleMeta, read_article, write_article  # noqa: E402

CLAIMDESK = Path(sys.executable).with_name("claimdesk")
BAR = 2.2


def make_library(folder: Path, count: int, paragraphs: int = 8) -> list[Article]:
    """``count`` library articles of ``paragraphs`` paragraphs each, written as the importer
    writes them."""
    articles = []
    for number in range(count):
        body = "\n".join(f"{number}.{p} {PARAGRAPH}" for p in range(paragraphs))
        meta = ArticleMeta(f"article-{number:05d}", f"Article {number}", folder, source="Wire")
        articles.append(read_article(write_article(folder, meta, body)))
    return articles


def big_article(folder: Path, kilobytes: int) -> str:
    """One article of about ``kilobytes`` KB in its own library; its id."""
    paragraphs = kilobytes * 1024 // (len(PARAGRAPH) + 8)
    body = "\n".join(f"{p}. {PARAGRAPH}" for p in range(paragraphs))
    meta = ArticleMeta(f"long-{kilobytes}", f"Long read {kilobytes} KB", folder, source="Wire")
    write_article(folder, meta, body)
    return meta.id


def run_seconds(args: list[str], env: dict[str, str], fresh_cache: Path | None = None) -> float:
    """Wall seconds of one ``claimdesk`` process (output discarded, failure fatal)."""
    if fresh_cache is not None:
        shutil.rmtree(fresh_cache, ignore_errors=True)
    began = time.perf_counter()
    subprocess.run([str(CLAIMDESK), *args], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)  # fmt: skip
    return time.perf_counter() - began


def pair(small: list[str], large: list[str], env: dict[str, str], repeats: int,
         cache: Path | None = None) -> tuple[float, float, float, float]:  # fmt: skip
    """Medians of the two commands run alternately; their raw ratio and net ratio (start-up
    floor subtracted: the same command on an empty library and database, measured in the same
    rounds)."""
    floor_args = ["--articles", env["BENCH_EMPTY"], "--db", env["BENCH_EMPTY_DB"], *small[4:]]
    if floor_args[4] == "show":
        floor_args = [*floor_args[:4], "list"]  # an empty library has nothing to show
    smalls, larges, floors = [], [], []
    for _ in range(repeats):
        floors.append(run_seconds(floor_args, env))
        smalls.append(run_seconds(small, env, cache))
        larges.append(run_seconds(large, env, cache))
    floor = statistics.median(floors)
    s, big = statistics.median(smalls), statistics.median(larges)
    raw = statistics.median(b / a for a, b in zip(smalls, larges, strict=True))
    net = (big - floor) / max(s - floor, 1e-3)
    return s, big, raw, net


def show(name: str, sizes: str, result: tuple[float, float, float, float]) -> None:
    small, large, raw, net = result
    verdict = "ok" if net <= BAR else "OVER BAR"
    print(f"{name:<34} {sizes:<18} {small:8.2f} {large:8.2f} {raw:6.2f} {net:6.2f}  {verdict}",
          flush=True)  # fmt: skip


def main() -> None:
    """Build the inputs, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    args = parser.parse_args()
    k = args.scale
    with tempfile.TemporaryDirectory(prefix="claimdesk-growth-") as name:
        tmp = Path(name)
        (tmp / "empty").mkdir()
        (tmp / "config.toml").write_text("")
        env = {
            **os.environ,
            "CLAIMDESK_CONFIG": str(tmp / "config.toml"),
            "NO_COLOR": "1",
            "CLAIMDESK_CACHE": str(tmp / "cache"),
            "COLUMNS": "120",
            "BENCH_EMPTY": str(tmp / "empty"),
            "BENCH_EMPTY_DB": str(tmp / "empty.json"),
        }
        n1, n2 = int(1000 * k), int(2000 * k)
        a1, a2 = int(25_000 * k), int(50_000 * k)
        libs = {n: tmp / f"lib{n}" for n in (200, n1, n2)}
        articles = {n: make_library(path, n) for n, path in libs.items()}
        dbs = {}
        for label, lib_size, size in (("t25", 200, a1), ("t50", 200, a2), ("e1", n1, a1),
                                      ("e2", n2, a2)):  # fmt: skip
            dbs[label] = tmp / f"{label}.json"
            make_db(dbs[label], articles[lib_size], size)

        def cli(lib: Path, db: Path, *rest: str) -> list[str]:
            return ["--articles", str(lib), "--db", str(db), *rest]

        print(f"claimdesk processes, median of {args.repeats}; seconds; growth for 2x input")
        print(f"{'command':<34} {'sizes':<18} {'small':>8} {'large':>8} {'raw':>6} {'net':>6}")
        for warm_up in (cli(libs[200], dbs["t25"], "list"), cli(libs[200], dbs["t50"], "list")):
            run_seconds(warm_up, env)  # the 200-article index, so the rows time the table
        show("annotations (table)", f"{a1:,} vs {a2:,}",
             pair(cli(libs[200], dbs["t25"], "annotations"),
                  cli(libs[200], dbs["t50"], "annotations"), env, args.repeats))  # fmt: skip
        empty_db = tmp / "none.json"
        cache = Path(env["CLAIMDESK_CACHE"])
        show("list cold (index built)", f"{n1:,} vs {n2:,} art.",
             pair(cli(libs[n1], empty_db, "list"), cli(libs[n2], empty_db, "list"), env,
                  args.repeats, cache))  # fmt: skip
        run_seconds(cli(libs[n1], empty_db, "list"), env)
        run_seconds(cli(libs[n2], empty_db, "list"), env)
        show("list warm", f"{n1:,} vs {n2:,} art.",
             pair(cli(libs[n1], empty_db, "list"), cli(libs[n2], empty_db, "list"), env,
                  args.repeats))  # fmt: skip
        for fmt in ("md", "jsonl"):
            out = tmp / f"out.{fmt}"
            show(f"export --format {fmt}", f"{a1 // 1000}k/{n1} vs {a2 // 1000}k/{n2}",
                 pair(cli(libs[n1], dbs["e1"], "export", "--format", fmt, "-o", str(out)),
                      cli(libs[n2], dbs["e2"], "export", "--format", fmt, "-o", str(out)),
                      env, args.repeats))  # fmt: skip
        long_lib = tmp / "long"
        small_id, large_id = (
            big_article(long_lib, int(250 * k)),
            big_article(long_lib, int(500 * k)),
        )
        show("show --figures-only (cold)", f"{int(250 * k)} vs {int(500 * k)} KB",
             pair(cli(long_lib, empty_db, "show", small_id, "--figures-only"),
                  cli(long_lib, empty_db, "show", large_id, "--figures-only"), env,
                  args.repeats, cache))  # fmt: skip
        print("\nimport-annotations of corrections (bench_store.bench_corrections, in-process)")
        for label, ms, reference, _ in bench_corrections(tmp):
            growth = f"{ms / reference:5.2f}" if reference == reference else "    -"
            print(f"  {label:<32} {ms:9.1f} ms   growth {growth}")


if __name__ == "__main__":
    main()
