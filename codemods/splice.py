"""The migrated text of a file without generating all of it again.

A rewrite changes a few statements; `Module.code` would print every node of the file back. Here
only the statements that changed are printed, and spliced into the original text. Which lines each
old statement holds comes from CPython's own parser (its line numbers: cheap) together with the
comment and blank lines libcst keeps before and after it. Every boundary is worked out twice, as
the end of one statement and the start of the next, and the two must agree. Anything unexpected (a
boundary that does not agree, a changed header or footer, a last line without its newline, lone
carriage returns) returns None, and the caller prints the whole module as before.

Within a compound statement whose only changes are in its indented body (a `def main():` holding a
whole script) or in the comment lines before it (a TODO), the splice goes down to those instead of
printing the whole statement.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

import libcst as cst

from migrator.analysis.node_text import code_at
from migrator.analysis.visitor import child_attributes

__all__ = ["Splice", "spliced_code"]

_LINE_END = re.compile(r"\r\n|\r|\n")


class _Mismatch(Exception):
    """The line numbers and libcst's tree do not tell the same story: print the whole module."""


_CLAUSES = (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.If, cst.MatchCase)


def _last_block(node: cst.CSTNode) -> cst.IndentedBlock | None:
    """The indented block a compound statement's text ends with (its last clause's), or None when
    that clause is on one line."""
    for attribute in reversed(child_attributes(node)):
        value = getattr(node, attribute)
        for child in reversed(value) if isinstance(value, tuple | list) else (value,):
            if isinstance(child, cst.IndentedBlock):
                return child
            if isinstance(child, cst.SimpleStatementSuite):
                return None
            if isinstance(child, _CLAUSES):
                return _last_block(child)
    return None


def _trailing_lines(statement: cst.BaseStatement) -> int:
    """Comment and blank lines libcst keeps at the end of a statement, after the last line CPython
    counts as part of it (the footers of its last blocks)."""
    block = _last_block(statement) if isinstance(statement, cst.BaseCompoundStatement) else None
    if block is None:
        return 0
    return len(block.footer) + (_trailing_lines(block.body[-1]) if block.body else 0)


def _same_items(before: object, after: object) -> bool:
    """The very same node, or sequences of the very same nodes (a rebuilt tuple of them counts)."""
    if before is after:
        return True
    if not (isinstance(before, tuple | list) and isinstance(after, tuple | list) and len(before) == len(after)):
        return False
    return all(x is y for x, y in zip(before, after, strict=True))


def _same_but(old: cst.CSTNode, new: cst.CSTNode, allowed: tuple[str, ...]) -> bool:
    """Whether every field of the two nodes but the `allowed` ones holds the same nodes."""
    return all(_same_items(getattr(old, f.name), getattr(new, f.name)) for f in fields(old) if f.name not in allowed)


