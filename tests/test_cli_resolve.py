"""`migrate resolve` from the command line, as a user runs it."""

from __future__ import annotations

import json

import pytest

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.idmap import load_id_map

from .helpers import run_cli

PUBLIC = "sgp_" + "q" * 64


@pytest.fixture
def running():
    with start_in_thread(Emulator(build_demo(), Tokens("cfg", "ro", PUBLIC), rate_limit=0)) as server:
        yield server


def env_for(server, **extra):
    return {
        "SEGMENT_PUBLIC_URL": server.base_url,
        "SEGMENT_CONFIG_URL": server.config_url,
        "SEGMENT_PUBLIC_API_TOKEN": PUBLIC,
        "SEGMENT_CONFIG_API_TOKEN": "cfg",
        **extra,
    }


def test_resolve_writes_a_valid_map_and_prints_a_summary(running, tmp_path):
    target = tmp_path / "ids.json"
    result = run_cli("resolve", "--config-rate", "0", "-o", str(target), env=env_for(running))
    assert result.returncode == 0, result.stderr
    assert "ID map of workspace 'acme'" in result.stderr
    assert "API calls (minimum" in result.stderr
    id_map = load_id_map(target)
    assert id_map.summary()["destination"]["ambiguous"] == 1
    assert PUBLIC not in target.read_text() and PUBLIC not in result.stderr + result.stdout


def test_json_summary_counts_calls_against_the_minimum(running, tmp_path):
    ids = str(tmp_path / "ids.json")
    result = run_cli("resolve", "--config-rate", "0", "--format", "json", "-o", ids, env=env_for(running))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["api_calls"]["total"] == summary["minimum_calls"]
    assert summary["kinds"]["destination"]["ambiguous"] == 1


def test_csv_output(running, tmp_path):
    target = tmp_path / "ids.csv"
    assert run_cli("resolve", "--config-rate", "0", "-o", str(target), env=env_for(running)).returncode == 0
    assert target.read_text().splitlines()[0].startswith("kind,status,config_name,slug,public_id")


def test_verbose_shows_requests_but_never_tokens(running):
    result = run_cli("--verbose", "resolve", "--kinds", "workspace", env=env_for(running))
    assert result.returncode == 0
    assert "Public GET /" in result.stderr
    assert PUBLIC not in result.stderr and "cfg" not in result.stderr.replace("config", "")


def test_embedded_emulator(tmp_path):
    result = run_cli("resolve", "--emulator", "--format", "json", "-o", str(tmp_path / "ids.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kinds"]["tracking_plan"]["ambiguous"] == 2
    assert load_id_map(tmp_path / "ids.json").entries


def test_a_json_summary_without_a_file_for_the_map_is_refused_before_any_call():
    result = run_cli("resolve", "--emulator", "--format", "json")
    assert result.returncode == 2 and "write the ID map with -o ids.json" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"SEGMENT_PUBLIC_API_TOKEN": "sgp_wrong"}, "Public API GET /: 401"),
        ({"SEGMENT_CONFIG_API_TOKEN": "wrong"}, "Config API GET /workspaces: 401"),
    ],
)
def test_bad_tokens_are_one_line_errors(running, tmp_path, extra, message):
    target = tmp_path / "ids.json"
    result = run_cli("resolve", "-o", str(target), env=env_for(running, **extra))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


def test_workspace_mismatch(running):
    result = run_cli("resolve", "--workspace", "globex", env=env_for(running))
    assert result.returncode == 2 and "does not match" in result.stderr


def test_unreachable_host_is_one_line_and_writes_nothing(tmp_path):
    target = tmp_path / "ids.json"
    env = {
        "SEGMENT_PUBLIC_URL": "http://127.0.0.1:9",
        "SEGMENT_PUBLIC_API_TOKEN": PUBLIC,
        "SEGMENT_CONFIG_API_TOKEN": "",
    }
    result = run_cli("resolve", "--retries", "0", "-o", str(target), env=env)
    assert result.returncode == 2, result.stderr
    assert "cannot connect" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_no_public_token():
    result = run_cli("resolve", env={"SEGMENT_PUBLIC_API_TOKEN": "", "SEGMENT_CONFIG_API_TOKEN": ""})
    assert result.returncode == 2 and "no Public API token" in result.stderr


@pytest.mark.parametrize("command", [("resolve", "--emulator"), ("scan", "."), ("endpoints",)], ids=lambda c: c[0])
def test_an_output_file_in_a_missing_folder_is_one_line_and_exit_2(command, tmp_path):
    target = tmp_path / "missing" / "out.json"
    result = run_cli(*command, "-o", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"migrate: error: {target}: cannot write" + (
        f" (no folder {target.parent})" if command[0] == "resolve" else " (No such file or directory)"
    )
