"""Pilot tests of panes and app-level features: panel keys, footer, notebook, export dialog,
page keys, palette keys, theme memory, screenshot, worker failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList, Tabs

from tests.app.support import (
    TECH_BODY,
    app_for,
    app_for_existing,
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    record_notifications,
    screen_text,
    shown,
)
from tui.screens.choice import ChoiceScreen
from tui.screens.correction import CorrectionScreen, LabelChoices
from tui.screens.export import ExportScreen
from tui.screens.notebook import NotebookScreen
from tui.widgets.library_list import LibraryList
from tui.widgets.panel.figures import FiguresPane

TECH = "hong-kong-tech-revival"


def footer(app: object) -> str:
    """The footer row."""
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


async def test_s_sorts_the_figures_from_the_tab_bar(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        app.reader.query_one("#side-tabs Tabs", Tabs).focus()
        await pilot.press("s")
        assert app.reader.query_one(FiguresPane).by_value


async def test_the_footer_shows_the_keys_of_the_focused_pane(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        assert "t Tag" in footer(app) and "Filter" not in footer(app)
        app.reader.query_one(LibraryList).focus()
        await pilot.pause()
        assert "/ Filter" in footer(app) and "t Tag" not in footer(app)


async def test_the_notebook_lists_every_claim_and_enter_opens_one(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        tech = app.workspace.article(TECH)
        start = TECH_BODY.index("13,000 jobs")
        app.workspace.add_claim(tech, start, start + 11, tags=["jobs"], status="disputed")
        ai = app.workspace.article("ai-start-ups")
        app.workspace.add_claim(ai, 0, 9, tags=["ai"])
        await pilot.press("ctrl+n")
        await shown(pilot, "2 claims in 2 articles")
        assert isinstance(app.screen, NotebookScreen)
        status = app.screen.query_one("#nb-status")
        status.value = "disputed"  # type: ignore[attr-defined]
        await shown(pilot, "1 claim in 1 article")
        claims = app.screen.query_one("#notebook-claims", OptionList)
        assert "Hong Kong Tech Revival" in option_text(claims.get_option_at_index(0))
        claims.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.id == TECH
        assert app.reader.view.selected_text == "13,000 jobs"


async def test_export_asks_before_replacing_and_remembers_the_format(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        await pilot.press("ctrl+e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-format").value = "csv"  # type: ignore[attr-defined]
        only = screen.query_one("#export-only", Checkbox)
        assert "no" in str(only.label)
        only.value = True
        await pilot.pause()
        assert "yes" in str(only.label), "the checkbox says whether it is on"
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen), "asks before replacing"
        await pilot.press("down", "enter")  # keep it
        await pilot.pause()
        assert target.read_text() == "keep me"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # replace it
        await pilot.pause()
        assert target.read_text() != "keep me"
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        assert app.screen.query_one("#export-format").value == "csv"  # type: ignore[attr-defined]
        path = app.screen.query_one("#export-path", Input).value
        assert Path(path).parent == tmp_path and path.endswith(".csv")


async def test_less_keys_page_and_jump_in_the_article(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 12)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)

        async def press(key: str) -> None:  # scrolling may animate: let it finish
            await pilot.press(key)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

        await press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await press("g")
        assert view.scroll_y == 0
        await press("space")
        assert view.scroll_y > 0
        await press("b")
        assert view.scroll_y == 0


async def test_the_palette_shows_a_remapped_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bug: the palette showed the default key after CLAIMDESK_KEYS remapped it."""
    monkeypatch.setenv("CLAIMDESK_KEYS", "reader.tag=x")
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"Tag selection")
        text = await shown(pilot, "Tag selection as a claim")
        lines = [line.strip("│▊▎ ") for line in text.splitlines()]
        title = lines.index("Tag selection as a claim")
        assert lines[title + 1] == "x", "the key shown under the command is the remapped one"


async def test_the_theme_is_remembered_beside_the_database(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await pilot.pause()
    state = json.loads((tmp_path / "annotations.json.state.json").read_text())
    assert state["theme"] == "nord"
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.theme == "nord"


async def test_a_screenshot_is_saved_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "no-home"))  # no ~/Downloads
    app = app_for(tmp_path)
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"Screenshot")
        await shown(pilot, "beside the annotation database")
        await pilot.press("enter")
        await pilot.pause()
    [svg] = list(tmp_path.glob("claimdesk-*.svg"))
    assert svg.read_text().lstrip().startswith("<svg")
    assert messages[-1] == f"Screenshot saved to {svg}"


