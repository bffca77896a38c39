"""``claimdesk import``: clean pasted or saved articles and add them to the library."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from tui.cli.output import safe, warn
from tui.core.articles.importer import ImportResult, import_paths
from tui.core.config import Settings


def _describe(result: ImportResult) -> str:
    meta = result.meta
    if meta is None:
        return f"{result.path}: {result.message}"
    details = ", ".join(
        f"{name} {value}"
        for name, value in (
            ("source", meta.source),
            ("author", meta.author),
            ("published", meta.published),
        )
        if value
    )
    cut = len(result.removed)
    return (
        f"{result.path}: imported as {meta.id} — “{meta.title}” "
        f"({details + '; ' if details else ''}{meta.words} words, "
        f"{cut} paragraph{'' if cut == 1 else 's'} cut) -> {meta.path}"
    )


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title", help="The article's title (one file only); default: found in the text.")
@click.option("--source", help="The publication; default: found in the text or the file.")
@click.option(
    "--show-removed", is_flag=True, help="List every cut paragraph and the rule that cut it."
)
@click.pass_obj
def import_command(
    settings: Settings,
    paths: tuple[Path, ...],
    title: str | None,
    source: str | None,
    show_removed: bool,
) -> None:
    """Import articles from .txt, .md or .html files into the library.

    Boilerplate (newsletter and subscription prompts, advertising, "More from …" link lists,
    view counters, copyright footers, a repeated headline) is cut; the headline, byline, date
    and publication go into the article's front matter, which you can edit afterwards.
    Importing the same text again adds nothing.
    """
    if title is not None and len(paths) > 1:
        raise click.UsageError("--title names one article; import the files one at a time")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are not ours
    results = import_paths(
        paths, settings.articles_dir, title=title, source=source, cache_dir=settings.cache_dir
    )
    for result in results:
        line = _describe(result)
        if result.status == "failed":
            warn(f"error: {line}")
        else:
            click.echo(safe(line))
        if show_removed:
            for cut in result.removed:
                click.echo(safe(f"  cut [{cut.rule}] {cut.text}"))
    failed = sum(1 for r in results if r.status == "failed")
    if failed:
        warn(f"{failed} of {len(results)} files not imported")
        raise SystemExit(1)
