"""A broken or inconsistent map fails loading with one clear message naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from mappings import load_map
from migrator.errors import MapError


def corrupt(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text()
    assert old in text, f"fixture drifted: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def load_error(directory: Path) -> str:
    with pytest.raises(MapError) as caught:
        load_map(directory)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_copy_of_the_map_loads(copy):
    assert len(load_map(copy).endpoints) == 65


def test_invalid_toml_names_the_file(copy):
    corrupt(copy, "enums.toml", "[enum.regulation_type]", "[enum.regulation_type")
    message = load_error(copy)
    assert "enums.toml" in message and "invalid TOML" in message


def test_a_missing_file_is_named(copy):
    (copy / "fields.toml").unlink()
    assert "fields.toml: file is missing" in load_error(copy)


def test_a_public_twin_that_is_not_a_public_operation(copy):
    corrupt(copy, "endpoints.toml", 'path = "/sources/{sourceId}/settings"', 'path = "/sourcez/{sourceId}/settings"')
    message = load_error(copy)
    assert "endpoints.toml" in message
    assert "'schema_config.get' (row 14)" in message
    assert "/sourcez/{sourceId}/settings is not a Public API operation" in message


def test_an_unknown_placeholder(copy):
    corrupt(
        copy,
        "endpoints.toml",
        'path = "workspaces/{workspace_slug}/sources/{source_slug}/schema-config"',
        'path = "workspaces/{workspace_slug}/sources/{src}/schema-config"',
    )
    message = load_error(copy)
    assert "'schema_config.get' (row 14)" in message and "unknown placeholder {src}" in message


def test_an_unbound_public_id(copy):
    corrupt(
        copy,
        "endpoints.toml",
        'bind = { functionId = "id:function" }\n\n[[endpoint]]\nrow = 45',
        "bind = {}\n\n[[endpoint]]\nrow = 45",
    )
    message = load_error(copy)
    assert "'functions.get' (row 44)" in message and "unbound ['functionId']" in message


def test_an_id_the_config_path_cannot_name(copy):
    corrupt(
        copy,
        "endpoints.toml",
        'query = { sourceId = "id:source" }\n\n[[endpoint]]\nrow = 42',
        'query = { sourceId = "id:function" }\n\n[[endpoint]]\nrow = 42',
    )
    message = load_error(copy)
    assert "'source_connections.delete' (row 41)" in message and "does not name a function" in message


def test_a_wrong_type(copy):
    corrupt(copy, "endpoints.toml", "row = 7\n", 'row = "seven"\n')
    message = load_error(copy)
    assert "'catalog_destinations.list' (row seven)" in message and "row" in message


def test_an_unknown_key_is_refused(copy):
    corrupt(copy, "endpoints.toml", "row = 9\n", 'row = 9\nautomaton = "auto"\n')
    assert "automaton" in load_error(copy)


def test_a_duplicate_row(copy):
    corrupt(copy, "endpoints.toml", "row = 12\n", "row = 11\n")
    assert "row 11: two endpoints share this row number" in load_error(copy)


def test_a_twin_less_endpoint_without_a_manual_step(copy):
    corrupt(
        copy, "endpoints.toml", 'manual_step = "Review tokens in Settings', 'manual_note = "Review tokens in Settings'
    )
    assert "'access_tokens.list' (row 2)" in load_error(copy)


def test_a_one_to_one_enum_that_is_not(copy):
    corrupt(copy, "enums.toml", 'blacklist_fields = "DROP_PROPERTIES" }', 'blacklist_fields = "DROP" }')
    message = load_error(copy)
    assert "enum 'filter_action'" in message and "one_to_one" in message


def test_an_unknown_enum_in_a_field(copy):
    corrupt(copy, "fields.toml", 'enum = "track_violation"', 'enum = "track_violations"')
    message = load_error(copy)
    assert "fields.toml" in message and "resource 'schema_config'" in message and "track_violations" in message


def test_an_unknown_transform(copy):
    corrupt(copy, "fields.toml", 'transform = "config_to_settings"', 'transform = "config_to_setting"')
    message = load_error(copy)
    assert "resource 'destination'" in message and "config_to_setting" in message


def test_an_uncertain_kind_without_a_choice(copy):
    corrupt(copy, "resources.toml", 'choice = "Tracking plans are matched', 'choise = "Tracking plans are matched')
    assert "kind 'tracking_plan'" in load_error(copy)


def test_a_request_size_limit_for_every_public_path(copy):
    corrupt(copy, "protocol.toml", '{ prefix = "/", bytes = 26_214_400 },', "")
    assert 'protocol.toml: public.size_limits: needs a { prefix = "/", bytes = N } rule' in load_error(copy)


def test_a_read_that_supplies_a_field_the_resource_does_not_have(copy):
    corrupt(copy, "endpoints.toml", 'supplies = ["rules"]', 'supplies = ["rulez"]')
    message = load_error(copy)
    assert "tracking_plans.list" in message and "'rulez', which is not a field of tracking_plan" in message


def test_a_field_spelled_twice_the_same_way(copy):
    corrupt(
        copy,
        "fields.toml",
        'public = "inputPayload"\ntype = "string"\ntransform = "json_string"\ndirection = "response"',
        'public = "inputPayload"\ntype = "string"\ntransform = "json_string"',
    )
    assert "field spelling 'input' appears twice" in load_error(copy)
