"""Transport-level behaviour of the emulator: errors, pagination, rate limits, faults, the clock."""

from __future__ import annotations

import base64
import binascii
import json
import random
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from mappings import ApiMap

from ..errors import UsageError

Json = Any


class Clock(Protocol):
    def monotonic(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock tests move by hand: rate-limit windows pass without sleeping."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ApiError(Exception):
    """An error answer of either API. `code` is the Config gRPC code, `kind` the Public error type."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: int | None = None,
        kind: str | None = None,
        field: str | None = None,
        data: Json = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.kind = kind
        self.field = field
        self.data = data
        self.headers = dict(headers or {})

    def config_body(self, api: ApiMap) -> dict[str, Json]:
        return {"error": self.message, "code": self.code if self.code is not None else grpc_code(api, self.status)}

    def public_body(self, api: ApiMap) -> dict[str, Json]:
        error: dict[str, Json] = {"type": self.kind or public_type(api, self.status), "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        if self.data is not None:
            error["data"] = self.data
        return {"errors": [error]}


def grpc_code(api: ApiMap, status: int) -> int:
    for row in api.protocol["config_error"]:
        if row["status"] == status:
            return int(row["code"])
    return 2  # gRPC Unknown


def public_type(api: ApiMap, status: int) -> str:
    for row in api.protocol["public_error"]:
        if row["status"] == status:
            return str(row["type"])
    return "error"


# --- pagination -------------------------------------------------------------------------------------


def encode_cursor(offset: int) -> str:
    return base64.b64encode(str(offset).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        value = int(base64.b64decode(cursor.encode(), validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError(f"invalid cursor {cursor!r}") from None
    if value < 0:
        raise ValueError(f"invalid cursor {cursor!r}")
    return value


def config_page(
    items: list[Json], query: dict[str, list[str]], default_size: int, max_size: int
) -> tuple[list[Json], str]:
    """One Config page and its `next_page_token` ("" at the end)."""
    size_text = _first(query, "page_size")
    token = _first(query, "page_token") or ""
    try:
        size = int(size_text) if size_text not in (None, "") else default_size
    except ValueError:
        raise ApiError(400, f"invalid page_size {size_text!r}") from None
    if size < 0:
        raise ApiError(400, f"invalid page_size {size}")
    size = min(size or default_size, max_size)
    try:
        offset = decode_cursor(token) if token else 0
    except ValueError as error:
        raise ApiError(400, f"invalid page_token: {error}") from None
    page = items[offset : offset + size]
    next_offset = offset + size
    return page, encode_cursor(next_offset) if next_offset < len(items) else ""


def public_pagination_input(query: dict[str, list[str]], default_count: int, max_count: int) -> tuple[int, int]:
    """(count, offset) from any of the three query encodings: dot, bracket, or JSON text."""
    count_text: str | None = None
    cursor: str | None = None
    raw = _first(query, "pagination")
    if raw is not None:
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            raise ApiError(422, "pagination must be an object", field="pagination") from None
        if not isinstance(parsed, dict):
            raise ApiError(422, "pagination must be an object", field="pagination")
        count_text = None if parsed.get("count") is None else str(parsed.get("count"))
        cursor = parsed.get("cursor")
        if parsed and "count" not in parsed:
            raise ApiError(422, '"pagination.count" is required', field="pagination.count")
    for style in ("pagination.{}", "pagination[{}]"):
        if count_text is None:
            count_text = _first(query, style.format("count"))
        if cursor is None:
            cursor = _first(query, style.format("cursor"))
    if count_text is None and cursor is not None:
        raise ApiError(422, '"pagination.count" is required', field="pagination.count")
    try:
        count = int(count_text) if count_text is not None else default_count
    except ValueError:
        raise ApiError(422, '"pagination.count" must be a number', field="pagination.count") from None
    if not 1 <= count <= max_count:
        raise ApiError(422, f'"pagination.count" must be between 1 and {max_count}', field="pagination.count")
    try:
        offset = decode_cursor(cursor) if cursor else 0
    except ValueError as error:
        raise ApiError(422, str(error), field="pagination.cursor") from None
    return count, offset


def public_page(items: list[Json], count: int, offset: int) -> tuple[list[Json], dict[str, Json]]:
    page = items[offset : offset + count]
    pagination: dict[str, Json] = {"current": encode_cursor(offset), "totalEntries": len(items)}
    if offset + count < len(items):
        pagination["next"] = encode_cursor(offset + count)
    if offset > 0:
        pagination["previous"] = encode_cursor(max(0, offset - count))
    return page, pagination


def first(query: dict[str, list[str]], key: str) -> str | None:
    """The first value of a query parameter, or None."""
    return _first(query, key)


def _first(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


# --- rate limits -------------------------------------------------------------------------------------


@dataclass
class RateLimiter:
    """A rolling one-minute window per token. `per_minute == 0` turns it off."""

    per_minute: int
    clock: Clock
    window: float = 60.0
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def take(self, token: str) -> tuple[bool, int, float]:
        """(allowed, remaining, seconds until a slot frees)."""
        if self.per_minute <= 0:
            return True, 0, 0.0
        now = self.clock.monotonic()
        hits = self._hits.setdefault(token, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return False, 0, hits[0] + self.window - now
        hits.append(now)
        return True, self.per_minute - len(hits), (hits[0] + self.window - now)

    def consumed(self, token: str) -> int:
        return len(self._hits.get(token, ()))


# --- faults ------------------------------------------------------------------------------------------

FAULT_KINDS = ("429", "500", "503", "envoy", "slow", "drop")


@dataclass
class Faults:
    """Probabilities of injected failures, drawn from a seeded generator: the same seed gives the
    same sequence of faults for the same sequence of requests."""

    rates: dict[str, float] = field(default_factory=dict)
    slow_seconds: float = 0.25
    seed: int = 0
    _random: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        """`429=0.1,500=0.05,503=0.02,envoy=0.01,slow=0.05,drop=0.01,slow_ms=300,seed=7`."""
        if not spec:
            return cls()
        rates: dict[str, float] = {}
        slow = 0.25
        seed = 0
        for part in spec.split(","):
            name, separator, value = part.strip().partition("=")
            if not separator:
                raise UsageError(f"--faults: {part!r} is not NAME=VALUE")
            try:
                number = float(value)
            except ValueError:
                raise UsageError(f"--faults: {name} needs a number, got {value!r}") from None
            if name == "seed":
                seed = int(number)
            elif name == "slow_ms":
                slow = number / 1000
            elif name in FAULT_KINDS:
                if not 0 <= number <= 1:
                    raise UsageError(f"--faults: {name} is a probability between 0 and 1")
                rates[name] = number
            else:
                raise UsageError(f"--faults: unknown fault {name!r}; use {', '.join(FAULT_KINDS)}, slow_ms, seed")
        if sum(rates.values()) > 1:
            raise UsageError("--faults: the probabilities add up to more than 1")
        return cls(rates=rates, slow_seconds=slow, seed=seed)

    def draw(self) -> str | None:
        if not self.rates:
            return None
        roll = self._random.random()
        total = 0.0
        for name in FAULT_KINDS:
            total += self.rates.get(name, 0.0)
            if roll < total:
                return name
        return None


def normalise_path(path: str) -> str:
    """Collapse duplicate slashes and drop a trailing one (the segment_config_api wrapper sends both)."""
    collapsed = re.sub(r"/{2,}", "/", path)
    return collapsed.rstrip("/") or "/"
