"""The scanner's cheap positions agree with libcst's PositionProvider on every node."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from migrator.scan.positions import start_positions

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
