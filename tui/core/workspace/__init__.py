"""The one headless service both front ends use: library, articles, claims, corrections, search
and export. The app's screens and the CLI commands call a :class:`Workspace` and never touch the
store or the disk themselves, so the two cannot drift apart.

Every user-facing failure is a :class:`WorkspaceError` whose ``str()`` is one line naming the
file or value and what to do. Heavy modules (the store, extraction, export) are imported on
first use, so ``claimdesk list`` and the app's first screen stay fast. Methods may be called from
a worker thread: the caches are guarded by one lock.

Parts: :mod:`.base` (library, state, store, extractor, search), :mod:`.claim_actions` (the claim
API), :mod:`.exchange` (export, import, article management).
"""

from tui.core.claims import Claim, ClaimQuery
from tui.core.library_view import WorkspaceError
from tui.core.search import SearchHit
from tui.core.workspace.claim_actions import DuplicateClaim
from tui.core.workspace.exchange import (
    ArticleDeletion,
    ExchangeActions,
    ExportResult,
    ImportOutcome,
)

__all__ = [
    "ArticleDeletion",
    "Claim",
    "ClaimQuery",
    "DuplicateClaim",
    "ExportResult",
    "ImportOutcome",
    "SearchHit",
    "Workspace",
    "WorkspaceError",
]


class Workspace(ExchangeActions):
    """Everything either front end reads or writes, reached through one object."""
