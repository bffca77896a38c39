"""The journal under fire: kill -9 during appends and compactions, concurrent appenders, a
full disk. Children are forked and acknowledge each durable operation on a pipe."""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from tests.core.test_store import make_article
from tui.core.annotations import journal
from tui.core.annotations.store import AnnotationStore, StoreError
from tui.core.articles.library import Article

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork (POSIX)"
)
FORK = multiprocessing.get_context("fork")
NEVER = 1 << 40


def journaled(db: Path, compact_min: int = NEVER) -> AnnotationStore:
    return AnnotationStore(db, journal_from=0, compact_min=compact_min, compact_ratio=0.0)


def ids_in(db: Path) -> set[str]:
    return {a["id"] for a in journaled(db).annotations()}


def _writer(db: Path, article: Article, pipe: Connection, seed: int) -> None:
    """Add (and sometimes delete) forever; compactions run every ~16 KB of journal."""
    rng = random.Random(seed)
    store = journaled(db, compact_min=16_000)
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
                record = store.add(article, quote_at, quote_at + 11, note=note, author="w")
                ours.append(record["id"])
                pipe.send(("add", record["id"]))
    finally:
        os._exit(0)


def test_sigkill_during_appends_and_compactions_loses_nothing_acknowledged(
    tmp_path: Path,
) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    rng = random.Random(20261202)
    added: set[str] = set()
    deleted: set[str] = set()
    maybe_deleted: set[str] = set()
    kills = 0
    deadline = time.monotonic() + 5.0
    while kills < 40 and time.monotonic() < deadline:
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
            {"add": added, "intent-del": maybe_deleted, "del": deleted}[kind].add(annotation_id)
        receiver.close()
        present = ids_in(db) if db.exists() else set()
        assert added - maybe_deleted <= present, "an acknowledged annotation was lost"
        assert not (deleted & present), "an acknowledged delete came back"
    pending = journal.read(db.with_name(db.name + ".journal")).entries
    print(f"{kills} kills, {len(added)} adds, {len(deleted)} deletes, "
          f"{len(pending)} journal entries not yet compacted")  # fmt: skip
    assert kills >= 10 and len(added) >= 20
    assert db.stat().st_size > 16_000  # compactions did happen


def _die_at(db: Path, article: Article, owner_name: str, name: str, nth: int, what: str) -> None:
    """Add one annotation (``what="add"``) or compact, SIGKILLing this process at the
    ``nth`` call of ``<owner>.<name>``; ``os.write`` is cut to half an entry first."""
    import tui.core.annotations.storage as storage_module

    owner = storage_module if owner_name == "storage" else os
    real = getattr(owner, name)
    calls = 0

    def fatal(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == nth:
            if name == "write":
                fd, data = args
                assert isinstance(data, memoryview)
                real(fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    try:
        store = journaled(db)
        setattr(owner, name, fatal)
        if what == "add":
            start = article.body.index("HK$1 billion")
            store.add(article, start, start + 12, author="doomed")
        else:
            store.compact()
    finally:
        os._exit(3)  # not reached when the kill happened


@pytest.mark.parametrize(
    ("what", "owner", "name", "nth", "saved"),
    [
        ("add", "os", "write", 1, False),  # half an entry written: a torn tail
        ("add", "os", "fsync", 1, True),  # written, not yet synced (kill keeps page cache)
        ("compact", "os", "fchmod", 1, True),  # temp snapshot created
        ("compact", "os", "fsync", 1, True),  # temp snapshot written, not synced
        ("compact", "os", "link", 1, True),  # about to keep the backup
        ("compact", "os", "replace", 2, True),  # about to switch the snapshot
        ("compact", "storage", "fsync_dir", 1, True),  # switched; journal not yet emptied
        ("compact", "os", "ftruncate", 1, True),  # about to empty the journal
    ],
)
def test_sigkill_at_each_step_of_an_append_or_compaction_leaves_old_or_new(
    tmp_path: Path, what: str, owner: str, name: str, nth: int, saved: bool
) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    store = journaled(db)
    start = article.body.index("13,000 jobs")
    old = {store.add(article, start, start + 11, author="p")["id"] for _ in range(3)}
    child = FORK.Process(target=_die_at, args=(db, article, owner, name, nth, what))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    reopened = journaled(db)
    after = {a["id"] for a in reopened.annotations()}
    assert after >= old
    assert len(after) == (len(old) + 1 if saved and what == "add" else len(old))
    if what == "add" and not saved:
        assert "unfinished save" in reopened.take_notices()[0]
    extra = reopened.add(article, start, start + 11, author="after")  # the sequence goes on
    assert ids_in(db) == after | {extra["id"]}


def _burst(db: Path, article: Article, count: int, pipe: Connection) -> None:
    try:
        store = journaled(db, compact_min=8_000)
        start = article.body.index("HK$50 billion")
        author = f"p{os.getpid()}"
        ids = [store.add(article, start, start + 13, author=author)["id"] for _ in range(count)]
        pipe.send(ids)
    except Exception as exc:  # reported to the parent, which fails the test with it
        pipe.send([f"writer failed: {exc!r}"])
    finally:
        os._exit(0)


def test_concurrent_appenders_never_lose_each_others_entries(tmp_path: Path) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    journaled(db).add_correction({"id": "seed", "action": "ignore", "text": "x"})
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
    assert sorted(ids_in(db)) == sorted(acknowledged) and len(acknowledged) == 120
    found = journal.read(db.with_name(db.name + ".journal"))
    assert found.torn is None and found.damaged == []
    seqs = [entry.seq for entry in found.entries]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True


def _fill_disk(db: Path, article: Article, limit: int, pipe: Connection) -> None:
    """With a file-size limit just above the journal's size, try to append; report."""
    try:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        store = journaled(db)
        start = article.body.index("HK$1 billion")
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        try:
            store.add(article, start, start + 12, note="y" * 5000, author="child")
            pipe.send(("saved", "", 0))
        except StoreError as exc:
            in_memory = len(store.annotations())
            on_disk = len(journaled(db).annotations())
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
            store.save()  # the limit is lifted: the retry saves it
            pipe.send(("refused", str(exc), (in_memory, on_disk)))
    finally:
        os._exit(0)


def test_a_full_disk_during_an_append_keeps_the_journal_whole_and_the_change(
    tmp_path: Path,
) -> None:
    article = make_article(tmp_path / "articles")
    db = tmp_path / "annotations.json"
    store = journaled(db)
    start = article.body.index("13,000 jobs")
    for _ in range(5):
        store.add(article, start, start + 11, note="z" * 1000, author="parent")
    path = store.journal_path
    before = path.read_bytes()
    receiver, sender = FORK.Pipe(duplex=False)
    child = FORK.Process(target=_fill_disk, args=(db, article, len(before) + 100, sender))
    child.start()
    sender.close()
    outcome, message, counts = receiver.recv()
    child.join()
    assert outcome == "refused"
    assert "not saved (File too large)" in message and "lost if Claimdesk exits" in message
    assert counts == (6, 5)
    found = journal.read(path)
    assert found.torn is None and found.damaged == [] and path.read_bytes().startswith(before)
    assert len(journaled(db).annotations()) == 6
