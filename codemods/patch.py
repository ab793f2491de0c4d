"""One file's change as a unified patch that `git apply` takes.

difflib compares the two texts line by line, all of each. Where the splice (`splice.py`) says which
lines it replaced, only those are compared, and the lines between are known to be equal: the patch
is the one difflib would make of the whole texts, for a fraction of the work. A line is what git
takes for one: up to and with its LF. A CR (alone or before the LF), a form feed or any other
character Python's `splitlines` would break at stays inside the line, so `git apply` finds it.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Sequence
from typing import Literal

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _Compared(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib's grouping of changes into hunks, over opcodes worked out beforehand."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, (), ())
        self.known = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return self.known


def file_diff(name: str, before: str | None, after: str, replaced: Sequence[tuple[int, int, str]] | None = None) -> str:
    """The patch from `before` (None: a new file) to `after`. `replaced`: the (start, end, text)
    replacements of `before` that give `after`, in order, each starting and ending a line."""
    if before is None:
        return _new_file(name, after)
    old = _lines(before)
    new = _lines(after)
    header = [f"diff --git a/{name} b/{name}\n"]
    if before is None:
        header.append("new file mode 100644\n")
    source = "/dev/null" if before is None else f"a/{name}"
    if replaced is not None:
        opcodes = _opcodes(before, old, replaced)
        lines: list[str] = list(_unified(old, new, opcodes, source, f"b/{name}")) if opcodes else []
    else:
        lines = list(difflib.unified_diff(old, new, source, f"b/{name}"))
    out = header[:]
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """The lines of `text` as git sees them: each up to and with its LF, the last one perhaps without."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def _new_file(name: str, text: str) -> str:
    """A new file's patch, written out (difflib would compare it with nothing, line by line)."""
    if not text:
        return f"diff --git a/{name} b/{name}\nnew file mode 100644\n"
    span, body = _added(text)
    return (
        f"diff --git a/{name} b/{name}\nnew file mode 100644\n--- /dev/null\n+++ b/{name}\n@@ -0,0 +{span} @@\n{body}"
    )


@functools.lru_cache(maxsize=32)
def _added(text: str) -> tuple[str, str]:
    """The hunk range and `+` lines of a new file with `text`: the same generated module goes into
    every folder it is imported from, and is written out once."""
    lines = _lines(text)
    body = "".join("+" + (line if line.endswith("\n") else line + "\n\\ No newline at end of file\n") for line in lines)
    return ("1" if len(lines) == 1 else f"1,{len(lines)}"), body


def _opcodes(before: str, old: list[str], replaced: Sequence[tuple[int, int, str]]) -> list[Opcode]:
    """The whole texts' opcodes: equal between the replacements, difflib's within each."""
    opcodes: list[Opcode] = []

    def add(tag: Literal["replace", "delete", "insert", "equal"], i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if tag == "equal" and opcodes and opcodes[-1][0] == "equal":  # one run, as difflib has it
            _, k1, _, l1, _ = opcodes.pop()
            opcodes.append(("equal", k1, i2, l1, j2))
        else:
            opcodes.append((tag, i1, i2, j1, j2))

    regions: list[tuple[int, int, str]] = []
    for start, end, text in replaced:  # replacements that touch are one region, as difflib sees it
        if regions and regions[-1][1] == start:
            regions[-1] = (regions[-1][0], end, regions[-1][2] + text)
        else:
            regions.append((start, end, text))
    line = 0  # where the last region ended, in the old text's lines and in the new's
    new_line = 0
    offset = 0
    for start, end, text in regions:
        first = line + before.count("\n", offset, start)
        stop = first + before.count("\n", start, end)
        add("equal", line, first, new_line, new_line + first - line)
        new_line += first - line
        pieces = _lines(text)
        inner = difflib.SequenceMatcher(None, old[first:stop], pieces).get_opcodes()
        for tag, i1, i2, j1, j2 in inner:
            add(tag, first + i1, first + i2, new_line + j1, new_line + j2)
        line, new_line, offset = stop, new_line + len(pieces), end
    add("equal", line, len(old), new_line, new_line + len(old) - line)
    return [] if all(tag == "equal" for tag, *_ in opcodes) else opcodes


def _unified(old: list[str], new: list[str], opcodes: list[Opcode], source: str, target: str) -> Iterator[str]:
    """`difflib.unified_diff`'s lines, for these opcodes."""
    yield f"--- {source}\n"
    yield f"+++ {target}\n"
    for group in _Compared(opcodes).get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in old[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in new[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk's range as difflib writes it (`_format_range_unified`)."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"
