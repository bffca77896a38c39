"""The export path policy and atomic writes (tui.core.fileio)."""

from __future__ import annotations

import os
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.fileio import ExportTargetError, atomic_write, write_export


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(database, article library, an output folder) with a database and one article."""
    db = tmp_path / "data" / "annotations.json"
    db.parent.mkdir()
    db.write_text('{"annotations": {}}')
    library = tmp_path / "articles"
    library.mkdir()
    (library / "a1.md").write_text("article")
    out = tmp_path / "out"
    out.mkdir()
    return db, library, out


def _export(path: Path, db: Path, library: Path, data: bytes = b"export\n") -> Path:
    return write_export(path, [data], protected_files={db}, protected_dirs={library})


def test_writes_a_new_file_with_the_umask_permissions(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    written = _export(out / "x.json", db, library)
    assert written == (out / "x.json").resolve()
    assert written.read_bytes() == b"export\n"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in out.iterdir()] == ["x.json"]  # no temp file left


def test_chunks_are_written_in_order_and_an_existing_mode_is_kept(
    layout: tuple[Path, Path, Path],
) -> None:
    db, _, out = layout
    target = out / "x.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_export(target, iter([b"a,", b"b\n", b"c"]), protected_files={db}, protected_dirs=set())
    assert target.read_bytes() == b"a,b\nc"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    "name",
    [
        "annotations.json",
        "annotations.json.bak",
        "annotations.json.v1.bak",
        "annotations.json.v2.bak",
        "annotations.json.lock",
        "annotations.json.journal",
        "annotations.json.wal",
        "annotations.bak",
        ".annotations.json.abc123.tmp",
    ],
)
def test_refuses_the_database_and_its_companions(
    layout: tuple[Path, Path, Path], name: str
) -> None:
    db, library, _ = layout
    before = db.read_bytes()
    with pytest.raises(ExportTargetError, match="choose another path") as caught:
        _export(db.parent / name, db, library)
    assert "\n" not in str(caught.value)
    assert name in str(caught.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["annotations.json"]


def test_a_neighbour_of_the_database_with_another_name_is_allowed(
    layout: tuple[Path, Path, Path],
) -> None:
    db, library, _ = layout
    assert _export(db.parent / "report.csv", db, library).read_bytes() == b"export\n"


@pytest.mark.parametrize("relative", ["a1.md", "new.md", "sub/../a1.md", "."])
def test_refuses_paths_inside_the_article_library(
    layout: tuple[Path, Path, Path], relative: str
) -> None:
    db, library, _ = layout
    with pytest.raises(ExportTargetError, match="inside the article library"):
        _export(library / relative, db, library)
    assert (library / "a1.md").read_text() == "article"
    assert sorted(p.name for p in library.iterdir()) == ["a1.md"]


def test_a_symlink_is_followed_and_kept(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    real = out / "real.json"
    real.write_text("old")
    link = out / "link.json"
    link.symlink_to(real)
    written = _export(link, db, library)
    assert written == real.resolve()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"export\n"


def test_a_dangling_symlink_creates_its_target(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    link = out / "link.json"
    link.symlink_to(out / "later.json")
    _export(link, db, library)
    assert link.is_symlink()
    assert (out / "later.json").read_bytes() == b"export\n"


@pytest.mark.parametrize("to", ["database", "backup", "article"])
def test_the_policy_applies_to_a_symlinks_target(layout: tuple[Path, Path, Path], to: str) -> None:
    db, library, out = layout
    victim = {
        "database": db,
        "backup": db.with_name(db.name + ".bak"),
        "article": library / "a1.md",
    }[to]
    if not victim.exists():
        victim.write_text("backup")
    before = victim.read_bytes()
    link = out / "innocent.json"
    link.symlink_to(victim)
    with pytest.raises(ExportTargetError, match=r"innocent\.json"):
        _export(link, db, library)
    assert victim.read_bytes() == before


def test_a_hard_link_to_the_backup_is_refused(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    backup = db.with_name(db.name + ".bak")
    backup.write_text("backup")
    os.link(backup, out / "copy.json")
    with pytest.raises(ExportTargetError, match="hard link"):
        _export(out / "copy.json", db, library)
    assert backup.read_text() == "backup"


def test_a_planted_symlink_at_a_temp_name_is_never_followed(
    layout: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link planted where the writer's temp file would go (the old predictable name and the
    first random name mkstemp tries) redirects nothing: the victim is untouched."""
    db, library, out = layout
    before = db.read_bytes()
    (out / ".x.json.tmp").symlink_to(db)
    (out / ".x.json.planted.tmp").symlink_to(db)

    def names() -> Iterator[str]:
        yield "planted"
        yield "fresh"

    monkeypatch.setattr(tempfile, "_get_candidate_names", names)
    _export(out / "x.json", db, library)
    assert db.read_bytes() == before
    assert (out / "x.json").read_bytes() == b"export\n"
    assert (out / ".x.json.planted.tmp").is_symlink()


