"""Serve the Config API through the Public API, live: legacy code nobody can change yet keeps working.

Each Config request is translated (the map and the translator), its Public calls are made in order
with the caller's own Public API token (legacy code sends it where it sent its Config token), and
the answers are turned back into the Config answer. The proxy holds no token of its own unless the
operator gives it one on purpose, for every caller on this machine. Ids come from the ID map when
one is loaded, else from Public lookups cached per token; an ambiguous name is an error naming the
candidates, never a pick. What has no Public twin gets a Config-style error that names the manual
step.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from mappings import ApiMap, load_map

from . import relay
from .clients import PublicClient
from .errors import ApiRequestError
from .guard import bearer_token, refuse
from .idmap import IdMap
from .relay import UpstreamError
from .transport import RetryPolicy

Json = Any
log = logging.getLogger("migrator.proxy")


class _Upstream:
    """The Public client as the relay's caller: its errors become the relay's."""

    def __init__(self, public: PublicClient) -> None:
        self.public = public

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Json = None) -> Json:
        try:
            return self.public.call(method, path, query, body)
        except ApiRequestError as error:
            raise UpstreamError(error.status, error.detail) from error


class LiveNames(relay.LiveNames):
    """Config names <-> Public ids through the Public client (the ID map first)."""

    def __init__(self, public: PublicClient, id_map: IdMap | None = None, api: ApiMap | None = None) -> None:
        super().__init__(_Upstream(public), id_map, api)
        self.public = public


class Proxy(relay.Relay):
    """The Config API, answered through the Public API."""

    def __init__(self, public: PublicClient, names: LiveNames, api: ApiMap | None = None) -> None:
        super().__init__(names.caller, names, api)
        self.public = public


CALLER_RETRY = RetryPolicy(attempts=2, base_delay=0.2, max_delay=1.0)
"""A caller is waiting, and its own code retries as it did against the Config API: one retry."""


def _connect(public_url: str, token: str) -> PublicClient:
    return PublicClient.connect(public_url, token, retry=CALLER_RETRY)


class ProxyApp:
    """The proxy as an ASGI app: the Config API under /v1beta and /v1alpha, each request answered
    with the Public API token its caller presents (or, given one on purpose, `shared_token`)."""

    RELAYS = 32
    """Callers (tokens) whose id lookups are kept; the least recent goes first."""

    def __init__(
        self,
        public_url: str,
        id_map: IdMap | None = None,
        *,
        shared_token: str | None = None,
        api: ApiMap | None = None,
        connect: Callable[[str, str], PublicClient] | None = None,
    ) -> None:
        self.public_url = public_url
        self.id_map = id_map
        self.shared_token = shared_token
        self.api = api
        self.connect = connect or _connect
        self._relays: OrderedDict[bytes, Proxy] = OrderedDict()
        self._lock = threading.Lock()

    def relay_for(self, token: str) -> Proxy:
        """The relay (its client and id cache) of one token, keyed by the token's digest."""
        key = hashlib.blake2b(token.encode(), digest_size=16).digest()
        with self._lock:
            relay = self._relays.pop(key, None)
            if relay is None:
                public = self.connect(self.public_url, token)
                relay = Proxy(public, LiveNames(public, self.id_map, self.api), self.api)
            self._relays[key] = relay
            while len(self._relays) > self.RELAYS:
                _key, evicted = self._relays.popitem(last=False)
                evicted.public.close()
            return relay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = scope["path"]
        api = self.api or load_map()
        if api.split_prefix(path) is None:
            await refuse(send, 404, f"{path} is not a Config API path (/v1beta/...)", 5)
            return
        token = self.shared_token or bearer_token(scope["headers"])
        if token is None:
            message = "the proxy calls the Public API with its caller's token: send one as 'Authorization: Bearer ...'"
            await refuse(send, 401, message, 16)
            return
        raw = await request.body()
        body: Json = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                await refuse(send, 400, "invalid JSON in request body", 3)
                return
        query = parse_qs(request.url.query, keep_blank_values=True)
        try:
            proxy = self.relay_for(token)
            status, answer = await run_in_threadpool(proxy.handle, request.method, path, query, body)
        except Exception:  # a bug: answer like the Config API would, keep serving
            log.exception("proxy failed on %s %s", request.method, path)
            status, answer = 500, {"error": "internal error in the proxy", "code": 13}
        await JSONResponse(answer, status)(scope, receive, send)
