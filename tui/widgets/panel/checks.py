"""The Checks tab: figure checks' findings (numbers that don't add up), the open article's first.

Each row shows the severity, the kind and the one-line explanation, all literal text. Enter
asks the reader to show the finding's first span; ``t`` asks it to tag that span as a claim with
the explanation as the note. The pane only displays: the screen runs the checks and saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, TabPane
from textual.widgets.option_list import Option

from tui.core.fields import FIELD_NAMES
from tui.widgets.panel.common import literal

if TYPE_CHECKING:
    from tui.core.checks.findings import Finding

SEVERITY_STYLES = {"warning": "bold $warning", "possible": "bold $secondary", "info": "dim"}
"""How each severity stands out in the list."""
SEVERITY_ORDER = {"warning": 0, "possible": 1, "info": 2}


def finding_row(finding: Finding, *, elsewhere: bool = False) -> Content:
    """Severity and kind, then the explanation (and where, for another article), literally."""
    first = finding.spans[0] if finding.spans else None
    where = ""
    if first is not None:
        field = FIELD_NAMES.get(first.field, first.field)
        where = f"{first.article_id} · {field}" if elsewhere else field
    heading = Content.assemble(
        Content.styled(finding.severity, SEVERITY_STYLES.get(finding.severity, "")),
        Content(f" · {finding.kind}" + (f" · {literal(where, 50)}" if where else "")),
    )
    return Content.assemble(heading, "\n", Content(literal(finding.explanation, 400)))


class CheckList(OptionList):
    """The list of findings (``t`` tags the highlighted one)."""


class ChecksPane(TabPane):
    """Findings of the figure checks over the library."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "tag_finding", "Tag as claim", id="checks.tag"),
        Binding("r", "recheck", "Check again", id="checks.recheck"),
    ]

    @dataclass
    class FindingChosen(Message):
        """Show this finding's first span in the reader."""

        finding: Finding

    @dataclass
    class TagRequested(Message):
        """Tag this finding's first span as a claim, its explanation as the note."""

        finding: Finding

    class RecheckRequested(Message):
        """Run the checks again."""

    def __init__(self) -> None:
        super().__init__("Checks", id="tab-checks")
        self.findings: list[Finding] = []
        """The findings in list order."""

    def compose(self) -> ComposeResult:
        """One list."""
        yield CheckList(id="check-list")

    def show_checking(self) -> None:
        """Say the checks are running (the list keeps its rows meanwhile, if any)."""
        if not self.findings:
            self.query_one(CheckList).set_options([Option(Content("checking…"), disabled=True)])

    def show(self, findings: Sequence[Finding], article_id: str | None) -> int:
        """List the open article's findings first, then the rest of the library's; returns how
        many are about the open article."""
        ranked = sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
        mine = [f for f in ranked if article_id is not None and article_id in f.article_ids]
        others = [f for f in ranked if f not in mine]
        self.findings = [*mine, *others]
        options: list[Option | None] = []
        if article_id is not None:
            options.append(Option(Content.styled("This article", "bold"), disabled=True))
            options.extend(Option(finding_row(f), id=f"k{i}") for i, f in enumerate(mine))
            if not mine:
                options.append(Option(Content("  No findings: its figures agree"), disabled=True))
        if others:
            options.append(
                Option(Content.styled("Elsewhere in the library", "bold"), disabled=True)
            )
            options.extend(
                Option(finding_row(f, elsewhere=True), id=f"k{len(mine) + i}")
                for i, f in enumerate(others)
            )
        if not options:
            options.append(Option(Content("No findings in the library"), disabled=True))
        check_list = self.query_one(CheckList)
        check_list.set_options(options)
        first = next((i for i, o in enumerate(check_list.options) if not o.disabled), None)
        check_list.highlighted = first
        return len(mine)

    @property
    def highlighted_finding(self) -> Finding | None:
        """The finding on the highlighted row, if any."""
        check_list = self.query_one(CheckList)
        if check_list.highlighted is None:
            return None
        number = (check_list.get_option_at_index(check_list.highlighted).id or "")[1:]
        return self.findings[int(number)] if number.isdigit() else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a finding shows it in the reader."""
        event.stop()
        number = (event.option.id or "")[1:]
        if number.isdigit():
            self.post_message(self.FindingChosen(self.findings[int(number)]))

    def action_tag_finding(self) -> None:
        """Ask the screen to tag the highlighted finding as a claim."""
        finding = self.highlighted_finding
        if finding is None:
            self.app.bell()
            return
        self.post_message(self.TagRequested(finding))

    def action_recheck(self) -> None:
        """Ask the screen to run the checks again."""
        self.post_message(self.RecheckRequested())
