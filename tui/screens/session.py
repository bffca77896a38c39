"""The reader's data side is the headless workspace shared with the CLI."""

from tui.core.vocab import STATUSES
from tui.core.workspace import Claim, SearchHit, Workspace, WorkspaceError

Session = Workspace
"""The app's name for the workspace."""

__all__ = ["STATUSES", "Claim", "SearchHit", "Session", "Workspace", "WorkspaceError"]
