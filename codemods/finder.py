"""The engine's one read-only walk: the scanner's scopes and assignments, every call with its
scope and statement, every node's parent, name bindings, and (in tests) the legacy literals."""

from __future__ import annotations

import libcst as cst

from mappings import load_map
from migrator.analysis.bindings import Collector, Scope
from migrator.analysis.literals import evaluated
from migrator.analysis.visitor import walk_tree

from .syntax import Bindings, string_value
from .urls import CONFIG_URL


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"`."""
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "__name__"
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Equal)
        and string_value(test.comparisons[0].comparator) == "__main__"
    )


HTTP_MODULES = frozenset({"requests", "httpx"})
LOST_KEYS = frozenset(load_map().lost_in_answers)


def _sends_at_import(call: cst.Call) -> bool:
    """`requests.get(...)`, `httpx.post(...)`, `urlopen(...)`: an HTTP request."""
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        return func.value.value in HTTP_MODULES
    return isinstance(func, cst.Name) and func.value == "urlopen"


class CallFinder(Collector):
    """One walk: the scanner's collection of scopes and assignments, plus every call with its scope
    and statement."""

    def __init__(self, literals: bool = False) -> None:
        super().__init__()
        self.literals = literals
        """Also collect Config URL literals and dict literals (for tests that pin them)."""
        self.pinned_urls: list[tuple[cst.SimpleString, cst.CSTNode]] = []
        self.patch_targets: list[cst.SimpleString] = []
        """Strings that may name a library function a test mocks (`mock.patch("requests.post")`)."""
        self.dicts: list[cst.Dict] = []
        self.wrapper_imports: list[cst.ImportFrom] = []
        self.statements: list[cst.CSTNode] = []
        self.compounds: list[cst.CSTNode] = []
        """The compound statements the walk is in: a call in one's header (`for x in
        requests.get(...).json()`) belongs to it, and its TODO goes above it."""
        self.found: list[tuple[cst.Call, Scope, cst.CSTNode]] = []
        self.lost_keys: list[tuple[cst.SimpleString, cst.CSTNode]] = []
        """Strings naming an answer field the Public API does not carry (`"create_time"`), each with
        its statement: read from a Config answer, what the migration cannot give back."""
        self.assigned: dict[int, set[str]] = {}
        self.bindings = Bindings(module_scope=self.module)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        self.bindings.nodes[id(node)] = node
        names = {
            target.target.value if isinstance(target.target, cst.Name) else target.target.attr.value
            for target in node.targets
            if isinstance(target.target, cst.Name | cst.Attribute)
        }
        self.assigned[id(node)] = names

    def walk(self, module: cst.Module) -> None:
        """The one read-only walk, recording every node's parent."""
        walk_tree(module, self, self.bindings.parents)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        super().visit_ImportFrom(node)
        module = cst.Module([]).code_for_node(node.module) if node.module is not None else ""
        if module.split(".")[0] == "segment_config_api":
            self.wrapper_imports.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if node.value[1:-1] in LOST_KEYS and (self.statements or self.compounds):
            self.lost_keys.append((node, self.statements[-1] if self.statements else self.compounds[-1]))
        if self.literals and self.statements and "segmentapis.com/v1" in node.value:
            value = evaluated(node)
            if isinstance(value, str) and CONFIG_URL.match(value):
                self.pinned_urls.append((node, self.statements[-1]))
        elif self.literals and any(library in node.value for library in ("requests.", "urllib.request.", "httpx.")):
            self.patch_targets.append(node)

    def visit_Dict(self, node: cst.Dict) -> None:
        if self.literals and not isinstance(self.bindings.parents.get(id(node)), cst.DictElement):
            self.dicts.append(node)

    def calls_named(self, names: set[str]) -> list[cst.Call]:
        return [
            call
            for call, _scope, _statement in self.found
            if isinstance(call.func, cst.Name) and call.func.value in names
        ]

    def _enter(self, node: cst.BaseCompoundStatement) -> None:
        self.compounds.append(node)
        self.bindings.nodes[id(node)] = node

    def _leave(self, original_node: cst.BaseCompoundStatement) -> None:
        self.compounds.pop()

    def visit_If(self, node: cst.If) -> None:
        self._enter(node)
        if self.current is self.module and _is_main_guard(node.test):
            self.bindings.script = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)
        self.bindings.add_name(node.name, self.current)  # a definition's name belongs to the scope around it
        super().visit_FunctionDef(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self._leave(original_node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._enter(node)
        self.bindings.add_name(node.name, self.current)
        super().visit_ClassDef(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        super().leave_ClassDef(original_node)
        self._leave(original_node)

    visit_For = visit_While = visit_With = visit_Try = visit_TryStar = visit_Match = _enter
    leave_If = leave_For = leave_While = leave_With = leave_Try = leave_TryStar = leave_Match = _leave

    def visit_Name(self, node: cst.Name) -> None:
        names = self.bindings.names
        if node.value in names and names[node.value][-1] is node:
            return  # the name of the definition just entered, already recorded
        self.bindings.add_name(node, self.current)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.append(node)
        self.bindings.nodes[id(node)] = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statements.pop()

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if self.current is self.module and _sends_at_import(node):
            # Requests sent as the module's own top-level code: it is run, not imported for its names.
            self.bindings.script = True
        if self.statements:
            self.found.append((node, self.current, self.statements[-1]))
        elif self.compounds:
            self.found.append((node, self.current, self.compounds[-1]))
