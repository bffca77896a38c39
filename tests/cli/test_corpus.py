"""`claimdesk extract` on every core and `claimdesk index`: same bytes whatever the worker count,
bad records by position, Parquet in and out, the progress bar only on a terminal, Ctrl-C."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import tui.core.extract as extract_pkg
from tests.cli.test_extract_cli import _NLP
from tui.cli import cli
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.extract import Extractor
from tui.core.extract.entities import Pipeline

CLAIMDESK = Path(sys.executable).with_name("claimdesk")
PLACES = ("Hong Kong", "Geneva", "Lagos", "Osaka", "São Paulo", "Vancouver")
MONEY = ("HK$50 billion", "€3.2 million", "₹40 crore", "£1.5bn", "$6.37 billion", "R$900 mil")


def corpus(count: int) -> list[dict[str, object]]:
    """Distinct short news items with figures and names from many places."""
    return [
        {
            "id": f"doc-{i}",
            "text": f"Officials in {PLACES[i % 6]} said Acme Holdings pledged {MONEY[i % 6]} "
            f"and {i + 3} new jobs, up {i % 40}% on last year, Maria Santos told reporters.",
        }
        for i in range(count)
    ]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run(home: Path, *args: str, stdin: str | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(
        cli,
        ["--articles", str(home / "articles"), "--db", str(home / "db.json"), *args],
        input=stdin,
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def command(home: Path, *args: str) -> list[str]:
    return [
        str(CLAIMDESK),
        "--articles",
        str(home / "articles"),
        "--db",
        str(home / "db.json"),
        *args,
    ]


def environment(home: Path) -> dict[str, str]:
    return {**os.environ, "CLAIMDESK_CACHE": str(home / "cache"), "NO_COLOR": "1"}


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(_NLP(), "fake", None)
    )


def test_two_workers_write_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", corpus(400))
    code, one, err = run(tmp_path, "extract", str(source), "--figures-only", "--jobs", "1")
    assert code == 0, err
    code, two, err = run(tmp_path, "extract", str(source), "--figures-only", "--jobs", "2")
    assert code == 0, err
    assert two == one
    ids = [json.loads(line)["id"] for line in one.splitlines()]
    assert ids == [f"doc-{i}" for i in range(400)]
    first = json.loads(one.splitlines()[0])["entities"]
    assert ("HK$50 billion", "HKD") in {(e["text"], e.get("currency")) for e in first}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{broken", "line 2: not JSON; skipped"),
        (json.dumps({"id": "x"}), 'line 2: expected {"id": ..., "text": "..."}; skipped'),
        (json.dumps({"id": "x", "text": 42}), 'line 2: expected {"id": ..., "text": "..."}'),
        (json.dumps(["not", "an", "object"]), "line 2: expected"),
        (json.dumps({"id": 7, "text": "It cost $5."}), "line 2: 'id' is 7, not a string"),
        (json.dumps({"id": None, "text": "It cost $5."}), "line 2: 'id' is null, not a string"),
        (json.dumps({"text": "It cost $5."}), "line 2: 'id' is missing, not a string"),
    ],
)
def test_a_bad_record_is_one_line_and_the_rest_are_written(
    tmp_path: Path, line: str, message: str
) -> None:
    good = [json.dumps(r) for r in corpus(3)]
    code, out, err = run(
        tmp_path, "extract", "--figures-only", stdin="\n".join([good[0], line, *good[1:]])
    )
    assert code == 1
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 2  # the record's line and the closing summary
    ids = [json.loads(row)["id"] for row in out.splitlines()]
    assert [i for i in ids if isinstance(i, str) and i.startswith("doc-")] == [
        "doc-0",
        "doc-1",
        "doc-2",
    ]


def test_a_non_string_id_is_kept_as_given_in_its_place(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": "Up 5%."}), json.dumps({"id": 7, "text": "Down 3%."})]
    code, out, _ = run(tmp_path, "extract", "--figures-only", stdin="\n".join(lines))
    assert code == 1
    assert [json.loads(row)["id"] for row in out.splitlines()] == ["a", 7]


def test_other_field_names_for_text_and_id(tmp_path: Path) -> None:
    line = json.dumps({"key": "k1", "body": "It rose 12% to $4 million."})
    code, out, err = run(
        tmp_path,
        "extract",
        "--figures-only",
        "--text-column",
        "body",
        "--id-column",
        "key",
        stdin=line,
    )
    assert code == 0, err
    record = json.loads(out)
    assert record["id"] == "k1" and [e["text"] for e in record["entities"]] == ["12%", "$4 million"]


def test_output_file_and_a_missing_input_file(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", corpus(2))
    target = tmp_path / "out.jsonl"
    code, out, _ = run(tmp_path, "extract", str(source), "--figures-only", "-o", str(target))
    assert code == 0 and out == b""
    assert [json.loads(row)["id"] for row in target.read_text().splitlines()] == ["doc-0", "doc-1"]
    code, _, err = run(tmp_path, "extract", str(tmp_path / "nope.jsonl"))
    assert code == 1 and "nope.jsonl: cannot read" in err and "Traceback" not in err


def parquet_corpus(path: Path, rows: list[dict[str, object]]) -> Path:
    pq.write_table(
        pa.table(
            {
                "id": pa.array([r["id"] for r in rows], pa.int64()),
                "body": pa.array([r["text"] for r in rows], pa.string()),
            }
        ),
        path,
        row_group_size=50,
    )
    return path


def test_parquet_in_and_out_match_the_jsonl_run(tmp_path: Path) -> None:
    rows = [{"id": i, "text": r["text"]} for i, r in enumerate(corpus(120))]
    rows[5]["text"] = None
    source = parquet_corpus(tmp_path / "corpus.parquet", rows)
    target = tmp_path / "out.parquet"
    code, _, err = run(
        tmp_path,
        "extract",
        str(source),
        "--text-column",
        "body",
        "--id-column",
        "id",
        "-o",
        str(target),
        "--figures-only",
    )
    assert code == 1
    assert err.splitlines()[0] == "row 6: no text in column 'body'; skipped"
    table = pq.read_table(target)
    assert table.schema.field("id").type == pa.int64()
    assert table.column("id").to_pylist() == [i for i in range(120) if i != 5]
    jsonl = write_jsonl(tmp_path / "same.jsonl", [r for r in rows if r["text"] is not None])
    _, out, _ = run(tmp_path, "extract", str(jsonl), "--figures-only")
    expected = [json.loads(line)["entities"] for line in out.splitlines()]
    assert [json.loads(cell) for cell in table.column("entities").to_pylist()] == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--text-column", "text"), "corpus.parquet: no column 'text' (columns: id, body)"),
        (("--text-column", "body", "--id-column", "key"), "no column 'key' (columns: id, body)"),
    ],
)
def test_parquet_without_the_named_column_is_one_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    source = parquet_corpus(tmp_path / "corpus.parquet", [{"id": 1, "text": "Up 5%."}])
    code, out, err = run(tmp_path, "extract", str(source), *args, "--figures-only")
    assert code == 1 and out == b""
    assert message in err and len(err.strip().splitlines()) == 1


def test_parquet_output_needs_parquet_input(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "extract", "-o", str(tmp_path / "o.parquet"), stdin="{}")
    assert code == 1 and "Parquet output needs a Parquet input" in err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line_naming_it(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    code, out, err = run(
        tmp_path, "extract", "--dask", address, "--dask-timeout", "0.5", stdin="{}"
    )
    assert code == 1 and out == b""
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert len(err.strip().splitlines()) == 1


def test_without_the_dask_extra_the_message_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, _, err = run(tmp_path, "extract", "--dask", "local:2", stdin="{}")
    assert code == 1
    assert (
        err.strip()
        == "Error: Dask is not installed (distributed); run: pip install 'claimdesk[dask]'"
    )


def library(home: Path, count: int) -> list[str]:
    bodies = [str(r["text"]) for r in corpus(count)]
    for i, body in enumerate(bodies):
        write_article(home / "articles", ArticleMeta(id=f"a{i}", title=f"A{i}", path=home), body)
    return bodies


def test_index_fills_the_cache_and_a_second_run_has_nothing_to_do(
    tmp_path: Path, fake_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMDESK_CACHE", str(tmp_path / "cache"))
    bodies = library(tmp_path, 3)
    code, out, err = run(tmp_path, "index")
    assert code == 0, err
    assert (
        out.decode().startswith("Indexed 3 article(s) in ") and "; 0 already cached" in out.decode()
    )
    extractor = Extractor(tmp_path / "cache", [], None)
    assert all(extractor.cached(body) is not None for body in bodies)
    code, out, _ = run(tmp_path, "list", "--json")
    assert {row["entities"] for row in json.loads(out)} != {None}
    code, out, _ = run(tmp_path, "index")
    assert (
        code == 0 and "Indexed 0 article(s)" in out.decode() and "3 already cached" in out.decode()
    )


def test_the_progress_bar_is_drawn_on_a_terminal_and_not_when_piped(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", corpus(20))
    args = command(
        tmp_path, "extract", str(source), "--figures-only", "-o", str(tmp_path / "o.jsonl")
    )
    piped = subprocess.run(args, capture_output=True, env=environment(tmp_path), timeout=60)
    assert piped.returncode == 0 and piped.stderr == b"" and piped.stdout == b""
    leader, follower = pty.openpty()
    with subprocess.Popen(args, stderr=follower, env=environment(tmp_path)) as process:
        os.close(follower)
        drawn = b""
        while process.poll() is None or select.select([leader], [], [], 0.1)[0]:
            try:
                drawn += os.read(leader, 65536)
            except OSError:
                break
    os.close(leader)
    assert process.returncode == 0
    assert b"20/20" in drawn and b"articles/s" in drawn


def test_ctrl_c_stops_cleanly_keeping_what_is_done(tmp_path: Path) -> None:
    """The real pipeline in two workers; stdin stays open so the run is still going when the
    interrupt arrives, as after a user's Ctrl-C (sent to the whole process group)."""
    records = corpus(300)
    process = subprocess.Popen(
        command(tmp_path, "extract", "--jobs", "2"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(tmp_path),
        start_new_session=True,
        bufsize=0,  # communicate() must see every byte readline() has not read
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("".join(json.dumps(r) + "\n" for r in records).encode())
    process.stdin.flush()
    first = process.stdout.readline()  # some batches are done
    deadline = time.monotonic() + 60
    while len(list((tmp_path / "cache").rglob("*.json"))) < 32 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)
    rest, err = process.communicate(timeout=60)
    lines = [first, *rest.splitlines()]
    assert process.returncode == 130
    assert b"Traceback" not in err
    assert (
        err.decode().strip()
        == f"interrupted: {len(lines)} record(s) written before Ctrl-C; the rest were not"
    )
    assert [json.loads(line)["id"] for line in lines] == [f"doc-{i}" for i in range(len(lines))]
    extractor = Extractor(tmp_path / "cache", [], None)
    done = [r for r in records if extractor.cached(str(r["text"])) is not None]
    assert len(done) >= len(lines)


class _ExplodingNLP(_NLP):
    """Fails a whole ``nlp.pipe`` batch when any text in it says BOOM."""

    def pipe(self, texts: Iterable[str]) -> Iterator[Any]:
        batch = list(texts)
        if any("BOOM" in text for text in batch):
            raise RuntimeError("tokenizer exploded")
        return super().pipe(batch)


def test_a_record_whose_extraction_raises_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(_ExplodingNLP(), "boom", None)
    )
    texts = ["AI in Hong Kong.", *["BOOM"] * 5, "Hong Kong again."]
    lines = [json.dumps({"id": f"r{i}", "text": t}) for i, t in enumerate(texts)]
    code, out, err = run(tmp_path, "extract", stdin="\n".join(lines))
    assert code == 1
    assert [json.loads(row)["id"] for row in out.splitlines()] == ["r0", "r6"]
    assert err.splitlines() == [
        "line 2: extraction failed (RuntimeError: tokenizer exploded); skipped",
        "line 3: extraction failed (RuntimeError: tokenizer exploded); skipped",
        "line 4: extraction failed (RuntimeError: tokenizer exploded); skipped",
        "2 more record(s) failed the same way (RuntimeError: tokenizer exploded); skipped",
        "Error: the input had problems (see above); 2 record(s) written",
    ]


def test_index_names_an_article_that_fails_and_caches_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(_ExplodingNLP(), "boom", None)
    )
    monkeypatch.setenv("CLAIMDESK_CACHE", str(tmp_path / "cache"))
    bodies = library(tmp_path, 3)
    write_article(tmp_path / "articles", ArticleMeta(id="bad", title="B", path=tmp_path), "BOOM")
    code, out, err = run(tmp_path, "index")
    assert code == 1
    assert "bad: extraction failed (RuntimeError: tokenizer exploded); not cached" in err
    assert "Indexed 3 article(s)" in out.decode()
    extractor = Extractor(tmp_path / "cache", [], None)
    assert all(extractor.cached(body) is not None for body in bodies)
    assert extractor.cached("BOOM") is None


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_stops_with_one_line(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", corpus(3))
    code, _, err = run(tmp_path, "extract", str(source), "--figures-only", "-o", "/dev/full")
    assert code == 1
    assert err.strip() == "Error: stopped after 0 record(s): No space left on device"
