"""The same batch steps on a Dask cluster: ``dask.bag`` partitions of a stream, or
``map_partitions`` over a Parquet corpus with ``dask.dataframe``.

Dask is the optional extra ``claimdesk[dask]``; importing this module never imports it, and
:func:`require_dask` turns a missing install into :class:`DaskUnavailable` with the command.
Every step is a picklable callable from :mod:`.parallel` (``ExtractBatch``, ``EachDocument``);
each worker process builds its extractor, and so loads the pipeline, once (a per-process memo),
so a worker needs Claimdesk installed but nothing shipped per task.

Results come back in input order while a bounded number of partitions is in flight. A
partition whose task fails as a whole (a worker killed mid-task) is re-run one record per task,
so one bad record never loses the partition's others.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from tui.core.extract.parallel import RecordFailure, batched

T = TypeVar("T")
R = TypeVar("R")

INSTALL_DASK = "pip install 'claimdesk[dask]'"
"""The command that installs the optional Dask extra."""

PARTITION_SIZE = 200
"""Records per partition: big enough that task overhead (milliseconds) is small next to the
NER time of the partition (seconds), small enough to spread a few thousand records."""

_LOCAL = re.compile(r"local(?::(\d+))?")


class DaskUnavailable(Exception):
    """The Dask extra is not installed, or a scheduler cannot be reached; the message says
    what to do."""


def require_dask() -> None:
    """Raise :class:`DaskUnavailable` naming the extra when ``dask.distributed`` is missing."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise DaskUnavailable(f"Dask is not installed ({exc.name}); run: {INSTALL_DASK}") from None


def local_workers(address: str) -> int | None:
    """``"local"`` -> 0 (one per core), ``"local:N"`` -> N; None for a scheduler address."""
    match = _LOCAL.fullmatch(address)
    if match is None:
        return None
    return int(match[1] or 0)


