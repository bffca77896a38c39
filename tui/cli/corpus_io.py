"""Reading and writing corpora for ``claimdesk extract``: JSON lines or Parquet in, JSON lines or
Parquet out.

Every input record is a :class:`Record` that knows where it came from ("line 12", "row 12"),
so a bad one is reported by position and skipped while the rest are processed. Parquet needs
pyarrow, part of the ``claimdesk[dask]`` extra; it is imported only for Parquet files.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from tui.cli.output import UserError, warn
from tui.core.extract.distributed import INSTALL_DASK

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class Record:
    """One input document: where it is in the input, its id and its text."""

    where: str
    id: Any
    text: str


def is_parquet(path: str) -> bool:
    """True for a ``.parquet`` file or a folder of Parquet parts."""
    target = Path(path)
    return target.suffix.lower() in PARQUET_SUFFIXES or (
        target.is_dir() and any(target.glob("*.parquet"))
    )


def require_pyarrow() -> Any:
    """The ``pyarrow.parquet`` module, or a one-line error naming the extra."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise UserError(
            f"Parquet needs pyarrow, which is not installed; run: {INSTALL_DASK}"
        ) from None
    return pq


def jsonl_records(
    stream: IO[str], text_key: str, id_key: str, problem: Callable[[str], None]
) -> Iterator[Record]:
    """The good records of a JSON-lines stream; every bad line is reported through ``problem``.

    A record whose id is missing or not a string is reported but kept with its id as given
    (its place in the output still identifies it); one without a ``text_key`` string is skipped.
    """
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            problem(f"line {number}: not JSON; skipped")
            continue
        if not isinstance(record, dict) or not isinstance(record.get(text_key), str):
            problem(f'line {number}: expected {{"{id_key}": ..., "{text_key}": "..."}}; skipped')
            continue
        record_id = record.get(id_key)
        if not isinstance(record_id, str):
            shown = "missing" if id_key not in record else f"{orjson.dumps(record_id).decode()}"
            problem(f"line {number}: '{id_key}' is {shown}, not a string; kept as given")
        yield Record(f"line {number}", record_id, record[text_key])


def count_lines(path: str) -> int | None:
    """Non-empty lines in a file (for the progress bar's total); None for stdin or on error."""
    if path == "-":
        return None
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def parquet_schema(path: str, columns: tuple[str, ...]) -> Any:
    """The file's Arrow schema after checking it has ``columns``; one-line errors otherwise."""
    pq = require_pyarrow()
    import pyarrow as pa

    try:
        schema = pq.read_schema(path) if Path(path).is_file() else pq.ParquetDataset(path).schema
    except (OSError, pa.ArrowException) as exc:
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    for column in columns:
        if column not in schema.names:
            known = ", ".join(schema.names) or "none"
            raise UserError(f"{path}: no column '{column}' (columns: {known})")
    return schema


def parquet_records(
    path: str, text_column: str, id_column: str, problem: Callable[[str], None]
) -> Iterator[Record]:
    """Rows of a Parquet file read in batches (bounded memory); a row whose text is null or not
    a string is reported by its 1-based row number and skipped."""
    pq = require_pyarrow()
    parquet = pq.ParquetFile(path)
    columns = list(dict.fromkeys((id_column, text_column)))
    number = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=columns):
        ids = batch.column(id_column).to_pylist()
        texts = batch.column(text_column).to_pylist()
        for record_id, text in zip(ids, texts, strict=True):
            number += 1
            if not isinstance(text, str):
                problem(f"row {number}: no text in column '{text_column}'; skipped")
                continue
            yield Record(f"row {number}", record_id, text)


def parquet_rows(path: str) -> int | None:
    """Rows in a Parquet file, from its footer (the progress bar's total)."""
    try:
        pq = require_pyarrow()
        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:
        return None


@contextlib.contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Hold a Ctrl-C while the block runs, then deliver it to the handler that was there before
    (Python's KeyboardInterrupt, an ignored signal, a caller's own handler), so the count of
    written lines reported after a Ctrl-C is exact. (Blocking the signal would not do: another
    thread of the process may take it and Python runs handlers in the main thread anyway.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
    if caught:
        signal.raise_signal(signal.SIGINT)  # runs the restored handler here and now


class JsonlSink:
    """``{"id", "entities"}`` lines to a binary stream, flushed line by line (streaming)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.written = 0
        """Lines written so far."""

    def write(self, record_id: Any, entities_json: bytes) -> None:
        """One output line; ``entities_json`` is the compact JSON array of spans."""
        line = b'{"id":' + orjson.dumps(record_id) + b',"entities":' + entities_json + b"}\n"
        with _interrupt_deferred():  # a Ctrl-C lands after the line is out and counted
            self.stream.write(line)
            self.stream.flush()
            self.written += 1

    def close(self) -> None:
        """Flush; the stream belongs to the caller."""
        self.stream.flush()


class ParquetSink:
    """``id`` (the input id column's type) and ``entities`` (the JSON array as text) rows to a
    Parquet file, written in row groups so memory stays flat; closing makes the file valid."""

    ROW_GROUP = 2048

    def __init__(self, path: Path, id_type: Any) -> None:
        pq = require_pyarrow()
        import pyarrow as pa

        self._pa = pa
        self.schema = pa.schema([("id", id_type), ("entities", pa.string())])
        try:
            self.writer = pq.ParquetWriter(str(path), self.schema)
        except OSError as exc:
            raise UserError(f"{path}: cannot write ({exc})") from None
        self.ids: list[Any] = []
        self.entities: list[str] = []
        self.written = 0
        """Rows written or queued so far (all are in the file once it is closed)."""

    def write(self, record_id: Any, entities_json: bytes) -> None:
        """Queue one row; a full row group is written out."""
        self.ids.append(record_id)
        self.entities.append(entities_json.decode())
        self.written += 1
        if len(self.ids) >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.ids:
            table = self._pa.table({"id": self.ids, "entities": self.entities}, schema=self.schema)
            self.writer.write_table(table)
            self.ids, self.entities = [], []

    def close(self) -> None:
        """Write what is queued and the footer."""
        self._flush()
        self.writer.close()


def warn_problem(problems: list[str]) -> Callable[[str], None]:
    """A ``problem`` callback that prints the line and keeps it for the exit status."""

    def report(message: str) -> None:
        problems.append(message)
        warn(message)

    return report
