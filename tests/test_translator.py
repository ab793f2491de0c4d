"""The translator, endpoint family by endpoint family, on a small hand-made ID map."""

from __future__ import annotations

import pytest

from mappings import load_map
from migrator.idmap import Candidate, Entry, IdMap, Workspace
from migrator.translator import (
    AmbiguousId,
    ConfigRequest,
    IdMapNames,
    StepRef,
    TranslationError,
    Translator,
    UnknownId,
    config_answer,
    config_error,
)

API = load_map()
WS = "workspaces/acme"


def entry(kind, name, public_id, **extra):
    return Entry(kind=kind, config_name=name, public_id=public_id, status="matched", **extra)


ID_MAP = IdMap(
    workspace=Workspace(slug="acme", id="W1", config_id="wsid01"),
    generated_at="2026-01-01T00:00:00Z",
    entries=[
        entry("workspace", WS, "W1"),
        entry("source", f"{WS}/sources/web", "S_WEB", slug="web"),
        entry("source", f"{WS}/sources/web-staging", "S_STG", slug="web-staging"),
        entry("destination", f"{WS}/sources/web/destinations/google-analytics", "D_GA", source_id="S_WEB"),
        Entry(
            kind="destination",
            config_name=f"{WS}/sources/web/destinations/mixpanel",
            status="ambiguous",
            source_id="S_WEB",
            metadata_id="M_MP",
            candidates=[
                Candidate(public_id="D_MP1", display_name="prod"),
                Candidate(public_id="D_MP2", display_name="dev"),
            ],
        ),
        entry("filter", f"{WS}/sources/web/destinations/google-analytics/filters/df_1", "F1"),
        entry("tracking_plan", f"{WS}/tracking-plans/rs_1", "tp_1"),
        entry("function", "workspaces/wsid01/functions/sfn_1", "sfnc_1"),
        entry("catalog_source", "catalog/sources/ios", "CS_IOS"),
        entry("catalog_destination", "catalog/destinations/slack", "CD_SLACK"),
        entry("catalog_destination", "catalog/destinations/google-analytics", "CD_GA"),
    ],
)
NAMES = IdMapNames(ID_MAP, API)


def translate(method, path, body=None, query=None):
    return Translator(NAMES, API).translate(ConfigRequest(method, path, query or {}, body))


def only_call(translation):
    assert len(translation.calls) == 1
    call = translation.calls[0]
    path, query, body = call.render([])
    return call.method, path, query, body


# --- paths, query, pagination ---------------------------------------------------------------------


def test_workspace_segment_is_dropped():
    assert only_call(translate("GET", f"/v1beta/{WS}"))[:2] == ("GET", "/")
    assert only_call(translate("GET", "/v1beta/workspaces"))[:2] == ("GET", "/")


def test_full_urls_and_v1alpha_are_accepted():
    assert (
        only_call(translate("GET", f"https://platform.segmentapis.com/v1beta/{WS}/sources/web"))[1] == "/sources/S_WEB"
    )
    assert only_call(translate("GET", f"/v1alpha/{WS}/sources/web"))[1] == "/sources/S_WEB"


def test_pagination_query_becomes_public_pagination():
    _, path, query, _ = only_call(
        translate("GET", f"/v1beta/{WS}/sources", query={"page_size": ["50"], "page_token": ["MTA="]})
    )
    assert path == "/sources"
    assert query == {"pagination.count": 50, "pagination.cursor": "MTA="}


def test_catalog_slugs_become_metadata_ids():
    assert only_call(translate("GET", "/v1beta/catalog/sources/ios"))[1] == "/catalog/sources/CS_IOS"
    with pytest.raises(UnknownId):
        translate("GET", "/v1beta/catalog/sources/zzz")


def test_unknown_paths_and_methods():
    with pytest.raises(TranslationError) as caught:
        translate("GET", f"/v1beta/{WS}/gadgets")
    assert caught.value.status == 404 and caught.value.code == 5
    with pytest.raises(TranslationError, match="not a method"):
        translate("PUT", f"/v1beta/{WS}/sources/web")


# --- sources and schema settings --------------------------------------------------------------------


