"""Proxy overhead: a Config call through the proxy against the direct Public call it becomes, both
to the same emulator, side by side (one keep-alive client each, the same number of requests).

    python benchmarks/proxy_overhead.py [--requests 300]
"""

from __future__ import annotations

import argparse
import time

import httpx

from migrator.clients import ConfigClient, PublicClient
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.proxy import ProxyApp
from migrator.resolver import Resolver


def timings(client: httpx.Client, method: str, path: str, body: object, count: int) -> list[float]:
    for _ in range(10):
        client.request(method, path, json=body)
    result = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.request(method, path, json=body)
        result.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
    return sorted(result)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    count = parser.parse_args().requests
    emulator = Emulator(build_demo(), Tokens("c", "r", "p"), rate_limit=0)
    with start_in_thread(emulator) as running:
        public = PublicClient.connect(running.base_url, "p")
        id_map = Resolver(public, ConfigClient.connect(running.config_url, "c", per_minute=0)).run().id_map
        state = emulator.state
        web = state.source_by_slug("web")
        ga = state.destinations_of(web["id"], "google-analytics")[0]
        cases = [
            ("get source", "GET", "/v1beta/workspaces/acme/sources/web", None, "GET", f"/sources/{web['id']}", None),
            (
                "list destinations",
                "GET",
                "/v1beta/workspaces/acme/sources/web/destinations",
                None,
                "GET",
                f"/sources/{web['id']}/connected-destinations",
                None,
            ),
            (
                "toggle destination",
                "PATCH",
                "/v1beta/workspaces/acme/sources/web/destinations/google-analytics",
                {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}},
                "PATCH",
                f"/destinations/{ga['id']}",
                {"enabled": True},
            ),
        ]
        with start_in_thread(ProxyApp(running.base_url, id_map)) as proxy:  # type: ignore[arg-type]
            through = httpx.Client(base_url=proxy.base_url, headers={"Authorization": "Bearer p"})
            direct = httpx.Client(base_url=running.base_url, headers={"Authorization": "Bearer p"})
            columns = ("direct p50", "proxy p50", "ratio", "direct p99", "proxy p99", "ratio")
            print(f"{'case (ms)':20} " + " ".join(f"{column:>10}" for column in columns))
            for name, method, path, body, public_method, public_path, public_body in cases:
                base = timings(direct, public_method, public_path, public_body, count)
                proxied = timings(through, method, path, body, count)
                p50 = lambda values: values[len(values) // 2]  # noqa: E731
                p99 = lambda values: values[min(len(values) - 1, int(len(values) * 0.99))]  # noqa: E731
                print(
                    f"{name:20} {p50(base) * 1000:10.2f} {p50(proxied) * 1000:10.2f} {p50(proxied) / p50(base):10.2f}"
                    f" {p99(base) * 1000:10.2f} {p99(proxied) * 1000:10.2f} {p99(proxied) / p99(base):10.2f}"
                )


if __name__ == "__main__":
    main()
