"""The README's tour matches what the commands print today: each `console` block is run, and every
line it shows must still appear in the output (box-drawing and runs of spaces aside; `…` marks
where a shown line was cut)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .helpers import ROOT, run_cli

BOX = re.compile(r"[┃│┏┓┗┛┡┩━┳╇┻└┘┴┬─╭╮╰╯┼]")


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", BOX.sub(" ", text)).strip()


def console_blocks() -> list[tuple[str, list[str]]]:
    text = (ROOT / "README.md").read_text()
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        lines = body.splitlines()
        assert lines and lines[0].startswith("$ migrate "), lines[:1]
        blocks.append((lines[0][2:], [line for line in lines[1:] if line.strip()]))
    return blocks


@pytest.mark.parametrize(("command", "shown"), console_blocks(), ids=lambda value: str(value)[:40])
def test_readme_excerpt_still_appears(command, shown, request):
    arguments = shlex.split(command)[1:]
    result = request.getfixturevalue("demo_run")[0] if arguments == ["demo"] else run_cli(*arguments, timeout=300)
    output = normalized(result.stdout + "\n" + result.stderr)
    for line in shown:
        for part in line.split("…"):
            if normalized(part):
                assert normalized(part) in output, f"{command!r} no longer prints: {part!r}"


def test_the_readme_has_the_two_set_up_commands_ci_runs():
    text = (ROOT / "README.md").read_text()
    assert "pip install . && .venv/bin/migrate demo" in text
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest" in text
    assert "python -m pytest" in (Path(ROOT) / ".ci" / "run").read_text()


def own_repository_steps() -> list[list[str]]:
    """The commands of the README's "On your own repository" block, as written."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## On your own repository\n\n```sh\n(.*?)```", text, re.DOTALL)
    assert block is not None
    return [shlex.split(line.split("#", 1)[0]) for line in block.group(1).splitlines() if line.strip()]


def test_the_own_repository_steps_work_as_written(tmp_path):
    """On a copy of the demo's legacy repository, committed, against an emulator standing in for
    Segment: scan, resolve into the tree, apply (with --diff, then without), commit, verify. The
    proxy is a server: `tests/test_proxy_cli.py` runs it."""
    import os
    import shutil
    import subprocess
    import sys

    from migrator.emulator.app import Emulator, Tokens
    from migrator.emulator.seed import build_demo
    from migrator.emulator.server import start_in_thread

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "migrator" / "demo" / "legacy_repo", repo)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "legacy")
    steps = own_repository_steps()
    assert [step[:2] for step in steps] == [
        ["migrate", "scan"],
        ["migrate", "resolve"],
        ["migrate", "apply"],
        ["migrate", "verify"],
        ["migrate", "proxy"],
    ]
    emulator = Emulator(build_demo(), Tokens("config-readme", "ro-readme", "sgp_readme"), rate_limit=0)
    with start_in_thread(emulator) as server:
        env = {
            "SEGMENT_PUBLIC_URL": server.base_url,
            "SEGMENT_CONFIG_URL": server.config_url,
            "SEGMENT_PUBLIC_API_TOKEN": "sgp_readme",
            "SEGMENT_CONFIG_API_TOKEN": "config-readme",
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        }
        scan, resolve, apply, verify = (step[1:] for step in steps[:4])
        found = run_cli(*scan, env=env, cwd=repo)
        assert found.returncode == 1 and "PATCH workspaces/{ws}/sources/{src}/destinations/{dest}" in found.stdout
        resolved = run_cli(*resolve, env=env, cwd=repo, timeout=300)
        assert resolved.returncode == 0, resolved.stderr
        assert (repo / "ids.json").is_file()
        patch = run_cli(*apply, env=env, cwd=repo, timeout=300)
        assert patch.returncode == 0, patch.stderr
        assert patch.stdout.startswith("diff --git ")
        written = run_cli(*[arg for arg in apply if arg != "--diff"], env=env, cwd=repo, timeout=300)
        assert written.returncode == 0, written.stderr  # the untracked ids.json is no uncommitted change
    git("add", ".")
    git("commit", "-qm", "migrated")
    same = run_cli(*verify, env=env, cwd=repo, timeout=600)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "equal" in same.stdout + same.stderr
