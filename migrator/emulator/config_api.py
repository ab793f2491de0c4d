"""The Config API view of the state (`/v1beta`, `/v1alpha`).

Requests are matched to endpoints by the map; each endpoint key has a handler here. Bodies are read
with both field spellings, `update_mask` follows the seed page (a masked path without a value sets
the zero value, a value without a path is ignored), answers are snake_case.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mappings import ApiMap, Endpoint, Field_, camel

from ..codec import (
    MISSING,
    Context,
    MaskError,
    build_name,
    config_value,
    json_diff,
    labels_to_public,
    mask_paths,
    masked_changes,
    parse_name,
    settings_from_config,
    to_public,
)
from ..errors import already_exists, not_found
from . import filters as fql
from . import seed as factory
from . import views
from .protocol import ApiError, config_page, first
from .state import State

Json = Any
NOT_FOUND = 404
BAD = 400


@dataclass
class ConfigCall:
    endpoint: Endpoint
    params: dict[str, str]
    query: dict[str, list[str]]
    body: Json
    method: str


class ConfigApi:
    def __init__(self, api: ApiMap, state: State) -> None:
        self.api = api
        self.state = state
        self.names = views.StateNames(api, state)
        pagination = api.protocol["config"]["pagination"]
        self.default_size = int(pagination["default_size"])
        self.catalog_size = int(pagination["catalog_default_size"])
        self.max_size = int(pagination["max_size"])
        self.filter_limit = int(api.protocol["config_quirks"]["filters_per_destination"])
        self.handlers: dict[str, Callable[[ConfigCall], Json]] = {
            endpoint.key: getattr(self, "h_" + endpoint.key.replace(".", "__"), self.not_emulated)
            for endpoint in api.endpoints
        }

    def handle(self, call: ConfigCall) -> Json:
        self._check_scope(call)
        return self.handlers[call.endpoint.key](call)

    # --- shared pieces ----------------------------------------------------------------------------

    def _check_scope(self, call: ConfigCall) -> None:
        workspace = self.state.workspace
        if "workspace_slug" in call.params and call.params["workspace_slug"] != workspace["slug"]:
            raise ApiError(NOT_FOUND, not_found("workspace", call.params["workspace_slug"]))
        if "workspace_id" in call.params and call.params["workspace_id"] != workspace["configId"]:
            raise ApiError(NOT_FOUND, f"workspace id {call.params['workspace_id']!r} not found")

    def not_emulated(self, call: ConfigCall) -> Json:
        raise ApiError(501, f"not emulated: no public source shows the answer of {call.method} {call.endpoint.path}")

    def context(self, **params: str) -> Context:
        return views.config_context(self.api, self.state, **params)

    def page(self, call: ConfigCall, key: str, items: list[Json], catalog: bool = False) -> Json:
        size = self.catalog_size if catalog else self.default_size
        page, token = config_page(items, call.query, size, self.max_size)
        return {key: page, "next_page_token": token}

    def wrapped(self, call: ConfigCall, key: str) -> dict[str, Json]:
        body = call.body if isinstance(call.body, dict) else {}
        for spelling in (key, camel(key)):
            if spelling in body:
                value = body[spelling]
                if not isinstance(value, dict):
                    raise ApiError(BAD, f"{key} must be an object")
                return value
        raise ApiError(BAD, f"missing {key!r} in the request body")

    def check_fields(self, resource: str, obj: dict[str, Json], *extra: str) -> None:
        table = self.api.resource(resource)
        allowed = {spelling for item in table.field for spelling in item.spellings}
        allowed |= {"update_mask", "updateMask", *extra, *(camel(name) for name in extra)}
        for key in obj:
            if key not in allowed:
                raise ApiError(BAD, f'unknown field "{key}" in {resource}')

    def mask(self, call: ConfigCall, key: str) -> list[str] | None:
        try:
            return mask_paths(self.api, call.body, key)
        except MaskError as error:
            raise ApiError(BAD, str(error)) from None

    def masked_changes(self, resource: str, obj: dict[str, Json], paths: list[str]) -> dict[str, tuple[Field_, Json]]:
        try:
            changes = masked_changes(self.api, resource, obj, paths)
        except MaskError as error:
            raise ApiError(BAD, str(error)) from None
        return {name: (field, coerce(field, value)) for name, (field, value) in changes.items()}

    def source(self, slug: str) -> dict[str, Json]:
        source = self.state.source_by_slug(slug)
        if source is None:
            raise ApiError(NOT_FOUND, not_found("source", slug))
        return source

    def destination(self, call: ConfigCall) -> dict[str, Json]:
        self.source(call.params["source_slug"])
        destination = self.names.destination(call.params["source_slug"], call.params["destination_slug"])
        if destination is None:
            raise ApiError(NOT_FOUND, not_found("destination", call.params["destination_slug"]))
        return destination

    def plan(self, call: ConfigCall) -> dict[str, Json]:
        plan = self.state.tracking_plan_by_config_id(call.params["tracking_plan_id"])
        if plan is None:
            raise ApiError(NOT_FOUND, not_found("tracking_plan", call.params["tracking_plan_id"]))
        return plan

    def function(self, call: ConfigCall) -> dict[str, Json]:
        function = self.state.function_by_config_id(call.params["function_id"])
        if function is None:
            raise ApiError(NOT_FOUND, not_found("function", call.params["function_id"]))
        return function

    # --- access tokens, workspaces, catalog -------------------------------------------------------

    def h_access_tokens__create(self, call: ConfigCall) -> Json:
        raise ApiError(403, "new Config API tokens can no longer be created; create a Public API token in the app")

    def h_workspaces__list(self, call: ConfigCall) -> Json:
        return self.page(call, "workspaces", [views.config_workspace(self.api, self.state)])

    def h_workspaces__get(self, call: ConfigCall) -> Json:
        return views.config_workspace(self.api, self.state)

    def h_catalog_sources__list(self, call: ConfigCall) -> Json:
        items = [
            views.config_catalog_source(self.api, self.state, item) for item in self.state.catalog_sources.values()
        ]
        return self.page(call, "sources", items, catalog=True)

    def h_catalog_sources__get(self, call: ConfigCall) -> Json:
        item = self.state.catalog_source_by_slug(call.params["catalog_source_slug"])
        if item is None:
            raise ApiError(NOT_FOUND, not_found("catalog_source", call.params["catalog_source_slug"]))
        return views.config_catalog_source(self.api, self.state, item)

    def h_catalog_destinations__list(self, call: ConfigCall) -> Json:
        items = [
            views.config_catalog_destination(self.api, self.state, item)
            for item in self.state.catalog_destinations.values()
        ]
        return self.page(call, "destinations", items, catalog=True)

    def h_catalog_destinations__get(self, call: ConfigCall) -> Json:
        item = self.state.catalog_destination_by_slug(call.params["destination_slug"])
        if item is None:
            raise ApiError(NOT_FOUND, not_found("catalog_destination", call.params["destination_slug"]))
        return views.config_catalog_destination(self.api, self.state, item)

    # --- sources ----------------------------------------------------------------------------------

    def h_sources__list(self, call: ConfigCall) -> Json:
        items = [views.config_source(self.api, self.state, source) for source in self.state.sources.values()]
        return self.page(call, "sources", items)

    def h_sources__create(self, call: ConfigCall) -> Json:
        body = self.wrapped(call, "source")
        self.check_fields("source", body)
        name = body.get("name")
        params = parse_name(self.api, "source", str(name or ""))
        if not isinstance(name, str) or params is None or params["workspace_slug"] != self.state.workspace["slug"]:
            raise ApiError(BAD, f"source.name must be workspaces/{self.state.workspace['slug']}/sources/<slug>")
        catalog_name = config_value(body, self.api.resource("source").by_config("catalog_name"))  # type: ignore[arg-type]
        catalog = parse_name(self.api, "catalog_source", str(catalog_name if catalog_name is not MISSING else ""))
        metadata = self.state.catalog_source_by_slug(catalog["catalog_source_slug"]) if catalog else None
        if metadata is None:
            raise ApiError(BAD, f"source.catalog_name {catalog_name!r} is not a catalog source")
        if self.state.source_by_slug(params["source_slug"]) is not None:
            raise ApiError(409, already_exists("source", str(name)))
        labels = body.get("labels") or {}
        if not isinstance(labels, dict):
            raise ApiError(BAD, "source.labels must be an object of strings")
        display = body.get("display_name") or body.get("displayName")
        source = factory.new_source(self.state, params["source_slug"], metadata["id"], display, labels)
        return views.config_source(self.api, self.state, source)

    def h_sources__get(self, call: ConfigCall) -> Json:
        return views.config_source(self.api, self.state, self.source(call.params["source_slug"]))

    def h_sources__update(self, call: ConfigCall) -> Json:
        source = self.source(call.params["source_slug"])
        body = self.wrapped(call, "source")
        self.check_fields("source", body)
        paths = self.mask(call, "source") or []
        for name, (_field, value) in self.masked_changes("source", body, paths).items():
            if name == "display_name":
                source["name"] = str(value) or source["slug"]
            elif name == "labels":
                source["labels"] = labels_to_public(value)
                factory.made_labels(self.state, source["labels"])
            else:
                raise ApiError(BAD, f"field {name!r} of a source cannot be updated")
        return views.config_source(self.api, self.state, source)

    def h_sources__delete(self, call: ConfigCall) -> Json:
        delete_source(self.state, self.source(call.params["source_slug"])["id"])
        return {}

    def h_schema_config__get(self, call: ConfigCall) -> Json:
        return views.config_schema(self.api, self.state, self.source(call.params["source_slug"]))

    def h_schema_config__update(self, call: ConfigCall) -> Json:
        source = self.source(call.params["source_slug"])
        body = self.wrapped(call, "schema_config")
        self.check_fields("schema_config", body)
        changes = self.masked_changes("schema_config", body, self.mask(call, "schema_config") or [])
        context = self.context()
        for name, (field, value) in changes.items():
            if field.transform == "source_ref_or_omit":
                if value:
                    target = self.state.source_by_slug(str(value).rsplit("/", 1)[-1])
                    if target is None:
                        raise ApiError(BAD, f"schema_config.{name}: source {value!r} not found")
                    source["schema"][field.public or ""] = target["id"]
                else:
                    source["schema"][field.public or ""] = ""
                continue
            if field.enum and value not in self.api.enums[field.enum].values:
                raise ApiError(BAD, f"schema_config.{name}: invalid value {value!r}")
            public = to_public("schema_config", {name: value}, context, only=_named(name))
            for group, values in public.items():
                source["schema"][group].update(values)
        return views.config_schema(self.api, self.state, source)

    def h_connected_warehouses__update(self, call: ConfigCall) -> Json:
        source = self.source(call.params["source_slug"])
        body = call.body if isinstance(call.body, dict) else {}
        warehouse = self.state.warehouses.get(str(body.get("warehouse_id") or body.get("warehouseId") or ""))
        if warehouse is None:
            raise ApiError(NOT_FOUND, "warehouse not found")
        enabled = coerce_bool(body.get("enabled", True), "enabled")
        if enabled and source["id"] not in warehouse["sourceIds"]:
            warehouse["sourceIds"].append(source["id"])
        if not enabled and source["id"] in warehouse["sourceIds"]:
            warehouse["sourceIds"].remove(source["id"])
        return {}

    # --- destinations and filters -----------------------------------------------------------------

    def h_destinations__list(self, call: ConfigCall) -> Json:
        source = self.source(call.params["source_slug"])
        items = [views.config_destination(self.api, self.state, d) for d in self.state.destinations_of(source["id"])]
        return self.page(call, "destinations", items)

    def h_destinations__create(self, call: ConfigCall) -> Json:
        source = self.source(call.params["source_slug"])
        body = self.wrapped(call, "destination")
        self.check_fields("destination", body)
        params = parse_name(self.api, "destination", str(body.get("name") or ""))
        if params is None or params["source_slug"] != source["slug"]:
            raise ApiError(
                BAD, f"destination.name must be {self.names.name('source', source['id'])}/destinations/<slug>"
            )
        metadata = self.state.catalog_destination_by_slug(params["destination_slug"])
        if metadata is None:
            raise ApiError(BAD, f"{params['destination_slug']!r} is not a catalog destination")
        if self.state.destinations_of(source["id"], metadata["slug"]):
            raise ApiError(409, already_exists("destination", str(body["name"])))
        config = body.get("config") or []
        if not isinstance(config, list):
            raise ApiError(BAD, "destination.config must be a list")
        enabled = coerce_bool(body.get("enabled", False), "destination.enabled")
        destination = factory.new_destination(
            self.state, source["id"], metadata["id"], None, enabled, settings_from_config(config)
        )
        destination["connectionMode"] = str(body.get("connection_mode") or body.get("connectionMode") or "CLOUD")
        return views.config_destination(self.api, self.state, destination)

    def h_destinations__get(self, call: ConfigCall) -> Json:
        return views.config_destination(self.api, self.state, self.destination(call))

    def h_destinations__update(self, call: ConfigCall) -> Json:
        destination = self.destination(call)
        body = self.wrapped(call, "destination")
        self.check_fields("destination", body)
        for name, (_field, value) in self.masked_changes(
            "destination", body, self.mask(call, "destination") or []
        ).items():
            if name == "enabled":
                destination["enabled"] = value
            elif name == "config":
                if not isinstance(value, list):
                    raise ApiError(BAD, "destination.config must be a list")
                destination["settings"].update(settings_from_config(value))
            elif name == "connection_mode":
                destination["connectionMode"] = str(value) or "UNSPECIFIED"
            else:
                raise ApiError(BAD, f"field {name!r} of a destination cannot be updated")
        destination["updatedAt"] = self.state.stamp()
        return views.config_destination(self.api, self.state, destination)

    def h_destinations__delete(self, call: ConfigCall) -> Json:
        delete_destination(self.state, self.destination(call)["id"])
        return {}

    def _filter(self, call: ConfigCall) -> dict[str, Json]:
        destination = self.destination(call)
        item = self.state.filter_by_config_id(call.params["filter_id"])
        if item is None or item["destinationId"] != destination["id"]:
            raise ApiError(NOT_FOUND, f"filter {call.params['filter_id']!r} does not exist")
        return item

    def _filter_fields(self, body: dict[str, Json]) -> dict[str, Json]:
        public = to_public("filter", body, self.context())
        for action in public.get("actions", []):
            if action.get("type") not in self.api.enums["filter_action"].values.values():
                raise ApiError(BAD, f"invalid filter action type {action.get('type')!r}")
        return public

    def h_filters__list(self, call: ConfigCall) -> Json:
        destination = self.destination(call)
        items = [
            views.config_filter(self.api, self.state, item)
            for item in self.state.filters.values()
            if item["destinationId"] == destination["id"]
        ]
        return self.page(call, "filters", items)

    def h_filters__create(self, call: ConfigCall) -> Json:
        destination = self.destination(call)
        body = self.wrapped(call, "filter")
        self.check_fields("filter", body)
        if sum(1 for f in self.state.filters.values() if f["destinationId"] == destination["id"]) >= self.filter_limit:
            raise ApiError(BAD, f"a destination has at most {self.filter_limit} filters")
        public = self._filter_fields(body)
        if not public.get("if") or not public.get("actions"):
            raise ApiError(BAD, "filter.if and filter.actions are required")
        _check_condition(str(public["if"]))
        item = factory.new_filter(
            self.state,
            destination,
            str(public.get("title", "")),
            str(public["if"]),
            public["actions"],
            coerce_bool(public.get("enabled", False), "filter.enabled"),
            str(public.get("description", "")),
        )
        return views.config_filter(self.api, self.state, item)

    def h_filters__get(self, call: ConfigCall) -> Json:
        return views.config_filter(self.api, self.state, self._filter(call))

    def h_filters__update(self, call: ConfigCall) -> Json:
        item = self._filter(call)
        body = self.wrapped(call, "filter")
        self.check_fields("filter", body)
        changes = self.masked_changes("filter", body, self.mask(call, "filter") or [])
        partial = self._filter_fields({name: value for name, (_field, value) in changes.items()})
        if "if" in partial:
            _check_condition(str(partial["if"]))
        item.update(partial)
        item["updatedAt"] = self.state.stamp()
        return views.config_filter(self.api, self.state, item)

    def h_filters__delete(self, call: ConfigCall) -> Json:
        item = self._filter(call)
        del self.state.filters[item["id"]]
        return {}

    def h_filters__preview(self, call: ConfigCall) -> Json:
        body = call.body if isinstance(call.body, dict) else {}
        spec = body.get("filter")
        raw = body.get("input")
        if not isinstance(spec, dict) or not isinstance(raw, str):
            raise ApiError(BAD, "filter (object) and input (a JSON string) are required")
        try:
            event = json.loads(raw)
        except json.JSONDecodeError:
            raise ApiError(BAD, "input is not valid JSON") from None
        public = self._filter_fields(spec)
        try:
            output = fql.apply(str(public.get("if", "all")), public.get("actions", []), event)
        except fql.BeyondSubset as error:
            raise ApiError(501, str(error), code=12) from None
        except fql.FilterError as error:
            raise ApiError(BAD, str(error)) from None
        return {"input": raw, "output": json.dumps(output), "diff": json_diff(event, output)}

    # --- tracking plans ---------------------------------------------------------------------------

    def h_tracking_plans__list(self, call: ConfigCall) -> Json:
        items = [views.config_plan(self.api, self.state, plan) for plan in self.state.tracking_plans.values()]
        return self.page(call, "tracking_plans", items)

    def h_tracking_plans__create(self, call: ConfigCall) -> Json:
        body = self.wrapped(call, "tracking_plan")
        self.check_fields("tracking_plan", body)
        name = body.get("display_name", body.get("displayName"))
        if not isinstance(name, str) or not name:
            raise ApiError(BAD, "tracking_plan.display_name is required")
        rules = body.get("rules") or {}
        if not isinstance(rules, dict):
            raise ApiError(BAD, "tracking_plan.rules must be an object")
        public = to_public("tracking_plan", {"rules": rules}, self.context())
        plan = factory.new_tracking_plan(self.state, name, "", public.get("rules", []))
        return views.config_plan(self.api, self.state, plan)

    def h_tracking_plans__get(self, call: ConfigCall) -> Json:
        return views.config_plan(self.api, self.state, self.plan(call))

    def h_tracking_plans__update(self, call: ConfigCall) -> Json:
        plan = self.plan(call)
        body = self.wrapped(call, "tracking_plan")
        self.check_fields("tracking_plan", body)
        paths = [path if not path.startswith("rules.") else "rules" for path in self.mask(call, "tracking_plan") or []]
        for name, (_field, value) in self.masked_changes("tracking_plan", body, list(dict.fromkeys(paths))).items():
            if name == "display_name":
                plan["name"] = str(value)
            elif name == "rules":
                if not isinstance(value, dict):
                    raise ApiError(BAD, "tracking_plan.rules must be an object")
                plan["rules"] = to_public("tracking_plan", {"rules": value}, self.context()).get("rules", [])
        plan["updatedAt"] = self.state.stamp()
        return views.config_plan(self.api, self.state, plan)

    def h_tracking_plans__delete(self, call: ConfigCall) -> Json:
        del self.state.tracking_plans[self.plan(call)["id"]]
        return {}

    def _connection(self, plan: dict[str, Json], source_id: str) -> Json:
        source = self.state.sources[source_id]
        return {"source_name": self.names.name("source", source["id"]), "tracking_plan_id": plan["configId"]}

    def _connect(self, plan: dict[str, Json], source_name: Json) -> Json:
        params = parse_name(self.api, "source", str(source_name or ""))
        if params is None:
            raise ApiError(BAD, f"invalid source_name {source_name!r}")
        source = self.source(params["source_slug"])
        if any(source["id"] in other["sourceIds"] for other in self.state.tracking_plans.values()):
            raise ApiError(409, f"source {params['source_slug']!r} is already connected to a tracking plan")
        plan["sourceIds"].append(source["id"])
        return self._connection(plan, source["id"])

    def h_source_connections__list(self, call: ConfigCall) -> Json:
        plan = self.plan(call)
        return self.page(call, "connections", [self._connection(plan, source) for source in plan["sourceIds"]])

    def h_source_connections__create(self, call: ConfigCall) -> Json:
        body = call.body if isinstance(call.body, dict) else {}
        return self._connect(self.plan(call), body.get("source_name", body.get("sourceName")))

    def h_source_connections__batch_create(self, call: ConfigCall) -> Json:
        plan = self.plan(call)
        body = call.body if isinstance(call.body, dict) else {}
        names = body.get("source_names", body.get("sourceNames"))
        if not isinstance(names, list):
            raise ApiError(BAD, "source_names must be a list")
        return {"connections": [self._connect(plan, name) for name in names]}

    def h_source_connections__delete(self, call: ConfigCall) -> Json:
        plan = self.plan(call)
        source = self.source(call.params["source_slug"])
        if source["id"] not in plan["sourceIds"]:
            raise ApiError(NOT_FOUND, f"source {source['slug']!r} is not connected to this tracking plan")
        plan["sourceIds"].remove(source["id"])
        return {}

    # --- functions --------------------------------------------------------------------------------

    def _function_type(self, call: ConfigCall, body: dict[str, Json] | None = None) -> str:
        values = call.query.get("type") or []
        kind = values[0] if values else (body or {}).get("type")
        if kind not in self.api.enums["function_type"].values:
            raise ApiError(BAD, "type must be SOURCE or DESTINATION")
        return str(kind)

    def h_functions__list(self, call: ConfigCall) -> Json:
        kind = self._function_type(call)
        items = [
            views.config_function(self.api, self.state, item)
            for item in self.state.functions.values()
            if item["resourceType"] == kind
        ]
        return self.page(call, "functions", items)

    def h_functions__create(self, call: ConfigCall) -> Json:
        body = self.wrapped(call, "function")
        self.check_fields("function", body)
        outer = call.body if isinstance(call.body, dict) else {}
        kind = self._function_type(call, {**outer, **({"type": body["type"]} if "type" in body else {})})
        public = to_public("function", body, self.context())
        if not public.get("displayName") or not isinstance(public.get("code"), str):
            raise ApiError(BAD, "function.display_name and function.code are required")
        if any(f["displayName"] == public["displayName"] for f in self.state.functions.values()):
            raise ApiError(409, already_exists("function", str(public["displayName"])))
        item = factory.new_function(
            self.state, public["displayName"], kind, public["code"], public.get("description", "")
        )
        item["settings"] = public.get("settings", [])
        return views.config_function(self.api, self.state, item)

    def h_functions__get(self, call: ConfigCall) -> Json:
        return views.config_function(self.api, self.state, self.function(call))

    def h_functions__update(self, call: ConfigCall) -> Json:
        item = self.function(call)
        body = self.wrapped(call, "function")
        self.check_fields("function", body)
        changes = self.masked_changes("function", body, self.mask(call, "function") or [])
        partial = {name: value for name, (_field, value) in changes.items() if name != "buildpack"}
        item.update(to_public("function", partial, self.context()))
        if "code" in partial:
            item["isLatestVersion"] = False
        return views.config_function(self.api, self.state, item)

    def h_functions__delete(self, call: ConfigCall) -> Json:
        del self.state.functions[self.function(call)["id"]]
        return {}

    def h_functions__deploy(self, call: ConfigCall) -> Json:
        item = self.function(call)
        item["isLatestVersion"] = True
        item["deployedAt"] = self.state.stamp()
        return {}

    def h_functions__is_latest_version(self, call: ConfigCall) -> Json:
        return {"is_latest": bool(self.function(call).get("isLatestVersion", True))}

    # --- regulations, suppressions ----------------------------------------------------------------

    def _regulation_body(self, call: ConfigCall) -> tuple[str, str, list[str]]:
        body = call.body if isinstance(call.body, dict) else {}
        self.check_fields("regulation", body)
        public = to_public("regulation", body, self.context())
        kind = public.get("regulationType")
        if kind not in self.api.enums["regulation_type"].values.values():
            raise ApiError(BAD, f"invalid regulation_type {body.get('regulation_type')!r}")
        subjects = public.get("subjectIds")
        if not isinstance(subjects, list) or not subjects or not all(isinstance(s, str) for s in subjects):
            raise ApiError(BAD, "attributes.values must be a non-empty list of strings")
        limit = int(self.api.rules["attributes_to_subjects"]["max_values"])
        if len(subjects) > limit:
            raise ApiError(BAD, f"attributes.values takes at most {limit} values")
        return str(kind), str(public.get("subjectType", "USER_ID")), subjects

    def h_regulations__create(self, call: ConfigCall) -> Json:
        kind, subject_type, subjects = self._regulation_body(call)
        return {"regulate_id": factory.new_regulation(self.state, kind, subject_type, subjects)["id"]}

    def h_source_regulations__create(self, call: ConfigCall) -> Json:
        source = self.source(call.params["source_slug"])
        kind, subject_type, subjects = self._regulation_body(call)
        return {"regulate_id": factory.new_regulation(self.state, kind, subject_type, subjects, source["id"])["id"]}

    def _regulation(self, call: ConfigCall) -> dict[str, Json]:
        regulation = self.state.regulations.get(call.params["regulation_id"])
        if regulation is None:
            raise ApiError(NOT_FOUND, not_found("regulation", call.params["regulation_id"]))
        return regulation

    def h_regulations__list(self, call: ConfigCall) -> Json:
        status = first(call.query, "status")
        types = call.query.get("regulation_types") or call.query.get("regulationTypes") or []
        enum = self.api.enums["regulation_type"]
        try:
            wanted = {enum.to_public(kind) for kind in types}
        except KeyError as error:
            raise ApiError(BAD, f"invalid regulation_types value {error}") from None
        status_enum = self.api.enums["regulation_status"]
        items = [
            views.config_regulation_entry(self.api, self.state, regulation)
            for regulation in self.state.regulations.values()
            if (not wanted or regulation["regulationType"] in wanted)
            and (status is None or status_enum.values.get(status) == regulation["status"])
        ]
        return self.page(call, "entries", items)

    def h_regulations__get(self, call: ConfigCall) -> Json:
        return views.config_regulation_status(self.api, self.state, self._regulation(call))

    def h_regulations__delete(self, call: ConfigCall) -> Json:
        regulation = self._regulation(call)
        if regulation["status"] != "INITIALIZED":
            raise ApiError(BAD, "a regulation can only be deleted while it is initialized")
        del self.state.regulations[regulation["id"]]
        return {}

    def h_suppressions__list(self, call: ConfigCall) -> Json:
        enum = self.api.enums["subject_type"]
        items = [
            {"name": enum.to_config(item["subjectType"]), "values": item["subjectIds"]}
            for item in suppressions(self.state)
        ]
        return self.page(call, "attributes", items)

    # --- IAM --------------------------------------------------------------------------------------

    def h_roles__list(self, call: ConfigCall) -> Json:
        items = [
            {"name": self.names.name("role", role["id"]), "display_name": role["name"], **_described(role)}
            for role in self.state.roles.values()
        ]
        return self.page(call, "roles", items)

    def h_policies__list(self, call: ConfigCall) -> Json:
        workspace = self.names.name("workspace", self.state.workspace["id"])
        items = [
            {
                "name": build_name(
                    self.api,
                    "policy",
                    {
                        "workspace_slug": self.state.workspace["slug"],
                        "role_id": permission["roleId"],
                        "policy_id": user["id"],
                    },
                ),
                "subject": self.names.name("user", user["id"]),
                "resource": workspace,
            }
            for user in self.state.users.values()
            for permission in user.get("permissions", [])
        ]
        return self.page(call, "policies", items)

    def h_invites__list(self, call: ConfigCall) -> Json:
        items = [
            {"name": self.names.name("invite", invite["email"]), "email": invite["email"]}
            for invite in self.state.invites.values()
        ]
        return self.page(call, "invites", items)

    def h_invites__create(self, call: ConfigCall) -> Json:
        body = self.wrapped(call, "invite")
        email = body.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise ApiError(BAD, "invite.email must be an email address")
        if email in self.state.invites or any(u["email"] == email for u in self.state.users.values()):
            raise ApiError(409, f"{email} is already invited or a member")
        self.state.invites[email] = {"email": email, "permissions": []}
        return {"name": self.names.name("invite", email), "email": email}

    def h_invites__delete(self, call: ConfigCall) -> Json:
        if self.state.invites.pop(call.params["invite_id"], None) is None:
            raise ApiError(NOT_FOUND, not_found("invite", call.params["invite_id"]))
        return {}

    def h_users__list(self, call: ConfigCall) -> Json:
        items = [
            {"name": self.names.name("user", user["id"]), "email": user["email"], "display_name": user["name"]}
            for user in self.state.users.values()
        ]
        return self.page(call, "users", items)


def _named(name: str) -> Callable[[Field_], bool]:
    return lambda field: field.config == name


def _described(role: dict[str, Json]) -> dict[str, Json]:
    return {"description": role.get("description", "")}


def coerce(field: Field_, value: Json) -> Json:
    if field.type == "bool":
        return coerce_bool(value, field.config)
    if field.type == "string" and value is not None and not isinstance(value, str):
        raise ApiError(BAD, f"{field.config} must be a string")
    return value


def coerce_bool(value: Json, name: str) -> bool:
    """Booleans, and the string booleans Segment's own examples sent."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ApiError(BAD, f"{name} must be a boolean")


