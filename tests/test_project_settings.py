"""`[tool.segment-migrator]` in pyproject.toml: found from the scanned path upwards, honoured, and
overridden by the command line; and the outputs editors and CI read (concise lines, --check names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.errors import UsageError
from migrator.settings import find

from .helpers import LEGACY_MODULE, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "jobs.py").write_text(LEGACY_MODULE)
    (tmp_path / "vendored").mkdir()
    (tmp_path / "vendored" / "old.py").write_text(LEGACY_MODULE)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.segment-migrator]\nexclude = ["vendored"]\nfail-on = "never"\n'
    )
    return tmp_path


def scanned_files(result) -> set[str]:
    return {Path(finding["file"]).name for finding in json.loads(result.stdout)["findings"]}


def test_the_nearest_pyproject_settings_apply_to_a_path_below_it(project: Path):
    result = run_cli("scan", str(project / "app"), "--format", "json", "--no-cache")
    assert result.returncode == 0  # fail-on = "never" from the file
    assert scanned_files(result) == {"jobs.py"}
    whole = run_cli("scan", str(project), "--format", "json", "--no-cache")
    assert scanned_files(whole) == {"jobs.py"}  # exclude = ["vendored"] from the file


def test_the_command_line_wins_over_the_file(project: Path):
    result = run_cli("scan", str(project), "--format", "json", "--fail-on", "any", "--exclude", "app", "--no-cache")
    assert result.returncode == 1
    assert scanned_files(result) == {"old.py"}


def test_a_setting_that_does_not_exist_is_one_line_naming_the_file(project: Path):
    (project / "pyproject.toml").write_text('[tool.segment-migrator]\nexlude = ["x"]\n')
    result = run_cli("scan", str(project))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "exlude" in result.stderr and "pyproject.toml" in result.stderr


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ('fail-on = "sometimes"', "fail-on"),
        ("max-size = -1", "max-size"),
        ('exclude = "vendored"', "exclude"),
        ("[tool.segment-migrator", "cannot read"),
    ],
)
def test_wrong_values_are_named(tmp_path: Path, text: str, wrong: str):
    (tmp_path / "pyproject.toml").write_text(text if text.startswith("[") else f"[tool.segment-migrator]\n{text}\n")
    with pytest.raises(UsageError, match=wrong):
        find(tmp_path)


def test_no_section_anywhere_is_no_settings(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find(tmp_path).source is None or find(tmp_path).source != tmp_path / "pyproject.toml"


def test_an_ids_file_is_read_relative_to_its_pyproject(project: Path, tmp_path: Path):
    (project / "pyproject.toml").write_text('[tool.segment-migrator]\nids = "ids/acme.json"\n')
    assert find(project / "app").for_parameters() == {"ids": str((project / "ids" / "acme.json").resolve())}
    result = run_cli("apply", str(project / "app"), "--check")
    assert result.returncode == 2
    assert "acme.json" in result.stderr  # the file's ID map was the one apply tried to load


def test_migrate_config_says_what_is_in_force_and_where_from(project: Path):
    result = run_cli("config", str(project / "app"), "--format", "json")
    assert result.returncode == 0
    shown = json.loads(result.stdout)
    assert shown == {
        "source": str(project / "pyproject.toml"),
        "settings": {"exclude": ["vendored"], "fail-on": "never"},
    }


def test_concise_output_is_one_path_line_column_line_per_finding(project: Path):
    result = run_cli("scan", str(project / "app" / "jobs.py"), "--format", "concise", "--no-cache")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{project / 'app' / 'jobs.py'}:3:8: base_url ")
    assert lines[1].startswith(f"{project / 'app' / 'jobs.py'}:4:1: call [GET sources.list] ")


def test_min_confidence_from_the_file_drops_less_sure_findings(project: Path):
    bearer = 'requests.get(BASE, headers={"Authorization": "Bearer 4bd8a0fc1e2d3c4b5a6978f0e1d2c3b4"})\n'
    (project / "app" / "jobs.py").write_text(LEGACY_MODULE + bearer)  # a bearer literal is a medium-sure secret
    everything = run_cli("scan", str(project / "app"), "--format", "json", "--no-cache")
    findings = json.loads(everything.stdout)["findings"]
    assert {finding["confidence"] for finding in findings} == {"high", "medium"}
    (project / "pyproject.toml").write_text('[tool.segment-migrator]\nmin-confidence = "high"\n')
    sure = run_cli("scan", str(project / "app"), "--format", "json", "--no-cache")
    assert {finding["confidence"] for finding in json.loads(sure.stdout)["findings"]} == {"high"}


def test_check_names_each_file_it_would_change(project: Path):
    result = run_cli("apply", str(project / "app"), "--check", "--exclude", "vendored")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"would change: {project / 'app' / 'jobs.py'}"]
