"""Shared test helpers: run the CLI as a user would, in a subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from migrator.emulator.app import Emulator

ROOT = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migrator", *args],
        capture_output=True,
        text=True,
        env=_environment(env),
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
    )


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    # A terminal's width (pytest-xdist's workers pass one on) would wrap the tables tests read; a
    # GitHub Actions runner's API address would send `migrate pr` to the real GitHub.
    inherited = {
        name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES", "GITHUB_API_URL")
    }
    return {**inherited, "NO_COLOR": "1", **(env or {})}


@contextmanager
def cli_server(*args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """A long-running `migrate` command (emulator, proxy) as a user starts it; stopped with Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "migrator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_environment(env),
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class AsgiClient:
    """A synchronous client for an ASGI app, through httpx's in-process transport."""

    def __init__(self, app: object, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = dict(headers or {})

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = {**self.headers, **(kwargs.pop("headers", None) or {})}  # type: ignore[dict-item]

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
                response = await client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
                await response.aread()
                return response

        return asyncio.run(send())

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


LEGACY_MODULE = (
    "import requests\n\n"
    'BASE = "https://platform.segmentapis.com/v1beta"\n'
    'requests.get(BASE + "/workspaces/acme/sources")\n'
)
"""The smallest legacy module: a Config base URL (line 3) and one call on it (line 4, column 1)."""


@dataclass
class ProxiedWorkspace:
    """Two copies of the demo workspace: `direct` answers the Config API itself at `direct_url`;
    `behind` is reached through the proxy at `proxy_url`, with the public token given (Config paths
    under /v1beta on both)."""

    direct: Emulator
    behind: Emulator
    direct_url: str
    proxy_url: str


@contextmanager
def proxied_workspace(public_token: str) -> Iterator[ProxiedWorkspace]:
    """Both copies served, and the proxy in front of the second with its ID map resolved first."""
    from migrator.clients import ConfigClient, PublicClient
    from migrator.emulator.app import Emulator, Tokens
    from migrator.emulator.seed import build_demo
    from migrator.emulator.server import start_in_thread
    from migrator.proxy import ProxyApp
    from migrator.resolver import Resolver

    direct = Emulator(build_demo(), Tokens("config-token", "ro", public_token), rate_limit=0)
    behind = Emulator(build_demo(), Tokens("config-token", "ro", public_token), rate_limit=0)
    with start_in_thread(direct) as first, start_in_thread(behind) as second:
        public = PublicClient.connect(second.base_url, public_token)
        id_map = Resolver(public, ConfigClient.connect(second.config_url, "config-token", per_minute=0)).run().id_map
        with start_in_thread(ProxyApp(second.base_url, id_map)) as through:  # type: ignore[arg-type]
            yield ProxiedWorkspace(direct, behind, first.base_url, through.base_url)
