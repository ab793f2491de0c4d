"""Segment's official Python SDK against the emulator: every emulated Public operation called through
the SDK, whose strict pydantic models must accept each answer with the status the SDK documents.

The SDK is not on PyPI and the project must not depend on it, so it is installed by hand, beside the
project, in the environment that runs this script:

    pip install 'segment-public-api @ git+https://github.com/segmentio/public-api-sdk-python'
    python benchmarks/sdk_conformance.py [--json]

Prints one line per operation (passed, or what the SDK or the emulator said), the SDK operations the
emulator does not emulate (each must answer 501 naming itself), and the totals; exits 1 when an
emulated operation fails.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from mappings import load_map
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.public_api import emulated_operations
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.emulator.state import State

try:
    import segment_public_api as sdk
except ImportError:
    sys.exit(
        "sdk_conformance: the Segment Public API SDK is not installed here: "
        "pip install 'segment-public-api @ git+https://github.com/segmentio/public-api-sdk-python'"
    )

Json = Any


@dataclass
class Context:
    """Ids the steps share: seeded ones looked up once, created ones kept as the steps make them."""

    state: State
    made: dict[str, str] = field(default_factory=dict)

    def source(self, slug: str) -> str:
        source = self.state.source_by_slug(slug)
        assert source is not None, slug
        return str(source["id"])

    def destination(self, source_slug: str, catalog_slug: str) -> str:
        return str(self.state.destinations_of(self.source(source_slug), catalog_slug)[0]["id"])

    def catalog(self, kind: str, slug: str) -> str:
        items = getattr(self.state, f"catalog_{kind}").values()
        return str(next(item["id"] for item in items if item["slug"] == slug))

    def first(self, collection: str) -> str:
        return str(next(iter(getattr(self.state, collection))))


Arguments = Callable[[Context], dict[str, Any]]


@dataclass
class Step:
    operation: str
    arguments: Arguments = lambda ctx: {}
    keep: str | None = None
    """Where to keep the id the answer names (`made[keep]`), for the later steps."""


PAGE = {"pagination": {"count": 10}}
RULE = {"type": "TRACK", "key": "SDK Checked", "jsonSchema": {"type": "object"}, "version": 1}

STEPS: list[Step] = [
    Step("get_workspace"),
    Step("get_sources_catalog", lambda ctx: PAGE),
    Step("get_source_metadata", lambda ctx: {"source_metadata_id": ctx.catalog("sources", "javascript")}),
    Step("get_destinations_catalog", lambda ctx: PAGE),
    Step(
        "get_destination_metadata",
        lambda ctx: {"destination_metadata_id": ctx.catalog("destinations", "google-analytics")},
    ),
    Step("get_warehouses_catalog", lambda ctx: PAGE),
    Step("get_warehouse_metadata", lambda ctx: {"warehouse_metadata_id": ctx.catalog("warehouses", "postgres")}),
    Step("list_labels"),
    Step("create_label", lambda ctx: {"create_label_v1_input": {"label": {"key": "team", "value": "sdk"}}}),
    Step("list_sources", lambda ctx: PAGE),
    Step(
        "create_source",
        lambda ctx: {
            "create_source_v1_input": {
                "slug": "sdk-conformance",
                "enabled": True,
                "metadataId": ctx.catalog("sources", "javascript"),
            }
        },
        keep="source",
    ),
    Step("get_source", lambda ctx: {"source_id": ctx.made["source"]}),
    Step(
        "update_source",
        lambda ctx: {"source_id": ctx.made["source"], "update_source_v1_input": {"name": "SDK conformance"}},
    ),
    Step(
        "add_labels_to_source",
        lambda ctx: {
            "source_id": ctx.made["source"],
            "add_labels_to_source_v1_input": {"labels": [{"key": "team", "value": "sdk"}]},
        },
    ),
    Step(
        "replace_labels_in_source",
        lambda ctx: {"source_id": ctx.made["source"], "replace_labels_in_source_v1_input": {"labels": []}},
    ),
    Step("list_connected_destinations_from_source", lambda ctx: {"source_id": ctx.source("web"), **PAGE}),
    Step("list_connected_warehouses_from_source", lambda ctx: {"source_id": ctx.source("web"), **PAGE}),
    Step("list_destinations", lambda ctx: PAGE),
    Step(
        "create_destination",
        lambda ctx: {
            "create_destination_v1_input": {
                "sourceId": ctx.made["source"],
                "metadataId": ctx.catalog("destinations", "google-analytics"),
                "enabled": False,
                "name": "SDK GA",
                "settings": {"trackingId": "UA-000000-1"},
            }
        },
        keep="destination",
    ),
    Step("get_destination", lambda ctx: {"destination_id": ctx.made["destination"]}),
    Step(
        "update_destination",
        lambda ctx: {"destination_id": ctx.made["destination"], "update_destination_v1_input": {"enabled": True}},
    ),
    Step(
        "list_delivery_metrics_summary_from_destination",
        lambda ctx: {"destination_id": ctx.destination("web", "google-analytics"), "source_id": ctx.source("web")},
    ),
    Step("list_filters_from_destination", lambda ctx: {"destination_id": ctx.made["destination"], **PAGE}),
    Step(
        "create_filter_for_destination",
        lambda ctx: {
            "destination_id": ctx.made["destination"],
            "create_filter_for_destination_v1_input": {
                "sourceId": ctx.made["source"],
                "title": "Drop tests",
                "if": "type = 'track' and event = 'Test'",
                "actions": [{"type": "DROP"}],
                "enabled": True,
            },
        },
        keep="filter",
    ),
    Step(
        "get_filter_in_destination",
        lambda ctx: {"destination_id": ctx.made["destination"], "filter_id": ctx.made["filter"]},
    ),
    Step(
        "update_filter_for_destination",
        lambda ctx: {
            "destination_id": ctx.made["destination"],
            "filter_id": ctx.made["filter"],
            "update_filter_for_destination_v1_input": {"enabled": False},
        },
    ),
    Step(
        "preview_destination_filter",
        lambda ctx: {
            "preview_destination_filter_v1_input": {
                "filter": {"if": "type = 'track'", "actions": [{"type": "DROP"}]},
                "payload": {"type": "track", "event": "Viewed"},
            }
        },
    ),
    Step(
        "remove_filter_from_destination",
        lambda ctx: {"destination_id": ctx.made["destination"], "filter_id": ctx.made["filter"]},
    ),
    Step("list_tracking_plans", lambda ctx: PAGE),
    Step(
        "create_tracking_plan",
        lambda ctx: {"create_tracking_plan_v1_input": {"name": "SDK plan", "type": "LIVE", "description": "x"}},
        keep="plan",
    ),
    Step("get_tracking_plan", lambda ctx: {"tracking_plan_id": ctx.made["plan"]}),
    Step(
        "update_tracking_plan",
        lambda ctx: {"tracking_plan_id": ctx.made["plan"], "update_tracking_plan_v1_input": {"name": "SDK plan 2"}},
    ),
    Step(
        "replace_rules_in_tracking_plan",
        lambda ctx: {
            "tracking_plan_id": ctx.made["plan"],
            "replace_rules_in_tracking_plan_v1_input": {"rules": [RULE]},
        },
    ),
    Step(
        "update_rules_in_tracking_plan",
        lambda ctx: {"tracking_plan_id": ctx.made["plan"], "update_rules_in_tracking_plan_v1_input": {"rules": [RULE]}},
    ),
    Step("list_rules_from_tracking_plan", lambda ctx: {"tracking_plan_id": ctx.made["plan"], **PAGE}),
    Step(
        "add_source_to_tracking_plan",
        lambda ctx: {
            "tracking_plan_id": ctx.made["plan"],
            "add_source_to_tracking_plan_v1_input": {"sourceId": ctx.made["source"]},
        },
    ),
    Step("list_sources_from_tracking_plan", lambda ctx: {"tracking_plan_id": ctx.made["plan"], **PAGE}),
    Step("list_schema_settings_in_source", lambda ctx: {"source_id": ctx.made["source"]}),
    Step(
        "update_schema_settings_in_source",
        lambda ctx: {
            "source_id": ctx.made["source"],
            "update_schema_settings_in_source_v1_input": {
                "track": {"allowUnplannedEvents": False, "commonEventOnViolations": "BLOCK"}
            },
        },
    ),
    Step(
        "remove_source_from_tracking_plan",
        lambda ctx: {"tracking_plan_id": ctx.made["plan"], "source_id": ctx.made["source"]},
    ),
    Step("list_warehouses", lambda ctx: PAGE),
    Step(
        "create_warehouse",
        lambda ctx: {
            "create_warehouse_v1_input": {
                "metadataId": ctx.catalog("warehouses", "postgres"),
                "enabled": True,
                "settings": {"name": "SDK DB", "host": "sdk.example", "port": 5432},
            }
        },
        keep="warehouse",
    ),
    Step("get_warehouse", lambda ctx: {"warehouse_id": ctx.made["warehouse"]}),
    Step(
        "update_warehouse",
        lambda ctx: {
            "warehouse_id": ctx.made["warehouse"],
            "update_warehouse_v1_input": {"enabled": False, "settings": {}},
        },
    ),
    Step("get_connection_state_from_warehouse", lambda ctx: {"warehouse_id": ctx.made["warehouse"]}),
    Step(
        "add_connection_from_source_to_warehouse",
        lambda ctx: {"warehouse_id": ctx.made["warehouse"], "source_id": ctx.made["source"]},
    ),
    Step("list_connected_sources_from_warehouse", lambda ctx: {"warehouse_id": ctx.made["warehouse"], **PAGE}),
    Step(
        "remove_source_connection_from_warehouse",
        lambda ctx: {"warehouse_id": ctx.made["warehouse"], "source_id": ctx.made["source"]},
    ),
    Step("list_functions", lambda ctx: {"resource_type": "SOURCE", **PAGE}),
    Step(
        "create_function",
        lambda ctx: {
            "create_function_v1_input": {
                "code": "async function onTrack(event) {}",
                "displayName": "SDK Function",
                "resourceType": "SOURCE",
            }
        },
        keep="function",
    ),
    Step("get_function", lambda ctx: {"function_id": ctx.made["function"]}),
    Step(
        "update_function",
        lambda ctx: {"function_id": ctx.made["function"], "update_function_v1_input": {"description": "checked"}},
    ),
    Step("create_function_deployment", lambda ctx: {"function_id": ctx.made["function"]}),
    Step(
        "create_workspace_regulation",
        lambda ctx: {
            "create_workspace_regulation_v1_input": {
                "regulationType": "SUPPRESS_WITH_DELETE",
                "subjectType": "USER_ID",
                "subjectIds": ["sdk-user"],
            }
        },
        keep="regulation",
    ),
    Step(
        "create_source_regulation",
        lambda ctx: {
            "source_id": ctx.source("web"),
            "create_source_regulation_v1_input": {
                "regulationType": "DELETE_ONLY",
                "subjectType": "USER_ID",
                "subjectIds": ["sdk-user"],
            },
        },
    ),
    Step(
        "create_cloud_source_regulation",
        lambda ctx: {
            "source_id": ctx.source("salesforce-crm"),
            "create_cloud_source_regulation_v1_input": {
                "regulationType": "DELETE_ONLY",
                "subjectType": "OBJECT_ID",
                "subjectIds": ["sdk-object"],
                "collection": "accounts",
            },
        },
    ),
    Step("list_workspace_regulations", lambda ctx: PAGE),
    Step("list_regulations_from_source", lambda ctx: {"source_id": ctx.source("web"), **PAGE}),
    Step("get_regulation", lambda ctx: {"regulate_id": ctx.made["regulation"]}),
    Step("list_suppressions", lambda ctx: PAGE),
    Step("list_users", lambda ctx: PAGE),
    Step("get_user", lambda ctx: {"user_id": ctx.first("users")}),
    Step("list_roles", lambda ctx: PAGE),
    Step("list_user_groups", lambda ctx: PAGE),
    Step("list_invites", lambda ctx: PAGE),
    Step(
        "create_invites",
        lambda ctx: {
            "create_invites_v1_input": {
                "invites": [
                    {
                        "email": "sdk@acme.example",
                        "permissions": [
                            {
                                "roleId": ctx.first("roles"),
                                "resources": [{"id": ctx.state.workspace["id"], "type": "WORKSPACE"}],
                            }
                        ],
                    }
                ]
            }
        },
    ),
    Step("delete_invites", lambda ctx: {"emails": ["sdk@acme.example"]}),
    Step("echo", lambda ctx: {"message": "hello", "delay": 0}),
    Step("delete_function", lambda ctx: {"function_id": ctx.made["function"]}),
    Step("delete_warehouse", lambda ctx: {"warehouse_id": ctx.made["warehouse"]}),
    Step("delete_tracking_plan", lambda ctx: {"tracking_plan_id": ctx.made["plan"]}),
    Step("delete_destination", lambda ctx: {"destination_id": ctx.made["destination"]}),
    Step("delete_source", lambda ctx: {"source_id": ctx.made["source"]}),
    Step("delete_label", lambda ctx: {"key": "team", "value": "sdk"}),
]


@dataclass
class Outcome:
    operation: str
    passed: bool
    detail: str = ""


def sdk_methods() -> dict[str, Callable[..., Any]]:
    """Every operation of the SDK: its method name -> the SDK class that has it (no client bound yet)."""
    found: dict[str, Any] = {}
    for class_name in dir(sdk):
        api_class = getattr(sdk, class_name)
        if not (inspect.isclass(api_class) and class_name.endswith("Api") and class_name != "ApiClient"):
            continue
        for name, _ in inspect.getmembers(api_class, inspect.isfunction):
            if not name.startswith("_") and not name.endswith(("_with_http_info", "_without_preload_content")):
                found[name] = api_class
    return found


def built(method: Callable[..., Any], arguments: dict[str, Any]) -> dict[str, Any]:
    """Arguments as the SDK takes them: a body dict becomes its input model (validated by the SDK)."""
    signature = inspect.signature(method)
    result = {}
    for name, value in arguments.items():
        annotation = signature.parameters[name].annotation
        if isinstance(value, dict) and name != "pagination" and hasattr(annotation, "from_dict"):
            value = annotation.from_dict(value)
        elif name == "pagination":
            value = sdk.PaginationInput.from_dict(value)
        result[name] = value
    return result


def made_id(answer: Any) -> str | None:
    """The id a create answer names: the `id` of the object inside `data`, or a `...Id` of `data`."""
    data = answer.to_dict().get("data", {}) if hasattr(answer, "to_dict") else {}
    for key, value in data.items():
        if isinstance(value, dict) and "id" in value:
            return str(value["id"])
        if key.endswith("Id") and isinstance(value, str):
            return value
    return None


def run(emulator: Emulator, base_url: str) -> tuple[list[Outcome], list[Outcome]]:
    configuration = sdk.Configuration(host=base_url, access_token=emulator.tokens.public)
    client = sdk.ApiClient(configuration)
    classes = sdk_methods()
    ctx = Context(emulator.state)
    outcomes = []
    for step in STEPS:
        api = classes[step.operation](client)
        method = getattr(api, f"{step.operation}_with_http_info")
        try:
            answer = method(**built(getattr(api, step.operation), step.arguments(ctx)))
        except Exception as error:  # the SDK's own verdict, whatever its kind
            outcomes.append(Outcome(step.operation, False, _said(error)))
            continue
        if step.keep is not None and (made := made_id(answer.data)) is not None:
            ctx.made[step.keep] = made
        outcomes.append(Outcome(step.operation, True, str(answer.status_code)))
    return outcomes, unemulated(base_url, emulator.tokens.public)


def unemulated(base_url: str, token: str) -> list[Outcome]:
    """The SDK's operations the emulator does not emulate, sent as plain requests with placeholder
    ids (the SDK refuses empty bodies before sending): each must answer 501 naming itself."""
    handled = set(emulated_operations())
    outcomes = []
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        for operation in load_map().public_operations:
            name = operation.sdk.split(".")[1]
            if name in handled:
                continue
            path = re.sub(r"\{[^}]+\}", "x", operation.path)
            body = {} if operation.method in ("POST", "PUT", "PATCH") else None
            response = client.request(operation.method, path, json=body)
            ok = response.status_code == 501 and operation.sdk in response.text
            outcomes.append(Outcome(name, ok, f"{response.status_code} {response.text[:120]}"))
    return outcomes


def _said(error: Exception) -> str:
    return re.sub(r"\s+", " ", str(error))[:300]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="machine output on stdout")
    options = parser.parse_args()
    emulator = Emulator(build_demo(), Tokens(), rate_limit=0)
    with start_in_thread(emulator) as running:
        emulated, others = run(emulator, running.base_url)
    handled = set(emulated_operations())
    exercised = {outcome.operation for outcome in emulated}
    passed = sum(outcome.passed for outcome in emulated)
    refused = sum(outcome.passed for outcome in others)
    summary = {
        "sdk_version": sdk.__version__,
        "sdk_operations": len(load_map().public_operations),
        "emulated": len(handled),
        "exercised": len(exercised),
        "passed": passed,
        "not_exercised": sorted(handled - exercised),
        "unemulated_answering_501": refused,
        "unemulated": len(others),
    }
    if options.json:
        print(json.dumps({"summary": summary, "emulated": [o.__dict__ for o in emulated]}, indent=2))
    else:
        for outcome in emulated:
            print(f"{'ok  ' if outcome.passed else 'FAIL'} {outcome.operation}  {outcome.detail}")
        for outcome in others:
            if not outcome.passed:
                print(f"501? {outcome.operation}  {outcome.detail}")
        print(
            f"SDK {summary['sdk_version']}: {passed}/{len(exercised)} emulated operations pass "
            f"({len(handled)} emulated, {len(handled - exercised)} not exercised); "
            f"{refused}/{len(others)} others answer 501 naming the operation"
        )
    return 0 if passed == len(exercised) == len(handled) else 1


if __name__ == "__main__":
    sys.exit(main())
