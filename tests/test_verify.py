"""`migrate verify`: equal when behaviour is kept, and a readable difference when it is not."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .codemods.test_cli_apply import HOUSEKEEPING
from .helpers import run_cli

DEMO = Path(__file__).resolve().parent.parent / "migrator" / "demo" / "legacy_repo"


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(DEMO, root)
    (root / "housekeeping.py").write_text(HOUSEKEEPING)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "legacy")
    return root


def verify(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("verify", str(repo), *args, cwd=repo, timeout=300)


def test_unchanged_code_is_equal(repo):
    scripts = ("list_sources.py", "toggle_destination.py", "gdpr.py", "provision.py")
    result = verify(repo, "--env", "SEGMENT_ACCESS_TOKEN=config-token", "--", sys.executable, "run_all.py", *scripts)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("equal")
    assert "before: exit 0" in result.stdout


def test_output_naming_the_codes_own_files_is_equal_wherever_each_side_runs(repo):
    """A traceback names each side's own copy of the script: the legacy side runs in a checkout of
    its own, so the paths differ by that alone and are read as the repository's."""
    (repo / "fails.py").write_text('import sys\nprint(__file__)\nraise SystemExit("stopped in " + __file__)\n')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a script naming its own path")
    result = verify(repo, "--", sys.executable, "fails.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "before: exit 1" in result.stdout


def test_the_same_failure_on_a_moved_line_is_equal(repo):
    """A migration moves lines (an import added, a TODO above a call): a traceback of the same
    statement failing the same way is numbered differently after, and is still the same failure.
    The statement's text is compared, and --exact compares the numbers too."""
    (repo / "fails.py").write_text('answer = {"sources": []}\nprint(answer["source"])\n')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a script failing")
    (repo / "fails.py").write_text('# moved down a line\nanswer = {"sources": []}\nprint(answer["source"])\n')
    result = verify(repo, "--", sys.executable, "fails.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "before: exit 1" in result.stdout
    exact = verify(repo, "--exact", "--", sys.executable, "fails.py")
    assert exact.returncode == 1 and "line 3" in exact.stdout, exact.stdout
    (repo / "fails.py").write_text('answer = {"sources": []}\nprint(answer["sources"]["x"])\n')
    assert verify(repo, "--", sys.executable, "fails.py").returncode == 1  # another statement fails


def test_a_wrong_migration_is_caught_in_output_and_state(repo):
    script = repo / "toggle_destination.py"
    text = script.read_text()
    planted = text.replace(
        'body = {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}',
        'body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}',
    )
    assert planted != text
    script.write_text(planted)  # the masked path without a value disabled; now it enables
    result = verify(
        repo,
        *("--env", "SEGMENT_ACCESS_TOKEN=config-token", "--format", "json", "--"),
        *(sys.executable, "run_all.py", "toggle_destination.py"),
    )
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert not summary["equal"]
    assert "-google-analytics enabled: False" in summary["differences"]["stdout"]
    assert "+google-analytics enabled: True" in summary["differences"]["stdout"]
    assert '"enabled": false' in summary["differences"]["workspace state"]


PLAN = "rs_o7F1wV3p3Syp1rxcDk0Q1iOcg1B"  # a plan of the demo seed, unique by name
RUN_HOUSEKEEPING = (
    f"import os, runpy; os.environ['PLAN'] = '{PLAN}'; runpy.run_path('housekeeping.py', run_name='__main__')"
)


def test_a_real_migration_verifies_equal(repo, tmp_path):
    ids = tmp_path / "ids.json"
    assert run_cli("resolve", "--emulator", "-o", str(ids)).returncode == 0
    assert run_cli("apply", ".", "--ids", str(ids), cwd=repo).returncode == 0
    result = verify(
        repo,
        "--ids",
        str(ids),
        "--env",
        "SEGMENT_ACCESS_TOKEN=before:config-token,after:public-token",
        "--format",
        "json",
        "--",
        sys.executable,
        "-c",
        RUN_HOUSEKEEPING,
    )
    summary = json.loads(result.stdout)
    assert summary["equal"], summary
    assert summary["before"]["requests"] == {"config": 4, "public": 0}
    assert summary["after"]["requests"] == {"config": 0, "public": 4}


def test_bad_input(repo, tmp_path):
    no_command = run_cli("verify", str(repo), cwd=repo)
    assert no_command.returncode == 2 and "no command to run" in no_command.stderr
    bad_ref = verify(repo, "--before", "nope", "--", "true")
    assert bad_ref.returncode == 2 and "git rev-parse" in bad_ref.stderr
    bad_env = verify(repo, "--env", "X=admin-token", "--", "true")
    assert bad_env.returncode == 2 and "--env" in bad_env.stderr
    not_git = tmp_path / "plain"
    not_git.mkdir()
    outside = run_cli("verify", str(not_git), "--", "true", cwd=not_git)
    assert outside.returncode == 2 and "git" in outside.stderr


def test_the_command_gets_the_emulators_tokens_and_none_of_the_users_secrets(repo):
    """The script exits 0 only when it sees what it should: no secret of the user's, the variable
    passed on purpose, the rest of the environment, and the emulator's own token."""
    (repo / "show_env.py").write_text(
        "import os, sys\n"
        "secrets = ('GITHUB_TOKEN', 'SEGMENT_ACCESS_TOKEN', 'AWS_SECRET_KEY')\n"
        "hidden = all(not os.environ.get(name) for name in secrets)\n"
        "seen = bool(os.environ.get('KEPT_TOKEN')) and bool(os.environ.get('HOME'))\n"
        "emulated = os.environ['SEGMENT_CONFIG_API_TOKEN'] not in ('', 'sat_real')\n"
        "sys.exit(0 if hidden and seen and emulated else 3)\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "show the environment")
    secrets = {"GITHUB_TOKEN": "ghp_real", "SEGMENT_ACCESS_TOKEN": "sat_real", "AWS_SECRET_KEY": "aws_real"}
    result = run_cli(
        "verify",
        str(repo),
        "--pass-env",
        "KEPT_TOKEN",
        "--format",
        "json",
        "--",
        sys.executable,
        "show_env.py",
        env={**secrets, "KEPT_TOKEN": "kept"},
        cwd=repo,
        timeout=300,
    )
    summary = json.loads(result.stdout)
    assert summary["before"]["exit"] == summary["after"]["exit"] == 0, result.stderr


def test_a_command_that_drops_the_routing_is_told_how_to_keep_it(repo):
    """`export PYTHONPATH=src` replaces the PYTHONPATH verify routes Python through: a side whose
    output names a Segment host with no call reaching the emulator is told why (here a stand-in
    that only says where it would send, so no test reaches for the real API)."""
    (repo / "would_send.py").write_text('print("GET https://platform.segmentapis.com/v1beta/workspaces/acme")\n')
    (repo / "run.sh").write_text(f"export PYTHONPATH=src\n{sys.executable} would_send.py\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a runner setting PYTHONPATH")
    result = verify(repo, "--", "sh", "run.sh")
    assert "note: the before and after runs made no call the emulator saw" in " ".join(result.stdout.split())
    assert "PYTHONPATH=src:$PYTHONPATH" in result.stdout
    (repo / "run.sh").write_text(f"export PYTHONPATH=src:$PYTHONPATH\n{sys.executable} list_sources.py\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "adding to it")
    kept = verify(repo, "--before", "HEAD", "--env", "SEGMENT_ACCESS_TOKEN=config-token", "--", "sh", "run.sh")
    assert kept.returncode == 0 and "note:" not in kept.stdout, kept.stdout
