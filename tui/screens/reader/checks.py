"""The reader's Checks tab: run the figure checks off the UI loop, show a finding, tag it.

The checks run over the whole library (cross-article findings need it) in a thread worker when
the tab is first shown, when ``r`` asks, and after a figure correction; they are cached by the
core, so a repeated run is quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from tui.core.workspace import DuplicateClaim, WorkspaceError
from tui.screens.reader.base import ReaderBase, quoted

if TYPE_CHECKING:
    from textual.widgets import TabbedContent

    from tui.core.checks.findings import Finding
    from tui.widgets.panel.checks import ChecksPane


class CheckActions(ReaderBase):
    """Figure checks in the side panel (a figure correction makes the findings stale)."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] | None = None
        """The last check's findings over the library (None: not checked yet)."""
        self.checking = False
        """True while the checks' worker runs."""

    @property
    def checks_pane(self) -> ChecksPane:
        """The Checks tab."""
        from tui.widgets.panel.checks import ChecksPane

        return self.query_one(ChecksPane)

    def article_changed(self) -> None:
        """The open article's findings come first in the list."""
        super().article_changed()
        if self.findings is not None:
            self.show_findings()

    def figures_corrected(self) -> None:
        """A corrected figure changes the findings: check again once they were shown."""
        super().figures_corrected()
        if self.findings is not None:
            self.start_checks()

    def label_checks_tab(self, label: str) -> None:
        """The Checks tab's label (its count, or that the checks are running)."""
        from textual.widgets import TabbedContent

        self.side.query_one(TabbedContent).get_tab("tab-checks").label = Content(label)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """The first look at the Checks tab runs the checks."""
        if event.pane.id == "tab-checks" and self.findings is None:
            self.start_checks()

    def action_show_checks(self) -> None:
        """Show the Checks tab (the panel too, if hidden) with its list focused."""
        self.remove_class("-no-side")
        self.side.show_tab("tab-checks")
        from tui.widgets.panel.checks import CheckList

        self.checks_pane.query_one(CheckList).focus()

    def on_checks_pane_recheck_requested(self, _event: ChecksPane.RecheckRequested) -> None:
        """``r`` in the tab: check again (articles or corrections may have changed)."""
        self.start_checks()

    def start_checks(self) -> None:
        """Run the checks in a worker unless they are running; the tab says "checking…"."""
        if self.checking:
            return
        self.checking = True
        self.checks_pane.show_checking()
        self.label_checks_tab("Checks …")
        self.run_checks()

    @work(thread=True, group="checks", exit_on_error=False)
    def run_checks(self) -> None:
        """Every finding over the library (seconds on a cold cache); never touches widgets."""
        from tui.core.checks.prepare import check_workspace, settings_context

        workspace = self.workspace
        try:
            findings, problems = check_workspace(workspace, settings_context(workspace.settings))
        finally:
            self.app.call_from_thread(setattr, self, "checking", False)
        self.app.call_from_thread(self.checks_ready, findings, problems)

    def checks_ready(self, findings: list[Finding], problems: list[str]) -> None:
        """Show the findings; name the articles the checks had to skip."""
        self.findings = findings
        self.show_findings()
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.report(f"Checks: {problems[0]}{more}", error=True)

    def show_findings(self) -> None:
        """List the findings, the open article's first; the tab counts the open article's."""
        article_id = self.article.id if self.article is not None else None
        mine = self.checks_pane.show(self.findings or [], article_id)
        count = mine if article_id is not None else len(self.findings or [])
        self.label_checks_tab(f"Checks {count}")

    def on_checks_pane_finding_chosen(self, event: ChecksPane.FindingChosen) -> None:
        """Open the finding's article with its first span selected."""
        if not event.finding.spans:
            return
        span = event.finding.spans[0]
        if (self.article is None or self.article.id != span.article_id) and not self.open_article(
            span.article_id
        ):
            return
        self.view.select_range(span.start, span.end, span.field)
        self.view.focus()

    def on_checks_pane_tag_requested(self, event: ChecksPane.TagRequested) -> None:
        """Tag the finding's first span as a claim, the explanation as its note."""
        from tui.core.checks.prepare import claim_from_finding

        finding = event.finding
        if not finding.spans:
            return
        span = finding.spans[0]
        try:
            claim_from_finding(self.workspace, finding)
        except DuplicateClaim:
            self.report(f"{quoted(span.text)} already has a claim: edit it in the Claims tab")
            return
        except WorkspaceError as exc:
            self.report(f"Not saved: {exc}", error=True)
            return
        self.report(f"Claim saved on {quoted(span.text)} with the check's explanation as its note")
        if self.article is not None and self.article.id == span.article_id:
            self.after_change()
