"""Pilot tests of which claim an action applies to, duplicates, status keys, drafts and drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

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
)
from tui.app import ClaimdeskApp
from tui.core.annotations.store import open_store
from tui.core.articles.library import write_article
from tui.screens.choice import ChoiceScreen
from tui.screens.tag import TagScreen
from tui.widgets.panel.claims import ClaimList

TECH = "hong-kong-tech-revival"
QUOTES = ("84 innovative tech", "HK$50 billion", "13,000 jobs")


def stored(root: Path) -> list[dict[str, Any]]:
    """The annotations on disk, read by a fresh store."""
    return open_store(root / "annotations.json").annotations()


def add_claims(app: ClaimdeskApp, *quotes: str, tags: tuple[str, ...] = ()) -> None:
    """Claims on these quotes of the tech article, through the workspace."""
    article = app.workspace.article(TECH)
    for quote in quotes:
        start = TECH_BODY.index(quote)
        app.workspace.add_claim(
            article, start, start + len(quote), tags=list(tags), allow_duplicate=True
        )


async def test_delete_in_the_claims_list_deletes_the_highlighted_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bug: `d` deleted the claim under the article's cursor, not the highlighted row."""
    app = app_for(tmp_path)
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        add_claims(app, *QUOTES)
        view = await open_article(pilot, TECH)
        first = TECH_BODY.index(QUOTES[0])
        view.select_range(first + 1, first + 1)  # the cursor sits in the first claim
        claim_list = app.reader.query_one(ClaimList)
        app.reader.side.show_tab("tab-claims")
        claim_list.focus()
        claim_list.highlighted = 2  # the third claim (reading order)
        await pilot.press("d")
        await pilot.pause()
    assert sorted(r["quote"] for r in stored(tmp_path)) == sorted(QUOTES[:2])
    assert messages[-1] == "Deleted claim on “13,000 jobs” — u to undo"


async def test_several_claims_on_one_span_ask_which_one_to_edit(tmp_path: Path) -> None:
    """Bug: with two claims on one span only the first could ever be edited."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        add_claims(app, "HK$50 billion", tags=("first",))
        add_claims(app, "HK$50 billion", tags=("second",))
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("HK$50 billion")
        view.select_range(start + 3, start + 3)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        answers = app.screen.query_one("#choice-answers", OptionList)
        labels = [option_text(o) for o in answers.options]
        second = next(i for i, label in enumerate(labels) if "#second" in label)
        answers.highlighted = second
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        assert app.screen.query_one("#tag-tags", Input).value == "second"


async def test_tagging_a_span_that_has_a_claim_offers_to_edit_it(tmp_path: Path) -> None:
    """Bug: a second identical claim on the same span was accepted silently."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        add_claims(app, "HK$50 billion", tags=("money",))
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("HK$50 billion")
        view.select_range(start, start + len("HK$50 billion"))
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen), "asks before a second claim"
        await pilot.press("enter")  # the first answer: edit the existing claim
        await pilot.pause()
        assert isinstance(app.screen, TagScreen) and app.screen.editing
        assert app.screen.query_one("#tag-tags", Input).value == "money"
        await pilot.press("escape")
    assert len(stored(tmp_path)) == 1


async def test_a_status_key_changes_the_claim_and_u_takes_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(tmp_path)
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        add_claims(app, "13,000 jobs")
        view = await open_article(pilot, TECH)
        start = TECH_BODY.index("13,000 jobs")
        view.select_range(start + 1, start + 1)
        await pilot.press("3")  # disputed
        await pilot.pause()
        assert [r["status"] for r in stored(tmp_path)] == ["disputed"]
        assert "disputed (was unverified)" in messages[-1]
        await pilot.press("u")
        await pilot.pause()
        assert [r["status"] for r in stored(tmp_path)] == ["unverified"]


async def test_escape_in_the_tag_dialog_keeps_a_draft_for_the_same_span(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        await pilot.press("n", "t", *"draft tag", "tab", *"half a note", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, TagScreen) and stored(tmp_path) == []
        await pilot.press("t")  # the same span again
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        assert app.screen.query_one("#tag-tags", Input).value == "draft tag"
        assert app.screen.entered().note == "half a note"
        await pilot.press("escape", "n", "t")  # another span starts empty
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        assert app.screen.query_one("#tag-tags", Input).value == ""


async def test_a_drifted_claim_shows_what_its_text_was_and_is_now(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        add_claims(app, "HK$50 billion")
        meta = app.workspace.scan.by_id(TECH)
    assert meta is not None
    write_article(meta.path.parent, meta, TECH_BODY.replace("HK$50 billion", "HK$55 billion"))
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        prompts = [option_text(o) for o in app.reader.query_one(ClaimList).options]
        assert any("was “HK$50 billion” → now “HK$55 billion”" in p for p in prompts), prompts


async def test_reload_shows_the_open_article_as_it_is_on_disk(tmp_path: Path) -> None:
    """Bug: reloading the library left the open article stale (old text, no drift)."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        add_claims(app, "Cyberport said")
        view = await open_article(pilot, TECH)
        meta = app.workspace.scan.by_id(TECH)
        assert meta is not None
        edited = TECH_BODY.replace("Cyberport said the number", "The number")
        write_article(meta.path.parent, meta, edited)
        await pilot.press("R")
        await ready(pilot)
        await pilot.pause()
        assert view.body == edited
        assert [c.state for c in app.reader.claims] == ["orphan"]
        prompts = [option_text(o) for o in app.reader.query_one(ClaimList).options]
        assert "Needs attention" in prompts


async def test_the_claims_list_shows_its_keys_and_a_status_key_acts_on_its_row(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        add_claims(app, "13,000 jobs")
        await open_article(pilot, TECH)
        app.reader.side.show_tab("tab-claims")
        app.reader.query_one(ClaimList).focus()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "e Edit" in footer and "d Delete" in footer and "1 2 3 4 5 Status" in footer
        await pilot.press("4")  # false, on the (first) highlighted row
        await pilot.pause()
    assert [r["status"] for r in stored(tmp_path)] == ["false"]
