"""The claims notebook: every claim in the library, grouped by article, with the filters of
``claimdesk annotations`` (status, tag, author, anchor state, text) and a time order; enter
opens the article at the claim."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.claims import ClaimQuery
from tui.core.text import visible_controls
from tui.core.vocab import ANCHOR_STATES, STATUSES, plural
from tui.screens.workers import ForwardsWorkerFailures
from tui.widgets.footer import KeyFooter

Records = list[dict[str, Any]]
ORDERS = {"newest": "newest first", "oldest": "oldest first"}
"""Time orders the notebook offers (by when the claim was made)."""


def one_line(text: object, limit: int) -> str:
    """Untrusted text as one literal line, shortened."""
    line = " ".join(visible_controls(str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def claim_prompt(record: Mapping[str, Any]) -> Group:
    """A claim as a heading (status, tags, anchor state) and the quote, note and who/when."""
    tags = " ".join(f"#{t}" for t in record.get("tags", []))
    state = str(record.get("anchor_state", "anchored"))
    head = f"[{record.get('status', 'unverified')}] {one_line(tags, 60)}".rstrip()
    if state != "anchored":
        head += f"  ({state})"
    lines = [f"“{one_line(record.get('quote', ''), 90)}”"]
    if record.get("note"):
        lines.append(one_line(record["note"], 90))
    when = str(record.get("created", ""))[:16].replace("T", " ")
    lines.append(" · ".join(x for x in (one_line(record.get("author", ""), 30), when) if x))
    return Group(Text(head), *(Padding(Text(line), (0, 0, 0, 2)) for line in lines))


def grouped(records: Sequence[Mapping[str, Any]], newest_first: bool) -> list[tuple[str, Records]]:
    """Claims by article: articles ordered by their newest (oldest) claim, claims by time."""
    by_article: dict[str, Records] = {}
    ordered = sorted(records, key=lambda r: str(r.get("created", "")), reverse=newest_first)
    for record in ordered:
        by_article.setdefault(str(record.get("article_id")), []).append(dict(record))
    return list(by_article.items())


class NotebookScreen(ForwardsWorkerFailures[tuple[str, str] | None]):
    """Every claim in the library; dismissed with ``(article id, claim id)`` to open one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="notebook.close"),
        Binding("ctrl+t", "order", "Newest/oldest", id="notebook.order"),
    ]

    def __init__(
        self,
        claims_matching: Callable[[ClaimQuery], Records],
        titles: Mapping[str, str],
    ) -> None:
        super().__init__()
        self.claims_matching = claims_matching
        self.titles = dict(titles)
        self.newest_first = True
        self.rows: list[tuple[str, str]] = []
        """``(article id, claim id)`` of each option, by option index (headings are blank)."""

    def compose(self) -> ComposeResult:
        """Filters on top, the grouped list, the footer."""
        with Vertical(id="notebook"):
            yield Label(Content.styled("All claims", "bold $accent"), id="notebook-title")
            with Horizontal(id="notebook-filters"):
                yield Input(placeholder="text in quote, note, tags", id="nb-search", compact=True)
                yield Select(
                    [(s, s) for s in STATUSES], prompt="any status", id="nb-status", compact=True
                )
                yield Input(placeholder="#tag", id="nb-tag", compact=True)
                yield Input(placeholder="author", id="nb-author", compact=True)
                yield Select(
                    [(s, s) for s in ANCHOR_STATES], prompt="any place", id="nb-state", compact=True
                )
            yield Label("", id="notebook-count", markup=False)
            yield OptionList(id="notebook-claims")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        """List everything, with the cursor on the list."""
        self.refilter()
        self.query_one("#notebook-claims", OptionList).focus()

    def query_now(self) -> ClaimQuery:
        """The filter the fields describe."""

        def text(field_id: str) -> str | None:
            return self.query_one(field_id, Input).value.strip() or None

        def choice(field_id: str) -> str | None:
            value = self.query_one(field_id, Select).value
            return value if isinstance(value, str) else None

        return ClaimQuery(
            tag=text("#nb-tag"),
            status=choice("#nb-status"),
            search=text("#nb-search"),
            author=text("#nb-author"),
            anchor_state=choice("#nb-state"),
        )

    def refilter(self) -> None:
        """List the claims matching the fields, off the UI loop (it reads every article)."""
        self.load(self.query_now())

    @work(thread=True, exclusive=True, group="notebook", exit_on_error=False)
    def load(self, query: ClaimQuery) -> None:
        """Find the matching claims in a worker; show them on the UI loop."""
        records = self.claims_matching(query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, records)

    def show(self, records: Records) -> None:
        """Group and list ``records``; say how many."""
        options: list[Option] = []
        self.rows = []
        groups = grouped(records, self.newest_first)
        for article_id, claims in groups:
            title = one_line(self.titles.get(article_id, f"{article_id} (not in the library)"), 90)
            heading = Content.styled(f"{title}  ({plural(len(claims), 'claim')})", "bold")
            options.append(Option(heading, disabled=True))
            self.rows.append(("", ""))
            for record in claims:
                options.append(Option(claim_prompt(record)))
                self.rows.append((article_id, str(record.get("id"))))
        claim_list = self.query_one("#notebook-claims", OptionList)
        claim_list.set_options(options or [Option(Content("No claims match"), disabled=True)])
        if options:
            claim_list.highlighted = 1
        self.query_one("#notebook-count", Label).update(
            f"{plural(len(records), 'claim')} in {plural(len(groups), 'article')} · "
            f"{ORDERS['newest' if self.newest_first else 'oldest']} · enter opens"
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        event.stop()
        self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a filter goes to the list."""
        event.stop()
        self.query_one("#notebook-claims", OptionList).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A status or place choice filters at once."""
        event.stop()
        self.refilter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen claim."""
        event.stop()
        article_id, claim_id = self.rows[event.option_index]
        if claim_id:
            self.dismiss((article_id, claim_id))

    def action_order(self) -> None:
        """Switch between newest and oldest first."""
        self.newest_first = not self.newest_first
        self.refilter()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
