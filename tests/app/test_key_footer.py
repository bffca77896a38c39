"""The key footer rebuilds once for a burst of binding changes, and shows the latest keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tests.app.support import quick_idle_checks, screen_text, shown
from tui.widgets.footer import KeyFooter

__all__ = ["quick_idle_checks"]


class CountingFooter(KeyFooter):
    rebuilds = 0

    async def recompose(self) -> None:
        CountingFooter.rebuilds += 1
        await super().recompose()


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "extra", "Extra"),
        Binding("z", "zoom", "Zoom"),
    ]
    extra_on = False

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield CountingFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.extra_on or action != "extra"

    def action_zoom(self) -> None:
        pass


async def test_a_burst_of_binding_changes_rebuilds_the_footer_once() -> None:
    app = Keys()
    async with app.run_test(size=(60, 5)) as pilot:
        footer = (await shown(pilot, "Zoom")).splitlines()[-1]
        assert "Zoom" in footer and "Extra" not in footer
        CountingFooter.rebuilds = 0
        app.extra_on = True
        for _ in range(6):
            app.screen.refresh_bindings()
        footer = (await shown(pilot, "Extra")).splitlines()[-1]
        await pilot.pause()
        assert CountingFooter.rebuilds == 1
        assert "Zoom" in footer and "Extra" in footer, "the one rebuild shows the latest keys"
        app.extra_on = False
        app.screen.refresh_bindings()
        for _ in range(3):
            await pilot.pause()
        assert CountingFooter.rebuilds == 2
        assert "Extra" not in screen_text(app).splitlines()[-1]
