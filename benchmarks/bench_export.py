"""Export speed, memory and growth: every format at 100k annotations, JSON against its floor,
Markdown and JSONL as the library grows.

Rows, medians of several runs, each beside its floor or its pair measured in the same run:

* ``json export``: ``current_states`` + the streamed JSON export written with
  ``fileio.write_export``; floor: ``orjson.dumps`` of the same document (built in memory
  beforehand) plus the same atomic write (temp file, fsync, replace, fsync folder).
* ``<fmt> export``: the same for every format (no floor; ms per 1k annotations shown).
* memory: the peak that the export adds while it runs (``tracemalloc``, the annotations already
  loaded, as the workspace has them), as a ratio to the database file's size; and the peak of
  loading the database file with orjson plus exporting, for scale.
* growth: Markdown and JSONL with 50k annotations over 200 and over 2,000 articles (ratio should
  stay ~1: the export groups once), and 25k vs 50k over 2,000 articles (ratio ≤ 2.2 for 2×).

Run: ``python benchmarks/bench_export.py [--size 100000] [--formats json,csv] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.annotations.anchors import current_states, select
from tui.core.annotations.exports import FORMATS, stream
from tui.core.articles.library import Article, ArticleMeta
from tui.core.fileio import atomic_write, write_export
from tui.core.text import sha256_text

PARAGRAPH = (
    "The government said it would invest HK$50 billion over the next 2.5 years, creating "
    "13,000 jobs in artificial intelligence, biotech and new energy, officials said on Monday."
)
STATUSES = ("unverified", "supported", "disputed", "false", "needs-source")


def make_articles(count: int, paragraphs: int = 40) -> dict[str, Article]:
    """``count`` articles in memory (no disk: the export reads nothing)."""
    articles = {}
    for number in range(count):
        body = "\n".join(f"{number}.{p} {PARAGRAPH}" for p in range(paragraphs))
        meta = ArticleMeta(f"article-{number}", f"Article {number}", Path("."),
                           source="Wire", url=f"https://example.com/news/{number}",
                           sha256=sha256_text(body))  # fmt: skip
        articles[meta.id] = Article(meta, body)
    return articles


def make_records(articles: dict[str, Article], size: int) -> list[dict[str, Any]]:
    """``size`` realistic stored annotations spread over ``articles``."""
    listed = list(articles.values())
    records = []
    for number in range(size):
        article = listed[number % len(listed)]
        start = (number * 97) % (len(article.body) - 60)
        figure = None
        if number % 4 == 0:
            figure = {"text": "HK$50 billion", "label": "MONEY", "value": 5e10,
                      "currency": "HKD", "unit": None, "qualifier": None}  # fmt: skip
        records.append(
            {
                "id": str(UUID(int=number + 1, version=4)),
                "article_id": article.id,
                "kind": "claim",
                **select(article.body, start, start + 40),
                "sha256": article.sha256,
                "tags": ["investment", "jobs", f"t{number % 50}"],
                "note": "Check the 2.5-year horizon against the budget speech.",
                "status": STATUSES[number % len(STATUSES)],
                "figure": figure,
                "anchor_state": "anchored",
                "created": "2026-11-22T20:00:00.000Z",
                "modified": "2026-11-22T20:00:00.000Z",
                "author": "bench",
                "field": "body",
                "history": [],
            }
        )
    return records


def db_bytes(records: list[dict[str, Any]]) -> bytes:
    """The TinyDB file those records would be stored in."""
    table = {str(n + 1): r for n, r in enumerate(records)}
    return orjson.dumps({"annotations": table, "corrections": {}, "_meta": {}})


def median_ms(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeats):
        gc.collect()
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def peak_bytes(action: Callable[[], object]) -> int:
    """Peak memory allocated while ``action`` runs, beyond what was allocated before."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def exporter(fmt: str, records: list[dict[str, Any]], articles: dict[str, Article],
             out: Path) -> Callable[[], object]:  # fmt: skip
    """One export as the workspace runs it: measure states (in place, on records fresh from the
    store), stream, write under the path policy."""
    bodies: dict[str, str | None] = {k: a.body for k, a in articles.items()}

    def run() -> Path:
        measured = current_states(records, bodies, in_place=True)  # a list the caller owns
        chunks = stream(fmt, measured, articles)
        return write_export(out, chunks, protected_files=set(), protected_dirs=set())

    return run


