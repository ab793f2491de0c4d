"""A node's text where it stands in its file: printed at its block's indentation, and where it starts.

Both go through libcst's public surface only (`Module.code_for_node`, `PositionProvider`): a
library must not reach into a dependency's private modules.

`code_at` prints a statement as it reads inside its blocks: the statement is put inside one `if _:`
per enclosing block, each block indented as the real one is, and those header lines are cut off.

`start_positions` answers where a handful of nodes start (a scan reports a few per file).
PositionProvider over a whole module costs about six times printing it, so each node is placed
within the innermost statement around it: that statement is printed at its real indentation (as
`code_at` prints it) with a mark in the node's stead, rebuilding only the nodes between the two,
and what is printed before the mark is compared with the source where CPython's parser says the
statement starts (its line numbers cost nothing more than a parse). Kinds no mark can stand in for
are placed by PositionProvider over that statement alone. When the source reads otherwise, or a
node is not inside a statement CPython numbers, the whole module is positioned instead. The
answers are PositionProvider's: lines from 1, columns from 0.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .visitor import DispatchingVisitor, KindTest, walk_tree

__all__ = ["code_at", "start_positions"]

_LINE_END = re.compile(r"\r\n|\r|\n")
_HOLDER = cst.Name("_")


def _wrapped(node: cst.BaseStatement, indents: Sequence[str]) -> cst.BaseStatement:
    for indent in reversed(indents):
        node = cst.If(test=_HOLDER, body=cst.IndentedBlock(body=[node], indent=indent))
    return node


def _holders(module: cst.Module, indents: Sequence[str]) -> str:
    return "".join("".join(indents[:depth]) + "if _:" + module.default_newline for depth in range(len(indents)))


def code_at(module: cst.Module, node: cst.BaseStatement | cst.EmptyLine, indents: Sequence[str]) -> str:
    """`node` (a statement of `module`, or a comment line before one) printed inside blocks
    indented by `indents`, outermost first, as `module.code` prints it there."""
    if isinstance(node, cst.EmptyLine):
        return ("".join(indents) if node.indent else "") + module.code_for_node(node)
    text = module.code_for_node(_wrapped(node, indents))
    holders = _holders(module, indents)
    if not text.startswith(holders):
        raise ValueError("the enclosing blocks printed otherwise than expected")
    return text[len(holders) :]


# libcst statements whose first block CPython numbers as `body`: a node in that block is placed by
# the statement inside it; a node elsewhere in them (an `else:` block, a handler) by the whole one.
_DESCENDED = (cst.FunctionDef, cst.ClassDef, cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar)


class _Parents(DispatchingVisitor):
    """A walk that only records each node's parent."""


_IS_STATEMENT = KindTest(cst.BaseStatement)


def _statement_paths(
    module: cst.Module, wanted: dict[int, cst.CSTNode], parents: dict[int, cst.CSTNode] | None
) -> tuple[dict[int, list[cst.BaseStatement]], dict[int, cst.CSTNode]]:
    """For each wanted node, the statements around it, outermost first, itself last when it is one
    (empty: none); and each node's parent by the child's id: `parents`, or when it does not hold
    every wanted node, what a walk of the module records."""
    if parents is None or any(key not in parents for key in wanted):
        parents = {}
        walk_tree(module, _Parents(), parents)
    paths: dict[int, list[cst.BaseStatement]] = {}
    for key, node in wanted.items():
        if key not in parents:
            continue
        around: list[cst.BaseStatement] = []
        step: cst.CSTNode | None = node
        while step is not None:
            if _IS_STATEMENT(type(step)):
                around.append(step)  # type: ignore[arg-type]
            step = parents.get(id(step))
        paths[key] = around[::-1]
    return paths, parents


class _Misplaced(Exception):
    """CPython's statements and libcst's do not line up here: position the whole module."""


def _innermost(
    path: list[cst.BaseStatement], module: cst.Module, tree: ast.Module
) -> tuple[cst.BaseStatement, list[str], int]:
    """The statement that places a node (the innermost of `path` a block leads to), its blocks'
    indentation, and its first line (its comment lines before it included)."""
    block: Sequence[cst.BaseStatement] = module.body
    numbered: list[ast.stmt] = tree.body
    indents: list[str] = []
    for depth, statement in enumerate(path):
        index = next((i for i, candidate in enumerate(block) if candidate is statement), None)
        if index is None:
            raise _Misplaced
        position = sum(len(s.body) if isinstance(s, cst.SimpleStatementLine) else 1 for s in block[:index])
        if position >= len(numbered):
            raise _Misplaced
        head = numbered[position]
        inner = path[depth + 1] if depth + 1 < len(path) else None
        body, numbered_body = getattr(statement, "body", None), getattr(head, "body", None)
        if (
            inner is not None
            and isinstance(statement, _DESCENDED)
            and isinstance(body, cst.IndentedBlock)
            and any(candidate is inner for candidate in body.body)
            and isinstance(numbered_body, list)
        ):
            indents.append(module.default_indent if body.indent is None else body.indent)
            block, numbered = body.body, numbered_body
            continue
        line = min([head.lineno, *(item.lineno for item in getattr(head, "decorator_list", ()))])
        return statement, indents, line - len(getattr(statement, "leading_lines", ()))
    raise _Misplaced


def start_positions(
    module: cst.Module,
    nodes: Iterable[cst.CSTNode],
    source: str | None = None,
    parents: dict[int, cst.CSTNode] | None = None,
) -> dict[int, tuple[int, int]]:
    """(line, column) of each node, keyed by `id(node)`; the nodes must belong to `module`, which
    was parsed from `source` (printed from the module when not given). `parents`: each node's
    parent by the child's id, as a walk of the module recorded them (saves walking it again)."""
    wanted = {id(node): node for node in nodes}
    if not wanted:
        return {}
    text = module.code if source is None else source
    try:
        return _by_statement(module, wanted, text, parents)
    except (_Misplaced, SyntaxError, ValueError, RecursionError, MemoryError):
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        return {key: (positions[node].start.line, positions[node].start.column) for key, node in wanted.items()}


