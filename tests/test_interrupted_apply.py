"""`migrate apply` killed at random points over a tree of two thousand files, then run again: at
every stop each module parses and everything it imports from the migration is there, and the
finished tree is byte for byte the tree of an uninterrupted run, with no temporary file left.

The kills land where they matter: the run is followed on its `-v` output (one `wrote` line per file
written) and signalled after a random number of writes (seeded, so a failure reproduces), with
SIGKILL (no clean-up at all), SIGINT (Ctrl-C) or SIGTERM (how CI cancels a job); one more comes
before any write, while the tree is still being read. INTERRUPT_SEED and INTERRUPT_MODULES run it on
other points and larger trees."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from .helpers import ROOT

SEED = int(os.environ.get("INTERRUPT_SEED", "2026"))
MODULES = int(os.environ.get("INTERRUPT_MODULES", "2000"))
"""Files in the tree; a quarter of them call the Config API in one of four forms."""

DIRECT = """import requests

API = "https://platform.segmentapis.com/v1beta"


def sources_{n}(token):
    return requests.get(API + "/workspaces/acme/sources", headers={{"Authorization": "Bearer " + token}}).json()
"""
CHOKEPOINT = """import json

import requests


class Client{n}:
    base = "https://platform.segmentapis.com/v1beta"

    def __init__(self, token):
        self.token = token

    def send_request(self, verb, path, payload=None):
        response = requests.request(verb, f"{{self.base}}/{{path}}", data=json.dumps(payload or {{}}))
        response.raise_for_status()
        return response.json()

    def source(self, workspace, name):
        return self.send_request("GET", f"workspaces/{{workspace}}/sources/{{name}}")
"""
TOGGLE = """import requests

API = "https://platform.segmentapis.com/v1beta"


def toggle_{n}(source, destination, enabled):
    url = f"{{API}}/workspaces/acme/sources/{{source}}/destinations/{{destination}}"
    body = {{"destination": {{"enabled": enabled}}, "update_mask": {{"paths": ["destination.enabled"]}}}}
    return requests.patch(url, json=body).json()
"""
PINNED_TEST = """from unittest import mock

from pkg{p}.client_{n} import Client{n}


def test_source_{n}():
    with mock.patch("requests.request") as request:
        Client{n}("t").source("acme", "web")
    assert request.call_args.args == ("GET", "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")
"""
UNRELATED = '''"""Module {n}: nothing to do with Segment."""


def add_{n}(a, b):
    return a + b
'''


def build(root: Path) -> None:
    """`MODULES` files in packages of 100, every fourth one a Config API user."""
    forms = [("direct", DIRECT), ("client", CHOKEPOINT), ("toggle", TOGGLE)]
    for n in range(MODULES):
        package = root / f"pkg{n // 100}"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").touch()
        if n % 4:
            (package / f"util_{n}.py").write_text(UNRELATED.format(n=n))
            continue
        name, template = forms[(n // 4) % len(forms)]
        (package / f"{name}_{n}.py").write_text(template.format(n=n))
        if name == "client":
            tests = root / "tests"
            tests.mkdir(exist_ok=True)
            (tests / f"test_client_{n}.py").write_text(PINNED_TEST.format(n=n, p=n // 100))


def migrate(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "migrator", "apply", str(root), "-v", "--no-color", "--jobs", "2"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )


def interrupt(root: Path, writes: int, signal_number: int) -> int:
    """Run apply and send `signal_number` once it has written `writes` files (0: as it starts)."""
    process = migrate(root)
    assert process.stderr is not None
    seen = 0
    if writes == 0:
        process.send_signal(signal_number)
    else:
        for line in process.stderr:
            if line.startswith("wrote "):
                seen += 1
                if seen >= writes:
                    process.send_signal(signal_number)
                    break
    process.communicate(timeout=600)
    return seen


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def assert_runnable(root: Path) -> None:
    """Each module parses, and what the migration makes modules import is there to import."""
    imported: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text()
        compile(text, str(path), "exec", dont_inherit=True)
        imported |= {name for name in ("segment_compat", "segment_ids") if f"import {name}" in text}
    if imported:
        check = subprocess.run(
            [sys.executable, "-c", "; ".join(f"import {name}" for name in sorted(imported))],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stderr


def test_apply_killed_at_random_points_then_rerun_equals_an_uninterrupted_run(tmp_path: Path):
    pristine = tmp_path / "pristine"
    build(pristine)
    expected_tree = tmp_path / "expected"
    shutil.copytree(pristine, expected_tree)
    done = migrate(expected_tree)
    _, errors = done.communicate(timeout=600)
    assert done.returncode == 0, errors
    total = errors.count("\nwrote ") + errors.startswith("wrote ")
    assert total > MODULES // 5, "most Config API users are rewritten"
    expected = snapshot(expected_tree)

    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    chance = random.Random(SEED)
    stops = [(0, signal.SIGINT)] + [
        (chance.randint(1, max(1, total // 3)), chance.choice([signal.SIGKILL, signal.SIGINT, signal.SIGTERM]))
        for _ in range(2)
    ]
    for writes, signal_number in stops:
        interrupt(tree, writes, signal_number)
        assert_runnable(tree)

    finished = migrate(tree)
    _, errors = finished.communicate(timeout=600)
    assert finished.returncode == 0, errors
    assert_runnable(tree)
    leftovers = [name for name in snapshot(tree) if name.endswith(".tmp")]
    assert leftovers == []
    got = snapshot(tree)
    differing = sorted(name for name in expected.keys() | got.keys() if expected.get(name) != got.get(name))
    assert differing == [], f"seed {SEED}: differs from an uninterrupted run: {differing[:5]}"
