"""The ``claimdesk`` command line: a click group whose subcommands live in sibling modules.

Global options ``--articles`` and ``--db`` (env ``CLAIMDESK_ARTICLES``, ``CLAIMDESK_DB``) pick
the library and the annotation database; with no subcommand the reader app opens.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from tui.cli.output import UserError, safe, warn
from tui.core.config import Settings

SUBCOMMANDS: dict[str, str] = {
    "list": "library:list_command",
    "show": "library:show_command",
    "import": "importing:import_command",
    "entities": "extraction:entities_command",
    "extract": "corpus:extract_command",
    "index": "corpus:index_command",
    "correct": "extraction:correct_group",
    "annotate": "annotating:annotate_command",
    "annotations": "annotating:annotations_command",
    "export": "annotating:export_command",
    "import-annotations": "annotating:import_annotations_command",
}
"""Command name -> ``module:attribute`` in this package, imported only when that command runs."""


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is used (click's documented
    lazy-loading pattern), so ``claimdesk list`` never pays for the importer, the store's
    anchoring or the export code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, sorted."""
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The subcommand, importing its module on first use."""
        if cmd_name not in SUBCOMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = SUBCOMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(f"tui.cli.{module_name}"), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
            raise TypeError(f"{SUBCOMMANDS[cmd_name]} is not a click command")
        return command


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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

        for problem in ctx.obj.keymap_problems:
            warn(problem)
        run_app(ctx.obj)


def main() -> None:
    """Console-script entry point: click's own error messages quote what the user typed (a file
    name, an option value), so they get the same visible control characters as ours."""
    try:
        code = cli.main(prog_name="claimdesk", standalone_mode=False)
    except click.ClickException as exc:
        vars(exc)["message"] = safe(exc.message)  # typed Final, but a plain attribute
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except click.Abort:  # pragma: no cover - interactive only (EOF at a prompt)
        click.echo("Aborted!", err=True)
        raise SystemExit(1) from None
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        raise SystemExit(130) from None
    raise SystemExit(code if isinstance(code, int) else 0)


__all__ = ["UserError", "cli", "main"]
