"""Pilot tests of reading: library, search, find, export, corrections, bad input, narrow screens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.app.support import (
    AI_BODY,
    TECH_BODY,
    app_for,
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    record_notifications,
    screen_text,
    shown,
)
from tui.core.annotations.store import open_store
from tui.core.articles.library import write_article
from tui.screens.correction import LabelChoices
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.screens.tag import TagScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.library_list import LibraryList
from tui.widgets.side_panel import SidePanel

TECH = "hong-kong-tech-revival"


async def test_enter_opens_the_highlighted_article(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        library = app.reader.query_one("#library-list", LibraryList)
        assert library.has_focus
        text = screen_text(app)
        assert "● AI start-ups eye" in text, "unread mark before opening"
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.id == "ai-start-ups"
        view = app.reader.query_one("#article", ArticleView)
        assert view.body == AI_BODY and view.has_focus
        assert view.text == "AI start-ups eye Hong Kong\n\n" + AI_BODY.replace("\n", "\n\n"), (
            "the headline, then the body, a blank row after each paragraph"
        )
        assert "● AI start-ups" not in screen_text(app), "read mark after opening"
        assert any(s.text == "HK$1 billion" for s in view.spans)


async def test_find_in_article_counts_and_steps(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        await pilot.press("slash", *"the")
        await pilot.pause()
        total = TECH_BODY.lower().count("the")
        assert f"1 of {total}" in screen_text(app)
        first = view.selected_range
        await pilot.press("enter")
        assert view.selected_range > first and f"2 of {total}" in screen_text(app)
        await pilot.press("up")
        assert view.selected_range == first
        await pilot.press("escape", "t")  # the match stays selected: t tags it
        assert isinstance(app.screen, TagScreen)


async def test_global_search_opens_hit_selected_then_tag(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one("#search-input", Input).value = "HK$50 billion"
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.id == TECH
        view = app.reader.query_one("#article", ArticleView)
        assert view.selected_text == "HK$50 billion"
        await pilot.press("t", *"inv, O", "tab", *"Proj", "ctrl+s")
        await pilot.pause()
    [record] = open_store(tmp_path / "annotations.json").annotations()
    assert record["quote"] == "HK$50 billion" and record["tags"] == ["inv", "O"]
    assert record["note"] == "Proj"
    assert record["figure"]["currency"] == "HKD"


async def test_global_search_finds_tags_and_notes(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        article = app.workspace.article(app.workspace.scan.by_id(TECH))  # type: ignore[arg-type]
        start = TECH_BODY.index("13,000 jobs")
        app.workspace.add_claim(article, start, start + 11, tags=["labour"], note="ask the bureau")
        hits = app.workspace.search("bureau")
        assert [(h.where, h.article_id, h.start) for h in hits] == [("note", TECH, start)]
        assert [h.where for h in app.workspace.search("LABOUR")] == ["tag"]
        # the article gains a paragraph: the hit opens on the claim where it is now
        write_article(app.settings.articles_dir, article.meta, "A new first line.\n" + TECH_BODY)
        await pilot.press("ctrl+p", *"Reload the lib", "enter")  # palette: rescan the folder
        await ready(pilot)
        await pilot.press("ctrl+f")
        app.screen.query_one("#search-input", Input).value = "bureau"
        await pilot.press("enter")
        await pilot.pause()
        view = app.reader.query_one("#article", ArticleView)
        assert view.selected_text == "13,000 jobs" and view.selected_range[0] > start


async def test_export_writes_file_says_where_and_refuses_bad_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(tmp_path)
    messages = record_notifications(app, monkeypatch)
    target = tmp_path / "out" / "claims.json"
    target.parent.mkdir()
    db = tmp_path / "annotations.json"
    article = tmp_path / "articles" / f"{TECH}.md"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        await pilot.press("n", "t", *"x", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Exported 1 claim as Claimdesk JSON to" in screen_text(app)
        stored, body = db.read_bytes(), article.read_bytes()
        bad_paths = {
            tmp_path / "nope" / "x.json": "does not exist",
            db: "is the database",
            tmp_path / "annotations.json.bak": "is the database",
            article: "inside the article library",
        }
        for bad, reason in bad_paths.items():
            app.clear_notifications()
            await pilot.press("ctrl+e")
            app.screen.query_one("#export-path", Input).value = str(bad)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "Export failed" in screen_text(app) and app.is_running
            assert messages[-1].startswith("Export failed") and reason in messages[-1]
    data = json.loads(target.read_text())
    assert data["format"] == "claimdesk" and len(data["annotations"]) == 1
    assert db.read_bytes() == stored and article.read_bytes() == body, "nothing overwritten"


async def test_correction_is_stored(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("Cyberport")
        view.select_range(start, start + len("Cyberport"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Correction saved" in screen_text(app)
        cyberport = [s for s in view.spans if s.text == "Cyberport"]
        assert [(s.kind, s.label) for s in cyberport] == [("entity", "ORG")], "highlight updated"
        await open_article(pilot, "ai-start-ups")
        view.select_range(0, len("CloudWalk"))
        await pilot.press("c", "ctrl+s")  # add CloudWalk as an organisation too
        await pilot.pause()
        app.reader.open_article(TECH)  # the first correction applies on reopening
        assert any(s.text == "Cyberport" and s.label == "ORG" for s in view.spans)
        for _ in range(len(view.spans)):
            await pilot.press("n")
            if view.focused is not None and view.focused.text == "Cyberport":
                break
        await pilot.press("c")  # relabel the focused entity
        await pilot.pause()
        app.screen.query_one("#correction-label", LabelChoices).value = "LOC"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(s.text == "Cyberport" and s.label == "LOC" for s in view.spans)
        side = app.reader.query_one("#side", SidePanel)
        side.show_tab("tab-entities")
        entity_list = app.reader.query_one("#entity-list", OptionList)
        entity_list.focus()
        entity_list.highlighted = next(
            i for i, o in enumerate(entity_list.options) if "Cyberport" in option_text(o)
        )
        view.select_range(0, 0)
        await pilot.press("enter")  # picking an entity selects its (next) mention
        assert view.selected_text == "Cyberport"
    corrections = open_store(tmp_path / "annotations.json").corrections()
    assert [(c["action"], c["text"], c["label"]) for c in corrections] == [
        ("add", "Cyberport", "ORG"),
        ("add", "CloudWalk", "ORG"),
        ("relabel", "Cyberport", "LOC"),
    ]


async def test_bad_library_files_are_one_notification(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    (app.settings.articles_dir / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    app.workspace.load_library()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "broken.md" in text and "UTF-8" in text
        assert len(app.workspace.scan.articles) == 2


async def test_markup_and_escapes_in_articles_are_literal(tmp_path: Path) -> None:
    app = app_for(tmp_path, markup=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await open_article(pilot, "markup-trap")
        text = screen_text(app)
        assert "Trap [/] [@click=app.quit]title[/]" in text
        assert "Price [/] drop and [bold]not bold[/bold]" in text
        assert "\u241b[2J" in text and "\x1b" not in text
        await pilot.click("#article-title")
        await pilot.press("ctrl+f", *"[/] drop", "enter")  # a body hit (the title has "[/]" too)
        await pilot.pause()
        assert (
            app.is_running
            and app.reader.query_one("#article", ArticleView).selected_text == "[/] drop"
        )
        await pilot.press("ctrl+p", *"Trap")  # the palette shows the title literally
        await shown(pilot, "Open: Trap [/] [@click=app.quit]title[/]")
        await pilot.press("escape")
        await pilot.click("#article-title")  # clicking where a [@click] would be runs nothing
        assert app.is_running


async def test_narrow_terminal_collapses_panels(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        side = app.reader.query_one("#side")
        library = app.reader.query_one("#library")
        assert not side.display and library.display
        await pilot.press("enter")
        await pilot.pause()
        assert not library.display, "the article gets the whole width"
        await pilot.press("p")
        assert side.display
        await pilot.press("l")
        assert library.display and library.has_focus_within
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert footer.rstrip().endswith("^p palette"), "no key shows past the palette key"


async def test_palette_opens_article_and_help_lists_keys(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"Open: Hong")
        await shown(pilot, "Open: Hong Kong Tech Revival")
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.id == TECH
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Tag" in text and "ctrl+f" in text.replace("^f", "ctrl+f")
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_paragraph_spacing_keeps_offsets_exact(tmp_path: Path) -> None:
    """Paragraphs are shown with a blank row between them; offsets still index the body."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        second = TECH_BODY.index("\n") + 1
        top, _ = view.location_of(0)  # the headline's rows come first
        assert view.location_of(second) == (top + 2, 0)
        assert view.offset_of((top + 1, 0)) == second - 1, "the blank row is the paragraph's end"
        view.select_range(3, second + 4)
        assert view.selected_range == (3, second + 4)
        assert view.selected_text == TECH_BODY[3 : second + 4].replace("\n", "\n\n")


async def test_figures_tab_shows_us_dollar_equivalents(tmp_path: Path) -> None:
    """The article's own bracketed conversion gives the rate; the HKD peg when there is none."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, "ai-start-ups")
        assert "≈ US$129 million" in screen_text(app)
        await open_article(pilot, TECH)
        assert "≈ US$6.41 billion" in screen_text(app), "HK$50 billion at the 7.8 peg"