def test_source_create():
    translation = translate(
        "POST",
        f"/v1beta/{WS}/sources",
        {"source": {"name": f"{WS}/sources/kiosk", "catalog_name": "catalog/sources/ios", "labels": {"env": "dev"}}},
    )
    create, label, labels = translation.calls
    assert (create.method, create.path, create.body) == (
        "POST",
        "/sources",
        {"slug": "kiosk", "enabled": True, "metadataId": "CS_IOS"},
    )
    assert (label.method, label.path, label.body) == ("POST", "/labels", {"label": {"key": "env", "value": "dev"}})
    assert label.tolerate == (409,), "a label that exists already is no failure"
    assert labels.path_params == {"sourceId": StepRef(0, "source.id")}
    assert labels.render([{"source": {"id": "NEW"}}])[:3:2] == (
        "/sources/NEW/labels",
        {"labels": [{"key": "env", "value": "dev"}]},
    )


def test_source_update_only_sends_the_mask():
    translation = translate(
        "PATCH",
        f"/v1beta/{WS}/sources/web",
        {
            "source": {"display_name": "Website", "labels": {"a": "b"}},
            "update_mask": {"paths": ["source.display_name"]},
        },
    )
    assert [call.method for call in translation.calls] == ["PATCH"]
    assert translation.calls[0].body == {"name": "Website"}


def test_schema_settings_regroup_and_keep_unmasked_forwarding():
    translation = translate(
        "PATCH",
        f"/v1beta/{WS}/sources/web/schema-config",
        {
            "schema_config": {"allow_unplanned_track_events": False, "common_identify_event_on_violations": "BLOCK"},
            "update_mask": {
                "paths": [
                    "schema_config.allow_unplanned_track_events",
                    "schema_config.common_identify_event_on_violations",
                ]
            },
        },
    )
    read, patch = translation.calls
    assert (read.method, read.render([])[0]) == ("GET", "/sources/S_WEB/settings")
    settings = {"settings": {"forwardingViolationsTo": "S_STG", "forwardingBlockedEventsTo": ""}}
    _, _, body = patch.render([settings])
    assert body == {
        "track": {"allowUnplannedEvents": False},
        "identify": {"commonEventOnViolations": "BLOCK"},
        "forwardingViolationsTo": "S_STG",
    }


def test_forwarding_faq_empty_target_becomes_an_omitted_field():
    translation = translate(
        "PATCH",
        f"/v1beta/{WS}/sources/web/schema-config",
        {
            "schema_config": {"forwarding_violations_to": ""},
            "update_mask": {"paths": ["schema_config.forwarding_violations_to"]},
        },
    )
    _, _, body = translation.calls[1].render([{"settings": {"forwardingBlockedEventsTo": ""}}])
    assert body == {}


def test_forwarding_slug_becomes_a_source_id():
    translation = translate(
        "PATCH",
        f"/v1beta/{WS}/sources/web/schema-config",
        {
            "schema_config": {"forwarding_violations_to": "web-staging"},
            "update_mask": {"paths": ["schema_config.forwarding_violations_to"]},
        },
    )
    _, _, body = translation.calls[1].render([{"settings": {}}])
    assert body == {"forwardingViolationsTo": "S_STG"}


# --- destinations: the three update_mask cases of the seed page, config arrays, two instances ------

GA = f"/v1beta/{WS}/sources/web/destinations/google-analytics"


def test_masked_path_with_value():
    assert only_call(
        translate("PATCH", GA, {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}})
    )[3] == {"enabled": True}


def test_masked_path_without_value_becomes_the_zero_value():
    assert only_call(translate("PATCH", GA, {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}))[
        3
    ] == {"enabled": False}


def test_value_without_path_is_dropped():
    assert only_call(translate("PATCH", GA, {"destination": {"enabled": True}, "update_mask": {"paths": []}}))[3] == {}
    assert only_call(translate("PATCH", GA, {"destination": {"enabled": True}}))[3] == {}


def test_config_array_becomes_settings_object():
    name = GA.removeprefix("/v1beta/")
    body = {
        "destination": {
            "config": [
                {"name": f"{name}/config/trackingId", "value": "UA-9", "type": "string"},
                {"name": "anonymizeIp", "value": True},
            ]
        },
        "update_mask": {"paths": ["destination.config"]},
    }
    assert only_call(translate("PATCH", GA, body))[3] == {"settings": {"trackingId": "UA-9", "anonymizeIp": True}}


