"""What both API clients share: base URL and bearer auth, timeouts, retries with exponential backoff
and jitter (honouring `Retry-After` and the Public API's `msBeforeNext`), client-side pacing, call
counting, and typed errors. Tokens only ever travel in the Authorization header and are never
written to a message or a log."""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from .errors import (
    ApiRequestError,
    AuthenticationError,
    ConnectionFailed,
    MalformedResponse,
    NotFoundError,
    RateLimitedError,
    ServerError,
    error_message,
)

Json = Any
log = logging.getLogger("migrator.http")
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, hinted: float | None) -> float:
        """Full jitter on an exponential ceiling; a server hint is a floor."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        chosen = self.jitter.uniform(0, ceiling)
        return max(chosen, hinted) if hinted is not None else chosen


class Pacer:
    """Keeps a client under `per_minute` requests: a minimum spacing between request starts."""

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


@dataclass
class CallCounter:
    calls: int = 0
    attempts: int = 0
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, attempt: int) -> None:
        with self._lock:
            self.attempts += 1
            if attempt == 0:
                self.calls += 1
            else:
                self.retries += 1


class Transport:
    """One API's HTTP transport. `api` names it in errors ("Config" or "Public")."""

    def __init__(
        self,
        api: str,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        verbose: Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.pacer = pacer or Pacer(0)
        self.sleep = sleep
        self.counter = CallCounter()
        self.verbose = verbose
        self._client = httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": "segment-migrator",
            },
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Json = None) -> Json:
        method = method.upper()
        last: ApiRequestError | None = None
        for attempt in range(self.retry.attempts):
            self.pacer.wait()
            self.counter.count(attempt)
            if self.verbose:
                self.verbose(f"{self.api} {method} {path}" + (f" (retry {attempt})" if attempt else ""))
            try:
                response = self._client.request(method, path, params=params, json=json)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # Never sent: safe to retry whatever the method.
                last = ConnectionFailed(
                    self.api, method, path, None, f"cannot connect to {self.base_url} ({_reason(error)})"
                )
                self._pause(attempt, None)
                continue
            except httpx.TransportError as error:
                last = ConnectionFailed(self.api, method, path, None, f"connection failed ({_reason(error)})")
                if method not in IDEMPOTENT:
                    raise last from None  # it may have been processed: never repeat blindly
                self._pause(attempt, None)
                continue
            if response.status_code == 429 or (response.status_code >= 500 and method in IDEMPOTENT):
                last = self._error(method, path, response)
                if attempt + 1 < self.retry.attempts:
                    self._pause(attempt, _hint(response))
                continue
            if response.status_code >= 400:
                raise self._error(method, path, response)
            return self._json(method, path, response)
        assert last is not None
        raise last

    def _pause(self, attempt: int, hinted: float | None) -> None:
        if attempt + 1 < self.retry.attempts:
            self.sleep(self.retry.delay(attempt, hinted))

    def _json(self, method: str, path: str, response: httpx.Response) -> Json:
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            snippet = response.text[:80].replace("\n", " ")
            raise MalformedResponse(self.api, method, path, response.status_code, f"not JSON: {snippet!r}") from None

    def _error(self, method: str, path: str, response: httpx.Response) -> ApiRequestError:
        message = _message(response)
        status = response.status_code
        kind: type[ApiRequestError]
        if status in (401, 403):
            kind = AuthenticationError
        elif status == 404:
            kind = NotFoundError
        elif status == 429:
            kind = RateLimitedError
        elif status >= 500:
            kind = ServerError
        else:
            kind = ApiRequestError
        return kind(self.api, method, path, status, message)


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:120]


def _message(response: httpx.Response) -> str:
    """The error text of either envelope, or the start of a plain-text body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:120] or response.reason_phrase
    return error_message(body, response.reason_phrase)


def _hint(response: httpx.Response) -> float | None:
    """Seconds to wait, from `Retry-After` (seconds or HTTP date) or the Public `msBeforeNext`."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(header)
            if parsed is not None:
                return max(0.0, parsed.timestamp() - time.time())
    try:
        body = response.json()
    except ValueError:
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        data = errors[0].get("data")
        if isinstance(data, dict) and isinstance(data.get("msBeforeNext"), int | float):
            return float(data["msBeforeNext"]) / 1000
    return None
