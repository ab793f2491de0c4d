"""Small facts about code the codemods share: parents, where a name is bound and read, string keys.

`Bindings` is filled during the engine's one read-only walk (`plan.CallFinder`); it answers without
walking again. It is deliberately conservative: a variable counts as followable only when it is
bound once in its scope, and its reads include those of nested scopes that do not rebind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

import libcst as cst

from migrator.analysis.bindings import Scope, dotted_name
from migrator.analysis.literals import evaluated
from migrator.analysis.visitor import child_attributes

from .base import Edit, FileContext, Refused


class NotSimple(Refused):
    """A variable is bound or read in a way the codemods do not follow."""


_TARGET_HOLDERS = (cst.Element, cst.StarredElement, cst.Tuple, cst.List)
_TARGETED = (cst.For, cst.CompFor, cst.AugAssign, cst.AnnAssign, cst.NamedExpr)


@dataclass
class Bindings:
    parents: dict[int, cst.CSTNode] = field(default_factory=dict)
    nodes: dict[int, cst.CSTNode] = field(default_factory=dict)
    """Statements and assignments by id (TODOs and the host fixer name them by id)."""
    names: dict[str, list[cst.Name]] = field(default_factory=dict)
    scope_of_name: dict[int, Scope] = field(default_factory=dict)
    scope_nodes: dict[int, cst.CSTNode] = field(default_factory=dict)
    module_scope: Scope | None = None
    script: bool = False
    """The module runs as a script (`if __name__ == "__main__":`), so its own calls are the callers."""

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(id(node))

    def add_name(self, node: cst.Name, scope: Scope) -> None:
        self.names.setdefault(node.value, []).append(node)
        self.scope_of_name[id(node)] = scope

    def role(self, name: cst.Name) -> str:
        """'store', 'load', or 'other' (an attribute, a keyword, an import's name)."""
        parent = self.parent(name)
        # Exact type tests: a failed isinstance against a libcst class (abstract-based) is a Python call.
        if type(parent) is cst.Attribute:
            if parent.attr is name:
                return "other"
            holder: cst.CSTNode | None = parent
            while type(holder) is cst.Attribute:
                holder = self.parent(holder)
            if type(holder) is cst.ImportAlias:  # `http` of `import http.client` binds it
                return "other" if holder.asname is not None else "store"
            if type(holder) is cst.ImportFrom:  # `a` of `from a.b import c` binds nothing
                return "other"
        if type(parent) is cst.Arg and parent.keyword is name:
            return "other"
        if type(parent) is cst.ImportAlias:
            return "other" if parent.asname is not None else "store"
        if type(parent) in (cst.Global, cst.Nonlocal, cst.FunctionDef, cst.ClassDef, cst.Param, cst.AsName):
            return "store"
        node: cst.CSTNode = name
        while type(parent) in _TARGET_HOLDERS:
            assert parent is not None
            node, parent = parent, self.parent(parent)
        if type(parent) in (cst.AssignTarget, cst.Del):
            return "store"
        if type(parent) in _TARGETED and getattr(parent, "target", None) is node:
            return "store"
        return "load"

    def uses(self, scope: Scope, name: str) -> Iterator[tuple[cst.Name, str]]:
        """Every occurrence of `name` in `scope` and in nested scopes that do not bind it."""
        for node in self.names.get(name, ()):
            owner = self.scope_of_name[id(node)]
            if owner is scope or (_nested_in(owner, scope) and not self.binds(owner, name)):
                yield node, self.role(node)

    def binds(self, scope: Scope, name: str) -> bool:
        return any(
            self.scope_of_name[id(node)] is scope and self.role(node) == "store" for node in self.names.get(name, ())
        )

    def loads_of_single(self, target: cst.Name) -> list[cst.Name]:
        """The reads of a variable bound only by `target`."""
        scope = self.scope_of_name[id(target)]
        uses = list(self.uses(scope, target.value))
        stores = [node for node, role in uses if role == "store"]
        if stores != [target]:
            raise NotSimple(f"`{target.value}` is bound more than once")
        return [node for node, role in uses if role == "load"]

    def loads_of_list(self, receiver: cst.Name, extend: cst.CSTNode) -> list[cst.Name]:
        """The reads of a list variable bound once to `[]` and filled by `extend` (`x.extend(...)` or
        `x += ...`, which is not counted as a binding)."""
        scope = self.scope_of_name[id(receiver)]
        uses = list(self.uses(scope, receiver.value))
        stores = [node for node, role in uses if role == "store" and node is not receiver]
        if len(stores) != 1:
            raise NotSimple(f"`{receiver.value}` is bound more than once")
        initial = self._initial_value(stores[0])
        if not isinstance(initial, cst.List) or initial.elements:
            raise NotSimple(f"`{receiver.value}` starts as something other than an empty list")
        return [node for node, role in uses if role == "load" and node is not receiver]

    def _initial_value(self, store: cst.Name) -> cst.BaseExpression | None:
        """What `x = value` or `x, y = value_x, value_y` binds `store` to; None for anything else."""
        target = self.parent(store)
        if isinstance(target, cst.AssignTarget):
            assign = self.parent(target)
            return assign.value if isinstance(assign, cst.Assign) and len(assign.targets) == 1 else None
        element = target
        tuple_ = self.parent(element) if isinstance(element, cst.Element) else None
        target = self.parent(tuple_) if isinstance(tuple_, cst.Tuple) else None
        assign = self.parent(target) if isinstance(target, cst.AssignTarget) else None
        if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.value, cst.Tuple)):
            return None
        assert isinstance(tuple_, cst.Tuple)
        index = next(index for index, item in enumerate(tuple_.elements) if item is element)
        values = assign.value.elements
        if len(values) != len(tuple_.elements) or any(isinstance(item, cst.StarredElement) for item in values):
            return None
        return values[index].value

    def calls_of_function_returning(self, statement: cst.Return) -> list[cst.Call]:
        """The calls of the module-level function (or method of a module-level class) holding
        `statement`, every read of its name being a call."""
        function = self.parent(statement)
        while function is not None and not isinstance(function, cst.FunctionDef):
            function = self.parent(function)
        if function is None or self.module_scope is None:
            raise NotSimple("the answer is returned from outside a function")
        return self.calls_of(function)

    def calls_of(self, function: cst.FunctionDef) -> list[cst.Call]:
        """Every call of `function` when this module holds them all: it runs as a script or the name
        is private, and the name is only ever called."""
        name = function.name.value
        owner = self.scope_of_name.get(id(function.name))
        if self.module_scope is None:
            raise NotSimple(f"`{name}` is not in a module the codemods walked")
        if not (self.script or name.startswith("_")):
            raise NotSimple(f"`{name}` returns the answer to callers in other modules")
        if owner is not None and owner.kind == "class" and owner.parent is self.module_scope:
            return self._method_calls(function)
        if owner is not self.module_scope:
            raise NotSimple(f"`{name}` is neither a module-level function nor a method of a module-level class")
        calls: list[cst.Call] = []
        for node, role in self.uses(self.module_scope, function.name.value):
            if node is function.name:
                continue
            if role == "store":
                raise NotSimple(f"`{function.name.value}` is rebound")
            caller = self.parent(node)
            if role == "load" and isinstance(caller, cst.Call) and caller.func is node:
                calls.append(caller)
            elif role == "load":
                raise NotSimple(f"`{function.name.value}` is used other than by a call")
        return calls

    def arguments_for(
        self, function: cst.FunctionDef, param: cst.Param, callers: list[cst.Call]
    ) -> list[cst.BaseExpression]:
        """What each of `callers` passes positionally for `param` of `function` (after `self` for a
        method of a class); NotSimple when one passes it otherwise (by keyword, unpacked, not at all)."""
        positions = [*function.params.posonly_params, *function.params.params]
        index = next((i for i, item in enumerate(positions) if item is param), -1)
        owner = self.scope_of_name.get(id(function.name))
        index -= 1 if owner is not None and owner.kind == "class" else 0
        values: list[cst.BaseExpression] = []
        for caller in callers:
            arguments = [arg for arg in caller.args if arg.keyword is None]
            if index < 0 or any(arg.star for arg in caller.args) or len(arguments) <= index:
                raise NotSimple(f"`{function.name.value}` is also called without this answer")
            values.append(arguments[index].value)
        return values

    def called_function(self, call: cst.Call) -> tuple[cst.FunctionDef, int] | None:
        """The function of this module `call` calls, with how many parameters come before the
        call's arguments (1 for `self`), when there is exactly one it can be: `helper(x)` for a
        module-level function, `obj.method(x)` for a plain method of a module-level class."""
        if self.module_scope is None:
            return None
        func = call.func
        if isinstance(func, cst.Name):
            wanted, method = func.value, False
        elif isinstance(func, cst.Attribute):
            wanted, method = func.attr.value, True
        else:
            return None
        found: list[cst.FunctionDef] = []
        for node in self.names.get(wanted, ()):
            definition = self.parent(node)
            if isinstance(definition, cst.FunctionDef) and definition.name is node:
                found.append(definition)
        if len(found) != 1 or found[0].decorators or found[0].asynchronous is not None:
            return None
        function = found[0]
        owner = self.scope_of_name.get(id(function.name))
        if owner is None:
            return None
        if method:
            if owner.kind != "class" or owner.parent is not self.module_scope:
                return None
            classes = {
                node.value
                for node in self.names.get(getattr(func.value, "value", ""), ())  # `Client.method(obj, x)`
                if isinstance(self.parent(node), cst.ClassDef)
            }
            return (function, 1) if not classes else None
        return (function, 0) if owner is self.module_scope else None

    def _method_calls(self, method: cst.FunctionDef) -> list[cst.Call]:
        """Every `x.name(...)` of the module, for a method defined once in it; any other use of the
        name (passed as a callback, another definition) makes the callers unknown."""
        name = method.name.value
        calls: list[cst.Call] = []
        for node in self.names.get(name, ()):
            if node is method.name:
                continue
            attribute = self.parent(node)
            if isinstance(attribute, cst.FunctionDef | cst.ClassDef) and attribute.name is node:
                raise NotSimple(f"`{name}` is defined more than once in this module")
            if not (isinstance(attribute, cst.Attribute) and attribute.attr is node):
                continue  # a variable of that name: not the method, which is only reached as an attribute
            caller = self.parent(attribute)
            if (
                isinstance(attribute, cst.Attribute)
                and attribute.attr is node
                and isinstance(caller, cst.Call)
                and caller.func is attribute
            ):
                calls.append(caller)
                continue
            raise NotSimple(f"`{name}` is used other than by a method call")
        return calls


