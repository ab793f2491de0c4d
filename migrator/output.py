"""Where output goes: people get rich text on stderr, machines get the chosen format on stdout or a
file written atomically (a crash never leaves half a file)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def stderr_console(no_color: bool = False, quiet: bool = False) -> Console:
    from rich.console import Console  # rich only where people are shown something

    return Console(
        stderr=True,
        no_color=no_color or "NO_COLOR" in os.environ,
        quiet=quiet,
        highlight=False,
    )


def stdout_console(no_color: bool = False) -> Console:
    # Piped output is read in files and CI logs: wide rows beat rows folded at 80 columns.
    width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160
    from rich.console import Console

    return Console(no_color=no_color or "NO_COLOR" in os.environ, highlight=False, soft_wrap=False, width=width)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def emit(text: str, output: Path | None) -> None:
    """Machine output: to `output` atomically, else to stdout."""
    if output is not None:
        atomic_write(output, text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