def test_destination_create():
    name = f"{WS}/sources/web/destinations/slack"
    body = {
        "destination": {
            "name": name,
            "connection_mode": "CLOUD",
            "config": [{"name": f"{name}/config/incomingWebhookUrl", "value": "https://x"}],
        }
    }
    method, path, _, sent = only_call(translate("POST", f"/v1beta/{WS}/sources/web/destinations", body))
    assert (method, path) == ("POST", "/destinations")
    assert sent == {
        "sourceId": "S_WEB",
        "metadataId": "CD_SLACK",
        "enabled": False,
        "settings": {"incomingWebhookUrl": "https://x"},
    }


def test_a_destination_created_with_a_masked_secret_is_refused_naming_it():
    """A script copying destinations reads their settings through the layer: the Public API answered
    the secrets masked, and a destination made with bullets for its key is no copy."""
    name = f"{WS}/sources/web/destinations/slack"
    body = {
        "destination": {
            "name": name,
            "config": [
                {"name": f"{name}/config/incomingWebhookUrl", "value": "••••••••••dada"},
                {"name": f"{name}/config/channel", "value": "#ops"},
            ],
        }
    }
    with pytest.raises(TranslationError) as refused:
        translate("POST", f"/v1beta/{WS}/sources/web/destinations", body)
    assert refused.value.status == 400
    assert "destination.config incomingWebhookUrl" in str(refused.value)
    assert "#ops" not in str(refused.value) and "dada" not in str(refused.value)


def test_a_masked_secret_written_back_on_update_leaves_the_stored_one():
    """Read, change, write back: the masked secret read is not written, so the stored one stays."""
    body = {
        "destination": {
            "config": [
                {"name": f"{GA}/config/trackingId", "value": "••••••••••A-99"},
                {"name": f"{GA}/config/anonymizeIp", "value": True},
            ]
        },
        "update_mask": {"paths": ["destination.config"]},
    }
    assert only_call(translate("PATCH", GA, body))[3] == {"settings": {"anonymizeIp": True}}


def test_destination_list_under_a_source_is_connected_destinations():
    assert (
        only_call(translate("GET", f"/v1beta/{WS}/sources/web/destinations"))[1]
        == "/sources/S_WEB/connected-destinations"
    )


def test_two_instances_of_one_integration_are_never_picked():
    with pytest.raises(AmbiguousId) as caught:
        translate("GET", f"/v1beta/{WS}/sources/web/destinations/mixpanel")
    assert caught.value.candidates == ["D_MP1", "D_MP2"] and caught.value.status == 409


# --- filters -----------------------------------------------------------------------------------------


def test_filters_use_the_singular_destination_path_and_new_action_names():
    body = {
        "filter": {
            "title": "t",
            "if": "all",
            "enabled": True,
            "actions": [
                {"type": "whitelist_fields", "fields": {"properties": {"fields": ["a"]}}},
                {"type": "sample_event", "percent": 0.5, "path": "userId"},
            ],
        }
    }
    method, path, _, sent = only_call(translate("POST", f"{GA}/filters", body))
    assert (method, path) == ("POST", "/destination/D_GA/filters")
    assert sent["sourceId"] == "S_WEB"
    assert sent["actions"] == [
        {"type": "ALLOW_PROPERTIES", "fields": {"properties": ["a"]}},
        {"type": "SAMPLE", "percent": 0.5, "path": "userId"},
    ]


def test_filter_update_with_unqualified_mask():
    _, path, _, sent = only_call(
        translate(
            "PATCH",
            f"{GA}/filters/df_1",
            {"filter": {"title": "x", "enabled": True}, "update_mask": {"paths": ["title"]}},
        )
    )
    assert path == "/destination/D_GA/filters/F1" and sent == {"title": "x"}


def test_filter_preview_input_string_becomes_payload_object():
    body = {"filter": {"if": "all", "actions": [{"type": "drop_event"}]}, "input": '{"type": "track"}'}
    _, path, _, sent = only_call(translate("POST", "/v1beta/filters/preview", body))
    assert path == "/destination/filters/preview"
    assert sent == {"filter": {"if": "all", "actions": [{"type": "DROP"}]}, "payload": {"type": "track"}}


