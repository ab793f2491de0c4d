"""The Config API side against the seed page and our Config API reference: error rows with their
gRPC codes, update_mask semantics, pagination, scopes, rate limits, slashes."""

from __future__ import annotations

import pytest

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.protocol import Faults
from migrator.emulator.seed import build_demo

from ..helpers import AsgiClient
from .conftest import CONFIG

WS = "/v1beta/workspaces/acme"
GA = f"{WS}/sources/web/destinations/google-analytics"


def error(response, status: int, code: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "code"}
    assert body["code"] == code
    return body["error"]


# --- the seed page's error table, row by row -----------------------------------------------------


def test_invalid_json_is_400_code_3(config):
    response = config.post(f"{WS}/sources", content=b"{'source': {'name': 'x'}}")
    assert "invalid JSON" in error(response, 400, 3)


def test_invalid_field_value_is_400_code_3(config):
    response = config.patch(GA, json={"destination": {"enabled": 5}, "update_mask": {"paths": ["destination.enabled"]}})
    assert "enabled" in error(response, 400, 3)


def test_missing_token_is_401_code_16(anonymous):
    error(anonymous.get(f"{WS}/sources"), 401, 16)


def test_invalid_token_is_401_code_16(emulator):
    error(AsgiClient(emulator, {"Authorization": "Bearer wrong"}).get(f"{WS}/sources"), 401, 16)


def test_public_token_is_not_a_config_token(public):
    error(public.get(f"{WS}/sources"), 401, 16)


def test_read_only_token_on_a_write_is_403_code_7_insufficient_scope(reader):
    response = reader.post(
        f"{WS}/sources", json={"source": {"name": "workspaces/acme/sources/new", "catalog_name": "catalog/sources/ios"}}
    )
    assert error(response, 403, 7) == "insufficient scope"
    assert reader.get(f"{WS}/sources").status_code == 200


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_read_only_token_on_update_and_delete(reader, method):
    assert error(reader.request(method, f"{WS}/sources/web", json={}), 403, 7) == "insufficient scope"


def test_unknown_path_is_404_code_5(config):
    error(config.get(f"{WS}/nothing-here"), 404, 5)


def test_wrong_method_is_404_code_5(config):
    error(config.request("PUT", f"{WS}/sources/web"), 404, 5)


def test_missing_resource_is_404_code_5(config):
    assert "not found" in error(config.get(f"{WS}/sources/no-such-source"), 404, 5)


def test_other_workspace_is_404_code_5(config):
    error(config.get("/v1beta/workspaces/someone-else/sources"), 404, 5)


def test_duplicate_source_is_409_code_6(config):
    body = {"source": {"name": "workspaces/acme/sources/web", "catalog_name": "catalog/sources/javascript"}}
    assert "already exists" in error(config.post(f"{WS}/sources", json=body), 409, 6)


def test_duplicate_destination_is_409_code_6_destination_already_exists(config):
    body = {"destination": {"name": GA, "connection_mode": "CLOUD", "config": []}}
    body["destination"]["name"] = GA.removeprefix("/v1beta/")
    assert "destination already exists" in error(config.post(f"{WS}/sources/web/destinations", json=body), 409, 6)


def test_rate_limit_is_429_code_8_after_200_a_minute(config, clock):
    for _ in range(200):
        assert config.get(f"{WS}").status_code == 200
    response = config.get(f"{WS}")
    error(response, 429, 8)
    assert int(response.headers["Retry-After"]) >= 1
    clock.advance(60)
    assert config.get(f"{WS}").status_code == 200


def test_rate_limit_is_per_token(config, reader):
    for _ in range(200):
        config.get(WS)
    error(config.get(WS), 429, 8)
    assert reader.get(WS).status_code == 200


def test_rate_limit_zero_turns_limits_off():
    emulator = Emulator(build_demo(), Tokens(CONFIG, "r", "p"), rate_limit=0)
    client = AsgiClient(emulator, {"Authorization": f"Bearer {CONFIG}"})
    assert all(client.get(WS).status_code == 200 for _ in range(250))


def test_unimplemented_shape_is_501_code_12(config):
    assert "not emulated" in error(config.get(f"{GA}/metrics"), 501, 12)


@pytest.mark.parametrize(("fault", "status", "code"), [("500", 500, 13), ("503", 503, 14), ("429", 429, 8)])
def test_injected_faults_use_the_table(fault, status, code):
    emulator = Emulator(build_demo(), Tokens(CONFIG, "r", "p"), faults=Faults.parse(f"{fault}=1"))
    error(AsgiClient(emulator, {"Authorization": f"Bearer {CONFIG}"}).get(WS), status, code)


