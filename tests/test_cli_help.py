"""`migrate --help` reads like documentation: every command's help ends with an example of it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from migrator.cli import cli


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_commands_help_shows_it_run(name: str) -> None:
    shown = CliRunner().invoke(cli, [name, "--help"], terminal_width=120)
    assert shown.exit_code == 0, shown.output
    description = shown.output.split("Options:", 1)[0].split("\n", 1)[1]
    runs = [line.strip() for line in description.splitlines() if f"migrate {name}" in line]
    assert runs, f"`migrate {name} --help` has no example"
