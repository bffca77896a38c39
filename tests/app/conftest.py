"""Pilot tests of the reader app: every test here gets the quick idle checks (see support)."""

from tests.app.support import quick_idle_checks

__all__ = ["quick_idle_checks"]
