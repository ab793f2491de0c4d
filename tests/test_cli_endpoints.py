"""`migrate --help`, `--version` and `migrate endpoints`, run as a user runs them."""

from __future__ import annotations

import json
import shutil

from mappings.loader import HERE
from migrator import __version__

from .helpers import run_cli


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_reads_like_documentation():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "platform.segmentapis.com/v1beta" in result.stdout
    assert "endpoints" in result.stdout
    assert "Exit codes" in result.stdout


def test_endpoints_json_lists_every_row_with_a_twin_or_a_reason():
    result = run_cli("endpoints", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert data["config_prefixes"] == ["v1beta", "v1alpha"]
    rows = data["endpoints"]
    assert [row["row"] for row in rows] == list(range(1, 66))
    for row in rows:
        assert row["config_paths"] == [f"/v1beta/{row['path']}", f"/v1alpha/{row['path']}"]
        assert row["automation"] in {"auto", "partial", "manual"}
        if row["public"]:
            assert all(step["path"].startswith("/") and step["status"] in {200, 201} for step in row["public"])
        else:
            assert row["no_twin_reason"] and row["manual_step"]
    assert data["summary"]["endpoints"] == 65
    assert sum(data["summary"]["confidence"].values()) == 65


def test_endpoints_table_shows_twins_statuses_and_manual_steps():
    result = run_cli("endpoints", "--family", "sources")
    assert result.returncode == 0, result.stderr
    assert "POST workspaces/{ws}/sources" in result.stdout
    assert "POST /sources (201)" in result.stdout
    assert "GET /sources/{sourceId}" in result.stdout
    manual = run_cli("endpoints", "--automation", "manual")
    assert "Manual steps" in manual.stdout
    assert "Access Management > Tokens" in manual.stdout


def test_endpoints_output_file(tmp_path):
    target = tmp_path / "endpoints.json"
    result = run_cli("endpoints", "--format", "json", "-o", str(target))
    assert result.returncode == 0
    assert result.stdout == ""
    assert len(json.loads(target.read_text())["endpoints"]) == 65


def test_unknown_family_is_a_one_line_error():
    result = run_cli("endpoints", "--family", "nope")
    assert result.returncode == 2
    assert "unknown family 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_map_is_a_one_line_error_and_exit_2(tmp_path):
    broken = tmp_path / "mappings"
    shutil.copytree(HERE, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = broken / "enums.toml"
    path.write_text(path.read_text().replace("[enum.function_type]", "[enum.function_type", 1))
    result = run_cli("endpoints", env={"SEGMENT_MIGRATOR_MAPPINGS": str(broken)})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("migrate: error: ") and "enums.toml" in lines[0] and "invalid TOML" in lines[0]


def test_cli_resolve_kinds_match_the_resolver():
    from migrator.cli import RESOLVE_KINDS
    from migrator.resolver import ALL_KINDS

    assert RESOLVE_KINDS == ALL_KINDS


def test_cli_codemod_names_match_the_registry():
    from codemods import REGISTRY
    from migrator.cli import CODEMODS

    assert tuple(fixer.name for fixer in REGISTRY) == CODEMODS
