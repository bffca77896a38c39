"""`claimdesk extract --dask`: the same bytes as the plain run, Parquet through
``dask.dataframe``, and a failing record never takes its partition's other records with it.

One LocalCluster of two worker processes serves the module; one test starts its own with
``--dask local:2``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

from tests.cli.test_corpus import corpus, parquet_corpus, run, write_jsonl
from tui.core.extract.distributed import Connection, connect, map_partitions
from tui.core.extract.parallel import EachDocument, RecordFailure


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-process LocalCluster, closed after the module."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture
def connection(scheduler: str) -> Iterator[Connection]:
    opened = connect(scheduler)
    yield opened
    opened.close()


def test_500_documents_on_the_cluster_give_the_plain_run_bytes(
    tmp_path: Path, scheduler: str
) -> None:
    """The real small English pipeline in each worker, partitions of 60 records."""
    source = write_jsonl(tmp_path / "in.jsonl", corpus(500))
    code, plain, err = run(tmp_path, "extract", str(source), "--jobs", "1")
    assert code == 0, err
    code, on_dask, err = run(
        tmp_path, "extract", str(source), "--dask", scheduler, "--partition-size", "60"
    )
    assert code == 0, err
    assert on_dask == plain
    assert len(plain.splitlines()) == 500
    people = {e["text"] for e in json.loads(plain.splitlines()[0])["entities"]}
    assert "Maria Santos" in people


def test_bad_lines_are_reported_by_number_on_the_cluster_too(
    tmp_path: Path, scheduler: str
) -> None:
    lines = [json.dumps(r) for r in corpus(30)]
    lines[4] = "{broken"
    lines[20] = json.dumps({"id": "no-text"})
    code, out, err = run(
        tmp_path,
        "extract",
        "--figures-only",
        "--dask",
        scheduler,
        "--partition-size",
        "7",
        stdin="\n".join(lines),
    )
    assert code == 1
    assert "line 5: not JSON; skipped" in err and "line 21: expected" in err
    ids = [json.loads(row)["id"] for row in out.splitlines()]
    assert ids == [f"doc-{i}" for i in range(30) if i not in (4, 20)]


def test_parquet_on_the_cluster_matches_the_local_parquet_run(
    tmp_path: Path, scheduler: str
) -> None:
    rows = [{"id": i, "text": r["text"]} for i, r in enumerate(corpus(150))]
    rows[70]["text"] = None
    source = parquet_corpus(tmp_path / "corpus.parquet", rows)
    common = ("--text-column", "body", "--id-column", "id", "--figures-only")
    code, _, err = run(
        tmp_path, "extract", str(source), *common, "-o", str(tmp_path / "local.parquet")
    )
    assert code == 1 and "row 71: no text in column 'body'; skipped" in err
    code, _, err = run(
        tmp_path,
        "extract",
        str(source),
        *common,
        "-o",
        str(tmp_path / "dask.parquet"),
        "--dask",
        scheduler,
    )
    assert code == 1 and err.splitlines()[0] == "row 71: no text in column 'body'; skipped"
    assert pq.read_table(tmp_path / "dask.parquet").equals(
        pq.read_table(tmp_path / "local.parquet")
    )
    code, _, err = run(
        tmp_path,
        "extract",
        str(source),
        "--text-column",
        "text",
        "--dask",
        scheduler,
    )
    assert code == 1 and "no column 'text' (columns: id, body)" in err


def test_a_record_that_fails_costs_only_itself(connection: Connection) -> None:
    """The corpus hook: any picklable per-document callable, mapped over partitions."""
    items = ["1", "2", "three", "4", "5", "6", "7"]
    results = [
        r for part in map_partitions(connection.client, EachDocument(int), items, 3) for r in part
    ]
    assert results[:2] + results[3:] == [1, 2, 4, 5, 6, 7]
    assert isinstance(results[2], RecordFailure) and "ValueError" in results[2].message


def test_a_partition_that_fails_whole_is_rerun_record_by_record(connection: Connection) -> None:
    """``sorted`` fails on a partition mixing numbers and text, but works on each record alone:
    every record of that partition still comes back, in order."""
    items: list[object] = [1, 2, 3, 4, "x", 6, 7, 8]
    step = cast(Callable[[list[object]], list[object]], sorted)
    parts = list(map_partitions(connection.client, step, items, 4))
    assert parts == [[1, 2, 3, 4], ["x", 6, 7, 8]]


def test_dask_local_starts_and_stops_its_own_cluster(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", corpus(300))
    _, plain, _ = run(tmp_path, "extract", str(source), "--figures-only", "--jobs", "1")
    code, local, err = run(tmp_path, "extract", str(source), "--figures-only", "--dask", "local:2")
    assert code == 0, err
    assert local == plain
