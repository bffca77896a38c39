"""Issue 16, items 1–6, attacked from outside through the console script: planted temp-name
symlinks, hostile export targets, concurrent imports, stale offsets, spreadsheet formulas and
bidi spoofing. Each command is time-bounded; none may change the database it only reads, replace
a FIFO or link, print a traceback, or put a bidi control on the screen."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.cli.attack_support import (
    ARTICLE_ID,
    BOUND,
    CLAIMDESK,
    SPOOFING,
    Desk,
    assert_anchored_exports_point_at_quotes,
    assert_clean_output,
    make_desk,
)

FORMULA = "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def desk(tmp_path: Path, desk_template: Path) -> Desk:
    return make_desk(tmp_path, desk_template)


# -- 1. predictable temp names --------------------------------------------------------------


def test_symlink_at_export_temp_name_is_not_followed(desk: Desk) -> None:
    """A link planted at ``.<name>.tmp`` beside the export target never redirects the export
    into the database."""
    before = desk.database()
    planted = desk.root / ".out.json.tmp"
    planted.symlink_to(desk.db)
    result = desk.run("export", "-o", str(desk.root / "out.json"))
    assert result.returncode == 0, result.stderr
    assert desk.database() == before
    assert planted.is_symlink() and planted.readlink() == desk.db
    assert json.loads((desk.root / "out.json").read_text())["annotations"]


def test_symlink_at_article_temp_name_is_not_followed(desk: Desk) -> None:
    """The article writer never writes through a link at ``.<id>.md.tmp``."""
    before = desk.database()
    source = desk.root / "budget.txt"
    source.write_text("Budget rises 3%\n\nThe budget rises 3% to EUR 9 billion.\n")
    planted = desk.library / ".budget-rises-3.md.tmp"
    planted.symlink_to(desk.db)
    result = desk.run("import", str(source))
    assert result.returncode == 0, result.stderr
    assert desk.database() == before
    assert (desk.library / "budget-rises-3.md").is_file()
    assert not (desk.library / "budget-rises-3.md").is_symlink()


def test_symlink_at_library_index_temp_name_is_not_followed(desk: Desk) -> None:
    """``list`` rebuilding the library index never writes through a link at the index's old
    temp name."""
    before = desk.database()
    index_dir = desk.root / "cache"
    index_dir.mkdir(exist_ok=True)
    for index in index_dir.glob("library-index*.json"):
        index.unlink()
    planted = [
        index_dir / name.format(n)
        for n in (1, 2, 3, 4)
        for name in (".library-index-v{}.json.tmp", "library-index-v{}.tmp")
    ]
    for link in planted:
        link.symlink_to(desk.db)
    result = desk.run("list")
    assert result.returncode == 0, result.stderr
    assert desk.database() == before
    assert all(link.is_symlink() for link in planted)


# -- 2. hostile export targets --------------------------------------------------------------


def test_export_to_fifo_writes_through_it(desk: Desk) -> None:
    """A FIFO with a reader receives the export and stays a FIFO."""
    fifo = desk.root / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = desk.run("export", "--format", "jsonl", "-o", str(fifo))
    reader.join(BOUND)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"13,000 homes" in received[0]


def test_export_to_fifo_without_reader_refuses_quickly(desk: Desk) -> None:
    """Nobody reads the FIFO: one line, no hang, the FIFO kept."""
    fifo = desk.root / "pipe"
    os.mkfifo(fifo)
    result = desk.run("export", "-o", str(fifo), timeout=20)
    assert result.returncode == 1
    assert "FIFO" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def null_device(folder: Path) -> Path:
    """A character device like /dev/null to export to. As root, a private node in ``folder``
    (same device numbers): an exporter that replaced devices would replace only that node, never
    the machine's /dev/null. Without the right to make device nodes, /dev/null itself, which
    such a process cannot replace anyway."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        return Path(os.devnull)
    return node


