"""The payloads codemod: Config request bodies become Public ones, computed by the translator.
Before/after pairs, then the bodies left alone, named for the reason."""

from __future__ import annotations

import pytest

from .support import assert_codemod, migrate

LEGACY = 'import json\nimport requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n'
PUBLIC = 'import json\nimport requests\n\nAPI = "https://api.segmentapis.com"\n'
DESTINATION = "/workspaces/acme/sources/web/destinations/amplitude"


def test_update_mask_goes_and_the_masked_value_stays():
    assert_codemod(
        LEGACY + f'def turn(on):\n    requests.patch(f"{{API}}{DESTINATION}", json={{"destination": {{"enabled": on}}, '
        '"update_mask": {"paths": ["destination.enabled"]}})\n',
        PUBLIC + 'def turn(on):\n    requests.patch(f"{API}/destinations/D_AMP", json={"enabled": on})\n',
    )


def test_a_masked_field_without_a_value_gets_its_zero_value():
    assert_codemod(
        LEGACY + f'requests.patch(f"{{API}}{DESTINATION}", json={{"destination": {{}}, '
        '"update_mask": {"paths": ["destination.enabled"]}})\n',
        PUBLIC + 'requests.patch(f"{API}/destinations/D_AMP", json={"enabled": False})\n',
    )


def test_a_value_outside_the_mask_is_dropped_as_the_config_api_ignored_it():
    assert_codemod(
        LEGACY
        + f'requests.patch(f"{{API}}{DESTINATION}", json={{"destination": {{"enabled": True, "display_name": "x"}}, '
        '"update_mask": {"paths": ["destination.enabled"]}})\n',
        PUBLIC + 'requests.patch(f"{API}/destinations/D_AMP", json={"enabled": True})\n',
    )


def test_a_body_in_a_variable_sent_as_json_dumps_is_rewritten_where_it_is_written():
    assert_codemod(
        LEGACY + "def forget(user):\n" + "    payload = {'regulation_type': 'Suppress_With_Delete', "
        "'attributes': {'name': 'userId', 'values': [user]}}\n"
        + '    requests.post(f"{API}/workspaces/acme/regulations", data=json.dumps(payload))\n',
        PUBLIC
        + "def forget(user):\n"
        + "    payload = {'regulationType': 'SUPPRESS_WITH_DELETE', 'subjectType': 'USER_ID', 'subjectIds': [user]}\n"
        + '    requests.post(f"{API}/regulations", data=json.dumps(payload))\n',
    )


def test_a_put_becomes_the_public_patch():
    assert_codemod(
        LEGACY
        + 'requests.put(f"{API}/workspaces/acme/tracking-plans/rs_1", json={"tracking_plan": {"display_name": "Docs"}, '
        '"update_mask": {"paths": ["tracking_plan.display_name"]}})\n',
        PUBLIC + 'requests.patch(f"{API}/tracking-plans/tp_1", json={"name": "Docs"})\n',
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            '{"destination": {"enabled": on}, "update_mask": {"paths": masked}}',
            "an update_mask path is computed at run time",
            id="a-computed-mask",
        ),
        pytest.param(
            '{"regulation_type": kind, "attributes": {"name": "userId", "values": ["u"]}}',
            "the body does not translate",
            id="an-enum-value-the-code-computes",
        ),
        pytest.param("body_of(on)", "the body is not a dict literal", id="built-by-a-function"),
        pytest.param('{**base, "enabled": on}', "the body has a computed key", id="a-spread-dict"),
    ],
)
def test_a_body_the_codemod_cannot_prove_leaves_the_call_with_the_reason(body, reason):
    source = LEGACY + f'def turn(on, masked, kind):\n    requests.patch(f"{{API}}{DESTINATION}", json={body})\n'
    if "regulation_type" in body:
        source = source.replace(f'patch(f"{{API}}{DESTINATION}"', 'post(f"{API}/workspaces/acme/regulations"')
    after = migrate(source)
    assert reason in after and "TODO(migrate)" in after
    assert "platform.segmentapis.com" in after


