"""Clients for both APIs, over `Transport`. Paths, list keys and page limits come from the map, so
a client call names an endpoint (`sources.list`) or an SDK operation (`SourcesApi.list_sources`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from mappings import ApiMap, load_map

from .errors import MalformedResponse, UsageError
from .transport import Pacer, RetryPolicy, Transport

Json = Any
REGIONS = ("us", "eu")


@dataclass(frozen=True)
class Endpoints:
    """Where the two APIs are: the real hosts by region, or overrides (the emulator, a proxy)."""

    config_url: str
    public_url: str
    region: str

    @classmethod
    def resolve(
        cls,
        region: str | None = None,
        config_url: str | None = None,
        public_url: str | None = None,
        api: ApiMap | None = None,
    ) -> Endpoints:
        api = api or load_map()
        chosen = (region or os.environ.get("SEGMENT_REGION") or "us").lower()
        if chosen not in REGIONS:
            raise UsageError(f"unknown region {chosen!r}: use us or eu")
        public = api.protocol["public"]
        default_public = public["eu_base_url"] if chosen == "eu" else public["base_url"]
        return cls(
            config_url=(
                config_url or os.environ.get("SEGMENT_CONFIG_URL") or api.protocol["config"]["base_url"]
            ).rstrip("/"),
            public_url=(public_url or os.environ.get("SEGMENT_PUBLIC_URL") or default_public).rstrip("/"),
            region=chosen,
        )


def token_from(option: str | None, variable: str) -> str | None:
    value = option if option is not None else os.environ.get(variable)
    return value.strip() if value and value.strip() else None


@dataclass
class Page:
    items: list[Json]
    total: int | None = None


class ConfigClient:
    """The Config API: `page_size`/`page_token`, list keys from the map."""

    def __init__(self, transport: Transport, api: ApiMap | None = None) -> None:
        self.transport = transport
        self.api = api or load_map()
        self.page_size = int(self.api.protocol["config"]["pagination"]["max_size"])

    @classmethod
    def connect(
        cls,
        base_url: str,
        token: str,
        *,
        per_minute: int | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
        verbose: Callable[[str], None] | None = None,
    ) -> ConfigClient:
        api = load_map()
        budget = int(api.protocol["rate_limit"]["config"]["per_minute"]) if per_minute is None else per_minute
        sleeper = sleep or time.sleep
        pacer = Pacer(budget, sleep=sleeper)
        return cls(
            Transport(
                "Config", base_url, token, retry=retry, pacer=pacer, sleep=sleeper, transport=transport, verbose=verbose
            ),
            api,
        )

    def path(self, key: str, **params: str) -> str:
        return "/" + self.api.endpoint(key).path.format(**params)

    def get(self, key: str, query: dict[str, Any] | None = None, **params: str) -> Json:
        return self.transport.request("GET", self.path(key, **params), params=query)

    def pages(self, key: str, query: dict[str, Any] | None = None, **params: str) -> Iterator[list[Json]]:
        """Every page of a list endpoint, at the largest page size, until `next_page_token` is empty."""
        endpoint = self.api.endpoint(key)
        assert endpoint.list_key, key
        token: str | None = None
        while True:
            request = {**(query or {}), "page_size": self.page_size}
            if token:
                request["page_token"] = token
            body = self.transport.request("GET", self.path(key, **params), params=request)
            items = body.get(endpoint.list_key) if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise MalformedResponse(
                    "Config", "GET", self.path(key, **params), 200, f"no {endpoint.list_key!r} list"
                )
            yield items
            token = body.get("next_page_token") or None
            if not token:
                return

    def list_all(self, key: str, query: dict[str, Any] | None = None, **params: str) -> list[Json]:
        return [item for page in self.pages(key, query, **params) for item in page]

    def close(self) -> None:
        self.transport.close()


class PublicClient:
    """The Public API: cursor pagination (`pagination.count`, `data.pagination.next`)."""

    def __init__(self, transport: Transport, api: ApiMap | None = None) -> None:
        self.transport = transport
        self.api = api or load_map()
        self.count = int(self.api.protocol["public"]["pagination"]["client_count"])
        self._by_sdk = {operation.sdk: operation for operation in self.api.public_operations}

    @classmethod
    def connect(
        cls,
        base_url: str,
        token: str,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
        verbose: Callable[[str], None] | None = None,
    ) -> PublicClient:
        sleeper = sleep or time.sleep
        return cls(
            Transport("Public", base_url, token, retry=retry, sleep=sleeper, transport=transport, verbose=verbose)
        )

    def path(self, sdk: str, **params: str) -> str:
        # Path parameters are percent-encoded completely, as the SDK does.
        template = self._by_sdk[sdk].path
        for name, value in params.items():
            template = template.replace("{" + name + "}", quote(value, safe=""))
        return template

    def data(self, sdk: str, query: dict[str, Any] | None = None, **params: str) -> Json:
        operation = self._by_sdk[sdk]
        body = self.transport.request(operation.method, self.path(sdk, **params), params=query)
        if not isinstance(body, dict) or "data" not in body:
            raise MalformedResponse("Public", operation.method, self.path(sdk, **params), 200, "no `data` envelope")
        return body["data"]

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Json = None) -> Json:
        """Any Public call by method and concrete path; the answer's `data`."""
        answer = self.transport.request(method, path, params=query, json=body)
        if not isinstance(answer, dict) or "data" not in answer:
            raise MalformedResponse("Public", method, path, 200, "no `data` envelope")
        return answer["data"]

    def pages(self, sdk: str, query: dict[str, Any] | None = None, **params: str) -> Iterator[Page]:
        operation = self._by_sdk[sdk]
        key = next(name.rstrip("?") for name in operation.data if name.rstrip("?") != "pagination")
        cursor: str | None = None
        while True:
            request = {**(query or {}), "pagination.count": self.count}
            if cursor:
                request["pagination.cursor"] = cursor
            data = self.data(sdk, request, **params)
            items = data.get(key) if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise MalformedResponse("Public", "GET", self.path(sdk, **params), 200, f"no `data.{key}` list")
            pagination = data.get("pagination") or {}
            yield Page(items, pagination.get("totalEntries"))
            cursor = pagination.get("next")
            if not cursor:
                return

    def list_all(self, sdk: str, query: dict[str, Any] | None = None, **params: str) -> list[Json]:
        return [item for page in self.pages(sdk, query, **params) for item in page.items]

    def close(self) -> None:
        self.transport.close()