def _by_statement(
    module: cst.Module, wanted: dict[int, cst.CSTNode], text: str, parents: dict[int, cst.CSTNode] | None
) -> dict[int, tuple[int, int]]:
    paths, parents = _statement_paths(module, wanted, parents)
    if len(paths) < len(wanted) or not all(paths.values()):
        raise _Misplaced  # a node outside every statement (the module's own comment lines), or not found
    tree = ast.parse(text.removeprefix("\ufeff"))
    line_starts = [0, 0] + [match.end() for match in _LINE_END.finditer(text)]
    groups: dict[int, tuple[cst.BaseStatement, list[str], int, list[int]]] = {}
    for key, path in paths.items():
        statement, indents, line = _innermost(path, module, tree)
        groups.setdefault(id(statement), (statement, indents, line, []))[3].append(key)
    found: dict[int, tuple[int, int]] = {}
    for statement, indents, line, keys in groups.values():
        if line < 1 or line >= len(line_starts):
            raise _Misplaced
        start = line_starts[line]
        unmarked = [
            key
            for key in keys
            if not _place_by_mark(module, statement, indents, (line, start, text), wanted[key], parents, found)
        ]
        if unmarked:
            if not text.startswith(code_at(module, statement, indents), start):
                raise _Misplaced
            _place_by_provider(module, statement, indents, line, [(key, wanted[key]) for key in unmarked], found)
    return found


_MARK = "__segment_migrator_position_mark__"


def _stand_in(node: cst.CSTNode) -> tuple[cst.CSTNode, cst.CSTNode, int] | None:
    """(the node to replace, what replaces it, the offset of the mark from the node's start) such
    that the mark prints where PositionProvider starts `node`; None for a kind not covered."""
    if isinstance(node, cst.SimpleStatementLine) and node.body:
        return _stand_in(node.body[0])  # it starts where its first statement does, after the indent
    if isinstance(node, cst.DictElement):  # it starts where its key does, parentheses included
        return node.key, cst.Name(_MARK), 0
    if isinstance(node, cst.Arg) and node.keyword is None and not node.star:
        return node.value, cst.Name(_MARK), 0
    if isinstance(node, cst.BaseExpression):  # its start is past its own parentheses, as the mark's is
        return node, cst.Name(_MARK, lpar=node.lpar, rpar=node.rpar), 0
    if isinstance(node, cst.Comment):
        return node, cst.Comment("#" + _MARK), 1
    if isinstance(node, cst.BaseSmallStatement):
        return node, cst.Expr(cst.Name(_MARK), semicolon=node.semicolon), 0
    return None


def _replaced(parent: cst.CSTNode, old: cst.CSTNode, new: cst.CSTNode) -> cst.CSTNode:
    """`parent` with its child `old` (a field, or an item of one) replaced by `new`."""
    for field in dataclasses.fields(parent):
        value = getattr(parent, field.name)
        if value is old:
            return parent.with_changes(**{field.name: new})
        if isinstance(value, (tuple, list)) and any(item is old for item in value):
            items = [new if item is old else item for item in value]
            return parent.with_changes(**{field.name: tuple(items) if isinstance(value, tuple) else items})
    raise _Misplaced


def _place_by_mark(
    module: cst.Module,
    statement: cst.BaseStatement,
    indents: list[str],
    where: tuple[int, int, str],
    node: cst.CSTNode,
    parents: dict[int, cst.CSTNode],
    found: dict[int, tuple[int, int]],
) -> bool:
    """Place `node` by printing its statement with a mark in its stead: what is printed before the
    mark is what the statement prints before the node, and where (`where`: the statement's first
    line, that line's offset in the source, the source) the source reads the same, the node starts
    right after it. Only the nodes from it up to the statement are rebuilt, so this costs one
    printing of the statement. False when the node's kind has no stand-in, the mark cannot be read,
    or the source reads otherwise."""
    stand_in = _stand_in(node)
    if stand_in is None:
        return False
    old, new, shift = stand_in
    step: cst.CSTNode = old
    try:
        while step is not statement:
            parent = parents.get(id(step))
            if parent is None:
                return False
            new = _replaced(parent, step, new)
            step = parent
        marked = code_at(module, cast(cst.BaseStatement, new), indents)
    except Exception:  # a parent whose checks refuse the stand-in: the provider places it
        return False
    line, offset, text = where
    at = marked.find(_MARK)
    if at < 0 or marked.find(_MARK, at + 1) >= 0 or not text.startswith(marked[: at - shift], offset):
        return False
    start = at - shift
    breaks = [match.end() for match in _LINE_END.finditer(marked, 0, start)]
    found[id(node)] = (line + len(breaks), start - (breaks[-1] if breaks else 0))
    return True


def _place_by_provider(
    module: cst.Module,
    statement: cst.BaseStatement,
    indents: list[str],
    line: int,
    keyed: list[tuple[int, cst.CSTNode]],
    found: dict[int, tuple[int, int]],
) -> None:
    holder = cst.Module(
        body=[cast(cst.SimpleStatementLine | cst.BaseCompoundStatement, _wrapped(statement, indents))],
        header=(),
        footer=(),
        default_indent=module.default_indent,
        default_newline=module.default_newline,
    )
    positions = MetadataWrapper(holder, unsafe_skip_copy=True).resolve(PositionProvider)
    for key, node in keyed:
        start = positions[node].start
        found[key] = (line + start.line - 1 - len(indents), start.column)
