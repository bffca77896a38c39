"""Helpers for the reader app's Pilot tests (no tests here): a small library and screen text."""

from __future__ import annotations

import io
from pathlib import Path
from time import monotonic
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets.option_list import Option

from tui.app import ClaimdeskApp, make_app
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.config import Settings
from tui.widgets.article_view import ArticleView
from tui.widgets.library_list import LibraryList

TECH_BODY = "\n".join(
    [
        "Hong Kong Tech Revival",
        "The Office for Attracting Strategic Enterprises (OASES) has lured 84 innovative tech "
        "companies to the city, with projected investments reaching HK$50 billion and the "
        "creation of approximately 13,000 jobs.",
        "Growth in the sector reached 25% last year. Officials expect more firms to follow.",
        "Cyberport said the number of start-ups had grown sevenfold since 2015.",
    ]
)
AI_BODY = "\n".join(
    [
        "CloudWalk Technology was looking into establishing an entity in Hong Kong.",
        "The government recently announced it was allocating HK$1 billion (US$129 million) "
        "to establish an AI institute.",
    ]
)
MARKUP_BODY = "\n".join(
    [
        "Price [/] drop and [bold]not bold[/bold] text.",
        "Click [@click=app.quit]here[/] to win; escape \u241b[2J stays visible.",
    ]
)


READY_TIMEOUT = 20.0
"""Seconds a test waits for the library to be listed before it fails."""
QUICK_IDLE_GRANULARITY = 0.005
"""Seconds per idle check while Pilot presses keys (Textual's own is 0.02)."""


class PrivateTextual:
    """The one place the tests touch private Textual APIs (they may change in a point release;
    if one breaks, only this class needs fixing)."""

    @staticmethod
    def quicken_idle_checks(monkeypatch: pytest.MonkeyPatch) -> None:
        """Pilot decides sooner that the app is idle (``textual._wait``)."""
        from textual import _wait

        monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", QUICK_IDLE_GRANULARITY)
        monkeypatch.setattr(_wait, "SLEEP_IDLE", QUICK_IDLE_GRANULARITY / 20)

    @staticmethod
    def screen_rows(app: App[Any]) -> list[str]:
        """Every row of the screen as plain text (``Screen._compositor``)."""
        strips = app.screen._compositor.render_strips()
        return ["".join(segment.text for segment in strip) for strip in strips]


@pytest.fixture(autouse=True)
def quick_idle_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let Pilot decide sooner that the app is idle after each key.

    ``pilot.press`` sleeps at least two idle-check periods per key, so typing a tag and a note
    spent most of a test asleep. A shorter period with the same CPU-share threshold still waits
    for the key to be handled; ``press`` and ``pause`` then also drain every message queue.
    Imported by each app test module, where it applies to every test.
    """
    PrivateTextual.quicken_idle_checks(monkeypatch)


def write_library(root: Path, *, markup: bool = False) -> Path:
    """Write a small article library under ``root`` and return its folder."""
    articles = root / "articles"
    write_article(
        articles,
        ArticleMeta(
            id="hong-kong-tech-revival",
            title="Hong Kong Tech Revival",
            path=articles,
            source="WebProNews",
        ),
        TECH_BODY,
    )
    write_article(
        articles,
        ArticleMeta(
            id="ai-start-ups", title="AI start-ups eye Hong Kong", path=articles, source="SCMP"
        ),
        AI_BODY,
    )
    if markup:
        write_article(
            articles,
            ArticleMeta(
                id="markup-trap", title="Trap [/] [@click=app.quit]title[/]", path=articles
            ),
            MARKUP_BODY,
        )
    return articles


def app_for(root: Path, *, markup: bool = False) -> ClaimdeskApp:
    """A figures-only app (no NLP: deterministic and fast) on a fresh library in ``root``."""
    articles = write_library(root, markup=markup)
    return make_app(Settings.from_paths(articles, root / "annotations.json"), entities=False)


def app_for_existing(root: Path) -> ClaimdeskApp:
    """A new figures-only app on the library and database already in ``root``."""
    return make_app(
        Settings.from_paths(root / "articles", root / "annotations.json"), entities=False
    )


def screen_text(app: App[Any]) -> str:
    """Everything on screen as plain text, one line per row."""
    return "\n".join(PrivateTextual.screen_rows(app))


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the library has been scanned and listed (the scan starts after a frame) and
    the reader's panels are mounted (they come once the list is drawn)."""
    deadline = monotonic() + READY_TIMEOUT
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        lists = pilot.app.screen.query(LibraryList)
        app = pilot.app
        panels = not isinstance(app, ClaimdeskApp) or app.reader.panels_ready
        if lists and lists.first().listed and panels:
            return
        assert monotonic() < deadline, f"the library was not listed within {READY_TIMEOUT} s"


async def shown(pilot: Pilot[Any], text: str, timeout: float = READY_TIMEOUT) -> str:
    """Wait until ``text`` is on screen (e.g. a command palette search result); the screen."""
    deadline = monotonic() + timeout
    while True:
        await pilot.pause()
        screen = screen_text(pilot.app)
        if text in screen:
            return screen
        assert monotonic() < deadline, f"{text!r} was not shown within {timeout} s:\n{screen}"


def option_text(option: Option) -> str:
    """An option list row as plain text, whether its prompt is text or a Rich renderable."""
    prompt = option.prompt
    if isinstance(prompt, str | Content):
        return str(prompt)
    console = Console(width=500, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(prompt)
    return capture.get().rstrip("\n")


def record_notifications(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message the app notifies from now on, in order (toasts wrap on screen)."""
    messages: list[str] = []
    notify = app.notify

    def recording_notify(message: str, **options: Any) -> None:
        messages.append(message)
        notify(message, **options)

    monkeypatch.setattr(app, "notify", recording_notify)
    return messages


async def open_article(pilot: Pilot[Any], article_id: str) -> ArticleView:
    """Open ``article_id`` in the reader, let it paint, and return the article view."""
    app = pilot.app
    assert isinstance(app, ClaimdeskApp)
    assert app.reader.open_article(article_id), f"no article {article_id!r}"
    await pilot.pause()
    return app.reader.query_one("#article", ArticleView)
