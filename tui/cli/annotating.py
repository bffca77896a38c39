"""``claimdesk annotate``, ``annotations``, ``export`` and ``import-annotations``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import orjson
from rich.table import Table
from rich.text import Text

from tui.cli.library import resolve_article, scan_or_warn, store_or_fail
from tui.cli.output import UserError, console, safe, warn
from tui.core.annotations.anchors import current_states
from tui.core.annotations.export import FORMATS, render
from tui.core.annotations.interchange import ImportFileError, read_annotations
from tui.core.annotations.records import FIELDS, KINDS, STATUSES
from tui.core.annotations.store import AnnotationStore, StoreError
from tui.core.articles.library import Article, ArticleError, load_article
from tui.core.config import Settings
from tui.core.text import canonicalize


def _articles(settings: Settings, ids: Iterable[str] | None) -> dict[str, Article]:
    """The library articles with these ids, or all with None (unreadable ones are left out)."""
    wanted = None if ids is None else set(ids)
    if wanted is not None and not wanted:
        return {}
    found: dict[str, Article] = {}
    for meta in scan_or_warn(settings).articles:
        if wanted is None or meta.id in wanted:
            try:
                found[meta.id] = load_article(meta)
            except ArticleError as exc:
                warn(f"skipped {meta.path}: {exc}")
    return found


def _figure_for(
    settings: Settings, store: AnnotationStore, body: str, start: int, end: int
) -> dict[str, Any] | None:
    """The normalized figure the span is, lies in, or holds first (rule-based, no NLP model)."""
    from tui.core.extract import Extractor  # imported here: only annotate needs it

    try:
        extractor = Extractor(settings.cache_dir, store.corrections(), settings.model)
        figures = extractor.figures(body)
    except Exception as exc:  # extraction must never cost the user their annotation
        warn(f"figure not recorded (extraction failed: {exc})")
        return None
    holding = [f for f in figures if f["start"] <= start and end <= f["end"]]
    inside = [f for f in figures if start <= f["start"] and f["end"] <= end]
    candidates = holding or sorted(inside, key=lambda f: f["start"])
    if not candidates:
        return None
    return {k: v for k, v in candidates[0].items() if k not in ("start", "end")}


def _occurrences(body: str, quote: str) -> list[int]:
    starts, at = [], body.find(quote)
    while at >= 0:
        starts.append(at)
        at = body.find(quote, at + 1)
    return starts


@click.command("annotate")
@click.argument("article_id")
@click.option("--quote", required=True, help="The exact text to annotate, as in the article.")
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    help="Which match (1 = first) when the quote occurs more than once.",
)
@click.option("--tag", "tags", multiple=True, help="A tag (repeat, or separate with commas).")
@click.option("--note", default="", help="A note; may span lines.")
@click.option("--status", type=click.Choice(STATUSES), default="unverified", show_default=True)
@click.option("--kind", type=click.Choice(KINDS), default="claim", show_default=True)
@click.pass_obj
def annotate_command(
    settings: Settings,
    article_id: str,
    quote: str,
    occurrence: int | None,
    tags: tuple[str, ...],
    note: str,
    status: str,
    kind: str,
) -> None:
    """Annotate a passage of an article; prints the new annotation's id once it is saved."""
    article = resolve_article(settings, article_id)
    wanted = canonicalize(quote)
    if not wanted:
        raise UserError("--quote is empty; give the text to annotate")
    starts = _occurrences(article.body, wanted)
    if not starts:
        raise UserError(
            f"quote not found in {article_id}: '{wanted[:80]}'; copy it exactly from "
            f"'claimdesk show {article_id}'"
        )
    if occurrence is None and len(starts) > 1:
        raise UserError(
            f"the quote occurs {len(starts)} times in {article_id} (offsets "
            f"{', '.join(map(str, starts[:10]))}); pick one with --occurrence 1..{len(starts)}"
        )
    index = (occurrence or 1) - 1
    if index >= len(starts):
        raise UserError(
            f"--occurrence {occurrence}: the quote occurs only {len(starts)} time(s) "
            f"in {article_id}"
        )
    start, end = starts[index], starts[index] + len(wanted)
    store = store_or_fail(settings)
    figure = _figure_for(settings, store, article.body, start, end)
    split_tags = [part for tag in tags for part in tag.split(",")]
    try:
        record = store.add(
            article,
            start,
            end,
            tags=split_tags,
            note=note,
            status=status,
            kind=kind,
            figure=figure,
            author=settings.author,
        )
    except (StoreError, ValueError) as exc:
        raise UserError(str(exc)) from None
    click.echo(record["id"])


def _matches(
    annotation: dict[str, Any], tag: str | None, status: str | None, search: str | None
) -> bool:
    if tag and tag.casefold() not in (t.casefold() for t in annotation["tags"]):
        return False
    if status and annotation["status"] != status:
        return False
    if search:
        needle = search.casefold()
        haystack = [annotation["quote"], annotation["note"], *annotation["tags"]]
        return any(needle in text.casefold() for text in haystack)
    return True