# --- tracking plans and source connections ------------------------------------------------------------


def test_tracking_plan_create_is_plan_then_rules():
    rules = {"global": {"type": "object"}, "events": [{"name": "A", "version": 2, "rules": {"x": 1}}]}
    plan, replace = translate(
        "POST", f"/v1beta/{WS}/tracking-plans", {"tracking_plan": {"display_name": "P", "rules": rules}}
    ).calls
    assert plan.body == {"name": "P", "type": "LIVE"}
    path, _, body = replace.render([{"trackingPlan": {"id": "tp_new"}}])
    assert (replace.method, path) == ("PUT", "/tracking-plans/tp_new/rules")
    assert body == {
        "rules": [
            {"type": "COMMON", "jsonSchema": {"type": "object"}, "version": 1},
            {"type": "TRACK", "key": "A", "jsonSchema": {"x": 1}, "version": 2},
        ]
    }


def test_tracking_plan_put_with_mask_becomes_patch_and_rules():
    only_name = translate(
        "PUT",
        f"/v1beta/{WS}/tracking-plans/rs_1",
        {"tracking_plan": {"display_name": "N"}, "update_mask": {"paths": ["tracking_plan.display_name"]}},
    )
    assert [(c.method, c.path) for c in only_name.calls] == [
        ("PATCH", "/tracking-plans/{trackingPlanId}"),
        ("GET", "/tracking-plans/{trackingPlanId}"),
        ("GET", "/tracking-plans/{trackingPlanId}/rules"),
    ]
    assert only_name.calls[0].body == {"name": "N"}
    only_rules = translate(
        "PUT",
        f"/v1beta/{WS}/tracking-plans/rs_1",
        {"tracking_plan": {"display_name": "ignored", "rules": {}}, "update_mask": {"paths": ["tracking_plan.rules"]}},
    )
    assert [c.method for c in only_rules.calls] == ["PUT", "GET", "GET"]
    assert only_rules.calls[0].render([])[0] == "/tracking-plans/tp_1/rules"


def test_plan_ids_not_in_the_map_are_taken_as_public_ids():
    assert (
        only_call(translate("DELETE", f"/v1beta/{WS}/tracking-plans/tp_made_by_the_proxy"))[1]
        == "/tracking-plans/tp_made_by_the_proxy"
    )


def test_batch_source_connections_loop():
    names = [f"{WS}/sources/web", f"{WS}/sources/web-staging"]
    translation = translate(
        "POST", f"/v1beta/{WS}/tracking-plans/rs_1/source-connections:batchCreateConnections", {"source_names": names}
    )
    assert [call.render([])[2] for call in translation.calls] == [{"sourceId": "S_WEB"}, {"sourceId": "S_STG"}]


def test_source_connection_delete_moves_the_slug_to_a_query_id():
    _, path, query, _ = only_call(translate("DELETE", f"/v1beta/{WS}/tracking-plans/rs_1/source-connections/web"))
    assert (path, query) == ("/tracking-plans/tp_1/sources", {"sourceId": "S_WEB"})


# --- functions, regulations, IAM, no twin -------------------------------------------------------------


def test_functions():
    _, path, query, _ = only_call(translate("GET", "/v1beta/workspaces/wsid01/functions", query={"type": ["SOURCE"]}))
    assert (path, query) == ("/functions", {"resourceType": "SOURCE", "pagination.count": 10})  # the Config page size
    _, _, _, body = only_call(
        translate(
            "POST",
            "/v1beta/workspaces/wsid01/functions",
            {"function": {"display_name": "F", "code": "x", "buildpack": "boreal"}},
            {"type": ["DESTINATION"]},
        )
    )
    assert body == {"displayName": "F", "code": "x", "resourceType": "DESTINATION"}
    assert (
        only_call(translate("POST", "/v1beta/workspaces/wsid01/functions/sfn_1/deploy"))[1]
        == "/functions/sfnc_1/deploy"
    )


