"""What `scan` found in a file, remembered by the file's content (as Ruff's cache does).

CI runs `migrate scan` on every push, over a tree that barely changes: a file whose bytes, name kind
and scanner are the same as last time gives the same findings without being parsed. The key is a
hash of the content, the extension and whether it is a test; the cache file is per scanned root and
per version of the scanner (its code and the map), so a new release or an edited map never serves
stale findings. Findings are already redacted, so the cache holds no token. A cache that cannot be
read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import replace
from pathlib import Path

from migrator.caching import SCAN_PREFIX, cache_folder
from migrator.output import atomic_write_bytes

from .findings import FileError, Finding

Outcome = tuple[list[Finding], FileError | None, int, bool]
_HERE = Path(__file__).resolve().parent
# The map's folder and its override variable, as mappings.loader has them: importing the loader
# would cost a cached scan time it otherwise never spends.
MAP_ENV = "SEGMENT_MIGRATOR_MAPPINGS"
MAPPINGS_HERE = _HERE.parent.parent / "mappings"


UNRELATED = ("demo", "emulator", "routing_site")
"""Folders of `migrator` no scan runs: their code never decides a finding."""


def decisive_files(judge: str | None = None) -> list[Path]:
    """What decides the findings: the toolkit's code (the scanner, the analysis it is built on, the
    modules it and the judge read through) and the map, code and data, and the code of the judge
    that rules on them (a package beside `migrator`, found without importing it). Every module
    of the toolkit, rather than a list of those that matter today, which would go stale."""
    toolkit = _HERE.parent
    mappings = Path(os.environ.get(MAP_ENV) or MAPPINGS_HERE)
    files = [path for path in toolkit.rglob("*.py") if path.relative_to(toolkit).parts[0] not in UNRELATED]
    files += [*mappings.glob("*.toml"), *MAPPINGS_HERE.glob("*.py")]
    if judge:
        files += (_HERE.parent.parent / judge.split(".")[0].split(":")[0]).rglob("*.py")
    return sorted(files)


def _version(judge: str | None = None) -> str:
    digest = hashlib.blake2b(digest_size=12)
    if judge:
        digest.update(judge.encode())
    for path in decisive_files(judge):
        try:
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:
            digest.update(str(path).encode())
    return digest.hexdigest()


def content_key(data: bytes, display: str, is_test: bool) -> bytes:
    name = os.path.basename(display).lower()
    suffix = os.path.splitext(name)[1] or name  # Makefile, Dockerfile: the name says the language
    return hashlib.blake2b(data + b"\0" + suffix.encode() + (b"\1" if is_test else b"\0"), digest_size=16).digest()


class ScanCache:
    def __init__(self, roots: list[Path], judge: str | None = None) -> None:
        scope = hashlib.blake2b("\0".join(str(root.resolve()) for root in roots).encode(), digest_size=8)
        self.path = cache_folder() / f"{SCAN_PREFIX}{_version(judge)}-{scope.hexdigest()}.pickle"
        self.entries: dict[bytes, Outcome] = {}
        self.used: dict[bytes, Outcome] = {}
        try:
            loaded = pickle.loads(self.path.read_bytes())
            if isinstance(loaded, dict):
                self.entries = loaded
        except Exception:  # absent, unreadable or from another build: start empty
            self.entries = {}

    def get(self, key: bytes, display: str) -> Outcome | None:
        stored = self.entries.get(key)
        if stored is None:
            return None
        self.used[key] = stored
        findings, problem, size, parsed = stored
        return (
            [replace(finding, file=display) for finding in findings],
            replace(problem, file=display) if problem is not None else None,
            size,
            parsed,
        )

    def put(self, key: bytes, outcome: Outcome) -> None:
        findings, problem, size, parsed = outcome
        self.used[key] = (
            [replace(finding, file="") for finding in findings],
            replace(problem, file="") if problem is not None else None,
            size,
            parsed,
        )

    def save(self) -> None:
        """Keep the entries of this run only, so the file stays the size of the tree's hits."""
        if self.used == self.entries:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
