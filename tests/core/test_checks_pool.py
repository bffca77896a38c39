"""Checking in forked workers gives exactly the findings of one process, and is used only where
it is safe and worth it; an article prepared elsewhere carries its results back with it."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

import tui.core.extract as extract_pkg
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.checks import ArticleInput, CheckContext, check_library
from tui.core.checks import pool as pool_module
from tui.core.checks.pool import MAX_WORKERS, POOL_MIN_ARTICLES, prepare_all, worker_count
from tui.core.checks.prepare import check_workspace, text_input
from tui.core.checks.runner import RESULT_KEYS, _check_one, prepare_article
from tui.core.config import Settings
from tui.core.extract.entities import Pipeline
from tui.core.workspace import Workspace

STORIES = [
    (
        "Hong Kong Tech Revival: $50B Investments, 13K Jobs",
        "OASES has lured 84 tech companies, with investments reaching HK$50 billion"
        " ($6.37 billion) and about 13,000 jobs. Revenue rose 15% to 300 million euros"
        " from 200 million euros.",
        {"OASES": "ORG"},
    ),
    (
        "Qantas to spend A$3bn on new jets",
        "Qantas will spend A$3 billion (US$1.98 billion) on new jets. Qantas employs"
        " 23,000 people. Profit doubled to A$1.3 billion from A$1 billion.",
        {"Qantas": "ORG"},
    ),
    (
        "Qantas staff numbers",
        "Qantas employs 29,000 people, the airline said. In a survey, 60% of customers were"
        " satisfied and 55% of customers were not.",
        {"Qantas": "ORG"},
    ),
    (
        "Tesco pays £2 billion",
        "Tesco will pay £2 billion ($3.9 billion) for the chain. Sales fell 4% to £50 billion"
        " from £48 billion.",
        {"Tesco": "ORG"},
    ),
]


def _inputs(copies: int) -> list[ArticleInput]:
    return [
        text_input(f"story-{i}-{n}", title, body, names=names, published=f"2025-0{1 + n % 9}-01")
        for n in range(copies)
        for i, (title, body, names) in enumerate(STORIES)
    ]


def _build(article: ArticleInput) -> tuple[ArticleInput, str | None]:
    return ArticleInput(article.fields, article.figures_by_field, article.entities_by_field), None


def _all_findings(inputs: list[ArticleInput], context: CheckContext) -> list[Any]:
    per_article = [f for article in inputs for f in _check_one(article, context)]
    return per_article + check_library(inputs, context)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_forked_workers_find_what_one_process_finds(workers: int) -> None:
    context = CheckContext(user_rates={"AUD": 0.66})
    alone = _all_findings([_build(a)[0] for a in _inputs(3)], context)
    prepared = prepare_all(_inputs(3), _build, context, workers)
    assert [p.fields.article_id for p, _ in prepared] == [a.fields.article_id for a in _inputs(3)]
    pooled = _all_findings([p for p, _ in prepared], context)
    assert pooled == alone
    assert [f.to_json() for f in pooled] == [f.to_json() for f in alone]
    assert {f.kind for f in alone} >= {"headline", "arithmetic", "cross-article", "same-figure"}


def test_a_prepared_article_carries_its_results_through_pickle() -> None:
    context = CheckContext()
    [article] = _inputs(1)[:1]
    expected = _check_one(_build(article)[0], context)
    copy = pickle.loads(pickle.dumps(prepare_article(article, context)))
    assert {key[0] for key, _ in copy.memo_items()} == set(
        RESULT_KEYS
    )  # the results travel, not the readings behind them
    assert _check_one(copy, context) == expected
    assert check_library([copy]) == check_library([_build(article)[0]])


def test_findings_are_remembered_per_context() -> None:
    [article] = _inputs(1)[:1]
    plain = _check_one(article, CheckContext())
    rated = _check_one(article, CheckContext(user_rates={"HKD": 0.5}))
    assert _check_one(article, CheckContext()) == plain
    assert rated == _check_one(_build(article)[0], CheckContext(user_rates={"HKD": 0.5}))


@pytest.mark.parametrize(
    ("articles", "requested", "expected"),
    [
        (POOL_MIN_ARTICLES - 1, None, 1),  # small library: starting workers costs more
        (10, 2, 2),  # asked for explicitly
        (1, 4, 1),  # never more workers than articles
        (5000, 64, MAX_WORKERS),
        (5000, 1, 1),
    ],
)
def test_worker_count(articles: int, requested: int | None, expected: int) -> None:
    if threading.active_count() > 1:
        pytest.skip("this test process runs threads, so no pool is ever chosen here")
    assert worker_count(articles, requested) == expected


def test_a_large_library_uses_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert worker_count(POOL_MIN_ARTICLES) == 2


def test_no_pool_while_other_threads_run() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert worker_count(5000, 2) == 1
    finally:
        release.set()
        thread.join()


def test_no_pool_without_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert worker_count(5000, 2) == 1


def _workspace(home: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    library = home / "articles"
    for index, (title, body, _) in enumerate(STORIES * 3):
        write_article(library, ArticleMeta(id=f"story-{index}", title=title, path=library), body)
    (library / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    monkeypatch.setenv("CLAIMDESK_CACHE", str(home / "cache"))  # nothing shared between homes
    workspace = Workspace(Settings.from_paths(library, home / "db.json"))
    workspace.load_library()
    (library / "story-1.md").write_text("---\nid: [\n---\nbody\n", encoding="utf-8")  # after
    return workspace


@pytest.mark.parametrize("cached", ["nothing", "other results"])
def test_workspace_check_with_workers_matches_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: str
) -> None:
    """Nothing cached: the workers read the articles too; other results cached (a new context,
    correction or text): the parent reads them to look them up, the workers prepare them."""
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(None, None, "no model")
    )
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # xdist's threads
    used: list[int] = []
    real = pool_module.map_forked

    def recorded(items: Any, job: Any, workers: int) -> Any:
        used.append(workers)
        return real(items, job, workers)

    monkeypatch.setattr(pool_module, "map_forked", recorded)
    alone, messages = check_workspace(_workspace(tmp_path / "one", monkeypatch), workers=1)
    workspace = _workspace(tmp_path / "pool", monkeypatch)
    if cached == "other results":
        check_workspace(workspace, CheckContext(user_rates={"EUR": 1.1}), workers=1)
    used.clear()
    pooled, pooled_messages = check_workspace(workspace, workers=2)
    assert used == [2]  # it went through the pool
    assert [f.to_json() for f in pooled] == [f.to_json() for f in alone]
    assert [m.replace(str(tmp_path / "pool"), "~") for m in pooled_messages] == [
        m.replace(str(tmp_path / "one"), "~") for m in messages
    ]
    assert "no model" in messages
    assert any(m.startswith("skipped ") and "story-1.md" in m for m in messages)
    again, _ = check_workspace(workspace, workers=2)  # now from the checks cache
    assert again == pooled


def test_a_worker_that_dies_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def job(item: int) -> int:
        if item == 3 and os.getpid() != parent:
            os._exit(1)  # a worker killed (out of memory, a signal) halfway
        return item * item

    assert pool_module.map_forked(list(range(10)), job, 2) == [i * i for i in range(10)]
