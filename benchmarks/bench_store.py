"""Time to add one annotation and to export, with 1k / 10k / 100k annotations in the file.

Each row sits next to its floor measured in the same run: for an add, ``orjson.dumps`` of the
same tables plus the atomic write of those bytes (temp file, fsync, replace, fsync of the
folder); for an export, ``orjson.dumps`` of the same export document plus writing it. The ratio
column is time / floor. Medians of several repetitions; run with ``python
benchmarks/bench_store.py [--sizes 1000,10000,100000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import orjson

from tui.core.annotations.anchors import current_states, select
from tui.core.annotations.export import to_json
from tui.core.annotations.records import FIELDS
from tui.core.annotations.storage import fsync_dir
from tui.core.annotations.store import SCHEMA_VERSION, open_store
from tui.core.articles.library import Article, ArticleMeta, read_article, write_article

PARAGRAPH = (
    "The government said it would invest HK$50 billion over the next 2.5 years, creating "
    "13,000 jobs in artificial intelligence, biotech and new energy, officials said on Monday."
)


def make_library(folder: Path, count: int = 20) -> list[Article]:
    """``count`` articles of 40 paragraphs each."""
    articles = []
    for number in range(count):
        body = "\n".join(f"{number}.{p} {PARAGRAPH}" for p in range(40))
        meta = ArticleMeta(f"article-{number}", f"Article {number}", folder, url=None)
        articles.append(read_article(write_article(folder, meta, body)))
    return articles


def make_db(path: Path, articles: list[Article], size: int) -> None:
    """A database file holding ``size`` realistic annotations, written in one go."""
    table = {}
    for number in range(size):
        article = articles[number % len(articles)]
        start = (number * 97) % (len(article.body) - 60)
        table[str(number + 1)] = {
            "id": str(uuid4()),
            "article_id": article.id,
            "kind": "claim",
            **select(article.body, start, start + 40),
            "sha256": article.sha256,
            "tags": ["investment", "jobs", f"t{number % 50}"],
            "note": "Check the 2.5-year horizon against the budget speech.",
            "status": "unverified",
            "figure": None,
            "anchor_state": "anchored",
            "created": "2026-11-22T20:00:00.000Z",
            "modified": "2026-11-22T20:00:00.000Z",
            "author": "bench",
        }
    meta = {"1": {"schema_version": SCHEMA_VERSION}}
    path.write_bytes(orjson.dumps({"annotations": table, "corrections": {}, "_meta": meta}))


def atomic_write(path: Path, payload: bytes) -> None:
    """The floor's write: temp file, fsync, replace, fsync the folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".floor.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def median_ms(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def bench(size: int, folder: Path, articles: list[Article]) -> list[tuple[str, float, float]]:
    """Rows (operation, ms, floor ms) for one database size."""
    db = folder / f"annotations-{size}.json"
    make_db(db, articles, size)
    repeats = 15 if size <= 10_000 else 5
    began = time.perf_counter()
    store = open_store(db)
    store.annotations()
    open_ms = (time.perf_counter() - began) * 1000
    article = articles[0]
    at = article.body.index("HK$50 billion")
    store.add(article, at, at + 13, author="bench")  # warm the caches once

    def add() -> None:
        store.add(article, at, at + 13, tags=["investment"], note="bench", author="bench")

    add_ms = median_ms(add, repeats)
    tables = store.db.storage.read()  # the same cached tables the store saves
    floor_file = folder / "floor.json"
    add_floor = median_ms(lambda: atomic_write(floor_file, orjson.dumps(tables)), repeats)

    bodies: dict[str, str | None] = {a.id: a.body for a in articles}
    by_id = {a.id: a for a in articles}
    out = folder / "export.json"

    def export() -> None:
        records = current_states(store.annotations(), bodies, in_place=True)
        out.write_text(to_json(records, by_id, store.corrections()), encoding="utf-8")

    export_repeats = 5 if size <= 10_000 else 3
    export_ms = median_ms(export, export_repeats)
    document = {
        "format": "claimdesk", "version": 1, "exported_at": "2026-11-22T20:00:00Z",
        "articles": [], "corrections": [],
        "annotations": [{k: a[k] for k in FIELDS} for a in store.annotations()],
    }  # fmt: skip

    def export_floor() -> None:
        out.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))

    export_floor_ms = median_ms(export_floor, export_repeats)
    return [
        (f"open + first read ({size:,})", open_ms, float("nan")),
        (f"add one annotation ({size:,})", add_ms, add_floor),
        (f"export json ({size:,})", export_ms, export_floor_ms),
    ]


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        folder = Path(tmp)
        articles = make_library(folder / "articles")
        print(f"{'operation':<34} {'ms':>10} {'floor ms':>10} {'ratio':>7}")
        for size in sizes:
            for name, ms, floor in bench(size, folder, articles):
                ratio = ms / floor if floor == floor else float("nan")
                floor_text = f"{floor:10.1f}" if floor == floor else f"{'-':>10}"
                ratio_text = f"{ratio:7.2f}" if ratio == ratio else f"{'-':>7}"
                print(f"{name:<34} {ms:10.1f} {floor_text} {ratio_text}", flush=True)


if __name__ == "__main__":
    main()
