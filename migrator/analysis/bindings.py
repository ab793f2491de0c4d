"""What a Python module binds, scope by scope, read in one walk: assignments (in source order, so a
call reads the binding that reaches it), class attributes, parameters and their defaults, imports and
their local names, the functions and the calls inside them. Shared by the scanner and the codemods;
it knows nothing of any API."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from .names import BASE_NAME
from .visitor import TRIVIA, DispatchingVisitor

__all__ = ["Collector", "Scope", "called_name", "defaults_to_nothing", "dotted_name"]


BASE_KEYWORDS = frozenset({"base_url", "baseurl", "base_uri", "prefix_url", "root_url", "api_root", "server_url"})
"""Keyword arguments that give a client its base URL: what is passed there is a base, not a request."""
_URL_BUILDERS = (cst.SimpleString, cst.FormattedString, cst.BinaryOperation, cst.ConcatenatedString)
"""Values that may be a URL: a literal, or one built in place (`host + "/v1beta/workspaces/" + ws`)."""


@dataclass
class Scope:
    """Names bound in one scope: module, class or function."""

    kind: str
    name: str
    assignments: dict[str, cst.BaseExpression] = field(default_factory=dict)
    params: list[str] = field(default_factory=list)
    parent: Scope | None = None
    cls: Scope | None = None
    history: dict[str, list[tuple[int, cst.BaseExpression]]] = field(default_factory=dict)
    """Every binding of a name reassigned in this scope, with the count of assignments before it."""
    read_in: dict[str, Scope] = field(default_factory=dict)
    """A class's attributes bound in a method (`self.base = base_url`): the method, whose names
    (its parameters' defaults among them) the value reads."""
    star: str | None = None
    """A function's `*args` parameter, by its name."""
    bases: tuple[str, ...] = ()
    """A class's bases, by the last part of their names."""


def defaults_to_nothing(param: cst.Param) -> bool:
    """A parameter whose default is the empty string (`path=""`): what callers give, not a value."""
    return type(param.default) is cst.SimpleString and param.default.value in ('""', "''")


class Collector(DispatchingVisitor):
    """First walk: assignments per scope, class attributes, imports, function signatures."""

    unvisited = TRIVIA

    def __init__(self) -> None:
        self.module = Scope("module", "<module>")
        self.stack: list[Scope] = [self.module]
        self.scopes: dict[cst.CSTNode, Scope] = {}
        self.classes: dict[str, Scope] = {}
        self.functions: list[tuple[cst.FunctionDef, Scope]] = []
        self.calls: dict[int, list[cst.Call]] = {}
        self.imported_roots: set[str] = set()
        """The first part of every module imported (`requests` of `requests.adapters`)."""
        self.aliases: dict[str, str] = {}
        self.assignments_done = 0
        """Assignment statements left so far, in the order of the source."""
        self.call_order: dict[int, int] = {}
        """Per call: how many assignments were complete where it is (the ones that reach it)."""
        self.bound_values: dict[str, list[cst.BaseExpression]] = {}
        """What each name (a variable, or a `self.`/class attribute by its last part) is bound to."""
        self.base_arguments: set[int] = set()
        """URLs given to a client as its base (a `base_url=` keyword argument)."""
        self.prefixes: set[str] = set()
        """Names read where a URL starts and more follows (`f"{BASE}/sources"`, `BASE + path`,
        `base_url=BASE`, `urljoin(BASE, path)`), by their last part: bases, not endpoints."""

    def base_strings(self) -> set[int]:
        """The values bound to a name that is read as the start of longer URLs, and those given to
        a client as its base (`BaseUrlSession(base_url="https://...")`)."""
        return {id(value) for name in self.prefixes for value in self.bound_values.get(name, ())} | self.base_arguments

    def attribute_owner(self, cls: Scope, name: str) -> Scope | None:
        """The class of the module whose binding of attribute `name` a method of `cls` reads through
        `self`: `cls` or a base it derives from in the module; None when it is bound nowhere here, or
        when a subclass in the module binds it again (`collection = "sources"` over the base's `""`:
        `self.collection` is then whichever the instance's class says, not the base's value)."""
        if self._rebound_below(cls, name, set()):
            return None
        seen: set[str] = set()
        pending = [cls]
        while pending:
            scope = pending.pop(0)
            if scope.name in seen:
                continue
            seen.add(scope.name)
            if name in scope.assignments:
                return scope
            pending.extend(self.classes[base] for base in scope.bases if base in self.classes)
        return None

    def _rebound_below(self, cls: Scope, name: str, seen: set[str]) -> bool:
        for scope in self.classes.values():
            if cls.name in scope.bases and scope.name not in seen:
                seen.add(scope.name)
                if name in scope.assignments or self._rebound_below(scope, name, seen):
                    return True
        return False

    @property
    def current(self) -> Scope:
        return self.stack[-1]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = tuple(dotted_name(arg.value).rsplit(".", 1)[-1] for arg in node.bases if arg.keyword is None)
        scope = Scope("class", node.name.value, parent=self.current, bases=bases)
        self.classes[node.name.value] = scope
        self.scopes[node] = scope
        self.stack.append(scope)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        owner = self.current if self.current.kind == "class" else self.current.cls
        params = [param.name.value for param in node.params.params]
        star = node.params.star_arg.name.value if isinstance(node.params.star_arg, cst.Param) else None
        scope = Scope("function", node.name.value, params=params, parent=self.current, cls=owner, star=star)
        self.scopes[node] = scope
        self.functions.append((node, scope))
        self.stack.append(scope)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def _bind(self, target: cst.BaseAssignTargetExpression, value: cst.BaseExpression) -> None:
        if type(value) in _URL_BUILDERS:
            name = (
                target.value if type(target) is cst.Name else target.attr.value if type(target) is cst.Attribute else ""
            )
            if name:
                self.bound_values.setdefault(name, []).append(value)
            if BASE_NAME.search(name):  # `self.root = f"{host}/v1beta/workspaces/{ws}"`: what requests start with
                self.base_arguments.add(id(value))
        if isinstance(target, cst.Name):
            scope = self.current
            if target.value in scope.assignments:
                earlier = scope.history.setdefault(target.value, [(0, scope.assignments[target.value])])
                earlier.append((self.assignments_done + 1, value))
            scope.assignments[target.value] = value
        elif (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value in ("self", "cls")
        ):
            owner = self.current.cls if self.current.kind == "function" else None
            if owner is not None and target.attr.value not in owner.assignments:
                owner.assignments[target.attr.value] = value
                owner.read_in[target.attr.value] = self.current

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and type(node.asname.name) is cst.Name and type(node.item) is cst.Call:
            self._bind(node.asname.name, node.item)  # `with httpx.Client(base_url=...) as http:`

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self.assignments_done += 1  # after its value: `url = url + "/x"` reads the binding before it

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_Param(self, node: cst.Param) -> None:
        # A default stands for the value (`base_url="https://..."`), except an empty string: a
        # parameter defaulting to "" (`path=""`) is what callers give, as a chokepoint's path is.
        if node.default is not None and not defaults_to_nothing(node) and self.current.kind == "function":
            self.current.assignments.setdefault(node.name.value, node.default)

    def _prefix(self, node: cst.BaseExpression) -> None:
        if type(node) is cst.Name:
            self.prefixes.add(node.value)
        elif type(node) is cst.Attribute:
            self.prefixes.add(node.attr.value)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if len(node.parts) > 1 and type(node.parts[0]) is cst.FormattedStringExpression:
            self._prefix(node.parts[0].expression)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if type(node.operator) is cst.Add:
            self._prefix(node.left)

    def visit_Call(self, node: cst.Call) -> None:
        self.call_order[id(node)] = self.assignments_done
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value.lower() in BASE_KEYWORDS:
                self._prefix(arg.value)
                if type(arg.value) in _URL_BUILDERS:
                    self.base_arguments.add(id(arg.value))
        if node.args and called_name(node.func) == "urljoin":
            self._prefix(node.args[0].value)
        if self.current.kind == "function":
            self.calls.setdefault(id(self.current), []).append(node)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = dotted_name(alias.name)
            local = (
                alias.asname.name.value
                if alias.asname and isinstance(alias.asname.name, cst.Name)
                else dotted.split(".")[0]
            )
            self.aliases[local] = dotted
            self.imported_roots.add(dotted.split(".")[0])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module else ""
        if module and not node.relative:
            self.imported_roots.add(module.split(".")[0])
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else dotted_name(alias.name)
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            self.aliases[local] = f"{module}.{name}" if module else name


def dotted_name(node: cst.BaseExpression | cst.Attribute | cst.Name) -> str:
    """`a.b.c` for a name or attribute chain; "" for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


def called_name(func: cst.BaseExpression) -> str:
    """`get` of `requests.get(...)` or `get(...)`: the last name of what a call calls ("" for
    anything else)."""
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else ""
