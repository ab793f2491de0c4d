"""Which files a scan reads: `.gitignore` respected, virtualenvs, node_modules, build and vendored
trees, binary and huge files skipped, `--include`/`--exclude` globs applied, and a cheap byte
prefilter so only files that can hold a finding are parsed."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        ".eggs",
        "vendor",
        "_vendor",
        "third_party",
        ".terraform",
        "site-packages",
        ".next",
        ".cache",
    }
)
# A file can hold a finding only if it contains one of these (a Segment host or version prefix, the
# wrapper, a codemod marker, a token prefix, a Segment env name).
MARKERS = (
    b"segmentapis",
    b"v1beta",
    b"v1alpha",
    b"segment_config_api",
    b"TODO(migrate",
    b"sgp_",
    b"SEGMENT",
    b'/segment"',
    b'provider "segment"',
)
BINARY_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".ico",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".whl",
        ".so",
        ".dylib",
        ".dll",
        ".exe",
        ".pyc",
        ".pyo",
        ".class",
        ".jar",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".mp4",
        ".mp3",
        ".db",
        ".sqlite",
        ".bin",
        ".o",
        ".a",
        ".npy",
        ".pkl",
    }
)


@dataclass
class WalkOptions:
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    gitignore: bool = True
    max_bytes: int = 2_000_000


@dataclass
class Candidate:
    path: Path
    display: str


def _spec(directory: Path) -> pathspec.GitIgnoreSpec | None:
    lines: list[str] = []
    for name in (".gitignore", ".git/info/exclude"):
        target = directory / name
        if target.is_file():
            try:
                lines += target.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


def _ignored(relative: str, is_dir: bool, specs: list[tuple[str, pathspec.GitIgnoreSpec]]) -> bool:
    for base, spec in specs:
        if base and not relative.startswith(base + "/"):
            continue
        inner = relative[len(base) + 1 :] if base else relative
        if spec.match_file(inner + ("/" if is_dir else "")):
            return True
    return False


def _selected(relative: str, options: WalkOptions) -> bool:
    if options.include and not any(
        fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(os.path.basename(relative), glob) for glob in options.include
    ):
        return False
    return not any(
        fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(relative, glob.rstrip("/") + "/*")
        for glob in options.exclude
    )


def walk(root: Path, options: WalkOptions) -> Iterator[Candidate]:
    """Files under `root` (or `root` itself), in a stable order."""
    if root.is_file():
        yield Candidate(root, root.as_posix())
        return
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    stack: list[tuple[Path, str, int]] = [(root, "", 0)]
    while stack:
        directory, relative, depth = stack.pop()
        del specs[depth:]
        if options.gitignore:
            spec = _spec(directory)
            if spec is not None:
                specs.append((relative, spec))
        if (directory / "pyvenv.cfg").exists() and relative:
            continue
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        children: list[tuple[Path, str, int]] = []
        for entry in entries:
            name = entry.name
            child = f"{relative}/{name}" if relative else name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name in SKIPPED_DIRS or name.endswith(".egg-info"):
                        continue
                    if options.gitignore and _ignored(child, True, specs):
                        continue
                    if any(fnmatch.fnmatch(child, glob.rstrip("/")) for glob in options.exclude):
                        continue
                    children.append((Path(entry.path), child, len(specs)))
                elif entry.is_file(follow_symlinks=False):
                    if os.path.splitext(name)[1].lower() in BINARY_SUFFIXES:
                        continue
                    if options.gitignore and _ignored(child, False, specs):
                        continue
                    if _selected(child, options):
                        yield Candidate(Path(entry.path), (root / child).as_posix() if str(root) != "." else child)
            except OSError:
                continue
        stack.extend(reversed(children))


def prefilter(data: bytes) -> bool:
    return any(marker in data for marker in MARKERS)
