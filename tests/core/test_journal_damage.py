"""Bad journals: torn tails are dropped once; damage is refused untouched until repaired."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.core.test_journal import journaled
from tests.core.test_store import add, make_article
from tui.cli import cli
from tui.core.annotations import journal
from tui.core.annotations.repair import repair_database
from tui.core.annotations.store import SCHEMA_VERSION, StoreError, open_store
from tui.core.articles.library import Article


@pytest.fixture
def article(tmp_path: Path) -> Article:
    return make_article(tmp_path / "articles")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def three_entries(db: Path, article: Article) -> list[str]:
    """A snapshot with one annotation and a journal adding three more; their ids."""
    store = journaled(db)
    ids = [add(store, article, "13,000 jobs", note=str(n))["id"] for n in range(4)]
    assert len(store.journal_path.read_bytes().splitlines()) == 3
    return ids


def flip_byte_in_line(path: Path, line_number: int) -> None:
    lines = path.read_bytes().split(b"\n")
    body = bytearray(lines[line_number])
    body[30] ^= 0x01
    lines[line_number] = bytes(body)
    path.write_bytes(b"\n".join(lines))


def files(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in db.parent.iterdir() if p.is_file()}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:-7], id="incomplete last entry"),
        pytest.param(lambda data: data + b'0badc0de {"seq": 5', id="half-written append"),
        pytest.param(lambda data: data + b"\x00" * 512, id="NUL block after the last entry"),
    ],
)
def test_a_torn_tail_is_never_applied_reported_once_and_cut_by_the_next_save(
    db: Path, article: Article, damage: object
) -> None:
    ids = three_entries(db, article)
    path = db.with_name(db.name + ".journal")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    store = journaled(db)
    survivors = {a["id"] for a in store.annotations()}
    assert survivors >= set(ids[:3])
    (notice,) = store.take_notices()
    assert str(path) in notice and "never confirmed" in notice and "\n" not in notice
    store.annotations()
    assert store.take_notices() == []  # once
    fresh = add(store, article, "HK$1 billion")
    found = journal.read(path)
    assert found.torn is None and found.damaged == []
    assert {a["id"] for a in open_store(db).annotations()} == survivors | {fresh["id"]}


def test_a_bad_checksum_on_the_last_complete_entry_is_a_torn_tail(
    db: Path, article: Article
) -> None:
    ids = three_entries(db, article)
    flip_byte_in_line(db.with_name(db.name + ".journal"), 2)
    store = journaled(db)
    assert {a["id"] for a in store.annotations()} == set(ids[:3])
    assert "checksum mismatch" in store.take_notices()[0]


def test_damage_before_intact_entries_is_refused_and_nothing_is_written(
    db: Path, article: Article
) -> None:
    three_entries(db, article)
    already_open = open_store(db)
    flip_byte_in_line(db.with_name(db.name + ".journal"), 0)
    before = files(db)
    with pytest.raises(StoreError) as caught:
        open_store(db)
    message = str(caught.value)
    assert "\n" not in message and f"{db}.journal" in message
    assert "byte 0" in message and "claimdesk compact --repair" in message
    assert files(db) == before
    # a store that had read those entries before they were damaged works from memory; its
    # append leaves the damaged bytes as they are, for the next open to refuse
    add(already_open, article, "HK$1 billion")
    journal_path = db.with_name(db.name + ".journal")
    assert journal_path.read_bytes().startswith(before[journal_path.name])
    with pytest.raises(StoreError, match="compact --repair"):
        open_store(db)


def test_a_journal_replaced_under_an_open_store_is_read_again(db: Path, article: Article) -> None:
    ids = three_entries(db, article)
    store = journaled(db)
    path = store.journal_path
    shorter = b"\n".join(path.read_bytes().split(b"\n")[:1]) + b"\n"
    path.unlink()
    path.write_bytes(shorter)  # a new file holding only the first entry
    assert {a["id"] for a in store.annotations()} == set(ids[:2])


def replace_journal(db: Path, line: bytes) -> None:
    db.with_name(db.name + ".journal").write_bytes(line)


def test_an_entry_from_a_newer_schema_is_refused_untouched(db: Path, article: Article) -> None:
    add(journaled(db), article, "13,000 jobs")
    replace_journal(db, journal.encode(2, SCHEMA_VERSION + 1, []))
    before = files(db)
    with pytest.raises(StoreError, match=r"\.journal: written by a newer Claimdesk.*upgrade"):
        open_store(db)
    assert files(db) == before


def test_a_journal_of_another_schema_than_its_snapshot_is_refused(
    db: Path, article: Article
) -> None:
    add(journaled(db), article, "13,000 jobs")
    replace_journal(db, journal.encode(2, SCHEMA_VERSION - 1, []))
    before = files(db)
    with pytest.raises(StoreError, match=rf"schema {SCHEMA_VERSION - 1} but .* is schema"):
        open_store(db)
    assert files(db) == before


def test_a_journal_that_does_not_continue_its_snapshot_is_refused(
    db: Path, article: Article
) -> None:
    add(journaled(db), article, "13,000 jobs")
    replace_journal(db, journal.encode(7, SCHEMA_VERSION, []))
    with pytest.raises(StoreError, match=r"continues with change 7 but .* up to 1"):
        open_store(db)


def test_a_journal_without_its_snapshot_is_refused(db: Path, article: Article) -> None:
    three_entries(db, article)
    db.unlink()
    before = files(db)
    with pytest.raises(StoreError, match=r"\.journal: a journal of \d+ bytes without its snapshot"):
        open_store(db)
    with pytest.raises(StoreError, match=r"put .* back"):
        repair_database(db)
    assert files(db) == before


def test_repair_keeps_every_intact_entry_and_reports_what_it_dropped(
    db: Path, article: Article
) -> None:
    ids = three_entries(db, article)
    path = db.with_name(db.name + ".journal")
    flip_byte_in_line(path, 1)  # the entry adding ids[2]
    damaged = path.read_bytes()
    report = repair_database(db)
    assert report[0].endswith("rebuilt with 2 journal change(s) applied")
    assert any("dropped the entry at byte" in line and "checksum" in line for line in report)
    (aside,) = db.parent.glob("annotations.json.journal.*.damaged")
    assert aside.read_bytes() == damaged
    assert {a["id"] for a in open_store(db).annotations()} == {ids[0], ids[1], ids[3]}
    assert path.stat().st_size == 0


def test_compact_command_and_its_repair_mode(db: Path, article: Article) -> None:
    three_entries(db, article)
    runner = CliRunner()
    base = ["--articles", str(db.parent / "articles"), "--db", str(db)]
    done = runner.invoke(cli, [*base, "compact"])
    assert done.exit_code == 0 and "compacted" in done.output
    assert runner.invoke(cli, [*base, "compact"]).output.strip().endswith("nothing to compact")
    store = journaled(db)
    add(store, article, "HK$1 billion")
    add(store, article, "HK$50 billion")
    flip_byte_in_line(store.journal_path, 0)
    refused = runner.invoke(cli, [*base, "compact"])
    assert refused.exit_code == 1 and "compact --repair" in refused.output
    assert refused.output.count("\n") == 1
    repaired = runner.invoke(cli, [*base, "compact", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "rebuilt with 1 journal change(s) applied" in repaired.output
    assert len(open_store(db).annotations()) == 5


def test_a_writer_rereads_a_torn_tail_before_cutting_it(
    db: Path, tmp_path: Path, article: Article
) -> None:
    """Another process cut the tail and appended an entry of the same length, and the
    filesystem's coarse mtime hides it: the cut must not destroy that entry."""
    import os
    import shutil

    three_entries(db, article)
    path = db.with_name(db.name + ".journal")
    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(db.parent, rehearsal, ignore=shutil.ignore_patterns("rehearsal"))
    rehearsed = rehearsal / db.name
    length_before = (rehearsal / path.name).stat().st_size
    add(journaled(rehearsed), article, "HK$1 billion", note="other")
    entry_length = (rehearsal / path.name).stat().st_size - length_before
    path.write_bytes(path.read_bytes() + b"x" * entry_length)  # a torn tail of that length
    mine = journaled(db)
    mine.annotations()
    assert mine.take_notices()
    stamp = os.stat(path)
    other = add(journaled(db), article, "HK$1 billion", note="other")  # cuts, then appends
    assert os.stat(path).st_size == stamp.st_size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as a coarse clock would
    add(mine, article, "HK$50 billion")
    assert other["id"] in {a["id"] for a in open_store(db).annotations()}


def test_an_unreadable_journal_is_one_clear_error(
    db: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_entries(db, article)
    real_open = open

    def refusing(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith(".journal"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", refusing)
    with pytest.raises(StoreError, match=r"\.journal: cannot read the journal \(Permission"):
        open_store(db)
