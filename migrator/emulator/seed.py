"""Seeds: `empty` (a workspace and the catalog) and `demo` (a realistic workspace in which paging,
two instances of one integration, duplicate plan names and every resolver case occur).

Everything is derived from the seed name through the state's generator: every start gives the same
ids, slugs, write keys and timestamps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..codec import labels_to_public
from .state import SnapshotError, State

Json = Any

CATALOG_SOURCES = [
    # slug, name, categories, cloud, config type
    ("javascript", "Javascript", ["Website"], False, "event"),
    ("ios", "iOS", ["Mobile"], False, "event"),
    ("android", "Android", ["Mobile"], False, "event"),
    ("http-api", "HTTP API", ["Server"], False, "event"),
    ("node-js", "Node.js", ["Server"], False, "event"),
    ("python", "Python", ["Server"], False, "event"),
    ("stripe", "Stripe", ["Payments"], True, "object"),
    ("salesforce", "Salesforce", ["CRM"], True, "object"),
    ("zendesk", "Zendesk", ["Helpdesk"], True, "object"),
    ("ruby", "Ruby", ["Server"], False, "event"),
    ("go", "Go", ["Server"], False, "event"),
    ("react-native", "React Native", ["Mobile"], False, "event"),
]

# slug, name, category, cloudModeInstances, options (name, type, required, default)
CATALOG_DESTINATIONS: list[tuple[str, str, str, str, list[tuple[str, str, bool, Json]]]] = [
    (
        "google-analytics",
        "Google Analytics",
        "Analytics",
        "SINGLE",
        [
            ("trackingId", "string", True, ""),
            ("anonymizeIp", "boolean", False, False),
            ("apiSecret", "password", False, ""),
        ],
    ),
    (
        "amplitude",
        "Amplitude",
        "Analytics",
        "SINGLE",
        [("apiKey", "password", True, ""), ("trackAllPages", "boolean", False, False)],
    ),
    (
        "webhooks",
        "Webhooks",
        "Raw Data",
        "MULTIPLE",
        [("hooks", "mixed", True, []), ("sharedSecret", "password", False, "")],
    ),
    (
        "mixpanel",
        "Mixpanel",
        "Analytics",
        "MULTIPLE",
        [("token", "password", True, ""), ("people", "boolean", False, False), ("apiSecret", "password", False, "")],
    ),
    ("slack", "Slack", "Notifications", "SINGLE", [("incomingWebhookUrl", "string", True, "")]),
    ("intercom", "Intercom", "Customer Success", "SINGLE", [("appId", "string", True, "")]),
    ("braze", "Braze", "Marketing", "MULTIPLE", [("apiKey", "password", True, ""), ("appGroup", "string", False, "")]),
    (
        "customer-io",
        "Customer.io",
        "Email",
        "SINGLE",
        [("siteId", "string", True, ""), ("apiKey", "password", True, "")],
    ),
    ("hubspot", "HubSpot", "CRM", "SINGLE", [("portalId", "string", True, "")]),
    ("segment-data-lakes", "Segment Data Lakes", "Raw Data", "SINGLE", [("s3Bucket", "string", True, "")]),
    ("google-ads", "Google Ads", "Advertising", "SINGLE", [("conversionId", "string", True, "")]),
    ("snowflake-destination", "Snowflake Reverse", "Raw Data", "SINGLE", [("account", "string", True, "")]),
]

CATALOG_WAREHOUSES = [("postgres", "Postgres"), ("snowflake", "Snowflake"), ("redshift", "Redshift")]

DEMO_SOURCES: list[tuple[str, str, str, dict[str, str]]] = [
    # slug, display name, catalog slug, labels
    ("web", "Web", "javascript", {"env": "prod"}),
    ("ios-app", "iOS App", "ios", {"env": "prod"}),
    ("android-app", "Android App", "android", {"env": "prod"}),
    ("backend", "Backend", "node-js", {"env": "prod", "team": "platform"}),
    ("http-ingest", "HTTP Ingest", "http-api", {}),
    ("python-jobs", "Python Jobs", "python", {"team": "data"}),
    ("stripe-billing", "Stripe Billing", "stripe", {}),
    ("web-staging", "Web (staging)", "javascript", {"env": "dev"}),
    ("docs-site", "Docs Site", "javascript", {}),
    ("marketing-site", "Marketing Site", "javascript", {"team": "growth"}),
    ("checkout", "Checkout", "javascript", {"env": "prod"}),
    ("admin-api", "Admin API", "http-api", {}),
    ("salesforce-crm", "Salesforce CRM", "salesforce", {}),
    ("support-desk", "Support Desk", "zendesk", {}),
]

DEMO_DESTINATIONS: list[tuple[str, str, str, bool, dict[str, Json]]] = [
    # source slug, catalog slug, instance name, enabled, settings
    ("web", "google-analytics", "Google Analytics", True, {"trackingId": "UA-12345-1", "anonymizeIp": True}),
    ("web", "amplitude", "Amplitude", True, {"apiKey": "amp-9f8e7d6c5b4a39281706"}),
    ("web", "mixpanel", "Mixpanel (prod)", True, {"token": "mp-prod-4a5b6c7d8e9f0a1b", "people": True}),
    ("web", "mixpanel", "Mixpanel (dev)", False, {"token": "mp-dev-0f1e2d3c4b5a6978"}),
    ("web", "webhooks", "Webhooks", False, {"hooks": [{"hook": "https://hooks.example.com/segment"}]}),
    ("ios-app", "amplitude", "Amplitude", True, {"apiKey": "amp-ios-1122334455667788"}),
    ("ios-app", "mixpanel", "Mixpanel", True, {"token": "mp-ios-99aa88bb77cc66dd"}),
    ("ios-app", "braze", "Braze", True, {"apiKey": "braze-ios-5566778899aabbcc", "appGroup": "mobile"}),
    ("android-app", "amplitude", "Amplitude", True, {"apiKey": "amp-and-a1b2c3d4e5f60718"}),
    ("android-app", "braze", "Braze", False, {"apiKey": "braze-and-0011223344556677"}),
    ("backend", "webhooks", "Webhooks", True, {"hooks": [{"hook": "https://api.example.com/events"}]}),
    ("backend", "slack", "Slack", True, {"incomingWebhookUrl": "https://hooks.slack.example/T000/B000"}),
    ("backend", "customer-io", "Customer.io", True, {"siteId": "cio-site-77", "apiKey": "cio-key-0a9b8c7d6e5f"}),
    ("http-ingest", "webhooks", "Webhooks", True, {"hooks": [{"hook": "https://ingest.example.com/hook"}]}),
    ("http-ingest", "amplitude", "Amplitude", False, {"apiKey": "amp-http-31415926535897"}),
    ("python-jobs", "segment-data-lakes", "Data Lakes", True, {"s3Bucket": "acme-data-lake"}),
    ("stripe-billing", "hubspot", "HubSpot", True, {"portalId": "4455667"}),
    ("web-staging", "google-analytics", "Google Analytics", False, {"trackingId": "UA-12345-9"}),
    ("web-staging", "amplitude", "Amplitude", False, {"apiKey": "amp-stg-2718281828459045"}),
    ("docs-site", "google-analytics", "Google Analytics", True, {"trackingId": "UA-12345-3"}),
    ("marketing-site", "google-analytics", "Google Analytics", True, {"trackingId": "UA-12345-4"}),
    ("marketing-site", "google-ads", "Google Ads", True, {"conversionId": "AW-1234567"}),
    ("marketing-site", "hubspot", "HubSpot", True, {"portalId": "4455667"}),
    ("checkout", "amplitude", "Amplitude", True, {"apiKey": "amp-chk-1618033988749894"}),
    ("checkout", "intercom", "Intercom", False, {"appId": "ic-app-42"}),
    ("admin-api", "slack", "Slack", False, {"incomingWebhookUrl": "https://hooks.slack.example/T001/B001"}),
    ("salesforce-crm", "hubspot", "HubSpot", True, {"portalId": "7788990"}),
    ("support-desk", "intercom", "Intercom", True, {"appId": "ic-app-43"}),
]

DEMO_FILTERS: list[tuple[str, str, int, str, str, list[Json], bool]] = [
    # source, catalog slug, instance index, title, if, actions, enabled
    ("web", "google-analytics", 0, "Drop internal traffic", "context.ip = '10.0.0.1'", [{"type": "DROP"}], True),
    (
        "web",
        "amplitude",
        0,
        "Sample page views",
        "type = 'page'",
        [{"type": "SAMPLE", "percent": 0.25, "path": "userId"}],
        True,
    ),
    (
        "web",
        "mixpanel",
        0,
        "Strip emails",
        "all",
        [{"type": "DROP_PROPERTIES", "fields": {"properties": ["email"], "traits": ["email"]}}],
        True,
    ),
    (
        "ios-app",
        "amplitude",
        0,
        "Only purchase fields",
        "event = 'Order Completed'",
        [{"type": "ALLOW_PROPERTIES", "fields": {"properties": ["revenue", "currency"]}}],
        False,
    ),
    ("backend", "webhooks", 0, "Drop test users", "userId = 'test'", [{"type": "DROP"}], True),
]

DEMO_PLANS = [
    # display name, events, source slugs
    ("Web Tracking Plan", ["Page Viewed", "Signed Up", "Order Completed"], ["web", "checkout"]),
    ("Mobile Tracking Plan", ["App Opened", "Order Completed"], ["ios-app", "android-app"]),
    ("Backend Events", ["Invoice Paid", "Subscription Started"], ["backend"]),
    ("Marketing Plan", ["Lead Captured"], ["marketing-site"]),
    ("Docs Plan", ["Search Performed"], ["docs-site"]),
    ("Staging Plan", ["Page Viewed"], ["web-staging"]),
    ("Ingest Plan", ["Event Received"], []),
    ("Jobs Plan", ["Job Finished"], ["python-jobs"]),
    ("Checkout Experiments", ["Coupon Applied"], []),
    ("Support Plan", ["Ticket Opened"], []),
    ("Legacy Plan", ["Old Event"], []),
    ("Legacy Plan", ["Older Event"], []),
]

DEMO_FUNCTIONS = [
    # display name, type, code
    ("Typeform Webhook", "SOURCE", "async function onRequest(request, settings) {\n  return request.json()\n}\n"),
    ("Zendesk Tickets", "SOURCE", "async function onRequest(request, settings) {\n  return null\n}\n"),
    ("Lead Enricher", "SOURCE", "async function onRequest(request, settings) {\n  return null\n}\n"),
    ("Audit Forwarder", "DESTINATION", "async function onTrack(event, settings) {\n  return event\n}\n"),
    ("Slack Alerts", "DESTINATION", "async function onTrack(event, settings) {\n  return null\n}\n"),
]

DEMO_REGULATIONS = [
    ("SUPPRESS_WITH_DELETE", "USER_ID", ["user-1001", "user-1002"], "FINISHED"),
    ("DELETE_ONLY", "USER_ID", ["user-2001"], "RUNNING"),
    ("SUPPRESS_ONLY", "USER_ID", ["user-3001"], "INITIALIZED"),
]

DEMO_USERS = [("Ada Admin", "ada@acme.example"), ("Ben Builder", "ben@acme.example"), ("Cy Viewer", "cy@acme.example")]
DEMO_ROLES = [
    ("Workspace Owner", "Full access to the workspace."),
    ("Workspace Member", "Read access to the workspace."),
    ("Source Admin", "Manage sources and their connections."),
    ("Source Read-only", "Read sources and their connections."),
]


def _logos(slug: str) -> dict[str, str]:
    return {"default": f"https://cdn.example.com/logos/{slug}.svg", "mark": f"https://cdn.example.com/marks/{slug}.svg"}


def add_catalog(state: State) -> None:
    for slug, name, categories, cloud, kind in CATALOG_SOURCES:
        metadata_id = state.new_id("catalog-source", 10)
        state.catalog_sources[metadata_id] = {
            "id": metadata_id,
            "name": name,
            "slug": slug,
            "description": f"Send data from {name} to Segment.",
            "logos": _logos(slug),
            "options": [],
            "categories": categories,
            "isCloudEventSource": cloud,
            "status": "PUBLIC",
            "configType": kind,
        }
    for slug, name, category, instances, options in CATALOG_DESTINATIONS:
        metadata_id = state.new_hex("catalog-destination")
        state.catalog_destinations[metadata_id] = {
            "id": metadata_id,
            "name": name,
            "description": f"Send your Segment data to {name}.",
            "slug": slug,
            "logos": _logos(slug),
            "options": [
                {"name": option, "type": kind, "required": required, "defaultValue": default, "label": option}
                for option, kind, required, default in options
            ],
            "status": "PUBLIC",
            "previousNames": [name],
            "categories": [category],
            "website": f"https://{slug}.example.com",
            "components": [{"type": "SERVER", "code": f"https://github.com/segmentio/integrations/{slug}"}],
            "supportedFeatures": {"cloudModeInstances": instances, "deviceModeInstances": "NONE", "replay": False},
            "supportedMethods": {"pageview": True, "identify": True, "alias": True, "track": True, "group": True},
            "supportedPlatforms": {"browser": True, "server": True, "mobile": True},
            "actions": [],
            "presets": [],
        }
    for slug, name in CATALOG_WAREHOUSES:
        metadata_id = state.new_id("catalog-warehouse", 10)
        state.catalog_warehouses[metadata_id] = {
            "id": metadata_id,
            "name": name,
            "slug": slug,
            "description": f"Load data into {name}.",
            "logos": _logos(slug),
            "options": [{"name": "host", "type": "string", "required": True, "label": "Host"}],
        }


def new_workspace(state: State, slug: str) -> None:
    state.workspace = {
        "id": state.new_id("workspace", 22),
        "configId": state.new_id("workspace-config", 10, alphabet="0123456789abcdefghijklmnopqrstuvwxyz"),
        "slug": slug,
        "name": slug.replace("-", " ").replace("_", " ").title(),
        "createdAt": state.stamp(),
    }


def default_schema() -> dict[str, Json]:
    return {
        "track": {
            "allowUnplannedEvents": True,
            "allowUnplannedEventProperties": True,
            "allowEventOnViolations": True,
            "allowPropertiesOnViolations": True,
            "commonEventOnViolations": "ALLOW",
        },
        "identify": {"allowUnplannedTraits": True, "allowTraitsOnViolations": True, "commonEventOnViolations": "ALLOW"},
        "group": {"allowUnplannedTraits": True, "allowTraitsOnViolations": True, "commonEventOnViolations": "ALLOW"},
        "forwardingViolationsTo": "",
        "forwardingBlockedEventsTo": "",
    }


def made_labels(state: State, labels: list[dict[str, Json]]) -> None:
    """The workspace labels a source given these carries: the Config API made the ones not there yet
    (the Public API wants them made first)."""
    for label in labels:
        state.labels.setdefault(f"{label['key']}:{label['value']}", dict(label))


def new_source(state: State, slug: str, metadata_id: str, name: str | None = None, labels: Json = None) -> Json:
    source_id = state.new_id("source", 22)
    source = {
        "id": source_id,
        "slug": slug,
        "name": name or slug,
        "workspaceId": state.workspace["id"],
        "enabled": True,
        "writeKeys": [state.new_id("write-key", 32)],
        "metadataId": metadata_id,
        "settings": {},
        "labels": labels_to_public(labels),
        "createdAt": state.stamp(),
        "schema": default_schema(),
    }
    state.sources[source_id] = source
    made_labels(state, source["labels"])
    for warehouse in state.warehouses.values():
        if warehouse.get("autoConnect", True):
            warehouse["sourceIds"].append(source_id)
    return source


def new_destination(
    state: State, source_id: str, metadata_id: str, name: str | None, enabled: bool, settings: dict[str, Json]
) -> Json:
    destination_id = state.new_id("destination", 22)
    now = state.stamp()
    destination = {
        "id": destination_id,
        "name": name,
        "enabled": enabled,
        "metadataId": metadata_id,
        "sourceId": source_id,
        "settings": dict(settings),
        "connectionMode": "CLOUD",
        "createdAt": now,
        "updatedAt": now,
    }
    state.destinations[destination_id] = destination
    return destination


def new_filter(
    state: State,
    destination: Json,
    title: str,
    condition: str,
    actions: list[Json],
    enabled: bool,
    description: str = "",
) -> Json:
    filter_id = state.new_id("filter", 22)
    now = state.stamp()
    item = {
        "id": filter_id,
        "configId": state.new_ksuid("filter-config", "df_"),
        "sourceId": destination["sourceId"],
        "destinationId": destination["id"],
        "if": condition,
        "actions": actions,
        "title": title,
        "description": description,
        "enabled": enabled,
        "createdAt": now,
        "updatedAt": now,
    }
    state.filters[filter_id] = item
    return item


def event_schema(event: str) -> Json:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "labels": {},
        "properties": {
            "context": {},
            "traits": {},
            "properties": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        },
        "description": f"{event} fires when a user does it.",
    }


def new_tracking_plan(state: State, name: str, description: str = "", rules: list[Json] | None = None) -> Json:
    plan_id = state.new_id("tracking-plan", 20, "tp_")
    now = state.stamp()
    plan = {
        "id": plan_id,
        "configId": state.new_ksuid("tracking-plan-config", "rs_"),
        "name": name,
        "slug": "",
        "description": description,
        "type": "LIVE",
        "createdAt": now,
        "updatedAt": now,
        "rules": list(rules or []),
        "sourceIds": [],
    }
    state.tracking_plans[plan_id] = plan
    return plan


def new_function(state: State, display_name: str, resource_type: str, code: str, description: str = "") -> Json:
    prefix = {"SOURCE": "sfnc_", "DESTINATION": "dfnc_"}.get(resource_type, "ifnd_")
    config_prefix = {"SOURCE": "sfn_", "DESTINATION": "dfn_"}.get(resource_type, "ifn_")
    function_id = state.new_id("function", 22, prefix)
    item = {
        "id": function_id,
        "configId": state.new_id("function-config", 22, config_prefix),
        "resourceType": resource_type,
        "displayName": display_name,
        "description": description,
        "code": code,
        "settings": [],
        "buildpack": "boreal",
        "createdAt": state.stamp(),
        "createdBy": "ada@acme.example",
        "logoUrl": "",
        "catalogId": function_id.split("_", 1)[1],
        "isLatestVersion": True,
        "deployedAt": "",
    }
    state.functions[function_id] = item
    return item


def new_regulation(
    state: State, regulation_type: str, subject_type: str, subject_ids: list[str], source_id: str | None = None
) -> Json:
    regulate_id = state.new_ksuid("regulation")
    item = {
        "id": regulate_id,
        "workspaceId": state.workspace["id"],
        "regulationType": regulation_type,
        "subjectType": subject_type,
        "subjectIds": list(subject_ids),
        "status": "INITIALIZED",
        "createdAt": state.stamp(),
        "finishedAt": "",
        "sourceId": source_id,
    }
    state.regulations[regulate_id] = item
    return item


def build_empty(workspace: str = "acme", seed: str = "empty") -> State:
    state = State(seed=seed)
    new_workspace(state, workspace)
    add_catalog(state)
    for name, description in DEMO_ROLES:
        role_id = state.new_ksuid("role")
        state.roles[role_id] = {"id": role_id, "name": name, "description": description}
    return state


def build_demo(workspace: str = "acme") -> State:
    state = build_empty(workspace, seed="demo")
    for slug, name in (("postgres", "Analytics DB"), ("snowflake", "Data Warehouse")):
        metadata = next(item for item in state.catalog_warehouses.values() if item["slug"] == slug)
        warehouse_id = state.new_id("warehouse", 22)
        state.warehouses[warehouse_id] = {
            "id": warehouse_id,
            "metadataId": metadata["id"],
            "workspaceId": state.workspace["id"],
            "enabled": True,
            "settings": {"name": name, "host": f"{slug}.acme.example"},
            "sourceIds": [],
        }
    for slug, name, catalog_slug, labels in DEMO_SOURCES:
        kind = state.catalog_source_by_slug(catalog_slug)
        assert kind is not None
        new_source(state, slug, kind["id"], name, labels)
    for source_slug, catalog_slug, name, enabled, settings in DEMO_DESTINATIONS:
        owner = state.source_by_slug(source_slug)
        integration = state.catalog_destination_by_slug(catalog_slug)
        assert owner is not None and integration is not None
        new_destination(state, owner["id"], integration["id"], name, enabled, settings)
    for source_slug, catalog_slug, index, title, condition, actions, enabled in DEMO_FILTERS:
        owner = state.source_by_slug(source_slug)
        assert owner is not None
        destination = state.destinations_of(owner["id"], catalog_slug)[index]
        new_filter(state, destination, title, condition, actions, enabled, f"{title} before it reaches {catalog_slug}.")
    for name, events, source_slugs in DEMO_PLANS:
        rules = [{"type": "TRACK", "key": event, "jsonSchema": event_schema(event), "version": 1} for event in events]
        rules.append({"type": "IDENTIFY", "jsonSchema": {"type": "object", "properties": {"traits": {}}}, "version": 1})
        plan = new_tracking_plan(state, name, f"{name} for the {workspace} workspace.", rules)
        for source_slug in source_slugs:
            source = state.source_by_slug(source_slug)
            assert source is not None
            plan["sourceIds"].append(source["id"])
    for display_name, resource_type, code in DEMO_FUNCTIONS:
        new_function(state, display_name, resource_type, code, f"{display_name} ({resource_type.lower()} function).")
    for regulation_type, subject_type, subjects, status in DEMO_REGULATIONS:
        regulation = new_regulation(state, regulation_type, subject_type, subjects)
        regulation["status"] = status
        if status == "FINISHED":
            regulation["finishedAt"] = state.stamp()
    for name, email in DEMO_USERS:
        user_id = state.new_id("user", 22)
        owner = next(iter(state.roles.values()))
        state.users[user_id] = {
            "id": user_id,
            "name": name,
            "email": email,
            "permissions": [
                {
                    "roleId": owner["id"],
                    "roleName": owner["name"],
                    "resources": [{"id": state.workspace["id"], "type": "WORKSPACE"}],
                }
            ],
        }
    state.invites["dee@acme.example"] = {"email": "dee@acme.example", "permissions": []}
    return state


def load_seed(seed: str, workspace: str | None = None) -> State:
    """`demo`, `empty`, or the path of a snapshot file."""
    if seed == "demo":
        return build_demo(workspace or "acme")
    if seed == "empty":
        return build_empty(workspace or "acme")
    path = Path(seed)
    if not path.exists():
        raise SnapshotError(f"unknown seed {seed!r}: use demo, empty, or the path of a snapshot file")
    state = State.load(path)
    if workspace and workspace != state.workspace.get("slug"):
        state.workspace["slug"] = workspace
    return state
