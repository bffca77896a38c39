"""The Claimdesk reader app: global keys, the NER process pool, search, export and help.

The NER worker process is started after the first screen is drawn (or when an article first
needs entities, if that is sooner), so its start-up — a second Python interpreter — never competes
with the first screen or the library listing. ``run_app`` starts multiprocessing's resource
tracker *before* ``App.run()``: spawning it inside a running Textual app fails (Textual #3593,
"bad value(s) in fds_to_keep": Textual's captured stderr has no file descriptor), and once it
runs, a spawn pool can be made at any time. ``make_app`` builds the app; tests use it alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.core.config import Settings
from tui.core.entity_pool import spawn_pool, start_resource_tracker, worker_log
from tui.core.text import visible_controls
from tui.core.vocab import plural
from tui.core.workspace import Workspace, WorkspaceError
from tui.screens.palette import ClaimdeskCommands
from tui.screens.reader import ReaderScreen
from tui.screens.workers import WorkerFailed

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tui.core.articles.library import Article
    from tui.core.articles.prescan import PendingScan
    from tui.core.extract import Extraction
    from tui.core.search import SearchHit
    from tui.screens.export import ExportRequest

MAX_PROBLEMS_LISTED = 5
"""Bad library files named one by one in the start-up notification; the rest are counted."""
WORKER_TASKS = {
    "library": "Reading the library",
    "figures": "Finding figures",
    "nlp": "Finding entities",
    "search": "Searching",
    "notebook": "Listing the claims",
    "feeds": "Updating the feeds",
    "panels": "Showing the reader",
}
"""What each worker group does, for the one error line when a worker fails."""
POOL_START_DELAY = 1.0
"""Seconds after the first screen before the NER worker process is started (sooner when an
article needs entities first): the library lists before a second interpreter starts up."""


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
            "ctrl+n",
            "notebook",
            "All claims",
            show=False,
            id="app.notebook",
            tooltip="every claim in the library, grouped by article, with filters",
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
        Binding(
            "F",
            "update_feeds",
            "Update feeds",
            show=False,
            id="app.update_feeds",
            tooltip="fetch the subscribed feeds and import new entries (they appear unread)",
        ),
    ]

    keymap_overrides: dict[str, str]
    """Keys remapped by binding id (CLAIMDESK_KEYS and later remaps), for help and palette."""

    def __init__(
        self,
        settings: Settings,
        pool: Executor | None = None,
        *,
        entities: bool = True,
        pool_factory: Callable[[], Executor] | None = None,
        prescan: PendingScan | None = None,
    ) -> None:
        super().__init__()
        self.keymap_overrides = {}
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self.settings = settings
        """Where the library, database and cache live."""
        self.pool = pool
        """Runs named-entity recognition off the UI process; None: a thread instead (or the
        pool from ``pool_factory`` once it is started)."""
        self.pool_factory = pool_factory
        """Makes the NER pool, called once in a thread after the first screen; None: none."""
        self.started_pools: list[Executor] = []
        """Pools made by ``pool_factory`` (the caller shuts them down when the app ends)."""
        self._pool_start: asyncio.Future[Executor] | None = None
        self.entities_enabled = entities
        """False: figures only (no NLP), e.g. for deterministic snapshots."""
        self.workspace = Workspace(settings)
        """The one service that reads and writes the library, claims and corrections."""
        self.workspace.library.expect(prescan)

    def set_keymap(self, keymap: dict[str, str]) -> None:  # type: ignore[override]
        """Remap keys by binding id, remembering the map for the help and the palette."""
        super().set_keymap(keymap)
        self.keymap_overrides = dict(keymap)

    def update_keymap(self, keymap: dict[str, str]) -> None:  # type: ignore[override]
        """Remap some more keys by binding id (remembered like :meth:`set_keymap`)."""
        super().update_keymap(keymap)
        self.keymap_overrides.update(keymap)

    def on_mount(self) -> None:
        """Use the remembered theme; say which CLAIMDESK_KEYS items do nothing."""
        theme = self.workspace.state("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self.remember_theme)
        if self.settings.keymap or self.settings.keymap_problems:
            self.call_after_refresh(self.report_keymap_problems)
        if self.pool_factory is not None:
            self.call_after_refresh(self.set_timer, POOL_START_DELAY, self.entity_pool)

    def remember_theme(self, _theme: object) -> None:
        """Keep the chosen theme for the next start (in the state file beside the database)."""
        self.workspace.remember("theme", self.theme)

    @on(Worker.StateChanged)
    def app_worker_failed(self, event: Worker.StateChanged) -> None:
        """The app's own workers report failures like the screens' do."""
        if event.state == WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker))

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """The one place a failed background task is reported: what failed and why."""
        task = WORKER_TASKS.get(event.worker.group, "A background task")
        error = event.worker.error
        reason = str(error) if isinstance(error, WorkspaceError) else repr(error)
        self.report(f"{task} failed: {reason}", error=True, timeout=12)

    def report_keymap_problems(self) -> None:
        """One warning per unreadable CLAIMDESK_KEYS item and one for unknown binding ids."""
        from tui.screens.help import binding_ids

        problems = list(self.settings.keymap_problems)
        unknown = sorted(set(self.settings.keymap) - binding_ids(self.binding_owners()))
        if unknown:
            problems.append(
                f"CLAIMDESK_KEYS: no key has the id {', '.join(unknown)}; "
                "press ? to see every binding id"
            )
        for problem in problems:
            self.report(problem, error=True, timeout=12)

    def get_default_screen(self) -> Screen[Any]:
        """The reader is the main screen, made with the class its mount would add (no article
        open yet), so that mount does not restyle the whole screen before the first frame."""
        return ReaderScreen().add_class("-no-article", update=False)

    @property
    def reader(self) -> ReaderScreen:
        """The main screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        return screen

    def report_problems(self) -> None:
        """Report library files that could not be read, in one notification."""
        problems = self.workspace.scan.problems
        if problems:
            lines = [str(p) for p in problems[:MAX_PROBLEMS_LISTED]]
            if len(problems) > MAX_PROBLEMS_LISTED:
                lines.append(
                    f"…and {len(problems) - MAX_PROBLEMS_LISTED} more (claimdesk list shows all)"
                )
            count = len(problems)
            self.report(
                f"Skipped {plural(count, 'unreadable article file')}:\n" + "\n".join(lines),
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

    async def entity_pool(self) -> Executor | None:
        """The NER pool, started now (in a thread, the UI never waits on the spawn) if it is
        not running yet; None when entities run in a thread of this process instead."""
        if self.pool is not None or self.pool_factory is None:
            return self.pool
        if self._pool_start is None:
            self._pool_start = asyncio.ensure_future(asyncio.to_thread(self._make_pool))
        try:
            pool = await asyncio.shield(self._pool_start)
        except Exception as exc:  # e.g. no process can be started: entities in a thread
            if self.pool_factory is not None:
                self.pool_factory = None
                self.report(
                    f"The entity worker process could not start ({exc}); entities run in this "
                    "process and may pause the screen briefly",
                    error=True,
                )
            return None
        if self.pool is None and self.pool_factory is not None:
            self.pool = pool
        return self.pool

    def _make_pool(self) -> Executor:
        """Run the factory (in a thread) and remember the pool, so it is shut down even when
        the app ends while it is being started."""
        assert self.pool_factory is not None
        pool = self.pool_factory()
        self.started_pools.append(pool)
        return pool

    async def extract_entities(self, article: Article) -> Extraction:
        """Full extraction (figures + entities) in the pool, or a thread when there is none."""
        workspace = self.workspace
        pool = await self.entity_pool()
        if pool is None:
            return await asyncio.to_thread(workspace.full_extraction, article)
        from tui.core.extract import extract_in_process

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                pool, extract_in_process, *workspace.extraction_job(article)
            )
        except BrokenExecutor:
            if self.pool is not pool:  # another extraction found it broken and said so
                return await asyncio.to_thread(workspace.full_extraction, article)
            self.pool, self.pool_factory = None, None  # entities stay in this process from now
            self.report(
                f"The entity worker process stopped (details in {worker_log(self.settings)}); "
                "entities now run in this process and may pause the screen briefly",
                error=True,
            )
            return await asyncio.to_thread(workspace.full_extraction, article)

    # -- actions ----------------------------------------------------------------------------

    def binding_owners(self) -> list[type]:
        """Every class whose keys a user can remap."""
        from tui.screens.choice import ChoiceScreen
        from tui.screens.correction import CorrectionScreen
        from tui.screens.export import ExportScreen
        from tui.screens.figure_correction import FigureCorrectionScreen
        from tui.screens.help import HelpScreen
        from tui.screens.notebook import NotebookScreen
        from tui.screens.search import SearchScreen
        from tui.screens.tag import TagScreen
        from tui.widgets.find_bar import FindBar
        from tui.widgets.library_list import LibraryList
        from tui.widgets.library_pane import LibraryFilter
        from tui.widgets.panel.checks import ChecksPane
        from tui.widgets.side_panel import SidePanel

        return [
            type(self),
            ReaderScreen,
            LibraryList,
            LibraryFilter,
            SidePanel,
            ChecksPane,
            FindBar,
            TagScreen,
            ExportScreen,
            CorrectionScreen,
            FigureCorrectionScreen,
            SearchScreen,
            NotebookScreen,
            ChoiceScreen,
            HelpScreen,
        ]

    def action_help(self) -> None:
        """Show every key, as remapped."""
        from tui.screens.help import HelpScreen
        from tui.screens.keys import bindings_of
        from tui.widgets.library_list import LibraryList
        from tui.widgets.side_panel import SidePanel

        sections = [
            ("Anywhere", bindings_of([type(self)])),
            ("Reader", bindings_of([ReaderScreen])),
            ("Library", bindings_of([LibraryList])),
            ("Side panel", bindings_of([SidePanel])),
        ]
        self.push_screen(HelpScreen(sections, self.keymap_overrides))

    def action_search(self) -> None:
        """Search every article, quote, tag and note; a hit opens with the match selected."""
        from tui.screens.search import SearchScreen

        def chosen(hit: SearchHit | None) -> None:
            if hit is None:
                return
            if hit.annotation_id:
                self.reader.open_claim(hit.article_id, hit.annotation_id)
                return
            if hit.field == "body":
                self.reader.open_article(hit.article_id, select=(hit.start, hit.end))
            else:
                self.reader.open_field_match(hit.article_id, hit.field, hit.start, hit.end)

        self.push_screen(SearchScreen(self.workspace.search), chosen)

    def action_notebook(self) -> None:
        """Every claim in the library, grouped by article; enter opens one where it is now."""
        from tui.screens.notebook import NotebookScreen

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.reader.open_claim(*choice)

        titles = {meta.id: meta.title for meta in self.workspace.scan.articles}
        self.push_screen(NotebookScreen(self.workspace.claims_matching, titles), chosen)

    def action_export(self) -> None:
        """Export the annotations to a file (format and folder remembered; asks before
        replacing a file)."""
        from tui.core.claims import ClaimQuery
        from tui.screens.export import FORMATS, ExportScreen

        reader = self.reader
        article_id = reader.article.id if reader.article else None
        folder = self.workspace.state("export_folder")
        fmt = self.workspace.state("export_format")
        directory = (
            Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else Path.cwd()
        )

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return
            query = ClaimQuery(article_id=article_id if request.only_article else None)
            try:
                result = self.workspace.export_to(request.path, request.fmt, query)
            except WorkspaceError as exc:
                self.report(f"Export failed: {exc}", error=True)
                return
            self.workspace.remember("export_format", request.fmt)
            self.workspace.remember("export_folder", str(request.path.parent))
            kind = FORMATS[request.fmt].split(" (")[0]
            claims = plural(result.count, "claim")
            self.report(f"Exported {claims} as {kind} to {result.path}", timeout=8)

        screen = ExportScreen(
            directory, article_id, fmt if isinstance(fmt, str) else None, exists=self.would_replace
        )
        self.push_screen(screen, chosen)

    def would_replace(self, path: Path) -> bool:
        """Whether exporting to ``path`` replaces a file the user may want (the export dialog
        asks first); the database's own files are refused by the workspace instead."""
        files, folders = self.workspace.protected_paths()
        resolved = path.expanduser().resolve()
        refused = resolved in files or any(resolved.is_relative_to(f) for f in folders)
        return resolved.is_file() and not refused

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, with a screenshot that is saved beside the database."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save an SVG of the screen beside the annotation database",
                    self.screenshot_beside_database,
                )
            else:
                yield command

    def screenshot_beside_database(self) -> None:
        """Save an SVG screenshot beside the database (else in the current folder); say where."""
        from datetime import datetime

        from tui.core.fileio import atomic_write

        name = f"claimdesk-{datetime.now().strftime('%Y-%m-%d_%H-%M-%S')}.svg"
        svg = self.export_screenshot().encode()
        tried: list[str] = []
        for folder in (self.settings.db_path.parent, Path.cwd()):
            path = folder.expanduser().resolve() / name
            try:
                atomic_write(path, svg)
            except OSError as exc:
                tried.append(f"{folder} ({exc.strerror})")
                continue
            self.report(f"Screenshot saved to {path}", timeout=8)
            return
        self.report(f"Screenshot not saved: cannot write in {' or '.join(tried)}", error=True)

    def open_article(self, article_id: str) -> None:
        """Open an article by id (palette)."""
        self.reader.open_article(article_id)

    def action_update_feeds(self) -> None:
        """Fetch the subscribed feeds in a worker; then the library lists new articles unread."""
        if any(w.group == "feeds" and not w.is_finished for w in self.workers):
            self.report("The feeds are being updated already")
            return
        self.report("Updating the feeds…")
        self.update_feeds()

    @work(thread=True, group="feeds", exit_on_error=False)
    def update_feeds(self) -> None:
        """The blocking fetch and import (never touches widgets; failures reach one handler)."""
        from tui.screens.feeds import update_subscribed_feeds

        summary, new = update_subscribed_feeds(self.workspace)
        self.call_from_thread(self.feeds_updated, summary, new)

    def feeds_updated(self, summary: str, new: int) -> None:
        """Say what the update did; list the new articles."""
        if new:
            self.reader.load_library()
        self.report(summary, timeout=10)


