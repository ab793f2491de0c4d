"""`migrate proxy` in front of `migrate emulator`, both started from the command line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from .helpers import cli_server, run_cli
from .legacy_runner import run_scripts

PUBLIC = "sgp_" + "e" * 64


@contextmanager
def serve(*args: str, until: str, env: dict[str, str] | None = None) -> Iterator[str]:
    with cli_server(*args, env=env) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if until in line:
                yield re.search(r"http://127\.0\.0\.1:\d+", line).group(0)  # type: ignore[union-attr]
                break
        else:
            raise AssertionError(process.stderr.read() if process.stderr else "no output")


def test_proxy_from_the_cli():
    with (
        serve("emulator", "--port", "0", "--public-token", PUBLIC, until="base URL") as emulator,
        serve("proxy", "--port", "0", "--public-url", emulator, until="Config API proxy") as proxy,
    ):
        runs = run_scripts(proxy, PUBLIC, ["list_sources.py", "toggle_destination.py"])
        assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
        assert "web\tWeb\tcatalog/sources/javascript" in runs[0].stdout
        assert "google-analytics enabled: False" in runs[1].stdout
        caller = {"Authorization": f"Bearer {PUBLIC}"}
        refused = httpx.post(f"{proxy}/v1beta/access-tokens", json={}, headers=caller)
        assert refused.status_code == 501
        assert refused.json()["code"] == 12 and "Manual step" in refused.json()["error"]
        ambiguous = httpx.get(f"{proxy}/v1beta/workspaces/acme/sources/web/destinations/mixpanel", headers=caller)
        assert ambiguous.status_code == 409 and "choose one by id" in ambiguous.json()["error"]
        missing = httpx.get(f"{proxy}/v1beta/workspaces/acme/sources/nope", headers=caller)
        assert missing.status_code == 404 and missing.json()["code"] == 5


def test_a_shared_token_must_be_given_and_is_served_on_loopback_only():
    result = run_cli("proxy", "--shared-token", env={"SEGMENT_PUBLIC_API_TOKEN": ""})
    assert result.returncode == 2 and "--shared-token needs a token" in result.stderr
    result = run_cli("proxy", "--shared-token", "--host", "0.0.0.0", env={"SEGMENT_PUBLIC_API_TOKEN": PUBLIC})
    assert result.returncode == 2 and "loopback only" in result.stderr


def test_a_token_with_a_line_break_is_refused_in_one_line_and_never_shown():
    secret = "sgp_abc\r\nX-Injected: yes"
    result = run_cli("proxy", "--shared-token", env={"SEGMENT_PUBLIC_API_TOKEN": secret})
    assert result.returncode == 2 and "no token has" in result.stderr
    assert "sgp_abc" not in result.stderr + result.stdout and len(result.stderr.strip().splitlines()) == 1


def test_translate_cli():
    result = run_cli(
        "translate",
        "PATCH",
        "/v1beta/workspaces/acme/sources/web/destinations/google-analytics",
        "--body",
        '{"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}',
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["calls"] == [
        {
            "method": "PATCH",
            "path": "/destinations/<destination id of workspaces/acme/sources/web/destinations/google-analytics>",
            "body": {"enabled": False},
        }
    ]
    bad = run_cli("translate", "POST", "/v1beta/workspaces/acme/sources", "--body", "{nope")
    assert bad.returncode == 2 and "--body is not JSON" in bad.stderr
    none = run_cli("translate", "POST", "/v1beta/access-tokens")
    assert none.returncode == 1 and "Manual step" in none.stdout


@pytest.mark.parametrize("command", ["emulator", "proxy"])
def test_a_port_in_use_is_a_one_line_error(command: str):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli(command, "--port", port, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"migrate: error: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(choose another --port, or 0 for a free one)"
    ]
