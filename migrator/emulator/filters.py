"""Destination filters applied to one event, for both preview endpoints.

A subset of Segment's Filter Query Language (FQL), as its documentation writes conditions: `all`;
paths compared with `=`, `!=`, `<`, `<=`, `>`, `>=` against strings in single or double quotes,
numbers, `true`, `false` and `null`; `contains(path, 'text')` and `match(path, 'glob*')`; joined by
`and`, `or`, `not` in any case, with parentheses. Anything else is an invalid condition, which both
APIs report as a bad request.
"""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import re
from typing import Any

Json = Any

TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<operator><=|>=|!=|=|<|>|!)
      | (?P<punct>[(),])
      | (?P<name>[A-Za-z_$][\w.$-]*)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "true", "false", "null", "all"}
FUNCTIONS = {"contains", "match"}


class FilterError(ValueError):
    """The condition or an action is malformed."""


class BeyondSubset(FilterError):
    """Valid-looking FQL this emulator does not evaluate (a function it does not know)."""


def _lookup(event: dict[str, Json], path: str) -> Json:
    current: Json = event
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def _tokens(condition: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(condition):
        if condition[position:].strip() == "":
            break
        found = TOKEN.match(condition, position)
        if found is None:
            raise FilterError(f"unsupported filter condition {condition.strip()!r}")
        kind = found.lastgroup or ""
        text = found.group(kind)
        if kind == "name" and text.lower() in KEYWORDS:
            kind, text = "keyword", text.lower()
        tokens.append((kind, text))
        position = found.end()
    return tokens


class _Condition:
    """A recursive-descent reader of one condition, evaluated against one event as it reads."""

    def __init__(self, condition: str, event: dict[str, Json]) -> None:
        self.text = condition.strip()
        self.tokens = _tokens(condition)
        self.at = 0
        self.event = event

    def fail(self) -> FilterError:
        return FilterError(f"unsupported filter condition {self.text!r}")

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, kind: str, text: str | None = None) -> str:
        found_kind, found_text = self.peek()
        if found_kind != kind or (text is not None and found_text != text):
            raise self.fail()
        self.at += 1
        return found_text

    def result(self) -> bool:
        value = self.disjunction()
        if self.peek()[0] != "end":
            raise self.fail()
        return value

    def disjunction(self) -> bool:
        value = self.conjunction()
        while self.peek() == ("keyword", "or"):
            self.at += 1
            value = self.conjunction() or value
        return value

    def conjunction(self) -> bool:
        value = self.negation()
        while self.peek() == ("keyword", "and"):
            self.at += 1
            value = self.negation() and value
        return value

    def negation(self) -> bool:
        if self.peek() in (("keyword", "not"), ("operator", "!")):
            self.at += 1
            return not self.negation()
        return self.atom()

    def atom(self) -> bool:
        kind, text = self.peek()
        if (kind, text) == ("punct", "("):
            self.at += 1
            value = self.disjunction()
            self.take("punct", ")")
            return value
        if (kind, text) == ("keyword", "all"):
            self.at += 1
            return True
        if kind == "name" and self.tokens[self.at + 1 : self.at + 2] == [("punct", "(")]:
            if text.lower() not in FUNCTIONS:
                raise BeyondSubset(f"the emulator does not evaluate the FQL function {text}()")
            self.at += 2
            actual = _lookup(self.event, self.take("name"))
            self.take("punct", ",")
            wanted = self.literal()
            self.take("punct", ")")
            if not isinstance(actual, str) or not isinstance(wanted, str):
                return False
            return wanted in actual if text.lower() == "contains" else fnmatch.fnmatchcase(actual, wanted)
        actual = _lookup(self.event, self.take("name"))
        operator = self.take("operator")
        return _compare(actual, operator, self.literal())

    def literal(self) -> Json:
        kind, text = self.peek()
        self.at += 1
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "number":
            return float(text)
        if kind == "keyword" and text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        raise self.fail()


def _compare(actual: Json, operator: str, wanted: Json) -> bool:
    if operator in ("=", "!="):
        if isinstance(wanted, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
            equal = float(actual) == wanted
        elif isinstance(wanted, str):
            equal = actual is not None and not isinstance(actual, (dict, list)) and _text(actual) == wanted
        else:
            equal = actual is wanted
        return equal if operator == "=" else not equal
    if isinstance(wanted, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        left, right = float(actual), wanted
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[operator]
    return False


def _text(value: Json) -> str:
    return {True: "true", False: "false"}[value] if isinstance(value, bool) else str(value)


def check(condition: str) -> None:
    """Raise FilterError when `condition` is malformed; FQL beyond the subset is let through, since
    Segment accepts it and a store must not refuse what the real API stores."""
    try:
        matches(condition, {})
    except BeyondSubset:
        return


def matches(condition: str, event: dict[str, Json]) -> bool:
    if condition.strip() == "":
        return True
    return _Condition(condition, event).result()


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
