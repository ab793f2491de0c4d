"""Which files a scan reads: `.gitignore` respected, virtualenvs, node_modules, build and vendored
trees, binary and huge files skipped, `--include`/`--exclude` globs applied, and a cheap byte
prefilter so only files that can hold a finding are parsed."""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


LAYER_PACKAGE = "segment_compat"
"""The compatibility layer `migrate apply` generates into a repository (`migrator.compat`): defined
here, where every walk of a tree looks, without importing what the layer is made of."""
LOOKUP_MODULE = "segment_ids"
"""The id lookup module `migrate apply` generates beside the code that reads it (`codemods.lookup`)."""
LAYER_REASON = f"`migrate apply` routes it through the compatibility layer ({LAYER_PACKAGE})"
"""How a judged finding says so (the judge writes it, the related pass reads it off a client)."""

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
        LAYER_PACKAGE,  # the compatibility layer `migrate apply` generates: this toolkit's code, not the user's
    }
)
VENDOR_DIRS = frozenset({"vendor", "node_modules"})
VENDORED_CLIENT = re.compile(r"segment-(?:config|apis)-go|segment-typescript-api")
"""Config API client libraries a repository may hold a copy of (Go's `vendor/`, a committed
`node_modules/`): the one part of a vendored tree that is a Config API use of the repository."""
VENDORED_REASON = (
    "a vendored copy of a Config API client library: do not edit it; it goes when the code importing it moves to "
    "the Public API SDK (then `go mod vendor`, or reinstall)"
)


def _vendored(folder: str, relative: str) -> list[tuple[str, str]]:
    """The Config client libraries inside a vendored folder (`vendor/github.com/<owner>/<name>`,
    `node_modules/<name>`), without walking the rest of it."""
    found: list[tuple[str, str]] = []
    for pattern in ("github.com/*/*", "*"):
        for path in glob.glob(os.path.join(glob.escape(folder), pattern)):
            name = os.path.basename(path)
            if VENDORED_CLIENT.fullmatch(name) and os.path.isdir(path):
                found.append((path, relative + "/" + os.path.relpath(path, folder).replace(os.sep, "/")))
    return found


def is_vendored(display: str) -> bool:
    return any(f"{folder}/" in display for folder in VENDOR_DIRS)


# A file can hold a finding only if it contains one of these (a Segment host or version prefix, the
# wrapper, a codemod marker, a token prefix, a Segment env name).
MARKERS = (
    b"segmentapis",
    b"v1beta",
    b"v1alpha",
    b"segment_config_api",
    LAYER_PACKAGE.encode() + b".",
    b"TODO(migrate",
    b"sgp_",
    b"SEGMENT",
    b'/segment"',
    b'provider "segment"',
    b'resource "segment_',
    b"segment-config-go",
    b"segment-apis-go",
    b"segment-typescript-api",
)
# Every marker contains one of these (checked by a test): a file without them holds no marker.
MARKER_PARTS = (b"egment", b"EGMENT", b"v1beta", b"v1alpha", b"sgp_", b"TODO(migrate")
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
    also_read: list[str] = field(default_factory=list)
    """Globs of files yielded though `include` leaves them out (not excluded, nor ignored), marked
    `Candidate.read_only`: what a run reads for what it knows (configuration files), not its work."""


Unreadable = Callable[[str, str], None]
"""Told of each file or folder a walk cannot read: its display name, and why."""


@dataclass
class Candidate:
    path: Path
    display: str
    read_only: bool = False
    """Selected by `WalkOptions.also_read` alone."""


def _spec(files: list[Path]) -> pathspec.GitIgnoreSpec | None:
    lines: list[str] = []
    for target in files:
        try:
            lines += target.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    if not lines:
        return None
    import pathspec  # only where there is a .gitignore: a tree without one never imports it

    return pathspec.GitIgnoreSpec.from_lines(lines)


