"""The proxy's proof: legacy scripts behave the same against the Config API and through the proxy."""

from __future__ import annotations

import difflib
import json

import httpx

from migrator.clients import ConfigClient, PublicClient
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.proxy import LiveNames, Proxy
from migrator.resolver import Resolver

from .helpers import proxied_workspace
from .legacy_runner import SCRIPTS, comparable_state, run_scripts


def test_legacy_scripts_behave_the_same_through_the_proxy():
    with proxied_workspace("sgp_behind") as workspace:
        direct, behind = workspace.direct, workspace.behind
        config_calls_before = behind.requests_by_side["config"]
        legacy = run_scripts(workspace.direct_url, "config-token")
        migrated = run_scripts(workspace.proxy_url, "sgp_behind")  # the caller's Public token, where its Config one was
    assert [run.script for run in legacy] == SCRIPTS
    for old, new in zip(legacy, migrated, strict=True):
        assert old.returncode == 0, f"{old.script} failed against the Config API:\n{old.stderr}"
        assert new.returncode == 0, f"{new.script} failed through the proxy:\n{new.stderr}"
        assert old.stdout == new.stdout, f"{old.script}:\n" + "\n".join(
            difflib.unified_diff(old.stdout.splitlines(), new.stdout.splitlines(), "config", "proxy", lineterm="")
        )
    before = comparable_state(direct.state.fingerprint())
    after = comparable_state(behind.state.fingerprint())
    assert after == before, "\n".join(
        difflib.unified_diff(
            json.dumps(before, indent=1, sort_keys=True).splitlines(),
            json.dumps(after, indent=1, sort_keys=True).splitlines(),
            "state after the Config API",
            "state after the proxy",
            lineterm="",
        )
    )
    assert behind.requests_by_side["config"] == config_calls_before, "the proxy must only use the Public API"
    assert legacy[1].stdout.startswith("source workspaces/acme/sources/kiosk catalog/sources/ios")
    assert "still forwarding to: web-staging" in legacy[6].stdout


def test_a_source_created_with_a_new_label_gets_it_as_the_config_api_gave_it():
    """Public labels must exist before a source can carry them; the Config API made them itself.
    The translation creates each label first, and one that exists already (409) is no failure."""
    emulator = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_labels"), rate_limit=0)
    with start_in_thread(emulator) as server:
        public = PublicClient.connect(server.base_url, "sgp_labels")
        id_map = Resolver(public, ConfigClient.connect(server.config_url, "config-token", per_minute=0)).run().id_map
        proxy = Proxy(public, LiveNames(public, id_map))
        assert "team:new-team" not in emulator.state.labels and "env:prod" in emulator.state.labels
        status, answer = proxy.handle(
            "POST",
            "/v1beta/workspaces/acme/sources",
            {},
            {
                "source": {
                    "name": "workspaces/acme/sources/kiosk",
                    "catalog_name": "catalog/sources/ios",
                    "labels": {"env": "prod", "team": "new-team"},
                }
            },
        )
        assert status == 200, answer
        assert answer["labels"] == {"env": "prod", "team": "new-team"}
        status, answer = proxy.handle(
            "PATCH",
            "/v1beta/workspaces/acme/sources/kiosk",
            {},
            {"source": {"labels": {"team": "new-team"}}, "update_mask": {"paths": ["source.labels"]}},
        )
        assert status == 200, answer
    kiosk = next(source for source in emulator.state.sources.values() if source["slug"] == "kiosk")
    assert kiosk["labels"] == [{"key": "team", "value": "new-team"}]
    assert "team:new-team" in emulator.state.labels


def test_a_duplicate_create_answers_the_config_apis_conflict_word_for_word():
    """Code matching the Config API's 409 message (`destination already exists`, as Segment's partner
    app did) gets the same body through the translation as from the Config API."""
    emulator = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_dupes"), rate_limit=0)
    with start_in_thread(emulator) as server:
        public = PublicClient.connect(server.base_url, "sgp_dupes")
        id_map = Resolver(public, ConfigClient.connect(server.config_url, "config-token", per_minute=0)).run().id_map
        proxy = Proxy(public, LiveNames(public, id_map))
        config = httpx.Client(base_url=server.config_url, headers={"Authorization": "Bearer config-token"})
        creates = [
            (
                "sources",
                {"source": {"name": "workspaces/acme/sources/web", "catalog_name": "catalog/sources/javascript"}},
            ),
            (
                "sources/web/destinations",
                {"destination": {"name": "workspaces/acme/sources/web/destinations/google-analytics", "enabled": True}},
            ),
        ]
        for path, body in creates:
            direct = config.post(f"/workspaces/acme/{path}", json=body)
            status, answer = proxy.handle("POST", f"/v1beta/workspaces/acme/{path}", {}, body)
            assert (status, answer) == (direct.status_code, direct.json()) == (409, answer)
            assert answer["code"] == 6 and " already exists: workspaces/acme/sources/" in answer["error"]


def _keys(value: object, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found |= {prefix + key, *_keys(inner, f"{prefix}{key}.")}
    elif isinstance(value, list):
        for item in value[:3]:
            found |= _keys(item, prefix + "[].")
    return found


READ_PATHS = [
    "workspaces/acme",
    "workspaces/acme/sources",
    "workspaces/acme/sources/web",
    "workspaces/acme/sources/web/destinations",
    "workspaces/acme/sources/web/destinations/google-analytics",
    "workspaces/acme/tracking-plans",
    "workspaces/acme/sources/web/schema-config",
    "workspaces/acme/regulations",
    "workspaces/acme/sources/web/destinations/google-analytics/filters",
    "catalog/destinations/google-analytics",
]
NOT_CARRIED = "library_config."
"""The only keys still missing: the Public API has no library settings, and the map answers `{}`."""


def test_every_key_a_config_answer_had_is_there_through_the_proxy():
    with proxied_workspace("sgp_keys") as workspace:
        for path in READ_PATHS:
            before = httpx.get(
                f"{workspace.direct_url}/v1beta/{path}", headers={"Authorization": "Bearer config-token"}
            )
            after = httpx.get(f"{workspace.proxy_url}/v1beta/{path}", headers={"Authorization": "Bearer sgp_keys"})
            assert before.status_code == after.status_code == 200, path
            missing = {key for key in _keys(before.json()) - _keys(after.json()) if NOT_CARRIED not in key}
            assert not missing, f"{path}: {sorted(missing)}"
