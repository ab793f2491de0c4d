"""A Jupyter notebook as the Python module its code cells make, and back.

IPython runs a notebook's code cells in one namespace, top to bottom: together they are one module,
which the scanner and the codemods read as they read any other. Each cell's code follows a marker
comment naming the cell; IPython's own syntax (`%magic`, `!shell`, `%%cell` magics, `name?`) is
commented out behind another marker, and put back when the module is cut into cells again.

A notebook is written back only in the JSON layout it was read in (the one `json.dumps` call that
gives its text again, as Jupyter writes it), so that a rewrite changes no other byte and its diff
shows only the lines that changed."""

from __future__ import annotations

import ast
import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MigratorError

SUFFIX = ".ipynb"
CELL = "# segment-migrator: cell "
IPYTHON = "# segment-migrator: ipython "
_CELL_LINE = re.compile(r"^# segment-migrator: cell (\d+)[ \t]*$")
_LINE_MAGIC = re.compile(r"^([ \t]*)([%!]|[\w.]+\?{1,2}[ \t]*$)")
TIMED = "  # segment-migrator: magic "
"""What follows a statement a line magic runs (`%time plans = get(url)`), in the module: the
statement is Python the scanner and the codemods read; the magic goes back in front of it."""
_TIMING = "time|timeit|prun"
"""The line magics that run the one Python statement after them."""
_TIMED_LINE = re.compile(rf"^([ \t]*)%({_TIMING}) +(?!-)(\S.*)$")
"""Such a line, without options (`%timeit -n 3 x` stays IPython)."""
_TIMED_SUFFIX = re.compile(rf"{re.escape(TIMED)}(%(?:{_TIMING})) *$")
_PYTHON_CELL_MAGIC = re.compile(r"^%%(time|timeit|capture|prun)\b")
"""Cell magics whose cell below the first line is Python (`%%time`, `%%capture out`)."""


OUTPUT_ALLOWANCE = 32
"""How many times the parse size limit a notebook file may be: its outputs (images, tables) are
never parsed, only its code cells count against the limit."""


def size_to_parse(path: Path, size: int, limit: int) -> int:
    """What the parser would be given of a file `size` bytes long: a notebook's code cells, else
    the whole file. A notebook over `OUTPUT_ALLOWANCE` times `limit`, or one that cannot be read as
    a notebook, counts whole."""
    if size <= limit or path.suffix != SUFFIX or size > OUTPUT_ALLOWANCE * limit:
        return size
    try:
        cells = json.loads(path.read_bytes()).get("cells", [])
        code = [cell.get("source", "") for cell in cells if isinstance(cell, dict) and cell.get("cell_type") == "code"]
        return sum(len("".join(source)) for source in code)
    except (OSError, ValueError, AttributeError, TypeError):
        return size


class NotebookError(MigratorError):
    """A notebook that cannot be read as one, or written back as it was."""


@dataclass
class _Cell:
    index: int
    as_list: bool
    """Its source was a list of lines (as Jupyter writes it), not one string."""
    ends_with_newline: bool
    indent: str = ""
    """What IPython strips from the front of every line of a cell whose first line is indented."""


