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

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from mappings import Endpoint, load_map
from migrator.analysis.holes import HOLE

from .endpoints import classify, config_url
from .findings import Finding

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


def package_constant_users(found: Iterable[Finding], by_display: dict[str, Path], flagged: set[str]) -> list[Finding]:
    """The Go files of a package using a Config base constant another file of the package declares
    (`const defaultBaseURL = "https://platform..."` in `config.go`, read in `client.go`): a Go package
    shares its constants without an import. Each such file is read with the constant's value in
    its place, on the same lines, for the requests built on it."""
    from migrator.repository import config_patterns

    from .text import TABLE_PATH, scan_text
    from .walk import text_of

    string = config_patterns().string
    public_hosts = load_map().protocol["public"]["hosts"]
    declared: dict[str, dict[str, tuple[str, str]]] = {}
    """A package folder -> its Config URL constants -> (value, the declaring file's display)."""
    for display in sorted({f.file for f in found if f.language == "go" and f.kind in ("base_url", "url")}):
        path = by_display.get(display)
        text = text_of(path) if path is not None else None
        for name, value in STRING_CONSTANT.findall(text or ""):
            if path is not None and string.search(f'"{value}"'):
                declared.setdefault(os.path.dirname(str(path)), {})[name] = (value, display)
    # A package whose client takes its base from elsewhere (`resty.New().SetBaseURL(os.Getenv(...))`,
    # the variable set in the repository's configuration): its base finding is the client's
    based = {
        os.path.dirname(str(by_display[f.file])): f.file
        for f in sorted(found, key=lambda finding: finding.file, reverse=True)
        if f.language == "go"
        and f.kind in ("base_url", "url", "config")
        and f.file in by_display
        and not f.file.endswith("_test.go")
    }
    users: list[Finding] = []
    if not declared and not based:
        return []
    for display, path in by_display.items():
        if not display.endswith(".go") or display in flagged:
            continue
        folder = os.path.dirname(str(path))
        constants = declared.get(folder, {})
        client = sorted(v for _n, v in constants.values())[0] if constants else based.get(folder)
        if client is None:
            continue
        text = text_of(path)
        read = [name for name in constants if text is not None and re.search(rf"\b{name}\b", text)]
        if text is None:
            continue
        if not read and any(host in text for host in public_hosts):
            continue  # the Public API's client beside the Config one: its `/catalog/...` are Public paths
        if not read:  # a route table of the client (`{method: "GET", path: "/workspaces/%s/sources"}`), or
            # a request its verb sends (`c.http.R().Get(fmt.Sprintf("/workspaces/%s/sources", ...))`), not the
            # resource names its tests hold (`Name: "workspaces/acme/sources/js"`)
            lines = text.split("\n")
            users += [
                replace(finding, confidence="medium", via=client)
                for finding in scan_text(display, text, "go", host_elsewhere=True)
                if finding.kind in ("call", "url")
                and (TABLE_PATH.search(lines[finding.line - 1]) or _SENT_BY_VERB.search(lines[finding.line - 1]))
            ]
            continue
        names = re.compile(r"\b(" + "|".join(map(re.escape, read)) + r")\b")
        values = {name: value for name, (value, _display) in constants.items()}
        standing = names.sub(partial(_quoted, values), text)
        for finding in scan_text(display, standing, "go"):
            if finding.kind in ("call", "url", "base_url"):
                line = text.split("\n")[finding.line - 1].strip()[:200]
                declaring = sorted({constants[name][1] for name in names.findall(line)} or {constants[read[0]][1]})
                users.append(
                    replace(
                        finding,
                        snippet=line,
                        via=declaring[0],
                        message=f"{finding.message} (on a constant of {declaring[0]})",
                    )
                )
    return users


_SENT_BY_VERB = re.compile(
    r"\.(?:Get|Post|Put|Patch|Delete)\(|\bhttp\.Method(?:Get|Post|Put|Patch|Delete)\b|NewRequest"
)
"""A Go line sending a request: a client's verb method (resty's `.Get(`), or a request made with its method."""


_GO_FUNC = re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(([^)]*)\)", re.MULTILINE)
_BASE_WORD = re.compile(r"url|base|host|endpoint|api", re.IGNORECASE)


@dataclass(frozen=True)
class Chokepoint:
    """A Go function every request of a client goes through: `func (c *Client) do(method, path string,
    ...)` sending `http.NewRequest(method, c.baseURL+"/workspaces/"+c.workspace+path, ...)`."""

    name: str
    base: str
    """The URL shape before the path (the client's base a Config base URL, values holes)."""
    method_index: int
    path_index: int
    line: int


def chokepoints(text: str, base_url: str) -> list[Chokepoint]:
    """The chokepoint functions of a Go client file whose base field holds `base_url`: the URL its
    `http.NewRequest` sends to is the base, then the function's path parameter, built with `+` or
    `fmt.Sprintf`, in place or in a variable first."""
    found: list[Chokepoint] = []
    starts = list(_GO_FUNC.finditer(text))
    for index, function in enumerate(starts):
        params = [part.strip().split()[0] for part in function.group(2).split(",") if part.strip()]
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        request = _REQUEST_CALL.search(text, function.end(), end)
        if request is None:
            continue
        arguments = [argument.strip() for argument in _arguments(text, request.end())]
        if request.group(1):  # NewRequestWithContext(ctx, method, url, body)
            arguments = arguments[1:]
        if len(arguments) < 2 or arguments[0] not in params:
            continue
        url = arguments[1]
        if re.fullmatch(r"\w+", url) and url not in params:  # `url := ...` first
            bound = list(re.finditer(rf"\b{url}\s*:?=\s*([^\n]+)", text[function.end() : request.start()]))
            url = bound[-1].group(1).strip() if bound else url
        shaped = _chokepoint_shape(url, params, base_url, text)
        if shaped is None or not shaped[0].startswith(base_url.rstrip("/")):
            continue
        shape, path = shaped
        found.append(
            Chokepoint(
                function.group(1),
                shape,
                params.index(arguments[0]),
                params.index(path),
                text.count("\n", 0, request.start()) + 1,
            )
        )
    return found


