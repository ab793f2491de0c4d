"""How stored objects look through each API. Public views pick the model's fields (every required
one present); Config views go through the shared codec and add the Config-only fields."""

from __future__ import annotations

import copy
from typing import Any

from mappings import ApiMap

from .. import shapes
from ..codec import Context, build_name, masked_secret, parse_name
from ..errors import ambiguous_name
from .protocol import ApiError
from .state import State

Json = Any


class StateNames:
    """Config resource names <-> Public ids, answered from the emulator's state."""

    def __init__(self, api: ApiMap, state: State) -> None:
        self.api = api
        self.state = state

    def public_id(self, kind: str, config_name: str) -> str | None:
        params = parse_name(self.api, kind, config_name)
        if params is None:
            return None
        state = self.state
        if kind == "workspace":
            return state.workspace["id"] if params["workspace_slug"] == state.workspace["slug"] else None
        if kind == "source":
            source = state.source_by_slug(params["source_slug"])
            return source["id"] if source else None
        if kind in ("catalog_source", "catalog_destination"):
            slug = params.get("catalog_source_slug") or params.get("destination_slug") or ""
            item = (
                state.catalog_source_by_slug(slug)
                if kind == "catalog_source"
                else state.catalog_destination_by_slug(slug)
            )
            return item["id"] if item else None
        if kind == "destination":
            found = self.destination(params["source_slug"], params["destination_slug"])
            return found["id"] if found else None
        if kind == "tracking_plan":
            plan = state.tracking_plan_by_config_id(params["tracking_plan_id"])
            return plan["id"] if plan else None
        if kind == "function":
            function = state.function_by_config_id(params["function_id"])
            return function["id"] if function else None
        if kind == "filter":
            item = state.filter_by_config_id(params["filter_id"])
            return item["id"] if item else None
        if kind == "regulation":
            return params["regulation_id"] if params["regulation_id"] in state.regulations else None
        return None

    def params(self, kind: str, public_id: str) -> dict[str, str] | None:
        """The placeholder values naming object `public_id` of `kind` in the Config API."""
        state = self.state
        workspace = {"workspace_slug": state.workspace["slug"]}
        if kind == "workspace":
            return workspace if public_id == state.workspace["id"] else None
        if kind == "source":
            source = state.sources.get(public_id)
            return {**workspace, "source_slug": source["slug"]} if source else None
        if kind == "catalog_source":
            item = state.catalog_sources.get(public_id)
            return {"catalog_source_slug": item["slug"]} if item else None
        if kind == "catalog_destination":
            item = state.catalog_destinations.get(public_id)
            return {"destination_slug": item["slug"]} if item else None
        if kind == "destination":
            destination = state.destinations.get(public_id)
            if destination is None:
                return None
            source = state.sources[destination["sourceId"]]
            slug = state.catalog_destinations[destination["metadataId"]]["slug"]
            return {**workspace, "source_slug": source["slug"], "destination_slug": slug}
        if kind == "filter":
            item = state.filters.get(public_id)
            owner = self.params("destination", item["destinationId"]) if item else None
            return {**owner, "filter_id": item["configId"]} if item and owner else None
        if kind == "tracking_plan":
            plan = state.tracking_plans.get(public_id)
            return {**workspace, "tracking_plan_id": plan["configId"]} if plan else None
        if kind == "function":
            function = state.functions.get(public_id)
            if function is None:
                return None
            return {"workspace_id": state.workspace["configId"], "function_id": function["configId"]}
        if kind == "regulation":
            return {**workspace, "regulation_id": public_id} if public_id in state.regulations else None
        if kind == "user":
            return {"user_id": public_id} if public_id in state.users else None
        if kind == "role":
            return {**workspace, "role_id": public_id} if public_id in state.roles else None
        if kind == "invite":
            return {**workspace, "invite_id": public_id} if public_id in state.invites else None
        return None

    def config_name(self, kind: str, public_id: str) -> str | None:
        params = self.params(kind, public_id)
        return build_name(self.api, kind, params) if params is not None else None

    def name(self, kind: str, public_id: str) -> str:
        """The Config name of an object known to exist."""
        found = self.config_name(kind, public_id)
        assert found is not None, (kind, public_id)
        return found

    def destination(self, source_slug: str, catalog_slug: str) -> dict[str, Json] | None:
        """The instance a Config name addresses. The Config naming scheme has one name per
        integration and source; where a source has several instances, the name is ambiguous (409,
        as the translator answers: never a guess)."""
        source = self.state.source_by_slug(source_slug)
        if source is None:
            return None
        instances = self.state.destinations_of(source["id"], catalog_slug)
        if len(instances) > 1:
            params = {**(self.params("source", source["id"]) or {}), "destination_slug": catalog_slug}
            name = build_name(self.api, "destination", params)
            raise ApiError(409, ambiguous_name("destination", name, [str(d["id"]) for d in instances]))
        return instances[0] if instances else None


