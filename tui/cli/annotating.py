"""``claimdesk annotate``, ``annotations``, ``export`` and ``import-annotations``."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click
import orjson
from rich.table import Table
from rich.text import Text

from tui.cli.completion import ARTICLE_ID
from tui.cli.library import open_workspace, resolve_article, scan_or_warn
from tui.cli.output import UserError, console, is_stdout, safe, warn
from tui.core.annotations.records import FIELDS, KINDS, STATUSES, TEXT_FIELDS
from tui.core.claims import ClaimQuery
from tui.core.config import Settings
from tui.core.fields import FIELD_NAMES, field_text
from tui.core.text import canonicalize
from tui.core.vocab import ANCHOR_STATES, figure_text, plural
from tui.core.workspace import DuplicateClaim, Workspace, WorkspaceError


def _occurrences(text: str, quote: str) -> list[int]:
    starts, at = [], text.find(quote)
    while at >= 0:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


@click.command("annotate")
@click.argument("article_id", type=ARTICLE_ID)
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
@click.option(
    "--field",
    "field",
    type=click.Choice(TEXT_FIELDS),
    default="body",
    show_default=True,
    help="Where the quote is: the headline (title), the summary or the body.",
)
@click.option(
    "--duplicate", is_flag=True, help="Add it even if the same passage already has a claim."
)
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
    field: str,
    duplicate: bool,
) -> None:
    """Annotate a passage of an article; prints the new annotation's id once it is saved."""
    workspace = open_workspace(settings)
    article = resolve_article(settings, article_id, workspace)
    text = field_text(article, field)
    where = "" if field == "body" else f" ({FIELD_NAMES[field]})"
    wanted = canonicalize(quote)
    if not wanted:
        raise UserError("--quote is empty; give the text to annotate")
    starts = _occurrences(text, wanted)
    if not starts:
        elsewhere = [
            name for name in TEXT_FIELDS if name != field and wanted in field_text(article, name)
        ]
        hint = (
            f" (it is in the {FIELD_NAMES[elsewhere[0]]}: add --field {elsewhere[0]})"
            if elsewhere
            else ""
        )
        raise UserError(
            f"quote not found in {article_id}{where}: '{wanted[:80]}'{hint}; copy it exactly "
            f"from 'claimdesk show {article_id}'"
        )
    if occurrence is None and len(starts) > 1:
        raise UserError(
            f"the quote occurs {len(starts)} times in {article_id}{where} (offsets "
            f"{', '.join(map(str, starts[:10]))}); pick one with --occurrence 1..{len(starts)}"
        )
    index = (occurrence or 1) - 1
    if index >= len(starts):
        raise UserError(
            f"--occurrence {occurrence}: the quote occurs only {len(starts)} time(s) "
            f"in {article_id}"
        )
    start, end = starts[index], starts[index] + len(wanted)
    split_tags = [part for tag in tags for part in tag.split(",")]
    try:
        record = workspace.add_claim(
            article,
            start,
            end,
            field=field,
            tags=split_tags,
            note=note,
            status=status,
            kind=kind,
            allow_duplicate=duplicate,
        )
    except DuplicateClaim as exc:
        raise UserError(
            f"{article_id}: “{exc.existing.quote[:60]}” already has claim {exc.existing.id}; "
            f"change it with the app's 'e', or add another with --duplicate"
        ) from None
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    for problem in workspace.problems:
        warn(problem)
    click.echo(record["id"])


def _selected(settings: Settings, query: ClaimQuery) -> tuple[list[dict[str, Any]], Workspace]:
    """Matching annotations with their current anchor state, and the workspace."""
    workspace = open_workspace(settings)
    scan_or_warn(settings, workspace)
    wanted = query.article_id
    if wanted:
        try:
            query = dataclasses.replace(query, article_id=workspace.resolve(wanted).id)
        except WorkspaceError as exc:
            if not workspace.counts().get(wanted):  # claims on a deleted article: orphans
                raise UserError(str(exc)) from None
    try:
        return workspace.claims_matching(query), workspace
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None


