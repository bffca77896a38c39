"""``claimdesk extract`` (a corpus, JSON lines or Parquet, on every core or on Dask) and
``claimdesk index`` (the whole library into the extraction cache).

Both cut the input into batches and run :class:`~tui.core.extract.parallel.ExtractBatch` in
spawn worker processes (each loads the pipeline once), or on a Dask cluster with
``--dask ADDRESS`` / ``--dask local[:N]``. Output keeps the input order and is byte-identical
whichever way it ran. A progress bar (articles/s, ETA) is drawn on stderr when it is a terminal
and the output is not; piped runs print nothing extra. Ctrl-C stops cleanly with exit status
130: finished batches are written and cached, queued ones are dropped.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click
import orjson

from tui.cli.corpus_io import (
    JsonlSink,
    ParquetSink,
    Record,
    count_lines,
    is_parquet,
    jsonl_records,
    parquet_records,
    parquet_rows,
    parquet_schema,
    warn_problem,
)
from tui.cli.extraction import spans
from tui.cli.library import corrections_or_warn, scan_or_warn
from tui.cli.output import OUTPUT_PATH, UserError, is_stdout, safe, warn
from tui.core.articles.library import ArticleError, load_article
from tui.core.config import Settings
from tui.core.extract import Extraction, Extractor
from tui.core.extract.parallel import ExtractBatch, RecordFailure, all_cores, batched, map_batches

BATCH_SIZE = 32
"""Texts per worker task: large enough for ``nlp.pipe`` batching, small enough that Ctrl-C
waits at most one batch per worker."""

IN_PROCESS_BELOW = 256
"""Fewer texts than this run in this process: starting a worker (import spaCy, load the
pipeline) costs about 2 s, more than such an input takes on one core."""

INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


@dataclass(frozen=True)
class EntityJson:
    """A picklable batch step: each text's figures and entities as the compact JSON array that
    ``extract`` writes (so workers, not the client, do the formatting)."""

    extract: ExtractBatch

    def __call__(self, texts: Iterable[str]) -> list[EntityRow | RecordFailure]:
        """One :class:`EntityRow` (or failure) per text, in order."""
        return [
            found if isinstance(found, RecordFailure) else EntityRow.of(found)
            for found in self.extract(texts)
        ]


@dataclass(frozen=True)
class EntityRow:
    """What a worker sends back for one text."""

    json: bytes
    notice: str | None

    @classmethod
    def of(cls, extraction: Extraction) -> EntityRow:
        """The row for an extraction (its spans in reading order, documented fields only)."""
        return cls(orjson.dumps(spans(extraction)), extraction.notice)


def progress_wanted(output_is_file: bool) -> bool:
    """A bar only on a terminal, and never over records printed to that same terminal."""
    return sys.stderr.isatty() and (output_is_file or not sys.stdout.isatty())


@contextmanager
def progress(total: int | None, what: str, shown: bool) -> Iterator[Callable[[int], None]]:
    """An ``advance(n)`` callback drawing a Rich bar with rate and ETA on stderr, or nothing."""
    if not shown:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} {task.fields[unit]}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    console = Console(stderr=True, markup=False, highlight=False, emoji=False)
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(what, total=total, rate="-", unit=what)
        started = time.perf_counter()
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            elapsed = max(time.perf_counter() - started, 1e-6)
            bar.update(task, advance=n, rate=f"{done / elapsed:,.1f}")

        yield advance


def choose_jobs(jobs: int | None, texts: Iterator[str]) -> tuple[int, Iterator[str]]:
    """The worker count for this input (1 for a small one) and the texts, re-joined after the
    look-ahead that measured it."""
    wanted = jobs or all_cores()
    if wanted <= 1:
        return 1, texts
    head = [text for _, text in zip(range(IN_PROCESS_BELOW), texts, strict=False)]
    rest: Iterator[str] = iter(head) if len(head) < IN_PROCESS_BELOW else _chain(head, texts)
    return (1 if len(head) < IN_PROCESS_BELOW else wanted), rest


def _chain(head: list[str], tail: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from tail


def connect_or_fail(address: str, timeout: float) -> Any:
    """A Dask client, or a one-line error (extra missing, scheduler unreachable)."""
    from tui.core.extract.distributed import DaskUnavailable, connect

    try:
        return connect(address, timeout)
    except DaskUnavailable as exc:
        raise UserError(str(exc)) from None


def run_records(
    records: Iterator[Record],
    runner: Callable[[Iterator[str]], Iterator[list[Any]]],
    write: Callable[[Any, bytes], None],
    advance: Callable[[int], None],
    problem: Callable[[str], None],
) -> int:
    """Feed the records' texts through ``runner`` and write each result beside its record's id,
    in input order; returns how many were written. Failures are reported by position."""
    pending: deque[Record] = deque()
    noticed = False

    def texts() -> Iterator[str]:
        for record in records:
            pending.append(record)
            yield record.text

    written = 0
    failures = FailureLog(problem)
    for results in runner(texts()):
        for result in results:
            record = pending.popleft()
            if isinstance(result, RecordFailure):
                failures.report(record.where, result.message)
                continue
            if result.notice and not noticed:
                warn(result.notice)
                noticed = True
            write(record.id, result.json)
            written += 1
        advance(len(results))
    failures.summarise()
    return written


class FailureLog:
    """Reports failed records by position, but a failure that repeats (a broken install fails
    every record alike) only :data:`SHOWN_PER_REASON` times, then once as a count."""

    SHOWN_PER_REASON = 3

    def __init__(self, problem: Callable[[str], None]) -> None:
        self.problem = problem
        self.by_reason: dict[str, list[str]] = {}

    def report(self, where: str, reason: str) -> None:
        """One failed record."""
        seen = self.by_reason.setdefault(reason, [])
        seen.append(where)
        if len(seen) <= self.SHOWN_PER_REASON:
            self.problem(f"{where}: extraction failed ({reason}); skipped")

    def summarise(self) -> None:
        """One line per repeated reason: how many more records and where the first was."""
        for reason, places in self.by_reason.items():
            more = len(places) - self.SHOWN_PER_REASON
            if more > 0:
                self.problem(f"{more} more record(s) failed the same way ({reason}); skipped")


def _open_input(path: str) -> IO[str]:
    if path == "-":
        return click.open_file("-", "r", encoding="utf-8")
    try:
        return open(path, encoding="utf-8")  # closed by the caller
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None


@click.command("extract")
@click.argument("file", default="-")
@click.option(
    "-o",
    "--output",
    type=OUTPUT_PATH,
    help="Write here instead of stdout ('-'); a .parquet name writes Parquet (Parquet input only).",
)
@click.option("--figures-only", is_flag=True, help="Figures only: no NLP model is loaded.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores)."
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Run on a Dask scheduler "
    "(tcp://host:8786), or 'local[:N]' for a cluster of N processes here.",
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Records per Dask partition.",
)
@click.option(
    "--dask-timeout",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds to wait for the scheduler.",
)
@click.option("--text-column", default="text", show_default=True, help="Field holding the text.")
@click.option("--id-column", default="id", show_default=True, help="Field holding the id.")
@click.pass_obj
def extract_command(
    settings: Settings,
    file: str,
    output: Path | None,
    figures_only: bool,
    jobs: int | None,
    dask_address: str | None,
    partition_size: int,
    dask_timeout: float,
    text_column: str,
    id_column: str,
) -> None:
    """Batch extraction: JSON lines {"id", "text"} (or Parquet) from FILE (or stdin) to
    {"id", "entities"} lines, in input order, on every core or on a Dask cluster.

    Offsets refer to each input text as given. Bad lines are reported on stderr by line or row
    number and skipped (exit status 1). Parquet: --text-column/--id-column name the columns and
    -o out.parquet writes id and entities (JSON text) columns.
    """
    if is_stdout(output):
        output = None
    problems: list[str] = []
    problem = warn_problem(problems)
    parquet_in = file != "-" and is_parquet(file)
    parquet_out = output is not None and output.suffix.lower() in (".parquet", ".pq")
    if parquet_out and not parquet_in:
        raise UserError(f"{output}: Parquet output needs a Parquet input; use a .jsonl name")
    schema = parquet_schema(file, (text_column, id_column)) if parquet_in else None
    cache_dir = None if dask_address else settings.cache_dir
    corrections = corrections_or_warn(settings)
    step = EntityJson(ExtractBatch(cache_dir, corrections, settings.model, figures_only))
    total = parquet_rows(file) if parquet_in else count_lines(file)
    stream = None if parquet_in else _open_input(file)
    connection = connect_or_fail(dask_address, dask_timeout) if dask_address else None
    client = connection.client if connection is not None else None
    sinks: list[JsonlSink | ParquetSink] = []

    def written() -> int:
        return sinks[0].written if sinks else 0

    try:
        with (
            _sink(output, schema, id_column) as sink,
            progress(total, "articles", progress_wanted(output is not None)) as advance,
        ):
            sinks.append(sink)
            if client is not None and parquet_in:
                _dask_parquet(client, step, file, text_column, id_column, sink, advance, problem)
            else:
                if stream is not None:
                    records = jsonl_records(stream, text_column, id_column, problem)
                else:
                    records = parquet_records(file, text_column, id_column, problem)
                runner = _runner(client, step, jobs, partition_size)
                run_records(records, runner, sink.write, advance, problem)
    except UnicodeDecodeError:
        raise UserError(f"{file}: not UTF-8 text") from None
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        sys.stderr.close()
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        warn(f"interrupted: {written()} record(s) written before Ctrl-C; the rest were not")
        raise SystemExit(INTERRUPTED) from None
    finally:
        if stream is not None and file != "-":
            stream.close()
        if connection is not None:
            with suppress(Exception):
                connection.close()
    if problems:
        raise UserError(f"the input had problems (see above); {written()} record(s) written")


def _runner(
    client: Any, step: EntityJson, jobs: int | None, partition_size: int
) -> Callable[[Iterator[str]], Iterator[list[Any]]]:
    """How texts become result batches: Dask partitions, or local batches on ``jobs`` cores."""
    if client is not None:
        from tui.core.extract.distributed import map_partitions

        return lambda texts: map_partitions(client, step, texts, partition_size)

    def local(texts: Iterator[str]) -> Iterator[list[Any]]:
        workers, texts = choose_jobs(jobs, texts)
        return map_batches(step, batched(texts, BATCH_SIZE), workers)

    return local


@contextmanager
def _sink(output: Path | None, schema: Any, id_column: str) -> Iterator[JsonlSink | ParquetSink]:
    """Where records go: stdout, a JSON-lines file, or a Parquet file; closed at the end."""
    if output is not None and output.suffix.lower() in (".parquet", ".pq"):
        sink: JsonlSink | ParquetSink = ParquetSink(output, schema.field(id_column).type)
        handle = None
    elif output is not None:
        try:
            handle = output.open("wb")
        except OSError as exc:
            raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from None
        sink = JsonlSink(handle)
    else:
        handle, sink = None, JsonlSink(sys.stdout.buffer)
    try:
        yield sink
    finally:
        sink.close()
        if handle is not None:
            handle.close()


def _dask_parquet(
    client: Any,
    step: EntityJson,
    path: str,
    text_column: str,
    id_column: str,
    sink: JsonlSink | ParquetSink,
    advance: Callable[[int], None],
    problem: Callable[[str], None],
) -> int:
    """A Parquet corpus through ``dask.dataframe.map_partitions``, rows written in file order."""
    from tui.core.extract.distributed import map_parquet

    written, row, noticed = 0, 0, False
    try:
        frames = map_parquet(client, step, path, text_column, id_column)
        for frame in frames:
            cells = zip(
                frame["id"].tolist(),
                frame["result"],
                frame["notice"],
                frame["problem"],
                strict=True,
            )
            for record_id, result, notice, why in cells:
                row += 1
                if isinstance(why, str):  # no problem is None, or NaN after a pandas round trip
                    problem(f"row {row}: {why}; skipped")
                    continue
                if isinstance(notice, str) and not noticed:
                    warn(notice)
                    noticed = True
                sink.write(record_id, str(result).encode())
                written += 1
            advance(len(frame))
    except KeyError as exc:
        raise UserError(str(exc.args[0])) from None
    return written


@click.command("index")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores)."
)
@click.pass_obj
def index_command(settings: Settings, jobs: int | None) -> None:
    """Extract every library article not yet in the cache, on every core.

    Afterwards the reader, 'list' and 'show' have every article's entities at once. Safe to
    interrupt: what is done stays cached and the next run carries on from there.
    """
    scan = scan_or_warn(settings)
    extractor = Extractor(settings.cache_dir, corrections_or_warn(settings), settings.model)
    bodies: list[str] = []
    failed = 0
    for meta in scan.articles:
        try:
            body = load_article(meta).body
        except ArticleError as exc:
            warn(f"skipped {safe(meta.path)}: {exc}")
            failed += 1
            continue
        if extractor.cached(body) is None:
            bodies.append(body)
    cached = len(scan.articles) - failed - len(bodies)
    step = ExtractBatch(settings.cache_dir, extractor.corrections, settings.model)
    workers = 1 if len(bodies) < IN_PROCESS_BELOW else (jobs or all_cores())
    started, done, notice = time.perf_counter(), 0, None
    try:
        with progress(len(bodies), "articles", progress_wanted(True)) as advance:
            for results in map_batches(step, batched(bodies, BATCH_SIZE), workers):
                for result in results:
                    if isinstance(result, RecordFailure):
                        warn(f"an article failed to extract ({result.message})")
                        failed += 1
                    else:
                        notice = notice or result.notice
                        done += 1
                advance(len(results))
    except KeyboardInterrupt:
        warn(
            f"interrupted: {done} article(s) indexed and cached; run 'claimdesk index' again "
            "to carry on"
        )
        raise SystemExit(INTERRUPTED) from None
    if notice:
        raise UserError(f"{notice} (nothing was indexed)")
    seconds = time.perf_counter() - started
    click.echo(
        f"Indexed {done} article(s) in {seconds:.1f} s with {workers} process(es); "
        f"{cached} already cached"
    )
    if failed:
        raise UserError(f"{failed} article(s) could not be indexed (see above)")