def filled_settings(state: State, destination: dict[str, Json]) -> dict[str, Json]:
    """Every option of the integration, defaults filled, then the values set."""
    options = state.catalog_destinations[destination["metadataId"]]["options"]
    settings = {option["name"]: copy.deepcopy(option.get("defaultValue", "")) for option in options}
    settings.update(copy.deepcopy(destination["settings"]))
    return settings


# --- Public views ---------------------------------------------------------------------------------


def pick(obj: dict[str, Json], keys: tuple[str, ...]) -> dict[str, Json]:
    return {key: copy.deepcopy(obj[key]) for key in keys if key in obj}


SOURCE_METADATA = (
    "id",
    "name",
    "slug",
    "description",
    "logos",
    "options",
    "categories",
    "isCloudEventSource",
    "status",
)
DESTINATION_METADATA = (
    "id",
    "name",
    "description",
    "slug",
    "logos",
    "options",
    "status",
    "previousNames",
    "categories",
    "website",
    "components",
    "supportedFeatures",
    "supportedMethods",
    "supportedPlatforms",
    "actions",
    "presets",
)
WAREHOUSE_METADATA = ("id", "name", "slug", "description", "logos", "options")


def public_workspace(state: State) -> Json:
    return pick(state.workspace, ("id", "slug", "name"))


def public_source(state: State, source: dict[str, Json]) -> Json:
    view = pick(source, ("id", "slug", "name", "workspaceId", "enabled", "writeKeys", "settings", "labels"))
    view["metadata"] = pick(state.catalog_sources[source["metadataId"]], SOURCE_METADATA)
    return view


def public_destination(api: ApiMap, state: State, destination: dict[str, Json]) -> Json:
    metadata = state.catalog_destinations[destination["metadataId"]]
    secrets = {option["name"] for option in metadata["options"] if option["type"] == "password"}
    settings = {
        key: masked_secret(api, value) if key in secrets else value
        for key, value in filled_settings(state, destination).items()
    }
    view = pick(destination, ("id", "name", "enabled", "sourceId"))
    view["metadata"] = pick(metadata, DESTINATION_METADATA)
    view["settings"] = settings
    return view


def public_filter(item: dict[str, Json]) -> Json:
    return pick(
        item,
        (
            "id",
            "sourceId",
            "destinationId",
            "if",
            "actions",
            "title",
            "description",
            "enabled",
            "createdAt",
            "updatedAt",
        ),
    )


def public_plan(plan: dict[str, Json]) -> Json:
    return pick(plan, ("id", "name", "slug", "description", "type", "updatedAt", "createdAt"))


def public_function(function: dict[str, Json], full: bool = True) -> Json:
    keys: tuple[str, ...] = (
        "id",
        "resourceType",
        "createdAt",
        "createdBy",
        "displayName",
        "description",
        "logoUrl",
        "catalogId",
    )
    if full:
        keys += ("code", "settings", "deployedAt", "isLatestVersion")
    view = pick(function, keys)
    if not view.get("deployedAt"):
        view.pop("deployedAt", None)
    return view


def public_regulation(regulation: dict[str, Json]) -> Json:
    view: dict[str, Json] = {
        "id": regulation["id"],
        "workspaceId": regulation["workspaceId"],
        "overallStatus": regulation["status"],
        "createdAt": regulation["createdAt"],
        "streamStatus": [],
    }
    if regulation.get("finishedAt"):
        view["finishedAt"] = regulation["finishedAt"]
    return view


