"""Where migrations really run: the pre-commit hooks through `pre-commit try-repo` (pre-commit builds
their environment from this repository, as a user's would), and the GitHub action's own steps run
as written, on a sample repository with one legacy module."""

from __future__ import annotations

import json
import os
import re
import shutil
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


def _expressions(text: str, values: dict[str, str]) -> str:
    """`${{ inputs.x }}`, `${{ secrets.X }}`, `${{ runner.temp }}`... replaced as a runner would."""
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda match: values[match.group(1)], text)


def _run_step(
    step: dict, folder: Path, environment: dict[str, str], values: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """An action's or a workflow's `run` step under `bash -e`, its expressions and `env` filled in,
    with this environment's `migrate` first on the PATH."""
    return subprocess.run(
        ["bash", "-e", "-c", _expressions(step["run"], values)],
        cwd=folder,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "NO_COLOR": "1",
            **environment,
            **{name: _expressions(str(text), values) for name, text in step.get("env", {}).items()},
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


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
        values = {f"inputs.{name}": value for name, value in inputs.items()} | {
            f"steps.{id_}.outputs.{name}": value for id_, named in outputs.items() for name, value in named.items()
        }
        environment = {"GITHUB_ACTION_PATH": str(ROOT), "GITHUB_OUTPUT": str(output_file), "RUNNER_TEMP": str(tmp_path)}
        result = _run_step(step, sample, environment, values)
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


def test_the_actions_install_step_installs_the_actions_own_checkout(tmp_path: Path):
    """The install step, run as written by a runner's Python: a fresh environment (here seeing this
    one's dependencies through a `.pth` file, so nothing is downloaded but the build backend) gets
    `migrate` from the action's checkout, installed rather than linked to it."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    install = next(step for step in action["runs"]["steps"] if step.get("name") == "Install segment-migrator")
    runner = tmp_path / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(runner)], check=True, timeout=120)
    python = runner / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = [entry for entry in sys.path if entry.endswith("site-packages")]
    Path(site, "dependencies.pth").write_text("\n".join(ours) + "\n")
    copy = tmp_path / "action"  # the checkout GitHub makes: the project's files, no build leftovers
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", "build"))
    done = subprocess.run(
        ["bash", "-e", "-c", install["run"]],
        env={
            **os.environ,
            "PATH": f"{runner / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_ACTION_PATH": str(copy),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    version = subprocess.run(
        [str(runner / "bin" / "migrate"), "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("migrate, version"), version.stderr
    where = subprocess.run(
        [str(python), "-c", "import migrator; print(migrator.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(site)


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


def test_the_fleet_workflow_runs_as_written(tmp_path: Path):
    """The fleet workflow's own `run` steps, each in its job's folder with its job's variables: the
    ID map resolved against an emulator, each repository of the matrix scanned and given a draft
    pull request on a local GitHub, and one table for the fleet in the step summary. Between jobs,
    what the artifact steps would carry is copied."""
    from migrator.emulator.app import Emulator, Tokens
    from migrator.emulator.seed import build_demo
    from migrator.emulator.server import start_in_thread

    from .github_fake import FakeGitHub
    from .test_pr import DEMO, git

    workflow = yaml.safe_load((ROOT / "examples" / "github" / "segment-migration.yml").read_text())
    repositories = workflow["jobs"]["migrate"]["strategy"]["matrix"]["repository"]
    fleet_token = "ghp_" + "F1eet" * 8
    emulator = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_fleet"), rate_limit=0)
    github = FakeGitHub(fleet_token, set(repositories))
    temp, summary = tmp_path / "runner-temp", tmp_path / "summary.md"
    temp.mkdir()
    summary.write_text("")
    with start_in_thread(emulator) as segment, start_in_thread(github) as hub:  # type: ignore[arg-type]

        def run(job: str, folder: Path, extra: dict[str, str]) -> None:
            values = {
                "secrets.SEGMENT_PUBLIC_API_TOKEN": "sgp_fleet",
                "secrets.FLEET_TOKEN": fleet_token,
                "runner.temp": str(temp),
                **extra,
            }
            for step in workflow["jobs"][job]["steps"]:
                command = step.get("run", "")
                if not command.startswith("migrate "):
                    continue
                environment = {
                    "RUNNER_TEMP": str(temp),
                    "GITHUB_STEP_SUMMARY": str(summary),
                    "GITHUB_API_URL": hub.base_url,  # set by every runner, here the local GitHub
                    "SEGMENT_PUBLIC_URL": segment.base_url,  # the emulator for the real Public API
                }
                done = _run_step(step, folder, environment, values)
                assert done.returncode == 0, f"{job}: {command}\n{done.stderr}"

        ids_job = tmp_path / "ids-job"
        ids_job.mkdir()
        run("ids", ids_job, {})
        (temp / "ids.json").write_bytes((ids_job / "ids.json").read_bytes())  # download-artifact: ids
        for index, repository in enumerate(repositories):
            remote = tmp_path / "github" / f"{repository}.git"
            git(tmp_path, "init", "-q", "--bare", str(remote))
            clone = tmp_path / "checkouts" / repository
            shutil.copytree(DEMO, clone)
            for command in (("init", "-q", "-b", "main"), ("add", "."), ("commit", "-qm", "legacy")):
                git(clone, *command)
            git(clone, "config", "user.email", "dev@acme.example")
            git(clone, "config", "user.name", "Dev")
            git(clone, "remote", "add", "origin", str(remote))
            git(clone, "push", "-q", "origin", "main")
            run("migrate", clone, {"matrix.repository": repository, "strategy.job-index": str(index)})
            artifact = tmp_path / "report-job" / "reports" / f"scan-{index}"  # upload, then download
            artifact.mkdir(parents=True)
            for report in temp.glob("*.json"):
                if report.name != "ids.json":
                    (artifact / report.name).write_bytes(report.read_bytes())
                    report.unlink()
        run("report", tmp_path / "report-job", {})

    assert json.loads((ids_job / "ids.json").read_text())["workspace"]["slug"]
    opened = {repository: github.pulls.get(repository, []) for repository in repositories}
    assert all(len(pulls) == 1 and pulls[0]["draft"] for pulls in opened.values()), opened
    table = summary.read_text()
    assert all(repository.split("/")[1] in table for repository in repositories), table