def test_a_function_type_given_in_the_body_reaches_the_public_create():
    """The Config API took the type of a new function from the query, a top-level body field or the
    function object; the Public create requires `resourceType`, and the query wins where both are."""
    inner = {"function": {"display_name": "F", "code": "x", "type": "DESTINATION"}}
    top = {"type": "SOURCE", "function": {"display_name": "F", "code": "x"}}
    assert (
        only_call(translate("POST", "/v1beta/workspaces/wsid01/functions", inner))[3]["resourceType"] == "DESTINATION"
    )
    assert only_call(translate("POST", "/v1beta/workspaces/wsid01/functions", top))[3]["resourceType"] == "SOURCE"
    queried = translate("POST", "/v1beta/workspaces/wsid01/functions", inner, {"type": ["SOURCE"]})
    assert only_call(queried)[3]["resourceType"] == "SOURCE"


def test_regulation_body_and_enums():
    _, path, _, body = only_call(
        translate(
            "POST",
            f"/v1beta/{WS}/regulations",
            {"regulation_type": "Suppress_With_Delete", "attributes": {"name": "userId", "values": ["u1", "u2"]}},
        )
    )
    assert path == "/regulations"
    assert body == {"regulationType": "SUPPRESS_WITH_DELETE", "subjectType": "USER_ID", "subjectIds": ["u1", "u2"]}
    _, _, query, _ = only_call(
        translate(
            "GET",
            f"/v1beta/{WS}/regulations",
            query={"status": ["running"], "regulation_types": ["Delete", "Suppress"]},
        )
    )
    assert query == {"status": "RUNNING", "regulationTypes": ["DELETE_ONLY", "SUPPRESS_ONLY"], "pagination.count": 10}


@pytest.mark.parametrize(
    ("method", "path", "reason"),
    [
        ("POST", "/v1beta/access-tokens", "tokens"),
        ("DELETE", f"/v1beta/{WS}/regulations/abc", "regulation"),
        ("POST", "/v1beta/workspaces/wsid01/functions/preview", "preview"),
        ("GET", f"/v1beta/{WS}/roles/-/policies", "policies"),
        ("GET", "/v1beta/installs/5/token", "install"),
    ],
)
def test_untranslatable_calls_say_why_and_what_to_do(method, path, reason):
    translation = translate(method, path)
    assert translation.calls == [] and translation.untranslatable is not None
    assert reason in translation.untranslatable.reason.lower() + translation.untranslatable.manual_step.lower()


@pytest.mark.parametrize("name", sorted(API.enums))
def test_every_enum_map_is_applied_by_the_codec(name):
    """Each enum reaches the Public side through a field or a query expression of the map."""
    users = [f for table in API.resources.values() for f in table.field if f.enum == name]
    in_queries = [e for e in API.endpoints for s in e.public for x in s.query.values() if x.endswith(f"|enum:{name}")]
    structural = name in ("tracking_plan_rule", "subject_type", "catalog_setting_type", "component_type")
    assert users or in_queries or structural, f"enum {name} is used nowhere"


def test_filter_action_enum_round_trips_through_a_translation():
    for config_value, public_value in API.enums["filter_action"].values.items():
        body = {"filter": {"if": "all", "actions": [{"type": config_value}]}, "input": "{}"}
        assert only_call(translate("POST", "/v1beta/filters/preview", body))[3]["filter"]["actions"] == [
            {"type": public_value}
        ]


# --- answers ------------------------------------------------------------------------------------------


def test_list_answer_rebuilds_names_and_the_page_token():
    translation = translate("GET", f"/v1beta/{WS}/sources", query={"page_size": ["1"]})
    data = {
        "sources": [
            {
                "id": "S_WEB",
                "slug": "web",
                "name": "Web",
                "workspaceId": "W1",
                "enabled": True,
                "writeKeys": ["k"],
                "metadata": {"id": "CS_JS", "slug": "javascript", "name": "Javascript"},
                "labels": [{"key": "env", "value": "prod"}],
            }
        ],
        "pagination": {"current": "MA==", "next": "MQ=="},
    }
    answer = config_answer(translation, [data], NAMES, API)
    assert answer["next_page_token"] == "MQ=="
    source = answer["sources"][0]
    assert (
        source["name"] == f"{WS}/sources/web"
        and source["display_name"] == "Web"
        and source["labels"] == {"env": "prod"}
    )
    assert source["catalog_name"] == "catalog/sources/javascript" and source["write_keys"] == ["k"]
    last = config_answer(translation, [{**data, "pagination": {"current": "MQ=="}}], NAMES, API)
    assert last["next_page_token"] == ""


