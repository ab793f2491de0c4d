"""The spliced text of a rewrite is exactly what printing the whole module gives, or the splice
declines (None) and the engine prints the whole module."""

from __future__ import annotations

import ast
import random
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import libcst as cst
import pytest

from codemods.engine import _rebuild
from codemods.splice import Splice, spliced_code
from migrator.analysis.visitor import child_attributes

Edit = Callable[
    [cst.SimpleStatementLine], cst.BaseStatement | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement]
]


def _todo(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    comment = cst.EmptyLine(comment=cst.Comment("# TODO(migrate): why"))
    return line.with_changes(leading_lines=[*line.leading_lines, comment])


def _remove(line: cst.SimpleStatementLine) -> cst.RemovalSentinel:
    return cst.RemovalSentinel.REMOVE


def _two(line: cst.SimpleStatementLine) -> cst.FlattenSentinel[cst.BaseStatement]:
    return cst.FlattenSentinel([line, cst.parse_statement("added = 2\n")])


def _rewrite(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    return line.with_changes(body=[cst.parse_statement("rewritten = 3\n").body[0]])  # type: ignore[attr-defined]


def _broken(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """A rewrite that prints code Python refuses (libcst's nodes do not stop it)."""
    return line.with_changes(body=[cst.Expr(cst.Name("def"))])


EDITS: dict[str, Edit] = {"todo": _todo, "remove": _remove, "two": _two, "rewrite": _rewrite}


def _text(source: str, old: cst.Module, new: cst.Module) -> str | None:
    spliced = spliced_code(source, old, new)
    return None if spliced is None else spliced.text


def _parses(check: Callable[[], object]) -> bool:
    try:
        check()
    except SyntaxError:
        return False
    return True


class _Fixer:
    name = "test"

    def __init__(self, edit: Edit) -> None:
        self.edit = edit

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> object:
        assert isinstance(updated, cst.SimpleStatementLine)
        return self.edit(updated)


def _lines(module: cst.Module) -> list[tuple[cst.SimpleStatementLine, list[cst.CSTNode]]]:
    """Every simple statement line with the nodes above it."""
    found: list[tuple[cst.SimpleStatementLine, list[cst.CSTNode]]] = []

    def walk(node: cst.CSTNode, chain: list[cst.CSTNode]) -> None:
        for attribute in child_attributes(node):
            value = getattr(node, attribute)
            for child in value if isinstance(value, tuple | list) else (value,):
                if isinstance(child, cst.CSTNode):
                    if isinstance(child, cst.SimpleStatementLine):
                        found.append((child, [*chain, node]))
                    walk(child, [*chain, node])

    walk(module, [])
    return found


def _edited(
    module: cst.Module, targets: list[tuple[cst.SimpleStatementLine, list[cst.CSTNode]]], edit: Edit
) -> cst.Module:
    wanted = {id(node) for line, chain in targets for node in [line, *chain]}
    rebuilt = _rebuild(module, wanted, {id(line) for line, _ in targets}, [_Fixer(edit)])  # type: ignore[list-item]
    assert isinstance(rebuilt, cst.Module)
    return rebuilt


TRICKY = textwrap.dedent(
    '''\
    #!/usr/bin/env python
    """Docstring."""
    import os; import sys

    API = "https://platform.segmentapis.com/v1beta"  # the host


    @decorator
    # a comment between decorator and def
    @other(
        1,
    )
    def main(ws):
        # leading comment
        url = f"{API}/workspaces/{ws}/sources"
        if ws:
            x = 1
        else:
            x = 2
            # footer of the else block
        try:
            y = 1
        finally:
            y = 2
        # footer of main, indented
    # a comment at column 0 after main

    class Client:
        base = API

        def call(self, path):
            return path  # trailing
            # footer of call

        async def other(self):
            async with thing() as t:
                await t
    if __name__ == "__main__":
        main("acme"); print("done")
    # the end
    '''
)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_line_and_every_edit_splices_to_the_printed_module(edit: str) -> None:
    module = cst.parse_module(TRICKY)
    for target in _lines(module):
        new = _edited(module, [target], EDITS[edit])
        assert _text(TRICKY, module, new) in (new.code, None)


def test_the_usual_rewrites_splice_rather_than_decline() -> None:
    module = cst.parse_module(TRICKY)
    targets = _lines(module)
    spliced = [_text(TRICKY, module, _edited(module, [target], _todo)) for target in targets]
    assert spliced.count(None) == 0, "a TODO over any line is spliced"


def test_several_lines_at_once_across_blocks() -> None:
    module = cst.parse_module(TRICKY)
    targets = _lines(module)
    for edit in EDITS.values():
        new = _edited(module, targets[1::3], edit)
        assert _text(TRICKY, module, new) in (new.code, None)


def test_windows_line_endings() -> None:
    source = TRICKY.replace("\n", "\r\n")
    module = cst.parse_module(source)
    for target in _lines(module)[::4]:
        new = _edited(module, [target], _todo)
        assert _text(source, module, new) == new.code


def test_declines_a_file_without_its_last_newline() -> None:
    source = "import requests\nrequests.get(URL)"
    module = cst.parse_module(source)
    new = _edited(module, _lines(module)[:1], _todo)
    assert _text(source, module, new) is None


def test_declines_lone_carriage_returns() -> None:
    source = "a = 1\rb = 2\n"
    module = cst.parse_module(source)
    new = _edited(module, _lines(module)[:1], _todo)
    assert _text(source, module, new) is None


def test_unchanged_module_is_the_source() -> None:
    module = cst.parse_module(TRICKY)
    assert _text(TRICKY, module, module) == TRICKY


def random_edits(
    seed: int, files: int, sizes: tuple[int, ...]
) -> Iterator[tuple[Path, str, cst.Module, list[tuple[cst.SimpleStatementLine, list[cst.CSTNode]]], Edit]]:
    """Three random sets of lines of each of `files` sampled files of the project's own code (varied
    real code), each with a random edit: (file, source, module, lines, edit)."""
    chooser = random.Random(seed)
    root = Path(__file__).resolve().parents[2]
    candidates = sorted([*root.joinpath("codemods").glob("*.py"), *root.joinpath("migrator").rglob("*.py")])
    for path in chooser.sample(candidates, files):
        source = path.read_text(encoding="utf-8")
        module = cst.parse_module(source)
        lines = _lines(module)
        for _ in range(3):
            targets = chooser.sample(lines, min(len(lines), chooser.choice(sizes)))
            yield path, source, module, targets, EDITS[chooser.choice(sorted(EDITS))]


def test_random_edits_over_the_projects_own_code() -> None:
    """A differential check: whatever the splice returns is the printed module."""
    spliced = 0
    for path, source, module, targets, edit in random_edits(7, 20, (1, 2, 3)):
        new = _edited(module, targets, edit)
        got = _text(source, module, new)
        assert got in (new.code, None), path.name
        spliced += got is not None
        broken = spliced_code(source, module, _edited(module, targets, _broken))
        if broken is not None and broken.printed:  # checked alone, and as the whole text is
            assert not _parses(lambda broken=broken: broken.check("<test>"))  # type: ignore[misc]
            assert not _parses(lambda broken=broken: _whole(broken))  # type: ignore[misc]
    assert spliced >= 55  # declining is allowed, but must be the exception


def _whole(spliced: Splice) -> None:
    compile(spliced.text, "<test>", "exec", flags=ast.PyCF_ONLY_AST)


@pytest.mark.parametrize("edit", ["rewrite", "two", "todo", "broken"])
def test_the_check_of_what_was_printed_agrees_with_parsing_the_whole_text(edit: str) -> None:
    module = cst.parse_module(TRICKY)
    verdicts = []
    for target in _lines(module):
        spliced = spliced_code(TRICKY, module, _edited(module, [target], {**EDITS, "broken": _broken}[edit]))
        assert spliced is not None
        verdict = _parses(lambda spliced=spliced: spliced.check("<test>"))  # type: ignore[misc]
        assert verdict == _parses(lambda spliced=spliced: _whole(spliced)), spliced.text  # type: ignore[misc]
        verdicts.append(verdict)
    assert all(verdicts) == (edit != "broken") and any(verdicts) == (edit != "broken")


def test_the_check_sees_a_statement_indented_unlike_its_block() -> None:
    source = "def main():\n    a = 1\n    b = 2\n"
    module = cst.parse_module(source)
    target = _lines(module)[1]
    new = _edited(module, [target], _rewrite)
    spliced = spliced_code(source, module, new)
    assert spliced is not None and spliced.printed == [(("    ",), "    rewritten = 3\n")]
    misplaced = Splice(
        spliced.text.replace("    rewritten", "        rewritten"), [(("    ",), "        rewritten = 3\n")], []
    )
    assert not _parses(lambda: misplaced.check("<test>"))
    assert not _parses(lambda: _whole(misplaced))
