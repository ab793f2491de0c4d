"""`migrate apply` from the command line, in real git repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread

from ..helpers import run_cli
from ..legacy_runner import comparable_state, run_scripts

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "scan"
HOUSEKEEPING = '''"""Housekeeping on the Config API."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"  # the old API
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def drop_source(ws, src):
    # removes the source and everything under it
    requests.delete(f"{API}/workspaces/{ws}/sources/{src}", headers=HEADERS).raise_for_status()


def drop_plan(ws, plan_id):
    requests.delete(API + "/workspaces/" + ws + "/tracking-plans/" + plan_id, headers=HEADERS).raise_for_status()


if __name__ == "__main__":
    drop_source("acme", "docs-site")
    drop_source("acme", "support-desk")
    drop_plan("acme", os.environ["PLAN"])
    requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web-staging/destinations/amplitude",
                    headers=HEADERS).raise_for_status()
    print("done")
'''


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "housekeeping.py").write_text(HOUSEKEEPING)
    (root / "housekeeping.py").chmod(0o755)
    shutil.copytree(CORPUS / "decoys", root / "decoys")
    git(root, "init", "-q")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "legacy")
    return root


@pytest.fixture
def ids(tmp_path: Path) -> Path:
    target = tmp_path / "ids.json"
    assert run_cli("resolve", "--emulator", "-o", str(target)).returncode == 0
    return target


def test_diff_is_a_patch_git_applies_and_equals_the_write(repo, ids):
    diff = run_cli("apply", ".", "--ids", str(ids), "--diff", cwd=repo)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("diff --git a/housekeeping.py b/housekeeping.py")
    assert "\x1b[" not in diff.stdout  # no colour, nothing but the patch on stdout
    patched = repo.parent / "patched"
    shutil.copytree(repo, patched)
    (patched / "patch.diff").write_text(diff.stdout)
    subprocess.run(["git", "-C", str(patched), "apply", "patch.diff"], check=True)
    assert run_cli("apply", ".", "--ids", str(ids), cwd=repo).returncode == 0
    for name in ("housekeeping.py", "segment_ids.py"):
        assert (patched / name).read_text() == (repo / name).read_text(), name
    assert oct((repo / "housekeeping.py").stat().st_mode & 0o777) == "0o755"
    assert git(repo, "status", "--porcelain", "decoys") == ""


def test_check_and_a_second_run(repo, ids):
    assert run_cli("apply", ".", "--ids", str(ids), "--check", cwd=repo).returncode == 1
    assert run_cli("apply", ".", "--ids", str(ids), cwd=repo).returncode == 0
    git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "migrated")
    assert run_cli("apply", ".", "--ids", str(ids), "--check", cwd=repo).returncode == 0
    assert run_cli("apply", ".", "--ids", str(ids), "--diff", cwd=repo).stdout == ""


def test_a_dirty_tree_is_refused(repo, ids):
    (repo / "housekeeping.py").write_text(HOUSEKEEPING + "# local change\n")
    refused = run_cli("apply", ".", "--ids", str(ids), cwd=repo)
    assert refused.returncode == 2 and "uncommitted changes" in refused.stderr
    assert (repo / "housekeeping.py").read_text().endswith("# local change\n")
    assert run_cli("apply", ".", "--ids", str(ids), "--allow-dirty", cwd=repo).returncode == 0


def test_usage_errors(repo):
    assert run_cli("apply", ".", "--only", "nope", cwd=repo).returncode == 2
    assert run_cli("apply", ".", "--diff", "--check", cwd=repo).returncode == 2
    broken = run_cli("apply", ".", "--ids", "missing.json", cwd=repo)
    assert broken.returncode == 2 and "no such ID map file" in broken.stderr


def test_include_limits_the_files_apply_rewrites(repo):
    """`--include` picks files: the Python files outside it stay as they are (they used to be added
    back by the `*.py` the command puts in when no --include is given)."""
    (repo / "tools").mkdir()
    (repo / "tools" / "more.py").write_text(HOUSEKEEPING)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "more"], cwd=repo, check=True)
    checked = run_cli("apply", ".", "--include", "tools/*", "--check", cwd=repo)
    assert checked.returncode == 1
    assert checked.stdout.split() == ["would", "change:", "tools/more.py"]


def test_migrated_code_behaves_as_the_legacy_code(repo, ids, tmp_path):
    """The legacy script against the Config side, the migrated one against the Public side of a
    second emulator: same output, same final workspace state."""
    legacy_dir = tmp_path / "legacy"
    shutil.copytree(repo, legacy_dir, ignore=shutil.ignore_patterns(".git"))
    assert run_cli("apply", ".", "--ids", str(ids), cwd=repo).returncode == 0
    plan = next(p["configId"] for p in build_demo().tracking_plans.values() if p["name"] == "Docs Plan")
    os.environ["PLAN"] = plan
    try:
        before = Emulator(build_demo(), Tokens("config", "ro", "sgp_public"), rate_limit=0)
        after = Emulator(build_demo(), Tokens("config", "ro", "sgp_public"), rate_limit=0)
        with start_in_thread(before) as first, start_in_thread(after) as second:
            old = run_scripts(first.base_url, "config", ["housekeeping.py"], legacy_dir)[0]
            new = run_scripts(second.base_url, "sgp_public", ["housekeeping.py"], repo)[0]
    finally:
        del os.environ["PLAN"]
    assert old.returncode == 0, old.stderr
    assert new.returncode == 0, new.stderr
    assert old.stdout == new.stdout == "done\n"
    assert comparable_state(after.state.fingerprint()) == comparable_state(before.state.fingerprint())
    assert after.requests_by_side == {"config": 0, "public": 4}


DEMO_REPO = Path(__file__).resolve().parents[2] / "migrator" / "demo" / "legacy_repo"


@pytest.mark.parametrize("with_ids", [False, True], ids=["without an ID map", "with one"])
def test_a_second_run_over_a_repository_with_tests_changes_nothing(tmp_path: Path, ids: Path, with_ids: bool):
    """Repository-wide, not file by file: a test's TODO depends on what its code did in the same
    run, and code migrated by a first run is no longer seen to move in a second."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO_REPO, root)
    git(root, "init", "-q")
    for step in ("legacy", "migrated"):
        git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
        git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", step)
        if step == "legacy":
            first = run_cli("apply", ".", *(["--ids", str(ids)] if with_ids else []), cwd=root)
            assert first.returncode == 0, first.stderr
    if not with_ids:  # the code needs ids it cannot have: it goes through the layer, and its test still holds
        assert "session = segment_compat.Session()" in (root / "toggle_destination.py").read_text()
        assert "segment_ids" not in (root / "toggle_destination.py").read_text()
        assert "TODO(migrate)" not in (root / "tests" / "test_toggle.py").read_text()
        assert (root / "segment_compat" / "__init__.py").is_file()
    second = run_cli("apply", ".", *(["--ids", str(ids)] if with_ids else []), "--diff", cwd=root)
    assert second.returncode == 0 and second.stdout == "", second.stdout


def test_an_incomplete_id_map_is_said_once_and_still_used(tmp_path: Path, ids: Path):
    data = json.loads(ids.read_text())
    data["complete"], data["incomplete"] = False, ["filters: the Config API answered 503"]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(data))
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "legacy.py").write_text(
        'import requests\n\nif __name__ == "__main__":\n'
        '    requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web").raise_for_status()\n'
    )
    result = run_cli("apply", str(tmp_path / "code"), "--ids", str(partial), "--check", cwd=tmp_path)
    said = " ".join(result.stderr.split())  # rich folds long lines
    assert "partial.json is incomplete (filters: the Config API answered 503)" in said
    assert result.returncode == 1  # --check: the file would change, with the ids the map has
