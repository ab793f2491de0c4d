"""The resolver against the emulator's demo workspace: every kind, ambiguity reported, the minimum
number of calls, the same map under injected faults, Public-only mode, and failures part way."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from migrator.clients import ConfigClient, PublicClient
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.protocol import Faults
from migrator.emulator.seed import build_demo
from migrator.emulator.server import RunningEmulator, start_in_thread
from migrator.errors import AuthenticationError, UsageError
from migrator.resolver import Resolver
from migrator.transport import RetryPolicy

FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def no_sleep(seconds: float) -> None:
    """Retries and pacing in tests wait through this: the emulator is local, nothing needs real time."""


@pytest.fixture
def running() -> Iterator[RunningEmulator]:
    with start_in_thread(Emulator(build_demo(), Tokens("cfg", "ro", "pub"), rate_limit=0)) as server:
        yield server


def clients(server: RunningEmulator, *, config: bool = True, transport: httpx.BaseTransport | None = None):
    retry = RetryPolicy(attempts=8, jitter=random.Random(3))
    public = PublicClient.connect(server.base_url, "pub", retry=retry, sleep=no_sleep)
    config_client = (
        ConfigClient.connect(server.config_url, "cfg", per_minute=0, retry=retry, sleep=no_sleep, transport=transport)
        if config
        else None
    )
    return public, config_client


def resolve(server: RunningEmulator, **options):
    public, config = clients(server, config=options.pop("config", True), transport=options.pop("transport", None))
    return Resolver(public, config, now=lambda: FIXED, **options).run()


def entries_of(result):
    return [entry.model_dump() for entry in result.id_map.entries]


def test_every_kind_is_resolved(running):
    result = resolve(running)
    summary = result.id_map.summary()
    assert set(summary) == {
        "workspace",
        "source",
        "destination",
        "filter",
        "tracking_plan",
        "function",
        "catalog_source",
        "catalog_destination",
        "warehouse",
    }
    assert summary["source"] == {"matched": 14, "ambiguous": 0, "missing": 0, "public_only": 0}
    assert summary["filter"]["matched"] == 4  # and one on a destination whose Config name is ambiguous
    assert summary["filter"]["public_only"] == 1
    assert summary["function"]["matched"] == 5
    assert result.id_map.complete


def test_the_two_instance_destination_is_ambiguous_with_both_candidates(running):
    result = resolve(running)
    entry = result.id_map.by_name("destination", "workspaces/acme/sources/web/destinations/mixpanel")
    assert entry is not None and entry.status == "ambiguous" and entry.public_id is None
    state = running.emulator.state
    web = state.source_by_slug("web")
    expected = {d["id"] for d in state.destinations_of(web["id"], "mixpanel")}
    assert {candidate.public_id for candidate in entry.candidates} == expected
    assert {candidate.display_name for candidate in entry.candidates} == {"Mixpanel (prod)", "Mixpanel (dev)"}
    assert entry.metadata_id == state.catalog_destination_by_slug("mixpanel")["id"]


def test_duplicate_plan_names_are_ambiguous_and_single_ones_match(running):
    result = resolve(running)
    plans = [entry for entry in result.id_map.entries if entry.kind == "tracking_plan"]
    assert sorted(entry.display_name for entry in plans if entry.status == "ambiguous") == [
        "Legacy Plan",
        "Legacy Plan",
    ]
    web = next(entry for entry in plans if entry.display_name == "Web Tracking Plan")
    state = running.emulator.state
    plan = next(p for p in state.tracking_plans.values() if p["name"] == "Web Tracking Plan")
    assert web.status == "matched" and web.public_id == plan["id"]
    assert web.config_name == f"workspaces/acme/tracking-plans/{plan['configId']}"


def test_ids_match_the_state(running):
    result = resolve(running)
    state = running.emulator.state
    for source in state.sources.values():
        entry = result.id_map.by_name("source", f"workspaces/acme/sources/{source['slug']}")
        assert entry is not None and entry.public_id == source["id"]
    for function in state.functions.values():
        name = f"workspaces/{state.workspace['configId']}/functions/{function['configId']}"
        assert result.id_map.by_name("function", name).public_id == function["id"]
    for item in state.filters.values():
        entry = next(e for e in result.id_map.entries if e.kind == "filter" and e.public_id == item["id"])
        destination = state.destinations[item["destinationId"]]
        slug = state.catalog_destinations[destination["metadataId"]]["slug"]
        if len(state.destinations_of(destination["sourceId"], slug)) > 1:
            assert entry.config_name is None  # its destination's Config name is ambiguous: no Config name reaches it
            continue
        assert entry.config_name.endswith(item["configId"]) and entry.status == "matched"


def test_calls_equal_the_minimum(running):
    result = resolve(running)
    summary = result.summary()
    assert summary["api_calls"]["total"] == summary["minimum_calls"]
    assert summary["calls_to_minimum"] == 1.0
    assert running.emulator.requests == summary["http_attempts"]["total"]


def test_the_same_map_comes_out_under_429s_and_5xx():
    clean = Emulator(build_demo(), Tokens("cfg", "ro", "pub"), rate_limit=0)
    faulty = Emulator(
        build_demo(),
        Tokens("cfg", "ro", "pub"),
        rate_limit=0,
        faults=Faults.parse("429=0.10,500=0.025,503=0.025,seed=5"),
    )
    with start_in_thread(clean) as one, start_in_thread(faulty) as two:
        expected = resolve(one)
        got = resolve(two)
    assert entries_of(got) == entries_of(expected)
    assert got.summary()["retries"]["total"] > 0
    assert got.summary()["api_calls"]["total"] == expected.summary()["api_calls"]["total"]


def test_public_token_only(running):
    result = resolve(running, config=False)
    assert result.summary()["api_calls"].get("config") is None
    summary = result.id_map.summary()
    assert summary["source"]["matched"] == 14
    assert summary["tracking_plan"] == {"matched": 0, "ambiguous": 0, "missing": 0, "public_only": 12}
    plan = next(entry for entry in result.id_map.entries if entry.kind == "tracking_plan")
    assert "Config API" in plan.note
    assert result.id_map.workspace.config_id is None


def test_a_workspace_that_does_not_match_the_token(running):
    with pytest.raises(UsageError, match="does not match"):
        resolve(running, workspace="globex")


def test_a_wrong_config_token_stops_the_run(running):
    public = PublicClient.connect(running.base_url, "pub", sleep=no_sleep)
    config = ConfigClient.connect(running.config_url, "wrong", per_minute=0, sleep=no_sleep)
    with pytest.raises(AuthenticationError):
        Resolver(public, config).run()


class GoesAway(httpx.BaseTransport):
    """Answers `budget` requests, then the host is gone."""

    def __init__(self, budget: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.budget = budget

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.budget <= 0:
            raise httpx.ConnectError("connection refused")
        self.budget -= 1
        return self.inner.handle_request(request)


def test_the_config_api_going_away_part_way_leaves_an_honest_incomplete_map(running):
    result = resolve(running, transport=GoesAway(3))
    assert not result.id_map.complete
    assert any("cannot connect" in reason for reason in result.id_map.incomplete)
    assert result.id_map.summary()["source"]["matched"] == 14
    filters = [entry for entry in result.id_map.entries if entry.kind == "filter"]
    assert filters and all(entry.status == "public_only" for entry in filters)


def test_kinds_limit_the_work(running):
    result = resolve(running, kinds=["workspace", "tracking_plan"])
    assert set(result.id_map.summary()) == {"workspace", "tracking_plan"}
    assert result.summary()["api_calls"]["total"] == result.minimum_calls == 4
