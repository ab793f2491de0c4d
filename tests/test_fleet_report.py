"""`migrate report`: the scan reports of several repositories, as `migrate scan --format json` wrote
them, merged into one table (Markdown and CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .helpers import LEGACY_MODULE, run_cli


@pytest.fixture
def reports(tmp_path: Path) -> list[Path]:
    """Three repositories: two calls and a hard-coded bearer token, one call, nothing legacy."""
    sources = {
        "billing": {
            "jobs.py": LEGACY_MODULE
            + 'HEADERS = {"Authorization": "Bearer 4bd8a0fc1e2d3c4b5a6978f0e1d2c3b4"}\n'
            + 'requests.delete(BASE + "/workspaces/acme/sources/web", headers=HEADERS)\n',
        },
        "growth": {"sync.py": LEGACY_MODULE},
        "web": {"app.py": 'print("no Segment here")\n'},
    }
    written = []
    for name, files in sources.items():
        folder = tmp_path / "clones" / name
        folder.mkdir(parents=True)
        for file, text in files.items():
            (folder / file).write_text(text)
        target = tmp_path / "reports" / f"{name}.json"
        target.parent.mkdir(exist_ok=True)
        result = run_cli("scan", str(folder), "--format", "json", "-o", str(target), "--fail-on", "never")
        assert result.returncode == 0, result.stderr
        written.append(target)
    return written


def test_the_fleet_table_counts_each_repository_and_totals_them(reports: list[Path]):
    result = run_cli("report", *map(str, reports), "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["repository"] for row in table] == ["billing", "growth", "web"]  # most Config calls first
    billing, growth, web = table
    assert (billing["call_sites"], billing["auto"], billing["tokens"]) == ("2", "2", "1")
    assert (growth["call_sites"], growth["files"]) == ("1", "1")
    assert (web["findings"], web["complete"]) == ("0", "True")


def test_the_markdown_table_ends_with_a_total(reports: list[Path], tmp_path: Path):
    target = tmp_path / "fleet.md"
    assert run_cli("report", *map(str, reports), "-o", str(target)).returncode == 0
    lines = target.read_text().splitlines()
    assert lines[0].startswith("| repository | files | findings | Config calls | apply rewrites |")
    assert lines[-1].startswith("| 3 repositories | 2 | ")  # files with findings
    assert "| 3 | 3 | 0 | 0 | 0 | 1 | yes |" in lines[-1]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("not json", "not a JSON file"),
        ('{"findings": []}', "not a migrate scan report"),
        ('{"tool": {"name": "segment-migrator"}, "version": 9}', "version 9"),
    ],
)
def test_a_file_that_is_not_a_scan_report_is_one_line(tmp_path: Path, text: str, said: str):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(text)
    result = run_cli("report", str(wrong))
    assert result.returncode == 2
    assert said in result.stderr and result.stderr.count("\n") == 1


# The fields Sourcegraph's batch spec reference documents (https://sourcegraph.com/docs/batch-changes/
# batch-spec-yaml-reference): what is required, and each field's type. The schema itself is published
# in no package registry, so the test holds the documented rules.
DOCUMENTED = {
    "top": {"version": int, "name": str, "description": str, "on": list, "steps": list, "changesetTemplate": dict},
    "step": {"run": str, "container": str, "files": dict, "env": dict, "if": str, "outputs": dict},
    "template": {"title": str, "body": str, "branch": str, "commit": dict, "published": bool},
}


def test_the_batch_spec_has_only_documented_fields_and_its_step_migrates(tmp_path: Path, reports):
    ids = tmp_path / "ids.json"
    assert run_cli("resolve", "--emulator", "-o", str(ids)).returncode == 0
    result = run_cli("fleet", "--batch-spec", "--ids", str(ids))
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load(result.stdout)
    assert set(spec) <= set(DOCUMENTED["top"]) and {"name", "on", "steps", "changesetTemplate"} <= set(spec)
    assert all(isinstance(spec[key], kind) for key, kind in DOCUMENTED["top"].items() if key in spec)
    assert re.fullmatch(r"[\w.-]+", spec["name"])
    assert [set(item) for item in spec["on"]] == [{"repositoriesMatchingQuery"}]
    (step,) = spec["steps"]
    assert set(step) <= set(DOCUMENTED["step"]) and {"run", "container"} <= set(step)
    template = spec["changesetTemplate"]
    assert set(template) <= set(DOCUMENTED["template"]) and {"title", "branch", "commit"} <= set(template)
    assert set(template["commit"]) == {"message"} and template["published"] is False
    # The ID map travels in the spec; the step's own command, with the file mounted where it says,
    # migrates a legacy repository (pip install is the container's business).
    (mount,) = step["files"]
    assert json.loads(step["files"][mount]) == json.loads(ids.read_text())
    mounted = tmp_path / "mounted-ids.json"
    mounted.write_text(step["files"][mount])
    command = step["run"].split(" && ", 1)[1].replace(mount, str(mounted))
    clone = tmp_path / "clones" / "growth"
    migrated = subprocess.run(
        [sys.executable, "-m", "migrator", *shlex.split(command)[1:]], cwd=clone, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    assert "platform.segmentapis.com" not in (clone / "sync.py").read_text()


def test_a_broken_id_map_stops_the_batch_spec_in_one_line(tmp_path: Path):
    broken = tmp_path / "ids.json"
    broken.write_text("{")
    result = run_cli("fleet", "--batch-spec", "--ids", str(broken))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
