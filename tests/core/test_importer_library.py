"""How an import treats the library: its lock, leftovers, links, limits, and articles already there.

Each test here fails on an importer that locks beside the database, goes on unlocked, replaces a
file another writer just made, follows links out of the folder, accepts any size, or files a
corrected article under a new ``-2`` id.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from filelock import FileLock

from tests.core.test_importer import run
from tui.core.articles import importer, importlock
from tui.core.articles.importlock import ImportLockError, library_lock
from tui.core.articles.library import ArticleMeta, read_article, scan_library
from tui.core.articles.readers import MAX_HTML_BLOCKS, MAX_TEXT_BYTES
from tui.core.config import Settings
from tui.core.workspace import Workspace

STORY = "Harbour deal\n\nThe port operator agreed to sell 43 terminals for US$22.8 billion.\n"


def _story(tmp_path: Path, name: str = "story.txt", text: str = STORY) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_lock_lives_in_the_library_and_is_never_skipped(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    heard: list[str] = []
    with (
        FileLock(library / ".import.lock"),  # another import, with any database
        pytest.raises(ImportLockError, match="another import into") as caught,
        library_lock(library, wait=0.3, on_wait=heard.append),
    ):
        pass
    assert "\n" not in str(caught.value)
    assert len(heard) == 1 and heard[0].startswith(f"waiting for another import into {library}")
    with library_lock(library, wait=0.3):  # free again
        pass


def test_an_import_waits_says_so_and_fails_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importlock, "LOCK_WAIT", 0.3)
    library = tmp_path / "lib"
    library.mkdir()
    with FileLock(library / ".import.lock"):
        code, out, err = run(tmp_path, "import", str(_story(tmp_path)))
    assert code == 1 and out == ""
    lines = err.strip().split("\n")
    assert lines[0].startswith("waiting for another import into")
    assert lines[1].startswith("Error: another import into") and len(lines) == 2
    assert list(library.glob("*.md")) == []


def test_an_article_written_meanwhile_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "lib"
    real_write = importer.write_article
    theirs = b"---\nid: harbour-deal\ntitle: Harbour deal\n---\nAnother writer's text.\n"

    def racing_write(
        directory: Path, meta: ArticleMeta, body: str, *, create: bool = False
    ) -> Path:
        target = directory / f"{meta.id}.md"
        if meta.id == "harbour-deal" and not target.exists():
            target.write_bytes(theirs)  # another process wins the race for the id
        return real_write(directory, meta, body, create=create)

    monkeypatch.setattr(importer, "write_article", racing_write)
    code, out, err = run(tmp_path, "import", str(_story(tmp_path)))
    assert code == 0, err
    assert (library / "harbour-deal.md").read_bytes() == theirs
    assert "imported as harbour-deal-2" in out
    assert "US$22.8 billion" in read_article(library / "harbour-deal-2.md").body


def test_leftover_temporary_files_are_swept(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    old = library / ".harbour-deal.md.tmp"
    old_random = library / ".harbour-deal.md.k2j4x9.tmp"
    fresh = library / ".other.md.abc.tmp"
    for path in (old, old_random, fresh):
        path.write_text("half an article", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(old_random, (an_hour_ago, an_hour_ago))
    assert run(tmp_path, "import", str(_story(tmp_path)))[0] == 0
    assert not old.exists() and not old_random.exists()
    assert fresh.exists()  # a write in progress elsewhere is left alone


def test_a_link_out_of_the_folder_is_refused_and_one_inside_is_read(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    secret = _story(outside, "secret.txt")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "link.txt").symlink_to(secret)
    real = _story(folder, "real.txt", "Jobs report\n\nThe city added 13,000 jobs in March.\n")
    (folder / "alias.txt").symlink_to(real)
    code, out, err = run(tmp_path, "import", str(folder / "link.txt"), str(folder / "alias.txt"))
    assert code == 1
    assert f"error: {folder / 'link.txt'}: is a link to {secret}, outside {folder}" in err
    assert "imported as jobs-report" in out


def test_an_impossible_date_skips_that_file_only(tmp_path: Path) -> None:
    bad = _story(tmp_path, "bad.md", "---\ntitle: T\npublished: 2024-13-45\n---\nThe text.\n")
    code, out, err = run(tmp_path, "import", str(bad), str(_story(tmp_path)))
    assert code == 1
    assert "imported as harbour-deal" in out
    (line,) = [line for line in err.split("\n") if line.startswith("error:")]
    assert line.startswith(f"error: {bad}: impossible date in front matter")
    assert "Traceback" not in err


def test_oversized_text_and_html_are_refused_with_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes((b"Figures rose 5%. " * (MAX_TEXT_BYTES // 16))[: MAX_TEXT_BYTES + 1])
    html = tmp_path / "many.html"
    html.write_bytes(b"<html><body>" + b"<p>Row 1.</p>" * (MAX_HTML_BLOCKS + 1) + b"</body></html>")
    code, _, err = run(tmp_path, "import", str(big), str(html))
    assert code == 1
    assert f"error: {big}: too large (2.0 MB, limit 2 MB for text files)" in err
    assert f"error: {html}: the page has 20,001 paragraphs and blocks (limit 20,000)" in err


def test_a_corrected_file_replaces_the_article_in_place(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(_story(tmp_path)))[0] == 0
    path = tmp_path / "lib" / "harbour-deal.md"
    before = path.read_bytes()
    corrected = _story(tmp_path, "fixed.txt", STORY.replace("43 terminals", "41 terminals"))
    code, out, err = run(tmp_path, "import", str(corrected))
    assert code == 0, err
    assert "updated harbour-deal in place" in out
    assert [p.name for p in (tmp_path / "lib").glob("*.md")] == ["harbour-deal.md"]
    assert "41 terminals" in read_article(path).body
    (kept,) = (tmp_path / "lib" / ".versions").iterdir()
    assert kept.read_bytes() == before


def test_url_and_currency_options_reach_the_front_matter(tmp_path: Path) -> None:
    code, _, err = run(
        tmp_path,
        "import",
        str(_story(tmp_path)),
        "--url",
        "https://news.example/harbour",
        "--currency",
        "aud",
    )
    assert code == 0, err
    text = (tmp_path / "lib" / "harbour-deal.md").read_text(encoding="utf-8")
    assert "url: https://news.example/harbour\n" in text and "currency: AUD\n" in text
    (meta,) = scan_library(tmp_path / "lib").articles
    assert (meta.url, meta.currency) == ("https://news.example/harbour", "AUD")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--currency", "dollars"], "currency 'dollars' is not a three-letter ISO code"),
        (["--url", "news.example/x"], "--url news.example/x: not an http:// or https:// address"),
    ],
)
def test_bad_option_values_are_one_line(tmp_path: Path, options: list[str], message: str) -> None:
    code, _, err = run(tmp_path, "import", str(_story(tmp_path)), *options)
    assert code == 1
    assert err.strip() == f"Error: {message}" or err.strip().startswith(f"Error: {message}")


def test_url_names_one_file(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "import", "a.txt", "b.txt", "--url", "https://news.example/a")
    assert code == 2 and "one file's address" in err


def test_a_source_line_at_the_top_is_metadata_not_body(tmp_path: Path) -> None:
    source = _story(
        tmp_path,
        "wire.txt",
        "Nickel prices jump\n\nReuters\n\nNickel rose 4.1% on Monday to $17,250 a tonne.\n",
    )
    code, _, err = run(tmp_path, "import", str(source))
    assert code == 0, err
    (meta,) = scan_library(tmp_path / "lib").articles
    assert meta.source == "Reuters"
    assert read_article(meta.path).body == "Nickel rose 4.1% on Monday to $17,250 a tonne."


def test_a_headline_year_is_never_a_date(tmp_path: Path) -> None:
    source = _story(
        tmp_path, "budget.txt", "Budget 2025: what changes\n\nThe budget raises spending 3%.\n"
    )
    assert run(tmp_path, "import", str(source))[0] == 0
    (meta,) = scan_library(tmp_path / "lib").articles
    assert meta.published is None


def test_bidi_controls_in_a_title_are_stored_visibly(tmp_path: Path) -> None:
    source = _story(
        tmp_path, "bidi.txt", "Invoice \u202etxt.exe\u202c paid\n\nThe firm paid $5m.\n"
    )
    code, out, _ = run(tmp_path, "import", str(source))
    assert code == 0
    (meta,) = scan_library(tmp_path / "lib").articles
    assert meta.title == "Invoice ⁅txt.exe⁆ paid"
    assert "\u202e" not in out


def test_claims_follow_an_article_corrected_in_place(tmp_path: Path) -> None:
    text = (
        "Harbour deal\n\nA new opening paragraph.\n\n"
        "The operator sold 43 terminals for US$22.8 billion.\n"
    )
    assert run(tmp_path, "import", str(_story(tmp_path, "a.txt", text)))[0] == 0
    settings = Settings.from_paths(tmp_path / "lib", tmp_path / "a.json")
    workspace = Workspace(settings)
    workspace.load_library()
    article = workspace.article("harbour-deal")
    start = article.body.index("US$22.8 billion")
    workspace.add_claim(article, start, start + len("US$22.8 billion"), tags=["deal"])
    corrected = text.replace("A new opening paragraph.", "A longer, corrected opening paragraph.")
    code, out, _ = run(tmp_path, "import", str(_story(tmp_path, "b.txt", corrected)))
    assert code == 0 and "updated harbour-deal in place" in out
    fresh = Workspace(settings)
    fresh.load_library()
    updated = fresh.article("harbour-deal")
    (claim,) = fresh.claims(updated)
    assert claim.state != "orphan"
    assert updated.body[claim.start : claim.end] == "US$22.8 billion"


def test_bidi_controls_in_a_hand_written_file_never_reach_the_screen(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "b.md").write_text(
        '---\nid: b\ntitle: "Pay \\u202eexe.txt\\u202c now"\nsource: "\\u2067Wire\\u2069"\n---\n'
        "Body \u2066with\u2069 an isolate.\n",
        encoding="utf-8",
    )
    for command in (["list"], ["show", "b", "--figures-only"]):
        code, out, err = run(tmp_path, *command)
        assert code == 0, err
        assert not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in out + err)
        assert "⁅" in out
