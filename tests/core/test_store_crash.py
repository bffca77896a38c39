"""The store under fire: kill -9 mid-write, concurrent writer processes, a full disk.

Writers are forked children (cheap: the modules are loaded already) that acknowledge each
durable operation on a pipe, the way the CLI prints an id only once it is saved.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

import orjson
import pytest

from tests.core.test_store import make_article
from tui.core.annotations.store import StoreError, open_store
from tui.core.articles.library import Article

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork (POSIX)"
)
FORK = multiprocessing.get_context("fork")


def _writer(db: Path, article: Article, pipe: Connection, seed: int) -> None:
    """Add annotations forever (deleting every fifth), announcing each before and after."""
    rng = random.Random(seed)
    store = open_store(db)
    quote_at = article.body.index("13,000 jobs")
    ours: list[str] = []
    try:
        while True:
            if ours and rng.random() < 0.2:
                victim = ours.pop(rng.randrange(len(ours)))
                pipe.send(("intent-del", victim))
                store.delete(victim)
                pipe.send(("del", victim))
            else:
                note = "x" * rng.randrange(2000)
                record = store.add(article, quote_at, quote_at + 11, note=note, author="writer")
                ours.append(record["id"])
                pipe.send(("add", record["id"]))
    finally:
        os._exit(0)


def test_sigkill_at_random_moments_loses_no_acknowledged_annotation(tmp_path: Path) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    rng = random.Random(20261122)
    added: set[str] = set()
    deleted: set[str] = set()
    maybe_deleted: set[str] = set()
    kills = 0
    started = time.monotonic()

    def enough() -> bool:
        """40 kills; or 4 s and the evidence asked for below (a loaded machine takes longer)."""
        elapsed = time.monotonic() - started
        evidence = kills >= 10 and len(added) >= 20
        return kills >= 40 or (elapsed > 4.0 and evidence) or elapsed > 60.0

    while not enough():
        receiver, sender = FORK.Pipe(duplex=False)
        child = FORK.Process(target=_writer, args=(db, article, sender, kills))
        child.start()
        sender.close()
        time.sleep(rng.uniform(0.01, 0.12))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        kills += 1
        while receiver.poll():
            try:
                kind, annotation_id = receiver.recv()
            except EOFError:
                break
            if kind == "add":
                added.add(annotation_id)
            elif kind == "intent-del":
                maybe_deleted.add(annotation_id)
            else:
                deleted.add(annotation_id)
        receiver.close()
        data = orjson.loads(db.read_bytes()) if db.exists() else {"annotations": {}}
        present = {doc["id"] for doc in data["annotations"].values()}
        assert added - maybe_deleted <= present, "an acknowledged annotation was lost"
        assert not (deleted & present), "an acknowledged delete came back"
    assert kills >= 10 and len(added) >= 20
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    print(f"{kills} kills, {len(added)} acknowledged adds, {len(deleted)} deletes, "
          f"{len(leftovers)} temp files left by kills mid-write")  # fmt: skip
    store = open_store(db)
    assert {a["id"] for a in store.annotations()} >= added - maybe_deleted
    store.add_correction({"action": "ignore", "text": "Subscribe"})  # a write sweeps leftovers
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _burst(db: Path, article: Article, count: int, pipe: Connection) -> None:
    try:
        store = open_store(db)
        start = article.body.index("HK$50 billion")
        author = f"p{os.getpid()}"
        ids = [store.add(article, start, start + 13, author=author)["id"] for _ in range(count)]
        pipe.send(ids)
    except Exception as exc:  # reported to the parent, which fails the test with it
        pipe.send([f"writer failed: {exc!r}"])
    finally:
        os._exit(0)


def test_concurrent_writer_processes_never_lose_each_others_writes(tmp_path: Path) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    pipes, children = [], []
    for _ in range(3):
        receiver, sender = FORK.Pipe(duplex=False)
        child = FORK.Process(target=_burst, args=(db, article, 40, sender))
        child.start()
        sender.close()
        pipes.append(receiver)
        children.append(child)
    acknowledged = [annotation_id for pipe in pipes for annotation_id in pipe.recv()]
    for child in children:
        child.join(timeout=60)
    assert not [a for a in acknowledged if a.startswith("writer failed")]
    assert len(acknowledged) == 120
    stored = open_store(db).annotations()
    assert sorted(a["id"] for a in stored) == sorted(acknowledged)
    assert len({a["author"] for a in stored}) == 3


def _fill_disk(db: Path, article: Article, limit: int, pipe: Connection) -> None:
    """With a file-size limit below the database size, try to save; report what happened."""
    try:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        store = open_store(db)
        start = article.body.index("HK$1 billion")
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        try:
            store.add(article, start, start + 12, note="y" * 5000, author="child")
            pipe.send(("saved", "", 0))
        except StoreError as exc:
            in_memory = len(store.annotations())
            on_disk = len(orjson.loads(db.read_bytes())["annotations"])
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
            store.save()  # the limit is lifted: the retry saves it
            pipe.send(("refused", str(exc), (in_memory, on_disk)))
    finally:
        os._exit(0)


def test_disk_full_keeps_the_file_whole_and_the_change_for_a_retry(tmp_path: Path) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    store = open_store(db)
    start = article.body.index("13,000 jobs")
    for _ in range(5):
        store.add(article, start, start + 11, note="z" * 1000, author="parent")
    before = db.read_bytes()
    receiver, sender = FORK.Pipe(duplex=False)
    child = FORK.Process(target=_fill_disk, args=(db, article, len(before) + 100, sender))
    child.start()
    sender.close()
    outcome, message, counts = receiver.recv()
    child.join()
    assert outcome == "refused"
    assert "not saved (File too large)" in message and "kept" in message
    assert counts == (6, 5)  # shown in the app; the file on disk still the old, whole version
    after = open_store(db).annotations()
    assert len(after) == 6 and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _die_at(db: Path, article: Article, name: str, nth: int) -> None:
    """Add one annotation, SIGKILLing this process at the ``nth`` call of ``os.<name>`` (or of
    the storage module's own ``fsync_dir``)."""
    import tui.core.annotations.storage as storage_module

    owner = storage_module if name == "fsync_dir" else os
    real = getattr(owner, name)
    calls = 0

    def fatal(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    try:
        store = open_store(db)
        setattr(owner, name, fatal)
        start = article.body.index("HK$1 billion")
        store.add(article, start, start + 12, author="doomed")
    finally:
        os._exit(3)  # not reached when the kill happened


@pytest.mark.parametrize(
    ("name", "nth", "saved"),
    [
        ("fchmod", 1, False),  # temp file created, nothing written
        ("fsync", 1, False),  # temp written, not yet synced
        ("link", 1, False),  # about to keep the backup
        ("replace", 1, False),  # about to switch the backup
        ("replace", 2, False),  # about to switch the file
        ("fsync_dir", 1, True),  # replaced; about to fsync the folder
    ],
)
def test_sigkill_at_each_step_of_a_save_leaves_old_or_new(
    tmp_path: Path, name: str, nth: int, saved: bool
) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    store = open_store(db)
    start = article.body.index("13,000 jobs")
    old = {store.add(article, start, start + 11, author="p")["id"] for _ in range(2)}
    child = FORK.Process(target=_die_at, args=(db, article, name, nth))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    after = open_store(db).annotations()
    assert {a["id"] for a in after} >= old
    assert len(after) == (3 if saved else 2)
