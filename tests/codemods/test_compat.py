"""The compat codemod: what the native codemods cannot prove goes through the compatibility layer.

Before/after pairs for what it routes, and no-op tests named for the reason nothing changes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods import engine
from codemods.engine import ApplyOptions, apply, migrate_source, unified_diff, write
from migrator.compat import PACKAGE
from migrator.repository import ConfigConstants

from .support import IDS, migrate

ALL = None  # every codemod, the compatibility layer included


def routed(source: str, **options: object) -> str:
    return migrate(source, only=ALL, **options)  # type: ignore[arg-type]


def test_a_chokepoint_whose_callers_are_elsewhere_goes_through_the_layer():
    before = """\
        import json

        import requests


        class Api:
            def __init__(self, token, host="https://platform.segmentapis.com", version="v1beta"):
                self.token = token
                self.base = f"{host}/{version}"

            def send_request(self, verb, path, payload=None, params=None):
                response = requests.request(verb, f"{self.base}/{path}", data=json.dumps(payload or {}), params=params)
                response.raise_for_status()
                return response.json()
        """
    after = routed(before)
    assert 'response = segment_compat.request(verb, f"{self.base}/{path}"' in after
    # `requests` is read by nothing else now: its import goes, the layer's comes after `json`'s group
    assert after.startswith("import json\n\nimport segment_compat\n\n\nclass Api:")
    assert (
        after.replace("segment_compat.request(", "requests.request(").split("class Api:")[1]
        == (textwrap.dedent(before).split("class Api:")[1])
    )


def test_a_base_constant_imported_from_another_module_makes_the_module_a_config_client():
    source = """\
        import requests

        from .constants import SEGMENT


        def fetch(path, headers):
            return requests.get(SEGMENT + "/" + path, headers=headers).json()
        """
    outcome = migrate_source(
        "pkg/client.py",
        textwrap.dedent(source),
        ApplyOptions(config_constants=ConfigConstants.of({"pkg.constants.SEGMENT"})),
    )
    assert "return segment_compat.get(SEGMENT + " in outcome.new_source
    assert outcome.counts["compat"] == 1


def test_a_urllib_helper_is_routed_and_its_callers_keep_no_todo():
    source = """\
        import json
        import urllib.request

        BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


        def call(method, path, payload=None):
            request = urllib.request.Request(BASE + path, data=json.dumps(payload).encode(), method=method)
            with urllib.request.urlopen(request) as response:
                return json.loads(response.read())


        if __name__ == "__main__":
            print(call("GET", "/regulations")["regulations"])
        """
    after = routed(source)
    assert "with segment_compat.urlopen(request) as response:" in after
    assert "TODO(migrate)" not in after


def test_a_session_is_made_by_the_layer_and_its_calls_need_no_ids():
    source = """\
        import requests

        API = "https://platform.segmentapis.com/v1beta"
        session = requests.Session()


        def toggle(source, destination, enabled):
            url = f"{API}/workspaces/acme/sources/{source}/destinations/{destination}"
            body = {"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}}
            return session.patch(url, json=body).json()["enabled"]
        """
    after = routed(source, ids=None)
    assert "session = segment_compat.Session()" in after
    assert "segment_ids" not in after and "TODO(migrate)" not in after
    assert 'url = f"{API}/workspaces/acme/sources/{source}/destinations/{destination}"' in after


def test_a_regulation_id_made_at_run_time_passes_through_as_it_is():
    """Its Config and Public ids are one (`same_id` in the map): no ID table can hold one made later."""
    source = """\
        import sys

        import requests

        API = "https://platform.segmentapis.com/v1beta"
        H = {"Authorization": "Bearer x"}

        regulate_id = sys.argv[1]
        answer = requests.get(f"{API}/workspaces/acme/regulations/{regulate_id}", headers=H)
        answer.raise_for_status()
        """
    after = migrate(source)
    assert "segment_ids" not in after
    assert 'answer = requests.get(f"{API}/regulations/{regulate_id}", headers=H)' in after


def test_nothing_changes_in_a_module_that_does_not_talk_to_the_config_api():
    source = "import requests\n\n\ndef fetch(url):\n    return requests.get(url).json()\n"
    assert routed(source) == source


def test_nothing_changes_for_a_call_to_another_api_in_a_config_client():
    source = """\
        import requests

        BASE = "https://platform.segmentapis.com/v1beta/"


        def both(path):
            requests.get("https://api.github.com/rate_limit")
            return requests.get(BASE + path).json()
        """
    after = routed(source)
    assert 'requests.get("https://api.github.com/rate_limit")' in after
    assert "return segment_compat.get(BASE + path).json()" in after


def test_nothing_changes_for_segment_webhook_urls_on_the_config_host():
    source = (
        'import requests\n\nHOOK = "https://platform.segmentapis.com/webhook/abc"\n\n\n'
        "def send(event):\n    return requests.post(HOOK, json=event)\n"
    )
    assert routed(source) == source


def test_nothing_but_a_todo_for_an_endpoint_with_no_public_twin():
    source = """\
        import requests

        URL = "https://platform.segmentapis.com/v1beta/"


        def mint(user, password):
            return requests.post(URL + "access-tokens", auth=(user, password), json={}).json()["token"]
        """
    after = routed(source)
    assert "requests.post(URL + " in after and "segment_compat" not in after
    assert "TODO(migrate): POST access-tokens has no Public API twin" in after


def test_nothing_changes_without_the_compat_codemod():
    source = (
        'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta/"\n\n\n'
        "def get(path):\n    return requests.get(BASE + path).json()\n"
    )
    assert "segment_compat" not in migrate(source)  # the native codemods only: a TODO says why


# --- repositories ---------------------------------------------------------------------------------


def _repository(root: Path) -> Path:
    (root / "kit").mkdir(parents=True)
    (root / "kit" / "__init__.py").write_text("")
    (root / "kit" / "constants.py").write_text('HOST = "https://platform.segmentapis.com"\n')
    (root / "kit" / "client.py").write_text(
        "import requests\n\nfrom .constants import HOST\n\n\n"
        "def send(verb, path, token):\n"
        '    return requests.request(verb, f"{HOST}/v1beta/{path}", headers={"Authorization": "Bearer " + token})\n'
    )
    (root / "tests").mkdir()
    (root / "tests" / "test_client.py").write_text(
        "from unittest import mock\n\nfrom kit.client import send\n\n\n"
        "def test_send():\n"
        "    with mock.patch('requests.request') as request:\n"
        '        send("GET", "workspaces/acme", "t")\n'
        '    assert request.call_args.args == ("GET", "https://platform.segmentapis.com/v1beta/workspaces/acme")\n'
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_a_repository_gets_the_layer_where_its_modules_import_it_and_its_tests_mock_the_layer(tmp_path: Path):
    root = _repository(tmp_path / "repo")
    result = apply([root], ApplyOptions(), jobs=1)
    write(result)
    client = (root / "kit" / "client.py").read_text()
    assert "import segment_compat\n" in client and "return segment_compat.request(verb," in client
    assert (root / PACKAGE / "__init__.py").is_file(), "at the folder `kit` is imported from"
    test = (root / "tests" / "test_client.py").read_text()
    assert "mock.patch('segment_compat.request')" in test and "import segment_compat" not in test
    assert result.compat_uses() == [(str(root / "kit" / "client.py"), 1), (str(root / "tests" / "test_client.py"), 1)]
    assert unified_diff(apply([root], ApplyOptions(), jobs=1), root) == b"", "a second run changes nothing"


MOCKED_THROUGH_THE_MODULE = """\
from unittest import mock

from kit import client


@mock.patch("kit.client.requests.request")
def test_send(request):
    client.send("GET", "workspaces/acme", "t")
    assert request.call_args.args == ("GET", "https://platform.segmentapis.com/v1beta/workspaces/acme")


def test_send_with_patch_object():
    with mock.patch.object(client.requests, "request") as request:
        client.send("GET", "workspaces/acme", "t")
    assert request.call_count == 1
"""


def test_a_test_mocking_the_library_as_the_module_reads_it_mocks_the_layer_there(tmp_path: Path):
    """`mock.patch("kit.client.requests.request")` and `mock.patch.object(client.requests, "request")`:
    the module no longer reads `requests` (its import went with the routed call), so the mocks patch
    the layer's function it calls now, and the migrated tests pass, expectations unchanged."""
    root = _repository(tmp_path / "repo")
    (root / "tests" / "test_client.py").write_text(MOCKED_THROUGH_THE_MODULE)
    write(apply([root], ApplyOptions(), jobs=1))
    test = (root / "tests" / "test_client.py").read_text()
    assert '@mock.patch("kit.client.segment_compat.request")' in test
    assert 'mock.patch.object(client.segment_compat, "request")' in test
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_interrupted_write_never_leaves_a_module_importing_a_missing_layer(tmp_path: Path, monkeypatch):
    root = _repository(tmp_path / "repo")
    real_write = engine.atomic_write_bytes

    def interrupted(path: Path, data: bytes) -> None:
        if PACKAGE not in path.parts:
            raise KeyboardInterrupt  # Ctrl-C as the first migrated module is written
        real_write(path, data)

    monkeypatch.setattr(engine, "atomic_write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write(apply([root], ApplyOptions(), jobs=1))
    monkeypatch.setattr(engine, "atomic_write_bytes", real_write)
    assert (root / PACKAGE / "_map.py").is_file(), "the layer is written before any module that imports it"
    assert "segment_compat" not in (root / "kit" / "client.py").read_text()
    write(apply([root], ApplyOptions(), jobs=1))  # the re-run completes the migration
    assert "segment_compat.request(" in (root / "kit" / "client.py").read_text()
    (root / PACKAGE / "relay.py").unlink()  # a layer lost since: the next run writes it again
    write(apply([root], ApplyOptions(), jobs=1))
    assert (root / PACKAGE / "relay.py").is_file()


def test_apply_without_an_id_map_writes_everything_the_code_imports(tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "toggle.py").write_text(
        "import requests\n\n"
        'API = "https://platform.segmentapis.com/v1beta"\n\n\n'
        "def toggle(source, destination):\n"
        '    url = f"{API}/workspaces/acme/sources/{source}/destinations/{destination}"\n'
        '    return requests.patch(url, json={"destination": {"enabled": True}, '
        '"update_mask": {"paths": ["destination.enabled"]}}).json()\n'
    )
    write(apply([root], ApplyOptions(), jobs=1))
    migrated = (root / "toggle.py").read_text()
    assert "import segment_ids" not in migrated and "segment_compat.patch(" in migrated
    assert (root / PACKAGE / "__init__.py").is_file()
    write(apply([root], ApplyOptions(id_map=IDS), jobs=1))  # with ids later: nothing left to do natively
    assert not (root / "segment_ids.py").exists()


def test_a_session_subclass_derives_from_the_layers_session():
    source = """\
        from urllib.parse import urljoin

        import requests


        class ConfigSession(requests.Session):
            base = "https://platform.segmentapis.com/v1beta/"

            def sources(self, workspace):
                return self.get(urljoin(self.base, f"workspaces/{workspace}/sources")).json()["sources"]
        """
    after = routed(source)
    assert "class ConfigSession(segment_compat.Session):" in after
    assert "TODO(migrate)" not in after and "import segment_compat\n" in after
    assert "import requests" not in after, "the base was its only read"
    assert (
        after.replace("segment_compat.Session", "requests.Session").split("class ConfigSession")[1]
        == (textwrap.dedent(source).split("class ConfigSession")[1])
    )


HTTPX_SCRIPT = """\
import os

import httpx

API = "https://platform.segmentapis.com/v1beta/workspaces/acme"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def sources(client):
    return client.get(f"{API}/sources", params={"page_size": 100}).json()["sources"]


with httpx.Client(headers=HEADERS) as client:
    for source in sources(client):
        print(source["name"], source["catalog_name"])
    body = {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}
    print(client.patch(f"{API}/sources/web/destinations/amplitude", json=body).json()["enabled"])
print(httpx.get(f"{API}/sources/no-such-source", headers=HEADERS).status_code)
"""


def _layered_and_the_same(tmp_path: Path, name: str, source: str) -> tuple[str, str, int]:
    """`source` as `name`, migrated in one copy: run as it was against one emulator's Config side and
    migrated against another's Public side, it exits 0, prints the same, sends the Config API nothing
    and leaves the same workspace. The migrated text, the output, and the Public requests it sent."""
    from migrator.emulator.app import Emulator, Tokens
    from migrator.emulator.seed import build_demo
    from migrator.emulator.server import start_in_thread
    from tests.legacy_runner import comparable_state, run_scripts

    legacy, migrated = tmp_path / "legacy", tmp_path / "migrated"
    for folder in (legacy, migrated):
        folder.mkdir()
        (folder / name).write_text(source)
    subprocess.run(["git", "init", "-q", str(migrated)], check=True)
    write(apply([migrated], ApplyOptions(), jobs=1))
    direct = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_direct"), rate_limit=0)
    behind = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_behind"), rate_limit=0)
    with start_in_thread(direct) as first, start_in_thread(behind) as second:
        [before] = run_scripts(first.base_url, "config-token", [name], folder=legacy)
        [after] = run_scripts(second.base_url, "sgp_behind", [name], folder=migrated)
        assert behind.requests_by_side["config"] == 0
    assert before.returncode == 0, before.stderr
    assert (after.returncode, after.stdout) == (0, before.stdout), after.stderr
    assert comparable_state(behind.state.fingerprint()) == comparable_state(direct.state.fingerprint())
    return (migrated / name).read_text(), before.stdout, behind.requests_by_side["public"]


def test_an_httpx_client_goes_through_the_layer_and_behaves_the_same(tmp_path: Path):
    text, output, _public = _layered_and_the_same(tmp_path, "audit.py", HTTPX_SCRIPT)
    assert "with segment_compat.HttpxClient(headers=HEADERS) as client:" in text
    assert "segment_compat.httpx_get(" in text and "TODO(migrate)" not in text
    assert output.splitlines()[-2:] == ["False", "404"]


ASYNC_HTTPX_CLIENT = """\
import asyncio
import os

import httpx

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


class Workspace:
    def __init__(self, token):
        self.http = httpx.AsyncClient(base_url=BASE, headers={"Authorization": f"Bearer {token}"})

    async def send(self, verb, path, payload=None):
        answer = await self.http.request(verb, path, json=payload)
        return answer.status_code, answer.json()


async def main():
    workspace = Workspace(os.environ["SEGMENT_ACCESS_TOKEN"])
    status, listed = await workspace.send("GET", "/sources", None)
    print(status, sorted(source["name"] for source in listed["sources"]))
    toggle = {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}
    status, changed = await workspace.send("PATCH", "/sources/web/destinations/amplitude", toggle)
    print(status, changed["enabled"])
    status, missing = await workspace.send("GET", "/sources/no-such-source")
    print(status, missing["code"])
    await workspace.http.aclose()


asyncio.run(main())
"""


def test_an_async_httpx_client_with_a_base_url_goes_through_the_layer(tmp_path: Path):
    """A chokepoint on `httpx.AsyncClient(base_url=...)`: its paths are relative, so the scan finds
    its calls through the client's base; the client becomes the layer's, which answers in a worker
    thread. Same output and workspace state as the legacy code, no Config call left."""
    from migrator.early_parser import APPLY_JUDGE
    from migrator.scan import scan_paths

    (tmp_path / "scanned").mkdir()
    (tmp_path / "scanned" / "client.py").write_text(ASYNC_HTTPX_CLIENT)
    calls = [f for f in scan_paths([tmp_path / "scanned"], jobs=1, judge=APPLY_JUDGE).findings if f.kind == "call"]
    assert [(f.line, f.fixability) for f in calls] == [(14, "auto")]
    text, output, public = _layered_and_the_same(tmp_path, "client.py", ASYNC_HTTPX_CLIENT)
    assert "self.http = segment_compat.HttpxAsyncClient(base_url=BASE," in text and "TODO" not in text
    assert public > 0
    assert output.splitlines()[1:] == ["200 False", "404 5"]


def test_a_class_attribute_base_gets_its_public_twin_in_the_class():
    source = """\
        import requests


        class Api:
            URL = "https://platform.segmentapis.com/v1beta/"
            H = {"Authorization": "Bearer x"}

            def mint(self):
                return requests.post(Api.URL + "access-tokens", auth=("u", "p"), json={})

            def drop_web(self):
                requests.delete(Api.URL + "workspaces/acme/sources/web", headers=self.H).raise_for_status()
        """
    after = migrate(source)
    assert (
        '    URL = "https://platform.segmentapis.com/v1beta/"\n    URL_PUBLIC = "https://api.segmentapis.com/"\n'
        in after
    )
    assert 'requests.delete(f"{Api.URL_PUBLIC}sources/S_WEB", headers=self.H)' in after
    assert 'requests.post(Api.URL + "access-tokens"' in after


def test_calls_through_a_helper_never_move_on_a_twin_the_helper_does_not_read():
    """The helper keeps the Config base (its callers are elsewhere), so the calls through it stay with
    it, while a direct call on the same base moves on the twin."""
    source = """\
        import requests

        API = "https://platform.segmentapis.com/v1beta/"


        def call(method, path, body=None):
            response = requests.request(method, API + path, json=body)
            response.raise_for_status()
            return response.json()


        def drop_web():
            call("DELETE", "workspaces/acme/sources/web")


        def drop_web_directly():
            requests.delete(API + "workspaces/acme/sources/web").raise_for_status()
        """
    after = migrate(source)
    assert 'call("DELETE", "workspaces/acme/sources/web")' in after
    assert "requests.request(method, API + path, json=body)" in after
    assert 'API_PUBLIC = "https://api.segmentapis.com/"' in after
    assert after.count("API_PUBLIC") == 2, "the twin, and the one direct call that moves"


def test_a_session_whose_every_request_moved_natively_stays_a_plain_session():
    """Routing it would send the moved Public calls through the layer for nothing, and a test
    mocking `session.request` would no longer see the requests the module makes."""
    migrated = migrate(
        """\
        import requests

        API = "https://platform.segmentapis.com/v1beta"
        session = requests.Session()


        def disable():
            session.request("PATCH", f"{API}/workspaces/acme/sources/web/destinations/amplitude",
                            json={"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})
        """,
        only=None,
    )
    assert "session = requests.Session()" in migrated and "segment_compat" not in migrated
    assert "/destinations/D_AMP" in migrated and "update_mask" not in migrated


def test_a_rerun_removes_the_temporary_files_a_killed_run_left(tmp_path: Path):
    """A kill between a temporary file's creation and its rename leaves `.name.py.XXXXXXXX.tmp`:
    the re-run that finishes the migration removes it, and nothing else."""
    root = _repository(tmp_path / "repo")
    orphan = root / "kit" / ".client.py.k3j_a9z2.tmp"
    orphan.write_text("half a module")
    unrelated = root / "kit" / ".notes.txt.k3j_a9z2.tmp"
    unrelated.write_text("not ours")
    write(apply([root], ApplyOptions(), jobs=1))
    assert not orphan.exists()
    assert unrelated.read_text() == "not ours"
    assert "segment_compat.request(" in (root / "kit" / "client.py").read_text()


def test_the_layers_import_goes_with_the_imports_the_module_opens_with():
    """A script importing more further down, after a top-level call that goes through the layer:
    the layer is imported before that call runs, not after the module's last import."""
    before = textwrap.dedent(
        '''\
        """Prints the workspace's sources."""
        import requests

        answer = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")
        print(answer.json())

        import json
        print(json.dumps({"done": True}))
        '''
    )
    after = routed(before)
    lines = after.splitlines()
    assert lines[1:3] == ["import segment_compat", ""], "in place of `requests`, which nothing reads now"
    assert after.count("import segment_compat") == 1
    assert "answer = segment_compat.get(" in after


def test_no_op_a_module_using_the_layer_only_in_functions_keeps_it_after_its_last_import():
    """The import then goes after the module's last import, which may need a `sys.path` change made
    above it (a script reaching its package's modules): the first import block would be too early."""
    before = textwrap.dedent(
        """\
        import os
        import sys

        import requests

        sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from kit.settings import TOKEN


        def sources():
            answer = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")
            return answer.json()
        """
    )
    after = routed(before)
    lines = after.splitlines()
    assert lines.index("import segment_compat") == lines.index("from kit.settings import TOKEN") + 1


def test_an_import_only_the_routed_calls_read_goes_and_one_still_read_stays():
    """`get` and `post` of `from requests import get, post` are read by nothing but the calls now
    routed: the line goes; `urlopen` leaves `Request` on its line; `requests` still read for its
    exception stays."""
    names = routed(
        """\
        from requests import get, post

        API = "https://platform.segmentapis.com/v1beta"


        def sources():
            return get(f"{API}/workspaces/acme/sources").json()


        def create(body):
            return post(f"{API}/workspaces/acme/sources", json=body).json()
        """
    )
    assert "from requests import" not in names and names.count("segment_compat.") == 2
    urllib = routed(
        """\
        import json
        from urllib.request import Request, urlopen

        API = "https://platform.segmentapis.com/v1beta"


        def sources():
            with urlopen(Request(f"{API}/workspaces/acme/sources")) as answer:
                return json.load(answer)
        """
    )
    assert "from urllib.request import Request\n" in urllib and "segment_compat.urlopen(" in urllib
    kept = routed(
        """\
        import requests

        API = "https://platform.segmentapis.com/v1beta"


        def sources():
            try:
                return requests.get(f"{API}/workspaces/acme/sources").json()
            except requests.HTTPError:
                return None
        """
    )
    assert kept.startswith("import requests\n") and "except requests.HTTPError:" in kept


def test_the_layers_import_takes_the_place_of_the_library_import_it_replaces():
    """`import requests`, its own group between the standard library's and the project's, goes: the
    layer's import stands where it stood, blank lines and all, so the module's groups stay sorted."""
    before = """\
        import os
        import sys

        import requests

        from kit.util import quiet

        API = "https://platform.segmentapis.com/v1beta"


        def sources(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources").json()["sources"]
        """
    after = routed(before)
    assert after.startswith("import os\nimport sys\n\nimport segment_compat\n\nfrom kit.util import quiet\n\nAPI =")


def test_the_layers_import_after_standard_library_imports_starts_its_own_group():
    before = """\
        import json
        import urllib.request

        API = "https://platform.segmentapis.com/v1beta"


        def sources(ws):
            return json.load(urllib.request.urlopen(f"{API}/workspaces/{ws}/sources"))["sources"]
        """
    after = routed(before)
    # `urllib` is read by the routed call alone: its import goes too
    assert after.startswith("import json\n\nimport segment_compat\n\nAPI =")