@dataclass
class Notebook:
    text: str
    data: dict[str, Any]
    layout: dict[str, Any]
    python: str = ""
    """The module the code cells make."""
    cells: list[_Cell] = field(default_factory=list)
    json_lines: list[int] = field(default_factory=list)
    """For each line of `python`, the line of the notebook's text it comes from (1-based)."""

    @classmethod
    def read(cls, text: str) -> Notebook:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise NotebookError(f"not a notebook: invalid JSON ({error})") from None
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            raise NotebookError("not a notebook: no list of cells")
        notebook = cls(text, data, _layout(text, data))
        notebook._build()
        return notebook

    def _build(self) -> None:
        lines: list[str] = []
        json_lines: list[int] = []
        source_lines = _source_lines(self.text, self.data["cells"])
        for index, cell in enumerate(self.data["cells"]):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            if not isinstance(source, list | str) or not all(isinstance(line, str) for line in source):
                raise NotebookError(f"cell {index}: its source is not text")
            code = "".join(source)
            cell_lines = code.splitlines()
            indent = _leading_indent(cell_lines)
            first, places = source_lines.get(index, (1, []))
            lines.append(f"{CELL}{index}")
            json_lines.append(first)
            self.cells.append(_Cell(index, isinstance(source, list), code.endswith("\n"), indent))
            lines += _as_python(index, [line[len(indent) :] for line in cell_lines])
            json_lines += [places[number] if number < len(places) else first for number in range(len(cell_lines))]
        self.python = "".join(line + "\n" for line in lines)
        self.json_lines = json_lines

    @functools.cached_property
    def _text_lines(self) -> list[str]:
        return self.text.splitlines()

    @functools.cached_property
    def _python_lines(self) -> list[str]:
        return self.python.splitlines()

    def json_position(self, line: int, column: int) -> tuple[int, int]:
        """Where a position of the module (1-based line and column) is in the notebook's text: the
        column too when the code line has a text line of its own (a JSON string, escaped)."""
        if not 0 < line <= len(self.json_lines):
            return 1, 1
        number = self.json_lines[line - 1]
        text_line = self._text_lines[number - 1] if number <= len(self._text_lines) else ""
        start = len(text_line) - len(text_line.lstrip())
        if not text_line[start:].startswith('"') or text_line[start:].startswith('"source"'):
            return number, 1
        before = self._python_lines[line - 1][: column - 1]
        return number, start + len(json.dumps(before, ensure_ascii=self.layout["ensure_ascii"]))

    def is_ipython(self, line: int) -> bool:
        """Whether a line of the module is IPython syntax commented out."""
        return 0 < line <= len(self._python_lines) and self._python_lines[line - 1].lstrip().startswith(IPYTHON)

    def with_python(self, python: str) -> str:
        """The notebook's text with its code cells cut from `python` (this module, rewritten)."""
        codes: dict[int, list[str]] = {}
        order: list[int] = []
        current: list[str] = []
        before: list[str] = []
        for line in python.splitlines(keepends=True):
            marker = _CELL_LINE.match(line.rstrip("\r\n"))
            if marker is not None:
                current = codes.setdefault(int(marker.group(1)), [])
                order.append(int(marker.group(1)))
                continue
            (current if order else before).append(line)
        if order != [cell.index for cell in self.cells]:
            raise NotebookError("the rewrite moved a cell's marker: notebook left as it was")
        if "".join(before).strip():
            codes[order[0]][:0] = before
        data = json.loads(self.text)
        for cell in self.cells:
            code = "".join(_restored(line, cell.indent) for line in codes[cell.index])
            if not cell.ends_with_newline and code.endswith("\n"):
                code = code[:-1]
            data["cells"][cell.index]["source"] = code.splitlines(keepends=True) if cell.as_list else code
        return _dumped(data, self.layout)


def ipython_lines(python: str) -> list[str]:
    """The IPython lines of a notebook's module, as written in the cell (`%timeit -n 3 get(API)`)."""
    return [stripped[len(IPYTHON) :] for line in python.splitlines() if (stripped := line.lstrip()).startswith(IPYTHON)]


def python_of(text: str) -> str | None:
    """The module a notebook's code cells make, or None for a text that is no notebook read as one."""
    try:
        return Notebook.read(text).python
    except NotebookError:
        return None


