"""Segment's hosts reach a local server for unchanged code: requests, httpx (sync and async), urllib,
urllib3, http.client."""

from __future__ import annotations

import subprocess
import sys

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.routing import routed_env

SCRIPT = """
import asyncio, http.client, json, urllib.request
import httpx, requests, urllib3
H = {"Authorization": "Bearer config"}
P = {"Authorization": "Bearer sgp_public"}
print(requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme", headers=H).json()["name"])
print(httpx.get("https://platform.segmentapis.com/v1beta/workspaces/acme", headers=H).json()["name"])
async def main():
    async with httpx.AsyncClient() as client:
        answer = await client.get("https://api.segmentapis.com/", headers=P)
        print(answer.json()["data"]["workspace"]["slug"])
asyncio.run(main())
request = urllib.request.Request("https://eu1.api.segmentapis.com/sources?pagination.count=1", headers=P)
print(json.loads(urllib.request.urlopen(request).read())["data"]["sources"][0]["slug"])
connection = http.client.HTTPSConnection("platform.segmentapis.com")
connection.request("GET", "/v1beta/workspaces/acme", headers=H)
print(json.loads(connection.getresponse().read())["name"])
pool = urllib3.PoolManager(headers=H)
print(json.loads(pool.request("GET", "https://platform.segmentapis.com/v1beta/workspaces/acme").data)["name"])
print(requests.get("https://example.invalid.test/", timeout=0.01).status_code if False else "untouched")
"""


def routed_run(script: str) -> tuple[subprocess.CompletedProcess[str], Emulator]:
    """`script` run in a Python process with Segment's hosts routed to a fresh emulator."""
    emulator = Emulator(build_demo(), Tokens("config", "ro", "sgp_public"), rate_limit=0)
    with start_in_thread(emulator) as running:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=routed_env(running.base_url),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return done, emulator


def test_every_client_reaches_the_emulator():
    done, emulator = routed_run(SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "workspaces/acme",
        "workspaces/acme",
        "acme",
        "web",
        "workspaces/acme",
        "workspaces/acme",
        "untouched",
    ]
    assert emulator.requests_by_side == {"config": 4, "public": 2}


def test_without_routes_nothing_is_patched():
    done = subprocess.run(
        [sys.executable, "-c", "import requests, sitecustomize; print(requests.adapters.HTTPAdapter.send.__module__)"],
        env={**routed_env("http://127.0.0.1:1"), "SEGMENT_MIGRATOR_ROUTES": "{}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "requests.adapters"


MOCKED = """
import requests, responses
URL = "https://platform.segmentapis.com/v1beta/workspaces/acme"
with responses.RequestsMock() as mocked:
    mocked.add(responses.GET, URL, json={"name": "pinned"})
    print(requests.get(URL).json()["name"])
print(requests.get(URL, headers={"Authorization": "Bearer config"}).json()["name"])
"""


def test_a_test_double_sees_the_url_the_code_made():
    """`migrate verify -- pytest` over tests mocking requests with `responses`: the double answers
    the Config URL the code made (routing happens where the request leaves, below the double), and
    what the double does not stand in for still reaches the emulator."""
    done, emulator = routed_run(MOCKED)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["pinned", "workspaces/acme"]
    assert emulator.requests_by_side["config"] == 1


SHOWN_URLS = """
import asyncio, urllib.error, urllib.request
import aiohttp, httpx, requests, urllib3
H = {"Authorization": "Bearer config"}
URL = "https://platform.segmentapis.com/v1beta/workspaces/acme"
answer = requests.get(URL, headers=H)
print(answer.url, answer.request.url)
try:
    requests.get(URL + "/sources/absent", headers=H).raise_for_status()
except requests.HTTPError as error:
    print(error)
answer = httpx.get(URL, headers=H)
print(answer.url)
try:
    httpx.get(URL + "/sources/absent", headers=H).raise_for_status()
except httpx.HTTPStatusError as error:
    print(str(error).splitlines()[0])
with urllib.request.urlopen(urllib.request.Request(URL, headers=H)) as answer:
    print(answer.url)
try:
    urllib.request.urlopen(urllib.request.Request(URL + "/sources/absent", headers=H))
except urllib.error.HTTPError as error:
    print(error.code, error.url)
print(urllib3.PoolManager(headers=H).request("GET", URL).url)
async def main():
    async with aiohttp.ClientSession("https://platform.segmentapis.com", headers=H) as session:
        async with session.get("/v1beta/workspaces/acme") as answer:
            print(answer.url, answer.request_info.url)
        try:
            async with session.get("/v1beta/workspaces/acme/sources/absent", raise_for_status=True):
                pass
        except aiohttp.ClientResponseError as error:
            print(error.status, error.request_info.url)
asyncio.run(main())
"""


def test_answers_and_errors_show_the_url_the_code_asked_for():
    """Code that logs `response.url` or an error's message prints the Segment URL it asked for, as
    outside verify: otherwise the legacy side prints the emulator's address (a new port each run) and
    a migrated side answered by the compatibility layer, which shows the Config URL, differs."""
    done, emulator = routed_run(SHOWN_URLS)
    assert done.returncode == 0, done.stderr
    url = "https://platform.segmentapis.com/v1beta/workspaces/acme"
    absent = url + "/sources/absent"
    assert done.stdout.splitlines() == [
        f"{url} {url}",
        f"404 Client Error: Not Found for url: {absent}",
        url,
        f"Client error '404 Not Found' for url '{absent}'",
        url,
        f"404 {absent}",
        url,
        f"{url} {url}",
        f"404 {absent}",
    ]
    assert emulator.requests_by_side["config"] == 9
