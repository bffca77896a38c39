"""The ``claimdesk`` command line: a click group whose subcommands live in sibling modules.

Global options ``--articles`` and ``--db`` (env ``CLAIMDESK_ARTICLES``, ``CLAIMDESK_DB``) pick
the library and the annotation database; with no subcommand the reader app opens.
"""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli import annotating as annotating_commands
from tui.cli import extraction as extraction_commands
from tui.cli import importing as importing_commands
from tui.cli import library as library_commands
from tui.cli.output import UserError
from tui.core.config import Settings


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--articles",
    "articles_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("articles"),
    envvar="CLAIMDESK_ARTICLES",
    show_default=True,
    help="The article library folder.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("annotations.json"),
    envvar="CLAIMDESK_DB",
    show_default=True,
    help="The annotation database (TinyDB JSON).",
)
@click.version_option(package_name="claimdesk")
@click.pass_context
def cli(ctx: click.Context, articles_dir: Path, db_path: Path) -> None:
    """Read news articles, see every figure and entity, and tag the claims that matter.

    Run without a command to open the reader.
    """
    ctx.obj = Settings.from_paths(articles_dir, db_path)
    if ctx.invoked_subcommand is None:
        from tui.app import run_app  # imported here: Textual is not needed by other commands

        run_app(ctx.obj)


for module in (library_commands, importing_commands, extraction_commands, annotating_commands):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="claimdesk")
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        raise SystemExit(130) from None


__all__ = ["UserError", "cli", "main"]