def test_a_value_the_public_api_wants_in_another_form_is_not_passed_through():
    """`name` becomes a slug on the Public API: the code's value cannot be sent as it is."""
    after = migrate(
        LEGACY + "def create(name):\n" + '    requests.post(f"{API}/workspaces/acme/sources", '
        'json={"source": {"name": name, "catalog_name": "catalog/sources/ios"}})\n'
    )
    assert "TODO(migrate)" in after and "platform.segmentapis.com" in after


def test_keys_set_after_the_body_is_built_are_set_on_the_public_body():
    """The mask's zero value stands until the key is set, as the Config API read it."""
    assert_codemod(
        LEGACY
        + "def turn(on):\n"
        + '    body = {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        + "    if on:\n"
        + '        body["destination"]["enabled"] = True\n'
        + f'    requests.patch(f"{{API}}{DESTINATION}", json=body)\n',
        PUBLIC
        + "def turn(on):\n"
        + '    body = {"enabled": False}\n'
        + "    if on:\n"
        + '        body["enabled"] = True\n'
        + '    requests.patch(f"{API}/destinations/D_AMP", json=body)\n',
    )


def test_a_key_set_outside_the_mask_is_not_rewritten():
    """The Config API ignored it; dropping the assignment is not the codemod's call."""
    after = migrate(
        LEGACY
        + "def turn(name):\n"
        + '    body = {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        + '    body["destination"]["display_name"] = name\n'
        + f'    requests.patch(f"{{API}}{DESTINATION}", json=body)\n'
    )
    assert "no one place in the Public body" in after and "platform.segmentapis.com" in after


def test_a_body_changed_other_than_by_setting_a_key_is_not_rewritten():
    after = migrate(
        LEGACY
        + "def turn(extra):\n"
        + '    body = {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        + "    body.update(extra)\n"
        + f'    requests.patch(f"{{API}}{DESTINATION}", json=body)\n'
    )
    assert "`body` is also used elsewhere" in after


def test_a_key_set_from_a_computed_key_is_not_rewritten():
    after = migrate(
        LEGACY
        + "def turn(field, value):\n"
        + '    body = {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        + '    body["destination"][field] = value\n'
        + f'    requests.patch(f"{{API}}{DESTINATION}", json=body)\n'
    )
    assert "`body` is also used elsewhere" in after


def test_a_sequence_whose_answer_is_read_is_left_alone():
    """The Public PATCH of a plan answers a status; the Config PUT answered the plan."""
    after = migrate(
        LEGACY + 'plan = requests.put(f"{API}/workspaces/acme/tracking-plans/rs_1", json={"tracking_plan": '
        '{"display_name": "Docs"}, "update_mask": {"paths": ["tracking_plan.display_name"]}}).json()\n'
    )
    assert "the Public write answers a status only" in after and "platform.segmentapis.com" in after


def test_a_config_call_needing_two_public_writes_becomes_two_statements():
    """Renaming a plan and replacing its rules were one Config PUT; they are two Public writes."""
    body = (
        '{"tracking_plan": {"display_name": "Docs", "rules": {"events": []}}, '
        '"update_mask": {"paths": ["tracking_plan.display_name", "tracking_plan.rules"]}}'
    )
    assert_codemod(
        LEGACY
        + "# rename and reset\n"
        + f'requests.put(f"{{API}}/workspaces/acme/tracking-plans/rs_1", json={body}).raise_for_status()\n',
        PUBLIC
        + '# rename and reset\nrequests.patch(f"{API}/tracking-plans/tp_1", json={"name": "Docs"}).raise_for_status()\n'
        + 'requests.put(f"{API}/tracking-plans/tp_1/rules", json={"rules": []}).raise_for_status()\n',
    )


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        pytest.param("plan = {call}.json()", "its answer is used", id="the-answer-is-read"),
        pytest.param("{call}", "must be all constants", id="a-value-the-code-computes"),
    ],
)
def test_two_public_writes_are_not_generated(statement, reason):
    name = "name" if "json()" not in statement else '"Docs"'
    body = (
        f'{{"tracking_plan": {{"display_name": {name}, "rules": {{"events": []}}}}, '
        '"update_mask": {"paths": ["tracking_plan.display_name", "tracking_plan.rules"]}}'
    )
    call = f'requests.put(f"{{API}}/workspaces/acme/tracking-plans/rs_1", json={body})'
    after = migrate(LEGACY + "name = 'Docs'\n" + statement.format(call=call) + "\n")
    assert reason in after and "platform.segmentapis.com" in after


