"""libcst's parse of a whole file, remembered for the next question about the same text.

`migrate scan` parses a Python file, then asks `migrate apply`'s judge about it, which parses it
again; the last text parsed and its tree are kept, so the second parse is free. A tree is never
changed in place (libcst's nodes are immutable), so sharing it is safe. One entry only: a file's
questions come one after another, and more would hold trees the next files do not need.
"""

from __future__ import annotations

import libcst as cst

_last: tuple[str, cst.Module] | None = None


def parse_module(source: str) -> cst.Module:
    global _last
    if _last is not None and _last[0] is source:
        return _last[1]
    module = cst.parse_module(source)
    _last = (source, module)
    return module
