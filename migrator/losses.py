"""Why two outputs differ when the only difference is what the Public API does not give back.

Code that prints a whole Config answer (`print(response.text)`, `print(source)`) prints, after the
migration, the same answer less what the Public API does not carry (a source's `library_config` and
`create_time`, which come back empty) and with its secret settings masked. `migrate verify` still
calls such outputs different (they are), and says why with `explained`, so a person can tell an
expected loss from a broken migration at a glance. Only JSON documents (on one line or pretty-printed
over many) and one-line Python literals are read; a line that differs in anything else leaves the
difference unexplained.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from mappings import ApiMap, load_map

from .codec import masked_secret

__all__ = ["explained"]

_UNREAD = object()


def explained(before: str, after: str, api: ApiMap | None = None) -> str | None:
    """A sentence naming what alone tells `before` from `after` (fields the Public API does not carry,
    secrets it masks), or None when anything else differs."""
    api = api or load_map()
    if before == after:
        return None
    old_pieces, new_pieces = _pieces(before), _pieces(after)
    if len(old_pieces) != len(new_pieces):
        return None
    dropped: set[str] = set()
    masked: set[str] = set()
    for old, new in zip(old_pieces, new_pieces, strict=True):
        if old == new:
            continue
        if old[0] is _TEXT or new[0] is _TEXT:
            return None
        if not _lost_only(old[1], new[1], "", api, dropped, masked):
            return None
    parts = []
    if dropped:
        parts.append(f"fields the Public API does not carry ({', '.join(sorted(dropped))})")
    if masked:
        parts.append(f"secret settings it masks ({', '.join(sorted(masked))})")
    return "only in " + " and ".join(parts) if parts else None


_TEXT = object()
_VALUE = object()


def _pieces(output: str) -> list[tuple[object, Any]]:
    """The output as lines of text and the values printed in it: a JSON document, one line or
    pretty-printed over many (`json.dumps(answer, indent=2)`), or a Python literal on one line
    (`print(source)`)."""
    lines = output.splitlines()
    pieces: list[tuple[object, Any]] = []
    decoder = json.JSONDecoder()
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        if text[:1] in ("{", "["):
            rest = "\n".join(lines[index:]).lstrip()
            try:
                value, end = decoder.raw_decode(rest)
            except ValueError:
                value, end = _UNREAD, 0
            tail = rest[end:].split("\n", 1)[0]
            if value is not _UNREAD and not tail.strip():
                pieces.append((_VALUE, value))
                index += rest[:end].count("\n") + 1
                continue
            value = _python_literal(text)
            if value is not _UNREAD:
                pieces.append((_VALUE, value))
                index += 1
                continue
        pieces.append((_TEXT, lines[index]))
        index += 1
    return pieces


def _python_literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _UNREAD


def _lost_only(old: Any, new: Any, key: str, api: ApiMap, dropped: set[str], masked: set[str]) -> bool:
    """Whether `new` is `old` but for values the Public API does not give back, noting which."""
    if old == new:
        return True
    if key in api.not_carried and _empty(new):
        dropped.add(key)
        return True
    if isinstance(old, dict) and isinstance(new, dict):
        keys = set(old) | set(new)
        return all(
            _lost_only(old.get(name), new.get(name), str(name), api, dropped, masked)
            if name in old and name in new
            else _absent_is_lost(name, old, new, api, dropped)
            for name in keys
        )
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return all(_lost_only(a, b, key, api, dropped, masked) for a, b in zip(old, new, strict=True))
    if isinstance(old, str) and isinstance(new, str) and new == masked_secret(api, old):
        masked.add(key or "a value")
        return True
    return False


def _absent_is_lost(name: Any, old: dict[Any, Any], new: dict[Any, Any], api: ApiMap, dropped: set[str]) -> bool:
    """A key on one side only: lost when it is one the Public API does not carry."""
    if str(name) in api.not_carried and (name in old or _empty(new.get(name))):
        dropped.add(str(name))
        return True
    return False


def _empty(value: Any) -> bool:
    """What a field the Public API does not carry comes back as: nothing, or an empty text or
    collection (never `false` or `0`: those are values, a toggled flag is no loss)."""
    return value is None or (isinstance(value, str | dict | list) and not value)
