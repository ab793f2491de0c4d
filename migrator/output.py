"""Where output goes: people get rich text on stderr, machines get the chosen format on stdout or a
file written atomically (a crash never leaves half a file)."""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputError

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
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:  # a missing or read-only folder: one line, never a traceback
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:  # a full disk, a target that is a folder
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_writable(path: Path) -> None:
    """Fail now, in one line, if `path` cannot be written later (before work whose result goes there)."""
    folder = Path(path).parent if str(Path(path).parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write (no folder {folder})")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{path}: cannot write (the folder {folder} is read-only)")


def emit(text: str, output: Path | None) -> None:
    """Machine output: to `output` atomically, else to stdout."""
    if output is not None:
        atomic_write(output, text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()


_PATCH_COLOURS = (
    (b"+++", b"\x1b[1m"),
    (b"---", b"\x1b[1m"),
    (b"@@", b"\x1b[36m"),
    (b"+", b"\x1b[32m"),
    (b"-", b"\x1b[31m"),
)


def coloured_patch(patch: bytes) -> bytes:
    """A patch for a person at a terminal, coloured as `git diff` does (headers bold, hunks cyan,
    additions green, removals red). Each line keeps its own bytes and ending: only escapes are added."""
    lines = patch.splitlines(keepends=True)
    out = []
    for line in lines:
        colour = next((code for prefix, code in _PATCH_COLOURS if line.startswith(prefix)), None)
        if colour is None or line.startswith(b"diff --git"):
            out.append(line)
            continue
        body = line.rstrip(b"\r\n")
        out.append(colour + body + b"\x1b[0m" + line[len(body) :])
    return b"".join(out)


def patch_for(patch: bytes, no_color: bool) -> bytes:
    """The patch as stdout should get it: coloured only on a terminal, and never with NO_COLOR,
    so that a pipe or a file (`> change.patch`, `| git apply`) gets exactly the patch."""
    if no_color or "NO_COLOR" in os.environ or not sys.stdout.isatty():
        return patch
    return coloured_patch(patch)


def _file_parts(patch: bytes) -> Iterator[bytes]:
    """The patch cut before each `diff --git` line: each file's part (and any text before the first)."""
    start = 0
    while True:
        found = patch.find(b"\ndiff --git ", start)
        if found < 0:
            yield patch[start:]
            return
        yield patch[start : found + 1]
        start = found + 1


def _holds_secret(line: bytes, redact: Callable[[str], str]) -> bool:
    text = line.decode("utf-8", "surrogateescape")
    return redact(text) != text


_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _hunks_around(part: bytes, secret: Callable[[bytes], bool]) -> bytes | None:
    """A file's part of the patch with every context line that holds a secret left out: its hunk
    is cut there (in two where it stood between two changes). git places a hunk by the context
    after its last change, so None when a secret is on a changed line or right after one: that
    part can only be shown redacted."""
    lines = part.splitlines(keepends=True)
    start = next((index for index, line in enumerate(lines) if line.startswith(b"@@")), None)
    if start is None:
        return None
    out = lines[:start]
    index = start
    while index < len(lines):
        header = _HUNK.match(lines[index])
        if header is None:
            return None
        old_line = int(header.group(1)) + (header.group(2) == b"0")
        new_line = int(header.group(3)) + (header.group(4) == b"0")
        index += 1
        runs: list[list[tuple[bytes, int, int]]] = [[]]
        while index < len(lines) and not lines[index].startswith(b"@@"):
            line, mark = lines[index], lines[index][:1]
            index += 1
            if mark == b"\\":  # "no newline at end of file": belongs to the line before
                runs[-1].append((line, old_line, new_line))
                continue
            if secret(line):
                marks = [entry[0][:1] for entry in runs[-1] if entry[0][:1] != b"\\"]
                if mark != b" " or (marks and marks[-1] != b" "):
                    return None
                runs.append([])
            else:
                runs[-1].append((line, old_line, new_line))
            old_line += mark in (b" ", b"-")
            new_line += mark in (b" ", b"+")
        for run in runs:
            if not any(entry[0][:1] in (b"-", b"+") for entry in run):
                continue
            olds = sum(entry[0][:1] in (b" ", b"-") for entry in run)
            news = sum(entry[0][:1] in (b" ", b"+") for entry in run)
            first_old, first_new = run[0][1], run[0][2]
            out.append(b"@@ -%d,%d +%d,%d @@\n" % (first_old - (olds == 0), olds, first_new - (news == 0), news))
            out.extend(entry[0] for entry in run)
    return b"".join(out)


def redacted_patch(patch: bytes) -> tuple[bytes, list[str]]:
    """The patch with hard-coded secrets redacted in every line (a diff printed in a CI log must not
    carry a token), and the files whose part of it changed: those parts no longer apply."""
    from .scan.secrets import redact
    from .scan.walk import LAYER_PACKAGE, LOOKUP_MODULE

    out: list[bytes] = []
    touched: list[str] = []
    for section in _file_parts(patch):
        first = section.split(b"\n", 1)[0]
        current = first.split(b" b/", 1)[-1].rstrip(b"\r").decode("utf-8", "replace") if first else ""
        # The modules apply generates hold ids, never a secret: most of a large patch, left as is.
        if f"{LAYER_PACKAGE}/" in current or current.endswith(f"{LOOKUP_MODULE}.py"):
            out.append(section)
            continue
        # No secret pattern spans lines, so a file's part without one anywhere has none in a line.
        text = section.decode("utf-8", "surrogateescape")
        if redact(text) == text:
            out.append(section)
            continue
        around = _hunks_around(section, lambda line: _holds_secret(line, redact))
        if around is not None:
            out.append(around)
            continue
        for line in section.splitlines(keepends=True):
            text = line.decode("utf-8", "surrogateescape")
            cleaned = redact(text)
            if cleaned != text and current not in touched:
                touched.append(current)
            out.append(cleaned.encode("utf-8", "surrogateescape"))
    return b"".join(out), touched
