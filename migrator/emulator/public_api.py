"""The Public API view of the state (`/`).

Requests are matched to operations of the Public surface in the map; bodies are validated against
the SDK's input models (422 `input-validation` with `field`); answers are `{"data": ...}` with the
operation's status (201 exactly where the surface says).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mappings import ApiMap, PublicOperation

from ..codec import looks_masked
from . import filters as fql
from . import seed as factory
from . import views
from .config_api import delete_destination, delete_source, suppressions
from .protocol import ApiError, first, public_page, public_pagination_input
from .state import State

Json = Any
TYPE_CHECKS: dict[str, Callable[[Json], bool]] = {
    "str": lambda value: isinstance(value, str),
    "bool": lambda value: isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "int": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "object": lambda value: isinstance(value, dict),
    "any": lambda value: True,
}


@dataclass
class PublicCall:
    operation: PublicOperation
    params: dict[str, str]
    query: dict[str, list[str]]
    body: Json


class PublicApi:
    def __init__(self, api: ApiMap, state: State) -> None:
        self.api = api
        self.state = state
        pagination = api.protocol["public"]["pagination"]
        self.default_count = int(pagination["default_count"])
        self.max_count = int(pagination["max_count"])
        self.handlers: dict[str, Callable[[PublicCall], Json]] = {
            op.sdk: getattr(self, "h_" + op.sdk.split(".")[1], self.not_emulated) for op in api.public_operations
        }

    def handle(self, call: PublicCall) -> Json:
        handler = self.handlers[call.operation.sdk]
        if handler == self.not_emulated:  # its input is not checked either: say so before anything else
            return handler(call)
        if call.operation.body:
            if not isinstance(call.body, dict):
                raise ApiError(422, "the request body must be a JSON object", kind="input-validation", field="body")
            self.validate(call.operation.body, call.body, "")
            # An optional field sent as null is absent (the SDK never sends one): on an update it
            # leaves the field as it was, on a create it takes its default; no answer model holds null.
            call.body = {key: value for key, value in call.body.items() if value is not None}
        return handler(call)

    def not_emulated(self, call: PublicCall) -> Json:
        raise ApiError(501, f"{call.operation.sdk} is not emulated", kind="not-implemented")

    # --- input validation against the SDK models --------------------------------------------------

    def validate(self, model_name: str, value: Json, path: str) -> None:
        model = self.api.public_models.get(model_name)
        if model is None or model.one_of:
            return
        if not isinstance(value, dict):
            raise invalid(path or model_name, f'"{path or model_name}" must be an object')
        known = {field.name: field for field in model.fields}
        for key in value:
            if key not in known:
                raise invalid(_join(path, key), f'"{_join(path, key)}" is not allowed')
        for field in model.fields:
            where = _join(path, field.name)
            if field.name not in value or value[field.name] is None:
                if field.required:
                    raise invalid(where, f'"{where}" is required')
                continue
            if field.any_case and field.enum and isinstance(value[field.name], str):
                spelled = {item.casefold(): item for item in field.enum}
                value[field.name] = spelled.get(value[field.name].casefold(), value[field.name])
            self.validate_value(field.type, value[field.name], where, field.enum)

    def validate_value(self, type_name: str, value: Json, where: str, enum: list[str] | None = None) -> None:
        if type_name.endswith("[]"):
            if not isinstance(value, list):
                raise invalid(where, f'"{where}" must be an array')
            for index, item in enumerate(value):
                self.validate_value(type_name[:-2], item, f"{where}[{index}]", enum)
            return
        if type_name in TYPE_CHECKS:
            if not TYPE_CHECKS[type_name](value):
                raise invalid(where, f'"{where}" must be of type {type_name}')
            if enum and value not in enum:
                raise invalid(where, f'"{where}" must be one of [{", ".join(enum)}]')
            return
        self.validate(type_name, value, where)

    # --- helpers ----------------------------------------------------------------------------------

    def page(self, call: PublicCall, key: str, items: list[Json]) -> Json:
        count, offset = public_pagination_input(call.query, self.default_count, self.max_count)
        page, pagination = public_page(items, count, offset)
        return {key: page, "pagination": pagination}

    def source(self, source_id: str) -> dict[str, Json]:
        source = self.state.sources.get(source_id)
        if source is None:
            raise ApiError(404, f"Source with id '{source_id}' not found", kind="not-found")
        return source

    def destination(self, destination_id: str) -> dict[str, Json]:
        destination = self.state.destinations.get(destination_id)
        if destination is None:
            raise ApiError(404, f"Destination with id '{destination_id}' not found", kind="not-found")
        return destination

    def plan(self, plan_id: str) -> dict[str, Json]:
        plan = self.state.tracking_plans.get(plan_id)
        if plan is None:
            raise ApiError(404, f"Tracking plan with id '{plan_id}' not found", kind="not-found")
        return plan

    def function(self, function_id: str) -> dict[str, Json]:
        function = self.state.functions.get(function_id)
        if function is None:
            raise ApiError(404, "function not found", kind="not-found")
        return function

    def warehouse(self, warehouse_id: str) -> dict[str, Json]:
        warehouse = self.state.warehouses.get(warehouse_id)
        if warehouse is None:
            raise ApiError(404, f"Warehouse with id '{warehouse_id}' not found", kind="not-found")
        return warehouse

    @staticmethod
    def status() -> Json:
        return {"status": "SUCCESS"}

    # --- workspace and catalog --------------------------------------------------------------------

    def h_get_workspace(self, call: PublicCall) -> Json:
        return {"workspace": views.public_workspace(self.state)}

    def h_get_sources_catalog(self, call: PublicCall) -> Json:
        items = [views.pick(item, views.SOURCE_METADATA) for item in self.state.catalog_sources.values()]
        return self.page(call, "sourcesCatalog", items)

    def h_get_source_metadata(self, call: PublicCall) -> Json:
        item = self.state.catalog_sources.get(call.params["sourceMetadataId"])
        if item is None:
            raise ApiError(404, "Source metadata not found", kind="not-found")
        return {"sourceMetadata": views.pick(item, views.SOURCE_METADATA)}

    def h_get_destinations_catalog(self, call: PublicCall) -> Json:
        items = [views.pick(item, views.DESTINATION_METADATA) for item in self.state.catalog_destinations.values()]
        return self.page(call, "destinationsCatalog", items)

    def h_get_destination_metadata(self, call: PublicCall) -> Json:
        item = self.state.catalog_destinations.get(call.params["destinationMetadataId"])
        if item is None:
            raise ApiError(404, "Destination metadata not found", kind="not-found")
        return {"destinationMetadata": views.pick(item, views.DESTINATION_METADATA)}

    def h_get_warehouses_catalog(self, call: PublicCall) -> Json:
        items = [views.pick(item, views.WAREHOUSE_METADATA) for item in self.state.catalog_warehouses.values()]
        return self.page(call, "warehousesCatalog", items)

    def h_get_warehouse_metadata(self, call: PublicCall) -> Json:
        item = self.state.catalog_warehouses.get(call.params["warehouseMetadataId"])
        if item is None:
            raise ApiError(404, "Warehouse metadata not found", kind="not-found")
        return {"warehouseMetadata": views.pick(item, views.WAREHOUSE_METADATA)}

    # --- sources ----------------------------------------------------------------------------------

    def h_list_sources(self, call: PublicCall) -> Json:
        return self.page(call, "sources", [views.public_source(self.state, s) for s in self.state.sources.values()])

    def h_create_source(self, call: PublicCall) -> Json:
        body = call.body
        if self.state.catalog_sources.get(body["metadataId"]) is None:
            raise invalid("metadataId", f"Source metadata '{body['metadataId']}' not found")
        if self.state.source_by_slug(body["slug"]) is not None:
            raise ApiError(409, f"Source with slug '{body['slug']}' already exists", kind="conflict")
        source = factory.new_source(self.state, body["slug"], body["metadataId"])
        source["enabled"] = body["enabled"]
        source["settings"] = dict(body.get("settings") or {})
        if body.get("disconnectAllWarehouses"):
            for warehouse in self.state.warehouses.values():
                if source["id"] in warehouse["sourceIds"]:
                    warehouse["sourceIds"].remove(source["id"])
        return {"source": views.public_source(self.state, source)}

    def h_get_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        data: dict[str, Json] = {"source": views.public_source(self.state, source)}
        plan = next((p for p in self.state.tracking_plans.values() if source["id"] in p["sourceIds"]), None)
        if plan is not None:
            data["trackingPlanId"] = plan["id"]
        return data

    def h_update_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        body = call.body
        if "slug" in body and body["slug"] != source["slug"]:
            if self.state.source_by_slug(body["slug"]) is not None:
                raise ApiError(409, f"Source with slug '{body['slug']}' already exists", kind="conflict")
            source["slug"] = body["slug"]
        for key in ("name", "enabled"):
            if key in body:
                source[key] = body[key]
        for key, value in (body.get("settings") or {}).items():
            if value is None:
                source["settings"].pop(key, None)
            else:
                source["settings"][key] = value
        return {"source": views.public_source(self.state, source)}

    def h_delete_source(self, call: PublicCall) -> Json:
        delete_source(self.state, self.source(call.params["sourceId"])["id"])
        return self.status()

    def h_list_connected_destinations_from_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        items = [views.public_destination(self.api, self.state, d) for d in self.state.destinations_of(source["id"])]
        return self.page(call, "destinations", items)

    def h_list_connected_warehouses_from_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        items = [
            views.public_warehouse(self.state, w)
            for w in self.state.warehouses.values()
            if source["id"] in w["sourceIds"]
        ]
        return self.page(call, "warehouses", items)

    def h_list_schema_settings_in_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        return {"sourceId": source["id"], "settings": views.public_schema_settings(source)}

    def h_update_schema_settings_in_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        if not any(source["id"] in plan["sourceIds"] for plan in self.state.tracking_plans.values()):
            message = str(self.api.protocol["public_quirks"]["schema_settings_untracked_message"])
            raise ApiError(400, message, kind="bad-request")
        body = call.body
        for group in ("track", "identify", "group"):
            source["schema"][group].update(body.get(group) or {})
        # The seed FAQ: an omitted forwarding field disables forwarding; an empty one is an error.
        for key in ("forwardingViolationsTo", "forwardingBlockedEventsTo"):
            target = body.get(key)
            if target is None:
                source["schema"][key] = ""
            elif target == "":
                raise invalid(key, f'"{key}" must be a source id; omit it to disable forwarding')
            elif target not in self.state.sources:
                raise invalid(key, f"Source with id '{target}' not found")
            else:
                source["schema"][key] = target
        return {"sourceId": source["id"], "settings": views.public_schema_settings(source)}

    def _labels(self, body: Json) -> list[dict[str, Json]]:
        labels = [{"key": label["key"], "value": label["value"]} for label in body["labels"]]
        for label in labels:
            if f"{label['key']}:{label['value']}" not in self.state.labels:
                raise invalid("labels", f"Label {label['key']}:{label['value']} does not exist")
        return labels

    def h_add_labels_to_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        for label in self._labels(call.body):
            if label not in source["labels"]:
                source["labels"].append(label)
        return {"labels": copy.deepcopy(source["labels"])}

    def h_replace_labels_in_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        source["labels"] = self._labels(call.body)
        return {"labels": copy.deepcopy(source["labels"])}

    # --- destinations and filters -----------------------------------------------------------------

    def h_list_destinations(self, call: PublicCall) -> Json:
        items = [views.public_destination(self.api, self.state, d) for d in self.state.destinations.values()]
        return self.page(call, "destinations", items)

    def h_create_destination(self, call: PublicCall) -> Json:
        body = call.body
        source = self.state.sources.get(body["sourceId"])
        if source is None:
            raise invalid("sourceId", f"Source with id '{body['sourceId']}' not found")
        metadata = self.state.catalog_destinations.get(body["metadataId"])
        if metadata is None:
            raise invalid("metadataId", f"Destination metadata '{body['metadataId']}' not found")
        existing = self.state.destinations_of(source["id"], metadata["slug"])
        if existing and metadata["supportedFeatures"].get("cloudModeInstances") != "MULTIPLE":
            # A duplicate, as every other duplicate (and as the Config API's 409/6 it replaces).
            raise ApiError(409, f"{metadata['name']} supports one instance per source", kind="conflict")
        destination = factory.new_destination(
            self.state, source["id"], metadata["id"], body.get("name"), body.get("enabled", False), body["settings"]
        )
        return {"destination": views.public_destination(self.api, self.state, destination)}

    def h_get_destination(self, call: PublicCall) -> Json:
        return {
            "destination": views.public_destination(
                self.api, self.state, self.destination(call.params["destinationId"])
            )
        }

    def h_update_destination(self, call: PublicCall) -> Json:
        destination = self.destination(call.params["destinationId"])
        body = call.body
        if "name" in body:
            destination["name"] = body["name"]
        if "enabled" in body:
            destination["enabled"] = body["enabled"]
        for key, value in (body.get("settings") or {}).items():
            if looks_masked(self.api, value):
                continue  # a masked secret written back must not replace the real one
            if value is None:
                destination["settings"].pop(key, None)
            else:
                destination["settings"][key] = value
        destination["updatedAt"] = self.state.stamp()
        return {"destination": views.public_destination(self.api, self.state, destination)}

    def h_delete_destination(self, call: PublicCall) -> Json:
        delete_destination(self.state, self.destination(call.params["destinationId"])["id"])
        return self.status()

    def h_list_delivery_metrics_summary_from_destination(self, call: PublicCall) -> Json:
        destination = self.destination(call.params["destinationId"])
        source_ids = call.query.get("sourceId") or []
        if not source_ids:
            raise invalid("sourceId", '"sourceId" is required')
        return {
            "deliveryMetricsSummary": {
                "sourceId": source_ids[0],
                "destinationMetadataId": destination["metadataId"],
                "metrics": [],
            }
        }

    def _filter(self, call: PublicCall) -> dict[str, Json]:
        destination = self.destination(call.params["destinationId"])
        item = self.state.filters.get(call.params["filterId"])
        if item is None or item["destinationId"] != destination["id"]:
            raise ApiError(404, f"Filter with id '{call.params['filterId']}' not found", kind="not-found")
        return item

    def h_list_filters_from_destination(self, call: PublicCall) -> Json:
        destination = self.destination(call.params["destinationId"])
        items = [views.public_filter(f) for f in self.state.filters.values() if f["destinationId"] == destination["id"]]
        return self.page(call, "filters", items)

    def h_create_filter_for_destination(self, call: PublicCall) -> Json:
        destination = self.destination(call.params["destinationId"])
        body = call.body
        if body["sourceId"] != destination["sourceId"]:
            raise invalid("sourceId", "sourceId is not the source of this destination")
        limit = int(self.api.protocol["config_quirks"]["filters_per_destination"])
        if sum(1 for f in self.state.filters.values() if f["destinationId"] == destination["id"]) >= limit:
            raise ApiError(400, f"a destination has at most {limit} filters", kind="bad-request")
        _check_condition(body["if"])
        item = factory.new_filter(
            self.state,
            destination,
            body["title"],
            body["if"],
            body["actions"],
            body["enabled"],
            body.get("description", ""),
        )
        return {"filter": views.public_filter(item)}

    def h_get_filter_in_destination(self, call: PublicCall) -> Json:
        return {"filter": views.public_filter(self._filter(call))}

    def h_update_filter_for_destination(self, call: PublicCall) -> Json:
        item = self._filter(call)
        if "if" in call.body:
            _check_condition(call.body["if"])
        item.update({key: copy.deepcopy(value) for key, value in call.body.items()})
        item["updatedAt"] = self.state.stamp()
        return {"filter": views.public_filter(item)}

    def h_remove_filter_from_destination(self, call: PublicCall) -> Json:
        del self.state.filters[self._filter(call)["id"]]
        return self.status()

    def h_preview_destination_filter(self, call: PublicCall) -> Json:
        spec = call.body["filter"]
        try:
            result = fql.apply(spec["if"], spec["actions"], call.body["payload"])
        except fql.BeyondSubset as error:
            raise ApiError(501, str(error), kind="not-implemented") from None
        except fql.FilterError as error:
            raise invalid("filter.if", str(error)) from None
        # `result` is required and nullable in the SDK's model: a dropped event is `null`, not absent.
        return {"inputPayload": call.body["payload"], "result": result}

    # --- tracking plans ---------------------------------------------------------------------------

    def h_list_tracking_plans(self, call: PublicCall) -> Json:
        kind = first(call.query, "type")
        plans = [views.public_plan(p) for p in self.state.tracking_plans.values() if kind in (None, p["type"])]
        return self.page(call, "trackingPlans", plans)

    def h_create_tracking_plan(self, call: PublicCall) -> Json:
        body = call.body
        plan = factory.new_tracking_plan(self.state, body["name"], body.get("description", ""))
        plan["type"] = body["type"]
        return {"trackingPlan": views.public_plan(plan)}

    def h_get_tracking_plan(self, call: PublicCall) -> Json:
        return {"trackingPlan": views.public_plan(self.plan(call.params["trackingPlanId"]))}

    def h_update_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        for key in ("name", "description"):
            if key in call.body:
                plan[key] = call.body[key]
        plan["updatedAt"] = self.state.stamp()
        return self.status()

    def h_delete_tracking_plan(self, call: PublicCall) -> Json:
        del self.state.tracking_plans[self.plan(call.params["trackingPlanId"])["id"]]
        return self.status()

    def h_list_rules_from_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        return self.page(call, "rules", copy.deepcopy(plan["rules"]))

    def h_replace_rules_in_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        plan["rules"] = [_rule(rule) for rule in call.body["rules"]]
        plan["updatedAt"] = self.state.stamp()
        return self.status()

    def h_update_rules_in_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        for change in call.body["rules"]:
            rule = _rule(change)
            index = next((i for i, old in enumerate(plan["rules"]) if _rule_key(old) == _rule_key(rule)), None)
            if change.get("newKey"):
                rule["key"] = change["newKey"]
            if index is None:
                plan["rules"].append(rule)
            else:
                plan["rules"][index] = rule
        plan["updatedAt"] = self.state.stamp()
        return self.status()

    def h_list_sources_from_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        items = [views.public_source(self.state, self.state.sources[s]) for s in plan["sourceIds"]]
        return self.page(call, "sources", items)

    def h_add_source_to_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        source = self.state.sources.get(call.body["sourceId"])
        if source is None:
            raise invalid("sourceId", f"Source with id '{call.body['sourceId']}' not found")
        if any(source["id"] in other["sourceIds"] for other in self.state.tracking_plans.values()):
            raise ApiError(400, "Source is already connected to a tracking plan", kind="bad-request")
        plan["sourceIds"].append(source["id"])
        return self.status()

    def h_remove_source_from_tracking_plan(self, call: PublicCall) -> Json:
        plan = self.plan(call.params["trackingPlanId"])
        source_id = first(call.query, "sourceId") or ""
        if source_id not in plan["sourceIds"]:
            raise ApiError(404, f"Source with id '{source_id}' is not connected to this plan", kind="not-found")
        plan["sourceIds"].remove(source_id)
        return self.status()

    # --- functions --------------------------------------------------------------------------------

    def h_list_functions(self, call: PublicCall) -> Json:
        kind = first(call.query, "resourceType")
        enum = next(f.enum for f in self.api.public_models["FunctionV1"].fields if f.name == "resourceType")
        if kind is None:
            raise invalid("resourceType", '"resourceType" is required')
        if enum and kind not in enum:
            raise invalid("resourceType", f'"resourceType" must be one of [{", ".join(enum)}]')
        items = [
            views.public_function(f, full=False) for f in self.state.functions.values() if f["resourceType"] == kind
        ]
        return self.page(call, "functions", items)

    def h_create_function(self, call: PublicCall) -> Json:
        body = call.body
        if any(f["displayName"] == body["displayName"] for f in self.state.functions.values()):
            raise ApiError(409, f"function {body['displayName']!r} already exists", kind="conflict")
        item = factory.new_function(
            self.state, body["displayName"], body["resourceType"], body["code"], body.get("description", "")
        )
        item["settings"] = list(body.get("settings") or [])
        item["logoUrl"] = body.get("logoUrl", "")
        return {"function": views.public_function(item)}

    def h_get_function(self, call: PublicCall) -> Json:
        return {"function": views.public_function(self.function(call.params["functionId"]))}

    def h_update_function(self, call: PublicCall) -> Json:
        item = self.function(call.params["functionId"])
        item.update(copy.deepcopy(call.body))
        if "code" in call.body:
            item["isLatestVersion"] = False
        return {"function": views.public_function(item)}

    def h_delete_function(self, call: PublicCall) -> Json:
        del self.state.functions[self.function(call.params["functionId"])["id"]]
        return self.status()

    def h_create_function_deployment(self, call: PublicCall) -> Json:
        item = self.function(call.params["functionId"])
        item["isLatestVersion"] = True
        item["deployedAt"] = self.state.stamp()
        return {"functionDeployment": {"status": "SUCCESS"}}

    # --- regulations and suppressions -------------------------------------------------------------

    def _regulate(self, call: PublicCall, source_id: str | None = None) -> Json:
        body = call.body
        limit = int(self.api.rules["attributes_to_subjects"]["max_values"])
        if len(body["subjectIds"]) > limit:
            raise invalid("subjectIds", f'"subjectIds" takes at most {limit} values')
        if not body["subjectIds"]:
            raise invalid("subjectIds", '"subjectIds" must not be empty')
        regulation = factory.new_regulation(
            self.state, body["regulationType"], body["subjectType"], body["subjectIds"], source_id
        )
        return {"regulateId": regulation["id"]}

    def h_create_workspace_regulation(self, call: PublicCall) -> Json:
        return self._regulate(call)

    def h_create_source_regulation(self, call: PublicCall) -> Json:
        return self._regulate(call, self.source(call.params["sourceId"])["id"])

    def h_create_cloud_source_regulation(self, call: PublicCall) -> Json:
        return self._regulate(call, self.source(call.params["sourceId"])["id"])

    def _regulations(self, call: PublicCall, source_id: str | None) -> list[Json]:
        status = first(call.query, "status")
        types = set(call.query.get("regulationTypes") or [])
        return [
            views.public_regulation_entry(r)
            for r in self.state.regulations.values()
            if (source_id is None or r.get("sourceId") == source_id)
            and (status is None or r["status"] == status)
            and (not types or r["regulationType"] in types)
        ]

    def h_list_workspace_regulations(self, call: PublicCall) -> Json:
        return self.page(call, "regulations", self._regulations(call, None))

    def h_list_regulations_from_source(self, call: PublicCall) -> Json:
        source = self.source(call.params["sourceId"])
        return self.page(call, "regulations", self._regulations(call, source["id"]))

    def h_get_regulation(self, call: PublicCall) -> Json:
        regulation = self.state.regulations.get(call.params["regulateId"])
        if regulation is None:
            raise ApiError(404, f"Regulation with id '{call.params['regulateId']}' not found", kind="not-found")
        return {"regulation": views.public_regulation(regulation)}

    def h_list_suppressions(self, call: PublicCall) -> Json:
        return self.page(call, "suppressed", suppressions(self.state))

    # --- warehouses -------------------------------------------------------------------------------

    def h_list_warehouses(self, call: PublicCall) -> Json:
        items = [views.public_warehouse(self.state, w) for w in self.state.warehouses.values()]
        return self.page(call, "warehouses", items)

    def h_create_warehouse(self, call: PublicCall) -> Json:
        body = call.body
        if body["metadataId"] not in self.state.catalog_warehouses:
            raise invalid("metadataId", f"Warehouse metadata '{body['metadataId']}' not found")
        warehouse_id = self.state.new_id("warehouse", 22)
        settings = dict(body["settings"])
        if body.get("name"):
            settings["name"] = body["name"]
        self.state.warehouses[warehouse_id] = {
            "id": warehouse_id,
            "metadataId": body["metadataId"],
            "workspaceId": self.state.workspace["id"],
            "enabled": body.get("enabled", True),
            "settings": settings,
            "sourceIds": [] if body.get("disconnectAllSources") else list(self.state.sources),
        }
        return {"warehouse": views.public_warehouse(self.state, self.state.warehouses[warehouse_id])}

    def h_get_warehouse(self, call: PublicCall) -> Json:
        return {"warehouse": views.public_warehouse(self.state, self.warehouse(call.params["warehouseId"]))}

    def h_update_warehouse(self, call: PublicCall) -> Json:
        warehouse = self.warehouse(call.params["warehouseId"])
        if "enabled" in call.body:
            warehouse["enabled"] = call.body["enabled"]
        if call.body.get("name"):
            warehouse["settings"]["name"] = call.body["name"]
        warehouse["settings"].update(call.body.get("settings") or {})
        return {"warehouse": views.public_warehouse(self.state, warehouse)}

    def h_delete_warehouse(self, call: PublicCall) -> Json:
        del self.state.warehouses[self.warehouse(call.params["warehouseId"])["id"]]
        return self.status()

    def h_get_connection_state_from_warehouse(self, call: PublicCall) -> Json:
        self.warehouse(call.params["warehouseId"])
        return {"connectionState": "CONNECTED"}

    def h_list_connected_sources_from_warehouse(self, call: PublicCall) -> Json:
        warehouse = self.warehouse(call.params["warehouseId"])
        items = [views.public_source(self.state, self.state.sources[s]) for s in warehouse["sourceIds"]]
        return self.page(call, "sources", items)

    def h_add_connection_from_source_to_warehouse(self, call: PublicCall) -> Json:
        warehouse = self.warehouse(call.params["warehouseId"])
        source = self.source(call.params["sourceId"])
        if source["id"] not in warehouse["sourceIds"]:
            warehouse["sourceIds"].append(source["id"])
        return {"status": "CONNECTED"}

    def h_remove_source_connection_from_warehouse(self, call: PublicCall) -> Json:
        warehouse = self.warehouse(call.params["warehouseId"])
        source = self.source(call.params["sourceId"])
        if source["id"] in warehouse["sourceIds"]:
            warehouse["sourceIds"].remove(source["id"])
        return self.status()

    # --- IAM and labels ---------------------------------------------------------------------------

    def h_list_users(self, call: PublicCall) -> Json:
        items = [views.pick(u, ("id", "name", "email")) for u in self.state.users.values()]
        return self.page(call, "users", items)

    def h_get_user(self, call: PublicCall) -> Json:
        user = self.state.users.get(call.params["userId"])
        if user is None:
            raise ApiError(404, f"User with id '{call.params['userId']}' not found", kind="not-found")
        return {"user": copy.deepcopy(user)}

    def h_list_roles(self, call: PublicCall) -> Json:
        return self.page(call, "roles", [copy.deepcopy(role) for role in self.state.roles.values()])

    def h_list_user_groups(self, call: PublicCall) -> Json:
        return self.page(call, "userGroups", [])

    def h_list_invites(self, call: PublicCall) -> Json:
        # The SDK's ListInvitesV1Output and the OpenAPI document list the invited emails, not objects.
        return self.page(call, "invites", list(self.state.invites))

    def h_create_invites(self, call: PublicCall) -> Json:
        emails = []
        for index, invite in enumerate(call.body["invites"]):
            if not EMAIL.fullmatch(invite["email"]):
                raise invalid(f"invites[{index}].email", f'"invites[{index}].email" must be an email address')
            for number, permission in enumerate(invite.get("permissions") or []):
                if permission["roleId"] not in self.state.roles:
                    where = f"invites[{index}].permissions[{number}].roleId"
                    raise invalid(where, f"Role with id '{permission['roleId']}' not found")
            if invite["email"] in self.state.invites:
                raise ApiError(409, f"{invite['email']} is already invited", kind="conflict")
            # one shape whichever API made it (the Config API's and the seed's: no permissions, an empty list)
            stored = {**copy.deepcopy(invite), "permissions": copy.deepcopy(invite.get("permissions") or [])}
            self.state.invites[invite["email"]] = stored
            emails.append(invite["email"])
        return {"emails": emails}

    def h_delete_invites(self, call: PublicCall) -> Json:
        for email in call.query.get("emails") or []:
            self.state.invites.pop(email, None)
        return self.status()

    def h_list_labels(self, call: PublicCall) -> Json:
        return {"labels": [copy.deepcopy(label) for label in self.state.labels.values()]}

    def h_create_label(self, call: PublicCall) -> Json:
        label = call.body["label"]
        key = f"{label['key']}:{label['value']}"
        if key in self.state.labels:
            raise ApiError(409, f"Label {key} already exists", kind="conflict")
        self.state.labels[key] = copy.deepcopy(label)
        return {"label": copy.deepcopy(label)}

    def h_delete_label(self, call: PublicCall) -> Json:
        key = f"{call.params['key']}:{call.params['value']}"
        if self.state.labels.pop(key, None) is None:
            raise ApiError(404, f"Label {key} not found", kind="not-found")
        return self.status()

    def h_echo(self, call: PublicCall) -> Json:
        message = first(call.query, "message")
        if message is None:
            raise invalid("message", '"message" is required')
        status = first(call.query, "statusCode")
        if status and status != "200":
            if not status.isdigit() or not 400 <= int(status) <= 599:
                raise invalid("statusCode", '"statusCode" must be an HTTP error status (400 to 599) or 200')
            raise ApiError(int(status), message)
        return {"method": "get", "message": message, "headers": {}}


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def emulated_operations() -> list[str]:
    """The SDK method names of the Public operations the emulator answers (each has its `h_` handler);
    every other operation answers 501."""
    return sorted(name[2:] for name in dir(PublicApi) if name.startswith("h_"))


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, message, kind="input-validation", field=field)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _rule(rule: dict[str, Json]) -> dict[str, Json]:
    kept: dict[str, Json] = {
        key: copy.deepcopy(rule[key]) for key in ("type", "key", "jsonSchema", "version") if key in rule
    }
    kept.setdefault("jsonSchema", {})
    return kept


def _rule_key(rule: dict[str, Json]) -> tuple[Json, Json, Json]:
    return rule.get("type"), rule.get("key"), rule.get("version")


def _check_condition(condition: str, field: str = "if") -> None:
    try:
        fql.check(condition)
    except fql.FilterError as error:
        raise invalid(field, str(error)) from None
