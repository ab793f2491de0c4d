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
import threading
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from mappings import ApiMap, load_map

from .clients import PublicClient
from .codec import parse_name
from .errors import ApiRequestError
from .idmap import IdMap
from .translator import (
    GENERATED,
    AmbiguousId,
    ConfigRequest,
    IdMapNames,
    TranslationError,
    Translator,
    UnknownId,
    config_answer,
    config_error,
)

Json = Any
log = logging.getLogger("migrator.proxy")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LiveNames:
    """Config names <-> Public ids: the ID map first, then cached lookups through the Public API."""

    def __init__(self, public: PublicClient, id_map: IdMap | None = None, api: ApiMap | None = None) -> None:
        self.public = public
        self.api = api or load_map()
        self.mapped = IdMapNames(id_map, self.api) if id_map is not None else None
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self.lookups = 0

    def invalidate(self) -> None:
        with self._lock:
            for key in [key for key in self._cache if key != "workspace"]:
                del self._cache[key]

    def _cached(self, key: str, load: Any) -> Any:
        with self._lock:
            if key not in self._cache:
                self.lookups += 1
                self._cache[key] = load()
            return self._cache[key]

    def workspace(self) -> dict[str, Json]:
        return dict(self._cached("workspace", lambda: self.public.data("WorkspacesApi.get_workspace")["workspace"]))

    def sources(self) -> list[dict[str, Json]]:
        return list(self._cached("sources", lambda: self.public.list_all("SourcesApi.list_sources")))

    def catalog(self, kind: str) -> list[dict[str, Json]]:
        sdk = "CatalogApi.get_sources_catalog" if kind == "catalog_source" else "CatalogApi.get_destinations_catalog"
        return list(self._cached(kind, lambda: self.public.list_all(sdk)))

    def destinations_of(self, source_id: str) -> list[dict[str, Json]]:
        return list(
            self._cached(
                f"destinations:{source_id}",
                lambda: self.public.list_all("SourcesApi.list_connected_destinations_from_source", sourceId=source_id),
            )
        )

    def public_id(self, kind: str, config_name: str) -> str | None:
        if self.mapped is not None and self.mapped.id_map and self.mapped.id_map.by_name(kind, config_name):
            return self.mapped.public_id(kind, config_name)
        params = parse_name(self.api, kind, config_name)
        if params is None:
            return None
        if kind == "workspace":
            workspace = self.workspace()
            return str(workspace["id"]) if workspace["slug"] == params["workspace_slug"] else None
        if kind == "source":
            if params["workspace_slug"] != self.workspace()["slug"]:
                return None
            found = self._source_by_slug(params["source_slug"])
            return str(found["id"]) if found else None
        if kind in ("catalog_source", "catalog_destination"):
            slug = params.get("catalog_source_slug") or params.get("destination_slug")
            item = next((item for item in self.catalog(kind) if item["slug"] == slug), None)
            return str(item["id"]) if item else None
        if kind == "destination":
            source_id = self.public_id("source", self.api.config_name("source", params))
            if source_id is None:
                return None
            instances = [
                d for d in self.destinations_of(source_id) if d["metadata"]["slug"] == params["destination_slug"]
            ]
            if len(instances) > 1:
                raise AmbiguousId("destination", config_name, [str(d["id"]) for d in instances])
            return str(instances[0]["id"]) if instances else None
        if kind in GENERATED:
            return config_name.rsplit("/", 1)[-1]
        return None

    def _source_by_slug(self, slug: str) -> dict[str, Json] | None:
        found = next((source for source in self.sources() if source["slug"] == slug), None)
        if found is None:
            with self._lock:
                self._cache.pop("sources", None)
            found = next((source for source in self.sources() if source["slug"] == slug), None)
        return found

    def config_name(self, kind: str, public_id: str) -> str | None:
        if self.mapped is not None:
            known = self.mapped.config_name(kind, public_id)
            if known is not None:
                return known
        workspace = self.workspace()["slug"]
        if kind == "workspace":
            return self.api.config_name("workspace", {"workspace_slug": workspace})
        if kind == "source":
            source = next((source for source in self.sources() if source["id"] == public_id), None)
            if source is None:
                return None
            return self.api.config_name("source", {"workspace_slug": workspace, "source_slug": source["slug"]})
        if kind in ("catalog_source", "catalog_destination"):
            item = next((item for item in self.catalog(kind) if item["id"] == public_id), None)
            placeholder = "catalog_source_slug" if kind == "catalog_source" else "destination_slug"
            return self.api.config_name(kind, {placeholder: item["slug"]}) if item else None
        return None


class Proxy:
    """The Config API, answered through the Public API."""

    def __init__(self, public: PublicClient, names: LiveNames, api: ApiMap | None = None) -> None:
        self.api = api or load_map()
        self.public = public
        self.names = names
        self.translator = Translator(names, self.api)
        self.requests = 0

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Json) -> tuple[int, Json]:
        self.requests += 1
        try:
            translation = self.translator.translate(ConfigRequest(method, path, query, body))
        except TranslationError as error:
            return error.status, {"error": str(error), "code": error.code}
        endpoint = translation.endpoint
        if translation.untranslatable is not None:
            reason = translation.untranslatable
            message = f"no Public API twin: {reason.reason} Manual step: {reason.manual_step}"
            return 501, {"error": message, "code": 12}
        if endpoint.automation == "manual":
            return 501, {"error": f"not translated automatically: {endpoint.manual_reason}", "code": 12}
        results: list[Json] = []
        try:
            for call in translation.calls:
                concrete_path, concrete_query, concrete_body = call.render(results)
                try:
                    results.append(self.public.call(call.method, concrete_path, concrete_query, concrete_body))
                except ApiRequestError as error:
                    if error.status not in call.tolerate:
                        raise
                    results.append(None)  # already done (a label that exists)
            workspace_id = ""
            mapped = self.names.mapped.id_map if self.names.mapped else None
            if mapped is not None and mapped.workspace.config_id:
                workspace_id = mapped.workspace.config_id
            answer = config_answer(translation, results, self.names, self.api, workspace_id or None)
        except ApiRequestError as error:
            status = error.status or 503
            return config_error(self.api, status, error.detail)
        except (AmbiguousId, UnknownId, TranslationError) as error:
            return error.status, {"error": str(error), "code": error.code}
        finally:
            if method.upper() in WRITES:
                self.names.invalidate()
        return 200, answer


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
