"""Where the emulator must answer as Segment does, not as was easiest: each case a divergence found by
driving it with Segment's own SDK, its OpenAPI document and its pages."""

from __future__ import annotations

import pytest

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.filters import matches
from migrator.emulator.seed import build_demo
from migrator.translator import ConfigRequest, Translator, config_answer

from ..helpers import AsgiClient
from ..test_translator import API, NAMES
from .conftest import PUBLIC
from .test_public_conformance import data, errors


def _tracked_and_untracked(emulator: Emulator) -> tuple[str, str]:
    tracked = {source for plan in emulator.state.tracking_plans.values() for source in plan["sourceIds"]}
    untracked = next(source for source in emulator.state.sources if source not in tracked)
    return next(iter(tracked)), untracked


def test_schema_settings_of_a_source_without_a_tracking_plan_cannot_be_updated(public, emulator):
    _tracked, untracked = _tracked_and_untracked(emulator)
    answer = public.patch(f"/sources/{untracked}/settings", json={"track": {"allowUnplannedEvents": False}})
    assert errors(answer, 400, "bad-request")["message"] == "Source is not connected to a tracking plan"
    assert data(public.get(f"/sources/{untracked}/settings"))["sourceId"] == untracked


def test_the_overview_pages_block_spelling_is_accepted_and_stored_as_the_sdk_spells_it(public, emulator):
    tracked, _untracked = _tracked_and_untracked(emulator)
    body = {"identify": {"commonEventOnViolations": "Block"}, "track": {"commonEventOnViolations": "omit_properties"}}
    settings = data(public.patch(f"/sources/{tracked}/settings", json=body))["settings"]
    assert settings["identify"]["commonEventOnViolations"] == "BLOCK"
    assert settings["track"]["commonEventOnViolations"] == "OMIT_PROPERTIES"
    refused = public.patch(f"/sources/{tracked}/settings", json={"track": {"commonEventOnViolations": "Maybe"}})
    assert errors(refused, 422, "input-validation")["field"] == "track.commonEventOnViolations"


def test_invites_are_listed_as_emails_as_the_sdk_and_openapi_document_declare(public):
    assert data(public.get("/invites"))["invites"] == ["dee@acme.example"]


def test_the_translator_reads_the_emulated_invite_list_back_into_config_invites(public):
    translation = Translator(NAMES, API).translate(ConfigRequest("GET", "/v1beta/workspaces/acme/invites", {}, None))
    answer = config_answer(translation, [data(public.get("/invites"))], NAMES, API)
    assert [(invite["name"], invite["email"]) for invite in answer["invites"]] == [
        ("workspaces/acme/invites/dee@acme.example", "dee@acme.example")
    ]


EVENT = {"type": "track", "event": "Order Completed", "properties": {"total": 12, "gift": True}}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("all", True),
        ("type = 'track'", True),
        ('type = "track" AND event = "Order Completed"', True),
        ('type = "identify" OR (event != "x" and properties.total > 10)', True),
        ('NOT type = "track"', False),
        ('!(type = "track")', False),
        ('contains(event, "Order")', True),
        ('match(event, "Order*")', True),
        ("properties.gift = true", True),
        ("properties.total >= 13", False),
        ('properties.missing = "x"', False),
    ],
)
def test_filter_conditions_are_read_as_fql_as_segments_examples_write_them(condition, expected):
    assert matches(condition, EVENT) is expected


def _destination(public) -> tuple[str, str]:
    destination = data(public.get("/destinations"))["destinations"][0]
    return destination["id"], destination["sourceId"]


def test_a_malformed_condition_is_refused_on_create_update_and_preview_as_bad_input(public):
    destination, source = _destination(public)
    body = {"sourceId": source, "title": "t", "if": "type == track", "actions": [{"type": "DROP"}], "enabled": True}
    assert errors(public.post(f"/destination/{destination}/filters", json=body), 422, "input-validation")
    made = data(public.post(f"/destination/{destination}/filters", json={**body, "if": 'type = "track"'}))["filter"]
    update = public.patch(f"/destination/{destination}/filters/{made['id']}", json={"if": "(type = 'x'"})
    assert errors(update, 422, "input-validation")
    preview = {"filter": {"if": "type = ", "actions": [{"type": "DROP"}]}, "payload": EVENT}
    assert errors(public.post("/destination/filters/preview", json=preview), 422, "input-validation")


def test_fql_beyond_the_emulated_subset_is_stored_and_its_preview_says_it_is_not_emulated(public):
    destination, source = _destination(public)
    condition = "length(properties.sku) > 3"
    body = {"sourceId": source, "title": "t", "if": condition, "actions": [{"type": "DROP"}], "enabled": True}
    assert data(public.post(f"/destination/{destination}/filters", json=body))["filter"]["if"] == condition
    preview = {"filter": {"if": condition, "actions": [{"type": "DROP"}]}, "payload": EVENT}
    refused = errors(public.post("/destination/filters/preview", json=preview), 501, "not-implemented")
    assert "length()" in refused["message"]


def test_the_config_side_refuses_a_malformed_condition_too(config):
    body = {"filter": {"title": "t", "if": "type = ", "actions": [{"type": "drop_event"}], "enabled": True}}
    answer = config.post("/v1beta/workspaces/acme/sources/web/destinations/google-analytics/filters", json=body)
    assert answer.status_code == 400
    assert answer.json()["code"] == 3


def test_an_operation_not_emulated_says_so_before_checking_its_body(public):
    answer = public.post("/groups", json={})
    assert errors(answer, 501, "not-implemented")["message"] == "IAMGroupsApi.create_user_group is not emulated"


def test_with_the_rate_limit_off_no_client_is_told_to_wait():
    emulator = Emulator(build_demo(), Tokens("c", "r", PUBLIC), rate_limit=0)
    answer = AsgiClient(emulator, {"Authorization": f"Bearer {PUBLIC}"}).get("/sources")
    assert int(answer.headers["X-RateLimit-Remaining"]) > 0


@pytest.mark.parametrize("status", ["abc", "0", "200000", "302"])
def test_echo_refuses_a_status_it_cannot_answer_with_instead_of_failing(public, status):
    answer = public.get(f"/echo?message=hi&statusCode={status}")
    assert errors(answer, 422, "input-validation")["field"] == "statusCode"


def test_echo_answers_with_the_error_status_asked_for(public):
    assert public.get("/echo?message=hi&statusCode=503").status_code == 503


@pytest.mark.parametrize(
    ("collection", "required"), [("destinations", {}), ("sources", {}), ("warehouses", {"settings": {}})]
)
def test_a_null_in_a_patch_body_leaves_the_field_as_it_was(public, collection, required):
    item = data(public.get(f"/{collection}"))[collection][0]
    field = "enabled"
    answer = data(public.patch(f"/{collection}/{item['id']}", json={field: None, "name": None, **required}))
    updated = next(iter(answer.values()))
    assert updated[field] == item[field]
    assert updated.get("name") == item.get("name")


def test_a_null_in_a_create_body_is_the_default(public):
    plan = data(public.post("/tracking-plans", json={"name": "n", "type": "LIVE", "description": None}))
    assert plan["trackingPlan"]["description"] == ""
