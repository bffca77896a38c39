"""``claimdesk list`` and ``claimdesk show``: the article library from the shell."""

from __future__ import annotations

import json
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.cli.completion import ARTICLE_ID
from tui.cli.output import UserError, console, safe, warn
from tui.core.articles.library import Article, ArticleError, LibraryScan, load_article
from tui.core.config import Settings
from tui.core.text import is_heading, line_starts
from tui.core.workspace import Workspace, WorkspaceError

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore

LABEL_STYLES: dict[str, str] = {
    "MONEY": "bold green",
    "PERCENT": "bold cyan",
    "COUNT": "bold yellow",
    "MULTIPLIER": "bold magenta",
    "PERSON": "underline bright_blue",
    "ORG": "underline bright_magenta",
    "GPE": "underline bright_cyan",
    "LOC": "underline cyan",
    "NORP": "underline yellow",
    "EVENT": "underline red",
    "LAW": "underline bright_red",
    "PRODUCT": "underline bright_green",
    "DATE": "italic",
}
"""Rich styles per label for terminal output (the app has its own theme-aware colours)."""


def open_workspace(settings: Settings) -> Workspace:
    """The workspace for this command (library and database chosen by the global options)."""
    return Workspace(settings)


def scan_or_warn(settings: Settings, workspace: Workspace | None = None) -> LibraryScan:
    """Scan the library and print one stderr line per bad file."""
    scan = (workspace or open_workspace(settings)).load_library()
    for problem in scan.problems:
        warn(f"skipped {problem}")
    return scan


def resolve_article(
    settings: Settings, article_id: str, workspace: Workspace | None = None
) -> Article:
    """Load the article with this id (or unique id prefix), or fail with a one-line error that
    says what to do."""
    work = workspace or open_workspace(settings)
    scan_or_warn(settings, work)
    try:
        return work.article(work.resolve(article_id))
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None


def store_or_fail(settings: Settings) -> AnnotationStore:
    """The annotation store, or a one-line error naming the file and what to do."""
    try:
        return open_workspace(settings).store
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None


def corrections_or_warn(settings: Settings) -> list[dict[str, Any]]:
    """Stored corrections; an unreadable database is reported and extraction goes on without."""
    try:
        return open_workspace(settings).corrections()
    except WorkspaceError as exc:
        warn(f"{exc} (extracting without corrections)")
        return []