def _nested_in(scope: Scope, outer: Scope) -> bool:
    parent = scope.parent
    while parent is not None:
        if parent is outer:
            return True
        parent = parent.parent
    return False


def descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`node` and every node under it, in source order. Read off the attributes that hold children:
    `CSTNode.children` rebuilds the node to collect them."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        below: list[cst.CSTNode] = []
        for attribute in child_attributes(current):
            value = getattr(current, attribute)
            if isinstance(value, tuple | list):
                below.extend(child for child in value if isinstance(child, cst.CSTNode))
            elif isinstance(value, cst.CSTNode):
                below.append(value)
        stack.extend(reversed(below))


def sole_argument(node: cst.CSTNode | None, function: str) -> cst.BaseExpression | None:
    """X of `function(X)` (a dotted name such as `json.dumps`), called with that one positional
    argument and nothing else; None for any other node."""
    if (
        isinstance(node, cst.Call)
        and dotted_name(node.func) == function
        and len(node.args) == 1
        and node.args[0].keyword is None
        and not node.args[0].star
    ):
        return node.args[0].value
    return None


def string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = evaluated(node)
        return value if isinstance(value, str) else None
    return None


def key_string(subscript: cst.Subscript) -> tuple[str, cst.SimpleString] | None:
    """`x["key"]`: the key and its string node."""
    if len(subscript.slice) != 1:
        return None
    index = subscript.slice[0].slice
    if not isinstance(index, cst.Index) or not isinstance(index.value, cst.SimpleString):
        return None
    value = string_value(index.value)
    return (value, index.value) if value is not None else None


