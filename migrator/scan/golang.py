"""The Config endpoint of a Go client's call, read as text: `c.doRequest(http.MethodGet,
fmt.Sprintf("%s/%s/%s", WorkspacesEndpoint, c.workspace, SourceEndpoint), nil)`, the format's
verbs filled with the package's string constants (`SourceEndpoint = "sources"` in `const.go`) where
they are named, and holes elsewhere; a path built into a variable first (`name :=
fmt.Sprintf(...)`, then `c.doRequest(http.MethodPatch, name, req)`) is followed to it.

A client that describes each request as a struct and sends it with one method (`request :=
Request{endpoint: "sources", method: http.MethodPost}`, then `request.Do(client)`) is read through
that method: which field holds the path and which the verb (`http.NewRequest(request.method, ...)`,
an empty verb being GET), and the prefix it adds to a path that lacks one (`if
!strings.HasPrefix(request.endpoint, "workspaces/") { request.endpoint =
fmt.Sprintf("workspaces/%s/%s", client.workspace, request.endpoint) }`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from mappings import Endpoint
from migrator.analysis.holes import HOLE

from .endpoints import classify, config_url

STRING_CONSTANT = re.compile(r'^\s*(?:const\s+)?([A-Za-z_]\w*)\s*(?:string\s*)?=\s*"([^"\\]*)"', re.MULTILINE)
METHOD = re.compile(r'\bhttp\.Method(Get|Post|Put|Patch|Delete)\b|"(GET|POST|PUT|PATCH|DELETE)"')
SPRINTF = re.compile(r"\bfmt\.Sprintf\(")
VERB = re.compile(r"%[-+# 0]*\d*(?:\.\d+)?[svdq]")


_SENT_FIELDS = re.compile(
    r"\bhttp\.NewRequest(?:WithContext)?\(\s*(?:\w+\s*,\s*)?(\w+)\.(\w+)\s*,([^;{}]*?)\)\s*$", re.MULTILINE
)
_PREFIXED = re.compile(r'HasPrefix\(\s*(\w+)\.(\w+)\s*,\s*"([^"\\]+)"\s*\)\s*\{\s*\1\.\2\s*=\s*fmt\.Sprintf\((?=\s*")')
PATH_FIELDS = ("endpoint", "path", "url", "uri", "resource")


@dataclass(frozen=True)
class RequestStruct:
    """How a package's request struct is sent (see the module's docstring)."""

    path_field: str
    method_field: str | None
    prefix: str | None = None
    """The start a path must have, else `format` is put around it."""
    format: tuple[str, ...] = ()
    """The prefixing `fmt.Sprintf`'s format and arguments (the path's own argument names the field)."""


@dataclass(frozen=True)
class GoPackage:
    constants: dict[str, str]
    request_struct: RequestStruct | None = None


def string_constants(texts: Iterable[str]) -> dict[str, str]:
    """The string constants of a Go package (its files' texts)."""
    return {name: value for text in texts for name, value in STRING_CONSTANT.findall(text)}


def package_facts(texts: list[str]) -> GoPackage:
    """What the codemods read of a Go package once: its string constants and its request struct."""
    return GoPackage(string_constants(texts), _request_struct(texts))


def _request_struct(texts: list[str]) -> RequestStruct | None:
    for text in texts:
        if "NewRequest" not in text:
            continue
        sent = _SENT_FIELDS.search(text)
        if sent is None:
            continue
        receiver, method_field, url = sent.groups()
        named = [field for field in re.findall(rf"\b{receiver}\.(\w+)", url) if field != method_field]
        prefixed = next((match for match in _PREFIXED.finditer(text) if match.group(1) == receiver), None)
        path_field = prefixed.group(2) if prefixed else next((f for f in named if f in PATH_FIELDS), None)
        if path_field is None:
            continue
        if prefixed is None:
            return RequestStruct(path_field, method_field)
        inner = _balanced(text, prefixed.end())
        return RequestStruct(path_field, method_field, prefixed.group(3), tuple(_split(inner or "")))
    return None


class GoCall(NamedTuple):
    method: str | None
    endpoint: Endpoint | None
    path: str | None
    """The path the call's arguments spell, when they spell one."""


def call_endpoint(text: str, start: int, package: GoPackage) -> GoCall:
    """The method, Config endpoint and path of the call whose argument list opens at `start` (the
    index just after its `(`); None for each that cannot be told."""
    constants = package.constants
    arguments = _balanced(text, start)
    if arguments is None:
        return GoCall(None, None, None)
    found = METHOD.search(arguments)
    method = next(group for group in found.groups() if group).upper() if found else None
    path = _path(arguments, text[:start], constants)
    if path is None and package.request_struct is not None:
        method, path = _struct_request(text, start, package.request_struct, constants)
    if path is None:
        return GoCall(method, _by_resource_name(arguments, text[:start], method), None)
    classified = classify(config_url(path.strip("/")), True)
    if not classified.config or not classified.candidates:
        return GoCall(method, None, path)
    return GoCall(method, classified.pick(method) if method else None, path)


def _by_resource_name(arguments: str, before: str, method: str | None) -> Endpoint | None:
    """The endpoint of a call whose path is a Config object's own resource name, `filter.Name` with
    `filter DestinationFilter` a parameter of the function: the one endpoint of that method that
    addresses one object of the kind the type is named for (`..._filter` → `filter`)."""
    from mappings import load_map

    if method is None:
        return None
    read = next((found for argument in _split(arguments) if (found := NAME_FIELD.fullmatch(argument.strip()))), None)
    if read is None:
        return None
    declared = re.search(rf"\b{re.escape(read.group(1))}\s+\*?(\w+)\b", _this_function(before).split("\n", 1)[0])
    if declared is None:
        return None
    type_name = re.sub(r"(?<!^)(?=[A-Z])", "_", declared.group(1)).lower()
    api = load_map()
    kinds = sorted({e.resource for e in api.endpoints if e.resource and type_name.endswith(e.resource)}, key=len)
    if not kinds:
        return None
    single = [
        endpoint
        for endpoint in api.endpoints
        if endpoint.resource == kinds[-1] and endpoint.method == method and endpoint.path.endswith("}")
    ]
    return single[0] if len(single) == 1 else None


NAME_FIELD = re.compile(r"([a-z]\w*)\.Name")
"""A Go value's `Name` field: the Config resource name of the object it holds."""


GO_STRING = re.compile(r'"([^"\\]*)"|`([^`]*)`')
VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


def _path(arguments: str, before: str, constants: dict[str, str]) -> str | None:
    sprintf = SPRINTF.search(arguments)
    if sprintf is not None:
        inner = _balanced(arguments, sprintf.end())
        return _formatted(inner, constants) if inner is not None else None
    for argument in _split(arguments):
        name = argument.strip()
        literal = GO_STRING.fullmatch(name)
        value = None if literal is None else next(group for group in literal.groups() if group is not None)
        if value is not None and value.upper() not in VERBS:
            return value
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            continue
        if name in constants:
            return constants[name]
        function = _this_function(before)
        bound = list(re.finditer(rf"(?<![\w.]){name}\s*:?=\s*fmt\.Sprintf\(", function))
        if bound:
            inner = _balanced(function, bound[-1].end())
            if inner is not None:
                return _formatted(inner, constants)
    return None


def _struct_request(
    text: str, start: int, struct: RequestStruct, constants: dict[str, str]
) -> tuple[str | None, str | None]:
    """`request.Do(client)`: the method and path of the struct literal `request` was bound to last
    before the call, with later assignments to its fields, and the sender's prefix."""
    before = _this_function(text[:start])
    receiver = re.search(r"(\w+)\s*\.\s*\w+\s*\($", before)
    if receiver is None:
        return None, None
    name = receiver.group(1)
    bound = list(re.finditer(rf"(?<![\w.]){name}\s*:?=\s*&?\w+\s*\{{", before))
    if not bound:
        return None, None
    literal = _balanced(before, bound[-1].end(), opening="{", closing="}")
    if literal is None:
        return None, None
    fields: dict[str, str] = {}
    for part in _split(literal):
        key, colon, value = part.partition(":")
        if colon and re.fullmatch(r"\s*\w+\s*", key):
            fields[key.strip()] = value.strip()
    after = before[bound[-1].end() + len(literal) :]
    for assigned in re.finditer(rf"\b{name}\.(\w+)\s*=\s*([^\n]+)", after):
        fields[assigned.group(1)] = assigned.group(2).strip()
    method: str | None = None
    if struct.method_field is not None:
        verb = fields.get(struct.method_field)
        found = METHOD.search(verb) if verb is not None else None
        method = "GET" if verb is None else next(g for g in found.groups() if g).upper() if found else None
    expression = fields.get(struct.path_field)
    path = _value(expression, before[: bound[-1].start()], constants) if expression is not None else None
    if path is not None and struct.prefix is not None and not path.startswith(struct.prefix):
        path = _prefixed(path, struct, constants)
    return method, path


def _prefixed(path: str, struct: RequestStruct, constants: dict[str, str]) -> str:
    """The path as the sender's `fmt.Sprintf` puts its prefix around it."""
    fmt, *arguments = struct.format
    values = iter(arguments)

    def fill(_verb: re.Match[str]) -> str:
        argument = next(values, "")
        if re.search(rf"\.{struct.path_field}\b", argument):
            return path.strip("/")
        return constants.get(argument.strip(), HOLE)

    return VERB.sub(fill, fmt.strip().strip('"'))


def _this_function(before: str) -> str:
    """The text of the function a call is in, up to the call: a name bound in another function is
    another variable."""
    start = before.rfind("\nfunc ")
    return before[start + 1 :] if start >= 0 else before


def _value(expression: str, before: str, constants: dict[str, str]) -> str | None:
    """A Go string expression's value: literals, the package's constants, `fmt.Sprintf`, `+`, and a
    variable bound to `fmt.Sprintf` earlier; holes for the other variables among literals."""
    sprintf = SPRINTF.match(expression.strip())
    if sprintf is not None:
        inner = _balanced(expression.strip(), sprintf.end())
        return _formatted(inner, constants) if inner is not None else None
    parts = _split(expression, separator="+")
    if len(parts) == 1:
        single = parts[0].strip()
        if re.fullmatch(r'"[^"\\]*"', single):
            return single[1:-1]
        if single in constants:
            return constants[single]
        bound = list(re.finditer(rf"(?<![\w.]){re.escape(single)}\s*:?=\s*fmt\.Sprintf\(", before))
        inner = _balanced(before, bound[-1].end()) if bound else None
        return _formatted(inner, constants) if inner is not None else None
    pieces = []
    for part in parts:
        part = part.strip()
        if re.fullmatch(r'"[^"\\]*"', part):
            pieces.append(part[1:-1])
        else:
            pieces.append(constants.get(part, HOLE))
    return "".join(pieces) if any(piece != HOLE for piece in pieces) else None


def _formatted(inner: str, constants: dict[str, str]) -> str | None:
    parts = _split(inner)
    if not parts or not re.fullmatch(r'\s*"[^"\\]*"\s*', parts[0]):
        return None
    values = iter(parts[1:])

    def fill(_verb: re.Match[str]) -> str:
        value = next(values, "").strip()
        return constants.get(value, HOLE)

    return VERB.sub(fill, parts[0].strip().strip('"'))


def _balanced(text: str, start: int, limit: int = 2000, opening: str = "(", closing: str = ")") -> str | None:
    """The text from `start` to the bracket closing the one just before it (strings skipped)."""
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
        elif char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return text[start:index]
        index += 1
    return None


def _split(arguments: str, separator: str = ",") -> list[str]:
    """Top-level arguments (or, with `separator="+"`, the operands of a sum)."""
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
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if "".join(current).strip():
        parts.append("".join(current))
    return parts
