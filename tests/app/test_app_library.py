"""Pilot tests of the library pane: filter, sort, unread marks, cursor, counts."""

from __future__ import annotations

from pathlib import Path

from tests.app.support import (
    app_for,
    app_for_existing,
    open_article,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    screen_text,
)
from tui.core.articles.library import ArticleMeta, write_article
from tui.widgets.library_list import CURSOR, LibraryList

TECH = "hong-kong-tech-revival"


def big_library(root: Path, count: int) -> None:
    """``count`` dated articles from three sources, plus the two of the small library."""
    app_for(root)  # writes the small library
    for i in range(count):
        meta = ArticleMeta(
            id=f"report-{i:04d}",
            title=f"Report {i} on {'ports' if i % 2 else 'banks'}",
            path=root / "articles",
            source=("Reuters", "SCMP", "AFR")[i % 3],
            published=f"2025-01-{1 + i % 28:02d}",
        )
        write_article(root / "articles", meta, f"Report {i}\nCompany {i} raised HK${i} billion.")


async def test_typing_a_filter_narrows_the_list_and_the_header_counts(tmp_path: Path) -> None:
    big_library(tmp_path, 300)
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        library = app.reader.query_one(LibraryList)
        assert len(library.metas) == 302 and "Library 302" in screen_text(app)
        await pilot.press("slash", *"ports reuters")
        assert {m.source for m in library.metas} == {"Reuters"}
        assert all("ports" in m.title for m in library.metas)
        assert f"Library {len(library.metas)} of 302" in screen_text(app)
        await pilot.press("enter", "enter")  # to the list, then open the highlighted article
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.meta.source == "Reuters"
        await pilot.press("l")
        library.focus()
        await pilot.press("slash", "escape")  # esc clears the filter
        assert len(library.metas) == 302


async def test_a_hash_filter_finds_articles_by_claim_tag(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        article = app.workspace.article(TECH)
        app.workspace.add_claim(article, 0, 4, tags=["Jobs"])
        app.reader.load_library()
        await ready(pilot)
        library = app.reader.query_one(LibraryList)
        await pilot.press("slash", *"#jobs")
        assert [m.id for m in library.metas] == [TECH]


async def test_s_cycles_the_order_and_the_header_names_it(tmp_path: Path) -> None:
    big_library(tmp_path, 6)
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        library = app.reader.query_one(LibraryList)
        dated = [m.published for m in library.metas if m.published]
        assert dated == sorted(dated, reverse=True) and "newest first" in screen_text(app)
        await pilot.press("s")
        titles = [m.title.casefold() for m in library.metas]
        assert titles == sorted(titles) and "by title" in screen_text(app)
        await pilot.press("s")
        sources = [(m.source or "~").casefold() for m in library.metas]
        assert sources == sorted(sources) and "by source" in screen_text(app)
        claimed, read = library.metas[-1].id, library.metas[0].id
        article = app.workspace.article(claimed)
        app.workspace.add_claim(article, 0, 4)
        app.workspace.mark_read(read)
        app.reader.load_library()
        await ready(pilot)
        await pilot.press("s")
        assert library.metas[0].id == claimed and "most claims" in screen_text(app)
        await pilot.press("s")
        assert library.metas[-1].id == read and library.order == "unread"
        titles = [m.title.casefold() for m in library.metas[:-1]]
        assert titles == sorted(titles), "ties stay in title order"


async def test_n_goes_to_the_next_unread_article_and_m_marks_unread(tmp_path: Path) -> None:
    big_library(tmp_path, 4)
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        library = app.reader.query_one(LibraryList)
        second = library.metas[1].id
        app.workspace.mark_read(library.metas[0].id)
        app.workspace.mark_read(second)
        app.reader.load_library()
        await ready(pilot)
        library.focus()
        await pilot.press("home", "n")
        assert library.highlighted == 2, "skips the two read articles"
        await pilot.press("up", "m")  # mark the second one unread again
        await pilot.pause()
        assert second not in app.workspace.read_ids
        await pilot.press("home", "n")
        assert library.highlighted == 1


async def test_the_highlighted_row_is_marked_and_G_goes_last(tmp_path: Path) -> None:
    big_library(tmp_path, 30)
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        library = app.reader.query_one(LibraryList)
        await pilot.press("j")
        rows = screen_text(app).splitlines()
        marked = [row for row in rows if CURSOR in row]
        assert len(marked) == 2, "both lines of the highlighted article, and only those"
        assert library.metas[1].title in marked[0]
        await pilot.press("G")
        assert library.highlighted == len(library.metas) - 1


async def test_opening_marks_read_in_the_state_file_not_the_cache(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
    assert not (app.settings.cache_dir / "read-articles.json").exists()
    assert TECH in app_for_existing(tmp_path).workspace.read_ids


async def test_deleting_an_article_keeps_its_claims_as_orphans_and_u_undoes(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.workspace.add_claim(app.workspace.article(TECH), 0, 4, tags=["kept"])
        app.reader.load_library()
        await ready(pilot)
        library = app.reader.query_one(LibraryList)
        library.focus()
        library.highlight_article(TECH)
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("enter")  # the first answer: keep the claims
        await ready(pilot)
        assert TECH not in [m.id for m in library.metas]
        assert not (tmp_path / "articles" / f"{TECH}.md").exists()
        assert [r["tags"] for r in app.workspace.store.annotations()] == [["kept"]]
        await pilot.press("u")
        await ready(pilot)
        assert TECH in [m.id for m in library.metas]
        assert app.reader.article is not None and app.reader.article.id == TECH
