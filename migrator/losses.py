"""Why two outputs differ when the only difference is what the Public API does not give back.

Code that prints a whole Config answer (`print(response.text)`, `print(source)`) prints, after the
migration, the same answer less what the Public API does not carry (a source's `library_config` and
`create_time`, which come back empty) and with its secret settings masked. `migrate verify` still
calls such outputs different (they are), and says why with `explained`, so a person can tell an
expected loss from a broken migration at a glance. Only whole-line JSON or Python literals are read;
a line that differs in anything else leaves the difference unexplained.
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
    old_lines, new_lines = before.splitlines(), after.splitlines()
    if len(old_lines) != len(new_lines) or old_lines == new_lines:
        return None
    dropped: set[str] = set()
    masked: set[str] = set()
    for old, new in zip(old_lines, new_lines, strict=True):
        if old == new:
            continue
        old_value, new_value = _literal(old), _literal(new)
        if old_value is _UNREAD or new_value is _UNREAD:
            return None
        if not _lost_only(old_value, new_value, "", api, dropped, masked):
            return None
    parts = []
    if dropped:
        parts.append(f"fields the Public API does not carry ({', '.join(sorted(dropped))})")
    if masked:
        parts.append(f"secret settings it masks ({', '.join(sorted(masked))})")
    return "only in " + " and ".join(parts) if parts else None


def _literal(line: str) -> Any:
    text = line.strip()
    if not text or text[0] not in "[{":
        return _UNREAD
    try:
        return json.loads(text)
    except ValueError:
        pass
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
