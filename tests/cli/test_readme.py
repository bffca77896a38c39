"""The README's set-up commands are the ones CI runs, and every CLI command is documented."""

from __future__ import annotations

import re

import click

from tests.conftest import REPO
from tui.cli import cli


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup = _readme().split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n# \([ab]\)[^\n]*\n([^\n]+)\n```", setup)
    assert len(commands) == 2
    install_and_open, install_and_test = commands
    assert install_and_open.endswith("claimdesk")
    assert "pytest" in install_and_test
    assert install_and_test in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_cli_command_is_documented_with_an_example() -> None:
    readme = _readme()
    names = cli.list_commands(click.Context(cli))  # the group loads its commands lazily
    assert {"list", "show", "import", "annotate", "export", "import-annotations"} <= set(names)
    for name in names:
        assert cli.get_command(click.Context(cli), name) is not None, name
        assert f"claimdesk {name}" in readme, f"README lacks an example of 'claimdesk {name}'"
