"""Where chosen nodes start, found in one code generation pass.

libcst's PositionProvider records a range for every node of the tree, which costs about six times
the code generation itself; a scan reports a handful of nodes per file, so it asks for those only.
Positions are the same as PositionProvider's: the syntactic start where the node records one, the
start of the whitespace it owns otherwise; lines from 1, columns from 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import libcst as cst
from libcst._nodes.internal import CodegenState

_NEWLINE = re.compile(r"\r\n?|\n")


class _StartRecorder(CodegenState):
    def __init__(self, module: cst.Module, wanted: set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.syntactic: dict[int, tuple[int, int]] = {}
        self.inclusive: dict[int, tuple[int, int]] = {}
        self.line = 1
        self.offset = 0
        self.line_start = 0

    def _advance(self, value: str) -> None:
        self.offset += len(value)
        if "\r" in value:
            segments = _NEWLINE.split(value)
            if len(segments) > 1:
                self.line += len(segments) - 1
                self.line_start = self.offset - len(segments[-1])
        elif "\n" in value:
            self.line += value.count("\n")
            self.line_start = self.offset - (len(value) - value.rfind("\n") - 1)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.inclusive.setdefault(id(node), (self.line, self.offset - self.line_start))

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        if id(node) in self.wanted and start_node is None:
            self.syntactic.setdefault(id(node), (self.line, self.offset - self.line_start))
        yield


def start_positions(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, tuple[int, int]]:
    """(line, column) of each node, keyed by `id(node)`; the nodes must belong to `module`."""
    wanted = {id(node) for node in nodes}
    if not wanted:
        return {}
    recorder = _StartRecorder(module, wanted)
    module._codegen(recorder)
    return {key: recorder.syntactic.get(key) or recorder.inclusive[key] for key in wanted}
