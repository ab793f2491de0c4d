"""Where output goes: people get rich text on stderr, machines get the chosen format on stdout or a
file written atomically (a crash never leaves half a file)."""

from __future__ import annotations

import functools
import os
import stat
import sys
import tempfile
import threading
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


@functools.cache
def _new_file_mode() -> int:
    """What `open()` would give a new file: 0666 less the umask (mkstemp's own 0600 is for secrets,
    and these are the user's files). The umask can only be read by setting it, once, at first use."""
    with _UMASK_LOCK:
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


_UMASK_LOCK = threading.Lock()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """`data` to `path` through a temporary file in the same folder and a rename; an existing file
    keeps its mode, a new one gets the mode a plain write would give it."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = _new_file_mode()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(descriptor, mode)
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
