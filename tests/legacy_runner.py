"""Run the legacy scripts of the demo repository (migrator/demo/legacy_repo) as their users would,
with Segment's hosts routed to a local server (the emulator or the proxy) by `migrator.routing`."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from migrator.routing import routed_env
from migrator.verify import comparable_state  # noqa: F401  (re-exported for the tests)

LEGACY = Path(__file__).resolve().parent.parent / "migrator" / "demo" / "legacy_repo"
SCRIPTS = [
    "list_sources.py",
    "provision.py",
    "toggle_destination.py",
    "tracking_plans.py",
    "gdpr.py",
    "filters.py",
    "schema_settings.py",
    "segment_client.py",
]


@dataclass
class Run:
    script: str
    returncode: int
    stdout: str
    stderr: str


def run_scripts(target: str, token: str, scripts: list[str] = SCRIPTS, folder: Path = LEGACY) -> list[Run]:
    env = routed_env(target)
    env["SEGMENT_ACCESS_TOKEN"] = token
    runs = []
    for script in scripts:
        done = subprocess.run(
            [sys.executable, str(folder / script)], capture_output=True, text=True, env=env, timeout=120, check=False
        )
        runs.append(Run(script, done.returncode, done.stdout, done.stderr))
    return runs


@dataclass
class BeforeAfter:
    before: Run
    now: Run
    public_calls: int
    config_calls: int
    """The calls the migrated run made on each side of its emulator."""


def before_and_after(legacy: Path, after: Path, script: str) -> BeforeAfter:
    """`script` run in the legacy tree on one emulator with the Config token, and in the migrated
    tree on another with a Public token: what each printed, and the sides the migrated run reached."""
    from migrator.emulator.app import Emulator, Tokens
    from migrator.emulator.seed import build_demo
    from migrator.emulator.server import start_in_thread

    direct = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_direct"), rate_limit=0)
    behind = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_behind"), rate_limit=0)
    with start_in_thread(direct) as first, start_in_thread(behind) as second:
        [before] = run_scripts(first.base_url, "config-token", [script], folder=legacy)
        [now] = run_scripts(second.base_url, "sgp_behind", [script], folder=after)
    return BeforeAfter(before, now, behind.requests_by_side["public"], behind.requests_by_side["config"])