def connect(address: str, timeout: float = 5.0) -> Connection:
    """A ``distributed.Client`` for ``address`` (``tcp://host:8786``), or for a new LocalCluster
    of N single-threaded worker processes with ``local[:N]``."""
    require_dask()
    from distributed import Client, LocalCluster

    workers = local_workers(address)
    if workers is not None:
        from tui.core.extract.parallel import all_cores

        cluster = LocalCluster(
            n_workers=workers or all_cores(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never clash with a running cluster
            silence_logs=40,  # logging.ERROR: no worker chatter on the user's terminal
        )
        return Connection(Client(cluster), cluster)
    try:
        return Connection(Client(address, timeout=timeout), None)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DaskUnavailable(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({reason}); "
            "check the address and that 'dask scheduler' is running"
        ) from None


@dataclass(frozen=True)
class Connection:
    """A ``distributed.Client`` and the LocalCluster started for it (None for a scheduler
    someone else runs)."""

    client: Any
    cluster: Any

    def close(self) -> None:
        """Close the client, then the cluster this connection started."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def threads(client: Any) -> int:
    """Worker threads in the cluster (at least 1)."""
    return max(1, int(sum(client.nthreads().values())))


def map_partitions(
    client: Any,
    step: Callable[[list[T]], list[R]],
    items: Iterable[T],
    partition_size: int = PARTITION_SIZE,
) -> Iterator[list[R | RecordFailure]]:
    """``step`` over ``dask.bag`` partitions of ``items``, one result list per partition, in
    input order. The stream is cut into windows of ``2 × threads`` partitions and the next
    window is submitted before the current one is read, so no worker waits and only two
    windows are held in memory."""
    import dask.bag as db

    per_window = partition_size * 2 * threads(client)
    pending: deque[list[tuple[list[T], Any]]] = deque()
    try:
        for window in batched(items, per_window):
            parts = list(batched(window, partition_size))
            bag = db.from_sequence(window, partition_size=partition_size).map_partitions(step)
            futures = client.compute(bag.to_delayed())
            pending.append(list(zip(parts, futures, strict=True)))
            if len(pending) >= 2:
                yield from _results(client, step, pending.popleft())
        while pending:
            yield from _results(client, step, pending.popleft())
    finally:
        for window_futures in pending:
            client.cancel([future for _, future in window_futures])


def _results(
    client: Any, step: Callable[[list[T]], list[R]], window: list[tuple[list[T], Any]]
) -> Iterator[list[R | RecordFailure]]:
    for part, future in window:
        try:
            result = list(future.result())
        except Exception:
            result = _one_by_one(client, step, part)
        if len(result) != len(part):  # pragma: no cover - a step that breaks its contract
            raise RuntimeError(f"a partition of {len(part)} records returned {len(result)}")
        yield result


def _one_by_one(
    client: Any, step: Callable[[list[T]], list[R]], part: list[T]
) -> list[R | RecordFailure]:
    """Re-run a failed partition one record per task: only the record that fails is lost."""
    futures = [client.submit(step, [item], pure=False) for item in part]
    out: list[R | RecordFailure] = []
    for future in futures:
        try:
            out.extend(future.result())
        except Exception as exc:
            out.append(RecordFailure(f"{type(exc).__name__}: {exc}"))
    return out


@dataclass(frozen=True)
class FramePartition:
    """A ``map_partitions`` step for a Dask DataFrame: runs ``step`` over the string cells of
    ``text_column`` and returns a frame of ``id`` (from ``id_column``), ``result`` (the step's
    output as text), ``notice`` and ``problem`` (why a row has no result).

    The step returns, per text, a :class:`RecordFailure`, text (``str`` or UTF-8 ``bytes``), or
    an object with ``json: bytes`` and ``notice: str | None``. Cells hold only text: pandas
    turns object columns into strings, so Python objects would not survive the round trip.
    """

    step: Callable[[list[str]], list[Any]]
    text_column: str
    id_column: str

    def __call__(self, frame: Any) -> Any:
        """The result frame for one partition, rows in the partition's order."""
        import pandas as pd

        texts = frame[self.text_column].tolist()
        good = [i for i, text in enumerate(texts) if isinstance(text, str)]
        found = self.step([texts[i] for i in good]) if good else []
        results: list[str | None] = [None] * len(texts)
        notices: list[str | None] = [None] * len(texts)
        problems: list[str | None] = [f"no text in column '{self.text_column}'"] * len(texts)
        for i, value in zip(good, found, strict=True):
            if isinstance(value, RecordFailure):
                problems[i] = f"extraction failed ({value.message})"
                continue
            payload = getattr(value, "json", value)
            results[i] = payload.decode() if isinstance(payload, bytes) else str(payload)
            notices[i], problems[i] = getattr(value, "notice", None), None
        return pd.DataFrame(
            {
                "id": frame[self.id_column].to_numpy(),
                "result": pd.Series(results, dtype=object),
                "notice": pd.Series(notices, dtype=object),
                "problem": pd.Series(problems, dtype=object),
            }
        )


def map_parquet(
    client: Any,
    step: Callable[[list[str]], list[Any]],
    path: str,
    text_column: str,
    id_column: str,
) -> Iterator[Any]:
    """``step`` over a Parquet corpus with ``dask.dataframe.map_partitions``: one pandas frame
    (``id``, ``result``, ``notice``, ``problem``) per partition, in file order, two windows in
    flight.
    A missing column raises ``KeyError`` naming it and the columns there are."""
    import dask.dataframe as dd
    import pandas as pd

    frame = dd.read_parquet(path)
    for column in (text_column, id_column):
        if column not in frame.columns:
            known = ", ".join(map(str, frame.columns))
            raise KeyError(f"{path}: no column '{column}' (columns: {known})")
    frame = frame[[id_column, text_column]] if id_column != text_column else frame[[text_column]]
    meta = pd.DataFrame(
        {
            "id": pd.Series(dtype=frame[id_column].dtype),
            "result": pd.Series(dtype=object),
            "notice": pd.Series(dtype=object),
            "problem": pd.Series(dtype=object),
        }
    )
    mapped = frame.map_partitions(FramePartition(step, text_column, id_column), meta=meta)
    delayed = mapped.to_delayed()
    per_window = 2 * threads(client)
    pending: deque[list[Any]] = deque()
    try:
        for window in batched(delayed, per_window):
            pending.append(client.compute(window))
            if len(pending) >= 2:
                yield from (future.result() for future in pending.popleft())
        while pending:
            yield from (future.result() for future in pending.popleft())
    finally:
        for futures in pending:
            client.cancel(futures)
