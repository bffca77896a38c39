"""``claimdesk import``: clean pasted, saved or fetched articles and add them to the library."""

from __future__ import annotations

import logging

import click

from tui.cli.output import UserError, safe, warn
from tui.core.articles.importer import (
    ImportFailure,
    ImportLockError,
    ImportOptions,
    ImportResult,
    import_sources,
)
from tui.core.articles.web import is_url
from tui.core.config import Settings


def describe(result: ImportResult) -> str:
    """One line for an import result: what was stored, with its metadata, or why not."""
    meta = result.meta
    if meta is None:
        return f"{result.origin}: {result.message}"
    details = ", ".join(
        f"{name} {value}"
        for name, value in (
            ("source", meta.source),
            ("author", meta.author),
            ("published", meta.published),
            ("url", meta.url if meta.url != result.origin else None),
        )
        if value
    )
    cut = len(result.removed)
    action = (
        f"updated {meta.id} in place (previous text kept in {result.kept_version})"
        if result.status == "updated"
        else f"imported as {meta.id}"
    )
    return (
        f"{result.origin}: {action} — “{meta.title}” "
        f"({details + '; ' if details else ''}{meta.words} words, "
        f"{cut} paragraph{'' if cut == 1 else 's'} cut) -> {meta.path}"
    )


@click.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option("--title", help="The article's title (one file only); default: found in the text.")
@click.option("--source", help="The publication; default: found in the text or the file.")
@click.option("--url", help="The article's web address (one file only), kept in its front matter.")
@click.option(
    "--currency",
    metavar="CODE",
    help="What a bare '$' or 'dollars' means in the article, as an ISO code (AUD, HKD, …).",
)
@click.option(
    "--show-removed", is_flag=True, help="List every cut paragraph and the rule that cut it."
)
@click.pass_obj
def import_command(
    settings: Settings,
    sources: tuple[str, ...],
    title: str | None,
    source: str | None,
    url: str | None,
    currency: str | None,
    show_removed: bool,
) -> None:
    """Import articles from .txt, .md or .html files, or from http(s):// web addresses.

    Boilerplate (newsletter and subscription prompts, advertising, "More from …" link lists,
    view counters, copyright footers, a repeated headline) is cut; the headline, byline, date
    and publication go into the article's front matter, which you can edit afterwards. Tables
    are kept as rows ("Health | +£22.6bn"). Importing the same text again adds nothing; a
    changed text of the same web address (or a corrected file with the same title) replaces the
    article in place, keeping the previous text in the library's .versions folder.
    """
    if title is not None and len(sources) > 1:
        raise click.UsageError("--title names one article; import the files one at a time")
    if url is not None and (len(sources) > 1 or any(is_url(s) for s in sources)):
        raise click.UsageError("--url names one file's address; import the files one at a time")
    if url is not None and not is_url(url):
        raise UserError(f"--url {url}: not an http:// or https:// address")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are not ours
    logging.getLogger("htmldate").setLevel(logging.ERROR)

    def report(result: ImportResult) -> None:
        line = describe(result)
        if result.status == "failed":
            warn(f"error: {line}")
        else:
            click.echo(safe(line))
        if show_removed:
            for cut in result.removed:
                click.echo(safe(f"  cut [{cut.rule}] {cut.text}"))

    options = ImportOptions(title=title, source=source, url=url, currency=currency)
    try:
        results = import_sources(
            sources,
            settings.articles_dir,
            options,
            cache_dir=settings.cache_dir,
            on_wait=warn,
            on_result=report,
        )
    except (ImportFailure, ImportLockError) as exc:
        raise UserError(str(exc)) from None
    failed = sum(1 for r in results if r.status == "failed")
    if failed:
        warn(f"{failed} of {len(results)} files not imported")
        raise SystemExit(1)
