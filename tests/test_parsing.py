"""The shared parse gives libcst's own tree, and hands the same tree to the next question about the
same text (the scan, then apply's judge) without parsing again."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrator.analysis.parsing import parse_module, why_not_parsed

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


def test_the_same_text_asked_again_is_not_parsed_again():
    source = "x = 1\n"
    assert parse_module(source) is parse_module(source)
    assert parse_module("y = 2\n") is not parse_module(source)


def test_a_failed_parse_is_not_remembered():
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def broken(:\n")
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def broken(:\n")


def test_nodes_are_checked_as_libcst_checks_them():
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def _why(source: str) -> str:
    with pytest.raises(cst.ParserSyntaxError) as raised:
        cst.parse_module(source)
    return why_not_parsed(raised.value, source)


def test_why_a_file_does_not_parse_names_the_line_and_python_2():
    assert _why('import json\nprint "sources", 3\n') == (
        'Python 2 syntax at line 2: `print "sources", 3`; port it to Python 3 first (2to3), then migrate it'
    )
    assert _why("x = `1`\n").startswith("Python 2 syntax at line 1")
    assert _why("x = (\n") == "not Python 3 syntax at line 1: `x = (`"


def test_no_op_python_2_is_not_said_of_a_python_3_error():
    """A `print(` call or a `u"..."` string on the line is Python 3 too: only the line is named."""
    assert _why('print(u"a" x)\n').startswith("not Python 3 syntax at line 1")