def subscript_chain(node: cst.CSTNode, keys: list[str], quote: str) -> cst.BaseExpression:
    """`node["a"]["b"]` for keys a, b."""
    assert isinstance(node, cst.BaseExpression)
    result: cst.BaseExpression = node
    for key in keys:
        element = cst.SubscriptElement(cst.Index(cst.SimpleString(f"{quote}{key}{quote}")))
        result = cst.Subscript(value=result, slice=[element])
    return result


def binding_of(bindings: Bindings, load: cst.Name) -> tuple[cst.Assign, list[cst.Name]]:
    """For a read of a variable bound once by a plain assignment: that assignment, and every other
    read of the variable."""
    scope = bindings.scope_of_name[id(load)]
    owner: Scope | None = scope
    while owner is not None and not bindings.binds(owner, load.value):
        owner = owner.parent
    if owner is None:
        raise NotSimple(f"`{load.value}` is not bound in this module")
    uses = list(bindings.uses(owner, load.value))
    stores = [node for node, role in uses if role == "store"]
    if len(stores) != 1:
        raise NotSimple(f"`{load.value}` is bound more than once")
    target = bindings.parent(stores[0])
    assign = bindings.parent(target) if target is not None else None
    if not isinstance(target, cst.AssignTarget) or not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        raise NotSimple(f"`{load.value}` is not bound by a plain assignment")
    return assign, [node for node, role in uses if role == "load" and node is not load]


