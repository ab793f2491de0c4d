"""End to end, as a user runs it: a legacy script on the segment_config_api wrapper is migrated with
`migrate apply`, and `migrate verify` finds the same output and workspace state before (Config side)
and after (Public side). The demo's scripts are checked the same way by tests/test_demo.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..helpers import run_cli

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "wrapper_repo"


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
    )


def test_a_wrapper_user_behaves_the_same_after_apply(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "legacy")
    ids = tmp_path / "ids.json"
    assert run_cli("resolve", "--emulator", "-o", str(ids)).returncode == 0
    applied = run_cli("apply", ".", "--ids", str(ids), cwd=repo)
    assert applied.returncode == 0, applied.stderr
    migrated = (repo / "wrapper_report.py").read_text()
    assert "import segment_public" in migrated and "SegmentConfigApi" not in migrated and "TODO" not in migrated
    assert (repo / "segment_public.py").exists()
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "migrate apply")
    result = run_cli(
        "verify",
        *("--before", "HEAD~1", "--ids", str(ids)),
        *("--env", "SEGMENT_ACCESS_TOKEN=before:config-token,after:public-token"),
        *("--", sys.executable, "wrapper_report.py"),
        cwd=repo,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "before: exit 0, 6 Config + 0 Public calls; after: exit 0, 0 Config + 6 Public calls" in result.stdout
