"""``claimdesk compact [--repair]``: fold the journal into ``annotations.json``, or repair it."""

from __future__ import annotations

import click

from tui.cli.output import UserError, safe, warn
from tui.core.annotations.database import StoreError
from tui.core.annotations.repair import compact_database, repair_database
from tui.core.config import Settings


@click.command("compact")
@click.option(
    "--repair",
    is_flag=True,
    help="Rebuild from every intact journal entry when the store refuses its journal; "
    "reports what it drops and keeps the old journal and snapshot aside.",
)
@click.pass_obj
def compact_command(settings: Settings, repair: bool) -> None:
    """Rewrite the annotation database with its journal of recent changes folded in.

    Claimdesk does this by itself when the journal grows and when the reader closes.
    """
    db = settings.db_path
    try:
        if repair:
            for line in repair_database(db):
                click.echo(safe(line))
            return
        folded, notices = compact_database(db)
        for notice in notices:
            warn(notice)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    click.echo(safe(f"{db}: compacted" if folded else f"{db}: nothing to compact"))
