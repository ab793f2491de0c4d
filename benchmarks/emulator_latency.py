"""Emulator request latency and throughput, list and get on both APIs, over real HTTP.

Baseline, run side by side on the same server stack (uvicorn in a thread, one keep-alive httpx
client): an ASGI app that answers `{}` to everything. The ratios say what the emulator itself costs.

    python benchmarks/emulator_latency.py [--requests 400]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread


class Baseline:
    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}"})


def measure(base: str, path: str, token: str, count: int) -> list[float]:
    timings = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(20):
            client.get(path)
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    count = parser.parse_args().requests
    emulator = Emulator(build_demo(), Tokens("c", "r", "p"), rate_limit=0)
    with start_in_thread(emulator) as running, start_in_thread(Baseline()) as baseline:  # type: ignore[arg-type]
        source_id = next(iter(emulator.state.sources))
        cases = [
            ("config list sources", "/v1beta/workspaces/acme/sources", "c"),
            ("config get source", "/v1beta/workspaces/acme/sources/web", "c"),
            ("public list sources", "/sources", "p"),
            ("public get source", f"/sources/{source_id}", "p"),
            ("config list destinations", "/v1beta/workspaces/acme/sources/web/destinations", "c"),
            ("public list destinations", "/destinations?pagination.count=200", "p"),
        ]
        base_times = measure(baseline.base_url, "/", "x", count)
        base_p50, base_p99 = percentile(base_times, 0.5), percentile(base_times, 0.99)
        print(f"{'case':28} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'p50 x base':>11} {'p99 x base':>11}")
        rate = 1 / statistics.mean(base_times)
        print(f"{'baseline (empty ASGI app)':28} {base_p50 * 1000:8.2f} {base_p99 * 1000:8.2f} {rate:8.0f}")
        for name, path, token in cases:
            times = measure(running.base_url, path, token, count)
            p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
            print(
                f"{name:28} {p50 * 1000:8.2f} {p99 * 1000:8.2f} {1 / statistics.mean(times):8.0f}"
                f" {p50 / base_p50:11.2f} {p99 / base_p99:11.2f}"
            )


if __name__ == "__main__":
    main()
