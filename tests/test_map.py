"""The map: complete against the Config API reference, consistent with the Public API surface, and
round-trippable where it is one-to-one."""

from __future__ import annotations

import re

import pytest

from mappings import load_map

# Section 4 of our Config API reference, one row per endpoint, written in the map's short
# placeholder names ("…/destinations" spelled out). Rows 59 and 60 name IAM resources by their
# resource name in the reference; the map reads them as role/policy paths under the workspace.
D = "workspaces/{ws}/sources/{src}/destinations/{dest}"
T = "workspaces/{ws}/tracking-plans/{tp}"
REFERENCE_ROWS = [
    (1, "POST", "access-tokens"),
    (2, "GET", "access-tokens"),
    (3, "GET", "workspaces"),
    (4, "GET", "workspaces/{ws}"),
    (5, "GET", "catalog/sources"),
    (6, "GET", "catalog/sources/{slug}"),
    (7, "GET", "catalog/destinations"),
    (8, "GET", "catalog/destinations/{dest}"),
    (9, "GET", "workspaces/{ws}/sources"),
    (10, "POST", "workspaces/{ws}/sources"),
    (11, "GET", "workspaces/{ws}/sources/{src}"),
    (12, "PATCH", "workspaces/{ws}/sources/{src}"),
    (13, "DELETE", "workspaces/{ws}/sources/{src}"),
    (14, "GET", "workspaces/{ws}/sources/{src}/schema-config"),
    (15, "PATCH", "workspaces/{ws}/sources/{src}/schema-config"),
    (16, "PATCH", "workspaces/{ws}/sources/{src}/connected-warehouses"),
    (17, "GET", "workspaces/{ws}/sources/{src}/destinations"),
    (18, "POST", "workspaces/{ws}/sources/{src}/destinations"),
    (19, "GET", D),
    (20, "PATCH", D),
    (21, "DELETE", D),
    (22, "GET", D + "/filters"),
    (23, "POST", D + "/filters"),
    (24, "GET", D + "/filters/{df}"),
    (25, "PATCH", D + "/filters/{df}"),
    (26, "DELETE", D + "/filters/{df}"),
    (27, "POST", "filters/preview"),
    (28, "GET", D + "/metrics"),
    (29, "GET", D + "/metrics/{metric}"),
    (30, "GET", D + "/metrics:batchGet"),
    (31, "GET", D + "/metrics:getSummary"),
    (32, "GET", "workspaces/{ws}/event-delivery-metrics:batchGetSummary"),
    (33, "GET", "workspaces/{ws}/tracking-plans"),
    (34, "POST", "workspaces/{ws}/tracking-plans"),
    (35, "GET", T),
    (36, "PUT", T),
    (37, "DELETE", T),
    (38, "GET", T + "/source-connections"),
    (39, "POST", T + "/source-connections"),
    (40, "POST", T + "/source-connections:batchCreateConnections"),
    (41, "DELETE", T + "/source-connections/{src}"),
    (42, "GET", "workspaces/{wsid}/functions"),
    (43, "POST", "workspaces/{wsid}/functions"),
    (44, "GET", "workspaces/{wsid}/functions/{fn}"),
    (45, "PATCH", "workspaces/{wsid}/functions/{fn}"),
    (46, "DELETE", "workspaces/{wsid}/functions/{fn}"),
    (47, "POST", "workspaces/{wsid}/functions/preview"),
    (48, "POST", "workspaces/{wsid}/functions/{fn}/deploy"),
    (49, "GET", "workspaces/{wsid}/functions/{fn}/is-latest-version"),
    (50, "POST", "workspaces/{ws}/regulations"),
    (51, "GET", "workspaces/{ws}/regulations"),
    (52, "GET", "workspaces/{ws}/regulations/{reg}"),
    (53, "DELETE", "workspaces/{ws}/regulations/{reg}"),
    (54, "POST", "workspaces/{ws}/sources/{src}/regulations"),
    (55, "DELETE", "workspaces/{ws}/sources/{src}/regulations"),
    (56, "GET", "workspaces/{ws}/suppressed-users"),
    (57, "GET", "workspaces/{ws}/roles"),
    (58, "GET", "workspaces/{ws}/roles/-/policies"),
    (59, "POST", "workspaces/{ws}/roles/{role}/policies"),
    (60, "DELETE", "workspaces/{ws}/roles/{role}/policies/{policy}"),
    (61, "GET", "workspaces/{ws}/invites"),
    (62, "POST", "workspaces/{ws}/invites"),
    (63, "DELETE", "workspaces/{ws}/invites/{invite}"),
    (64, "GET", "workspaces/{ws}/users"),
    (65, "GET", "installs/{n}/token"),
]


