"""The value of a string or number literal, worked out once per spelling.

libcst's `evaluated_value` runs `ast.literal_eval` (a compile) on every call, and the scanner and the
codemods ask about the same few literals (a base URL, a key) many times per file and across files.
"""

from __future__ import annotations

import ast
import functools
from typing import cast, overload

import libcst as cst


@functools.lru_cache(maxsize=8192)
def _evaluated(text: str) -> object:
    return ast.literal_eval(text)


@overload
def evaluated(node: cst.SimpleString) -> str | bytes: ...


@overload
def evaluated(node: cst.Integer | cst.Float) -> int | float: ...


def evaluated(node: cst.SimpleString | cst.Integer | cst.Float) -> str | bytes | int | float:
    """`node.evaluated_value`, cached by the literal's text."""
    return cast("str | bytes | int | float", _evaluated(node.value))