def _null_device(folder: Path) -> Path:
    """A device like /dev/null: as root a private node in ``folder`` (same device numbers), so a
    regression that replaced devices would replace only that node, never the machine's
    /dev/null; without the right to make nodes, /dev/null itself (which such a process cannot
    replace anyway)."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        return Path(os.devnull)
    return node


def test_dev_null_is_written_and_never_replaced(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    device = _null_device(out)
    before = os.stat(device)
    assert _export(device, db, library) == device
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_one_line(layout: tuple[Path, Path, Path]) -> None:
    db, library, _ = layout
    with pytest.raises(ExportTargetError, match="cannot write /dev/full") as caught:
        _export(Path("/dev/full"), db, library, b"x" * 100_000)
    assert "\n" not in str(caught.value)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_directly(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    fifo = out / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:  # blocks until the export opens the FIFO
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 10
    while True:  # the reader counts once its open() has started
        try:
            _export(fifo, db, library, b"through the pipe")
            break
        except ExportTargetError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    reader.join(5)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_nobody_reads_is_refused_without_blocking(
    layout: tuple[Path, Path, Path],
) -> None:
    db, library, out = layout
    fifo = out / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportTargetError, match="no program is reading"):
        _export(fifo, db, library)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_missing_folder_is_one_line(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    with pytest.raises(ExportTargetError, match="does not exist; create it") as caught:
        _export(out / "nope" / "x.json", db, library)
    assert "\n" not in str(caught.value)
    assert not (out / "nope").exists()


def test_a_folder_is_refused(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    with pytest.raises(ExportTargetError, match="is a folder"):
        _export(out, db, library)


def test_a_symlink_loop_is_one_line(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    (out / "a").symlink_to(out / "b")
    (out / "b").symlink_to(out / "a")
    with pytest.raises(ExportTargetError):
        _export(out / "a", db, library)
    assert (out / "a").is_symlink() and (out / "b").is_symlink()


def test_a_failing_renderer_leaves_the_old_file(layout: tuple[Path, Path, Path]) -> None:
    db, library, out = layout
    target = out / "x.json"
    target.write_text("old")

    def chunks() -> Iterator[bytes]:
        yield b"half"
        raise ValueError("renderer broke")

    with pytest.raises(ValueError, match="renderer broke"):
        write_export(target, chunks(), protected_files={db}, protected_dirs={library})
    assert target.read_text() == "old"
    assert [p.name for p in out.iterdir()] == ["x.json"]


def test_a_read_only_folder_is_one_line(layout: tuple[Path, Path, Path]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    db, library, out = layout
    out.chmod(0o500)
    try:
        with pytest.raises(ExportTargetError, match="cannot write"):
            _export(out / "x.json", db, library)
    finally:
        out.chmod(0o700)


def test_atomic_write_replaces_the_file_and_sets_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "index.json"
    target.write_text("old")
    atomic_write(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    atomic_write(target, [b"a", b"b"])
    assert target.read_bytes() == b"ab"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["index.json"]
