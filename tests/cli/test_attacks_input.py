"""Issue 16, items 7–15, attacked from outside through the console script: pathological
bylines, YAML bombs, impossible dates, malformed interchange files, ASCII-only terminals,
invisible characters, no-op imports, legacy encodings, links out of a folder, invented dates,
colliding ids and leftover temporary files. Every command runs under a time bound and the
shared checks (no traceback, no bidi control or ESC on screen)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.cli.attack_support import ARTICLE_ID, BOUND, CLAIMDESK, Desk, make_desk


@pytest.fixture
def desk(tmp_path: Path, desk_template: Path) -> Desk:
    return make_desk(tmp_path, desk_template)


def front_matter(desk: Desk, article_id: str) -> dict[str, object]:
    text = (desk.library / f"{article_id}.md").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def hand_placed(desk: Desk, name: str, front: str, body: str = "It cost EUR 5 million.") -> Path:
    """An article file written by hand into the library, front matter as given."""
    path = desk.library / name
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return path


# -- 7. catastrophic backtracking -----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "By " + "A-" * 64 + "!",
        "By " + "A-" * 40 + "A and " + "B-" * 40 + "!",
        "By " + "A. " * 60 + "!",
        "Published " + "1" * 200 + "!",
        "Source: " + "A." * 100 + "!",
    ],
)
def test_pathological_header_lines_import_promptly(desk: Desk, line: str) -> None:
    source = desk.root / "hostile.txt"
    source.write_text(
        f"Harbour budget rises\n\n{line}\n\nThe harbour budget rose 3% to HK$2 billion.\n"
    )
    before = desk.database()
    result = desk.run("import", str(source), timeout=30)
    assert result.returncode == 0, result.stderr
    assert desk.database() == before


# -- 8. YAML merge-key and alias bombs ------------------------------------------------------


def _merge_bomb() -> str:
    lines = ["a0: &a0 {x: 1}"]
    for level in range(1, 24):
        lines.append(f"a{level}: &a{level} {{<<: [{', '.join([f'*a{level - 1}'] * 9)}]}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "front",
    [
        "id: bomb\ntitle: Bomb\n" + _merge_bomb(),
        "id: bomb\ntitle: Bomb\nx: &x [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(
            f"y{n}: &y{n} [{', '.join(['*x' if n == 0 else f'*y{n - 1}'] * 9)}]\n" for n in range(9)
        ),
    ],
    ids=["merge-keys", "aliases"],
)
def test_yaml_bomb_article_is_skipped_with_a_line(desk: Desk, front: str) -> None:
    hand_placed(desk, "bomb.md", front)
    for args in (("list",), ("annotations",), ("export", "--format", "md"), ("show", "bomb")):
        result = desk.run(*args, timeout=30)
        assert "bomb.md" in result.stdout + result.stderr, args
    listed = desk.run("list", "--json", timeout=30)
    assert [a["id"] for a in json.loads(listed.stdout)] == [ARTICLE_ID]


# -- 9. impossible dates --------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "0000-00-00", "2024-00-10"])
def test_impossible_date_skips_the_file_and_imports_the_rest(desk: Desk, date: str) -> None:
    bad = hand_placed(desk, "bad-date.md", f"id: bad-date\ntitle: Bad date\npublished: {date}\n")
    listed = desk.run("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "bad-date.md" in listed.stderr
    assert [a["id"] for a in json.loads(listed.stdout)] == [ARTICLE_ID]
    outside = desk.root / "incoming"
    outside.mkdir()
    bad.rename(outside / "a-bad.md")
    (outside / "b-good.txt").write_text("Ferry fares rise\n\nFerry fares rose 8% to HK$12.\n")
    result = desk.run("import", str(outside / "a-bad.md"), str(outside / "b-good.txt"))
    assert "a-bad.md" in result.stderr + result.stdout
    assert (desk.library / "ferry-fares-rise.md").is_file()


# -- 10. malformed import-annotations -------------------------------------------------------


@pytest.mark.parametrize("meta_id", [None, {"id": "x"}, 7, ["x"], ""])
def test_jsonl_with_bad_meta_id_is_refused_before_any_write(desk: Desk, meta_id: object) -> None:
    """A file of only bad lines changes nothing; in a mixed file the bad line is named and
    skipped (validated before the first write) and the good one imported."""
    good = json.loads(desk.export("jsonl").splitlines()[0])
    good["spans"][0]["id"] = "new-span"
    bad = json.loads(json.dumps(good))
    bad["meta"]["id"] = meta_id
    bad["spans"][0]["id"] = "bad-span"
    only_bad = desk.root / "bad.jsonl"
    only_bad.write_text(json.dumps(bad) + "\n")
    before = desk.database()
    result = desk.run("import-annotations", str(only_bad))
    assert "meta.id" in result.stderr and "line 1" in result.stderr
    assert desk.database() == before
    mixed = desk.root / "mixed.jsonl"
    mixed.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    result = desk.run("import-annotations", str(mixed))
    assert result.returncode == 0, result.stderr
    assert "line 2" in result.stderr and "meta.id" in result.stderr
    ids = {a["id"] for a in json.loads(desk.export("json"))["annotations"]}
    assert "new-span" in ids and "bad-span" not in ids


# -- 11. terminals that cannot show Unicode -------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}],
    ids=["pythonioencoding-ascii", "lc-all-c"],
)
def test_ascii_terminal_gets_escapes_not_a_traceback(desk: Desk, env: dict[str, str]) -> None:
    desk.annotate("EUR 2.5 billion", "--note", "Zürich’s €2.5bn — “approved”", "--tag", "café")
    for args in (
        ("list",),
        ("show", ARTICLE_ID, "--figures-only"),
        ("annotations",),
        ("export", "--format", "md"),
        ("annotations", "--search", "ü"),
        ("show", "no-such-ärticle"),
    ):
        result = desk.run(*args, env=env)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert "UnicodeEncodeError" not in result.stderr


# -- 12, 13. invisible characters -----------------------------------------------------------


def test_reimport_with_zero_width_before_combining_mark_adds_nothing(desk: Desk) -> None:
    source = desk.root / "cafe.txt"
    source.write_text("Cafe\u200b\u0301 prices rise\n\nPrices at the cafe\u200b\u0301 rose 5%.\n")
    first = desk.run("import", str(source))
    assert first.returncode == 0, first.stderr
    files = sorted(p.name for p in desk.library.glob("*.md"))
    second = desk.run("import", str(source))
    assert second.returncode == 0, second.stderr
    assert "already in the library" in second.stdout + second.stderr
    assert sorted(p.name for p in desk.library.glob("*.md")) == files


@pytest.mark.parametrize("joiner", ["\u200d", "\u2060", "\u00ad", "\u200b", "\ufeff"])
def test_joiner_inside_a_number_keeps_its_value(desk: Desk, joiner: str) -> None:
    source = desk.root / "hk.txt"
    source.write_text(f"Hong Kong budget\n\nThe government will spend HK$6{joiner}0 billion.\n")
    assert desk.run("import", str(source)).returncode == 0
    result = desk.run("entities", "hong-kong-budget", "--json", "--figures-only")
    assert result.returncode == 0, result.stderr
    money = [f for f in json.loads(result.stdout) if f["label"] == "MONEY"]
    assert [(f["value"], f["currency"]) for f in money] == [(6e10, "HKD")]


# -- 14. a no-op import keeps the backup ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "w3c"])
def test_noop_import_annotations_keeps_database_and_backup(desk: Desk, fmt: str) -> None:
    desk.annotate("EUR 2.5 billion")
    source = desk.root / f"same.{fmt}"
    source.write_text(desk.export(fmt))
    before = desk.database()
    assert any(name.endswith(".bak") for name in before), sorted(before)
    result = desk.run("import-annotations", str(source))
    assert result.returncode == 0, result.stderr
    assert desk.database() == before


# -- 15. smaller holes ----------------------------------------------------------------------


def test_cp1252_page_without_charset_is_not_mojibake(desk: Desk) -> None:
    page = (
        "<html><head><title>Caf\u00e9 prices rise</title></head><body><article>"
        "<h1>Caf\u00e9 prices rise</h1><p>Prices at the caf\u00e9 rose 5% to \u20ac3.20, "
        "\u201cofficials\u201d said on Tuesday in Z\u00fcrich.</p>"
        "<p>The na\u00efve estimate was \u20ac2.90 \u2013 a rise of 30 cents.</p>"
        "</article></body></html>"
    ).encode("cp1252")
    source = desk.root / "page.html"
    source.write_bytes(page)
    result = desk.run("import", str(source))
    assert result.returncode == 0, result.stderr
    imported = (desk.library / "cafe-prices-rise.md").read_text(encoding="utf-8")
    assert "caf\u00e9 rose 5% to \u20ac3.20, \u201cofficials\u201d" in imported
    assert "Z\u00fcrich" in imported and "\u00c3" not in imported


def test_symlink_out_of_the_folder_is_named(desk: Desk) -> None:
    folder = desk.root / "incoming"
    folder.mkdir()
    secret = desk.root / "secret.txt"
    secret.write_text("Private memo\n\nThe settlement was EUR 4 million.\n")
    (folder / "memo.txt").symlink_to(secret)
    (folder / "ok.txt").write_text("Bus fares rise\n\nBus fares rose 4% to EUR 2.\n")
    result = desk.run("import", *sorted(str(p) for p in folder.iterdir()))
    assert (
        "outside" in result.stdout + result.stderr and "memo.txt" in result.stdout + result.stderr
    )
    assert not (desk.library / "private-memo.md").exists()
    assert (desk.library / "bus-fares-rise.md").is_file()


@pytest.mark.parametrize(
    "head",
    ["", '<meta property="article:published_time" content="1995-01-01T00:00:00Z">'],
    ids=["no-date", "fallback-date"],
)
def test_invented_default_date_is_not_stored(desk: Desk, head: str) -> None:
    page = (
        f"<html><head>{head}<title>Port traffic falls</title></head><body><article>"
        "<h1>Port traffic falls</h1><p>Container traffic at the port fell 12% to 1.4 million "
        "boxes, the operator said.</p><p>Volumes have fallen for three years.</p>"
        "</article></body></html>"
    )
    source = desk.root / "port.html"
    source.write_text(page)
    assert desk.run("import", str(source)).returncode == 0
    meta = front_matter(desk, "port-traffic-falls")
    assert "1995" not in str(meta.get("published")) and "1995" not in str(meta.get("updated"))


def test_urn_uuid_id_and_bare_id_stay_two_annotations(desk: Desk) -> None:
    document = json.loads(desk.export("json"))
    record = document["annotations"][0]
    twin = {**record, "id": "urn:uuid:" + record["id"], "note": "the twin"}
    document["annotations"] = [record, twin]
    source = desk.root / "twins.json"
    source.write_text(json.dumps(document))
    assert desk.run("import-annotations", str(source)).returncode == 0
    ids = sorted(a["id"] for a in json.loads(desk.export("json"))["annotations"])
    assert ids == sorted([record["id"], twin["id"]])
    w3c = desk.root / "twins.w3c.json"
    w3c.write_text(desk.export("w3c"))
    fresh = Desk(desk.root, desk.library, desk.root / "fresh.json", desk.env)
    assert fresh.run("import-annotations", str(w3c)).returncode == 0
    assert sorted(a["id"] for a in json.loads(fresh.export("json"))["annotations"]) == ids


def test_leftover_article_temp_files_are_swept_at_the_next_import(desk: Desk) -> None:
    old = desk.library / f".{ARTICLE_ID}.md.k3j2h1.tmp"
    old.write_text("half an article")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    source = desk.root / "tram.txt"
    source.write_text("Tram line opens\n\nThe EUR 300 million tram line opened.\n")
    assert desk.run("import", str(source)).returncode == 0
    assert not old.exists()
    assert (desk.library / f"{ARTICLE_ID}.md").is_file()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "huge.txt",
            "Huge story\n\n" + "The fund grew 5% to EUR 3 billion this year.\n\n" * 70_000,
        ),
        ("blocks.html", "<html><body>" + "<p>Fares rose 4%.</p>" * 150_000 + "</body></html>"),
    ],
    ids=["3mb-text", "150k-paragraph-page"],
)
def test_oversized_input_is_refused_promptly_with_the_limit(
    desk: Desk, name: str, content: str
) -> None:
    source = desk.root / name
    source.write_text(content)
    result = desk.run("import", str(source), timeout=30)
    assert result.returncode == 1
    assert name in result.stderr and "limit" in result.stderr
    assert sorted(p.name for p in desk.library.glob("*.md")) == [f"{ARTICLE_ID}.md"]


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to watch system calls")
@pytest.mark.parametrize("command", ["import", "export"])
def test_article_and_export_writes_are_fsynced_before_rename(desk: Desk, command: str) -> None:
    """The temporary file of a new article or an export is fsynced before it takes its name."""
    source = desk.root / "tram.txt"
    source.write_text("Tram line opens\n\nThe EUR 300 million tram line opened.\n")
    args = ["import", str(source)] if command == "import" else ["export", "-o", "out.json"]
    trace = desk.root / "trace.txt"
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2,"
         "link,linkat", "-o", str(trace), str(CLAIMDESK), "--articles", str(desk.library),
         "--db", str(desk.db), *args],
        cwd=desk.root, env=desk.env, capture_output=True, text=True, timeout=BOUND, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    wanted = "tram-line-opens.md" if command == "import" else "out.json"
    synced: set[str] = set()
    opened: dict[tuple[str, str], str] = {}
    committed = []
    for line in trace.read_text().splitlines():
        pid, _, call = line.partition(" ")
        call = call.strip()
        if call.startswith("openat(") and f".{wanted}." in call and ".tmp" in call:
            temp = call.split('"')[1]
            opened[(pid, call.rsplit("= ", 1)[1].split()[0])] = temp
        elif call.startswith(("fsync(", "fdatasync(")):
            fd = call.split("(", 1)[1].split(")")[0]
            if (pid, fd) in opened:
                synced.add(opened[(pid, fd)])
        elif call.startswith(("rename", "link")) and f".{wanted}." in call:
            committed.append((call.split('"')[1], set(synced)))
    assert committed, trace.read_text()[-2000:]
    for temp, synced_before in committed:
        assert any(temp.endswith(Path(s).name) for s in synced_before), temp


@pytest.mark.parametrize("planted", ["fifo", "dev-zero", "sparse-300mb", "link-to-db"])
def test_planted_library_files_are_skipped_without_hanging(desk: Desk, planted: str) -> None:
    """A FIFO, a link to an endless device, a huge file or a link at an article's name in the
    library: every command lists the rest, the import takes another name, nothing is read
    forever and the database is untouched."""
    path = desk.library / "ferry-fares-rise.md"
    if planted == "fifo":
        os.mkfifo(path)
    elif planted == "dev-zero":
        path.symlink_to("/dev/zero")
    elif planted == "sparse-300mb":
        with open(path, "wb") as handle:
            handle.truncate(300 * 1024 * 1024)
    else:
        path.symlink_to(desk.db)
    planted_mode = os.lstat(path).st_mode
    planted_link = os.readlink(path) if path.is_symlink() else None
    before = desk.database()
    listed = desk.run("list", "--json", timeout=20)
    assert [a["id"] for a in json.loads(listed.stdout)] == [ARTICLE_ID]
    assert "ferry-fares-rise.md" in listed.stderr
    source = desk.root / "ferry.txt"
    source.write_text("Ferry fares rise\n\nFerry fares rose 8% to HK$12.\n")
    assert desk.run("import", str(source), timeout=20).returncode == 0
    assert desk.database() == before
    assert os.lstat(path).st_mode == planted_mode
    assert not path.is_symlink() or os.readlink(path) == planted_link
    assert desk.run("annotations", timeout=20).returncode == 0


def test_a_save_that_cannot_be_written_says_not_saved_and_changes_nothing(desk: Desk) -> None:
    """Writes past a 200-byte file-size limit fail (EFBIG, as a full or read-only disk fails
    for root): one line saying the claim was not saved; database and backup as they were."""
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    before = desk.database()
    result = subprocess.run(
        [str(CLAIMDESK), "--articles", str(desk.library), "--db", str(desk.db),
         "annotate", ARTICLE_ID, "--quote", "4.2%"],
        env=desk.env, capture_output=True, text=True, preexec_fn=small_files, timeout=BOUND,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "not saved" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert desk.database() == before
