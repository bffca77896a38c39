"""Console output for the CLI: untrusted text is always printed literally.

Article text is canonical already (no control characters), but notes, tags and file names are
not: everything user-supplied goes through :func:`safe` and is printed with markup disabled.
"""

from __future__ import annotations

import os
import sys

import click
from rich.console import Console

from tui.core.text import visible_controls


def safe(text: object) -> str:
    """``text`` as a string with every control character made visible (ESC -> ␛)."""
    return visible_controls(str(text))


def console() -> Console:
    """A stdout console: plain when piped or NO_COLOR is set; FORCE_COLOR forces colour."""
    forced = bool(os.environ.get("FORCE_COLOR"))
    plain = "NO_COLOR" in os.environ or not (forced or sys.stdout.isatty())
    return Console(
        markup=False,
        emoji=False,
        highlight=False,
        no_color=plain,
        color_system=None if plain else "auto",
        force_terminal=False if plain else (True if forced else None),
        soft_wrap=plain,
    )


def warn(message: str) -> None:
    """One line on stderr, control characters made visible."""
    click.echo(safe(message), err=True)


class UserError(click.ClickException):
    """A user mistake: printed as one line ``Error: …`` on stderr, exit status 1."""

    def __init__(self, message: str) -> None:
        super().__init__(safe(message))
