"""The reader's corrections: ``c`` on a focused figure fixes its currency, value, unit or label,
or says it is not a figure; on an entity or a selection it relabels, removes or adds an entity.
A figure correction can be taken back with ``u``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core.workspace import WorkspaceError
from tui.screens.reader.base import ReaderBase, UndoStep, quoted

if TYPE_CHECKING:
    from tui.screens.correction import CorrectionResult
    from tui.screens.figure_correction import FigureCorrectionResult
    from tui.widgets.spans import Span


class CorrectionActions(ReaderBase):
    """Figure and entity corrections; the workspace stores them and they apply everywhere."""

    def action_correct(self) -> None:
        """A focused figure gets the figure dialog; anything else the entity one."""
        view = self._view()
        focused = view.focused if view is not None else None
        if self.article is None or focused is None or focused.kind != "figure":
            self.correct_entity()
            return
        from tui.screens.figure_correction import FigureCorrectionScreen

        figure = focused

        def chosen(result: FigureCorrectionResult | None) -> None:
            if result is None:
                return
            if result.as_entity:
                self.add_figure_as_entity(figure)
            elif result.remove:
                self.remove_figure_correction(figure)
            elif result.correction is not None:
                self.save_figure_correction(figure, result.correction)

        screen = FigureCorrectionScreen(self.article.id, figure.data)
        self.claimdesk.push_screen(screen, chosen)

    # -- entities ------------------------------------------------------------------------------

    def correct_entity(self) -> None:
        """Correct the focused entity (relabel / not an entity) or add the selection as one."""
        view = self._view()
        if view is None:
            return
        focused: Span | None = view.focused
        start, end = view.selected_range
        if focused is not None and focused.kind == "entity":
            text, label, existing = focused.text, focused.label, True
        elif start < end:
            text, label, existing = view.body[start:end], "", False
        else:
            self.report("Focus an entity (n) or select text (v) to correct it")
            return
        self.ask_entity_correction(text, label, existing=existing)

    def add_figure_as_entity(self, figure: Span) -> None:
        """The entity dialog for the figure's text ("add as entity")."""
        self.ask_entity_correction(figure.text, "", existing=False)

    def ask_entity_correction(self, text: str, label: str, *, existing: bool) -> None:
        """The entity dialog for ``text``; the correction it returns is stored and applied."""
        from tui.screens.correction import CorrectionScreen

        def apply(result: CorrectionResult | None) -> None:
            if result is None:
                return
            try:
                correction = result.as_dict()
            except ValueError as exc:  # CorrectionError: the text cannot be a correction
                self.report(f"Not a valid correction: {exc}", error=True)
                return
            self.apply_correction(correction)

        self.claimdesk.push_screen(CorrectionScreen(text, label, existing=existing), apply)

    def apply_correction(self, correction: dict[str, Any]) -> None:
        """Store an entity correction and re-extract the open article with it."""
        try:
            self.workspace.add_correction(correction)
        except WorkspaceError as exc:
            self.report(f"Correction not saved: {exc}", error=True)
            return
        self.report("Correction saved; it applies to every article")
        if self.article is not None:
            self.open_article(self.article.id, select=self.view.selected_range)

    # -- figures -------------------------------------------------------------------------------

    def save_figure_correction(self, figure: Span, correction: dict[str, Any]) -> None:
        """Store the correction, show the article again with it; ``u`` removes it."""
        from tui.core.extract.figure_corrections import describe

        try:
            saved = self.workspace.add_correction(correction)
        except WorkspaceError as exc:
            self.report(f"Correction not saved: {exc}", error=True)
            return
        where = quoted(figure.text)
        article_id = str(correction["article"])

        def undo() -> str | None:
            self.workspace.remove_correction(str(saved["id"]))
            self.show_again(article_id, figure)
            self.figures_corrected()
            return None

        self.undo_stack.append(UndoStep(f"The figure {where} is as the rules read it again", undo))
        self.report(f"Figure {where} corrected: {describe(saved)} — u to undo")
        self.show_again(article_id, figure)
        self.figures_corrected()

    def remove_figure_correction(self, figure: Span) -> None:
        """Take back the correction the figure shows."""
        correction_id = figure.data.get("correction")
        if not isinstance(correction_id, str) or self.article is None:
            self.report("This figure has no correction to remove")
            return
        try:
            self.workspace.remove_correction(correction_id)
        except WorkspaceError as exc:
            self.report(f"Correction not removed: {exc}", error=True)
            return
        self.report(f"Correction of {quoted(figure.text)} removed")
        self.show_again(self.article.id, figure)
        self.figures_corrected()

    def show_again(self, article_id: str, figure: Span) -> None:
        """Show the article with its figures derived again, the same figure focused if it is
        still one."""
        if self.article is None or self.article.id != article_id:
            return
        if not self.open_article(article_id):
            return
        same = next(
            (s for s in self.spans if (s.field, s.start) == (figure.field, figure.start)), None
        )
        if same is not None and same.kind == "figure":
            self.view.focus_span(same)
        else:
            self.view.select_range(figure.start, figure.end, figure.field)
