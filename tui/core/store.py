"""Compatibility: ``tui.core.store.open_store`` for outside scripts (moved to annotations/)."""

from tui.core.annotations.store import SCHEMA_VERSION, AnnotationStore, StoreError, open_store

__all__ = ["SCHEMA_VERSION", "AnnotationStore", "StoreError", "open_store"]
