"""Tests that pin the legacy request are updated with the code they test, and only then."""

from __future__ import annotations

import textwrap
from pathlib import Path

from codemods.engine import ApplyOptions, apply, migrate_source

from .support import IDS

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude"
TEST = f'''\
from unittest import mock

import runbook


def test_off():
    with mock.patch.object(runbook.requests, "patch") as patch:
        patch.return_value.json.return_value = {{"enabled": False}}
        assert runbook.off() is False
    assert patch.call_args.args[0] == "{URL}"
    sent = patch.call_args.kwargs["json"]
    assert sent == {{"destination": {{}}, "update_mask": {{"paths": ["destination.enabled"]}}}}
'''
RUNBOOK = f'''\
import requests


def off():
    body = {{"destination": {{}}, "update_mask": {{"paths": ["destination.enabled"]}}}}
    return requests.patch("{URL}", json=body).json()["enabled"]
'''


def migrated_test(**modules: frozenset[str]) -> str:
    outcome = migrate_source("tests/test_runbook.py", TEST, ApplyOptions(IDS, **modules))  # type: ignore[arg-type]
    assert outcome.error is None
    return outcome.new_source


def test_the_url_body_and_mocked_answer_follow_the_code_that_moved():
    after = migrated_test(moved_modules=frozenset({"runbook"}))
    expected = (
        TEST.replace(URL, "https://api.segmentapis.com/destinations/D_AMP")
        .replace('{"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}', '{"enabled": False}')
        .replace('return_value = {"enabled": False}', 'return_value = {"data": {"destination": {"enabled": False}}}')
    )
    assert after == expected


def test_a_test_of_code_that_still_calls_the_config_api_keeps_pinning_it():
    after = migrated_test(kept_modules=frozenset({"runbook"}))
    assert URL in after
    assert "this test pins the Config API request of `runbook`, which still calls it" in after


def test_a_test_of_code_outside_the_run_is_left_with_a_todo():
    after = migrated_test()
    assert URL in after and "the code it tests did not move in this run" in after


def test_apply_moves_the_code_first_then_its_tests(tmp_path: Path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "runbook.py").write_text(RUNBOOK)
    (tmp_path / "tests" / "test_runbook.py").write_text(TEST)
    result = apply([tmp_path], ApplyOptions(IDS), jobs=1)
    by_name = {Path(outcome.path).name: outcome for outcome in result.outcomes}
    assert "api.segmentapis.com/destinations/D_AMP" in by_name["runbook.py"].new_source
    assert "api.segmentapis.com/destinations/D_AMP" in by_name["test_runbook.py"].new_source
    assert "TODO" not in by_name["test_runbook.py"].new_source


def test_a_file_outside_tests_is_not_read_as_a_test():
    source = textwrap.dedent(f'CONFIG_URL = "{URL}"\n')
    assert migrate_source("settings.py", source, ApplyOptions(IDS)).new_source == source


LAYERED_CLIENT = """\
import requests

BASE = "https://platform.segmentapis.com/v1beta"


class Client:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + token

    def _send(self, method, path):
        return self.session.request(method, f"{BASE}/{path}").json()

    def sources(self):
        return self._send("GET", "workspaces/acme/sources")["sources"]
"""
WIRE_MOCKED_TEST = """\
import responses

from client import Client


@responses.activate
def test_sources():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={})
    assert Client("t").sources() == []


def test_sources_with_the_fixture(requests_mock):
    requests_mock.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={})
    assert Client("t").sources() == []
"""


def test_a_wire_level_mock_of_a_config_url_in_a_test_of_layered_code_is_flagged(tmp_path: Path):
    """`responses` and `requests_mock` answer below the library call: the layer sends the Public
    request, which they do not know, so each registration of a Config URL gets a TODO (nothing else
    changes: the test keeps saying what it expected)."""
    (tmp_path / "client.py").write_text(LAYERED_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_text(WIRE_MOCKED_TEST)
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert outcomes["client.py"].counts["compat"] == 1
    migrated = outcomes["test_client.py"].new_source
    todo = "# TODO(migrate): this test pins the Config API request at the HTTP level ({}), but the code"
    assert migrated.count(todo.format("responses")) == 1 and migrated.count(todo.format("requests_mock")) == 1
    without = "\n".join(line for line in migrated.splitlines() if "TODO(migrate)" not in line) + "\n"
    assert without == WIRE_MOCKED_TEST
    again = migrate_source(
        outcomes["test_client.py"].path, migrated, ApplyOptions(layered_modules=frozenset({"client"}))
    )
    assert again.new_source == migrated