class _Splicer:
    def __init__(self, source: str, module: cst.Module) -> None:
        self.source = source
        self.module = module
        self.line_starts = [0, 0] + [match.end() for match in _LINE_END.finditer(source)]
        self.edits: list[tuple[int, int, str]] = []
        self.printed: list[tuple[tuple[str, ...], str]] = []

    def code(self, node: cst.BaseStatement | cst.EmptyLine, indents: list[str]) -> str:
        return code_at(self.module, node, indents)

    def offset(self, line: int) -> int:
        if line < 1 or line >= len(self.line_starts):
            raise _Mismatch
        return self.line_starts[line]

    def lines(
        self, statements: Sequence[cst.BaseStatement], tree: list[ast.stmt], first: int | None, end: int
    ) -> list[tuple[int, int, ast.stmt]]:
        """Each statement's lines, [start, end), from CPython's line numbers and libcst's leading
        and trailing lines; each boundary is found twice (the end of one statement, the start of the
        next) and the two must agree, as must the block's first and end lines."""
        spans: list[tuple[int, int, ast.stmt]] = []
        position = 0
        for statement in statements:
            group = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
            if position + group > len(tree):
                raise _Mismatch
            head, tail = tree[position], tree[position + group - 1]
            position += group
            line = min([head.lineno, *(item.lineno for item in getattr(head, "decorator_list", ()))])
            start = line - len(getattr(statement, "leading_lines", ()))
            stop = (tail.end_lineno or 0) + 1 + _trailing_lines(statement)
            expected = spans[-1][1] if spans else first
            if expected is not None and start != expected:
                raise _Mismatch
            spans.append((start, stop, head))
        if position != len(tree) or (spans and spans[-1][1] != end):
            raise _Mismatch
        return spans

    def block(
        self,
        old: Sequence[cst.BaseStatement],
        new: Sequence[cst.BaseStatement],
        tree: list[ast.stmt],
        indents: list[str],
        first: int | None,
        end: int,
    ) -> None:
        spans = self.lines(old, tree, first, end)
        kept = {id(statement) for statement in new}
        olds = {id(statement) for statement in old}
        position = 0
        index = 0
        while index < len(old) or position < len(new):
            if index < len(old) and position < len(new) and new[position] is old[index]:
                index += 1
                position += 1
                continue
            removed = []  # a run of old statements gone, and the new ones in their place
            while index < len(old) and id(old[index]) not in kept:
                removed.append(index)
                index += 1
            added = []
            while position < len(new) and id(new[position]) not in olds:
                added.append(new[position])
                position += 1
            if not removed and not added:
                raise _Mismatch  # reordered: not a splice
            if len(removed) == len(added):  # each statement rewritten in place
                for where, statement in zip(removed, added, strict=True):
                    if not self._narrow(old[where], statement, spans[where], indents):
                        start, stop = spans[where][0], spans[where][1]
                        self._edit(self.offset(start), self.offset(stop), self.code(statement, indents), indents)
                continue
            if removed:
                start, stop = spans[removed[0]][0], spans[removed[-1]][1]
            else:
                start = stop = spans[index][0] if index < len(old) else end
            text = "".join(self.code(statement, indents) for statement in added)
            self._edit(self.offset(start), self.offset(stop), text, indents)

    def _narrow(
        self,
        old: cst.BaseStatement,
        new: cst.BaseStatement,
        span: tuple[int, int, ast.stmt],
        indents: list[str],
    ) -> bool:
        """Splice only what changed in a statement when that is its comment lines before it (a TODO
        added), the indented body of a compound statement whose last clause it is (its end is then
        known), or both."""
        if type(old) is not type(new) or not _same_but(old, new, ("leading_lines", "body")):
            return False
        old_body, new_body = getattr(old, "body", None), getattr(new, "body", None)
        if old_body is not new_body:
            if not isinstance(old, cst.BaseCompoundStatement) or _last_block(old) is not old_body:
                return False
            if not isinstance(old_body, cst.IndentedBlock) or not isinstance(new_body, cst.IndentedBlock):
                return False
            inner = getattr(span[2], "body", None)
            if (
                not old_body.body
                or not new_body.body
                or not isinstance(inner, list)
                or not _same_but(old_body, new_body, ("body",))
            ):
                return False
            indent = self.module.default_indent if old_body.indent is None else old_body.indent
            self.block(old_body.body, new_body.body, inner, [*indents, indent], None, span[1] - len(old_body.footer))
        old_lines, new_lines = getattr(old, "leading_lines", ()), getattr(new, "leading_lines", ())
        if not _same_items(old_lines, new_lines):
            text = "".join(self.code(line, indents) for line in new_lines)
            self._edit(self.offset(span[0]), self.offset(span[0] + len(old_lines)), text, indents)
        return True

    def _edit(self, start: int, end: int, text: str, indents: list[str]) -> None:
        self.edits.append((start, end, text))
        self.printed.append((tuple(indents), text))

    def result(self) -> str:
        text = self.source
        for start, end, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


@dataclass(frozen=True)
class Splice:
    text: str
    """`new.code`, exactly."""
    printed: list[tuple[tuple[str, ...], str]]
    """What was printed into the source, each with the indentation of the block it went into."""
    replaced: list[tuple[int, int, str]]
    """Where it went: (start, end, text) replacements of the source, in order, each of whole lines."""

    def check(self, path: str) -> None:
        """Raise SyntaxError (or what the parser raises) unless `text` parses, parsing only what was
        printed. The rest of the text is the source's own, whole statements and comment lines of a
        file that parsed; what was printed is whole lines too. Python reads a file line by line,
        and each block by the indentation its first statement sets, so the text parses when every
        printed piece parses after a statement at its block's indentation: `if 1:` headers stand
        for the blocks around it, and `pass` sets the indentation it must match."""
        for indents, piece in self.printed:
            if piece and not piece.endswith(("\n", "\r")):
                compile(self.text, path, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
                return  # a piece that ends mid-line: only the whole text tells
            header = "".join("".join(indents[:depth]) + "if 1:\n" for depth in range(len(indents)))
            opening = "".join(indents) + "pass\n" if indents else ""
            compile(header + opening + piece, path, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)


def spliced_code(source: str, old: cst.Module, new: cst.Module) -> Splice | None:
    """`new.code`, printed only where `new` differs from `old` (parsed from `source`); None when
    the splice cannot be proven to give exactly that."""
    if new is old:
        return Splice(source, [], [])
    if not _same_but(old, new, ("body",)):
        return None
    if not old.has_trailing_newline or not old.body or not new.body or "\r" in source.replace("\r\n", ""):
        return None  # a last line without its newline, or lone carriage returns: print it all
    try:
        tree = ast.parse(source)
        splicer = _Splicer(source, old)
        lines = len(splicer.line_starts) - 2
        splicer.block(old.body, new.body, tree.body, [], len(old.header) + 1, lines + 1 - len(old.footer))
    except (_Mismatch, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return Splice(splicer.result(), splicer.printed, sorted(splicer.edits))
