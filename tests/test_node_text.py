"""Where a node starts and how a statement prints at its indentation: the cheap answers agree with
libcst's PositionProvider and `Module.code` on every node, through libcst's public surface only."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from migrator.analysis.node_text import code_at, start_positions

SOURCE = '''"""Docstring."""
import requests  # a comment

BASE = "https://platform.segmentapis.com/v1beta"


class Client:
    token: str = "x"

    def get(self, path, **kw):
        # why: a comment on its own line
        return requests.get(
            f"{BASE}/{path}",
            headers={"Authorization": "Bearer " + self.token},
            **kw,
        )["sources"]


if True: x = [1,
    2]; y = """a
b"""
'''


class _Every(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_node_starts_where_position_provider_says(newline):
    module = cst.parse_module(SOURCE.replace("\n", newline))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    every = _Every()
    module.visit(every)
    nodes = [node for node in every.nodes if not isinstance(node, cst.IndentedBlock)]
    found = start_positions(module, nodes)
    assert len(nodes) > 150
    for node in nodes:
        start = expected[node].start
        assert found[id(node)] == (start.line, start.column), type(node).__name__


def test_only_the_asked_nodes_are_answered():
    module = cst.parse_module(SOURCE)
    every = _Every()
    module.visit(every)
    comments = [node for node in every.nodes if isinstance(node, cst.Comment)]
    assert sorted(start_positions(module, comments).values()) == [(2, 17), (11, 8)]
    assert start_positions(module, []) == {}


NESTED = """\ufeff# a header comment
import os


@decorator(
    1,
)
# between decorator and def
@other
class Outer:
\tdef method(self, a,
\t           b):
\t\t# a comment before
\t\tif a:
\t\t\tfor x in range(3):
\t\t\t\tcall(x, \"\"\"multi
line\"\"\")  # trailing
\t\telif b:
\t\t\twhile b: b -= 1
\t\telse:
\t\t\ttry:
\t\t\t\twith open(a) as f, open(b):
\t\t\t\t\tpass
\t\t\texcept (OSError,
\t\t\t        ValueError) as error:
\t\t\t\traise
\t\t\tfinally:
\t\t\t\tdone()

\tasync def other(self):
\t\tasync with lock:
\t\t\tawait go(f"{self!r:>{10}}")
\t\tmatch self:
\t\t\tcase [1, *rest]:
\t\t\t\treturn rest
# the footer
"""


def _every(module: cst.Module) -> list[cst.CSTNode]:
    every = _Every()
    module.visit(every)
    return [node for node in every.nodes if not isinstance(node, cst.IndentedBlock | cst.Module)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_nested_blocks_tabs_decorators_and_else_clauses(newline):
    source = NESTED.replace("\n", newline)
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = _every(module)
    found = start_positions(module, nodes, source)
    for node in nodes:
        start = expected[node].start
        assert found[id(node)] == (start.line, start.column), type(node).__name__


def test_one_node_at_a_time_and_with_a_walks_parents():
    module = cst.parse_module(NESTED)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    calls = [node for node in _every(module) if isinstance(node, cst.Call)]
    assert len(calls) >= 5
    for call in calls:
        start = expected[call].start
        assert start_positions(module, [call], NESTED) == {id(call): (start.line, start.column)}


def test_a_source_python_cannot_number_is_positioned_all_the_same():
    source = 'x = f"{d["key"]}"\ncall(\n    1)\n'  # Python 3.12's f-strings: 3.11's parser refuses them
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = _every(module)
    found = start_positions(module, nodes, source)
    assert all(found[id(node)] == (expected[node].start.line, expected[node].start.column) for node in nodes)


PARENTHESIZED = """def f():
    check(isinstance(x, (A, B)), ((y)), {(k): 1, **rest}, *args, key=(v))  # why
    if ok:
        from pkg import (
            name,  # a comment inside brackets
        ); z = ((call)(
            arg,
        ))
"""


def test_expressions_comments_and_small_statements_are_placed_without_the_provider(monkeypatch):
    # PositionProvider reruns the printer over the statement; the common kinds are placed from
    # one printing of it instead, and must agree with the provider all the same.
    module = cst.parse_module(PARENTHESIZED)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    cheap = (cst.BaseExpression, cst.Comment, cst.BaseSmallStatement, cst.SimpleStatementLine, cst.DictElement)
    nodes = [node for node in _every(module) if isinstance(node, cheap)]
    plain_args = [node for node in _every(module) if isinstance(node, cst.Arg) and not node.keyword and not node.star]
    assert len(plain_args) >= 4
    nodes += plain_args

    def refuse(*args, **kwargs):
        raise AssertionError("the provider was asked")

    monkeypatch.setattr("migrator.analysis.node_text.MetadataWrapper", refuse)
    found = start_positions(module, nodes, PARENTHESIZED)
    for node in nodes:
        start = expected[node].start
        assert found[id(node)] == (start.line, start.column), (type(node).__name__, module.code_for_node(node))


def test_other_kinds_are_placed_by_the_provider_beside_the_cheap_ones():
    module = cst.parse_module(PARENTHESIZED)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = [
        node
        for node in _every(module)
        if isinstance(node, cst.StarredDictElement | cst.Arg | cst.ImportAlias | cst.Comment | cst.Call)
    ]
    assert {type(node) for node in nodes} == {cst.StarredDictElement, cst.Arg, cst.ImportAlias, cst.Comment, cst.Call}
    found = start_positions(module, nodes, PARENTHESIZED)
    for node in nodes:
        start = expected[node].start
        assert found[id(node)] == (start.line, start.column), type(node).__name__


def test_every_statement_prints_at_its_indentation_as_in_the_file():
    module = cst.parse_module(NESTED)
    printed = 0

    def block(statements, indents):
        nonlocal printed
        for statement in statements:
            text = code_at(module, statement, indents)
            assert text == module.code_for_node(statement) if not indents else text in NESTED
            assert text.startswith("".join(indents)) or getattr(statement, "leading_lines", ())
            printed += 1
            for line in getattr(statement, "leading_lines", ()):
                assert code_at(module, line, indents) in NESTED
            body = getattr(statement, "body", None)
            if isinstance(body, cst.IndentedBlock):
                block(body.body, [*indents, body.indent or module.default_indent])

    block(module.body, [])
    assert printed == 10  # the module, the class, the methods and the first blocks of each


def test_the_project_reaches_into_no_private_module_of_libcst():
    root = Path(__file__).resolve().parent.parent
    private = re.compile(r"^\s*(from|import)\s+libcst\._|\._codegen\(", re.MULTILINE)
    offenders = [
        str(path.relative_to(root))
        for folder in ("migrator", "codemods", "mappings")
        for path in (root / folder).rglob("*.py")
        if private.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
