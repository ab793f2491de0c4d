"""`migrate apply --diff` is coloured for a person at a terminal and exact for a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from migrator.output import coloured_patch

from .helpers import LEGACY_MODULE, ROOT

ESCAPE = re.compile(rb"\x1b\[[0-9;]*m")


def test_colouring_adds_escapes_and_nothing_else():
    patch = b"--- a/f.py\r\n+++ b/f.py\r\n@@ -1 +1 @@\r\n-old = 1\r\n+new = 1\r\n context\n"
    coloured = coloured_patch(patch)
    assert ESCAPE.sub(b"", coloured) == patch
    assert b"\x1b[32m+new = 1\x1b[0m\r\n" in coloured and b"\x1b[31m-old = 1\x1b[0m\r\n" in coloured


def _legacy(tmp_path: Path) -> Path:
    (tmp_path / "jobs.py").write_text(LEGACY_MODULE)
    return tmp_path


def _colour_allowed() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "NO_COLOR"}


def test_a_pipe_gets_the_plain_patch(tmp_path: Path):
    """No NO_COLOR here: the pipe alone keeps the patch plain, as `git apply` needs it."""
    result = subprocess.run(
        [sys.executable, "-m", "migrator", "apply", str(_legacy(tmp_path)), "--diff", "-q"],
        capture_output=True,
        cwd=ROOT,
        env=_colour_allowed(),
        check=False,
    )
    assert result.returncode == 0 and b"+++ b/" in result.stdout
    assert b"\x1b[" not in result.stdout


def test_no_color_keeps_even_a_terminal_plain(tmp_path: Path):
    assert b"\x1b[" not in _on_a_terminal(_legacy(tmp_path), {**_colour_allowed(), "NO_COLOR": "1"})


def test_a_terminal_gets_it_coloured(tmp_path: Path):
    received = _on_a_terminal(_legacy(tmp_path), _colour_allowed())
    assert b"\x1b[32m+" in received and b"\x1b[31m-" in received


def _on_a_terminal(folder: Path, environment: dict[str, str]) -> bytes:
    parent, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "migrator", "apply", str(folder), "--diff", "-q"],
        stdout=child,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=environment,
    )
    os.close(child)
    received = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        received += chunk
    assert process.wait(timeout=120) == 0
    os.close(parent)
    return received
