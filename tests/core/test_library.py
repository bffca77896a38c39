"""The article library: good files load, every kind of bad file is skipped with one clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.articles.index import index_path
from tui.core.articles.library import (
    ArticleError,
    ArticleMeta,
    load_article,
    read_article,
    render_article,
    scan_library,
    slugify,
    write_article,
)
from tui.core.articles.versions import (
    article_versions,
    delete_article,
    keep_version,
    restore_article,
)
from tui.core.text import sha256_text

GOOD_BODY = "Hong Kong allocated HK$1 billion.\nA second paragraph."


def _write_good(directory: Path, article_id: str = "good-one") -> Path:
    meta = ArticleMeta(id=article_id, title="A good article", path=directory, source="Test")
    return write_article(directory, meta, GOOD_BODY)


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.md", b"", "empty file"),
    ("blank.md", b"  \n\n", "empty file"),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("latin1.md", "---\nid: x\ntitle: caf\xe9\n---\nbody".encode("latin-1"), "not valid UTF-8"),
    ("nofront.md", b"Just text, no front matter.", "no front matter"),
    ("unclosed.md", b"---\nid: a\ntitle: b\nbody never closed", "not closed"),
    ("badyaml.md", b"---\nid: [unclosed\ntitle: b\n---\nbody", "malformed front matter"),
    ("listyaml.md", b"---\n- a\n- b\n---\nbody", "not a mapping"),
    ("noid.md", b"---\ntitle: b\n---\nbody", "needs an 'id'"),
    ("badid.md", b"---\nid: ../../etc\ntitle: b\n---\nbody", "needs an 'id'"),
    ("notitle.md", b"---\nid: t\n---\nbody", "needs a 'title'"),
    ("listtitle.md", b"---\nid: t\ntitle: [a, b]\n---\nbody", "'title' must be text"),
    (
        "deep.md",
        b"---\nid: t\ntitle: t\nx: " + b"[" * 50_000 + b"]" * 50_000 + b"\n---\nb",
        "nests too deeply",
    ),
    ("bigheader.md", b"---\nid: t\ntitle: t\nx: '" + b"y" * 70_000 + b"'\n---\nb", "too large"),
    ("mapsource.md", b"---\nid: t\ntitle: t\nsource: {a: b}\n---\nbody", "'source' must be"),
    ("nobody.md", b"---\nid: nb\ntitle: b\n---\n\n", "no text"),
    ("baddate.md", b"---\nid: d\ntitle: t\npublished: 2024-13-45\n---\nbody", "impossible date"),
    ("feb30.md", b"---\nid: d\ntitle: t\nupdated: 2023-02-30\n---\nbody", "impossible date"),
    ("alias.md", b"---\nid: a\ntitle: &t x\nsource: *t\n---\nbody", "anchors or aliases"),
    (
        "merge.md",
        b"---\nid: m\nbase: {source: x}\n<<: {title: t}\n---\nbody",
        "merge key",
    ),
    ("currency.md", b"---\nid: c\ntitle: t\ncurrency: dollars\n---\nbody", "ISO code"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES)
def test_bad_file_is_skipped_with_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    _write_good(tmp_path)
    (tmp_path / name).write_bytes(content)
    scan = scan_library(tmp_path)
    assert [a.id for a in scan.articles] == ["good-one"]
    assert len(scan.problems) == 1
    problem = scan.problems[0]
    assert problem.path.name == name
    assert reason in problem.reason
    assert "\n" not in str(problem)


def test_huge_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    _write_good(tmp_path)
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing read
    scan = scan_library(tmp_path)
    assert [a.id for a in scan.articles] == ["good-one"]
    assert "too large" in scan.problems[0].reason


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_good(tmp_path)
    locked = tmp_path / "locked.md"
    locked.write_text("---\nid: locked\ntitle: t\n---\nbody", encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    scan = scan_library(tmp_path)
    assert [a.id for a in scan.articles] == ["good-one"]
    assert "permission denied" in scan.problems[0].reason


def test_fifo_and_folder_are_not_articles(tmp_path: Path) -> None:
    _write_good(tmp_path)
    os.mkfifo(tmp_path / "pipe.md")  # reading it would block forever
    (tmp_path / "folder.md").mkdir()
    scan = scan_library(tmp_path)
    assert [a.id for a in scan.articles] == ["good-one"]
    assert sorted(p.path.name for p in scan.problems) == ["folder.md", "pipe.md"]


def test_duplicate_id_keeps_the_first(tmp_path: Path) -> None:
    _write_good(tmp_path)
    (tmp_path / "zz-copy.md").write_text(
        render_article(ArticleMeta(id="good-one", title="Copy", path=tmp_path), "Other body."),
        encoding="utf-8",
    )
    scan = scan_library(tmp_path)
    assert [a.title for a in scan.articles] == ["A good article"]
    assert "duplicate id 'good-one'" in scan.problems[0].reason


def test_missing_library_is_empty_not_an_error(tmp_path: Path) -> None:
    scan = scan_library(tmp_path / "nowhere")
    assert scan.articles == [] and scan.problems == []


def test_round_trip_and_canonical_body(tmp_path: Path) -> None:
    path = _write_good(tmp_path)
    article = read_article(path)
    assert article.body == GOOD_BODY
    assert article.sha256 == sha256_text(GOOD_BODY)
    assert article.meta.words == 8
    assert article.meta.source == "Test"


def test_hand_edited_body_is_recanonicalised(tmp_path: Path) -> None:
    path = tmp_path / "edited.md"
    path.write_bytes(b"---\nid: edited\ntitle: T\n---\r\nLine one\r\n\r\n\tLine\x1b[2J two\r\n")
    article = read_article(path)
    assert article.body == "Line one\nLine␛[2J two"


def test_index_cache_serves_unchanged_files_and_sees_edits(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    path = _write_good(library)
    first = scan_library(library, cache)
    assert index_path(library, cache).exists()
    second = scan_library(library, cache)
    assert second.articles == first.articles
    path.write_text(path.read_text(encoding="utf-8").replace("A second", "An edited"), "utf-8")
    third = scan_library(library, cache)
    assert third.articles[0].sha256 != first.articles[0].sha256
    assert load_article(third.articles[0]).body.endswith("An edited paragraph.")


def test_corrupt_index_is_ignored(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    _write_good(library)
    cache.mkdir()
    index_path(library, cache).write_bytes(b"{not json")
    assert [a.id for a in scan_library(library, cache).articles] == ["good-one"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Hong Kong Tech Revival: $50B Investments, 13K Jobs in AI, Biotech",
            "hong-kong-tech-revival-50b-investments-13k-jobs",
        ),
        ("Café “quotes” & ümlauts", "cafe-quotes-umlauts"),
        ("!!!", "article"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_front_matter_fields_show_control_characters_visibly(tmp_path: Path) -> None:
    path = tmp_path / "hostile.md"
    path.write_text(
        '---\nid: hostile\ntitle: "T \\e[2J"\nsource: "\\e]52;c;SGk=\\a [b]x[/b]"\n'
        'author: "\\e[31mred"\nurl: "https://e.com/\\x9b"\n---\nBody.\n',
        encoding="utf-8",
    )
    meta = read_article(path).meta
    assert (meta.title, meta.source, meta.author, meta.url) == (
        "T ␛[2J", "␛]52;c;SGk=␇ [b]x[/b]", "␛[31mred", "https://e.com/\ufffd",
    )  # fmt: skip
    assert scan_library(tmp_path, tmp_path / "cache").articles[0] == meta
    assert scan_library(tmp_path, tmp_path / "cache").articles[0] == meta  # from the index


def yaml_alias_bomb() -> str:
    """YAML lines whose last alias ``*j`` stands for 9**10 "lol"s if ever turned into text."""
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, previous in zip("bcdefghij", "abcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(levels) + "\n"


def test_a_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.md"
    bomb.write_text("---\nid: bomb\n" + yaml_alias_bomb() + "title: *j\n---\nBody.\n")
    scan = scan_library(tmp_path)
    assert scan.articles == [] and "anchors or aliases" in str(scan.problems[0])


def merge_key_bomb() -> str:
    """A merge-key chain: each level merges the previous one nine times."""
    levels = ["a: &a {x: 1}"]
    for name, previous in zip("bcdefghij", "abcdefghi", strict=True):
        levels.append(f"{name}: &{name} {{<<: [" + ", ".join([f"*{previous}"] * 9) + "]}")
    return "\n".join(levels) + "\n"


def test_a_merge_key_bomb_is_refused(tmp_path: Path) -> None:
    (tmp_path / "merge.md").write_text("---\nid: m\ntitle: t\n" + merge_key_bomb() + "---\nB.\n")
    (problem,) = scan_library(tmp_path).problems
    assert "anchors or aliases" in problem.reason


def test_a_quoted_merge_key_and_ampersands_in_values_are_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text(
        "---\nid: p\ntitle: 'Q&A: *the* rates << costs'\nsource: AT&T\n'<<': x\n---\nBody.\n"
    )
    meta = read_article(path).meta
    assert (meta.title, meta.source) == ("Q&A: *the* rates << costs", "AT&T")


def test_new_front_matter_fields_round_trip(tmp_path: Path) -> None:
    meta = ArticleMeta(
        id="web",
        title="From the web",
        path=tmp_path,
        published="2025-03-05",
        updated="2025-03-06T10:00:00Z",
        url="https://example.org/final",
        original_url="https://example.org/start",
        currency="AUD",
    )
    loaded = read_article(write_article(tmp_path, meta, GOOD_BODY)).meta
    assert (loaded.updated, loaded.url, loaded.original_url, loaded.currency) == (
        "2025-03-06T10:00:00Z", "https://example.org/final", "https://example.org/start", "AUD",
    )  # fmt: skip
    (tmp_path / "lower.md").write_text("---\nid: l\ntitle: t\ncurrency: aud\n---\nBody.\n")
    assert read_article(tmp_path / "lower.md").meta.currency == "AUD"


def test_write_article_never_follows_a_planted_temp_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "annotations.json"
    victim.write_text("precious", encoding="utf-8")
    library = tmp_path / "lib"
    library.mkdir()
    for name in (".good-one.md.tmp", ".good-one.md"):
        (library / name).symlink_to(victim)
    _write_good(library)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert read_article(library / "good-one.md").body == GOOD_BODY
    assert sorted(p.name for p in library.iterdir() if p.name.endswith(".tmp")) == [
        ".good-one.md.tmp"  # the planted link, left alone; no temp file of ours is left
    ]


def test_library_index_never_follows_a_planted_temp_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "annotations.json"
    victim.write_text("precious", encoding="utf-8")
    library, cache = tmp_path / "lib", tmp_path / "cache"
    _write_good(library)
    cache.mkdir()
    index = index_path(library, cache)
    for name in ("library-index-v2.tmp", "library-index-v3.tmp", f".{index.name}.tmp"):
        (cache / name).symlink_to(victim)
    scan_library(library, cache)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert index.is_file() and not index.is_symlink()


def test_write_article_is_durable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    _write_good(tmp_path)
    assert len(synced) >= 2  # the file, then its folder


def test_create_never_replaces_an_existing_article(tmp_path: Path) -> None:
    _write_good(tmp_path)
    other = ArticleMeta(id="good-one", title="Another", path=tmp_path)
    with pytest.raises(FileExistsError):
        write_article(tmp_path, other, "A different text.", create=True)
    assert read_article(tmp_path / "good-one.md").body == GOOD_BODY
    assert [p.name for p in tmp_path.iterdir()] == ["good-one.md"]


def test_delete_keeps_a_copy_and_restore_puts_it_back(tmp_path: Path) -> None:
    path = _write_good(tmp_path)
    original = path.read_bytes()
    kept = delete_article(tmp_path, "good-one")
    assert not path.exists() and kept.read_bytes() == original
    assert scan_library(tmp_path).articles == []  # the versions folder is not listed
    meta = restore_article(tmp_path, "good-one")
    assert meta.id == "good-one" and path.read_bytes() == original
    with pytest.raises(ArticleError, match="no deleted article"):
        restore_article(tmp_path, "good-one")
    with pytest.raises(ArticleError, match="no article 'nope'"):
        delete_article(tmp_path, "nope")


def test_restore_never_replaces_an_article_with_the_same_id(tmp_path: Path) -> None:
    _write_good(tmp_path)
    delete_article(tmp_path, "good-one")
    _write_good(tmp_path)
    with pytest.raises(ArticleError, match="already has 'good-one'"):
        restore_article(tmp_path, "good-one")
    assert len(article_versions(tmp_path, "good-one")) == 1


def test_keep_version_names_the_text_it_keeps(tmp_path: Path) -> None:
    meta = read_article(_write_good(tmp_path)).meta
    kept = keep_version(tmp_path, meta)
    assert kept.name == f"good-one.{meta.sha256[:12]}.md"
    assert keep_version(tmp_path, meta) == kept
    assert article_versions(tmp_path, "good-one") == [kept]
    assert article_versions(tmp_path, "good") == []  # another id's prefix is not its version


def test_a_created_article_gets_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        meta = ArticleMeta(id="perm", title="T", path=tmp_path)
        path = write_article(tmp_path, meta, GOOD_BODY, create=True)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600


def test_create_works_where_hard_links_are_not_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    meta = ArticleMeta(id="nolink", title="T", path=tmp_path)
    path = write_article(tmp_path, meta, GOOD_BODY, create=True)
    assert read_article(path).body == GOOD_BODY
    with pytest.raises(FileExistsError):
        write_article(tmp_path, meta, "Other text.", create=True)
    assert read_article(path).body == GOOD_BODY
    assert [p.name for p in tmp_path.iterdir()] == ["nolink.md"]
