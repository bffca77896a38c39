"""``claimdesk entities``, ``claimdesk extract`` and the ``claimdesk correct`` group.

``extract`` is a pure JSON-lines to JSON-lines step (``{"id", "text"}`` in, ``{"id",
"entities"}`` out, streaming, ``nlp.pipe`` batches): a corpus too large for one machine is
handled by mapping this same step over partitions in Dask (``bag.map_partitions``) or Spark
(``mapPartitions``), each worker loading the pipeline once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import orjson
from rich.table import Table
from rich.text import Text

from tui.cli.completion import ARTICLE_ID_OR_FILE
from tui.cli.library import corrections_or_warn, open_workspace, resolve_article
from tui.cli.output import UserError, console, safe, warn
from tui.core.articles.library import MAX_ARTICLE_BYTES, Article
from tui.core.config import Settings
from tui.core.extract import Extraction, Extractor, article_context, figures_for_fields
from tui.core.extract.conversion import UsdEquivalent, usd_equivalents, user_rates
from tui.core.extract.corrections import LABELS, CorrectionError, make_correction
from tui.core.extract.figure_context import FigureContext
from tui.core.extract.figure_corrections import ACTION as FIGURE_ACTION
from tui.core.extract.figure_corrections import (
    CHANGEABLE,
    FigureCorrectionError,
    describe,
    figure_text_key,
    make_figure_correction,
)
from tui.core.vocab import human_value
from tui.core.workspace import WorkspaceError

FIGURE_FIELDS = (
    "text",
    "start",
    "end",
    "label",
    "value",
    "currency",
    "unit",
    "qualifier",
    "low",
    "high",
    "currency_reason",
    "corrected",
)
"""Every figure row has these; a corrected one adds ``original``, an article's adds ``field``."""
ENTITY_FIELDS = ("text", "start", "end", "label", "key", "source")
FIGURE_LABELS = ("MONEY", "PERCENT", "COUNT", "MULTIPLIER")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def figure_row(figure: dict[str, Any]) -> dict[str, Any]:
    """A figure with its documented fields (``corrected`` false unless a correction applied)."""
    row = {k: figure.get(k) for k in FIGURE_FIELDS}
    row["corrected"] = bool(figure.get("corrected"))
    if row["corrected"]:
        row["original"] = figure.get("original")
    if "field" in figure:
        row["field"] = figure["field"]
    return row


_FIELD_ORDER = {"title": 0, "summary": 1, "body": 2}


