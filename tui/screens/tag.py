"""The tag dialog: quote, figure value, tags with completion, multi-line note, status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tui.core.text import visible_controls
from tui.core.vocab import STATUSES


@dataclass(frozen=True)
class TagResult:
    """What the user entered in the tag dialog."""

    tags: list[str]
    note: str
    status: str


def parse_tags(raw: str) -> list[str]:
    """Comma-separated tags, trimmed, empty ones dropped, duplicates removed in order."""
    tags: list[str] = []
    for part in raw.split(","):
        tag = " ".join(part.split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from the tags already in use."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        """The value with its last tag completed in the tag's own spelling."""
        typed = value.rpartition(",")[2].lstrip()
        if not typed:
            return None
        folded = typed.casefold()
        for tag in self.tags:
            if tag.casefold().startswith(folded) and len(tag) > len(typed):
                return value[: len(value) - len(typed)] + tag
        return None


def describe_figure(figure: Mapping[str, Any] | None) -> str:
    """One line for a figure's normalized value, e.g. ``MONEY 5e+10 HKD``."""
    if not figure:
        return ""
    parts = [str(figure.get("label", ""))]
    value = figure.get("value")
    if isinstance(value, int | float):
        parts.append(
            f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1000 else f"{value:g}"
        )
    low, high = figure.get("low"), figure.get("high")
    if low is not None and high is not None and low != high:
        parts.append(f"(range {low:g}–{high:g})")
    for key in ("currency", "unit", "qualifier"):
        if figure.get(key):
            parts.append(str(figure[key]))
    return " ".join(p for p in parts if p)


class TagScreen(ModalScreen[TagResult | None]):
    """Tag a quote as a claim (or edit an existing claim)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="tag.save"),
        Binding("escape", "cancel", "Cancel", id="tag.cancel"),
        # tab is a priority binding so focus moves before keys typed right after it are routed;
        # ctrl+s is not, so it runs only after every key typed before it reached its field
        Binding("tab", "next_field(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "next_field(-1)", "Previous field", show=False, priority=True),
    ]

    def __init__(
        self,
        quote: str,
        *,
        figure: Mapping[str, Any] | None = None,
        known_tags: Sequence[str] = (),
        tags: Sequence[str] = (),
        note: str = "",
        status: str = "unverified",
        editing: bool = False,
        current: str | None = None,
    ) -> None:
        """``current``: the article's text now, for a drifted claim whose ``quote`` differs."""
        super().__init__()
        self.quote = quote
        self.figure = figure
        self.known_tags = known_tags
        self.initial = TagResult(list(tags), note, status if status in STATUSES else STATUSES[0])
        self.editing = editing
        self.current = current
        self.draft: TagResult | None = None
        """Set when the dialog was cancelled after something was typed: what was typed."""

    def compose(self) -> ComposeResult:
        """Quote and figure on top, then tags, note and status, then the buttons."""
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Label("Edit claim" if self.editing else "Tag claim", classes="dialog-title")
            yield Static(Content(visible_controls(_shorten(self.quote, 600))), id="tag-quote")
            if self.current is not None and self.current != self.quote:
                yield Static(
                    Content.assemble(
                        ("Text changed: was ", "bold"),
                        f"“{visible_controls(_shorten(self.quote, 200))}”",
                        (" → now ", "bold"),
                        f"“{visible_controls(_shorten(self.current, 200))}”",
                    ),
                    id="tag-drift",
                )
            figure_line = describe_figure(self.figure)
            if figure_line:
                yield Static(Content(visible_controls(f"Figure: {figure_line}")), id="tag-figure")
            # status beside the tags, so its drop-down opens over the note, inside the dialog
            with Horizontal(id="tag-row"):
                with Vertical(id="tag-tags-column"):
                    yield Label("Tags (comma-separated; → completes)")
                    yield Input(
                        ", ".join(self.initial.tags),
                        placeholder="e.g. investment, jobs",
                        suggester=TagSuggester(self.known_tags),
                        id="tag-tags",
                        compact=True,
                    )
                with Vertical(id="tag-status-column"):
                    yield Label("Status")
                    yield Select(
                        [(s, s) for s in STATUSES],
                        value=self.initial.status,
                        allow_blank=False,
                        id="tag-status",
                        compact=True,
                    )
            yield Label("Note")
            yield TextArea(
                self.initial.note, id="tag-note", soft_wrap=True, tab_behavior="focus", compact=True
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="tag-save", compact=True)
                yield Button("Cancel  esc", id="tag-cancel", compact=True)

    FIELD_ORDER = ("#tag-tags", "#tag-note", "#tag-status", "#tag-save", "#tag-cancel")
    """Tab order: tags, note, status, then the buttons (the layout puts status by the tags)."""

    def action_next_field(self, step: int) -> None:
        """Move to the next (or previous) field in :attr:`FIELD_ORDER`."""
        fields = [self.query_one(selector) for selector in self.FIELD_ORDER]
        here = next((i for i, f in enumerate(fields) if f.has_focus_within), -1)
        self.set_focus(fields[(here + step) % len(fields)])  # now: keys typed next go there

    def on_mount(self) -> None:
        """Start in the tags input."""
        note = self.query_one("#tag-note", TextArea)
        note.cursor_blink = False
        self.query_one("#tag-tags", Input).focus()

    def entered(self) -> TagResult:
        """What the fields hold now."""
        tags = parse_tags(self.query_one("#tag-tags", Input).value)
        note = self.query_one("#tag-note", TextArea).text.strip("\n")
        status = self.query_one("#tag-status", Select).value
        return TagResult(tags, note, str(status) if isinstance(status, str) else STATUSES[0])

    def action_save(self) -> None:
        """Close the dialog with what was entered."""
        self.dismiss(self.entered())

    def action_cancel(self) -> None:
        """Close without saving; anything typed is kept as :attr:`draft` (a new claim's draft
        comes back on the next ``t`` on the same text)."""
        entered = self.entered()
        self.draft = entered if entered != self.initial else None
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the tags input moves on to the note."""
        event.stop()
        self.query_one("#tag-note", TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save or cancel from the buttons."""
        event.stop()
        if event.button.id == "tag-save":
            self.action_save()
        else:
            self.action_cancel()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
