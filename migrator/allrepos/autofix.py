"""The autofixer: `python -m migrator.allrepos.autofix -C all-repos.json [--ids ids.json]`, with
all-repos' own options (`--dry-run`, `--repos`, `--jobs`, `--limit`, `--interactive`, `--author`).

Repositories are chosen by the Config API's host and versioned path in their tracked files (git
grep, as all-repos greps); in each, `migrate apply .` runs with the repository's own
`[tool.segment-migrator]` settings, and a repository where apply fails is reported by all-repos and
left unpushed, never half-migrated.
"""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from all_repos.config import Config

BRANCH = "segment-public-api-migration"
MESSAGE = "Migrate from Segment's Config API to the Public API\n\nRewritten by `migrate apply` (segment-migrator)."


def find_repos(config: Config) -> set[str]:
    from all_repos.grep import repos_matching

    from ..fleet import config_signs

    hosts, path = config_signs()
    markers = "|".join([*map(re.escape, hosts), "/" + re.escape(path), re.escape(path) + "/"])
    return set(repos_matching(config, ("-E", markers)))


def apply_fix(ids: str | None) -> None:
    """`migrate apply` in the clone all-repos made the current folder; a failure raises."""
    command = [sys.executable, "-m", "migrator", "apply", ".", "--allow-dirty", "-q"]
    if ids:
        command += ["--ids", ids]
    subprocess.run(command, check=True)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from all_repos import autofix_lib
    except ImportError:
        message = "all-repos-segment-migrate: all-repos is not installed: pip install 'segment-migrator[fleet]'"
        print(message, file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(
        prog="all-repos-segment-migrate",
        description="Run `migrate apply` in every cloned repository that calls Segment's Config API.",
    )
    autofix_lib.add_fixer_args(parser)
    parser.add_argument("--ids", help="ID map (migrate resolve -o ids.json), an absolute path, for every repository.")
    parser.add_argument("--branch", default=BRANCH, help=f"The branch name (default: {BRANCH}).")
    args = parser.parse_args(argv)
    repos, config, commit, settings = autofix_lib.from_cli(
        args, find_repos=find_repos, msg=MESSAGE, branch_name=args.branch
    )
    autofix_lib.fix(
        repos,
        apply_fix=functools.partial(apply_fix, args.ids),
        config=config,
        commit=commit,
        autofix_settings=settings,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
