"""The store's costs at 1k / 10k / 100k annotations, and the growth of a corrections import.

Rows, medians of several repetitions in one run:

* ``open + first read``: a new store and its first screen (``summary()`` and one article's
  annotations), against the floor ``orjson.loads`` of the same file (bar: ratio <= 3);
* ``add`` / ``update`` / ``delete`` with the default policy (small files rewritten whole, the
  journal from 1 MiB) and with the journal forced, each against the same operation at the
  smallest size (bar: ratio <= 2);
* ``compact``: one snapshot rewrite (paid every ``COMPACT_RATIO`` x snapshot bytes of journal),
  and the amortised cost per save that implies;
* ``export json``: against ``orjson.dumps`` of the same document (the one the export wrote,
  read back) plus the write (bar: ratio <= 1.5). The databases are laid out as Claimdesk writes
  its snapshot (in reading order); at the largest size a second row exports a file in the
  order its annotations were made, as TinyDB or an older Claimdesk wrote it, until Claimdesk
  first rewrites it;
* ``import corrections`` at 5k / 10k / 20k, with the growth ratio per doubling (bar: <= 2.2).

Run: ``.venv/bin/python benchmarks/bench_store.py [--sizes 1000,10000,100000]``.
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

from tui.core.annotations import records
from tui.core.annotations.anchors import current_states, select
from tui.core.annotations.database import COMPACT_RATIO
from tui.core.annotations.export import render_chunks
from tui.core.annotations.storage import fsync_dir
from tui.core.annotations.store import SCHEMA_VERSION, AnnotationStore, open_store
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


def make_db(path: Path, articles: list[Article], size: int, *, as_written: bool = True) -> None:
    """A database file holding ``size`` realistic annotations, written in one go: in the order
    claimdesk writes its snapshot (:func:`records.in_reading_order`), or with ``as_written``
    false in the order they were made (a file from TinyDB itself or from before Claimdesk
    first compacted it)."""
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
            "field": "body",
            "history": [],
        }
    meta = {"1": {"schema_version": SCHEMA_VERSION}}
    if as_written:
        table = records.in_reading_order(table)
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


def timed_ms(action: Callable[[], object]) -> float:
    """Wall time of one call of ``action`` in milliseconds."""
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


Row = tuple[str, float, float, str]
ROUNDS = 31
"""Round-robin rounds of each edit: every size and mode takes one turn per round, so disk
noise (fsync latency varies a lot on a shared machine) falls on all of them alike."""


def append_floor(path: Path) -> Callable[[], None]:
    """The floor of a journal save: append one 700-byte line and fsync it."""
    line = b"x" * 699 + b"\n"

    def append() -> None:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    return append


def edit_rows(dbs: dict[int, Path], article: Article, folder: Path) -> list[Row]:
    """Median add / update / delete per size and mode, interleaved round-robin."""
    at = article.body.index("HK$50 billion")
    stores = {
        (mode, size): open_store(db) if mode == "default" else AnnotationStore(db, journal_from=0)
        for size, db in dbs.items()
        for mode in ("default", "journal")
    }
    made: dict[tuple[str, int], list[str]] = {key: [] for key in stores}
    times: dict[tuple[str, str, int], list[float]] = {}

    def add(key: tuple[str, int]) -> None:
        record = stores[key].add(article, at, at + 13, tags=["x"], note="bench", author="b")
        made[key].append(record["id"])

    actions: dict[str, Callable[[tuple[str, int], int], object]] = {
        "add": lambda key, n: add(key),
        "update": lambda key, n: stores[key].update(made[key][n], note="edited"),
        "delete": lambda key, n: stores[key].delete(made[key][n]),
    }
    floor = append_floor(folder / "floor.journal")
    floor_times = []
    for op, action in actions.items():
        for n in range(ROUNDS + 1):  # round 0 warms up
            for key in stores:
                took = timed_ms(lambda: action(key, n))  # noqa: B023 - called at once
                if n:
                    times.setdefault((key[0], op, key[1]), []).append(took)
            floor_times.append(timed_ms(floor))
    rows: list[Row] = []
    smallest = min(dbs)
    for (mode, op, size), samples in sorted(
        times.items(), key=lambda i: (i[0][1], i[0][0], i[0][2])
    ):
        base = statistics.median(times[(mode, op, smallest)])
        rows.append(
            (
                f"{mode} {op} ({size:,})",
                statistics.median(samples),
                base,
                f"{mode} {op} at {smallest:,}",
            )
        )
    rows.append(("floor: append 700 B + fsync", statistics.median(floor_times), float("nan"), "-"))
    return rows


def size_rows(size: int, db: Path, articles: list[Article], max_size: int) -> list[Row]:
    """Open + first read, compaction and export at one size."""
    rows: list[Row] = []
    parse_ms = statistics.median(timed_ms(lambda: orjson.loads(db.read_bytes())) for _ in range(3))

    def first_screen() -> None:
        fresh = open_store(db)
        fresh.summary()
        fresh.annotations(articles[0].id)

    open_ms = statistics.median(timed_ms(first_screen) for _ in range(3))
    rows.append((f"open + first read ({size:,})", open_ms, parse_ms, "orjson.loads of the file"))
    article = articles[0]
    at = article.body.index("HK$50 billion")
    journaled = AnnotationStore(db, journal_from=0)

    def edit_and_compact() -> None:
        journaled.add(article, at, at + 13, author="b")
        journaled.compact()

    compact_ms = statistics.median(timed_ms(edit_and_compact) for _ in range(3))
    per_save = compact_ms / max(1.0, COMPACT_RATIO * db.stat().st_size / 700)
    rows.append((f"compact ({size:,})", compact_ms, float("nan"), "-"))
    rows.append((f"  amortised per 700 B save ({size:,})", per_save, float("nan"), "-"))

    rows.append(export_row(f"export json ({size:,})", db, articles))
    if size == max_size:
        unordered = db.with_name(f"unordered-{size}.json")
        make_db(unordered, articles, size, as_written=False)
        rows.append(export_row(f"  file in creation order ({size:,})", unordered, articles))
    return rows


def export_row(name: str, db: Path, articles: list[Article]) -> Row:
    """The JSON export of every annotation in ``db``, against its floor."""
    store = open_store(db)
    bodies: dict[str, str | None] = {a.id: a.body for a in articles}
    by_id = {a.id: a for a in articles}
    out = db.with_name("export.json")

    measured = current_states(store.annotations(), bodies, in_place=True)
    corrections = store.corrections()

    def export() -> None:  # records read and anchored once, as the floor's document is;
        with out.open("wb") as file:  # streamed to the file as ``claimdesk export`` does
            file.writelines(render_chunks("json", measured, by_id, corrections))

    export()
    document = orjson.loads(out.read_bytes())  # the same document: what the export wrote

    def export_floor() -> None:
        out.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))

    # in turns, so that the machine's drift during the run falls on both alike
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(7 if len(measured) <= 10_000 else 5):
        times[0].append(timed_ms(export))
        times[1].append(timed_ms(export_floor))
    export_ms, floor_ms = (statistics.median(side) for side in times)
    return (name, export_ms, floor_ms, "orjson.dumps + write")


def bench_corrections(folder: Path, sizes: tuple[int, ...] = (5_000, 10_000, 20_000)) -> list[Row]:
    """Importing ``n`` corrections into a new database, sizes interleaved round-robin; each
    row against the import of half as many."""
    batches = {
        size: [
            {"id": str(uuid4()), "action": "ignore", "text": f"Subscribe {n}",
             "created": "2026-11-22T20:00:00.000Z"}
            for n in range(size)
        ]
        for size in sizes
    }  # fmt: skip
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for _ in range(15):
        for size, corrections in batches.items():
            db = folder / f"corrections-{uuid4().hex}.json"
            times[size].append(timed_ms(lambda: open_store(db).merge([], corrections)))  # noqa: B023
    rows: list[Row] = []
    previous = float("nan")
    for size in sizes:
        ms = statistics.median(times[size])
        rows.append((f"import corrections ({size:,})", ms, previous, "half as many"))
        previous = ms
    return rows


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        folder = Path(tmp)
        articles = make_library(folder / "articles")
        dbs = {size: folder / f"annotations-{size}.json" for size in sizes}
        for size, db in dbs.items():
            make_db(db, articles, size)
        print(f"{'operation':<36} {'ms':>9} {'ref ms':>9} {'ratio':>6}  reference")
        for size, db in dbs.items():
            for row in size_rows(size, db, articles, max(sizes)):
                show(row)
        for row in edit_rows(dbs, articles[0], folder):
            show(row)
        for row in bench_corrections(folder):
            show(row)


def show(row: Row) -> None:
    """Print one row of the table."""
    name, ms, reference, what = row
    known = reference == reference
    ref_text = f"{reference:9.2f}" if known else f"{'-':>9}"
    ratio_text = f"{ms / reference:6.2f}" if known else f"{'-':>6}"
    print(f"{name:<36} {ms:9.2f} {ref_text} {ratio_text}  {what}", flush=True)


if __name__ == "__main__":
    main()
