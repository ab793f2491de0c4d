"""JavaScript and TypeScript modules that reach the Config API through what another module of the
repository exports: the relative imports between them, and the Config base URL constants imported
(`import { SEGMENT_API } from "./config"`, `const { SEGMENT_API } = require("./config")`,
`import config from "./config"` read as `config.SEGMENT_API`), whose importers build their requests
on a host their own text never names.

An importer is read again with each import of a constant standing for the constant's value, on the
same line (so every finding keeps its place), as the scan reads a module that holds its host."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from migrator.analysis.holes import HOLE

from .findings import Finding
from .walk import text_of

SUFFIXES = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx")
RELATIVE_IMPORT = re.compile(r"""(?:\bfrom\s+|\brequire\(\s*)['"](\.{1,2}/[^'"]+)['"]""")

BASE_CONSTANT = re.compile(
    r"""(?:^|[\s,{(])([A-Za-z_$][\w$]*)["']?\s*[:=]\s*["'`]((?:https?:)?//platform\.segmentapis\.com[^"'`\s]*)["'`]""",
    re.MULTILINE,
)
"""`export const API = "https://platform.segmentapis.com/v1beta"`, or `API: "..."` in an exported object."""

NAMED_IMPORT = re.compile(
    r"""^[ \t]*import\s+(?:type\s+)?(?:[A-Za-z_$][\w$]*\s*,\s*)?\{([^}]*)\}\s*from\s*['"](\.{1,2}/[^'"]+)['"]""",
    re.MULTILINE,
)
"""`import { API } from "./config"` (a default import before it too): the names, the module."""
NAMED_REQUIRE = re.compile(
    r"""^[ \t]*(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)""", re.MULTILINE
)
"""`const { API } = require("./config")`: the names, the module."""
WHOLE_IMPORT = re.compile(
    r"""^[ \t]*(?:import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s*(?:,\s*\{[^}]*\})?\s+from|(?:const|let|var)\s+"""
    r"""([A-Za-z_$][\w$]*)\s*=\s*require\()\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""",
    re.MULTILINE,
)
"""`import config from "./config"` (named imports after it too), `const config = require("./config")`:
the local name (the first group or the second), the module."""


def targets(path: Path, specifier: str, by_path: dict[str, str]) -> str | None:
    """The repository module (its display) a relative import `specifier` in the file at `path` is."""
    target = os.path.normpath(os.path.join(str(path.parent), specifier))
    for candidate in (
        target,
        *(target + suffix for suffix in SUFFIXES),
        *(os.path.join(target, "index" + suffix) for suffix in SUFFIXES),
    ):
        if candidate in by_path:
            return by_path[candidate]
    return None


def relative_targets(path: Path, text: str, by_path: dict[str, str]) -> Iterator[str]:
    """The repository's modules a JavaScript or TypeScript module imports by a relative path."""
    for match in RELATIVE_IMPORT.finditer(text):
        found = targets(path, match.group(1), by_path)
        if found is not None:
            yield found


def constant_importers(found: list[Finding], by_display: dict[str, Path], flagged: set[str]) -> list[Finding]:
    """The findings of the unflagged script modules that import a Config base constant another
    module exports: the import, and the requests built on it."""
    defined: dict[str, dict[str, str]] = {}
    """A defining module's display -> its constants' names -> their URLs."""
    for display in sorted({f.file for f in found if f.kind in ("base_url", "url") and f.file.endswith(SUFFIXES)}):
        path = by_display.get(display)
        text = text_of(path) if path is not None else None
        constants = dict(BASE_CONSTANT.findall(text)) if text is not None else {}
        if constants:
            defined[display] = constants
    if not defined:
        return []
    names = {name for constants in defined.values() for name in constants}
    by_path = {str(path): display for display, path in by_display.items() if display.endswith(SUFFIXES)}
    result: list[Finding] = []
    for display, path in by_display.items():
        if display in flagged or display in defined or not display.endswith(SUFFIXES):
            continue
        text = text_of(path)
        if text is None or not any(name in text for name in names) or "segmentapis" in text:
            continue
        result += _importer(display, path, text, defined, by_path)
    return result


def _importer(
    display: str, path: Path, text: str, defined: dict[str, dict[str, str]], by_path: dict[str, str]
) -> list[Finding]:
    from .text import language_of, scan_text

    lines = text.split("\n")
    imports: list[Finding] = []
    language = language_of(display)
    for pattern in (NAMED_IMPORT, NAMED_REQUIRE, WHOLE_IMPORT):
        for match in pattern.finditer(text):
            specifier = match.group(match.lastindex or 0)
            module = targets(path, specifier, by_path)
            constants = defined.get(module) if module is not None else None
            if not constants:
                continue
            if pattern is WHOLE_IMPORT:
                local = match.group(1) or match.group(2)
                if not re.search(rf"(?<![\w$.]){re.escape(local)}\.(?:{'|'.join(map(re.escape, constants))})\b", text):
                    continue
                standing = f"const {local} = {json.dumps(constants)};"
                named = f"`{local}`, a module whose `{sorted(constants)[0]}` is a Config API URL"
            else:
                bound = bound_names(match.group(1), pattern is NAMED_REQUIRE)
                values = {local: constants[name] for name, local in bound if name in constants}
                if not values:
                    continue
                standing = " ".join(f"const {local} = {json.dumps(url)};" for local, url in values.items())
                named = ", ".join(f"`{local}`" for local in values) + ", a Config API URL another module defines"
            first = text.count("\n", 0, match.start())
            last = text.count("\n", 0, match.end())
            lines[first] = standing
            for number in range(first + 1, last + 1):
                lines[number] = ""
            imports.append(
                Finding(
                    kind="base_url",
                    file=display,
                    line=first + 1,
                    column=1,
                    language=language,
                    message=f"imports {named} ({module})",
                    fixability="manual",
                    confidence="high",
                    reason="the requests built on it go to the Config API: move them with the module that defines it",
                    snippet=text.split("\n")[first].strip()[:200],
                )
            )
    if not imports:
        return []
    taken = {finding.line for finding in imports}
    calls = [
        finding
        for finding in scan_text(display, "\n".join(lines), language)
        if finding.kind in ("call", "url") and finding.line not in taken
    ]
    return imports + calls


def bound_names(names: str, destructured: bool) -> list[tuple[str, str]]:
    """(imported name, local name) of `{ A, B as C }` (an import) or `{ A, B: C }` (a destructuring)."""
    bound = []
    for part in names.split(","):
        part = part.strip()
        if not part:
            continue
        name, _, local = part.partition(":" if destructured else " as ")
        bound.append((name.strip(), (local or name).strip()))
    return bound


_BASE_VALUE = re.compile(
    r"""(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*(?:process\.env\.\w+\s*(?:\|\||\?\?)\s*)?"""
    r"""["'`]((?:https?:)?//[^"'`\s]+)["'`]"""
)
"""`const SEGMENT_API = process.env.SEGMENT_API || "https://platform.segmentapis.com/v1beta"`."""
_FIELD_VALUE = re.compile(
    r"""^[ \t]+(?:(?:private|public|protected|readonly|static)[ \t]+)*([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]+)?=[ \t]*"""
    r"""["'`]((?:https?:)?//[^"'`\s]+)["'`]""",
    re.MULTILINE,
)
"""A class field holding the base (`private readonly baseUrl = "https://platform..."`), read as `this.baseUrl`."""
_FUNCTION = re.compile(
    r"""^[ \t]*(?:export[ \t]+)?(?:async[ \t]+)?function[ \t]*\*?[ \t]*([A-Za-z_$][\w$]*)[ \t]*\(([^)]*)\)"""
    r"""|^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]+)?=[ \t]*"""
    r"""(?:async[ \t]*)?\(([^)]*)\)[ \t]*(?::[^=\n]+)?=>"""
    r"""|^[ \t]+(?:(?:public|private|protected|static|async)[ \t]+)*(?!(?:if|for|while|switch|catch|return)\b)"""
    r"""([A-Za-z_$][\w$]*)[ \t]*(?:<[^>\n]*>)?[ \t]*\(([^)]*)\)[ \t]*(?::[^{\n]+)?\{""",
    re.MULTILINE,
)
"""A function (`function request(...)`, `const request = async (...) =>`) or a class method
(`private async send<T>(method, path)`)."""
_TEMPLATE_TAIL = re.compile(r"`([^`]*)\$\{\s*([A-Za-z_$][\w$]*)\s*\}`")
_METHOD_WORDS = ("method", "verb")


def _chokepoint(display: str, text: str, offset: int, base: str) -> Finding | None:
    """The request a script client's request function makes for every call of it (at `offset` of
    `text`), on its `base` with the path it is handed after it."""
    from .endpoints import classify, readable
    from .text import shape_of

    classified = classify(shape_of(base).rstrip("/") + "/" + HOLE, True)
    if not classified.config or classified.path is None:
        return None
    line = text.count("\n", 0, offset) + 1
    return Finding(
        kind="call",
        file=display,
        line=line,
        column=offset - text.rfind("\n", 0, offset),
        language="typescript" if display.endswith((".ts", ".tsx")) else "javascript",
        message="chokepoint: Config API calls go through this call",
        fixability="manual",
        confidence="high" if classified.host else "medium",
        path=readable(classified.path),
        reason="every call of this request function is a Config API request: change them with it "
        "(`migrate translate` shows each Public request)",
        snippet=text.split("\n")[line - 1].strip()[:200],
    )


def script_chokepoint_requests(
    found: list[Finding], by_display: dict[str, Path], settings: dict[str, dict[str, str]] | None = None
) -> list[Finding]:
    """The requests of a JavaScript or TypeScript client sent through a function of its own whose
    URL ends in its path parameter (`async function request(method, path, body) { fetch(`${API}/
    workspaces/${WS}/${path}`, { method, ... }) }`), at each call of it in the file spelling the path
    (`request('GET', 'sources')`), with their method and endpoint. `settings`: by file, names bound to
    a Config URL kept in configuration (`const API = process.env.SEGMENT_API_URL`), read as that URL."""
    from migrator.repository import config_patterns

    from .endpoints import classify, request_finding
    from .text import shape_of

    hosts = config_patterns().hosts

    requests: list[Finding] = []
    for display in sorted({f.file for f in found if f.kind in ("base_url", "url") and f.file.endswith(SUFFIXES)}):
        path = by_display.get(display)
        text = text_of(path) if path is not None else None
        if text is None:
            continue
        bases = dict(_BASE_VALUE.findall(text)) | dict(_FIELD_VALUE.findall(text)) | (settings or {}).get(display, {})
        lines = text.split("\n")
        starts = list(_FUNCTION.finditer(text))
        for index, function in enumerate(starts):
            name = function.group(1) or function.group(3) or function.group(5)
            declared = function.group(2) or function.group(4) or function.group(6) or ""
            params = [re.split(r"[\s:?=]", part.strip(), maxsplit=1)[0] for part in declared.split(",")]
            body = text[function.end() : starts[index + 1].start() if index + 1 < len(starts) else len(text)]
            tail = next((found for found in _TEMPLATE_TAIL.finditer(body) if found.group(2) in params), None)
            if tail is None:
                continue
            base = re.sub(
                r"\$\{\s*(?:this\.)?([A-Za-z_$][\w$]*)\s*\}",
                lambda match, bases=bases: bases.get(match.group(1), "${" + match.group(1) + "}"),
                tail.group(1),
            )
            if not any(host in base for host in hosts):
                continue  # a base of another API's
            chokepoint = _chokepoint(display, text, function.end() + tail.start(), base)
            if chokepoint is not None:
                requests.append(chokepoint)
            path_index = params.index(tail.group(2))
            method_index = next((i for i, param in enumerate(params) if param.lower() in _METHOD_WORDS), None)
            calls = re.compile(rf"(?:(?<![\w$.])|(?<=\bthis\.)){re.escape(name)}\s*(?:<[^>\n]*>)?\(")
            for call in calls.finditer(text):
                if call.start() == function.start() or text[max(0, call.start() - 9) : call.start()].strip().endswith(
                    "function"
                ):
                    continue
                arguments = re.match(r"""\s*((?:(['"`])(?:(?!\2).)*\2\s*(?:,\s*|(?=\))))*)""", text[call.end() :])
                literals = re.findall(r"""(['"`])((?:(?!\1).)*)\1""", arguments.group(1)) if arguments else []
                if len(literals) <= path_index or (method_index is not None and len(literals) <= method_index):
                    continue
                method = literals[method_index][1].upper() if method_index is not None else None
                classified = classify(shape_of(base + literals[path_index][1]), True)
                if not classified.config or not classified.candidates:
                    continue
                line = text.count("\n", 0, call.start()) + 1
                requests.append(
                    request_finding(
                        file=display,
                        line=line,
                        column=call.start() - text.rfind("\n", 0, call.start()),
                        language="typescript" if display.endswith((".ts", ".tsx")) else "javascript",
                        classified=classified,
                        method=method,
                        how=f"through `{name}`",
                        reason=f"the request is made in `{name}`: change it there, and this call with it",
                        snippet=lines[line - 1].strip(),
                        via=None,
                    )
                )
    return requests