def test_regulation_answers():
    translation = translate(
        "POST",
        f"/v1beta/{WS}/regulations",
        {"regulation_type": "Delete", "attributes": {"name": "userId", "values": ["u"]}},
    )
    assert config_answer(translation, [{"regulateId": "R1"}], NAMES, API) == {"regulate_id": "R1"}


@pytest.mark.parametrize(
    ("status", "config_status", "code"),
    [(422, 400, 3), (404, 404, 5), (401, 401, 16), (429, 429, 8), (409, 409, 6), (500, 500, 13)],
)
def test_public_errors_become_config_errors(status, config_status, code):
    """Status and code from the map; the message the Public API's, except where the Config API has
    its own (an auth failure speaks of the Config token the caller sent, not a Public one)."""
    message = "the access token is missing or invalid" if status == 401 else "m"
    assert config_error(API, status, "m") == (config_status, {"error": message, "code": code})


def test_a_plan_list_reads_each_plans_rules_once_the_list_has_answered():
    """Config list items carried their rules; the Public list does not, so one more read a plan, made
    once the list is known, and only the list takes the Config page size."""
    translation = translate("GET", "/v1beta/workspaces/acme/tracking-plans")
    listing, rules = translation.calls
    assert (listing.path, listing.query, listing.each) == ("/tracking-plans", {"pagination.count": 10}, None)
    assert (rules.path, rules.query, rules.each) == ("/tracking-plans/{trackingPlanId}/rules", {}, (0, "trackingPlans"))
    answered = [{"trackingPlans": [{"id": "tp_1"}, {"id": "tp 2"}], "pagination": {}}]
    assert [path for path, _query, _body in rules.expand(answered)] == [
        "/tracking-plans/tp_1/rules",
        "/tracking-plans/tp%202/rules",
    ]
    assert rules.describe()["path"] == "/tracking-plans/<each item's id>/rules"


def test_every_endpoint_with_a_public_twin_has_its_config_answer():
    """Nothing falls through to a raw Public answer: each translated endpoint's answer is built from
    the map (one object or a page of its resource), by a builder, or is `{}` (a delete, or the map's
    `empty_answer`)."""
    from migrator.translator import ANSWERS, answered_from_the_map, has_config_answer

    unanswered = [
        endpoint.key
        for endpoint in API.endpoints
        if endpoint.translation != "none" and endpoint.automation != "manual" and not has_config_answer(API, endpoint)
    ]
    assert unanswered == []
    # A builder only where the map's answer would be wrong: one workspace as a list, a source whose
    # labels come from a later call.
    overridden = [key for key in ANSWERS if answered_from_the_map(API, API.endpoint(key))]
    assert overridden == ["workspaces.list", "sources.create", "sources.update"]
    assert sum(answered_from_the_map(API, endpoint) for endpoint in API.endpoints) >= 25


def test_connecting_a_warehouse_answers_as_the_config_api_did_not_with_the_public_status():
    translation = translate(
        "PATCH", f"/v1beta/{WS}/sources/web/connected-warehouses", {"warehouse_id": "W9", "enabled": True}
    )
    assert config_answer(translation, [{"status": "CONNECTED"}], NAMES, API) == {}


@pytest.mark.parametrize(
    "path",
    [f"/v1beta/{WS}/sources/nope", f"/v1beta/{WS}/sources/web/destinations/nope", "/v1beta/catalog/sources/nope"],
)
def test_a_name_with_no_public_object_is_the_config_apis_own_404(path):
    """Code printing or matching a Config 404's message sees the same words through the translation
    as from the Config API (the emulator words them as the Config API does)."""
    import httpx

    from migrator.emulator.app import Emulator, Tokens
    from migrator.emulator.seed import build_demo
    from migrator.emulator.server import start_in_thread

    with start_in_thread(Emulator(build_demo(), Tokens("config", "ro", "sgp_x"), rate_limit=0)) as running:
        config = httpx.get(running.base_url + path, headers={"Authorization": "Bearer config"})
    with pytest.raises(UnknownId) as caught:
        translate("GET", path)
    assert config.status_code == caught.value.status == 404
    assert config.json() == {"error": str(caught.value), "code": caught.value.code}
