"""Config API uses in Python, found precisely with libcst.

One parse and one position resolution per file. URLs are evaluated to shapes (literal text with
holes for what is unknown) across constants, class attributes, f-strings, `+`, `%`, `.format()`,
`urljoin` and `os.environ.get` defaults; the calls that use them are recognised for requests,
sessions, httpx, urllib and aiohttp, including through a chokepoint helper whose parameters form
the path; the `segment_config_api` wrapper's fluent calls are matched against the map.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import libcst as cst

from mappings import ApiMap, Endpoint, load_map
from migrator.analysis.bindings import Collector, Scope, called_name, defaults_to_nothing, dotted_name
from migrator.analysis.holes import HOLE
from migrator.analysis.literals import evaluated
from migrator.analysis.names import URL_NAME
from migrator.analysis.node_text import start_positions
from migrator.analysis.parsing import parse_module
from migrator.analysis.strings import MAX_DEPTH, STRIPS, Shapes
from migrator.analysis.visitor import BLANKS, DispatchingVisitor, walk_tree
from migrator.repository import PATH_PARAMETERS, config_patterns

from .endpoints import (
    Classified,
    classify,
    describe,
    first_segments,
    fixability_of,
    is_prefix,
    lost_value,
    public_twins,
)
from .endpoints import config_url as config_url_of
from .findings import Finding
from .secrets import find_secrets
from .text import commented_finding, todo_finding
from .walk import LAYER_PACKAGE

WRAPPER_MODULE = "segment_config_api"
"""The Config API's Python wrapper, whose fluent calls are matched against the map."""
HTTP_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "head": "HEAD"}
METHOD_PARAMS = {"method", "verb", "http_method", "http_verb"}
# What makes a file about the Config API (not merely about Segment): its host, or a versioned path.
CONFIG_EVIDENCE = re.compile(
    r"platform\.segmentapis\.com|v1(?:beta|alpha)/(?:workspaces|catalog|filters|access-tokens)"
)


def consumer_keys(api: ApiMap) -> frozenset[str]:
    """Keys of Config answers that legacy code reads and the Public API spells differently."""
    keys = {endpoint.list_key for endpoint in api.endpoints if endpoint.list_key}
    for table in api.resources.values():
        for item in table.field:
            if "_" in item.config and (item.drop or item.public != item.config):
                keys.add(item.config)
    keys |= {"regulate_id", "next_page_token", "is_latest"}
    keys -= {"name", "id", "users", "roles", "invites", "metrics", "attributes"}
    return frozenset(key for key in keys if key)


