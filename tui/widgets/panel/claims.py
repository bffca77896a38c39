"""The Claims tab: the open article's claims; drifted and orphaned ones grouped under "Needs
attention", a drifted one showing what its text was and is now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, TabPane
from textual.widgets.option_list import Option

from tui.core.fields import FIELD_NAMES
from tui.core.vocab import STATUSES
from tui.widgets.panel.common import literal

if TYPE_CHECKING:
    from tui.core.claims import Claim

STATE_NAMES = {"drifted": "drifted (text changed)", "orphan": "orphan (quote not found)"}


def drift_line(stored: str, current: str) -> str:
    """“was HK$50 billion → now HK$55 billion”, both literal and shortened."""
    return f"was “{literal(stored, 40)}” → now “{literal(current, 40)}”"


def claim_rows(claim: Claim, body: str) -> list[RenderableType]:
    """A claim as a heading (status and tags) and indented details; literal Rich Text only."""
    record = claim.record
    tags = " ".join(f"#{t}" for t in record.get("tags", []))
    note = str(record.get("note", "")).split("\n")[0]
    heading = f"[{record.get('status', 'unverified')}] {literal(tags, 40)}".rstrip()
    quote = str(record.get("quote", ""))
    if claim.state == "drifted":
        details = [drift_line(quote, body[claim.start : claim.end])]
    else:
        where = "" if claim.field == "body" else f"{FIELD_NAMES.get(claim.field, claim.field)}: "
        details = [f"{where}“{literal(quote, 60)}”"]
    if note:
        details.append(literal(note, 60))
    if claim.state != "anchored":
        details.append(STATE_NAMES.get(claim.state, claim.state))
    # wrapped lines stay indented under their own line
    return [Text(heading), *(Padding(Text(line), (0, 0, 0, 2)) for line in details)]


STATUS_GROUP = Binding.Group("Status")


class ClaimList(OptionList):
    """The list of claims (its highlighted row is the claim e, d and 1–5 act on).

    Its keys are the reader's own (same binding ids, so a remap applies here too), listed again
    so the footer shows them while the list has focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "screen.edit_claim", "Edit", id="reader.edit"),
        Binding("d", "screen.delete_claim", "Delete", id="reader.delete"),
        Binding("u", "screen.undo", "Undo", id="reader.undo"),
        *(
            Binding(
                str(number),
                f"screen.set_status({number})",
                status,
                id=f"reader.status_{number}",
                group=STATUS_GROUP,
            )
            for number, status in enumerate(STATUSES, start=1)
        ),
    ]


class ClaimsPane(TabPane):
    """Claims of the open article."""

    @dataclass
    class ClaimChosen(Message):
        """A claim was picked (enter or click)."""

        claim: Claim

    def __init__(self) -> None:
        super().__init__("Claims", id="tab-claims")
        self.claims: list[Claim] = []

    def compose(self) -> ComposeResult:
        """One list."""
        yield ClaimList(id="claim-list")

    def show(self, claims: Sequence[Claim], body: str) -> None:
        """List the claims, placed ones first, then those that need attention."""
        self.claims = list(claims)
        options: list[Option | None] = []
        placed = [(i, c) for i, c in enumerate(self.claims) if c.state == "anchored"]
        lost = [(i, c) for i, c in enumerate(self.claims) if c.state != "anchored"]
        for index, claim in placed:
            options.append(Option(Group(*claim_rows(claim, body)), id=f"c{index}"))
        if lost:
            options.append(Option(Content.styled("Needs attention", "bold"), disabled=True))
            for index, claim in lost:
                options.append(Option(Group(*claim_rows(claim, body)), id=f"c{index}"))
        claim_list = self.query_one(ClaimList)
        highlighted = claim_list.highlighted
        claim_list.set_options(
            options or [Option(Content("No claims yet: press t to tag one"), disabled=True)]
        )
        if self.claims:  # a claim row is always highlighted: the one e, d and 1–5 act on
            row = min(highlighted or 0, claim_list.option_count - 1)
            if claim_list.get_option_at_index(row).disabled:
                row = next(
                    i
                    for i in range(claim_list.option_count)
                    if not claim_list.get_option_at_index(i).disabled
                )
            claim_list.highlighted = row

    @property
    def highlighted_claim(self) -> Claim | None:
        """The claim on the highlighted row, if any."""
        claim_list = self.query_one(ClaimList)
        if claim_list.highlighted is None:
            return None
        number = (claim_list.get_option_at_index(claim_list.highlighted).id or "")[1:]
        return self.claims[int(number)] if number.isdigit() else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A picked claim is shown in the reader."""
        event.stop()
        number = (event.option.id or "")[1:]
        if number.isdigit():
            self.post_message(self.ClaimChosen(self.claims[int(number)]))
