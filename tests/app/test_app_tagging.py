"""Pilot tests of tagging in the reader: figures, keyboard and mouse selection, edit, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList, TextArea

from tests.app.support import (
    TECH_BODY,
    app_for,
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    screen_text,
)
from tui.core.annotations.store import open_store
from tui.screens.tag import TagScreen, TagSuggester, parse_tags
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

TECH = "hong-kong-tech-revival"


def stored(root: Path) -> list[dict[str, Any]]:
    """The annotations on disk, read by a fresh store (proves durability)."""
    return open_store(root / "annotations.json").annotations()


async def test_tag_a_figure_with_n_then_t(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        assert any(s.kind == "figure" for s in view.spans), "figures are highlighted at once"
        await pilot.press("n")  # focus the first figure
        first = view.focused
        assert first is not None and first.kind == "figure"
        assert TECH_BODY[slice(*view.selected_range)] == first.text
        await pilot.press("t")
        assert isinstance(app.screen, TagScreen)
        await pilot.press(*"jobs, oases", "tab", *"Check the count", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, TagScreen)
    [record] = stored(tmp_path)
    assert record["quote"] == first.text
    assert record["tags"] == ["jobs", "oases"]
    assert record["note"] == "Check the count"
    assert record["figure"]["value"] == first.data["value"]


async def test_keyboard_selection_by_word_and_sentence(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("Growth")
        view.select_range(start, start)
        await pilot.press("v", "w", "w")  # start selecting, extend two words
        assert TECH_BODY[slice(*view.selected_range)] == "Growth in"
        await pilot.press("right_parenthesis")  # to the end of the sentence
        assert (
            TECH_BODY[slice(*view.selected_range)] == "Growth in the sector reached 25% last year."
        )
        await pilot.press("t", "ctrl+s")
        await pilot.pause()
    [record] = stored(tmp_path)
    assert record["quote"] == "Growth in the sector reached 25% last year."
    assert record["figure"]["label"] == "PERCENT", "a claim holding a figure carries it"


async def test_mouse_drag_selects_and_tags(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        dx = view.content_region.x - view.region.x
        dy = view.content_region.y - view.region.y
        # row 0 is the heading "Hong Kong Tech Revival": drag over "Kong Tech"
        await pilot.mouse_down(view, offset=(dx + 5, dy))
        await pilot.hover(view, offset=(dx + 14, dy))
        await pilot.mouse_up(view, offset=(dx + 14, dy))
        assert view.selected_text == "Kong Tech"
        await pilot.press("t", *"heading", "ctrl+s")
        await pilot.pause()
        assert "Claims 1" in screen_text(app)
        # a plain click on a highlight focuses it
        figure = next(s for s in view.spans if s.text == "HK$50 billion")
        view.select_range(figure.start + 2, figure.start + 2)
        where = view.cursor_screen_offset
        view.select_range(0, 0)
        await pilot.click(offset=(where.x, where.y))
        await pilot.pause()
        assert view.focused is not None and view.focused.text == "HK$50 billion"
        assert view.selected_text == "HK$50 billion"
        start = TECH_BODY.index("approximately")
        view.select_range(start + 3, start + 3)
        where = view.cursor_screen_offset
        await pilot.double_click(offset=(where.x, where.y))  # a double click selects the word
        assert view.selected_text == "approximately"
    [record] = stored(tmp_path)
    assert (record["start"], record["end"], record["quote"]) == (5, 14, "Kong Tech")


async def test_edit_then_delete_and_undo(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("Officials")
        view.select_range(start, start + len("Officials expect"))
        await pilot.press("t", *"forecast", "ctrl+s")
        await pilot.pause()
        view.select_range(start + 3, start + 3)  # cursor inside the claim
        await pilot.press("e")
        assert isinstance(app.screen, TagScreen)
        tags = app.screen.query_one("#tag-tags", Input)
        assert tags.value == "forecast"
        tags.value = "forecast, outlook"
        await pilot.press("tab", *"edited", "ctrl+s")
        await pilot.pause()
        [record] = stored(tmp_path)
        assert record["tags"] == ["forecast", "outlook"] and record["note"] == "edited"
        await pilot.press("d")
        await pilot.pause()
        assert stored(tmp_path) == []
        assert "Claims 0" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert [r["id"] for r in stored(tmp_path)] == [record["id"]]
        assert "Claims 1" in screen_text(app)


async def test_tag_without_selection_explains_and_escape_cancels(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        await pilot.press("t")  # nothing selected or focused yet
        await pilot.pause()
        assert not isinstance(app.screen, TagScreen)
        assert "Select text first" in screen_text(app)
        await pilot.press("n", "t", *"dropped", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, TagScreen)
    assert stored(tmp_path) == []


async def test_claims_tab_lists_and_jumps(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("Cyberport")
        view.select_range(start, start + 9)
        await pilot.press("t", *"place", "tab")
        app.screen.query_one("#tag-note", TextArea).insert("a [/] note [@click=app.quit]x[/]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        view.select_range(0, 0)
        app.reader.query_one("#side", SidePanel).show_tab("tab-claims")
        claim_list = app.reader.query_one("#claim-list", OptionList)
        claim_list.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert view.selected_text == "Cyberport"
        prompts = [option_text(option) for option in claim_list.options]
        assert any("a [/] note [@click=app.quit]x[/]" in prompt for prompt in prompts)
        assert app.is_running


def test_parse_tags_trims_and_dedupes() -> None:
    assert parse_tags(" investment,OASES , , investment,  big   deal ") == [
        "investment",
        "OASES",
        "big deal",
    ]


async def test_tag_suggester_completes_last_tag() -> None:
    suggester = TagSuggester(["investment", "OASES"])
    assert await suggester.get_suggestion("inv") == "investment"
    assert await suggester.get_suggestion("investment, oa") == "investment, OASES"
    assert await suggester.get_suggestion("investment, ") is None
    assert await suggester.get_suggestion("zzz") is None


def test_article_view_is_a_text_area() -> None:
    assert issubclass(ArticleView, TextArea)
