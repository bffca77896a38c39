"""The footer of keys, rebuilt at most once per frame however often the bindings change.

Textual's Footer schedules a full recompose (one widget per key) for every
``refresh_bindings``; a focus change, a mount and a screen's own ``refresh_bindings`` each
publish one, so the reader's start rebuilt the footer about ten times in its first frames,
on the UI loop the library listing waits for. This one coalesces them: a recompose already
scheduled reads the bindings as they are when it runs, so nothing is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """A :class:`~textual.widgets.Footer` whose rebuilds for binding changes are coalesced."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._rebuild_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Schedule one rebuild, unless one is already scheduled."""
        if self._rebuild_pending and screen is self.screen:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_pending = True  # super() schedules the one recompose below
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        """Rebuild the keys from the bindings as they are now."""
        self._rebuild_pending = False
        await super().recompose()
