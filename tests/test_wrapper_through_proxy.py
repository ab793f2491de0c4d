"""The PyPI `segment-config-api` wrapper, nobody here wrote it: each of its methods called directly
against the emulator's Config side and through the proxy (its caller's Public token where its Config
token was), on two copies of one workspace. The same status and the same fields, call by call; only
the fields the map records as not carried by the Public API (`drop = true`) may be missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from segment_config_api.api import SegmentConfigApi

from mappings import load_map

from .helpers import proxied_workspace

Call = Callable[[SegmentConfigApi], Any]

GA_FILTER = {
    "filter": {
        "title": "drop tests",
        "if": "event = 'Test'",
        "actions": [{"type": "drop_event"}],
        "enabled": True,
    }
}

CALLS: list[tuple[str, Call]] = [
    ("workspaces.list", lambda api: api.workspaces.list()),
    ("workspace.get", lambda api: api.workspace("acme").get()),
    ("sources.list", lambda api: api.workspace("acme").sources.list()),
    ("sources.list paged", lambda api: api.workspace("acme").sources.list(page_size=3)),
    ("source.get", lambda api: api.workspace("acme").source("web").get()),
    ("source.get missing", lambda api: api.workspace("acme").source("no-such-source").get()),
    (
        "sources.create",
        lambda api: api.workspace("acme").sources.create(
            {"source": {"name": "workspaces/acme/sources/wrapper-made", "catalog_name": "catalog/sources/ios"}}
        ),
    ),
    (
        "sources.create duplicate",
        lambda api: api.workspace("acme").sources.create(
            {"source": {"name": "workspaces/acme/sources/web", "catalog_name": "catalog/sources/javascript"}}
        ),
    ),
    ("destinations.list", lambda api: api.workspace("acme").source("web").destinations.list()),
    (
        "destinations.create duplicate",
        lambda api: (
            api.workspace("acme")
            .source("web")
            .destinations.create(
                {
                    "destination": {
                        "name": "workspaces/acme/sources/web/destinations/google-analytics",
                        "connection_mode": "CLOUD",
                        "enabled": True,
                        "config": [],
                    }
                }
            )
        ),
    ),
    (
        "batch summary metrics",
        lambda api: api.workspace("acme").batch_get_summary_metrics([{"source": "web", "destination": "mixpanel"}]),
    ),
    ("destination.get", lambda api: api.workspace("acme").source("web").destination("google-analytics").get()),
    (
        "destination.update",
        lambda api: (
            api.workspace("acme")
            .source("web")
            .destination("google-analytics")
            .update({"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})
        ),
    ),
    (
        "destination_filters.list",
        lambda api: api.workspace("acme").source("web").destination("google-analytics").destination_filters.list(),
    ),
    (
        "destination_filters.create",
        lambda api: (
            api.workspace("acme").source("web").destination("google-analytics").destination_filters.create(GA_FILTER)
        ),
    ),
    ("schema_config.get", lambda api: api.workspace("acme").source("web").get_schema_config()),
    ("tracking_plans.list", lambda api: api.workspace("acme").tracking_plans.list()),
    (
        "tracking_plans.create",
        lambda api: api.workspace("acme").tracking_plans.create(
            {"tracking_plan": {"display_name": "Wrapper Plan", "rules": {"events": []}}}
        ),
    ),
    ("regulations.list", lambda api: api.workspace("acme").regulations.list()),
    ("suppressed_users.list", lambda api: api.workspace("acme").suppressed_users.list()),
    ("roles.list", lambda api: api.workspace("acme").roles.list()),
    ("invites.list", lambda api: api.workspace("acme").invites.list()),
    ("catalog sources", lambda api: api.integrations_catalog.sources.list()),
    ("catalog destinations", lambda api: api.integrations_catalog.destinations.list()),
    (
        "filter preview",
        lambda api: api.destination_filters.preview(
            {
                "filter": {"if": "event = 'Test'", "actions": [{"type": "drop_event"}]},
                "input": '{"type": "track", "event": "Test"}',
            }
        ),
    ),
    ("source.delete", lambda api: api.workspace("acme").source("docs-site").delete("docs-site")),
]


def outcome(api: SegmentConfigApi, call: Call) -> tuple[int, Any]:
    try:
        return 200, call(api)
    except requests.HTTPError as error:
        return error.response.status_code, None


def shape(value: Any, dropped: frozenset[str], where: str = "") -> set[str]:
    """Every field path in an answer (list items merged), less the fields the map drops."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            if key in dropped:
                continue
            path = f"{where}.{key}" if where else key
            paths |= {path} | shape(item, dropped, path)
        return paths
    if isinstance(value, list):
        return set().union(*(shape(item, dropped, f"{where}[]") for item in value)) if value else set()
    return set()


@pytest.fixture(scope="module")
def both_sides() -> list[tuple[str, tuple[int, Any], tuple[int, Any]]]:
    with proxied_workspace("sgp_behind") as workspace:
        legacy = SegmentConfigApi("config-token")
        legacy.base_url = f"{workspace.direct_url}/v1beta/"
        proxied = SegmentConfigApi("sgp_behind")
        proxied.base_url = f"{workspace.proxy_url}/v1beta/"
        return [(name, outcome(legacy, call), outcome(proxied, call)) for name, call in CALLS]


DROPPED = load_map().not_carried


@pytest.mark.parametrize("index", range(len(CALLS)), ids=[name for name, _ in CALLS])
def test_each_wrapper_method_answers_alike_direct_and_through_the_proxy(both_sides, index):
    name, (status, answer), (proxied_status, proxied_answer) = both_sides[index]
    assert proxied_status == status, f"{name}: {status} direct, {proxied_status} through the proxy"
    missing = shape(answer, DROPPED) - shape(proxied_answer, DROPPED)
    assert not missing, f"{name}: fields missing through the proxy: {sorted(missing)}"


def test_the_comparison_reaches_errors_and_answers_alike(both_sides):
    statuses = {status for _name, (status, _answer), _proxied in both_sides}
    assert {200, 404, 409, 501} <= statuses
