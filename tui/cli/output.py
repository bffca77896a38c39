"""Console output for the CLI: untrusted text is always printed literally.

Article text is canonical already (no control characters), but notes, tags and file names are
not: everything user-supplied goes through :func:`safe` and is printed with markup disabled.
Conventions every command shares live here too: ``-o -`` means stdout (:data:`OUTPUT_PATH`,
:func:`is_stdout`), ``NO_COLOR`` per no-color.org (:func:`colour_allowed`), output that never
fails on a terminal that cannot encode a character (:func:`tolerate_unencodable_output`).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from tui.core.text import visible_controls

STDOUT = "-"
"""The output path that means standard output (``claimdesk export -o -``)."""

OUTPUT_PATH = click.Path(dir_okay=False, allow_dash=True, path_type=Path)
"""Click type for ``-o/--output``: a file path, or ``-`` for stdout (see :func:`is_stdout`)."""


def is_stdout(output: Path | str | None) -> bool:
    """Whether an ``-o`` value means standard output: not given, or ``-``."""
    return output is None or str(output) == STDOUT


def safe(text: object) -> str:
    """``text`` as a string with every control character made visible (ESC -> ␛)."""
    return visible_controls(str(text))


def colour_allowed() -> bool:
    """False when ``NO_COLOR`` holds a non-empty value (no-color.org: an empty one is unset)."""
    return not os.environ.get("NO_COLOR")


class _PipeConsole(Console):
    """A Rich console that lets a closed pipe reach :func:`tui.cli.main` (exit 0) instead of
    Rich's own ``SystemExit(1)``."""

    def on_broken_pipe(self) -> None:
        """Stop writing, and raise the BrokenPipeError the CLI ends quietly on."""
        self.quiet = True
        raise BrokenPipeError


def drop_empty_no_color() -> None:
    """Unset an empty ``NO_COLOR`` for this process, so libraries that test only its presence
    (Textual's App does) follow no-color.org too: an empty value means colour."""
    if os.environ.get("NO_COLOR") == "":
        del os.environ["NO_COLOR"]


def console() -> Console:
    """A stdout console: plain when piped or NO_COLOR is set; FORCE_COLOR forces colour."""
    forced = bool(os.environ.get("FORCE_COLOR"))
    plain = not colour_allowed() or not (forced or sys.stdout.isatty())
    return _PipeConsole(
        markup=False,
        emoji=False,
        highlight=False,
        no_color=plain,
        color_system=None if plain else "auto",
        force_terminal=False if plain else (True if forced else None),
        soft_wrap=plain,
    )


_RAISING = frozenset({"strict", "surrogateescape"})
"""Error handlers that raise UnicodeEncodeError on a character the encoding lacks (the C locale
gives stdout ``surrogateescape``)."""


def tolerate_unencodable_output() -> None:
    """Make stdout and stderr write ``\\u20ac``-style escapes for characters their encoding
    lacks (``PYTHONIOENCODING=ascii``, ``LC_ALL=C``) instead of raising UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in _RAISING:
            stream.reconfigure(errors="backslashreplace")


def warn(message: str) -> None:
    """One line on stderr, control characters made visible."""
    click.echo(safe(message), err=True)


class UserError(click.ClickException):
    """A user mistake: printed as one line ``Error: …`` on stderr, exit status 1."""

    def __init__(self, message: str) -> None:
        super().__init__(safe(message))
