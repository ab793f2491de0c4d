"""libcst's parse of a whole file, remembered for the next question about the same text.

`migrate scan` parses a Python file, then asks `migrate apply`'s judge about it, which parses it
again; the last text parsed and its tree are kept, so the second parse is free. A tree is never
changed in place (libcst's nodes are immutable), so sharing it is safe. One entry only: a file's
questions come one after another, and more would hold trees the next files do not need.
"""

from __future__ import annotations

import ast
import re

import libcst as cst

_last: tuple[str, cst.Module] | None = None


def parse_module(source: str) -> cst.Module:
    global _last
    if _last is not None and _last[0] is source:
        return _last[1]
    module = cst.parse_module(source)
    _last = (source, module)
    return module


_PYTHON2 = re.compile(
    r"^[ \t]*(?:print[ \t]+[^\s(=.,)][^\n]*|exec[ \t]+[\"'][^\n]*|except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:[^\n]*)$"
    r"|\b0[0-7]+L?\b|`[^`\n]+`",
    re.MULTILINE,
)
"""What only Python 2 spells: a print or exec statement, `except E, e:`, old octals, backquotes."""


def why_not_parsed(error: Exception, source: str) -> str:
    """One line on why a file does not parse: where (CPython's parser says, where it also fails:
    libcst's position can be the token after), and, for code Python 2 wrote (`print "x"`), that
    it needs porting first (2to3), as neither scan's parse nor apply's can read it."""
    line = getattr(error, "raw_line", None) or getattr(error, "lineno", None)
    try:
        compile(source, "<file>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except SyntaxError as cpython:
        line = cpython.lineno or line
    except (ValueError, RecursionError, MemoryError):
        pass
    lines = source.splitlines()
    where = f"line {line}" if line else "somewhere"
    text = lines[line - 1].strip()[:80] if line and line <= len(lines) else ""
    shown = f": `{text}`" if text else ""
    if text and _PYTHON2.search(text):
        return f"Python 2 syntax at {where}{shown}; port it to Python 3 first (2to3), then migrate it"
    return f"not Python 3 syntax at {where}{shown}"