@click.command("annotations")
@click.argument("article_id", required=False, type=ARTICLE_ID)
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--status", type=click.Choice(STATUSES), help="Only annotations with this status.")
@click.option("--search", help="Only annotations whose quote, note or tags contain this text.")
@click.option("--author", help="Only annotations by this author.")
@click.option(
    "--anchor", "anchor_state", type=click.Choice(ANCHOR_STATES), help="Only in this anchor state."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of annotation objects.")
@click.pass_obj
def annotations_command(
    settings: Settings,
    article_id: str | None,
    tag: str | None,
    status: str | None,
    search: str | None,
    author: str | None,
    anchor_state: str | None,
    as_json: bool,
) -> None:
    """List annotations, with whether each still anchors in the current article text."""
    query = ClaimQuery(article_id, tag, status, search, author, anchor_state)
    chosen, _ = _selected(settings, query)
    if as_json:
        rows = [{name: a[name] for name in FIELDS} for a in chosen]
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return
    out = console()
    if not chosen:
        filtered = any((tag, status, search, author, anchor_state))
        out.print("No annotations match." if filtered else "No annotations yet.")
        return
    for each_article in sorted({a["article_id"] for a in chosen}):
        rows = [a for a in chosen if a["article_id"] == each_article]
        table = Table(title=Text(f"{safe(each_article)}: {plural(len(rows), 'annotation')}"))
        table.add_column("id", no_wrap=True)
        table.add_column("anchor", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("tags", overflow="fold")
        table.add_column("quote and note", overflow="fold", ratio=1)
        for a in rows:
            quote = a["quote"] if len(a["quote"]) <= 120 else a["quote"][:119] + "…"
            where = "" if a.get("field", "body") == "body" else f"[{FIELD_NAMES[a['field']]}] "
            passage = Text(safe(where + quote.replace("\n", " ")))
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


def _format_names() -> list[str]:
    from tui.core.annotations import export

    return list(export.FORMATS)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(_format_names()), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Write here instead of stdout ('-' is stdout too).",
)
@click.option("--article", "article_id", type=ARTICLE_ID, help="Only this article's annotations.")
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--status", type=click.Choice(STATUSES), help="Only annotations with this status.")
@click.option("--excel", is_flag=True, help="csv: UTF-8 BOM and CRLF, for Excel on Windows.")
@click.option(
    "--include-drifted",
    is_flag=True,
    help="jsonl, doccano, label-studio: keep drifted spans, at their current position.",
)
@click.option(
    "--urn",
    "urn_for_missing_url",
    is_flag=True,
    help="hypothesis, claimreview: give articles without a web address a urn: address.",
)
@click.option("--reviewer", help="claimreview: who reviewed (default: CLAIMDESK_AUTHOR).")
@click.option(
    "--organisation", "reviewer_is_organisation", is_flag=True,
    help="claimreview: the reviewer is an organisation.",
)  # fmt: skip
@click.pass_obj
def export_command(
    settings: Settings,
    /,
    fmt: str,
    output: Path | None,
    article_id: str | None,
    tag: str | None,
    status: str | None,
    **options: Any,
) -> None:
    """Export annotations as json (default; with corrections), w3c, jsonl, csv, md, hypothesis,
    claimreview, doccano or label-studio."""
    from tui.core.annotations.exports import ExportReport

    to_stdout = output is None or is_stdout(output)
    query = ClaimQuery(article_id=article_id, tag=tag, status=status)
    _, workspace = _selected(settings, query)
    report = ExportReport()
    try:
        result = workspace.export_to(
            None if to_stdout else output, fmt, query, report=report, **options
        )
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    for note in report.notes:
        warn(f"{fmt}: {note}")
    if not workspace.scan.articles and not result.count:
        warn(
            f"nothing to export: no articles in {settings.articles_dir} and no annotations in "
            f"{settings.db_path} (use --articles/--db, or run where they are)"
        )
    if result.path is not None:
        noun = result.noun[:-1] if result.noun.endswith("s") else result.noun
        warn(f"exported {plural(result.written, noun)} ({fmt}) to {result.path}")


@click.command("import-annotations")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_annotations_command(settings: Settings, file: Path) -> None:
    """Merge annotations from a claimdesk json, W3C or jsonl export (by id, no duplicates)."""
    workspace = open_workspace(settings)
    scan_or_warn(settings, workspace)
    try:
        outcome = workspace.import_annotations(file)
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    for line in outcome.skipped:
        warn(f"skipped {line}")
    for line in outcome.report.conflicts:
        warn(f"conflict {line}")
    if outcome.missing_articles:
        warn(
            "not in the library, so their annotations are orphans: "
            + ", ".join(outcome.missing_articles)
        )
    report = outcome.report
    click.echo(
        safe(
            f"{file}: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.conflicts)} conflicts, "
            f"{len(outcome.skipped)} skipped, "
            f"{report.corrections_added} corrections added"
        )
    )


@click.command("refresh")
@click.argument("article_ids", nargs=-1)
@click.pass_obj
def refresh_command(settings: Settings, article_ids: tuple[str, ...]) -> None:
    """Derive each claim's figure again (after an upgrade's new rules or a correction); a claim
    whose figure changes keeps its quote and records the old figure in its history."""
    workspace = open_workspace(settings)
    scan_or_warn(settings, workspace)
    try:
        ids = [workspace.resolve(a).id for a in article_ids] or None
        changed = workspace.refresh_figures(ids, reason="figure derived again (claimdesk refresh)")
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    for record in changed:
        was = figure_text(record["history"][-1].get("figure")) or "no figure"
        now = figure_text(record.get("figure")) or "no figure"
        click.echo(safe(f"{record['id'][:8]} “{record['quote'][:60]}”: {was} → {now}"))
    click.echo(f"{plural(len(changed), 'claim')} changed")
