"""Modules that name no Config URL yet send Config requests, built on what another module defines:
a subclass of a client class holding the Config URL (`class Endpoint: ROOT = "https://platform..."`
with a `_link(*parts)` joining paths onto it, and `requests.patch(self._link(...))` in a subclass),
or a call of a function returning a Config URL (`requests.get(sources_url(ws))`). The layer takes
their requests as it takes the defining module's own, and the scan reports them.

Repository-wide, so each test lays out a small tree and runs `apply` over it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrator.early_parser import APPLY_JUDGE
from migrator.scan import scan_paths
from migrator.scan.walk import LAYER_REASON

from .test_shared_bases import migrated, migrated_beside, tree

ENDPOINT = '''\
    """What every resource of the workspace builds on."""
    import os

    import requests


    class Endpoint:
        ROOT = "https://platform.segmentapis.com/v1beta"

        def __init__(self, workspace):
            self.workspace = workspace
            self.auth = {"Authorization": "Bearer " + os.environ.get("SEGMENT_ACCESS_TOKEN", "")}

        def _link(self, *parts):
            return "/".join([self.ROOT, "workspaces", self.workspace, *parts])

        def _fetch(self, *parts):
            answer = requests.get(self._link(*parts), headers=self.auth)
            answer.raise_for_status()
            return answer.json()
    '''
DESTINATIONS = """\
    import requests

    from .endpoint import Endpoint


    class Destinations(Endpoint):
        def names(self, source):
            answer = self._fetch("sources", source, "destinations")
            return sorted(d["name"].rsplit("/", 1)[-1] for d in answer["destinations"])

        def switch(self, source, name, on):
            body = {"destination": {"enabled": on}, "update_mask": {"paths": ["destination.enabled"]}}
            answer = requests.patch(self._link("sources", source, "destinations", name), json=body, headers=self.auth)
            answer.raise_for_status()
            return answer.json()["enabled"]
    """
STATUS = """\
    import requests

    from .endpoint import Endpoint


    def up():
        return requests.get("https://status.example.com/api").ok


    print(Endpoint.ROOT)
    """
MAIN = """\
    from kit.destinations import Destinations

    destinations = Destinations("acme")
    print(destinations.names("ios-app"))
    print(destinations.switch("ios-app", "braze", False))
    print(destinations.switch("ios-app", "braze", True))
    """


def layout(root: Path) -> Path:
    return tree(
        root,
        {
            "kit/__init__.py": "",
            "kit/endpoint.py": ENDPOINT,
            "kit/destinations.py": DESTINATIONS,
            "kit/status.py": STATUS,
            "main.py": MAIN,
        },
    )


def test_a_subclass_in_another_module_sends_through_the_layer(tmp_path: Path):
    files = migrated(layout(tmp_path))
    assert "answer = segment_compat.get(self._link(*parts), headers=self.auth)" in files["kit/endpoint.py"]
    assert "answer = segment_compat.patch(self._link(" in files["kit/destinations.py"]
    assert "import segment_compat\n" in files["kit/destinations.py"]


def test_no_op_a_module_importing_the_class_without_subclassing_it(tmp_path: Path):
    """`status.py` imports `Endpoint` but builds nothing on it: its own request is its own."""
    files = migrated(layout(tmp_path))
    assert files["kit/status.py"] == textwrap.dedent(STATUS)


def test_scan_finds_the_subclasss_request_and_says_apply_routes_it(tmp_path: Path):
    """Judged as apply plans it: the request the scanner alone cannot place (`self._link(...)`) is
    the one apply routes."""
    root = layout(tmp_path)
    found = {
        (Path(f.file).name, f.line, f.kind, f.method): f for f in scan_paths([root], jobs=1, judge=APPLY_JUDGE).findings
    }
    patched = found[("destinations.py", 13, "call", "PATCH")]
    assert patched.fixability == "auto" and LAYER_REASON in (patched.reason or "")
    assert not any(name == "status.py" and kind == "call" for name, _line, kind, _method in found)


def test_the_subclassed_client_behaves_the_same_on_the_public_api(tmp_path: Path):
    runs = migrated_beside(layout(tmp_path / "legacy"))
    assert runs.before.returncode == 0, runs.before.stderr
    assert "False\nTrue" in runs.before.stdout
    assert (runs.now.returncode, runs.now.stdout) == (0, runs.before.stdout), runs.now.stderr
    assert runs.config_calls == 0 and runs.public_calls > 0


URLS = '''\
    """Every Config API URL the tools use, in one place."""
    from __future__ import annotations

    BASE = "https://platform.segmentapis.com/v1beta"


    def workspace_url(workspace):
        return f"{BASE}/workspaces/{workspace}"


    def sources_url(workspace):
        return workspace_url(workspace) + "/sources"


    def destinations_url(workspace, source):
        return f"{sources_url(workspace)}/{source}/destinations"
    '''
REPORT = """\
    import os

    import requests

    from tools.urls import destinations_url as destinations_of, sources_url

    HEADERS = {"Authorization": "Bearer " + os.environ.get("SEGMENT_ACCESS_TOKEN", "")}


    def source_names(workspace):
        response = requests.get(sources_url(workspace), headers=HEADERS)
        response.raise_for_status()
        return sorted(s["name"].split("/")[-1] for s in response.json()["sources"])


    def destination_count(workspace, source):
        return len(requests.get(destinations_of(workspace, source), headers=HEADERS).json()["destinations"])
    """
REPORT_MAIN = """\
    from tools.report import destination_count, source_names

    for name in source_names("acme"):
        print(name, destination_count("acme", name))
    """
OTHER_URLS = """\
    def status_url(service):
        return f"https://status.example.com/{service}"
    """
STATUS_CHECK = """\
    import requests

    from tools.other import status_url

    print(requests.get(status_url("api")).ok)
    """


def url_layout(root: Path) -> Path:
    return tree(
        root,
        {
            "tools/__init__.py": "",
            "tools/urls.py": URLS,
            "tools/report.py": REPORT,
            "tools/other.py": OTHER_URLS,
            "tools/status.py": STATUS_CHECK,
            "main.py": REPORT_MAIN,
        },
    )


def test_requests_on_urls_another_modules_functions_build_go_through_the_layer(tmp_path: Path):
    files = migrated(url_layout(tmp_path))
    assert "response = segment_compat.get(sources_url(workspace), headers=HEADERS)" in files["tools/report.py"]
    assert "segment_compat.get(destinations_of(workspace, source), headers=HEADERS)" in files["tools/report.py"]
    assert files["tools/urls.py"] == textwrap.dedent(URLS), "the functions stay as they are"


def test_no_op_a_function_building_another_services_url(tmp_path: Path):
    files = migrated(url_layout(tmp_path))
    assert files["tools/status.py"] == textwrap.dedent(STATUS_CHECK)


def test_scan_finds_the_requests_on_built_urls_with_their_endpoints(tmp_path: Path):
    """The calls are found where they are sent, with the endpoints the functions' URLs name, and
    the functions' URLs are apply's to move with them (not left for a person)."""
    root = url_layout(tmp_path)
    found = {(Path(f.file).name, f.line, f.kind): f for f in scan_paths([root], jobs=1, judge=APPLY_JUDGE).findings}
    assert found[("report.py", 11, "call")].endpoint == "sources.list"
    assert found[("report.py", 17, "call")].endpoint == "destinations.list"
    assert found[("report.py", 11, "call")].fixability == "auto"
    built = found[("urls.py", 12, "url")]
    assert (built.endpoint, built.fixability) == ("sources.list", "auto")
    assert "hands to the code calling it" in (built.reason or "")
    assert not any(name == "status.py" for name, _line, _kind in found)


def test_the_requests_on_built_urls_behave_the_same_on_the_public_api(tmp_path: Path):
    # ids looked up at run time: the tests' ID map is not the emulator's workspace
    runs = migrated_beside(url_layout(tmp_path / "legacy"), ids=None)
    assert runs.before.returncode == 0 and "backend 3" in runs.before.stdout, runs.before.stderr
    assert (runs.now.returncode, runs.now.stdout) == (0, runs.before.stdout), runs.now.stderr
    assert runs.config_calls == 0 and runs.public_calls > 0


def test_requests_on_urls_built_through_the_module_imported_whole(tmp_path: Path):
    """`from tools import urls`, then `urls.sources_url(ws)`: apply routes the requests, and scan
    finds them with their endpoints, shown as written."""
    report = (
        REPORT.replace(
            "from tools.urls import destinations_url as destinations_of, sources_url", "from tools import urls"
        )
        .replace("sources_url(workspace)", "urls.sources_url(workspace)")
        .replace("destinations_of(", "urls.destinations_url(")
    )
    root = tree(tmp_path, {"tools/__init__.py": "", "tools/urls.py": URLS, "tools/report.py": report})
    found = {(Path(f.file).name, f.line, f.kind): f for f in scan_paths([root], jobs=1, judge=APPLY_JUDGE).findings}
    assert found[("report.py", 17, "call")].endpoint == "destinations.list"
    assert "requests.get(urls.destinations_url(workspace, source)" in found[("report.py", 17, "call")].snippet
    files = migrated(root)
    assert "response = segment_compat.get(urls.sources_url(workspace), headers=HEADERS)" in files["tools/report.py"]


@pytest.mark.parametrize(
    "imported", ["from .settings import BASE", "from .settings import BASE as ROOT", "from . import settings"]
)
def test_url_functions_built_on_a_base_a_third_module_defines(tmp_path: Path, imported: str):
    """`tools/settings.py` holds the base, `tools/urls.py` imports it (by name, or the module whole
    and reads `settings.BASE`) and builds URLs on it, naming no Config URL itself; `tools/report.py`
    sends on those: apply routes the requests, and scan finds them with their endpoints."""
    urls = URLS.replace(
        'from __future__ import annotations\n\n    BASE = "https://platform.segmentapis.com/v1beta"', imported
    )
    read = {"from . import settings": "settings.BASE", "from .settings import BASE as ROOT": "ROOT"}.get(imported)
    if read is not None:
        urls = urls.replace("{BASE}", "{" + read + "}")
    assert imported in urls
    root = tree(
        tmp_path,
        {
            "tools/__init__.py": "",
            "tools/settings.py": 'BASE = "https://platform.segmentapis.com/v1beta"\n',
            "tools/urls.py": urls,
            "tools/report.py": REPORT,
        },
    )
    found = {(Path(f.file).name, f.line, f.kind): f for f in scan_paths([root], jobs=1, judge=APPLY_JUDGE).findings}
    assert found[("report.py", 11, "call")].endpoint == "sources.list"
    assert found[("report.py", 17, "call")].endpoint == "destinations.list"
    assert all(
        f.fixability == "auto" for (name, _line, kind), f in found.items() if name == "urls.py" and kind == "url"
    )
    files = migrated(root)
    assert "response = segment_compat.get(sources_url(workspace), headers=HEADERS)" in files["tools/report.py"]
    assert files["tools/urls.py"] == textwrap.dedent(urls)
