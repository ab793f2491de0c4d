"""One Config request answered through the Public API: translated, its Public calls made in order,
and the Config answer built from theirs, with the Config API's statuses and error bodies.

The proxy and the compatibility layer that `migrate apply` generates both answer through this module
(the layer carries a copy of it, made by `migrator.compat`), so a translation fixed here is fixed in
both. Pure Python over a `PublicCaller`: the proxy calls through httpx, the layer through the HTTP
library the migrated code already uses. Ids come from an ID map when there is one, else from Public
lookups that are cached; an ambiguous name is an error naming the candidates, never a pick.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from mappings import ApiMap, Endpoint, load_map
from migrator.codec import parse_name
from migrator.errors import already_exists
from migrator.translator import (
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
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UpstreamError(Exception):
    """A Public call that failed: its status (None when it never answered) and its message."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"{status} {detail}")
        self.status = status
        self.detail = detail


class PublicCaller(Protocol):
    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Json = None) -> Json:
        """The `data` of the Public answer to one call; raises `UpstreamError` when it fails."""
        ...


@dataclass(frozen=True)
class IdCandidate:
    public_id: str


@dataclass(frozen=True)
class IdEntry:
    kind: str
    config_name: str | None
    public_id: str | None
    status: str
    candidates: tuple[IdCandidate, ...] = ()


@dataclass(frozen=True)
class IdWorkspace:
    slug: str
    config_id: str | None = None


class IdTable:
    """The lookups of an ID map, as plain data: what the compatibility layer carries of `ids.json`."""

    def __init__(self, workspace: IdWorkspace, entries: list[IdEntry]) -> None:
        self.workspace = workspace
        self.entries = entries
        self._by_name = {(entry.kind, entry.config_name): entry for entry in entries if entry.config_name}
        self._by_id = {(entry.kind, entry.public_id): entry for entry in reversed(entries) if entry.public_id}

    def by_name(self, kind: str, config_name: str) -> IdEntry | None:
        return self._by_name.get((kind, config_name))

    def by_public_id(self, kind: str, public_id: str) -> IdEntry | None:
        return self._by_id.get((kind, public_id))


class LiveNames:
    """Config names <-> Public ids: the ID map first, then cached lookups through the Public API."""

    def __init__(self, caller: PublicCaller, id_map: Any = None, api: ApiMap | None = None) -> None:
        self.caller = caller
        self.api = api or load_map()
        self.mapped = IdMapNames(id_map, self.api) if id_map is not None else None
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self.lookups = 0
        self._operations = {operation.sdk: operation for operation in self.api.public_operations}
        self._count = int(self.api.protocol["public"]["pagination"]["client_count"])

    def invalidate(self) -> None:
        with self._lock:
            for key in [key for key in self._cache if key != "workspace"]:
                del self._cache[key]

    def _cached(self, key: str, load: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._cache:
                self.lookups += 1
                self._cache[key] = load()
            return self._cache[key]

    def _path(self, sdk: str, params: dict[str, str]) -> str:
        path = self._operations[sdk].path
        for name, value in params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return path

    def _list_all(self, sdk: str, **params: str) -> list[Json]:
        operation = self._operations[sdk]
        key = next(name.rstrip("?") for name in operation.data if name.rstrip("?") != "pagination")
        items: list[Json] = []
        cursor: str | None = None
        while True:
            query: dict[str, Any] = {"pagination.count": self._count}
            if cursor:
                query["pagination.cursor"] = cursor
            data = self.caller.call("GET", self._path(sdk, params), query)
            items += data.get(key) or []
            cursor = (data.get("pagination") or {}).get("next")
            if not cursor:
                return items

    def workspace(self) -> dict[str, Json]:
        load = lambda: self.caller.call("GET", self._path("WorkspacesApi.get_workspace", {}))["workspace"]  # noqa: E731
        return dict(self._cached("workspace", load))

    def sources(self) -> list[dict[str, Json]]:
        return list(self._cached("sources", lambda: self._list_all("SourcesApi.list_sources")))

    def catalog(self, kind: str) -> list[dict[str, Json]]:
        sdk = "CatalogApi.get_sources_catalog" if kind == "catalog_source" else "CatalogApi.get_destinations_catalog"
        return list(self._cached(kind, lambda: self._list_all(sdk)))

    def destinations_of(self, source_id: str) -> list[dict[str, Json]]:
        sdk = "SourcesApi.list_connected_destinations_from_source"
        return list(self._cached(f"destinations:{source_id}", lambda: self._list_all(sdk, sourceId=source_id)))

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


class Relay:
    """The Config API, answered through the Public API: `handle` is one Config request."""

    def __init__(self, caller: PublicCaller, names: LiveNames, api: ApiMap | None = None) -> None:
        self.api = api or load_map()
        self.caller = caller
        self.names = names
        self.translator = Translator(names, self.api)
        self.requests = 0

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Json) -> tuple[int, Json]:
        """The Config status and answer (or Config error body) for one Config request."""
        self.requests += 1
        match = self.api.match_config(method, path)
        if match is not None and match.endpoint.automation == "manual" and match.endpoint.translation != "none":
            # Said before any id is looked up: the answer is the same whatever the request names.
            return 501, {"error": f"not translated automatically: {match.endpoint.manual_reason}", "code": 12}
        try:  # translating may look ids up on the Public API, which may fail or refuse the token
            translation = self.translator.translate(ConfigRequest(method, path, query, body), match)
        except TranslationError as error:
            return error.status, {"error": str(error), "code": error.code}
        except UpstreamError as error:
            return config_error(self.api, error.status or 503, error.detail)
        if translation.untranslatable is not None:
            reason = translation.untranslatable
            message = f"no Public API twin: {reason.reason} Manual step: {reason.manual_step}"
            return 501, {"error": message, "code": 12}
        results: list[Json] = []
        try:
            for call in translation.calls:
                if call.each is not None:  # once per item of an earlier answer's list
                    results.append([self.caller.call(call.method, *rendered) for rendered in call.expand(results)])
                    continue
                concrete_path, concrete_query, concrete_body = call.render(results)
                try:
                    results.append(self.caller.call(call.method, concrete_path, concrete_query, concrete_body))
                except UpstreamError as error:
                    if error.status not in call.tolerate:
                        raise
                    results.append(None)  # already done (a label that exists)
            workspace_id = ""
            mapped = self.names.mapped.id_map if self.names.mapped else None
            if mapped is not None and mapped.workspace.config_id:
                workspace_id = mapped.workspace.config_id
            answer = config_answer(translation, results, self.names, self.api, workspace_id or None)
        except UpstreamError as error:
            conflict = _existing(match.endpoint, body) if error.status == 409 and match is not None else None
            return config_error(self.api, 409 if conflict else error.status or 503, conflict or error.detail)
        except (AmbiguousId, UnknownId, TranslationError) as error:
            return error.status, {"error": str(error), "code": error.code}
        finally:
            if method.upper() in WRITES:
                self.names.invalidate()
        return 200, answer


def _existing(endpoint: Endpoint, body: Json) -> str | None:
    """The Config API's message for a create the Public API refused as a duplicate, naming what the
    Config body named (`destination already exists: workspaces/acme/sources/web/destinations/x`)."""
    if endpoint.operation != "create" or not endpoint.body_key or not isinstance(body, dict):
        return None
    created = body.get(endpoint.body_key, body)
    named = created.get("name") or created.get("display_name") if isinstance(created, dict) else None
    return already_exists(endpoint.resource or endpoint.body_key, str(named)) if named else None
