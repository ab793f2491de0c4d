"""Where migrations really run: the pre-commit hooks through `pre-commit try-repo` (pre-commit builds
their environment from this repository, as a user's would), and the GitHub action's own steps run
as written, on a sample repository with one legacy module."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .helpers import LEGACY_MODULE, ROOT


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    repo = tmp_path / "sample"
    repo.mkdir()
    (repo / "jobs.py").write_text(LEGACY_MODULE)
    (repo / "clean.py").write_text('print("nothing legacy")\n')
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    return repo


def try_repo(sample: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "SKIP": ""}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
        cwd=sample,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )


def test_the_pre_commit_hooks_gate_and_rewrite_legacy_calls(sample: Path, tmp_path: Path):
    scanned = try_repo(sample, "segment-config-api-scan", tmp_path / "pre-commit")
    assert scanned.returncode == 1, scanned.stdout + scanned.stderr
    assert "jobs.py:4:1: call [GET sources.list]" in scanned.stdout
    assert "clean.py" not in scanned.stdout.split("- exit code: 1", 1)[1]
    applied = try_repo(sample, "segment-config-api-apply", tmp_path / "pre-commit")
    assert applied.returncode == 1, applied.stdout + applied.stderr  # files were changed: the commit stops
    migrated = (sample / "jobs.py").read_text()
    assert "platform.segmentapis.com" not in migrated and "api.segmentapis.com" in migrated
    assert (sample / "clean.py").read_text() == 'print("nothing legacy")\n'


def _inputs(action: dict) -> dict[str, str]:
    return {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}


def _substituted(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        step, name = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+)", expression).groups()  # type: ignore[union-attr]
        return outputs[step][name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def test_the_github_actions_steps_run_as_written(sample: Path, tmp_path: Path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = _inputs(action)
    steps = action["runs"]["steps"]
    install = next(step for step in steps if step.get("name") == "Install segment-migrator")
    # Installing would replace this environment's own install of the project: the test checks that
    # the step installs the action's own checkout, then runs every other command as written.
    assert install["run"] == 'python -m pip install --quiet "$GITHUB_ACTION_PATH"'
    outputs: dict[str, dict[str, str]] = {}
    results = []
    for step in steps:
        if "run" not in step or step is install:
            continue
        output_file = tmp_path / f"output-{len(results)}"
        output_file.write_text("")
        environment = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_OUTPUT": str(output_file),
            "RUNNER_TEMP": str(tmp_path),
            "NO_COLOR": "1",
            **{name: _substituted(str(text), inputs, outputs) for name, text in step.get("env", {}).items()},
        }
        result = subprocess.run(
            ["bash", "-e", "-c", _substituted(step["run"], inputs, outputs)],
            cwd=sample,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        results.append(result)
        if "id" in step:
            outputs[step["id"]] = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
    sarif_step, findings_step = results
    assert sarif_step.returncode == 0, sarif_step.stderr
    sarif = json.loads(Path(outputs["scan"]["sarif"]).read_text())
    assert sarif["version"] == "2.1.0"
    assert {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in sarif["runs"][0]["results"]
    } == {"jobs.py"}
    assert findings_step.returncode == 1  # fail-on: any, by default
    assert findings_step.stdout.splitlines()[1].startswith("jobs.py:4:1: call")


def test_the_fleet_workflow_example_calls_migrate_as_the_cli_defines_it(tmp_path: Path):
    """Every `migrate` command of examples/github/segment-migration.yml, its variables given values,
    is parsed by the command line itself: a renamed command or option fails here, not in a fleet."""
    import shlex

    from migrator.cli import cli

    workflow = yaml.safe_load((ROOT / "examples" / "github" / "segment-migration.yml").read_text())
    values = {"RUNNER_TEMP": str(tmp_path), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            run = step.get("run", "")
            if not run.startswith("migrate "):
                continue
            line = run.split(">>", 1)[0]
            line = re.sub(r"\$\{REPOSITORY##\*/\}", "billing", line)
            line = re.sub(r"\$(\w+)", lambda match: values[match.group(1)], line)
            commands.append(shlex.split(line)[1:])
    assert [command[0] for command in commands] == ["resolve", "scan", "pr", "report"]
    for name, *arguments in commands:
        command = cli.commands[name]
        with command.make_context(name, list(arguments), obj=None) as context:
            assert context.params  # parsed: every option exists and its value has the right type
