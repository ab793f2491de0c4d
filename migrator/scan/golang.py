"""The Config endpoint of a Go client's call, read as text: `c.doRequest(http.MethodGet,
fmt.Sprintf("%s/%s/%s", WorkspacesEndpoint, c.workspace, SourceEndpoint), nil)`, the format's
verbs filled with the package's string constants (`SourceEndpoint = "sources"` in `const.go`) where
they are named, and holes elsewhere; a path built into a variable first (`name :=
fmt.Sprintf(...)`, then `c.doRequest(http.MethodPatch, name, req)`) is followed to it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mappings import Endpoint

from .endpoints import HOLE, classify, config_url

STRING_CONSTANT = re.compile(r'^\s*(?:const\s+)?([A-Za-z_]\w*)\s*(?:string\s*)?=\s*"([^"\\]*)"', re.MULTILINE)
METHOD = re.compile(r'\bhttp\.Method(Get|Post|Put|Patch|Delete)\b|"(GET|POST|PUT|PATCH|DELETE)"')
SPRINTF = re.compile(r"\bfmt\.Sprintf\(")
VERB = re.compile(r"%[-+# 0]*\d*(?:\.\d+)?[svdq]")


def string_constants(texts: Iterable[str]) -> dict[str, str]:
    """The string constants of a Go package (its files' texts)."""
    return {name: value for text in texts for name, value in STRING_CONSTANT.findall(text)}


def call_endpoint(text: str, start: int, constants: dict[str, str]) -> tuple[str | None, Endpoint | None]:
    """The method and Config endpoint of the call whose argument list opens at `start` (the index
    just after its `(`); (None, None) for what cannot be told."""
    arguments = _balanced(text, start)
    if arguments is None:
        return None, None
    found = METHOD.search(arguments)
    method = next(group for group in found.groups() if group).upper() if found else None
    path = _path(arguments, text[:start], constants)
    if path is None:
        return method, None
    classified = classify(config_url(path.strip("/")), True)
    if not classified.config or not classified.candidates:
        return method, None
    return method, classified.pick(method) if method else None


def _path(arguments: str, before: str, constants: dict[str, str]) -> str | None:
    sprintf = SPRINTF.search(arguments)
    if sprintf is not None:
        inner = _balanced(arguments, sprintf.end())
        return _formatted(inner, constants) if inner is not None else None
    for argument in _split(arguments):
        name = argument.strip()
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            continue
        if name in constants:
            return constants[name]
        bound = list(re.finditer(rf"\b{name}\s*:?=\s*fmt\.Sprintf\(", before))
        if bound:
            inner = _balanced(before, bound[-1].end())
            if inner is not None:
                return _formatted(inner, constants)
    return None


def _formatted(inner: str, constants: dict[str, str]) -> str | None:
    parts = _split(inner)
    if not parts or not re.fullmatch(r'\s*"[^"\\]*"\s*', parts[0]):
        return None
    values = iter(parts[1:])

    def fill(_verb: re.Match[str]) -> str:
        value = next(values, "").strip()
        return constants.get(value, HOLE)

    return VERB.sub(fill, parts[0].strip().strip('"'))


def _balanced(text: str, start: int, limit: int = 2000) -> str | None:
    """The text from `start` to the parenthesis closing the one just before it (strings skipped)."""
    depth, index, quoted = 1, start, False
    end = min(len(text), start + limit)
    while index < end:
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[start:index]
        index += 1
    return None


def _split(arguments: str) -> list[str]:
    """Top-level comma-separated arguments."""
    parts, depth, current, quoted = [], 0, [], False
    for char in arguments:
        if quoted:
            current.append(char)
            quoted = char != '"' or (len(current) > 1 and current[-2] == "\\")
            continue
        if char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if "".join(current).strip():
        parts.append("".join(current))
    return parts