def test_envoy_503_is_plain_text():
    emulator = Emulator(build_demo(), Tokens(CONFIG, "r", "p"), faults=Faults.parse("envoy=1"))
    response = AsgiClient(emulator, {"Authorization": f"Bearer {CONFIG}"}).get(WS)
    assert response.status_code == 503
    assert response.text == "upstream connect error or disconnect/reset before headers"


def test_faults_are_deterministic_under_a_seed():
    def sequence() -> list[int]:
        emulator = Emulator(build_demo(), Tokens(CONFIG, "r", "p"), faults=Faults.parse("500=0.3,503=0.2,seed=11"))
        client = AsgiClient(emulator, {"Authorization": f"Bearer {CONFIG}"})
        return [client.get(WS).status_code for _ in range(30)]

    first = sequence()
    assert first == sequence()
    assert {200, 500, 503} <= set(first)


# --- update_mask: the seed page's three cases -----------------------------------------------------


def enabled(config) -> bool:
    return config.get(GA).json()["enabled"]


def test_masked_path_with_value_sets_it(config):
    config.patch(GA, json={"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})
    assert enabled(config) is False
    response = config.patch(
        GA, json={"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}
    )
    assert response.status_code == 200 and response.json()["enabled"] is True


def test_masked_path_without_value_sets_the_zero_value(config):
    assert enabled(config) is True
    response = config.patch(GA, json={"destination": {}, "update_mask": {"paths": ["destination.enabled"]}})
    assert response.status_code == 200
    assert enabled(config) is False


def test_value_without_masked_path_changes_nothing(config):
    assert enabled(config) is True
    response = config.patch(GA, json={"destination": {"enabled": False}})
    assert response.status_code == 200
    assert enabled(config) is True


def test_mask_nested_inside_the_resource_as_on_the_seed_page(config):
    config.patch(GA, json={"destination": {"enabled": False, "update_mask": {"paths": ["destination.enabled"]}}})
    assert enabled(config) is False


def test_mask_and_fields_in_lower_camel_case(config):
    config.patch(
        f"{WS}/sources/web/schema-config",
        json={
            "schemaConfig": {"allowUnplannedTrackEvents": False},
            "updateMask": {"paths": ["schemaConfig.allowUnplannedTrackEvents"]},
        },
    )
    assert config.get(f"{WS}/sources/web/schema-config").json()["allow_unplanned_track_events"] is False


def test_mask_as_a_bare_string(config):
    config.patch(GA, json={"destination": {"enabled": False}, "update_mask": "destination.enabled"})
    assert enabled(config) is False


def test_string_booleans_are_accepted(config):
    config.patch(GA, json={"destination": {"enabled": "false"}, "update_mask": {"paths": ["destination.enabled"]}})
    assert enabled(config) is False


def test_config_items_merge_by_name(config):
    name = GA.removeprefix("/v1beta/") + "/config/anonymizeIp"
    config.patch(
        GA,
        json={
            "destination": {"config": [{"name": name, "value": False, "type": "boolean"}]},
            "update_mask": {"paths": ["destination.config"]},
        },
    )
    items = {item["name"].rsplit("/", 1)[1]: item["value"] for item in config.get(GA).json()["config"]}
    assert items["anonymizeIp"] is False
    assert items["trackingId"] == "UA-12345-1"


def test_filter_masks_use_unqualified_paths(config):
    filters = config.get(f"{GA}/filters").json()["filters"]
    name = filters[0]["name"]
    response = config.patch(
        f"/v1beta/{name}", json={"filter": {"title": "Renamed", "enabled": True}, "update_mask": {"paths": ["title"]}}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


# --- pagination, names, slashes -------------------------------------------------------------------


def test_pagination_walks_every_source_and_ends_with_an_empty_token(config):
    names, token, pages = [], None, 0
    while token != "":
        query = {"page_size": 4, **({"page_token": token} if token else {})}
        body = config.get(f"{WS}/sources", params=query).json()
        names += [source["name"] for source in body["sources"]]
        token = body["next_page_token"]
        pages += 1
    assert len(names) == len(set(names)) == 14
    assert pages == 4


def test_default_page_size_is_10_and_catalog_100(config):
    assert len(config.get(f"{WS}/sources").json()["sources"]) == 10
    assert config.get("/v1beta/catalog/destinations").json()["next_page_token"] == ""


def test_page_size_is_capped_at_100(config):
    body = config.get("/v1beta/catalog/sources", params={"page_size": 1000}).json()
    assert body["next_page_token"] == ""


def test_bad_page_token_is_400_code_3(config):
    error(config.get(f"{WS}/sources", params={"page_token": "not-a-token!"}), 400, 3)


def test_trailing_and_duplicate_slashes_are_tolerated(config):
    assert config.get("/v1beta//catalog/sources/").status_code == 200
    assert config.get(f"{WS}/sources/web/").json()["name"] == "workspaces/acme/sources/web"


def test_v1alpha_serves_the_same_paths(config):
    assert config.get("/v1alpha/workspaces/acme/sources/web").json() == config.get(f"{WS}/sources/web").json()


def test_resource_names_and_list_keys(config):
    body = config.get(f"{WS}/tracking-plans").json()
    assert set(body) == {"tracking_plans", "next_page_token"}
    plan = body["tracking_plans"][0]
    assert plan["name"].startswith("workspaces/acme/tracking-plans/rs_")
    connections = config.get(f"/v1beta/{plan['name']}/source-connections").json()["connections"]
    assert connections[0] == {
        "source_name": "workspaces/acme/sources/web",
        "tracking_plan_id": plan["name"].rsplit("/", 1)[1],
    }


def test_delete_answers_an_empty_object(config):
    assert config.delete(f"{WS}/sources/docs-site").json() == {}
    error(config.get(f"{WS}/sources/docs-site"), 404, 5)


def test_destinations_are_created_disabled_by_default(config):
    body = {
        "destination": {
            "name": "workspaces/acme/sources/web-staging/destinations/slack",
            "config": [
                {
                    "name": "workspaces/acme/sources/web-staging/destinations/slack/config/incomingWebhookUrl",
                    "value": "https://hooks.example/x",
                }
            ],
        }
    }
    created = config.post(f"{WS}/sources/web-staging/destinations", json=body).json()
    assert created["enabled"] is False
    assert created["connection_mode"] == "CLOUD"


def test_functions_are_addressed_by_workspace_id(config, emulator):
    workspace_id = emulator.state.workspace["configId"]
    functions = config.get(f"/v1beta/workspaces/{workspace_id}/functions", params={"type": "SOURCE"}).json()[
        "functions"
    ]
    assert {item["display_name"] for item in functions} >= {"Typeform Webhook"}
    error(config.get(f"/v1beta/workspaces/{workspace_id}/functions"), 400, 3)
    error(config.get("/v1beta/workspaces/acme/functions", params={"type": "SOURCE"}), 404, 5)


def test_regulation_create_and_status(config):
    response = config.post(
        f"{WS}/regulations",
        json={"regulation_type": "Suppress_With_Delete", "attributes": {"name": "userId", "values": ["u-1"]}},
    )
    regulate_id = response.json()["regulate_id"]
    status = config.get(f"{WS}/regulations/{regulate_id}").json()
    assert status["overall_status"] == "initialized"
    entries = config.get(f"{WS}/regulations", params={"regulation_types": "Suppress_With_Delete"}).json()["entries"]
    assert regulate_id in [entry["regulate_id"] for entry in entries]
    error(
        config.post(
            f"{WS}/regulations",
            json={"regulation_type": "Obliterate", "attributes": {"name": "userId", "values": ["u"]}},
        ),
        400,
        3,
    )


def test_access_tokens_can_no_longer_be_created(emulator):
    client = AsgiClient(emulator, {"Authorization": "Basic dXNlcjpwYXNz"})
    error(client.post("/v1beta/access-tokens", json={"access_token": {"description": "x"}}), 403, 7)


# --- bad input, and the choices recorded in mappings/protocol.toml [config_quirks] ---------------


def test_unknown_field_is_400_code_3(config):
    body = {"source": {"name": "workspaces/acme/sources/z", "catalog_name": "catalog/sources/ios", "colour": "red"}}
    assert 'unknown field "colour"' in error(config.post(f"{WS}/sources", json=body), 400, 3)


def test_wrong_type_in_a_body_is_400_code_3(config):
    assert "must be an object" in error(config.post(f"{WS}/sources", json={"source": "web"}), 400, 3)


def test_choice_huge_body_is_400_code_3_on_the_config_side(config):
    response = config.post(f"{WS}/sources", content=b'{"source": "' + b"x" * 26_300_000 + b'"}')
    assert "too large" in error(response, 400, 3)
    assert config.get(WS).status_code == 200


def test_choice_missing_filter_is_404_code_5(config):
    assert "does not exist" in error(config.get(f"{GA}/filters/df_missing"), 404, 5)


def test_choice_source_connects_to_one_plan_only(config):
    plans = config.get(f"{WS}/tracking-plans", params={"page_size": 100}).json()["tracking_plans"]
    other = next(p for p in plans if p["display_name"] == "Support Plan")
    response = config.post(
        f"/v1beta/{other['name']}/source-connections", json={"source_name": "workspaces/acme/sources/web"}
    )
    assert "already connected" in error(response, 409, 6)


def test_a_handler_crash_is_500_code_13_and_the_server_keeps_serving(config, emulator, monkeypatch):
    def broken(call):
        raise RuntimeError("boom")

    monkeypatch.setitem(emulator.config_api.handlers, "workspaces.get", broken)
    assert error(config.get(WS), 500, 13) == "internal error"
    assert config.get(f"{WS}/sources").status_code == 200
