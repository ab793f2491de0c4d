"""An all-repos push module: the migration branch pushed to the repository's origin under its own
name (without all-repos' `all-repos_autofix_` prefix), for hosts all-repos opens no pull request on
and for teams that review branches. In all-repos.json:

    "push": "migrator.allrepos.push_branch",
    "push_settings": {}
"""

from __future__ import annotations

import subprocess
from typing import NamedTuple

PREFIX = "all-repos_autofix_"


class Settings(NamedTuple):
    force: bool = False
    """Replace a branch of the same name on the remote (off: a reviewer's commits are never dropped)."""


def push(settings: Settings, branch_name: str) -> None:
    remote_branch = branch_name.removeprefix(PREFIX)
    command = ["git", "push", "--quiet", "origin", f"HEAD:refs/heads/{remote_branch}"]
    if settings.force:
        command.insert(2, "--force")
    subprocess.run(command, check=True)
