"""The text a string expression evaluates to, as far as a module's own bindings tell it: literals,
f-strings, `+`, `%`, `.format()`, `urljoin`, `"/".join([...])`, the defaults of `os.environ.get`,
names through the scopes that bind them, class attributes through `self`, entries of a dict literal
(`SETTINGS["api_root"]`) and what a function of the module that returns one string makes of its
arguments (`def _url(*parts): return "%s/%s" % (BASE, "/".join(parts))`). What is unknown is a
HOLE. Shared by the scanner and the codemods; it knows nothing of any API."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import libcst as cst

from .bindings import BASE_KEYWORDS, Collector, Scope, dotted_name
from .holes import HOLE
from .literals import evaluated

__all__ = ["HOLE", "HTTPX_CLIENTS", "MAX_DEPTH", "Shapes"]

ENV_GETTERS = {"get", "getenv"}
MAX_DEPTH = 12
HTTPX_CLIENTS = frozenset({"Client", "AsyncClient"})
CONNECTIONS = {"HTTPSConnection": "https://", "HTTPConnection": "http://"}
"""http.client's connections, made with a host alone: their requests take a path from the root."""


class Shapes:
    """Evaluate string expressions to shapes (their text, with HOLE for what is unknown) within the
    scopes the collector found."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.memo: dict[tuple[str, int], Any] = {}
        """What an analysis built on these shapes worked out per node (by its name and the node's
        id), for the others asking the same of this module."""
        self.at: int | None = None
        """Where names are read (assignments complete before it), while a call's URL is shaped."""
        self.config_base_held = False
        """The module spells out the Config base URL: a value named for a base, put before a Config
        path, is taken for it where the scan cannot follow the value to it."""
        self.arguments: list[tuple[Scope, dict[str, str], list[str], set[str]]] = []
        """While a function's returned string is shaped for one call: its scope, the shapes of the
        arguments its parameters take, those its `*args` takes, and the parameters it did not give."""

    def at_call(self, call: cst.Call, node: cst.BaseExpression, scope: Scope) -> str | None:
        """The shape of `node`, an argument of `call`, with the bindings that reach the call."""
        self.at = self.collector.call_order.get(id(call))
        try:
            return self.shape(node, scope)
        finally:
            self.at = None

    def lookup(self, name: str, scope: Scope | None) -> cst.BaseExpression | None:
        while scope is not None:
            if name in scope.assignments and scope.kind != "class":
                history = scope.history.get(name)
                if history is not None and self.at is not None:
                    # A name bound more than once: the binding the call comes after, in the order of
                    # the source (before any: the last, as in a loop).
                    reaching = [value for order, value in history if order <= self.at]
                    return reaching[-1] if reaching else history[-1][1]
                return scope.assignments[name]
            if name in scope.params:
                return None
            scope = scope.parent
        return None

    def shape(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The text of a string expression with HOLE for unknown parts; None when not a string.
        (Exact type tests: libcst's classes are abstract-based, and a failed isinstance test against
        one is a Python call; shapes are asked of every call's arguments.)"""
        if depth > MAX_DEPTH:
            return None
        if type(node) is cst.SimpleString:
            value = evaluated(node)
            return value if isinstance(value, str) else None
        if type(node) is cst.ConcatenatedString:
            left = self.shape(node.left, scope, depth + 1)
            right = self.shape(node.right, scope, depth + 1)
            return None if left is None or right is None else left + right
        if type(node) is cst.FormattedString:
            parts = []
            for part in node.parts:
                if type(part) is cst.FormattedStringText:
                    parts.append(part.value)
                elif type(part) is cst.FormattedStringExpression:
                    inner = self.shape(part.expression, scope, depth + 1)
                    parts.append(inner if inner is not None else HOLE)
            return "".join(parts)
        if type(node) is cst.BinaryOperation:
            if type(node.operator) is cst.Add:
                left = self.shape(node.left, scope, depth + 1)
                right = self.shape(node.right, scope, depth + 1)
                if left is None and right is None:
                    return None
                return (left if left is not None else HOLE) + (right if right is not None else HOLE)
            if type(node.operator) is cst.Modulo:
                template = self.shape(node.left, scope, depth + 1)
                if template is None:
                    return None
                if type(node.right) is cst.Dict:  # `"%(base)s/workspaces/%(ws)s" % {"base": BASE, ...}`
                    named = {
                        str(evaluated(element.key)): self.shape(element.value, scope, depth + 1)
                        for element in node.right.elements
                        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString
                    }
                    return _percent(template, [], named)
                values: list[cst.BaseExpression] = (
                    [element.value for element in node.right.elements]
                    if type(node.right) is cst.Tuple
                    else [node.right]
                )
                shapes = [self.shape(value, scope, depth + 1) for value in values]
                return _percent(template, shapes)
            return None
        if type(node) is cst.Call:
            return self._call_shape(node, scope, depth)
        if type(node) is cst.Name:
            frame = self._frame(scope)
            if frame is not None and node.value in frame[1]:
                return frame[1][node.value]
            bound = self.lookup(node.value, scope)
            return self.shape(bound, scope, depth + 1) if bound is not None else None
        if type(node) is cst.Subscript:
            return self._entry_shape(node, scope, depth)
        if type(node) is cst.IfExp:
            given = self._given(node.test, scope)
            if given is None:
                return None
            return self.shape(node.body if given else node.orelse, scope, depth + 1)
        if type(node) is cst.Attribute:
            owner = self._owner_class(node.value, scope)
            if owner is not None and type(node.value) is cst.Name and node.value.value in ("self", "cls"):
                owner = self.collector.attribute_owner(owner, node.attr.value)
            if owner is not None and node.attr.value in owner.assignments:
                method = owner.read_in.get(node.attr.value, scope)
                return self.shape(owner.assignments[node.attr.value], method, depth + 1)
            return None
        return None

    def client_base(self, call: cst.Call, scope: Scope) -> str | None:
        """The shape of the `base_url` of the client a call is made on (`http.get(...)`,
        `self.http.request(...)`), where the client is bound to `httpx.Client(base_url=...)`,
        `AsyncClient`, or another session or client class made with a base (requests-toolbelt's
        `BaseUrlSession(base_url=...)`), or http.client's connection made with its host; None for
        anything else."""
        func = call.func
        if type(func) is not cst.Attribute:
            return None
        receiver = func.value
        if type(receiver) is cst.Name:
            bound = self.lookup(receiver.value, scope)
        elif type(receiver) is cst.Attribute:
            owner = self._owner_class(receiver.value, scope)
            bound = owner.assignments.get(receiver.attr.value) if owner is not None else None
            scope = owner.read_in.get(receiver.attr.value, scope) if owner is not None else scope
        else:
            return None
        if type(bound) is cst.Call and type(bound.func) is cst.Name:  # `with client() as http:`
            made_by, made_in = self._made_by(bound.func.value, scope)
            if made_by is not None:
                bound, scope = made_by, made_in
        if type(bound) is not cst.Call:
            return None
        made = dotted_name(bound.func).rsplit(".", 1)[-1]
        if made in CONNECTIONS:  # `HTTPSConnection("platform.segmentapis.com").request("GET", "/v1beta/...")`
            host = [arg.value for arg in bound.args if arg.keyword is None or arg.keyword.value == "host"][:1]
            found = self.shape(host[0], scope) if host else None
            if found is None or found.startswith(HOLE):
                return None
            return found if "://" in found else CONNECTIONS[made] + found
        # Another library's session made with a base (`BaseUrlSession`); not aiohttp's `ClientSession`,
        # whose calls are read where it is made
        if made not in HTTPX_CLIENTS and (not made.endswith("Session") or made.endswith("ClientSession")):
            return None
        for arg in bound.args:
            if arg.keyword is not None and arg.keyword.value.lower() in BASE_KEYWORDS:
                return self.shape(arg.value, scope)
        return None

    def _made_by(self, name: str, scope: Scope) -> tuple[cst.BaseExpression | None, Scope]:
        """What a function of the module returns when its body returns one call (`def client():
        return httpx.Client(base_url=...)`), with the function's scope to read it in."""
        for function, inner in self.collector.functions:
            if function.name.value != name or inner.parent is not self.collector.module:
                continue
            returned = [
                statement.body[0].value
                for statement in getattr(function.body, "body", ())
                if type(statement) is cst.SimpleStatementLine
                and type(statement.body[0]) is cst.Return
                and statement.body[0].value is not None
            ]
            if len(returned) == 1 and type(returned[0]) is cst.Call:
                return returned[0], inner
        return None, scope

    def _owner_class(self, node: cst.BaseExpression, scope: Scope) -> Scope | None:
        if isinstance(node, cst.Name):
            if node.value in ("self", "cls"):
                return scope.cls
            found = self.collector.classes.get(node.value)
            if found is None:  # `config = Config()`: an instance reads its class's field defaults
                bound = self.lookup(node.value, scope)
                if type(bound) is cst.Call and type(bound.func) is cst.Name:
                    return self.collector.classes.get(bound.func.value)
            return found
        return None

    def _call_shape(self, node: cst.Call, scope: Scope, depth: int) -> str | None:
        func = node.func
        args = [arg for arg in node.args if arg.keyword is None]
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            template = self.shape(func.value, scope, depth + 1)
            if template is None:
                return None
            positional = [self.shape(arg.value, scope, depth + 1) for arg in args]
            named = {arg.keyword.value: self.shape(arg.value, scope, depth + 1) for arg in node.args if arg.keyword}
            return _format(template, positional, named)
        if isinstance(func, cst.Attribute) and func.attr.value in STRIPS and len(args) <= 1:
            text = self.shape(func.value, scope, depth + 1)  # `BASE.rstrip("/") + "/sources"`
            chars = self.shape(args[0].value, scope, depth + 1) if args else None
            if text is None or (args and chars is None):
                return None
            return str(getattr(text, func.attr.value)(chars))
        name = dotted_name(func) if isinstance(func, cst.Name | cst.Attribute) else ""
        last = name.rsplit(".", 1)[-1]
        if name in PATH_JOINS and args:  # `os.path.join(BASE, "workspaces", ws)`: POSIX joins URLs so
            joined = ""
            for arg in args:
                part = self.shape(arg.value, scope, depth + 1)
                part = HOLE if part is None else part
                joined = part if part.startswith("/") or not joined else joined.rstrip("/") + "/" + part
            return joined
        if last == "urljoin" and len(args) >= 2:
            base = self.shape(args[0].value, scope, depth + 1)
            tail = self.shape(args[1].value, scope, depth + 1)
            if base is None and tail is None:
                return None
            return _urljoin(base if base is not None else HOLE, tail if tail is not None else HOLE)
        if last in ENV_GETTERS and ("environ" in name or name in ("os.getenv", "getenv")) and len(args) >= 2:
            return self.shape(args[1].value, scope, depth + 1)
        if last == "join" and isinstance(func, cst.Attribute) and args:
            separator = self.shape(func.value, scope, depth + 1)
            parts = args[0].value
            if separator == "/" and isinstance(parts, cst.List | cst.Tuple):
                items: list[str | None] = []
                for element in parts.elements:
                    spread = self._spread(element, scope)  # `[self.base, "workspaces", *parts]`
                    items += spread if spread is not None else [self.shape(element.value, scope, depth + 1)]
                return "/".join(item if item is not None else HOLE for item in items)
            frame = self._frame(scope)
            if separator == "/" and isinstance(parts, cst.Name) and frame is not None and parts.value == scope.star:
                return "/".join(frame[2])  # `"/".join(parts)` of `*parts`
            return None
        if type(func) is cst.Name:
            return self._returned_shape(func.value, node, scope, depth)
        if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value in ("self", "cls"):
            return self._returned_shape(func.attr.value, node, scope, depth, scope.cls)  # `self.url("sources")`
        return None

    def _frame(self, scope: Scope) -> tuple[Scope, dict[str, str], list[str], set[str]] | None:
        """The call being shaped into `scope`'s function (see `arguments`), when `scope` is that
        function's: its names are read from the call's arguments."""
        return self.arguments[-1] if self.arguments and self.arguments[-1][0] is scope else None

    def _spread(self, element: cst.BaseElement, scope: Scope) -> list[str | None] | None:
        """The shapes a `*parts` element of a list stands for, where `parts` is the `*args` of the
        function being shaped; None for any other element."""
        frame = self._frame(scope)
        if type(element) is not cst.StarredElement or type(element.value) is not cst.Name or frame is None:
            return None
        return list(frame[2]) if element.value.value == scope.star else None

    def _given(self, test: cst.BaseExpression, scope: Scope) -> bool | None:
        """Whether the call being shaped gave the parameter `test` asks of (`x`, `not x`, `x is None`,
        `x is not None`), where the function's own default is what it left: None when unknown."""
        frame = self._frame(scope)
        if frame is None:
            return None
        _scope, named, _rest, absent = frame
        flip = False
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            test, flip = test.expression, True
        if type(test) is cst.Comparison and len(test.comparisons) == 1:
            target = test.comparisons[0]
            if type(target.comparator) is cst.Name and target.comparator.value == "None":
                flip ^= type(target.operator) is cst.Is
                test = test.left
        if type(test) is not cst.Name or test.value not in named:
            return None
        return (test.value not in absent) != flip

    def _entry_shape(self, node: cst.Subscript, scope: Scope, depth: int) -> str | None:
        """`SETTINGS["api_root"]` where `SETTINGS` is bound to a dict literal with that key."""
        index = node.slice[0].slice if len(node.slice) == 1 else None
        if not isinstance(node.value, cst.Name) or not isinstance(index, cst.Index):
            return None
        if not isinstance(index.value, cst.SimpleString):
            return None
        key = evaluated(index.value)
        bound = self.lookup(node.value.value, scope)
        if not isinstance(bound, cst.Dict):
            return None
        for element in bound.elements:
            if (
                isinstance(element, cst.DictElement)
                and isinstance(element.key, cst.SimpleString)
                and evaluated(element.key) == key
            ):
                return self.shape(element.value, scope, depth + 1)
        return None

    def _returned_shape(
        self, name: str, call: cst.Call, scope: Scope, depth: int, owner: Scope | None = None
    ) -> str | None:
        """What a function of the module (or, with `owner`, a method of that class) whose body
        returns one expression (a docstring aside) makes of this call's arguments: `_url("regulations",
        rid)` of `def _url(*parts): return ...`, `self.url("sources")`."""
        parent = owner if owner is not None else self.collector.module
        for function, inner in self.collector.functions:
            if function.name.value != name or inner.parent is not parent:
                continue
            statements = [
                statement
                for statement in getattr(function.body, "body", ())
                if not (type(statement) is cst.SimpleStatementLine and type(statement.body[0]) is cst.Expr)
            ]
            # Local assignments (read through the function's scope), then one `return`.
            if not statements or any(
                type(statement) is not cst.SimpleStatementLine
                or any(type(small) not in (cst.Assign, cst.AnnAssign) for small in statement.body)
                for statement in statements[:-1]
            ):
                return None
            last = statements[-1]
            returned = last.body[0] if type(last) is cst.SimpleStatementLine else None
            if type(returned) is not cst.Return or returned.value is None:
                return None
            named: dict[str, str] = {}
            positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
            params = inner.params[1:] if owner is not None and inner.params[:1] in (["self"], ["cls"]) else inner.params
            unpacked = [arg for arg in call.args if arg.star == "*"]
            # `self.url(*parts)` into `def url(self, *parts)`: the parts, however many, are one value not
            # known (after the positional ones, all given before it); any other unpacking is not read
            spread = (
                len(unpacked) == 1
                and call.args[-1] is unpacked[0]
                and inner.star is not None
                and len(positional) >= len(params)
                and not any(arg.star == "**" for arg in call.args)
            )
            if (
                len(positional) != len(call.args) - sum(1 for arg in call.args if arg.keyword is not None)
                and not spread
            ):
                return None  # `_url(*parts)`: what it passes is not known one by one
            for index, param in enumerate(params):
                if index < len(positional):
                    value = self.shape(positional[index].value, scope, depth + 1)
                    named[param] = HOLE if value is None else value
            for arg in call.args:
                if arg.keyword is not None and arg.keyword.value in inner.params:
                    value = self.shape(arg.value, scope, depth + 1)
                    named[arg.keyword.value] = HOLE if value is None else value
            absent = {param for param in params[len(positional) :] if param not in named}
            for param in absent:
                named[param] = HOLE  # a default, or a keyword the call did not give
            rest = [self.shape(arg.value, scope, depth + 1) or HOLE for arg in positional[len(params) :]]
            rest += [HOLE] if spread else []
            self.arguments.append((inner, named, rest, absent))
            try:
                return self.shape(returned.value, inner, depth + 1)
            finally:
                self.arguments.pop()
        return None

    def mentions(self, node: cst.CSTNode, names: Sequence[str], scope: Scope | None = None) -> list[str]:
        """Which of `names` (parameters) the expression uses; with `scope` (a function's), also
        through the local variables it reads (`url = f"{self.base}/{path}"`, then `url`)."""
        found: list[str] = []
        stack: list[cst.CSTNode] = [node]
        followed: set[str] = set()
        while stack:
            current = stack.pop()
            if isinstance(current, cst.Name):
                if current.value in names and current.value not in found:
                    found.append(current.value)
                elif (
                    scope is not None
                    and scope.kind == "function"
                    and current.value not in followed
                    and current.value not in scope.params
                    and current.value in scope.assignments
                ):
                    followed.add(current.value)
                    stack += [value for _order, value in scope.history.get(current.value, [])] or [
                        scope.assignments[current.value]
                    ]
            elif isinstance(current, cst.Attribute):
                stack.append(current.value)
            elif isinstance(current, cst.BinaryOperation):
                stack += [current.left, current.right]
            elif isinstance(current, cst.FormattedString):
                stack += [part.expression for part in current.parts if isinstance(part, cst.FormattedStringExpression)]
            elif isinstance(current, cst.Call):
                stack += [current.func, *(arg.value for arg in current.args)]
            elif isinstance(current, cst.Subscript):
                stack.append(current.value)
            elif isinstance(current, cst.Tuple | cst.List):
                stack += [element.value for element in current.elements]
        return found


STRIPS = frozenset({"strip", "lstrip", "rstrip"})
"""String methods a URL or path goes through unchanged but for its ends (`BASE.rstrip("/")`)."""
PATH_JOINS = frozenset({"os.path.join", "posixpath.join"})
"""Path joins code builds URLs with: on POSIX they join with `/`, as the URL needs."""


def _percent(template: str, values: list[str | None], named: dict[str, str | None] | None = None) -> str:
    """`template % values`, or `template % named` (a dict: `%(name)s`); what is not known, a hole."""
    iterator = iter(values)

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        value = named.get(match.group(1)) if named is not None and match.group(1) is not None else next(iterator, None)
        return value if value is not None else HOLE

    return re.sub(r"%%|%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx]", replace, template)


def _format(template: str, positional: list[str | None], named: dict[str, str | None]) -> str:
    counter = iter(range(len(positional) + 100))

    def replace(match: re.Match[str]) -> str:
        field_name = match.group(1).split("!")[0].split(":")[0]
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        if field_name == "":
            index = next(counter)
            value = positional[index] if index < len(positional) else None
        elif field_name.isdigit():
            value = positional[int(field_name)] if int(field_name) < len(positional) else None
        else:
            value = named.get(field_name)
        return value if value is not None else HOLE

    return re.sub(r"\{\{|\}\}|\{([^{}]*)\}", replace, template)


def _urljoin(base: str, tail: str) -> str:
    if re.match(r"^[a-z]+://", tail):
        return tail
    if tail.startswith("/"):
        found = re.match(r"^([a-z]+://[^/]+)", base)
        return (found.group(1) if found else base.rstrip("/")) + tail
    return base.rsplit("/", 1)[0] + "/" + tail if "/" in base.split("://", 1)[-1] else base + "/" + tail