def make_app(
    settings: Settings,
    pool: Executor | None = None,
    *,
    entities: bool = True,
    pool_factory: Callable[[], Executor] | None = None,
    prescan: PendingScan | None = None,
) -> ClaimdeskApp:
    """Build the app; ``pool`` runs NER (None: a thread, or the pool ``pool_factory`` makes
    after the first screen); ``entities=False`` shows figures only; ``prescan``: the library
    scan started before the app was imported, for its first listing."""
    return ClaimdeskApp(
        settings, pool, entities=entities, pool_factory=pool_factory, prescan=prescan
    )


def run_app(settings: Settings, prescan: PendingScan | None = None, **run_options: Any) -> None:
    """Run the reader in the terminal; the NER pool starts after the first screen.

    ``prescan`` is the library scan ``claimdesk`` started before importing the app
    (:func:`tui.core.articles.prescan.start_scan`). ``run_options`` go to ``App.run`` (the
    start-up benchmark runs headless this way, so it measures exactly what a user's start does).
    """
    start_resource_tracker(settings)
    app = make_app(settings, pool_factory=lambda: spawn_pool(settings), prescan=prescan)
    try:
        app.run(**run_options)
    finally:
        app.workspace.library.close()
        for pool in app.started_pools:
            pool.shutdown(wait=False, cancel_futures=True)