def test_export_to_a_null_device_keeps_the_device(desk: Desk) -> None:
    device = null_device(desk.root)
    result = desk.run("export", "-o", str(device))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_export_to_symlink_writes_its_target_and_keeps_the_link(desk: Desk) -> None:
    target = desk.root / "exports" / "claims.csv"
    target.parent.mkdir()
    target.write_text("old")
    link = desk.root / "latest.csv"
    link.symlink_to(target)
    result = desk.run("export", "--format", "csv", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.readlink() == target
    assert "13,000 homes" in target.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    "companion", [".bak", ".v1.bak", ".v2.bak", ".lock", ".journal", ".state.json", ""]
)
def test_export_never_replaces_the_database_or_a_companion(desk: Desk, companion: str) -> None:
    """Every backup, lock, journal and state name beside the database is refused with a line,
    whether it exists yet or not, directly or through a symlink."""
    desk.annotate("EUR 2.5 billion")  # a second save: the database has a backup now
    target = desk.db.with_name(desk.db.name + companion)
    existing = target.read_bytes() if target.exists() else None
    before = desk.database()
    link = desk.root / "innocent.json"
    link.symlink_to(target)
    for path in (target, link):
        result = desk.run("export", "-o", str(path))
        assert result.returncode == 1, (path, result.stdout)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert desk.database() == before
        assert (target.read_bytes() if target.exists() else None) == existing
    assert link.is_symlink()


@pytest.mark.parametrize("name", ["new.json", f"{ARTICLE_ID}.md", ".versions/x.md"])
def test_export_into_the_library_is_refused(desk: Desk, name: str) -> None:
    """Directly, and through a symlinked folder that leads into the library."""
    files = {p: p.read_bytes() for p in desk.library.rglob("*") if p.is_file()}
    (desk.root / "shelf").symlink_to(desk.library)
    for folder in (desk.library, desk.root / "shelf"):
        result = desk.run("export", "--format", "md", "-o", str(folder / name))
        assert result.returncode == 1
        assert "library" in result.stderr
    assert {p: p.read_bytes() for p in desk.library.rglob("*") if p.is_file()} == files


def test_export_to_a_hard_link_of_the_database_is_refused(desk: Desk) -> None:
    before = desk.database()
    os.link(desk.db, desk.root / "copy.json")
    result = desk.run("export", "-o", str(desk.root / "copy.json"))
    assert result.returncode == 1 and "hard link" in result.stderr
    assert desk.database() == before


# -- 3. two imports into one library --------------------------------------------------------