def _counts(workspace: Workspace, scan: LibraryScan) -> dict[str, dict[str, Any]]:
    """Per-article counts of figures, entities and annotations, as far as they are known."""
    annotation_counts: dict[str, int] = {}
    try:
        annotation_counts = workspace.counts()
    except WorkspaceError as exc:
        warn(str(exc))
    from tui.core.extract import article_context

    extractor = workspace.extractor  # with the corrections, as 'show' counts
    counts: dict[str, dict[str, Any]] = {}
    for meta in scan.articles:
        try:
            body = load_article(meta).body
        except ArticleError as exc:
            warn(f"skipped {meta.path}: {exc}")
            continue
        context = article_context(meta, workspace.settings.currency)
        cached = extractor.cached(body, context=context)
        figures = cached.figures if cached else extractor.figures(body, cache=True, context=context)
        counts[meta.id] = {
            "figures": len(figures),
            "entities": len(cached.entities) if cached and cached.model else None,
            "annotations": annotation_counts.get(meta.id, 0),
        }
    return counts


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_obj
def list_command(settings: Settings, as_json: bool) -> None:
    """List the articles in the library with their counts.

    Entity counts appear once an article has been extracted (the app does this, or
    'claimdesk entities ID').
    """
    workspace = open_workspace(settings)
    scan = scan_or_warn(settings, workspace)
    counts = _counts(workspace, scan)
    rows = [
        {
            "id": m.id,
            "title": m.title,
            "source": m.source,
            "author": m.author,
            "published": m.published,
            "url": m.url,
            "words": m.words,
            **counts.get(m.id, {"figures": None, "entities": None, "annotations": 0}),
        }
        for m in scan.articles
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out = console()
    if not rows:
        out.print(
            f"No articles in {safe(settings.articles_dir)}. "
            "Import one with: claimdesk import FILE.txt"
        )
        return
    title = f"{len(rows)} articles in {safe(settings.articles_dir)}"
    id_width = max(len(row["id"]) for row in rows)
    if out.width < id_width + 60:
        _print_blocks(out, title, rows)  # too narrow for a table that never cuts the id
    else:
        out.print(_table(title, rows, id_width))


def _count(value: int | None) -> str:
    return "·" if value is None else str(value)


def _plural(count: int | None, one: str, many: str | None = None) -> str:
    word = one if count == 1 else (many or one + "s")
    return f"{_count(count)} {word}"


def _table(title: str, rows: list[dict[str, Any]], id_width: int) -> Table:
    """One row per article; the id (what every command takes) is never cut, the title wraps."""
    table = Table(title=title)
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("title", ratio=1, min_width=16)
    table.add_column("source", max_width=24, overflow="fold")
    table.add_column("date", no_wrap=True)
    for name in ("words", "figures", "entities", "claims"):
        table.add_column(name, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(row["id"]),
            Text(safe(row["title"])),
            Text(safe(row["source"] or "")),
            Text(safe(row["published"] or "")),
            str(row["words"]),
            _count(row["figures"]),
            _count(row["entities"]),
            str(row["annotations"]),
        )
    return table


def _print_blocks(out: Console, title: str, rows: list[dict[str, Any]]) -> None:
    """Narrow terminals: the id on its own line, then the title, then the numbers."""
    out.print(Text(title, style="bold"))
    for row in rows:
        out.print()
        out.print(Text(row["id"], style="bold cyan"))
        out.print(Text("  " + safe(row["title"])))
        details = [safe(v) for v in (row["source"], row["published"]) if v]
        details += [
            _plural(row["words"], "word"),
            _plural(row["figures"], "figure"),
            "entities not extracted yet"
            if row["entities"] is None
            else _plural(row["entities"], "entity", "entities"),
            _plural(row["annotations"], "claim"),
        ]
        out.print(Text("  " + " · ".join(details), style="dim"))


def highlighted_body(body: str, spans: list[dict[str, Any]]) -> list[Text]:
    """One Rich Text per paragraph with each span styled by its label (figures on top).

    Each span is placed in the paragraphs it overlaps by bisecting the paragraph starts, so the
    work grows with paragraphs plus spans, not their product (a 500 KB article stays quick).
    """
    lines = body.split("\n")
    starts = line_starts(body)
    per_line: list[list[tuple[str, int, int]]] = [[] for _ in lines]
    for span in spans:  # in the given order, so later spans (figures) are styled on top
        style = LABEL_STYLES.get(span["label"], "underline")
        row = max(0, bisect_right(starts, span["start"]) - 1)
        while row < len(lines) and starts[row] < span["end"]:
            line_end = starts[row] + len(lines[row])
            if span["start"] < line_end:
                per_line[row].append((style, span["start"], span["end"]))
            row += 1
    paragraphs: list[Text] = []
    for line, start, styled in zip(lines, starts, per_line, strict=True):
        text = Text(line, style="bold" if is_heading(line) else "")
        for style, span_start, span_end in styled:
            text.stylize(
                style, max(span_start, start) - start, min(span_end, start + len(line)) - start
            )
        paragraphs.append(text)
    return paragraphs


@click.command("show")
@click.argument("article_id", type=ARTICLE_ID)
@click.option("--figures-only", is_flag=True, help="Highlight figures only (no NLP model).")
@click.pass_obj
def show_command(settings: Settings, article_id: str, figures_only: bool) -> None:
    """Print an article with its figures and entities highlighted, headline and summary too."""
    workspace = open_workspace(settings)
    article = resolve_article(settings, article_id, workspace)
    try:
        extraction = workspace.full_extraction(article, figures_only=figures_only)
        head_figures = workspace.field_figures(article)
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    if extraction.notice:
        warn(extraction.notice)
    out = console()
    meta = article.meta
    [title] = highlighted_body(safe(meta.title), head_figures.get("title", []))
    title.stylize("bold")
    out.print(title)
    byline = " · ".join(safe(v) for v in (meta.source, meta.author, meta.published, meta.url) if v)
    if byline:
        out.print(Text(byline, style="dim"))
    if meta.summary:
        [summary] = highlighted_body(safe(meta.summary), head_figures.get("summary", []))
        summary.stylize("italic")
        out.print(summary)
    out.print()
    ordered = sorted(extraction.entities, key=lambda s: s["start"]) + sorted(
        extraction.figures, key=lambda s: s["start"]
    )
    for paragraph in highlighted_body(article.body, ordered):
        out.print(paragraph)
        out.print()
    if not out.no_color:
        legend = Text("Legend: ")
        for label in sorted({s["label"] for s in ordered}):
            legend.append(label, style=LABEL_STYLES.get(label, "underline"))
            legend.append(" ")
        out.print(legend)