def _selected(
    settings: Settings,
    article_id: str | None,
    tag: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Article], AnnotationStore]:
    """Matching annotations with their current anchor state, the articles, and the store."""
    store = store_or_fail(settings)
    try:
        chosen = store.annotations(article_id)
        if tag or status or search:
            chosen = [a for a in chosen if _matches(a, tag, status, search)]
    except StoreError as exc:
        raise UserError(str(exc)) from None
    articles = _articles(settings, {a["article_id"] for a in chosen})
    if article_id and not chosen and article_id not in articles:
        resolve_article(settings, article_id)  # explains an unknown id
    bodies: dict[str, str | None] = {a["article_id"]: None for a in chosen}
    bodies.update({aid: article.body for aid, article in articles.items()})
    return current_states(chosen, bodies, in_place=True), articles, store


@click.command("annotations")
@click.argument("article_id", required=False)
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--status", type=click.Choice(STATUSES), help="Only annotations with this status.")
@click.option("--search", help="Only annotations whose quote, note or tags contain this text.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of annotation objects.")
@click.pass_obj
def annotations_command(
    settings: Settings,
    article_id: str | None,
    tag: str | None,
    status: str | None,
    search: str | None,
    as_json: bool,
) -> None:
    """List annotations, with whether each still anchors in the current article text."""
    chosen, _, _ = _selected(settings, article_id, tag, status, search)
    if as_json:
        rows = [{name: a[name] for name in FIELDS} for a in chosen]
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return
    out = console()
    if not chosen:
        out.print("No annotations match." if (tag or status or search) else "No annotations yet.")
        return
    for each_article in sorted({a["article_id"] for a in chosen}):
        rows = [a for a in chosen if a["article_id"] == each_article]
        table = Table(title=Text(f"{safe(each_article)}: {len(rows)} annotations"))
        table.add_column("id", no_wrap=True)
        table.add_column("anchor", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("tags", overflow="fold")
        table.add_column("quote and note", overflow="fold", ratio=1)
        for a in rows:
            quote = a["quote"] if len(a["quote"]) <= 120 else a["quote"][:119] + "…"
            passage = Text(safe(quote.replace("\n", " ")))
            if a["note"]:
                passage.append("\n" + safe(a["note"].split("\n", 1)[0]), style="dim")
            table.add_row(
                Text(a["id"][:8]),
                Text(
                    a["anchor_state"], style="" if a["anchor_state"] == "anchored" else "bold red"
                ),
                Text(a["status"]),
                Text(safe(", ".join(a["tags"]))),
                passage,
            )
        out.print(table)


def _refuse_database_files(settings: Settings, output: Path) -> None:
    """Stop an export from replacing the database, its backup or its lock file."""
    db = settings.db_path.resolve()
    protected = {db, db.with_name(db.name + ".bak"), db.with_name(db.name + ".lock")}
    if output.resolve() in protected:
        raise UserError(
            f"-o {output} would overwrite the annotation database {settings.db_path}; "
            "choose another -o path"
        )


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        if tmp.parent.is_dir():
            tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write {path} ({exc.strerror or exc}); choose another -o path"
        ) from None


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(list(FORMATS)), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout.",
)
@click.option("--article", "article_id", help="Only this article's annotations.")
@click.option("--tag", help="Only annotations with this tag.")
@click.pass_obj
def export_command(
    settings: Settings, fmt: str, output: Path | None, article_id: str | None, tag: str | None
) -> None:
    """Export annotations as json (default; with corrections), w3c, jsonl, csv or md."""
    if output is not None:
        _refuse_database_files(settings, output)
    chosen, articles, store = _selected(settings, article_id, tag)
    try:
        corrections = store.corrections()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    text = render(fmt, chosen, articles, corrections)
    if output is None:
        click.echo(text, nl=False)
        return
    _write_atomically(output, text)
    warn(f"exported {len(chosen)} annotations ({fmt}) to {output}")


@click.command("import-annotations")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_annotations_command(settings: Settings, file: Path) -> None:
    """Merge annotations from a claimdesk json, W3C or jsonl export (by id, no duplicates)."""
    library = _articles(settings, None)
    try:
        parsed = read_annotations(file, library)
    except ImportFileError as exc:
        raise UserError(str(exc)) from None
    store = store_or_fail(settings)
    try:
        report = store.merge(parsed.annotations, parsed.corrections)
    except (StoreError, ValueError) as exc:
        raise UserError(str(exc)) from None
    for line in parsed.skipped + report.skipped:
        warn(f"skipped {line}")
    for line in report.conflicts:
        warn(f"conflict {line}")
    missing = sorted({a.get("article_id", "?") for a in parsed.annotations} - set(library))
    if missing:
        warn(f"not in the library, so their annotations are orphans: {', '.join(missing)}")
    click.echo(
        safe(
            f"{file}: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.conflicts)} conflicts, "
            f"{len(parsed.skipped) + len(report.skipped)} skipped, "
            f"{report.corrections_added} corrections added"
        )
    )
