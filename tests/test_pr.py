"""`migrate pr` with real git against a local bare remote and a fake GitHub."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from migrator.emulator.server import RunningEmulator, start_in_thread

from .codemods.test_cli_apply import HOUSEKEEPING
from .github_fake import FakeGitHub
from .helpers import run_cli

DEMO = Path(__file__).resolve().parent.parent / "migrator" / "demo" / "legacy_repo"
TOKEN = "ghp_" + "T0k3n" * 8
REPO = "acme/legacy"


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.email=dev@acme.example",
            "-c",
            "user.name=Dev",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    return bare


@pytest.fixture
def clone(tmp_path: Path, remote: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(DEMO, work)
    (work / "housekeeping.py").write_text(HOUSEKEEPING)
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.email", "dev@acme.example")
    git(work, "config", "user.name", "Dev")
    git(work, "add", ".")
    git(work, "commit", "-qm", "legacy")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "-q", "origin", "main")
    return work


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, RunningEmulator]]:
    fake = FakeGitHub(TOKEN, {REPO}, labels={REPO: ["segment-migration", "bug"]})
    with start_in_thread(fake) as running:  # type: ignore[arg-type]
        yield fake, running


@pytest.fixture
def ids(tmp_path: Path) -> Path:
    target = tmp_path / "ids.json"
    assert run_cli("resolve", "--emulator", "-o", str(target)).returncode == 0
    return target


def pr(clone: Path, github_url: str, ids: Path, *extra: str, token: str = TOKEN):
    return run_cli(
        "pr",
        ".",
        "--ids",
        str(ids),
        "--repo",
        REPO,
        "--github-url",
        github_url,
        *extra,
        env={"GITHUB_TOKEN": token},
        cwd=clone,
        timeout=300,
    )


def test_open_then_update_then_nothing_left(clone, remote, github, ids, tmp_path):
    fake, server = github
    first = pr(clone, server.base_url, ids)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"created pull request #1: https://github.com/{REPO}/pull/1")
    assert git(clone, "branch", "--show-current") == "main" and git(clone, "status", "--porcelain") == ""
    # one commit on the remote branch, on top of main, equal to `migrate apply --diff` of main
    assert git(remote, "rev-list", "--count", "main..segment-public-api-migration") == "1"
    expected = tmp_path / "expected"
    shutil.copytree(clone, expected)
    assert run_cli("apply", ".", "--ids", str(ids), cwd=expected).returncode == 0
    for name in ("housekeeping.py", "segment_ids.py", "toggle_destination.py"):
        assert git(remote, "show", f"segment-public-api-migration:{name}") == (expected / name).read_text().rstrip("\n")
    pull = fake.pulls[REPO][0]
    assert pull["labels"] == ["segment-migration"]
    assert "### Through the compatibility layer" in pull["body"] and "#L" in pull["body"]
    assert "Public API token" in pull["body"] and "migrate verify --before main" in pull["body"]
    assert "workspaces/acme/sources/web/destinations/mixpanel" not in pull["body"] or "ambiguous" in pull["body"]
    # the base moves on: the branch is rebuilt and the same pull request updated
    (clone / "NOTES.md").write_text("new base commit\n")
    git(clone, "add", ".")
    git(clone, "commit", "-qm", "more work")
    git(clone, "push", "-q", "origin", "main")
    second = pr(clone, server.base_url, ids, "--title", "Segment migration, take two")
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("updated pull request #1")
    assert len(fake.pulls[REPO]) == 1 and fake.pulls[REPO][0]["title"] == "Segment migration, take two"
    assert git(remote, "rev-list", "--count", "main..segment-public-api-migration") == "1"
    # merged: nothing left, a comment says so, nothing deleted
    git(clone, "merge", "-q", "--ff-only", "origin/segment-public-api-migration")
    git(clone, "push", "-q", "origin", "main")
    third = pr(clone, server.base_url, ids)
    assert third.returncode == 0, third.stderr
    assert third.stdout.startswith("nothing left to change on main; commented on")
    assert fake.comments and "no longer needed" in fake.comments[0]["body"]
    assert fake.pulls[REPO][0]["state"] == "open"
    everything = [
        first.stdout,
        first.stderr,
        second.stdout,
        second.stderr,
        third.stdout,
        git(remote, "log", "--all", "-p"),
    ]
    everything += [str(request["body"]) for request in fake.requests]
    assert not any(TOKEN in text for text in everything)


def test_dry_run_pushes_nothing(clone, remote, github, ids):
    fake, server = github
    result = pr(clone, server.base_url, ids, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Migrate from Segment's Config API to the Public API")
    assert "housekeeping.py" in result.stdout and "files changed" in result.stdout
    assert git(remote, "branch", "--list", "segment-public-api-migration") == ""
    assert fake.requests == []
    assert git(clone, "branch", "--show-current") == "main"
    assert git(clone, "branch", "--list", "segment-public-api-migration") != ""


def test_a_draft(clone, github, ids):
    fake, server = github
    assert pr(clone, server.base_url, ids, "--draft").returncode == 0
    assert fake.pulls[REPO][0]["draft"] is True


def assert_failed_cleanly(result, clone: Path, message: str, head_before: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("migrate: error: ") and message in last, result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr
    assert git(clone, "branch", "--show-current") == "main"
    assert git(clone, "rev-parse", "HEAD") == head_before
    assert git(clone, "status", "--porcelain") == ""


def test_bad_token_is_401_before_anything_is_pushed(clone, remote, github, ids):
    _fake, server = github
    head = git(clone, "rev-parse", "HEAD")
    assert_failed_cleanly(pr(clone, server.base_url, ids, token="ghp_wrong"), clone, "401 Bad credentials", head)
    assert git(remote, "branch", "--list", "segment-public-api-migration") == ""


def test_token_that_may_only_read_is_403(clone, remote, github, ids):
    fake, server = github
    fake.read_only_tokens.add("ghp_readonly")
    head = git(clone, "rev-parse", "HEAD")
    result = pr(clone, server.base_url, ids, token="ghp_readonly")
    assert_failed_cleanly(result, clone, "403 Resource not accessible", head)
    assert "pull request access" in result.stderr
    assert "ghp_readonly" not in result.stdout + result.stderr
    assert fake.pulls.get(REPO, []) == []


def test_unknown_repository_is_404(clone, github, ids):
    _fake, server = github
    head = git(clone, "rev-parse", "HEAD")
    result = run_cli(
        "pr",
        ".",
        "--ids",
        str(ids),
        "--repo",
        "acme/nope",
        "--github-url",
        server.base_url,
        env={"GITHUB_TOKEN": TOKEN},
        cwd=clone,
    )
    assert_failed_cleanly(result, clone, "404 Not Found", head)


def test_duplicate_pull_request_is_a_clear_422(clone, github, ids):
    fake, server = github
    fake.pulls[REPO] = [
        {
            "number": 7,
            "state": "open",
            "title": "x",
            "body": "",
            "draft": False,
            "head": {"ref": "other"},
            "base": {"ref": "main"},
            "html_url": "u",
            "labels": [],
        }
    ]
    original = fake.answer

    def hide_open(request, body):  # type: ignore[no-untyped-def]
        if request.method == "GET" and request.url.path.endswith("/pulls"):
            from starlette.responses import JSONResponse

            return JSONResponse([])
        return original(request, body)

    fake.answer = hide_open  # type: ignore[method-assign]
    fake.pulls[REPO][0]["head"]["ref"] = "segment-public-api-migration"
    head = git(clone, "rev-parse", "HEAD")
    assert_failed_cleanly(
        pr(clone, server.base_url, ids), clone, "422 Validation Failed: A pull request already exists", head
    )


def test_network_down(clone, ids):
    head = git(clone, "rev-parse", "HEAD")
    assert_failed_cleanly(pr(clone, "http://127.0.0.1:9", ids), clone, "cannot connect", head)


def test_push_rejected(clone, remote, github, ids):
    _fake, server = github
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    head = git(clone, "rev-parse", "HEAD")
    assert_failed_cleanly(pr(clone, server.base_url, ids), clone, "git push", head)


def test_base_branch_missing(clone, github, ids):
    _fake, server = github
    head = git(clone, "rev-parse", "HEAD")
    assert_failed_cleanly(
        pr(clone, server.base_url, ids, "--base", "develop"), clone, "base branch 'develop' is not on origin", head
    )


def test_refusals(clone, tmp_path, ids):
    plain = tmp_path / "plain"
    plain.mkdir()
    not_git = run_cli("pr", str(plain), env={"GITHUB_TOKEN": TOKEN})
    assert not_git.returncode == 2 and "not a git repository" in not_git.stderr
    (clone / "list_sources.py").write_text("# edited\n")
    dirty = run_cli("pr", ".", "--repo", REPO, env={"GITHUB_TOKEN": TOKEN}, cwd=clone)
    assert dirty.returncode == 2 and "uncommitted changes" in dirty.stderr
    git(clone, "checkout", "-q", "--", "list_sources.py")
    git(clone, "checkout", "-q", "--detach")
    detached = run_cli("pr", ".", "--repo", REPO, env={"GITHUB_TOKEN": TOKEN}, cwd=clone)
    assert detached.returncode == 2 and "detached" in detached.stderr
    git(clone, "checkout", "-q", "main")
    git(clone, "remote", "remove", "origin")
    no_remote = run_cli("pr", ".", "--repo", REPO, env={"GITHUB_TOKEN": TOKEN}, cwd=clone)
    assert no_remote.returncode == 2 and "no remote 'origin'" in no_remote.stderr


def _commit_on(clone: Path, branch: str, name: str) -> str:
    git(clone, "checkout", "-q", "-b", branch)
    (clone / name).write_text("my own work\n")
    git(clone, "add", name)
    git(clone, "commit", "-qm", "my own work")
    commit = git(clone, "rev-parse", "HEAD")
    git(clone, "checkout", "-q", "main")
    return commit


def test_a_local_branch_of_the_same_name_is_never_reset(clone, github, ids):
    fake, server = github
    mine = _commit_on(clone, "segment-public-api-migration", "mine.txt")
    head = git(clone, "rev-parse", "HEAD")
    for extra in ((), ("--dry-run",)):
        refused = pr(clone, server.base_url, ids, *extra)
        assert_failed_cleanly(refused, clone, "1 commit(s) migrate pr did not make", head)
        assert "--force" in refused.stderr
        assert git(clone, "rev-parse", "segment-public-api-migration") == mine
    assert fake.pulls.get(REPO, []) == []
    forced = pr(clone, server.base_url, ids, "--force")
    assert forced.returncode == 0, forced.stderr
    assert git(clone, "rev-list", "--count", "main..segment-public-api-migration") == "1"


def test_a_reviewers_commit_on_the_remote_branch_is_never_dropped(clone, remote, github, ids):
    _fake, server = github
    assert pr(clone, server.base_url, ids).returncode == 0
    git(clone, "fetch", "-q", "origin")
    git(clone, "checkout", "-q", "-b", "review", "origin/segment-public-api-migration")
    (clone / "review.txt").write_text("a reviewer's fix\n")
    git(clone, "add", "review.txt")
    git(clone, "commit", "-qm", "reviewer fix")
    git(clone, "push", "-q", "origin", "review:segment-public-api-migration")
    git(clone, "checkout", "-q", "main")
    git(clone, "branch", "-q", "-D", "review")
    pushed = git(remote, "rev-parse", "segment-public-api-migration")
    again = pr(clone, server.base_url, ids)
    assert again.returncode == 2 and "reviewer fix" in again.stderr and "on origin" in again.stderr
    assert git(remote, "rev-parse", "segment-public-api-migration") == pushed


def test_a_rerun_over_its_own_branch_needs_no_force(clone, github, ids):
    _fake, server = github
    assert pr(clone, server.base_url, ids, "--dry-run").returncode == 0
    assert pr(clone, server.base_url, ids, "--dry-run").returncode == 0


def test_a_failure_after_the_push_says_what_already_exists(clone, remote, github, ids):
    fake, server = github
    fake.failing = {("POST", "pulls")}
    failed = pr(clone, server.base_url, ids)
    assert failed.returncode == 2
    assert "segment-public-api-migration was pushed to origin" in failed.stderr and "502" in failed.stderr
    assert git(remote, "branch", "--list", "segment-public-api-migration") != ""
    fake.failing = {("GET", "labels")}
    after_pull = pr(clone, server.base_url, ids)
    assert after_pull.returncode == 2
    assert "pull request #1 exists (https://github.com/acme/legacy/pull/1)" in after_pull.stderr
    fake.failing = set()
    fixed = pr(clone, server.base_url, ids)  # the re-run updates what exists, never a second one
    assert fixed.returncode == 0 and fixed.stdout.startswith("updated pull request #1"), fixed.stderr
    assert len(fake.pulls[REPO]) == 1


def test_sigterm_mid_run_restores_the_start_branch(clone, github, ids):
    """CI cancels a job with SIGTERM: here it comes as git commits (a hook sends it to `migrate`,
    the hook's grandparent), and the repository is left as it was found."""
    _fake, server = github
    hook = clone / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nkill -TERM $(awk '{print $4}' /proc/$PPID/stat)\nexit 1\n")
    hook.chmod(0o755)
    head = git(clone, "rev-parse", "HEAD")
    stopped = pr(clone, server.base_url, ids)
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert git(clone, "branch", "--show-current") == "main"
    assert git(clone, "rev-parse", "HEAD") == head
    assert git(clone, "status", "--porcelain") == ""


def test_a_dry_run_against_a_remote_not_on_github_has_no_dead_links(clone, ids):
    result = run_cli("pr", ".", "--ids", str(ids), "--dry-run", cwd=clone, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "### Through the compatibility layer" in result.stdout
    assert "](" not in result.stdout and "github.com//" not in result.stdout
    assert "- [ ] `" in result.stdout  # each place, as plain text
