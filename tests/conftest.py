"""Fixtures shared across test modules."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from mappings.loader import HERE

from .helpers import run_cli


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One `migrate demo --keep DIR` for the whole run (it takes half a minute); the demo test and
    the README's demo excerpt both read it. Under xdist the workers share it: the first to take the
    lock runs the demo into the run's common temporary folder, the others wait on the lock (a
    blocking `flock`, no polling) and read what it left."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        folder = tmp_path_factory.mktemp("demo")
        return run_cli("demo", "--keep", str(folder), timeout=300), folder
    shared = tmp_path_factory.getbasetemp().parent
    folder, saved = shared / "demo", shared / "demo.json"
    with (shared / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not saved.exists():
            folder.mkdir(exist_ok=True)
            result = run_cli("demo", "--keep", str(folder), timeout=300)
            fields = {"args": result.args, "returncode": result.returncode}
            saved.write_text(json.dumps({**fields, "stdout": result.stdout, "stderr": result.stderr}))
    kept = json.loads(saved.read_text())
    return subprocess.CompletedProcess(kept["args"], kept["returncode"], kept["stdout"], kept["stderr"]), folder


_SESSION_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """Commands the tests run keep their scan cache in a folder of the session, never in the home."""
    if "SEGMENT_MIGRATOR_CACHE" not in os.environ:
        _SESSION_CACHE.append(tempfile.mkdtemp(prefix="migrate-test-cache-"))
        os.environ["SEGMENT_MIGRATOR_CACHE"] = _SESSION_CACHE[-1]


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's cache folder goes with the session (each xdist worker made its own)."""
    for folder in _SESSION_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the packaged map's files, to break or edit."""
    target = tmp_path / "mappings"
    target.mkdir()
    for toml in HERE.glob("*.toml"):
        shutil.copy(toml, target / toml.name)
    return target
