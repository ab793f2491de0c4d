"""Requests a Python module sends on a class of another module that holds the Config URL: `class
Destinations(Resource)` in `destinations.py` calls `requests.patch(self._url(...))`, where
`Resource` in `base.py` has `API = "https://platform..."` and `_url` joins the path onto it. The
subclass's module names no Config URL; read with the class it builds on after its own code (so every
finding keeps its place), it does, and is judged as `migrate apply` plans it (the repository model
tells apply the same: `ConfigConstants.classes`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.repository import classes_holding, config_patterns, from_imports, module_name, subclasses, tails

from .findings import Finding

if TYPE_CHECKING:
    from .python import PythonScanner


def subclass_requests(
    defining: Iterable[tuple[Path, str]],
    importers: Iterable[tuple[str, str]],
    known: set[tuple[str, int]],
    scanner: PythonScanner,
) -> list[Finding]:
    """The calls and URLs found in each of `importers` (display, text) that subclasses a class
    holding the Config URL of one of the `defining` modules (path, text), and are not in `known`
    (file, line)."""
    patterns = config_patterns()
    sources: dict[str, str] = {}
    """Each such class's dotted name (every tail of two parts or more) -> its source."""
    for path, text in defining:
        for name, source in classes_holding(text, patterns):
            for tail in tails(f"{module_name(path)}.{name}", 2):
                sources[tail] = source
    if not sources:
        return []
    found: list[Finding] = []
    for display, text in importers:
        built_on = [
            sources[dotted]
            for statement in from_imports(text)
            for name in statement.names
            if (dotted := f"{statement.module.lstrip('.')}.{name.name}".lstrip(".")) in sources
            and subclasses(text, name.local)
        ]
        if built_on:
            found += _read_after(display, text, built_on, known, scanner)
    return found


def _read_after(
    display: str, text: str, classes: list[str], known: set[tuple[str, int]], scanner: PythonScanner
) -> list[Finding]:
    lines = text.count("\n") + 1
    read_as = "\n\n".join([text.rstrip("\n"), *classes])
    try:
        rescanned = scanner.scan(display, read_as)
    except Exception:  # the module as it is was parsed already; a failure here only loses detail
        return []
    from migrator import scan

    judged = scan.judged(display, read_as, rescanned)
    return [
        finding
        for finding in judged
        if finding.kind in ("call", "url") and finding.line <= lines and (finding.file, finding.line) not in known
    ]
