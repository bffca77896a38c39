"""``claimdesk check``: the figures in one article or the whole library that do not add up.

Article kinds (headline, conversion, arithmetic) run on the articles named (all by default);
library kinds (cross-article, same-figure) compare against the whole library and keep the
findings that involve a named article. Results are cached under the cache folder; the body's
extraction comes from the extraction cache (the NLP model runs only for articles never
extracted).
"""

from __future__ import annotations

from collections import Counter

import click
import orjson
from rich.table import Table
from rich.text import Text

from tui.cli.library import open_workspace, scan_or_warn
from tui.cli.output import UserError, console, safe, warn
from tui.core.checks import KINDS, Finding
from tui.core.checks.prepare import check_workspace, settings_context
from tui.core.config import Settings
from tui.core.workspace import Workspace, WorkspaceError

SEVERITY_STYLES = {"warning": "bold red", "possible": "yellow", "info": "dim"}
"""How each severity is shown in the table."""


def _selected(workspace: Workspace, targets: tuple[str, ...]) -> set[str] | None:
    """The ids named on the command line (unique prefixes allowed), or None for all."""
    if not targets:
        return None
    try:
        return {workspace.resolve(target).id for target in targets}
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None


def _where(finding: Finding) -> str:
    first = finding.spans[0]
    more = f" +{len(finding.spans) - 1}" if len(finding.spans) > 1 else ""
    return f"{first.field} {first.start}-{first.end}{more}"


@click.command("check")
@click.argument("articles", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only these kinds (repeat the option for several).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that prepare the articles (default: one per core for a large library).",
)
@click.pass_obj
def check_command(
    settings: Settings,
    articles: tuple[str, ...],
    as_json: bool,
    kinds: tuple[str, ...],
    workers: int | None,
) -> None:
    """Find figures that don't add up in ARTICLES (ids or unique prefixes; all by default).

    \b
    headline       a headline/summary figure the body contradicts ("$50B" vs "HK$50 billion")
    conversion     "HK$X (US$Y)" whose implied rate is off the peg or the article's other rates
    arithmetic     "rose 15% to 300 from 200"; shares that add up past 100%
    cross-article  one subject's measure with different values in different articles
    same-figure    one figure in several wordings (information)

    JSON: a list of {id, kind, severity, explanation, note, spans: [{article_id, field, start,
    end, text}], facts}. Offsets count code points in the named field.
    """
    workspace = open_workspace(settings)
    scan = scan_or_warn(settings, workspace)
    wanted = _selected(workspace, articles)
    if not scan.articles:
        raise UserError(f"no articles in {settings.articles_dir}; import one with claimdesk import")
    try:
        workspace.corrections()
    except WorkspaceError as exc:
        warn(f"{exc} (checking without corrections)")
    findings, messages = check_workspace(workspace, settings_context(settings), workers)
    for message in messages:
        warn(message)
    if wanted is not None:
        findings = [f for f in findings if wanted & set(f.article_ids)]
    if kinds:
        findings = [f for f in findings if f.kind in kinds]
    if as_json:
        click.echo(orjson.dumps([f.to_json() for f in findings], option=orjson.OPT_INDENT_2))
        return
    counts = Counter(f.severity for f in findings)
    summary = ", ".join(f"{counts[s]} {s}" for s in ("warning", "possible", "info") if counts[s])
    scope = f"{len(wanted)} article(s)" if wanted is not None else f"{len(scan.articles)} articles"
    if not findings:
        console().print(f"No findings in {scope}.")
        return
    table = Table(title=f"{len(findings)} findings in {scope} ({summary})", expand=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("article", overflow="fold", ratio=1, min_width=12)
    table.add_column("where", no_wrap=True)
    table.add_column("explanation", overflow="fold", ratio=3)
    for finding in findings:
        table.add_row(
            Text(finding.severity, style=SEVERITY_STYLES.get(finding.severity, "")),
            finding.kind,
            Text(safe(", ".join(finding.article_ids))),
            _where(finding),
            Text(safe(finding.explanation)),
        )
    console().print(table)