def import_binding(
    bindings: Bindings, local: str, modules: bool = False
) -> tuple[cst.SimpleStatementLine, cst.ImportFrom | cst.Import, cst.ImportAlias] | None:
    """The top-level `from module import ...` statement binding `local` (alone on its line), and the
    name's alias in it; with `modules`, also an `import module` of that one module."""
    for node in bindings.names.get(local, ()):
        alias = bindings.parent(node)
        while type(alias) is cst.Attribute:  # `http` of `import http.client`
            alias = bindings.parent(alias)
        if type(alias) is cst.AsName:
            alias = bindings.parent(alias)
        if type(alias) is not cst.ImportAlias:
            continue
        statement = bindings.parent(alias)
        line = bindings.parent(statement) if statement is not None else None
        if (
            (
                type(statement) is cst.ImportFrom
                or (modules and type(statement) is cst.Import and len(statement.names) == 1)
            )
            and type(line) is cst.SimpleStatementLine
            and len(line.body) == 1
            and type(bindings.parent(line)) is cst.Module
        ):
            return line, statement, alias
    return None


def drop_unused_import(
    context: FileContext,
    bindings: Bindings,
    locals_: Iterable[str],
    dropped: set[int],
    done: set[int],
    fixer: str,
    counted: bool = True,
) -> None:
    """The imports of `locals_` whose every read the migration replaced (`dropped`: those reads' ids)
    lose those names (the line goes when none is left): in a module no other module imports (which
    could read a name from it), where no comment is on a name."""
    if context.imported_elsewhere or bindings.module_scope is None:
        return
    removed: dict[int, tuple[cst.SimpleStatementLine, cst.ImportFrom | cst.Import, list[str]]] = {}
    for local in sorted(set(locals_)):
        found = import_binding(bindings, local, modules=True)
        if found is None:
            continue
        line, statement, alias = found
        if id(alias) in done or "#" in cst.Module([]).code_for_node(alias):
            continue
        loads = [node for node, role in bindings.uses(bindings.module_scope, local) if role == "load"]
        if not loads or any(id(node) not in dropped for node in loads):
            continue
        assert isinstance(statement.names, Sequence)
        names = list(statement.names)
        if alias is names[-1] and len(names) > 1 and "#" in cst.Module([]).code_for_node(names[-2]):
            continue  # the name before takes the last one's comma: its comment would go with its own
        done.add(id(alias))
        removed.setdefault(id(statement), (line, statement, []))[2].append(local)
    for line, statement, gone in removed.values():
        assert isinstance(statement.names, Sequence)
        if len(gone) < len(statement.names) and isinstance(statement, cst.ImportFrom):

            def without(node: cst.CSTNode, gone: list[str] = gone) -> cst.CSTNode:
                for local in gone:
                    node = without_import(cast(cst.ImportFrom, node), local)
                return node

            context.edits.setdefault(id(statement), []).append(Edit(fixer, statement, without, counted))
        elif len(gone) == len(statement.names) and not (
            any(empty.comment is not None for empty in line.leading_lines) or line.trailing_whitespace.comment
        ):
            removal = Edit(fixer, line, lambda _node: cst.RemovalSentinel.REMOVE, counted)
            context.edits.setdefault(id(line), []).append(removal)
            context.dropped_imports.append(line)


