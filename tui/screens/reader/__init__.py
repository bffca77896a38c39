"""The reader screen and its parts: a shared base, sibling action mixins, the screen."""

from tui.screens.reader.screen import ReaderScreen

__all__ = ["ReaderScreen"]
