"""`migrate report`: the scan reports of several repositories, as `migrate scan --format json` wrote
them, merged into one table (Markdown and CSV)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

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
