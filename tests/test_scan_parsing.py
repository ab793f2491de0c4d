"""The parse without re-validation gives the very tree libcst's own parse gives, and turns nothing
off for the nodes built after it, whether the parse succeeded or not."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrator.scan.parsing import parse_module

CORPUS = Path(__file__).parent / "fixtures" / "scan" / "positive"


def _python_sources() -> list[str]:
    sources = [path.read_text() for path in sorted(CORPUS.glob("*.py"))]
    return [source for source in sources if 'print "' not in source]  # the corpus holds one Python 2 file


@pytest.mark.parametrize("index", range(len(_python_sources())))
def test_the_tree_is_the_one_libcst_parses(index: int):
    source = _python_sources()[index]
    tree = parse_module(source)
    assert tree.deep_equals(cst.parse_module(source))
    assert tree.code == source


def test_nodes_built_after_a_parse_are_checked():
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_nodes_built_after_a_failed_parse_are_checked():
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def broken(:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")