def _as_python(index: int, lines: list[str]) -> list[str]:
    """A cell's lines as Python: as they are when they parse, else with IPython's syntax commented out."""
    if _parses("\n".join(lines)):
        return lines
    if lines and _PYTHON_CELL_MAGIC.match(lines[0]):  # `%%time`: the rest of the cell is Python
        return [IPYTHON + lines[0], *_as_python(index, lines[1:])]
    if lines and lines[0].lstrip().startswith("%%"):  # a cell magic: the whole cell is another language
        return [IPYTHON + line for line in lines]
    changed = list(lines)
    for number, line in enumerate(lines):
        timed = _TIMED_LINE.match(line)
        if timed is not None and "#" not in timed.group(3) and _parses(timed.group(3)):
            changed[number] = f"{timed.group(1)}{timed.group(3)}{TIMED}%{timed.group(2)}"
            continue
        found = _LINE_MAGIC.match(line)
        if found is not None:
            changed[number] = found.group(1) + IPYTHON + line[len(found.group(1)) :]
    if changed == lines or not _parses("\n".join(changed)):
        raise NotebookError(f"cell {index} is not Python")
    return changed


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _restored(line: str, indent: str) -> str:
    stripped = line.lstrip(" \t")
    if stripped.startswith(IPYTHON):
        line = line[: len(line) - len(stripped)] + stripped[len(IPYTHON) :]
    ending = line[len(line.rstrip("\r\n")) :]
    timed = _TIMED_SUFFIX.search(line.rstrip("\r\n"))
    if timed is not None:
        statement = line.rstrip("\r\n")[: timed.start()]
        if not _parses(statement.strip()):  # a rewrite that split the statement over lines
            raise NotebookError(
                f"the rewrite split the statement of a `{timed.group(1)}` line: notebook left as it was"
            )
        code = statement.lstrip(" \t")
        line = f"{statement[: len(statement) - len(code)]}{timed.group(1)} {code}{ending}"
    return indent + line if indent and line.strip() else line


def _leading_indent(lines: list[str]) -> str:
    """The indentation IPython strips from a cell whose first line is indented, when every line has
    it and the cell does not parse with it."""
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent or _parses("\n".join(lines)):
        return ""
    return indent if all(line.startswith(indent) for line in lines if line.strip()) else ""


_LAYOUTS = [
    {"indent": indent, "sort_keys": sort_keys, "ensure_ascii": ensure_ascii}
    for indent, sort_keys, ensure_ascii in itertools.product((1, 2, 4, None), (True, False), (False, True))
]


def _dumped(data: dict[str, Any], layout: dict[str, Any]) -> str:
    options = {key: value for key, value in layout.items() if key != "end"}
    return json.dumps(data, **options) + str(layout["end"])


def _layout(text: str, data: dict[str, Any]) -> dict[str, Any]:
    """The `json.dumps` options (and the text after it) that give the notebook's text again."""
    end = text[len(text.rstrip("\n")) :]
    for options in _LAYOUTS:
        layout = {**options, "end": end}
        if _dumped(data, layout) == text:
            return layout
    raise NotebookError("its JSON layout is not one Jupyter or json.dumps writes: it would be rewritten whole")


_SOURCE_KEY = re.compile(r'"source":\s*(\[)?')


def _source_lines(text: str, cells: list[Any]) -> dict[int, tuple[int, list[int]]]:
    """For each cell, the line of the notebook's text where its source starts and, when each of its
    lines has a line of its own there (a list, indented), the line of each."""
    found: dict[int, tuple[int, list[int]]] = {}
    position = 0
    for index, cell in enumerate(cells):
        match = _SOURCE_KEY.search(text, position)
        if match is None:
            break
        first = text.count("\n", 0, match.start()) + 1
        source = cell.get("source") if isinstance(cell, dict) else None
        places: list[int] = []
        if match.group(1) and isinstance(source, list) and source and text[match.end() : match.end() + 1] == "\n":
            # One text line per element, as Jupyter writes it; an element may hold several code lines.
            for number, element in enumerate(source):
                places += [first + 1 + number] * (element.count("\n") + (not element.endswith("\n")))
        found[index] = (first, places)
        position = match.end()
    return found