def local_name(alias: cst.ImportAlias) -> str:
    """The name an import binds: `b` of `from a import b`, `c` of `from a import b as c`."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return cst.Module([]).code_for_node(alias.name)


def without_import(statement: cst.ImportFrom, local: str) -> cst.ImportFrom:
    """`statement` without the name it imports as `local`; the last name left takes the comma of
    the one removed (a parenthesized import keeps its trailing comma, a plain one has none)."""
    assert isinstance(statement.names, Sequence)
    names = list(statement.names)
    index = next(index for index, alias in enumerate(names) if local_name(alias) == local)
    removed = names.pop(index)
    if index == len(names) and names:
        names[-1] = names[-1].with_changes(comma=removed.comma)
    return statement.with_changes(names=names)


def replace_nodes(
    root: cst.CSTNode, replacements: list[tuple[cst.CSTNode, cst.CSTNode]], parents: dict[int, cst.CSTNode]
) -> cst.CSTNode:
    """A copy of `root` with each old node (inside it) replaced by its new one; only the nodes on the
    way to them are rebuilt, the original tree is left as it was."""
    on_the_way: set[int] = set()
    for old, _new in replacements:
        node: cst.CSTNode | None = old
        while node is not None and id(node) not in on_the_way:
            on_the_way.add(id(node))
            node = parents.get(id(node)) if node is not root else None
    return _replaced(root, {id(old): new for old, new in replacements}, on_the_way)


def _replaced(node: cst.CSTNode, replacements: dict[int, cst.CSTNode], on_the_way: set[int]) -> cst.CSTNode:
    if id(node) in replacements:
        return replacements[id(node)]
    changes: dict[str, object] = {}
    for attribute in child_attributes(node):
        value = getattr(node, attribute)
        if isinstance(value, cst.CSTNode) and id(value) in on_the_way:
            changes[attribute] = _replaced(value, replacements, on_the_way)
        elif isinstance(value, tuple | list) and any(id(item) in on_the_way for item in value):
            changes[attribute] = tuple(
                _replaced(item, replacements, on_the_way) if id(item) in on_the_way else item for item in value
            )
    return node.with_changes(**changes) if changes else node


def removable_statement(bindings: Bindings, assign: cst.Assign) -> cst.SimpleStatementLine | None:
    """The statement of a plain assignment the codemods may delete once nothing reads its name: a
    statement of its own, without a comment, in a function or a script's module (another module may
    import a public module-level name)."""
    statement = bindings.parent(assign)
    target = assign.targets[0].target
    owner = bindings.scope_of_name.get(id(target))
    if (
        not isinstance(statement, cst.SimpleStatementLine)
        or len(statement.body) != 1
        or not isinstance(target, cst.Name)
        or _has_comment(statement)
    ):
        return None
    module_level = owner is bindings.module_scope or (owner is not None and owner.kind != "function")
    if module_level and not (bindings.script or target.value.startswith("_")):
        return None
    return statement


def _has_comment(statement: cst.SimpleStatementLine) -> bool:
    return any(line.comment is not None for line in statement.leading_lines) or (
        statement.trailing_whitespace.comment is not None
    )
