"""Destination filters applied to one event, for both preview endpoints.

A small subset of FQL: `all`, `path = 'value'`, `path != 'value'`, joined by `and` / `or`
(no parentheses). Anything else is an invalid condition, which both APIs report as a bad request.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

Json = Any

COMPARISON = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(=|!=)\s*'((?:[^'\\]|\\.)*)'\s*$")


class FilterError(ValueError):
    """The condition or an action cannot be evaluated."""


def _lookup(event: dict[str, Json], path: str) -> Json:
    current: Json = event
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def matches(condition: str, event: dict[str, Json]) -> bool:
    condition = condition.strip()
    if condition in ("", "all"):
        return True
    for alternative in re.split(r"\s+or\s+", condition):
        if all(_compare(part, event) for part in re.split(r"\s+and\s+", alternative)):
            return True
    return False


def _compare(text: str, event: dict[str, Json]) -> bool:
    found = COMPARISON.match(text)
    if not found:
        raise FilterError(f"unsupported filter condition {text.strip()!r}")
    path, operator, value = found.groups()
    actual = _lookup(event, path)
    equal = actual is not None and str(actual) == value
    return equal if operator == "=" else not equal


def apply(condition: str, actions: list[dict[str, Json]], event: dict[str, Json]) -> dict[str, Json] | None:
    """The event after the filter: None when dropped. Actions use Public names and field lists."""
    if not matches(condition, event):
        return copy.deepcopy(event)
    result = copy.deepcopy(event)
    for action in actions:
        kind = action.get("type")
        if kind == "DROP":
            return None
        if kind == "SAMPLE":
            percent = float(action.get("percent", 1.0))
            key = str(_lookup(result, str(action.get("path") or "messageId")) or "")
            bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
            if bucket >= percent:
                return None
        elif kind in ("DROP_PROPERTIES", "ALLOW_PROPERTIES"):
            for group, names in (action.get("fields") or {}).items():
                target = result if group == "" else result.get(group)
                if not isinstance(target, dict):
                    continue
                if kind == "DROP_PROPERTIES":
                    for name in names:
                        target.pop(name, None)
                else:
                    for name in [key for key in target if key not in names]:
                        target.pop(name, None)
        else:
            raise FilterError(f"unknown filter action {kind!r}")
    return result