def spans(
    extraction: Extraction, field_figures: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Figures and entities in reading order, each with exactly its documented fields.

    ``field_figures`` (an article's title, summary and body figures, each with ``field``)
    replace the extraction's own figures.
    """
    figures = extraction.figures if field_figures is None else field_figures
    rows = [figure_row(f) for f in figures]
    rows += [{k: e.get(k) for k in ENTITY_FIELDS} for e in extraction.entities]
    return sorted(
        rows, key=lambda r: (_FIELD_ORDER.get(r.get("field", "body"), 2), r["start"], r["end"])
    )


def _read_target(settings: Settings, target: str) -> str:
    """The text of a .txt/.md file as read, or the canonical body of a library article."""
    article = _target_article(settings, target)
    return article if isinstance(article, str) else article.body


def _target_article(settings: Settings, target: str) -> str | Article:
    """A file's text as read, or the library article ``target`` names."""
    path = Path(target)
    if path.suffix.lower() in TEXT_SUFFIXES or path.is_file():
        if not path.is_file():
            raise UserError(f"{target}: no such file (give a .txt/.md file or an article id)")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise UserError(f"{target}: cannot read ({exc.strerror or exc})") from None
        if len(raw) > MAX_ARTICLE_BYTES:
            raise UserError(f"{target}: larger than {MAX_ARTICLE_BYTES // 2**20} MB; split it")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(f"{target}: not UTF-8 text; convert it to UTF-8 first") from None
    try:
        return resolve_article(settings, target)
    except UserError:
        if path.is_dir():  # an article id wins over a folder of the same name
            raise UserError(
                f"{target}: is a folder; give a .txt/.md file or an article id"
            ) from None
        raise


def _labels(value: str | None) -> set[str] | None:
    if not value:
        return None
    wanted = {v.strip().upper() for v in value.split(",") if v.strip()}
    known = set(FIGURE_LABELS) | set(LABELS)
    unknown = sorted(wanted - known)
    if unknown:
        raise UserError(f"unknown label {', '.join(unknown)}: use {', '.join(sorted(known))}")
    return wanted


USD_BASIS = {"article": "rate stated in the text", "peg": "official peg", "user": "your rate"}
"""How each kind of US-dollar equivalent is explained next to it."""


def _detail(row: dict[str, Any], usd: UsdEquivalent | None = None) -> str:
    """Currency or unit, qualifier and US-dollar equivalent of a figure; an entity's key."""
    if "value" not in row:
        return "" if row.get("key") == row["text"] else f"= {row.get('key')}"
    parts = [
        row.get("currency") or row.get("unit") or "",
        row.get("qualifier") or "",
        f"{usd.describe()} ({USD_BASIS[usd.basis]})" if usd else "",
        row.get("currency_reason") or "" if row.get("label") == "MONEY" else "",
        _corrected_note(row),
    ]
    return " · ".join(p for p in parts if p)


def _corrected_note(row: dict[str, Any]) -> str:
    """ "corrected (was USD)" for a corrected figure, else ""."""
    if not row.get("corrected"):
        return ""
    was = ", ".join(f"{k} {v}" for k, v in (row.get("original") or {}).items() if k in CHANGEABLE)
    return f"corrected (was {was})" if was else "corrected"


@click.command("entities")
@click.argument("target", type=ARTICLE_ID_OR_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option(
    "--label", "label_filter", metavar="LABELS", help="Only these labels, e.g. MONEY,ORG."
)
@click.option("--figures-only", is_flag=True, help="Figures only: no NLP model is loaded.")
@click.pass_obj
def entities_command(
    settings: Settings, target: str, as_json: bool, label_filter: str | None, figures_only: bool
) -> None:
    """Figures and named entities of an article id or a .txt/.md file.

    Offsets count code points in the article's canonical body, or in a file's text as read.
    Figures have text, start, end, label, value, currency, unit, qualifier, low, high; entities
    have text, start, end, label, key (the entity a mention belongs to) and source.
    """
    wanted = _labels(label_filter)
    article = _target_article(settings, target)
    extractor = Extractor(settings.cache_dir, corrections_or_warn(settings), settings.model)
    if isinstance(article, str):
        body, field_figures = article, None
        context = FigureContext(default_currency=settings.currency)
    else:
        body, context = article.body, article_context(article)
        field_figures = [
            f for found in figures_for_fields(extractor, article).values() for f in found
        ]
    extraction = extractor.extract(body, figures_only=figures_only, context=context)
    if extraction.notice:
        warn(extraction.notice)
    rows = [r for r in spans(extraction, field_figures) if wanted is None or r["label"] in wanted]
    if as_json:
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return
    table = Table(title=f"{len(rows)} figures and entities in {safe(target)}")
    for name in ("span", "label", "text", "value", "detail"):
        table.add_column(name, justify="right" if name == "value" else "left")
    body_rows = [r for r in rows if r.get("field", "body") == "body"]
    equivalents = dict(
        zip(
            map(id, body_rows),
            usd_equivalents(body, body_rows, user_rates(settings.usd_rates)),
            strict=True,
        )
    )
    for row in rows:
        usd = equivalents.get(id(row))
        where = "" if row.get("field", "body") == "body" else f"{row['field']} "
        table.add_row(
            f"{where}{row['start']}-{row['end']}",
            row["label"],
            Text(safe(row["text"])),
            human_value(row),
            Text(safe(_detail(row, usd))),
        )
    console().print(table)


@click.group("correct")
def correct_group() -> None:
    """Corrections that apply to every article: add, relabel, reject, ignore, list, remove.

    \b
    claimdesk correct add OASES ORG         every "OASES" is an organisation
    claimdesk correct relabel Cyberport LOC the model's "Cyberport" mentions become LOC
    claimdesk correct reject AI GPE         "AI" is not a place (omit GPE: not any entity)
    claimdesk correct ignore Subscribe      nothing is found inside "Subscribe"
    claimdesk correct figure ID '$2.8 billion' --currency AUD   fix one article's figure
    """


def _add(settings: Settings, action: str, text: str, label: str | None) -> None:
    try:
        correction = make_correction(action, text, label)
    except CorrectionError as exc:
        raise UserError(str(exc)) from None
    try:
        stored = open_workspace(settings).add_correction(correction)
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    click.echo(stored["id"])


_LABEL_HELP = ", ".join(LABELS)


@correct_group.command("add")
@click.argument("text")
@click.argument("label")
@click.pass_obj
def correct_add(settings: Settings, text: str, label: str) -> None:
    """Make every TEXT an entity LABEL.

    Matches whole words, exact case, in every article; prints the new correction's id.
    """
    _add(settings, "add", text, label)


@correct_group.command("relabel")
@click.argument("text")
@click.argument("label")
@click.pass_obj
def correct_relabel(settings: Settings, text: str, label: str) -> None:
    """Give the model's mentions of TEXT the label LABEL.

    Matches case-insensitively; prints the new correction's id.
    """
    _add(settings, "relabel", text, label)


@correct_group.command("reject")
@click.argument("text")
@click.argument("label", required=False)
@click.pass_obj
def correct_reject(settings: Settings, text: str, label: str | None) -> None:
    """Say TEXT is not an entity (or not a LABEL).

    Drops the model's mentions of TEXT, only those labelled LABEL when given; prints the id.
    """
    _add(settings, "reject", text, label)


@correct_group.command("ignore")
@click.argument("text")
@click.pass_obj
def correct_ignore(settings: Settings, text: str) -> None:
    """Find nothing inside TEXT, such as "Subscribe".

    No entity or figure overlapping an occurrence of TEXT is shown; prints the id.
    """
    _add(settings, "ignore", text, None)


@correct_group.command("figure")
@click.argument("article_id", metavar="ARTICLE")
@click.argument("text")
@click.option("--currency", help="ISO code such as AUD, or 'unknown'.")
@click.option("--value", type=float, help="The right value, in major units or percent points.")
@click.option("--unit", help="The counted noun, or the unit of a rate ('per share').")
@click.option("--label", type=click.Choice(FIGURE_LABELS, case_sensitive=False))
@click.option("--not-a-figure", "not_figure", is_flag=True, help="TEXT is no figure at all.")
@click.pass_obj
def correct_figure(
    settings: Settings, article_id: str, text: str, currency: str | None, value: float | None,
    unit: str | None, label: str | None, not_figure: bool,
) -> None:  # fmt: skip
    """Fix the figure TEXT of ARTICLE (in every field and every place it occurs there).

    Give TEXT as the figure is written ('HK$50 billion'); prints the new correction's id.
    Undo with 'claimdesk correct remove ID'.
    """
    article = resolve_article(settings, article_id)
    unknown = currency is not None and currency.strip().lower() in ("unknown", "none", "null")
    try:
        correction = make_figure_correction(
            article.id, text, currency=None if unknown else currency, clear_currency=unknown,
            value=value, unit=unit, label=label, not_figure=not_figure,
        )  # fmt: skip
    except FigureCorrectionError as exc:
        raise UserError(str(exc)) from None
    rules = Extractor(settings.cache_dir, [], settings.model)
    found = figures_for_fields(rules, article)
    if not any(figure_text_key(f["text"]) == correction["text"] for v in found.values() for f in v):
        raise UserError(
            f"no figure {safe(correction['text'])!r} in {article.id}; "
            f"see its figures with: claimdesk entities {article.id} --figures-only"
        )
    try:
        stored = open_workspace(settings).add_correction(correction)
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    click.echo(stored["id"])


def _listed(correction: dict[str, Any], name: str) -> str:
    """A correction's column for the table (figure corrections describe their change)."""
    if correction.get("action") == FIGURE_ACTION and name == "label":
        return f"{describe(correction)} (in {correction.get('article')})"
    return str(correction.get(name) or "")


@correct_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_obj
def correct_list(settings: Settings, as_json: bool) -> None:
    """List corrections in the order they apply."""
    try:
        corrections = open_workspace(settings).corrections()
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        click.echo(orjson.dumps(corrections, option=orjson.OPT_INDENT_2).decode())
        return
    if not corrections:
        console().print("No corrections. Add one with: claimdesk correct reject AI GPE")
        return
    table = Table(title=f"{len(corrections)} corrections")
    for name in ("id", "action", "text", "label", "created"):
        table.add_column(name)
    for c in corrections:
        table.add_row(
            *(Text(safe(_listed(c, k))) for k in ("id", "action", "text", "label", "created"))
        )
    console().print(table)


@correct_group.command("remove")
@click.argument("correction_id")
@click.pass_obj
def correct_remove(settings: Settings, correction_id: str) -> None:
    """Remove a correction by its id (a unique prefix is enough)."""
    workspace = open_workspace(settings)
    try:
        matches = [
            c for c in workspace.corrections() if str(c.get("id", "")).startswith(correction_id)
        ]
        if len(matches) != 1:
            what = "no correction" if not matches else f"{len(matches)} corrections"
            raise UserError(f"{what} with id '{correction_id}' (see 'claimdesk correct list')")
        workspace.remove_correction(matches[0]["id"])
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    click.echo(safe(matches[0]["id"]))