class _Tracked:
    """What git tracks under a walk's root. An ignore rule keeps untracked files out of git, but a
    file committed all the same (an `example/` folder the author's .gitignore names) is part of the
    repository, and may call the Config API. Asked of git once, only when a rule first matches."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: set[str] | None = None
        self._folders: set[str] = set()

    def _load(self) -> set[str]:
        if self._files is None:
            try:
                listed = subprocess.run(
                    ["git", "-C", str(self.root), "ls-files", "-z"], capture_output=True, timeout=60, check=False
                )
            except (OSError, subprocess.TimeoutExpired):
                listed = None
            files = (
                listed.stdout.decode("utf-8", "surrogateescape").split("\0") if listed and not listed.returncode else []
            )
            self._files = {name for name in files if name}
            for name in self._files:
                parts = name.split("/")[:-1]
                for end in range(1, len(parts) + 1):
                    self._folders.add("/".join(parts[:end]))
        return self._files

    def file(self, relative: str) -> bool:
        return relative in self._load()

    def folder(self, relative: str) -> bool:
        self._load()
        return relative in self._folders


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


def walk(root: Path, options: WalkOptions, unreadable: Unreadable | None = None) -> Iterator[Candidate]:
    """Files under `root` (or `root` itself), in a stable order. One `scandir` per folder and no
    other system call per entry: ignore files and virtualenv markers are seen in the listing. A
    folder that cannot be listed, or an entry that cannot be examined, is told to `unreadable` (its
    display name, why): a walk that skips it without a word would pass for a complete one."""
    if root.is_file():
        yield Candidate(root, root.as_posix())
        return
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    stack: list[tuple[str, str, int]] = [(str(root), "", 0)]
    prefix = "" if str(root) == "." else root.as_posix().rstrip("/") + "/"
    excluding = bool(options.exclude)
    tracked = _Tracked(root)
    while stack:
        directory, relative, depth = stack.pop()
        del specs[depth:]
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            if unreadable is not None:
                unreadable((prefix + relative) if relative else root.as_posix(), f"cannot enter: {error.strerror}")
            continue
        names = {entry.name for entry in entries}
        if relative and "pyvenv.cfg" in names:
            continue  # a virtualenv
        if options.gitignore:
            sources = [Path(directory, ".gitignore")] if ".gitignore" in names else []
            if not relative and ".git" in names:
                sources.append(Path(directory, ".git", "info", "exclude"))
            spec = _spec([source for source in sources if source.name != "exclude" or source.exists()])
            if spec is not None:
                specs.append((relative, spec))
        children: list[tuple[str, str, int]] = []
        for entry in entries:
            name = entry.name
            child = f"{relative}/{name}" if relative else name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name in SKIPPED_DIRS or name.endswith(".egg-info"):
                        if name in VENDOR_DIRS:
                            children += [(found, inner, len(specs)) for found, inner in _vendored(entry.path, child)]
                        continue
                    if specs and _ignored(child, True, specs) and not tracked.folder(child):
                        continue
                    if excluding and any(fnmatch.fnmatch(child, glob.rstrip("/")) for glob in options.exclude):
                        continue
                    children.append((entry.path, child, len(specs)))
                elif entry.is_file(follow_symlinks=False):
                    dot = name.rfind(".")
                    if dot > 0 and name[dot:].lower() in BINARY_SUFFIXES:
                        continue
                    if specs and _ignored(child, False, specs) and not tracked.file(child):
                        continue
                    if (options.include or excluding) and not _selected(child, options):
                        if options.also_read and _selected(child, replace(options, include=options.also_read)):
                            yield Candidate(Path(entry.path), prefix + child, read_only=True)
                        continue
                    yield Candidate(Path(entry.path), prefix + child)
            except OSError as error:
                if unreadable is not None:
                    unreadable(prefix + child, f"cannot read: {error.strerror}")
                continue
        stack.extend(reversed(children))


# Second stage, for files that pass the first: evidence strong enough to be worth a parse.
EVIDENCE = re.compile(
    rb"platform\.segmentapis\.com|segment_config_api|"
    + LAYER_PACKAGE.encode()
    + rb"\.|TODO\(migrate|sgp_[A-Za-z0-9]{64}"
    rb"|v1(?:beta|alpha)/(?:workspaces|catalog|filters|access-tokens|installs)"
    rb'|/segment(?:-config)?"|provider\s+"segment"|resource\s+"segment_(?:source|destination|tracking_plan)|[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}|Bearer\s+[A-Za-z0-9_.~+/-]{20,}'
    rb"|segment-(?:config|apis)-go|['\"]segment-typescript-api",
    re.IGNORECASE,
)


def prefilter(data: bytes) -> bool:
    """Can this file hold a finding? Plain byte searches first (fast), then one regular expression.
    The first searches are the fewest each marker contains, so most files are dismissed in six."""
    return (
        any(part in data for part in MARKER_PARTS)
        and any(marker in data for marker in MARKERS)
        and EVIDENCE.search(data) is not None
    )


def holds_markers(path: Path, test: Callable[[bytes], bool] | None = None, chunk: int = 1 << 22) -> bool:
    """`test` (by default `prefilter`) over a file too large to read whole, a piece at a time (the
    pieces overlap, so a marker across two is still seen). Raises OSError."""
    test = test or prefilter
    overlap = 4096
    tail = b""
    with path.open("rb") as handle:
        while piece := handle.read(chunk):
            if test(tail + piece):
                return True
            tail = piece[-overlap:]
    return False


NATIVE_ENV = "SEGMENT_MIGRATOR_NO_GREP"


class NativeGrep:
    """The files holding a marker, found by the system's grep: one native pass over each file for
    all markers at once, where the Python prefilter reads every byte once per marker. Files are
    handed over as the walk finds them, and each full batch is grepped at once, so grep reads while
    the walk goes on. `marked()` is None when grep is not there or fails (an unreadable file, say):
    the caller then reads every file itself, and reports what it cannot read. Set
    SEGMENT_MIGRATOR_NO_GREP to always do that."""

    BATCH = 1000
    RUNNING = 2
    """Greps at once, at most: a huge tree must not start one process per thousand files."""

    def __init__(self, markers: tuple[bytes, ...] = MARKERS) -> None:
        self.markers = markers
        self.grep = None if os.environ.get(NATIVE_ENV) else shutil.which("grep")
        self.pending: list[str] = []
        self.running: list[subprocess.Popen[bytes]] = []
        self.found: set[Path] = set()
        self.failed = self.grep is None

    def add(self, path: Path) -> None:
        if not self.failed:
            self.pending.append(str(path))
            if len(self.pending) >= self.BATCH:
                self._start()

    def marked(self) -> set[Path] | None:
        if self.pending and not self.failed:
            self._start()
        while self.running:
            self._finish()
        return None if self.failed else self.found

    def _finish(self) -> None:
        process = self.running.pop(0)
        listed, _ = process.communicate()
        if process.returncode not in (0, 1):
            self.failed = True
        self.found.update(Path(os.fsdecode(name)) for name in listed.split(b"\0") if name)

    def _start(self) -> None:
        assert self.grep is not None
        if len(self.running) >= self.RUNNING:
            self._finish()
        patterns = [argument for marker in self.markers for argument in ("-e", os.fsdecode(marker))]
        environment = {**os.environ, "LC_ALL": "C"}  # bytes, not characters: no file is "binary" for its encoding
        try:
            self.running.append(
                subprocess.Popen(
                    [self.grep, "-l", "-F", "--null", *patterns, "--", *self.pending],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=environment,
                )
            )
        except OSError:
            self.failed = True
        self.pending = []


def files_holding(paths: list[Path], words: tuple[bytes, ...]) -> list[Path]:
    """The files among `paths` holding one of `words`: a native grep, else each file read here (a
    file that cannot be read holds nothing)."""
    grep = NativeGrep(words)
    for path in paths:
        grep.add(path)
    marked = grep.marked()
    if marked is not None:
        return [path for path in paths if path in marked]
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(word in data for word in words):
            found.append(path)
    return found


def text_of(path: Path) -> str | None:
    """A file's text for the cross-file passes (undecodable bytes replaced), None when it cannot
    be read: the walk has reported such a file already."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
