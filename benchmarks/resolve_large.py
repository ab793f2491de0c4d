"""Resolve a generated workspace of 10,000 resources against the emulator.

2,000 sources, 6,000 destinations, 500 tracking plans and 1,500 others (1,000 filters, 300
functions, 200 warehouses). Reports wall time, API calls, and the ratio of calls to the minimum
the collection sizes and page limits allow (the baseline every extra call is measured against).
The emulator's rate limit is off and the client does not pace: the figure is the resolver's own
cost; at the Config API's real 200 requests per minute, the Config calls alone take calls x 0.3 s.

    python benchmarks/resolve_large.py [--concurrency 8]
"""

from __future__ import annotations

import argparse
import time

from migrator.clients import ConfigClient, PublicClient
from migrator.emulator import seed as factory
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.server import start_in_thread
from migrator.emulator.state import State
from migrator.resolver import Resolver


def generate(sources: int = 2000, destinations: int = 6000, plans: int = 500) -> State:
    state = factory.build_empty("bigco", seed="benchmark")
    catalog_sources = list(state.catalog_sources.values())
    integrations = list(state.catalog_destinations.values())
    for index in range(sources):
        factory.new_source(state, f"source-{index:04d}", catalog_sources[index % len(catalog_sources)]["id"])
    source_ids = list(state.sources)
    per_source = destinations // sources
    for index, source_id in enumerate(source_ids):
        for offset in range(per_source):
            integration = integrations[(index + offset) % len(integrations)]
            factory.new_destination(state, source_id, integration["id"], None, index % 2 == 0, {})
    destination_list = list(state.destinations.values())
    for index in range(1000):
        factory.new_filter(
            state, destination_list[index * 6], f"filter {index}", "type = 'track'", [{"type": "DROP"}], True
        )
    for index in range(plans):
        factory.new_tracking_plan(state, f"Plan {index:03d}")
    for index in range(300):
        factory.new_function(state, f"Function {index:03d}", "SOURCE" if index % 2 else "DESTINATION", "// code")
    metadata = next(iter(state.catalog_warehouses))
    for index in range(200):
        warehouse_id = state.new_id("warehouse", 22)
        state.warehouses[warehouse_id] = {
            "id": warehouse_id,
            "metadataId": metadata,
            "workspaceId": state.workspace["id"],
            "enabled": True,
            "settings": {"name": f"Warehouse {index}"},
            "sourceIds": [],
        }
    return state


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, default=8)
    concurrency = parser.parse_args().concurrency
    started = time.perf_counter()
    state = generate()
    built = time.perf_counter() - started
    counts = {
        name: len(getattr(state, name))
        for name in ("sources", "destinations", "tracking_plans", "filters", "functions", "warehouses")
    }
    print(f"generated {sum(counts.values())} resources in {built:.1f} s: {counts}")
    emulator = Emulator(state, Tokens("c", "r", "p"), rate_limit=0)
    with start_in_thread(emulator) as running:
        public = PublicClient.connect(running.base_url, "p")
        config = ConfigClient.connect(running.config_url, "c", per_minute=0)
        started = time.perf_counter()
        result = Resolver(public, config, concurrency=concurrency).run()
        wall = time.perf_counter() - started
    summary = result.summary()
    print(f"resolved in {wall:.1f} s with concurrency {concurrency}")
    for kind, row in summary["kinds"].items():
        print(f"  {kind:20} {row}")
    calls = summary["api_calls"]
    print(
        f"API calls: {calls['total']} (public {calls['public']}, config {calls['config']}); "
        f"minimum {summary['minimum_calls']}; calls / minimum = {summary['calls_to_minimum']}"
    )
    print(f"at 200 Config requests per minute the Config calls alone would take {calls['config'] * 0.3 / 60:.1f} min")


if __name__ == "__main__":
    main()
