"""The compatibility layer's cost per call: a Config call through the generated `segment_compat`
against the hand-written Public call it becomes, both with requests to the same emulator, side by
side (ids from the ID map, so no lookups; the same number of requests), made in turns: one call each
way, the order swapped every pair, so that the drift of a noisy machine weighs on both alike.

Each case is timed both ways: the module functions (`segment_compat.get` against `requests.get`, a
new connection per call) and a session (`segment_compat.Session()` against `requests.Session()`,
one kept-alive connection); and each of those twice: the call alone, and the call with its answer
read (`.json()`), as code that makes a call does. The second is the fair measure of the layer: it
decodes the Public answer to reshape it, which a hand-written call does too, only later, when its
code reads the answer; the call alone charges that decoding to the layer only.

The emulator runs in a process of its own (`migrate emulator`), as a real server would: in the
benchmark's own process its request handling takes turns with the caller's code on one interpreter
lock, and charges the caller for the server's work. `--in-process` runs it in a thread anyway.

    python benchmarks/compat_overhead.py [--requests 300] [--rounds 3] [--in-process]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from migrator.clients import ConfigClient, PublicClient  # noqa: E402
from migrator.compat import PACKAGE, layer_files  # noqa: E402
from migrator.emulator.app import Emulator, Tokens  # noqa: E402
from migrator.emulator.seed import build_demo  # noqa: E402
from migrator.emulator.server import start_in_thread  # noqa: E402
from migrator.resolver import Resolver  # noqa: E402

CONFIG = "https://platform.segmentapis.com/v1beta/workspaces/acme"


Call = Callable[[], requests.Response]


def paired_p50(first: Call, second: Call, count: int) -> tuple[float, float]:
    """The median time of each of two calls, made in turns (the order swapped every pair), so that
    the machine's drift while they run weighs on both alike."""
    for _ in range(10):
        first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for index in range(count):
        order = ((0, first), (1, second)) if index % 2 == 0 else ((1, second), (0, first))
        for side, call in order:
            start = time.perf_counter()
            response = call()
            times[side].append(time.perf_counter() - start)
            assert response.status_code == 200, response.text
    return statistics.median(times[0]), statistics.median(times[1])


TOKENS = ("--config-token", "c", "--public-token", "p")

Case = Callable[[object], requests.Response]


def alone(call: Case) -> Case:
    return call


def answer_read(call: Case) -> Case:
    """The call, then its answer read as the code that made it reads it."""

    def read(http: object) -> requests.Response:
        response = call(http)
        response.json()
        return response

    return read


@contextlib.contextmanager
def emulator_process() -> Iterator[str]:
    """`migrate emulator` on a free port, in its own process: its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "migrator", "emulator", "--port", "0", "--rate-limit", "0", *TOKENS, "--no-color"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.strip().startswith("base URL"):
                yield line.split()[-1]
                return
        raise SystemExit("the emulator did not start")
    finally:
        server.terminate()
        server.wait()


@contextlib.contextmanager
def emulator_thread() -> Iterator[str]:
    emulator = Emulator(build_demo(), Tokens("c", "r", "p"), rate_limit=0)
    with start_in_thread(emulator) as running:
        yield running.base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-process", action="store_true", help="run the emulator in a thread of this process")
    args = parser.parse_args()
    server = emulator_thread() if args.in_process else emulator_process()
    with server as base_url, tempfile.TemporaryDirectory() as folder:
        public = PublicClient.connect(base_url, "p")
        id_map = Resolver(public, ConfigClient.connect(f"{base_url}/v1beta", "c", per_minute=0)).run().id_map
        (Path(folder) / PACKAGE).mkdir()
        for name, text in layer_files(id_map=id_map).items():
            (Path(folder) / PACKAGE / name).write_text(text)
        os.environ["SEGMENT_PUBLIC_API_URL"] = base_url
        sys.path.insert(0, folder)
        import segment_compat

        web = id_map.by_name("source", "workspaces/acme/sources/web")
        ga = id_map.by_name("destination", "workspaces/acme/sources/web/destinations/google-analytics")
        assert web is not None and ga is not None and web.public_id and ga.public_id
        web_id, ga_id = web.public_id, ga.public_id
        headers = {"Authorization": "Bearer p"}
        toggle = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}
        cases = [
            (
                "get source",
                lambda http: http.get(f"{CONFIG}/sources/web", headers=headers),
                lambda http: http.get(f"{base_url}/sources/{web_id}", headers=headers),
            ),
            (
                "list destinations",
                lambda http: http.get(f"{CONFIG}/sources/web/destinations", headers=headers),
                lambda http: http.get(
                    f"{base_url}/sources/{web_id}/connected-destinations",
                    headers=headers,
                    params={"pagination.count": 10},
                ),
            ),
            (
                "toggle destination",
                lambda http: http.patch(
                    f"{CONFIG}/sources/web/destinations/google-analytics", headers=headers, json=toggle
                ),
                lambda http: http.patch(f"{base_url}/destinations/{ga_id}", headers=headers, json={"enabled": True}),
            ),
        ]
        print(
            f"{'case (ms, p50)':36} {'public':>8} {'layer':>8} {'ratio':>6}   {'session':>8} {'layer':>8} {'ratio':>6}"
        )
        timed_cases = [
            (f"{name}{label}", wrap(through), wrap(direct))
            for name, through, direct in cases
            for label, wrap in ((", call alone", alone), (", answer read", answer_read))
        ]
        for name, through, direct in timed_cases:
            ratios: dict[str, list[float]] = {"functions": [], "session": []}
            times: dict[str, list[float]] = {key: [] for key in ("f_direct", "f_layer", "s_direct", "s_layer")}
            plain, layered = requests.Session(), segment_compat.Session()
            for _ in range(args.rounds):
                f_direct, f_layer = paired_p50(
                    lambda direct=direct: direct(requests),
                    lambda through=through: through(segment_compat),
                    args.requests,
                )
                s_direct, s_layer = paired_p50(
                    lambda direct=direct, plain=plain: direct(plain),
                    lambda through=through, layered=layered: through(layered),
                    args.requests,
                )
                ratios["functions"].append(f_layer / f_direct)
                ratios["session"].append(s_layer / s_direct)
                for key, value in zip(times, (f_direct, f_layer, s_direct, s_layer), strict=True):
                    times[key].append(value)
            ms = {key: statistics.median(values) * 1000 for key, values in times.items()}
            print(
                f"{name:36} {ms['f_direct']:8.2f} {ms['f_layer']:8.2f} {statistics.median(ratios['functions']):6.2f}x"
                f"  {ms['s_direct']:8.2f} {ms['s_layer']:8.2f} {statistics.median(ratios['session']):6.2f}x"
            )


if __name__ == "__main__":
    main()