@pytest.fixture(scope="module")
def api():
    return load_map()


def test_every_reference_row_is_in_the_map(api):
    by_row = {endpoint.row: endpoint for endpoint in api.endpoints}
    assert sorted(by_row) == list(range(1, 66))
    for row, method, path in REFERENCE_ROWS:
        endpoint = by_row[row]
        assert (endpoint.method, api.short_path(endpoint.path)) == (method, path), f"row {row}"


def test_every_endpoint_has_a_public_twin_or_a_reason_and_a_manual_step(api):
    for endpoint in api.endpoints:
        if endpoint.has_twin:
            assert endpoint.public, endpoint.key
        else:
            assert endpoint.no_twin_reason and endpoint.manual_step, endpoint.key


def test_every_public_twin_is_an_operation_of_the_public_surface(api):
    surface = {(op.method, op.path) for op in api.public_operations}
    twins = [(step.method, step.path) for endpoint in api.endpoints for step in endpoint.public]
    assert twins
    assert [twin for twin in twins if twin not in surface] == []


def test_the_public_surface_is_the_whole_sdk(api):
    assert len(api.public_operations) == 201
    create_source = api.public_operation("POST", "/sources")
    assert create_source is not None and create_source.status == 201
    assert api.public_operation("POST", "/destinations").status == 200
    assert api.public_operation("GET", "/").data == ["workspace"]


def test_every_public_placeholder_is_bound_to_a_known_source_of_value(api):
    for endpoint in api.endpoints:
        for step in endpoint.public:
            assert set(step.bind) == set(re.findall(r"\{(\w+)\}", step.path)), endpoint.key


def test_one_to_many_translations_are_declared(api):
    assert api.endpoint("tracking_plans.create").translation == "sequence"
    assert [step.path for step in api.endpoint("tracking_plans.create").public] == [
        "/tracking-plans",
        "/tracking-plans/{trackingPlanId}/rules",
    ]
    assert api.endpoint("source_connections.batch_create").translation == "loop"
    assert api.endpoint("destinations.list").public[0].path == "/sources/{sourceId}/connected-destinations"


@pytest.mark.parametrize("name", sorted(name for name, enum in load_map().enums.items() if enum.one_to_one))
def test_one_to_one_enums_round_trip(api, name):
    enum = api.enums[name]
    for config_value, public_value in enum.values.items():
        assert enum.to_config(enum.to_public(config_value)) == config_value
        assert enum.to_public(enum.to_config(public_value)) == public_value


def test_many_to_one_enums_are_the_documented_ones(api):
    assert sorted(name for name, enum in api.enums.items() if not enum.one_to_one) == [
        "component_type",
        "connection_mode",
    ]


def test_enum_aliases_resolve_to_canonical_values(api):
    assert api.enums["filter_action"].to_public("blocklist_fields") == "DROP_PROPERTIES"
    assert api.enums["regulation_type"].to_public("Suppress_With_Delete") == "SUPPRESS_WITH_DELETE"
    assert api.enums["regulation_type"].to_config("DELETE_ONLY") == "Delete"