@dataclass
class Helper:
    """A function every Config call goes through: which parameter is the path, which the method."""

    name: str
    base: str
    path_index: int
    method_index: int | None
    method_keyword: str | None
    function: cst.FunctionDef | None = None
    call: cst.Call | None = None
    path_keyword: str | None = None
    fixed_method: str | None = None
    """The verb of the request the helper sends, when no parameter chooses it (`_call_segment_post`)."""
    table: dict[str, str] | None = None
    """The module's table of paths the path parameter is a key of (`ENDPOINTS[name].format(...)`), each
    as a shape: a call gives the key, the path is the table's."""

    def site(self, node: cst.Call, shapes: Shapes, scope: Scope) -> HelperSite | None:
        """What a call of this helper sends: the Config URL shape, the method, the path argument."""
        positional = [arg for arg in node.args if arg.keyword is None]
        path_arg = positional[self.path_index] if self.path_index < len(positional) else None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == self.path_keyword:
                path_arg = arg
        if path_arg is None and not self._path_defaults_to_nothing():
            return None
        tail = shapes.shape(path_arg.value, scope) if path_arg is not None else ""  # `_call("GET")`: the base
        if tail is None:
            return None
        if self.table is not None:  # `fetch("sources")`: the key of the path in the table
            tail = self.table.get(tail) if HOLE not in tail else None
            if tail is None:
                return None
        shape = self.base.rstrip("/") + ("/" + tail.lstrip("/") if tail else "")
        method = None
        if self.method_index is not None and self.method_index < len(positional):
            method = shapes.shape(positional[self.method_index].value, scope)
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == self.method_keyword:
                method = shapes.shape(arg.value, scope)
        if method is None:
            method = self.fixed_method or HTTP_VERBS.get(self.name.lstrip("_").split("_")[0])
        method = method.upper() if method and HOLE not in method else None
        return HelperSite(shape, method, path_arg.value if path_arg is not None else None)

    def forwarded_by(self, node: cst.Call, function: cst.FunctionDef, scope: Scope, shapes: Shapes) -> Helper | None:
        """The helper `function` is when `node`, its call of this one, hands this one its own path
        parameter as it is; None otherwise."""
        positional = [arg.value for arg in node.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        path = keywords.get(self.path_keyword or "") or (
            positional[self.path_index] if self.path_index < len(positional) else None
        )
        params = [param for param in scope.params if param not in ("self", "cls")]
        if type(path) is not cst.Name or path.value not in params:
            return None
        method = keywords.get(self.method_keyword or "")
        if method is None and self.method_index is not None and self.method_index < len(positional):
            method = positional[self.method_index]
        method_param = method.value if type(method) is cst.Name and method.value in params else None
        if method is None:
            fixed = self.fixed_method
        else:
            verb = shapes.shape(method, scope) if method_param is None else None
            fixed = verb.upper() if verb and HOLE not in verb else None
        offset = len(scope.params) - len(params)
        return Helper(
            name=function.name.value,
            base=self.base,
            path_index=scope.params.index(path.value) - offset,
            method_index=scope.params.index(method_param) - offset if method_param else None,
            method_keyword=method_param,
            function=function,
            path_keyword=path.value,
            fixed_method=fixed,
        )

    def _path_defaults_to_nothing(self) -> bool:
        """`def _call(self, method, path="")`: a call giving no path sends to the base itself."""
        parameters = self.function.params.params if self.function is not None else ()
        return any(param.name.value == self.path_keyword and defaults_to_nothing(param) for param in parameters)


@dataclass
class HelperSite:
    shape: str
    method: str | None
    path: cst.BaseExpression | None
    """The path argument; None where the call gives none (the helper's own default)."""


def config_url(call: cst.Call, shapes: Shapes, scope: Scope) -> tuple[cst.BaseExpression, str, Classified] | None:
    """The URL argument of an HTTP call, its shape, and the Config endpoints it can be; None when the
    call is not one to the Config API."""
    key = ("config_url", id(call))
    if key in shapes.memo:
        found: tuple[cst.BaseExpression, str, Classified] | None = shapes.memo[key]
        return found
    found = None
    url = url_argument(call)
    shape = shapes.at_call(call, url, scope) if url is not None else None
    if url is not None and (shape is None or "://" not in shape):
        base = shapes.client_base(call, scope)
        if base is not None:  # `http.get("/sources")` on `httpx.Client(base_url=...)`: httpx joins them
            shape = base.rstrip("/") + "/" + (shape if shape is not None else HOLE).lstrip("/")
    if url is not None and shape is not None:
        classified = classify(shape, True)
        if not classified.config and shapes.config_base_held and _after_a_base(url, shape, shapes, scope):
            classified = below_held_base(shape)
        found = (url, shape, classified) if classified.config else None
    shapes.memo[key] = found
    return found


def below_held_base(shape: str) -> Classified:
    """A shape whose first value is the Config base the module holds (`{base}/workspaces/{ws}/sources`),
    read as the path below it; without the host in sight."""
    return replace(classify(config_url_of(shape[len(HOLE) :])), host=False)


def _bound_value(url: cst.BaseExpression, shapes: Shapes, scope: Scope) -> cst.BaseExpression:
    """The value a URL variable is bound to where the call reads it (`url = f"..."`, then `get(url)`);
    any other URL as it is."""
    bound = shapes.lookup(url.value, scope) if type(url) is cst.Name else None
    return bound if bound is not None else url


def _after_a_base(url: cst.BaseExpression, shape: str, shapes: Shapes, scope: Scope) -> bool:
    """`f"{self.settings.base_url}/workspaces/{ws}/{path}"` in a module holding the Config base URL
    (a dataclass field's default, a CLI option's): a value named for a base, read where the scan
    cannot follow it (an attribute of an attribute, a parameter), then a Config path."""
    if not shape.startswith(HOLE + "/") or shape[len(HOLE) :].lstrip("/").split("/")[0] not in first_segments():
        return False  # the path after the value spells where in the Config API it goes (`/workspaces/`)
    url = _bound_value(url, shapes, scope)  # `url = f"{self.base}/..."; session.request(method, url)`
    while type(url) is cst.BinaryOperation:
        url = url.left
    if type(url) is cst.FormattedString and url.parts and type(url.parts[0]) is cst.FormattedStringExpression:
        url = url.parts[0].expression
    name = dotted_name(url).rsplit(".", 1)[-1]
    return bool(name) and URL_NAME.search(name) is not None


def find_helpers(collector: Collector, shapes: Shapes, closures: bool = False) -> dict[str, Helper]:
    """Functions whose Config call takes its path from a parameter: every call of theirs is one.
    `closures`: also a function whose closure sends on its path (`make_getter(path)` returning a
    function that gets `BASE + path`): its calls name the endpoint the closure will send to."""
    helpers: dict[str, Helper] = {}
    scopes = {id(scope): (function, scope) for function, scope in collector.functions} if closures else {}
    for inner, inner_scope in collector.functions:
        for call in collector.calls.get(id(inner_scope), []):
            function, scope = inner, inner_scope
            found = config_url(call, shapes, scope)
            if found is None:
                continue
            url, shape, classified = found
            if not _continues_path(shape, classified, url, scope):
                continue
            used = [name for name in shapes.mentions(url, scope.params, scope) if name not in ("self", "cls")]
            table: dict[str, str] | None = None
            if not used:  # `BASE + ENDPOINTS[name].format(...)`: the parameter is a key of the module's table
                keyed = (([name], paths) for name in scope.params if (paths := _path_table(url, name, shapes, scope)))
                used, table = next(keyed, ([], None))
            if not used and scope.parent is not None and id(scope.parent) in scopes:
                function, scope = scopes[id(scope.parent)]  # the closure's path is its maker's parameter
                used = [name for name in shapes.mentions(url, scope.params, inner_scope) if name not in ("self", "cls")]
            if not used:
                continue
            offset = 1 if scope.params[:1] in (["self"], ["cls"]) else 0
            # The path parameter ends the URL (`self.base + path`): the base is all before it, a
            # value of its own included (`host + "/v1beta/workspaces/" + workspace`).
            base = shape[: -len(HOLE)] if shape.endswith(HOLE) else shape.split(HOLE, 1)[0]
            method_param = next((name for name in scope.params if name in METHOD_PARAMS), None)
            # Without a method parameter, the helper sends with one verb: its own call's.
            fixed = None if method_param else method_of(call, shapes, inner_scope)
            helpers[function.name.value] = Helper(
                name=function.name.value,
                base=base,
                path_index=scope.params.index(used[0]) - offset,
                method_index=scope.params.index(method_param) - offset if method_param else None,
                method_keyword=method_param,
                function=function,
                call=call,
                path_keyword=used[0],
                fixed_method=fixed,
                table=table,
            )
    return helpers


TEMPLATE_FIELD = re.compile(r"\{[^{}]*\}")


def _path_table(url: cst.BaseExpression, key: str, shapes: Shapes, scope: Scope) -> dict[str, str] | None:
    """The paths of a table of the module the URL reads by the path parameter (`BASE +
    ENDPOINTS[name].format(ws=ws)`, ENDPOINTS a dict literal of strings), by key, each with its
    `{ws}` fields as values the scan cannot read; None when the URL reads no such table."""
    pending: list[cst.CSTNode] = [_bound_value(url, shapes, scope)]
    while pending:
        node = pending.pop()
        if (
            type(node) is cst.Subscript
            and type(node.value) is cst.Name
            and len(node.slice) == 1
            and type(node.slice[0].slice) is cst.Index
            and type(node.slice[0].slice.value) is cst.Name
            and node.slice[0].slice.value.value == key
        ):
            table = shapes.lookup(node.value.value, scope)
            if type(table) is not cst.Dict:
                return None
            paths: dict[str, str] = {}
            for element in table.elements:
                if type(element) is not cst.DictElement:
                    return None
                name, path = shapes.shape(element.key, scope), shapes.shape(element.value, scope)
                if name is None or path is None or HOLE in name:
                    return None
                paths[name] = TEMPLATE_FIELD.sub(HOLE, path)
            return paths
        pending.extend(node.children)
    return None


def forwarding_helpers(collector: Collector, shapes: Shapes, helpers: dict[str, Helper]) -> dict[str, Helper]:
    """`helpers` and the functions that hand their own path parameter on to one of them as it is (a
    paginator `_paginate(self, endpoint, key)` calling `self._request("GET", endpoint, ...)`): every
    call of theirs is a Config call too, below the helper's base, with the verb they give it. The
    scanner's reading alone: apply routes the helper's transport call, which carries them."""
    found = dict(helpers)
    for _round in range(2):  # a paginator over a paginator is as deep as real clients go
        for function, scope in collector.functions:
            name = function.name.value
            if name in found:
                continue
            for call in collector.calls.get(id(scope), []):
                inner = found.get(called_name(call.func))
                forwarded = inner.forwarded_by(call, function, scope, shapes) if inner is not None else None
                if forwarded is not None:
                    found[name] = forwarded
                    break
    return found


def is_layer_call(call: cst.Call) -> bool:
    """`segment_compat.get(...)` or `getattr(segment_compat, verb)(...)`: a call `migrate apply`
    routed through the compatibility layer."""
    func = call.func
    lookup = looked_up(func)
    if lookup is not None:
        module = lookup[0]
        return type(module) is cst.Name and module.value == LAYER_PACKAGE
    bound = partial_of(call)
    if bound is not None:  # `functools.partial(segment_compat.get, ...)`
        func = bound
    return type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == LAYER_PACKAGE


def partial_of(call: cst.Call, callee: str | None = None) -> cst.BaseExpression | None:
    """The function `functools.partial(function, ...)` binds; None for any other call. `callee`:
    what the call calls as the module's imports name it, where the caller knows (an alias of
    `partial` among them); else the name as written."""
    name = dotted_name(call.func) if callee is None else callee
    if name not in ("functools.partial", "partial") or not call.args or call.args[0].keyword:
        return None
    return call.args[0].value


class PythonScanner:
    def __init__(self, api: ApiMap | None = None) -> None:
        self.api = api or load_map()
        self.consumer_keys = consumer_keys(self.api)
        chains = sorted(self.api.wrapper_chains, key=lambda chain: -len(chain.tokens))
        self.chains = [(chain.tokens, self.api.endpoint(chain.endpoint)) for chain in chains]
        self.parsed: tuple[str, cst.Module] | None = None
        """The last source scanned and its tree: the judge plans that file on the same tree rather
        than parsing it again (the parse is most of either's cost)."""

    def scan(self, path: str, source: str, is_test: bool = False) -> list[Finding]:
        self.parsed = None
        module = parse_module(source)
        self.parsed = (source, module)
        collector = Collector()
        walk_tree(module, collector)
        context = bool(re.search(r"segment", source, re.IGNORECASE))
        config_file = WRAPPER_MODULE in collector.imported_roots or bool(CONFIG_EVIDENCE.search(source))
        walker = _Walker(self, path, source, module, collector, context, config_file, is_test)
        walk_tree(module, walker, walker.parents)
        return walker.results()


@dataclass
class _Emitted:
    # Positions are worked out once, after the walk, for the reported nodes only (see analysis/node_text.py);
    # until then each finding waits as its node and what builds it from (line, column).
    deferred: list[tuple[cst.CSTNode, Callable[[int, int], None]]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    seen: set[tuple[int, str, str | None]] = field(default_factory=set)


class _Walker(DispatchingVisitor):
    """Second walk: findings."""

    unvisited = BLANKS  # comments are findings too

    def __init__(
        self,
        scanner: PythonScanner,
        path: str,
        source: str,
        module: cst.Module,
        collector: Collector,
        context: bool,
        config_file: bool,
        is_test: bool,
    ) -> None:
        self.scanner = scanner
        self.api = scanner.api
        self.path = path
        self.source = source
        self.lines = source.splitlines()
        self.module = module
        self.parents: dict[int, cst.CSTNode] = {}
        self.collector = collector
        self.shapes = Shapes(collector)
        self.shapes.config_base_held = config_patterns().string.search(source) is not None
        self.context = context or WRAPPER_MODULE in collector.imported_roots
        self.config_file = config_file
        self.is_test = is_test
        self.stack: list[Scope] = [collector.module]
        self.emitted = _Emitted()
        self.consumed: set[int] = set()
        self.config_scopes: set[int] = set()
        self.pagination_scopes: set[int] = set()
        helpers = find_helpers(self.collector, self.shapes, closures=True)
        self.helpers = forwarding_helpers(self.collector, self.shapes, helpers)
        self.variables: dict[str, cst.BaseExpression] = {}
        self.pending: list[tuple[cst.CSTNode, str, int]] = []
        self.pending_names: list[tuple[cst.CSTNode, int]] = []
        self.enclosing_calls: list[cst.Call] = []
        self.base_strings = collector.base_strings()

    # --- bookkeeping ------------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    def results(self) -> list[Finding]:
        self._flush_consumers()
        positions = start_positions(self.module, [node for node, _ in self.emitted.deferred], self.source, self.parents)
        for node, build in self.emitted.deferred:
            line, column = positions[id(node)]
            build(line, column + 1)
        return sorted(self.emitted.findings, key=lambda f: (f.line, f.column, f.kind))

    def emit(
        self,
        node: cst.CSTNode,
        kind: str,
        message: str,
        *,
        endpoint: Endpoint | None = None,
        classified: Classified | None = None,
        method: str | None = None,
        fixability: str | None = None,
        reason: str | None = None,
        confidence: str | None = None,
    ) -> None:
        fix, why = fixability_of(endpoint, classified) if fixability is None else (fixability, reason)
        sure = confidence or (
            "high"
            if classified is None or (classified.host and (endpoint is not None and classified.certain))
            else "medium"
        )
        fields: dict[str, Any] = {
            "kind": "test" if self.is_test and kind in ("call", "url", "base_url") else kind,
            "file": self.path,
            "language": "python",
            "message": message,
            "fixability": fix,
            "confidence": sure,
            "endpoint": endpoint.key if endpoint else None,
            "method": endpoint.method if endpoint else method,
            "path": endpoint.path if endpoint else (classified.path if classified else None),
            "public": public_twins(endpoint) if endpoint else (),
            "reason": why,
        }
        self.emitted.deferred.append((node, partial(self._finding_at, kind, fields)))

    def _finding_at(self, kind: str, fields: dict[str, Any], line: int, column: int) -> None:
        key = (line, kind, fields["endpoint"])
        if key in self.emitted.seen:
            return
        self.emitted.seen.add(key)
        snippet = self.lines[line - 1].strip()[:200] if 0 < line <= len(self.lines) else ""
        self.emitted.findings.append(Finding(line=line, column=column, snippet=snippet, **fields))

    # --- helpers: functions every call goes through -----------------------------------------------

    # --- scopes -----------------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(self.collector.scopes[node])
        for base in node.bases:  # `class Api(segment_compat.Session)`: every request it makes is routed
            value = base.value
            if type(value) is cst.Attribute and type(value.value) is cst.Name and value.value.value == LAYER_PACKAGE:
                self._layer_use(node, value.attr.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(self.collector.scopes[node])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    # --- imports, comments ------------------------------------------------------------------------

    def _wrapper_import(self, node: cst.CSTNode, module: str) -> None:
        if module.split(".")[0] == self.api.wrapper_module:
            self.emit(
                node,
                "wrapper",
                "imports the segment_config_api wrapper",
                fixability="manual",
                reason="the wrapper's fluent calls become Public API calls one by one",
                confidence="high",
            )

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._wrapper_import(node, dotted_name(alias.name))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            self._wrapper_import(node, dotted_name(node.module))

    def visit_Comment(self, node: cst.Comment) -> None:
        self.emitted.deferred.append((node, partial(self._comment_at, node.value)))

    def _comment_at(self, comment: str, line: int, column: int) -> None:
        for finding in (
            todo_finding(self.path, line, column, comment, "python"),
            commented_finding(self.path, line, column, comment, "python", self.context),
        ):
            if finding is not None and (finding.line, finding.kind, finding.endpoint) not in self.emitted.seen:
                self.emitted.seen.add((finding.line, finding.kind, finding.endpoint))
                self.emitted.findings.append(finding)

    # --- calls ------------------------------------------------------------------------------------

    def _verb_of_enclosing_call(self) -> str | None:
        """The verb a URL is sent with when it is an argument of a request function named for it
        (`self._call_segment_post(URL.format(ws), params)`, `http_delete(url)`): the name's last word."""
        for call in reversed(self.enclosing_calls):
            func = call.func
            name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
            if not isinstance(name, str) or name in ("format", "join", "urljoin", "get"):
                continue
            return HTTP_VERBS.get(name.rsplit("_", 1)[-1].lower()) if "_" in name else None
        return None

    def visit_Call(self, node: cst.Call) -> None:
        self.enclosing_calls.append(node)
        if is_layer_call(node):
            self._layer_call(node)
        elif self._http_call(node) or self._helper_call(node) or self._wrapper_call(node):
            self.config_scopes.add(id(self.scope))

    def _layer_call(self, node: cst.Call) -> None:
        lookup = looked_up(node.func)
        if lookup is not None:  # `getattr(segment_compat, verb.lower())(...)`
            shape = self.shapes.shape(lookup[1], self.scope)
            self._layer_use(node, shape.lower() if shape and HOLE not in shape else "<verb>")
            return
        func = partial_of(node) or node.func
        assert isinstance(func, cst.Attribute)
        self._layer_use(node, func.attr.value)

    def _layer_use(self, node: cst.CSTNode, name: str) -> None:
        self.emit(
            node,
            "compat",
            f"through the compatibility layer ({LAYER_PACKAGE}.{name}): Config API calls answered by the Public API",
            fixability="manual",
            reason="retire it for a native Public API call once its callers read Public answers",
            confidence="high",
        )

    def _http_call(self, node: cst.Call) -> bool:
        url = url_argument(node)
        if url is None:
            return False
        found = config_url(node, self.shapes, self.scope)
        if found is None:  # not the Config API even in code about Segment, so not in this file either
            return False
        shape = found[1]
        # A module spelling out the Config base is about Segment: what `config_url` read stands.
        classified = found[2] if self.shapes.config_base_held else classify(shape, self.context)
        if not classified.config:
            return False
        self.consumed.add(id(url))
        method = method_of(node, self.shapes, self.scope)
        params = [name for name in self.scope.params if name not in ("self", "cls")]
        params += [self.scope.star] if self.scope.star else []  # `def request(self, method, *parts)`
        helper_call = any(helper.call is node for helper in self.helpers.values())  # a table's key, say
        if _continues_path(shape, classified, url, self.scope) and (
            helper_call or self.shapes.mentions(url, params, self.scope)
        ):
            self.emit(
                node,
                "call",
                "chokepoint: Config API calls go through this call",
                method=method,
                classified=classified,
                fixability="auto",
                reason=None,
                confidence="high" if classified.host else "medium",
            )
            return True
        if not classified.candidates:
            self.emit(
                node, "call", "calls the Config API (endpoint not determined)", classified=classified, method=method
            )
            return True
        endpoint = classified.pick(method)
        self.emit(node, "call", describe(endpoint, classified), endpoint=endpoint, classified=classified, method=method)
        return True

    def _helper_call(self, node: cst.Call) -> bool:
        name = (
            node.func.attr.value
            if isinstance(node.func, cst.Attribute)
            else (node.func.value if isinstance(node.func, cst.Name) else "")
        )
        helper = self.helpers.get(name)
        if helper is None:
            return False
        site = helper.site(node, self.shapes, self.scope)
        if site is None:
            return False
        classified = classify(site.shape, True)
        if not classified.config and self.shapes.config_base_held and site.shape.startswith(HOLE + "/"):
            classified = below_held_base(site.shape)  # a helper found by its base's name (`_after_a_base`)
        if not classified.config or not classified.candidates:
            return False
        method = site.method
        endpoint = classified.pick(method)
        if site.path is not None:
            self.consumed.add(id(site.path))
        self.emit(
            node,
            "call",
            describe(endpoint, classified) + f" (through {helper.name})",
            endpoint=endpoint,
            classified=classified,
            method=method,
        )
        return True

    def _wrapper_call(self, node: cst.Call) -> bool:
        if WRAPPER_MODULE not in self.collector.imported_roots:
            return False
        chain = self._chain(node)
        if not chain:
            return False
        for tokens, endpoint in self.scanner.chains:
            if tuple(chain[-len(tokens) :]) == tokens:
                self.emit(
                    node,
                    "wrapper",
                    f"segment_config_api: {'.'.join(tokens)} sends {endpoint.method} {endpoint.path}",
                    endpoint=endpoint,
                    confidence="high",
                )
                return True
        return False

    def _chain(self, node: cst.BaseExpression, depth: int = 0) -> list[str]:
        if depth > MAX_DEPTH:
            return []
        if isinstance(node, cst.Call):
            inner = self._chain(node.func, depth + 1)
            if not inner:
                return []
            return [*inner[:-1], inner[-1] + "()"]
        if isinstance(node, cst.Attribute):
            return [*self._chain(node.value, depth + 1), node.attr.value]
        if isinstance(node, cst.Name):
            bound = self.shapes.lookup(node.value, self.scope)
            if bound is not None and isinstance(bound, cst.Call | cst.Attribute):
                return self._chain(bound, depth + 1)
            return [node.value]
        return []

    # --- strings: URLs and base URLs not already part of a call --------------------------------

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.consumed:
            return False
        if isinstance(node, cst.Call) and _builds_string(node):
            shape = self.shapes.shape(node, self.scope)
            if shape is not None:
                self._string(node, shape)
                return False
        if isinstance(node, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString | cst.BinaryOperation):
            if id(node) in self.consumed:
                return False
            assert isinstance(node, cst.BaseExpression)
            shape = self.shapes.shape(node, self.scope)
            if shape is not None:
                self._string(node, shape)
                return False
        return super().on_visit(node)

    def _string(self, node: cst.BaseExpression, shape: str) -> None:
        if isinstance(node, cst.SimpleString):
            for secret in find_secrets(shape, self.context):
                self.emit(
                    node,
                    "secret",
                    secret.message,
                    fixability="manual",
                    reason="tokens belong in the environment, not the code",
                    confidence=secret.confidence,
                )
            if self._pagination_key(node, shape):
                return
        classified = classify(shape, self.context)
        if not classified.config:
            return
        if classified.candidates and not is_prefix(shape) and id(node) not in self.base_strings:
            method = self._verb_of_enclosing_call()
            endpoint = classified.pick(method)
            self.emit(
                node, "url", describe(endpoint, classified), endpoint=endpoint, classified=classified, method=method
            )
        else:
            self.emit(
                node,
                "base_url",
                "the Config API base URL",
                classified=classified,
                fixability="auto",
                confidence="high" if classified.host else "medium",
            )
        self.config_scopes.add(id(self.scope))

    def _pagination_key(self, node: cst.SimpleString, value: str) -> bool:
        if value not in (
            self.api.protocol["config"]["pagination"]["next_field"],
            self.api.protocol["config"]["pagination"]["token_param"],
        ):
            return False
        if self.config_file and id(self.scope) not in self.pagination_scopes:
            self.pagination_scopes.add(id(self.scope))
            self.emit(
                node,
                "pagination",
                f"Config pagination ({value}): Public lists page with pagination.count "
                "and pagination.cursor, and answer data.pagination.next",
                fixability="auto",
                confidence="medium",
            )
        return True

    def _consumer(self, node: cst.SimpleString, key: str) -> None:
        self.pending.append((node, key, id(self.scope)))

    def _flush_consumers(self) -> None:
        """Answer reads count only in scopes that call the Config API (known once the walk is done)."""
        for node, key, scope in self.pending:
            if scope in self.config_scopes:
                lost = lost_value(key, self.api)
                self.emit(
                    node,
                    "consumer",
                    f"reads {key!r} from a Config answer" + (", which the Public API does not carry" if lost else ""),
                    fixability="manual",
                    reason=lost or "Public answers are wrapped in `data` and use other names; see fields.toml",
                    confidence="medium",
                )
        for name_node, scope in self.pending_names:
            if scope in self.config_scopes:
                self.emit(
                    name_node,
                    "consumer",
                    "parses a Config resource name; Public objects carry `id` and `slug`",
                    fixability="manual",
                    reason="the Public object has the id directly",
                    confidence="medium",
                )
        self.pending.clear()
        self.pending_names.clear()

    # --- update masks, name parsing ---------------------------------------------------------------

    def visit_Dict(self, node: cst.Dict) -> None:
        if not self.config_file:
            return
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self.shapes.shape(element.key, self.scope)
                if key in ("update_mask", "updateMask"):
                    self.emit(
                        element,
                        "update_mask",
                        "an update_mask body: the Public API takes only changed fields",
                        fixability="auto",
                        confidence="high" if self.collector.module else "medium",
                    )

    def _read_key(self, node: cst.BaseExpression) -> None:
        """A key read from an answer: `x["display_name"]`, `x.get("tracking_plans")`."""
        if self.config_file and isinstance(node, cst.SimpleString):
            key = evaluated(node)
            if isinstance(key, str) and self._pagination_key(node, key):
                self.consumed.add(id(node))
            elif isinstance(key, str) and key in self.scanner.consumer_keys:
                self.consumed.add(id(node))
                self._consumer(node, key)

    def leave_Call(self, original_node: cst.Call) -> None:
        if self.enclosing_calls and self.enclosing_calls[-1] is original_node:
            self.enclosing_calls.pop()
        func = original_node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and original_node.args:
            self._read_key(original_node.args[0].value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                self._read_key(element.slice.value)
        # name.split("/")[-1]: resource-name parsing
        if not self.config_file or not isinstance(node.value, cst.Call):
            return
        func = node.value.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("split", "rsplit") and node.value.args:
            separator = self.shapes.shape(node.value.args[0].value, self.scope)
            if separator == "/":
                self.pending_names.append((node, id(self.scope)))


def _builds_string(node: cst.Call) -> bool:
    func = node.func
    if isinstance(func, cst.Attribute):
        return func.attr.value in ("format", "urljoin", "join")
    return isinstance(func, cst.Name) and func.value == "urljoin"


def _ends_in_path_parameter(url: cst.BaseExpression, scope: Scope) -> bool:
    """Whether the URL expression (or the local it names) ends in a parameter named for a path
    (`PATH_PARAMETERS`): such a URL continues with the caller's path, even where what precedes it
    could end an endpoint (`f"{self.base}/{path}"` on a workspace base)."""
    if type(url) is cst.Name and url.value in scope.assignments and url.value not in scope.params:
        url = scope.assignments[url.value]
    last: cst.BaseExpression | None = None
    if type(url) is cst.FormattedString and url.parts and type(url.parts[-1]) is cst.FormattedStringExpression:
        last = url.parts[-1].expression
    elif type(url) is cst.BinaryOperation and type(url.operator) is cst.Add:
        last = url.right
    elif type(url) is cst.Call and url.args and url.args[-1].keyword is None:
        if url.args[-1].star == "*" and type(url.args[-1].value) is cst.Name and url.args[-1].value.value == scope.star:
            return True  # `self.url(*parts)`: the builder handed every part the caller gives
        last = url.args[-1].value  # `self._url(path)`: a URL builder handed the path
    if type(last) is cst.Call and type(last.func) is cst.Attribute and last.func.attr.value in STRIPS:
        last = last.func.value  # `path.lstrip("/")`
    return type(last) is cst.Name and last.value in scope.params and last.value.lower() in PATH_PARAMETERS


def _continues_path(shape: str, classified: Classified, url: cst.BaseExpression, scope: Scope) -> bool:
    """A URL ending in a value that carries the rest of the path: `base + path`, `BASE_URL + "/x"`
    (a value in the query, `?page_size={n}`, carries none), or in a parameter named for a path."""
    if _ends_in_path_parameter(url, scope):
        return True
    path = shape.split("?", 1)[0]
    if not path.endswith(HOLE):
        return False
    return not classified.candidates or path[-2:-1] not in ("/", "")


WIRE_MOCKS = frozenset(
    {"responses", "requests_mock", "httpretty", "respx", "aioresponses", "pook", "rsps", "respx_mock", "httpx_mock"}
)
"""Libraries that mock HTTP below the library call, and the pytest fixtures tests name them by:
`requests_mock.get(url, json=...)` registers an answer, it sends nothing."""


def url_argument(node: cst.Call) -> cst.BaseExpression | None:
    """The URL argument of an HTTP-looking call: requests/httpx/session verbs, `request(method, url)`,
    urllib's `Request(url)` and `urlopen(url)`, aiohttp's session verbs. Not a mock's registration."""
    func = node.func
    if type(func) is cst.Attribute and dotted_name(func.value).split(".")[0] in WIRE_MOCKS:
        return None
    name = called_name(func)
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "url":
            return arg.value
    positional = [arg.value for arg in node.args if arg.keyword is None]
    if name in HTTP_VERBS or name in ("Request", "urlopen", "open", "stream") or looked_up(func) is not None:
        return positional[0] if positional else None
    if name in ("request", "_request", "send_request") and len(positional) >= 2:
        return positional[1]
    return None


def looked_up(func: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """The module and the verb of `getattr(requests, verb.lower())`, a chokepoint's way to call the
    library's function named for its verb; None for any other callee."""
    if type(func) is not cst.Call or type(func.func) is not cst.Name or func.func.value != "getattr":
        return None
    positional = [arg.value for arg in func.args if arg.keyword is None]
    return (positional[0], positional[1]) if len(positional) == 2 and len(func.args) == 2 else None


def method_of(node: cst.Call, shapes: Shapes, scope: Scope) -> str | None:
    func = node.func
    name = called_name(func)
    if name in HTTP_VERBS:
        return HTTP_VERBS[name]
    lookup = looked_up(func)
    if lookup is not None:
        value = shapes.shape(lookup[1], scope)
        return HTTP_VERBS.get(value.lower()) if value and HOLE not in value else None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "method":
            value = shapes.shape(arg.value, scope)
            return value.upper() if value and HOLE not in value else None
    if name in ("request", "_request", "send_request", "stream"):
        positional = [arg.value for arg in node.args if arg.keyword is None]
        value = shapes.shape(positional[0], scope) if positional else None
        return value.upper() if value and HOLE not in value else None
    if name in ("Request", "urlopen"):
        has_data = any(arg.keyword is not None and arg.keyword.value == "data" for arg in node.args)
        extra = [arg for arg in node.args if arg.keyword is None][1:]
        return "POST" if has_data or extra else "GET"
    return None
