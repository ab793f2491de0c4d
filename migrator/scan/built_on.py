"""Requests a Python module builds on what another module of the repository defines, though it
names no Config URL itself:

- a subclass of a class holding the Config URL: `class Destinations(Resource)` in `destinations.py`
  calls `requests.patch(self._url(...))`, where `Resource` in `base.py` has `API =
  "https://platform..."` and `_url` joins the path onto it;
- a call of a function returning a Config URL: `requests.get(sources_url(ws))`, where `urls.py`
  has `def sources_url(ws): return f"{BASE}/workspaces/{ws}/sources"`.

The module is read with what it builds on after its own code (so every finding keeps its place: a
subclassed class's statement, or the whole module defining the functions, with the constants they
read), and judged as `migrate apply` plans it (the repository model tells apply the same:
`ConfigConstants.classes` and its URL functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.repository import (
    TOP_LEVEL_DEF,
    ConfigConstants,
    aliased_imports,
    classes_holding,
    config_patterns,
    from_imports,
    module_name,
    subclasses,
    tails,
    top_level_blocks,
    url_functions,
)

from .findings import Finding

if TYPE_CHECKING:
    from .python import PythonScanner

FUTURE = re.compile(r"^from[ \t]+__future__[ \t]+import[^\n]*$", re.MULTILINE)
"""Allowed only at a module's top: the module appended drops it (its names mean nothing to a scan)."""


def names_built_on(text: str, constants: ConfigConstants) -> set[str]:
    """What a module defines that others build Config requests on: its classes holding a Config
    URL and its functions returning one (built on a Config constant of `constants` it imports too)."""
    patterns = config_patterns()
    builders = url_functions(text, patterns, constants.read_in(text))
    return {name for name, _body in classes_holding(text, patterns)} | builders


def built_on_requests(
    defining: Iterable[tuple[Path, str]],
    importers: Iterable[tuple[str, str]],
    known: set[tuple[str, int]],
    scanner: PythonScanner,
    constants: ConfigConstants | None = None,
) -> list[Finding]:
    """The calls and URLs found in each of `importers` (display, text) that subclasses a class
    holding the Config URL, or imports a function returning one, of the `defining` modules (path,
    text); those in `known` (file, line) left out. `constants`: the repository's Config constants,
    for functions built on one a defining module imports (read with its value bound after it)."""
    patterns = config_patterns()
    values = dict(constants.values) if constants is not None else {}
    sources: dict[str, str] = {}
    """What an import of each such class or function (every tail of its dotted name of two parts or
    more) is read with: the class's statement, or the function's whole module."""
    functions: dict[str, str] = {}
    """Each such function's statement, by the same names: read again under the name an import gives it."""
    modules: dict[str, tuple[str, dict[str, str]]] = {}
    """Each module defining such functions, by every tail of its dotted name: its text, and the
    functions' statements by name (`from kit import urls`, then `urls.sources_url(ws)`)."""
    for path, text in defining:
        module = module_name(path)
        whole = FUTURE.sub("", text)
        for name, class_source in classes_holding(text, patterns):
            sources.update((tail, class_source) for tail in tails(f"{module}.{name}", 2))
        reads = constants.read_in(text) if constants is not None else {}
        whole += "".join(_binding(read, name, values) for read, name in sorted(reads.items()))
        builders = url_functions(text, patterns, reads)
        for name, function in top_level_blocks(text, TOP_LEVEL_DEF):
            if name in builders:
                sources.update((tail, whole) for tail in tails(f"{module}.{name}", 2))
                functions.update((tail, function) for tail in tails(f"{module}.{name}", 2))
                for tail in tails(module):
                    modules.setdefault(tail, (whole, {}))[1][name] = function
    if not sources:
        return []
    found: list[Finding] = []
    for display, text in importers:
        appended: list[str] = []
        read_as, through_module = _read_through_modules(text, modules)
        appended += through_module
        for statement in from_imports(text):
            for imported in statement.names:
                dotted = statement.dotted(imported)
                source = sources.get(dotted)
                if source is None or (dotted not in functions and not subclasses(text, imported.local)):
                    continue
                if source not in appended:
                    appended.append(source)
                if imported.local != imported.name:  # read under the name it is imported as
                    appended.append(
                        re.sub(rf"^(def[ \t]+){imported.name}\b", rf"\g<1>{imported.local}", functions[dotted])
                        if dotted in functions
                        else f"{imported.local} = {imported.name}"
                    )
        if appended:
            found += _read_after(display, text, read_as, appended, known, scanner)
    return found


def _binding(read: str, name: str, values: dict[str, str]) -> str:
    """A line binding what a module reads constant `name` as to its value: `API = "..."`, or `class
    settings: BASE = "..."` for a read through its module."""
    if name not in values:
        return ""
    holder, _, local = read.rpartition(".")
    return f"\nclass {holder}: {local} = {values[name]!r}" if holder else f"\n{read} = {values[name]!r}"


def _read_through_modules(text: str, modules: dict[str, tuple[str, dict[str, str]]]) -> tuple[str, list[str]]:
    """The module's text with each call of a URL function through its module (`urls.sources_url(`)
    made a call of a function of the same length of name (`urls_sources_url(`, so every finding keeps
    its place), and what to read after it: the defining module and those functions so named."""
    appended: list[str] = []
    for statement in [*from_imports(text), *aliased_imports(text)]:
        for imported in statement.names:
            dotted = statement.dotted(imported)
            defined = modules.get(dotted)
            if defined is None:
                continue
            whole, builders = defined
            for name, function in builders.items():
                read = re.compile(rf"(?<![\w.]){re.escape(imported.local)}\.{re.escape(name)}\b")
                if not read.search(text):
                    continue
                joined = f"{imported.local}_{name}"
                text = read.sub(joined, text)
                if whole not in appended:
                    appended.append(whole)
                appended.append(re.sub(rf"^(def[ \t]+){re.escape(name)}\b", rf"\g<1>{joined}", function))
    return text, appended


def _read_after(
    display: str, text: str, read_as: str, appended: list[str], known: set[tuple[str, int]], scanner: PythonScanner
) -> list[Finding]:
    """The findings of `text` read as `read_as` (its calls through a module renamed, on the same
    lines) with `appended` after it, shown on the lines as they are written."""
    lines = text.splitlines()
    read_as = "\n\n".join([read_as.rstrip("\n"), *appended])
    try:
        rescanned = scanner.scan(display, read_as)
    except Exception:  # the module as it is was parsed already; a failure here only loses detail
        return []
    from migrator import scan

    judged = scan.judged(display, read_as, rescanned)
    return [
        replace(finding, snippet=lines[finding.line - 1].strip()[:200])
        for finding in judged
        if finding.kind in ("call", "url") and finding.line <= len(lines) and (finding.file, finding.line) not in known
    ]
