"""The export dialog: format, destination path, and whether to export only the open article;
asks before replacing an existing file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

FORMATS = {
    "json": "Claimdesk JSON (all fields, with a JSON Schema)",
    "w3c": "W3C Web Annotation (JSON-LD)",
    "jsonl": "JSON lines (spans for NLP tools)",
    "csv": "CSV (spreadsheets)",
    "md": "Markdown (reading, sharing)",
}
EXTENSIONS = {"json": ".json", "w3c": ".jsonld", "jsonl": ".jsonl", "csv": ".csv", "md": ".md"}


@dataclass(frozen=True)
class ExportRequest:
    """Where and how to export."""

    fmt: str
    path: Path
    only_article: bool


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Choose a format and a file; enter or ctrl+s exports."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", id="export.save"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(
        self,
        directory: Path,
        article_id: str | None,
        fmt: str | None = None,
        *,
        exists: Callable[[Path], bool] = lambda _path: False,
    ) -> None:
        """``directory``/``fmt``: the folder and format to start with (the last ones used);
        ``exists`` tells whether a path holds a file already (the dialog then asks)."""
        super().__init__()
        self.directory = directory
        self.article_id = article_id
        self.fmt = fmt if fmt in FORMATS else "json"
        self.exists = exists

    def compose(self) -> ComposeResult:
        """Format, path, scope, buttons."""
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Export annotations", classes="dialog-title")
            yield Label("Format")
            yield Select(
                [(text, fmt) for fmt, text in FORMATS.items()],
                value=self.fmt,
                allow_blank=False,
                id="export-format",
                compact=True,
            )
            yield Label("File (relative paths are inside the current folder)")
            yield Input(
                str(self.directory / f"claimdesk-export{EXTENSIONS[self.fmt]}"),
                id="export-path",
                compact=True,
            )
            yield Checkbox(
                scope_label(False),
                value=False,
                id="export-only",
                compact=True,
                disabled=self.article_id is None,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export  ctrl+s", variant="primary", id="export-save", compact=True)
                yield Button("Cancel  esc", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        """Start on the format."""
        self.query_one("#export-format", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep the file extension in step with the format."""
        field = self.query_one("#export-path", Input)
        path = Path(field.value)
        if isinstance(event.value, str) and path.suffix in EXTENSIONS.values():
            field.value = str(path.with_suffix(EXTENSIONS[event.value]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the path exports."""
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        """Close with the request; an empty path is refused with a hint."""
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.notify("Type a file path to export to", severity="warning", markup=False)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        fmt = self.query_one("#export-format", Select).value
        only = self.query_one("#export-only", Checkbox).value
        request = ExportRequest(str(fmt) if isinstance(fmt, str) else "json", path, bool(only))
        if not self.exists(path):
            self.dismiss(request)
            return
        from tui.screens.choice import ChoiceScreen

        def answered(answer: str | None) -> None:
            if answer == "replace":
                self.dismiss(request)

        question = ChoiceScreen(
            "Replace the file?",
            f"{path} exists already.",
            [("replace", "Replace it"), ("keep", "Keep it (choose another name)")],
        )
        self.app.push_screen(question, answered)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """The label says the choice in words, whatever the colours."""
        event.stop()
        event.checkbox.label = scope_label(event.value)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Export or cancel from the buttons."""
        event.stop()
        if event.button.id == "export-save":
            self.action_export()
        else:
            self.action_cancel()


def scope_label(only_article: bool) -> str:
    """The scope checkbox's label, saying whether it is on."""
    return "Only the open article: yes" if only_article else "Only the open article: no (all)"
