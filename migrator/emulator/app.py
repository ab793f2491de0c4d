"""The emulator as one ASGI application: the Config API under /v1beta and /v1alpha, the Public API
at /, both over one `State`.

Transport rules (auth, scopes, rate limits, faults, body limits, error envelopes) live here; what
each endpoint does lives in `config_api` and `public_api`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from mappings import ApiMap, load_map

from .config_api import ConfigApi, ConfigCall
from .protocol import ApiError, Clock, Faults, RateLimiter, SystemClock, normalise_path
from .public_api import PublicApi, PublicCall
from .state import State

Json = Any
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
log = logging.getLogger("migrator.emulator")


def config_token() -> str:
    """A token shaped like Segment's examples: two 43-character base64url parts joined by a dot."""
    alphabet = string.ascii_letters + string.digits + "-_"
    return ".".join("".join(secrets.choice(alphabet) for _ in range(43)) for _ in range(2))


def public_token() -> str:
    return "sgp_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64))


@dataclass
class Tokens:
    config: str = field(default_factory=config_token)
    config_read: str = field(default_factory=config_token)
    public: str = field(default_factory=public_token)


class Emulator:
    """One emulated workspace: state, tokens, limits, faults, and the ASGI app serving it."""

    def __init__(
        self,
        state: State,
        tokens: Tokens | None = None,
        *,
        rate_limit: int = 200,
        faults: Faults | None = None,
        clock: Clock | None = None,
        api: ApiMap | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.api = api or load_map()
        self.state = state
        self.tokens = tokens or Tokens()
        self.clock = clock or SystemClock()
        self.faults = faults or Faults()
        self.sleep = sleep
        self.rate_limit = rate_limit
        config_limit = rate_limit
        public_scale = int(self.api.protocol["public"]["rate_limit"]["default_per_minute"]) // int(
            self.api.protocol["rate_limit"]["config"]["per_minute"]
        )
        self.config_limiter = RateLimiter(config_limit, self.clock)
        self.public_limiter = RateLimiter(rate_limit * public_scale, self.clock)
        self.config_api = ConfigApi(self.api, state)
        self.public_api = PublicApi(self.api, state)
        self.requests = 0
        self.requests_by_side = {"config": 0, "public": 0}

    # --- ASGI -------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = normalise_path(scope["path"])
        split = self.api.split_prefix(path)
        side = "config" if split else "public"
        self.requests += 1
        self.requests_by_side[side] += 1
        try:
            response = await (self._config(request, path) if split else self._public(request, path))
        except ApiError as error:
            response = self._error(side, error)
        except Exception:  # a bug in a handler: answer 500, keep serving, tell the operator
            log.exception("emulator handler failed for %s %s", request.method, path)
            response = self._error(side, ApiError(500, "internal error"))
        if response is DROP:
            await _drop(send)
            return
        await response(scope, receive, send)

    def _error(self, side: str, error: ApiError) -> Response:
        body = error.config_body(self.api) if side == "config" else error.public_body(self.api)
        return JSONResponse(body, status_code=error.status, headers=error.headers)

    async def _body(self, request: Request, side: str, limit: int) -> Json:
        raw = await request.body()
        if len(raw) > limit:
            if side == "config":
                raise ApiError(400, f"request body too large ({len(raw)} bytes)")
            raise ApiError(413, f"Request body too large ({len(raw)} bytes)", kind="payload-too-large")
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            if side == "config":
                raise ApiError(400, "invalid JSON in request body") from None
            # The SDK and the OpenAPI document give every operation 422 for bad input and no 400.
            raise ApiError(422, "Invalid JSON in request body", kind="input-validation", field="body") from None

    async def _fault(self, side: str) -> Response | None:
        fault = self.faults.draw()
        if fault is None:
            return None
        if fault == "slow":
            await self.sleep(self.faults.slow_seconds)
            return None
        if fault == "drop":
            return DROP
        if fault == "envoy":
            body = self.api.protocol["config_envoy_503"]["body"]
            return PlainTextResponse(body, status_code=503)
        status = int(fault)
        headers = {"Retry-After": "1"} if status == 429 else {}
        if side == "public" and status == 429:
            data = {"remainingPoints": 0, "msBeforeNext": 1000, "consumedPoints": 0}
            return self._error(
                side, ApiError(429, "Too many requests", kind="RequestError", data=data, headers=headers)
            )
        message = {429: "rate limit exceeded", 500: "internal error", 503: "the API is unavailable"}[status]
        return self._error(side, ApiError(status, message, headers=headers))

    # --- Config side ------------------------------------------------------------------------------

    async def _config(self, request: Request, path: str) -> Response:
        method = request.method.upper()
        match = self.api.match_config(method, path)
        if match is None:
            raise ApiError(404, f"{method} {path} not found: the request method or path is incorrect")
        endpoint = match.endpoint
        header = request.headers.get("authorization", "")
        if endpoint.auth == "basic":
            if not header.lower().startswith("basic "):
                raise ApiError(401, "basic authentication required")
            token = "basic"
        else:
            token = header[7:].strip() if header.lower().startswith("bearer ") else ""
            if token not in (self.tokens.config, self.tokens.config_read):
                raise ApiError(401, self.api.config_message(401) or "")
            if token == self.tokens.config_read and method in WRITE_METHODS and not endpoint.key.endswith(".preview"):
                raise ApiError(403, self.api.config_message(403) or "")
        allowed, _remaining, wait = self.config_limiter.take(token)
        if not allowed:
            raise ApiError(429, "rate limit exceeded: 200 requests per minute", headers={"Retry-After": _seconds(wait)})
        fault = await self._fault("config")
        if fault is not None:
            return fault
        limit = int(self.api.protocol["config_quirks"]["body_limit_bytes"])
        body = await self._body(request, "config", limit)
        query = parse_qs(request.url.query, keep_blank_values=True)
        result = self.config_api.handle(ConfigCall(endpoint, match.params, query, body, method))
        return JSONResponse(result, status_code=int(self.api.protocol["config"]["success_status"]))

    # --- Public side ------------------------------------------------------------------------------

    async def _public(self, request: Request, path: str) -> Response:
        method = request.method.upper()
        match = self.api.match_public(method, path)
        if match is None:
            raise ApiError(404, f"Route {method} {path} not found", kind="not-found")
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if token != self.tokens.public:
            raise ApiError(401, "Unauthorized: a valid Public API token is required", kind="unauthorized")
        allowed, remaining, wait = self.public_limiter.take(token)
        reset = formatdate(timeval=None, usegmt=True)
        if not allowed:
            data = {
                "remainingPoints": 0,
                "msBeforeNext": int(wait * 1000) + 1,
                "consumedPoints": self.public_limiter.consumed(token),
            }
            raise ApiError(429, "Too many requests", kind="RequestError", data=data)
        fault = await self._fault("public")
        if fault is not None:
            return fault
        public = self.api.protocol["public"]
        limit = next(int(rule["bytes"]) for rule in public["size_limits"] if path.startswith(rule["prefix"]))
        body = await self._body(request, "public", limit)
        query = parse_qs(request.url.query, keep_blank_values=True)
        data = self.public_api.handle(PublicCall(match.operation, match.params, query, body))
        public_budget = int(public["rate_limit"]["default_per_minute"])
        headers = {
            "X-RateLimit-Consumed": str(self.public_limiter.consumed(token)),
            # With the limit off (--rate-limit 0) nothing is spent: a client must not read 0 and wait.
            "X-RateLimit-Remaining": str(remaining if self.public_limiter.per_minute > 0 else public_budget),
            "X-RateLimit-Reset": reset,
        }
        response = JSONResponse({"data": data}, status_code=match.operation.status, headers=headers)
        response.headers["content-type"] = _media_type(request.headers.get("accept", ""), public["media_types"])
        return response


class _Drop(Response):
    """Marker: close the connection part way through the answer."""


DROP = _Drop()


async def _drop(send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
    await send({"type": "http.response.body", "body": b'{"data": ', "more_body": True})
    raise ConnectionResetError("emulator fault: connection dropped")


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _seconds(wait: float) -> str:
    return str(max(1, int(wait + 0.999)))


def _media_type(accept: str, known: list[str]) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip()
        if media in known and media != "application/json":
            return media
    return "application/json"


def basic_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
