"""`walk_tree` visits what `CSTNode.visit` visits, in the same order, without rebuilding nodes."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrator.analysis.visitor import BLANKS, TRIVIA, DispatchingVisitor, walk_tree

# f-strings first without, then with a format spec: libcst skips a None format_spec, so the order
# learned from the first FormattedStringExpression must not be reused for the second.
SOURCE = '''
import requests as r
x = f"{a}" + f"{b:>{width}}" + f"{c!r:10}"

@decorator(1)
class A(B, metaclass=M):
    def f(self, a, /, b: int = 2, *args, c, **kw) -> "A":
        """doc"""
        with open(p) as h, other():
            return [y async for y in z if y] or {k: v for k, v in d.items()}
        match command:
            case {"x": 1, **rest} | [1, *others]:
                pass
        try:
            lambda q=1: q
        except* (E, F) as error:
            raise X from error
        finally:
            del a[1:2, ::3]
'''

COMMENTED = """y = (1 +  # after an operator
     2)
f(a,  # after a comma
  b)
g(  # after a paren
  c)
# on its own line
z = 1  # trailing
"""


class _Recorder:
    def __init__(self, prune: type[cst.CSTNode]) -> None:
        self.seen: list[tuple[str, cst.CSTNode]] = []
        self.prune = prune

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.seen.append(("visit", node))
        return not isinstance(node, self.prune)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.seen.append(("leave", original_node))


class _Libcst(_Recorder, cst.CSTVisitor):
    pass


class _Ours(_Recorder, DispatchingVisitor):
    pass


def _same(a: list[tuple[str, cst.CSTNode]], b: list[tuple[str, cst.CSTNode]]) -> bool:
    return len(a) == len(b) and all(x[0] == y[0] and x[1] is y[1] for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("prune", [cst.Comment, cst.Lambda, cst.IndentedBlock])
def test_same_nodes_in_the_same_order(prune):
    module = cst.parse_module(SOURCE)
    theirs, ours = _Libcst(prune), _Ours(prune)
    module.visit(theirs)
    walk_tree(module, ours)
    assert len(ours.seen) > 150
    assert _same(theirs.seen, ours.seen)


def test_same_order_over_this_projects_own_code():
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "migrator").rglob("*.py"))[:25]:
        module = cst.parse_module(path.read_text())
        theirs, ours = _Libcst(cst.Comment), _Ours(cst.Comment)
        module.visit(theirs)
        walk_tree(module, ours)
        assert _same(theirs.seen, ours.seen), path


def test_hooks_are_dispatched_by_node_class():
    class Calls(DispatchingVisitor):
        def __init__(self) -> None:
            self.names: list[str] = []

        def visit_Call(self, node: cst.Call) -> bool:
            self.names.append(cst.Module([]).code_for_node(node.func))
            return False  # nested calls are not visited

    calls = Calls()
    walk_tree(cst.parse_module("a(b(c)); d.e()\n"), calls)
    assert calls.names == ["a", "d.e"]


def test_an_attribute_hook_is_refused_when_declared():
    with pytest.raises(TypeError, match="attribute hooks"):

        class _Bad(DispatchingVisitor):
            def visit_Call_func(self, node: cst.Call) -> None:
                pass


def _without(seen: list[tuple[str, cst.CSTNode]], kinds: frozenset[type[cst.CSTNode]]) -> list[tuple[str, cst.CSTNode]]:
    """libcst's walk with the subtrees under `kinds` taken out."""
    kept, depth = [], 0
    for event, node in seen:
        if event == "visit" and (depth or isinstance(node, tuple(kinds))):
            depth += 1
        elif event == "leave" and depth:
            depth -= 1
        else:
            kept.append((event, node))
    return kept


@pytest.mark.parametrize("kinds", [TRIVIA, BLANKS], ids=["trivia", "blanks"])
def test_unvisited_classes_are_not_entered(kinds):
    class Skipping(_Recorder, DispatchingVisitor):
        unvisited = kinds

    module = cst.parse_module(COMMENTED)
    theirs, ours = _Libcst(cst.Comment), Skipping(cst.Comment)
    module.visit(theirs)
    walk_tree(module, ours)
    assert len(ours.seen) < len(theirs.seen)
    assert _same(_without(theirs.seen, kinds), ours.seen)


def test_skipping_blanks_keeps_every_comment():
    class Skipping(_Recorder, DispatchingVisitor):
        unvisited = BLANKS

    ours = Skipping(cst.Comment)
    walk_tree(cst.parse_module(COMMENTED), ours)
    comments = [node.value for event, node in ours.seen if event == "visit" and isinstance(node, cst.Comment)]
    assert comments == ["# after an operator", "# after a comma", "# after a paren", "# on its own line", "# trailing"]


def test_a_walk_leaves_no_cycle_holding_the_visitor_and_the_tree():
    """Freed as soon as it is no longer used, not by the garbage collector, tree after tree."""
    import gc
    import weakref

    class Names(DispatchingVisitor):
        def __init__(self) -> None:
            self.names: list[str] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.names.append(node.value)

    module = cst.parse_module(SOURCE)
    visitor = Names()
    parents: dict[int, cst.CSTNode] = {}
    gone = weakref.ref(visitor)
    enabled = gc.isenabled()
    gc.disable()
    try:
        walk_tree(module, visitor, parents)
        assert "requests" in visitor.names and parents
        del visitor
        assert gone() is None
    finally:
        if enabled:
            gc.enable()
