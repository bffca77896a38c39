"""The ``claimdesk`` command line: a click group whose subcommands live in sibling modules.

Global options ``--articles`` and ``--db`` pick the library and the annotation database (else
the environment, the config file, the default: see :mod:`tui.core.config`); with no subcommand
the reader app opens. :func:`main` holds the conventions every command shares: a user mistake
is one line ``Error: …`` and exit status 1, a closed pipe (``| head``) ends quietly with 0, and
output never fails on a terminal that cannot encode a character.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from tui.cli.output import (
    UserError,
    drop_empty_no_color,
    safe,
    tolerate_unencodable_output,
    warn,
)
from tui.core.config import (
    CONFIG_KEYS,
    ENVIRONMENT,
    PER_USER_ORIGIN,
    ConfigError,
    Settings,
    config_file_path,
)

SUBCOMMANDS: dict[str, str] = {
    "list": "library:list_command",
    "show": "library:show_command",
    "import": "importing:import_command",
    "feed": "feeds:feed_group",
    "entities": "extraction:entities_command",
    "check": "checking:check_command",
    "extract": "corpus:extract_command",
    "index": "indexing:index_command",
    "correct": "extraction:correct_group",
    "annotate": "annotating:annotate_command",
    "annotations": "annotating:annotations_command",
    "export": "annotating:export_command",
    "import-annotations": "annotating:import_annotations_command",
    "refresh": "annotating:refresh_command",
    "info": "info:info_command",
    "compact": "maintenance:compact_command",
}
"""Command name -> ``module:attribute`` in this package, imported only when that command runs."""


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is used (click's documented
    lazy-loading pattern), so ``claimdesk list`` never pays for the importer, the store's
    anchoring or the export code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, sorted."""
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Click's lookup, with "Did you mean …?" drawn from the lazy commands too."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a reader that closed the pipe early (``| head -1``) is no error."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(0) from None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The environment variables and the config file after the commands."""
        super().format_epilog(ctx, formatter)
        with formatter.section("Environment"):
            formatter.write_dl(list(ENVIRONMENT.items()))
        with formatter.section("Config file"):
            path, _ = config_file_path()
            formatter.write_text(
                f"Optional TOML at {path} (or CLAIMDESK_CONFIG) with keys "
                f"{', '.join(CONFIG_KEYS)}. Options beat the environment, which beats the file. "
                "'claimdesk info' shows what is in use."
            )

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
    help="The article library folder [default: ./articles if here, else the per-user one].",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The annotation database, TinyDB JSON [default: ./annotations.json if here, else the "
    "per-user one].",
)
@click.version_option(package_name="claimdesk")
@click.pass_context
def cli(ctx: click.Context, articles_dir: Path | None, db_path: Path | None) -> None:
    """Read news articles, see every figure and entity, and tag the claims that matter.

    Run without a command to open the reader.
    """
    try:
        ctx.obj = Settings.resolve(articles_dir, db_path)
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    for problem in ctx.obj.config_problems:
        warn(problem)
    if ctx.obj.origins.get("db") == PER_USER_ORIGIN and ctx.invoked_subcommand != "info":
        _create_per_user_folder(ctx.obj.db_path.parent)
    if ctx.invoked_subcommand is None:
        from tui.core.articles.prescan import start_scan

        # forked before Textual is imported: the library is scanned while the app loads
        pending = start_scan(ctx.obj.articles_dir, ctx.obj.cache_dir)
        from tui.app import run_app  # imported here: Textual is not needed by other commands

        for problem in ctx.obj.keymap_problems:
            warn(problem)
        run_app(ctx.obj, prescan=pending)


def _create_per_user_folder(folder: Path) -> None:
    """Create the per-user data folder the default database lives in: the user never chose it,
    so its absence must not stop the first ``correct`` or ``annotate``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"cannot create the per-user data folder {folder} ({exc.strerror or exc}); "
            "pass --db/--articles or set them in the config file"
        ) from None


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush into a closed pipe is silent
    (the Python docs' recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def usage_error_line(exc: click.UsageError) -> str:
    """A click usage error as the one line ``Error: … (see 'claimdesk CMD --help')``."""
    command = exc.ctx.command_path if exc.ctx is not None else "claimdesk"
    return f"Error: {safe(exc.format_message())} (see '{command} --help')"


def main() -> None:
    """Console-script entry point: click's own error messages quote what the user typed (a file
    name, an option value), so they get the same visible control characters as ours; usage
    errors are one line and exit 1 like every other user mistake."""
    tolerate_unencodable_output()
    drop_empty_no_color()
    try:
        code = cli.main(prog_name="claimdesk", standalone_mode=False)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(0) from None
    except click.UsageError as exc:
        click.echo(usage_error_line(exc), err=True)
        raise SystemExit(1) from None
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