async def test_a_failing_worker_is_reported_in_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(tmp_path)
    messages = record_notifications(app, monkeypatch)

    def broken_scan() -> None:
        raise RuntimeError("disk on fire")

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app.workspace, "load_library", broken_scan)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
    assert any(
        m.startswith("Reading the library failed:") and "disk on fire" in m for m in messages
    )


async def test_the_status_drop_down_stays_inside_the_tag_dialog(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        await pilot.press("n", "t", "tab", "tab", "enter")  # tags → note → status, open it
        await pilot.pause()
        dialog = app.screen.query_one("#tag-dialog").region
        overlay = app.screen.query_one("SelectOverlay").region
        assert overlay.height >= 5 and dialog.contains_region(overlay), (dialog, overlay)


async def test_a_language_entity_can_be_corrected_and_the_list_does_not_wrap(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        app.push_screen(CorrectionScreen("Cantonese", "LANGUAGE", existing=True))
        await pilot.pause()
        choices = app.screen.query_one(LabelChoices)
        assert choices.value == "LANGUAGE"
        assert "language (LANGUAGE)" in [option_text(o) for o in choices.options]
        await pilot.press("end", "down")  # the last label: down stays there
        assert choices.highlighted == choices.option_count - 1
        await pilot.press("home", "up")
        assert choices.highlighted == 0


async def test_search_finds_a_status_and_a_hash_tag_and_shows_the_quote(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        start = TECH_BODY.index("13,000 jobs")
        tech = app.workspace.article(TECH)
        app.workspace.add_claim(tech, start, start + 11, tags=["jobs"], status="disputed")
        await pilot.press("ctrl+f", *"disputed")
        await shown(pilot, "“13,000 jobs”")
        await pilot.press("escape", "ctrl+f", *"#jobs")
        await shown(pilot, "“13,000 jobs”")
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.view.selected_text == "13,000 jobs"


async def test_at_80x24_the_side_panel_keeps_the_focused_figure_in_view(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        figure = next(s for s in view.spans if s.text == "13,000 jobs")
        view.focus_span(figure)
        await pilot.press("p")  # show the side panel
        await pilot.pause()
        side = app.reader.side
        assert side.display
        where = view.cursor_screen_offset
        assert view.content_region.contains(*where), "the focused figure is on screen"
        assert where.x < side.region.x, "and not under the panel"


async def test_at_200_columns_the_list_and_panel_get_wider(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        library = app.reader.query_one("#library")
        assert library.region.width >= 40 and app.reader.side.region.width >= 50
        assert view.content_region.width <= 104, "the article keeps a readable measure"


async def test_a_search_hit_in_the_headline_selects_the_words_in_the_body(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f", *"Tech Revival")
        await shown(pilot, "hits")
        hits = app.screen.hits  # type: ignore[attr-defined]
        assert hits[0].field == "title", "the headline hit comes first"
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.view.selected_text == "Tech Revival"


async def test_enter_in_search_opens_a_hit_of_the_whole_query_even_before_the_worker(
    tmp_path: Path,
) -> None:
    """Typing ahead of the search worker: enter must not open a hit of an earlier prefix."""
    import threading
    import time

    from tui.core.search import SearchHit
    from tui.screens.search import SearchScreen

    def search(query: str) -> list[SearchHit]:
        if threading.current_thread() is not threading.main_thread():
            time.sleep(1.0)  # the worker is slow
        return [SearchHit(TECH, "Tech", "text", query, 0, len(query))]

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        chosen: list[SearchHit | None] = []
        app.push_screen(SearchScreen(search), chosen.append)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"HK")
        await app.workers.wait_for_complete()  # results of the prefix are on screen
        assert screen.hits_query == "HK"
        await pilot.press(*"$50", "enter")  # enter before the worker answers "HK$50"
        await pilot.pause()
    assert [hit.snippet for hit in chosen if hit] == ["HK$50"]