def suppressions(state: State) -> list[dict[str, Json]]:
    """Subjects suppressed now: suppress regulations, minus later unsuppress ones."""
    suppressed: dict[tuple[str, str], None] = {}
    for regulation in state.regulations.values():
        for subject in regulation["subjectIds"]:
            key = (regulation["subjectType"], subject)
            if regulation["regulationType"] in (
                "SUPPRESS_ONLY",
                "SUPPRESS_WITH_DELETE",
                "SUPPRESS_WITH_DELETE_INTERNAL",
            ):
                suppressed[key] = None
            elif regulation["regulationType"] == "UNSUPPRESS":
                suppressed.pop(key, None)
    grouped: dict[str, list[str]] = {}
    for subject_type, subject in suppressed:
        grouped.setdefault(subject_type, []).append(subject)
    return [{"subjectType": kind, "subjectIds": ids} for kind, ids in grouped.items()]


def delete_destination(state: State, destination_id: str) -> None:
    state.destinations.pop(destination_id, None)
    for filter_id in [key for key, item in state.filters.items() if item["destinationId"] == destination_id]:
        del state.filters[filter_id]


def delete_source(state: State, source_id: str) -> None:
    for destination in state.destinations_of(source_id):
        delete_destination(state, destination["id"])
    for plan in state.tracking_plans.values():
        if source_id in plan["sourceIds"]:
            plan["sourceIds"].remove(source_id)
    for warehouse in state.warehouses.values():
        if source_id in warehouse["sourceIds"]:
            warehouse["sourceIds"].remove(source_id)
    del state.sources[source_id]


def deep(value: Json) -> Json:
    return copy.deepcopy(value)


def _check_condition(condition: str) -> None:
    try:
        fql.check(condition)
    except fql.FilterError as error:
        raise ApiError(BAD, str(error)) from None