@pytest.mark.parametrize("name", sorted(load_map().resources))
def test_field_renames_round_trip(api, name):
    """Config -> Public is one-to-one for the fields that are kept, so it reads backwards too. A field
    only answers carry may repeat a Public field as another Config key (an invite's name, built
    from its email): no request sends it, so nothing reads it backwards."""
    fields = [field for field in api.resources[name].field if not field.drop]
    kept = [field for field in fields if field.direction != "response"]
    repeated = [field for field in fields if field not in kept and field.public in {k.public for k in kept}]
    assert all(field.type == "name" and field.transform for field in repeated)
    forward = {field.config: field.public for field in kept}
    backward = {public: config for config, public in forward.items()}
    assert len(backward) == len(forward), f"two Config fields of {name} map to one Public field"
    assert {backward[public] for public in forward.values()} == set(forward)


def test_config_fields_accept_both_spellings(api):
    schema = api.resource("schema_config")
    assert schema.by_config("allowUnplannedTrackEvents") is schema.by_config("allow_unplanned_track_events")
    legacy = schema.by_config("allow_track_event_properties_on_violations")
    assert legacy is not None and legacy.public == "track.allowPropertiesOnViolations"


def test_schema_config_regroups_every_flag(api):
    groups = {
        field.public.split(".")[0]
        for field in api.resource("schema_config").field
        if field.public and "." in field.public
    }
    assert groups == {"track", "identify", "group"}
    flags = [field for field in api.resource("schema_config").field if field.public and "." in field.public]
    assert len(flags) == 11


def test_uncertain_facts_carry_a_choice(api):
    for endpoint in api.endpoints:
        if endpoint.confidence == "uncertain":
            assert endpoint.choice or endpoint.manual_reason or endpoint.no_twin_reason, endpoint.key
    for name, kind in api.kinds.items():
        if kind.confidence == "uncertain":
            assert kind.choice, name


@pytest.mark.parametrize(
    ("method", "path", "key"),
    [
        ("GET", "/v1beta/workspaces/acme/sources/", "sources.list"),
        ("GET", "/v1beta//catalog/sources/", "catalog_sources.list"),
        ("GET", "/v1alpha/workspaces/acme/sources/web", "sources.get"),
        ("PUT", "/v1beta/workspaces/acme/tracking-plans/rs_1abc", "tracking_plans.update"),
        ("POST", "/v1beta/workspaces/a1b2c3/functions/preview", "functions.preview"),
        ("GET", "/v1beta/workspaces/a1b2c3/functions/sfn_x", "functions.get"),
        ("GET", "/v1beta/workspaces/acme/roles/-/policies", "policies.list"),
        (
            "GET",
            "/v1beta/workspaces/acme/sources/web/destinations/google-analytics/metrics:batchGet",
            "delivery_metrics.batch_get",
        ),
        ("POST", "/v1beta/catalog/sources", None),
    ],
)
def test_config_paths_match_their_endpoint(api, method, path, key):
    found = api.match_config(method, path)
    if key is None:
        assert found is None
    else:
        assert found is not None and found.endpoint.key == key


def test_matched_placeholders_fill_resource_names(api):
    found = api.match_config("DELETE", "/v1beta/workspaces/acme/tracking-plans/rs_1/source-connections/web")
    assert found is not None
    assert api.config_name("source", found.params) == "workspaces/acme/sources/web"
    assert api.config_name("tracking_plan", found.params) == "workspaces/acme/tracking-plans/rs_1"


def test_the_scanner_token_pattern_is_the_maps(api):
    from migrator.scan.secrets import PUBLIC_TOKEN

    assert PUBLIC_TOKEN.pattern == api.protocol["public"]["token_pattern"]


def test_config_values_the_public_api_lacks_are_written_from_the_public_object(api):
    """One source of truth for the answer the translator builds and the reads the codemods rewrite."""
    fields = api.resource("destination")
    display, mode = fields.by_config("display_name"), fields.by_config("connection_mode")
    public = {"id": "d1", "name": "my slack", "metadata": {"name": "Slack", "slug": "slack"}}
    assert display is not None and display.config_value(public) == "Slack"
    assert display.config_value({"id": "d1"}) is None, "a field the object lacks is not made up"
    assert mode is not None and mode.config_value(public) == "CLOUD"
    catalog = api.resource("source").by_config("catalog_name")
    assert catalog is not None and catalog.config_value({"metadata": {"slug": "ios"}}) == "catalog/sources/ios"
