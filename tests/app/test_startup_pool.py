"""The NER worker pool starts after the first screen (or on first need), never blocks the UI,
and a pool that cannot start or breaks leaves entities running in a thread, said once."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from time import monotonic
from typing import Any

import pytest

import tui.app
from tests.app.support import ready, record_notifications, write_library
from tui.app import ClaimdeskApp, make_app, run_app
from tui.core.config import Settings
from tui.core.entity_pool import worker_log
from tui.core.workspace import Workspace
from tui.widgets.article_view import ArticleView

TECH = "hong-kong-tech-revival"
ENTITY = {"text": "Cyberport", "label": "ORG"}


def fake_extraction(text: str, *_: Any, **__: Any) -> Any:
    """Figures plus one known entity, as the NER worker would find it (no model needed)."""
    import tui.core.extract as extract

    start = text.index("Cyberport")
    entity = {**ENTITY, "start": start, "end": start + 9, "key": "Cyberport"}
    figures = extract.Extractor(None, []).figures(text)
    return extract.Extraction(figures, [entity], "fake", None)


@pytest.fixture
def fake_ner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entities come from :func:`fake_extraction`, in the pool or in the thread alike."""
    import tui.core.extract as extract

    monkeypatch.setattr(extract, "extract_in_process", fake_extraction)
    monkeypatch.setattr(
        Workspace, "full_extraction", lambda self, article, **_: fake_extraction(article.body)
    )


def app_with(tmp_path: Path, factory: Callable[[], Executor]) -> ClaimdeskApp:
    settings = Settings.from_paths(write_library(tmp_path), tmp_path / "annotations.json")
    return make_app(settings, pool_factory=factory)


async def entities_shown(pilot: Any) -> list[tuple[str, str]]:
    """Open the tech article and wait for its entities; (text, label) of each."""
    app = pilot.app
    app.reader.open_article(TECH)
    view = app.reader.query_one("#article", ArticleView)
    deadline = monotonic() + 10
    while not [s for s in view.spans if s.kind == "entity"]:
        assert monotonic() < deadline, "no entities arrived"
        await pilot.pause(0.02)
    return [(s.text, s.label) for s in view.spans if s.kind == "entity"]


async def test_the_pool_starts_after_the_first_screen_in_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.app, "POOL_START_DELAY", 0.2)
    made: list[tuple[float, bool]] = []
    pools: list[ThreadPoolExecutor] = []

    def factory() -> Executor:
        import threading

        made.append((monotonic(), threading.current_thread() is threading.main_thread()))
        pools.append(ThreadPoolExecutor(max_workers=1))
        return pools[-1]

    app = app_with(tmp_path, factory)
    async with app.run_test(size=(120, 40)) as pilot:
        painted = monotonic()
        assert made == [] and app.pool is None, "the pool is not started before the first screen"
        await ready(pilot)
        deadline = monotonic() + 10
        while app.pool is None:
            assert monotonic() < deadline, "the pool was never started"
            await pilot.pause(0.05)
        assert len(made) == 1 and made[0][0] >= painted
        assert made[0][1] is False, "the spawn runs in a thread, not on the UI loop"
        assert app.pool is pools[0] and app.started_pools == pools
    for pool in pools:
        pool.shutdown()


async def test_an_article_needing_entities_starts_the_pool_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_ner: None
) -> None:
    monkeypatch.setattr(tui.app, "POOL_START_DELAY", 3600)  # only the need starts it
    pools: list[ThreadPoolExecutor] = []

    def factory() -> Executor:
        pools.append(ThreadPoolExecutor(max_workers=1))
        return pools[-1]

    app = app_with(tmp_path, factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert pools == []
        first, second = await asyncio.gather(app.entity_pool(), app.entity_pool())
        assert first is second is pools[0], "two extractions at once start one pool"
        assert await entities_shown(pilot) == [("Cyberport", "ORG")]
        assert len(pools) == 1
    for pool in pools:
        pool.shutdown()


async def test_a_pool_that_cannot_start_leaves_entities_in_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_ner: None
) -> None:
    monkeypatch.setattr(tui.app, "POOL_START_DELAY", 3600)
    calls: list[int] = []

    def factory() -> Executor:
        calls.append(1)
        raise OSError("Resource temporarily unavailable")

    app = app_with(tmp_path, factory)
    async with app.run_test(size=(120, 40)) as pilot:
        messages = record_notifications(app, monkeypatch)
        await ready(pilot)
        assert await entities_shown(pilot) == [("Cyberport", "ORG")]
        app.reader.open_article("ai-start-ups")
        await pilot.pause()
        assert await app.entity_pool() is None
        assert calls == [1], "a failed start is not retried on every article"
        failed = [m for m in messages if "could not start" in m]
        assert len(failed) == 1 and "Resource temporarily unavailable" in failed[0]


class BrokenPool(Executor):
    """A pool whose worker died: every submit raises BrokenProcessPool."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        raise BrokenProcessPool("the worker was killed")


async def test_a_broken_pool_is_dropped_and_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_ner: None
) -> None:
    monkeypatch.setattr(tui.app, "POOL_START_DELAY", 3600)
    made: list[BrokenPool] = []

    def factory() -> Executor:
        made.append(BrokenPool())
        return made[-1]

    app = app_with(tmp_path, factory)
    async with app.run_test(size=(120, 40)) as pilot:
        messages = record_notifications(app, monkeypatch)
        await ready(pilot)
        assert await entities_shown(pilot) == [("Cyberport", "ORG")]
        assert app.pool is None and await app.entity_pool() is None
        assert len(made) == 1, "a broken pool is not started again inside the app"
        assert len([m for m in messages if "entity worker process stopped" in m]) == 1


def test_run_app_spawns_the_worker_inside_the_app_and_shuts_it_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A real spawn pool started by the running app (Textual #3593 would refuse it without
    the tracker started first); the worker writes to its log, not the terminal."""
    monkeypatch.setattr(tui.app, "POOL_START_DELAY", 0.01)
    monkeypatch.setenv("CLAIMDESK_CACHE", str(tmp_path / "cache"))
    settings = Settings.from_paths(write_library(tmp_path), tmp_path / "annotations.json")
    seen: dict[str, Any] = {}

    async def pilot_steps(pilot: Any) -> None:
        app = pilot.app
        deadline = monotonic() + 60
        while app.pool is None:
            assert monotonic() < deadline, "the worker pool was never started"
            await asyncio.sleep(0.05)
        pool = app.pool
        message = b"worker output for the log\n"
        seen["pid"] = await asyncio.wrap_future(pool.submit(os.getpid))
        seen["written"] = await asyncio.wrap_future(pool.submit(os.write, 2, message))
        seen["processes"] = list(pool._processes.values())  # private: to watch them exit
        app.exit()

    run_app(settings, headless=True, size=(100, 30), auto_pilot=pilot_steps)
    assert seen["pid"] != os.getpid() and seen["written"] > 0
    deadline = monotonic() + 30
    while any(process.is_alive() for process in seen["processes"]):
        assert monotonic() < deadline, "the worker process outlived the app"
        asyncio.run(asyncio.sleep(0.05))
    assert "worker output for the log" in worker_log(settings).read_text(encoding="utf-8")
    out, err = capfd.readouterr()
    assert "worker output for the log" not in out + err
