"""libcst's parse of a whole file, without validating the parser's own output again.

Every node libcst builds checks itself in `__post_init__` (`_validate`): a guard for trees built by
hand. The native parser builds hundreds of nodes per file through the same constructors, and those
checks, all of which its output passes by construction, are a sixth of the parse. `parse_module`
skips them for the parse alone; nodes built afterwards (the codemods' own) are checked as ever.

`CSTNode.__post_init__` is replaced once, when this module is imported, by one that asks a flag:
changing a class per parse would make Python drop what it learned about every node class's
attributes, and cost the walks more than the checks. Only this process's own thread parses, so the
flag is seen by nothing else.
"""

from __future__ import annotations

import libcst as cst
from libcst._nodes.base import CSTNode

_parsing = False


def _post_init(self: CSTNode) -> None:
    if not _parsing:
        self._validate()


CSTNode.__post_init__ = _post_init  # type: ignore[method-assign]


def parse_module(source: str) -> cst.Module:
    global _parsing
    _parsing = True
    try:
        return cst.parse_module(source)
    finally:
        _parsing = False