def test_concurrent_imports_with_different_databases_keep_both_texts(desk: Desk) -> None:
    """Two imports started together, each with its own --db and cache, of eight stories under
    the same eight headlines but different texts: every text survives (as the article or as a
    kept version), no traceback."""
    texts = []
    commands = []
    for n in (1, 2):
        sources = []
        for k in range(8):
            source = desk.root / f"in{n}" / f"story{k}.txt"
            source.parent.mkdir(exist_ok=True)
            story = f"Version {n}: tunnel {k} costs HK${n}{k} billion"
            source.write_text(f"Harbour tunnel {k} costs rise\n\n{story}.\n")
            texts.append(story)
            sources.append(str(source))
        (desk.root / f"db{n}").mkdir()
        commands.append(
            [str(CLAIMDESK), "--articles", str(desk.library), "--db",
             str(desk.root / f"db{n}" / "a.json"), "import", *sources]
        )  # fmt: skip
    envs = [{**desk.env, "CLAIMDESK_CACHE": str(desk.root / f"cache{n}")} for n in (1, 2)]
    procs = [
        subprocess.Popen(c, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c, e in zip(commands, envs, strict=True)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=BOUND)
        assert_clean_output(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
        assert proc.returncode in (0, 1), err
    kept = "\n".join(p.read_text() for p in desk.library.rglob("*.md"))
    assert [text for text in texts if text not in kept] == []


# -- 4. stale offsets after an edit ---------------------------------------------------------


def test_exports_after_a_paragraph_is_added_above_point_at_the_quotes(desk: Desk) -> None:
    desk.annotate("4.2%", "--tag", "rent")
    desk.annotate("EUR 2.5 billion", "--field", "title")
    path = desk.library / f"{ARTICLE_ID}.md"
    text = path.read_text()
    head, sep, body = text.partition("\n---\n")
    path.write_text(head + sep + "Editor's note: this story was updated on Wednesday.\n" + body)
    assert assert_anchored_exports_point_at_quotes(desk) >= 3


def test_imported_offsets_past_the_text_are_not_exported_as_anchored(desk: Desk) -> None:
    document = json.loads(desk.export("json"))
    record = document["annotations"][0]
    record.update(id="past-the-end", start=10_000, end=10_012, quote="nowhere text")
    record.pop("current", None)
    document["annotations"] = [record]
    source = desk.root / "hostile.json"
    source.write_text(json.dumps(document))
    result = desk.run("import-annotations", str(source))
    assert result.returncode in (0, 1), result.stderr
    assert_anchored_exports_point_at_quotes(desk)


# -- 5. spreadsheet formulas ----------------------------------------------------------------


def test_csv_export_neutralises_formulas_in_note_tag_and_author(desk: Desk) -> None:
    for quote in ("EUR 2.5 billion", "4.2%"):
        result = desk.run(
            "annotate",
            ARTICLE_ID,
            "--quote",
            quote,
            "--tag",
            FORMULA.replace(",", ""),
            "--note",
            FORMULA,
            env={"CLAIMDESK_AUTHOR": FORMULA},
        )
        assert result.returncode == 0, result.stderr
    for excel in ((), ("--excel",)):
        result = desk.run("export", "--format", "csv", *excel)
        assert result.returncode == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert any("cmd|" in cell for cell in cells)
        risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert not risky, risky


def test_csv_export_neutralises_formulas_in_titles_and_quotes(desk: Desk) -> None:
    (desk.library / "formula.md").write_text(
        '---\nid: formula\ntitle: "=HYPERLINK(\\"http://example.invalid\\",\\"x\\")"\n---\n'
        "@SUM(1+2) was the EUR 3 million question.\n"
    )
    result = desk.run("annotate", "formula", "--quote", "@SUM(1+2) was")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(desk.export("csv").lstrip("\ufeff"))))
    mine = next(row for row in rows if row["article"] == "formula")
    assert "HYPERLINK" in mine["title"] and "@SUM" in mine["quote"]
    assert not [v for v in mine.values() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


# -- 6. bidi spoofing -----------------------------------------------------------------------


def test_bidi_controls_never_reach_the_screen_or_markdown(desk: Desk) -> None:
    path = desk.library / f"{ARTICLE_ID}.md"
    text = path.read_text()
    path.write_text(text.replace("title: Zurich", "title: Zurich \u202egnisuoh\u202c\u2066"))
    bidi = "\u202egnitset\u202c \u2067x\u2069 \u202a\u202b\u202d\u2066\u2068"
    desk.annotate("EUR 2.5 billion", "--tag", "t" + bidi.replace(" ", ""), "--note", bidi)
    for args in (
        ("list",),
        ("show", ARTICLE_ID, "--figures-only"),
        ("annotations",),
        ("annotations", "--json"),
        ("export", "--format", "md"),
    ):
        result = desk.run(*args)
        assert result.returncode == 0, (args, result.stderr)
    out = desk.root / "claims.md"
    assert desk.run("export", "--format", "md", "-o", str(out)).returncode == 0
    assert not SPOOFING & set(out.read_text())


@pytest.mark.parametrize(
    "args",
    [
        ("show", "\u202eabc\x1b[2J"),
        ("annotate", ARTICLE_ID, "--quote", "\u2066not there\x1b]0;pwned\x07"),
        ("export", "-o", "\u202eno-folder\x1b[31m/x.json"),
        ("import", "missing\u202e\x1b[1m.txt"),
        ("import-annotations", "missing\u2067.json"),
        ("annotations", "--search", "\u202e\x1b[5m"),
    ],
    ids=["show", "annotate", "export", "import", "import-annotations", "search"],
)
def test_hostile_arguments_echoed_in_messages_are_made_visible(
    desk: Desk, args: tuple[str, ...]
) -> None:
    """A message that repeats what the user typed shows its controls visibly (the shared
    checks fail on a raw bidi control or ESC) and changes nothing."""
    before = desk.database()
    result = desk.run(*args)
    assert result.returncode in (0, 1)
    assert desk.database() == before


def test_import_waits_for_the_library_lock_and_says_so(desk: Desk) -> None:
    """Another process holding the library's import lock (whatever its --db): the import
    says it is waiting and writes nothing until the lock is free."""
    from filelock import FileLock

    source = desk.root / "ferry.txt"
    source.write_text("Ferry fares rise\n\nFerry fares rose 8% to HK$12.\n")
    lock = FileLock(desk.library / ".import.lock")
    lock.acquire()
    try:
        proc = subprocess.Popen(
            [str(CLAIMDESK), "--articles", str(desk.library), "--db", str(desk.root / "b.json"),
             "import", str(source)],
            env={**desk.env, "CLAIMDESK_CACHE": str(desk.root / "cache-b")},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline and proc.poll() is None:
            assert not (desk.library / "ferry-fares-rise.md").exists()
            time.sleep(0.1)
        assert proc.poll() is None, "the import did not wait for the lock"
    finally:
        lock.release()
    out, err = proc.communicate(timeout=BOUND)
    assert_clean_output(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    assert proc.returncode == 0, err
    assert "waiting for another import" in err
    assert (desk.library / "ferry-fares-rise.md").is_file()
