"""Fixtures shared across test modules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mappings.loader import HERE

from .helpers import run_cli


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One `migrate demo --keep DIR` for the whole session (it takes a quarter of a minute); the
    demo test and the README's demo excerpt both read it."""
    folder = tmp_path_factory.mktemp("demo")
    return run_cli("demo", "--keep", str(folder), timeout=300), folder


def pytest_configure(config: pytest.Config) -> None:
    """Commands the tests run keep their scan cache in a folder of the session, never in the home."""
    import os
    import tempfile

    os.environ.setdefault("SEGMENT_MIGRATOR_CACHE", tempfile.mkdtemp(prefix="migrate-test-cache-"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the packaged map's files, to break or edit."""
    target = tmp_path / "mappings"
    target.mkdir()
    for toml in HERE.glob("*.toml"):
        shutil.copy(toml, target / toml.name)
    return target