_REQUEST_CALL = re.compile(r"\bhttp\.NewRequest(WithContext)?\(")


def _chokepoint_shape(url: str, params: list[str], base_url: str, text: str) -> tuple[str, str] | None:
    """The shape of a chokepoint's URL up to its path parameter, and that parameter: `c.baseURL +
    "/workspaces/" + c.workspace + path`, or `fmt.Sprintf("%s/workspaces/%s/%s", c.baseURL,
    c.workspace, path)`; None when the path parameter does not end it."""

    def piece(position: int, operand: str) -> str:
        if operand.startswith('"') and operand.endswith('"'):
            return operand[1:-1]
        if position == 0 and _BASE_WORD.search(operand.rsplit(".", 1)[-1]):
            return base_url.rstrip("/")
        return HOLE

    formatted = re.match(r'fmt\.Sprintf\(\s*"([^"\\]*)"\s*,', url)
    if formatted is not None:
        values = [value.strip() for value in _arguments(url, url.index("(") + 1)[1:]]
        verbs = list(VERB.finditer(formatted.group(1)))
        if not verbs or len(values) != len(verbs) or values[-1] not in params:
            return None
        if formatted.group(1)[verbs[-1].end() :]:
            return None  # the path is not the URL's end
        shape, at = "", 0
        for position, (verb, value) in enumerate(zip(verbs[:-1], values[:-1], strict=True)):
            shape += formatted.group(1)[at : verb.start()] + piece(position, value)
            at = verb.end()
        return shape + formatted.group(1)[at : verbs[-1].start()], values[-1]
    operands = [operand.strip() for operand in url.split("+")]
    if len(operands) < 2 or operands[-1] not in params:
        return None
    return "".join(piece(position, operand) for position, operand in enumerate(operands[:-1])), operands[-1]


def _argument_shape(argument: str) -> str | None:
    """A path argument's shape: a string literal, or `fmt.Sprintf("format", ...)` with its verbs holes."""
    expression = argument.strip()
    if SPRINTF.match(expression) or re.fullmatch(r'"[^"\\]*"', expression):
        return _value(expression, "", {})
    return None


def _arguments(text: str, start: int) -> list[str]:
    """The top-level arguments of a call whose `(` is just before `start`."""
    return _split(_balanced(text, start) or "")


def chokepoint_calls(display: str, text: str, points: list[Chokepoint]) -> list[tuple[int, int, str | None, str]]:
    """The calls of `points` in a file: (line, column, method, URL shape) of each whose path the call
    spells (a literal or a `fmt.Sprintf` format)."""
    calls: list[tuple[int, int, str | None, str]] = []
    for point in points:
        for match in re.finditer(rf"(?<![\w])\w+\.{re.escape(point.name)}\(", text):
            arguments = _arguments(text, match.end())
            if len(arguments) <= max(point.method_index, point.path_index):
                continue
            tail = _argument_shape(arguments[point.path_index])
            if tail is None:
                continue
            verb = METHOD.search(arguments[point.method_index])
            method = next((group for group in verb.groups() if group), None) if verb is not None else None
            column = match.start() - text.rfind("\n", 0, match.start())
            calls.append(
                (text.count("\n", 0, match.start()) + 1, column, method.upper() if method else None, point.base + tail)
            )
    return calls


_QUOTED_URL = re.compile(r'"(https?://[^"\s]+)"')


def chokepoint_requests(found: Iterable[Finding], by_display: dict[str, Path]) -> list[Finding]:
    """The requests Go packages holding a Config base send through a chokepoint of theirs, at each
    call (in any file of the package) whose path it spells, with its method and endpoint."""
    from migrator.repository import config_patterns

    from .endpoints import request_finding
    from .walk import text_of

    string = config_patterns().string
    folders = sorted(
        {
            by_display[f.file].parent
            for f in found
            if f.language == "go" and f.kind in ("base_url", "url") and f.file in by_display
        }
    )
    if not folders:
        return []
    displays = {str(path): display for display, path in by_display.items() if display.endswith(".go")}
    requests: list[Finding] = []
    for folder in folders:
        texts = {
            display: text
            for path_text, display in displays.items()
            if Path(path_text).parent == folder and (text := text_of(Path(path_text))) is not None
        }
        base = next(
            (
                url.group(1)
                for text in texts.values()
                for url in _QUOTED_URL.finditer(text)
                if string.search(url.group(0))
            ),
            None,
        )
        if base is None:
            continue
        points = {display: chokepoints(text, base) for display, text in texts.items()}
        every = [(display, point) for display, found_points in points.items() for point in found_points]
        for display, text in texts.items():
            lines = text.split("\n")
            for defining, point in every:
                for line, column, method, shape in chokepoint_calls(display, text, [point]):
                    classified = classify(shape, True)
                    if not classified.config or not classified.candidates:
                        continue
                    requests.append(
                        request_finding(
                            file=display,
                            line=line,
                            column=column,
                            language="go",
                            classified=classified,
                            method=method,
                            how=f"through `{point.name}`, {defining}",
                            reason=f"the request is made in `{point.name}` ({defining}): change it there, "
                            "and this call with it",
                            snippet=lines[line - 1].strip(),
                            via=defining,
                        )
                    )
    return requests


def _quoted(values: dict[str, str], match: re.Match[str]) -> str:
    return f'"{values[match.group(1)]}"'