def test_a_sequence_whose_only_write_answers_the_resource_is_rewritten_with_its_reads():
    """Source creation becomes POST /sources (+ labels, none here); its answer is the source."""
    assert_codemod(
        LEGACY + 's = requests.post(f"{API}/workspaces/acme/sources", json={"source": {"name": '
        '"workspaces/acme/sources/kiosk", "catalog_name": "catalog/sources/ios"}}).json()\nprint(s["display_name"])\n',
        PUBLIC + 's = requests.post(f"{API}/sources", json={"slug": "kiosk", "enabled": True, "metadataId": "CAT_IOS"})'
        '.json()\nprint(s["data"]["source"]["name"])\n',
    )


def test_a_config_array_becomes_settings_and_the_code_s_value_passes_through():
    name = "workspaces/acme/sources/web/destinations/amplitude/config/apiKey"
    item = f'{{"name": "{name}", "value": key, "type": "string"}}'
    assert_codemod(
        LEGACY
        + "def connect(key):\n"
        + '    requests.post(f"{API}/workspaces/acme/sources/web/destinations", json={"destination": '
        + f'{{"name": "workspaces/acme/sources/web/destinations/amplitude", "enabled": True, "config": [{item}]}}}})\n',
        PUBLIC
        + "def connect(key):\n"
        + '    requests.post(f"{API}/destinations", json={"sourceId": "S_WEB", "metadataId": "CATD_AMP", '
        + '"enabled": True, "settings": {"apiKey": key}})\n',
    )


def test_filter_actions_are_mapped_to_the_public_enum():
    assert_codemod(
        LEGACY
        + f'requests.post(f"{{API}}{DESTINATION}/filters", json={{"filter": {{"title": "Bots", "if": "all", '
        + '"actions": [{"type": "drop_event"}], "enabled": True}})\n',
        PUBLIC
        + 'requests.post(f"{API}/destination/D_AMP/filters", json={"title": "Bots", "if": "all", '
        + '"actions": [{"type": "DROP"}], "enabled": True, "sourceId": "S_WEB"})\n',
    )


def test_nothing_changes_for_a_mask_path_computed_at_run_time_and_the_todo_says_so_plainly():
    source = (
        LEGACY
        + "H = {}\n"
        + "def go(field):\n"
        + '    body = {"destination": {}, "update_mask": {"paths": [field]}}\n'
        + '    requests.patch(f"{API}/workspaces/acme/sources/web/destinations/amplitude", json=body, headers=H)\n'
    )
    after = migrate(source)
    assert "an update_mask path is computed at run time, and the Public body must name each changed field" in after
    assert "\\x00" not in after and "migrate-value" not in after
    assert after.replace(after.splitlines()[-2] + "\n", "") == source


@pytest.mark.parametrize(
    "body", ["{}", "None", '""', "payload"], ids=["empty-dict", "none", "empty-string", "bound-empty"]
)
def test_an_empty_form_body_is_no_body(body: str):
    """requests sends nothing for `data={}` (nor for a variable bound once to it): nothing to translate."""
    source = (
        LEGACY
        + 'H = {}\npayload = {}\n\nr = requests.request("GET", API + "/workspaces/acme/sources/web", '
        + f"headers=H, data={body})\nr.raise_for_status()\n"
    )
    after = migrate(source)
    assert f'r = requests.request("GET", f"{{API}}/sources/S_WEB", headers=H, data={body})' in after
    assert "TODO(migrate)" not in after


def test_nothing_changes_when_the_variable_sent_as_a_form_body_is_filled_later():
    source = (
        LEGACY
        + 'H = {}\npayload = {}\npayload["x"] = 1\n\n'
        + 'r = requests.request("GET", API + "/workspaces/acme/sources/web", headers=H, data=payload)\n'
        + "r.raise_for_status()\n"
    )
    assert "the body is sent as form data" in migrate(source)
