"""The Claimdesk reader app: global keys, the NER process pool, search, export and help.

``run_app`` creates the process pool *before* ``App.run()`` (a spawn pool created inside a running
Textual app fails, Textual #3593) and ``make_app`` builds the app; tests use ``make_app`` alone.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from tui.core.config import Settings
from tui.core.text import visible_controls
from tui.screens.palette import ClaimdeskCommands
from tui.screens.reader import ReaderScreen
from tui.screens.session import Session
from tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from tui.core.articles.library import Article
    from tui.core.extract import Extraction
    from tui.screens.export import ExportRequest
    from tui.screens.session import SearchHit

MAX_PROBLEMS_LISTED = 5
"""Bad library files named one by one in the start-up notification; the rest are counted."""


class ClaimdeskApp(App[None]):
    """Read articles, see figures and entities, tag claims."""

    CSS_PATH = "app.tcss"
    TITLE = "Claimdesk"
    COMMANDS = App.COMMANDS | {ClaimdeskCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="quit Claimdesk"),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="this list of keys"),
        Binding(
            "ctrl+f",
            "search",
            "Search",
            priority=True,
            id="app.search",
            tooltip="search all articles, quotes, tags and notes",
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            show=False,
            priority=True,
            id="app.export",
            tooltip="export the annotations (json, w3c, jsonl, csv, md)",
        ),
    ]

    def __init__(
        self, settings: Settings, pool: Executor | None = None, *, entities: bool = True
    ) -> None:
        super().__init__()
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self.settings = settings
        """Where the library, database and cache live."""
        self.pool = pool
        """Runs named-entity recognition off the UI process; None: a thread instead."""
        self.entities_enabled = entities
        """False: figures only (no NLP), e.g. for deterministic snapshots."""
        self.session = Session(settings)
        """The library, store and extractor."""
        self.figure_counts: dict[str, int] = {}
        """Figures per article id, known once an article was opened."""

    def on_mount(self) -> None:
        """Once the first screen is up, say which CLAIMDESK_KEYS items do nothing."""
        if self.settings.keymap or self.settings.keymap_problems:
            self.call_after_refresh(self.report_keymap_problems)

    def report_keymap_problems(self) -> None:
        """One warning per unreadable CLAIMDESK_KEYS item and one for unknown binding ids."""
        from tui.screens.help import binding_ids

        problems = list(self.settings.keymap_problems)
        unknown = sorted(set(self.settings.keymap) - binding_ids())
        if unknown:
            problems.append(
                f"CLAIMDESK_KEYS: no key has the id {', '.join(unknown)}; "
                "press ? to see every binding id"
            )
        for problem in problems:
            self.report(problem, error=True, timeout=12)

    def get_default_screen(self) -> Screen[Any]:
        """The reader is the main screen."""
        return ReaderScreen()

    @property
    def reader(self) -> ReaderScreen:
        """The main screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        return screen

    def report_problems(self) -> None:
        """Report library files that could not be read, in one notification."""
        problems = self.session.scan.problems
        if problems:
            lines = [str(p) for p in problems[:MAX_PROBLEMS_LISTED]]
            if len(problems) > MAX_PROBLEMS_LISTED:
                lines.append(
                    f"…and {len(problems) - MAX_PROBLEMS_LISTED} more (claimdesk list shows all)"
                )
            count = len(problems)
            self.report(
                f"Skipped {count} unreadable article file{'s' if count != 1 else ''}:\n"
                + "\n".join(lines),
                error=True,
                timeout=12,
            )

    def report(self, message: str, *, error: bool = False, timeout: float | None = None) -> None:
        """Show a notification; the text is shown literally, whatever it contains."""
        self.notify(
            visible_controls(message),
            severity="error" if error else "information",
            markup=False,
            timeout=timeout if timeout is not None else (8 if error else 3),
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Global search and export are not offered on top of a dialog."""
        return not (action in ("search", "export") and isinstance(self.screen, ModalScreen))

    # -- entities --------------------------------------------------------------------------

    async def extract_entities(self, article: Article) -> Extraction:
        """Full extraction (figures + entities) in the pool, or a thread when there is none."""
        session = self.session
        if self.pool is None:
            return await asyncio.to_thread(session.extractor.extract, article.body)
        from tui.core.extract import extract_in_process

        try:
            corrections = session.corrections()
        except Exception:
            corrections = []
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self.pool,
                extract_in_process,
                article.body,
                self.settings.model,
                corrections,
                self.settings.cache_dir,
            )
        except BrokenExecutor:
            self.pool = None  # a pool cannot be recreated inside a running app (Textual #3593)
            self.report(
                f"The entity worker process stopped (details in {worker_log(self.settings)}); "
                "entities now run in this process and may pause the screen briefly",
                error=True,
            )
            return await asyncio.to_thread(session.extractor.extract, article.body)

    def apply_correction(self, correction: dict[str, Any]) -> None:
        """Store a correction and re-extract the open article with it."""
        try:
            self.session.add_correction(correction)
        except Exception as exc:
            self.report(f"Correction not saved: {exc}", error=True)
            return
        self.report("Correction saved; it applies to every article")
        reader = self.reader
        if reader.article is not None:
            view_range = reader.query_one("#article").selected_range  # type: ignore[attr-defined]
            reader.open_article(reader.article.id, select=view_range)

    # -- actions ----------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_search(self) -> None:
        """Search every article, quote, tag and note; a hit opens with the match selected."""
        from tui.screens.search import SearchScreen

        def chosen(hit: SearchHit | None) -> None:
            if hit is None:
                return
            select = (hit.start, hit.end) if hit.end > hit.start else None
            reader = self.reader
            if not reader.open_article(hit.article_id, select=select):
                return
            claim = next((c for c in reader.claims if c.id == hit.annotation_id), None)
            if claim is not None and claim.state != "orphan":  # where the claim is now
                reader.query_one("#article", ArticleView).select_range(claim.start, claim.end)

        self.push_screen(SearchScreen(self.session.search), chosen)

    def action_export(self) -> None:
        """Export the annotations to a file."""
        from tui.screens.export import FORMATS, ExportScreen

        reader = self.reader
        article_id = reader.article.id if reader.article else None
        default_dir = Path.cwd()

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return
            try:
                written, count = self.session.export(
                    request.fmt, request.path, article_id if request.only_article else None
                )
            except Exception as exc:
                self.report(f"Export failed: {exc}", error=True)
                return
            claims = f"{count} claim{'s' if count != 1 else ''}"
            kind = FORMATS[request.fmt].split(" (")[0]
            self.report(f"Exported {claims} as {kind} to {written}", timeout=8)

        self.push_screen(ExportScreen(default_dir, article_id), chosen)

    def open_article(self, article_id: str) -> None:
        """Open an article by id (palette)."""
        self.reader.open_article(article_id)


def make_app(
    settings: Settings, pool: Executor | None = None, *, entities: bool = True
) -> ClaimdeskApp:
    """Build the app; ``pool`` runs NER (None: a thread); ``entities=False`` shows figures only."""
    return ClaimdeskApp(settings, pool, entities=entities)


def worker_log(settings: Settings) -> Path:
    """Where the entity worker process writes its own output (never the app's terminal)."""
    return settings.cache_dir / "entity-worker.log"


def start_pool(settings: Settings) -> ProcessPoolExecutor:
    """A one-worker spawn pool for NER, started now with its stdout/stderr sent to a log file.

    The worker inherits file descriptors 1 and 2 when it is spawned; pointing them at a log
    file for that moment keeps spaCy warnings and crash reports out of the app's screen.
    """
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    log = worker_log(settings)
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError:
        target = os.open(os.devnull, os.O_WRONLY)
    saved = [os.dup(1), os.dup(2)]
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(target, 1)
        os.dup2(target, 2)
        pool.submit(os.getpid)  # spawns the worker now, with the log as its output
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, target):
            os.close(fd)
    return pool


def run_app(settings: Settings) -> None:
    """Run the reader in the terminal, with the NER pool created before ``App.run()``."""
    pool = start_pool(settings)
    try:
        make_app(settings, pool).run()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
