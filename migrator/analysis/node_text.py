"""A node's text where it stands in its file: printed at its block's indentation, and where it starts.

Both go through libcst's public surface only (`Module.code_for_node`, `PositionProvider`): a
library must not reach into a dependency's private modules.

`code_at` prints a statement as it reads inside its blocks: the statement is put inside one `if _:`
per enclosing block, each block indented as the real one is, and those header lines are cut off.

`start_positions` answers where a handful of nodes start (a scan reports a few per file).
PositionProvider over a whole module costs about six times printing it, so it runs over the
innermost statement around each node only, printed at its real indentation as `code_at` prints it;
the line that statement starts on comes from CPython's own parser (its line numbers cost nothing
more than a parse). Each statement's printed text is compared with the source at that line; when
they differ, or a node is not inside a statement CPython numbers, the whole module is positioned
instead. The answers are PositionProvider's: lines from 1, columns from 0.
"""

from __future__ import annotations

import ast
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
) -> dict[int, list[cst.BaseStatement]]:
    """For each wanted node, the statements around it, outermost first, itself last when it is one
    (empty: none). `parents` (each node's parent by the child's id) is recorded by a walk of the
    module when it does not hold every wanted node."""
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
    return paths


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
    paths = _statement_paths(module, wanted, parents)
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
        printed = code_at(module, statement, indents)
        if line < 1 or line >= len(line_starts) or not text.startswith(printed, line_starts[line]):
            raise _Misplaced
        holder = cst.Module(
            body=[cast(cst.SimpleStatementLine | cst.BaseCompoundStatement, _wrapped(statement, indents))],
            header=(),
            footer=(),
            default_indent=module.default_indent,
            default_newline=module.default_newline,
        )
        positions = MetadataWrapper(holder, unsafe_skip_copy=True).resolve(PositionProvider)
        for key in keys:
            start = positions[wanted[key]].start
            found[key] = (line + start.line - 1 - len(indents), start.column)
    return found
