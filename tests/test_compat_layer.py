"""The compatibility layer `migrate apply` generates: plain Python that answers Config API calls through
the Public API, as the proxy does, with nothing of this toolkit needed at run time."""

from __future__ import annotations

import ast
import difflib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from migrator.clients import ConfigClient, PublicClient
from migrator.compat import PACKAGE, layer_files
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.resolver import Resolver
from migrator.routing import routed_env

from .legacy_runner import LEGACY, comparable_state, run_scripts

THIRD_PARTY = {"requests", "requests_toolbelt", "urllib3", "httpx", "aiohttp", "multidict", "yarl"}
"""What the layer may import besides the standard library and itself: the library the code uses."""


def _write_layer(folder: Path, **options: object) -> Path:
    package = folder / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    for name, text in layer_files(**options).items():  # type: ignore[arg-type]
        (package / name).write_text(text, encoding="utf-8")
    return package


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import the module runs (those under `if TYPE_CHECKING:` never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped |= {id(inner) for inner in ast.walk(node)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) and id(n) not in skipped]


def test_every_import_of_the_layer_is_the_standard_library_the_http_library_or_the_layer_itself():
    files = layer_files()
    for name, text in files.items():
        for node in _imports(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.level:
                modules = [node.module] if node.module else [alias.name for alias in node.names]
                missing = [module for module in modules if f"{module}.py" not in files]
                assert not missing, f"{name} imports .{missing[0]}, which the layer does not have"
                continue
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or top in THIRD_PARTY or top == "__future__", (
                    f"{name} imports {module}: the migrated code would depend on it"
                )


def test_the_layer_loads_without_any_part_of_the_toolkit(tmp_path: Path):
    _write_layer(tmp_path)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import segment_compat; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'migrator', 'mappings', 'codemods', 'pydantic', "
        "'libcst', 'starlette', 'uvicorn'}))"  # httpx, when installed, imports click and rich itself
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "[]"


def test_the_layer_is_written_again_identically_and_only_the_region_changes_its_public_url():
    us, again, eu = layer_files(), layer_files(), layer_files(region="eu")
    assert us == again
    changed = [name for name in us if us[name] != eu[name]]
    assert changed == ["__init__.py"]
    added = [
        line
        for line in difflib.ndiff(us["__init__.py"].splitlines(), eu["__init__.py"].splitlines())
        if line[0] in "+-"
    ]
    assert [line for line in added if line.strip("+ ")] == ["+ PUBLIC_API_URL = 'https://eu1.api.segmentapis.com'"]


def test_the_layer_carries_the_toolkits_translation_not_a_copy_of_its_own():
    """The vendored modules are the toolkit's files, only their imports made relative."""
    from migrator import translator

    layer = layer_files()["translator.py"].splitlines()[2:]  # after the two header lines
    original = Path(translator.__file__).read_text(encoding="utf-8").splitlines()
    assert len(layer) == len(original)
    for mine, theirs in zip(layer, original, strict=True):
        if mine != theirs:
            moved = re.fullmatch(r"(\s*)from (?:mappings|migrator\.(\w+)) import (.*)", theirs)
            assert moved is not None, f"the layer changed {theirs!r} into {mine!r}"
            assert mine == f"{moved.group(1)}from .{moved.group(2) or 'mappings'} import {moved.group(3)}"


def test_other_urls_reach_the_library_exactly_as_called(tmp_path: Path):
    sys.path.insert(0, str(_write_layer(tmp_path).parent))
    try:
        import segment_compat

        with mock.patch("requests.post") as post, mock.patch("requests.request") as request:
            segment_compat.post("https://segment.invalid/v1beta/x", json={"a": 1}, headers={"X": "1"})
            segment_compat.request("GET", "https://api.example.com/v1beta/workspaces", timeout=3)
        with mock.patch.object(http.client.HTTPSConnection, "request") as sent:
            segment_compat.HTTPSConnection("api.example.com").request("GET", "/v1beta/x", headers={"A": "1"})
        sent.assert_called_once_with("GET", "/v1beta/x", None, {"A": "1"})
        post.assert_called_once_with("https://segment.invalid/v1beta/x", json={"a": 1}, headers={"X": "1"})
        request.assert_called_once_with("GET", "https://api.example.com/v1beta/workspaces", timeout=3)
        assert segment_compat.config_path("https://platform.segmentapis.com/v1beta/workspaces/acme/sources") == (
            "/v1beta/workspaces/acme/sources"
        )
        assert segment_compat.config_path("https://platform.segmentapis.com/docs") is None
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


CALLS = re.compile(r"\brequests\.(request|get|post|put|patch|delete|Session)\(")


def _through_the_layer(text: str) -> str:
    """A legacy script with its transport calls routed through the layer, as `migrate apply` routes them."""
    text = CALLS.sub(lambda found: f"{PACKAGE}.{found.group(1)}(", text)
    text = re.sub(r"\burllib\.request\.urlopen\(", f"{PACKAGE}.urlopen(", text)
    text = re.sub(r"\bhttp\.client\.HTTPSConnection\(", f"{PACKAGE}.HTTPSConnection(", text)
    text = text.replace("(requests.Session):", f"({PACKAGE}.Session):")
    return re.sub(r"(?m)^(import (?:requests|urllib|http)\S*)$", rf"\1\nimport {PACKAGE}", text, count=1)


def test_every_demo_script_behaves_the_same_through_the_layer(tmp_path: Path):
    """Every legacy script of the demo (requests, sessions, a chokepoint client, urllib, http.client),
    its calls routed through the layer and run with a Public token: the same output and the same
    workspace afterwards, and not one Config API call."""
    scripts = sorted(path.name for path in LEGACY.glob("*.py") if path.name != "run_all.py")
    shutil.copytree(LEGACY, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    for path in tmp_path.rglob("*.py"):
        path.write_text(_through_the_layer(path.read_text(encoding="utf-8")))
    direct = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_direct"), rate_limit=0)
    behind = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_behind"), rate_limit=0)
    with start_in_thread(direct) as first, start_in_thread(behind) as second:
        public = PublicClient.connect(second.base_url, "sgp_behind")
        id_map = Resolver(public, ConfigClient.connect(second.config_url, "config-token", per_minute=0)).run().id_map
        _write_layer(tmp_path, id_map=id_map)
        config_calls = behind.requests_by_side["config"]
        legacy = run_scripts(first.base_url, "config-token", scripts)
        layered = run_scripts(second.base_url, "sgp_behind", scripts, folder=tmp_path)
        assert behind.requests_by_side["config"] == config_calls, "the layer must only use the Public API"
    assert behind.requests_by_side["public"] > 0
    for old, new in zip(legacy, layered, strict=True):
        assert old.returncode == 0, f"{old.script} failed against the Config API:\n{old.stderr}"
        assert (new.returncode, new.stdout) == (old.returncode, old.stdout), f"{new.script}:\n{new.stderr}"
    assert comparable_state(behind.state.fingerprint()) == comparable_state(direct.state.fingerprint())


@pytest.fixture
def emulator_url():
    emulator = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_errors"), rate_limit=0)
    with start_in_thread(emulator) as server:
        yield server.base_url


ERRORS_SCRIPT = """
import json, urllib.error, urllib.request
import requests
import segment_compat

base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
headers = {"Authorization": "Bearer " + TOKEN}
for url in (base + "/sources/no-such-source", base + "/sources"):
    answer = segment_compat.get(url, headers=headers)
    print(answer.status_code, answer.reason, sorted(answer.json()) if answer.status_code >= 400 else "ok")
try:
    answer.raise_for_status()
    segment_compat.get(base + "/sources/no-such-source", headers=headers).raise_for_status()
except requests.HTTPError as error:
    print("raised", error.response.status_code)
try:
    segment_compat.urlopen(urllib.request.Request(base + "/sources/no-such-source", headers=headers))
except urllib.error.HTTPError as error:
    print("urllib", error.code, json.loads(error.read())["code"])
print(segment_compat.get(base + "/sources", headers={"Authorization": "Bearer wrong"}).status_code)
connection = segment_compat.HTTPSConnection("platform.segmentapis.com")
for path in ("/sources/no-such-source", "/sources?page_size=2"):
    connection.request("GET", "/v1beta/workspaces/acme" + path, headers=headers)
    answer = connection.getresponse()
    body = json.loads(answer.read())
    print("http.client", answer.status, answer.reason, answer.getheader("Content-Type"), sorted(body))
"""


def _printed_through_the_layer(folder: Path, emulator_url: str, script: str, routed: bool = True) -> list[str]:
    """What `script` (its `TOKEN` the emulator's Public token) prints, run beside the layer with
    Segment's hosts routed to the emulator, or (not `routed`) with the layer's Public URL set to it
    and nothing else changed."""
    _write_layer(folder)
    path = folder / "script.py"
    path.write_text(script.replace("TOKEN", json.dumps("sgp_errors")))
    env = routed_env(emulator_url) if routed else {**os.environ, "SEGMENT_PUBLIC_API_URL": emulator_url}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_errors_come_back_as_the_config_api_gave_them(tmp_path: Path, emulator_url: str):
    assert _printed_through_the_layer(tmp_path, emulator_url, ERRORS_SCRIPT) == [
        "404 Not Found ['code', 'error']",
        "200 OK ok",
        "raised 404",
        "urllib 404 5",
        "401",
        "http.client 404 Not Found application/json ['code', 'error']",
        "http.client 200 OK application/json ['next_page_token', 'sources']",
    ]


def test_the_layers_map_is_the_toolkits_map(tmp_path: Path):
    """The map as data, entries written by the fields that differ from their defaults, builds the
    very map the toolkit loads (compared by repr: the layer's classes are its own)."""
    from mappings import load_map
    from mappings.api import PARTS

    _write_layer(tmp_path)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); from segment_compat import _map; "
        f"print(repr([getattr(_map.API, name) for name in {list(PARTS)!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == repr([getattr(load_map(), name) for name in PARTS])


OLDEST = (3, 9)
"""The oldest Python the layer runs on: the code it is written into may be older than this toolkit."""
NEWER_AT_RUN_TIME = re.compile(r"strict=|\.removeprefix\(|\.removesuffix\(|isinstance\([^()]*\|")
"""What parses on 3.9 but fails when it runs there: zip's strict, str.remove*, a union in isinstance."""


def test_the_layer_is_python_3_9():
    for name, text in layer_files().items():
        ast.parse(text, filename=name, feature_version=OLDEST)
        found = [line.strip() for line in text.splitlines() if NEWER_AT_RUN_TIME.search(line)]
        assert not found, f"{name} needs Python 3.10 to run: {found[0]}"


UNREACHABLE_SCRIPT = """
import json, os
import segment_compat

answer = segment_compat.get(
    "https://platform.segmentapis.com/v1beta/workspaces/acme/sources",
    headers={"Authorization": "Bearer sgp_SECRET_TOKEN_VALUE"},
    timeout=5,
)
print(answer.status_code, json.dumps(answer.json(), sort_keys=True))
"""


def test_an_unreachable_public_api_is_a_config_error_that_never_shows_the_token(tmp_path: Path):
    _write_layer(tmp_path)
    (tmp_path / "script.py").write_text(UNREACHABLE_SCRIPT)
    environment = {**os.environ, "SEGMENT_PUBLIC_API_URL": "http://127.0.0.1:9"}  # nothing listens there
    done = subprocess.run(
        [sys.executable, "script.py"], capture_output=True, text=True, env=environment, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.split(" ", 1)
    assert status == "503" and set(json.loads(body)) == {"code", "error"}
    assert "cannot reach the Public API" in body
    assert "SECRET_TOKEN" not in done.stdout + done.stderr


PLAIN_CASES = [
    {"headers": {"Authorization": "Bearer t"}},
    {"headers": {"Authorization": "Bearer t", "X-Gone": None}, "params": {"page_size": 10, "page_token": None}},
    {"json": {"source": {"name": "workspaces/acme/sources/web"}}, "headers": {"authorization": "Bearer t"}},
    {"data": '{"update_mask": {"paths": ["destination.enabled"]}}'},
    {"params": {"ids": ["a", "b"], "flag": True}},
]


@pytest.mark.parametrize("kwargs", PLAIN_CASES, ids=range(len(PLAIN_CASES)))
def test_a_plain_config_request_is_prepared_as_requests_prepares_it(kwargs: dict[str, object]):
    """The layer builds a plain Config request itself, rather than twice through requests: the
    method, URL, body and headers it reads (and hands back as `response.request`) are the same."""
    import requests

    from migrator.compat import layer

    url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources?x=1"
    session = requests.Session()
    plain = layer._plain_prepared("POST", url, session.headers, dict(kwargs))
    full = session.prepare_request(requests.Request("POST", url, **kwargs))  # type: ignore[arg-type]
    assert (plain.method, plain.url, plain.body) == (full.method, full.url, full.body)
    headers = {name.lower(): value for name, value in full.headers.items() if name.lower() != "content-length"}
    assert {name.lower(): value for name, value in plain.headers.items()} == headers


@pytest.mark.parametrize(
    "kwargs",
    [{"auth": ("u", "p")}, {"files": {"f": b"x"}}, {"data": {"form": "field"}}, {"cookies": {"c": "1"}}],
    ids=["auth", "files", "form data", "cookies"],
)
def test_no_op_a_request_needing_requests_own_preparation_is_left_to_it(kwargs: dict[str, object]):
    from migrator.compat import layer

    url = "https://platform.segmentapis.com/v1beta/workspaces/acme"
    assert layer._plain_prepared("GET", url, {}, kwargs) is None
    assert layer._plain_prepared("GET", url + "/sources/a b", {}, {}) is None  # a URL requests would quote


def test_without_the_library_a_call_raises_what_the_codes_own_import_raised(tmp_path: Path):
    """Migration drops an `import httpx` only the routed calls read: where httpx is not installed,
    those calls raise the ModuleNotFoundError that import raised, not a NameError of the layer's."""
    _write_layer(tmp_path)
    probe = (
        "import sys; sys.modules['httpx'] = None; sys.path.insert(0, sys.argv[1]); import segment_compat\n"
        "for use in (lambda: segment_compat.httpx_get('https://platform.segmentapis.com/v1beta/workspaces/acme'),\n"
        "            lambda: segment_compat.httpx_get('https://example.com/'), lambda: segment_compat.HttpxClient):\n"
        "    try:\n"
        "        use()\n"
        "    except ModuleNotFoundError as error:\n"
        "        print(error.name, error)\n"
        "print(segment_compat.Session.__mro__[1].__module__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["httpx No module named 'httpx'"] * 3 + ["requests.sessions"]


AIOHTTP_SCRIPT = """
import asyncio
import aiohttp
import segment_compat

HEADERS = {"Authorization": "Bearer " + TOKEN}


async def main():
    async with segment_compat.AiohttpClientSession(headers=HEADERS) as session:
        async with session.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources") as answer:
            body = await answer.json()
            print(answer.status, answer.ok, answer.headers["Content-Type"], sorted(body))
        answer = await session.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/nope")
        print(answer.status, (await answer.json())["code"])
        try:
            answer.raise_for_status()
        except aiohttp.ClientResponseError as error:
            print("raised", error.status)
        async with session.get("https://api.segmentapis.com/", headers={"Authorization": "Bearer sgp_errors"}) as other:
            print("untouched", other.status, (await other.json())["data"]["workspace"]["slug"])
    async with segment_compat.AiohttpClientSession("https://platform.segmentapis.com", headers=HEADERS) as based:
        async with based.patch(
            "/v1beta/workspaces/acme/sources/web/destinations/google-analytics",
            json={"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}},
        ) as answer:
            print(answer.status, (await answer.json())["enabled"])


asyncio.run(main())
"""


def test_an_aiohttp_session_answers_config_requests_through_the_public_api(tmp_path: Path, emulator_url: str):
    """Awaited or in `async with`, on a full URL or one relative to the session's `base_url`: the
    Config answer, its status and error; any other URL goes to aiohttp's own session."""
    assert _printed_through_the_layer(tmp_path, emulator_url, AIOHTTP_SCRIPT) == [
        "200 True application/json ['next_page_token', 'sources']",
        "404 5",
        "raised 404",
        "untouched 200 acme",
        "200 False",
    ]


AIOHTTP_REQUEST_SCRIPT = """
import asyncio
import aiohttp
import segment_compat

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


async def main():
    headers = {"Authorization": "Bearer " + TOKEN}
    async with segment_compat.aiohttp_request("GET", BASE + "/sources", headers=headers) as response:
        print(response.status, sorted(await response.json()))
    async with segment_compat.aiohttp_request("GET", BASE + "/sources/no-such-source", headers=headers) as response:
        print(response.status, (await response.json())["code"])


asyncio.run(main())
"""


def test_aiohttps_module_request_answers_config_requests(tmp_path: Path, emulator_url: str):
    assert _printed_through_the_layer(tmp_path, emulator_url, AIOHTTP_REQUEST_SCRIPT) == [
        "200 ['next_page_token', 'sources']",
        "404 5",
    ]


AIOHTTP_CHECKED_SCRIPT = """
import asyncio
import aiohttp
import segment_compat

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


async def main():
    headers = {"Authorization": "Bearer " + TOKEN}
    async with segment_compat.AiohttpClientSession(headers=headers, raise_for_status=True) as session:
        async with session.get(BASE + "/sources") as response:
            print("ok", response.status)
        try:
            await session.get(BASE + "/sources/no-such-source")
        except aiohttp.ClientResponseError as error:
            print("session", error.status)
        print("kept", (await session.get(BASE + "/sources/no-such-source", raise_for_status=False)).status)

    async def check(response):
        print("checked", response.status)

    async with segment_compat.AiohttpClientSession(headers=headers) as session:
        await session.get(BASE + "/sources/backend", raise_for_status=check)
        try:
            await session.get(BASE + "/sources/no-such-source", raise_for_status=True)
        except aiohttp.ClientResponseError as error:
            print("request", error.status)


asyncio.run(main())
"""


def test_aiohttps_raise_for_status_applies_to_config_answers(tmp_path: Path, emulator_url: str):
    """`ClientSession(raise_for_status=True)`, a request's own `raise_for_status` (true, false, or a
    coroutine function checking the answer): the Config answer is checked as aiohttp checks one."""
    assert _printed_through_the_layer(tmp_path, emulator_url, AIOHTTP_CHECKED_SCRIPT) == [
        "ok 200",
        "session 404",
        "kept 404",
        "checked 200",
        "request 404",
    ]


DOUBLES_SCRIPT = """
import json, sys, urllib.request
from unittest import mock

import requests
import requests_mock
import responses
import segment_compat

CONFIG = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
HEADERS = {"Authorization": "Bearer " + TOKEN}
PINNED = {"sources": [{"name": "workspaces/acme/sources/pinned"}], "next_page_token": ""}

with mock.patch("requests.get") as get:
    get.return_value.json.return_value = PINNED
    print("mock", segment_compat.get(CONFIG, headers=HEADERS).json()["sources"][0]["name"])
    get.assert_called_once_with(CONFIG, headers=HEADERS)
with mock.patch("urllib.request.urlopen") as urlopen:
    request = urllib.request.Request(CONFIG, headers=HEADERS)
    segment_compat.urlopen(request, timeout=5)
    urlopen.assert_called_once_with(request, timeout=5)
    print("urlopen as called")
with responses.RequestsMock() as pinned:
    pinned.add(responses.GET, CONFIG, json=PINNED)
    print("responses", segment_compat.get(CONFIG, headers=HEADERS).json()["sources"][0]["name"])
    print("responses session", segment_compat.Session().get(CONFIG, headers=HEADERS).json()["sources"][0]["name"])
    prepared = requests.Request("GET", CONFIG, headers=HEADERS).prepare()
    print("responses sent", segment_compat.Session().send(prepared).json()["sources"][0]["name"])
with requests_mock.Mocker() as pinned:
    pinned.get(CONFIG, json=PINNED)
    print("requests-mock", segment_compat.get(CONFIG, headers=HEADERS).json()["sources"][0]["name"])
with responses.RequestsMock(assert_all_requests_are_fired=False) as public:
    public.add_passthru("http://")  # the emulator: only the Config URL finds no answer here
    print("translated", sorted(segment_compat.get(CONFIG, headers=HEADERS).json()))
"""


def test_a_test_double_of_the_http_library_keeps_the_answers_the_test_pinned(tmp_path: Path, emulator_url: str):
    """A test mocking requests (unittest.mock, responses, requests-mock) or urlopen sees the Config
    request as the code made it and hands back what it pinned; one with no answer for the Config
    URL (it mocks only the Public API) gets the layer's translation."""
    assert _printed_through_the_layer(tmp_path, emulator_url, DOUBLES_SCRIPT, routed=False) == [
        "mock workspaces/acme/sources/pinned",
        "urlopen as called",
        "responses workspaces/acme/sources/pinned",
        "responses session workspaces/acme/sources/pinned",
        "responses sent workspaces/acme/sources/pinned",
        "requests-mock workspaces/acme/sources/pinned",
        "translated ['next_page_token', 'sources']",
    ]


TRACED_SCRIPT = """
import requests
import segment_compat

sent = []
real_send = requests.adapters.HTTPAdapter.send


def traced_send(adapter, request, **kwargs):  # tracing, as OpenTelemetry wraps requests: no test double
    sent.append(request.url.split("?")[0])
    return real_send(adapter, request, **kwargs)


requests.adapters.HTTPAdapter.send = traced_send
CONFIG = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
answer = segment_compat.get(CONFIG, headers={"Authorization": "Bearer " + TOKEN})
print(answer.status_code, sorted(answer.json()))
print(sent)
"""


def test_no_op_tracing_that_wraps_requests_is_no_test_double(tmp_path: Path, emulator_url: str):
    """A wrapper of requests' transport that is not a test double never gets the Config request: the
    Config host is not called, even once."""
    printed = _printed_through_the_layer(tmp_path, emulator_url, TRACED_SCRIPT, routed=False)
    assert printed[0] == "200 ['next_page_token', 'sources']"
    assert "platform.segmentapis.com" not in printed[1] and "/sources" in printed[1]


URLLIB3_SCRIPT = """
import json
import segment_compat

http = segment_compat.PoolManager(headers={"Authorization": "Bearer " + TOKEN})
base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
answer = http.request("GET", base + "/sources", fields={"page_size": 2})
print(answer.status, sorted(json.loads(answer.data)))
body = json.dumps({"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})
answer = http.request("PATCH", base + "/sources/web/destinations/google-analytics", body=body)
print(answer.status, json.loads(answer.data)["enabled"])
answer = http.request("GET", base + "/sources/nope")
print(answer.status, answer.headers["Content-Type"], json.loads(answer.data)["code"])
answer = segment_compat.urllib3_request("GET", base + "/tracking-plans", headers={"Authorization": "Bearer " + TOKEN})
print("module", answer.status, sorted(answer.json()))
"""


def test_a_urllib3_pool_manager_answers_config_requests_through_the_public_api(tmp_path: Path, emulator_url: str):
    """`urllib3.PoolManager().request(...)` (AWS Lambda code often has urllib3 alone), or urllib3 2's
    `urllib3.request(...)`: the Config answer, its status and error body, the pool's own headers sent."""
    assert _printed_through_the_layer(tmp_path, emulator_url, URLLIB3_SCRIPT) == [
        "200 ['next_page_token', 'sources']",
        "200 False",
        "404 application/json 5",
        "module 200 ['next_page_token', 'tracking_plans']",
    ]


PREPARED_SCRIPT = """
import requests
import segment_compat

session = segment_compat.Session()
session.headers["Authorization"] = "Bearer " + TOKEN
base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
for path in ("/sources?page_size=2", "/sources/no-such-source"):
    answer = session.send(session.prepare_request(requests.Request("GET", base + path)), timeout=10)
    print(answer.status_code, sorted(answer.json()))
bare = requests.Request("GET", base + "/tracking-plans", headers={"Authorization": "Bearer " + TOKEN}).prepare()
print(sorted(session.send(bare).json()))
"""


def test_a_request_the_code_prepares_and_sends_on_the_session(tmp_path: Path, emulator_url: str):
    """`session.send(session.prepare_request(...))`, or a `Request(...).prepare()` sent on the session:
    answered through the Public API as `session.get` is, errors included."""
    assert _printed_through_the_layer(tmp_path, emulator_url, PREPARED_SCRIPT) == [
        "200 ['next_page_token', 'sources']",
        "404 ['code', 'error']",
        "['next_page_token', 'tracking_plans']",
    ]


HOOKS_SCRIPT = """
import requests
import segment_compat

seen = []
session = segment_compat.Session()
session.headers["Authorization"] = "Bearer " + TOKEN
session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response.status_code))
base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
session.get(base + "/sources")
session.get(base + "/sources/no-such-source")
session.get(base + "/sources/backend", hooks={"response": lambda response, *a, **k: print("own", response.status_code)})
session.send(session.prepare_request(requests.Request("GET", base + "/tracking-plans")))
bare = {"response": lambda response, *args, **kwargs: print("bare", response.status_code)}
segment_compat.get(base + "/sources", headers=session.headers, hooks=bare)
print(seen)
"""


def test_response_hooks_see_each_config_answer_once(tmp_path: Path, emulator_url: str):
    """A session's hooks (logging, raising) run on the Config answer the code asked for, once, not on
    the Public calls made for it; a request's own hooks replace them for that request, as in requests."""
    assert _printed_through_the_layer(tmp_path, emulator_url, HOOKS_SCRIPT) == [
        "own 200",
        "bare 200",
        "[200, 404, 200]",
    ]


HTTPX_HOOKS_SCRIPT = """
import asyncio
import httpx
import segment_compat


class Bearer(httpx.Auth):
    def auth_flow(self, request):
        request.headers["Authorization"] = "Bearer " + TOKEN
        yield request


seen = []
base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
hooks = {"request": [lambda request: seen.append(request.url.path)], "response": [lambda r: seen.append(r.status_code)]}
with segment_compat.HttpxClient(base_url=base, auth=Bearer(), event_hooks=hooks) as client:
    print(len(client.get("/sources").json()["sources"]) > 0, client.get("/sources/no-such-source").status_code)
with segment_compat.HttpxClient(base_url=base) as client:
    print(client.get("/tracking-plans", auth=Bearer()).status_code)


async def main():
    async def note(response):
        seen.append(("async", response.status_code))

    hooked = {"response": [note]}
    async with segment_compat.HttpxAsyncClient(base_url=base, auth=Bearer(), event_hooks=hooked) as client:
        print((await client.get("/sources/backend")).status_code)


asyncio.run(main())
print(seen)
"""


def test_httpx_auth_and_event_hooks_apply_to_config_requests(tmp_path: Path, emulator_url: str):
    """The token an `httpx.Auth` adds reaches the translation (the client's, or a request's own), and
    the client's event hooks run on the Config request and its answer, as httpx runs them."""
    assert _printed_through_the_layer(tmp_path, emulator_url, HTTPX_HOOKS_SCRIPT) == [
        "True 404",
        "200",
        "200",
        "['/v1beta/workspaces/acme/sources', 200, '/v1beta/workspaces/acme/sources/no-such-source', 404, "
        "('async', 200)]",
    ]


HTTPX_TRANSPORT_SCRIPT = """
import httpx
import segment_compat

base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
pinned = httpx.MockTransport(lambda request: httpx.Response(200, json={"sources": [], "pinned": request.url.path}))
with segment_compat.HttpxClient(base_url=base, transport=pinned) as client:
    print(client.get("/sources").json()["pinned"])
headers = {"Authorization": "Bearer " + TOKEN}
with segment_compat.HttpxClient(base_url=base, headers=headers, proxy="http://127.0.0.1:9") as client:
    print(client.get("/sources").status_code)
"""


OPENER_PROXY_SCRIPT = """
import urllib.error, urllib.request
import segment_compat

refusing = "http://127.0.0.1:9"
opener = segment_compat.build_opener(urllib.request.ProxyHandler({"http": refusing, "https": refusing}))
opener.addheaders = [("Authorization", "Bearer " + TOKEN)]
try:
    opener.open("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")
except urllib.error.HTTPError as error:
    print(error.code)
"""


def test_an_openers_handlers_carry_the_public_calls_made_for_it(tmp_path: Path, emulator_url: str):
    """The Public calls for a Config request opened on an opener go through its handlers (here a
    proxy that refuses them: the Config API's 503, never a call around the proxy)."""
    assert _printed_through_the_layer(tmp_path, emulator_url, OPENER_PROXY_SCRIPT) == ["503"]


def test_an_httpx_clients_transport_and_proxy_carry_its_config_requests(tmp_path: Path, emulator_url: str):
    """A test's `MockTransport` gets the Config request as the code made it (the pinned answer
    stands); a client's proxy is how the Public calls made for it go out (here one that refuses
    them: the Config API's 503, never a call around the proxy)."""
    assert _printed_through_the_layer(tmp_path, emulator_url, HTTPX_TRANSPORT_SCRIPT) == [
        "/v1beta/workspaces/acme/sources",
        "503",
    ]


OPENERS_SCRIPT = """
import json, urllib.error, urllib.request
import segment_compat

base = "https://platform.segmentapis.com/v1beta/workspaces/acme"
opener = segment_compat.build_opener(urllib.request.HTTPRedirectHandler())
opener.addheaders = [("Authorization", "Bearer " + TOKEN)]
print(sorted(json.load(opener.open(base + "/sources?page_size=2"))))
try:
    opener.open(urllib.request.Request(base + "/sources/no-such-source"))
except urllib.error.HTTPError as error:
    print("opener", error.code, json.loads(error.read())["code"])
session = segment_compat.BaseUrlSession(base_url=base + "/")
session.headers["Authorization"] = "Bearer " + TOKEN
print(sorted(session.get("sources/backend/destinations").json()))
print(session.get("sources/no-such-source").status_code)
"""


def test_an_opener_and_a_toolbelt_session_answer_config_requests_through_the_public_api(
    tmp_path: Path, emulator_url: str
):
    """`urllib.request.build_opener()` with the token in its `addheaders`, and requests-toolbelt's
    `BaseUrlSession` sent paths alone: both answered as the Config API answered, errors included."""
    assert _printed_through_the_layer(tmp_path, emulator_url, OPENERS_SCRIPT) == [
        "['next_page_token', 'sources']",
        "opener 404 5",
        "['destinations', 'next_page_token']",
        "404",
    ]


ADOPTED_SCRIPT = """
import requests
import segment_compat

handed = requests.Session()
handed.headers["Authorization"] = "Bearer " + TOKEN
session = segment_compat.adopted(handed) or segment_compat.Session()
print(session is handed, sorted(session.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()))


class Custom(requests.Session):
    pass


print(type(segment_compat.adopted(Custom())).__name__, segment_compat.adopted(None))
"""


def test_a_session_the_caller_hands_in_is_adopted(tmp_path: Path, emulator_url: str):
    """`session or requests.Session()` with the caller's plain session: the same object, now answering
    Config requests through the Public API; a session of another class is left as it is."""
    assert _printed_through_the_layer(tmp_path, emulator_url, ADOPTED_SCRIPT) == [
        "True ['next_page_token', 'sources']",
        "Custom None",
    ]
