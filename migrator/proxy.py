"""Serve the Config API through the Public API, live: legacy code nobody can change yet keeps working.

Each Config request is translated (the map and the translator), its Public calls are made in order
with `SEGMENT_PUBLIC_API_TOKEN`, and the answers are turned back into the Config answer. Ids come
from the ID map when one is loaded, else from Public lookups that are cached; an ambiguous name is an
error naming the candidates, never a pick. What has no Public twin gets a Config-style error that
names the manual step.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from mappings import ApiMap

from . import relay
from .clients import PublicClient
from .errors import ApiRequestError
from .idmap import IdMap
from .relay import UpstreamError

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


class ProxyApp:
    """The proxy as an ASGI app: the Config API under /v1beta and /v1alpha."""

    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = scope["path"]
        if self.proxy.api.split_prefix(path) is None:
            response = JSONResponse({"error": f"{path} is not a Config API path (/v1beta/...)", "code": 5}, 404)
            await response(scope, receive, send)
            return
        raw = await request.body()
        body: Json = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                await JSONResponse({"error": "invalid JSON in request body", "code": 3}, 400)(scope, receive, send)
                return
        query = parse_qs(request.url.query, keep_blank_values=True)
        try:
            status, answer = await run_in_threadpool(self.proxy.handle, request.method, path, query, body)
        except Exception:  # a bug: answer like the Config API would, keep serving
            log.exception("proxy failed on %s %s", request.method, path)
            status, answer = 500, {"error": "internal error in the proxy", "code": 13}
        await JSONResponse(answer, status)(scope, receive, send)
