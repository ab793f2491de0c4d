"""Read-only libcst walks at a fraction of `CSTNode.visit`'s cost.

`CSTNode.visit` rebuilds (and validates) every node of the tree even for a visitor that changes
nothing, and `cst.CSTVisitor` finds `visit_<Node>`, `leave_<Node>` and the attribute hooks
`visit_<Node>_<attribute>` with a formatted-name `getattr` on every node and every child attribute.
`walk_tree` visits the same nodes in the same order without rebuilding anything, and
`DispatchingVisitor` looks its hooks up once per node class. Attribute hooks are not supported: a
subclass defining one is refused when it is declared rather than silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any, ClassVar

import libcst as cst

_ATTRIBUTE_HOOK = re.compile(r"^(visit|leave)_[A-Z][A-Za-z]*_[a-z_]+$")

_Hook = Callable[[Any, Any], Any] | None


def _derives(kind: type, bases: tuple[type, ...]) -> bool:
    """`issubclass(kind, bases)` read off the class's own bases. libcst's bases are abstract, and
    `issubclass` on an abstract class that does not match searches all its subclasses: asked of
    every class libcst exports, that took a twentieth of a second of every start."""
    return any(base in kind.__mro__ for base in bases)


_OPERATORS = (cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp)

BLANKS: frozenset[type[cst.CSTNode]] = frozenset({cst.Newline, cst.SimpleWhitespace})
"""Leaves that hold nothing but blanks: no comment can be under them."""

TRIVIA: frozenset[type[cst.CSTNode]] = BLANKS | {
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comment,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.ParenthesizedWhitespace,
    *(kind for kind in vars(cst).values() if isinstance(kind, type) and _derives(kind, _OPERATORS)),
}
"""Punctuation, operators and whitespace, with the comments the whitespace holds (a comment can sit
after a comma or an operator inside brackets, so a walk that wants comments skips BLANKS only)."""


class DispatchingVisitor(cst.CSTVisitor):
    _hooks: ClassVar[dict[type[cst.CSTNode], tuple[_Hook, _Hook]]] = {}
    unvisited: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset()
    """Node classes `walk_tree` does not enter (nor anything under them): about half the nodes of a
    tree are punctuation and whitespace, which most walks have no use for."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._hooks = {}
        own = {name for klass in cls.__mro__[: cls.__mro__.index(DispatchingVisitor)] for name in vars(klass)}
        for name in sorted(own):
            if _ATTRIBUTE_HOOK.match(name):
                raise TypeError(f"{cls.__name__}.{name}: attribute hooks are not dispatched by DispatchingVisitor")

    def _hooks_of(self, kind: type[cst.CSTNode]) -> tuple[_Hook, _Hook]:
        hooks = self._hooks.get(kind)
        if hooks is None:
            cls = type(self)
            hooks = (getattr(cls, f"visit_{kind.__name__}", None), getattr(cls, f"leave_{kind.__name__}", None))
            cls._hooks[kind] = hooks
        return hooks

    def on_visit(self, node: cst.CSTNode) -> bool:
        visit = (self._hooks.get(type(node)) or self._hooks_of(type(node)))[0]
        return visit is None or visit(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        leave = (self._hooks.get(type(original_node)) or self._hooks_of(type(original_node)))[1]
        if leave is not None:
            leave(self, original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


class _AttributeOrder(cst.CSTVisitor):
    """Records which attributes a node's own `visit` walks, in order, and stops there."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if attribute not in self.order:
            self.order.append(attribute)


# Per node class, the attributes holding children in the order libcst visits them (lexical order),
# learned from libcst's own traversal so it cannot drift. A few classes leave out an attribute when
# it is None (FormattedStringExpression.format_spec, Index.star); for those the order is kept per
# pattern of which such attributes are None.
_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_MAYBE_LEFT_OUT: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_ORDER_BY_NONES: dict[tuple[type[cst.CSTNode], tuple[bool, ...]], tuple[str, ...]] = {}


def _recorded(node: cst.CSTNode) -> tuple[str, ...]:
    recorder = _AttributeOrder()
    node._visit_and_replace_children(recorder)
    return tuple(recorder.order)


def child_attributes(node: cst.CSTNode) -> tuple[str, ...]:
    kind = type(node)
    order = _ORDER.get(kind)
    if order is not None:
        return order
    left_out = _MAYBE_LEFT_OUT.get(kind)
    if left_out is not None:
        key = (kind, tuple(getattr(node, name) is None for name in left_out))
        order = _ORDER_BY_NONES.get(key)
        if order is None:
            order = _ORDER_BY_NONES[key] = _recorded(node)
        return order
    order = _recorded(node)
    left_out = tuple(f.name for f in fields(node) if f.name not in order and getattr(node, f.name) is None)
    if left_out:
        _MAYBE_LEFT_OUT[kind] = left_out
        _ORDER_BY_NONES[(kind, (True,) * len(left_out))] = order
    else:
        _ORDER[kind] = order
    return order


class KindTest:
    """`issubclass(kind, bases)`, worked out once per class. An isinstance test against libcst's
    abstract bases (CSTNode, BaseCompoundStatement) costs an `__instancecheck__` call, and walks ask
    one of every node."""

    def __init__(self, *bases: type) -> None:
        self.bases = bases
        self.known: dict[type, bool] = {}

    def __call__(self, kind: type) -> bool:
        known = self.known.get(kind)
        if known is None:
            known = self.known[kind] = _derives(kind, self.bases)
        return known


_is_node = KindTest(cst.CSTNode)
_ENTERED: dict[frozenset[type[cst.CSTNode]], dict[type, bool]] = {}


def _walked(node: cst.CSTNode) -> None:
    raise RuntimeError("this walk is over")


def walk_tree(node: cst.CSTNode, visitor: DispatchingVisitor, parents: dict[int, cst.CSTNode] | None = None) -> None:
    """`node.visit(visitor)` for a visitor that changes nothing, without rebuilding the tree. With
    `parents`, each visited node's parent is recorded there (by the child's id) before it is visited.

    Every tree walk of a scan and of an apply run goes through here, so the per-node work is kept to
    dictionary lookups: a node class's hooks, its children's attributes and whether a kind of child
    is entered are each learned once. A visitor that overrides `on_visit` or `on_leave` is called
    through them; otherwise its hooks are called directly."""
    cls = type(visitor)
    hooks = cls._hooks
    hooks_of = visitor._hooks_of
    on_visit = visitor.on_visit if cls.on_visit is not DispatchingVisitor.on_visit else None
    on_leave = visitor.on_leave if cls.on_leave is not DispatchingVisitor.on_leave else None
    unvisited = visitor.unvisited
    entered = _ENTERED.setdefault(unvisited, {})
    orders = _ORDER

    def enters(kind: type) -> bool:
        known = entered.get(kind)
        if known is None:
            known = entered[kind] = kind not in unvisited and _is_node(kind)
        return known

    def walk(node: cst.CSTNode) -> None:
        going: bool | None
        kind = type(node)
        visit, leave = hooks.get(kind) or hooks_of(kind)
        going = on_visit(node) if on_visit is not None else visit is None or visit(visitor, node) is not False
        if going:
            for attribute in orders.get(kind) or child_attributes(node):
                value = getattr(node, attribute)
                if type(value) is tuple or type(value) is list:
                    for child in value:
                        going = entered.get(type(child))
                        if going is None:
                            going = enters(type(child))
                        if going:
                            if parents is not None:
                                parents[id(child)] = node
                            walk(child)
                else:
                    going = entered.get(type(value))
                    if going is None:
                        going = enters(type(value))
                    if going:
                        if parents is not None:
                            parents[id(value)] = node
                        walk(value)
        if on_leave is not None:
            on_leave(node)
        elif leave is not None:
            leave(visitor, node)

    try:
        walk(node)
    finally:
        # `walk` reaches itself through its closure: a cycle that would hold the visitor and the
        # parents (so the whole tree) until the garbage collector came for them, tree after tree.
        walk = _walked