def paired(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[float, float, float]:
    """Medians of ``first`` and ``second`` run alternately (so both see the same machine load),
    and the median of the per-pair ratios first/second."""
    firsts, seconds = [], []
    for _ in range(repeats):
        seconds.append(median_ms(second, 1))
        firsts.append(median_ms(first, 1))
    ratios = [a / b for a, b in zip(firsts, seconds, strict=True)]
    return statistics.median(firsts), statistics.median(seconds), statistics.median(ratios)


def row(name: str, ms: float, other: float | None = None, note: str = "") -> None:
    ratio = f"{ms / other:7.2f}" if other else " " * 7
    other_text = f"{other:10.1f}" if other is not None else " " * 10
    print(f"{name:<44} {ms:10.1f} {other_text} {ratio}  {note}", flush=True)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-growth", action="store_true")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f in FORMATS]
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    articles = make_articles(20)
    records = make_records(articles, args.size)
    db = folder / "annotations.json"
    db.write_bytes(db_bytes(records))
    db_size = db.stat().st_size
    print(f"{args.size} annotations over {len(articles)} articles; database {db_size / 1e6:.1f} MB")
    print(f"{'operation':<44} {'ms':>10} {'floor/pair':>10} {'ratio':>7}")

    if "json" in formats:
        bodies: dict[str, str | None] = {k: a.body for k, a in articles.items()}
        measured = current_states(records, bodies)
        # the floor's document is the one the export writes (read back), articles included
        document = orjson.loads(b"".join(stream("json", measured, articles)))
        floor_path = folder / "floor.json"

        def floor() -> None:
            atomic_write(floor_path, orjson.dumps(document, option=orjson.OPT_INDENT_2))

        export = exporter("json", records, articles, folder / "out.json")
        export_ms, floor_ms, ratio = paired(export, floor, args.repeats)
        del document
        row("json export vs orjson.dumps + write", export_ms, floor_ms,
            f"median of paired ratios {ratio:.2f}")  # fmt: skip

    for fmt in formats:
        out = folder / f"out{FORMATS[fmt].extension}"
        run = exporter(fmt, records, articles, out)
        ms = median_ms(run, args.repeats)
        peak = peak_bytes(run)
        row(f"{fmt} export", ms, None,
            f"{ms / args.size * 1000:.1f} ms/1k; export peak {peak / 1e6:.1f} MB = "
            f"{peak / db_size:.2f}x db; file {out.stat().st_size / 1e6:.1f} MB")  # fmt: skip

    def load_and_export() -> None:
        loaded = orjson.loads(db.read_bytes())["annotations"]
        listed = list(loaded.values())
        del loaded
        exporter("json", listed, articles, folder / "whole.json")()

    if "json" in formats:
        whole = peak_bytes(load_and_export)
        print(
            f"load db with orjson + json export: peak {whole / 1e6:.1f} MB = "
            f"{whole / db_size:.2f}x db (the loaded records, not the export, dominate)"
        )

    if args.no_growth:
        return
    print("growth (Markdown and JSONL, group once)")
    few, many = make_articles(200, 8), make_articles(2000, 8)
    for fmt in ("md", "jsonl"):
        out = folder / f"growth{FORMATS[fmt].extension}"
        over_few = exporter(fmt, make_records(few, 50_000), few, out)
        over_many = exporter(fmt, make_records(many, 50_000), many, out)
        half = exporter(fmt, make_records(many, 25_000), many, out)
        many_ms, few_ms, ratio = paired(over_many, over_few, args.repeats)
        row(f"{fmt} 50k over 2,000 vs 200 articles", many_ms, few_ms,
            f"paired {ratio:.2f} (~1 expected)")  # fmt: skip
        many_ms, half_ms, ratio = paired(over_many, half, args.repeats)
        row(f"{fmt} 50k vs 25k over 2,000 articles", many_ms, half_ms,
            f"paired {ratio:.2f} (<= 2.2 for 2x)")  # fmt: skip
        del over_few, over_many, half


if __name__ == "__main__":
    main()
