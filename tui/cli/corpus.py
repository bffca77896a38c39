"""``claimdesk extract``: a corpus, JSON lines or Parquet, on every core or on Dask.

The input is cut into batches for :class:`~tui.core.extract.parallel.ExtractBatch` in
local worker processes (forked after this process loads the pipeline, or spawned to load it
once each; see :func:`~tui.core.extract.parallel.pool_start_method`), or on a Dask cluster with
``--dask ADDRESS`` / ``--dask local[:N]``. Output keeps the input order and is byte-identical
whichever way it ran. A progress bar (articles/s, ETA) is drawn on stderr when it is a terminal
and the output is not; piped runs print nothing extra. Ctrl-C stops cleanly with exit status
130: finished batches are written and cached, queued ones are dropped.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
from tui.cli.corpus_run import (
    BATCH_SIZE,
    INTERRUPTED,
    FailureLog,
    choose_jobs,
    progress,
    progress_wanted,
)
from tui.cli.extraction import spans
from tui.cli.library import corrections_or_warn
from tui.cli.output import OUTPUT_PATH, UserError, is_stdout, warn
from tui.core.config import Settings
from tui.core.extract import Extraction
from tui.core.extract.parallel import ExtractBatch, RecordFailure, batched, map_batches

if TYPE_CHECKING:
    from tui.core.extract.distributed import Connection


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

    def prepare(self) -> None:
        """Load the pipeline in this process (before workers are forked to share it)."""
        self.extract.prepare()


@dataclass(frozen=True)
class EntityRow:
    """What a worker sends back for one text."""

    json: bytes
    notice: str | None

    @classmethod
    def of(cls, extraction: Extraction) -> EntityRow:
        """The row for an extraction (its spans in reading order, documented fields only)."""
        return cls(orjson.dumps(spans(extraction)), extraction.notice)


def connect_or_fail(address: str, timeout: float) -> Connection:
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
    -o out.parquet writes id and entities (JSON text) columns. Clusters: docs/CORPUS.md.
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
    except OSError as exc:  # output disk full, a Dask scheduler or worker connection lost
        where = f" (Dask scheduler {dask_address})" if dask_address else ""
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise UserError(f"stopped after {written()} record(s){where}: {reason}") from None
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
