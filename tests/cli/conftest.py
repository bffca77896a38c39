"""Command-line tests: each runs ``claimdesk`` (click's runner or a real process) on a library
and database under ``tmp_path``; the root conftest isolates the cache, author and user folders."""

from tests.cli.attack_support import desk_template

__all__ = ["desk_template"]