def public_regulation_entry(regulation: dict[str, Json]) -> Json:
    view: dict[str, Json] = {
        "id": regulation["id"],
        "subjectType": regulation["subjectType"],
        "subjects": list(regulation["subjectIds"]),
        "status": regulation["status"],
        "createdAt": regulation["createdAt"],
        "regulationType": regulation["regulationType"],
    }
    if regulation.get("finishedAt"):
        view["finishedAt"] = regulation["finishedAt"]
    return view


def public_warehouse(state: State, warehouse: dict[str, Json]) -> Json:
    settings = {key: value for key, value in warehouse["settings"].items() if key != "password"}
    view = pick(warehouse, ("id", "workspaceId", "enabled"))
    view["metadata"] = pick(state.catalog_warehouses[warehouse["metadataId"]], WAREHOUSE_METADATA)
    view["settings"] = settings
    return view


def public_schema_settings(source: dict[str, Json]) -> Json:
    return copy.deepcopy(source["schema"])


# --- Config views: the shared Public-to-Config shapes, plus what only the Config side stored ----


def config_context(api: ApiMap, state: State, **params: str) -> Context:
    return Context(api, StateNames(api, state), {"workspace_slug": state.workspace["slug"], **params})


def config_workspace(api: ApiMap, state: State) -> Json:
    view = shapes.workspace(config_context(api, state), public_workspace(state), state.workspace["configId"])
    view["create_time"] = state.workspace["createdAt"]
    return view


def config_source(api: ApiMap, state: State, source: dict[str, Json]) -> Json:
    view = shapes.source(config_context(api, state), public_source(state, source))
    view["library_config"] = {
        "metrics_enabled": False,
        "retry_queue": True,
        "cross_domain_id_enabled": False,
        "api_host": source["settings"].get("apiHost", ""),
    }
    view["function_config"] = []
    view["create_time"] = source["createdAt"]
    return view


def config_schema(api: ApiMap, state: State, source: dict[str, Json]) -> Json:
    context = config_context(api, state)
    name = StateNames(api, state).name("source", source["id"])
    return shapes.schema_config(context, name, {**source["schema"], "sourceId": source["id"]})


def config_destination(api: ApiMap, state: State, destination: dict[str, Json]) -> Json:
    """Config answers show secrets unmasked (the Public API masks them) and every option's value."""
    public = public_destination(api, state, destination)
    public["settings"] = filled_settings(state, destination)
    view = shapes.destination(config_context(api, state), public, state.sources[destination["sourceId"]]["slug"])
    view["connection_mode"] = destination.get("connectionMode", "CLOUD")
    view["create_time"] = destination["createdAt"]
    view["update_time"] = destination["updatedAt"]
    return view


def config_filter(api: ApiMap, state: State, item: dict[str, Json]) -> Json:
    names = StateNames(api, state)
    return shapes.filter_(
        config_context(api, state), public_filter(item), names.name("destination", item["destinationId"])
    )


def config_plan(api: ApiMap, state: State, plan: dict[str, Json]) -> Json:
    return shapes.tracking_plan(config_context(api, state), public_plan(plan), plan["rules"])


def config_function(api: ApiMap, state: State, function: dict[str, Json]) -> Json:
    return shapes.function(config_context(api, state), public_function(function), state.workspace["configId"])


def config_regulation_status(api: ApiMap, state: State, regulation: dict[str, Json]) -> Json:
    return shapes.regulation_status(
        config_context(api, state), public_regulation(regulation), state.workspace["configId"]
    )


def config_regulation_entry(api: ApiMap, state: State, regulation: dict[str, Json]) -> Json:
    return shapes.regulation_entry(config_context(api, state), public_regulation_entry(regulation))


def config_catalog_source(api: ApiMap, state: State, item: dict[str, Json]) -> Json:
    return shapes.catalog_source(config_context(api, state), item, item.get("configType", "event"))


def config_catalog_destination(api: ApiMap, state: State, item: dict[str, Json]) -> Json:
    return shapes.catalog_destination(config_context(api, state), item)
